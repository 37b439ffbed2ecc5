"""The command line: exact messages and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chuangcheng import __version__
from chuangcheng.cli import app

from .conftest import MINIMAL


def test_render_writes_both_formats_beside_the_input(runner: CliRunner, unit_file: Path) -> None:
    result = runner.invoke(app, ["render", str(unit_file)])
    assert result.exit_code == 0, result.stderr
    folder = unit_file.parent
    assert result.stdout == f"已生成 {folder / '官塘社区.docx'}\n已生成 {folder / '官塘社区.md'}\n"
    assert result.stderr == ""


def test_render_into_a_folder_with_one_format(runner: CliRunner, unit_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "输出" / "子文件夹"
    result = runner.invoke(app, ["render", str(unit_file), "-o", str(out), "-f", "md"])
    assert result.exit_code == 0
    assert result.stdout == f"已生成 {out / '官塘社区.md'}\n"
    assert sorted(p.name for p in out.iterdir()) == ["官塘社区.md"]


def test_render_an_empty_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path}: 文件夹中没有单位文件（.yaml）\n"


def test_unknown_format_is_a_usage_error(runner: CliRunner, unit_file: Path) -> None:
    result = runner.invoke(app, ["render", str(unit_file), "-f", "odt"])
    assert result.exit_code == 2
    assert not list(unit_file.parent.glob("*.md"))


def test_missing_template_dir(runner: CliRunner, unit_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(unit_file), "--template-dir", str(tmp_path / "无")])
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / '无'}: 模板文件夹不存在\n"


def test_user_template_overrides_by_name(runner: CliRunner, unit_file: Path, tmp_path: Path) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "report.md.j2").write_text(
        "# {{ view.title }}\n\n{{ view.report.unit.name }}共{{ view.sections|length }}项工作。\n",
        encoding="utf-8")
    result = runner.invoke(app, ["render", str(unit_file), "--template-dir", str(templates), "-f", "md"])
    assert result.exit_code == 0
    text = (unit_file.parent / "官塘社区.md").read_text(encoding="utf-8")
    assert text == "# 官塘社区2026年上半年创建全国文明城市工作总结\n\n官塘社区共1项工作。\n"


def test_help_is_chinese_with_examples(runner: CliRunner) -> None:
    result = runner.invoke(app, ["render", "--help"])
    assert result.exit_code == 0
    assert "生成创城工作总结" in result.stdout
    assert "chuangcheng render 官塘社区.yaml" in result.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"chuangcheng {__version__}\n")


def test_python_dash_m(unit_file: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "chuangcheng", "render", str(unit_file), "-f", "md"],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert (unit_file.parent / "官塘社区.md").is_file()


def test_bad_file_from_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_text("单位:\n\t名称: 官塘社区\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "chuangcheng", "render", str(path)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 1
    assert done.stderr == f"{path}:2:1: CC102 YAML: 出现了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格\n"


@pytest.mark.parametrize("args", [["render", "{x}"], ["render", "{x}", "-f", "photos"], ["validate", "{x}"],
                                  ["validate", "{y}", "{x}"], ["convert", "{x}", "{y}.xlsx"]])
def test_a_path_that_is_not_there_is_a_usage_error_in_every_command(args: list[str], tmp_path: Path,
                                                                    runner: CliRunner) -> None:
    """One meaning for one mistake: exit 2 (命令用法有误), as the README's table says."""
    (tmp_path / "有.yaml").write_text(MINIMAL, encoding="utf-8")
    given = [a.format(x=tmp_path / "没有.yaml", y=tmp_path / "有.yaml") for a in args]
    result = runner.invoke(app, given)
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / '没有.yaml'}: 文件或文件夹不存在" in result.output
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob("*.docx"))


def test_output_redirected_in_a_chinese_windows_code_page(tmp_path: Path) -> None:
    """Python before 3.15 writes pipes and files in the ANSI code page (cp936 on Chinese Windows):
    JSON stays UTF-8, and a name outside GBK (䶮, an emoji) is escaped in text, never an internal error."""
    import json
    import os

    unit = tmp_path / "单位.yaml"
    unit.write_text(MINIMAL.replace("名称: 官塘社区", "名称: 官塘社区䶮😀"), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp936", "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "chuangcheng", *args], capture_output=True, env=env,
                              timeout=120, check=False)

    as_json = run("validate", str(unit), "--format", "json")
    assert as_json.returncode == 0, as_json.stderr.decode("cp936", "replace")
    assert json.loads(as_json.stdout.decode("utf-8"))["files"][0]["unit"] == "官塘社区䶮😀"
    as_text = run("validate", str(unit))
    assert as_text.returncode == 0 and "通过" in as_text.stdout.decode("cp936")
    rendered = run("render", str(unit), "-o", str(tmp_path / "out"), "-f", "md")
    assert rendered.returncode == 0, rendered.stderr.decode("cp936", "replace")
    assert "已生成" in rendered.stdout.decode("cp936") and "\\u4dae" in rendered.stdout.decode("cp936")
    assert (tmp_path / "out" / "官塘社区䶮😀.md").is_file()


def test_no_color_leaves_diagnostics_plain(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even on a terminal (colour forced here), NO_COLOR (no-color.org) means no escape codes."""
    unit = tmp_path / "单位.yaml"
    unit.write_text(MINIMAL.replace("类型: 社区", "类型: 小区"), encoding="utf-8")
    coloured = runner.invoke(app, ["validate", str(unit)], color=True)
    assert "\x1b[" in coloured.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    plain = runner.invoke(app, ["validate", str(unit)], color=True)
    assert plain.exit_code == 1 and "单位.类型" in plain.stdout
    assert "\x1b[" not in plain.stdout and "\x1b[" not in plain.stderr
