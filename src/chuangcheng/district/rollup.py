"""The district's roll-up (区级汇总): submissions against the roster, totals, units, highlights."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..check.verdicts import DUPLICATE, MISSING, UNLISTED, VERDICTS, Verdicts
from ..errors import Diagnostic
from ..load.amounts import Amount, sum_amounts
from ..load.dates import cn_date, period_label
from ..load.layout import Layout
from ..load.models import District
from ..office.render import DEFAULT_FORMATS, PdfJob, report_files
from ..output import safe_filename
from ..write.prose import people_times
from .batch import BatchResult, Progress, UnitSummary, district_file, render_folder
from .indicators import Names

# Problems units report, sorted into the themes a district office reads them by.
THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("群众参与和宣传", ("参与", "认识", "意识", "知晓", "宣传", "积极性")),
    ("环境卫生和长效管理", ("环境", "卫生", "垃圾", "楼道", "堆物", "死角", "反弹", "长效", "保洁")),
    ("基础设施和经费", ("设施", "用房", "经费", "资金", "场地", "老旧", "改造", "路面")),
    ("志愿服务", ("志愿",)),
    ("文明行为和秩序", ("停车", "交通", "不文明", "秩序", "占道", "吸烟")),
)
OTHER_THEME = "其他"
PDF_STEP = "PDF"  # what ``progress`` is told when the one LibreOffice call starts
MAIN_ITEMS = 3


@dataclass
class UnitRow:
    """One row of the per-unit table."""

    name: str
    type: str
    activities: int
    participants: str
    volunteers: str
    main: list[str]
    file: str


@dataclass
class DistrictView:
    """Everything the roll-up template prints."""

    title: str
    district: str
    period: str
    goal: str
    deadline: str
    expected: int  # units on the roster (0: no roster)
    submitted: int  # roster units that sent something (with a roster), else files received
    valid: int  # units accepted into the roll-up
    counts: list[tuple[str, int, list[str]]]  # verdict, units, their names: every verdict that occurs
    activities: int
    participants: str
    volunteers: str
    totals: list[tuple[str, str, int]]  # item, amount, units reporting it
    headline: list[str]  # the amounts most units report, for the opening
    main_items: list[str]
    units: list[UnitRow]
    highlights: list[tuple[str, str]]  # unit, sentence
    problems: list[tuple[str, list[tuple[str, str]]]]  # theme, [(unit, problem)]
    missing: list[str]
    invalid: list[tuple[str, str]]  # unit, verdict: sent, not accepted (退回修改, 重复报送 …)
    unlisted: list[str]
    duplicates: list[str]


def _amount(data: tuple[str, str, str] | list[str]) -> Amount:
    value, unit, approx = data
    return Amount(Decimal(value), unit, approx)


def _people(values: list[tuple[str, str, str]], times: bool = False) -> str:
    amounts = [people_times(_amount(v)) if times else _amount(v) for v in values]
    return "、".join(str(a) for a in sum_amounts(("", a) for a in amounts).values())


def theme_of(problem: str) -> str:
    """The theme a problem belongs to (the first whose keywords it mentions)."""
    return next((name for name, words in THEMES if any(w in problem for w in words)), OTHER_THEME)


def build_district_view(result: BatchResult, district: District | None) -> DistrictView:
    """Compute the roll-up from the units' summaries (fresh or cached) and the district file."""
    units = result.summaries  # the accepted units only: their verdicts are in result.validation
    names = Names(district.synonyms if district else None)  # 发放宣传单 and 发放宣传册 counted as one
    item_totals = sum_amounts((names(item), _amount((v, u, a))) for s in units for item, v, u, a in s.amounts)
    reporting = Counter(key for s in units for key in {(names(item), u) for item, _, u, _ in s.amounts})
    ranked = sorted(item_totals, key=lambda k: -reporting[k])  # stable: first seen first on a tie
    main_keys = ranked[:MAIN_ITEMS]
    verdicts = result.validation.verdicts if result.validation else Verdicts([], 0)
    judged = verdicts.of_file()
    roster_order = {u.name: i for i, u in enumerate(verdicts.units)}

    def called(s: UnitSummary) -> str:  # the roster's name (桂花社区, not 桂花社区居委会)
        return judged[s.file].name if s.file in judged else s.name

    rows = []
    for s in sorted(units, key=lambda u: (roster_order.get(called(u), len(roster_order)), u.file)):
        mine = sum_amounts((names(item), _amount((v, u, a))) for item, v, u, a in s.amounts)
        rows.append(UnitRow(called(s), s.type, s.activities, _people(s.participants, True) or "—",
                            _people(s.volunteers, True) or "—",
                            [str(mine[k]) if k in mine else "—" for k in main_keys], s.file))
    highlights = sorted(((Decimal(h[2]), called(s), h[1]) for s in units for h in s.highlights), reverse=True)
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in units:
        for problem in s.problems:
            grouped[theme_of(problem)].append((called(s), problem))
    order = [name for name, _ in THEMES] + [OTHER_THEME]
    name = district.name if district else result.folder.name
    period = (district.period.name if district else
              period_label(date.fromisoformat(units[0].period[0]), date.fromisoformat(units[0].period[1]))
              if units else "")
    goal = district.goal if district else "全国文明城市"
    named: dict[str, list[str]] = defaultdict(list)
    for unit in verdicts.units:
        named[unit.verdict].append(unit.name)
    sent = [u for u in verdicts.units if u.verdict not in {MISSING, UNLISTED}]
    return DistrictView(
        title=f"{name}{period}创建{goal}工作汇总",
        district=name, period=period, goal=goal,
        deadline=cn_date(district.deadline) if district else "",
        expected=verdicts.roster,
        submitted=len(sent),
        valid=len(units),
        counts=[(v, len(named[v]), named[v]) for v in VERDICTS if named[v]],
        activities=sum(s.activities for s in units),
        participants=_people([p for s in units for p in s.participants], True),
        volunteers=_people([v for s in units for v in s.volunteers], True),
        totals=[(item, str(total), reporting[(item, unit)]) for (item, unit), total in item_totals.items()],
        headline=[f"{k[0]}{item_totals[k]}" for k in ranked[:6]],
        main_items=[k[0] for k in main_keys],
        units=rows,
        highlights=[(unit, text) for _, unit, text in highlights[:8]],
        problems=[(theme, grouped[theme]) for theme in order if grouped.get(theme)],
        missing=named[MISSING],
        invalid=[(u.name, u.verdict) for u in sent if not u.accepted],
        unlisted=named[UNLISTED],
        duplicates=named[DUPLICATE],
    )


ROLLUP_TEMPLATE = "district.md.j2"
WORKBOOK = "汇总表.xlsx"


def write_rollup(result: BatchResult, district: District | None, out_root: Path,
                 formats: Sequence[str], layout: Layout | None = None, template_dir: Path | None = None,
                 pdf_stage: Path | None = None) -> tuple[list[Path], PdfJob | None]:
    """Write the roll-up (Word, Markdown; PDF as :func:`report_files` says) and 汇总表.xlsx."""
    from ..output import write_all
    from ..write.templating import render_template
    from .workbook import build_workbook

    view = build_district_view(result, district)
    markdown = render_template(ROLLUP_TEMPLATE, template_dir, d=view)
    stem = safe_filename(f"{view.district}汇总")
    files, job = report_files(markdown, out_root, stem, formats, layout=layout, pdf_stage=pdf_stage)
    verdicts = result.validation.verdicts if result.validation else Verdicts([], 0)
    names = Names(district.synonyms if district else None)
    files[out_root / WORKBOOK] = build_workbook(result.summaries, verdicts, names, view.title)
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
    cache.rollup = ""
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

    loaded, problems = try_load_district(district_file(folder))
    district = loaded.model if loaded else None
    layout = layout_for(loaded, reference, script, activities=activities)
    problems = [*problems, *docx_warnings(layout, formats)]  # a bad reference stops the run before any unit
    root = out_dir or folder
    stem = safe_filename(f"{district.name if district else folder.name}汇总")
    expected = [root / f"{stem}.{fmt}" for fmt in formats] + [root / WORKBOOK]
    holder = "区级汇总"
    if loaded is not None:
        line, col, _ = loaded.places.at(("name",))
        holder = f"区级汇总（{loaded.places.file}:{line}:{col}）"
    batch = render_folder(folder, out_dir, formats, force=force, fail_fast=fail_fast, jobs=jobs,
                          progress=progress, template_dir=template_dir, pdf_stage=pdf_stage, layout=layout,
                          reserved=dict.fromkeys(expected, holder))
    if batch.total == 0:
        raise UsageError(f"{folder}: 文件夹中没有单位文件（.yaml）")
    if batch.stopped:
        return DistrictResult(batch, problems, [])
    verdicts = batch.validation.verdicts if batch.validation else None
    judged = "|".join(f"{u.name}:{u.verdict}:{'、'.join(f.path for f in u.files)}" for u in verdicts.units) \
        if verdicts else ""  # a unit that fails for a passing reason, or comes back
    judged += "|".join(s.file for s in batch.summaries)  # the units summed
    state = hashlib.sha256((batch.state + judged + ",".join(formats) + repr(layout)).encode()).hexdigest()
    cache = batch.cache
    outcome = DistrictResult(batch, problems, expected, rollup_unchanged=True)
    if force or cache is None or cache.rollup != state or not all(p.is_file() for p in expected):
        try:
            written, job = write_rollup(batch, district, root, formats, layout, template_dir, pdf_stage)
            outcome = DistrictResult(batch, problems, written, pdf_job=job)
            if cache is not None:
                cache.rollup = state
        except ChuangchengError as exc:  # the units' reports stand; the roll-up is tried again next run
            outcome = DistrictResult(batch, problems, [], rollup_failure=exc.lines())
    if cache is not None:  # the roll-up's files are this run's too (the units' were saved by render_folder)
        cache.save(set(cache.entries), cache.written + [str(p) for p in outcome.rollup or expected])
    return outcome
