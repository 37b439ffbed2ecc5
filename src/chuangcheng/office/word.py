"""Markdown (what the templates write) to a Word document in GB/T 9704-2012 layout.

Mapping: ``#`` title (小标宋, centred), ``##`` 一、 (黑体), ``###`` （一） (楷体), ``####`` 1.
(仿宋 bold), ``#####`` （1） (仿宋); paragraphs and list items are body text; ``---`` starts a
new page; a bold-only paragraph after it is an attachment label (附表); the
``<p class="signoff">`` block is the sign-off; tables become bordered tables. Fonts live on
styles (:mod:`chuangcheng.docx_package`), never on runs.
"""

from __future__ import annotations

import html
import io
import itertools
import re
import zipfile
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import OutputError
from ..load.layout import Layout
from ..read.images import PhotoError, Picture, Pictures
from ..write.typography import text_width
from .docx_package import (
    BODY,
    CAPTION,
    HEADINGS,
    LABEL,
    PICTURE,
    REL,
    SIGNOFF,
    TABLE,
    TABLE_HEAD,
    TITLE,
    relationship,
    twips,
    xml_attr,
    xml_text,
)
from .letterhead import package

_SIGNOFF = re.compile(r'<p\s+class="signoff"[^>]*>(.*?)</p>', re.S)
_EMU_PER_MM = 36000
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Only the rules the templates' Markdown uses: each rule left out is a test fewer per line.
_PARSER = MarkdownIt("zero", {"html": True}).enable(
    ["heading", "paragraph", "list", "table", "hr", "html_block", "html_inline", "emphasis", "escape",
     "newline", "entity", "text", "image"])


def signoff_indents(signer: str, date: str, chars: float = 2) -> tuple[float, float]:
    """Right indents (in characters) of the signer and the date, per GB/T 9704 §7.3.5.2:
    the signer 2 characters from the right margin, the date below it moved 2 characters
    right; a date longer than the signer keeps 2 characters and pushes the signer left."""
    ws, wd = text_width(signer), text_width(date)
    date_right = ws - chars - wd + chars
    if date_right >= chars:
        return chars, date_right
    return chars + wd + chars - ws, chars


def _run(text: str, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'


_BREAK = "<w:r><w:br/></w:r>"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_ALIGNS = {"text-align:center": "center", "text-align:right": "right", "text-align:left": "left"}


class _Builder:
    """Writes the body's XML straight from the Markdown tokens, over the layout's fixed parts
    (python-docx's object API costs tens of milliseconds a page; strings almost nothing)."""

    def __init__(self, layout: Layout, pictures: Pictures | None = None) -> None:
        self.layout = layout
        self.package = package(layout)
        self.pictures = pictures
        self.media: dict[Picture, str] = {}  # each picture once, with its part name
        self.out: list[str] = []
        self.titles = 0
        self.after_break = False  # the next paragraph starts a new page
        self.label_next = False  # the next bold-only paragraph is an attachment label
        self.caption_next = False  # the next paragraph is a picture's caption

    def paragraph(self, style: str, runs: str = "", extra: str = "") -> None:
        ppr = f'<w:pStyle w:val="{xml_attr(self.package.style(style))}"/>'
        if self.after_break:
            ppr += "<w:pageBreakBefore/>"
            self.after_break = False
        self.out.append(f"<w:p><w:pPr>{ppr}{extra}</w:pPr>{runs}</w:p>")

    def inline(self, token: Token) -> str:
        bold = italic = False
        runs = []
        for child in token.children or []:
            kind = child.type
            if kind in {"text", "code_inline"} and child.content:
                runs.append(_run(child.content, bold, italic))
            elif kind in {"strong_open", "strong_close"}:
                bold = kind == "strong_open"
            elif kind in {"em_open", "em_close"}:
                italic = kind == "em_open"
            elif kind == "hardbreak" or (kind == "html_inline" and child.content.startswith("<br")):
                runs.append(_BREAK)
        return "".join(runs)

    def build(self, markdown: str) -> bytes:
        tokens = _PARSER.parse(markdown)
        i = 0
        list_number: list[int] = []
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                self.heading(int(tok.tag[1]), tokens[i + 1])
                i += 3
                continue
            if kind == "paragraph_open":
                prefix = ""
                if list_number:
                    list_number[-1] += 1
                    prefix = f"{list_number[-1]}." if list_number[-1] > 0 else ""
                self.body(tokens[i + 1], prefix)
                i += 3
                continue
            if kind == "ordered_list_open":
                list_number.append(int(str(tok.attrs.get("start", 1))) - 1)
            elif kind == "bullet_list_open":
                list_number.append(-(10**9))
            elif kind in {"ordered_list_close", "bullet_list_close"}:
                list_number.pop()
            elif kind == "hr":
                self.after_break = self.label_next = True
            elif kind == "html_block":
                self.html(tok.content)
            elif kind == "table_open":
                end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
                self.table(tokens[i:end + 1])
                i = end
            i += 1
        return self.save()

    def save(self) -> bytes:
        package = self.package
        document = (package.document_start + "<w:body>" + "".join(self.out) + package.section
                    + "</w:body></w:document>")
        rels = "".join(relationship(f"rIdImage{n}", f"{REL}/image", name)
                       for n, name in enumerate(self.media.values(), 1))  # numbered in insertion order
        out = io.BytesIO(package.archive)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("word/_rels/document.xml.rels", package.document_rels(rels))
            archive.writestr("word/document.xml", document.encode("utf-8"))
            for picture, name in self.media.items():  # already compressed: stored as they are
                archive.writestr(f"word/{name}", picture.data, zipfile.ZIP_STORED)
        return out.getvalue()

    def picture(self, src: str) -> None:
        """An image paragraph at the text width, no taller than half the text block (two
        photos and their captions share a page); the caption follows as its own paragraph."""
        if self.pictures is None:
            raise OutputError(f"图片“{src}”：这份文件不能插入图片")
        try:
            picture = self.pictures.get(src)
        except PhotoError as exc:
            raise OutputError(f"{self.pictures.base / src}: 照片: {exc}") from None
        name = self.media.setdefault(picture, f"media/image{len(self.media) + 1}.{picture.ext}")
        number = int(name[11:].split(".")[0])  # media/image{number}.{ext}
        width_mm, height_mm = self.package.text_mm
        line_mm = self.layout.line_spacing * 25.4 / 72
        max_h = (height_mm - 2 * line_mm) / 2 - 3
        w = width_mm
        h = w * picture.height / picture.width
        if h > max_h:
            w, h = max_h * picture.width / picture.height, max_h
        cx, cy = round(w * _EMU_PER_MM), round(h * _EMU_PER_MM)
        shape = len(self.out) + 1
        drawing = (
            f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{shape}" name="图片 {shape}"/><wp:cNvGraphicFramePr>'
            f'<a:graphicFrameLocks xmlns:a="{_A}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f'<a:graphic xmlns:a="{_A}"><a:graphicData uri="{_PIC}"><pic:pic xmlns:pic="{_PIC}">'
            f'<pic:nvPicPr><pic:cNvPr id="{shape}" name="图片 {shape}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="rIdImage{number}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing></w:r>")
        self.paragraph(PICTURE, drawing)

    def heading(self, level: int, inline: Token) -> None:
        self.label_next = self.caption_next = False
        if level == 1:
            self.titles += 1
            lines = title_lines(_MD_UNESCAPE.sub(r"\1", inline.content), self.layout)
            self.paragraph(TITLE, _BREAK.join(_run(line) for line in lines))
            if self.titles == 1:
                self.paragraph(BODY)  # one blank line between title and body
        else:
            self.paragraph(HEADINGS[min(level, 5) - 2], self.inline(inline))

    def body(self, inline: Token, prefix: str) -> None:
        children = [c for c in inline.children or [] if c.type != "text" or c.content]
        images = [c for c in children if c.type == "image"]
        if images:
            for image in images:
                self.picture(unquote(str(image.attrs["src"])))
            self.label_next, self.caption_next = False, True
            return
        if self.caption_next:  # the paragraph right after a picture is its caption
            self.caption_next = False
            self.paragraph(CAPTION, self.inline(inline))
            return
        label = self.label_next and len(children) == 3 and children[0].type == "strong_open"
        self.label_next = False
        self.paragraph(LABEL if label else BODY, (_run(prefix) if prefix else "") + self.inline(inline))

    def html(self, content: str) -> None:
        self.caption_next = False
        match = _SIGNOFF.search(content)
        if not match:
            return
        lines = [html.unescape(_MD_UNESCAPE.sub(r"\1", re.sub(r"<[^>]+>", "", part))).strip()
                 for part in re.split(r"<br\s*/?>", match[1])]
        lines = [line for line in lines if line]
        self.paragraph(BODY)  # one blank line between the body and the sign-off
        indents = signoff_indents(lines[0], lines[1]) if len(lines) >= 2 else (2.0, 2.0)
        for n, line in enumerate(lines):
            right = twips(indents[min(n, 1)] * self.layout.body_size)
            self.paragraph(SIGNOFF, _run(line), f'<w:ind w:right="{right}"/>')

    def table(self, tokens: list[Token]) -> None:
        rows: list[list[tuple[str, str]]] = []
        for tok, nxt in itertools.pairwise(tokens):
            if tok.type == "tr_open":
                rows.append([])
            elif tok.type in {"th_open", "td_open"}:
                style = str(tok.attrs.get("style", ""))
                rows[-1].append((_MD_UNESCAPE.sub(r"\1", nxt.content if nxt.type == "inline" else ""), style))
        if not rows:
            return
        cols = len(rows[0])
        # Columns as wide as their values; a long header may wrap onto two lines.
        widths = [max([min(text_width(rows[0][c][0]), 4.0), *(text_width(r[c][0]) for r in rows[1:] if c < len(r))])
                  + 1.5 for c in range(cols)]
        total = self.package.text_mm[0] / 25.4 * 1440  # twips
        twips = [round(w / sum(widths) * total) for w in widths]
        grid = xml_attr(self.package.style("TableGrid"))
        xml = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{grid}"/><w:tblW w:w="0" w:type="auto"/>'
               '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>',
               *(f'<w:gridCol w:w="{w}"/>' for w in twips), "</w:tblGrid>"]
        for r, row in enumerate(rows):
            xml.append("<w:tr>" + ("<w:trPr><w:tblHeader/></w:trPr>" if r == 0 else ""))
            for c, (text, style) in enumerate(row[:cols]):
                align = f'<w:jc w:val="{_ALIGNS[style]}"/>' if r and style in _ALIGNS else ""
                head = xml_attr(self.package.style(TABLE_HEAD if r == 0 else TABLE))
                xml.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/><w:vAlign w:val="center"/>'
                           f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{head}"/>{align}</w:pPr>{_run(text)}</w:p></w:tc>')
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.out.append("".join(xml))
        self.label_next = False


def title_lines(title: str, layout: Layout) -> list[str]:
    """Break a long title where the meaning allows (GB/T 9704: 词意完整，排列对称)."""
    per_line = layout.text_width_mm / (layout.title_size * 0.3528)
    if text_width(title) <= per_line:
        return [title]
    best: tuple[float, int] | None = None
    for marker in ("创建", "关于", "工作总结", "的"):
        at = title.find(marker, 1)
        if at > 0:
            first, rest = title[:at], title[at:]
            if max(text_width(first), text_width(rest)) <= per_line:
                balance = abs(text_width(first) - text_width(rest))
                best = min(best or (balance, at), (balance, at))
    at = best[1] if best else len(title) // 2
    return [title[:at], title[at:]]


def build_docx(markdown: str, layout: Layout | None = None, pictures: Pictures | None = None) -> bytes:
    """Build the Word file (as bytes) of a report written in the templates' Markdown; its
    images (``![说明](照片/0305.jpg)``) come from ``pictures``."""
    return _Builder(layout or Layout(), pictures).build(markdown)
