"""The district's roll-up (区级汇总报告) as DESIGN.md §6 describes it, computed from the accepted
units' summaries, every unit's verdict and the district file: 报送情况 in counts that add up,
总体成效 with normalised indicators by category, the unit types, the 测评体系 across units,
典型经验 in the third person, the problems several units share, the district's 下一步, and
the unit table for 附件1. The template only arranges what this computes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..check.verdicts import (
    ACCEPTED,
    DUPLICATE,
    MISSING,
    RETURNED,
    SENT_BACK,
    UNLISTED,
    UNREADABLE,
    VERDICTS,
    UnitVerdict,
    Verdicts,
)
from ..load.amounts import Amount, sum_amounts
from ..load.dates import cn_date, period_label
from ..load.models import District, Indicators
from ..write.prose import item_list, people_times
from ..write.typography import clause
from .batch import BatchResult, UnitSummary
from .indicators import Indicator, Names, amount_of, items_of, totals
from .writing import (
    drawn_members,
    first_sentence,
    grams,
    in_third_person,
    named,
    numbered,
    signer_of,
    theme_of,
    third_person,
    words,
)

MAIN_ITEMS = 2  # the item columns of the unit table in 附件1 (the most reported item and money): ten columns wrap


@dataclass
class UnitRow:
    """One row of the unit table (附件1)."""

    group: str
    name: str
    type: str
    activities: int
    participants: str
    volunteers: str
    main: list[str]


@dataclass
class TypeRow:
    """The units of one type: how many, and what they did together."""

    type: str
    units: int
    activities: int
    participants: str  # in digits, the measure word in the header
    volunteers: str
    people: list[Amount] = field(default_factory=list)  # the participants, summed per measure word

    @property
    def said(self) -> str:
        """The participants as the prose says them."""
        return "、".join(_about(a) for a in self.people)


@dataclass
class DistrictView:
    """Everything the roll-up template prints."""

    title: str
    district: str
    period: str
    goal: str
    signer: str
    signed_on: str
    expected: int  # units on the roster (0: no roster)
    submitted: int  # roster units that sent something (with a roster), else units found
    valid: int  # units accepted into the roll-up
    counts: dict[str, int]  # units by verdict
    addressee: str
    opening: str
    closing: str
    submission: list[str]  # 报送情况, paragraphs
    results: list[str]  # 总体成效, paragraphs
    types: list[TypeRow]
    bars: list[str]  # 测评体系, sentences
    highlights: list[tuple[str, str]]  # 典型经验: (heading, paragraph in the third person)
    problems_lead: str
    problems: list[str]  # 一是……, paragraphs
    next_steps: list[str]  # 一是……, paragraphs
    next_lead: str = ""  # 下一步，我办将……：before several steps
    types_lead: str = ""  # a sentence before the unit types' table
    main_items: list[str] = field(default_factory=list)  # the unit table's item columns
    units: list[UnitRow] = field(default_factory=list)
    total: UnitRow | None = None  # the unit table's 合计 row
    indicators: list[Indicator] = field(default_factory=list)  # every item as counted, most reported first
    everyone: bool = True  # every roster unit was accepted


def _people(values: Sequence[tuple[str, str, str]]) -> str:
    """People summed over events, as person-times (人 and 名 become 人次), as the prose says them."""
    return "、".join(_about(a) for a in sum_amounts(("", a) for a in _person_times(values)).values())


def _about(amount: Amount) -> str:
    """A district total as the prose says it: from 1万 on, to a tenth of 万 with 余 (42848幅 →
    4.2万余幅, 83128.7万元 → 8.3亿余元) unless it is round; the tables keep every digit."""
    exact = str(amount)
    if amount.approx or amount.value < 10000 or "亿" in exact or ("万" in exact and amount.value < 10 ** 8):
        return exact
    return str(Amount(amount.value, amount.unit, "余"))


def _cell(amounts: Sequence[Amount], unit: str) -> str:
    """A table cell under a heading that names the measure word: the sum in digits at the input's
    precision (``6958``, ``10620余``), so that the rows visibly add up to the 合计; amounts in other
    measure words keep theirs; money in 万元."""
    if not amounts:
        return "—"
    parts = []
    for (_, measure), amount in sum_amounts(("", a) for a in amounts).items():
        value = amount.value / 10000 if unit == "万元" and measure == "元" else amount.value
        figure = f"{value.normalize():f}{amount.approx}"
        parts.append(figure if measure == unit or unit == "万元" else figure + measure)
    return "、".join(parts)


def _shown(indicator: Indicator) -> str:
    """The measure word a column shows: money in 万元, the rest as reported."""
    return "万元" if indicator.unit == "元" else indicator.unit


def _person_times(values: Sequence[tuple[str, str, str]]) -> list[Amount]:
    return [people_times(amount_of(v)) for v in values]


def _some(names: Sequence[str]) -> str:
    """``官塘社区、桃源村``; more than the words' ``named``: the first few and ``等``."""
    cap = int(words()["named"])
    return "、".join(names) if len(names) <= cap else "、".join(names[:cap]) + "等"


def _submission(verdicts: Verdicts, period: str, overdue: bool) -> list[str]:
    """报送情况: counts that add up to the roster, the units concerned named in brackets
    (``退回修改3个（占位社区内容需修改，……）``); ``overdue``: the deadline has passed."""
    counts = verdicts.counts()
    by: dict[str, list[str]] = defaultdict(list)
    for unit in verdicts.units:
        by[unit.verdict].append(unit.name)
    accepted = sum(counts[v] for v in ACCEPTED)
    back = [v for v in VERDICTS if counts[v] and v in SENT_BACK - {DUPLICATE}]
    if verdicts.roster:
        sent = verdicts.roster - counts[MISSING]
        text = f"{period}，全区应报送创建工作总结的单位{verdicts.roster}个，已报送{sent}个"
    else:
        sent = len(verdicts.units)
        text = f"{period}，共收到{sent}个单位的创建工作总结"
    if accepted == sent and sent:
        text += "，经审核全部通过"
    else:
        text += f"，其中审核通过{accepted}个"
        if back:
            reasons = words()["reasons"]
            why = ("，".join(f"{_some(by[v])}{reasons.get(v, v)}" for v in back)
                   if len(back) > 1 or back[0] != RETURNED else _some(by[RETURNED]))
            text += f"，退回修改{sum(counts[v] for v in back)}个（{why}）"
        if counts[DUPLICATE]:
            text += f"，重复报送待确认{counts[DUPLICATE]}个（{_some(by[DUPLICATE])}）"
    if counts[MISSING]:
        late = "逾期未报送" if overdue else "尚未报送"
        text += (f"；{_some(by[MISSING])}{late}" if counts[MISSING] <= int(words()["named"])
                 else f"；{late}{counts[MISSING]}个（{_some(by[MISSING])}）")
    out = [text + "。"]
    if back or counts[DUPLICATE]:
        out[0] += f"{'退回修改和重复报送' if back and counts[DUPLICATE] else '退回修改' if back else '重复报送'}" \
                  "单位的总结未纳入本次汇总。"
    if counts[UNLISTED]:
        out.append(f"另有{_some(by[UNLISTED])}报送总结{counts[UNLISTED]}份，不在本区单位名单内，未纳入汇总。")
    return out


def _results(units: Sequence[UnitSummary], names: Names, indicators: list[Indicator], everyone: bool
             ) -> list[str]:
    """总体成效: the totals, then six to ten indicators by category. ``everyone``: every unit was
    accepted (全区N个单位), else the figures are those of the units accepted."""
    activities = sum(s.activities for s in units)
    people = _people([p for s in units for p in s.participants])
    volunteers = _people([v for s in units for v in s.volunteers])
    money = [i for i in indicators if i.unit.endswith("元")]
    head = f"{'全区' if everyone else '审核通过的'}{len(units)}个单位共"
    head += f"投入资金{_about(money[0].total)}，" if money and money[0].item in {"投入资金", "投入"} else ""
    head += f"开展各类创建活动{activities}次"
    if people:
        head += f"，参与群众{people}"
    if volunteers:
        head += f"，出动志愿者{volunteers}"
    out = [head + "。"]
    by_category: dict[str, list[Indicator]] = defaultdict(list)
    seen: dict[tuple[str, str], str] = {}
    for summary in units:
        for category, item, amount in items_of(summary, names):
            seen.setdefault((item, amount.unit), category)
    chosen = 0
    limit, per = int(words()["indicators"]), int(words()["items_per_category"])
    allowed = {*words()["categories"], ""}
    for indicator in indicators:
        if indicator in money or (indicator.units < 2 and len(units) > 2):
            continue  # one unit's own item is not the district's
        category = seen.get((indicator.item, indicator.unit), "")
        if category not in allowed:
            continue
        if len(by_category[category]) < per and chosen < limit:
            by_category[category].append(indicator)
            chosen += 1
    parts = []
    for category in [*words()["categories"], ""]:
        found = by_category.get(category)
        if found:
            listed = item_list([(i.item, _about(i.total)) for i in found])  # 清理卫生死角578处、小广告……
            parts.append(f"{category}方面，{listed}" if category else listed)
    if money and money[0].item not in {"投入资金", "投入"}:
        parts.append(f"各单位累计{money[0].item}{_about(money[0].total)}")
    if parts:
        out.append("；".join(parts) + "。")
    return out


def _type_rank(kind: str) -> int:
    """Where a unit type stands in the roll-up's lists (words.yaml's ``types``)."""
    order: list[str] = words()["types"]
    return order.index(kind) if kind in order else len(order)


def _types(units: Sequence[UnitSummary]) -> list[TypeRow]:
    by_type: dict[str, list[UnitSummary]] = defaultdict(list)
    for summary in units:
        by_type[summary.type].append(summary)
    rows = []
    for kind in sorted(by_type, key=_type_rank):
        group = by_type[kind]
        people = _person_times([p for s in group for p in s.participants])
        rows.append(TypeRow(kind, len(group), sum(s.activities for s in group), _cell(people, "人次"),
                            _cell(_person_times([v for s in group for v in s.volunteers]), "人次"),
                            list(sum_amounts(("", a) for a in people).values())))
    return rows


def _types_lead(types: Sequence[TypeRow]) -> str:
    """The sentence before the types' table: the two types most people took part in."""
    ranked = sorted((t for t in types if t.said), key=lambda t: -sum(a.value for a in t.people))
    if len(ranked) < 3:
        return ""
    first, second = ranked[:2]
    return f"从单位类型看，{first.type}和{second.type}参与人次最多，分别为{first.said}和{second.said}。"



def _bars(accepted: Sequence[UnitVerdict], summaries: dict[str, UnitSummary], district: District | None,
          system: str) -> tuple[list[str], int]:
    """The 测评体系 across units: each bar with the units it applies to, those below it named; and
    how many units are below the volunteer bar."""
    bar = (district.indicators if district else Indicators()).volunteer_share
    shown = format(bar.normalize(), "f")
    out = []
    counted = [(u, s) for u in accepted for f in u.files if (s := summaries.get(f.path)) is not None]
    shares = [(u.name, Decimal(s.volunteer_share)) for u, s in counted if s.volunteer_share is not None]
    below = [n for n, value in shares if value < bar]
    kinds = sorted({s.type for _, s in counted if s.volunteer_share is not None}, key=_type_rank)
    others = sorted({s.type for _, s in counted if s.volunteer_share is None} - set(kinds), key=_type_rank)
    aside = f"（{'、'.join(others)}不适用此项指标）" if others else ""
    if shares and len(shares) <= int(words()["named"]):
        values = "、".join(f"{format(v.normalize(), 'f')}%" for _, v in shares)
        text = f"{named([n for n, _ in shares])}注册志愿者占常住人口的比例分别为{values}"
        out.append(text + (f"，其中{named(below)}低于{shown}%{aside}。" if below
                           else f"，均达到{system}不低于{shown}%的要求{aside}。"))
    elif shares:
        met = len(shares) - len(below)
        among = f"{len(shares)}个{'、'.join(kinds)}中，" if others else f"审核通过的{len(shares)}个单位中，"
        out.append(f"{among}{met}个单位注册志愿者占常住人口的比例达到{system}不低于{shown}%的要求，"
                   f"{named(below)}尚未达到。" if below else
                   f"{among.rstrip('中，')}注册志愿者占常住人口的比例均达到{system}不低于{shown}%的要求。")
    codes = {u.name: {d.code for f in u.files for d in f.diagnostics} for u in accepted}
    if accepted and (not district or district.indicators.publicity_every_quarter):
        gaps = [n for n, c in codes.items() if "CC302" in c]
        out.append(f"{len(accepted) - len(gaps)}个单位各季度均开展了宣传发动活动，{named(gaps)}有的季度没有宣传活动。"
                   if gaps else f"{_all(len(accepted))}各季度均开展了宣传发动活动。")
    gaps = [n for n, c in codes.items() if "CC303" in c]
    if gaps:
        out.append(f"{named(gaps)}的总结缺少组织领导、宣传发动、环境整治、志愿服务、基础设施、道德建设中的某些方面。")
    return out, len(below)


def _all(n: int) -> str:
    return f"{n}个单位" if n > 2 else "各单位"


def _highlights(units: Sequence[tuple[str, UnitSummary]]) -> list[tuple[str, str]]:
    """典型经验: one activity per unit, most people first, each new one the least like those chosen
    (the words it shares with them), unit types taken in turn; in the third person."""
    candidates = [(Decimal(people), name, summary, text, grams(text)) for name, summary in units
                  for _, text, people in summary.highlights[:1]]
    candidates.sort(key=lambda c: -c[0])  # most people first: the first of equals wins below
    chosen: list[tuple[str, UnitSummary, str]] = []
    said: set[str] = set()
    types: set[str] = set()
    limit = int(words()["highlights"])
    while candidates and len(chosen) < limit:
        best = max(candidates, key=lambda c: (c[2].type not in types, len(c[4] - said) / max(len(c[4]), 1)))
        candidates.remove(best)
        if chosen and len(best[4] - said) < len(best[4]) / 2:
            break  # the rest mostly repeat what is told: fewer examples, not the same one twice
        _, name, summary, text, mine = best
        chosen.append((name, summary, text))
        said |= mine
        types.add(summary.type)
    order = {id(summary): i for i, (_, summary) in enumerate(units)}
    chosen.sort(key=lambda c: order[id(c[1])])  # in the order of the unit table
    return [(name, third_person(text, _itself(name, summary.subject), summary.subject))
            for name, summary, text in chosen]


def _itself(name: str, subject: str) -> str:
    """How a paragraph under the unit's name refers to it: 我校 → 该校, 社区 → 该社区, else its name."""
    if subject.startswith(("我", "本")):
        return in_third_person(subject)
    return f"该{subject}" if subject else name


def _problems(items: Sequence[tuple[str, str]], kinds: dict[str, str], limit: int) -> list[str]:
    """存在的问题: the problems units share, drawn together by their words, most units first; each
    named by its theme when one fits (``群众参与创建的主动性还不够强``), then told in the words of
    one unit of each type (every unit is credited only with what it wrote), the others named in a
    bracket."""
    groups = drawn_members(items, 0.2)
    pool: list[tuple[str, list[tuple[str, str]]]] = []  # (theme or "", members): groups of one theme told as one
    of_theme: dict[str, list[tuple[str, str]]] = {}
    for members in groups:
        theme = theme_of([t for _, t in members])
        if theme in of_theme:
            heard_here = {u for u, _ in of_theme[theme]}
            of_theme[theme] += [m for m in members if m[0] not in heard_here]
            continue
        pool.append((theme, members))
        if theme:
            of_theme[theme] = members
    pool.sort(key=lambda kv: -len(kv[1]))
    chosen: list[tuple[str, list[tuple[str, str]]]] = []
    heard: set[str] = set()
    while pool and len(chosen) < limit:  # most units first; among equals, units not yet heard
        best = max(pool, key=lambda g: (len(g[1]), not heard & {u for u, _ in g[1]}))
        pool.remove(best)
        chosen.append(best)
        heard |= {u for u, _ in best[1]}
    out = []
    for theme, members in chosen:
        told: list[tuple[str, str]] = []
        for unit, text in members:  # one unit of each type, at most three
            if len(told) < 3 and all(kinds.get(unit) != kinds.get(u) for u, _ in told):
                told.append((unit, text))
        said = "；".join(first_sentence(third_person(text, _place(unit), "")).replace("；", "，")
                        for unit, text in told)
        units = [u for u, _ in members]
        if len(units) == len(kinds) > 2:
            said += f"（{len(units)}个单位均有反映）"
        elif len(units) > len(told):
            said += f"（{named(units)}）" if len(units) > int(words()["named"]) else f"（{'、'.join(units)}）"
        out.append(f"{theme}。{said}" if theme else said)
    return out


def _place(unit: str) -> str:
    """A unit as the place its problems are in: 石城街道办事处 → 石城街道 (the office is not the territory)."""
    return unit.removesuffix("办事处") if len(unit) > 5 else unit


def _plans(items: Sequence[tuple[str, str]], kinds: dict[str, str], limit: int) -> list[str]:
    """The units' plans as steps the district office pushes (``推动官塘社区、桃源村……``), the most
    widely shared first, in the first unit's words without its own subject."""
    out: list[str] = []
    kinds_told: set[str] = set()
    for members in drawn_members(items, 0.5):
        if len(out) >= limit:
            break
        unit, text = members[0]
        if kinds.get(unit, "") in kinds_told:
            continue  # one plan a type of unit: the villages' three plans are not the district's three steps
        kinds_told.add(kinds.get(unit, ""))
        plan = third_person(first_sentence(text), unit, "").removeprefix(unit)
        plan = plan.removeprefix("将").removeprefix("要").lstrip("，")
        out.append(f"推动{named([u for u, _ in members])}{plan}")
    return out


def _next_steps(district: District | None, plans: list[str], chase: str, below: int, system: str) -> list[str]:
    """下一步: the units still to come first, then the district file's steps, else the office's own
    (a self-check against the 测评体系, the units below the volunteer bar) and the units' plans."""
    steps = [chase] if chase else []
    if district and district.next_steps:
        return steps + list(district.next_steps)
    steps.append(str(words()["self_check"]).format(system=system))
    if below:
        bar = format((district.indicators if district else Indicators()).volunteer_share.normalize(), "f")
        steps.append(str(words()["volunteer_step"]).format(bar=bar, units=f"{below}个单位"))
    return steps + plans[: max(0, int(words()["next_points"]) - len(steps) + bool(chase))]


def build_district_view(result: BatchResult, district: District | None, today: dt.date | None = None,
                        names: Names | None = None) -> DistrictView:
    """Compute the roll-up from the units' summaries (fresh or cached), their verdicts and the district file;
    ``names``: the district's item names, when the caller reads the units' items too (the workbook)."""
    units = result.summaries
    today = today or dt.date.today()
    verdicts = result.validation.verdicts if result.validation else Verdicts([], 0)
    judged = verdicts.of_file()
    order = {u.name: i for i, u in enumerate(verdicts.units)}

    def called(s: UnitSummary) -> str:  # the roster's name (桂花社区, not 桂花社区居委会)
        return judged[s.file].name if s.file in judged else s.name

    ordered = sorted(units, key=lambda s: (order.get(called(s), len(order)), s.file))
    if names is None:  # 发放宣传单 and 发放宣传册 counted as one
        names = Names(district.synonyms if district else None)
    indicators = totals([(n, a) for _, n, a in items_of(s, names)] for s in units)
    money = [i for i in indicators if i.unit == "元"][:1]
    main = [i for i in indicators if not i.unit.endswith("元")][:MAIN_ITEMS - len(money)] + money
    rows = []
    for s in ordered:
        mine = [(n, a) for _, n, a in items_of(s, names)]
        group = judged[s.file].group if s.file in judged else ""
        rows.append(UnitRow(group, called(s), s.type, s.activities, _cell(_person_times(s.participants), "人次"),
                            _cell(_person_times(s.volunteers), "人次"),
                            [_cell([a for n, a in mine if (n, a.unit) == (i.item, i.unit)], _shown(i)) for i in main]))
    total = UnitRow("", "合计", "", sum(s.activities for s in units),
                    _cell([a for s in units for a in _person_times(s.participants)], "人次"),
                    _cell([a for s in units for a in _person_times(s.volunteers)], "人次"),
                    [_cell([i.total], _shown(i)) for i in main]) if len(units) > 1 else None
    name = district.name if district else result.folder.name
    period = (district.period.name if district else
              period_label(dt.date.fromisoformat(units[0].period[0]), dt.date.fromisoformat(units[0].period[1]))
              if units else "")
    goal = district.goal if district else "全国文明城市"
    counts = verdicts.counts()
    accepted = [u for u in verdicts.units if u.accepted]
    everyone = len(accepted) == verdicts.roster or not verdicts.roster  # 全区N个单位, or 审核通过的N个
    summaries = {s.file: s for s in units}
    problems = [(called(s), p) for s in ordered for p in s.problems]

    def listed(verdict_set: set[str]) -> str:  # every unit up to ten, else the first few and 等N个
        found = [u.name for u in verdicts.units if u.entry is not None and u.verdict in verdict_set]
        return named(found, cap=len(found) if len(found) <= 10 else None) if found else ""

    missing, twice = listed({MISSING}), listed({DUPLICATE})
    back, unread = listed(set(SENT_BACK - {DUPLICATE, UNREADABLE})), listed({UNREADABLE})
    chase = "，".join([f"督促{missing}尽快补报"] * bool(missing) + [f"通知{twice}确认报送版本"] * bool(twice)
                     + [f"指导{back}按审核意见修改"] * bool(back) + [f"要求{unread}按规定格式重新报送"] * bool(unread))
    system = f"《{goal}测评体系》"
    types = _types(units)
    bars, below = _bars(accepted, summaries, district, system)
    kinds = {called(s): s.type for s in ordered}
    plans = _plans([(called(s), p) for s in ordered for p in s.next_steps], kinds, int(words()["next_points"]))
    steps = _next_steps(district, plans, chase + "，报齐后及时补报汇总情况" if chase else "", below, system)
    signer = signer_of(district, name)
    signed = district.signoff.date if district and district.signoff.date else today
    opening = str(words()["opening"]).format(period=period, goal=goal)
    return DistrictView(
        title=f"{name}{period}创建{goal}工作情况汇总报告",
        district=name, period=period, goal=goal, signer=signer, signed_on=cn_date(signed),
        addressee=str(words()["addressee"]), closing=str(words()["closing"]),
        problems_lead="从各单位的总结看，创建工作还存在一些问题和薄弱环节：",
        expected=verdicts.roster,
        submitted=verdicts.roster - counts[MISSING] if verdicts.roster else len(verdicts.units),
        valid=len(units), counts=counts, opening=opening,
        submission=_submission(verdicts, period, overdue=bool(district and today > district.deadline)),
        results=_results(units, names, indicators, everyone)
        if units else [],
        types=types,
        types_lead=_types_lead(types),
        bars=bars,
        highlights=_highlights([(called(s), s) for s in ordered]),
        problems=numbered(_problems(problems, kinds, int(words()["problem_points"])))
        if problems else [],
        next_steps=(numbered([clause(s) for s in steps]) if len(steps) > 1 else
                    [f"{words()['next_one']}{clause(steps[0])}。"] if steps else []),
        next_lead=str(words()["next_lead"]) if len(steps) > 1 else "",
        main_items=[f"{i.item}（{_shown(i)}）" for i in main],
        units=rows, total=total, indicators=indicators,
        everyone=everyone,
    )
