"""A whole district folder: every unit checked and rendered in parallel, judged once, work cached.

The folder goes through ``validate``'s run (:func:`chuangcheng.check.validate.validate_paths`)
with a worker that, after checking a unit, renders it (:func:`chuangcheng.office.render.render_unit`,
its files left staged) and returns a small, picklable :class:`UnitSummary`. Once every unit
is back and judged (:mod:`chuangcheng.check.verdicts`), the files of accepted units are moved
into place, the others dropped, and the reports earlier runs wrote for units no longer
accepted are removed. A cache beside the output keeps each unit's findings and summary while
its input, the district file, templates and version are unchanged (and for the day: a date
after today is an error only until that day), so a second run renders nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import __version__
from ..check.validate import Job as CheckJob
from ..check.validate import Validation, load_and_check, validate_paths
from ..check.verdicts import FileResult
from ..errors import FIRST, ChuangchengError, Diagnostic, OutputError, Pos, Severity, UsageError
from ..load.amounts import Amount
from ..load.layout import Layout
from ..load.loader import Loaded
from ..load.models import District, Report
from ..office.render import DEFAULT_FORMATS, PHOTO_FOLDER, render_unit
from ..output import Staged, remove_leftovers, same_file_key, write_all
from ..read.discover import district_file, find_unit_files
from ..write.typography import clause

__all__ = ["CACHE_FILE", "BatchResult", "UnitFailure", "UnitSummary", "district_file", "find_unit_files",
           "render_folder"]

CACHE_FILE = ".chuangcheng-cache.json"
CACHE_FORMAT = 6  # what an entry holds: a cache of another format is not read


@dataclass
class UnitSummary:
    """What the roll-up needs of one rendered unit (plain data: it crosses processes and the cache)."""

    file: str
    name: str
    type: str
    period: tuple[str, str]
    activities: int
    participants: list[tuple[str, str, str]]  # value, unit, approx
    volunteers: list[tuple[str, str, str]]
    amounts: list[tuple[str, str, str, str]]  # item, value, unit, approx
    categories: list[str]  # the section each amount was reported in (宣传发动 …), as amounts
    highlights: list[tuple[str, str, str]]  # date, sentence, participants value
    problems: list[str]
    outputs: list[str]
    warnings: list[str] = field(default_factory=list)
    photos: list[tuple[str, int, int]] = field(default_factory=list)  # path, size, mtime_ns (and 上期's file)
    pdf_job: tuple[str, str] | None = None  # Word file, PDF: converted with the whole folder (not cached)
    name_at: Pos = FIRST  # where 单位.名称 is written: a clash of file names points there
    staged: Staged | None = None  # the files, until the run has checked no two units clash (not cached)
    subject: str = ""  # how the unit calls itself in its report (我校, 社区): its highlights in the third person
    volunteer_share: str | None = None  # registered volunteers, percent of the resident population, if known
    next_steps: list[str] = field(default_factory=list)
    highlight_titles: list[str] = field(default_factory=list)  # the titles of the highlights' activities


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_size, stat.st_mtime_ns)


@dataclass
class UnitFailure:
    """A unit file that could not be rendered, with its messages."""

    file: str
    messages: list[str]


@dataclass
class BatchResult:
    """The outcome of one folder run."""

    folder: Path
    summaries: list[UnitSummary] = field(default_factory=list)  # the accepted units, rendered
    failures: list[UnitFailure] = field(default_factory=list)  # files not accepted, with their first problems
    rendered: int = 0
    cached: int = 0
    stopped: bool = False  # --fail-fast stopped the run early
    state: str = ""  # a hash of every input file: the roll-up is rewritten when it changes
    cache: Cache | None = None
    validation: Validation | None = None  # every file's findings and every unit's verdict
    removed: list[Path] = field(default_factory=list)  # reports of earlier runs no longer accepted

    @property
    def total(self) -> int:
        return len(self.summaries) + len(self.failures)


def section_title(key: str, report: Report) -> str:
    """宣传发动, 环境整治 …: a core section by its title, a unit's own sections as 其他工作."""
    field_info = type(report).model_fields.get(key)
    return field_info.title or key if field_info is not None and key != "other" else "其他工作"


def _amount_data(amount: Amount) -> tuple[str, str, str]:
    return (str(amount.value), amount.unit, amount.approx)


def summarize(path: Path, display: str, out_dir: Path | None, run: Settings,
              loaded: Loaded[Report] | None = None) -> UnitSummary:
    """Render one unit and describe it for the roll-up (runs in a worker process)."""
    result = render_unit(path, out_dir, run.formats, run.template_dir, run.layout, display=display,
                         pdf_stage=run.pdf_stage, owner=run.owner, loaded=loaded)
    report, view = result.report, result.view
    acts = report.activities()
    ranked = sorted(((v.activity.participants, v) for s in view.sections for v in s.activities
                     if v.activity.participants), key=lambda pair: -pair[0].value)
    return UnitSummary(
        file=display,
        name=report.unit.name,
        type=report.unit.type,
        period=(report.period.start.isoformat(), report.period.end.isoformat()),
        activities=sum(a.times for _, a in acts),
        participants=[_amount_data(a.participants) for _, a in acts if a.participants],
        volunteers=[_amount_data(a.volunteers) for _, a in acts if a.volunteers],
        amounts=[(item, *_amount_data(amt)) for _, a in acts for item, amt in a.quantities.items()],
        categories=[section_title(key, report) for key, a in acts for _ in a.quantities],
        highlights=[(v.activity.date.isoformat() if v.activity.date else "", v.text, str(people.value))
                    for people, v in ranked[:3]],
        highlight_titles=[clause(v.activity.title) for _, v in ranked[:3]],
        problems=list(view.problems),
        outputs=[str(p) for p in result.outputs],
        warnings=[str(w) for w in result.warnings],
        photos=[_stamp(path.parent / p.path) for p in view.photos]  # and 上期's file: inputs of the report too
        + ([_stamp(path.parent / report.previous)] if report.previous else []),
        pdf_job=(str(result.pdf_job[0]), str(result.pdf_job[1])) if result.pdf_job else None,
        name_at=result.name_at,
        staged=result.staged,
        subject=view.subject,
        volunteer_share=str(percent) if (percent := _share(report)) is not None else None,
        next_steps=list(view.next_steps),
    )


def _share(report: Report) -> Decimal | None:
    from ..write.report import share

    registered = report.volunteering.registered if report.volunteering else None
    return share(registered, report) if registered is not None else None


@dataclass(frozen=True)
class Settings:
    """What every unit of one run is rendered with."""

    formats: tuple[str, ...]
    template_dir: Path | None
    layout: Layout | None
    pdf_stage: Path | None
    owner: int = 0  # the run's process: it moves the units' files into place


Extra = tuple[Path | None, Settings]  # output folder, settings


def _work(job: CheckJob) -> FileResult:
    """Check one unit; when it has no error, render it, its files staged (runs in a worker process)."""
    path, display, context, (target, run) = job
    found, loaded = load_and_check(path, display, context)
    if loaded is None or found.errors:
        return found
    try:
        found.rendered = summarize(path, display, target, run, loaded)
    except ChuangchengError as exc:  # a photo that cannot be decoded, a template that fails …
        found.diagnostics += list(exc.diagnostics) or [Diagnostic(display, 1, 1, "", exc.message, Severity.ERROR)]
    return found


def fingerprint(template_dir: Path | None, formats: Sequence[str], layout: Layout | None = None) -> str:
    """What else a report depends on besides its input: version, the writer's code and word lists
    (a maintainer may extend words.yaml without a new version), templates, formats, layout (with
    its reference document's bytes)."""
    from ..write.templating import builtin_template_dir, hash_folder

    digest = hashlib.sha256(f"{__version__}|{','.join(sorted(formats))}|{layout!r}".encode())
    hash_sources(digest, Path(__file__).resolve().parents[1] / "write")
    if layout is not None and layout.reference:
        with contextlib.suppress(OSError):
            digest.update(Path(layout.reference).read_bytes())
    for folder in (builtin_template_dir(), template_dir):
        if folder is not None:
            hash_folder(digest, folder)  # every file, in sub-folders too (for {% include %})
    return digest.hexdigest()


def hash_sources(digest: Any, folder: Path) -> None:
    """Add the code and word lists of one package (``folder``'s .py and .yaml files) to ``digest``."""
    for part in sorted(folder.iterdir()):
        if part.suffix in {".py", ".yaml"}:
            digest.update(part.name.encode() + b"\0" + part.read_bytes())


def _file_data(found: FileResult) -> dict[str, object]:
    """A file's findings as JSON data, written field by field (``dataclasses.asdict`` deep-copies:
    a third of a second per thousand units in the run's own process)."""
    return {"path": found.path, "unit": found.unit, "type": found.type, "period": found.period,
            "loaded": found.loaded, "readable": found.readable, "name_at": found.name_at,
            "diagnostics": [[d.path, d.line, d.col, d.field, d.message, d.severity.value, d.code, d.sheet]
                            for d in found.diagnostics],
            "sentences": list(found.sentences)}


def _file_from(data: dict[str, Any]) -> FileResult:
    found = FileResult(data["path"], data["unit"], data["type"], loaded=data["loaded"], readable=data["readable"])
    found.diagnostics = [Diagnostic(path, line, col, where, message, Severity(severity), code, sheet)
                         for path, line, col, where, message, severity, code, sheet in data["diagnostics"]]
    found.sentences = [(a, b, c, d, e) for a, b, c, d, e in data["sentences"]]
    found.name_at = Pos(*data["name_at"])
    found.period = (data["period"][0], data["period"][1]) if data["period"] else None
    return found


_SUMMARY = tuple(f.name for f in fields(UnitSummary) if f.name not in {"pdf_job", "staged"})


def _summary_data(summary: UnitSummary) -> dict[str, object]:
    """A summary as JSON data: its fields are strings, numbers and lists of them (no deep copy)."""
    return {name: getattr(summary, name) for name in _SUMMARY}


class Cache:
    """``.chuangcheng-cache.json``: per unit file, the hash of what it was checked and rendered from,
    its findings and its summary; the files the last run wrote (to remove those no longer made)."""

    def __init__(self, path: Path, salt: str) -> None:
        self.path = path
        self.salt = salt
        self.entries: dict[str, dict[str, Any]] = {}
        self.rollup = ""
        self.written: list[str] = []
        self.dirty = False  # something to save
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict):
            self.written = [str(p) for p in data.get("written", []) if isinstance(p, str)]
            if data.get("salt") == salt:
                self.entries = data.get("units", {})
                self.rollup = str(data.get("rollup", ""))

    def key(self, path: Path) -> str:
        try:
            return hashlib.sha256(path.read_bytes() + self.salt.encode()).hexdigest()
        except OSError:
            return ""  # the worker says what is wrong with it

    def get(self, display: str, key: str) -> FileResult | None:
        entry = self.entries.get(display)
        if not key or not entry or entry.get("key") != key:
            return None
        try:
            found = _file_from(entry["file"])
            if entry.get("summary") is None:  # not rendered: for its errors, or for its verdict last time
                return found if found.errors else None
            summary = UnitSummary(**entry["summary"])
        except (KeyError, TypeError, ValueError):
            return None
        summary.period = tuple(summary.period)  # type: ignore[assignment]
        summary.name_at = Pos(*summary.name_at)
        if not all(Path(p).is_file() for p in summary.outputs):
            return None
        if any(_stamp(Path(p)) != (p, size, mtime) for p, size, mtime in summary.photos):
            return None  # a photo was replaced or removed
        found.rendered = summary
        return found

    def put(self, display: str, key: str, found: dict[str, object], summary: UnitSummary | None) -> None:
        """``found``: the file's findings as its worker returned them (:func:`_file_data`)."""
        self.entries[display] = {"key": key, "file": found,
                                 "summary": _summary_data(summary) if summary else None}
        self.dirty = True

    def forget(self, display: str) -> None:
        entry = self.entries.get(display)
        if entry is not None:
            entry["summary"] = None
            entry["key"] = ""
            self.dirty = True

    def save(self, keep: set[str], written: list[str]) -> None:
        """Write the cache when something changed (a thousand units' entries are megabytes)."""
        units = {k: v for k, v in self.entries.items() if k in keep}
        if not self.dirty and written == self.written and len(units) == len(self.entries) and self.path.exists():
            return
        self.entries, self.written, self.dirty = units, written, False
        data = json.dumps({"salt": self.salt, "units": units, "rollup": self.rollup, "written": written},
                          ensure_ascii=False)
        with contextlib.suppress(OutputError):  # only speed is lost: the next run renders again
            write_all({self.path: data.encode("utf-8")})


Progress = Callable[[int, int, str], None]


def _sweep(folders: set[Path]) -> None:
    """Every file this run staged is in place or dropped: what is left of it (a worker that
    died mid-write, a chunk cut short) goes."""
    for place in folders:
        remove_leftovers(place, own=True)


def _clash(summary: UnitSummary, target: Path, others: list[str]) -> str:
    outcome = ("本单位的报告没有生成" if summary.staged is not None
               else "本单位的报告这次没有更新（文件夹里的是以前生成的，请勿报送）")
    return (f"{summary.file}:{summary.name_at}: CC408 单位.名称: 报告文件 {target.name} 与 {'、'.join(others)} "
            f"的报告重名，{outcome}；请核对单位名称（同一单位只保留一个文件，不同单位请写全称）")


def _settle(result: BatchResult, fresh: list[UnitSummary], reserved: dict[Path, str], cache: Cache,
            keys: dict[str, str], arrived: dict[str, dict[str, object]]) -> None:
    """Check that no two units (nor a unit and ``reserved``) write one file; move the files of
    the others into place. Units that clash fail, naming each other at their 名称 lines."""
    owners: dict[str, list[tuple[UnitSummary, Path]]] = defaultdict(list)
    for summary in [*result.summaries, *fresh]:
        for target in dict.fromkeys(Path(p) for p in summary.outputs):
            owners[same_file_key(target)].append((summary, target))
    taken = {same_file_key(path): who for path, who in reserved.items()}
    clashes: dict[str, list[str]] = defaultdict(list)
    for key, holders in owners.items():
        held = taken.get(key, "")
        if len(holders) < 2 and not held:
            continue
        for summary, target in holders:
            others = [f"{o.file}:{o.name_at}" for o, _ in holders if o is not summary]
            clashes[summary.file].append(_clash(summary, target, others + ([held] if held else [])))
    for summary in [*result.summaries, *fresh]:
        if summary.file in clashes:
            if summary.staged is not None:
                summary.staged.discard()
            result.failures.append(UnitFailure(summary.file, list(dict.fromkeys(clashes[summary.file]))))
    result.summaries = [s for s in result.summaries if s.file not in clashes]
    result.cached = len(result.summaries)
    for summary in fresh:
        if summary.file in clashes:
            continue
        staged, summary.staged = summary.staged, None
        try:
            if staged is not None:
                staged.commit()
        except ChuangchengError as exc:
            result.failures.append(UnitFailure(summary.file, exc.lines()))
            continue
        result.summaries.append(summary)
        cache.put(summary.file, keys[summary.file], arrived[summary.file], summary)
        result.rendered += 1


def render_folder(
    folder: Path,
    out_dir: Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    *,
    force: bool = False,
    fail_fast: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    template_dir: Path | None = None,
    pdf_stage: Path | None = None,
    layout: Layout | None = None,
    reserved: dict[Path, str] | None = None,
    today: dt.date | None = None,
    district: tuple[Loaded[District] | None, list[Diagnostic]] | None = None,
) -> BatchResult:
    """Check every unit file under ``folder`` as ``validate`` does and render those accepted (通过,
    有警告); carry on past bad files unless ``fail_fast``. PDFs are left to the caller's one
    conversion: see :attr:`UnitSummary.pdf_job`. No report overwrites another of the run: units
    whose files clash (with each other, or with a file of ``reserved``: path → who writes it)
    all fail with CC408, and write nothing. Reports an earlier run wrote that this one did not
    (a unit deleted, renamed, now failing) are removed."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: 文件夹不存在")
    today = today or dt.date.today()
    result = BatchResult(folder)
    files = find_unit_files(folder)
    if not files:
        return result
    root_out = out_dir or folder
    source = district_file(folder)
    salt = f"{CACHE_FORMAT}|" + fingerprint(template_dir, formats, layout) + today.isoformat()
    if source is not None:
        with contextlib.suppress(OSError):  # the roster, the period and the bars a unit is judged by
            salt += hashlib.sha256(source.read_bytes()).hexdigest()
    cache = Cache(root_out / CACHE_FILE, salt)
    run = Settings(tuple(formats), template_dir, layout, pdf_stage, os.getpid())
    keys: dict[str, str] = {}
    arrived: dict[str, dict[str, object]] = {}

    def target(path: Path) -> Path | None:  # where a unit's reports go (None: beside its file)
        return out_dir / path.parent.relative_to(folder) if out_dir else None

    folders = {root_out, *(target(p) or p.parent for p in files)}  # every folder a report may be written in

    def extra(path: Path) -> Extra:  # a unit to check and render: before the workers start
        if jobs != 1 and {"docx", "photos"} & set(formats):
            from ..office import word  # noqa: F401  # imported once here, inherited by forked workers
        return target(path), run

    def ready(path: Path) -> FileResult | None:  # unchanged since the last run: its findings and summary
        display = str(path)
        keys[display] = cache.key(path)
        found = None if force else cache.get(display, keys[display])
        if found is not None and found.rendered is not None:
            result.cached += 1
        return found

    def each(found: FileResult) -> bool:
        arrived[found.path] = _file_data(found)
        return fail_fast and bool(found.errors)

    def advance(done: int, total: int) -> None:
        if progress:
            progress(done, total, "")

    for place in folders:
        remove_leftovers(place)  # what an interrupted run left, also where nothing is written this time
    try:
        checked = validate_paths([folder], today=today, jobs=jobs, progress=advance, work=_work, extra=extra,
                                 ours=frozenset(cache.written), stop=each, ready=ready, district_loaded=district)
    except BaseException:
        _sweep(folders)  # files staged by the workers: this run's own temp files
        raise
    result.validation = checked
    if checked.stopped:
        result.stopped = True
        for found in checked.files:
            if found.rendered is not None and found.rendered.staged is not None:
                found.rendered.staged.discard()
        result.failures = [UnitFailure(f.path, [str(d) for d in f.diagnostics]) for f in checked.files if f.errors]
        _sweep(folders)
        return result
    accepted = checked.verdicts.accepted_files()
    fresh: list[UnitSummary] = []
    for found in checked.files:
        summary = found.rendered
        if found.path in arrived and found.path in keys:
            cache.put(found.path, keys[found.path], arrived[found.path], None)  # its findings, until it is rendered
        if summary is None or found.path not in accepted:
            if summary is not None and summary.staged is not None:
                summary.staged.discard()
            result.failures.append(UnitFailure(found.path, _first_problems(found)))
        elif summary.staged is None:
            result.summaries.append(summary)
        else:
            fresh.append(summary)
    _settle(result, fresh, reserved or {}, cache, keys, arrived)
    _sweep(folders)
    state = hashlib.sha256(salt.encode())
    for display in sorted(keys):
        state.update(f"{display}|{keys[display]}|".encode())
    result.state, result.cache = state.hexdigest(), cache
    made = [p for summary in result.summaries for p in summary.outputs] + [str(p) for p in reserved or {}]
    result.removed = remove_stale(cache, made)  # the roll-up's files (reserved) are the caller's to write
    cache.save({f.path for f in checked.files}, made)
    result.summaries.sort(key=lambda s: s.file)
    result.failures.sort(key=lambda f: f.file)
    return result


def _first_problems(found: FileResult) -> list[str]:
    """Why a file was not rendered: its errors (its verdict when it has none: 重复报送, 不在名单 …)."""
    errors = [str(d) for d in found.diagnostics if d.severity is Severity.ERROR]
    if errors:
        return errors
    warnings = [str(d) for d in found.diagnostics if d.severity is Severity.WARNING]
    why = Diagnostic.at(found.path, found.name_at, "单位.名称", f"{found.verdict}，未生成报告")  # the name decides
    return [str(why), *warnings]


def remove_stale(cache: Cache, written: list[str]) -> list[Path]:
    """Remove the reports an earlier run wrote that this run did not (a unit deleted, renamed,
    now failing, sent twice): the output folder holds this run's reports only. Their photo
    folders go with the Markdown they belong to."""
    now = set(written)
    removed = []
    for name in cache.written:
        if name in now:
            continue
        path = Path(name)
        with contextlib.suppress(OSError):
            if path.is_file():
                path.unlink()
                removed.append(path)
        if path.suffix == ".md":
            photos = path.with_name(path.stem + PHOTO_FOLDER)
            with contextlib.suppress(OSError):
                if photos.is_dir():
                    shutil.rmtree(photos)
    return removed
