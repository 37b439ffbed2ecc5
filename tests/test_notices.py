"""``validate DIR --notices OUT``: the status workbook, one notice per unit sent back, and what
changed since the last run."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chuangcheng.cli import app

from .conftest import EXAMPLES


@pytest.fixture
def district(tmp_path: Path) -> Path:
    folder = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, folder)
    path = folder / "district.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  - {名称: 桃源村, 类型: 村, 所属: 桃源镇}",
        "  - {名称: 桃源村, 类型: 村, 所属: 桃源镇, 联系人: 李四, 电话: 0717-5550303}\n"
        "  - {名称: 桂花社区, 类型: 社区, 所属: 石城街道, 联系人: 张三, 电话: 0717-1234567}", 1)
    path.write_text(text, encoding="utf-8")
    (folder / "桃源镇" / "桃源村.yaml").rename(tmp_path / "桃源村.yaml")  # not yet sent
    school = folder / "江城区实验小学.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace("存在问题:\n", "存在问题:\n  - XX问题\n", 1),
                      encoding="utf-8")
    (folder / "石城街道" / "桂花社区.doc").write_bytes(b"\xd0\xcf\x11\xe0 a Word 97 file")
    return folder


def _run(folder: Path, out: Path) -> list[str]:
    result = CliRunner().invoke(app, ["validate", str(folder), "--today", "2026-07-08", "--notices", str(out)])
    assert result.exit_code == 1, result.output
    return [line.removeprefix("已生成 ") for line in result.stdout.splitlines() if line.startswith("已生成 ")]


def test_the_workbook_has_a_row_per_roster_unit_grouped_and_printable(district: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "通知"
    written = _run(district, out)
    assert sorted(Path(p).name for p in written) == sorted(
        ["报送情况.xlsx", "退回修改通知_江城区实验小学.docx", "退回修改通知_桂花社区.docx"])
    sheet = load_workbook(out / "报送情况.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == ["所属", "单位", "联系人", "电话", "状态", "错误", "警告", "主要问题", "文件"]
    table = {row[1]: row for row in values[1:]}
    assert len(table) == 7  # the roster: six units and 桂花社区
    assert [row[0] for row in values[1:]][:3] == ["石城街道", "石城街道", "石城街道"]  # grouped, roster order
    assert table["桃源村"][2:5] == ["李四", "0717-5550303", "未报送"]
    assert table["桂花社区"][4:7] == ["无法读取", 1, 0] and "Word 文档" in table["桂花社区"][7]
    assert table["江城区实验小学"][4] == "退回修改" and "第200行“存在问题.第1项”" in table["江城区实验小学"][7]
    assert isinstance(table["官塘社区"][5], int)  # numbers as numbers
    with zipfile.ZipFile(out / "报送情况.xlsx") as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
        assert 'orientation="landscape"' in xml and 'paperSize="9"' in xml  # A4 landscape
        assert 'fitToPage="1"' in xml and 'fitToHeight="0"' in xml  # as wide as the page, as long as it takes
        assert "<autoFilter" in xml
        assert "_xlnm.Print_Titles" in package.read("xl/workbook.xml").decode()


def test_a_notice_names_each_problem_where_it_is_and_the_deadline(district: Path, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "通知"
    _run(district, out)
    text = "\n".join(p.text for p in Document(str(out / "退回修改通知_江城区实验小学.docx")).paragraphs)
    assert "关于江城区实验小学2026年上半年创建工作总结退回修改的通知" in text.replace("\n", "", 1)
    assert "江城区实验小学：" in text and "请于2026年7月10日前修改后重新报送" in text
    assert "江城区实验小学.yaml第200行“存在问题.第1项”：含有占位符“XX”" in text
    assert text.rstrip().endswith("江城区文明办\n2026年7月8日")
    other = "\n".join(p.text for p in Document(str(out / "退回修改通知_桂花社区.docx")).paragraphs)
    assert "“桂花社区.doc”无法读取" in other and "单位文件（.yaml" in other


def test_the_second_run_says_what_changed_and_drops_stale_notices(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "通知"
    first = _run(district, out)
    assert not any(p.endswith("变化情况.md") for p in first)  # nothing to compare with yet
    (tmp_path / "桃源村.yaml").rename(district / "桃源镇" / "桃源村.yaml")
    school = district / "江城区实验小学.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace("  - XX问题\n", "", 1), encoding="utf-8")
    hospital = district / "江城区人民医院.yaml"
    hospital.write_text(hospital.read_text(encoding="utf-8").replace("存在问题:\n", "存在问题:\n  - 某某科室\n", 1),
                        encoding="utf-8")
    _run(district, out)
    changes = (out / "变化情况.md").read_text(encoding="utf-8")
    assert "- 新报送（1个）：桃源村" in changes
    assert "- 已改好、可以汇总（1个）：江城区实验小学" in changes
    assert "- 新退回修改（1个）：江城区人民医院" in changes
    assert "江城区人民医院：江城区人民医院.yaml第" in changes and "某某" in changes
    assert not (out / "退回修改通知_江城区实验小学.docx").exists()
    assert (out / "退回修改通知_江城区人民医院.docx").is_file()


def test_notices_need_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(EXAMPLES / "江城区实验小学.yaml"), "--notices", str(tmp_path)])
    assert result.exit_code == 2 and "区文件夹" in result.stderr
