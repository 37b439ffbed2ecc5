"""Dates in three forms, period names, and the Chinese typography helpers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuangcheng.load.dates import (
    DateError,
    DateOverLimit,
    EmptyDate,
    cn_date,
    cn_date_range,
    parse_date,
    period_label,
    year_for,
)
from chuangcheng.write.typography import cn_number, join_list, points, sentence, text_width, tidy

H1 = (date(2026, 1, 1), date(2026, 6, 30))


@pytest.mark.parametrize("text", ["2026-03-05", "2026年3月5日", "3月5日", "2026/3/5", "2026.03.05",
                                  "２０２６年３月５日", "2026 年 3 月 5 日"])
def test_date_forms(text: str) -> None:
    assert parse_date(text, H1) == date(2026, 3, 5)


def test_short_date_takes_the_year_inside_a_period_over_new_year() -> None:
    winter = (date(2025, 10, 1), date(2026, 3, 31))
    assert parse_date("12月20日", winter) == date(2025, 12, 20)
    assert parse_date("1月5日", winter) == date(2026, 1, 5)


@pytest.mark.parametrize(("text", "message"), [
    ("2月30日", "这一天不存在"), ("下周三", "不是有效日期"), ("2026-13-01", "这一天不存在")])
def test_date_errors(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(text, H1)


@pytest.mark.parametrize(("raw", "error", "message"), [
    ("9999-12-31", DateOverLimit, "2000 年至 2100 年"),
    ("0001-01-01", DateOverLimit, "2000 年至 2100 年"),
    ("0000-01-01", DateOverLimit, "2000 年至 2100 年"),
    ("2101年1月1日", DateOverLimit, "2000 年至 2100 年"),
    (date(1999, 12, 31), DateOverLimit, "1999-12-31"),
    (None, EmptyDate, "没有写日期"),
    ("", EmptyDate, "没有写日期"),
    (["2026-03-05"], DateError, "“\\[2026-03-05\\]”不是日期"),
    ({"a": "b"}, DateError, "“{a: b}”不是日期"),
])
def test_dates_beyond_the_limits_or_not_dates(raw: object, error: type[DateError], message: str) -> None:
    """Years far off are an error before any date arithmetic can overflow; no Python repr in a message."""
    with pytest.raises(error, match=message) as info:
        parse_date(raw, H1)
    assert "None" not in str(info.value) and "'" not in str(info.value)


@pytest.mark.parametrize(("month", "day", "start", "end", "year"), [
    (3, 5, date(2000, 1, 1), date(2100, 12, 31), 2000),
    (1, 5, date(2025, 10, 1), date(2026, 3, 31), 2026),
    (12, 5, date(2025, 10, 1), date(2026, 3, 31), 2025),
    (2, 29, date(2025, 1, 1), date(2029, 12, 31), 2028),   # the next leap year inside the period
    (2, 29, date(2025, 1, 1), date(2027, 12, 31), 2025),   # none inside: the start's year (then 这一天不存在)
    (7, 1, date(2026, 1, 1), date(2026, 6, 30), 2026),     # outside: the start's year (then CC204)
    (2, 30, date(2026, 1, 1), date(2030, 6, 30), 2026),
])
def test_year_for(month: int, day: int, start: date, end: date, year: int) -> None:
    assert year_for(month, day, start, end) == year


def test_year_for_tries_a_few_years_whatever_the_period(monkeypatch: pytest.MonkeyPatch) -> None:
    """A period over decades with thousands of short dates costs a few tries per date, not one per year."""
    import chuangcheng.load.dates as dates

    made = []

    class Counting(date):
        def __new__(cls, *args: int) -> Counting:
            made.append(args)
            return super().__new__(cls, *args)

    monkeypatch.setattr(dates, "date", Counting)
    assert year_for(1, 1, date(2000, 6, 1), date(2100, 12, 31)) == 2001
    assert year_for(2, 29, date(2001, 3, 1), date(2100, 12, 31)) == 2004
    assert year_for(2, 30, date(2000, 1, 1), date(2100, 12, 31)) == 2000  # no such day in any year
    assert len(made) <= 1 + 4 + 9


def test_short_date_needs_a_period() -> None:
    with pytest.raises(DateError, match="缺少年份"):
        parse_date("3月5日")


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_cn_date_round_trip(day: date) -> None:
    text = cn_date(day)
    assert "年0" not in text and "月0" not in text
    assert parse_date(text) == day


def test_date_ranges() -> None:
    assert cn_date_range(date(2026, 3, 1), date(2026, 3, 31), False) == "3月1日至31日"
    assert cn_date_range(date(2026, 3, 25), date(2026, 4, 5), False) == "3月25日至4月5日"
    assert cn_date_range(date(2025, 12, 25), date(2026, 1, 5), True) == "2025年12月25日至2026年1月5日"
    assert cn_date_range(date(2026, 3, 5), None, False) == "3月5日"


@pytest.mark.parametrize(("start", "end", "label"), [
    ((2026, 1, 1), (2026, 6, 30), "2026年上半年"),
    ((2026, 7, 1), (2026, 12, 31), "2026年下半年"),
    ((2026, 1, 1), (2026, 12, 31), "2026年"),
    ((2026, 4, 1), (2026, 6, 30), "2026年第二季度"),
    ((2026, 3, 1), (2026, 3, 31), "2026年3月"),
    ((2026, 3, 1), (2026, 5, 31), "2026年3月至5月"),
    ((2026, 3, 5), (2026, 5, 20), "2026年3月5日至2026年5月20日"),
])
def test_period_labels(start: tuple[int, int, int], end: tuple[int, int, int], label: str) -> None:
    assert period_label(date(*start), date(*end)) == label


def test_tidy_makes_punctuation_full_width_next_to_chinese() -> None:
    assert tidy('社区组织志愿者, 发放"倡议书"; 共 30 人') == "社区组织志愿者，发放“倡议书”；共30人"
    assert tidy("时间 12:30, version 1.5") == "时间12:30, version 1.5"


def test_sentence_and_points() -> None:
    assert sentence("加强组织领导；") == "加强组织领导。"
    assert sentence("是否达标？") == "是否达标？"
    assert points(["加强领导。", "完善机制", "营造氛围；"]) == "一是加强领导；二是完善机制；三是营造氛围。"
    assert points(["加强领导"]) == "加强领导。"


def test_join_list() -> None:
    assert join_list(["文明劝导队", "义务巡逻队"]) == "文明劝导队、义务巡逻队"
    assert join_list(["周调度、月总结", "网格员包楼栋"]) == "“周调度、月总结”“网格员包楼栋”"


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九")])
def test_cn_number(n: int, text: str) -> None:
    assert cn_number(n) == text


def test_text_width() -> None:
    assert text_width("2026年7月5日") == 6
