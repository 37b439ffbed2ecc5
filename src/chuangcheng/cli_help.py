"""The command line's help and usage errors, in Chinese, wrapped by display width.

typer's own help cuts long Chinese texts with "…" (its table wraps at spaces only) and speaks
English around them ("Usage", "Options", "Show this message and exit.", "[default: …]"), and
click's usage errors are English. Here the help is plain text, laid out for the terminal's width
(at most :data:`MAX_WIDTH` columns; a Chinese character takes two), broken between any two
Chinese characters but never inside a Latin word, and never with 。，）” at the start of a line
or （“ at its end; no colours, so NO_COLOR has nothing to turn off. Only the click API that typer
0.16 to 0.29 share is used: a parameter's names, metavar, help, default and flags.
"""

import contextlib
import difflib
import os
import re
import shutil
import sys
import typing
import unicodedata
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

MAX_WIDTH = 100
HELP_TEXT = "显示本帮助后退出。"
_NO_LINE_START = set("，。、；：！？）》」』”’】〉…·%,.;:!?)]}")
_NO_LINE_END = set("（《「『“‘【〈([{")
_LATIN_RUN = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)


def width_of(text: str) -> int:
    """Columns ``text`` takes on a terminal: two for a wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` (one paragraph) in lines of at most ``width`` columns."""
    width = max(width, 2)  # a Chinese character takes two columns: no line is narrower
    lines: list[list[str]] = [[]]
    used = 0
    for token in _LATIN_RUN.findall(" ".join(text.split())):
        size = width_of(token)
        if token == " ":
            if lines[-1]:
                lines[-1].append(token)
                used += 1
            continue
        if used + size > width and lines[-1]:
            while lines[-1] and lines[-1][-1] == " ":
                lines[-1].pop()
            carried: list[str] = []
            head = token
            while head[0] in _NO_LINE_START and len(lines[-1]) > 1:
                head = lines[-1].pop()  # 。 may not begin a line: what stands before it comes along
                carried.insert(0, head)
            while len(lines[-1]) > 1 and lines[-1][-1][-1] in _NO_LINE_END:
                carried.insert(0, lines[-1].pop())  # （ may not end one
            while carried and carried[0] == " ":
                carried.pop(0)
            used = sum(map(width_of, carried))
            if used + size > width:  # too long to carry: the rule gives way
                lines[-1] += carried
                carried, used = [], 0
            lines.append(carried)
        while size > width:  # a Latin word longer than the line
            room = width - used
            cut = _fit(token, room) if room > 0 else 0
            if cut == 0:
                lines.append([])
                used = 0
                continue
            lines[-1].append(token[:cut])
            lines.append([])
            token, used = token[cut:], 0
            size = width_of(token)
        lines[-1].append(token)
        used += size
    return ["".join(line).rstrip() for line in lines if line] or [""]


def _fit(token: str, room: int) -> int:
    """How many characters of ``token`` fit in ``room`` columns."""
    used = 0
    for i, char in enumerate(token):
        used += width_of(char)
        if used > room:
            return i
    return len(token)


def paragraphs(text: str) -> list[tuple[bool, str]]:
    """Help text as (verbatim, text) blocks: lines indented by two spaces (examples) stay as
    they are; other lines run on into one paragraph, a blank line ending it."""
    blocks: list[tuple[bool, str]] = []
    current: list[str] = []

    def close() -> None:
        if current:
            blocks.append((False, _join(current)))
            current.clear()

    for line in text.strip("\n").splitlines():
        if not line.strip():
            close()
        elif line.startswith("  "):
            close()
            blocks.append((True, line.rstrip()))
        else:
            current.append(line.strip())
    close()
    return blocks


def _join(lines: Sequence[str]) -> str:
    """Lines of one paragraph run on: no space between Chinese characters, one between words."""
    text = lines[0]
    for line in lines[1:]:
        wide = width_of(text[-1]) == 2 or width_of(line[0]) == 2
        text += line if wide else " " + line
    return text


def terminal_width() -> int:
    return max(40, min(MAX_WIDTH, shutil.get_terminal_size((MAX_WIDTH, 24)).columns - 1))


def _label(param: Any) -> str:
    """``-o, --output 文件夹`` for an option; an argument is named by its metavar."""
    if param.param_type_name == "argument":
        return str(param.metavar or param.name.upper())
    names = sorted([*param.opts, *param.secondary_opts], key=lambda n: (n.startswith("--"), n))
    text = ", ".join(names)
    if names[0].startswith("--"):  # no short name: the long one lines up under the others'
        text = "    " + text
    if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
        text += f" {param.metavar or '值'}"
    return text


def _describe(param: Any, command: Any) -> str:
    text = " ".join((param.help or _declared_help(command, param.name)).split())
    default = param.default
    if isinstance(default, Enum):
        default = default.value
    if param.show_default is True and default not in (None, False, (), []) and not getattr(param, "is_flag", False):
        said = f"（默认：{default}）"
        text = text[:-1] + said + "。" if text.endswith("。") else text + said
    if param.param_type_name == "argument" and param.required:
        text += "（必填）"
    return text


def _declared_help(command: Any, name: str) -> str:
    """A parameter's help as the command's function declares it: typer 0.18 and 0.19 lose an
    argument's (click's Argument sets it to None after typer has set it)."""
    function = getattr(command.callback, "__wrapped__", command.callback)
    try:
        hints = typing.get_type_hints(function, include_extras=True)
    except Exception:  # an annotation that cannot be evaluated: no help rather than no help text at all
        return ""
    for meta in getattr(hints.get(name), "__metadata__", ()):
        if isinstance(getattr(meta, "help", None), str):
            return str(meta.help)
    return ""


def _two_columns(rows: Iterable[tuple[str, str]], width: int) -> list[str]:
    rows = list(rows)
    column = min(max((width_of(label) for label, _ in rows), default=0), 30) + 4
    out: list[str] = []
    for label, text in rows:
        room = width - column
        lines = wrap(text, room) if text else [""]
        if width_of(label) + 2 + 2 > column:  # a long name: its text starts on the next line
            out.append(f"  {label}")
            out.extend(" " * column + line for line in lines)
            continue
        first = f"  {label}"
        out.append(first + " " * (column - width_of(first)) + lines[0])
        out.extend(" " * column + line for line in lines[1:])
    return [line.rstrip() for line in out]


def usage(ctx: Any) -> str:
    """``用法：chuangcheng render [选项] 单位文件.yaml|台账.xlsx|文件夹``"""
    command = ctx.command
    pieces = [ctx.command_path, "[选项]"]
    if isinstance(command, TyperGroup):
        pieces.append("命令 [参数]...")
    else:
        pieces += [_label(p) for p in command.get_params(ctx) if p.param_type_name == "argument"]
    return "用法：" + " ".join(pieces)


def help_text(ctx: Any) -> str:
    """The whole help of a command or of the program, wrapped to the terminal."""
    width = terminal_width()
    command = ctx.command
    out = [*wrap(usage(ctx), width), ""]
    for verbatim, block in paragraphs(command.help or ""):
        out.extend([block] if verbatim else wrap(block, width))
        out.append("")
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [(_label(p), _describe(p, command)) for p in params if p.param_type_name == "argument"]
    options = [(_label(p), _describe(p, command)) for p in params if p.param_type_name == "option"]
    if isinstance(command, TyperGroup):
        commands = [(name, _summary(command.get_command(ctx, name))) for name in command.list_commands(ctx)]
        out += ["命令：", *_two_columns(commands, width), ""]
    if arguments:
        out += ["参数：", *_two_columns(arguments, width), ""]
    if options:
        out += ["选项：", *_two_columns(options, width), ""]
    if isinstance(command, TyperGroup):
        out += wrap(f"各命令的用法：{ctx.command_path} 命令 -h（如 {ctx.command_path} render -h）", width)
    return "\n".join(out).rstrip() + "\n"


def _summary(command: Any) -> str:
    """A command's first paragraph, whole (click would cut it at 45 characters)."""
    if command is None:
        return ""
    blocks = paragraphs(command.short_help or command.help or "")
    return blocks[0][1] if blocks else ""


# --- usage errors ---

def _click_exception() -> type[Exception]:
    """click's ClickException, wherever this typer keeps click (its own copy from 0.2x)."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _hint(param: Any) -> str:
    if param is None:
        return "参数"
    if param.param_type_name == "argument":
        return str(param.metavar or param.name)
    return "/".join(sorted(param.opts, key=len, reverse=True))


def error_text(exc: Any) -> str:
    """A usage error in Chinese, with the usage line and where to find the help."""
    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or exc)
    param = getattr(exc, "param", None)
    ctx = getattr(exc, "ctx", None)
    if kind == "NoSuchOption":
        name = exc.option_name
        close = difflib.get_close_matches(name, list(exc.possibilities or []), 3) or list(exc.possibilities or [])[:3]
        said = f"没有 {name} 这个选项"
        said += f"；是不是 {'、'.join(close)}？" if close else "。"
    elif kind == "MissingParameter":
        said = f"缺少{'参数' if param is not None and param.param_type_name == 'argument' else '选项'} {_hint(param)}。"
    elif kind == "BadOptionUsage" and "requires" in message:
        said = f"选项 {exc.option_name} 后面要写一个值。"
    elif kind == "BadOptionUsage" and "does not take a value" in message:
        said = f"选项 {exc.option_name} 不带值（去掉“=”和后面的内容）。"
    elif kind == "BadParameter":
        said = f"{_hint(param)} 的值不对：{_value_message(message)}"
    elif (found := re.match(r"""No such command (?:'(.+)'|"(.+)")\.""", message)) is not None:
        names = list(ctx.command.list_commands(ctx)) if ctx is not None and isinstance(ctx.command, TyperGroup) else []
        typed = found[1] or found[2]
        close = difflib.get_close_matches(typed, names, 3)
        said = f"没有 {typed} 这个命令"
        said += f"；是不是 {'、'.join(close)}？" if close else f"。可用的命令：{'、'.join(names)}"
    elif (found := re.match(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)", message)) is not None:
        said = f"多出了参数：{found[1]}（文件名里有空格时，请给整个路径加上引号）。"
    else:
        said = f"命令行有误：{message}"
    lines = [usage(ctx)] if ctx is not None else []
    path = ctx.command_path if ctx is not None else "chuangcheng"
    lines += [f"错误：{said}", f"用 {path} -h 查看用法。"]
    return "\n".join(lines) + "\n"


def _value_message(message: str) -> str:
    """click's reason for a bad value, in Chinese where it is one click gives."""
    choice = re.search(r"'(.*?)' is not one of (.*)\.?$", message) or re.search(r"'(.*?)' is not ([^.]*)", message)
    if choice is not None and " one of " in message:
        options = "、".join(re.findall(r"'(.*?)'", choice[2]))
        return f"“{choice[1]}”不在可选范围内（可选：{options}）。"
    if "integer" in message:  # click: "'abc' is not a valid integer."; typer 0.2x: "Input should be a valid integer…"
        found = re.search(r"'(.*?)'", message)
        return f"“{found[1]}”不是整数。" if found else "应为整数。"
    return message


class _ChineseHelp:
    """Help and help option in Chinese, for a command and for the program."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def get_help(self, ctx: Any) -> str:
        return help_text(ctx).rstrip("\n")  # click's echo ends the line

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(help_text(ctx))


class ChineseCommand(_ChineseHelp, TyperCommand):
    """A command whose help and help option speak Chinese."""


class ChineseGroup(_ChineseHelp, TyperGroup):
    """The program: Chinese help, and usage errors said in Chinese before exit code 2."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,  # type: ignore[override]
             standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except _click_exception() as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `chuangcheng` alone: the help
                _write(sys.stdout, help_text(exc.ctx))  # type: ignore[attr-defined]
                sys.exit(0)
            _write(sys.stderr, error_text(exc))
            sys.exit(getattr(exc, "exit_code", 2))
        except typer.Abort:
            _write(sys.stderr, "已中止。\n")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _write(stream: Any, text: str) -> None:
    """Write and flush; a reader gone (`chuangcheng | head -1`) ends the run with exit 1, quietly."""
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        with contextlib.suppress(OSError):  # Python's own flush at exit would complain again
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        sys.exit(1)
