"""Markdown (what the templates write) to a Word document in GB/T 9704-2012 layout.

Mapping: ``#`` title (小标宋, centred), ``##`` 一、 (黑体), ``###`` （一） (楷体), ``####`` 1.
(仿宋 bold), ``#####`` （1） (仿宋); paragraphs and list items are body text; ``---`` starts a
new page; a bold-only paragraph after it is an attachment label (附表); the
``<p class="signoff">`` block is the sign-off; tables become bordered tables. Fonts live on
styles, never on runs, and every style names its East Asian font.
"""

from __future__ import annotations

import html
import io
import itertools
import re
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .layout import Layout
from .typography import text_width

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.styles.style import ParagraphStyle
    from docx.text.paragraph import Paragraph

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SIGNOFF = re.compile(r'<p\s+class="signoff"[^>]*>(.*?)</p>', re.S)
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")

# Style names used in the document (built-in ones keep Word's outline and navigation pane).
TITLE, BODY = "Title", "Normal"
HEADINGS = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
SIGNOFF, LABEL, TABLE, TABLE_HEAD, PAGE_NUMBER = "落款", "附件标识", "表格文字", "表格标题行", "页码"


def _twips(points: float) -> int:
    return round(points * 20)


def _rpr(font: str, size: float, layout: Layout, bold: bool = False) -> str:
    latin = layout.latin_font or font
    return (
        f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{font}" w:cs="{latin}" '
        f'w:hint="eastAsia"/>'
        + ("<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
        + f'<w:color w:val="000000"/><w:kern w:val="0"/><w:sz w:val="{round(size * 2)}"/>'
        f'<w:szCs w:val="{round(size * 2)}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
    )


def _ppr(layout: Layout, *, align: str = "both", first_chars: int = 2, exact: bool = True,
         keep_next: bool = False, outline: int | None = None, size: float | None = None) -> str:
    size = size or layout.body_size
    spacing = (f'<w:spacing w:before="0" w:after="0" w:line="{_twips(layout.line_spacing)}" '
               'w:lineRule="exact"/>' if exact else
               '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    indent = (f'<w:ind w:firstLineChars="{first_chars * 100}" w:firstLine="{_twips(size * first_chars)}"/>'
              if first_chars else '<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    return ("<w:pPr>" + ("<w:keepNext/>" if keep_next else "") + '<w:widowControl w:val="0"/>'
            + ("" if exact else '<w:snapToGrid w:val="0"/>') + spacing + indent + f'<w:jc w:val="{align}"/>'
            + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "") + "</w:pPr>")


def _set_style(doc: DocumentObject, name: str, ppr: str, rpr: str) -> ParagraphStyle:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[BODY]
        style.quick_style = True
    element = style.element
    for tag in ("pPr", "rPr"):
        for old in element.findall(f"{{{_W}}}{tag}"):
            element.remove(old)
    ns = f'xmlns:w="{_W}"'
    element.append(parse_xml(ppr.replace("<w:pPr>", f"<w:pPr {ns}>", 1)))
    element.append(parse_xml(rpr.replace("<w:rPr>", f"<w:rPr {ns}>", 1)))
    return style  # type: ignore[no-any-return]


def _setup_styles(doc: DocumentObject, layout: Layout) -> dict[str, Any]:
    """Define every style the report uses; fonts are set here once, not on each run."""
    from docx.oxml import parse_xml

    for rfonts in doc.styles.element.iter(f"{{{_W}}}rFonts"):  # theme fonts override ours
        for attr in [a for a in rfonts.attrib if a.endswith(("Theme", "theme"))]:
            del rfonts.attrib[attr]
    defaults = doc.styles.element.find(f"{{{_W}}}docDefaults")
    if defaults is not None:  # the default template's theme fonts would override ours
        doc.styles.element.remove(defaults)
    ns = f'xmlns:w="{_W}"'
    doc.styles.element.insert(0, parse_xml(
        f"<w:docDefaults {ns}><w:rPrDefault>{_rpr(layout.body_font, layout.body_size, layout)}"
        f"</w:rPrDefault><w:pPrDefault/></w:docDefaults>"))
    styles: dict[str, Any] = {
        BODY: _set_style(doc, BODY, _ppr(layout), _rpr(layout.body_font, layout.body_size, layout)),
        TITLE: _set_style(doc, TITLE, _ppr(layout, align="center", first_chars=0, size=layout.title_size),
                          _rpr(layout.title_font, layout.title_size, layout)),
    }
    for level, name in enumerate(HEADINGS):
        styles[name] = _set_style(
            doc, name, _ppr(layout, keep_next=True, outline=level),
            _rpr(layout.heading_fonts[level], layout.body_size, layout, layout.heading_bold[level]))
    styles[SIGNOFF] = _set_style(doc, SIGNOFF, _ppr(layout, align="right", first_chars=0),
                                 _rpr(layout.body_font, layout.body_size, layout))
    styles[LABEL] = _set_style(doc, LABEL, _ppr(layout, align="left", first_chars=0, keep_next=True),
                               _rpr(layout.heading_fonts[0], layout.body_size, layout))
    table_ppr = _ppr(layout, align="center", first_chars=0, exact=False)
    styles[TABLE] = _set_style(doc, TABLE, table_ppr, _rpr(layout.table_font, layout.table_size, layout))
    styles[TABLE_HEAD] = _set_style(doc, TABLE_HEAD, table_ppr,
                                    _rpr(layout.table_header_font, layout.table_size, layout))
    styles[PAGE_NUMBER] = _set_style(
        doc, PAGE_NUMBER, _ppr(layout, align="right", first_chars=0, exact=False),
        _rpr(layout.page_number_font, layout.page_number_size, layout))
    return styles


def _page_setup(doc: DocumentObject, layout: Layout) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(layout.paper_mm[0]), Mm(layout.paper_mm[1])
    top, bottom, left, right = layout.margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(15), Mm(layout.footer_mm)
    sect_pr = section._sectPr
    for grid in sect_pr.findall(f"{{{_W}}}docGrid"):
        sect_pr.remove(grid)
    sect_pr.append(parse_xml(f'<w:docGrid xmlns:w="{_W}" w:type="lines" '
                             f'w:linePitch="{_twips(layout.line_spacing)}"/>'))


def _page_number(paragraph: Paragraph, style: Any, align: str, indent_pt: float) -> None:
    """``— N —`` with a PAGE field (Word counts the pages, nothing is typed)."""
    from docx.oxml import parse_xml
    from docx.shared import Pt

    paragraph.style = style
    fmt = paragraph.paragraph_format
    if align == "right":
        fmt.right_indent = Pt(indent_pt)
    elif align == "left":
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.left_indent = Pt(indent_pt)
    else:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ns = f'xmlns:w="{_W}"'
    for xml in (
        '<w:r><w:t xml:space="preserve">— </w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r><w:t>1</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:r><w:t xml:space="preserve"> —</w:t></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.replace("<w:r>", f"<w:r {ns}>", 1)))


def _footers(doc: DocumentObject, layout: Layout, style: Any) -> None:
    section = doc.sections[0]
    if layout.page_number_position == "center":
        _page_number(section.footer.paragraphs[0], style, "center", 0)
        return
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], style, "right", layout.page_number_size)
    _page_number(section.even_page_footer.paragraphs[0], style, "left", layout.page_number_size)


def signoff_indents(signer: str, date: str, chars: float = 2) -> tuple[float, float]:
    """Right indents (in characters) of the signer and the date, per GB/T 9704 §7.3.5.2:
    the signer 2 characters from the right margin, the date below it moved 2 characters
    right; a date longer than the signer keeps 2 characters and pushes the signer left."""
    ws, wd = text_width(signer), text_width(date)
    date_right = ws - chars - wd + chars
    if date_right >= chars:
        return chars, date_right
    return chars + wd + chars - ws, chars


class _Builder:
    def __init__(self, layout: Layout) -> None:
        import docx

        self.layout = layout
        self.doc = docx.Document()
        _page_setup(self.doc, layout)
        self.styles = _setup_styles(self.doc, layout)
        self.style_ids = {name: style.style_id for name, style in self.styles.items()}
        _footers(self.doc, layout, self.styles[PAGE_NUMBER])
        body = self.doc.element.body
        for p in body.findall(f"{{{_W}}}p"):
            body.remove(p)
        self.titles = 0
        self.after_break = False  # the next paragraph starts a new page
        self.label_next = False  # the next bold-only paragraph is an attachment label

    def paragraph(self, style: str, text: str = "") -> Paragraph:
        par = self.doc.add_paragraph()
        par._p.style = self.style_ids[style]  # by id: python-docx's lookup by object is slow
        if self.after_break:
            par.paragraph_format.page_break_before = True
            self.after_break = False
        if text:
            par.add_run(text)
        return par

    def inline(self, par: Paragraph, token: Token) -> None:
        bold = italic = False
        for child in token.children or []:
            kind = child.type
            if kind in {"text", "code_inline"}:
                run = par.add_run(child.content)
                run.bold, run.italic = (True if bold else None), (True if italic else None)
            elif kind in {"strong_open", "strong_close"}:
                bold = kind == "strong_open"
            elif kind in {"em_open", "em_close"}:
                italic = kind == "em_open"
            elif kind == "hardbreak" or (kind == "html_inline" and child.content.startswith("<br")):
                par.add_run().add_break()

    def build(self, markdown: str) -> bytes:
        tokens = _PARSER.parse(markdown)
        i = 0
        list_number: list[int] = []
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                level = int(tok.tag[1])
                self.heading(level, tokens[i + 1])
                i += 3
                continue
            if kind == "paragraph_open":
                inline = tokens[i + 1]
                prefix = ""
                if list_number:
                    list_number[-1] += 1
                    prefix = f"{list_number[-1]}." if list_number[-1] > 0 else ""
                self.body(inline, prefix)
                i += 3
                continue
            if kind == "ordered_list_open":
                list_number.append(int(str(tok.attrs.get("start", 1))) - 1)
            elif kind == "bullet_list_open":
                list_number.append(-(10**9))
            elif kind in {"ordered_list_close", "bullet_list_close"}:
                list_number.pop()
            elif kind == "hr":
                self.page_break()
            elif kind == "html_block":
                self.html(tok.content)
            elif kind == "table_open":
                end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
                self.table(tokens[i:end + 1])
                i = end
            i += 1
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def heading(self, level: int, inline: Token) -> None:
        self.label_next = False
        if level == 1:
            self.titles += 1
            par = self.paragraph(TITLE)
            lines = title_lines(inline.content, self.layout)
            for n, line in enumerate(lines):
                if n:
                    par.add_run().add_break()
                par.add_run(_MD_UNESCAPE.sub(r"\1", line))
            if self.titles == 1:
                self.paragraph(BODY)  # one blank line between title and body
        else:
            par = self.paragraph(HEADINGS[min(level, 5) - 2])
            self.inline(par, inline)

    def body(self, inline: Token, prefix: str) -> None:
        children = [c for c in inline.children or [] if c.type != "text" or c.content]
        label = self.label_next and len(children) == 3 and children[0].type == "strong_open"
        self.label_next = False
        par = self.paragraph(LABEL if label else BODY, prefix)
        self.inline(par, inline)

    def page_break(self) -> None:
        self.after_break = True
        self.label_next = True

    def html(self, content: str) -> None:
        from docx.shared import Pt

        match = _SIGNOFF.search(content)
        if not match:
            return
        lines = [html.unescape(_MD_UNESCAPE.sub(r"\1", re.sub(r"<[^>]+>", "", part))).strip()
                 for part in re.split(r"<br\s*/?>", match[1])]
        lines = [line for line in lines if line]
        self.paragraph(BODY)  # one blank line between the body and the sign-off
        indents = signoff_indents(lines[0], lines[1]) if len(lines) >= 2 else (2.0, 2.0)
        for n, line in enumerate(lines):
            indent = indents[min(n, 1)]
            par = self.paragraph(SIGNOFF, line)
            par.paragraph_format.right_indent = Pt(indent * self.layout.body_size)

    def table(self, tokens: list[Token]) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        rows: list[list[tuple[str, str]]] = []
        for tok, nxt in itertools.pairwise(tokens):
            if tok.type == "tr_open":
                rows.append([])
            elif tok.type in {"th_open", "td_open"}:
                style = str(tok.attrs.get("style", ""))
                rows[-1].append((nxt.content if nxt.type == "inline" else "", style))
        if not rows:
            return
        cols = len(rows[0])
        table = self.doc.add_table(rows=len(rows), cols=cols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [max(text_width(r[c][0]) for r in rows if c < len(r)) + 1.5 for c in range(cols)]
        scale = self.layout.text_width_mm / sum(widths)
        for c, column in enumerate(table.columns):
            column.width = Mm(widths[c] * scale)
        _repeat_header(table.rows[0])
        aligns = {"text-align:center": WD_ALIGN_PARAGRAPH.CENTER,
                  "text-align:right": WD_ALIGN_PARAGRAPH.RIGHT,
                  "text-align:left": WD_ALIGN_PARAGRAPH.LEFT}
        for r, (row, table_row) in enumerate(zip(rows, table.rows, strict=True)):
            for c, ((text, style), cell) in enumerate(zip(row[:cols], table_row.cells, strict=False)):
                cell.width = Mm(widths[c] * scale)
                par = cell.paragraphs[0]
                par._p.style = self.style_ids[TABLE_HEAD if r == 0 else TABLE]
                if r and style in aligns:
                    par.alignment = aligns[style]
                par.add_run(_MD_UNESCAPE.sub(r"\1", text))
        self.label_next = False


def _repeat_header(row: Any) -> None:
    """Repeat the header row on every page the table runs over."""
    from docx.oxml import parse_xml

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:tblHeader xmlns:w="{_W}"/>'))


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


def build_docx(markdown: str, layout: Layout | None = None) -> bytes:
    """Build the Word file (as bytes) of a report written in the templates' Markdown."""
    return _Builder(layout or Layout()).build(markdown)
