"""The Word file, checked through python-docx: GB/T 9704 page, styles, fonts, page numbers."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.shared import Mm, Pt
from markdown_it import MarkdownIt

from chuangcheng import Layout, load_unit, render_markdown
from chuangcheng.office.word import build_docx, signoff_indents, title_lines
from chuangcheng.read.images import Pictures

from .conftest import EXAMPLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
UNIT = EXAMPLES / "石城街道" / "官塘社区.yaml"


@pytest.fixture(scope="module")
def markdown() -> str:
    return render_markdown(load_unit(UNIT).model)


@pytest.fixture(scope="module")
def document(markdown: str) -> Document:
    return docx.Document(io.BytesIO(_build(markdown)))


def _build(markdown: str, layout: Layout | None = None) -> bytes:
    """The example's Word file; its photos are linked relative to the unit file."""
    return build_docx(markdown, layout, Pictures(UNIT.parent, UNIT.parent))


def _fonts(style: object) -> dict[str, str]:
    rfonts = style.element.find(f"{W}rPr/{W}rFonts")  # type: ignore[attr-defined]
    return {k.split("}")[1]: v for k, v in rfonts.attrib.items()}


def test_page_setup(document: Document) -> None:
    section = document.sections[0]
    got = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
           section.left_margin, section.right_margin]
    want = [Mm(v) for v in (210, 297, 37, 35, 28, 26)]
    assert all(abs(g - w) < Mm(0.1) for g, w in zip(got, want, strict=True)), got  # stored in twips
    grid = section._sectPr.find(f"{W}docGrid")
    assert grid is not None and grid.get(f"{W}linePitch") == "579"


@pytest.mark.parametrize(("style", "font", "size", "bold"), [
    ("Normal", "仿宋_GB2312", 16, False),
    ("Title", "方正小标宋简体", 22, False),
    ("Heading 1", "黑体", 16, False),
    ("Heading 2", "楷体_GB2312", 16, False),
    ("Heading 3", "仿宋_GB2312", 16, True),
    ("Heading 4", "仿宋_GB2312", 16, False),
    ("落款", "仿宋_GB2312", 16, False),
    ("表格文字", "仿宋_GB2312", 14, False),
    ("页码", "宋体", 14, False),
])
def test_style_fonts(document: Document, style: str, font: str, size: int, bold: bool) -> None:
    st = document.styles[style]
    fonts = _fonts(st)
    assert fonts["eastAsia"] == font and fonts["ascii"] == font and fonts["hint"] == "eastAsia"
    assert not any(k.endswith("Theme") or k == "cstheme" for k in fonts)
    assert st.font.size == Pt(size)
    assert bool(st.font.bold) is bold


def test_no_theme_fonts_anywhere(document: Document) -> None:
    xml = document.styles.element.xml
    assert "asciiTheme" not in xml and "eastAsiaTheme" not in xml and "majorHAnsi" not in xml


def test_body_paragraph_format(document: Document) -> None:
    fmt = document.styles["Normal"].paragraph_format
    assert fmt.line_spacing == Pt(28.95)
    assert fmt.first_line_indent == Pt(32)
    ind = document.styles["Normal"].element.find(f"{W}pPr/{W}ind")
    assert ind is not None and ind.get(f"{W}firstLineChars") == "200"
    assert str(fmt.alignment) == "JUSTIFY (3)"


def test_structure(document: Document) -> None:
    pars = document.paragraphs
    assert pars[0].style.name == "Title" and pars[0].text.startswith("官塘社区2026年上半年")
    assert pars[1].text == "" and pars[2].text.startswith("2026年上半年，官塘社区在石城街道党工委")
    heads = [p.text for p in pars if p.style.name == "Heading 1"]
    assert heads == ["一、基本情况", "二、主要做法及成效", "三、存在的问题", "四、下一步工作打算"]
    subs = [p.text for p in pars if p.style.name == "Heading 2"]
    assert subs[0] == "（一）加强组织领导，压实工作责任" and len(subs) == 6
    signoff = [p for p in pars if p.style.name == "落款"]
    assert [p.text for p in signoff] == ["官塘社区居民委员会", "2026年7月5日"]
    assert signoff[0].paragraph_format.right_indent == Pt(32)
    label = next(p for p in pars if p.style.name == "附件标识")
    assert label.text == "附表" and label.paragraph_format.page_break_before


def test_page_numbers_are_fields_odd_right_even_left(document: Document) -> None:
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        par = footer.paragraphs[0]
        xml = par._p.xml
        assert "PAGE" in "".join(t.text or "" for t in par._p.iter(f"{W}instrText"))
        assert xml.count('w:fldCharType="begin"') == 1 and xml.count('w:fldCharType="end"') == 1
        assert par.text.startswith("— ") and par.text.endswith(" —")
        assert par.style.name == "页码"
        if align == "left":
            assert par.paragraph_format.left_indent == Pt(14)
        else:
            assert par.paragraph_format.right_indent == Pt(14)


def test_statistics_table(document: Document) -> None:
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作类别", "项目", "数量", "活动次数"]
    assert table.rows[1].cells[2].text == "发放宣传单"
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert table.rows[1].cells[0].paragraphs[0].style.name == "表格文字"


def _plain_markdown(markdown: str) -> list[str]:
    """The text of each block of the Markdown, as a reader sees it."""
    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(markdown)
    texts: list[str] = []
    number = 0
    for i, tok in enumerate(tokens):
        if tok.type == "ordered_list_open":
            number = 0
        if tok.type == "inline" and any(c.type == "image" for c in tok.children or []):
            continue  # a picture: no text in Word (its caption is the next paragraph)
        if tok.type == "inline" and tokens[i - 1].type in {"paragraph_open", "heading_open"}:
            prefix = ""
            if i >= 2 and tokens[i - 2].type == "list_item_open":
                number += 1
                prefix = f"{number}."
            texts.append(prefix + "".join(c.content for c in tok.children or []))
        if tok.type == "html_block":
            texts += [t for t in re.sub(r"<[^>]+>", "\n", tok.content).split("\n") if t.strip()]
    return texts


def test_word_and_markdown_hold_the_same_text(document: Document, markdown: str) -> None:
    words = [p.text.replace("\n", "") for p in document.paragraphs if p.text]
    assert words == _plain_markdown(markdown)
    pictures = [p for p in document.paragraphs if p.style.name == "图片"]
    assert len(pictures) == markdown.count("![") == 3
    assert all(p.runs[0].element.find(f"{W}drawing") is not None for p in pictures)


def test_layout_is_configurable(markdown: str) -> None:
    layout = Layout(body_font="仿宋", line_spacing=28, latin_font="Times New Roman",
                    page_number_position="center")
    doc = docx.Document(io.BytesIO(_build(markdown, layout)))
    fonts = _fonts(doc.styles["Normal"])
    assert fonts["eastAsia"] == "仿宋" and fonts["ascii"] == "Times New Roman"
    assert doc.styles["Normal"].paragraph_format.line_spacing == Pt(28)
    assert not doc.settings.odd_and_even_pages_header_footer


def test_signoff_indents_follow_gbt9704() -> None:
    # signer longer than the date: signer 2 chars from the right, date starts 2 chars further right
    assert signoff_indents("官塘社区居民委员会", "2026年7月5日") == (2, 3)
    # date longer than the signer: date keeps 2 chars, signer moves left
    assert signoff_indents("某社区", "2026年12月25日") == (2 + 7 + 2 - 3, 2)


def test_long_titles_break_where_the_meaning_allows() -> None:
    assert title_lines("官塘社区2026年上半年创建全国文明城市工作总结", Layout()) == [
        "官塘社区2026年上半年", "创建全国文明城市工作总结"]
    assert title_lines("官塘社区工作总结", Layout()) == ["官塘社区工作总结"]


def test_written_file_opens(tmp_path: Path, markdown: str) -> None:
    path = tmp_path / "x.docx"
    path.write_bytes(_build(markdown))
    assert docx.Document(str(path)).paragraphs[0].text
