"""The Word file, checked through python-docx: GB/T 9704 page, styles, fonts, page numbers."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.shared import Mm, Pt
from markdown_it import MarkdownIt

from chuangcheng import Layout, load_unit, render_markdown
from chuangcheng.office import word
from chuangcheng.office.docx_package import Properties, for_libreoffice
from chuangcheng.office.word import build_docx, signoff_indents, title_lines
from chuangcheng.read.images import Pictures

from .conftest import EXAMPLES, UNIT_FILES
from .docx_check import problems

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
    ("附件标识", "黑体", 16, False),
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
    labels = [i for i, p in enumerate(pars) if p.style.name == "附件标识"]
    assert [pars[i].text for i in labels] == ["附件1", "附件2"]
    assert all(pars[i].paragraph_format.page_break_before for i in labels)
    # a blank line, then the attachment's title, centred like the report's (GB/T 9704: on line 3)
    assert [(pars[i + 1].text, pars[i + 2].style.name, pars[i + 2].text) for i in labels] == [
        ("", "Title", "官塘社区创建活动统计表"), ("", "Title", "官塘社区创建活动照片")]


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
            lines = [""]  # a hard break ends a line of the sign-off or the attachment note
            for child in tok.children or []:
                if child.type == "hardbreak":
                    lines.append("")
                else:
                    lines[-1] += child.content
            texts += [prefix + lines[0], *(line.lstrip("\u3000") for line in lines[1:])]
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


def _grid(document: Document) -> tuple[float, float, int]:
    """Text width (pt), character pitch (pt) and line pitch (twips) of the section's grid."""
    section = document.sections[0]
    grid = section._sectPr.find(f"{W}docGrid")
    assert grid is not None and grid.get(f"{W}type") == "linesAndChars"
    width = (section.page_width - section.left_margin - section.right_margin) / 12700  # EMU → pt
    size = document.styles["Normal"].font.size.pt
    return width, size + int(grid.get(f"{W}charSpace")) / 4096, int(grid.get(f"{W}linePitch"))


@pytest.mark.parametrize("layout", [
    Layout(), Layout(body_size=15, line_spacing=28), Layout(margins_mm=(30, 30, 25, 25)),
    Layout(body_size=14, margins_mm=(37, 35, 31.8, 26)),
], ids=["gbt9704", "small-body", "wide-margins", "both"])
def test_a_line_holds_28_characters_of_the_body_size(markdown: str, layout: Layout) -> None:
    width, pitch, line = _grid(docx.Document(io.BytesIO(_build(markdown, layout))))
    assert 28 * pitch <= width < 29 * pitch  # Word fits as many whole characters as the width holds
    assert pitch == pytest.approx(width / 28, abs=1 / 4096)
    assert line == round(layout.line_spacing * 20)


def test_no_automatic_space_between_chinese_and_digits(document: Document) -> None:
    styles = document.styles.element
    default = styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    paragraph_styles = [s for s in styles.iterfind(f"{W}style") if s.get(f"{W}type") == "paragraph"]
    for ppr in [default, *(s.find(f"{W}pPr") for s in paragraph_styles)]:
        assert ppr is not None
        assert [ppr.find(f"{W}{tag}").get(f"{W}val") for tag in ("autoSpaceDE", "autoSpaceDN")] == ["0", "0"]


def _paragraph_indents(paragraph: object) -> tuple[float, float]:
    """Where a paragraph's first line and its other lines start, in points from the margin."""
    fmt = paragraph.paragraph_format  # type: ignore[attr-defined]
    left = fmt.left_indent.pt if fmt.left_indent is not None else 0
    return left + (fmt.first_line_indent.pt if fmt.first_line_indent is not None else 0), left


def test_attachment_note_between_the_body_and_the_signoff(document: Document) -> None:
    pars = document.paragraphs
    at = next(i for i, p in enumerate(pars) if p.text.startswith("附件："))
    assert [p.text for p in pars[at - 1:at + 6]] == ["", "附件：1.官塘社区创建活动统计表", "2.官塘社区创建活动照片",
                                                     "", "官塘社区居民委员会", "2026年7月5日", "附件1"]
    assert pars[at - 2].text.endswith("。") and pars[at + 2].style.name == "Normal"
    first, second = _paragraph_indents(pars[at]), _paragraph_indents(pars[at + 1])
    assert first == (2 * 16, 6 * 16)  # 附件 2 characters in; a long name wraps under the name (附件：1. is 4)
    assert second == (5 * 16, 6 * 16)  # the next number under the first


def test_a_single_attachment_has_no_number() -> None:
    unit = next(p for p in UNIT_FILES if p.stem == "桃源村")
    doc = docx.Document(io.BytesIO(build_docx(render_markdown(load_unit(unit).model))))
    texts = [p.text for p in doc.paragraphs]
    assert "附件：桃源村创建活动统计表" in texts
    note = doc.paragraphs[texts.index("附件：桃源村创建活动统计表")]
    assert _paragraph_indents(note) == (2 * 16, 5 * 16)
    assert [p.text for p in doc.paragraphs if p.style.name == "附件标识"] == ["附件"]


def test_table_rows_never_split_and_the_header_repeats(document: Document) -> None:
    for table in document.tables:
        rows = [row._tr for row in table.rows]
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
        assert [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows] == [True] + [False] * (len(rows) - 1)


def test_document_properties(tmp_path: Path) -> None:
    import datetime as dt

    from chuangcheng import render_unit

    render_unit(UNIT, tmp_path, formats=["docx"])
    core = docx.Document(str(tmp_path / "官塘社区.docx")).core_properties
    assert core.title == "官塘社区2026年上半年创建全国文明城市工作总结"
    assert core.author == "官塘社区居民委员会"
    assert core.created == core.modified == dt.datetime(2026, 7, 5, tzinfo=dt.UTC)
    odd = build_docx("# 甲&乙<丙>\x0b\n\n正文。\n", properties=Properties("", "某&单位<\"", dt.date(2026, 1, 2)))
    assert problems(odd) == []
    core = docx.Document(io.BytesIO(odd)).core_properties
    assert (core.title, core.author) == ("甲&乙<丙>", "某&单位<\"")  # the title from the first heading
    parts = zipfile.ZipFile(io.BytesIO(odd)).namelist()
    assert "docProps/core.xml" in parts and "docProps/app.xml" in parts


def _signoff(markdown: str) -> list[str]:
    doc = docx.Document(io.BytesIO(build_docx(markdown)))
    return [p.text for p in doc.paragraphs if p.style.name == "落款"]


def test_the_signoff_is_found_by_its_place_and_shape() -> None:
    body = "# 标题\n\n正文第一段。\n\n"
    assert _signoff(body + "某社区居民委员会\\\n2026年7月5日\n") == ["某社区居民委员会", "2026年7月5日"]
    assert _signoff(body + "某社区\\\n2026年7月5日\n\n---\n\n附件\n\n## 表\n") == ["某社区", "2026年7月5日"]
    assert _signoff(body + "2026年7月5日\n") == ["2026年7月5日"]
    assert _signoff(body + "会议于\\\n2026年7月5日\n\n## 后面还有标题\n") == []  # not the end of the body
    assert _signoff(body + "这一段结尾是日期。\\\n2026年7月5日\n") == []  # a sentence, not a signer
    assert _signoff(body + "活动定于2026年7月5日\n") == []  # a date inside a sentence
    assert _signoff(body + '<p class="signoff">某社区<br>2026年7月5日</p>\n') == ["某社区", "2026年7月5日"]


def test_markdown_has_one_title_and_no_html() -> None:
    for unit in UNIT_FILES:
        markdown = render_markdown(load_unit(unit).model)
        assert [line for line in markdown.splitlines() if line.startswith("# ")] == [markdown.splitlines()[0]]
        assert not re.search(r"<(p|br|div|span)\b", markdown), unit


def test_libreoffice_gets_28_characters_without_a_character_grid(markdown: str) -> None:
    layout = Layout()
    word = _build(markdown, layout)
    variant = zipfile.ZipFile(io.BytesIO(for_libreoffice(word, layout)))
    assert '<w:docGrid w:type="lines" w:linePitch="579"/>' in variant.read("word/document.xml").decode()
    styles = variant.read("word/styles.xml").decode()
    condense = int(re.search(r'<w:rPrDefault><w:rPr><w:spacing w:val="(-?\d+)"/>', styles)[1])  # type: ignore[index]
    width = (210 - 28 - 26) / 25.4 * 72
    assert 28 * (16 + condense / 20) <= width < 28 * (16 + (condense + 1) / 20)
    assert problems(for_libreoffice(word, layout)) == []
    assert for_libreoffice(word, Layout(body_size=15)) is word  # not our grid (a reference's section): as it is


TABLES = {  # Markdown → the cells Word must hold (both readers: the fast one and markdown-it's)
    "pipes": ("| 项目 | 数量 |\n|:---|---:|\n| 发放宣传单 | 3000份 |\n| 悬挂\\|横幅 |\n", [["项目", "数量"],
              ["发放宣传单", "3000份"], ["悬挂|横幅", ""]]),
    "no_outer_pipes": ("项目 | 数量\n--- | ---\n发放宣传单 | 3000份\n", [["项目", "数量"], ["发放宣传单", "3000份"]]),
    "a_row_without_pipes": ("| 项目 | 数量 |\n|---|---|\n| 发放宣传单 | 3000份 |\n横幅\n", [["项目", "数量"],
                            ["发放宣传单", "3000份"], ["横幅", ""]]),
    "extra_cells": ("| 项目 | 数量 |\n|---|---|\n| a | b | c |\n", [["项目", "数量"], ["a", "b"]]),
}


@pytest.mark.parametrize("name", TABLES)
def test_tables_read_the_way_markdown_reads_them(name: str) -> None:
    """Pipe tables as the templates write them take a fast path; every other table is read by
    markdown-it's own rule; both give Word the cells a Markdown reader sees."""
    source, cells = TABLES[name]
    reference = MarkdownIt("zero").enable("table").parse(source)
    assert sum(t.type == "tr_open" for t in reference) == len(cells)  # the expectation is markdown-it's
    fast = any(t.type == "fast_table" for t in word._PARSER.parse(source))
    assert fast == (name in {"pipes", "extra_cells"})
    document = docx.Document(io.BytesIO(build_docx(f"# 标题\n\n正文。\n\n{source}")))
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == cells
    assert problems(build_docx(f"# 标题\n\n{source}")) == []


def test_the_last_lines_the_note_and_the_signoff_keep_to_one_page() -> None:
    """Never a date alone on a page, nor a sign-off on a page without text (GB/T 9704 §7.3.5.4):
    from the body's last paragraph to the signer, each paragraph keeps with the next; the date
    ends the chain, and the body before its last paragraph may break where it falls."""
    markdown = ("# 标题\n\n第一段。\n\n最后一段。\n\n附件：石城街道办事处创建活动统计表\n\n"
                "石城街道办事处\\\n2026年7月4日\n")
    with zipfile.ZipFile(io.BytesIO(build_docx(markdown))) as package:
        body = package.read("word/document.xml").decode().split("<w:body>", 1)[1]
    paragraphs = re.findall(r"<w:p>.*?</w:p>", body)
    kept = [("<w:keepNext/>" in p, "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))) for p in paragraphs]
    assert kept[-7:] == [(False, "第一段。"), (True, "最后一段。"), (True, ""),
                         (True, "附件：石城街道办事处创建活动统计表"), (True, ""), (True, "石城街道办事处"),
                         (False, "2026年7月4日")]
    assert all(p.index("<w:keepNext/>") < p.index("</w:pPr>") for p in paragraphs if "<w:keepNext/>" in p)
