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

from ..check.verdicts import ACCEPTED, DUPLICATE, MISSING, SENT_BACK, UNLISTED, VERDICTS, UnitVerdict, Verdicts
from ..load.amounts import Amount, sum_amounts
from ..load.dates import cn_date, period_label
from ..load.models import District
from ..write.prose import item_list, people_times
from ..write.typography import clause
from .batch import BatchResult, UnitSummary
from .indicators import Indicator, Names, amount_of, items_of, totals
from .writing import drawn_together, first_sentence, grams, named, numbered, signer_of, third_person, words

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
    participants: str
    volunteers: str


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
    main_items: list[str] = field(default_factory=list)  # the unit table's item columns
    units: list[UnitRow] = field(default_factory=list)
    total: UnitRow | None = None  # the unit table's 合计 row
    indicators: list[Indicator] = field(default_factory=list)  # every item as counted, most reported first
    everyone: bool = True  # every roster unit was accepted


def _people(values: Sequence[tuple[str, str, str]]) -> str:
    """People summed over events, as person-times (人 and 名 become 人次)."""
    return "、".join(str(a) for a in sum_amounts(("", a) for a in _person_times(values)).values())


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


def _submission(verdicts: Verdicts, period: str) -> list[str]:
    """报送情况: counts that add up to the roster, the units concerned named."""
    counts = verdicts.counts()
    by: dict[str, list[str]] = defaultdict(list)
    for unit in verdicts.units:
        by[unit.verdict].append(unit.name)
    accepted = sum(counts[v] for v in ACCEPTED)
    back = [(v, counts[v]) for v in VERDICTS if counts[v] and v in SENT_BACK]
    if verdicts.roster:
        sent = verdicts.roster - counts[MISSING]
        text = f"{period}，全区应报送创建工作总结的单位{verdicts.roster}个，已报送{sent}个"
    else:
        sent = len(verdicts.units)
        text = f"{period}，共收到{sent}个单位的创建工作总结"
    text += "，经审核全部通过" if accepted == sent and sent else f"，其中经审核通过的{accepted}个"
    if back:
        reasons = "、".join(f"{words()['reasons'].get(v, v)}{n}个" for v, n in back)
        text += f"，退回{sum(n for _, n in back)}个" + (f"（{reasons}）" if len(back) > 1 or back[0][0] != "退回修改"
                                                       else "")
    if counts[MISSING]:
        text += f"；尚未报送{counts[MISSING]}个"
    out = [text + "。"]
    names = [f"{words()['reasons'].get(v, v)}的有{named(by[v])}" for v, _ in back]  # as the bracket says
    if names:
        many = sum(n for _, n in back) > 1
        out.append("；".join(names) + f"，{'以上单位' if many else '该单位'}的总结未纳入本次汇总。")
    if counts[MISSING]:
        out.append(f"尚未报送的有{named(by[MISSING])}。")
    if counts[UNLISTED]:
        out.append(f"另收到不在单位名单上的{named(by[UNLISTED])}报送的总结{counts[UNLISTED]}份，未纳入汇总。")
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
    head += f"投入资金{money[0].total}，" if money and money[0].item in {"投入资金", "投入"} else ""
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
            listed = item_list([(i.item, str(i.total)) for i in found])  # 清理卫生死角578处、小广告……
            parts.append(f"{category}方面，{listed}" if category else listed)
    if money and money[0].item not in {"投入资金", "投入"}:
        parts.append(f"各单位累计{money[0].item}{money[0].total}")
    if parts:
        out.append("；".join(parts) + "。")
    return out


def _types(units: Sequence[UnitSummary]) -> list[TypeRow]:
    by_type: dict[str, list[UnitSummary]] = defaultdict(list)
    for summary in units:
        by_type[summary.type].append(summary)
    order = {t: i for i, t in enumerate(words()["types"])}
    return [TypeRow(kind, len(group), sum(s.activities for s in group),
                    _people([p for s in group for p in s.participants]) or "—",
                    _people([v for s in group for v in s.volunteers]) or "—")
            for kind, group in sorted(by_type.items(), key=lambda kv: order.get(kv[0], len(order)))]


def _bars(accepted: Sequence[UnitVerdict], summaries: dict[str, UnitSummary], district: District | None) -> list[str]:
    """The 测评体系 across units: each bar with the units it applies to, those below it named."""
    bar = district.indicators.volunteer_share if district else Decimal(8)
    shown = format(bar.normalize(), "f")
    out = []
    shares = [(u.name, Decimal(s.volunteer_share)) for u in accepted for f in u.files
              if (s := summaries.get(f.path)) is not None and s.volunteer_share is not None]
    below = [n for n, value in shares if value < bar]
    if shares and len(shares) <= int(words()["named"]):
        values = "、".join(f"{format(v.normalize(), 'f')}%" for _, v in shares)
        text = (f"有常住人口统计的{len(shares)}个单位中，" if len(shares) < len(accepted) else "") + \
            f"{named([n for n, _ in shares])}注册志愿者占常住人口的比例分别为{values}"
        out.append(text + (f"，{named(below)}低于{shown}%。" if below else f"，均达到测评体系{shown}%以上的要求。"))
    elif shares:
        met = len(shares) - len(below)
        out.append(f"有常住人口统计的{len(shares)}个单位中，{met}个注册志愿者占常住人口的比例达到{shown}%以上，"
                   f"{named(below)}尚未达到。" if below else
                   f"{'有常住人口统计的' if len(shares) < len(accepted) else '审核通过的'}{len(shares)}个单位，"
                   f"注册志愿者占常住人口的比例均达到测评体系{shown}%以上的要求。")
    codes = {u.name: {d.code for f in u.files for d in f.diagnostics} for u in accepted}
    if accepted and (not district or district.indicators.publicity_every_quarter):
        gaps = [n for n, c in codes.items() if "CC302" in c]
        out.append(f"{len(accepted) - len(gaps)}个单位各季度均开展了宣传发动活动，{named(gaps)}有的季度没有宣传活动。"
                   if gaps else f"{_all(len(accepted))}各季度均开展了宣传发动活动。")
    gaps = [n for n, c in codes.items() if "CC303" in c]
    if gaps:
        out.append(f"{named(gaps)}的总结缺少组织领导、宣传发动、环境整治、志愿服务、基础设施、道德建设中的某些方面。")
    return out


def _all(n: int) -> str:
    return f"{n}个单位" if n > 2 else "各单位"


def _highlights(units: Sequence[tuple[str, UnitSummary]]) -> list[tuple[str, str]]:
    """典型经验: one activity per unit, most people first, each new one the least like those chosen
    (the words it shares with them), unit types taken in turn; in the third person."""
    candidates = [(Decimal(people), name, summary, text, grams(text)) for name, summary in units
                  for _, text, people in summary.highlights[:1]]
    titles = {id(summary): (summary.highlight_titles or [""])[0] for _, summary in units}
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
    return [(f"{name}：{_heading(titles[id(summary)])}" if titles[id(summary)] else name,
             third_person(text, name, summary.subject)) for name, summary, text in chosen]


def _heading(title: str) -> str:
    """An activity's title as a heading: ``“美化校园”班级实践活动``, not ``开展“美化校园”……``."""
    return title.removeprefix("开展") if len(title) > 6 else title


def _shared(items: Sequence[tuple[str, str]], limit: int, threshold: float, alike: str, common: str) -> list[str]:
    """The texts units share, drawn together (``threshold``: see :func:`.writing.drawn_together`),
    most units first. Each is told as the first unit's, with the unit as subject, and the others
    named as saying the like (``官塘社区……；石城街道办事处也反映了类似问题``): a unit is never
    credited with words it did not write."""
    groups = drawn_together(items, threshold)
    chosen: list[tuple[list[str], str]] = []
    heard: set[str] = set()
    while groups and len(chosen) < limit:  # most units first; among equals, units not yet heard
        best = max(groups, key=lambda g: (len(g[0]), not heard & set(g[0])))
        groups.remove(best)
        chosen.append(best)
        heard |= set(best[0])
    out = []
    everyone = {unit for unit, _ in items}
    for units, text in chosen:
        if len(units) > 2 and set(units) == everyone:  # every unit: said once, not 14 names
            out.append(f"{len(units)}个单位{common}，{first_sentence(text)}")
            continue
        told = first_sentence(third_person(text, units[0], ""))
        out.append(told + (f"；{named(units[1:])}{alike}" if len(units) > 1 else ""))
    return out


def build_district_view(result: BatchResult, district: District | None, today: dt.date | None = None,
                        names: Names | None = None) -> DistrictView:
    """Compute the roll-up from the units' summaries (fresh or cached), their verdicts and the district file;
    ``names``: the district's item names, when the caller reads the units' items too (the workbook)."""
    units = result.summaries
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
    steps = list(district.next_steps) if district and district.next_steps else \
        _shared([(called(s), p) for s in ordered for p in s.next_steps], int(words()["next_points"]), 0.5,
                "也有类似打算", "都提出")

    def listed(verdict_set: set[str]) -> str:  # every unit up to ten, else the first few and 等N个
        found = [u.name for u in verdicts.units if u.entry is not None and u.verdict in verdict_set]
        return named(found, cap=len(found) if len(found) <= 10 else None) if found else ""

    missing, twice = listed({MISSING}), listed({DUPLICATE})
    back = listed(set(SENT_BACK - {DUPLICATE}))
    chase = ([f"督促{missing}尽快补报"] if missing else []) + ([f"请{twice}确认以哪一份为准"] if twice else []) + (
        [f"{back}按审核意见修改后重新报送"] if back else [])
    if chase:  # the district's own first step: the units still to come
        steps.insert(0, "，".join(chase) + "，确保全区总结按要求报齐")
    signer = signer_of(district, name)
    signed = district.signoff.date if district and district.signoff.date else (today or dt.date.today())
    opening = str(words()["opening"]).format(period=period, goal=goal)
    return DistrictView(
        title=f"{name}{period}创建{goal}工作情况汇总报告",
        district=name, period=period, goal=goal, signer=signer, signed_on=cn_date(signed),
        addressee=str(words()["addressee"]), closing=str(words()["closing"]),
        problems_lead="从各单位的总结看，创建工作还存在一些问题和薄弱环节：",
        expected=verdicts.roster,
        submitted=verdicts.roster - counts[MISSING] if verdicts.roster else len(verdicts.units),
        valid=len(units), counts=counts, opening=opening,
        submission=_submission(verdicts, period),
        results=_results(units, names, indicators, everyone)
        if units else [],
        types=_types(units),
        bars=_bars(accepted, summaries, district),
        highlights=_highlights([(called(s), s) for s in ordered]),
        problems=numbered(_shared(problems, int(words()["problem_points"]), 0.12, "也反映了类似问题", "普遍反映"))
        if problems else [],
        next_steps=numbered([clause(s) for s in steps]) if steps else [],
        main_items=[f"{i.item}（{_shown(i)}）" for i in main],
        units=rows, total=total, indicators=indicators,
        everyone=everyone,
    )
