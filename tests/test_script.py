"""Simplified and traditional characters: reading traditional files, writing traditional reports."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from chuangcheng.load.layout import FONT_FIELDS, Layout, traditional_layout
from chuangcheng.read.script import SCRIPTS, SIMPLIFIED_NOTE, to_simplified, to_traditional

from .conftest import EXAMPLES, MINIMAL

EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.yaml"))

TRADITIONAL_UNIT = """\
單位:
  名稱: 官塘社區
  類型: 社區
  上級: 石城街道黨工委
報告期:
  開始: 2026-01-01
  結束: 2026-06-30
活動:
  宣傳教育:
    - 標題: 文明交通勸導
      數量: {橫幅: 10條, 宣傳單: 3000餘份}
      經費: 1.5萬元
      後續: 於是開展「回頭看」——乾淨整潔
"""

SIMPLIFIED_UNIT = """\
单位:
  名称: 官塘社区
  类型: 社区
  上级: 石城街道党工委
报告期:
  开始: 2026-01-01
  结束: 2026-06-30
活动:
  宣传教育:
    - 标题: 文明交通劝导
      数量: {横幅: 10条, 宣传单: 3000余份}
      经费: 1.5万元
      后续: 于是开展「回头看」——干净整洁
"""


def test_traditional_unit_file_reads_as_simplified() -> None:
    result = to_simplified(TRADITIONAL_UNIT)
    assert result == SIMPLIFIED_UNIT
    assert result.count("\n") == TRADITIONAL_UNIT.count("\n")
    assert [len(line) for line in result.split("\n")] == [len(line) for line in TRADITIONAL_UNIT.split("\n")]


def test_one_traditional_character_is_enough() -> None:
    assert to_simplified("单位:\n  名称: 官塘社區\n") == "单位:\n  名称: 官塘社区\n"


def test_already_simplified_converts_to_none() -> None:
    assert to_simplified(SIMPLIFIED_UNIT) is None


@pytest.mark.parametrize("text", [
    MINIMAL,
    "",
    "志愿者:\n  - 姓名: 李喆\n    事迹: 带领居民清理楼道——共 30 次\n",  # 喆: 规范汉字 outside GB2312
    "负责人: 张堃、王昇\n",  # 昇: 规范汉字 (毕昇) that t2s would turn into 升
    "活动: 文明·交通 🚦 劝导\n",  # · and — are not in Python's GB2312 either
])
def test_simplified_text_is_left_alone(text: str) -> None:
    assert to_simplified(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("文明·單位", "文明·单位"),
    ("🚦單位", "🚦单位"),
    ("·—🚦喆單", "·—🚦喆单"),  # 喆 is passed over, 單 is not
])
def test_traditional_character_after_symbols(text: str, expected: str) -> None:
    assert to_simplified(text) == expected


def test_traditional_file_with_a_standard_variant_still_converts() -> None:
    assert to_simplified("負責人: 王昇\n") == "负责人: 王升\n"


def test_rare_traditional_character_is_not_turned_into_tofu() -> None:
    """OpenCC would write 煇 as 𪸩 (CJK extension B), which 仿宋_GB2312 and 仿宋 cannot show."""
    assert to_simplified("負責人: 陳煇\n") == "负责人: 陈煇\n"


def _opencc_imported(code: str) -> bool:
    script = f"import sys\nfrom chuangcheng.read.script import to_simplified\n{code}\nprint('opencc' in sys.modules)\n"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return run.stdout.strip() == "True"


@pytest.mark.parametrize("text", ["'单位:\\n  名称: 官塘社区\\n'", "'文明·交通——劝导 🚦'"])
def test_simplified_text_does_not_load_opencc(text: str) -> None:
    assert not _opencc_imported(f"assert to_simplified({text}) is None")


def test_example_files_do_not_load_opencc() -> None:
    """The examples hold · (not in GB2312): the check passes over it without OpenCC."""
    files = ", ".join(repr(str(path)) for path in EXAMPLE_FILES)
    check = "assert to_simplified(Path(p).read_text('utf-8')) is None"
    code = f"from pathlib import Path\nfor p in [{files}]:\n    {check}\n"
    assert not _opencc_imported(code)


def test_traditional_text_loads_opencc() -> None:
    """The counterpart of the test above: the check there can see an import."""
    assert _opencc_imported("assert to_simplified('單位') == '单位'")


def test_to_traditional() -> None:
    assert to_traditional("社区发放宣传单3000余份，悬挂横幅10条，经费1.5万元。") == (
        "社區發放宣傳單3000餘份，懸掛橫幅10條，經費1.5萬元。")
    assert to_traditional("他的头发很长。\n经济发展很快。\n") == "他的頭髮很長。\n經濟發展很快。\n"
    assert to_traditional("# 一、主要做法\n\n- **干部**带头\n") == "# 一、主要做法\n\n- **幹部**帶頭\n"


def test_round_trip_of_the_unit_file() -> None:
    assert to_simplified(to_traditional(SIMPLIFIED_UNIT)) == SIMPLIFIED_UNIT


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.stem)
def test_example_written_in_traditional_reads_as_written(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    traditional = to_traditional(text)
    assert traditional != text
    assert to_simplified(traditional) == text


def test_font_fields_are_every_font_of_the_layout() -> None:
    assert FONT_FIELDS == ("title_font", "body_font", "heading_fonts", "latin_font", "table_font",
                           "table_header_font", "page_number_font")


def test_traditional_layout_swaps_gb2312_fonts() -> None:
    layout = Layout()
    swapped = traditional_layout(layout)
    assert swapped.title_font == "方正小标宋繁体"
    assert swapped.body_font == "仿宋"
    assert swapped.heading_fonts == ("黑体", "楷体", "仿宋", "仿宋")
    assert swapped.latin_font is None
    assert swapped.table_font == "仿宋"
    assert swapped.table_header_font == "黑体"
    assert swapped.page_number_font == "宋体"
    assert dataclasses.replace(swapped, title_font=layout.title_font, body_font=layout.body_font,
                               heading_fonts=layout.heading_fonts, table_font=layout.table_font) == layout
    assert layout == Layout()
    assert layout.body_font == "仿宋_GB2312"


def test_traditional_layout_reaches_every_font_field() -> None:
    layout = Layout(title_font="仿宋_GB2312", body_font="楷体_GB2312",
                    heading_fonts=("方正小标宋简体", "仿宋_GB2312", "黑体", "宋体"),
                    latin_font="仿宋_GB2312", table_font="楷体_GB2312", table_header_font="方正小标宋简体",
                    page_number_font="仿宋_GB2312", body_size=15)
    swapped = traditional_layout(layout)
    assert swapped == Layout(title_font="仿宋", body_font="楷体",
                             heading_fonts=("方正小标宋繁体", "仿宋", "黑体", "宋体"), latin_font="仿宋",
                             table_font="楷体", table_header_font="方正小标宋繁体", page_number_font="仿宋",
                             body_size=15)
    assert layout.latin_font == "仿宋_GB2312"


def test_script_names_and_note() -> None:
    assert SCRIPTS == ("hans", "hant", "hant-tw", "hant-hk")
    assert "--script hant" in SIMPLIFIED_NOTE
    assert to_simplified(SIMPLIFIED_NOTE) is None


def test_regional_traditional_forms() -> None:
    assert to_traditional("参与群众", "hant") == "參與羣衆"  # OpenCC's standard forms
    assert to_traditional("参与群众", "hant-tw") == "參與群眾"
    assert to_traditional("参与群众", "hant-hk") == "參與羣眾"  # Hong Kong keeps 羣


# ---- wired in: reading a traditional file, writing a traditional report ----

def test_a_unit_written_in_traditional_renders_in_simplified(tmp_path: Path) -> None:
    from chuangcheng.office.render import render_unit

    from .conftest import MINIMAL

    unit = tmp_path / "unit.yaml"
    unit.write_text(to_traditional(MINIMAL), encoding="utf-8")
    assert "單位:" in unit.read_text(encoding="utf-8") and "名稱: 官塘社區" in unit.read_text(encoding="utf-8")
    result = render_unit(unit, formats=["md"])
    text = (tmp_path / "官塘社区.md").read_text(encoding="utf-8")
    assert text.startswith("# 官塘社区2026年上半年创建全国文明城市工作总结")
    assert "悬挂横幅10条，发放宣传单3000余份" in text
    assert [(d.code, d.line) for d in result.warnings] == [("CC109", 1)]


def test_render_script_hant_writes_traditional_with_fonts_that_have_the_glyphs(tmp_path: Path) -> None:
    import zipfile

    from typer.testing import CliRunner

    from chuangcheng.cli import app

    from .conftest import MINIMAL

    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL, encoding="utf-8")
    outcome = CliRunner().invoke(app, ["render", str(unit), "--script", "hant-tw"])
    assert outcome.exit_code == 0, outcome.output
    text = (tmp_path / "官塘社区.md").read_text(encoding="utf-8")
    assert text.startswith("# 官塘社區2026年上半年創建全國文明城市工作總結")
    assert "參與群眾2萬餘人" in text
    styles = zipfile.ZipFile(tmp_path / "官塘社区.docx").read("word/styles.xml").decode()
    assert 'w:eastAsia="仿宋"' in styles and "GB2312" not in styles and "方正小标宋繁体" in styles
    document = zipfile.ZipFile(tmp_path / "官塘社区.docx").read("word/document.xml").decode()
    assert "創建全國文明城市工作總結" in document


def test_folder_script_hant_renders_units_and_rollup_again(tmp_path: Path) -> None:
    import shutil

    from chuangcheng.district.rollup import render_district

    from .conftest import EXAMPLES

    district = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, district)
    render_district(district, formats=["md"], jobs=1)
    hant = render_district(district, formats=["md"], jobs=1, script="hant")
    assert (hant.batch.rendered, hant.rollup_unchanged) == (6, False)  # the script is part of the cache key
    assert (district / "江城区汇总.md").read_text(encoding="utf-8").startswith("# 江城區")
    assert "創建" in (district / "石城街道" / "官塘社区.md").read_text(encoding="utf-8")


def test_a_file_name_starts_only_where_a_run_of_name_characters_starts() -> None:
    """The photo-path pattern tries a long run once, not from each of its characters (which made a
    50,000-character paragraph in traditional script take 13 s): a match never starts inside a run."""
    from chuangcheng.read.script import _FILE

    text = "學習" * 5 + "/照片/0305.jpg"
    assert _FILE.match(text, 3) is None
    assert [m[0] for m in _FILE.finditer(text)] == [text]
    assert _FILE.match("](<" * 3 + "a.jpg>)") is None  # a link target does not run over another "<"


def test_a_long_traditional_paragraph_converts_and_keeps_its_file_names() -> None:
    paragraph = "學習雷鋒精神，開展志願服務活動" * 3400 + "照片見 照片/0305-學雷鋒.jpg。"
    assert len(paragraph) > 50_000
    simplified = to_simplified(paragraph)
    assert simplified is not None
    assert simplified.startswith("学习雷锋精神") and simplified.endswith("照片/0305-學雷鋒.jpg。")


def test_rare_ideographs_are_tried_once_each() -> None:
    """A text full of one rare ideograph (喆 × 600,000 in a 1.9 MB file) costs one try per distinct
    character, not one re-encoding of the rest of the text per occurrence."""
    from chuangcheng.read.script import _rare_ideographs

    assert list(_rare_ideographs("官塘" + "喆" * 1000 + "·堃" + "喆")) == ["喆", "堃"]
    assert list(_rare_ideographs("官塘社区·—😀")) == []
    assert to_simplified("喆" * 600_000 + "學") is not None


@pytest.fixture
def without_opencc(monkeypatch: pytest.MonkeyPatch) -> None:
    """The base install (OpenCC is the ``hant`` extra): as on 32-bit or ARM Windows."""
    from chuangcheng.read import script

    monkeypatch.setattr(script, "has_opencc", lambda: False)
    monkeypatch.setattr(script, "_converter", lambda config: pytest.fail("OpenCC used without OpenCC"))


def test_without_opencc_traditional_output_says_what_to_install(without_opencc: None, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chuangcheng.cli import app

    unit = tmp_path / "官塘社区.yaml"
    unit.write_text(MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(app, ["render", str(unit), "--script", "hant"])
    assert result.exit_code == 2
    assert result.stderr == '繁体输出（--script hant）需要 OpenCC，请先安装繁体支持：pip install "chuangcheng[hant]"\n'
    assert not list(tmp_path.glob("*.docx"))


def test_without_opencc_a_simplified_file_renders_and_a_traditional_one_says_why_it_fails(
        without_opencc: None, tmp_path: Path) -> None:
    from chuangcheng.errors import InputError
    from chuangcheng.load.loader import load_unit
    from chuangcheng.office.render import render_unit

    unit = tmp_path / "官塘社区.yaml"
    unit.write_text(MINIMAL, encoding="utf-8")
    assert render_unit(unit, tmp_path / "out").outputs
    with pytest.raises(InputError) as caught:
        load_unit(EXAMPLES.parent / "范文转录" / "柳岸街道辦事處.yaml")
    first, *rest = caught.value.diagnostics
    assert first.code == "CC109" and 'pip install "chuangcheng[hant]"' in first.message
    assert any("不认识的键“單位”" in d.message for d in rest)


def test_the_readmes_traditional_keys_are_keys() -> None:
    """The README promises that 單位, 名稱, 宣傳發動 … work: each is one of the format's keys once read."""
    import re

    from chuangcheng.load.loader import key_table
    from chuangcheng.load.models import Activity, Report, Unit

    readme = (EXAMPLES.parents[1] / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.startswith("- **输入**：单位文件用繁体字写"))
    keys = [k for k in re.findall(r"`([^`]+)`", line) if not re.search(r"\d", k)]
    known = {*key_table(Report), *key_table(Unit), *key_table(Activity)}
    assert len(keys) >= 3 and all(to_simplified(key) in known for key in keys), keys


def test_a_traditional_title_breaks_where_the_simplified_one_does() -> None:
    """Before 创建 in either script: not 「…2026年上半年創 / 建全國…」 inside the word."""
    from chuangcheng.office.word import title_lines

    simplified = "石城街道办事处2026年上半年创建全国文明城市工作总结"
    assert title_lines(simplified, Layout())[1].startswith("创建")
    assert title_lines(to_traditional(simplified), traditional_layout(Layout()))[1].startswith("創建")


# --- traditional output: by phrases, and as the file wrote it ---

def test_phrases_opencc_splits_wrongly_are_written_whole() -> None:
    """OpenCC reads 关爱困难 as 关 爱困 难 (愛睏: sleepy); phrases.yaml keeps 困難 together."""
    assert to_traditional("关爱困难群体") == "關愛困難羣體"
    assert to_traditional("关爱困难群体", "hant-tw") == "關愛困難群體"
    assert to_traditional("为困难群众办实事，关爱困难老人") == "爲困難羣衆辦實事，關愛困難老人"
    assert to_traditional("他很困。") == "他很困。"  # the character alone: OpenCC's


UNIT_IN_TAIWAN_FORMS = """\
單位:
  名稱: 柳灣社區
  類型: 社區
  上級: 柳岸街道黨工委
報告期:
  開始: 2026-01-01
  結束: 2026-06-30
志願服務:
  - 日期: 2026-03-05
    名稱: 關愛困難羣體志願服務
    地點: 安仁里
    說明: 志願者冒著酷暑為社區群眾送去慰問品。
"""


def test_a_file_typed_in_traditional_comes_back_as_typed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chuangcheng.cli import app

    unit = tmp_path / "unit.yaml"
    unit.write_text(UNIT_IN_TAIWAN_FORMS, encoding="utf-8")
    outcome = CliRunner().invoke(app, ["render", str(unit), "--script", "hant", "-f", "md"])
    assert outcome.exit_code == 0, outcome.output
    text = (tmp_path / "柳湾社区.md").read_text(encoding="utf-8")
    assert "關愛困難羣體" in text  # not 關愛睏難
    assert "安仁里" in text  # a place's name: not 安仁裏
    assert "志願者冒著酷暑為社區群眾送去慰問品" in text  # 為 and 群眾 as typed, not 爲 and 羣衆
    assert "睏" not in text and "裏" not in text


def test_typed_pairs() -> None:
    from chuangcheng.read.script import Typed

    original = "安仁里為社區\n為民服務"
    simplified = to_simplified(original)
    assert simplified == "安仁里为社区\n为民服务"
    pairs = Typed(original, simplified).pairs
    assert pairs["仁里"] == "仁里" and pairs["为社"] == "為社" and pairs["为民"] == "為民"
    assert "社区" not in pairs  # OpenCC gives it back as typed: nothing to keep
    assert to_traditional("在安仁里为民服务", "hant", pairs) == "在安仁里為民服務"
    assert to_traditional("在安仁里为民服务", "hant") == "在安仁裏爲民服務"  # without them


def test_a_simplified_file_with_one_traditional_name_keeps_no_simplified_text() -> None:
    """劉 makes the file read through OpenCC; the rest was typed in simplified characters."""
    from chuangcheng.read.script import Typed

    original = "联系人：劉明\n本社区组织志愿者开展文明创建活动，加强组织领导"
    pairs = Typed(original, to_simplified(original) or "").pairs
    assert set(pairs) <= {"刘明"}
    assert to_traditional("社区组织志愿者加强组织领导", "hant", pairs) == "社區組織志願者加強組織領導"


def test_a_pair_typed_two_ways_is_left_to_opencc() -> None:
    from chuangcheng.read.script import Typed

    original = "頭發\n頭髮"  # a typo and the word: the file does not say which it means
    pairs = Typed(original, to_simplified(original) or "").pairs
    assert "头发" not in pairs
    assert to_traditional("头发", "hant", pairs) == "頭髮"


def test_file_names_are_not_touched_by_pairs() -> None:
    assert to_traditional("![帮扶](<照片/关爱困难群体.jpg>) 关爱困难群体") == (
        "![幫扶](<照片/关爱困难群体.jpg>) 關愛困難羣體")
    assert to_traditional("照片: 照片/0224-帮扶困难户.jpg") == "照片: 照片/0224-帮扶困难户.jpg"


def test_a_photo_named_with_a_phrase_renders_in_traditional(tmp_path: Path) -> None:
    """Its name holds 困难, which phrases.yaml turns: the link must still find the file."""
    from typer.testing import CliRunner

    from chuangcheng.cli import app

    from .test_photos import _photo, _unit

    _photo(tmp_path / "照片" / "0224-帮扶困难户.jpg", (64, 48))
    unit = _unit(tmp_path, "照片/0224-帮扶困难户.jpg")
    outcome = CliRunner().invoke(app, ["render", str(unit), "--script", "hant", "-f", "md", "-f", "docx"])
    assert outcome.exit_code == 0, outcome.output
