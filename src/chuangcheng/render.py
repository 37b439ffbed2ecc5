"""One unit file in, its report out: Markdown from the templates, Word built from that Markdown."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, InputError, UsageError
from .images import PhotoError, Pictures
from .layout import Layout
from .loader import Loaded, load_unit
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
    folder = out_dir if out_dir is not None else path.parent
    pictures = Pictures(path.parent, folder)
    for photo in view.photos:
        photo.src = _link(path.parent / photo.path, folder)
    _check_photos(loaded, pictures)
    markdown = render_markdown(loaded.model, template_dir, view)
    stem = safe_filename(loaded.model.unit.name)
    files: dict[Path, bytes] = {}
    for fmt in dict.fromkeys(formats):
        if fmt == "docx":
            from .word import build_docx

            files[folder / f"{stem}.docx"] = build_docx(markdown, layout, pictures)
        else:
            files[folder / f"{stem}.md"] = markdown.encode("utf-8")
    return RenderResult(path, loaded.model, view, write_all(files), loaded.warnings)


def _link(target: Path, folder: Path) -> str:
    """``target`` as the Markdown written to ``folder`` links it: relative, with ``/``."""
    try:
        return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows): only an absolute path reaches it
        return target.resolve().as_posix()


def _check_photos(loaded: Loaded[Report], pictures: Pictures) -> None:
    """Read every photo before anything is written; each bad one is an error at its line."""
    problems = []
    for prefix, section in loaded.model.located_sections():
        for i, act in enumerate(section.activities):
            for j, photo in enumerate(act.photos):
                try:
                    pictures.load(pictures.root / photo.replace("\\", "/"))
                except PhotoError as exc:
                    where = (*prefix, "activities", i, "photos", j)
                    places = loaded.places
                    line, col, field = places.at(where) if places else (1, 1, "照片")
                    problems.append(Diagnostic(places.file if places else str(loaded.path), line, col, field,
                                               f"照片“{photo}”：{exc}", code="CC211"))
    if problems:
        raise InputError(problems)
