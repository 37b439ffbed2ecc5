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
import zipfile
from dataclasses import dataclass
from functools import lru_cache
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


@dataclass(frozen=True)
class _Package:
    """Every part of the .docx but the body, built once per layout with python-docx."""

    parts: dict[str, bytes]
    section: str  # the body's closing <w:sectPr> (page setup, footer references)
    style_ids: dict[str, str]


_DROP = re.compile(r"^(word/stylesWithEffects\.xml|docProps/thumbnail\.jpeg|customXml/.*)$")


@lru_cache(maxsize=8)
def _package(layout: Layout) -> _Package:
    """Build the template once: styles, page setup, footers; drop what the default template
    carries and a report never uses (latent styles, stylesWithEffects, a thumbnail)."""
    import docx

    doc = docx.Document()
    _page_setup(doc, layout)
    styles = _setup_styles(doc, layout)
    _footers(doc, layout, styles[PAGE_NUMBER])
    _prune_styles(doc, {s.style_id for s in styles.values()} | {"TableGrid", "TableNormal",
                                                                  "DefaultParagraphFont", "NoList"})
    body = doc.element.body
    for p in body.findall(f"{{{_W}}}p"):
        body.remove(p)
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(out) as archive:
        parts = {n: archive.read(n) for n in archive.namelist() if not _DROP.match(n)}
    for name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
        parts[name] = re.sub(rb"<(?:Override|Relationship)[^>]*(?:stylesWithEffects|thumbnail|customXml)"
                             rb"[^>]*/>", b"", parts[name])
    document = parts.pop("word/document.xml").decode("utf-8")
    section = document[document.index("<w:sectPr"):document.index("</w:body>")]
    parts["word/document.xml"] = document[:document.index("<w:body>")].encode("utf-8")
    return _Package(parts, section, {name: style.style_id for name, style in styles.items()})


def _prune_styles(doc: DocumentObject, keep: set[str]) -> None:
    root = doc.styles.element
    for latent in root.findall(f"{{{_W}}}latentStyles"):
        root.remove(latent)
    for style in root.findall(f"{{{_W}}}style"):
        if style.get(f"{{{_W}}}styleId") not in keep:
            root.remove(style)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


_BREAK = "<w:r><w:br/></w:r>"
_ALIGNS = {"text-align:center": "center", "text-align:right": "right", "text-align:left": "left"}


class _Builder:
    """Writes the body's XML straight from the Markdown tokens (python-docx's object API
    costs tens of milliseconds a page; strings cost almost nothing)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.package = _package(layout)
        self.ids = self.package.style_ids
        self.out: list[str] = []
        self.titles = 0
        self.after_break = False  # the next paragraph starts a new page
        self.label_next = False  # the next bold-only paragraph is an attachment label

    def paragraph(self, style: str, runs: str = "", extra: str = "") -> None:
        ppr = f'<w:pStyle w:val="{self.ids[style]}"/>'
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
        document = (package.parts["word/document.xml"].decode("utf-8") + "<w:body>"
                    + "".join(self.out) + package.section + "</w:body></w:document>")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, data in package.parts.items():
                archive.writestr(name, document.encode("utf-8") if name == "word/document.xml" else data)
        return out.getvalue()

    def heading(self, level: int, inline: Token) -> None:
        self.label_next = False
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
        label = self.label_next and len(children) == 3 and children[0].type == "strong_open"
        self.label_next = False
        self.paragraph(LABEL if label else BODY, (_run(prefix) if prefix else "") + self.inline(inline))

    def html(self, content: str) -> None:
        match = _SIGNOFF.search(content)
        if not match:
            return
        lines = [html.unescape(_MD_UNESCAPE.sub(r"\1", re.sub(r"<[^>]+>", "", part))).strip()
                 for part in re.split(r"<br\s*/?>", match[1])]
        lines = [line for line in lines if line]
        self.paragraph(BODY)  # one blank line between the body and the sign-off
        indents = signoff_indents(lines[0], lines[1]) if len(lines) >= 2 else (2.0, 2.0)
        for n, line in enumerate(lines):
            right = _twips(indents[min(n, 1)] * self.layout.body_size)
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
        widths = [max(text_width(r[c][0]) for r in rows if c < len(r)) + 1.5 for c in range(cols)]
        total = self.layout.text_width_mm / 25.4 * 1440  # twips
        twips = [round(w / sum(widths) * total) for w in widths]
        xml = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
               '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>',
               *(f'<w:gridCol w:w="{w}"/>' for w in twips), "</w:tblGrid>"]
        for r, row in enumerate(rows):
            xml.append("<w:tr>" + ("<w:trPr><w:tblHeader/></w:trPr>" if r == 0 else ""))
            for c, (text, style) in enumerate(row[:cols]):
                align = f'<w:jc w:val="{_ALIGNS[style]}"/>' if r and style in _ALIGNS else ""
                head = self.ids[TABLE_HEAD if r == 0 else TABLE]
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


def build_docx(markdown: str, layout: Layout | None = None) -> bytes:
    """Build the Word file (as bytes) of a report written in the templates' Markdown."""
    return _Builder(layout or Layout()).build(markdown)
