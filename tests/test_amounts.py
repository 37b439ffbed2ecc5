"""Amounts: parsing what people type, printing what reports write, and the two round-trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from chuangcheng.load.amounts import (
    Amount,
    AmountError,
    AmountOverLimit,
    EmptyAmount,
    NegativeAmount,
    format_amount,
    parse_amount,
    sum_amounts,
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "approx"),
    [
        ("10条", "10", "条", ""),
        ("3000余份", "3000", "份", "余"),
        ("2万余人次", "20000", "人次", "余"),
        ("1.5万元", "15000", "元", ""),
        ("20多万平方米", "200000", "平方米", "多"),
        ("95米", "95", "米", ""),
        ("8,900条", "8900", "条", ""),
        ("１０条", "10", "条", ""),
        ("3亿元", "300000000", "元", ""),
        ("5千米", "5", "千米", ""),
    ],
)
def test_parse(text: str, value: str, unit: str, approx: str) -> None:
    assert parse_amount(text) == Amount(Decimal(value), unit, approx)


def test_mapping_form() -> None:
    assert parse_amount({"数值": "8900", "单位": "条", "约数": "true"}) == Amount(Decimal(8900), "条", "余")
    assert parse_amount({"value": "12", "unit": "个"}) == Amount(Decimal(12), "个", "")


def test_bare_number_only_with_a_default_unit() -> None:
    assert parse_amount("500", default_unit="人次") == Amount(Decimal(500), "人次")
    with pytest.raises(AmountError, match="缺少量词"):
        parse_amount("500")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("十条", "请用阿拉伯数字"),
        ("近千人", "请用阿拉伯数字"),
        ("-5条", "不能为负数"),
        ("XX余条", "数字\\+量词"),
        ({"数值": "x", "单位": "条"}, "应为数字"),
        ({"数量": "1"}, "不认识的键"),
        ({"数值": "-1", "单位": "条"}, "不能为负数"),
    ],
)
def test_parse_errors(raw: object, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_amount(raw)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Amount(Decimal(8900), "条", "余"), "8900余条"),
        (Amount(Decimal(20000), "人次", "余"), "2万余人次"),
        (Amount(Decimal(20060), "人次", "余"), "2万余人次"),
        (Amount(Decimal(6958), "人次", "余"), "6900余人次"),
        (Amount(Decimal(1480000), "斤"), "148万斤"),
        (Amount(Decimal(15000), "元"), "1.5万元"),
        (Amount(Decimal(11800), "户"), "11800户"),
        (Amount(Decimal(200000), "平方米", "多"), "20多万平方米"),
        (Amount(Decimal("2.6"), "平方公里"), "2.6平方公里"),
        (Amount(Decimal(150000000), "元"), "1.5亿元"),
        (Amount(Decimal(45), "人"), "45人"),
    ],
)
def test_format(amount: Amount, text: str) -> None:
    assert format_amount(amount) == text


def test_sum_per_item_and_unit_keeps_first_order() -> None:
    totals = sum_amounts([
        ("发放宣传单", parse_amount("3000余份")),
        ("悬挂横幅", parse_amount("10条")),
        ("发放宣传单", parse_amount("1200份")),
        ("悬挂横幅", parse_amount("2幅")),
    ])
    assert [(k, str(v)) for k, v in totals.items()] == [
        (("发放宣传单", "份"), "4200余份"),
        (("悬挂横幅", "条"), "10条"),
        (("悬挂横幅", "幅"), "2幅"),
    ]


units = st.sampled_from(["条", "份", "人次", "元", "平方米", "米", "吨", "个", "户", "斤"])
exact = st.builds(lambda v, u: Amount(Decimal(v), u), st.integers(0, 10**10), units)
decimals = st.builds(lambda v, u: Amount(Decimal(v) / 10, u), st.integers(0, 10**6), units)
approx = st.builds(lambda v, u, a: Amount(Decimal(v), u, a), st.integers(1, 10**10), units,
                   st.sampled_from(["余", "多"]))


@given(st.one_of(exact, decimals))
def test_exact_amounts_round_trip(amount: Amount) -> None:
    assert parse_amount(format_amount(amount)) == amount


@given(approx)
def test_approximate_amounts_print_stably(amount: Amount) -> None:
    """余/多 amounts may be cut to fewer digits, but never up, and printing is idempotent."""
    text = format_amount(amount)
    again = parse_amount(text)
    assert again.value <= amount.value
    assert again.unit == amount.unit and again.approx
    assert format_amount(again) == text


@given(st.lists(st.tuples(st.sampled_from(["甲", "乙"]), exact), max_size=20))
def test_sums_match_per_key(pairs: list[tuple[str, Amount]]) -> None:
    totals = sum_amounts(pairs)
    for (item, unit), total in totals.items():
        assert total.value == sum(a.value for i, a in pairs if (i, a.unit) == (item, unit))


@pytest.mark.parametrize(
    ("raw", "error", "message"),
    [
        ("nan", AmountError, "数字\\+量词"),
        ({"数值": "nan", "单位": "条"}, AmountError, "应为数字"),
        ({"数值": "sNaN", "单位": "条"}, AmountError, "应为数字"),
        ({"数值": "inf", "单位": "条"}, AmountError, "应为数字"),
        ({"数值": "-Infinity", "单位": "条"}, AmountError, "应为数字"),
        ({"数值": "1e100000", "单位": "条"}, AmountError, "应为数字"),  # an exponent of three digits at most
        ({"数值": "1e-100000", "单位": "条"}, AmountError, "应为数字"),
        ({"数值": "1e999", "单位": "条"}, AmountOverLimit, "12 位数"),
        ({"数值": "1e-9", "单位": "条"}, AmountOverLimit, "小数最多写 4 位"),
        ({"数值": "1_000", "单位": "条"}, AmountError, "应为数字"),  # Decimal reads it; people do not write it
        ("9" * 4400 + "条", AmountOverLimit, "12 位数"),  # int() of it would refuse to print
        ("1000000000000条", AmountOverLimit, "12 位数"),
        ("0.00001条", AmountOverLimit, "小数最多写 4 位"),
        (None, EmptyAmount, "没有写数量"),
        ("  ", EmptyAmount, "没有写数量"),
        ({"单位": "条"}, EmptyAmount, "缺少“数值”"),
        ({"数值": None, "单位": "条"}, EmptyAmount, "缺少“数值”"),
        ({"数值": ["1"], "单位": "条"}, AmountError, "而不是“\\[1\\]”"),
        ({"数值": "1", "单位": {"a": "b"}}, AmountError, "而不是“{a: b}”"),
        ({"数值": "1", "单位": "条", "约数": None}, None, ""),
    ],
)
def test_numbers_that_are_no_amounts(raw: object, error: type[Exception] | None, message: str) -> None:
    """NaN, infinities, huge and tiny exponents and empty values are messages, never decimal's errors."""
    if error is None:
        assert parse_amount(raw) == Amount(Decimal(1), "条")
        return
    with pytest.raises(error, match=message) as info:
        parse_amount(raw)
    assert "None" not in str(info.value) and "'" not in str(info.value)


def test_negative_zero_is_zero() -> None:
    amount = parse_amount({"数值": "-0", "单位": "条"})
    assert amount == Amount(Decimal(0), "条") and str(amount) == "0条"
    with pytest.raises(NegativeAmount):
        parse_amount({"数值": "-0.5", "单位": "条"})


@given(st.decimals(min_value=0, max_value=Decimal(10) ** 12 - 1, places=4, allow_nan=False))
def test_every_amount_within_the_limits_prints(value: Decimal) -> None:
    text = format_amount(parse_amount({"数值": str(value), "单位": "条"}))
    assert text.endswith("条") and len(text) < 30


@given(st.integers(1, 999), st.sampled_from(["千", "百"]), units, st.sampled_from(["", "余", "多"]))
def test_thousands_and_hundreds_read_as_numbers(number: int, small: str, unit: str, mark: str) -> None:
    """3千份 is 3000 of 份, 5百人 is 500 of 人 (千米, 千克 … stay measure words); printed back,
    the amount reads the same number again."""
    assume(mark or f"{small}{unit}" not in {"千米", "千克", "千瓦", "百分点"})  # measure words (1千余米 is 1000余米)
    amount = parse_amount(f"{number}{small}{mark}{unit}")
    assert amount.value == number * (1000 if small == "千" else 100)
    assert (amount.unit, amount.approx) == (unit, mark)
    assert parse_amount(format_amount(amount)).value <= amount.value  # 余/多 may drop digits, never add
    assert parse_amount(format_amount(parse_amount(format_amount(amount)))) == parse_amount(format_amount(amount))


@given(st.integers(1, 9999), units)
def test_duo_goes_after_wan_unless_round_tens(wan: int, unit: str) -> None:
    """多 after 万 (2万多) unless the number of 万 is round tens (20多万); both read back as written."""
    text = format_amount(Amount(Decimal(wan) * 10_000, unit, "多"))
    assert text == (f"{wan}多万{unit}" if wan % 10 == 0 else f"{wan}万多{unit}")
    assert parse_amount(text) == Amount(Decimal(wan) * 10_000, unit, "多")


@pytest.mark.parametrize("text", ["3千米", "2千克", "5千瓦", "3百分点"])
def test_measure_words_that_begin_with_a_magnitude(text: str) -> None:
    assert parse_amount(text).value == int(text[0]) and parse_amount(text).unit == text[1:]
