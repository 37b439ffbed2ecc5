"""A whole district folder: every unit rendered in parallel, bad files reported, work cached.

Each unit is rendered in a worker process by :func:`chuangcheng.render.render_unit` (so a
failed unit writes nothing) and comes back as a small, picklable :class:`UnitSummary` that
the district roll-up is computed from. A cache beside the output keeps the summaries of
units whose input, templates and version have not changed, so a second run renders nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import ChuangchengError, OutputError, UsageError
from ..load.amounts import Amount
from ..load.layout import Layout
from ..office.render import DEFAULT_FORMATS, render_unit
from ..output import Staged, remove_leftovers, same_file_key, write_all
from ..parallel import crash_diagnostic, map_chunked, workers_for
from ..read.discover import district_file, find_unit_files

__all__ = ["CACHE_FILE", "BatchResult", "UnitFailure", "UnitSummary", "district_file", "find_unit_files",
           "render_folder"]

CACHE_FILE = ".chuangcheng-cache.json"


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
    highlights: list[tuple[str, str, str]]  # date, sentence, participants value
    problems: list[str]
    outputs: list[str]
    warnings: list[str] = field(default_factory=list)
    photos: list[tuple[str, int, int]] = field(default_factory=list)  # path, size, mtime_ns
    pdf_job: tuple[str, str] | None = None  # Word file, PDF: converted with the whole folder (not cached)
    name_at: tuple[int, int] = (1, 1)  # where 单位.名称 is written: a clash of file names points there
    staged: Staged | None = None  # the files, until the run has checked no two units clash (not cached)


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
    summaries: list[UnitSummary] = field(default_factory=list)
    failures: list[UnitFailure] = field(default_factory=list)
    rendered: int = 0
    cached: int = 0
    stopped: bool = False  # --fail-fast stopped the run early
    state: str = ""  # a hash of every input file: the roll-up is rewritten when it changes
    cache: Cache | None = None

    @property
    def total(self) -> int:
        return len(self.summaries) + len(self.failures)


def _amount_data(amount: Amount) -> tuple[str, str, str]:
    return (str(amount.value), amount.unit, amount.approx)


def summarize(path: Path, display: str, out_dir: Path | None, run: Settings) -> UnitSummary:
    """Render one unit and describe it for the roll-up (runs in a worker process)."""
    result = render_unit(path, out_dir, run.formats, run.template_dir, run.layout, display=display,
                         pdf_stage=run.pdf_stage, owner=run.owner)
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
        highlights=[(v.activity.date.isoformat() if v.activity.date else "", v.text, str(people.value))
                    for people, v in ranked[:3]],
        problems=list(view.problems),
        outputs=[str(p) for p in result.outputs],
        warnings=[str(w) for w in result.warnings],
        photos=[_stamp(path.parent / p.path) for p in view.photos],
        pdf_job=(str(result.pdf_job[0]), str(result.pdf_job[1])) if result.pdf_job else None,
        name_at=result.name_at,
        staged=result.staged,
    )


@dataclass(frozen=True)
class Settings:
    """What every unit of one run is rendered with."""

    formats: tuple[str, ...]
    template_dir: Path | None
    layout: Layout | None
    pdf_stage: Path | None
    owner: int = 0  # the run's process: it moves the units' files into place


Job = tuple[Path, str, Path | None, Settings]  # unit file, as shown, output folder


def _work(job: Job) -> UnitSummary | UnitFailure:
    path, display, out_dir, run = job
    try:
        return summarize(path, display, out_dir, run)
    except ChuangchengError as exc:
        return UnitFailure(display, exc.lines())


def _crashed(job: Job, exc: BaseException) -> UnitFailure:
    """A unit the program failed on (a bug, or its worker died): listed, the others go on."""
    return UnitFailure(job[1], [str(crash_diagnostic(job[1], exc))])


def fingerprint(template_dir: Path | None, formats: Sequence[str], layout: Layout | None = None) -> str:
    """What else a report depends on besides its input: version, the writer's code and word lists
    (a maintainer may extend words.yaml without a new version), templates, formats, layout (with
    its reference document's bytes)."""
    from ..write.templating import builtin_template_dir, hash_folder

    digest = hashlib.sha256(f"{__version__}|{','.join(sorted(formats))}|{layout!r}".encode())
    for part in sorted((Path(__file__).resolve().parents[1] / "write").iterdir()):
        if part.suffix in {".py", ".yaml"}:
            digest.update(part.name.encode() + b"\0" + part.read_bytes())
    if layout is not None and layout.reference:
        with contextlib.suppress(OSError):
            digest.update(Path(layout.reference).read_bytes())
    for folder in (builtin_template_dir(), template_dir):
        if folder is not None:
            hash_folder(digest, folder)  # every file, in sub-folders too (for {% include %})
    return digest.hexdigest()


class Cache:
    """``.chuangcheng-cache.json``: per unit file, the hash of what it was rendered from and its summary."""

    def __init__(self, path: Path, salt: str) -> None:
        self.path = path
        self.salt = salt
        self.entries: dict[str, dict[str, object]] = {}
        self.rollup = ""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("salt") == salt:
                self.entries = data.get("units", {})
                self.rollup = str(data.get("rollup", ""))
        except (OSError, ValueError):
            pass

    def key(self, path: Path) -> str:
        return hashlib.sha256(path.read_bytes() + self.salt.encode()).hexdigest()

    def get(self, display: str, key: str) -> UnitSummary | None:
        entry = self.entries.get(display)
        if not entry or entry.get("key") != key:
            return None
        summary = UnitSummary(**entry["summary"])  # type: ignore[arg-type]
        summary.period = tuple(summary.period)  # type: ignore[assignment]
        summary.name_at = tuple(summary.name_at)  # type: ignore[assignment]
        if not all(Path(p).is_file() for p in summary.outputs):
            return None
        if any(_stamp(Path(p)) != (p, size, mtime) for p, size, mtime in summary.photos):
            return None  # a photo was replaced or removed
        return summary

    def put(self, display: str, key: str, summary: UnitSummary) -> None:
        self.entries[display] = {"key": key, "summary": {**asdict(summary), "pdf_job": None, "staged": None}}

    def save(self, keep: set[str]) -> None:
        units = {k: v for k, v in self.entries.items() if k in keep}
        data = json.dumps({"salt": self.salt, "units": units, "rollup": self.rollup}, ensure_ascii=False)
        with contextlib.suppress(OutputError):  # only speed is lost: the next run renders again
            write_all({self.path: data.encode("utf-8")})


Progress = Callable[[int, int, str], None]


def _sweep(folders: set[Path]) -> None:
    """Every file this run staged is in place or dropped: what is left of it (a worker that
    died mid-write, a chunk cut short) goes."""
    for place in folders:
        remove_leftovers(place, own=True)


def _clash(summary: UnitSummary, target: Path, others: list[str]) -> str:
    line, col = summary.name_at
    outcome = ("本单位的报告没有生成" if summary.staged is not None
               else "本单位的报告这次没有更新（文件夹里的是以前生成的，请勿报送）")
    return (f"{summary.file}:{line}:{col}: CC408 单位.名称: 报告文件 {target.name} 与 {'、'.join(others)} "
            f"的报告重名，{outcome}；请核对单位名称（同一单位只保留一个文件，不同单位请写全称）")


def _settle(result: BatchResult, fresh: list[UnitSummary], reserved: dict[Path, str], cache: Cache,
            keys: dict[str, str]) -> None:
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
            others = [f"{o.file}:{o.name_at[0]}:{o.name_at[1]}" for o, _ in holders if o is not summary]
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
        cache.put(summary.file, keys[summary.file], summary)
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
) -> BatchResult:
    """Render every unit file under ``folder``; carry on past bad files unless ``fail_fast``.
    PDFs are left to the caller's one conversion: see :attr:`UnitSummary.pdf_job`. No report
    overwrites another of the run: units whose files clash (with each other, or with a file
    of ``reserved``: path → who writes it) all fail with CC408, and write nothing."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: 文件夹不存在")
    files = find_unit_files(folder)
    result = BatchResult(folder)
    if not files:
        return result
    root_out = out_dir or folder
    cache = Cache(root_out / CACHE_FILE, fingerprint(template_dir, formats, layout))
    run = Settings(tuple(formats), template_dir, layout, pdf_stage, os.getpid())
    jobs_todo: list[Job] = []
    keys: dict[str, str] = {}
    folders = {root_out}
    for path in files:
        display = str(path)
        target = out_dir / path.parent.relative_to(folder) if out_dir else None
        folders.add(target or path.parent)
        keys[display] = cache.key(path)
        cached = None if force else cache.get(display, keys[display])
        if cached is not None:
            result.summaries.append(cached)
            result.cached += 1
        else:
            jobs_todo.append((path, display, target, run))
    for place in folders:  # what an interrupted run left, also where nothing is written this time
        remove_leftovers(place)
    done = result.cached
    total = len(files)
    if progress:
        progress(done, total, "")
    workers = workers_for(jobs, len(jobs_todo))
    if workers > 1 and len(jobs_todo) > 1 and "docx" in formats:
        from ..office import word  # noqa: F401  # imported once here, inherited by forked workers
    fresh: list[UnitSummary] = []
    outcomes = map_chunked(_work, jobs_todo, workers, _crashed)
    try:
        for outcome in outcomes:
            done += 1
            if isinstance(outcome, UnitFailure):
                result.failures.append(outcome)
            else:
                fresh.append(outcome)
            if progress:
                progress(done, total, outcome.file)
            if fail_fast and result.failures:
                result.stopped = True
                break
    except BaseException:
        outcomes.close()  # the workers stop first: nothing is staged after this
        for summary in fresh:
            if summary.staged is not None:
                summary.staged.discard()
        _sweep(folders)
        raise
    finally:
        outcomes.close()
    _settle(result, fresh, reserved or {}, cache, keys)
    _sweep(folders)
    state = hashlib.sha256()
    for display in sorted(keys):
        state.update(f"{display}|{keys[display]}|".encode())
    result.state, result.cache = state.hexdigest(), cache
    if result.rendered or not cache.path.exists():
        cache.save({s.file for s in result.summaries})
    result.summaries.sort(key=lambda s: s.file)
    result.failures.sort(key=lambda f: f.file)
    return result
