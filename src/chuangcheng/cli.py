"""The command line: parses, calls the core, prints. All errors pass through :func:`_guard`."""

# No `from __future__ import annotations`: typer reads these annotations on every run, and
# strings would have to be evaluated first (≈ 2 % of a one-file run, benchmarks/startup.py).

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import replace
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__
from .cli_help import ChineseCommand, ChineseGroup
from .errors import ChuangchengError, Diagnostic, Severity, UsageError

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from .check.validate import Validation
    from .check.verdicts import UnitVerdict
    from .district.batch import BatchResult


@cache
def err() -> "Console":
    """Coloured messages on stderr. rich is imported on the first one, not at start-up: it is
    ≈ 25 ms of a one-file run, whose plain "已生成" lines go out through ``typer.echo``."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)

app = typer.Typer(
    name="chuangcheng",
    help="创城：把单位的创建文明城市工作台账（YAML）生成公文格式的工作总结（Word、Markdown）。",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
    cls=ChineseGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Script(str, Enum):
    hans = "hans"
    hant = "hant"
    hant_tw = "hant-tw"
    hant_hk = "hant-hk"


class Format(str, Enum):
    docx = "docx"
    md = "md"
    pdf = "pdf"
    photos = "photos"


def _secho(message: str, *, err: bool = False, fg: str | None = None, bold: bool | None = None) -> None:
    """A line in colour or bold, plain when NO_COLOR is set (no-color.org; rich's own output honours it too)."""
    if os.environ.get("NO_COLOR"):
        typer.echo(message, err=err)  # not secho without a style: it still ends the line with a reset code
        return
    typer.secho(message, err=err, fg=fg, bold=bold)


def _print_diagnostics(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], *, stdout: bool = False) -> None:
    """Render's problems go to stderr; validate's findings are its output, on stdout. One
    ``secho`` a line (colour only on a terminal): thousands of lines print in milliseconds."""
    for diag in diagnostics:
        colour = {Severity.ERROR: "red", Severity.WARNING: "yellow"}.get(diag.severity, "cyan")
        _secho(str(diag), fg=colour, err=not stdout)


@contextmanager
def _guard() -> Iterator[None]:
    """The one handler: chuangcheng's errors are printed and mapped to exit codes."""
    try:
        yield
    except ChuangchengError as exc:
        _print_diagnostics(exc.diagnostics)
        if not exc.diagnostics:
            _secho(exc.message, fg="red", err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _secho("已中断；已写完的文件保留，没有留下写了一半的文件。", fg="yellow", err=True)
        raise typer.Exit(130) from None


def _echo_json(data: object) -> None:
    """JSON on stdout, always UTF-8 (as JSON must be), whatever the console or the redirection's
    code page: ``validate --format json > 结果.json`` on Chinese Windows would otherwise be GBK."""
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None or (stream.encoding or "").lower().replace("-", "") in {"utf8", "utf8sig"}:
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _exist(*paths: Path) -> None:
    """A path named on the command line that is not there is a usage error (exit 2), in every command."""
    missing = next((p for p in paths if not p.exists()), None)
    if missing is not None:
        raise UsageError(f"{missing}: 文件或文件夹不存在，请检查路径"
                         "（在文件夹里按住 Shift 再右键点文件，可“复制为路径”）")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chuangcheng {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", "-V", help="显示版本号后退出。", callback=_version, is_eager=True)] = False,
) -> None:
    """创城：把单位的创建文明城市工作台账（YAML）生成公文格式的工作总结（Word、Markdown）。"""


@app.command(
    "render", cls=ChineseCommand,
    help="""生成创城工作总结（Word 按 GB/T 9704-2012 公文格式排版，另附 Markdown）。

给一个单位文件（.yaml，或 Excel 台账 .xlsx）：生成这个单位的总结，以单位名称命名（如 官塘社区.docx），
默认放在单位文件旁边。-f photos 另生成照片台账（官塘社区照片台账.docx：一项活动一页，附照片和说明）。

给一个区的文件夹：并行生成其中所有单位的总结（遇到有问题的文件继续处理其余文件，最后列出），
再生成区级汇总（江城区汇总.docx/.md）和 汇总表.xlsx。未改动的单位不会重复生成（--force 全部重新生成）。

示例：

  chuangcheng render 官塘社区.yaml

  chuangcheng render 官塘社区.yaml -o 输出 -f docx

  chuangcheng render 官塘社区.yaml -f pdf      （PDF 需要安装 LibreOffice）

  chuangcheng render 官塘社区.xlsx -f docx -f photos

  chuangcheng render 江城区/ -o 输出
""",
)
def render(
    path: Annotated[Path, typer.Argument(
        help="单位文件（.yaml）或 Excel 台账（.xlsx），或一个区的文件夹", metavar="单位文件.yaml|台账.xlsx|文件夹",
        show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="文件夹",
        help="输出文件夹；默认与单位文件在同一文件夹。", show_default=False)] = None,
    formats: Annotated[list[Format] | None, typer.Option(
        "--format", "-f", metavar="格式",
        help="输出格式：docx、md、pdf（需要 LibreOffice）、photos（照片台账，Word 文件），"
        "可写多次；默认生成 docx 和 md。",
        show_default=False)] = None,
    template_dir: Annotated[Path | None, typer.Option(
        "--template-dir", metavar="文件夹",
        help="自定义模板文件夹：其中的同名模板替换内置模板。", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="文件夹：全部重新生成，不使用缓存。")] = False,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="文件夹：遇到第一个有问题的文件就停止。")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", metavar="个数",
        help="文件夹：同时使用的进程数，默认等于 CPU 核数。", show_default=False)] = None,
    reference: Annotated[Path | None, typer.Option(
        "--reference-docx", metavar="信笺.docx",
        help="参考文档（本单位的 Word 信笺，.docx）：页面设置、样式、页眉页脚取自它；"
        "覆盖区文件“版式: 参考文档”。chuangcheng reference 可生成一份起步用的。", show_default=False)] = None,
    script: Annotated[Script, typer.Option(
        "--script", metavar="字形", help="字形：hans 简体（默认，规范汉字）；hant 繁体（OpenCC 标准字形），"
        "hant-tw 台湾字形，hant-hk 香港字形。", show_default=False)] = Script.hans,
    all_activities: Annotated[bool, typer.Option(
        "--all-activities", help="逐项写出每一项活动；默认概括：每部分先写总数，再举一至三个有代表性的例子。"
        "覆盖区文件“版式: 活动写法”。")] = False,
) -> None:
    from .office.letterhead import docx_warnings
    from .office.render import DEFAULT_FORMATS, render_unit, unit_layout

    chosen = [f.value for f in formats] if formats else list(DEFAULT_FORMATS)
    with _guard():
        _exist(path)
        if template_dir is not None and not template_dir.is_dir():
            raise UsageError(f"{template_dir}: 模板文件夹不存在")
        if reference is not None and reference.suffix.lower() != ".docx":
            raise UsageError(f"{reference}: 参考文档应为 .docx 文件（.doc、.wps 请先在 Word 或 WPS 中另存为 .docx）")
        if path.is_dir():
            _render_folder(path, output, chosen, force=force, fail_fast=fail_fast, jobs=jobs,
                           template_dir=template_dir, reference=reference, script=script.value,
                           activities="all" if all_activities else None)
            return
        layout, problems = unit_layout(path, reference, script.value, activities="all" if all_activities else None)
        broken = [d for d in problems if d.severity is Severity.ERROR]
        if broken:
            _print_diagnostics(broken)
            _secho("区文件有以上问题，本次按默认版式生成。", fg="yellow", err=True)
        notes = docx_warnings(layout, chosen)  # the reference is read before the unit: said once
        result = render_unit(path, output, chosen, template_dir, layout)
        _print_diagnostics([*notes, *result.warnings])
        for written in result.outputs:
            typer.echo(f"已生成 {written}")


def _render_folder(folder: Path, output: Path | None, formats: list[str], *, force: bool,
                   fail_fast: bool, jobs: int | None, template_dir: Path | None, reference: Path | None,
                   script: str, activities: str | None) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .district.rollup import PDF_STEP, render_district

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    console = err()
    # No bar at all off a terminal: rich before 15 writes a blank line when even a disabled one stops.
    with Progress(*columns, console=console, transient=True) if console.is_terminal else nullcontext() as bar:
        task = bar.add_task("生成", total=None) if bar is not None else None

        def advance(done: int, total: int, file: str) -> None:
            if bar is None or task is None:
                return
            if file == PDF_STEP:
                bar.update(task, description="LibreOffice 生成 PDF", completed=done, total=total)
            else:
                bar.update(task, completed=done, total=total)

        result = render_district(folder, output, formats, force=force, fail_fast=fail_fast, jobs=jobs,
                                 progress=advance, template_dir=template_dir, reference=reference, script=script,
                                 activities=activities)
    batch = result.batch
    _print_diagnostics(result.district_problems)
    for summary in batch.summaries:
        for warning in summary.warnings:
            _secho(warning, fg="yellow", err=True)
    typer.echo(_render_counts(batch))
    verb = "未改动" if result.rollup_unchanged else "已生成"
    for written in result.rollup:
        typer.echo(f"{verb} {written}")
    for failure in batch.failures:
        _secho(failure.messages[0] if failure.messages else failure.file, fg="red", err=True)
    for pdf, why in result.pdf_failures:
        _secho(f"{pdf}: 未生成 PDF：{why}", fg="red", err=True)
    for line in result.rollup_failure:
        _secho(f"未生成区级汇总：{line}", fg="red", err=True)
    if batch.removed:
        typer.echo(f"已删除以前生成、这次不再生成的报告 {len(batch.removed)} 个（单位已删除、改名或未通过）")
    if batch.stopped:
        _secho("遇到有问题的文件，已按 --fail-fast 停止；未生成区级汇总。", fg="red", err=True)
    if batch.failures or result.pdf_failures or result.rollup_failure:
        raise typer.Exit(1)


def _render_counts(batch: "BatchResult") -> str:
    """应报送 9 个单位：可以汇总 3 个（本次生成 3 个，未改动 0 个）；退回修改 1 个……"""
    made = f"可以汇总 {len(batch.summaries)} 个（本次生成 {batch.rendered} 个，未改动 {batch.cached} 个）"
    if batch.validation is None or batch.stopped:
        return f"共 {batch.total} 个：{made}，未通过 {len(batch.failures)} 个"
    verdicts = batch.validation.verdicts
    counts = verdicts.counts()
    rest = [f"{v} {n} 个" for v, n in counts.items() if n and v not in {"通过", "有警告", "不在名单"}]
    head = f"应报送 {verdicts.roster} 个单位：" if verdicts.roster else f"共 {len(verdicts.units)} 个单位："
    tail = f"；另有不在名单的 {counts['不在名单']} 个（未生成报告）" if counts["不在名单"] else ""
    return head + made + ("；" + "、".join(rest) if rest else "") + tail


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


@app.command(
    "validate", cls=ChineseCommand,
    help="""检查单位文件或一个区的文件夹：格式、内容、测评体系指标、名单和截止日期。

每个问题一行：文件:行:列: 规则代码 字段: 说明（警告在代码后标“警告”）。有错误时退出码为 1，
只有警告时为 0（--strict 时为 1）。规则见 chuangcheng rules。

示例：

  chuangcheng validate 官塘社区.yaml

  chuangcheng validate 江城区/

  chuangcheng validate 江城区/ --ignore CC213 --format json
""",
)
def validate(
    paths: Annotated[list[Path], typer.Argument(
        help="单位文件或 Excel 台账（可写多个），或一个区的文件夹", metavar="单位文件.yaml|台账.xlsx|文件夹...",
        show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="有警告也算不通过（退出码 1）。")] = False,
    select: Annotated[list[str] | None, typer.Option(
        "--select", metavar="规则", help="只检查这些规则：代码或前缀，如 CC2、CC301；可写多次或用逗号分隔。",
        show_default=False)] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", metavar="规则", help="不检查这些规则，写法同 --select。", show_default=False)] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", metavar="格式",
        help="输出格式：text（默认）或 json（供其他程序读取）。", show_default=False)] = OutputFormat.text,
    today: Annotated[str | None, typer.Option(
        "--today", metavar="日期",
        help="按这一天检查日期和截止日期（如 2026-07-08）；默认今天。", show_default=False)] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", metavar="个数", help="同时使用的进程数，默认等于 CPU 核数。", show_default=False)] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="检查文件夹时，把可以汇总的单位也逐个列出。")] = False,
    notices: Annotated[Path | None, typer.Option(
        "--notices", metavar="文件夹",
        help="检查文件夹时，在这个文件夹里写报送情况.xlsx、每个要退回的单位一份退回修改通知（Word）"
                          "和与上次相比的变化情况.md。", show_default=False)] = None,
) -> None:

    from .check.validate import validate_paths
    from .load.dates import DateError, parse_date

    with _guard():
        _exist(*paths)
        day = None
        if today is not None:
            try:
                day = parse_date(today)
            except DateError as exc:
                raise UsageError(f"--today：{exc}") from None
        if notices is not None and not any(p.is_dir() for p in paths):
            raise UsageError("--notices 用于检查整个区的文件夹：请写区文件夹")
        result = validate_paths(paths, select=select or [], ignore=ignore or [], strict=strict, today=day,
                                jobs=jobs)
        written = []
        if notices is not None:
            from .district.notices import write_notices

            written = write_notices(result, notices, day)
    if output_format is OutputFormat.json:
        _echo_json(result.to_json())
    else:
        _print_validation(result, verbose)
        for path in written:
            typer.echo(f"已生成 {path}")
    if not result.passed:
        raise typer.Exit(1)


_VERDICT_COLOURS = {"未报送": "red", "退回修改": "red", "报告期不符": "red", "重复报送": "red", "无法读取": "red",
                    "不在名单": "yellow", "有警告": "yellow", "通过": "green"}
FIRST_PROBLEMS = 3  # problems shown per unit in the list of units to chase


def _print_validation(result: "Validation", verbose: bool = False) -> None:
    """A file or files: every problem, then the total. A district folder, top-down: the summary,
    the units to chase grouped by 所属 with their first problems, then every problem in detail."""
    if not result.folders:
        _print_details(result)
    else:
        _print_summary(result)
        _print_chase(result, verbose)
        if result.errors or result.warnings:
            typer.echo("")
            _secho("问题明细", bold=True)
            _print_details(result)
    verdict = "通过" if result.passed else "未通过" + ("（--strict：有警告）" if result.errors == 0 else "")
    typer.echo(f"共检查 {len(result.files)} 个文件：错误 {result.errors} 处，警告 {result.warnings} 处；{verdict}")


def _print_details(result: "Validation") -> None:
    groups = [result.district_diagnostics, *(f.diagnostics for f in result.files)]
    shown = [group for group in groups if group]
    for i, group in enumerate(shown):
        _print_diagnostics(group, stdout=True)
        if i < len(shown) - 1:
            typer.echo("")


def _print_summary(result: "Validation") -> None:
    counts = result.verdicts.counts()
    district = result.district
    head = []
    if district is not None:
        days = result.days_left or 0
        head.append(f"应报送 {result.verdicts.roster} 个单位" if result.verdicts.roster else "")
        head.append(f"距截止日期（{_cn_date(district.deadline)}）还有 {days} 天" if days > 0 else
                    "今天是截止日期" if days == 0 else f"已过截止日期（{_cn_date(district.deadline)}）{-days} 天")
        _secho(f"{district.name}{district.period.name}：{'，'.join(h for h in head if h)}", bold=True)
    else:
        found = len(result.verdicts.units)
        _secho(f"{Path(result.folders[0]).name}：共 {found} 个单位（没有区文件，未核对名单和截止日期）", bold=True)
    parts = [f"{verdict} {n} 个" for verdict, n in counts.items() if n and verdict != "不在名单"]
    unlisted = f"；另有不在名单的 {counts['不在名单']} 个" if counts["不在名单"] else ""
    if parts:
        typer.echo("  " + "，".join(parts) + unlisted)


def _print_chase(result: "Validation", verbose: bool) -> None:
    from .check.verdicts import ACCEPTED, TO_CHASE

    verdicts = result.verdicts
    if not verdicts.roster:  # no roster: every unit found, by its file
        groups = [("", [u for u in verdicts.units if u.verdict in TO_CHASE])]
    else:
        groups = verdicts.by_group(TO_CHASE - {"不在名单"})
    chase = sum(len(units) for _, units in groups)
    if chase:
        typer.echo("")
        _secho(f"需要催办的单位（{chase} 个）", bold=True)
    for group, units in groups:
        if not units:
            continue
        if verdicts.roster:
            typer.echo(f"【{group or '未写所属'}】")
        for unit in units:
            _print_unit(unit)
    unlisted = [u for u in verdicts.units if u.verdict == "不在名单"]
    if unlisted:
        typer.echo("")
        _secho(f"不在名单上（{len(unlisted)} 个，未汇总）", bold=True)
        for unit in unlisted:
            _print_unit(unit)
    accepted = [u for u in verdicts.units if u.verdict in ACCEPTED]
    if accepted:
        typer.echo("")
        if verbose:
            _secho(f"可以汇总的单位（{len(accepted)} 个）", bold=True)
            for unit in accepted:
                _secho(f"  {unit.name}  {unit.verdict}  {'、'.join(f.path for f in unit.files)}",
                            fg=_VERDICT_COLOURS[unit.verdict])
        else:
            passed = sum(u.verdict == "通过" for u in accepted)
            typer.echo(f"可以汇总的单位 {len(accepted)} 个（通过 {passed} 个，有警告 {len(accepted) - passed} 个；"
                       "加 --verbose 逐个列出）")


def _print_unit(unit: "UnitVerdict") -> None:
    entry = unit.entry
    contact = "  ".join(x for x in (entry.contact, entry.phone) if x) if entry else ""
    files = "、".join(f.path for f in unit.files)
    _secho("  " + "  ".join(x for x in (unit.name, unit.verdict, contact, files) if x),
                fg=_VERDICT_COLOURS[unit.verdict])
    problems = unit.problems()
    for d in problems[:FIRST_PROBLEMS]:  # the file is named above: its name and the place suffice
        typer.echo(f"      {replace(d, path=Path(d.path).name)}")
    if len(problems) > FIRST_PROBLEMS:
        typer.echo(f"      ……另有 {len(problems) - FIRST_PROBLEMS} 处，见问题明细")
    if unit.verdict == "未报送":
        typer.echo("      文件夹里没有该单位的文件")


def _cn_date(day: "date") -> str:
    from .load.dates import cn_date

    return cn_date(day)


@app.command("rules", cls=ChineseCommand, help="列出 validate 检查的全部规则；写上代码（如 CC201）可看说明和示例。")
def rules(
    code: Annotated[str | None, typer.Argument(help="规则代码", metavar="[代码]", show_default=False)] = None,
) -> None:
    from .check.rules import LEVELS, RULES

    with _guard():
        if code is not None:
            rule = RULES.get(code.strip().upper())
            if rule is None:
                raise UsageError(f"没有规则“{code}”；chuangcheng rules 列出全部规则")
            level = LEVELS[rule.severity]
            typer.echo(f"{rule.code} {rule.name}（{rule.group}，{level}）\n\n{rule.summary}\n\n示例：\n")
            typer.echo("\n".join("    " + line for line in rule.example.split("\n")))
            typer.echo(f"\n改法：{rule.fix}")
            if rule.stops:
                typer.echo("\n读入文件时发现：文件无法继续检查，所以这条规则不能忽略。")
            return
    group = ""
    for rule in RULES.values():
        if rule.group != group:
            group = rule.group
            _secho(f"{'' if rule.code == 'CC101' else chr(10)}{group}（{rule.code[:3]}xx）", bold=True)
        colour = {Severity.ERROR: "red", Severity.WARNING: "yellow"}.get(rule.severity, "cyan")
        level = typer.style(LEVELS[rule.severity], fg=colour)
        typer.echo(f"  {rule.code}  {level}  {rule.name}：{rule.summary}")
    typer.echo("\n默认级别如上；测评体系指标（CC3xx）可由区文件“指标: {不达标为错误: 是}”改为错误。")


class UnitTypeOption(str, Enum):
    社区 = "社区"
    街道 = "街道"
    村 = "村"
    医院 = "医院"
    学校 = "学校"
    幼儿园 = "幼儿园"
    企业 = "企业"
    机关 = "机关"
    其他 = "其他"


def _not_over(path: Path, force: bool) -> None:
    """A file that is there is written over only with --force."""
    if path.exists() and not force:
        raise UsageError(f"{path}: 文件已存在；换一个文件名，或加 --force 覆盖")


@app.command("init", cls=ChineseCommand, help="""写一个新的单位文件：各个部分齐全，每个键都有中文注释。

把其中的 XX 换成实际内容、0 换成实际数量后，用 chuangcheng validate 检查（没填完的地方会被指出）。
同时在旁边写一个 chuangcheng-unit.schema.json，编辑器（如装了 YAML 插件的 VS Code）据此补全键名、标出错误。

加 --xlsx（或文件名以 .xlsx 结尾）写一个空白的 Excel 台账：“单位”表一项一行，每个板块一张表、一项活动一行，
另有“其他工作”“做法成效”“存在问题”“下一步”“荣誉”表；列名上有批注说明怎么填。用 Excel 或 WPS 填写后，
与单位文件一样可以 validate、render。

示例：

  chuangcheng init 官塘社区.yaml --type 社区
  chuangcheng init --xlsx 官塘社区.xlsx --type 社区
""")
def init(
    path: Annotated[Path, typer.Argument(help="要写的单位文件或台账", metavar="[单位文件.yaml|台账.xlsx]")] = Path(
        "单位.yaml"),
    unit_type: Annotated[UnitTypeOption, typer.Option(
        "--type", "-t", metavar="类型", help="单位类型：社区、街道、村、医院、学校、幼儿园、企业、机关、其他。",
    )] = UnitTypeOption.社区,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="写 Excel 台账（.xlsx）而不是单位文件。")] = False,
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖。")] = False,
) -> None:
    import datetime as dt
    import json

    from .load.schema import unit_schema
    from .office.starter import SCHEMA_FILE, starter
    from .output import write_all

    with _guard():
        if xlsx and path == Path("单位.yaml"):
            path = Path("台账.xlsx")
        if xlsx or path.suffix.lower() == ".xlsx":
            from .office.ledger import build_ledger

            if path.suffix.lower() != ".xlsx":
                raise UsageError(f"{path}: 台账的扩展名应为 .xlsx")
            _not_over(path, force)
            (ledger,) = write_all({path: build_ledger(None, unit_type.value)})
            typer.echo(f"已生成 {ledger}（空白台账：用 Excel 或 WPS 填写，列名上的批注说明怎么填）")
            typer.echo(f"下一步：填好后运行 chuangcheng validate {path}")
            return
        if path.suffix not in {".yaml", ".yml"}:
            raise UsageError(f"{path}: 单位文件的扩展名应为 .yaml（Excel 台账用 .xlsx）")
        _not_over(path, force)
        schema = json.dumps(unit_schema(), ensure_ascii=False, indent=2) + "\n"
        written = write_all({path: starter(unit_type.value, dt.date.today()).encode("utf-8"),
                             path.parent / SCHEMA_FILE: schema.encode("utf-8")})
    typer.echo(f"已生成 {written[0]}（编辑器用的 {written[1].name} 在同一文件夹）")
    typer.echo(f"下一步：把 XX 和 0 换成实际内容，然后运行 chuangcheng validate {path}")


@app.command("convert", cls=ChineseCommand, help="""把单位文件（.yaml）转成 Excel 台账（.xlsx），或反过来（按扩展名）。

格式能记下的内容都原样转过去：转换后再 render，报告的文字不变。YAML 里的注释不会带到台账里。
照片路径相对于文件所在的文件夹：请把转换结果放在原文件旁边（或把照片一起移过去）。

示例：

  chuangcheng convert 官塘社区.yaml 官塘社区.xlsx
  chuangcheng convert 官塘社区.xlsx 官塘社区.yaml
""")
def convert(
    source: Annotated[Path, typer.Argument(help="单位文件或台账", metavar="原文件")],
    target: Annotated[Path, typer.Argument(help="要写的台账或单位文件", metavar="新文件")],
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖。")] = False,
) -> None:
    from .office.convert import convert as run
    from .output import write_all

    with _guard():
        _exist(source)
        _not_over(target, force)
        loaded, data = run(source, target)
        (written,) = write_all({target: data})
    for warning in loaded.warnings:
        err().print(str(warning), markup=False, highlight=False)
    typer.echo(f"已生成 {written}")


@app.command(
    "reference", cls=ChineseCommand, help="""写一份参考文档（Word 信笺，.docx）：
在 Word 或 WPS 中改它的样式、页眉页脚、页面设置，
再用 render --reference-docx（或区文件“版式: {参考文档: 信笺.docx}”）生成带本单位信笺的总结。

参考文档只取用页面设置、样式、页眉和页脚，其中的正文不会用到；也可以直接用本单位现有的 Word 文件。
在区的文件夹里运行时，区文件“版式”里的字体、字号、行距已经写进去。

示例：

  chuangcheng reference 信笺.docx
""")
def reference(
    path: Annotated[Path, typer.Argument(help="要写的参考文档", metavar="[信笺.docx]")] = Path("信笺.docx"),
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖。")] = False,
) -> None:
    from .office.render import unit_layout
    from .office.starter import reference_docx
    from .output import write_all

    with _guard():
        if path.suffix.lower() != ".docx":
            raise UsageError(f"{path}: 参考文档的扩展名应为 .docx")
        _not_over(path, force)
        layout, _ = unit_layout(path.absolute(), with_reference=False)  # it may be the one to write
        written = write_all({path: reference_docx(layout)})
    typer.echo(f"已生成 {written[0]}：在 Word 或 WPS 中修改样式和页眉页脚后，用 --reference-docx {path} 生成总结")


class SchemaKind(str, Enum):
    unit = "unit"
    district = "district"


@app.command("schema", cls=ChineseCommand, help="""输出单位文件（或区文件）的 JSON Schema，供编辑器补全键名、检查写法。

示例：

  chuangcheng schema > chuangcheng-unit.schema.json

  chuangcheng schema district
""")
def schema(
    kind: Annotated[SchemaKind, typer.Argument(
        help="unit（单位文件，默认）或 district（区文件）", metavar="[unit|district]", show_default=False,
    )] = SchemaKind.unit,
) -> None:

    from .load.schema import district_schema, unit_schema

    _echo_json(unit_schema() if kind is SchemaKind.unit else district_schema())


def main() -> None:
    """Entry point of the ``chuangcheng`` command."""
    if getattr(sys, "frozen", False):  # the PyInstaller build: worker processes start through this entry
        import multiprocessing

        multiprocessing.freeze_support()
    # No pydantic plugins: looking for them reads every installed package's metadata, ≈ 10 ms of a
    # one-file run (benchmarks/startup.py), for plugins this command never uses; a value set outside stands.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for stream in (sys.stdout, sys.stderr):  # a character the code page lacks (䶮 under GBK) is escaped, not fatal
        with suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        app()
    except Exception as exc:  # a bug, not a user error: say so briefly, details on request
        if os.environ.get("CHUANGCHENG_DEBUG"):
            raise
        print(f"chuangcheng 内部错误：{type(exc).__name__}: {exc}\n"
              "这是程序的问题，不是你的文件的问题；设置环境变量 CHUANGCHENG_DEBUG=1 可查看详细信息。",
              file=sys.stderr)
        sys.exit(3)
