"""Letterhead and house style: a reference .docx (page setup, styles, header, footer) and the
district file's 版式 block (fonts, sizes, line spacing, margins)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt
from PIL import Image
from typer.testing import CliRunner

from chuangcheng.cli import app
from chuangcheng.errors import InputError
from chuangcheng.office.render import render_unit, unit_layout

from .conftest import EXAMPLES, MINIMAL

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _letterhead(path: Path, *, footer: bool = False) -> Path:
    """An office's Word file as offices make them: margins, a red header with a logo, its own Normal."""
    document = docx.Document()
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(20)
    header = section.header.paragraphs[0]
    header.text = "江城区石城街道办事处"
    logo = io.BytesIO()
    Image.new("RGB", (60, 60), (200, 0, 0)).save(logo, "PNG")
    logo.seek(0)
    header.add_run().add_picture(logo, width=Mm(10))
    if footer:
        section.footer.paragraphs[0].text = "地址：江城区民主东路1号"
    normal = document.styles["Normal"]
    normal.font.name = "仿宋"
    normal.element.rPr.rFonts.set(f"{W}eastAsia", "仿宋")
    normal.font.size = Pt(15)
    document.add_paragraph("这段正文不会出现在总结里")
    document.save(str(path))
    return path


def _render(tmp_path: Path, reference: Path) -> zipfile.ZipFile:
    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL, encoding="utf-8")
    layout, _ = unit_layout(unit, reference)
    render_unit(unit, tmp_path / "out", ["docx"], layout=layout)
    return zipfile.ZipFile(tmp_path / "out" / "官塘社区.docx")


def test_reference_gives_page_setup_styles_and_header(tmp_path: Path) -> None:
    result = _render(tmp_path, _letterhead(tmp_path / "信笺.docx"))
    opened = docx.Document(io.BytesIO((tmp_path / "out" / "官塘社区.docx").read_bytes()))
    section = opened.sections[0]
    assert round(section.top_margin.mm) == 25 and round(section.left_margin.mm) == 20
    assert "江城区石城街道办事处" in section.header.paragraphs[0].text
    header = next(n for n in result.namelist() if n.startswith("word/header"))
    rels = result.read(f"word/_rels/{header[5:]}.rels").decode()
    image = re.search(r'Target="(media/[^"]+)"', rels)
    assert image and f"word/{image[1]}" in result.namelist()  # the logo came along
    normal = opened.styles["Normal"]
    assert normal.font.size == Pt(15)  # the office's own Normal
    assert opened.styles["落款"] is not None and opened.styles["heading 1"] is not None  # ours, added
    assert "— " in opened.sections[0].footer.paragraphs[0].text  # no footer of its own: our page numbers
    body = " ".join(p.text for p in opened.paragraphs)
    assert "不会出现" not in body and "学雷锋主题宣传活动" in body
    document = result.read("word/document.xml").decode()
    table_width = sum(int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', document))
    text_width = section.page_width.mm - 40  # python-docx's template is Letter: the reference's paper, too
    assert table_width == pytest.approx(text_width / 25.4 * 1440, abs=3)


def test_a_reference_footer_replaces_the_page_numbers(tmp_path: Path) -> None:
    _render(tmp_path, _letterhead(tmp_path / "信笺.docx", footer=True))
    opened = docx.Document(str(tmp_path / "out" / "官塘社区.docx"))
    assert opened.sections[0].footer.paragraphs[0].text == "地址：江城区民主东路1号"
    assert not opened.settings.odd_and_even_pages_header_footer


def test_the_starter_reference_round_trips(tmp_path: Path, runner: CliRunner) -> None:
    reference = tmp_path / "信笺.docx"
    assert runner.invoke(app, ["reference", str(reference)]).exit_code == 0
    assert runner.invoke(app, ["reference", str(reference)]).exit_code == 2  # no overwrite
    with_reference = _render(tmp_path, reference).read("word/styles.xml").decode()
    assert 'w:eastAsia="仿宋_GB2312"' in with_reference and 'w:styleId="ccSignoff"' not in with_reference
    sect = re.search(r"<w:sectPr.*</w:sectPr>", _render(tmp_path, reference).read("word/document.xml").decode())
    assert sect and 'w:top="2098"' in sect[0]  # 37 mm, GB/T 9704


@pytest.mark.fake_docx
@pytest.mark.parametrize(("content", "message"), [
    (b"not a zip", "不是 Word 文件"),
    (None, "文件不存在"),
])
def test_a_bad_reference_is_a_clear_error(tmp_path: Path, content: bytes | None, message: str) -> None:
    reference = tmp_path / "信笺.docx"
    if content is not None:
        reference.write_bytes(content)
        with pytest.raises(InputError) as caught:
            _render(tmp_path, reference)
        assert message in str(caught.value.diagnostics[0]) and str(reference) in str(caught.value.diagnostics[0])
    else:
        result = CliRunner().invoke(app, ["render", str(EXAMPLES / "桃源镇" / "桃源村.yaml"), "-o", str(tmp_path),
                                          "--reference-docx", str(reference)])
        assert result.exit_code == 2 and "参考文档不存在" in result.output
    assert not list(tmp_path.rglob("官塘社区.*"))


BLOCK = """
版式:
  正文字体: 仿宋
  正文字号: 小三
  行距: 28磅
  页码位置: 居中
  页边距: {上: 3.7厘米, 下: 35, 左: 28mm, 右: 26}
  参考文档: 信笺.docx
"""


def test_district_layout_block_applies_to_units_and_rollup(tmp_path: Path) -> None:
    from chuangcheng.district.rollup import render_district

    district = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, district)
    _letterhead(district / "信笺.docx")
    (district / "district.yaml").write_text((district / "district.yaml").read_text(encoding="utf-8") + BLOCK,
                                            encoding="utf-8")
    result = render_district(district, tmp_path / "out", ["docx"], jobs=1)
    assert not result.batch.failures
    for report in (tmp_path / "out" / "石城街道" / "官塘社区.docx", tmp_path / "out" / "江城区汇总.docx"):
        opened = docx.Document(str(report))
        assert "江城区石城街道办事处" in opened.sections[0].header.paragraphs[0].text
        styles = zipfile.ZipFile(report).read("word/styles.xml").decode()
        assert 'w:line="560"' in styles  # 28 pt exact, from 版式 (the office's Normal has none of its own)
    unit = district / "石城街道" / "官塘社区.yaml"
    layout, problems = unit_layout(unit)
    assert problems == [] and layout.body_font == "仿宋" and layout.body_size == 15
    assert layout.heading_fonts[2:] == ("仿宋", "仿宋") and layout.page_number_position == "center"
    assert layout.reference == str((district / "信笺.docx").resolve())


def test_district_layout_errors_point_at_the_line(tmp_path: Path) -> None:
    district = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, district)
    text = (district / "district.yaml").read_text(encoding="utf-8")
    (district / "district.yaml").write_text(text + "版式:\n  正文字号: 大号\n", encoding="utf-8")
    _, problems = unit_layout(district / "桃源镇" / "桃源村.yaml")
    line = len(text.splitlines()) + 2
    assert [(p.line, p.field) for p in problems] == [(line, "版式.正文字号")]
    assert "不是字号" in problems[0].message
    (district / "district.yaml").write_text(text + "版式:\n  参考文档: 没有这个.docx\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        unit_layout(district / "桃源镇" / "桃源村.yaml")
    assert caught.value.diagnostics[0].line == line and "找不到参考文档" in caught.value.diagnostics[0].message


def test_a_one_header_letterhead_is_on_even_pages_too(tmp_path: Path) -> None:
    document = _render(tmp_path, _letterhead(tmp_path / "信笺.docx")).read("word/document.xml").decode()
    section = re.search(r"<w:sectPr.*</w:sectPr>", document)
    assert section and 'w:type="even"' in section[0] and section[0].count("headerReference") == 2


def test_traditional_script_swaps_the_reference_fonts(tmp_path: Path, runner: CliRunner) -> None:
    reference = tmp_path / "信笺.docx"
    assert runner.invoke(app, ["reference", str(reference)]).exit_code == 0
    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL, encoding="utf-8")
    layout, _ = unit_layout(unit, reference, "hant")
    render_unit(unit, tmp_path / "out", ["docx"], layout=layout)
    styles = zipfile.ZipFile(tmp_path / "out" / "官塘社区.docx").read("word/styles.xml").decode()
    assert "GB2312" not in styles and "方正小标宋简体" not in styles


def test_reference_command_in_a_district_whose_reference_is_yet_to_be_written(tmp_path: Path,
                                                                            runner: CliRunner) -> None:
    district = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, district)
    (district / "district.yaml").write_text((district / "district.yaml").read_text(encoding="utf-8")
                                            + "版式:\n  参考文档: 信笺.docx\n  页边距: {上: 30}\n", encoding="utf-8")
    outcome = runner.invoke(app, ["reference", str(district / "信笺.docx")])
    assert outcome.exit_code == 0, outcome.output
    layout, problems = unit_layout(district / "桃源镇" / "桃源村.yaml")
    assert problems == [] and layout.margins_mm == (30, 35, 28, 26)  # one margin given, the rest default
