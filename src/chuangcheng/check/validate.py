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
from ..errors import ChuangchengError, Diagnostic, InputError, Pos, Severity, UsageError
from ..load.dates import cn_date
from ..load.loader import Loaded, load_unit, try_load_district
from ..load.models import District, Indicators, Report
from ..parallel import crash_diagnostic, map_chunked, workers_for
from ..read.discover import (
    district_file,
    find_received,
    find_unit_files,
    is_district_file,
    nearest_district_file,
    not_unit_file,
)
from .checks import Context, check_unit
from .rules import RULES, Selection
from .verdicts import TO_CHASE, FileResult, Matched, Verdicts, judge, match, normal

SCHEMA_VERSION = 1
COPIED_MIN_UNITS = 3  # CC212: a sentence in this many units' problems or next steps
COPIED_MIN_CHARS = 12
_NOT_TEXT = re.compile(r"[\s\W_]+")
_SENTENCE_END = re.compile(r"[。！？；!?;]")

# Status of a file, worst first: the order of the status table (schema 1; the verdict is the unit's).
MISSING, UNREADABLE, ERRORS, WARNINGS, PASSED = "未报送", "无法读取", "有错误", "有警告", "通过"
_RANK = {MISSING: 0, UNREADABLE: 1, ERRORS: 2, WARNINGS: 3, PASSED: 4}


def file_status(f: FileResult) -> str:
    """有错误 / 有警告 / 通过, or 无法读取 for a file that is not a unit file or not text at all."""
    if not f.readable:
        return UNREADABLE
    return ERRORS if f.errors else WARNINGS if f.warnings else PASSED


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
    verdicts: Verdicts = field(default_factory=lambda: Verdicts([], 0))  # one per unit: see verdicts.py
    stopped: bool = False  # ``stop`` ended the run early

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
        rows = [StatusRow(f.unit or "—", file_status(f), f.errors, f.warnings, f.path) for f in self.files]
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
                       "passed_files": sum(file_status(f) == PASSED for f in self.files),
                       "missing_units": len(self.missing),
                       "verdicts": self.verdicts.counts()},
            "district": district,
            "district_diagnostics": [_diag_json(d) for d in self.district_diagnostics],
            "files": [{"path": f.path, "unit": f.unit, "type": f.type, "status": file_status(f),
                       "verdict": f.verdict, "errors": f.errors, "warnings": f.warnings,
                       "diagnostics": [_diag_json(d) for d in f.diagnostics]} for f in self.files],
            "status": [{"unit": r.unit, "status": r.status, "errors": r.errors, "warnings": r.warnings,
                        "file": r.file} for r in self.status_rows()],
            "units": [{"unit": u.name, "verdict": u.verdict, "group": u.group,
                       "contact": u.entry.contact if u.entry else None, "phone": u.entry.phone if u.entry else None,
                       "on_roster": u.entry is not None, "hint": u.hint or None,
                       "errors": sum(f.errors for f in u.files), "warnings": sum(f.warnings for f in u.files),
                       "files": [f.path for f in u.files]} for u in self.verdicts.units],
        }


def _diag_json(d: Diagnostic) -> dict[str, Any]:
    rule = RULES.get(d.code)
    found = {"path": d.path, "line": d.line, "column": d.col, "code": d.code, "severity": d.severity.value,
             "rule": rule.name if rule else "", "field": d.field, "message": d.message}
    if d.sheet:  # an Excel ledger: line and column are the cell's row and column
        found |= {"sheet": d.sheet, "cell": d.pos.cell}
    return found


Job = tuple[Path, str, Context, Any]  # unit file, as shown, what it is checked against, work's own


def check_file(job: Job) -> FileResult:
    """Load one unit file and check it (runs in a worker process)."""
    return load_and_check(*job[:3])[0]


def load_and_check(path: Path, display: str, context: Context) -> tuple[FileResult, Loaded[Report] | None]:
    """One unit file loaded and checked: what was found, and the loaded unit when it follows
    the format (a render goes on from it without reading the file again)."""
    result = FileResult(display)
    try:
        loaded = load_unit(path, display)
    except InputError as exc:
        result.diagnostics = list(exc.diagnostics)
        result.readable = not all(d.code == "CC101" for d in exc.diagnostics)  # not text, or empty
        _name_anyway(path, display, result)
        return result, None
    report = loaded.model
    result.loaded = True
    result.unit, result.type = report.unit.name, report.unit.type
    result.period = (report.period.start.isoformat(), report.period.end.isoformat())
    result.name_at = loaded.places.at(("unit", "name")).pos
    result.diagnostics = sorted([*loaded.warnings, *check_unit(loaded, context)],
                                key=lambda d: d.order)
    for name in ("problems", "next_steps"):
        for i, text in enumerate(getattr(report, name)):
            for sentence in _SENTENCE_END.split(text):
                key = _NOT_TEXT.sub("", sentence)
                if len(key) >= COPIED_MIN_CHARS:
                    at = loaded.places.at((name, i))
                    result.sentences.append((key, at.line, at.col, at.field, at.sheet))
    return result, loaded


def received_file(path: Path) -> FileResult:
    """A file a unit sent that is not a unit file (桂花社区.docx, 官塘社区.yaml.txt): received,
    not readable, with what to send instead (CC112)."""
    display = str(path)
    advice = not_unit_file(path.name) or "不是单位文件"
    return FileResult(display, readable=False, diagnostics=[
        Diagnostic(display, 1, 1, "文件", advice, RULES["CC112"].severity, "CC112")])


def _crashed(job: Job, exc: BaseException) -> FileResult:
    """A file the program failed on (a bug, or its worker died): listed, the others go on."""
    return FileResult(job[1], diagnostics=[crash_diagnostic(job[1], exc)])


def _name_anyway(path: Path, display: str, result: FileResult) -> None:
    """The unit name of a file that failed validation, when its YAML parses: so that a unit
    that did hand in a (broken) file is not also reported as missing."""
    from ..read.source import read_source
    from ..read.yamltree import parse_yaml

    if path.suffix.lower() == ".xlsx":
        from ..read.ledger import unit_name

        found = unit_name(path)
        if found:
            result.unit, result.name_at = found
        return
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
            result.name_at = pos or Pos(1, 1)
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
    work: Callable[[Job], FileResult] | None = None,
    extra: Callable[[Path], object] | None = None,
    ours: frozenset[str] = frozenset(),
    stop: Callable[[FileResult], bool] | None = None,
    ready: Callable[[Path], FileResult | None] | None = None,
    district_loaded: tuple[Loaded[District] | None, list[Diagnostic]] | None = None,
) -> Validation:
    """Check unit files and district folders; every problem is collected, none is raised.
    ``work`` replaces :func:`check_file` in the workers (a render checks and renders in one
    go), given ``extra(path)`` as the last item of its job; ``ours`` are files under the folder
    that a render wrote (not submissions); ``stop(file)`` true ends the run there (--fail-fast),
    the result marked :attr:`Validation.stopped` and not judged; ``ready(path)`` gives a file's
    result without a worker (a render's cache), or ``None``."""
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
              *(p for p in files if not (is_district_file(p) and p.is_file()) and not_unit_file(p.name) is None)]:
        if p.resolve() not in seen:  # the same file named twice is checked once
            seen.add(p.resolve())
            units.append(p)
    if folder is not None:
        source = district_file(folder)
    else:
        named = next((p for p in files if is_district_file(p) and p.is_file()), None)
        source = named or (nearest_district_file(units[0]) if units and units[0].is_file() else None)
    loaded_district, district_problems = district_loaded if district_loaded else try_load_district(source)
    district = loaded_district.model if loaded_district else None
    if source is not None and district is not None and district.layout.reference:  # the letterhead is not sent
        ours = ours | {str(source.parent / district.layout.reference)}
    received = [*(find_received(folder, ours) if folder else []), *(p for p in files if not_unit_file(p.name))]
    selection = Selection.parse(select or (district.checks.select if district else []),
                                [*ignore, *(district.checks.ignore if district else [])],
                                "--select/--ignore（含区文件“检查”中的设置）")
    result = Validation(today, strict or bool(district and district.checks.strict), district=district,
                        district_path=str(source) if source else None,
                        folders=[str(folder)] if folder else [])
    context = Context(today, district.indicators if district else Indicators(),
                      district.period if district else None, source.parent.parent if source else None)
    jobs_list: list[Job] = []
    for p in units:
        known = ready(p) if ready else None
        if known is None:
            jobs_list.append((p, str(p), context, extra(p) if extra else None))
        else:
            result.files.append(known)
    if progress:
        progress(len(result.files), len(units))
    outcomes = map_chunked(work or check_file, jobs_list, workers_for(jobs, len(jobs_list)), _crashed)
    try:
        for done, outcome in enumerate(outcomes, len(result.files) + 1):
            result.files.append(outcome)
            if progress:
                progress(done, len(units))
            if stop is not None and stop(outcome):
                result.stopped = True
                return result
    finally:
        outcomes.close()  # the workers stop first: nothing is checked (or staged) after this
    result.files += [received_file(p) for p in received]
    result.files.sort(key=lambda f: f.path)
    result.district_diagnostics = district_problems
    matched = match(result.files, district if folder is not None else None)
    if folder is not None:
        _district_rules(result, folder, loaded_district, matched)
        _file_names(result, folder, loaded_district)
    _copied_sentences(result)
    _apply(result, selection)
    result.verdicts = judge(matched, result.strict)
    result.missing = [u.name for u in result.verdicts.units if u.verdict == MISSING]
    if loaded_district is not None and folder is not None and "CC406" in selection:
        _deadline(result, loaded_district)
    return result


def _district_rules(result: Validation, folder: Path, loaded: Loaded[District] | None, matched: Matched) -> None:
    """CC401–CC407: the roster, duplicates, a folder without a district file, on the files as
    they were matched to the roster (names, 别名, 居委会 and the like): the matching
    :func:`.verdicts.judge` gives its verdicts on."""
    roster, on, off = matched.roster, matched.on, matched.off
    if roster is None:  # no roster: one name written in several files
        for same in off.values():
            _sent_twice([f for f in same if f.readable and f.unit is not None], same[0].unit or "")
    if loaded is None:
        if result.district_path is None:
            result.district_diagnostics.append(Diagnostic(
                str(folder), 1, 1, "区文件", "文件夹里没有 district.yaml（或 区.yaml），无法核对名单和截止日期",
                RULES["CC407"].severity, "CC407"))
        return
    district, places = loaded.model, loaded.places
    first_at: dict[str, int] = {}
    for i, entry in enumerate(district.roster):
        key = normal(entry.name)
        if key in first_at:
            line, col, shown, _ = places.at(("roster", i, "name"))
            first = places.at(("roster", first_at[key], "name"))[0]
            result.district_diagnostics.append(Diagnostic(
                places.file, line, col, shown, f"“{entry.name}”在名单上写了两次（第 {first} 行已有）；请删除一处",
                RULES["CC403"].severity, "CC403"))
        else:
            first_at[key] = i
    for entry in roster.entries if roster else []:
        if entry.name not in on:
            line, col, shown, _ = places.at(("roster", first_at[normal(entry.name)], "name"))
            result.district_diagnostics.append(Diagnostic(
                places.file, line, col, shown, f"“{entry.name}”没有报送（文件夹里没有单位名称为“{entry.name}”的文件）",
                RULES["CC401"].severity, "CC401"))
            continue
        named = [f for f in on[entry.name] if f.readable and f.unit is not None]
        _sent_twice(named, entry.name)
        for f in named:
            if entry.type and f.type and f.type != entry.type:
                f.diagnostics.append(_unit_diag(f, "CC405", f"类型“{f.type}”与名单上的“{entry.type}”不一致"))
    if roster is None:
        return
    for same in off.values():
        for f in same:
            said = f.unit if f.unit is not None else f.stem
            near = roster.nearest(said)
            hint = f"；名单上最接近的是“{near}”，如是同一单位，请统一名称或在名单的“别名”里加上“{said}”" if near else \
                "；请核对名称是否与名单一致，或把该单位加入名单"
            f.diagnostics.append(_unit_diag(f, "CC402", f"“{said}”不在{district.name}的单位名单上{hint}"))


def _sent_twice(named: list[FileResult], name: str) -> None:
    """CC403 on each of the unit files that name one unit."""
    if len(named) < 2:
        return
    for f in named:
        others = "、".join(o.path for o in named if o is not f)
        f.diagnostics.append(_unit_diag(f, "CC403", f"“{name}”还报送了：{others}；请只保留一份"))


def _file_names(result: Validation, folder: Path, loaded: Loaded[District] | None) -> None:
    """CC408: units whose reports would be one file (as ``render`` names them), or the roll-up's.
    Units of one name are CC403's (:func:`_sent_twice`)."""
    from ..output import safe_filename, same_file_key

    rollup = safe_filename(f"{loaded.model.name if loaded else folder.name}汇总")
    groups: dict[str, list[FileResult]] = defaultdict(list)
    for f in result.files:
        if f.unit is not None:
            groups[same_file_key(Path(f.path).parent / safe_filename(f.unit))].append(f)
    for key, same in groups.items():
        clash_rollup = key == same_file_key(folder / rollup)
        one_unit = len({normal(f.unit or "") for f in same}) == 1  # one name twice: CC403 says it
        if not clash_rollup and (len(same) < 2 or one_unit):
            continue
        for f in same:
            others = [f"{o.path}:{o.name_at}" for o in same if o is not f]
            if clash_rollup:
                others.append(f"区级汇总（{loaded.places.file}:{loaded.places.at(('name',)).pos}）" if loaded
                              else "区级汇总")
            f.diagnostics.append(_unit_diag(f, "CC408", f"报告文件名 {safe_filename(f.unit or '')} 与 "
                                                        f"{'、'.join(others)} 的重名，生成时不会生成本单位的报告；"
                                                        "请核对单位名称"))


def _deadline(result: Validation, loaded: Loaded[District]) -> None:
    """CC406, once the selection is applied: units late are those still missing or in error."""
    late = [u for u in result.verdicts.units if u.verdict in TO_CHASE and u.entry is not None]
    days = result.days_left
    if days is not None and days < 0 and late:
        line, col, shown, _ = loaded.places.at(("deadline",))
        result.district_diagnostics.append(Diagnostic(
            loaded.places.file, line, col, shown,
            f"已过截止日期（{cn_date(loaded.model.deadline)}）{-days} 天，还有 {len(late)} 个单位未报送或需要退回修改",
            RULES["CC406"].severity, "CC406"))


def _unit_diag(f: FileResult, code: str, message: str) -> Diagnostic:
    """A roster finding on a unit file, at its 单位.名称 (the name is what the roster matches)."""
    return Diagnostic.at(f.path, f.name_at, "单位.名称", message, RULES[code].severity, code)


def _copied_sentences(result: Validation) -> None:
    """CC212: one sentence in the problems or next steps of many units (each file names three
    of the others: linear in the units, not quadratic, for a thousand copies of one template)."""
    units_of: dict[str, set[str]] = defaultdict(set)
    for f in result.files:
        for key, *_ in f.sentences:
            units_of[key].add(f.unit or f.path)
    shared = {key: (len(units), sorted(units)[:4]) for key, units in units_of.items() if len(units) >= COPIED_MIN_UNITS}
    for f in result.files:
        me = f.unit or f.path
        for key, line, col, shown, sheet in f.sentences:
            if key not in shared:
                continue
            count, first = shared[key]
            others = [u for u in first if u != me][:3]
            names = "、".join(others) + ("等" if count - 1 > 3 else "")
            message = f"与另外 {count - 1} 个单位（{names}）写的一字不差：请写本单位的实际情况"
            f.diagnostics.append(Diagnostic(f.path, line, col, shown, message, RULES["CC212"].severity, "CC212",
                                            sheet))


def _apply(result: Validation, selection: Selection) -> None:
    """Keep the diagnostics of selected rules, in file order; a file that could not be read
    keeps everything (nothing else could be checked)."""
    for f in result.files:
        if f.loaded:  # what a render met (a template, a photo) has no rule and stays
            f.diagnostics = [d for d in f.diagnostics if d.code in selection or not d.code]
        f.diagnostics.sort(key=lambda d: d.order)
    result.district_diagnostics = [d for d in result.district_diagnostics
                                   if d.code in selection or (d.code in RULES and RULES[d.code].stops)]
