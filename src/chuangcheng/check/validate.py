"""``chuangcheng validate``: unit files or district folders checked against every rule.

Units are checked in worker processes (format, content, 测评体系 bars); the district-level
rules (roster, copies across units, deadline) run once all are back. Nothing here imports
the renderer: Jinja, markdown-it and python-docx stay out of a validate run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ChuangchengError, Diagnostic, InputError, Severity, UsageError
from ..load.dates import cn_date
from ..load.loader import Loaded, load_unit, try_load_district
from ..load.models import District, Indicators, RosterEntry
from ..parallel import crash_diagnostic, map_chunked, workers_for
from ..read.discover import district_file, find_unit_files, is_district_file, nearest_district_file
from .checks import Context, check_unit
from .rules import RULES, Selection

SCHEMA_VERSION = 1
COPIED_MIN_UNITS = 3  # CC212: a sentence in this many units' problems or next steps
COPIED_MIN_CHARS = 12
_NOT_TEXT = re.compile(r"[\s\W_]+")
_SENTENCE_END = re.compile(r"[。！？；!?;]")

# Status of a unit, worst first: the order of the status table.
MISSING, UNREADABLE, ERRORS, WARNINGS, PASSED = "未报送", "无法读取", "有错误", "有警告", "通过"
_RANK = {MISSING: 0, UNREADABLE: 1, ERRORS: 2, WARNINGS: 3, PASSED: 4}


@dataclass
class FileResult:
    """One unit file: who it is (when it could be read) and everything found in it."""

    path: str
    unit: str | None = None
    type: str | None = None
    period: tuple[str, str] | None = None
    loaded: bool = False
    name_at: tuple[int, int] = (1, 1)  # where 单位.名称 is written: roster findings point there
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # problems and next steps, for CC212: (normalised text, line, col, field)
    sentences: list[tuple[str, int, int, str]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def status(self) -> str:
        if not self.loaded:
            return UNREADABLE
        return ERRORS if self.errors else WARNINGS if self.warnings else PASSED


@dataclass(frozen=True)
class StatusRow:
    unit: str
    status: str
    errors: int
    warnings: int
    file: str


@dataclass
class Validation:
    """The outcome of a validate run: per file, for the district, and whether it passes."""

    today: dt.date
    strict: bool
    files: list[FileResult] = field(default_factory=list)
    district: District | None = None
    district_path: str | None = None
    district_diagnostics: list[Diagnostic] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)

    def all_diagnostics(self) -> list[Diagnostic]:
        return [*self.district_diagnostics, *(d for f in self.files for d in f.diagnostics)]

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.all_diagnostics())

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.all_diagnostics())

    @property
    def passed(self) -> bool:
        return self.errors == 0 and not (self.strict and self.warnings)

    @property
    def expected(self) -> int:
        """Units on the roster (a name listed twice counts once)."""
        return len({entry.name for entry in self.district.roster}) if self.district else 0

    @property
    def days_left(self) -> int | None:
        return (self.district.deadline - self.today).days if self.district else None

    def status_rows(self) -> list[StatusRow]:
        """单位 | 状态 | 错误 | 警告 | 文件, worst first: missing, unreadable, errors, warnings, passed."""
        rows = [StatusRow(f.unit or "—", f.status, f.errors, f.warnings, f.path) for f in self.files]
        rows += [StatusRow(name, MISSING, 0, 0, "—") for name in self.missing]
        return sorted(rows, key=lambda r: (_RANK[r.status], -r.errors, -r.warnings, r.unit, r.file))

    def to_json(self) -> dict[str, Any]:
        """The stable structure of ``--format json`` (schema 1, documented in the README)."""
        district = None
        if self.district is not None:
            district = {
                "name": self.district.name, "file": self.district_path,
                "period": {"start": self.district.period.start.isoformat(),
                           "end": self.district.period.end.isoformat(), "name": self.district.period.name},
                "deadline": self.district.deadline.isoformat(), "days_left": self.days_left,
                "roster": self.expected, "missing": self.missing,
            }
        return {
            "schema": SCHEMA_VERSION,
            "tool": f"chuangcheng {__version__}",
            "today": self.today.isoformat(),
            "strict": self.strict,
            "passed": self.passed,
            "counts": {"files": len(self.files), "errors": self.errors, "warnings": self.warnings,
                       "passed_files": sum(f.status == PASSED for f in self.files),
                       "missing_units": len(self.missing)},
            "district": district,
            "district_diagnostics": [_diag_json(d) for d in self.district_diagnostics],
            "files": [{"path": f.path, "unit": f.unit, "type": f.type, "status": f.status,
                       "errors": f.errors, "warnings": f.warnings,
                       "diagnostics": [_diag_json(d) for d in f.diagnostics]} for f in self.files],
            "status": [{"unit": r.unit, "status": r.status, "errors": r.errors, "warnings": r.warnings,
                        "file": r.file} for r in self.status_rows()],
        }


def _diag_json(d: Diagnostic) -> dict[str, Any]:
    rule = RULES.get(d.code)
    return {"path": d.path, "line": d.line, "column": d.col, "code": d.code, "severity": d.severity.value,
            "rule": rule.name if rule else "", "field": d.field, "message": d.message}


Job = tuple[Path, str, Context]


def check_file(job: Job) -> FileResult:
    """Load one unit file and check it (runs in a worker process)."""
    path, display, context = job
    result = FileResult(display)
    try:
        loaded = load_unit(path, display)
    except InputError as exc:
        result.diagnostics = list(exc.diagnostics)
        _name_anyway(path, display, result)
        return result
    except ChuangchengError as exc:  # pragma: no cover - load_unit raises InputError only
        result.diagnostics = [Diagnostic(display, 1, 1, "文件", exc.message, code="CC101")]
        return result
    report = loaded.model
    result.loaded = True
    result.unit, result.type = report.unit.name, report.unit.type
    result.period = (report.period.start.isoformat(), report.period.end.isoformat())
    result.name_at = loaded.places.at(("unit", "name"))[:2]
    result.diagnostics = sorted([*loaded.warnings, *check_unit(loaded, context)],
                                key=lambda d: (d.line, d.col, d.code))
    for name in ("problems", "next_steps"):
        for i, text in enumerate(getattr(report, name)):
            for sentence in _SENTENCE_END.split(text):
                key = _NOT_TEXT.sub("", sentence)
                if len(key) >= COPIED_MIN_CHARS:
                    line, col, shown = loaded.places.at((name, i))
                    result.sentences.append((key, line, col, shown))
    return result


def _crashed(job: Job, exc: BaseException) -> FileResult:
    """A file the program failed on (a bug, or its worker died): listed, the others go on."""
    return FileResult(job[1], diagnostics=[crash_diagnostic(job[1], exc)])


def _name_anyway(path: Path, display: str, result: FileResult) -> None:
    """The unit name of a file that failed validation, when its YAML parses: so that a unit
    that did hand in a (broken) file is not also reported as missing."""
    from ..read.source import read_source
    from ..read.yamltree import parse_yaml

    try:
        tree = parse_yaml(read_source(path, display))
    except ChuangchengError:
        return
    data = tree.data if isinstance(tree.data, dict) else {}
    for unit_key, name_key in (("单位", "名称"), ("unit", "name"), ("单位", "name"), ("unit", "名称")):
        unit = data.get(unit_key)
        name = unit.get(name_key) if isinstance(unit, dict) else None
        if isinstance(name, str) and name.strip():
            result.unit = name.strip()
            pos = tree.values.get((unit_key, name_key))
            result.name_at = (pos.line, pos.col) if pos else (1, 1)
            return


def validate_paths(
    paths: Sequence[Path],
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    strict: bool = False,
    today: dt.date | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Validation:
    """Check unit files and district folders; every problem is collected, none is raised."""
    today = today or dt.date.today()
    select, ignore = list(select), list(ignore)
    Selection.parse(select, ignore)  # a bad code is a usage error before any work
    folders = [p for p in paths if p.is_dir()]
    if len(folders) > 1:
        raise UsageError("一次只能检查一个区的文件夹；单位文件可以写多个")
    files = [p for p in paths if not p.is_dir()]
    folder = folders[0] if folders else None
    units, seen = [], set()
    for p in [*(find_unit_files(folder) if folder else []),
              *(p for p in files if not (is_district_file(p) and p.is_file()))]:
        if p.resolve() not in seen:  # the same file named twice is checked once
            seen.add(p.resolve())
            units.append(p)
    if folder is not None:
        source = district_file(folder)
    else:
        named = next((p for p in files if is_district_file(p) and p.is_file()), None)
        source = named or (nearest_district_file(units[0]) if units and units[0].is_file() else None)
    loaded_district, district_problems = try_load_district(source)
    district = loaded_district.model if loaded_district else None
    selection = Selection.parse(select or (district.checks.select if district else []),
                                [*ignore, *(district.checks.ignore if district else [])],
                                "--select/--ignore（含区文件“检查”中的设置）")
    result = Validation(today, strict or bool(district and district.checks.strict), district=district,
                        district_path=str(source) if source else None,
                        folders=[str(folder)] if folder else [])
    context = Context(today, district.indicators if district else Indicators(),
                      district.period if district else None, source.parent.parent if source else None)
    jobs_list: list[Job] = [(p, str(p), context) for p in units]
    for done, outcome in enumerate(map_chunked(check_file, jobs_list, workers_for(jobs, len(jobs_list)), _crashed), 1):
        result.files.append(outcome)
        if progress:
            progress(done, len(jobs_list))
    result.files.sort(key=lambda f: f.path)
    result.district_diagnostics = district_problems
    if folder is not None:
        _district_rules(result, folder, loaded_district)
        _file_names(result, folder, loaded_district)
    _copied_sentences(result)
    _apply(result, selection)
    if loaded_district is not None and folder is not None and "CC406" in selection:
        _deadline(result, loaded_district)
    return result


def _district_rules(result: Validation, folder: Path, loaded: Loaded[District] | None) -> None:
    """CC401–CC407: the roster, duplicates, the deadline, a folder without a district file."""
    if loaded is None:
        if result.district_path is None:
            result.district_diagnostics.append(Diagnostic(
                str(folder), 1, 1, "区文件", "文件夹里没有 district.yaml（或 区.yaml），无法核对名单和截止日期",
                RULES["CC407"].severity, "CC407"))
        return
    district, places = loaded.model, loaded.places
    by_name: dict[str, list[FileResult]] = defaultdict(list)
    for f in result.files:
        if f.unit is not None:
            by_name[f.unit].append(f)
    roster: dict[str, tuple[int, RosterEntry]] = {}
    for i, entry in enumerate(district.roster):
        if entry.name in roster:
            line, col, shown = places.at(("roster", i, "name"))
            first = places.at(("roster", roster[entry.name][0], "name"))[0]
            result.district_diagnostics.append(Diagnostic(
                places.file, line, col, shown, f"“{entry.name}”在名单上写了两次（第 {first} 行已有）；请删除一处",
                RULES["CC403"].severity, "CC403"))
        else:
            roster[entry.name] = (i, entry)
    for name, (i, _) in roster.items():
        if name not in by_name:
            result.missing.append(name)
            line, col, shown = places.at(("roster", i, "name"))
            result.district_diagnostics.append(Diagnostic(
                places.file, line, col, shown, f"“{name}”没有报送（文件夹里没有单位名称为“{name}”的文件）",
                RULES["CC401"].severity, "CC401"))
    for name, same in by_name.items():
        for f in same:
            if district.roster and name not in roster:
                f.diagnostics.append(_unit_diag(f, "CC402", f"“{name}”不在{district.name}的单位名单上；"
                                                            "请核对名称是否与名单一致"))
            if len(same) > 1:
                others = "、".join(o.path for o in same if o is not f)
                f.diagnostics.append(_unit_diag(f, "CC403", f"“{name}”还报送了：{others}；请只保留一份"))
            listed = roster[name][1].type if name in roster else None
            if listed and f.type and f.type != listed:
                f.diagnostics.append(_unit_diag(f, "CC405", f"类型“{f.type}”与名单上的“{listed}”不一致"))


def _file_names(result: Validation, folder: Path, loaded: Loaded[District] | None) -> None:
    """CC408: units whose reports would be one file (as ``render`` names them), or the roll-up's.
    Units of one name are CC403's when there is a roster to check them against."""
    from ..output import safe_filename, same_file_key

    rollup = safe_filename(f"{loaded.model.name if loaded else folder.name}汇总")
    groups: dict[str, list[FileResult]] = defaultdict(list)
    for f in result.files:
        if f.unit is not None:
            groups[same_file_key(Path(f.path).parent / safe_filename(f.unit))].append(f)
    for key, same in groups.items():
        clash_rollup = key == same_file_key(folder / rollup)
        roster_covers = loaded is not None and len({f.unit for f in same}) == 1  # CC403 says it
        if not clash_rollup and (len(same) < 2 or roster_covers):
            continue
        for f in same:
            others = [f"{o.path}:{o.name_at[0]}:{o.name_at[1]}" for o in same if o is not f]
            if clash_rollup:
                others.append("区级汇总")
            f.diagnostics.append(_unit_diag(f, "CC408", f"报告文件名 {safe_filename(f.unit or '')} 与 "
                                                        f"{'、'.join(others)} 的重名，生成时不会生成本单位的报告；"
                                                        "请核对单位名称"))


def _deadline(result: Validation, loaded: Loaded[District]) -> None:
    """CC406, once the selection is applied: units late are those still missing or in error."""
    late = [r for r in result.status_rows() if r.status in {MISSING, UNREADABLE, ERRORS}]
    days = result.days_left
    if days is not None and days < 0 and late:
        line, col, shown = loaded.places.at(("deadline",))
        result.district_diagnostics.append(Diagnostic(
            loaded.places.file, line, col, shown,
            f"已过截止日期（{cn_date(loaded.model.deadline)}）{-days} 天，还有 {len(late)} 个单位未报送或有错误",
            RULES["CC406"].severity, "CC406"))


def _unit_diag(f: FileResult, code: str, message: str) -> Diagnostic:
    """A roster finding on a unit file, at its 单位.名称 (the name is what the roster matches)."""
    return Diagnostic(f.path, *f.name_at, "单位.名称", message, RULES[code].severity, code)


def _copied_sentences(result: Validation) -> None:
    """CC212: one sentence in the problems or next steps of many units."""
    units_of: dict[str, set[str]] = defaultdict(set)
    for f in result.files:
        for key, *_ in f.sentences:
            units_of[key].add(f.unit or f.path)
    ordered = {key: sorted(units) for key, units in units_of.items() if len(units) >= COPIED_MIN_UNITS}
    for f in result.files:
        me = f.unit or f.path
        for key, line, col, shown in f.sentences:
            if key not in ordered:
                continue
            others = [u for u in ordered[key] if u != me]
            names = "、".join(others[:3]) + ("等" if len(others) > 3 else "")
            message = f"与另外 {len(others)} 个单位（{names}）写的一字不差：请写本单位的实际情况"
            f.diagnostics.append(Diagnostic(f.path, line, col, shown, message, RULES["CC212"].severity, "CC212"))


def _apply(result: Validation, selection: Selection) -> None:
    """Keep the diagnostics of selected rules, in file order; a file that could not be read
    keeps everything (nothing else could be checked)."""
    for f in result.files:
        if f.loaded:
            f.diagnostics = [d for d in f.diagnostics if d.code in selection]
        f.diagnostics.sort(key=lambda d: (d.line, d.col, d.code))
    result.district_diagnostics = [d for d in result.district_diagnostics
                                   if d.code in selection or (d.code in RULES and RULES[d.code].stops)]
