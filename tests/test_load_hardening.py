"""Issue 10 for the read and load stage: whatever a unit or district file holds, loading it ends in
a model or in Chinese messages at their places; no value the loader keeps can break Word's XML;
every limit of :mod:`chuangcheng.limits` is an error (CC110) where it is exceeded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from chuangcheng import InputError, load_district, load_unit
from chuangcheng.cli import app
from chuangcheng.errors import Diagnostic
from chuangcheng.limits import MAX_ACTIVITIES, MAX_PHOTOS, MAX_TEXT_CHARS
from chuangcheng.load.loader import OWN_TYPES
from chuangcheng.read.source import FORBIDDEN, read_source
from chuangcheng.read.yamltree import _reader_error, _syntax_error, as_written, parse_yaml

from .conftest import EXAMPLES, MINIMAL
from .docx_check import problems

ROOT = Path(__file__).resolve().parents[1]
# English that may stand in a message: rule and format names, and what the user wrote between “ ”.
_ALLOWED_LATIN = {"YAML", "Tab", "Word", "WPS", "UTF", "true", "false", "schema", "chuangcheng", "README",
                  "jpg", "photos", "mm", "pt"}


def _write(tmp_path: Path, text: str, name: str = "u.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _diagnostics(path: Path, district: bool = False) -> list[Diagnostic]:
    try:
        loaded = (load_district if district else load_unit)(path)
    except InputError as exc:
        return list(exc.diagnostics)
    return loaded.warnings


def _assert_readable(diag: Diagnostic) -> None:
    """Chinese, at a place, without Python values or library English."""
    assert diag.line >= 1 and diag.col >= 1, diag
    assert diag.field, diag
    message = re.sub(r"“[^”]*”", "", diag.message)  # what the user wrote may be anything
    assert "None" not in message and "Decimal" not in message and "'" not in message, diag
    latin = set(re.findall(r"[A-Za-z]{3,}", message)) - _ALLOWED_LATIN
    assert not latin, (latin, str(diag))


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(node, (list, tuple)):
        return [s for v in node for s in _strings(v)]
    if hasattr(node, "__dict__"):
        return _strings(vars(node))
    return []


# ---------------------------------------------------------------- XML-forbidden characters from escapes

@pytest.mark.parametrize(("written", "kept", "named"), [
    ('"C:\\new\\bin"', "C:\newin", "控制字符 U+0008"),  # YAML reads \b as a backspace
    ('"民主\\x01东路"', "民主东路", "控制字符 U+0001"),
    ('"民主\\uFFFE东路"', "民主东路", "无效字符 U+FFFE"),
    ('"民主\\uFFFF东路"', "民主东路", "无效字符 U+FFFF"),
    ('"民主\\0东路"', "民主东路", "控制字符 U+0000"),
    ('"民主\\e东路\\a"', "民主东路", "控制字符 U+0007、控制字符 U+001B"),
    ('"民主\\N\\L\\P东路"', "民主东路", "控制字符 U+0085、段分隔符 U+2029、行分隔符 U+2028"),
    ('"民主\\x7f\\x9f东路"', "民主东路", "控制字符 U+007F、控制字符 U+009F"),
])
def test_escapes_cannot_smuggle_what_xml_forbids(tmp_path: Path, written: str, kept: str, named: str) -> None:
    """A double-quoted escape makes characters after source.py's raw-text check: the value is
    cleaned all the same, with a CC108 warning at the value naming the field and what to do."""
    path = _write(tmp_path, MINIMAL.replace("地点: 民主东路", f"地点: {written}"))
    loaded = load_unit(path)
    (act,) = loaded.model.publicity.activities  # type: ignore[union-attr]
    assert act.place == kept
    (warning,) = loaded.warnings
    assert (warning.line, warning.col, warning.code, warning.field) == (11, 9, "CC108", "宣传发动.第1项.地点")
    assert warning.message.startswith(f"含有{named}，已删除：双引号里的反斜杠“\\”是转义符")


def test_lone_surrogate_escapes_are_a_message(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL.replace("地点: 民主东路", '地点: "民主\\uD800东路"'))
    (diag,) = _diagnostics(path)
    assert (diag.line, diag.code) == (11, "CC102")
    assert "反斜杠" in diag.message


def test_escaped_keys_are_cleaned_too(tmp_path: Path) -> None:
    """Item names become table cells and sentences: a key is cleaned like a value."""
    path = _write(tmp_path, MINIMAL.replace("悬挂横幅: 10条", '"悬挂\\b横幅\\x0c": 10条'))
    loaded = load_unit(path)
    assert list(loaded.model.publicity.activities[0].quantities) == ["悬挂横幅", "发放宣传单"]  # type: ignore[union-attr]
    (warning,) = loaded.warnings
    assert (warning.line, warning.col, warning.field) == (13, 7, "宣传发动.第1项.数量.悬挂横幅")


def test_district_values_obey_the_same_rules(tmp_path: Path) -> None:
    text = (EXAMPLES / "district.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^区: .*$", '区: "江城\\b区"', text, count=1, flags=re.M)
    loaded = load_district(_write(tmp_path, text, "district.yaml"))
    assert loaded.model.name == "江城区"
    assert [w.code for w in loaded.warnings] == ["CC108"]
    assert not any(FORBIDDEN.search(s) for s in _strings(loaded.model))


def test_a_unit_with_escaped_control_characters_renders_a_sound_docx(tmp_path: Path) -> None:
    text = MINIMAL.replace("地点: 民主东路", '地点: "C:\\new\\bin\\x01\\uFFFE"')
    text = text.replace("悬挂横幅: 10条", '"悬挂\\x02横幅": "10\\x03条"')
    text = text.replace("名称: 官塘社区", '名称: "官塘\\0社区"')
    path = _write(tmp_path, text, "官塘社区.yaml")
    result = CliRunner().invoke(app, ["render", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("CC108") == 4
    assert problems(tmp_path / "官塘社区.docx") == []
    assert not FORBIDDEN.search((tmp_path / "官塘社区.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: p.stem)
def test_every_value_of_every_example_is_clean_after_escapes(tmp_path: Path, example: Path) -> None:
    """Each plain value of an example turned into a double-quoted one with escapes in it: the tree
    the loader keeps holds none of what FORBIDDEN matches, keys included."""
    lines = []
    for line in example.read_text(encoding="utf-8").split("\n"):
        match = re.fullmatch(r"(\s*(?:- )?[^:#\s\"'{][^:{]*): ([^\"'\[{&*!|>#][^#{}\[\],]*)", line)
        lines.append(f'{match[1]}: "\\x01{match[2]}\\uFFFE"' if match else line)
    tree = parse_yaml(read_source(_write(tmp_path, "\n".join(lines))))
    assert not any(FORBIDDEN.search(s) for s in _strings(tree.data))
    assert len(tree.warnings) >= 3


# ---------------------------------------------------------------- line separators and positions

def test_line_numbers_count_newlines_only(tmp_path: Path) -> None:
    """libyaml also breaks lines at U+2028, U+2029 and U+0085; the user's editor does not."""
    text = MINIMAL.replace("地点: 民主东路", "地点: 民主\u2028东路\u2029\u0085")
    text = text.replace("悬挂横幅: 10条", "悬挂横幅: 条")
    (diag,) = _diagnostics(_write(tmp_path, text))
    assert (diag.line, diag.col, diag.field) == (13, 13, "宣传发动.第1项.数量.悬挂横幅")


def test_a_tab_after_a_line_separator(tmp_path: Path) -> None:
    text = MINIMAL.replace("地点: 民主东路", "地点: 民主东路\u2028\t数量: 3条")
    (diag,) = _diagnostics(_write(tmp_path, text))
    assert (diag.line, diag.col, diag.code) == (11, 14, "CC102")
    assert "制表符" in diag.message


def test_columns_count_the_removed_characters(tmp_path: Path) -> None:
    text = MINIMAL.replace("  名称: 官塘社区", "\x0b\x0b  名称: 官塘社区").replace("清运", "")
    text = text.replace("悬挂横幅: 10条", "悬挂横幅:\x0c 条")
    diags = _diagnostics(_write(tmp_path, text))
    assert [(d.line, d.col, d.code) for d in diags] == [(13, 14, "CC105")]


# ---------------------------------------------------------------- linear time: counts, not seconds

def test_a_large_file_full_of_control_characters(tmp_path: Path) -> None:
    """1.9 MB with 150,000 control characters: each value is cleaned and each field warned about
    once, at its first character (the mapping of characters to fields is by bisection)."""
    items = "".join(f"    - 第{i}条\x0b做法\x0c内容\x01继续\n" for i in range(50_000))
    text = MINIMAL + "环境整治:\n  做法:\n" + items
    assert 1_800_000 < len(text.encode()) < 2 * 1024 * 1024
    loaded = load_unit(_write(tmp_path, text))
    measures = loaded.model.sanitation.measures  # type: ignore[union-attr]
    assert len(measures) == 50_000 and measures[7] == "第7条做法内容继续"
    assert len(loaded.warnings) == 50_000
    first, last = loaded.warnings[0], loaded.warnings[-1]
    assert (first.line, first.col, first.field) == (23, 10, "环境整治.做法.第1项")
    assert last.field == "环境整治.做法.第50000项" and last.line == 23 + 49_999
    assert first.message == "含有 3 个控制字符 U+0001、控制字符 U+000B、控制字符 U+000C，已删除（常见于从 Word 粘贴）"


def test_control_characters_outside_values_are_warned_about_per_line(tmp_path: Path) -> None:
    text = "# 台账\x0b\x0b\n" + MINIMAL.replace("  类型: 社区", "  类型: 社区  # 注\x07")
    diags = _diagnostics(_write(tmp_path, text))
    assert [(d.line, d.col, d.field) for d in diags] == [(1, 5, "文件"), (4, 14, "单位.类型")]


# ---------------------------------------------------------------- limits

def _activities(count: int) -> str:
    return "".join(f"  - {{日期: 3月{1 + i % 28}日, 名称: 活动{i}}}\n" for i in range(count))


def test_too_many_activities(tmp_path: Path) -> None:
    """All sections together; the error stands at the first activity over the limit."""
    text = MINIMAL + "环境整治:\n" + _activities(MAX_ACTIVITIES - 1)  # MINIMAL has one
    assert len(load_unit(_write(tmp_path, text)).model.activities()) == MAX_ACTIVITIES
    text += "道德建设:\n  - {日期: 3月5日, 名称: 多出的一项}\n"
    (diag,) = _diagnostics(_write(tmp_path, text))
    assert (diag.line, diag.col, diag.code, diag.field) == (text.count("\n"), 5, "CC110", "道德建设.第1项")
    assert f"最多写 {MAX_ACTIVITIES} 项活动" in diag.message


def test_too_many_photos(tmp_path: Path) -> None:
    photos = "".join(f"      - 照片/{i}.jpg\n" for i in range(MAX_PHOTOS + 1))
    text = MINIMAL.replace("    志愿者: 45人\n", "    志愿者: 45人\n    照片:\n" + photos)
    (diag,) = _diagnostics(_write(tmp_path, text))
    assert (diag.code, diag.field) == ("CC110", f"宣传发动.第1项.照片.第{MAX_PHOTOS + 1}项")
    assert diag.line == 18 + MAX_PHOTOS and f"最多写 {MAX_PHOTOS} 张照片" in diag.message


def test_a_value_over_the_length_limit(tmp_path: Path) -> None:
    text = MINIMAL.replace("地点: 民主东路", "地点: " + "路" * (MAX_TEXT_CHARS + 1))
    (diag,) = _diagnostics(_write(tmp_path, text))
    assert (diag.line, diag.col, diag.code, diag.field) == (11, 9, "CC110", "宣传发动.第1项.地点")
    assert load_unit(_write(tmp_path, MINIMAL.replace("地点: 民主东路", "地点: " + "路" * MAX_TEXT_CHARS)))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_file_that_never_ends_is_read_no_further_than_the_limit() -> None:
    (diag,) = _diagnostics(Path("/dev/zero"))
    assert (diag.line, diag.col, diag.code) == (1, 1, "CC110")


# ---------------------------------------------------------------- messages: Chinese, never a repr

_YAML_PROBLEMS = [
    "单位: &\n", "单位: *\n", "%FOO\n---\n单位: x\n", "单位: !<x\n", "单位: |0\n  x\n", "单位: x\n  名称: y\n",
    "单位: '\n---\n'\n", "单位: [x\n", "单位: {x\n", "单位: @x\n", "- a\n单位: c\n", "单位: x\n...\n名称: y\n",
    "单位: !x!y b\n", '单位: "\\xZZ"\n', '单位: "\\q"\n', '单位: "\\uD800"\n', "单位:\n  名称: c\n 类型: e\n",
    "单位: >\n\tx\n", "单位: \"x\" y\n", "单位: 'x\n", "? |\n  a\n: b\n- c\n", "单位: x\n- y\n", "\t单位: x\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: b\n", "%TAG ! !a\n%TAG ! !a\n---\na: b\n", "单位: !a%zz b\n",
    "单位: [a, b]: c\n", "单位: {a: b]\n", "单位: 名称：官塘社区\n  类型: 社区\n",
]


@pytest.mark.parametrize("text", _YAML_PROBLEMS)
def test_every_yaml_problem_reads_in_chinese(tmp_path: Path, text: str) -> None:
    diags = _diagnostics(_write(tmp_path, text))
    assert diags
    for diag in diags:
        _assert_readable(diag)


def test_an_unknown_yaml_problem_still_reads_in_chinese_at_its_place(tmp_path: Path) -> None:
    source = read_source(_write(tmp_path, "单位: x\n名称: y\n"))
    mark = yaml.Mark("u.yaml", 10, 1, 4, None, None)
    diag = _syntax_error(source, yaml.MarkedYAMLError("while doing something", mark, "found a new problem", mark))
    assert (diag.line, diag.col, diag.message) == (2, 5, "YAML 格式错误：请检查这一行及上一行的缩进、冒号和引号")
    reader = yaml.reader.ReaderError("u.yaml", len("单位: x\n名".encode()), 0x1, "utf-8", "special characters")
    diag = _reader_error(source, reader)
    assert (diag.line, diag.col) == (2, 2) and "无法识别的字符" in diag.message


_SHAPES = ["", "[a, b]", "{a: b}", "[]", "{}", "[[a]]", "nan", "-0"]


def _each_value_replaced(text: str) -> list[str]:
    out = []
    lines = text.split("\n")
    for n, line in enumerate(lines):
        match = re.fullmatch(r"(\s*(?:- )?[^:#\s][^:]*):( .*)?", line)
        if match:
            out += ["\n".join([*lines[:n], f"{match[1]}: {shape}", *lines[n + 1:]]) for shape in _SHAPES]
    return out


@pytest.mark.parametrize("name", ["unit", "district"])
def test_every_field_given_the_wrong_shape_reads_in_chinese(tmp_path: Path, name: str) -> None:
    """Each value of a unit and of a district file replaced by nothing, a list, a mapping, NaN …:
    every pydantic error type met comes out in Chinese, without Python values."""
    base = MINIMAL + "志愿服务: {注册志愿者: 2900人, 队伍: [文明劝导队]}\n落款: {署名: 官塘社区, 日期: 2026-07-05}\n"
    if name == "district":
        base = (EXAMPLES / "district.yaml").read_text(encoding="utf-8")
    seen = 0
    for text in _each_value_replaced(base):
        for diag in _diagnostics(_write(tmp_path, text, "district.yaml" if name == "district" else "u.yaml"),
                                 district=name == "district"):
            _assert_readable(diag)
            assert not diag.message.startswith("写法不对"), diag  # a type the loader has no words for
            seen += 1
    assert seen > 50


def test_own_error_types_are_known_to_the_loader() -> None:
    """Our validators' messages are shown as they are; pydantic's own types are translated."""
    source = (ROOT / "src" / "chuangcheng" / "load" / "models.py").read_text(encoding="utf-8")
    kinds = set(re.findall(r'PydanticCustomError\(\s*"(\w+)"', source))
    kinds |= set(re.findall(r'\(\w+, "(\w+)"\)', source))  # models._KINDS
    assert kinds and kinds <= OWN_TYPES, kinds - OWN_TYPES


@pytest.mark.parametrize(("value", "shown"), [
    (None, ""), ("a", "a"), (["a", None], "[a, ]"), ({"数值": "3", "单位": None}, "{数值: 3, 单位: }"),
    ([["a"]], "[[a]]"), ("x" * 70, "x" * 60 + "…"), (list(range(10_000)), None),
])
def test_as_written(value: object, shown: str | None) -> None:
    text = as_written(value)
    if shown is None:
        assert text.startswith("[0, 1, 2") and len(text) == 61
    else:
        assert text == shown
