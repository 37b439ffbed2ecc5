"""One unit file in, its report out: Markdown from the templates, Word built from that Markdown.

The Markdown travels with its photos: they are copied into a folder beside it named after it
(``官塘社区_照片/`` for ``官塘社区.md``) and linked relative to it, so the two can be mailed
together. That folder belongs to the report: a render puts in it this report's photos and
removes what else is there, in the same all-or-nothing step as the report's own files (when
the unit's photos already live in a folder of that name, they are linked where they are).
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FIRST, Diagnostic, InputError, Pos, Severity, UsageError
from ..load.layout import Layout, traditional_layout
from ..load.loader import At, Loaded, load_unit
from ..load.models import District, Report
from ..output import Staged, name_is_cut, safe_filename, stage
from ..read.images import PhotoError, Picture, Pictures, check_picture, posix
from ..read.script import SCRIPTS, Written, to_traditional, unavailable
from ..write.report import ActivityStyle, PhotoView, ReportView, build_view
from ..write.templating import render_template
from .docx_package import Properties, for_libreoffice

FORMATS = ("docx", "md", "pdf", "photos")
DEFAULT_FORMATS = ("docx", "md")
REPORT_TEMPLATE = "report.md.j2"
PHOTO_LEDGER = "照片台账"  # after the unit's name: the photo ledger's file (官塘社区照片台账.docx)


@dataclass
class RenderResult:
    """What one render wrote, and the warnings met on the way."""

    source: Path
    report: Report
    view: ReportView
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    pdf_job: PdfJob | None = None  # a PDF left for the folder's one LibreOffice call
    staged: Staged | None = None  # files written but not yet moved into place (``owner``)
    name_at: Pos = FIRST  # where 单位.名称 is written


def render_markdown(report: Report, template_dir: Path | None = None, view: ReportView | None = None) -> str:
    """The report as Markdown: the text both output formats share."""
    return render_template(REPORT_TEMPLATE, template_dir, view=view or build_view(report))


PdfJob = tuple[Path, Path]  # the Word file to convert, the PDF to write


def report_files(markdown: str, folder: Path, stem: str, formats: Sequence[str], *, layout: Layout | None = None,
                 pictures: Pictures | None = None, pdf_stage: Path | None = None,
                 properties: Properties | None = None, written: Written | None = None,
                 ) -> tuple[dict[Path, bytes], PdfJob | None]:
    """The files of one report, by format. The PDF is converted here, unless ``pdf_stage`` is
    given: then the Word file to convert is named (staged there: LibreOffice gets its own
    variant of the Word file, :func:`.docx_package.for_libreoffice`).
    A layout in traditional script turns the text (all formats) into it first (``written``: how the
    unit's file wrote its traditional characters, :func:`.script.to_traditional`)."""
    if layout is not None and layout.script != "hans":
        markdown = to_traditional(markdown, layout.script, written)
    files: dict[Path, bytes] = {}
    docx = b""
    if "docx" in formats or "pdf" in formats:
        from .word import build_docx

        docx = build_docx(markdown, layout, pictures, properties)
    if "docx" in formats:
        files[folder / f"{stem}.docx"] = docx
    if "md" in formats:
        files[folder / f"{stem}.md"] = markdown.encode("utf-8")
    if "pdf" not in formats:
        return files, None
    target = folder / f"{stem}.pdf"
    pdf_docx = for_libreoffice(docx, layout or Layout())  # its own lines: see for_libreoffice
    if pdf_stage is None:
        from .pdf import to_pdf

        files[target] = to_pdf(pdf_docx, str(target))
        return files, None
    source = folder / f"{stem}.docx"
    if "docx" not in formats or pdf_docx is not docx:
        source = pdf_stage / f"{uuid.uuid4().hex}.docx"
        source.write_bytes(pdf_docx)
    return files, (source, target)


def render_unit(
    path: Path,
    out_dir: Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    template_dir: Path | None = None,
    layout: Layout | None = None,
    display: str | None = None,
    *,
    pdf_stage: Path | None = None,
    owner: int | None = None,
    loaded: Loaded[Report] | None = None,
) -> RenderResult:
    """Render one unit file; nothing is written unless every format succeeded (a PDF left for
    ``pdf_stage`` excepted: see :func:`report_files`). With ``owner`` (the id of the process
    that will move them into place) the files are left staged: :attr:`RenderResult.staged`.
    ``loaded``: the unit, when the caller has loaded it already (a folder run checks it first)."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"不支持的格式：{'、'.join(unknown)}（可选：{'、'.join(FORMATS)}）")
    loaded = loaded or load_unit(path, display)
    previous = None
    if loaded.model.previous:
        from ..load.previous import load_previous
        from ..read.discover import nearest_district_file

        district_file = nearest_district_file(path)
        previous = load_previous(path.parent, loaded.model, district_file.parent.parent if district_file else None)
    style: ActivityStyle = "all" if layout is not None and layout.activities == "all" else "summary"
    view = build_view(loaded.model, style, previous=previous)
    folder = out_dir if out_dir is not None else path.parent
    name = loaded.model.unit.name
    stem = safe_filename(name)
    copies = _photo_copies(view.photos, path.parent, folder / f"{stem}{PHOTO_FOLDER}") if "md" in formats else {}
    pictures = _Pictures(path.parent, folder, copies)
    if not copies:  # the Markdown's links go to the photos themselves
        for photo in view.photos:
            photo.src = _link(path.parent / photo.path, folder)
    _check_photos(loaded, pictures, decode=bool({"docx", "pdf", "photos"} & set(formats)))
    markdown = render_markdown(loaded.model, template_dir, view) if {"docx", "md", "pdf"} & set(formats) else ""
    name_at = loaded.places.at(("unit", "name"))
    warnings = list(loaded.warnings)
    if name_is_cut(name, stem):
        warnings.append(Diagnostic.at(loaded.places.file, name_at.pos, name_at.field,
                                      f"单位名称太长，报告的文件名截为“{stem}”（正文中仍用全名）", Severity.WARNING))
    properties = Properties(view.title, view.signer, loaded.model.signed_on)
    files, job = report_files(markdown, folder, stem, formats, layout=layout, pictures=pictures, pdf_stage=pdf_stage,
                              properties=properties, written=_typed(loaded, layout))
    if "photos" in formats:
        ledger = _photo_ledger(view, layout, pictures, loaded, name_at)
        if isinstance(ledger, Diagnostic):
            warnings.append(ledger)
        else:
            files[folder / f"{stem}{PHOTO_LEDGER}.docx"] = ledger
    staged = stage({**files, **copies}, owner, [next(iter(copies)).parent] if copies else [])
    if not owner:
        staged.commit()
    outputs = list(files) + ([job[1]] if job else [])  # PDF: with the folder's
    return RenderResult(path, loaded.model, view, outputs, warnings, job, staged if owner else None, name_at.pos)


def _photo_ledger(view: ReportView, layout: Layout | None, pictures: Pictures, loaded: Loaded[Report],
                  name_at: At) -> bytes | Diagnostic:
    """The unit's 照片台账 as a Word file, or the note that it has no photos to file (at its name)."""
    from ..write.photo_ledger import photo_ledger_view

    ledger = photo_ledger_view(view)
    if ledger is None:
        return Diagnostic.at(loaded.places.file, name_at.pos, "照片台账", "没有一项活动附了照片，未生成照片台账"
                             "（在活动的“照片”里写上照片文件，如 照片/0305-1.jpg）", Severity.INFO)
    from .photo_ledger import build_photo_ledger

    properties = Properties(ledger.title, ledger.compiler, loaded.model.signed_on)
    return build_photo_ledger(ledger, layout or Layout(), pictures, properties, _typed(loaded, layout))


def _typed(loaded: Loaded[Report], layout: Layout | None) -> Written | None:
    """How the unit's file typed its traditional characters, when the report is written in them."""
    if loaded.typed is None or layout is None or layout.script == "hans":
        return None
    return loaded.typed.pairs


def layout_for(district: Loaded[District] | None, reference: Path | None = None, script: str = "hans",
               *, with_reference: bool = True, activities: str | None = None) -> Layout:
    """The layout reports are made with: GB/T 9704, then the district's ``版式``, then the
    reference document (``reference``, else the district's), then the script; ``activities``
    (the command line's choice) over the district's 活动写法."""
    layout = Layout()
    if district is not None:
        settings = district.model.layout
        layout = settings.apply(layout)
        if reference is None and settings.reference and with_reference:
            reference = district.path.parent / settings.reference
            if not reference.is_file():
                at = district.places.at(("layout", "reference"))
                message = f"找不到参考文档 {reference}（路径相对于区文件所在的文件夹）"
                raise InputError([Diagnostic.at(district.places.file, at.pos, at.field, message, code="CC105")])
    if reference is not None:
        if not reference.is_file():
            raise UsageError(f"{reference}: 参考文档不存在")
        layout = dataclasses.replace(layout, reference=str(reference.resolve()))
    if script not in SCRIPTS:
        raise UsageError(f"不支持的字形“{script}”（可选：{'、'.join(SCRIPTS)}）")
    if script != "hans":
        if (why := unavailable(script)) is not None:
            raise UsageError(why)
        layout = dataclasses.replace(traditional_layout(layout), script=script)
    if activities is not None:
        layout = dataclasses.replace(layout, activities=activities)
    return layout


def unit_layout(path: Path, reference: Path | None = None, script: str = "hans", *,
                with_reference: bool = True, activities: str | None = None) -> tuple[Layout, list[Diagnostic]]:
    """The layout of a unit file rendered on its own: that of the district file of its folder
    (or a parent's). A district file that cannot be read leaves the defaults, with its problems."""
    from ..load.loader import try_load_district
    from ..read.discover import nearest_district_file

    loaded, problems = try_load_district(nearest_district_file(path))
    return layout_for(loaded, reference, script, with_reference=with_reference, activities=activities), problems


def _link(target: Path, folder: Path) -> str:
    """``target`` as the Markdown written to ``folder`` links it: relative, with ``/``."""
    try:
        link = Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows): only an absolute path reaches it
        link = target.resolve().as_posix()
    return link.replace("%", "%25")  # a link is a URL: IMG%20001.jpg is a file's real name


PHOTO_FOLDER = "_照片"  # after the report's file name: the folder of its photos


class _Pictures(Pictures):
    """The report's pictures, also under the links to their copies (the Word file is built
    from the Markdown that links the copies, before they exist)."""

    def __init__(self, root: Path, base: Path, copies: dict[Path, Path]) -> None:
        super().__init__(root, base)
        self.originals = {copy.relative_to(base).as_posix(): source for copy, source in copies.items()}

    def get(self, src: str) -> Picture:
        source = self.originals.get(src)
        return self.load(source) if source is not None else super().get(src)


def _photo_copies(photos: list[PhotoView], unit_dir: Path, target: Path) -> dict[Path, Path]:
    """Where each photo is copied (copy → original), its link set to the copy; each file once,
    under its own name (``-2`` added when two folders hold the same name). Nothing, and the
    links left alone, when the photos already live in ``target``."""
    sources = [unit_dir / posix(photo.path) for photo in photos]
    try:
        if any(source.resolve().is_relative_to(target.resolve()) for source in sources):
            return {}
    except (OSError, ValueError, RuntimeError):
        return {}  # a bad path: the photo check says what is wrong with it
    copies: dict[Path, Path] = {}
    named: dict[str, Path] = {}  # original (as written) → its copy
    taken: set[str] = set()
    for photo, source in zip(photos, sources, strict=True):
        key = source.as_posix()
        if key not in named:
            stem, suffix, n = source.stem, source.suffix, 1
            name = source.name
            while name.lower() in taken:
                n += 1
                name = f"{stem}-{n}{suffix}"
            taken.add(name.lower())
            named[key] = target / name
            copies[target / name] = source
        photo.src = f"{target.name}/{named[key].name}".replace("%", "%25")
    return copies


def _check_photos(loaded: Loaded[Report], pictures: Pictures, *, decode: bool = True) -> None:
    """Look at every photo before anything is written (read whole when the Word file embeds
    them, else only its header); each bad one is an error at its line."""
    problems = []
    for prefix, section in loaded.model.located_sections():
        for i, act in enumerate(section.activities):
            for j, photo in enumerate(act.photos):
                try:
                    if decode:
                        pictures.load(pictures.root / posix(photo))
                    elif (problem := check_picture(pictures.root / posix(photo), pictures.root)) is not None:
                        raise PhotoError(problem)
                except PhotoError as exc:
                    at = loaded.places.at((*prefix, "activities", i, "photos", j))
                    problems.append(Diagnostic.at(loaded.places.file, at.pos, at.field, f"照片“{photo}”：{exc}",
                                                  code="CC211"))
    if problems:
        raise InputError(problems)
