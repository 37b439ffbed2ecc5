"""The district's indicators: item names units write for one thing counted as one (``indicators.yaml``,
extended by the district file's 同义), summed per measure word, as numbers."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..load.amounts import Amount, sum_amounts

if TYPE_CHECKING:
    from .batch import UnitSummary


@functools.cache
def _builtin() -> dict[str, list[str]]:
    import yaml

    data: dict[str, list[str]] = yaml.safe_load(Path(__file__).with_name("indicators.yaml").read_text(encoding="utf-8"))
    return data


class Names:
    """Item name → the name it is counted under."""

    def __init__(self, synonyms: Mapping[str, Sequence[str]] | None = None) -> None:
        self.table: dict[str, str] = {}
        self.items: dict[str, list[tuple[str, str, Amount]]] = {}  # by summary file: see items_of
        for canonical, names in [*_builtin().items(), *(synonyms or {}).items()]:
            self.table[canonical] = canonical
            for name in names:
                self.table[name] = canonical

    def __call__(self, item: str) -> str:
        return self.table.get(item, item)


Key = tuple[str, str]  # item, measure word


@dataclass(frozen=True)
class Indicator:
    item: str
    unit: str  # measure word
    total: Amount
    units: int  # how many units report it

    @property
    def heading(self) -> str:
        return f"{self.item}（{self.unit}）"


def amount_of(data: tuple[str, str, str] | list[str]) -> Amount:
    """An amount as a summary keeps it: (value, measure word, approx)."""
    value, unit, approx = data
    return Amount(Decimal(value), unit, approx)


def items_of(summary: UnitSummary, names: Names) -> list[tuple[str, str, Amount]]:
    """(category, counted name, amount) of every amount a unit reported; worked out once a unit
    (the roll-up and the workbook read each unit's several times: 0.5 s at a thousand units)."""
    found = names.items.get(summary.file)
    if found is None:
        categories = summary.categories or [""] * len(summary.amounts)
        found = names.items[summary.file] = [
            (category, names(item), amount_of((value, measure, approx)))
            for category, (item, value, measure, approx) in zip(categories, summary.amounts, strict=True)]
    return found


def totals(per_unit: Iterable[Iterable[tuple[str, Amount]]]) -> list[Indicator]:
    """Every item (as counted: :func:`items_of`) summed over the units, most widely reported
    first (then largest), as numbers."""
    summed: dict[Key, list[Amount]] = {}
    reporting: Counter[Key] = Counter()
    for unit in per_unit:
        seen: set[Key] = set()
        for item, amount in unit:
            key = (item, amount.unit)
            summed.setdefault(key, []).append(amount)
            seen.add(key)
        reporting.update(seen)
    found = [Indicator(item, unit, sum_amounts(("", a) for a in amounts)[("", unit)], reporting[(item, unit)])
             for (item, unit), amounts in summed.items()]
    return sorted(found, key=lambda i: (-i.units, -i.total.value))


def number(value: Decimal) -> int | float:
    """A Decimal as Excel stores it."""
    return int(value) if value == value.to_integral_value() else float(value)
