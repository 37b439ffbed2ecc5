"""The writer: what a unit did, in the words careful writers use (DESIGN.md §5).

It composes sentences from facts the view (:mod:`chuangcheng.write.report`) has summed; it
never adds a fact or a day. Word lists and frames are data (``words.yaml``); which wording
of a frame a unit gets is fixed by its name (:class:`~chuangcheng.write.words.Chooser`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..load.amounts import Amount
from ..load.dates import when_range
from ..load.models import Activity
from .typography import clause, han_run, is_one_clause, join_list, sentence, tidy
from .words import Chooser, Observance, words

MONEY_UNITS = ("元",)
_SENTENCE_END = re.compile(r"(?<=[。！？])")


@dataclass(frozen=True)
class Total:
    """One item summed over a section's activities; ``per`` is set when the same things were
    done again (宣传栏 updated each quarter): then ``amount`` is each time's, ``times`` how often."""

    item: str
    amount: Amount
    activities: int
    per: bool = False
    times: int = 1
    quarterly: bool = False


class Voice:
    """How one unit writes: what it calls itself and its people, and its choice of frames."""

    def __init__(self, name: str, unit_type: str, period: str, goal: str) -> None:
        table = words()
        self.name, self.type, self.period, self.goal = name, unit_type, period, goal
        self.self = self._self_name(name, unit_type)
        self.people = str(table.table("people").get(unit_type, "群众"))
        self.people_all = str(table.table("people_all").get(unit_type, "群众"))
        self.own_places = tuple(table.table("own_places").get(unit_type, []))
        self.choose = Chooser(name)
        self.later = _period_later(period)
        said = table.table("volunteers_said")
        self.volunteers = str(said.get(unit_type, said["default"]))  # 出动志愿者, a school's 参与志愿服务
        self.headings = ""  # the section headings given so far (a custom one does not repeat their verbs)

    @staticmethod
    def _self_name(name: str, unit_type: str) -> str:
        endings: dict[str, str] = words().table("self_by_ending").get(unit_type, {})
        for ending in sorted(endings, key=len, reverse=True):
            if name.endswith(ending):
                return endings[ending]
        return str(words().table("self").get(unit_type, "我们"))

    def frame(self, key: str, **values: object) -> str:
        return self.choose.pick(key, None, {"self": self.self, "name": self.name, "period": self.period,
                                            "later": self.later,
                                            "goal": self.goal, **values})

    def heading(self, key: str) -> str:
        options = words().table("headings")[key]
        return str(options.get(self.type, options["default"]))


def _period_later(period: str) -> str:
    """The period as said after the opening, without its year: 上半年 for 2026年上半年, 全年 for 2026年
    (the title and the opening have said the year); the whole name when it spans years."""
    rest = re.sub(r"^\d{4}年", "", period)
    if rest == period or re.search(r"\d{4}", rest):
        return period
    return rest if rest not in ("", "度") else "全年"


# Titles and verbs.
@functools.lru_cache(maxsize=4096)
def leading_verb(text: str) -> str:
    """The verb a title or an item begins with (``发放宣传单`` → ``发放``), or ``""``."""
    table = words()
    return next((text[:n] for n in table.verb_lengths if text[:n] in table.verb_set), "")


@functools.lru_cache(maxsize=4096)
def action(title: str) -> str:
    """What was done, as a verb phrase: a title that has a verb stays as it is; one that names an
    event gets the verb the event takes (``召开……推进会``, ``举办……讲座``, ``开展……活动``)."""
    text = clause(title)
    if leading_verb(text) or text.startswith(("在", "到", "赴", "为", "向", "对", "与", "由")):
        return text  # a verb, or a place or partner before the verb: 在局机关大院开展植树活动
    if text[-3:-2] == "进" and han_run(text[-2:]) == 2:  # 志愿服务进小区、进万家 → 开展志愿服务进小区活动
        return f"开展{text}活动"
    verb = next((v for end, v in words().endings if text.endswith(end)), "")
    return f"{verb}{text}" if verb else text


def bare_title(title: str, choose: Chooser, unit_type: str = "", used: str = "") -> str:
    """A section title the writer gave without its second half, made a paired heading: its verb
    not one of the headings before it (``used``), its second half not one this report gave already."""
    text = clause(title)
    if "，" in text or len(text) > 14:
        return text
    improving = next((v for v in words().data["heading_improving"] if text.endswith(v)), "")
    if leading_verb(text):
        head = text
    elif improving:  # 窗口服务提升 → 着力提升窗口服务 (not 推进……提升)
        head = f"着力{improving}{text.removesuffix(improving)}"
    else:
        head = choose.pick_fresh("heading_verbs", [v for v in words().data["heading_verbs"]
                                                   if v[-2:] not in used] or words().data["heading_verbs"]) + text
    options = words().data["heading_tails_by_type"].get(unit_type) or words().data["heading_tails"]
    tails = [t for t in options if t[-2:] not in text] or options  # not 助力文明创建 after ……文明创建工作
    return f"{head}，{choose.pick_fresh('heading_tails', tails)}"


# Amounts and lists.
def item_list(pairs: Sequence[tuple[str, str]]) -> str:
    """``发放宣传单8000余份、环保袋3000个，悬挂横幅10条``: money first, items that share a verb
    together with the verb said once."""
    if not pairs:
        return ""
    money = [p for p in pairs if p[1].endswith(MONEY_UNITS)]
    rest = [p for p in pairs if p not in money]
    groups: dict[str, list[tuple[str, str]]] = {}
    for item, amount in rest:
        if item.endswith("行为人员") and amount.endswith(("人次", "人")) and leading_verb(item):
            item = item.removesuffix("人员")  # 劝阻不文明行为430余人次, not 劝阻不文明行为人员430余人次
        groups.setdefault(leading_verb(item), []).append((item, amount))
    out = [f"{item}{amount}" if leading_verb(item) else f"投入{_money_item(item)}{amount}" for item, amount in money]
    for verb, members in groups.items():
        if not verb:
            out.extend(f"{item}{amount}" for item, amount in members)
            continue
        first, *others = members
        out.append(f"{first[0]}{first[1]}" + "".join(f"、{item.removeprefix(verb)}{amount}"
                                                      for item, amount in others))
    return "，".join(out)


def _money_item(item: str) -> str:
    text = item.removeprefix("投入").removeprefix("投资")
    return text if text else "资金"


def total_text(total: Total, table: bool = False) -> tuple[str, str]:
    """One summed item as (item, amount text), each time's amount for things done again: in
    prose ``按季度更新宣传栏6块``, in 附件1 ``更新宣传栏（每季度）`` and ``6块``."""
    item = tidy(total.item)
    if not total.per:
        return item, str(total.amount)
    if total.quarterly:
        return (f"{item}（每季度）" if table else f"按季度{item}"), str(total.amount)
    return item, f"{total.times}期、每期{total.amount}"


def compact_list(items: Sequence[str]) -> str:
    """``导医、义诊、社工志愿服务队和健康科普宣讲团``: names that end alike share their ending."""
    names = [clause(i) for i in items if clause(i)]
    if len(names) < 3 or any(re.search("[、，；“”]", n) for n in names):
        return join_list(names)
    endings: dict[str, list[str]] = {}
    for name in names:
        ending = next((name[-k:] for k in range(min(len(name) - 1, 6), 2, -1)
                       if sum(n.endswith(name[-k:]) and len(n) > k for n in names) >= 2), "")
        endings.setdefault(ending, []).append(name)
    largest = max(endings.items(), key=lambda kv: len(kv[1]) if kv[0] else 0)
    if not largest[0] or len(largest[1]) < 3:
        return join_list(names)
    groups = [("、".join(n.removesuffix(e) for n in group) + e) if e == largest[0] else "、".join(group)
              for e, group in endings.items()]
    return "、".join(groups[:-1]) + "和" + groups[-1] if len(groups) > 1 else groups[0]


# People.
def people_noun(act: Activity, voice: Voice) -> str:
    """Who took part: the 对象 given, else by the kind of activity, else the unit's people."""
    if act.audience:
        return clause(act.audience)
    if action(act.title).startswith("召开"):
        return "参会人员"
    title = act.title + (act.place or "")
    for keys, noun in words().people_by_title:
        if any(k in act.title for k in keys):
            return noun
    inward = voice.type in {"企业", "医院", "学校", "幼儿园", "机关"}
    if inward and any(w in title for w in words().data["public_words"]):
        return "群众"
    street = clause(act.place or "").endswith(tuple(words().data["public_places"]))
    desc = act.description or ""
    if street or any(w in desc for w in ("市民", "过往群众", "过往行人")):
        return "群众"
    named = _named_people(desc, voice)
    return "和".join(named) if named and voice.people not in desc else voice.people


def _named_people(desc: str, voice: Voice) -> list[str]:
    """The unit's groups the description names as those who did it (教职工和家长志愿者分区包干,
    组织教师学习, 全体教师签订; not 教师代表讲话), in its order; 教职工, not also the 教师 inside it."""
    found: list[tuple[int, str]] = []
    for word in words().table("people_in_description").get(voice.type, []):
        at = desc.find(word)
        while at >= 0 and not ((at == 0 or desc[:at].endswith(_DOERS)) and desc[at + len(word):][:2] != "代表"):
            at = desc.find(word, at + 1)
        if at >= 0 and not any(at >= a and at + len(word) <= a + len(w) for a, w in found):
            found.append((at, word))
    return [w for _, w in sorted(found)][:2]


_DOERS = ("组织", "全体", "带领", "动员", "和", "、", "，")


def people_times(amount: Amount) -> Amount:
    """People summed over events are person-times: 人 and 名 become 人次."""
    return Amount(amount.value, "人次", amount.approx) if amount.unit in {"人", "名"} else amount


def one_event(amount: Amount) -> Amount:
    """People at one event are people: 人次 becomes 人 (an approximate count stays approximate)."""
    return Amount(amount.value, "人", amount.approx) if amount.unit == "人次" else amount


def single_day(act: Activity) -> bool:
    """True when the activity was held on one known day (not a span, a month or the period)."""
    return act.date is not None and act.date.day is not None and act.end_date in (None, act.date)


def _volunteers_led(act: Activity, doing: str, desc: str) -> str:
    """``45名`` when the volunteers of a one-day activity are best said as who did it (组织45名志愿者
    在……开展……) rather than counted at the end; ``""`` when they are not (an organiser named, a
    title that already leads with 组织, a count the description gives, 人次)."""
    count = act.volunteers
    if (count is None or count.unit not in {"人", "名"} or not single_day(act) or act.times > 1 or act.organiser
            or doing.startswith((*_LEADING, "分别")) or not leading_verb(doing) or said_in(str(count), desc)):
        return ""
    return str(count).removesuffix(count.unit) + "名"


def _people(act: Activity, voice: Voice, desc: str, volunteers: bool = True) -> list[str]:
    """出动志愿者……, 参与居民……: the counts the description does not already give (``volunteers``
    False: they were said as who did it)."""
    out = []
    many = act.times > 1 or not single_day(act)
    if act.volunteers and volunteers:
        count = str(people_times(act.volunteers) if many else one_event(act.volunteers))
        if not said_in(count, desc):
            out.append(f"{voice.volunteers}{count}")
    if act.participants:
        count = str(people_times(act.participants) if many else one_event(act.participants))
        if not said_in(count, desc):
            who = people_noun(act, voice)
            served = act.volunteers and any(w in act.title for w in words().data["served_by_volunteers"])
            if who == "参会人员" and count.endswith("人") and not many:  # 86人参加会议, 参会人员62人 in turn
                out.append(voice.frame("meeting_people", count=count))
            elif not many and not served and count.endswith("人") and not who.startswith("参"):
                number = count.removesuffix("人")  # 参与群众1500余人 / 1500余名群众参与, in turn
                out.append(voice.frame("people_one", count=count, number=number, who=who))
            else:
                out.append(f"{who}{count}" if who.startswith("参") else f"{'服务' if served else '参与'}{who}{count}")
    return out


def _attendance(act: Activity, voice: Voice) -> str:
    """People at one event as a sentence of its own after what it was for: 共有450名居民参加
    (a lecture's 听众 are the unit's people); empty when that does not fit (人次, several events)."""
    amount = act.participants
    if amount is None or act.volunteers or act.times > 1 or not single_day(act):
        return ""
    count = one_event(amount)
    who = people_noun(act, voice)
    if count.unit != "人" or who.startswith("参"):
        return ""
    number = str(count).removesuffix("人")
    return f"共有{number}名{voice.people if who == '听众' else who}参加"


# Dates and days worth naming.
def observance(act: Activity) -> tuple[str, bool] | None:
    """The observance an activity on its day (or just before) was held for, when its words say so:
    (name, before) — ``学雷锋纪念日``, or ``春节`` with ``True`` for 春节前夕."""
    if not single_day(act):
        return None
    day = act.date.day if act.date else None
    if day is None:
        return None
    text = act.title + (act.description or "")
    for item, before in _days_of(day.year).get(day, ()):
        if any(w in (act.title if before else text) for w in item.words):
            return item.name, before
    return None


@functools.cache
def _days_of(year: int) -> dict[dt.date, list[tuple[Observance, bool]]]:
    """The days of ``year`` that are an observance (False) or fall within eve_days before one (True)."""
    eve = int(words().data.get("eve_days", 10))
    days: dict[dt.date, list[tuple[Observance, bool]]] = {}
    for item in words().observances:
        when = item.day_in(year)
        if when is None:
            continue
        days.setdefault(when, []).append((item, False))
        for back in range(1, eve + 1):
            days.setdefault(when - dt.timedelta(days=back), []).append((item, True))
    return days


def date_opening(act: Activity, with_year: bool, index: int) -> str:
    """How an example begins: an observance, a season, a period, or the plain date ("" if none)."""
    if act.date is None:
        return ""
    when = when_range(act.date, act.end_date, with_year)
    named = observance(act)
    if named is None:
        return f"{when}，"
    name, before = named
    if name[:3] in act.title or (not before and name in (act.description or "")):  # not 5月31日是世界无烟日，
        return f"{when}，"  # ……开展“世界无烟日”宣传活动 (端午节前夕，……端午节的由来 is no echo)
    if before:
        return f"{name}前夕，" if index % 2 == 0 else f"{when}，正值{name}前夕，"
    return f"{when}是{name}，" if index % 2 == 0 else f"{name}当天，"


# One activity.
def activity_text(act: Activity, voice: Voice, *, subject: bool, with_year: bool, index: int = 0,
                  lead: str = "", doings: Sequence[str] = (), last_actor: str = "", last_place: str = "") -> str:
    """One activity in one or more sentences, as the seeds write them; ``doings`` are the actions
    of like activities said in the same sentence (分别召开党员会议、村民代表会议), ``last_actor`` and
    ``last_place`` the actor and place of the activity told before (not said twice in a row)."""
    opening = lead + date_opening(act, with_year, index)
    title = clause(act.title)
    place = "" if title.startswith("在") else _without_echo(clause(act.place or ""), title)
    actor = clause(act.organiser) if act.organiser else (voice.self if subject else "")
    where = place or (title[1:] if title.startswith("在") else "")
    if not act.organiser and where.startswith((*voice.own_places, voice.self, voice.name)):
        actor = ""  # 社区在社区文化中心 → 在社区文化中心
    if actor and actor == last_actor and not opening:
        actor = ""
    if place and place == last_place:  # 4月16日，召开推进会, not 在社区文化中心会议室 a second time running
        place = ""
    named_day = opening.endswith(("当天，", "前夕，")) or ("是" in opening and observance(act) is not None)
    if named_day and not actor:  # 6月5日是世界环境日，学校在……开展……
        own = next((w for w in (*voice.own_places, voice.self, voice.name) if where.startswith(w)), "")
        if not own or (place and len(place) - len(own) >= 2):  # 我校在报告厅, not 我校在学校报告厅
            place, actor = place.removeprefix(own), voice.self
    desc = tidy(act.description or "")
    repeated = next((k for k in (4, 3, 2) if len(desc) > k and title.endswith(desc[:k])), 0)
    if repeated and desc[repeated] not in "，、。" and desc[repeated] not in words().data["echo_noun_heads"]:
        # 召开村道德评议会，评议会对…… → ……，对……; not 开展专项检查，检查组…… → ……，组……
        desc = desc[repeated:]
    if actor and desc.startswith(actor):
        desc = desc.removeprefix(actor).lstrip("，")
    title, desc = _partner_in(title, desc)
    pairs = [(tidy(item), str(amount)) for item, amount in act.quantities.items()
             if not said_in(str(amount), desc)]
    desc, pairs = _figures_into(desc, pairs)
    doing = action(title)
    figures_before = len(pairs)
    doing, pairs = _merge_echo(title, doing, pairs)
    merged = len(pairs) < figures_before  # a figure now ends the action: 收购夏粮148万斤
    doing = _object_echo(doing, place)
    if doing.startswith(("评选出", "评出", "选出")):  # a selection's result: not 在阶梯教室评选出……
        place = ""
    if doings:
        doing = "分别" + _join_actions([doing, *doings])
    said = [f"{act.times}{unit}" for unit in "次场期"]  # not 进行教育培训6次，共召开培训会6次
    if act.times > 1 and not any(amount in said for _, amount in pairs) and not any(s in desc for s in said):
        # 分3次收购夏粮148万斤, not 收购夏粮148万斤3次
        doing = f"分{act.times}次{doing}" if merged and not doings else f"{doing}{act.times}次"
    led = _volunteers_led(act, doing, desc)
    if led:  # 组织45名志愿者在民主东路开展……, not a tail 出动志愿者45人
        doing = f"组织{led}志愿者{doing}"
        desc = desc.removeprefix("志愿者") if not desc.startswith("志愿者们") else desc
    money = [pair for pair in pairs if pair[1].endswith(MONEY_UNITS)]
    verb = leading_verb(doing)
    if len(money) == 1 and not led and not doings and verb and verb not in words().data["not_invested"]:
        # 投入6.8万元在……建成……, not 投入28万元启用……
        pairs = [pair for pair in pairs if pair not in money]
        doing, place = f"投入{money[0][1]}" + (f"在{place}" if place else "") + doing, ""
    own = where.startswith((*voice.own_places, voice.self, voice.name))
    doing, place = _place_inside(doing, place, clause(act.place or ""))
    head = _shaped(act, opening, actor or ("" if own or act.organiser else voice.self), place, doing, title,
                   with_year, index, actor)
    people = _people(act, voice, desc, volunteers=not led)
    figures = item_list(pairs) if pairs else ""
    if not desc:
        return sentence("，".join([head, *([figures] if figures else []), *people]))
    if is_one_clause(desc) and not figures:
        attendance = _attendance(act, voice)
        if attendance and people:  # ……倡导邻里守望的新风尚。共有450名居民参加。
            return sentence(f"{head}，{clause(desc)}") + sentence(attendance)
        return sentence("，".join([head, clause(desc), *people]))
    named = any(len(obj) >= 3 and obj in desc for obj in (i.removeprefix(leading_verb(i)) for i, _ in pairs))
    method = desc.startswith(tuple(words().data["method_words"]))  # 对照……逐项自查: how, then what came of it
    if is_one_clause(desc) and not people and len(pairs) <= 2 and not named and not method:  # ……12块，新版面……
        return sentence(f"{head}，{figures}，{clause(desc)}")
    return sentence(f"{head}，{clause(desc)}" if is_one_clause(desc) else head) + _told(
        "" if is_one_clause(desc) else desc, figures, people, voice,
        "figures_lead" if single_day(act) and act.times == 1 else
        "figures_lead_span" if act.date is not None else "figures_lead_undated")


def _partner_in(title: str, desc: str) -> tuple[str, str]:
    """``联合开展综合整治`` told ``联合城管、派出所清理……``: the partners go into the title, said once
    (联合城管、派出所开展综合整治，清理……)."""
    for lead in ("联合", "会同", "协同"):
        if not (title.startswith(lead) and desc.startswith(lead) and leading_verb(title[len(lead):])):
            continue
        end = next((i for i in range(len(lead) + 2, min(len(desc), 40)) if desc[i - 1] not in "、和及与"
                    and leading_verb(desc[i:])), 0)
        if end and not re.search("[，。；]", desc[:end]):
            return lead + desc[len(lead):end] + title[len(lead):], desc[end:]
    return title, desc


def _told(desc: str, figures: str, people: list[str], voice: Voice, leads: str) -> str:
    """The description's sentences, then the figures in a sentence of their own (共……; 此次共投入
    资金12万元，修复……; 其间共…… for work over weeks, 累计…… for work over the period), not hung
    on the end of a purpose clause; ``leads`` names the frame of lead words."""
    text = "".join(sentence(s) for s in _SENTENCE_END.split(desc) if s.strip())
    if figures:
        lead = voice.choose.pick(leads, None, {}) if (
            leading_verb(figures) or figures.startswith(("为", "向"))) else ""  # 共清理……, not 共绿地总面积……
        return text + sentence("，".join([lead + figures, *people]))
    return text + (sentence("，".join(people)) if people else "")


def _common(a: str, b: str) -> str:
    """The longest run of characters ``a`` and ``b`` share."""
    best = ""
    for i in range(len(a)):
        j = i + len(best) + 1
        while j <= len(a) and a[i:j] in b:
            best, j = a[i:j], j + 1
    return best


_LIST_GLUE = "、，和及与等的"


def _without_echo(place: str, title: str) -> str:
    """The place, less what the title says again (在新苑广场新增新苑广场居民健身点 → 新增新苑广场
    居民健身点; 在石城老街、桃源路等背街小巷开展背街小巷行动 → 在石城老街、桃源路开展……)."""
    for _ in range(3):
        shared = _common(place, title)
        if len(shared) < 3:
            return place
        tokens = [t for t in re.split(f"[{_LIST_GLUE}]", place) if t]
        if place.endswith(shared):
            place = place.removesuffix(shared).rstrip(_LIST_GLUE)
        elif shared in tokens:
            place = "、".join(t for t in tokens if t != shared)
        elif len(place) - len(shared) >= 4:  # 官塘路以东城乡结合部片区 → 官塘路以东片区
            place = place.replace(shared, "", 1)
        else:
            return ""
        left = [t for t in re.split(f"[{_LIST_GLUE}]", place) if t]
        if any(len(t) < 2 for t in left):  # 各营业厅、公司厂区 → 公司厂区, not 各、公司厂区
            place = "、".join(t for t in left if len(t) >= 2)
    return place if len(_common(place, title)) < 3 else ""


def _object_echo(doing: str, place: str) -> str:
    """``在门诊大厅开展门诊导医服务`` → ``在门诊大厅开展导医服务``: the place's word not said again
    at the head of what was done there."""
    verb = leading_verb(doing)
    obj = doing.removeprefix(verb)
    if verb and place and len(obj) > 3 and obj[:2] in place and obj[2] not in _LIST_GLUE:
        return verb + obj[2:]
    return doing


_EVENT_VERBS = {"召开": "召开", "举办": "举行", "举行": "举行"}


def _shaped(act: Activity, opening: str, who: str, place: str, doing: str, title: str, with_year: bool,
            index: int, actor: str) -> str:
    """The head of an activity sentence, in one of three shapes taken in turn so that examples
    side by side do not read alike: 3月5日，在……开展……; 4月16日，创城工作推进会在……召开;
    6月10日，社区在……增设…… (always the date first: readers marked 社区于6月10日 as mechanical)."""
    where = f"在{place}" if place else ""
    plain_date = act.date is not None and opening.endswith(f"{when_range(act.date, act.end_date, with_year)}，")
    verb = leading_verb(doing)
    if (index % 3 == 1 and plain_date and verb in _EVENT_VERBS and doing == action(title) and not leading_verb(title)
            and not act.description):
        return f"{opening}{title}{where}{_EVENT_VERBS[verb]}"
    if index % 3 == 2 and plain_date and who:  # 5月12日，社区在……: the date first, the subject said now and then
        return f"{opening}{who}{where}{doing}"
    return opening + actor + where + doing


_LEADING = ("组织", "邀请", "带领", "动员", "联合")
_MAIN = ("开展", "举办", "进行", "参加", "慰问", "看望", "走访")


def _place_inside(doing: str, place: str, written: str) -> tuple[str, str]:
    """``组织志愿者在官塘社区文化中心开展……`` rather than ``在官塘社区文化中心组织志愿者开展……``;
    ``组织专家赴桃源村党群服务中心开展……`` when the place (as ``written``) is where they went."""
    if not place or not doing.startswith(_LEADING):
        return doing, place
    for marker in ("赴", "到", "进"):  # 组织专家赴桃源村 + 桃源村党群服务中心; 到包保路段 + 燃气路包保路段
        went = doing.find(marker)
        main = min((i for v in _MAIN if (i := doing.find(v, went)) > 0), default=-1) if went > 0 else -1
        destination = doing[went + 1:main] if main > 0 else ""
        if destination and (written.startswith(destination) or written.endswith(destination)):
            return doing[:went + 1] + written + doing[main:], ""
    at = min((i for v in _MAIN if (i := doing.find(v, 2)) > 0), default=-1)
    if at < 0 or at == len(leading_verb(doing)):  # 联合开展: 在……联合开展, not 联合在……开展
        return doing, place
    shared = next((k for k in range(min(len(place), at), 1, -1) if doing[:at].endswith(place[:k])), 0)
    if shared:  # 组织大学生志愿者进社区 + 社区新时代文明实践站 → 进社区新时代文明实践站开展……
        return f"{doing[:at - shared]}{place}{doing[at:]}", ""
    return f"{doing[:at]}在{place}{doing[at:]}", ""


def _figures_into(desc: str, pairs: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """An item the description already names takes its amount there (同时张贴公益广告120幅), not in a
    sentence of figures after it (……张贴公益广告。共计张贴公益广告120幅)."""
    kept = []
    for item, amount in pairs:
        obj = item.removeprefix(leading_verb(item))
        for name in (item, obj) if obj != item and len(obj) >= 2 else (item,):  # 送上亲手制作的贺卡200张
            at = desc.find(name) if len(name) >= (4 if name == item else 2) else -1
            end = at + len(name)
            listed = name != item and at > 0 and desc[at - 1] in "、和及与"  # not ……和喷雾杀虫剂24瓶
            if at >= 0 and not listed and (end == len(desc) or desc[end] in "，。；、"):  # it ends a clause
                desc = desc[:end] + amount + desc[end:]
                break
        else:
            kept.append((item, amount))
    return desc, kept


def said_in(figure: str, text: str) -> bool:
    """True when the number of ``figure`` is already written in ``text`` (从……的52名干部职工)."""
    digits = _LEADING_NUMBER.match(figure)
    if not (digits and text):
        return False
    number, start = digits[0], 0
    while (at := text.find(number, start)) >= 0:  # str.find: no regex compiled per number
        end = at + len(number)
        if (at == 0 or text[at - 1] not in _NUMBER_CHARS) and (end == len(text) or text[end] not in _NUMBER_CHARS):
            return True
        start = at + 1
    return False


_LEADING_NUMBER = re.compile(r"[\d.]+")
_PERSON_UNITS = ("名", "人", "位")
_NUMBER_CHARS = frozenset("0123456789.")


def _after_noun(doing: str, obj: str) -> int:
    """Where a figure goes after ``obj`` in ``doing`` (past a closing quote), when ``obj`` ends a
    noun phrase there (before 和、及与并，or the end); -1 when it does not."""
    start = 0
    while (at := doing.find(obj, start)) >= 0:
        end = at + len(obj)
        if doing[end:end + 1] == "”":
            end += 1
        if end == len(doing) or doing[end] in "和、及与并，":
            return end
        start = at + 1
    return -1


def _join_actions(doings: Sequence[str]) -> str:
    """``召开党员会议、村民组长会议和村民代表会议``: the shared verb said once."""
    verb = leading_verb(doings[0])
    if verb and all(d.startswith(verb) for d in doings):
        parts = [d.removeprefix(verb) for d in doings]
        return verb + "、".join(parts[:-1]) + "和" + parts[-1]
    return "、".join(doings[:-1]) + "，" + doings[-1]


def _synonyms(verb: str) -> tuple[str, ...]:
    """The verb and those words.yaml says mean the same (建成, 建设, 新建 …)."""
    return next((tuple(group) for group in words().data["verb_synonyms"] if verb in group), (verb,))


def _merge_echo(title: str, doing: str, pairs: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """An item that says the title again is said once: ``更新二季度宣传栏`` with ``更新宣传栏: 18块``
    → ``更新二季度宣传栏18块``; ``夏粮收购`` with ``收购夏粮: 148万斤`` → ``收购夏粮148万斤``;
    ``建设公共绿地`` with ``公共绿地: 2个`` → ``建设公共绿地2个``."""
    joined = _coordinated(doing, pairs)
    if joined is not None:
        return joined
    for n, (item, amount) in enumerate(pairs):
        verb = leading_verb(item)
        obj = item.removeprefix(verb)
        rest = pairs[:n] + pairs[n + 1:]
        if not verb:
            if obj and doing.endswith(obj) and doing[:1] in "对向为" and amount.endswith(_PERSON_UNITS):
                return f"{doing[0]}{amount}{doing[1:]}", rest  # 对3名企业法人进行警示提醒谈话
            if obj and doing.endswith(obj) and leading_verb(doing):
                return f"{doing}{amount}", rest
            continue
        said = next((v for v in _synonyms(verb) if v in title), "")
        if not (obj and said):
            continue
        verb = said
        if doing.startswith(verb) and doing.endswith(obj):
            return f"{doing}{amount}", rest
        if title.endswith(verb) and obj in title:
            return f"{item}{amount}", rest
    return doing, pairs


def _result_verb(verb: str) -> str:
    """评选 with what it yielded reads 评选出 (评出, 选出 stay as they are)."""
    return verb + "出" if verb in ("评选", "选树", "推选") else verb


def _coordinated(doing: str, pairs: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]] | None:
    """A title that does one thing to several objects, or several things, with items for them:
    each amount goes to its object — 评选“好婆媳”8对、“最美庭院”30户 when every object has one;
    拆除残垣断壁38处，并拆除违规搭建棚舍 when only some have (not 拆除残垣断壁38处和违规搭建棚舍, which
    reads as both); 建成母婴室2间、增设候诊座椅320个 for two actions."""
    verb = leading_verb(doing)
    parts = re.split("[和、及]", doing.removeprefix(verb)) if verb else []
    if len(parts) < 2 or not all(parts):
        return None
    actions = [verb, *(leading_verb(part) for part in parts[1:])]
    two_actions = any(actions[1:])
    amounts: dict[int, str] = {}
    used: set[int] = set()
    for n, (item, amount) in enumerate(pairs):
        own = leading_verb(item)
        obj = item.removeprefix(own)
        if not own or len(obj) < 2:
            continue
        hit = next((i for i, part in enumerate(parts) if i not in amounts and part.strip("“”").endswith(obj)
                    and (actions[i] or verb) in _synonyms(own)), -1)
        if hit >= 0:
            amounts[hit] = amount
            used.add(n)
    if not amounts:
        return None
    rest = [pair for n, pair in enumerate(pairs) if n not in used]
    if two_actions:
        return verb + "、".join(part + amounts.get(i, "") for i, part in enumerate(parts)), rest
    if len(amounts) == len(parts):  # 评选出“好婆媳”8对、“最美庭院”30户: a selection with its result
        head = verb if leading_verb(parts[0]) else _result_verb(verb)  # not 评选出表彰……
        return head + "、".join(part + amounts[i] for i, part in enumerate(parts)), rest
    return "，并".join(verb + part + amounts.get(i, "") for i, part in enumerate(parts)), rest


# Choosing examples.
def example_score(act: Activity) -> float:
    """How good an example an activity makes: a named day, many people, figures, a description."""
    score = 3.0 if observance(act) else 0.0
    if act.participants:
        score += math.log10(float(act.participants.value) + 1)
    if act.volunteers:
        score += 0.5 * math.log10(float(act.volunteers.value) + 1)
    score += 0.4 * len(act.quantities) + (0.5 if act.description else 0) + (1 if act.date is None else 0)
    return score


def choose_examples(acts: Sequence[Activity], limit: int) -> list[Activity]:
    """The ``limit`` best examples, in the report's (date) order."""
    if len(acts) <= limit:
        return list(acts)
    ranked = sorted(range(len(acts)), key=lambda i: -example_score(acts[i]))[:limit]
    return [acts[i] for i in sorted(ranked)]


def paragraphs_of(lead: Sequence[str], told: Sequence[str], short: int = 30, limit: int = 260) -> list[str]:
    """Each activity its own paragraph, as careful writers set them; the section's theme sentence
    (``lead``) opens the first (……5次，……。其中，1月20日……), and a short one shares the paragraph
    of its neighbour rather than standing alone as a line."""
    out: list[str] = []
    current = "".join(lead)
    for n, text in enumerate(told):
        theme = n == 0 and bool(lead)  # 其中，1月20日 follows its theme, however long
        small = (len(current) < short or len(text) < short) and len(current) + len(text) <= limit
        if current and (theme or small):
            current += text
            continue
        if current:
            out.append(current)
        current = text
    return [*out, current] if current else out

