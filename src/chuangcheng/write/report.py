"""What a report says, computed once from a unit's file: totals, dated prose, the statistics.

Templates get these views and only arrange them; every number here is summed from the
activities, so the opening, the sections and the table always agree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..load.amounts import Amount, AmountError, parse_amount, sum_amounts
from ..load.dates import cn_date, when_range
from ..load.models import Activity, Honour, Leadership, Report, Section, Volunteering, resident_population
from ..read.images import posix
from . import prose
from .prose import Total, Voice, item_list, people_times, total_text
from .typography import book_titles, clause, cn_number, han_run, join_list, nest_quotes, points, sentence, tidy
from .words import words

ActivityStyle = Literal["summary", "all"]
EXAMPLES = 3  # examples per subsection in the summary style
_SECTION_NAMES = {"leadership": "组织领导", "publicity": "宣传发动", "sanitation": "环境整治",
                  "volunteering": "志愿服务", "infrastructure": "基础设施", "civic_morality": "道德建设"}


@dataclass(frozen=True)
class ActivityView:
    """One activity, ready to print; ``text`` is its dated sentence(s)."""

    activity: Activity
    when: str
    action: str
    text: str

    @property
    def quantities(self) -> list[str]:
        """Its items with their amounts (``发放宣传单3000余份``), for own templates."""
        return [f"{tidy(item)}{amount}" for item, amount in self.activity.quantities.items()]


@dataclass
class SectionView:
    """One （一）… subsection: its heading and what goes under it."""

    key: str
    name: str
    title: str
    section: Section
    measures: str
    results: str
    activities: list[ActivityView]
    totals: list[str]
    intro: str = ""
    paragraphs: list[str] = field(default_factory=list)
    summed: list[Total] = field(default_factory=list)  # the totals as computed, for the opening and 附件


@dataclass(frozen=True)
class StatRow:
    """One row of 附表：创建活动统计表."""

    category: str
    item: str
    amount: str
    activities: int


@dataclass
class PhotoView:
    """One photo for 附件 活动照片: its path as written (relative to the unit file), the link
    the Markdown uses (relative to where the report is written) and its caption."""

    path: str
    src: str
    caption: str


@dataclass
class ReportView:
    """Everything the report templates print, computed from one :class:`Report`."""

    report: Report
    title: str
    subject: str
    participant_noun: str
    period: str
    opening_stats: list[str]
    profile: list[str]
    sections: list[SectionView]
    problems: list[str]
    next_steps: list[str]
    closing: str
    signer: str
    signed_on: str
    stats: list[StatRow] = field(default_factory=list)
    photos: list[PhotoView] = field(default_factory=list)
    opening: str = ""
    about: str = ""
    results_title: str = ""
    results: list[str] = field(default_factory=list)
    problems_lead: str = ""
    next_lead: str = ""


def activity_view(act: Activity, voice: Voice, with_year: bool, *, subject: bool = True, index: int = 0,
                  lead: str = "", doings: list[str] | None = None, last_actor: str = "",
                  last_place: str = "") -> ActivityView:
    """One activity, in the writer's words."""
    when = when_range(act.date, act.end_date, with_year) if act.date else ""
    text = prose.activity_text(act, voice, subject=subject, with_year=with_year, index=index, lead=lead,
                               doings=doings or [], last_actor=last_actor, last_place=last_place)
    return ActivityView(act, when, prose.action(act.title), text)


def _bare_runs_joined(views: list[ActivityView]) -> list[str]:
    """The activities' texts, where undated ones told without a description, one after another,
    are one sentence: 举办讲座4次；开展……承诺活动，书面承诺34人次。 — not a run of stubs."""
    out: list[str] = []
    bare_before = False
    for view in views:
        act, text = view.activity, view.text
        bare = act.date is None and not act.description and text.count("。") == 1 and text.endswith("。")
        if bare and bare_before:
            out[-1] = out[-1][:-1] + "；" + text
        else:
            out.append(text)
        bare_before = bare
    return out


def _like_groups(acts: list[Activity]) -> list[tuple[Activity, list[Activity]]]:
    """Activities side by side that differ only in their title (same day, place, organiser and
    description, no figures) are told in one sentence: each first one with the ones like it."""
    out: list[tuple[Activity, list[Activity]]] = []
    for act in acts:
        if out and act.description and not act.quantities and not act.participants and _alike(out[-1][0], act):
            out[-1][1].append(act)
        else:
            out.append((act, []))
    return out


def _alike(a: Activity, b: Activity) -> bool:
    return (a.date, a.end_date, a.place, a.organiser, a.description, a.times) == (
        b.date, b.end_date, b.place, b.organiser, b.description, b.times) and not a.quantities and not a.participants


_AFTER_SUBJECT = tuple("将把对在与从按以为每由向给")


def _without_subject(measure: str, voice: Voice, report: Report) -> str:
    """A measure after a lead that names the unit: 一是将……, not 一是医院将…… (only where the unit
    is the subject: 社区文化中心每周开放 keeps its 社区)."""
    for own in (voice.name, voice.self, report.unit.type):
        rest = measure.removeprefix(own)
        if rest != measure and (rest.startswith(_AFTER_SUBJECT) or prose.leading_verb(rest)):
            return rest
    return measure


def _intro_and_measures(sec: Section, report: Report, voice: Voice, measures: str) -> tuple[str, str]:
    """A section's opening paragraph and its 一是……；二是……: the mechanisms and how they work in
    one paragraph (……工作机制：一是…… when the points are the mechanisms, else ……工作机制。工作中，
    一是……); elsewhere several measures get a counted lead-in (社区主要抓了两个方面：一是……)."""
    intro = _section_intro(sec, report, voice)
    count = len([m for m in sec.measures if clause(m)])
    if count < 2:
        return intro, measures
    own = points([_without_subject(m, voice, report) for m in sec.measures])
    if intro.endswith(("机制。", "制度。")):
        joined = isinstance(sec, Leadership) and len(sec.mechanisms) == count
        return (intro.removesuffix("。") + "：" + own) if joined else (intro + "工作中，" + own), ""
    return intro, voice.frame("measures_lead", n="两" if count == 2 else cn_number(count)) + own


def _closing(report: Report, voice: Voice) -> str:
    """The closing frame, unless the last thing said already closes (……为建设和谐江城作出积极贡献):
    a report ends once."""
    last = clause((report.next_steps or report.problems or [""])[-1])
    if last.endswith(tuple(words().frames("closing_words"))):
        return ""
    return voice.frame("closing_open") + voice.frame("closing")


def _problems_lead(report: Report, voice: Voice) -> str:
    """The 问题 lead-in, unless the one problem given is itself an assessment (……取得了一定成绩，
    但离上级的要求还有一定的距离): that stands alone."""
    if len(report.problems) == 1 and re.search("[，,](但|但是|然而)", report.problems[0]):
        return ""
    return voice.frame("problems_lead", expect=_expectation(voice.type))


def _expectation(unit_type: str) -> str:
    """Whose expectations a unit answers to (家长和社会 for a school), for the 问题 lead-in."""
    table = words().table("expectation")
    return str(table.get(unit_type, table["default"]))


def finish(text: str) -> str:
    """The last touch on a paragraph: nested quotes as ‘’, documents' names in 《》."""
    return book_titles(nest_quotes(text), words().data["titled_documents"])


def times(acts: list[Activity]) -> int:
    """How many activities these are, counting 次数."""
    return sum(a.times for a in acts)


def section_totals(acts: list[Activity], period: tuple[dt.date, dt.date]) -> list[Total]:
    """Each item summed over the activities; the same things done again (宣传栏 each quarter,
    equal amounts under a 更新/维护 verb) are counted once per time, not added up."""
    pairs = [(item, amt) for a in acts for item, amt in a.quantities.items()]
    by_key: dict[tuple[str, str], list[tuple[Activity, Amount]]] = {}
    for a in acts:
        for item, amt in a.quantities.items():
            by_key.setdefault((item, amt.unit), []).append((a, amt))
    repeat_verbs = tuple(words().data["repeat_verbs"])
    out = []
    for key, amount in sum_amounts(pairs).items():
        same = by_key[key]
        if len(same) > 1 and key[0].startswith(repeat_verbs) and len({amt.value for _, amt in same}) == 1:
            quarters = {(a.date.first.month - 1) // 3 for a, _ in same if a.date}
            every = {(m - 1) // 3 for m in _months(*period)}
            out.append(Total(key[0], same[0][1], len(same), per=True, times=len(same),
                             quarterly=len(same) == len(every) and quarters == every))
        else:
            out.append(Total(key[0], amount, len(same)))
    return out


def _months(start: dt.date, end: dt.date) -> list[int]:
    return [m for m in range(1, 13) if dt.date(start.year, m, 1) <= end and
            (m == 12 or dt.date(start.year, m + 1, 1) > start)] if start.year == end.year else list(range(1, 13))


def _people_sum(acts: list[Activity], field_name: str) -> Amount | None:
    """Participants (or volunteers) of several activities, as 人次 (one activity keeps its 人)."""
    one = len(acts) == 1 and acts[0].times == 1
    amounts = [getattr(a, field_name) if one else people_times(getattr(a, field_name))
               for a in acts if getattr(a, field_name)]
    summed = sum_amounts(("", a) for a in amounts)
    return next((a for a in summed.values() if a.unit == "人次"), next(iter(summed.values()), None))


def _section_intro(sec: Section, report: Report, voice: Voice) -> str:
    if isinstance(sec, Leadership):
        parts = []
        if sec.group:
            group = clause(sec.group)
            parts.append(group if group.startswith(("成立", "调整", "建立")) else f"成立了{group}")
        if sec.mechanisms:
            named = clause(sec.mechanisms[-1]).endswith(("机制", "制度"))
            parts.append(voice.frame("mechanisms_named" if named else "mechanisms", list=join_list(sec.mechanisms)))
        return sentence(voice.self + "，".join(parts)) if parts else ""
    if isinstance(sec, Volunteering):
        parts = []
        if sec.registered:
            parts.append(f"现有注册志愿者{sec.registered}{_share_text(sec.registered, report)}")
        if len(sec.teams) == 1:
            parts.append(voice.frame("teams_one", team=clause(sec.teams[0])))
        elif sec.teams:
            parts.append(voice.frame("teams_many", list=prose.compact_list(sec.teams), n=len(sec.teams)))
        return sentence(voice.self + "，".join(parts)) if parts else ""
    return ""


def share(registered: Amount, report: Report) -> Decimal | None:
    """Registered volunteers as a percentage of the resident population (one decimal), if known."""
    population = resident_population(report)
    if population is None or population.value == 0 or registered.unit not in {"人", "名"}:
        return None
    return (registered.value / population.value * 100).quantize(Decimal("0.1"))


def _share_text(registered: Amount, report: Report) -> str:
    percent = share(registered, report)
    return "" if percent is None else f"，占常住人口的{percent}%"


def _section_view(key: str, sec: Section, report: Report, voice: Voice, style: ActivityStyle) -> SectionView:
    name = _SECTION_NAMES.get(key) or clause(sec.title or "")
    title = clause(sec.title) if sec.title and key != "other" else (
        voice.heading(key) if key != "other" else prose.bare_title(sec.title or "", voice.choose, voice.type,
                                                                    voice.headings))
    voice.headings += title
    with_year = report.period.start.year != report.period.end.year
    acts = sorted(sec.activities, key=lambda a: a.sort_key)
    totals = section_totals(acts, (report.period.start, report.period.end))
    total_pairs = [total_text(t) for t in totals]
    measures = points(sec.measures)
    intro, told_measures = _intro_and_measures(sec, report, voice, measures)
    paragraphs = [p for p in (intro, told_measures) if p]
    summarise = len(acts) > EXAMPLES + 1  # four activities are told; five and more are summed first
    chosen = acts if style == "all" or not summarise else prose.choose_examples(acts, EXAMPLES)
    theme_sentence: list[str] = []
    if summarise:
        themes: dict[str, list[str]] = words().data["frames"]["theme"]
        theme = voice.choose.pick(f"theme.{key}", themes.get(key, themes["other"]), {"n": times(acts)})
        theme_sentence.append(sentence("，".join(p for p in (voice.self + theme, item_list(total_pairs)) if p)))
    views = []
    last_actor, last_place = (voice.self if summarise else ""), ""
    for i, (act, like) in enumerate(_like_groups(chosen)):
        lead = voice.choose.pick("example_lead") if summarise and i == 0 and style != "all" else ""
        view = activity_view(act, voice, with_year, subject=not summarise and i == 0, index=i, lead=lead,
                             doings=[prose.action(a.title) for a in like], last_actor=last_actor,
                             last_place=last_place)
        last_actor = clause(act.organiser) if act.organiser else last_actor
        last_place = clause(act.place or "")
        views.append(view)
    paragraphs += prose.paragraphs_of(theme_sentence, _bare_runs_joined(views))
    results = "".join(sentence(r) for r in sec.results)
    if results:  # 通过以上工作，增强了……; a result that has its own lead keeps it (据5月入户抽样调查，……)
        own_lead = results.startswith(tuple(words().data["results_own_lead"]))
        paragraphs.append(("" if own_lead else voice.frame("results_after")) + results)
    return SectionView(
        key=key, name=name, title=title, section=sec, measures=measures, results=results,
        activities=views, totals=[f"{i}{a}" for i, a in total_pairs], intro=intro,
        paragraphs=[finish(p) for p in paragraphs], summed=totals)


_KEY_PHRASES = {"位置": "位于{v}", "地址": "位于{v}", "区位": "位于{v}", "地理位置": "位于{v}"}


def profile_phrase(key: str, value: str) -> str:
    """One 基本情况 value as a phrase: ``常住人口35000人``, ``位于横沙岛东部``, ``共11800户``
    (not ``户数11800户``), ``主要产业为果树种植``."""
    key, value = tidy(key), tidy(value)
    try:
        amount = parse_amount(value)
    except AmountError:
        pattern = _KEY_PHRASES.get(key)
        if pattern:
            return pattern.format(v=value.removeprefix("位于"))
        return value if value.startswith(key) else f"{key}为{value}"
    text = str(amount)
    if key.endswith("数"):
        stem = key[:-1].removesuffix(amount.unit[:1])  # 职工人数 → 职工，户数 → 户
        return f"共{text}" if not stem or amount.unit.endswith(stem) else f"{stem}{text}"
    return f"{key}{text}"


def _people_all(acts: list[Activity], voice: Voice) -> str:
    """Who took part over the period: 师生, or 师生和家长 when parents or the public took part too."""
    own = {voice.people, "参会人员", "听众", "参训人员", "参与人员"}
    others = any(prose.people_noun(a, voice) not in own for a in acts if a.participants)
    table = words().table("people_all_mixed" if others else "people_all")
    return str(table.get(voice.type, voice.people_all))


def _profile(report: Report) -> list[str]:
    return [profile_phrase(k, v) for k, v in report.unit.profile.items()]


def _figures(report: Report, sections: list[SectionView], voice: Voice) -> list[str]:
    """The three to five figures an opening carries: activities, people, money over all sections,
    and the items most activities report."""
    acts = [a for _, a in report.activities()]
    if not acts:
        return []
    out = [f"共开展各类创建活动{times(acts)}次"]
    people = _people_sum(acts, "participants")
    if people:
        out.append(f"{_people_all(acts, voice)}累计参与{people}")
    helpers = _people_sum(acts, "volunteers")
    if helpers:
        said = words().table("volunteers_total")  # 师生和家长累计参与……，志愿服务503人次 (not 参与 twice)
        out.append(f"{said.get(voice.type, voice.volunteers)}{helpers}")
    total_money = sum_amounts(("资金", amt) for a in acts for item, amt in a.quantities.items()
                              if amt.unit.endswith(prose.MONEY_UNITS))
    if total_money:
        out.append(f"投入资金{next(iter(total_money.values()))}")
    ranked = [t for s in sections for t in s.summed
              if not t.amount.unit.endswith(prose.MONEY_UNITS) and t.amount.unit not in {"人", "人次", "名"}
              and prose.leading_verb(t.item)]
    ranked.sort(key=lambda t: -t.activities)
    ranked = [t for t in ranked if t.activities >= 3]  # an item of one activity is no headline
    room = max(0, 4 - len(out))  # three to four figures: more reads as the table copied out
    if room and ranked:
        out.append(item_list([total_text(t) for t in ranked[:min(room, 2)]]))
    return out


def build_view(report: Report, style: ActivityStyle = "summary", volunteer_bar: Decimal = Decimal(8),
               previous: Report | None = None) -> ReportView:
    """Compute everything a report template prints; ``previous`` is the unit's report of the
    period before (上期), for the comparisons in 取得的成效."""
    voice = Voice(report.unit.name, report.unit.type, report.period.name, report.goal)
    sections = [_section_view(k, s, report, voice, style) for k, s in report.sections()]
    acts = [a for _, a in report.activities()]
    figures = _figures(report, sections, voice)
    unit = report.unit
    lead = (f"在{clause(unit.parent)}的正确领导下，" if unit.parent else "") + (
        f"在{clause(unit.guided_by)}的具体指导下，" if unit.guided_by else "")
    whole_year = re.fullmatch(r"\d{4}年度?", report.period.name) is not None
    when = voice.frame("opening_when_year" if whole_year else "opening_when")
    if report.preface:  # the unit's own opening says what the frame would: only the figures follow
        opening = sentence(report.preface) + (sentence(when + unit.name + "，".join(figures)) if figures else "")
        if figures:
            opening = opening.removesuffix("。") + "，" + voice.frame("opening_result") + "。"
    else:
        opening = when + unit.name + lead + voice.frame("opening_lead")
        if figures:
            opening += "，" + "，".join(figures) + "，" + voice.frame("opening_result")
        opening = sentence(opening)
    opening += voice.frame("opening_close")
    results = _results(report, voice, sections, volunteer_bar, previous)
    opening = _abbreviated(opening, report.goal, [p for sec in sections for p in sec.paragraphs] + results
                           + [*report.problems, *report.next_steps])
    return ReportView(
        report=report,
        title=tidy(report.display_title),
        subject=voice.self,
        participant_noun=voice.people,
        period=report.period.name,
        opening_stats=figures,
        profile=_profile(report),
        sections=sections,
        problems=[sentence(p) for p in report.problems],
        next_steps=[sentence(p) for p in report.next_steps],
        closing=nest_quotes(sentence(report.closing)) if report.closing else _closing(report, voice),
        signer=tidy(report.signer),
        signed_on=cn_date(report.signed_on),
        stats=_stats(sections),
        photos=_photos(acts, with_year=report.period.start.year != report.period.end.year),
        opening=finish(opening),
        about=nest_quotes(_about(report)),
        results_title=voice.frame("results_part") if results else "",
        results=[finish(p) for p in results],
        problems_lead=_problems_lead(report, voice),
        next_lead=voice.frame("next_lead"),
    )


def _abbreviated(opening: str, goal: str, body: list[str]) -> str:
    """When the report says 创城, the opening names it in full once: 创建全国文明城市（以下简称“创城”）."""
    full = f"创建{goal}"
    if not any("创城" in text for text in body) or "创城" in opening or full not in opening:
        return opening
    return opening.replace(full, f"{full}（以下简称“创城”）", 1)


_PLACE_WORDS = ("位于", "辖区", "村域", "占地", "面积", "总面积", "常住", "户籍", "总人口", "共", "地处")


def _is_count(phrase: str) -> bool:
    """学生2480人: one to six characters, then a figure; a count that wants 现有 before it."""
    run = han_run(phrase)
    return 1 <= run <= 6 and phrase[run:run + 1].isdecimal()


def _about(report: Report) -> str:
    """基本情况 as prose: the unit's own sentences, then its figures and facts in one sentence."""
    about = "".join(sentence(s) for s in report.unit.about)
    phrases = _profile(report)
    if about and not about.startswith(report.unit.name):
        about = report.unit.name + about
    if phrases:
        counted = not phrases[0].startswith(_PLACE_WORDS) and _is_count(phrases[0])
        about += sentence(("" if about else report.unit.name) + ("现有" if counted else "") + "，".join(phrases))
    return about


def _results(report: Report, voice: Voice, sections: list[SectionView], bar: Decimal,
             previous: Report | None = None) -> list[str]:
    """The closing parts: the unit's 成效, what the 测评体系 bars show, 上期, honours, highlights."""
    out = []
    facts = [clause(r) for r in report.results]
    volunteering = report.volunteering
    if volunteering and volunteering.registered:
        percent = share(volunteering.registered, report)
        if percent is not None and percent >= bar:
            facts.append(voice.frame("volunteer_share", registered=volunteering.registered, share=percent,
                                     bar=format(bar.normalize(), "f")))
    boards = [t for s in sections if s.key == "publicity" for t in s.summed if "宣传栏" in t.item and t.quarterly]
    if boards:
        facts.append(voice.frame("quarterly_boards"))
    compared = _compared(report, previous) if previous else []
    if facts and (report.results or report.honours or report.highlights or compared):
        out.append(voice.frame("results_lead") + "；".join(facts) + "。")
    if previous and compared:
        out.append(voice.frame("previous", label=f"上期（{previous.period.name}）", items="，".join(compared)) + "。")
    honours = _honours(report, voice)
    if honours:
        out.append(voice.frame("honours_lead") + honours)
    if report.highlights:
        out.append(voice.frame("highlights_lead") + points(report.highlights))
    return out


def _change(what: str, old: Amount, new: Amount) -> str:
    """``开展创建活动由36次增加到48次，增长33%``: a figure of this period against the last."""
    if new.value == old.value:
        return f"{what}持平，均为{new}"
    grew = new.value > old.value
    text = f"{what}由{old}{'增加' if grew else '减少'}到{new}"
    if old.value > 0:
        percent = abs(new.value - old.value) / old.value * 100
        text += f"，{'增长' if grew else '下降'}{percent.quantize(Decimal(1) if percent >= 10 else Decimal('0.1'))}%"
    return text


def _compared(report: Report, previous: Report) -> list[str]:
    """The main totals against the previous period's: activities, people, volunteers."""
    out = []
    now = [a for _, a in report.activities()]
    then = [a for _, a in previous.activities()]
    if now and then:
        out.append(_change("开展创建活动", Amount(Decimal(times(then)), "次"), Amount(Decimal(times(now)), "次")))
    for name, label in (("participants", "参与活动"), ("volunteers", "出动志愿者")):
        new, old = _people_sum(now, name), _people_sum(then, name)
        if new and old and new.unit == old.unit:
            out.append(_change(label, old, new))
    registered = report.volunteering.registered if report.volunteering else None
    before = previous.volunteering.registered if previous.volunteering else None
    if registered and before and registered.unit == before.unit:
        out.append(_change("注册志愿者", before, registered))
    return out


def _honours(report: Report, voice: Voice) -> str:
    """The honours in one or two sentences: plain titles together (先后荣获“A”“B”等称号), the
    ones with a giver, a date or another holder each in its own clause."""
    plain, full = [], []
    for honour in report.honours:
        title = clause(honour.title)
        if re.search("[获被评授]", title) or "，" in title:
            full.append(title)
        elif honour.by or honour.date or honour.holder:
            full.append(_honour(honour, voice, report, title))
        else:
            plain.append(title if title.startswith("“") else f"“{title}”")
    if plain:
        many = len(plain) > 1
        full.insert(0, f"{voice.self}{'先后' if many else ''}荣获{''.join(plain)}{'等' if many else ''}荣誉")
    return "；".join(full) + "。" if full else ""


def _honour(honour: Honour, voice: Voice, report: Report, title: str) -> str:
    who = clause(honour.holder) if honour.holder else voice.self
    when = honour.date.text(honour.date.first.year != report.period.end.year) + "，" if honour.date else ""
    quoted = title if title.startswith("“") else f"“{title}”"
    if honour.by:
        return f"{when}{who}被{clause(honour.by)}评为{quoted}"
    return f"{when}{who}荣获{quoted}"


def _photos(acts: list[Activity], with_year: bool) -> list[PhotoView]:
    """The photos in report order, captioned with date and title (（1）（2） when several)."""
    out = []
    for act in sorted(acts, key=lambda a: a.sort_key):
        when = when_range(act.date, act.end_date, with_year) if act.date else ""
        head = f"{when} {clause(act.title)}".strip()
        for n, photo in enumerate(act.photos, 1):
            path = posix(photo)
            out.append(PhotoView(path, path, head + (f"（{n}）" if len(act.photos) > 1 else "")))
    return out


def _stats(sections: list[SectionView]) -> list[StatRow]:
    """附表 rows: each section's totals as the prose says them (每季度更新宣传栏6块, not 12块)."""
    rows = []
    for view in sections:
        for total in view.summed:
            item, amount = total_text(total, table=True)
            rows.append(StatRow(view.name, item, amount, total.activities))
    return rows
