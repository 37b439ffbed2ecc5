"""The roll-up as the report a 区文明办 sends up (DESIGN.md §6): its parts, the third person, the
problems several units share, the landscape 附件1, and its length for 160 units."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from chuangcheng.district.rollup import render_district
from chuangcheng.district.writing import drawn_members, named, third_person
from chuangcheng.write.typography import text_width

from .conftest import EXAMPLES, ROOT

# (各类单位创建情况 only when some type has several units: one unit a type repeats 附件1)
PARTS = ["一、报送情况", "二、总体成效", "三、测评体系主要指标落实情况", "四、典型经验", "五、存在的问题",
         "六、下一步工作打算"]


@pytest.fixture(scope="module")
def rollup(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("rollup")
    folder = out / "江城区"
    shutil.copytree(EXAMPLES, folder)
    render_district(folder, out / "输出", ("md", "docx"), jobs=1)
    return (out / "输出" / "江城区汇总.md").read_text(encoding="utf-8"), out / "输出" / "江城区汇总.docx"


def test_the_parts_in_order_and_the_signoff(rollup: tuple[str, Path]) -> None:
    text, _ = rollup
    assert text.startswith("# 江城区2026年上半年创建全国文明城市工作情况汇总报告\n")
    at = [text.index(f"## {part}\n") for part in PARTS]
    assert at == sorted(at)
    body = text.split("附件：", 1)[0]
    assert "对照测评体系开展一次全面自查，逐项销号。" in body  # the district file's 下一步
    assert "江城区文明办\\\n2026年7月15日" in text  # the district file's 落款
    assert "\n\n市文明办：\n\n" in text and "\n\n特此报告。\n\n附件：" in text
    assert not re.search(r"CC\d{3}|\.yaml|[A-Za-z]:?[/\\]", body)  # no rule codes or paths


def test_results_name_six_to_ten_indicators_by_category_with_synonyms_merged(rollup: tuple[str, Path]) -> None:
    text, _ = rollup
    results = text.split("## 二、总体成效\n", 1)[1].split("\n## ", 1)[0]
    assert "全区6个单位共投入资金3175.1万元，开展各类创建活动114次" in results
    assert "宣传发动方面，发放宣传资料7万余份" in results  # 发放宣传单 of every unit, counted as one
    listed = re.findall(r"[，；、]([^，；。]+?)\d", results.split("\n\n")[1])
    assert 6 <= len(listed) <= 11  # six to ten items, and the money


def test_highlights_are_in_the_third_person_one_per_unit(rollup: tuple[str, Path]) -> None:
    text, _ = rollup
    part = text.split("## 四、典型经验\n", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"### （[一二三四五六]）(.+)", part)
    paragraphs = [p for p in (c.strip() for c in part.split("\n\n")) if p and not p.startswith("###")]
    assert len(headings) == len(set(headings)) == len(paragraphs) >= 3  # one per unit, headed by its name
    assert "学雷锋" not in "".join(headings)  # the unit, not its activity's title said twice
    assert all(re.match(r"([^，]*，)?该(街道|村|院|校|社区|公司)", p) for p in paragraphs)  # 该街道组织……
    assert not re.search("我校|我院|我村|我局|(^|\n|，)(社区|公司|街道)在", part)


def test_third_person() -> None:
    assert third_person("3月5日，社区在民主东路开展……", "官塘社区", "社区") == "3月5日，官塘社区在民主东路开展……"
    school = third_person("我校组织师生……，我校教师……", "江城区实验小学", "我校")
    assert school == "江城区实验小学组织师生……，该校教师……"
    assert third_person("端午节前夕，组织……", "桃源村", "我村") == "端午节前夕，桃源村组织……"


def test_problems_several_units_share_are_drawn_together_with_the_units_named() -> None:
    items = [("官塘社区", "部分居民参与创建的积极性不高，志愿者队伍年龄偏大。"),
             ("桂花社区", "校门口交通秩序在上下学高峰时段较为混乱。"),
             ("石城街道", "部分居民参与创建的积极性不高，志愿者队伍老龄化。"),
             ("桃源村", "部分村民参与创建的积极性不高。")]
    groups = [[unit for unit, _ in members] for members in drawn_members(items)]
    assert groups[0] == ["官塘社区", "石城街道", "桃源村"] and groups[1] == ["桂花社区"]
    assert named(["甲", "乙", "丙"], cap=2) == "甲、乙等3个单位"


def test_the_unit_table_is_a_landscape_attachment_with_rows_kept_whole(rollup: tuple[str, Path]) -> None:
    text, docx = rollup
    assert "附件：1.各单位创建工作情况表\\\n　　　2.江城区2026年上半年创建全国文明城市工作汇总表（电子表格）" in text
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    sections = re.findall(r"<w:sectPr>.*?</w:sectPr>", xml)
    assert len(sections) == 2 and "landscape" not in sections[0] and 'w:orient="landscape"' in sections[1]
    width = re.search(r'w:w="(\d+)"', sections[1])
    assert width is not None and int(width[1]) > 16000  # 297 mm wide
    table = xml.rsplit("<w:tbl>", 1)[1]
    assert table.count("<w:cantSplit/>") == table.count("<w:tr>") and "<w:tblHeader/>" in table


def _lines(markdown: str) -> int:
    """Lines the body takes on GB/T 9704 pages (28 characters a line): paragraphs, headings, table rows."""
    total = 0
    for block in markdown.split("\n\n"):
        block = block.strip()
        if block.startswith("|"):
            total += 2 * (block.count("\n") + 1)  # a row of a small table: about two lines
        elif block:
            total += sum(math.ceil(text_width(line.lstrip("#").strip()) / 28) or 1 for line in block.split("\n")) + 1
    return total


def test_the_body_for_160_units_is_at_most_eight_pages(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "160", str(tmp_path / "区")],
                   check=True, capture_output=True)
    render_district(tmp_path / "区", tmp_path / "输出", ("md",))
    text = (tmp_path / "输出" / "江城区汇总.md").read_text(encoding="utf-8")
    body = text.split("附件：", 1)[0]
    assert _lines(body) <= 8 * 22, _lines(body)
    assert "已报送160个，经审核全部通过" in body and "## 三、各类单位创建情况" in body


def test_the_volunteer_share_of_many_units_is_counted_and_all_of_them_said_once(tmp_path: Path) -> None:
    from .scenario import build

    scene = build(tmp_path / "收件箱")
    render_district(scene.folder, tmp_path / "输出", ("md",), jobs=1)
    text = (tmp_path / "输出" / "江城区汇总.md").read_text(encoding="utf-8")
    accepted = len(scene.accepted)
    assert f"审核通过的{accepted}个单位注册志愿者占常住人口的比例均达到《全国文明城市测评体系》不低于8%的要求。" in text


def test_a_shared_problem_is_credited_to_the_unit_that_wrote_it(rollup: tuple[str, Path]) -> None:
    """Problems drawn together are named by their theme and told in the words of one unit of each
    type, each with its own name: no unit is credited with words it did not write."""
    text, _ = rollup
    part = text.split("## 五、存在的问题\n", 1)[1].split("\n## ", 1)[0]
    assert "群众参与创建的主动性还不够强。官塘社区部分居民认为创城只是社区和政府的事" in part
    assert "；江城区人民医院个别职工对创城工作重视不够" in part  # each in its own words, never “类似问题”
    assert "类似" not in part and "官塘社区社区" not in part and "官塘社区办公和活动用房面积不足" in part
    assert third_person("村集体经济收入有限", "桃源村", "") == "桃源村集体经济收入有限"
    assert third_person("学校功能室面积不足", "江城区实验小学", "") == "江城区实验小学功能室面积不足"
    assert third_person("落实环境卫生“红黑榜”月评比，将……", "桃源村", "") == "桃源村落实环境卫生“红黑榜”月评比，将……"


def test_the_detail_rows_spliced_in_read_back_exactly() -> None:
    """明细's rows, written as XML after xlsxwriter (workbook._with_rows): markup characters, spaces
    at the edges, an empty 所属 and decimals come back as written, under the sheet's filter."""
    import io

    import openpyxl
    import xlsxwriter

    from chuangcheng.district.workbook import DETAIL, DETAIL_SHEET, _with_rows

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("主要指标")
    sheet = book.add_worksheet("明细")
    for c, name in enumerate(DETAIL):
        sheet.write_string(0, c, name)
    sheet.autofilter(0, 0, 2, 5)
    book.close()
    rows = [("", "A&B<社区>", " 宣传 ", "发放\"资料\"", Decimal("2.5"), "份"),
            ("石城街道", "官塘社区", "环境整治", "清运垃圾", Decimal("1200"), "吨")]
    data = openpyxl.load_workbook(io.BytesIO(_with_rows(out.getvalue(), DETAIL_SHEET, rows)))["明细"]
    assert [[c.value for c in row] for row in data.iter_rows()] == [
        list(DETAIL), [None, "A&B<社区>", " 宣传 ", "发放\"资料\"", 2.5, "份"],
        ["石城街道", "官塘社区", "环境整治", "清运垃圾", 1200, "吨"]]
    assert (data.dimensions, data.auto_filter.ref) == ("A1:F3", "A1:F3")
