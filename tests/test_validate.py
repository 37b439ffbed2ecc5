"""chuangcheng validate: each rule has an input that triggers it (at the right place) and a
near miss that does not; the district rules, selection, exit codes and the JSON output."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from chuangcheng.check.checks import quarters
from chuangcheng.check.rules import RULES, Selection
from chuangcheng.check.validate import file_status, validate_paths
from chuangcheng.cli import app

from .conftest import EXAMPLES

TODAY = dt.date(2026, 7, 8)

# A unit that breaks no rule: every core section has an activity, publicity in both quarters,
# 3000 registered volunteers of 35000 residents (8.6%).
CLEAN = """\
单位:
  名称: 官塘社区
  类型: 社区
  基本情况:
    常住人口: 35000人
报告期:
  开始: 2026-01-01
  结束: 2026-06-30
组织领导:
  - {日期: 1月10日, 名称: 创城工作推进会, 参与: 40人次}
宣传发动:
  - 日期: 3月5日
    名称: 学雷锋主题宣传活动
    说明: 投资12万元新建长约30米的科普画廊
    数量: {悬挂横幅: 10条, 发放宣传单: 3000余份}
    参与: 2万余人次
    志愿者: 45人
  - {日期: 5月12日, 名称: 防灾减灾宣传, 参与: 800人次}
环境整治:
  - {日期: 4月2日, 名称: 背街小巷清洁行动, 数量: {清运垃圾: 12吨}}
志愿服务:
  注册志愿者: 3000人
  活动:
    - {日期: 3月12日, 名称: 植树志愿活动, 志愿者: 60人}
基础设施:
  - {日期: 5月20日, 名称: 改造老旧小区路灯, 数量: {更换路灯: 40盏}}
道德建设:
  - {日期: 6月8日, 名称: 道德讲堂, 参与: 120人次}
存在问题:
  - 老旧小区停车位不足，车辆乱停乱放现象时有发生
下一步:
  - 与物业协商新增停车泊位，规范车辆停放秩序
"""

# code, (text to replace, replacement) that triggers it, a marker of the line it is reported at
# (default: the replacement's first line), and a near miss: a replacement that must not trigger it.
CASES = [
    ("CC109", ("单位:\n  名称: 官塘社区", "單位:\n  名稱: 官塘社區"), "單位:", ("名称: 官塘社区", "名称: 毕昇社区")),
    ("CC201", ("名称: 道德讲堂", "名称: XX道德讲堂"), None, ("名称: 道德讲堂", "名称: XL码文化衫发放")),
    ("CC201", ("防灾减灾宣传", "20xx年防灾减灾宣传"), None, ("防灾减灾宣传", "2026年防灾减灾宣传")),
    ("CC202", ("说明: 投资12万元", "说明: 以下是小编整理的，投资12万元"), None,
     ("说明: 投资12万元", "说明: 编好宣传手册，投资12万元")),
    ("CC203", ("投资12万元新建长约30米", "投资万元新建长约米"), None, ("投资12万元", "投资12.5万元")),
    ("CC203", ("投资12万元新建长约30米", "总长度达公里"), None, ("投资12万元新建长约30米", "总长度达3公里")),
    ("CC203", ("投资12万元新建长约30米", "可耕地面积亩"), None, ("投资12万元新建长约30米", "可耕地面积1200亩")),
    ("CC203", ("投资12万元新建长约30米", "共竖立路灯 盏"), None, ("投资12万元新建长约30米", "评选网络达人 名单")),
    ("CC204", ("日期: 6月8日", "日期: 2026-07-02"), None, ("日期: 6月8日", "日期: 2026-06-30")),
    ("CC206", ("日期: 6月8日", "日期: 2026-07-20"), None, ("日期: 6月8日", "日期: 2026-06-08")),
    ("CC207", ("{日期: 5月12日, 名称: 防灾减灾宣传", "{日期: 3月5日, 名称: 学雷锋主题宣传活动"), None,
     ("{日期: 5月12日, 名称: 防灾减灾宣传", "{日期: 3月6日, 名称: 学雷锋主题宣传活动")),
    ("CC208", ("清运垃圾: 12吨", "清运垃圾: 0吨"), None, ("清运垃圾: 12吨", "清运垃圾: 0.5吨")),
    ("CC209", ("参与: 800人次", "参与: 8万人次"), None, ("参与: 800人次", "参与: 6万人次")),
    ("CC210", ("  - 老旧小区停车位不足，车辆乱停乱放现象时有发生", "  - 暂无。"), None,
     ("  - 老旧小区停车位不足，车辆乱停乱放现象时有发生", "  - 无障碍设施不完善")),
    ("CC211", ("志愿者: 45人", "志愿者: 45人\n    照片: [photos/0305.jpg]"), "照片:", None),
    ("CC213", ("名称: 道德讲堂", "名称: 社区的'道德讲堂"), None, ("名称: 道德讲堂", "名称: 社区“道德讲堂”")),
    ("CC214", ("下一步:\n  - 与物业协商新增停车泊位，规范车辆停放秩序", "下一步: []"), None,
     ("下一步:\n  - 与物业协商新增停车泊位，规范车辆停放秩序", "下一步: 与物业协商新增停车泊位")),
    ("CC301", ("注册志愿者: 3000人", "注册志愿者: 2000人"), None, ("注册志愿者: 3000人", "注册志愿者: 2800人")),
    ("CC302", ("{日期: 5月12日, 名称: 防灾减灾宣传", "{日期: 3月12日, 名称: 防灾减灾宣传"), "宣传发动:",
     ("{日期: 5月12日, 名称: 防灾减灾宣传", "{日期: 4月1日, 名称: 防灾减灾宣传")),
    ("CC303", ("  - {日期: 6月8日, 名称: 道德讲堂, 参与: 120人次}", "  []"), "道德建设:",
     ("  - {日期: 6月8日, 名称: 道德讲堂, 参与: 120人次}", "  - {日期: 6月8日, 名称: 评选好人}")),
]


def _line_of(text: str, marker: str) -> int:
    """1-based number of the first line of ``text`` that holds ``marker``."""
    return next(n for n, line in enumerate(text.split("\n"), 1) if marker in line)


def _check(tmp_path: Path, text: str, *args: str) -> list[str]:
    path = tmp_path / "官塘社区.yaml"
    path.write_text(text, encoding="utf-8")
    result = validate_paths([path], today=TODAY)
    return [f"{d.line}:{d.code}" for f in result.files for d in f.diagnostics]


def test_clean_unit_breaks_no_rule(tmp_path: Path) -> None:
    assert _check(tmp_path, CLEAN) == []


@pytest.mark.parametrize(("code", "change", "marker", "near_miss"), CASES, ids=[c[0] for c in CASES])
def test_rule_triggers_at_its_line(tmp_path: Path, code: str, change: tuple[str, str], marker: str | None,
                                   near_miss: tuple[str, str] | None) -> None:
    assert change[0] in CLEAN
    text = CLEAN.replace(change[0], change[1], 1)
    found = _check(tmp_path, text)
    assert f"{_line_of(text, marker or change[1].split(chr(10))[0].strip())}:{code}" in found, found
    if near_miss is not None:
        assert near_miss[0] in CLEAN
        missed = _check(tmp_path, CLEAN.replace(near_miss[0], near_miss[1], 1))
        assert not [f for f in missed if f.endswith(code)], missed


def test_photo_that_exists_passes(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    Image.new("RGB", (8, 6)).save(tmp_path / "photos" / "0305.jpg")
    text = CLEAN.replace("志愿者: 45人", "志愿者: 45人\n    照片: [photos/0305.jpg]")
    assert _check(tmp_path, text) == []


def test_placeholder_column_points_inside_the_value(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_text(CLEAN.replace("投资12万元", "共清理垃圾广告XX余条，投资12万元"), encoding="utf-8")
    (diag,) = validate_paths([path], today=TODAY).files[0].diagnostics
    line = CLEAN.split("\n")[13]
    assert (diag.line, diag.col, diag.code) == (14, line.index("投资") + 1 + len("共清理垃圾广告"), "CC201")
    assert diag.field == "宣传发动.第1项.说明"
    assert diag.message == "含有占位符“XX”：请写上实际内容"


@pytest.mark.parametrize(("code", "change", "marker"), [
    ("CC101", ("单位:", ""), None),
    ("CC102", ("  名称: 官塘社区", "  名称：官塘社区"), "名称：官塘社区"),
    ("CC103", ("    名称: 学雷锋主题宣传活动", "    名字: 学雷锋主题宣传活动"), "名字:"),
    ("CC104", ("  名称: 官塘社区\n", ""), "单位:"),
    ("CC105", ("清运垃圾: 12吨", "清运垃圾: 12"), "清运垃圾"),
    ("CC106", ("志愿者: 45人", "志愿者: 45人\n    照片: [../x.jpg]"), "照片:"),
    ("CC205", ("{日期: 4月2日,", "{日期: 4月2日, 结束日期: 4月1日,"), "结束日期"),
    ("CC208", ("清运垃圾: 12吨", "清运垃圾: -12吨"), "清运垃圾"),
])
def test_format_rules_stop_the_file(tmp_path: Path, code: str, change: tuple[str, str], marker: str | None) -> None:
    text = (CLEAN if code != "CC101" else "").replace(change[0], change[1], 1)
    found = _check(tmp_path, text)
    assert any(f.endswith(code) for f in found), found
    if marker:
        assert f"{_line_of(text, marker)}:{code}" in found, found
    path = tmp_path / "官塘社区.yaml"
    checked = validate_paths([path], today=TODAY, ignore=[code]).files[0]
    # an empty file cannot be read at all; the others were read and go back to be fixed
    expected = ("无法读取", "无法读取") if code == "CC101" else ("有错误", "退回修改")
    assert (file_status(checked), checked.verdict) == expected


def test_format_warnings(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_bytes(CLEAN.replace("主题宣传", "主题\x0b宣传").encode("gb18030"))
    codes = [d.code for d in validate_paths([path], today=TODAY).files[0].diagnostics]
    assert codes == ["CC107", "CC108"]
    path.write_text(CLEAN, encoding="utf-8")
    assert validate_paths([path], today=TODAY).files[0].diagnostics == []


# --- a district folder ---

@pytest.fixture
def district(tmp_path: Path) -> Path:
    folder = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, folder)
    return folder


def _codes(folder: Path, **kw: object) -> dict[str, list[str]]:
    result = validate_paths([folder], today=kw.pop("today", TODAY), **kw)  # type: ignore[arg-type]
    found: dict[str, list[str]] = {}
    for d in result.all_diagnostics():
        found.setdefault(d.code, []).append(f"{Path(d.path).name}:{d.line}")
    return found


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_examples_validate_clean(district: Path) -> None:
    result = validate_paths([district], today=TODAY)
    assert result.all_diagnostics() == []
    assert result.passed and result.days_left == 2
    assert [r.status for r in result.status_rows()] == ["通过"] * 6


def test_roster_rules(district: Path) -> None:
    (district / "桃源镇" / "桃源村.yaml").unlink()  # CC401
    gt = district / "石城街道" / "官塘社区.yaml"
    shutil.copy(gt, district / "官塘社区(1).yaml")  # CC403
    text = gt.read_text(encoding="utf-8")
    (district / "新社区.yaml").write_text(text.replace("名称: 官塘社区", "名称: 新华社区", 1), encoding="utf-8")
    hospital = district / "江城区人民医院.yaml"
    h = hospital.read_text(encoding="utf-8").replace("类型: 医院", "类型: 机关", 1)
    hospital.write_text(h.replace("2026-06-30", "2026-05-31", 1), encoding="utf-8")
    found = _codes(district)
    assert found["CC401"] == [f"district.yaml:{_line_of(_text(district / 'district.yaml'), '桃源村')}"]
    assert sorted(found["CC403"]) == ["官塘社区(1).yaml:3", "官塘社区.yaml:3"]
    assert found["CC402"] == ["新社区.yaml:3"]
    assert found["CC404"] == [f"江城区人民医院.yaml:{_line_of(h, '报告期')}"]
    assert found["CC405"] == [f"江城区人民医院.yaml:{_line_of(h, '名称: 江城区人民医院')}"]
    assert "CC406" not in found
    late = _codes(district, today=dt.date(2026, 7, 12))
    assert late["CC406"] == ["district.yaml:4"]


def test_roster_rules_do_not_fire_on_the_examples(district: Path) -> None:
    found = _codes(district, today=dt.date(2026, 7, 12))  # past the deadline, but nobody is late
    assert found == {}


def test_folder_without_district_file(district: Path) -> None:
    (district / "district.yaml").unlink()
    assert _codes(district) == {"CC407": ["江城区:1"]}


def test_sentence_copied_into_many_units(district: Path) -> None:
    copied = "社区志愿服务队伍结构老化，年轻志愿者参与不足"
    files = sorted(p for p in district.rglob("*.yaml") if p.name != "district.yaml")
    for path in files[:3]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("存在问题:\n", f"存在问题:\n  - {copied}\n", 1), encoding="utf-8")
    found = _codes(district)
    assert len(found["CC212"]) == 3
    path = files[0]  # two units share it: not yet "many"
    path.write_text(path.read_text(encoding="utf-8").replace(f"  - {copied}\n", "", 1), encoding="utf-8")
    assert "CC212" not in _codes(district)


def test_district_file_sets_bars_and_selection(district: Path) -> None:
    dfile = district / "district.yaml"
    base = dfile.read_text(encoding="utf-8")
    dfile.write_text(base + "指标:\n  志愿者占比: 95%\n  不达标为错误: 是\n", encoding="utf-8")
    result = validate_paths([district], today=TODAY)
    shortfalls = [d for d in result.all_diagnostics() if d.code == "CC301"]
    assert shortfalls and all(d.severity.value == "error" for d in shortfalls)
    assert not result.passed
    dfile.write_text(base + "指标:\n  志愿者占比: 95%\n检查:\n  忽略: [CC3]\n", encoding="utf-8")
    assert validate_paths([district], today=TODAY).all_diagnostics() == []
    dfile.write_text(base + "检查:\n  忽略: [CC999]\n", encoding="utf-8")
    with pytest.raises(Exception, match="没有规则“CC999”"):
        validate_paths([district], today=TODAY)


def test_selection_works_as_ruff() -> None:
    assert Selection.parse().enabled == frozenset(RULES)
    assert Selection.parse(["CC2"]).enabled == {c for c in RULES if c.startswith("CC2")}
    assert "CC213" not in Selection.parse(["CC2,CC3"], ["CC213"])
    assert "CC212" in Selection.parse(["CC2,CC3"], ["CC213"])


def test_quarters_are_cut_to_the_period() -> None:
    got = quarters(dt.date(2025, 11, 15), dt.date(2026, 2, 10))
    assert got == [("2025年第四季度", dt.date(2025, 11, 15), dt.date(2025, 12, 31)),
                   ("2026年第一季度", dt.date(2026, 1, 1), dt.date(2026, 2, 10))]


# --- the command line ---

def test_cli_text_output_and_exit_codes(district: Path, runner: CliRunner) -> None:
    ok = runner.invoke(app, ["validate", str(district), "--today", "2026-07-08"])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith("江城区2026年上半年：应报送 6 个单位，距截止日期（2026年7月10日）还有 2 天\n"
                                "  通过 6 个\n")
    assert ok.stdout.rstrip().endswith("共检查 6 个文件：错误 0 处，警告 0 处；通过")
    path = district / "江城区实验小学.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("存在问题:\n", "存在问题:\n  - 的'问题\n", 1),
                    encoding="utf-8")
    warned = runner.invoke(app, ["validate", str(district), "--today", "2026-07-08"])
    assert warned.exit_code == 0
    line = next(x for x in warned.stdout.split("\n") if "CC213" in x)
    assert line.startswith(f"{path}:") and " CC213 警告 存在问题.第1项: " in line
    assert runner.invoke(app, ["validate", str(district), "--today", "2026-07-08", "--strict"]).exit_code == 1
    assert runner.invoke(app, ["validate", str(district), "--today", "2026-07-08", "--strict",
                               "--ignore", "CC213"]).exit_code == 0
    bad = runner.invoke(app, ["validate", str(district), "--select", "CC9"])
    assert bad.exit_code == 2 and "没有规则“CC9”" in bad.stderr


def test_a_folder_reads_top_down(district: Path, runner: CliRunner) -> None:
    """Summary first, then the units to chase by 所属 with their first problems, then the details;
    the units that pass as a count (listed with --verbose)."""
    (district / "桃源镇" / "桃源村.yaml").unlink()
    (district / "坏.yaml").write_text("单位:\n\t名称: 坏\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(district), "--today", "2026-07-08"])
    assert result.exit_code == 1
    out = result.stdout
    lines = out.splitlines()
    assert lines[0] == "江城区2026年上半年：应报送 6 个单位，距截止日期（2026年7月10日）还有 2 天"
    assert lines[1].strip() == "未报送 1 个，通过 5 个；另有不在名单的 1 个"
    chase = out.split("需要催办的单位（1 个）\n", 1)[1]
    assert chase.startswith("【桃源镇】\n  桃源村  未报送\n")
    assert out.index("不在名单上（1 个，未汇总）") < out.index("可以汇总的单位 5 个") < out.index("问题明细")
    assert "坏.yaml:2:1: CC102" in out.split("不在名单上", 1)[1].split("问题明细")[0]
    assert "官塘社区  通过" not in out
    verbose = runner.invoke(app, ["validate", str(district), "--today", "2026-07-08", "--verbose"]).stdout
    assert "官塘社区  通过" in verbose


def test_json_output(district: Path, runner: CliRunner) -> None:
    path = district / "江城区实验小学.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("存在问题:\n", "存在问题:\n  - XX问题\n", 1),
                    encoding="utf-8")
    result = runner.invoke(app, ["validate", str(district), "--today", "2026-07-08", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"schema", "tool", "today", "strict", "passed", "counts", "district",
                         "district_diagnostics", "files", "status", "units"}
    assert data["schema"] == 1 and data["passed"] is False and data["today"] == "2026-07-08"
    verdicts = dict.fromkeys(["未报送", "退回修改", "报告期不符", "重复报送", "无法读取", "不在名单", "有警告",
                              "通过"], 0)
    assert data["counts"] == {"files": 6, "errors": 1, "warnings": 0, "passed_files": 5, "missing_units": 0,
                              "verdicts": {**verdicts, "退回修改": 1, "通过": 5}}
    assert data["district"]["days_left"] == 2 and data["district"]["deadline"] == "2026-07-10"
    (bad,) = [f for f in data["files"] if f["errors"]]
    assert bad["unit"] == "江城区实验小学" and bad["status"] == "有错误" and bad["verdict"] == "退回修改"
    (unit,) = [u for u in data["units"] if u["verdict"] != "通过"]
    assert unit == {"unit": "江城区实验小学", "verdict": "退回修改", "group": "", "contact": None, "phone": None,
                    "on_roster": True, "hint": None, "errors": 1, "warnings": 0, "files": [bad["path"]]}
    (diag,) = bad["diagnostics"]
    assert set(diag) == {"path", "line", "column", "code", "severity", "rule", "field", "message"}
    assert (diag["code"], diag["severity"], diag["rule"]) == ("CC201", "error", "占位符")
    assert data["status"][0]["unit"] == "江城区实验小学"


def test_rules_command_lists_every_rule(runner: CliRunner) -> None:
    listed = runner.invoke(app, ["rules"])
    assert listed.exit_code == 0
    for code in RULES:
        assert f"  {code}  " in listed.stdout
    one = runner.invoke(app, ["rules", "cc201"])
    assert one.exit_code == 0 and one.stdout.startswith("CC201 占位符（内容，错误）")
    assert runner.invoke(app, ["rules", "CC999"]).exit_code == 2


def test_every_rule_is_in_the_readme_and_every_code_used_is_a_rule() -> None:

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    for code in RULES:
        assert f"| {code} |" in readme, code
    used = set()
    for source in (root / "src" / "chuangcheng").rglob("*.py"):
        used |= set(re.findall(r'"(CC\d{3})"', source.read_text(encoding="utf-8")))
    assert used <= set(RULES), used - set(RULES)
    tested = {c[0] for c in CASES} | {"CC101", "CC102", "CC103", "CC104", "CC105", "CC106", "CC107", "CC108", "CC110",
                                      "CC111", "CC112", "CC113", "CC215",  # CC113: test_ledger.py
                                      "CC205", "CC212", "CC401", "CC402", "CC403", "CC404", "CC405", "CC406",
                                      "CC407", "CC408"}
    assert tested == set(RULES)


def test_validate_does_not_import_the_renderer(district: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from chuangcheng.cli import main; sys.argv = ['chuangcheng', 'validate', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('docx', 'jinja2', 'markdown_it', 'xlsxwriter') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(district)], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("[]")


# --- regressions found in review ---

@pytest.mark.parametrize("text", [
    "开展规范文明养犬宣传", "创建省级示范文明城区", "台账资料有待补充完善", "邀请居民填写满意度问卷",
    "自二○○八年成立以来", "投资 12 万元新建停车位 300 平方米", "累计服务上万人次", "吸引近万人次参与",
    "按每平方米5元标准补贴", "（单位：万元）",
])
def test_everyday_wording_is_not_flagged(tmp_path: Path, text: str) -> None:
    assert _check(tmp_path, CLEAN.replace("投资12万元新建长约30米的科普画廊", text)) == []


def test_text_rules_see_the_cleaned_values(tmp_path: Path) -> None:
    escaped = CLEAN.replace("说明: 投资12万元新建长约30米的科普画廊", '说明: "\\u6295\\u8D44\\u4E07\\u5143"')
    assert "14:CC203" in _check(tmp_path, escaped)
    hidden = CLEAN.replace("投资12万元", "共清理垃圾广告X\u200bX余条")
    assert "14:CC201" in _check(tmp_path, hidden)


def test_population_is_the_resident_one_and_ming_counts_as_people(tmp_path: Path) -> None:
    text = CLEAN.replace("    常住人口: 35000人", "    流动人口: 800人\n    常住人口: 35000人")
    assert _check(tmp_path, text.replace("志愿者: 45人", "志愿者: 900人")) == []
    changed = text.replace("注册志愿者: 3000人", "注册志愿者: 2000名")
    assert _check(tmp_path, changed) == [f"{_line_of(changed, '注册志愿者')}:CC301"]


def test_a_broken_file_is_submitted_not_missing(district: Path) -> None:
    path = district / "桃源镇" / "桃源村.yaml"
    path.write_text(_text(path).replace("存在问题:", "存在问题2:", 1), encoding="utf-8")
    result = validate_paths([district], today=dt.date(2026, 7, 12))
    assert result.missing == []
    (row,) = [r for r in result.status_rows() if r.status == "有错误"]  # read, and not in the format
    assert row.unit == "桃源村"
    (unit,) = [u for u in result.verdicts.units if u.verdict != "通过"]
    assert (unit.name, unit.verdict) == ("桃源村", "退回修改")
    (late,) = [d for d in result.district_diagnostics if d.code == "CC406"]
    assert "还有 1 个单位" in late.message


def test_deadline_counts_only_selected_rules(district: Path) -> None:
    path = district / "江城区实验小学.yaml"
    path.write_text(_text(path).replace("存在问题:\n", "存在问题:\n  - XX问题\n", 1), encoding="utf-8")
    assert "CC406" in _codes(district, today=dt.date(2026, 7, 12))
    assert _codes(district, today=dt.date(2026, 7, 12), ignore=["CC2"]) == {}


def test_a_file_named_twice_is_checked_once(district: Path) -> None:
    result = validate_paths([district, district / "江城区人民医院.yaml"], today=TODAY)
    assert len(result.files) == 6 and result.all_diagnostics() == []


def test_copies_are_found_sentence_by_sentence(district: Path) -> None:
    copied = "部分居民对创建工作的认识还不够到位，参与度有待提高"
    files = sorted(p for p in district.rglob("*.yaml") if p.name != "district.yaml")
    for n, path in enumerate(files[:3]):
        item = f"{copied}。另外第{n}号小区的停车问题比较突出"
        path.write_text(_text(path).replace("存在问题:\n", f"存在问题:\n  - {item}\n", 1), encoding="utf-8")
    assert len(_codes(district)["CC212"]) == 3


def test_a_name_twice_on_the_roster(district: Path) -> None:
    dfile = district / "district.yaml"
    dfile.write_text(_text(dfile) + "  - {名称: 官塘社区, 类型: 社区}\n", encoding="utf-8")
    result = validate_paths([district], today=TODAY)
    assert [d.code for d in result.district_diagnostics] == ["CC403"]
    assert result.expected == 6


def test_core_section_written_as_measures_is_work(tmp_path: Path) -> None:
    """CC303: 做法 (or 成效) is work as much as a dated activity; an empty section is pointed at."""
    start = CLEAN.index("道德建设:")
    end = CLEAN.index("存在问题:")
    measures = "道德建设:\n  做法:\n    - 每月开展道德讲堂，评选身边好人\n"
    assert _check(tmp_path, CLEAN[:start] + measures + CLEAN[end:]) == []
    empty = CLEAN[:start] + "道德建设: []\n" + CLEAN[end:]
    assert f"{_line_of(empty, '道德建设:')}:CC303" in _check(tmp_path, empty)


def test_a_missing_core_section_is_pointed_at_where_it_goes(tmp_path: Path) -> None:
    start = CLEAN.index("道德建设:")
    end = CLEAN.index("存在问题:")
    text = CLEAN[:start] + CLEAN[end:]
    path = tmp_path / "官塘社区.yaml"
    path.write_text(text, encoding="utf-8")
    [diag] = [d for f in validate_paths([path], today=TODAY).files for d in f.diagnostics]
    assert (diag.code, diag.line, diag.field) == ("CC303", _line_of(text, "基础设施:"), "道德建设")
    assert diag.message.endswith("请在“基础设施”之后补上")
    text = CLEAN[:CLEAN.index("组织领导:")] + CLEAN[CLEAN.index("宣传发动:"):]  # the first one: before the next
    path.write_text(text, encoding="utf-8")
    [diag] = [d for f in validate_paths([path], today=TODAY).files for d in f.diagnostics]
    assert diag.line == _line_of(text, "宣传发动:") and diag.message.endswith("请在“宣传发动”之前补上")


def test_absent_problems_are_a_warning_where_they_belong(tmp_path: Path) -> None:
    """CC214: 存在问题 and 下一步 are optional in version 2; leaving them out is a warning."""
    text = CLEAN[:CLEAN.index("存在问题:")] + "落款: {署名: 官塘社区居委会}\n"
    assert _check(tmp_path, text) == [f"{_line_of(text, '落款:')}:CC214"] * 2


def test_previous_period_must_be_the_same_unit_earlier(tmp_path: Path) -> None:
    """CC215: 上期 names this unit's file for an earlier period, inside the working folder."""
    earlier = tmp_path / "2025年下半年"
    earlier.mkdir()
    before = CLEAN.replace("2026-01-01", "2025-07-01").replace("2026-06-30", "2025-12-31")
    (earlier / "官塘社区.yaml").write_text(before, encoding="utf-8")
    (earlier / "桃源村.yaml").write_text(before.replace("名称: 官塘社区", "名称: 桃源村", 1), encoding="utf-8")
    now = tmp_path / "2026年上半年"
    now.mkdir()
    line = CLEAN.count("\n") + 1

    def check(target: str) -> list[str]:
        path = now / "官塘社区.yaml"
        path.write_text(CLEAN + f"上期: {target}\n", encoding="utf-8")
        result = validate_paths([path], today=TODAY)
        return [f"{d.line}:{d.code} {d.message}" for f in result.files for d in f.diagnostics]

    assert check("../2025年下半年/官塘社区.yaml") == []
    assert check("../2025年下半年/桃源村.yaml") == [f"{line}:CC215 上期文件写的是“桃源村”，不是本单位“官塘社区”"]
    assert check("../2025年下半年/无.yaml")[0].startswith(f"{line}:CC215 找不到上期文件")
    assert check("../../../etc/passwd")[0].startswith(f"{line}:CC215 “../../../etc/passwd”在区文件夹的上一级之外")
    assert check("官塘社区.yaml") == [f"{line}:CC215 上期文件的报告期（2026年上半年）不在本期（2026年上半年）之前"]
