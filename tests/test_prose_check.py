"""The prose checker (tests/prose_check.py) finds today's defects and passes the seeds' good prose."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from chuangcheng import load_unit, render_markdown

from .conftest import SEED_FILES, UNIT_FILES
from .prose_check import NAMES, blocks, body_chars, findings, main, unit_type_of

FIXTURES = Path(__file__).parent / "fixtures" / "prose"
BAD: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "bad.yaml").read_text(encoding="utf-8"))
GOOD = [line.strip() for line in (FIXTURES / "good.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")]


def codes(text: str, unit_type: str | None = None) -> set[str]:
    return {f.code for f in findings(text, unit_type)}


def test_fixtures_cover_every_class() -> None:
    per_code = Counter(case["code"] for case in BAD)
    assert {code: n for code, n in per_code.items() if n < 3} == {}
    assert set(per_code) == set(NAMES)
    assert len(GOOD) >= 30


@pytest.mark.parametrize("case", BAD, ids=lambda c: f"{c['code']}-{c['from']}")
def test_bad_sentence_gives_its_code(case: dict[str, Any]) -> None:
    assert case["code"] in codes(case["text"], case.get("type"))


@pytest.mark.parametrize("unit_type", [None, "社区"])
@pytest.mark.parametrize("sentence", GOOD)
def test_good_sentence_gives_no_finding(sentence: str, unit_type: str | None) -> None:
    assert findings(sentence, unit_type) == []


WRITTEN = [*UNIT_FILES, *SEED_FILES, *sorted((FIXTURES / "units").glob("*.yaml"))]


@pytest.mark.parametrize("style", ["summary", "all"])
@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: p.stem)
def test_every_example_reads_clean(path: Path, style: str) -> None:
    """Every example, transcribed seed and fixture unit, in both activity styles, has no finding
    (the same files gave 172 findings, 7.9 per 1,000 characters, before the writer of issue 11)."""
    from chuangcheng.write.report import build_view

    report = load_unit(path).model
    text = render_markdown(report, view=build_view(report, style))  # type: ignore[arg-type]
    assert [f"{f.line}: {f.code} {f.snippet}" for f in findings(text)] == []


def test_the_checker_finds_the_old_writers_defects() -> None:
    """The old writer's output (kept as fixtures) is what the checker was proven on."""
    found = {case["code"] for case in BAD if case["code"] in codes(case["text"], case.get("type"))}
    assert {"P101", "P102", "P201", "P202", "P203", "P401", "P501", "P502", "P601", "P602", "P604"} <= found


# -------------------------------------------------------------- what is read, and how


REPORT = """\
# 江城区人民医院2026年上半年创建全国文明城市工作总结

2026年上半年，我院扎实推进各项创建工作。

## 一、基本情况

江城区人民医院职工人数1260人，床位800张。

## 三、深化环境整治，改善院区面貌

| 序号 | 项目 | 数量 |
|:---:|:---|---:|
| 1 | 在新苑广场新增新苑广场居民健身点 | 1 |

![在新苑广场新增新苑广场居民健身点](照片/1.jpg)

1. 院区环境整洁有序，发放宣传单8000余份、发放环保袋3000个。

<p class="signoff" align="right">江城区人民医院<br>改善辖区面貌</p>

---

**附件**

社区在新苑广场新增新苑广场居民健身点。
"""


def test_tables_images_html_and_attachments_are_not_read() -> None:
    kinds = [(b.line, b.kind) for b in blocks(REPORT)]
    assert kinds == [(1, "heading"), (3, "para"), (5, "heading"), (7, "para"), (9, "heading"), (17, "item")]
    assert [(f.line, f.code) for f in findings(REPORT)] == [(7, "P604"), (17, "P203")]


def test_unit_type_comes_from_the_title_unless_given() -> None:
    assert unit_type_of(blocks(REPORT)) == "医院"
    assert unit_type_of(blocks("# 新民村2026年上半年创建全国文明城市工作总结")) == "村"
    assert unit_type_of(blocks("# 江城区机关幼儿园2026年上半年工作总结")) == "幼儿园"
    assert unit_type_of(blocks("没有标题的一段话。")) is None
    text = "# 江城区人民医院2026年工作总结\n\n与辖区物业企业签订责任书。\n"
    assert codes(text) == {"P601"}
    assert codes(text, "社区") == set()


def test_body_chars_count_paragraphs_and_items_only() -> None:
    assert body_chars("# 标题很长很长\n\n一二三 四五。\n\n1. 六七\n\n| 表 | 格 |\n") == 8


# -------------------------------------------------------------- precision on near misses


@pytest.mark.parametrize("text", [
    "修剪树木、草坪20多万平方米。",                       # round tens take 多 before 万
    "共开展活动12次，参与群众2万余人次，出动志愿者60人。",  # 人 and 人次 of different people
    "组织教师志愿者赴桃源村开展关爱留守儿童活动。",        # 开展 with a nominal head
    "二是开展在职党员进社区活动。",
    "县粮食局领导班子就活动的开展召开了专门会议进行研究。",
    "社区在翠竹花园小区开展“暖冬行动”关爱空巢老人活动。",  # place said once
    "5月17日，街道团工委在残疾人之家开展“全国助残日”关爱残疾人活动。",
    "我村在村道两侧开展清洁行动。",                        # 村道 is a road
    "发放宣传单8000余份、环保袋3000个。",                  # the verb once
    "开展“学雷锋·‘文明交通’从我做起”宣传活动。",           # inner quotes as ‘’
    "组建了文明劝导队、义务巡逻队共2支志愿服务队伍。",
    "召开创城工作推进会，参会人员62人。",
    "局机关把创城工作纳入年度目标考核，机关干部每周下沉包保单位。",
])
def test_near_misses_are_not_findings(text: str) -> None:
    assert codes(text, "机关" if "局机关" in text else None) == set()


def test_recap_of_sums_only_is_not_a_repeat() -> None:
    section = ("### （二）宣传\n\n3月20日，社区更新宣传栏6块。\n\n6月18日，社区再次更新宣传栏6块。\n\n"
               "通过以上活动，共更新宣传栏12块。\n")
    assert codes(section) == set()
    assert codes(section.replace("共更新宣传栏12块", "共更新宣传栏6块")) == {"P501"}


def test_recap_only_looks_in_its_own_subsection() -> None:
    text = "### （一）甲\n\n3月5日，社区发放宣传单800份。\n\n### （二）乙\n\n通过以上活动，共发放宣传单800份。\n"
    assert codes(text) == set()


def test_two_same_shape_paragraphs_are_not_a_run_but_three_are() -> None:
    para = "{}日，社区在文化中心举办讲座，参与群众50人次。\n\n"
    two = "".join(para.format(f"3月{d}") for d in (1, 2))
    assert codes(two) == set()
    assert codes(two + para.format("3月3")) == {"P502"}
    assert codes(two + "### （二）乙\n\n" + para.format("3月3")) == set()
    assert codes(two + "3月3日，社区举办讲座，参与群众50人次。\n") == {"P502"}
    assert codes(two + "3月3日，街道团工委在文化中心举办讲座。\n") == set()
    assert codes(two + "春节前夕，社区在文化中心举办讲座。\n") == set()


def test_key_value_dump_only_in_basic_facts() -> None:
    assert codes("## 一、基本情况\n\n新民村位置横沙岛东部，户数640户。\n") == {"P604"}
    assert len(findings("## 一、基本情况\n\n新民村位置横沙岛东部，户数640户。\n")) == 2
    assert codes("## 一、基本情况\n\n新民村位于横沙岛东部，共640户。\n") == set()
    assert codes("## 二、做法\n\n参保缴费人数260人，宣传栏位置醒目。\n") == set()


# -------------------------------------------------------------- the command line


def test_main_prints_findings_and_density(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "坏.md"
    bad.write_text("# 机关2026年总结\n\n单位在新苑广场新增新苑广场居民健身点。\n", encoding="utf-8")
    good = tmp_path / "好.md"
    good.write_text("投入资金6.8万元，新增健身器材24件。\n", encoding="utf-8")
    assert main([str(good)]) == 0
    assert main([str(bad), str(good), "--type", "机关"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{bad}:3: P101 地点重复: 单位在新苑广场新增新苑广场居民健身点" in out
    assert f"{bad}:3: P603 机关称单位: 单位在新苑广场新增新苑广场居民健身点" in out
    assert f"{bad}: 2 处，正文 19 字，每千字 105.3 处" in out
    assert f"{good}: 0 处，正文 20 字，每千字 0.0 处" in out


def test_main_walks_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "街道").mkdir()
    (tmp_path / "街道" / "甲.md").write_text("参与群众2多万人次。\n", encoding="utf-8")
    (tmp_path / "乙.md").write_text("参与群众2万余人次。\n", encoding="utf-8")
    (tmp_path / "丙.txt").write_text("参与群众2多万人次。\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "合计 2 个文件: 1 处，正文 20 字，每千字 50.0 处"
    assert not any("丙" in line for line in out)


def test_main_reads_gb18030_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "seed.txt"
    path.write_bytes("参与群众2多万人次。\n".encode("gb18030"))
    assert main([str(path)]) == 1
    assert "P301 多在万前" in capsys.readouterr().out
