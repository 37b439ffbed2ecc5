"""The command line: parses, calls the core, prints. All errors pass through :func:`_guard`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__
from .errors import ChuangchengError, Diagnostic, Severity, UsageError

if TYPE_CHECKING:
    from rich.console import Console


@cache
def err() -> Console:
    """Coloured messages on stderr. rich is imported on the first one, not at start-up: it is
    ≈ 25 ms of a one-file run, whose plain "已生成" lines go out through ``typer.echo``."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)

app = typer.Typer(
    name="chuangcheng",
    help="创城：把单位的创建文明城市工作台账（YAML）生成公文格式的工作总结（Word、Markdown）。",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    docx = "docx"
    md = "md"


def _print_diagnostics(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
    for diag in diagnostics:
        style = "yellow" if diag.severity is Severity.WARNING else "red"
        err().print(str(diag), style=style, markup=False)


@contextmanager
def _guard() -> Iterator[None]:
    """The one handler: chuangcheng's errors are printed and mapped to exit codes."""
    try:
        yield
    except ChuangchengError as exc:
        _print_diagnostics(exc.diagnostics)
        if not exc.diagnostics:
            err().print(exc.message, style="red", markup=False)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err().print("已中断；已写完的文件保留，没有留下写了一半的文件。", style="yellow")
        raise typer.Exit(130) from None


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
    "render",
    help="""生成创城工作总结（Word 按 GB/T 9704-2012 公文格式排版，另附 Markdown）。

给一个单位文件：生成这个单位的总结，以单位名称命名（如 官塘社区.docx），默认放在单位文件旁边。

给一个区的文件夹：并行生成其中所有单位的总结（遇到有问题的文件继续处理其余文件，最后列出），
再生成区级汇总（江城区汇总.docx/.md）和 汇总表.xlsx。未改动的单位不会重复生成（--force 全部重新生成）。

示例：

  chuangcheng render 官塘社区.yaml

  chuangcheng render 官塘社区.yaml -o 输出 -f docx

  chuangcheng render 江城区/ -o 输出
""",
)
def render(
    path: Annotated[Path, typer.Argument(
        help="单位文件（.yaml），或一个区的文件夹", metavar="单位文件.yaml|文件夹", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="输出文件夹；默认与单位文件在同一文件夹。", show_default=False)] = None,
    formats: Annotated[list[Format] | None, typer.Option(
        "--format", "-f", help="输出格式，可写多次；默认 docx 和 md 都生成。", show_default=False)] = None,
    template_dir: Annotated[Path | None, typer.Option(
        "--template-dir", help="自定义模板文件夹：其中的同名模板替换内置模板。", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="文件夹：全部重新生成，不使用缓存。")] = False,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="文件夹：遇到第一个有问题的文件就停止。")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="文件夹：同时使用的进程数，默认等于 CPU 核数。", show_default=False)] = None,
) -> None:
    from .render import FORMATS, render_unit

    chosen = [f.value for f in formats] if formats else list(FORMATS)
    with _guard():
        if template_dir is not None and not template_dir.is_dir():
            raise UsageError(f"{template_dir}: 模板文件夹不存在")
        if path.is_dir():
            if template_dir is not None:
                raise UsageError("--template-dir 目前只能用于单个单位文件")
            _render_folder(path, output, chosen, force=force, fail_fast=fail_fast, jobs=jobs)
            return
        result = render_unit(path, output, chosen, template_dir)
        _print_diagnostics(result.warnings)
        for written in result.outputs:
            typer.echo(f"已生成 {written}")


def _render_folder(folder: Path, output: Path | None, formats: list[str], *, force: bool,
                   fail_fast: bool, jobs: int | None) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .rollup import render_district

    columns = (TextColumn("生成"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err(), transient=True, disable=not err().is_terminal) as bar:
        task = bar.add_task("生成", total=None)

        def advance(done: int, total: int, _file: str) -> None:
            bar.update(task, completed=done, total=total)

        result = render_district(folder, output, formats, force=force, fail_fast=fail_fast, jobs=jobs,
                                 progress=advance)
    batch = result.batch
    _print_diagnostics(result.district_problems)
    for summary in batch.summaries:
        for warning in summary.warnings:
            err().print(warning, style="yellow", markup=False)
    typer.echo(f"共 {batch.total} 个：成功 {len(batch.summaries)}，失败 {len(batch.failures)}"
              f"（本次生成 {batch.rendered}，未改动 {batch.cached}）")
    verb = "未改动" if result.rollup_unchanged else "已生成"
    for written in result.rollup:
        typer.echo(f"{verb} {written}")
    for failure in batch.failures:
        err().print(failure.messages[0] if failure.messages else failure.file, style="red", markup=False)
    if batch.stopped:
        err().print("遇到有问题的文件，已按 --fail-fast 停止；未生成区级汇总。", style="red")
    if batch.failures:
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the ``chuangcheng`` command."""
    try:
        app()
    except Exception as exc:  # a bug, not a user error: say so briefly, details on request
        if os.environ.get("CHUANGCHENG_DEBUG"):
            raise
        print(f"chuangcheng 内部错误：{type(exc).__name__}: {exc}\n"
              "这是程序的问题，不是你的文件的问题；设置环境变量 CHUANGCHENG_DEBUG=1 可查看详细信息。",
              file=sys.stderr)
        sys.exit(3)
