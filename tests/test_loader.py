"""Loading: both key spellings, both section forms, messages that point at the right place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from chuangcheng import InputError, load_district, load_unit
from chuangcheng.load.loader import key_table
from chuangcheng.load.models import Activity, Report, Section

from .conftest import EXAMPLES, MINIMAL


def _load(tmp_path: Path, text: str) -> Report:
    path = tmp_path / "u.yaml"
    path.write_text(text, encoding="utf-8")
    return load_unit(path).model


def _errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "u.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_unit(path)
    return [str(d).split(":", 1)[1] for d in info.value.diagnostics]


ENGLISH = """\
unit: {name: 官塘社区, type: 社区, parent: 石城街道党工委, profile: {常住人口: 35000人}}
period: {start: 2026-01-01, end: 2026-06-30, label: 2026年上半年}
goal: 全国文明城区
publicity:
  measures: 每季度更新宣传栏
  activities:
    - {date: 3月5日, title: 学雷锋主题宣传活动, quantities: {悬挂横幅: 10条}, participants: 300,
       volunteers: 45}
volunteering: {registered: 2900人, teams: [文明劝导队]}
other:
  - {title: 窗口服务提升, measures: [推行一窗通办]}
problems: [参与度有待提高]
next_steps: [建立长效机制]
signoff: {signer: 官塘社区居民委员会, date: 2026-07-05}
"""


def test_english_keys_equal_chinese_keys(tmp_path: Path) -> None:
    report = _load(tmp_path, ENGLISH)
    chinese = ENGLISH
    for en, zh in [("unit", "单位"), ("name", "名称"), ("type", "类型"), ("parent", "上级"),
                   ("profile", "基本情况"), ("period", "报告期"), ("start", "开始"), ("end", "结束"),
                   ("label", "名称"), ("goal", "创建目标"), ("publicity", "宣传发动"),
                   ("measures", "做法"), ("activities", "活动"), ("date", "日期"),
                   ("title", "名称"), ("quantities", "数量"), ("participants", "参与"),
                   ("volunteers", "志愿者"), ("volunteering", "志愿服务"), ("registered", "注册志愿者"),
                   ("teams", "队伍"), ("problems", "存在问题"), ("next_steps", "下一步"),
                   ("signoff", "落款"), ("signer", "署名")]:
        chinese = chinese.replace(f"{en}:", f"{zh}:", 1) if en not in {"date", "title"} else chinese
    chinese = chinese.replace("other:\n  - {title:", "其他工作:\n  - {标题:")
    assert _load(tmp_path, chinese) == report
    assert report.unit.profile == {"常住人口": "35000人"}
    assert report.goal == "全国文明城区"
    act = report.publicity.activities[0] if report.publicity else None
    assert act is not None and act.date.day == date(2026, 3, 5)
    assert str(act.participants) == "300人次" and str(act.volunteers) == "45人"
    assert report.other[0].title == "窗口服务提升"
    assert report.signed_on == date(2026, 7, 5)


def test_list_and_mapping_sections_are_equal(tmp_path: Path) -> None:
    as_list = _load(tmp_path, MINIMAL)
    as_map = _load(tmp_path, MINIMAL.replace("宣传发动:\n", "宣传发动:\n  活动:\n").replace(
        "\n  - 日期", "\n    - 日期").replace("\n    名称: 学", "\n      名称: 学").replace(
        "\n    地点", "\n      地点").replace("\n    数量:\n      悬挂横幅: 10条\n      发放宣传单: 3000余份",
                                         "\n      数量:\n        悬挂横幅: 10条\n        发放宣传单: 3000余份")
        .replace("\n    参与", "\n      参与").replace("\n    志愿者", "\n      志愿者"))
    assert as_list.publicity == as_map.publicity
    assert isinstance(as_list.publicity, Section)


def test_defaults(tmp_path: Path) -> None:
    report = _load(tmp_path, MINIMAL)
    assert report.goal == "全国文明城市"
    assert report.display_title == "官塘社区2026年上半年创建全国文明城市工作总结"
    assert report.signer == "官塘社区" and report.signed_on == date(2026, 6, 30)
    act = report.publicity.activities[0] if report.publicity else None
    assert act is not None and act.quantities["发放宣传单"].value == Decimal(3000)


def test_single_sentence_where_a_list_is_expected(tmp_path: Path) -> None:
    one = MINIMAL.replace("存在问题:\n  - 部分居民参与度有待提高", "存在问题: 部分居民参与度有待提高")
    report = _load(tmp_path, one)
    assert report.problems == ["部分居民参与度有待提高"]


def test_every_field_has_a_chinese_key() -> None:
    for model in (Report, Activity, Section):
        for name, info in model.model_fields.items():
            assert info.title and info.description, f"{model.__name__}.{name}"
            assert key_table(model)[info.title] == name


def test_unknown_key_names_the_nearest(tmp_path: Path) -> None:
    errors = _errors(tmp_path, MINIMAL.replace("    地点: 民主东路", "    地址: 民主东路"))
    assert errors == ["11:5: CC103 宣传发动.第1项.地址: 不认识的键“地址”；是不是要写“地点”？"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("类型: 社区", "类型: 小区").replace("10条", "10").replace("3月5日", "3月35日")
    errors = _errors(tmp_path, text)
    assert len(errors) == 3
    assert errors[0].startswith("3:7: CC105 单位.类型:")
    assert errors[1].startswith("9:9: CC105 宣传发动.第1项.日期:")
    assert errors[2].startswith("13:13: CC105 宣传发动.第1项.数量.悬挂横幅:")


def test_district_file() -> None:
    district = load_district(EXAMPLES / "district.yaml").model
    assert district.name == "江城区"
    assert district.deadline == date(2026, 7, 10)
    assert len(district.roster) == 6
