"""The Excel ledger as a unit file: read as people fill it in (Excel dates, a title row above a
merged header, a date merged over a day's rows, item columns, extra columns, hidden sheets), every
problem at its cell, and found in a district folder beside YAML units."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from chuangcheng.cli import app
from chuangcheng.errors import InputError
from chuangcheng.load.loader import load_unit
from chuangcheng.office.render import render_markdown
from chuangcheng.read.discover import find_unit_files
from chuangcheng.read.ledger import sheet_names

from .conftest import EXAMPLES


def ledger(path: Path, *, quantity: object = "发放宣传单3000余份、张贴海报20张") -> Path:
    """A ledger as a community's staff would make it in Excel, without the tool's template."""
    book = openpyxl.Workbook()
    unit = book.active
    unit.title = "单位"
    for row in [("项目", "内容"), ("名称", "测试社区"), ("类型", "社区"), ("报告期开始", dt.datetime(2026, 1, 1)),
                ("报告期结束", "2026年6月30日"), ("工作机制", "周调度、月总结\n网格员包楼栋"), ("负责人", "张三"),
                ("基本情况", None), ("常住人口", "35000人")]:
        unit.append(row)
    sheet = book.create_sheet("宣传发动")
    sheet.append(["测试社区宣传发动台账"])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "日期", "名称", "数量", "参与", "负责人", "悬挂横幅（条）"])
    sheet.append([1, dt.datetime(2026, 3, 5), "学雷锋宣传", quantity, 680, "李四", 10])
    sheet.append([2, None, "文明交通劝导", None, "2万余人次"])
    sheet.merge_cells("B3:B4")  # one day, two activities
    sheet.append(["序号", "日期", "名称", "数量", "参与", "负责人", "悬挂横幅（条）"])  # the header again
    sheet.append([3, 20260412, "清理小广告", "清理小广告1,200条"])
    hidden = book.create_sheet("草稿")
    hidden.append(["名称", "不该读到"])
    hidden.sheet_state = "hidden"
    book.create_sheet("存在问题").append(["内容"])
    book["存在问题"].append(["部分居民参与度不高。"])
    texts = book.create_sheet("做法成效")
    texts.append(["部分", "类别", "内容"])
    texts.append(["宣传发动", "做法", "每月开展一次主题宣传。"])
    texts.append(["窗口服务", "做法", "设立便民服务窗口。"])
    book.save(path)
    return path


def test_a_ledger_as_people_fill_it_in_loads_like_a_unit_file(tmp_path: Path) -> None:
    loaded = load_unit(ledger(tmp_path / "测试社区.xlsx"))
    report = loaded.model
    assert (report.unit.name, report.unit.type, report.unit.profile) == ("测试社区", "社区", {"常住人口": "35000人"})
    assert (report.period.start, report.period.end) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert report.leadership is not None and report.leadership.mechanisms == ["周调度、月总结", "网格员包楼栋"]
    publicity = report.publicity
    assert publicity is not None and publicity.measures == ["每月开展一次主题宣传。"]
    first, second, third = publicity.activities
    assert first.date is not None and first.date.first == second.date.first == dt.date(2026, 3, 5)  # merged
    assert {k: str(v) for k, v in first.quantities.items()} == {"发放宣传单": "3000余份", "张贴海报": "20张",
                                                               "悬挂横幅": "10条"}
    assert str(first.participants) == "680人次" and str(second.participants) == "2万余人次"
    assert third.date is not None and third.date.first == dt.date(2026, 4, 12)  # typed as 20260412
    assert str(third.quantities["清理小广告"]) == "1200条"
    assert [o.title for o in report.other] == ["窗口服务"] and report.problems == ["部分居民参与度不高。"]
    assert loaded.places.at(("publicity", "activities", 1, "title")).pos == (4, 3, "宣传发动")
    warned = sorted(str(w).split(": CC113", 1)[0] for w in loaded.warnings)
    assert warned == [f"{tmp_path / '测试社区.xlsx'}:单位!A7", f"{tmp_path / '测试社区.xlsx'}:宣传发动!F2"]


@pytest.mark.parametrize(("quantity", "message"), [
    (12, "只写了数字“12”"),  # a bare number: no item, no measure word
    ("横幅若干", "“横幅若干”应写成“事项+数量”"),
])
def test_a_bad_quantity_is_reported_at_its_cell(tmp_path: Path, quantity: object, message: str) -> None:
    path = ledger(tmp_path / "台账.xlsx", quantity=quantity)
    with pytest.raises(InputError) as caught:
        load_unit(path)
    (only,) = caught.value.diagnostics
    assert str(only).startswith(f"{path}:宣传发动!D3: CC105 数量: {message}")


def test_a_date_typed_as_a_decimal_is_an_error_not_a_guess(tmp_path: Path) -> None:
    path = ledger(tmp_path / "台账.xlsx")
    book = openpyxl.load_workbook(path)
    book["宣传发动"]["B6"] = 3.1  # 3.10, as Excel keeps it
    book.save(path)
    with pytest.raises(InputError) as caught:
        load_unit(path)
    assert [(d.sheet, d.line, d.col, d.code) for d in caught.value.diagnostics] == [("宣传发动", 6, 2, "CC105")]
    assert "日期写成了数字“3.1”" in caught.value.diagnostics[0].message


def test_a_workbook_that_is_no_ledger_says_so(tmp_path: Path) -> None:
    path = tmp_path / "统计.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["随便", "什么"])
    book.save(path)
    with pytest.raises(InputError) as caught:
        load_unit(path)
    assert "不是单位台账：没有“单位”表" in caught.value.diagnostics[0].message
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(InputError) as caught:
        load_unit(tmp_path / "坏.xlsx")
    assert caught.value.diagnostics[0].code == "CC101"


def test_a_district_folder_takes_ledgers_beside_yaml_units(tmp_path: Path) -> None:
    folder = tmp_path / "区"
    folder.mkdir()
    ledger(folder / "测试社区.xlsx")
    (folder / "~$测试社区.xlsx").write_bytes(b"")  # Excel's lock file while it is open
    result = CliRunner().invoke(app, ["validate", str(folder), "--format", "json"])
    data = json.loads(result.stdout)
    (unit,) = data["files"]
    assert unit["unit"] == "测试社区" and unit["path"].endswith("测试社区.xlsx")
    cells = {(d["sheet"], d["cell"]) for d in unit["diagnostics"] if d["code"] == "CC113"}
    assert cells == {("单位", "A7"), ("宣传发动", "F2")}
    out = tmp_path / "out"
    CliRunner().invoke(app, ["render", str(folder), "-o", str(folder), "-f", "md"])
    assert (folder / "汇总表.xlsx").is_file() and find_unit_files(folder) == [folder / "测试社区.xlsx"]
    assert not out.exists()


def _yaml_units() -> list[Path]:
    return sorted(p for p in EXAMPLES.parent.rglob("*.yaml") if p.name != "district.yaml")


@pytest.mark.parametrize("unit", _yaml_units(), ids=lambda p: p.stem)
def test_each_example_has_a_ledger_twin_that_renders_to_its_text(unit: Path) -> None:
    twin = EXAMPLES.parent / "台账" / f"{unit.stem}.xlsx"
    mine, theirs = load_unit(unit), load_unit(twin)
    assert theirs.model == mine.model
    assert render_markdown(theirs.model) == render_markdown(mine.model)


@pytest.mark.parametrize("unit", _yaml_units(), ids=lambda p: p.stem)
def test_convert_there_and_back_keeps_the_unit(unit: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "单位"
    shutil.copytree(unit.parent, folder)  # photos stay beside the file
    ledger_file, back = folder / f"{unit.stem}.xlsx", folder / f"{unit.stem}-转回.yaml"
    assert runner.invoke(app, ["convert", str(folder / unit.name), str(ledger_file)]).exit_code == 0
    assert runner.invoke(app, ["convert", str(ledger_file), str(back)]).exit_code == 0
    assert load_unit(back).model == load_unit(ledger_file).model == load_unit(unit).model
    again = runner.invoke(app, ["convert", str(ledger_file), str(back)])
    assert again.exit_code == 2 and "已存在" in again.output  # never overwritten unasked


def test_init_xlsx_writes_an_empty_ledger_people_fill_in(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    result = CliRunner().invoke(app, ["init", "--xlsx", str(path), "--type", "村"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        unit_sheet = package.read("xl/worksheets/sheet1.xml").decode()
        activity_sheet = package.read("xl/worksheets/sheet3.xml").decode()
    assert "<dataValidation" in unit_sheet and "社区,街道,村" in unit_sheet.replace('"', "")  # 类型 as a list
    assert 'state="frozen"' in activity_sheet and any(n.startswith("xl/comments") for n in names)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(sheet_names())
    assert book["宣传发动"]["A1"].comment is not None  # each column says how it is filled in
    with pytest.raises(InputError) as caught:
        load_unit(path)
    assert {str(d.pos) for d in caught.value.diagnostics} == {"单位!B2", "单位!B8"}  # 名称, 报告期: the cells to fill
    unit = book["单位"]
    unit["B2"], unit["B8"], unit["B9"] = "桃源村", dt.datetime(2026, 1, 1), dt.datetime(2026, 6, 30)
    sheet = book["环境整治"]
    sheet.append([dt.datetime(2026, 2, 3), None, "村庄清洁行动", "村道两侧", None, "村民", "清运垃圾150吨", None, 800])
    book["存在问题"].append(["部分村民卫生习惯改变较慢。"])
    book.save(path)
    out = tmp_path / "out"
    rendered = CliRunner().invoke(app, ["render", str(path), "-o", str(out), "-f", "md"])
    assert rendered.exit_code == 0, rendered.output
    text = (out / "桃源村.md").read_text(encoding="utf-8")
    assert "清运垃圾150吨" in text and "桃源村" in text.splitlines()[0]


def test_a_cell_far_out_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """One cell at XFD1048000 in a 6 KB file would make the reader ask for hundreds of gigabytes."""
    import xlsxwriter

    path = tmp_path / "远.xlsx"
    book = xlsxwriter.Workbook(path)
    unit = book.add_worksheet("单位")
    unit.write_column(0, 0, ["项目", "名称"])
    unit.write(1, 1, "远方社区")
    far = book.add_worksheet("宣传发动")
    far.write(0, 0, "名称")
    far.write(1047999, 16383, "x")
    book.close()
    with pytest.raises(InputError) as caught:
        load_unit(path)
    (only,) = caught.value.diagnostics
    assert only.code == "CC110" and "“宣传发动”表有内容或格式一直延伸到 XFD1048000 单元格" in only.message
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1 and json.loads(result.stdout)["files"][0]["unit"] == "远方社区"


def test_advice_on_a_ledger_names_its_sheets(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(ledger(tmp_path / "测试社区.xlsx"))])
    assert "请在“环境整治”表里填写活动，或在“做法成效”表里写做法" in result.stdout
    assert "（写在“下一步”表里，一条一行）" in result.stdout and "文件末尾" not in result.stdout
    assert "之后补上" not in result.stdout


def test_a_ledgers_problems_come_sheet_by_sheet_in_its_order(tmp_path: Path) -> None:
    path = ledger(tmp_path / "测试社区.xlsx")
    book = openpyxl.load_workbook(path)
    book["做法成效"]["C2"] = "每月开展XX次主题宣传。"  # a placeholder, on the sheet whose name sorts first
    book.save(path)
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    sheets = [d.get("sheet", "") for d in json.loads(result.stdout)["files"][0]["diagnostics"]]
    ranks = [list(sheet_names()).index(s) if s in sheet_names() else -1 for s in sheets]
    assert {"宣传发动", "做法成效"} <= set(sheets) and ranks == sorted(ranks)  # 单位, 宣传发动 … 做法成效


def test_an_honours_sheet_without_its_header_is_an_error_not_dropped(tmp_path: Path) -> None:
    path = ledger(tmp_path / "台账.xlsx")
    book = openpyxl.load_workbook(path)
    book.create_sheet("荣誉").append(["市级文明社区", "市文明委"])
    book.save(path)
    with pytest.raises(InputError) as caught:
        load_unit(path)
    (only,) = caught.value.diagnostics
    assert (str(only.pos), only.code) == ("荣誉!A1", "CC104") and "“名称”“授予”" in only.message


def _rezipped(source: Path, target: Path, edit: dict[str, tuple[bytes, bytes]]) -> Path:
    """``source`` with ``old`` replaced by ``new`` in the named parts, as a damaged save would leave it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename in edit:
                assert edit[item.filename][0] in data
                data = data.replace(*edit[item.filename], 1)
            new.writestr(item, data)
    return target


def test_a_date_cell_past_the_year_9999_is_reported_at_its_cell_not_a_crash(tmp_path: Path,
                                                                             capfd: pytest.CaptureFixture[str]) -> None:
    """The reader panics on such a cell (in Rust, past ``except Exception``); the ledger's own
    message names the cell, and the panic's English never reaches the screen."""
    source = EXAMPLES.parent / "台账" / "桃源村.xlsx"
    path = _rezipped(source, tmp_path / "桃源村.xlsx",  # A2 has a date format
                     {"xl/worksheets/sheet3.xml": (b'<c r="A2" s="4"><v>46037</v>', b'<c r="A2" s="4"><v>-1e308</v>')})
    capfd.readouterr()
    with pytest.raises(InputError) as caught:
        load_unit(path)
    (only,) = caught.value.diagnostics
    assert str(only.pos) == "宣传发动!A2" and only.code == "CC105" and "-1e308 却不是日期" in only.message
    assert capfd.readouterr().err == ""
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1 and json.loads(result.stdout)["files"][0]["unit"] == "桃源村"


def test_a_cell_past_the_last_column_is_refused_like_a_far_one(tmp_path: Path) -> None:
    source = EXAMPLES.parent / "台账" / "桃源村.xlsx"
    path = _rezipped(source, tmp_path / "桃源村.xlsx", {"xl/worksheets/sheet3.xml": (b' r="A2"', b' r="AAAA900"')})
    with pytest.raises(InputError) as caught:
        load_unit(path)
    assert [d.code for d in caught.value.diagnostics] == ["CC110"]
    assert "AAAA900" in caught.value.diagnostics[0].message


def test_a_damaged_sheet_name_is_shown_on_one_line(tmp_path: Path) -> None:
    source = EXAMPLES.parent / "台账" / "桃源村.xlsx"
    path = _rezipped(source, tmp_path / "桃源村.xlsx",
                     {"xl/workbook.xml": ('name="组织领导"'.encode(), 'name="草稿&#10;http://x!"'.encode())})
    warnings = load_unit(path).warnings
    (unknown,) = [d for d in warnings if "不认识的表" in d.message]
    assert str(unknown.pos) == "草稿 http：//x！!A1" and "\n" not in str(unknown)
