"""A district folder: parallel render, roll-up, workbook, cache, bad files, Ctrl-C."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from chuangcheng.cli import app
from chuangcheng.district.batch import CACHE_FILE, find_unit_files
from chuangcheng.district.rollup import render_district

from .conftest import EXAMPLES

NAMES = ["官塘社区", "石城街道办事处", "桃源村", "江城区人民医院", "江城区实验小学", "江城燃气有限公司"]


@pytest.fixture
def district(tmp_path: Path) -> Path:
    folder = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, folder)
    return folder


def test_finds_unit_files_but_not_the_district_file(district: Path) -> None:
    files = [p.relative_to(district).as_posix() for p in find_unit_files(district)]
    assert "district.yaml" not in files
    assert "石城街道/官塘社区.yaml" in files and len(files) == 6


def test_renders_every_unit_mirrors_folders_and_writes_the_rollup(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = render_district(district, out, jobs=2)
    assert (result.batch.rendered, result.batch.cached, result.batch.failures) == (6, 0, [])
    assert (out / "石城街道" / "官塘社区.docx").is_file() and (out / "桃源镇" / "桃源村.md").is_file()
    assert sorted(p.name for p in result.rollup) == sorted(["江城区汇总.docx", "江城区汇总.md", "汇总表.xlsx"])
    text = (out / "江城区汇总.md").read_text(encoding="utf-8")
    assert text.startswith("# 江城区2026年上半年创建全国文明城市工作情况汇总报告\n")
    assert "全区应报送创建工作总结的单位6个，已报送6个，经审核全部通过。" in text
    activities = sum(s.activities for s in result.batch.summaries)
    assert f"开展各类创建活动{activities}次" in text
    order = [text.index(f"| {name} | ") for name in NAMES]
    assert order == sorted(order), "units follow the roster's order"
    assert "## 四、典型经验" in text and "## 五、存在的问题" in text


def test_workbook(district: Path, tmp_path: Path) -> None:
    """主要指标 in roster order by 所属 with subtotals and a total, at most 20 columns, synonyms merged;
    明细 one row per unit, category and item, for pivot tables; numbers as numbers; printable."""
    result = render_district(district, tmp_path / "out", jobs=1)
    book = openpyxl.load_workbook(tmp_path / "out" / "汇总表.xlsx")
    assert book.sheetnames == ["主要指标", "明细"]
    sheet = book["主要指标"]
    header = [c.value for c in sheet[2]]
    assert header[:7] == ["所属", "单位", "类型", "结论", "活动次数", "参与人次", "志愿者人次"]
    assert len(header) <= 20 and "发放宣传资料（份）" in header  # 发放宣传单 and the like, counted as one
    assert sheet.freeze_panes == "C3"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[1] for r in rows if r[1] != "小计" and r[0] != "合计"] == NAMES  # the roster's order
    street = [r for r in rows if r[0] == "石城街道"]
    assert [r[1] for r in street] == ["官塘社区", "石城街道办事处", "小计"]
    assert street[-1][4] == "=SUBTOTAL(9,E3:E4)"
    assert rows[-1][0] == "合计" and rows[-1][4].startswith("=SUBTOTAL(9,E3:")
    assert all(isinstance(r[4], int) for r in rows if r[1] in NAMES)
    leaflets = header.index("发放宣传资料（份）")
    total = sum(r[leaflets] or 0 for r in rows if r[1] in NAMES)
    assert total == sum(float(v) for s in result.batch.summaries for i, v, u, _ in s.amounts
                        if i in {"发放宣传单", "发放宣传资料", "发放宣传册"} and u == "份")
    detail = [[c.value for c in row] for row in book["明细"].iter_rows()]
    assert detail[0] == ["所属", "单位", "类别", "事项", "数量", "单位名"]
    assert detail[1][:3] == ["石城街道", "官塘社区", "宣传发动"] and isinstance(detail[1][4], (int, float))
    with zipfile.ZipFile(tmp_path / "out" / "汇总表.xlsx") as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
        assert 'orientation="landscape"' in xml and 'fitToHeight="0"' in xml
        assert "_xlnm.Print_Titles" in package.read("xl/workbook.xml").decode()


def test_second_run_renders_nothing_and_a_change_renders_one(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_district(district, out)
    again = render_district(district, out)
    assert (again.batch.rendered, again.batch.cached, again.rollup_unchanged) == (0, 6, True)
    assert (out / CACHE_FILE).is_file()
    unit = district / "江城区人民医院.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("职工人数: ", "职工人数: 1"), encoding="utf-8")
    changed = render_district(district, out)
    assert (changed.batch.rendered, changed.batch.cached, changed.rollup_unchanged) == (1, 5, False)
    forced = render_district(district, out, force=True)
    assert forced.batch.rendered == 6


def test_deleted_output_is_rendered_again(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_district(district, out)
    (out / "桃源镇" / "桃源村.docx").unlink()
    assert render_district(district, out).batch.rendered == 1


def test_a_replaced_photo_renders_its_unit_again(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_district(district, out)
    photo = district / "石城街道" / "照片" / "0224-春季大扫除.jpg"
    photo.write_bytes(photo.read_bytes() + b"\x00")  # a different file at the same path
    again = render_district(district, out)
    assert (again.batch.rendered, again.batch.cached) == (1, 5)


def test_bad_files_are_reported_and_the_rest_rendered(district: Path, runner: CliRunner, tmp_path: Path) -> None:
    (district / "坏.yaml").write_text("单位:\n\t名称: 坏社区\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(district), "-o", str(out)])
    assert result.exit_code == 1
    assert "应报送 6 个单位：可以汇总 6 个（本次生成 6 个，未改动 0 个）；另有不在名单的 1 个（未生成报告）\n" \
        in result.stdout
    assert result.stderr == (f"{district / '坏.yaml'}:2:1: CC102 YAML: 出现了制表符（Tab）："
                             "YAML 只能用空格缩进，请把 Tab 换成空格\n")
    assert not (out / "坏社区.docx").exists()
    rollup = (out / "江城区汇总.md").read_text(encoding="utf-8")
    # no name can be read from it and its file's name is on no roster: received, not summed
    assert "另有坏报送总结1份，不在本区单位名单内，未纳入汇总。" in rollup
    assert "已报送6个，经审核全部通过。" in rollup


def test_fail_fast_stops_and_writes_no_rollup(district: Path, runner: CliRunner, tmp_path: Path) -> None:
    (district / "坏.yaml").write_text("单位: [\n", encoding="utf-8")
    result = runner.invoke(app, ["render", str(district), "-o", str(tmp_path / "out"), "--fail-fast", "-j", "1"])
    assert result.exit_code == 1
    assert "已按 --fail-fast 停止" in result.stderr
    assert not (tmp_path / "out" / "江城区汇总.md").exists()


def test_missing_and_unlisted_units(district: Path, tmp_path: Path) -> None:
    roster = district / "district.yaml"
    roster.write_text(roster.read_text(encoding="utf-8") + "  - {名称: 花园社区, 类型: 社区}\n", encoding="utf-8")
    (district / "江城燃气有限公司.yaml").rename(district / "燃气.yml")
    text = (district / "燃气.yml").read_text(encoding="utf-8")
    text = text.replace("名称: 江城燃气有限公司", "名称: 江城燃气公司", 1)
    (district / "燃气.yml").write_text(text, encoding="utf-8")
    render_district(district, tmp_path / "out")
    rollup = (tmp_path / "out" / "江城区汇总.md").read_text(encoding="utf-8")
    assert re.search("；江城燃气有限公司、花园社区(逾期|尚)未报送。", rollup)
    assert "另有江城燃气公司报送总结1份，不在本区单位名单内" in rollup


def test_ctrl_c_exits_130_and_leaves_no_half_written_file(district: Path, runner: CliRunner,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chuangcheng.district.batch as batch

    real = batch.summarize
    calls = {"n": 0}

    def interrupted(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "summarize", interrupted)
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(district), "-o", str(out), "-j", "1"])
    assert result.exit_code == 130
    assert "已中断" in result.stderr
    assert not [p for p in out.rglob(".~*")], "temp files are cleaned up"
    assert not (out / "江城区汇总.md").exists()


def test_own_templates_for_a_whole_folder(district: Path, tmp_path: Path) -> None:
    """--template-dir works for a folder too: units and roll-up use it, and changing it re-renders."""
    from chuangcheng.write.templating import builtin_template_dir

    templates = tmp_path / "模板"
    templates.mkdir()
    own = (builtin_template_dir() / "report.md.j2").read_text(encoding="utf-8")
    (templates / "report.md.j2").write_text(own.replace("存在的问题", "存在的不足"), encoding="utf-8")
    out = tmp_path / "out"
    first = render_district(district, out, jobs=2, template_dir=templates)
    assert first.batch.rendered == 6
    assert "存在的不足" in (out / "石城街道" / "官塘社区.md").read_text(encoding="utf-8")
    assert render_district(district, out, jobs=2, template_dir=templates).batch.rendered == 0
    (templates / "report.md.j2").write_text(own.replace("存在的问题", "主要问题"), encoding="utf-8")
    again = render_district(district, out, jobs=2, template_dir=templates)
    assert again.batch.rendered == 6
    assert "主要问题" in (out / "石城街道" / "官塘社区.md").read_text(encoding="utf-8")


def test_the_cache_key_covers_the_writers_word_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A maintainer who extends words.yaml (or the writer) gets reports written anew, not cached ones."""
    from chuangcheng.district import batch

    package = tmp_path / "chuangcheng"
    shutil.copytree(Path(batch.__file__).resolve().parents[1], package)
    monkeypatch.setattr(batch, "__file__", str(package / "district" / "batch.py"))
    before = batch.fingerprint(None, ["md"])
    words = package / "write" / "words.yaml"
    words.write_text(words.read_text(encoding="utf-8") + "\n# 新增一行\n", encoding="utf-8")
    assert batch.fingerprint(None, ["md"]) != before


def test_the_cache_notices_a_changed_previous_period_file(tmp_path: Path) -> None:
    """上期's file is an input of the report (the comparison): changing it renders the unit again."""
    root = tmp_path / "创城"
    shutil.copytree(EXAMPLES, root / "2026年上半年")
    earlier = root / "2025年下半年"
    earlier.mkdir()
    unit = root / "2026年上半年" / "江城区人民医院.yaml"
    before = unit.read_text(encoding="utf-8").replace("2026-", "2025-").replace(
        "开始: 2025-01-01", "开始: 2025-07-01").replace("结束: 2025-06-30", "结束: 2025-12-31")
    (earlier / "江城区人民医院.yaml").write_text(before, encoding="utf-8")
    previous = "\n上期: ../2025年下半年/江城区人民医院.yaml\n"
    unit.write_text(unit.read_text(encoding="utf-8") + previous, encoding="utf-8")
    out = tmp_path / "out"
    assert render_district(root / "2026年上半年", out, ("md",), jobs=1).batch.rendered == 6
    assert render_district(root / "2026年上半年", out, ("md",), jobs=1).batch.rendered == 0
    (earlier / "江城区人民医院.yaml").write_text(before.replace("参与: ", "参与: 1", 1), encoding="utf-8")
    assert render_district(root / "2026年上半年", out, ("md",), jobs=1).batch.rendered == 1
