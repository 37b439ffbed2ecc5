"""chuangcheng init (a starter file that validate flags until it is filled) and the editor schema."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from chuangcheng.check.validate import validate_paths
from chuangcheng.cli import app
from chuangcheng.load.models import UNIT_TYPES
from chuangcheng.load.schema import district_schema, unit_schema
from chuangcheng.office.starter import SCHEMA_FILE, half_year, starter

from .conftest import EXAMPLES, SEED_FILES, UNIT_FILES


def _fill(text: str) -> str:
    """What a unit does with the starter: real names for XX, real numbers for 0."""
    text = text.replace("XX", "新华")
    return re.sub(r": 0(?=[^\d.\-])", ": 12", text)


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
def test_starter_is_flagged_until_filled(tmp_path: Path, unit_type: str) -> None:
    today = dt.date(2026, 12, 31)
    path = tmp_path / "u.yaml"
    path.write_text(starter(unit_type, today), encoding="utf-8")
    (found,) = validate_paths([path], today=today).files
    codes = {d.code for d in found.diagnostics}
    assert found.loaded and codes == {"CC201", "CC208"}, [str(d) for d in found.diagnostics]
    path.write_text(_fill(starter(unit_type, today)), encoding="utf-8")
    (filled,) = validate_paths([path], today=today).files
    assert filled.diagnostics == [], [str(d) for d in filled.diagnostics]
    assert filled.type == unit_type


def test_starter_period_is_the_current_half_year() -> None:
    assert half_year(dt.date(2026, 3, 1)) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30), "2026年上半年")
    assert half_year(dt.date(2026, 11, 21))[2] == "2026年下半年"


def test_init_command(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "新华村.yaml"
    result = runner.invoke(app, ["init", str(path), "--type", "村"])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=./{SCHEMA_FILE}\n")
    assert "  类型: 村" in text
    assert json.loads((tmp_path / SCHEMA_FILE).read_text(encoding="utf-8")) == unit_schema()
    again = runner.invoke(app, ["init", str(path)])
    assert again.exit_code == 2 and "文件已存在" in again.stderr
    assert runner.invoke(app, ["init", str(path), "--force"]).exit_code == 0
    assert runner.invoke(app, ["init", str(tmp_path / "x.yaml"), "--type", "小区"]).exit_code == 2


def _as_json(path: Path) -> object:
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_schema_accepts_every_example_in_both_spellings() -> None:
    validator = jsonschema.Draft202012Validator(unit_schema())
    simplified_seeds = [p for p in SEED_FILES if "辦" not in p.name]  # the schema lists simplified keys
    for path in [*UNIT_FILES, *simplified_seeds]:  # 桃源村 mixes English keys; the seeds use version-2 keys
        assert list(validator.iter_errors(_as_json(path))) == [], path
    district = jsonschema.Draft202012Validator(district_schema())
    assert list(district.iter_errors(_as_json(EXAMPLES / "district.yaml"))) == []


def test_schema_marks_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(unit_schema())
    base = {"单位": {"名称": "官塘社区", "类型": "社区"}, "报告期": {"开始": "2026-01-01", "结束": "2026-06-30"},
            "存在问题": "停车难", "下一步": ["新增车位"]}
    assert list(validator.iter_errors(base)) == []
    assert list(validator.iter_errors({**base, "宣传发动": [{"日期": "3月5日", "名称": "宣传", "参与": 300}]})) == []
    unknown = [e.message for e in validator.iter_errors({**base, "宣传发动x": []})]
    assert unknown == ["Additional properties are not allowed ('宣传发动x' was unexpected)"]
    missing = {k: v for k, v in base.items() if k != "报告期"}
    assert list(validator.iter_errors(missing))
    assert list(validator.iter_errors({k: v for k, v in base.items() if k != "存在问题"})) == []  # optional in v2
    assert list(validator.iter_errors({**base, "单位": {"名称": "官塘社区", "类型": "小区"}}))
    described = unit_schema()["properties"]["单位"]
    assert described["description"] == "单位信息（必填）"


def test_schema_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "chuangcheng 单位文件"
    assert json.loads(runner.invoke(app, ["schema", "district"]).stdout)["title"] == "chuangcheng 区文件"
