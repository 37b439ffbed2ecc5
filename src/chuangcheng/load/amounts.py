"""Amounts: a number, an optional 余/多, and a measure word (``3000余份``, ``2万余人次``).

Parsing accepts what people type (full-width digits, ``8,900条``, ``1.5万元``,
``20多万平方米``, the mapping form); printing follows GB/T 15835: Arabic digits with
the measure word, 万/亿 for large round amounts.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from ..limits import MAX_AMOUNT_DECIMALS, MAX_AMOUNT_DIGITS
from ..read.yamltree import as_written

_MAGNITUDES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_SMALL = {"": Decimal(1), "百": Decimal(100), "千": Decimal(1000)}
_APPROX = ("余", "多")
_AMOUNT_RE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)(?P<a1>[余多])?(?P<small>[百千]?)(?P<mag>[万亿]?)(?P<a2>[余多])?(?P<unit>\D*)"
)
# Measure words that begin with 百/千: ``3千米`` is 3 of 千米, ``3千份`` is 3000 of 份.
_MEASURES_WITH_MAGNITUDE = ("千米", "千克", "千瓦", "千帕", "千卡", "千焦", "千伏", "千兆", "千字", "百分点",
                            "百分比")
_CN_DIGITS = set("零〇一二两三四五六七八九十百千万亿")
# A number as the mapping form's 数值 takes it: digits, a point, an exponent no longer than three digits.
_NUMBER = re.compile(r"-?\d{1,40}(?:\.\d{1,40})?(?:[eE][-+]?\d{1,3})?")
_TRUE = {"true", "yes", "y", "是", "对", "余", "多", "1"}
_FALSE = {"false", "no", "n", "否", "不", "0", ""}


class AmountError(ValueError):
    """An amount that cannot be understood; the message says what to write instead."""


class NegativeAmount(AmountError):
    """A negative amount: understood, but no report counts below zero (rule CC208)."""


class EmptyAmount(AmountError):
    """No amount at all where one belongs (rule CC104)."""


class AmountOverLimit(AmountError):
    """An amount too large or too finely divided to be real (rule CC110, :mod:`chuangcheng.limits`)."""


_LARGEST = Decimal(10) ** MAX_AMOUNT_DIGITS


def _checked(value: Decimal) -> Decimal:
    """``value`` when it is a number a report can print, as ``0`` for ``-0``; else :class:`AmountError`."""
    if not value.is_finite():
        raise AmountError("应为数字（nan、inf 这样的写法不是数量）")
    if value.is_signed() and value != 0:
        raise NegativeAmount("数量不能为负数")
    if value >= _LARGEST:
        raise AmountOverLimit(f"超出限制：数量最多 {MAX_AMOUNT_DIGITS} 位数（不到1万亿），请核对")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_AMOUNT_DECIMALS:
        raise AmountOverLimit(f"超出限制：小数最多写 {MAX_AMOUNT_DECIMALS} 位，请核对")
    return abs(value)


@dataclass(frozen=True, slots=True)
class Amount:
    """A quantity with its measure word; ``approx`` is ``""``, ``"余"`` or ``"多"``."""

    value: Decimal
    unit: str
    approx: str = ""

    def __str__(self) -> str:
        return format_amount(self)

    def __add__(self, other: Amount) -> Amount:
        if other.unit != self.unit:
            raise ValueError(f"cannot add {other.unit} to {self.unit}")
        return Amount(self.value + other.value, self.unit, self.approx or other.approx)


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def exact_text(amount: Amount) -> str:
    """An amount written so that it reads back the same (``6958余人次``, not the report's ``6900余人次``)."""
    return f"{_plain(amount.value)}{amount.approx}{amount.unit}"


def _one_decimal(value: Decimal) -> bool:
    return (value * 10) == (value * 10).to_integral_value()


@functools.lru_cache(maxsize=8192)
def format_amount(amount: Amount) -> str:
    """Print an amount as a report writes it: ``8900余条``, ``2万余人次``, ``20多万平方米``.

    Exact amounts of 1万 and more use 万/亿 when they are round to a tenth (``3.5万人``,
    ``148万斤``, but ``11800户``); approximate ones are cut down to a tenth of 万
    (20060余 → 2万余) or, below 1万, to two significant digits (6958余 → 6900余). 多 goes
    after 万 (``2万多``) unless the number is round tens (``20多万``); ``2.5万余``, never ``2.5万多``.
    """
    value, mark = amount.value, amount.approx
    for mag in ("亿", "万"):
        scaled = value / _MAGNITUDES[mag]
        if scaled >= 1 and mark:  # "more than": 20060余 reads 2万余
            scaled = (scaled * 10).to_integral_value(rounding=ROUND_FLOOR) / 10
        if scaled >= 1 and _one_decimal(scaled):
            number = _plain(scaled)
            if mark == "多" and "." not in number and scaled % 10 == 0:  # 20多万; 2万多, not 2多万
                return f"{number}多{mag}{amount.unit}"
            return f"{number}{mag}{'余' if mark and '.' in number else mark}{amount.unit}"
    if mark and value >= 100:  # 6958余 reads 6900余: two significant digits
        step = Decimal(10) ** (len(str(int(value))) - 2)
        value = (value / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return f"{_plain(value)}{mark}{amount.unit}"


def _hint(text: str) -> str:
    if text and (text[0] in _CN_DIGITS or text.startswith(("上", "近", "约", "逾", "数"))):
        return "请用阿拉伯数字写明数量，约数写作“300余人次”“20多万平方米”"
    return "应写作“数字+量词”，如“10条”“3000余份”“1.5万元”"


def parse_amount(raw: object, default_unit: str | None = None) -> Amount:
    """Parse ``"3000余份"``, ``"1.5万元"``, a bare number (only with ``default_unit``)
    or the mapping form ``{数值: 8900, 单位: 条, 约数: true}``."""
    if isinstance(raw, Amount):
        return raw
    if isinstance(raw, Mapping):
        return _parse_mapping(raw, default_unit)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise EmptyAmount("没有写数量：请写成“10条”这样的形式，没有就删除这一项")
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        raise AmountError("应写作“数字+量词”，如“10条”")
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    text = re.sub(r"(?<=\d)[,，\s](?=\d{3})", "", text)
    if text.startswith("-"):
        raise NegativeAmount("数量不能为负数")
    match = _AMOUNT_RE.fullmatch(text)
    if not match:
        raise AmountError(_hint(text))
    if match["a1"] and match["a2"]:
        raise AmountError("“余”“多”只能写一个")
    small, unit = match["small"], match["unit"].strip()
    if small and not match["mag"] and not match["a2"] and (small + unit).startswith(_MEASURES_WITH_MAGNITUDE):
        small, unit = "", small + unit
    if small and match["a1"] and not match["mag"]:
        raise AmountError("“余”“多”应写在“百”“千”之后，如“3千余份”")
    if not unit:
        if default_unit is None:
            raise AmountError("缺少量词，如“条”“份”“人次”；请写成“10条”这样的形式")
        unit = default_unit
    if re.search(r"[余多]", unit[:1]):
        raise AmountError("“余”“多”应紧跟在数字或“万”之后")
    if len(match["num"]) > 2 * (MAX_AMOUNT_DIGITS + MAX_AMOUNT_DECIMALS):  # 4000 nines: no Decimal to build
        raise AmountOverLimit(f"超出限制：数量最多 {MAX_AMOUNT_DIGITS} 位数（不到1万亿），请核对")
    value = _checked(Decimal(match["num"]) * _SMALL[small] * _MAGNITUDES.get(match["mag"], Decimal(1)))
    return Amount(value, unit, match["a1"] or match["a2"] or "")


_MAPPING_KEYS = {"数值": "value", "value": "value", "单位": "unit", "unit": "unit",
                 "约数": "approx", "approx": "approx"}


def _parse_mapping(raw: Mapping[object, object], default_unit: str | None) -> Amount:
    fields: dict[str, object] = {}
    for key, val in raw.items():
        name = _MAPPING_KEYS.get(str(key))
        if name is None:
            raise AmountError(f"不认识的键“{as_written(key)}”，数量的映射写法只有 数值、单位、约数")
        if val is not None and not isinstance(val, (str, int, float, Decimal)):
            raise AmountError(f"“{as_written(key)}”应为一个数字或一段文字，而不是“{as_written(val)}”")
        fields[name] = val
    if fields.get("value") is None:
        raise EmptyAmount("映射写法缺少“数值”")
    text = unicodedata.normalize("NFKC", str(fields["value"])).strip()
    if not _NUMBER.fullmatch(text):
        raise AmountError(f"“数值”应为数字，如 8900 或 1.5，而不是“{as_written(text)}”")
    try:
        value = _checked(Decimal(text))
    except InvalidOperation:  # pragma: no cover - _NUMBER admits only what Decimal reads
        raise AmountError(f"“数值”应为数字，而不是“{as_written(text)}”") from None
    unit = str(fields.get("unit") or default_unit or "").strip()
    if not unit:
        raise AmountError("映射写法缺少“单位”（量词），如 单位: 条")
    flag = str(fields.get("approx") or "").strip().lower()
    if flag not in _TRUE | _FALSE:
        raise AmountError("“约数”应为 true 或 false")
    approx = "" if flag in _FALSE else ("多" if flag == "多" else "余")
    return Amount(value, unit, approx)


def sum_amounts(pairs: Iterable[tuple[str, Amount]]) -> dict[tuple[str, str], Amount]:
    """Sum amounts per (item, measure word), keeping the order items first appear in."""
    totals: dict[tuple[str, str], Amount] = {}
    for item, amount in pairs:
        key = (item, amount.unit)
        totals[key] = totals[key] + amount if key in totals else amount
    return totals
