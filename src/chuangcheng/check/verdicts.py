"""One verdict per unit: the files of a district matched to its roster, then judged once.

``validate``, ``render``, the roll-up and the workbook all read the same :class:`Verdicts`, so
their counts agree and add up to the roster. A roster unit is 通过, 有警告, 退回修改, 报告期不符,
重复报送, 无法读取 or 未报送; a file that matches no roster unit is 不在名单. Only 通过 and 有警告
are accepted into the roll-up; a district that is strict (``检查: {严格: 是}``) sends units with
warnings back too.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FIRST, Diagnostic, Pos, Severity
from ..load.models import District, RosterEntry
from ..read.discover import stem_of, submissions

PASSED, WARNINGS, RETURNED, WRONG_PERIOD = "通过", "有警告", "退回修改", "报告期不符"
DUPLICATE, UNREADABLE, MISSING, UNLISTED = "重复报送", "无法读取", "未报送", "不在名单"
# The order units are chased in, and the order of every count.
VERDICTS = (MISSING, RETURNED, WRONG_PERIOD, DUPLICATE, UNREADABLE, UNLISTED, WARNINGS, PASSED)
ACCEPTED = frozenset({PASSED, WARNINGS})
TO_CHASE = frozenset(VERDICTS) - ACCEPTED
SENT_BACK = TO_CHASE - {MISSING, UNLISTED}  # received, not accepted: the unit must send again


@dataclass
class FileResult:
    """One received file: who it is (when that could be read) and everything found in it."""

    path: str
    unit: str | None = None
    type: str | None = None
    period: tuple[str, str] | None = None
    loaded: bool = False  # it follows the format (its model was built)
    readable: bool = True  # False: not a unit file at all, or bytes that are not text
    name_at: Pos = FIRST  # where 单位.名称 is written: roster findings point there
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # problems and next steps, for CC212: (normalised text, line, col, field, sheet)
    sentences: list[tuple[str, int, int, str, str]] = field(default_factory=list)
    verdict: str = ""  # set by :func:`judge`
    rendered: Any = None  # what a render run made of it (its summary), carried back from the worker

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def stem(self) -> str:
        """The file's name without its endings: who sent it, when nothing inside says so."""
        return stem_of(Path(self.path).name)


@dataclass
class UnitVerdict:
    """A roster unit (or, off the roster, a unit name or a file) and its verdict."""

    name: str
    verdict: str
    files: list[FileResult] = field(default_factory=list)
    entry: RosterEntry | None = None  # None: not on the roster, or no roster
    hint: str = ""  # off the roster: the nearest roster name

    @property
    def group(self) -> str:
        return (self.entry.group if self.entry else None) or ""

    @property
    def accepted(self) -> bool:
        return self.verdict in ACCEPTED

    def problems(self, limit: int | None = None) -> list[Diagnostic]:
        """Its files' errors, then warnings, in file order."""
        found = [d for f in self.files for d in f.diagnostics if d.severity is Severity.ERROR]
        found += [d for f in self.files for d in f.diagnostics if d.severity is Severity.WARNING]
        return found[:limit]


@dataclass
class Verdicts:
    """Every roster unit and every unmatched file, roster order first."""

    units: list[UnitVerdict]
    roster: int  # units on the roster (0: no roster)

    def counts(self) -> dict[str, int]:
        """Units by verdict, in :data:`VERDICTS` order (roster units add up to :attr:`roster`)."""
        counts = dict.fromkeys(VERDICTS, 0)
        for unit in self.units:
            counts[unit.verdict] += 1
        return counts

    def by_group(self, verdicts: frozenset[str] | set[str]) -> list[tuple[str, list[UnitVerdict]]]:
        """Roster units of these verdicts grouped by 所属, groups and units in roster order
        (units with no 所属 last, under ``""``)."""
        groups: dict[str, list[UnitVerdict]] = {}
        for unit in self.units:
            if unit.entry is not None and unit.verdict in verdicts:
                groups.setdefault(unit.group, []).append(unit)
        return sorted(groups.items(), key=lambda kv: kv[0] == "")

    def accepted_files(self) -> set[str]:
        return {f.path for u in self.units if u.accepted for f in u.files}

    def of_file(self) -> dict[str, UnitVerdict]:
        return {f.path: u for u in self.units for f in u.files}


_SPACE = re.compile(r"\s+")


def normal(name: str) -> str:
    """A name as compared: NFKC (full-width letters and digits), no spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name))


def _base(name: str) -> str:
    """The name without an organisation ending (桂花社区居委会 → 桂花社区)."""
    for suffix in submissions()["名称后缀"]:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class Roster:
    """Roster names, their aliases and their bare forms, to match what a file says it is."""

    def __init__(self, entries: list[RosterEntry]) -> None:
        self.entries: list[RosterEntry] = []
        self.exact: dict[str, RosterEntry] = {}
        bases: dict[str, list[RosterEntry]] = defaultdict(list)
        for entry in entries:
            if normal(entry.name) in self.exact:
                continue  # listed twice: CC403 on the district file says so
            self.entries.append(entry)
            for name in (entry.name, *entry.aliases):
                self.exact.setdefault(normal(name), entry)
            bases[_base(normal(entry.name))].append(entry)
        self.bases = {base: found[0] for base, found in bases.items() if len(found) == 1}
        self._nearest: dict[str, str] = {}

    def match(self, name: str) -> RosterEntry | None:
        key = normal(name)
        found = self.exact.get(key)
        if found is None and _base(key) in self.bases:
            found = self.bases[_base(key)]
        return found

    def nearest(self, name: str) -> str:
        """The roster name most like ``name`` (a hint for a file that matches none; worked out
        once a name: CC402 and the verdict both give it)."""
        if name not in self._nearest:
            names = {normal(e.name): e.name for e in self.entries}
            close = difflib.get_close_matches(normal(name), list(names), n=1, cutoff=0.5)
            self._nearest[name] = names[close[0]] if close else ""
        return self._nearest[name]


def _judge_one(f: FileResult, strict: bool) -> str:
    if not f.readable:
        return UNREADABLE
    if any(d.code == "CC404" for d in f.diagnostics):
        return WRONG_PERIOD
    if f.errors or (strict and f.warnings):
        return RETURNED
    return WARNINGS if f.warnings else PASSED


def _judge(files: list[FileResult], strict: bool) -> str:
    """The verdict of one unit's files: two unit files that name it are 重复报送; a file that
    is not a unit file counts as received only when nothing better came."""
    named = [f for f in files if f.readable and f.unit is not None]
    if len(named) > 1:
        return DUPLICATE
    if named:
        return _judge_one(named[0], strict)
    readable = [f for f in files if f.readable]
    return _judge_one(readable[0], strict) if readable else UNREADABLE


@dataclass
class Matched:
    """The files matched to the roster: by roster name (``on``), and the rest by the name they
    give, or their path when none can be read (``off``). Made once a run: the district's rules
    and :func:`judge` read the same matching."""

    roster: Roster | None
    on: dict[str, list[FileResult]]
    off: dict[str, list[FileResult]]


def match(files: list[FileResult], district: District | None) -> Matched:
    """Match the files to ``district``'s roster (none: every file is off it, by its name)."""
    roster = Roster(district.roster) if district and district.roster else None
    on: dict[str, list[FileResult]] = defaultdict(list)
    off: dict[str, list[FileResult]] = defaultdict(list)
    for f in files:
        said = f.unit if f.unit is not None else f.stem
        entry = roster.match(said) if roster else None  # a name inside the file overrules the file's name
        if entry is not None:
            on[entry.name].append(f)
        else:
            off[normal(said) if f.unit is not None else f.path].append(f)
    return Matched(roster, on, off)


def judge(matched: Matched, strict: bool = False) -> Verdicts:
    """Give every unit its verdict (also on each of its files)."""
    roster = matched.roster
    units: list[UnitVerdict] = []
    for entry in roster.entries if roster else []:
        mine = matched.on.get(entry.name, [])
        units.append(UnitVerdict(entry.name, _judge(mine, strict) if mine else MISSING, mine, entry))
    for mine in matched.off.values():
        name = next((f.unit for f in mine if f.unit is not None), mine[0].stem)
        if roster is not None:
            units.append(UnitVerdict(name, UNLISTED, mine, hint=roster.nearest(name)))
        else:
            units.append(UnitVerdict(name, _judge(mine, strict), mine))
    for unit in units:
        for f in unit.files:
            f.verdict = unit.verdict
    return Verdicts(units, len(roster.entries) if roster else 0)
