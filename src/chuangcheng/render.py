"""One unit file in, its report out: Markdown from the templates, Word built from that Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, UsageError
from .layout import Layout
from .loader import load_unit
from .models import Report
from .output import safe_filename, write_all
from .report import ReportView, build_view
from .templating import render_template

FORMATS = ("docx", "md")
REPORT_TEMPLATE = "report.md.j2"


@dataclass
class RenderResult:
    """What one render wrote, and the warnings met on the way."""

    source: Path
    report: Report
    view: ReportView
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def render_markdown(report: Report, template_dir: Path | None = None, view: ReportView | None = None) -> str:
    """The report as Markdown: the text both output formats share."""
    return render_template(REPORT_TEMPLATE, template_dir, view=view or build_view(report))


def render_unit(
    path: Path,
    out_dir: Path | None = None,
    formats: Sequence[str] = FORMATS,
    template_dir: Path | None = None,
    layout: Layout | None = None,
    display: str | None = None,
) -> RenderResult:
    """Render one unit file; nothing is written unless every format succeeded."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"不支持的格式：{'、'.join(unknown)}（可选：{'、'.join(FORMATS)}）")
    loaded = load_unit(path, display)
    view = build_view(loaded.model)
    markdown = render_markdown(loaded.model, template_dir, view)
    stem = safe_filename(loaded.model.unit.name)
    folder = out_dir if out_dir is not None else path.parent
    files: dict[Path, bytes] = {}
    for fmt in dict.fromkeys(formats):
        if fmt == "docx":
            from .word import build_docx

            files[folder / f"{stem}.docx"] = build_docx(markdown, layout)
        else:
            files[folder / f"{stem}.md"] = markdown.encode("utf-8")
    return RenderResult(path, loaded.model, view, write_all(files), loaded.warnings)
