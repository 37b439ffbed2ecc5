"""Dates as units write them (``2026-03-05``, ``2026年3月5日``, ``3月5日``) and as reports print them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

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
