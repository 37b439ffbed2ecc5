"""One verdict per unit: files matched to the roster (names, 别名, 居委会), non-unit files received,
duplicates, other periods, strict districts; the counts add up to the roster."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from chuangcheng.check.validate import validate_paths
from chuangcheng.check.verdicts import VERDICTS, FileResult, Roster, judge, match
from chuangcheng.load.models import RosterEntry

from .conftest import EXAMPLES

TODAY = dt.date(2026, 7, 8)


@pytest.fixture
def district(tmp_path: Path) -> Path:
    folder = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, folder)
    return folder


def _add_roster(folder: Path, lines: str) -> None:
    path = folder / "district.yaml"
    text = path.read_text(encoding="utf-8").replace("单位名单:\n", "单位名单:\n" + lines, 1)
    path.write_text(text, encoding="utf-8")


def _rename_unit(source: Path, target: Path, name: str) -> None:
    text = source.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.strip().startswith(("名称:", "name:")))
    target.write_text(text.replace(old, old.split(":")[0] + ": " + name, 1), encoding="utf-8")


def _verdicts(folder: Path, **kw: object) -> dict[str, str]:
    result = validate_paths([folder], today=TODAY, **kw)  # type: ignore[arg-type]
    counts = result.verdicts.counts()
    assert sum(n for v, n in counts.items() if v != "不在名单") == result.verdicts.roster
    return {u.name: u.verdict for u in result.verdicts.units}


def test_every_unit_of_the_examples_passes(district: Path) -> None:
    assert set(_verdicts(district).values()) == {"通过"}


def test_a_name_with_居委会_an_alias_and_a_near_miss(district: Path) -> None:
    _add_roster(district, "  - {名称: 桂花社区, 所属: 石城街道}\n  - {名称: 新桥社区, 别名: [新桥社区筹备组]}\n"
                          "  - {名称: 柳岸社区}\n")
    source = district / "石城街道" / "官塘社区.yaml"
    _rename_unit(source, district / "石城街道" / "a.yaml", "桂花社区居委会")
    _rename_unit(source, district / "石城街道" / "b.yaml", "新桥社区筹备组")
    _rename_unit(source, district / "石城街道" / "c.yaml", "柳暗社区")
    found = _verdicts(district)
    assert found["桂花社区"] != "未报送" and found["新桥社区"] != "未报送"
    assert found["柳岸社区"] == "未报送" and found["柳暗社区"] == "不在名单"
    result = validate_paths([district], today=TODAY)
    (unit,) = [u for u in result.verdicts.units if u.verdict == "不在名单"]
    assert unit.hint == "柳岸社区"
    (hint,) = [d for d in unit.files[0].diagnostics if d.code == "CC402"]
    assert "最接近的是“柳岸社区”" in hint.message and hint.pos == unit.files[0].name_at


def test_two_units_ending_alike_are_not_guessed() -> None:
    roster = Roster([RosterEntry(name="桂花社区"), RosterEntry(name="桂花社区居委会")])
    assert roster.match("桂花社区居民委员会") is None  # two roster names share the bare form
    assert roster.match("桂花社区居委会") is not None and roster.match(" 桂花社区 ") is not None


def _docx(app: str) -> bytes:
    """A sound Word file, as this program writes it or as Word saved it again (``app``)."""
    from chuangcheng.office.word import build_docx

    ours = zipfile.ZipFile(io.BytesIO(build_docx("# 总结\n\n正文。\n")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for item in ours.infolist():
            data = ours.read(item)
            if item.filename == "docProps/app.xml":
                data = data.replace(b">chuangcheng<", f">{app}<".encode())
            package.writestr(item, data)
    return out.getvalue()


def test_a_word_file_or_a_yaml_txt_is_received_not_missing(district: Path) -> None:
    (district / "桃源镇" / "桃源村.yaml").rename(district / "桃源镇" / "桃源村.yaml.txt")
    (district / "江城区实验小学.yaml").unlink()
    (district / "江城区实验小学.docx").write_bytes(_docx("Microsoft Office Word"))
    (district / "江城区人民医院.docx").write_bytes(_docx("chuangcheng"))  # a report rendered here
    (district / "江城区人民医院.pdf").write_bytes(b"%PDF-1.7")  # and its PDF
    result = validate_paths([district], today=TODAY)
    by_name = {u.name: u for u in result.verdicts.units}
    assert by_name["桃源村"].verdict == "无法读取" and by_name["江城区实验小学"].verdict == "无法读取"
    assert by_name["江城区人民医院"].verdict == "通过" and result.missing == []
    (advice,) = by_name["桃源村"].problems()
    assert advice.code == "CC112" and "改名为“桃源村.yaml”" in advice.message
    assert "Word 文档" in by_name["江城区实验小学"].problems()[0].message
    assert not any(f.path.endswith(("人民医院.docx", "人民医院.pdf")) for f in result.files)


def test_two_files_for_one_unit_are_both_duplicates_and_neither_is_summed(district: Path) -> None:
    source = district / "石城街道" / "官塘社区.yaml"
    shutil.copy(source, district / "石城街道" / "官塘社区(1).yaml")
    result = validate_paths([district], today=TODAY)
    (unit,) = [u for u in result.verdicts.units if u.name == "官塘社区"]
    assert unit.verdict == "重复报送" and len(unit.files) == 2
    assert not result.verdicts.accepted_files() & {f.path for f in unit.files}
    assert result.verdicts.counts()["重复报送"] == 1  # one unit, not two


def test_another_period_placeholders_and_a_strict_district(district: Path) -> None:
    school = district / "江城区实验小学.yaml"
    text = school.read_text(encoding="utf-8")
    school.write_text(text.replace("存在问题:\n", "存在问题:\n  - XX问题\n", 1), encoding="utf-8")
    hospital = district / "江城区人民医院.yaml"
    text = hospital.read_text(encoding="utf-8")
    hospital.write_text(text.replace("结束: 2026-06-30", "结束: 2026-12-31", 1), encoding="utf-8")
    gas = district / "江城燃气有限公司.yaml"
    gas.write_text(gas.read_text(encoding="utf-8").replace("存在问题:\n", "存在问题:\n  - 的'问题\n", 1),
                   encoding="utf-8")
    found = _verdicts(district)
    assert (found["江城区实验小学"], found["江城区人民医院"], found["江城燃气有限公司"]) == \
        ("退回修改", "报告期不符", "有警告")
    assert _verdicts(district, strict=True)["江城燃气有限公司"] == "退回修改"


def test_without_a_roster_each_unit_is_judged_by_its_file() -> None:
    files = [FileResult("a.yaml", unit="甲", loaded=True), FileResult("b.yaml", unit="甲", loaded=True),
             FileResult("c.docx", readable=False)]
    verdicts = judge(match(files, None))
    assert {u.name: u.verdict for u in verdicts.units} == {"甲": "重复报送", "c": "无法读取"}
    assert list(verdicts.counts()) == list(VERDICTS)


def test_render_sums_only_accepted_units_and_keeps_the_output_folder_to_this_run(district: Path,
                                                                                 tmp_path: Path) -> None:
    from chuangcheng.district.rollup import render_district

    out = tmp_path / "out"
    render_district(district, out, ("md",), jobs=1)
    assert (out / "石城街道" / "官塘社区.md").is_file() and (out / "江城燃气有限公司.md").is_file()
    # a unit deleted, one sent twice, one with a placeholder, one not on the roster
    (district / "江城燃气有限公司.yaml").unlink()
    shutil.copy(district / "石城街道" / "官塘社区.yaml", district / "石城街道" / "官塘社区(1).yaml")
    school = district / "江城区实验小学.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace("存在问题:\n", "存在问题:\n  - XX问题\n", 1),
                      encoding="utf-8")
    _rename_unit(district / "江城区人民医院.yaml", district / "新院区.yaml", "江城区人民医院新院区")
    result = render_district(district, out, ("md",), jobs=1)
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*.md"))
    assert left == sorted(["江城区人民医院.md", "江城区汇总.md", "石城街道/石城街道办事处.md", "桃源镇/桃源村.md"])
    assert {s.name for s in result.batch.summaries} == {"江城区人民医院", "石城街道办事处", "桃源村"}
    assert len(result.batch.removed) == 3  # 官塘社区, 江城燃气有限公司, 江城区实验小学
    rollup = (out / "江城区汇总.md").read_text(encoding="utf-8")
    assert re.search("单位6个，已报送5个，其中审核通过3个，退回修改1个（江城区实验小学），重复报送待确认1个"
                     "（官塘社区）；江城燃气有限公司(逾期|尚)未报送。退回修改和重复报送单位的总结未纳入本次汇总。",
                     rollup)
    assert "另有江城区人民医院新院区报送总结1份，不在本区单位名单内，未纳入汇总。" in rollup
    (off,) = [f for f in result.batch.failures if f.file.endswith("新院区.yaml")]
    assert off.messages[0] == f"{district / '新院区.yaml'}:3:7: 单位.名称: 不在名单，未生成报告"  # a place, always
    assert "CC" not in rollup and ".yaml" not in rollup
    (district / "石城街道" / "官塘社区(1).yaml").unlink()  # withdrawn: the unit is summed again
    again = render_district(district, out, ("md",), jobs=1)
    assert "官塘社区" in {s.name for s in again.batch.summaries} and (out / "石城街道" / "官塘社区.md").is_file()


def test_without_a_district_file_one_name_in_two_files_is_said_once(district: Path) -> None:
    """No roster: the unit sent twice is told so (CC403 at each file's 名称), not left to guess."""
    (district / "district.yaml").unlink()
    shutil.copy(district / "石城街道" / "官塘社区.yaml", district / "石城街道" / "官塘社区(1).yaml")
    result = validate_paths([district], today=TODAY)
    (unit,) = [u for u in result.verdicts.units if u.verdict != "通过"]
    assert unit.verdict == "重复报送"
    codes = [[d.code for d in f.diagnostics if d.code.startswith("CC4")] for f in unit.files]
    assert codes == [["CC403"], ["CC403"]]  # and no CC408 besides
