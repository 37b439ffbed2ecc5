"""The checks on one loaded unit file: content (CC2xx) and the 测评体系 bars (CC3xx).

Every diagnostic points at the value it is about, down to the character when the value is
written on one line. Checks return every problem; which rules count is decided later
(:mod:`chuangcheng.validate`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path as FsPath

from pydantic import BaseModel

from ..errors import Diagnostic, Pos, Severity
from ..load.amounts import Amount
from ..load.dates import When, cn_date, cn_date_range
from ..load.loader import Loaded
from ..load.models import SECTION_KEYS, Indicators, Period, Report, resident_population
from ..load.previous import previous_problem
from ..read.images import check_picture, posix
from ..read.yamltree import Path
from .rules import RULES

_PLACEHOLDER = re.compile(
    r"20[XxＸｘ_＿]{1,2}(?=年)|20[XxＸｘ]{2}"        # 20xx年, 20_年
    r"|(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])"       # XX, xx, XXX
    r"|_{2,}|＿{2,}|某某|[＊*]{2,}|\*\s\*\s\*|□{2,}"
    r"|(?<![〇○零一二三四五六七八九十])○{2,}(?![〇○零一二三四五六七八九十年])"  # not 二○○八年
    r"|(?:^|(?<=[（(【\[]))(?:请|待)(?:填写|补充|填入)"
)
_JUNK = re.compile(
    r"小编|(?<![规示])范文|篇[0-9０-９]+|以下是.{0,30}?(?:整理|收集|精选|分享)的?|仅供参考|欢迎(?:阅读|下载|借鉴)"
    r"|文章来源|相关推荐|本文(?:由|来自)|[Ww][Oo][Rr][Dd]版|点击下载"
)
_NUMERAL = "0-9０-９零〇一二三四五六七八九十百千万亿两几余多半数上近逾每"
_MEASURES = "平方米|平米|平方公里|立方米|公里|千米|米|亩|吨|公斤|斤|万元|元|人次|条|份|盏|块|处|个|户|台|辆|棵|株|场|期"
# A number left out of a text (CC203): a measure with no numeral before it where one belongs —
# after 约/达/共/投资…, after 面积/长度…, or after a space where the number was deleted.
_NO_NUMBER = re.compile(
    rf"(?<![{_NUMERAL}.．%\s：:（(/])(?:万元|平方米|平米|平方公里|立方米|万人次)"
    rf"|(?:约|计|共|达|投资|投入|达到|超过|面积|长度|总长|全长|里程|产量)(?:{_MEASURES}|余[条份人个处])"
    r"(?=[的，。,;；、：）.\s]|$)"
    rf"|(?<=[\u4e00-\u9fff])[ \u3000]+(?:{_MEASURES})(?=[的，。,;；、：）.\s]|$)"
)
_APOSTROPHE = re.compile(r"(?<=[\u4e00-\u9fff])'|'(?=[\u4e00-\u9fff])")
_EMPTY_WORDS = {"无", "暂无", "没有", "略", "同上", "待定", "待补充", "无问题", "暂无问题", "没有问题",
                "无计划", "暂无计划", "不详"}
_PUNCT = re.compile(r"[\s。，、；：！？.,;:!?…—\-/（）()]+")
_MONEY = {"元", "美元"}
_CORE_BAR = "测评体系要求每个核心板块都有工作实绩"  # CC303
HUGE = Decimal(10_000_000)


@dataclass
class Context:
    """What a unit is checked against: the district's bars and period, and today's date."""

    today: dt.date
    indicators: Indicators = field(default_factory=Indicators)
    district_period: Period | None = None
    root: FsPath | None = None  # 上期 may not leave it: the district folder's parent


class _Checker:
    def __init__(self, loaded: Loaded[Report], context: Context) -> None:
        self.report = loaded.model
        self.places = loaded.places
        self.folder = FsPath(loaded.path).parent
        self.ledger = FsPath(loaded.path).suffix.lower() == ".xlsx"  # advice names its sheets, not the file's end
        self.context = context
        self.out: list[Diagnostic] = []
        self.population = resident_population(self.report)  # used by CC209 and CC301
        volunteering = self.report.volunteering
        self.registered = volunteering.registered if volunteering else None

    def add(self, code: str, canon: Path, message: str, *, key: bool = False, offset: int | None = None,
            severity: Severity | None = None, shown: str | None = None) -> None:
        at = self.places.at(canon, key=key, offset=offset)
        self.out.append(Diagnostic.at(self.places.file, at.pos, shown or at.field, message,
                                      severity or RULES[code].severity, code))

    def run(self) -> list[Diagnostic]:
        self.texts()
        self.activities()
        self.plausible()
        self.empty_items()
        self.indicators()
        self.period()
        self.closing_parts()
        self.previous()
        return self.out

    # CC214
    def closing_parts(self) -> None:
        for name in ("problems", "next_steps"):
            if not getattr(self.report, name):
                label = Report.model_fields[name].title
                given = name in self.report.model_fields_set
                where: Path = (name,) if given else ("signoff",) if "signoff" in self.report.model_fields_set else ()
                hint = f"（写在“{label}”表里，一条一行）" if self.ledger else "" if given else "（写在文件末尾）"
                self.add("CC214", where, f"没有写“{label}”：总结会略去这一部分，区里一般要求写，请至少写一条{hint}",
                         key=True, shown=label)

    # CC215
    def previous(self) -> None:
        written = self.report.previous
        if not written:
            return
        problem = previous_problem(self.folder, written, self.report, self.context.root)
        if problem:
            self.add("CC215", ("previous",), problem)

    # CC201, CC202, CC203, CC213: every piece of text, keys included
    def texts(self) -> None:
        for canon, text, is_key in _texts(self.report, ()):
            for match in _ANY_TEXT_RULE.finditer(text):  # one scan of each text for all four rules
                code = match.lastgroup or ""
                if is_key and code == "CC203":  # a key names an item: 绿化面积(平方米)
                    continue
                self.add(code, canon, _TEXT_MESSAGES[code].format(match[0]), key=is_key, offset=match.start())

    # CC204, CC206, CC207, CC208, CC211
    def activities(self) -> None:
        period = self.report.period
        span = cn_date_range(period.start, period.end)
        seen: dict[tuple[When | None, str], Pos] = {}
        for prefix, section in self.report.located_sections():
            for i, act in enumerate(section.activities):
                at = (*prefix, "activities", i)
                for name, when in (("date", act.date), ("end_date", act.end_date)):
                    if when is None:
                        continue
                    exact = when.precision == "day" and not when.since
                    outside = (not period.start <= when.first <= period.end if exact
                               else when.last < period.start or when.first > period.end)
                    if outside:
                        self.add("CC204", (*at, name), f"{when}不在报告期（{span}）内")
                    if when.first > self.context.today:
                        self.add("CC206", (*at, name),
                                 f"{when}晚于今天（{cn_date(self.context.today)}）：总结只写已经做过的事")
                ident = (act.date, _PUNCT.sub("", act.title))
                if ident in seen:
                    shown = f"{act.date} {act.title}" if act.date else act.title
                    self.add("CC207", at, f"与{seen[ident].words()}的活动{'同日' if act.date else ''}同名（{shown}），"
                                          "是否重复粘贴？")
                else:
                    seen[ident] = self.places.at(at).pos
                for item, amount in act.quantities.items():
                    if amount.value == 0:
                        self.add("CC208", (*at, "quantities", item), f"“{item}”的数量为 0；没有做的事项请删除")
                for name in ("participants", "volunteers"):
                    amount = getattr(act, name)
                    if amount is not None and amount.value == 0:
                        self.add("CC208", (*at, name), "人数为 0；没有就不写这一项")
                for j, photo in enumerate(act.photos):
                    file = self.folder / posix(photo)
                    problem = "不存在" if not file.exists() else check_picture(file, self.folder)
                    if problem:
                        self.add("CC211", (*at, "photos", j), f"照片“{photo}”{problem}（相对于 {self.folder}）")

    # CC208 (registered), CC209
    def plausible(self) -> None:
        population, registered = self.population, self.registered
        if registered is not None and registered.value == 0:
            self.add("CC208", ("volunteering", "registered"), "注册志愿者为 0；没有就不写这一项")
        if population is not None and registered is not None and registered.value > population.value:
            self.add("CC209", ("volunteering", "registered"),
                     f"注册志愿者 {registered} 多于常住人口 {population}，请核对")
        for prefix, section in self.report.located_sections():
            for i, act in enumerate(section.activities):
                at = (*prefix, "activities", i)
                if population is not None and population.value > 0:
                    if act.participants is not None and act.participants.value > 2 * population.value:
                        self.add("CC209", (*at, "participants"),
                                 f"参与 {act.participants}，超过常住人口 {population} 的 2 倍，请核对")
                    if act.volunteers is not None and act.volunteers.value > population.value:
                        self.add("CC209", (*at, "volunteers"),
                                 f"志愿者 {act.volunteers} 多于常住人口 {population}，请核对")
                for item, amount in act.quantities.items():
                    if amount.value >= HUGE and amount.unit not in _MONEY:
                        self.add("CC209", (*at, "quantities", item), f"“{item}”{amount}，数量上千万，请核对")

    # CC210
    def empty_items(self) -> None:
        for name, label in (("problems", "存在问题"), ("next_steps", "下一步")):
            items = getattr(self.report, name)
            for i, item in enumerate(items):
                if _PUNCT.sub("", item) in _EMPTY_WORDS:
                    self.add("CC210", (name, i), f"“{item}”不是实际内容：请如实写出{label}")

    # CC301, CC302, CC303
    def indicators(self) -> None:
        bars = self.context.indicators
        severity = Severity.ERROR if bars.as_errors else Severity.WARNING
        report = self.report
        population, registered = self.population, self.registered
        if (population is not None and population.value > 0 and registered is not None
                and registered.unit in {"人", "名"}):
            share = registered.value / population.value * 100
            if share < bars.volunteer_share:
                self.add("CC301", ("volunteering", "registered"),
                         f"注册志愿者 {registered} 占常住人口 {population} 的 {share:.1f}%，"
                         f"低于测评体系的 {_plain(bars.volunteer_share)}%", severity=severity)
        if bars.publicity_every_quarter:
            acts = report.publicity.activities if report.publicity else []
            days = sorted((a.date.first, (a.end_date or a.date).last) if a.date else (report.period.start,
                                                                                     report.period.end)
                          for a in acts)
            where: Path = ("publicity",) if report.publicity else ("period",)
            taken, latest = 0, dt.date.min  # the latest end of the activities begun so far: one pass
            for label, first, last in quarters(report.period.start, report.period.end):
                while taken < len(days) and days[taken][0] <= last:
                    latest = max(latest, days[taken][1])
                    taken += 1
                if latest < first:
                    self.add("CC302", where, f"{label}（{cn_date_range(first, last)}）没有宣传发动活动",
                             severity=severity, key=True)
        for key in bars.core_sections:
            section = getattr(report, key)
            title = Report.model_fields[key].title
            if section is not None and not section.is_empty():
                continue  # 做法 and 成效 are work too, not only dated activities
            if section is not None:
                self.add("CC303", (key,), f"“{title}”没有内容：{_CORE_BAR}，请写上活动或做法",
                         severity=severity, key=True)
                continue
            near, after = _neighbour(report, key)
            goes = f"在“{Report.model_fields[near].title}”{'之后' if after else '之前'}" if near else ""
            fix = f"请在“{title}”表里填写活动，或在“做法成效”表里写做法" if self.ledger else f"请{goes}补上"
            self.add("CC303", (near,) if near else (), f"没有“{title}”部分：{_CORE_BAR}；{fix}",
                     severity=severity, shown=title, key=True)

    # CC404
    def period(self) -> None:
        theirs = self.context.district_period
        ours = self.report.period
        if theirs is not None and (ours.start, ours.end) != (theirs.start, theirs.end):
            message = (f"报告期 {cn_date_range(ours.start, ours.end)} 与区里要求的"
                       f"{theirs.name}（{cn_date_range(theirs.start, theirs.end)}）不一致")
            self.add("CC404", ("period",), message, key=True)


_TEXT_RULES = (
    ("CC201", _PLACEHOLDER, "含有占位符“{}”：请写上实际内容"),
    ("CC202", _JUNK, "含有网页范文的字句“{}”：请删除，写本单位的实际情况"),
    ("CC203", _NO_NUMBER, "“{}”：量词前面缺少数字，请补上"),
    ("CC213", _APOSTROPHE, "中文里夹着英文撇号“{}”：请删除或改用中文引号"),
)
_ANY_TEXT_RULE = re.compile("|".join(f"(?P<{code}>{pattern.pattern})" for code, pattern, _ in _TEXT_RULES))
_TEXT_MESSAGES = {code: message for code, _, message in _TEXT_RULES}


def _neighbour(report: Report, key: str) -> tuple[str, bool]:
    """The section written nearest before ``key`` in the format's order (True), else nearest
    after it (False): where a missing section goes. ``("", True)`` when there is none."""
    at = SECTION_KEYS.index(key)
    before = [k for k in SECTION_KEYS[:at] if getattr(report, k) is not None]
    later = [k for k in SECTION_KEYS[at + 1:] if getattr(report, k) is not None]
    return (before[-1], True) if before else (later[0], False) if later else ("", True)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _texts(node: object, path: Path, out: list[tuple[Path, str, bool]] | None = None
           ) -> list[tuple[Path, str, bool]]:
    """Every string in a model with its field path; ``True`` marks a mapping's key. (A list
    filled in place: a chain of generators costs more than the regex scan itself.)"""
    out = [] if out is None else out
    if isinstance(node, BaseModel):
        for name, value in node.__dict__.items():
            if isinstance(value, str):
                out.append(((*path, name), value, False))
            elif value and isinstance(value, (BaseModel, list, dict)) and name != "photos":
                _texts(value, (*path, name), out)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, str):
                out.append(((*path, i), item, False))
            else:
                _texts(item, (*path, i), out)
    elif isinstance(node, dict):
        for key, value in node.items():
            out.append(((*path, key), key, True))
            if isinstance(value, str):
                out.append(((*path, key), value, False))
            elif not isinstance(value, Amount):
                _texts(value, (*path, key), out)
    return out


def quarters(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The calendar quarters that overlap ``start``–``end``, cut to it: (2026年第一季度, first, last)."""
    out: list[tuple[str, dt.date, dt.date]] = []
    year, q = start.year, (start.month - 1) // 3
    while True:
        first = dt.date(year, q * 3 + 1, 1)
        if first > end:
            return out
        nxt = dt.date(year + (q == 3), (q + 1) % 4 * 3 + 1, 1)
        out.append((f"{year}年第{'一二三四'[q]}季度", max(first, start), min(nxt - dt.timedelta(days=1), end)))
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)


def check_unit(loaded: Loaded[Report], context: Context) -> list[Diagnostic]:
    """Every content and indicator problem of one loaded unit file, in file order."""
    found = _Checker(loaded, context).run()
    return sorted(found, key=lambda d: d.order)
