"""The command line's help and usage errors: Chinese throughout, wrapped, never cut."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from chuangcheng.cli import app
from chuangcheng.cli_help import paragraphs, width_of, wrap

COMMANDS = ["render", "validate", "rules", "init", "convert", "reference", "schema"]
ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this message", "[default", "[required]", "<bool>",
           "<path>", "<int>", "list[", "Error", "Try ", "completion", "TEXT", "PATH", "INTEGER")


def _help(args: list[str], columns: int = 100) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "chuangcheng", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_at_100_columns_is_whole_chinese_and_fits(command: list[str]) -> None:
    text = _help([*command, "-h"])
    assert all(width_of(line) <= 100 for line in text.splitlines()), max(text.splitlines(), key=width_of)
    assert "…" not in text
    assert [word for word in ENGLISH if word in text] == []
    assert text.startswith("用法：") and "chuangcheng" in text.splitlines()[0]
    assert not text.endswith("\n\n")
    assert "\x1b[" not in text  # no colours at all
    ctx = get_command(app).make_context("chuangcheng", [*command, "x"] if command else ["render", "x"],
                                        resilient_parsing=True)
    target = get_command(app)
    if command:
        target = target.get_command(ctx, command[0])  # type: ignore[attr-defined]
    sub = target.make_context(" ".join(["chuangcheng", *command]), [], resilient_parsing=True)
    for param in target.get_params(sub):  # every option's help is there, every character of it
        if param.help and not param.hidden:
            assert _squeeze(param.help).rstrip("。") in _squeeze(text), param.help


def test_the_program_lists_its_commands_whole() -> None:
    text = _help(["-h"])
    for name in COMMANDS:
        assert re.search(rf"^  {name} ", text, re.M), name
    assert "生成带本单位信笺的总结" in _squeeze(text)  # the reference command's long summary, not cut


def test_help_fits_a_narrow_terminal() -> None:
    text = _help(["render", "-h"], columns=60)
    assert all(width_of(line) <= 60 for line in text.splitlines() if not line.startswith("  chuangcheng"))


def test_no_args_shows_the_help() -> None:
    assert re.match(r"用法：.*chuangcheng \[选项\] 命令", _help([]))


def test_wrapping_keeps_words_whole_and_punctuation_off_line_starts() -> None:
    text = ("给一个单位文件（.yaml，或 Excel 台账 .xlsx）：生成这个单位的总结，"
            "以单位名称命名（如 官塘社区.docx），默认放在单位文件旁边。")
    for width in range(16, 80):
        lines = wrap(text, width)
        assert all(width_of(line) <= width for line in lines), (width, lines)
        assert _squeeze("".join(lines)) == _squeeze(text)
        for line in lines[1:]:
            assert line[0] not in "，。、；：）", (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in "（“", (width, lines)
        words = re.findall(r"[A-Za-z]+", text)
        assert all(any(w in line for line in lines) for w in words if len(w) < width), (width, lines)


def test_example_lines_stay_as_written() -> None:
    blocks = paragraphs("第一行\n接着写。\n\n示例：\n\n  chuangcheng render 官塘社区.yaml\n")
    assert blocks == [(False, "第一行接着写。"), (False, "示例："), (True, "  chuangcheng render 官塘社区.yaml")]


@pytest.mark.parametrize(("args", "said"), [
    (["render", "--forc", "x"], "错误：没有 --forc 这个选项；是不是 --force"),
    (["render"], "错误：缺少参数 单位文件.yaml|台账.xlsx|文件夹。"),
    (["rendr", "x"], "错误：没有 rendr 这个命令；是不是 render？"),
    (["render", "a", "b"], "错误：多出了参数：b（文件名里有空格时，请给整个路径加上引号）。"),
    (["render", "x", "-o"], "错误：选项 -o 后面要写一个值。"),
    (["render", "x", "--script", "hanz"], "“hanz”不在可选范围内（可选：hans、hant、hant-tw、hant-hk）。"),
    (["render", "x", "-j", "abc"], "--jobs/-j 的值不对："),
    (["validate", "x", "--format", "xml"], "“xml”不在可选范围内（可选：text、json）。"),
    (["init", "--type", "城市"], "（可选：社区、街道、村、医院、学校、幼儿园、企业、机关、其他）"),
])
def test_usage_errors_are_chinese_and_exit_2(args: list[str], said: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert said in result.output
    assert "用法：" in result.output or "-o" in args
    assert [word for word in ("Usage", "Error", "Try ", "No such", "Missing", "Invalid") if word in result.output] == []
    assert all(unicodedata.east_asian_width(c) != "W" or "\u4e00" <= c <= "\u9fff" or c in "，。：；（）“”、？"
               for c in said)


def test_every_width_from_40_to_129_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from chuangcheng.cli_help import help_text

    group = get_command(app)
    for columns in range(40, 130):
        monkeypatch.setenv("COLUMNS", str(columns))
        limit = max(40, min(columns - 1, 100))  # never narrower than 40: a help squeezed thinner reads worse
        for name in [None, *COMMANDS]:
            ctx = group.make_context("chuangcheng", [name, "x"] if name else ["render", "x"], resilient_parsing=True)
            command = group.get_command(ctx, name) if name else group  # type: ignore[attr-defined]
            sub = command.make_context(f"chuangcheng {name or ''}".strip(), [], resilient_parsing=True)
            for line in help_text(sub).splitlines():
                if not line.startswith("  chuangcheng "):  # an example stays as written
                    assert width_of(line) <= limit, (columns, name, line)


def test_argument_help_is_there_in_every_typer() -> None:
    """typer 0.18 and 0.19 drop an argument's help on the way to click: it is read from the declaration."""
    assert "单位文件（.yaml）或Excel台账（.xlsx），或一个区的文件夹" in _squeeze(_help(["render", "-h"]))
    assert "unit（单位文件，默认）或district（区文件）" in _squeeze(_help(["schema", "-h"]))


@pytest.mark.parametrize(("args", "said"), [
    (["render", "x", "--force=1"], "错误：选项 --force 不带值（去掉“=”和后面的内容）。"),
    (["it's"], "错误：没有 it's 这个命令。可用的命令：render、"),
])
def test_more_usage_errors_are_chinese(args: list[str], said: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and said in result.output, result.output


def test_a_reader_gone_ends_the_help_quietly() -> None:
    done = subprocess.run(f'"{sys.executable}" -m chuangcheng | (exec 0<&-; true)', shell=True,
                          capture_output=True, text=True, check=False, executable="/bin/bash")
    assert "内部错误" not in done.stderr and "Traceback" not in done.stderr
