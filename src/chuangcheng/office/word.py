"""Markdown (what the templates write) to a Word document in GB/T 9704-2012 layout.

Mapping: ``#`` title (小标宋, centred), ``##`` 一、 (黑体), ``###`` （一） (楷体), ``####`` 1.
(仿宋 bold), ``#####`` （1） (仿宋); paragraphs and list items are body text; tables become
bordered tables whose rows never split across pages. Fonts live on styles
(:mod:`.docx_package`), never on runs.

The end of the body is found by shape, so the Markdown needs no HTML to mark it (what comes
before the first ``---``, or the whole text when there is none):

- **sign-off** (落款): its last paragraph, when that paragraph is one to three short lines (hard
  breaks, a ``\\`` at the line's end) whose last line is a date ``2026年7月5日`` and none ends in
  ``。``: the signer 2 characters from the right margin, the date below it (GB/T 9704 §7.3.5.2);
- **attachment note** (附件说明): the paragraph right before the sign-off, when it begins with
  ``附件：``: ``附件：1.名称`` and one line per further attachment, each name aligned under the
  first (leading ``　`` in the Markdown are dropped: Word aligns them by indent);
- the older ``<p class="signoff">署名<br>日期</p>`` block is still a sign-off.

``---`` starts a new page: an attachment when the paragraph after it is ``附件1`` (``附件``
for a single one; a bold-only paragraph also, as older templates wrote ``**附表**``): that
label in 黑体 at the top left, then the next heading, of any level, as the attachment's title,
centred like the report's.
"""

from __future__ import annotations

import dataclasses
import html
import io
import itertools
import re
import zipfile
from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..errors import OutputError
from ..load.layout import Layout
from ..read.images import PhotoError, Picture, Pictures
from ..write.typography import text_width
from .docx_package import (
    BODY,
    CAPTION,
    CORE,
    HEADINGS,
    LABEL,
    PICTURE,
    REL,
    SIGNOFF,
    TABLE,
    TABLE_HEAD,
    TITLE,
    Properties,
    core_xml,
    relationship,
    twips,
    xml_attr,
    xml_text,
)
from .letterhead import package

_SIGNOFF = re.compile(r'<p\s+class="signoff"[^>]*>(.*?)</p>', re.S)
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_LABEL = re.compile(r"附件\d*")
_NOTE = ("附件：", "附件:")
_EMU_PER_MM = 36000
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Only the rules the templates' Markdown uses: each rule left out is a test fewer per line.
_PARSER = MarkdownIt("zero", {"html": True}).enable(
    ["heading", "paragraph", "list", "table", "hr", "html_block", "html_inline", "emphasis", "escape",
     "newline", "entity", "text", "image"])


def _inline_outside_tables(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule, less the table cells: :meth:`Builder.table` takes
    a cell's source text, and parsing 附件1's cells was a tenth of building a unit's Word file."""
    in_table = False
    for token in state.tokens:
        if token.type in {"table_open", "table_close"}:
            in_table = token.type == "table_open"
        elif token.type == "inline" and not in_table:
            token.children = token.children if token.children is not None else []
            state.md.inline.parse(token.content, state.md, state.env, token.children)


_DELIMITER_ROW = re.compile(r"\|(?:[ \t]*:?-+:?[ \t]*\|)+")
_CELL_EDGE = re.compile(r"(?<!\\)\|")
_ALIGN_OF = {(True, True): "text-align:center", (False, True): "text-align:right", (True, False): "text-align:left"}


def _cells(line: str, count: int) -> list[str]:
    cells = [c.strip() for c in _CELL_EDGE.split(line[1:-1])]
    return (cells + [""] * count)[:count]


def _line(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n]:state.eMarks[n]].strip()


def _fast_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A pipe table as the templates write it (every row between pipes), read in one token with its
    rows, not a dozen tokens a cell: markdown-it's table rule was a quarter of building a unit's
    Word file (``python benchmarks/writer_cold.py``). Any other table is left to that rule."""
    if start + 1 >= end or state.sCount[start] - state.blkIndent >= 4:
        return False
    head, delimiter = _line(state, start), _line(state, start + 1)
    if not (head.startswith("|") and head.endswith("|") and not head.endswith("\\|")
            and _DELIMITER_ROW.fullmatch(delimiter)):
        return False
    marks = [c.strip() for c in delimiter[1:-1].split("|")]
    if len(_CELL_EDGE.split(head[1:-1])) != len(marks):
        return False
    rows, line = [_cells(head, len(marks))], start + 2
    while line < end and state.sCount[line] >= state.blkIndent:
        text = _line(state, line)
        if not text:
            break
        if not (text.startswith("|") and text.endswith("|")) or text.endswith("\\|") or len(text) < 2:
            return False  # a row markdown-it reads its own way: its rule decides the whole table
        rows.append(_cells(text, len(marks)))
        line += 1
    if silent:
        return True
    token = state.push("fast_table", "table", 0)
    token.meta = {"rows": rows, "aligns": [_ALIGN_OF.get((m.startswith(":"), m.endswith(":")), "") for m in marks]}
    token.map = [start, line]
    state.line = line
    return True


_PARSER.core.ruler.at("inline", _inline_outside_tables)
_PARSER.block.ruler.before("table", "fast_table", _fast_table, {"alt": ["paragraph", "reference"]})


def signoff_indents(signer: str, date: str, chars: float = 2) -> tuple[float, float]:
    """Right indents (in characters) of the signer and the date, per GB/T 9704 §7.3.5.2:
    the signer 2 characters from the right margin, the date below it moved 2 characters
    right; a date longer than the signer keeps 2 characters and pushes the signer left."""
    ws, wd = text_width(signer), text_width(date)
    date_right = ws - chars - wd + chars
    if date_right >= chars:
        return chars, date_right
    return chars + wd + chars - ws, chars


def text_run(text: str, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'


LINE_BREAK = "<w:r><w:br/></w:r>"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_ALIGNS = {"text-align:center": "center", "text-align:right": "right", "text-align:left": "left"}


LANDSCAPE = "<!-- 横向 -->"  # in the Markdown: what follows is printed on landscape pages (a wide table)
_PAGE_SIZE = re.compile(r"<w:pgSz\b[^>]*?/>")


def _page_twips(section: str) -> tuple[int, int] | None:
    """The section's page width and height, in twips."""
    match = _PAGE_SIZE.search(section)
    width = re.search(r'w:w="(\d+)"', match[0]) if match else None
    height = re.search(r'w:h="(\d+)"', match[0]) if match else None
    return (int(width[1]), int(height[1])) if width and height else None


def landscape(section: str) -> str:
    """The section turned on its side: width and height swapped, ``w:orient="landscape"``."""
    match = _PAGE_SIZE.search(section)
    page = _page_twips(section)
    if match is None or page is None or page[0] > page[1]:
        return section
    turned = f'<w:pgSz w:w="{page[1]}" w:h="{page[0]}" w:orient="landscape"/>'
    return section[:match.start()] + turned + section[match.end():]


class Builder:
    """Writes the body's XML straight from the Markdown tokens, over the layout's fixed parts
    (python-docx's object API costs tens of milliseconds a page; strings almost nothing)."""

    def __init__(self, layout: Layout, pictures: Pictures | None = None,
                 properties: Properties | None = None) -> None:
        self.layout = layout
        self.properties = properties or Properties()
        self.package = package(layout)
        self.pictures = pictures
        self.media: dict[Picture, str] = {}  # each picture once, with its part name
        self.out: list[str] = []
        self.titles = 0
        self.after_break = False  # the next paragraph starts a new page
        self.label_next = False  # the next paragraph may be an attachment label (附件1)
        self.attachment_title_next = False  # the next heading is an attachment's title
        self.ends: dict[int, str] = {}  # token index → "signoff" or "note": see :func:`_ends`
        self.caption_next = False  # the next paragraph is a picture's caption
        self.landscape_at: int | None = None  # where a landscape section starts (``<!-- 横向 -->``)
        self.section = self.package.section  # the last section's properties

    def paragraph(self, style: str, runs: str = "", extra: str = "", *, keep: bool = False) -> None:
        """A paragraph of ``style``; ``extra``: more of its properties; ``keep``: on the page of the next."""
        ppr = f'<w:pStyle w:val="{xml_attr(self.package.style(style))}"/>' + ("<w:keepNext/>" if keep else "")
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
                runs.append(text_run(child.content, bold, italic))
            elif kind in {"strong_open", "strong_close"}:
                bold = kind == "strong_open"
            elif kind in {"em_open", "em_close"}:
                italic = kind == "em_open"
            elif kind == "hardbreak" or (kind == "html_inline" and child.content.startswith("<br")):
                runs.append(LINE_BREAK)
        return "".join(runs)

    def build(self, markdown: str) -> bytes:
        tokens = _PARSER.parse(markdown)
        self.ends = _ends(tokens)
        i = 0
        list_number: list[int] = []
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                self.heading(int(tok.tag[1]), tokens[i + 1])
                i += 3
                continue
            if kind == "paragraph_open" and i in self.ends:
                (self.signoff if self.ends[i] == "signoff" else self.note)(_lines(tokens[i + 1]))
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
            elif kind == "fast_table":
                aligns = tok.meta["aligns"]
                self.table([[(_MD_UNESCAPE.sub(r"\1", text), aligns[c]) for c, text in enumerate(row)]
                            for row in tok.meta["rows"]])
            elif kind == "table_open":
                end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
                self.table(_table_rows(tokens[i:end + 1]))
                i = end
            i += 1
        return self.save()

    def save(self) -> bytes:
        package = self.package
        section, body = self.section, self.out
        if self.landscape_at is not None:  # the portrait part ends with its section, the rest is landscape
            at = self.landscape_at
            body = [*body[:at], f"<w:p><w:pPr>{section}</w:pPr></w:p>", *body[at:]]
            section = landscape(section)
        document = package.document_start + "<w:body>" + "".join(body) + section + "</w:body></w:document>"
        rels = "".join(relationship(f"rIdImage{n}", f"{REL}/image", name)
                       for n, name in enumerate(self.media.values(), 1))  # numbered in insertion order
        out = io.BytesIO(package.archive)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("word/_rels/document.xml.rels", package.document_rels(rels))
            archive.writestr("word/document.xml", document.encode("utf-8"))
            archive.writestr(CORE, core_xml(self.properties))
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
        line_mm = self.layout.line_spacing * 25.4 / 72
        self.drawing(picture, (self.package.text_mm[1] - 2 * line_mm) / 2 - 3)

    def drawing(self, picture: Picture, max_height_mm: float, extra: str = "") -> None:
        """``picture`` in a paragraph of its own (``extra``: more of its properties), as wide as
        the text block allows and no taller than ``max_height_mm``."""
        name = self.media.setdefault(picture, f"media/image{len(self.media) + 1}.{picture.ext}")
        number = int(name[11:].split(".")[0])  # media/image{number}.{ext}
        w = self.package.text_mm[0]
        h = w * picture.height / picture.width
        if h > max_height_mm:
            w, h = max_height_mm * picture.width / picture.height, max_height_mm
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
        self.paragraph(PICTURE, drawing, extra)

    def heading(self, level: int, inline: Token) -> None:
        attachment, self.attachment_title_next = self.attachment_title_next, False
        self.label_next = self.caption_next = False
        if level == 1 or attachment:
            self.titles += 1
            text = _MD_UNESCAPE.sub(r"\1", inline.content)
            if self.titles == 1 and not self.properties.title:
                self.properties = dataclasses.replace(self.properties, title=text)
            if attachment:
                self.paragraph(BODY)  # the label on line 1, the title on line 3 (GB/T 9704 §8)
            self.paragraph(TITLE, self.title_runs(text))
            if self.titles == 1 or attachment:
                self.paragraph(BODY)  # one blank line between title and body
        else:
            self.paragraph(HEADINGS[min(level, 5) - 2], self.inline(inline))

    def title_runs(self, title: str) -> str:
        """A title's runs, broken into lines where its meaning allows (:func:`title_lines`)."""
        return LINE_BREAK.join(text_run(line) for line in title_lines(title, self.layout))

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
        label = self.label_next and not prefix and (
            (len(children) == 3 and children[0].type == "strong_open")
            or (len(children) == 1 and _LABEL.fullmatch(children[0].content.strip()) is not None))
        self.label_next, self.attachment_title_next = False, label
        if label:
            self.paragraph(LABEL, text_run("".join(c.content for c in children).strip()))
            return
        self.paragraph(BODY, (text_run(prefix) if prefix else "") + self.inline(inline))

    def html(self, content: str) -> None:
        self.caption_next = False
        if content.strip() == LANDSCAPE and self.landscape_at is None:
            self.landscape_at = len(self.out)
            self.after_break = False  # the new section starts its own page
            return
        match = _SIGNOFF.search(content)
        if not match:
            return
        lines = [html.unescape(_MD_UNESCAPE.sub(r"\1", re.sub(r"<[^>]+>", "", part))).strip()
                 for part in re.split(r"<br\s*/?>", match[1])]
        self.signoff([line for line in lines if line])

    def keep_last(self) -> None:
        """The paragraph written last stays on the page of the next one (a table is left as it is)."""
        last = self.out[-1] if self.out else ""
        if last.startswith("<w:p><w:pPr><w:pStyle ") and "<w:keepNext/>" not in last:
            cut = last.index("/>") + 2  # after the pStyle, where keepNext goes
            self.out[-1] = last[:cut] + "<w:keepNext/>" + last[cut:]

    def signoff(self, lines: list[str]) -> None:
        """The signer 2 characters from the right margin, the date under it (one blank line above).
        The last lines of the body, the attachment note and the sign-off keep to one page: never a
        date alone on a page, nor a page with a sign-off and no text (GB/T 9704 §7.3.5.4)."""
        self.keep_last()
        self.paragraph(BODY, keep=True)
        indents = signoff_indents(lines[-2], lines[-1]) if len(lines) >= 2 else (2.0, 2.0)
        for n, line in enumerate(lines):
            right = twips(indents[0 if n < len(lines) - 1 else 1] * self.layout.body_size)
            self.paragraph(SIGNOFF, text_run(line), f'<w:ind w:right="{right}"/>', keep=n < len(lines) - 1)

    def note(self, lines: list[str]) -> None:
        """附件说明 (GB/T 9704 §7.3.3), one blank line below the body: 附件 2 characters from the
        left margin, each attachment a paragraph of its own whose lines (a long name wraps) start
        under the first name. It keeps to the page of the sign-off that follows it."""
        self.keep_last()
        self.paragraph(BODY, keep=True)
        lines = [line.lstrip("\u3000 ") for line in lines]
        head = text_width(_NOTE[0])
        number = re.match(r"\d+[.．、]", lines[0][len(_NOTE[0]):])
        left = 2 + head + (text_width(number[0]) if number else 0)
        for n, line in enumerate(lines):
            hanging = left - 2 if n == 0 else left - 2 - head
            ind = (f'<w:ind w:leftChars="{round(left * 100)}" w:left="{twips(left * self.layout.body_size)}" '
                   f'w:hangingChars="{round(hanging * 100)}" w:hanging="{twips(hanging * self.layout.body_size)}"/>')
            self.paragraph(BODY, text_run(line), ind, keep=True)

    def table(self, rows: Sequence[Sequence[Cell | tuple[str, str]]], *, header: bool = True,
              widths: Sequence[float] | None = None) -> None:
        """A table of ``rows`` of cells (or (text, alignment style) pairs); the first row is its
        header, repeated on each page, unless ``header`` is False. Columns are as wide as their
        values (a long header may wrap onto two lines), or in the proportions of ``widths``."""
        if not rows:
            return
        cols = len(rows[0])
        if widths is None:
            widths = [max([min(text_width(rows[0][c][0]), 4.0),
                           *(text_width(r[c][0]) for r in rows[1:] if c < len(r))]) + 1.5 for c in range(cols)]
        total = self.package.text_mm[0] / 25.4 * 1440  # twips
        if self.landscape_at is not None:  # on its side, the text is as much wider as the page is taller
            page = _page_twips(self.package.section)
            total += max(page[1] - page[0], 0) if page else 0
        twips = [round(w / sum(widths) * total) for w in widths]
        grid = xml_attr(self.package.style("TableGrid"))
        xml = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{grid}"/><w:tblW w:w="0" w:type="auto"/>'
               '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>',
               *(f'<w:gridCol w:w="{w}"/>' for w in twips), "</w:tblGrid>"]
        for r, row in enumerate(rows):
            first = header and r == 0
            xml.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if first else "") + "</w:trPr>")
            c = 0
            for given in row:
                if c >= cols:
                    break
                cell = given if isinstance(given, Cell) else Cell(*given)
                span = min(max(cell.span, 1), cols - c)
                align = f'<w:jc w:val="{_ALIGNS[cell.align]}"/>' if not first and cell.align in _ALIGNS else ""
                head = xml_attr(self.package.style(TABLE_HEAD if first or cell.head else TABLE))
                merged = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
                xml.append(f'<w:tc><w:tcPr><w:tcW w:w="{sum(twips[c:c + span])}" w:type="dxa"/>{merged}'
                           f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{head}"/>{align}</w:pPr>'
                           f'{cell.runs or text_run(cell.text)}</w:p></w:tc>')
                c += span
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.out.append("".join(xml))
        self.label_next = False


class Cell(NamedTuple):
    """A table cell: its text, its alignment (``text-align:left``…), its runs when they are not
    plain text (a field), whether it is set in the header's face (a row's label), and how many
    columns it spans."""

    text: str
    align: str = ""
    runs: str = ""
    head: bool = False
    span: int = 1


def _table_rows(tokens: list[Token]) -> list[list[tuple[str, str]]]:
    """The rows of a table markdown-it's own rule read: each cell's source text and alignment."""
    rows: list[list[tuple[str, str]]] = []
    for tok, nxt in itertools.pairwise(tokens):
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in {"th_open", "td_open"}:
            style = str(tok.attrs.get("style", ""))
            rows[-1].append((_MD_UNESCAPE.sub(r"\1", nxt.content if nxt.type == "inline" else ""), style))
    return rows


def title_lines(title: str, layout: Layout) -> list[str]:
    """Break a long title where the meaning allows (GB/T 9704: 词意完整，排列对称)."""
    per_line = layout.text_width_mm / (layout.title_size * 0.3528)
    if text_width(title) <= per_line:
        return [title]
    best: tuple[float, int] | None = None
    for marker in ("创建", "創建", "关于", "關於", "工作总结", "工作總結", "的"):  # either script (--script hant)
        at = title.find(marker, 1)
        if at > 0:
            first, rest = title[:at], title[at:]
            if max(text_width(first), text_width(rest)) <= per_line:
                balance = abs(text_width(first) - text_width(rest))
                best = min(best or (balance, at), (balance, at))
    at = best[1] if best else len(title) // 2
    return [title[:at], title[at:]]


def _lines(inline: Token) -> list[str]:
    """A paragraph's text, line by line (split at its line breaks), Markdown escapes undone."""
    lines = [""]
    for child in inline.children or []:
        if child.type in {"softbreak", "hardbreak"}:
            lines.append("")
        elif child.type in {"text", "code_inline"}:
            lines[-1] += child.content
    return [line.strip(" ") for line in lines if line.strip(" \u3000")]


def _ends(tokens: list[Token]) -> dict[int, str]:
    """Where the body's sign-off and attachment note stand (the index of their
    ``paragraph_open``), found by the shape the module docstring describes."""
    end = next((i for i, tok in enumerate(tokens) if tok.type == "hr"), len(tokens))
    paragraphs = [i for i in range(end) if tokens[i].type == "paragraph_open" and tokens[i].level == 0]
    after = tokens[paragraphs[-1] + 2:end] if paragraphs else []
    if not paragraphs or any(tok.type not in {"paragraph_close", "html_block"} for tok in after):
        return {}  # no paragraph, or a heading, list or table after the last: not the end of a body
    last = paragraphs[-1]
    lines = _lines(tokens[last + 1])
    if not 1 <= len(lines) <= 3 or not _DATE.fullmatch(lines[-1]) or any(
            line.endswith("。") or text_width(line) > 30 for line in lines):
        return {}
    ends = {last: "signoff"}
    note = last - 3  # the paragraph right before it
    if note in paragraphs and (_lines(tokens[note + 1]) or [""])[0].startswith(_NOTE):
        ends[note] = "note"
    return ends


def build_docx(markdown: str, layout: Layout | None = None, pictures: Pictures | None = None,
               properties: Properties | None = None) -> bytes:
    """Build the Word file (as bytes) of a report written in the templates' Markdown; its
    images (``![说明](照片/0305.jpg)``) come from ``pictures``; its document properties from
    ``properties`` (the title, when not given, from the first ``#``)."""
    return Builder(layout or Layout(), pictures, properties).build(markdown)
