"""Dates as units write them (``2026-03-05``, ``2026年3月5日``, ``3月5日``, and at any precision:
``3月上旬``, ``一季度``, ``上半年``) and as reports print them."""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..limits import MAX_YEAR, MIN_YEAR
from ..read.yamltree import as_written

_FULL = re.compile(r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*|年\s*(\d{1,2})\s*月\s*)(\d{1,2})\s*日?")
_SHORT = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日?")


class DateError(ValueError):
    """A date that cannot be understood; the message says what to write instead."""


class EmptyDate(DateError):
    """No date where one belongs (rule CC104)."""


class DateOverLimit(DateError):
    """A date outside the years :mod:`chuangcheng.limits` admits (rule CC110)."""


def parse_date(raw: object, within: tuple[date, date] | None = None) -> date:
    """Parse a date; ``3月5日`` takes the year that puts it inside ``within`` (the period).

    Raises :class:`DateError` with a Chinese message.
    """
    if isinstance(raw, date):
        return _in_years(raw, raw.isoformat())
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise EmptyDate("没有写日期：应写作 2026-03-05、2026年3月5日 或 3月5日")
    if not isinstance(raw, str):
        raise DateError(f"“{as_written(raw)}”不是日期：只写一个日期，如 2026-03-05")
    text = unicodedata.normalize("NFKC", raw).strip()
    match = _FULL.fullmatch(text)
    if match:
        year, month, day = int(match[1]), int(match[2] or match[3]), int(match[4])
    else:
        short = _SHORT.fullmatch(text)
        if not short:
            raise DateError(f"“{as_written(text)}”不是有效日期，应写作 2026-03-05、2026年3月5日 或 3月5日")
        if within is None:
            raise DateError(f"“{text}”缺少年份，请写作 2026-03-05 或 2026年3月5日")
        month, day = int(short[1]), int(short[2])
        year = year_for(month, day, *within)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateOverLimit(f"“{text}”超出限制：日期应在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间，请核对年份")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"“{text}”这一天不存在，请核对月份和日期") from None


def _in_years(value: date, text: str) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise DateOverLimit(f"“{text}”超出限制：日期应在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间，请核对年份")
    return value


def year_for(month: int, day: int, start: date, end: date) -> int:
    """The year that puts ``month``/``day`` inside ``start``..``end`` (the start's year if none does).

    Only the first year whose ``month``/``day`` falls on or after ``start`` can (or, for 2月29日, the
    next leap years): a few tries whatever the period's length.
    """
    first = start.year if (month, day) >= (start.month, start.day) else start.year + 1
    for year in range(first, min(first + 8, end.year) + 1):  # a leap day comes within 8 years
        try:
            day_of = date(year, month, day)
        except ValueError:
            continue
        return year if day_of <= end else start.year
    return start.year


def cn_date(value: date, with_year: bool = True) -> str:
    """``2026年3月5日`` (no leading zeros), or ``3月5日``."""
    text = f"{value.month}月{value.day}日"
    return f"{value.year}年{text}" if with_year else text


def cn_date_range(start: date, end: date | None, with_year: bool = True) -> str:
    """``3月1日至31日``, ``3月25日至4月5日``, or one date when there is no end."""
    if end is None or end == start:
        return cn_date(start, with_year)
    first = cn_date(start, with_year)
    if end.year != start.year:
        return f"{first}至{cn_date(end, True)}"
    if end.month != start.month:
        return f"{first}至{end.month}月{end.day}日"
    return f"{first}至{end.day}日"


def period_label(start: date, end: date) -> str:
    """A period's name from its dates: ``2026年上半年``, ``2026年第一季度``, ``2026年3月`` …"""
    from calendar import monthrange

    whole_months = start.day == 1 and end.day == monthrange(end.year, end.month)[1]
    if whole_months and start.year == end.year:
        y, m1, m2 = start.year, start.month, end.month
        named = {(1, 12): "", (1, 6): "上半年", (7, 12): "下半年",
                 (1, 3): "第一季度", (4, 6): "第二季度", (7, 9): "第三季度", (10, 12): "第四季度"}
        if (m1, m2) in named:
            return f"{y}年{named[(m1, m2)]}"
        return f"{y}年{m1}月" if m1 == m2 else f"{y}年{m1}月至{m2}月"
    if whole_months:
        return f"{start.year}年{start.month}月至{end.year}年{end.month}月"
    return f"{cn_date(start)}至{cn_date(end)}"


Precision = Literal["day", "tenday", "month", "quarter", "half", "year"]
_TENDAYS = {"上旬": (1, 10), "初": (1, 10), "中旬": (11, 20), "下旬": (21, 31), "底": (21, 31), "末": (21, 31)}
_TENDAY_NAMES = {1: "上旬", 11: "中旬", 21: "下旬"}
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12, "正": 1, "腊": 12}
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_NAMES = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
_YEAR = r"(?:(?P<year>\d{4})\s*年\s*(?:的)?)?"
_MONTH = r"(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九正腊])\s*月\s*份?"
_FUZZY = [
    ("tenday", re.compile(_YEAR + _MONTH + r"\s*(?P<part>上旬|中旬|下旬|初|底|末)")),
    ("month", re.compile(_YEAR + _MONTH)),
    ("quarter", re.compile(_YEAR + r"第?\s*(?P<quarter>[一二三四1-4])\s*季度")),
    ("half", re.compile(_YEAR + r"(?P<half>上|下)\s*半年")),
    ("year", re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<whole>全年|年内|全年度)|(?P<year_only>\d{4})\s*年(?:度)?")),
]


@dataclass(frozen=True)
class When:
    """A date as precise as the unit knows it: the days it may stand for (``first``..``last``) and
    how it is printed (``3月5日``, ``3月上旬``, ``3月``, ``一季度``, ``上半年``, ``全年``)."""

    first: date
    last: date
    precision: Precision = "day"
    since: bool = False  # "6月以来": from then to the end of the period

    @classmethod
    def on(cls, day: date) -> When:
        return cls(day, day, "day")

    @property
    def day(self) -> date | None:
        """The exact day, when the unit gave one."""
        return self.first if self.precision == "day" and not self.since else None

    def text(self, with_year: bool = True) -> str:
        """The date as a report writes it, never more precise than it was given."""
        return self._text(with_year) + ("以来" if self.since else "")

    def _text(self, with_year: bool) -> str:
        year = f"{self.first.year}年" if with_year else ""
        if self.precision == "day":
            return cn_date(self.first, with_year)
        if self.precision == "tenday":
            return f"{year}{self.first.month}月{_TENDAY_NAMES[self.first.day]}"
        if self.precision == "month":
            return f"{year}{self.first.month}月"
        if self.precision == "quarter":
            return f"{year}{_QUARTER_NAMES[(self.first.month - 1) // 3 + 1]}"
        if self.precision == "half":
            return f"{year}{'上' if self.first.month == 1 else '下'}半年"
        return f"{self.first.year}年" if with_year else "全年"

    def isoformat(self) -> str:
        """``2026-03-05``, or ``2026-03-01/2026-03-10`` for a span."""
        return self.first.isoformat() if self.first == self.last else f"{self.first}/{self.last}"

    def __str__(self) -> str:
        return self.text()


def _month_days(year: int, first_month: int, last_month: int) -> tuple[date, date]:
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def _span(kind: str, match: re.Match[str], year: int) -> tuple[date, date]:
    """The first and last day a fuzzy date stands for in ``year``."""
    if kind in ("tenday", "month"):
        raw = match["month"]
        month = int(raw) if raw.isdigit() else _CN_MONTHS[raw]
        first, last = _month_days(year, month, month)
        if kind == "tenday":
            low, high = _TENDAYS[match["part"]]
            return first.replace(day=low), last.replace(day=min(high, last.day))
        return first, last
    if kind == "quarter":
        q = _QUARTERS[match["quarter"]]
        return _month_days(year, q * 3 - 2, q * 3)
    if kind == "half":
        return _month_days(year, 1, 6) if match["half"] == "上" else _month_days(year, 7, 12)
    return _month_days(year, 1, 12)


def _fuzzy_year(kind: str, match: re.Match[str], within: tuple[date, date] | None, text: str) -> int:
    written = match["year"] or (match.groupdict().get("year_only"))
    if written:
        return int(written)
    if within is None:
        raise DateError(f"“{text}”缺少年份，请写作 2026年{text}")
    for year in range(within[0].year, within[1].year + 1):  # the first year whose span meets the period
        first, last = _span(kind, match, year)
        if first <= within[1] and last >= within[0]:
            return year
    return within[0].year


def parse_when(raw: object, within: tuple[date, date] | None = None) -> When:
    """Parse a date of any precision FORMAT.md admits; exact dates as :func:`parse_date` does.

    Raises :class:`DateError` with a Chinese message.
    """
    if isinstance(raw, When):
        return raw
    day = isinstance(raw, str) and (_FULL.fullmatch(raw.strip()) or _SHORT.fullmatch(raw.strip()))
    if isinstance(raw, date) or day:
        return When.on(parse_date(raw, within))  # the common case first: a day
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().rstrip("，。,.")
        since = text.endswith(("以来", "起"))
        text = re.sub(r"(?:以来|起|期间)$", "", text).strip()
        if since and within is not None:
            start = parse_when(text, within)
            return When(start.first, max(start.last, within[1]), start.precision, since=True)
        for kind, pattern in _FUZZY:
            match = pattern.fullmatch(text)
            if match:
                if kind == "year" and not match.groupdict().get("whole") and not match["year_only"]:
                    break
                year = _fuzzy_year(kind, match, within, text)
                if not MIN_YEAR <= year <= MAX_YEAR:
                    raise DateOverLimit(f"“{text}”超出限制：日期应在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间，请核对年份")
                first, last = _span(kind, match, year)
                return When(first, last, kind)  # type: ignore[arg-type]  # kind is a Precision by _FUZZY
    try:
        return When.on(parse_date(raw, within))
    except DateError as exc:
        if isinstance(exc, (EmptyDate, DateOverLimit)) or "不是有效日期" not in str(exc):
            raise
        shown = as_written(raw)
        raise DateError(f"“{shown}”不是有效日期，应写作 2026-03-05、3月5日、3月、3月上旬、一季度 或 上半年；"
                        "不知道日期就不写") from None


@functools.lru_cache(maxsize=4096)
def when_range(start: When, end: When | None, with_year: bool = True) -> str:
    """``3月5日``, ``3月1日至31日``, ``3月上旬至4月``, ``一季度至二季度`` …"""
    if end is None or end == start or start.since:
        return start.text(with_year)
    if start.precision == end.precision == "day":
        return cn_date_range(start.first, end.first, with_year)
    later = end.text(with_year and end.first.year != start.first.year)
    return f"{start.text(with_year)}至{later}"
