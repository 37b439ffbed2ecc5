"""DESIGN.md §3: every kind of bad input ends in a clear message, exit 1 and no file written."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chuangcheng.cli import app

from .conftest import EXAMPLES, MINIMAL

BAD = Path(__file__).parent / "bad"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES)
def test_bad_input_message(case: str, runner: CliRunner, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file in tests/bad/ gives exactly the messages in its .expected file."""
    monkeypatch.chdir(BAD)
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", f"{case}.yaml", "-o", str(out)])
    expected = (BAD / f"{case}.expected").read_text(encoding="utf-8")
    assert result.stderr == expected
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not out.exists(), "a failed unit must write no file"


def test_every_bad_case_has_expectations() -> None:
    assert CASES, "tests/bad/ holds the bad inputs"
    for case in CASES:
        text = (BAD / f"{case}.expected").read_text(encoding="utf-8")
        assert text.startswith(f"{case}.yaml:"), case


def _render(runner: CliRunner, path: Path) -> tuple[int, str, list[str]]:
    result = runner.invoke(app, ["render", str(path)])
    written = sorted(p.name for p in path.parent.iterdir() if p.suffix in {".docx", ".md"})
    return result.exit_code, result.stderr, written


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (MINIMAL.encode("gb18030"), "GBK/GB18030"),
        (codecs.BOM_UTF8 + MINIMAL.encode("utf-8"), "UTF-8（带 BOM）"),
        (codecs.BOM_UTF16_LE + MINIMAL.encode("utf-16-le"), "UTF-16"),
        (MINIMAL.encode("utf-16-be"), "UTF-16"),
    ],
)
def test_other_encodings_render_with_a_warning(encoded: bytes, label: str, runner: CliRunner,
                                               tmp_path: Path) -> None:
    path = tmp_path / "官塘社区.yaml"
    path.write_bytes(encoded)
    code, stderr, written = _render(runner, path)
    assert code == 0
    space = "" if label.endswith("）") else " "  # UTF-8（带 BOM）编码, GBK/GB18030 编码
    assert stderr == (f"{path}:1:1: CC107 警告 文件编码: 文件是 {label}{space}编码，已自动识别；"
                      "建议在记事本中“另存为”时选择 UTF-8（不要选“带有 BOM 的 UTF-8”）\n")
    assert written == ["官塘社区.docx", "官塘社区.md"]
    assert "官塘社区" in (tmp_path / "官塘社区.md").read_text(encoding="utf-8")


def test_a_bom_is_a_warning_that_fails_strict(runner: CliRunner, tmp_path: Path) -> None:
    """Notepad's 带有 BOM 的 UTF-8: read as it is, told to be saved as plain UTF-8, not passed by --strict."""
    path = tmp_path / "官塘社区.yaml"
    path.write_bytes(codecs.BOM_UTF8 + (EXAMPLES / "石城街道" / "官塘社区.yaml").read_bytes())
    for photo in (EXAMPLES / "石城街道" / "照片").iterdir():
        (tmp_path / "照片").mkdir(exist_ok=True)
        (tmp_path / "照片" / photo.name).write_bytes(photo.read_bytes())
    plain = runner.invoke(app, ["validate", str(path)])
    strict = runner.invoke(app, ["validate", str(path), "--strict"])
    assert plain.exit_code == 0 and strict.exit_code == 1
    assert "CC107 警告 文件编码: 文件是 UTF-8（带 BOM）编码" in strict.stdout and "--strict：有警告" in strict.stdout


def test_undecodable_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "unit.yaml"
    path.write_bytes(b"\x81\x30\xff\xff" * 10)
    code, stderr, written = _render(runner, path)
    assert (code, written) == (1, [])
    assert stderr == f"{path}:1:1: CC101 文件: 无法识别文件编码，请在记事本或 WPS 中“另存为”UTF-8 编码\n"


@pytest.mark.parametrize(("char", "col", "message"), [
    ("\x0b", 11, "含有控制字符 U+000B，已删除（常见于从 Word 粘贴）"),
    ("\u200b", 9, "含有看不见的零宽字符，已删除（常见于从网页或 Word 粘贴）"),
])
def test_invisible_characters_in_values_are_stripped_with_a_warning(
        char: str, col: int, message: str, runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "unit.yaml"
    path.write_text(MINIMAL.replace("地点: 民主东路", f"地点: 民主{char}东路"), encoding="utf-8")
    code, stderr, _ = _render(runner, path)
    assert code == 0
    assert stderr == f"{path}:11:{col}: CC108 警告 宣传发动.第1项.地点: {message}\n"
    assert "在民主东路开展" in (tmp_path / "官塘社区.md").read_text(encoding="utf-8")


def test_oversized_file_is_rejected(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "unit.yaml"
    path.write_text(MINIMAL + "# " + "很" * 1_000_000 + "\n", encoding="utf-8")
    code, stderr, written = _render(runner, path)
    assert (code, written) == (1, [])
    assert stderr == (f"{path}:1:1: CC110 文件: 文件过大（2930 KB），超出限制：单位文件和区文件不能超过 2 MB；"
                      "照片请另放，不要写进文件，过长的内容请删减\n")


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(tmp_path / "无此文件.yaml")])
    assert result.exit_code == 2  # a path named on the command line: 命令用法有误, as in validate
    assert result.stderr == (f"{tmp_path / '无此文件.yaml'}: 文件或文件夹不存在，请检查路径"
                             "（在文件夹里按住 Shift 再右键点文件，可“复制为路径”）\n")


def test_yaml_scalars_stay_text(runner: CliRunner, tmp_path: Path) -> None:
    """NO, on, 0755 and 12:30 are not turned into booleans or numbers."""
    path = tmp_path / "unit.yaml"
    text = MINIMAL.replace("名称: 官塘社区", "名称: 'NO'").replace("上级: 石城街道党工委", "上级: on")
    text = text.replace("地点: 民主东路", "地点: 0755")
    text = text.replace("名称: 学雷锋主题宣传活动", "名称: 12:30")
    path.write_text(text.replace("名称: 'NO'", "名称: NO"), encoding="utf-8")
    code, stderr, _ = _render(runner, path)
    assert (code, stderr) == (0, "")
    md = (tmp_path / "NO.md").read_text(encoding="utf-8")
    assert "NO在on的正确领导下" in md
    assert "在0755" in md and "12:30" in md


@pytest.mark.parametrize(("template", "message"), [
    ("# 标题\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "模板使用了沙箱不允许的属性 __class__，已阻止"),
    ("# {{ view.title }}\n\n{{ view.nonexistent }}\n", "模板使用了不存在的属性 nonexistent；"),
    ("# 标题\n\n{% if %}\n", "模板语法错误："),
], ids=["sandbox", "undefined", "syntax"])
def test_bad_user_template(template: str, message: str, runner: CliRunner, unit_file: Path,
                           tmp_path: Path) -> None:
    """User templates run sandboxed with StrictUndefined; errors name the template file and line."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text(template, encoding="utf-8")
    result = runner.invoke(app, ["render", str(unit_file), "--template-dir", str(templates)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{templates / 'report.md.j2'}:3:1: 模板: {message}")
    assert not [p for p in unit_file.parent.iterdir() if p.suffix in {".docx", ".md"}]


def test_output_open_in_word(runner: CliRunner, unit_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows a .docx open in Word cannot be replaced: a clear message, nothing half-written."""
    real_replace = os.replace

    def locked(src: str, dst: str) -> None:
        if str(dst).endswith(".docx"):
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    result = runner.invoke(app, ["render", str(unit_file)])
    assert result.exit_code == 1
    docx = unit_file.parent / "官塘社区.docx"
    assert result.stderr == f"{docx}: 无法写入：文件可能正在 Word 或 WPS 中打开，请关闭后重试\n"
    assert sorted(p.name for p in unit_file.parent.iterdir()) == ["unit.yaml"]
