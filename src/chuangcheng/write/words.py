"""The writer's word lists (``words.yaml``), read once, and the deterministic choice of a frame."""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Observance:
    """A day worth naming: its dates (month-day for fixed ones, full dates for movable ones)."""

    name: str
    words: tuple[str, ...]
    month_day: tuple[int, int] | None = None
    dates: tuple[dt.date, ...] = ()
    rule: str = ""

    def day_in(self, year: int) -> dt.date | None:
        if self.month_day:
            return dt.date(year, *self.month_day)
        if self.rule == "5月第三个星期日":
            first = dt.date(year, 5, 1)
            return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 14)
        return next((d for d in self.dates if d.year == year), None)


@dataclass(frozen=True)
class Words:
    """Everything in words.yaml, in the shapes the writer uses."""

    data: dict[str, Any]
    verb_set: frozenset[str]
    verb_lengths: tuple[int, ...]  # longest first
    endings: tuple[tuple[str, str], ...]
    people_by_title: tuple[tuple[tuple[str, ...], str], ...]
    observances: tuple[Observance, ...]

    def table(self, name: str) -> dict[str, Any]:
        value: dict[str, Any] = self.data[name]
        return value

    def frames(self, key: str) -> list[str]:
        value: list[str] = self.data["frames"][key]
        return value


@cache
def words() -> Words:
    """The word lists, parsed once per process."""
    text = (Path(__file__).with_name("words.yaml")).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)  # a safe loader, and our own file
    verbs = {v for v in data["verbs"] if len(v) >= 2}  # one-character words (为, 在) are not verbs here
    endings = tuple(sorted(((end, verb) for ends, verb in data["endings"] for end in ends),
                           key=lambda e: len(e[0]), reverse=True))
    people = tuple((tuple(keys), noun) for keys, noun in data["people_by_title"])
    observances = [Observance(o["name"], tuple(o["words"]), tuple(int(p) for p in o["date"].split("-")))  # type: ignore[arg-type]
                   for o in data["observances"]]
    observances += [Observance(o["name"], tuple(o["words"]), None,
                               tuple(dt.date.fromisoformat(d) for d in o.get("dates", [])), o.get("rule", ""))
                    for o in data["movable"]]
    lengths = tuple(sorted({len(v) for v in verbs}, reverse=True))
    return Words(data, frozenset(verbs), lengths, endings, people, tuple(observances))


class Chooser:
    """Picks one wording of each frame for a unit, the same every run, and the next one each
    time the same frame is used again in the report (so fifty reports read as fifty writers)."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self.used: Counter[str] = Counter()
        self.given: dict[str, set[str]] = {}

    def pick_fresh(self, key: str, options: list[str]) -> str:
        """Like :meth:`pick`, but not a wording already given for ``key`` while others are left
        (no two custom headings of one report end alike)."""
        given = self.given.setdefault(key, set())
        text = self.pick(key, [o for o in options if o not in given] or options)
        given.add(text)
        return text

    def pick(self, key: str, options: list[str] | None = None, values: dict[str, object] | None = None) -> str:
        choices = options if options is not None else words().frames(key)
        start = zlib.crc32(f"{self.seed}|{key}".encode())
        text = choices[(start + self.used[key]) % len(choices)]
        self.used[key] += 1
        return text.format_map(values) if values else text
