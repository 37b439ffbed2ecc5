"""The parts of a .docx that are the same for every report of one layout, written as XML text.

Styles (with every East Asian font named, no theme fonts), settings, the two page-number
footers, the page setup: a few kilobytes built once per :class:`Layout`, with no
python-docx (its default template alone is a 349 KB styles.xml to parse and save).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import Diagnostic
from ..load.layout import Layout

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Style ids and the names Word shows (built-in names keep the outline and navigation pane).
TITLE, BODY = "Title", "Normal"
HEADINGS = ("Heading1", "Heading2", "Heading3", "Heading4")
SIGNOFF, LABEL, TABLE, TABLE_HEAD, PAGE_NUMBER = "Signoff", "AttachmentLabel", "TableText", "TableHead", "PageNumber"
PICTURE, CAPTION = "Picture", "Caption"
_NAMES = {TITLE: "Title", BODY: "Normal", "Heading1": "heading 1", "Heading2": "heading 2",
          "Heading3": "heading 3", "Heading4": "heading 4", SIGNOFF: "落款", LABEL: "附件标识",
          TABLE: "表格文字", TABLE_HEAD: "表格标题行", PAGE_NUMBER: "页码", PICTURE: "图片", CAPTION: "caption"}


# What XML 1.0 forbids in text: C0 controls but tab, newline and CR; U+FFFE/U+FFFF; lone surrogates.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;",
                               "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def xml_clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", text)


def xml_text(text: str) -> str:
    """``text`` as XML character data: what XML forbids dropped, markup characters escaped
    (the last line of defence: the loader already removes those characters with a warning)."""
    return xml_clean(text).translate(_TEXT_ESCAPES)


def xml_attr(value: object) -> str:
    """``value`` as the inside of a double-quoted XML attribute."""
    return xml_clean(str(value)).translate(_ATTR_ESCAPES)


def relationship(rid: str, kind: str, target: str, external: bool = False) -> str:
    """One ``<Relationship>`` element, every attribute escaped."""
    mode = ' TargetMode="External"' if external else ""
    return (f'<Relationship Id="{xml_attr(rid)}" Type="{xml_attr(kind)}" Target="{xml_attr(target)}"{mode}/>')


def twips(points: float) -> int:
    return round(points * 20)


def rpr(font: str, size: float, layout: Layout, bold: bool = False) -> str:
    """Run properties: the font in every slot (and the East Asian hint for quotes and dashes)."""
    latin, font = xml_attr(layout.latin_font or font), xml_attr(font)
    return (
        f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{font}" w:cs="{latin}" '
        f'w:hint="eastAsia"/>'
        + ("<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
        + f'<w:color w:val="000000"/><w:kern w:val="0"/><w:sz w:val="{round(size * 2)}"/>'
        f'<w:szCs w:val="{round(size * 2)}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
    )


# Word's automatic gap between Chinese and Latin letters or digits: off ("2026年", not "2026 年").
_NO_AUTOSPACE = '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'


def ppr(layout: Layout, *, align: str = "both", first_chars: int = 2, exact: bool = True,
        keep_next: bool = False, outline: int | None = None, size: float | None = None) -> str:
    """Paragraph properties: exact line spacing on the grid, a first-line indent in characters."""
    size = size or layout.body_size
    spacing = (f'<w:spacing w:before="0" w:after="0" w:line="{twips(layout.line_spacing)}" '
               'w:lineRule="exact"/>' if exact else
               '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    indent = (f'<w:ind w:firstLineChars="{first_chars * 100}" w:firstLine="{twips(size * first_chars)}"/>'
              if first_chars else '<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    return ("<w:pPr>" + ("<w:keepNext/>" if keep_next else "") + '<w:widowControl w:val="0"/>' + _NO_AUTOSPACE
            + ("" if exact else '<w:snapToGrid w:val="0"/>') + spacing + indent + f'<w:jc w:val="{align}"/>'
            + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "") + "</w:pPr>")


def _style(style_id: str, p: str, r: str, *, default: bool = False) -> str:
    based = "" if style_id == BODY else f'<w:basedOn w:val="{BODY}"/><w:next w:val="{BODY}"/>'
    flag = ' w:default="1"' if default else ""
    return (f'<w:style w:type="paragraph"{flag} w:styleId="{style_id}"><w:name w:val="{_NAMES[style_id]}"/>'
            f"{based}<w:qFormat/>{p}{r}</w:style>")


def styles_xml(layout: Layout) -> str:
    """Every style a report uses; fonts are set here once, never on runs."""
    body_r = rpr(layout.body_font, layout.body_size, layout)
    table_p = ppr(layout, align="center", first_chars=0, exact=False)
    parts = [
        _style(BODY, ppr(layout), body_r, default=True),
        _style(TITLE, ppr(layout, align="center", first_chars=0, size=layout.title_size),
               rpr(layout.title_font, layout.title_size, layout)),
        *(_style(HEADINGS[level], ppr(layout, keep_next=True, outline=level),
                 rpr(layout.heading_fonts[level], layout.body_size, layout, layout.heading_bold[level]))
          for level in range(4)),
        _style(SIGNOFF, ppr(layout, align="right", first_chars=0), body_r),
        _style(LABEL, ppr(layout, align="left", first_chars=0, keep_next=True),
               rpr(layout.heading_fonts[0], layout.body_size, layout)),
        _style(TABLE, table_p, rpr(layout.table_font, layout.table_size, layout)),
        _style(TABLE_HEAD, table_p, rpr(layout.table_header_font, layout.table_size, layout)),
        _style(PAGE_NUMBER, ppr(layout, align="right", first_chars=0, exact=False),
               rpr(layout.page_number_font, layout.page_number_size, layout)),
        _style(PICTURE, ppr(layout, align="center", first_chars=0, exact=False, keep_next=True), body_r),
        _style(CAPTION, ppr(layout, align="center", first_chars=0),
               rpr(layout.body_font, layout.table_size, layout)),
    ]
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tables = (
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        f'<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>{border}</w:tblBorders></w:tblPr></w:style>'
    )
    return (f'{_HEAD}<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault>{body_r}</w:rPrDefault>'
            f"<w:pPrDefault><w:pPr>{_NO_AUTOSPACE}</w:pPr></w:pPrDefault></w:docDefaults>{''.join(parts)}{tables}</w:styles>")


def _page_number(align: str, layout: Layout) -> str:
    """``— N —`` with a PAGE field: Word counts the pages, nothing is typed."""
    indent = twips(layout.page_number_size)
    props = {"right": f'<w:ind w:right="{indent}"/>',
             "left": f'<w:ind w:left="{indent}"/><w:jc w:val="left"/>',
             "center": '<w:jc w:val="center"/>'}[align]
    runs = ('<w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r>')
    return (f'{_HEAD}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr>'
            f'<w:pStyle w:val="{PAGE_NUMBER}"/>{props}</w:pPr>{runs}</w:p></w:ftr>')


def _mm(value: float) -> int:
    return round(value / 25.4 * 1440)


def doc_grid(layout: Layout) -> str:
    """The document grid: lines at the line spacing, and characters of the body size squeezed
    (``w:charSpace``, in 1/4096 pt) so that :attr:`Layout.chars_per_line` of them fill the text width
    as Word measures it (the margins in whole twips). Rounded down: one more character never fits."""
    width_pt = (_mm(layout.paper_mm[0]) - _mm(layout.margins_mm[2]) - _mm(layout.margins_mm[3])) / 20
    char_space = math.floor((width_pt / layout.chars_per_line - layout.body_size) * 4096)
    return (f'<w:docGrid w:type="linesAndChars" w:linePitch="{twips(layout.line_spacing)}" '
            f'w:charSpace="{char_space}"/>')


def for_libreoffice(docx: bytes, layout: Layout) -> bytes:
    """``docx`` as LibreOffice lays out the same lines, for the PDFs it makes. LibreOffice gives
    a character wider than its grid cell (16 pt in 15.8) two cells, so a negative ``charSpace``
    halves the line; here the grid has lines only and every character is condensed by what the
    grid takes off (``w:spacing``, in twentieths of a point, rounded down). A document whose
    section is not ours (a reference document's) is returned as it is."""
    grid = doc_grid(layout)
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        document = source.read("word/document.xml").decode("utf-8")
        if grid not in document:
            return docx
        width_pt = (_mm(layout.paper_mm[0]) - _mm(layout.margins_mm[2]) - _mm(layout.margins_mm[3])) / 20
        condense = math.floor((width_pt / layout.chars_per_line - layout.body_size) * 20)
        styles = re.sub(r"(<w:rPrDefault>\s*<w:rPr>)", rf'\1<w:spacing w:val="{condense}"/>',  # LibreOffice
                        source.read("word/styles.xml").decode("utf-8"), count=1)  # reads any order
        changed = {"word/document.xml": document.replace(grid, f'<w:docGrid w:type="lines" '
                                                              f'w:linePitch="{twips(layout.line_spacing)}"/>'),
                   "word/styles.xml": styles}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for item in source.infolist():
                target.writestr(item, changed[item.filename].encode() if item.filename in changed
                                else source.read(item.filename))
    return out.getvalue()


@dataclass(frozen=True)
class Package:
    """The fixed parts (name → bytes), the document's opening tag, its closing section, its
    relationships (each document adds those of its pictures) and the text block in mm."""

    parts: dict[str, bytes]
    document_start: str
    section: str
    relationships: str
    text_mm: tuple[float, float]  # width, height
    style_ids: dict[str, str] = field(default_factory=dict)  # ours → the reference document's, where it differs
    warnings: tuple[Diagnostic, ...] = ()  # parts of the reference document left out (CC111)

    def style(self, ours: str) -> str:
        """The id a paragraph names for one of our styles."""
        return self.style_ids.get(ours, ours)

    def document_rels(self, extra: str = "") -> bytes:
        return relationships_xml(self.relationships + extra)

    @cached_property
    def archive(self) -> bytes:
        """The fixed parts already zipped: each document appends its own part to a copy."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, data in self.parts.items():
                archive.writestr(name, data)
        return out.getvalue()


def relationships_xml(relationships: str) -> bytes:
    """A ``.rels`` part around its ``<Relationship>`` elements."""
    return f'{_HEAD}<Relationships xmlns="{PKG_REL}">{relationships}</Relationships>'.encode()


def settings_xml(even_and_odd: bool, mirror: bool = False) -> str:
    return (f'{_HEAD}<w:settings xmlns:w="{W_NS}">' + ("<w:mirrorMargins/>" if mirror else "")
            + ("<w:evenAndOddHeaders/>" if even_and_odd else "")
            + '<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>'
            + '<w:compat><w:compatSetting w:name="compatibilityMode" '
            'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>')


def content_types(overrides: dict[str, str], media: Iterable[str] = ()) -> str:
    """``[Content_Types].xml``: part name → content type (the document properties always), and
    picture extensions."""
    overrides = {**overrides, **_PROPERTY_TYPES}
    defaults = "".join(f'<Default Extension="{xml_attr(ext)}" ContentType="{MEDIA[ext]}"/>'
                       for ext in sorted({*media, "jpeg", "png"} & MEDIA.keys()))
    return (f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{defaults}'
            + "".join(f'<Override PartName="/{xml_attr(name)}" ContentType="{xml_attr(kind)}"/>'
                      for name, kind in overrides.items())
            + "</Types>")


MEDIA = {"jpeg": "image/jpeg", "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "bmp": "image/bmp",
          "tif": "image/tiff", "tiff": "image/tiff", "emf": "image/x-emf", "wmf": "image/x-wmf",
          "svg": "image/svg+xml"}


CORE, APP = "docProps/core.xml", "docProps/app.xml"
_CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_PROPERTY_TYPES = {CORE: "application/vnd.openxmlformats-package.core-properties+xml",
                   APP: "application/vnd.openxmlformats-officedocument.extended-properties+xml"}
_PACKAGE_RELS = (relationship("rId1", f"{REL}/officeDocument", "word/document.xml")
                 + relationship("rId2", f"{PKG_REL}/metadata/core-properties", CORE)
                 + relationship("rId3", f"{REL}/extended-properties", APP))
_APP_XML = (f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>chuangcheng</Application><DocSecurity>0</DocSecurity></Properties>")


@dataclass(frozen=True)
class Properties:
    """What Word shows under 文件 → 信息: the report's title, its author (the unit) and date."""

    title: str = ""
    creator: str = ""
    date: dt.date | None = None


def core_xml(properties: Properties) -> bytes:
    """``docProps/core.xml``: title, creator, created and modified (the date, W3CDTF)."""
    stamp = f"{properties.date.isoformat()}T00:00:00Z" if properties.date else ""
    dates = "".join(f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{tag}>'
                    for tag in ("created", "modified")) if stamp else ""
    return (f'{_HEAD}<cp:coreProperties xmlns:cp="{_CORE_NS}" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_text(properties.title)}</dc:title><dc:creator>{xml_text(properties.creator)}</dc:creator>"
            f"<cp:lastModifiedBy>{xml_text(properties.creator)}</cp:lastModifiedBy>{dates}"
            "</cp:coreProperties>").encode()


def base_package(layout: Layout) -> Package:
    """chuangcheng's own fixed parts for ``layout`` (GB/T 9704), before any reference document."""
    outside = layout.page_number_position != "center"
    footers = {"footer1.xml": _page_number("right" if outside else "center", layout)}
    refs = '<w:footerReference w:type="default" r:id="rIdFooter1"/>'
    if outside:
        footers["footer2.xml"] = _page_number("left", layout)
        refs += '<w:footerReference w:type="even" r:id="rIdFooter2"/>'
    width, height = layout.paper_mm
    top, bottom, left, right = layout.margins_mm
    section = (f'<w:sectPr>{refs}<w:pgSz w:w="{_mm(width)}" w:h="{_mm(height)}"/>'
               f'<w:pgMar w:top="{_mm(top)}" w:right="{_mm(right)}" w:bottom="{_mm(bottom)}" '
               f'w:left="{_mm(left)}" w:header="{_mm(15)}" w:footer="{_mm(layout.footer_mm)}" w:gutter="0"/>'
               f'{doc_grid(layout)}</w:sectPr>')
    settings = settings_xml(outside)
    doc_rels = (relationship("rIdStyles", f"{REL}/styles", "styles.xml")
                + relationship("rIdSettings", f"{REL}/settings", "settings.xml")
                + "".join(relationship(f"rIdFooter{n}", f"{REL}/footer", name) for n, name in enumerate(footers, 1)))
    overrides = {"word/document.xml": f"{CT}.document.main+xml", "word/styles.xml": f"{CT}.styles+xml",
                 "word/settings.xml": f"{CT}.settings+xml",
                 **{f"word/{name}": f"{CT}.footer+xml" for name in footers}}
    content = content_types(overrides)
    parts = {
        "[Content_Types].xml": content,
        "_rels/.rels": relationships_xml(_PACKAGE_RELS).decode(),
        APP: _APP_XML,
        "word/styles.xml": styles_xml(layout),
        "word/settings.xml": settings,
        **{f"word/{name}": xml for name, xml in footers.items()},
    }
    start = f'{_HEAD}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}">'
    text = (width - left - right, height - top - bottom)
    return Package({k: v.encode("utf-8") for k, v in parts.items()}, start, section, doc_rels, text)
