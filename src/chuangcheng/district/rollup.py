"""The district folder run: every unit rendered, then the roll-up (区级汇总报告, :mod:`.report`) and
汇总表.xlsx written, PDFs converted in one go."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..check.verdicts import Verdicts
from ..errors import Diagnostic
from ..load.layout import Layout
from ..load.models import District
from ..office.render import DEFAULT_FORMATS, PdfJob, report_files
from ..output import safe_filename
from .batch import BatchResult, Progress, district_file, hash_sources, render_folder
from .indicators import Names
from .report import build_district_view

PDF_STEP = "PDF"  # what ``progress`` is told when the one LibreOffice call starts


ROLLUP_TEMPLATE = "district.md.j2"
WORKBOOK = "汇总表.xlsx"


def write_rollup(result: BatchResult, district: District | None, out_root: Path,
                 formats: Sequence[str], layout: Layout | None = None, template_dir: Path | None = None,
                 pdf_stage: Path | None = None) -> tuple[list[Path], PdfJob | None]:
    """Write the roll-up (Word, Markdown; PDF as :func:`report_files` says) and 汇总表.xlsx."""
    from ..output import write_all
    from ..write.templating import render_template
    from .workbook import build_workbook

    names = Names(district.synonyms if district else None)
    view = build_district_view(result, district, names=names)
    markdown = render_template(ROLLUP_TEMPLATE, template_dir, d=view)
    stem = safe_filename(f"{view.district}汇总")
    files, job = report_files(markdown, out_root, stem, formats, layout=layout, pdf_stage=pdf_stage)
    verdicts = result.validation.verdicts if result.validation else Verdicts([], 0)
    files[out_root / WORKBOOK] = build_workbook(result.summaries, verdicts, names, view.title, view.indicators)
    return write_all(files) + ([job[1]] if job else []), job


@dataclass
class DistrictResult:
    """A folder run: the units' outcome, the district file's problems, what the roll-up wrote."""

    batch: BatchResult
    district_problems: list[Diagnostic]
    rollup: list[Path]
    rollup_unchanged: bool = False
    pdf_job: PdfJob | None = None  # the roll-up's PDF, converted with the units'
    pdf_failures: list[tuple[Path, str]] = field(default_factory=list)  # PDF not written, reason
    rollup_failure: list[str] = field(default_factory=list)  # why the roll-up could not be written


def render_district(folder: Path, out_dir: Path | None = None, formats: Sequence[str] = DEFAULT_FORMATS,
                    *, force: bool = False, fail_fast: bool = False, jobs: int | None = None,
                    progress: Progress | None = None, template_dir: Path | None = None,
                    reference: Path | None = None, script: str = "hans", activities: str | None = None
                    ) -> DistrictResult:
    """Render every unit under ``folder``, then the roll-up unless nothing changed since last time;
    with PDF asked for, every new PDF comes from one LibreOffice call at the end."""
    import contextlib
    import tempfile

    from ..errors import OutputError
    from ..office.pdf import MISSING_MESSAGE, convert, find_soffice

    pdf = "pdf" in formats
    if pdf and find_soffice() is None:  # before any work, not after a thousand units
        raise OutputError(MISSING_MESSAGE)
    staging = (tempfile.TemporaryDirectory(prefix="chuangcheng-", ignore_cleanup_errors=True) if pdf
               else contextlib.nullcontext(None))
    with staging as stage:
        result = _render_district(folder, out_dir, formats, force=force, fail_fast=fail_fast, jobs=jobs,
                                  progress=progress, template_dir=template_dir, reference=reference, script=script,
                                  pdf_stage=Path(stage) if stage else None, activities=activities)
        pending = [(Path(s.pdf_job[0]), Path(s.pdf_job[1])) for s in result.batch.summaries if s.pdf_job]
        if result.pdf_job:
            pending.append(result.pdf_job)
        if progress and pending:
            progress(0, len(pending), PDF_STEP)
        targets = dict(pending)
        result.pdf_failures = [(targets[source], why) for source, why in convert(pending)]
        if result.pdf_failures:
            _forget(result, {target for target, _ in result.pdf_failures})
    return result


def _forget(result: DistrictResult, failed: set[Path]) -> None:
    """PDFs that LibreOffice did not write: their units and the roll-up are made again next run."""
    cache = result.batch.cache
    result.rollup = [p for p in result.rollup if p not in failed]
    if cache is None:
        return
    names = {str(p) for p in failed}
    for summary in result.batch.summaries:
        if names & set(summary.outputs):
            cache.forget(summary.file)
    cache.rollup, cache.dirty = "", True
    cache.save(set(cache.entries), cache.written)


def _render_district(folder: Path, out_dir: Path | None, formats: Sequence[str], *, force: bool, fail_fast: bool,
                     jobs: int | None, progress: Progress | None, template_dir: Path | None,
                     reference: Path | None, script: str, pdf_stage: Path | None = None,
                     activities: str | None = None) -> DistrictResult:
    import hashlib

    from ..errors import ChuangchengError, UsageError
    from ..load.loader import try_load_district
    from ..office.letterhead import docx_warnings
    from ..office.render import layout_for

    loaded, read = try_load_district(district_file(folder))
    district = loaded.model if loaded else None
    problems = list(read)
    layout = layout_for(loaded, reference, script, activities=activities)
    problems = [*problems, *docx_warnings(layout, formats)]  # a bad reference stops the run before any unit
    root = out_dir or folder
    stem = safe_filename(f"{district.name if district else folder.name}汇总")
    expected = [root / f"{stem}.{fmt}" for fmt in formats] + [root / WORKBOOK]
    holder = "区级汇总"
    if loaded is not None:
        holder = f"区级汇总（{loaded.places.file}:{loaded.places.at(('name',)).pos}）"
    batch = render_folder(folder, out_dir, formats, force=force, fail_fast=fail_fast, jobs=jobs,
                          progress=progress, template_dir=template_dir, pdf_stage=pdf_stage, layout=layout,
                          reserved=dict.fromkeys(expected, holder), district=(loaded, list(read)))
    if batch.total == 0:
        raise UsageError(f"{folder}: 文件夹中没有单位文件（.yaml）")
    if batch.stopped:
        return DistrictResult(batch, problems, [])
    verdicts = batch.validation.verdicts if batch.validation else None
    judged = "|".join(f"{u.name}:{u.verdict}:{'、'.join(f.path for f in u.files)}" for u in verdicts.units) \
        if verdicts else ""  # a unit that fails for a passing reason, or comes back
    judged += "|".join(s.file for s in batch.summaries)  # the units summed
    digest = hashlib.sha256((batch.state + judged + ",".join(formats) + repr(layout)).encode())
    hash_sources(digest, Path(__file__).parent)  # the roll-up's own code and word lists
    state = digest.hexdigest()
    cache = batch.cache
    outcome = DistrictResult(batch, problems, expected, rollup_unchanged=True)
    if force or cache is None or cache.rollup != state or not all(p.is_file() for p in expected):
        try:
            written, job = write_rollup(batch, district, root, formats, layout, template_dir, pdf_stage)
            outcome = DistrictResult(batch, problems, written, pdf_job=job)
            if cache is not None:
                cache.rollup, cache.dirty = state, True
        except ChuangchengError as exc:  # the units' reports stand; the roll-up is tried again next run
            outcome = DistrictResult(batch, problems, [], rollup_failure=exc.lines())
    if cache is not None:  # the roll-up's state (its files are among render_folder's, as reserved)
        cache.save(set(cache.entries), cache.written)
    return outcome
