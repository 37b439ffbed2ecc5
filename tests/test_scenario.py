"""A district inbox with every kind of mess (tests/scenario.py): one verdict per unit, and every
count the same in validate's text and JSON, the notices, the roll-up, the workbook and the
output folder; then units deleted, renamed and resubmitted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from chuangcheng.cli import app

from .scenario import Scenario, build

TODAY = "2026-07-08"


@pytest.fixture
def scene(tmp_path: Path) -> Scenario:
    return build(tmp_path / "收件箱")


def _validate(scene: Scenario, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", str(scene.folder), "--today", TODAY, *extra])
    return result.exit_code, result.stdout


def test_validate_text_and_json_agree_with_the_scenario(scene: Scenario) -> None:
    code, text = _validate(scene)
    assert code == 1
    roster = len(scene.expected)
    assert text.startswith(f"江城区2026年上半年：应报送 {roster} 个单位，距截止日期（2026年7月10日）还有 2 天\n")
    counts = dict(re.findall(r"([^\s，；]+) (\d+) 个", text.splitlines()[1].split("；")[0]))
    assert {k: int(v) for k, v in counts.items()} == {k: v for k, v in scene.counts.items() if v}
    assert f"另有不在名单的 {len(scene.unlisted)} 个" in text
    chase = text.split("需要催办的单位（", 1)[1]
    assert chase.startswith(f"{roster - len(scene.accepted)} 个）")
    code, out = _validate(scene, "--format", "json")
    data = json.loads(out)
    assert {u["unit"]: u["verdict"] for u in data["units"] if u["on_roster"]} == scene.expected
    assert [u["unit"] for u in data["units"] if not u["on_roster"]] == scene.unlisted
    assert sum(n for v, n in data["counts"]["verdicts"].items() if v != "不在名单") == roster
    assert data["counts"]["missing_units"] == scene.counts["未报送"]
    for unit in data["units"]:
        if unit["on_roster"]:
            assert unit["group"] == scene.groups[unit["unit"]] and unit["contact"].startswith("联系人")
    hint = next(u for u in data["units"] if not u["on_roster"])
    assert hint["hint"]  # the nearest roster name


def test_notices_match_the_verdicts(scene: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "通知"
    _validate(scene, "--notices", str(out))
    sheet = openpyxl.load_workbook(out / "报送情况.xlsx").active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert {name: rows[name][4] for name in scene.expected} == scene.expected
    assert all(rows[name][4] == "不在名单" for name in scene.unlisted)
    groups = [rows[name][0] for name in scene.expected]
    assert [g for i, g in enumerate(groups) if g not in groups[:i]] == ["石城街道", "柳岸街道", "桃源镇"]
    sent_back = {n for n, v in scene.expected.items() if v in {"退回修改", "报告期不符", "重复报送", "无法读取"}}
    assert {p.name for p in out.glob("*.docx")} == {f"退回修改通知_{n}.docx" for n in sent_back}


def test_render_rollup_workbook_and_output_folder(scene: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "输出"
    result = CliRunner().invoke(app, ["render", str(scene.folder), "-o", str(out), "-f", "md"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"应报送 {len(scene.expected)} 个单位：可以汇总 {len(scene.accepted)} 个")
    assert sorted(p.stem for p in out.glob("*.md") if p.stem != "江城区汇总") == scene.report_names(scene.accepted)
    rollup = (out / "江城区汇总.md").read_text(encoding="utf-8")
    sent = len(scene.expected) - scene.counts["未报送"]
    roster, accepted = len(scene.expected), len(scene.accepted)
    assert f"全区应报送创建工作总结的单位{roster}个，已报送{sent}个，其中审核通过{accepted}个" in rollup
    back = sum(scene.counts[v] for v in ("退回修改", "报告期不符", "无法读取"))
    assert f"，退回修改{back}个（" in rollup and f"，重复报送待确认{scene.counts['重复报送']}个（重报社区）" in rollup
    missing = sorted(n for n, v in scene.expected.items() if v == "未报送")
    assert re.search(f"；{'、'.join(missing)}(逾期|尚)未报送。", rollup)
    assert accepted + back + scene.counts["重复报送"] + len(missing) == roster
    assert not re.search(r"CC\d{3}|\.yaml", rollup)
    assert "| 居委社区 | 社区 |" in rollup and "| 居委社区居委会 |" not in rollup  # units by their roster names
    book = openpyxl.load_workbook(out / "汇总表.xlsx")
    rows = [r for r in book["主要指标"].iter_rows(min_row=3, values_only=True) if r[1] in scene.expected]
    assert {r[1]: r[3] for r in rows} == scene.expected
    summed = [r[1] for r in rows if r[4] is not None]
    assert sorted(summed) == sorted(scene.accepted)

    # a unit withdraws its second file, one is deleted, one renamed off the roster, one fixed
    (scene.folder / "重报社区（修改版）.yaml").unlink()
    (scene.folder / "第1社区.yaml").unlink()
    second = scene.folder / "第2社区.yaml"
    renamed = second.read_text(encoding="utf-8").replace("名称: 第2社区", "名称: 第二社区", 1)
    second.write_text(renamed, encoding="utf-8")
    fixed = scene.folder / "占位社区.yaml"
    fixed.write_text(fixed.read_text(encoding="utf-8").replace("  - XX问题\n", "", 1), encoding="utf-8")
    again = CliRunner().invoke(app, ["render", str(scene.folder), "-o", str(out), "-f", "md"])
    now = set(scene.accepted) - {"第1社区", "第2社区"} | {"重报社区", "占位社区"}
    assert sorted(p.stem for p in out.glob("*.md") if p.stem != "江城区汇总") == scene.report_names(now)
    assert "已删除以前生成、这次不再生成的报告 2 个" in again.stdout
