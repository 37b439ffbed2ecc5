"""YAML to plain data with the place of every key and value, safely.

Built from the parser's event stream (no composer, no constructor, no recursion), so:
every scalar stays a string (``NO``, ``0755``, ``12:30`` are text; pydantic types them);
anchors and aliases, duplicate keys and deep nesting are errors; nothing can blow up memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Diagnostic, InputError, Severity
from .source import Source

Path = tuple[str | int, ...]
MAX_DEPTH = 24
_NULLS = {"", "~", "null", "Null", "NULL"}
_ODD_SPACE = {
    "\u3000": "全角空格（U+3000）",
    "\u00a0": "不换行空格（U+00A0）",
    "\u200b": "零宽空格（U+200B）",
    "\u200c": "零宽字符（U+200C）",
    "\u200d": "零宽字符（U+200D）",
    "\u2060": "零宽字符（U+2060）",
    "\ufeff": "零宽字符（U+FEFF）",
}
_ODD_SPACE_RE = re.compile("[" + "".join(_ODD_SPACE) + "]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column."""

    line: int
    col: int


@dataclass
class Tree:
    """Parsed data and where each part of it stands in the file."""

    data: object
    values: dict[Path, Pos] = field(default_factory=dict)
    keys: dict[Path, Pos] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)

    def pos(self, path: Path, *, key: bool = False) -> Pos:
        """Where ``path`` (or its nearest ancestor that has a place) stands."""
        first, second = (self.keys, self.values) if key else (self.values, self.keys)
        for cut in range(len(path), -1, -1):
            sub = path[:cut]
            found = first.get(sub) or second.get(sub)
            if found:
                return found
        return Pos(1, 1)

    def value_at(self, path: Path) -> object:
        """The raw value at ``path``, or ``None`` when there is none."""
        node = self.data
        for part in path:
            if isinstance(node, dict) and isinstance(part, str):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return None
        return node


def display_path(path: Path) -> str:
    """``宣传发动.第2项.数量.悬挂横幅``: a path as the user wrote it, items counted from 1."""
    return ".".join(f"第{p + 1}项" if isinstance(p, int) else p for p in path)


@dataclass
class _Frame:
    container: dict[str, object] | list[object]
    path: Path
    key: str | None = None
    key_pos: Pos | None = None


class _Builder:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.tree = Tree(None)
        self.errors: list[Diagnostic] = []
        self.stack: list[_Frame] = []
        self.documents = 0
        self.anchors = 0

    def error(self, pos: Pos, field_: str, message: str, code: str = "CC102") -> None:
        self.errors.append(Diagnostic(self.source.path, pos.line, pos.col, field_, message, code=code))

    def run(self) -> Tree:
        handlers: dict[type, Callable[[Any, Pos], None]] = {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: self.open_mapping,
            yaml.SequenceStartEvent: self.open_sequence,
            yaml.MappingEndEvent: self.close,
            yaml.SequenceEndEvent: self.close,
            yaml.AliasEvent: self.alias,
            yaml.DocumentStartEvent: self.document,
        }
        for ev in yaml.parse(self.source.text, Loader=_Loader):
            handler = handlers.get(type(ev))
            if handler is None or (self.documents > 1 and handler != self.document):
                continue
            mark = ev.start_mark
            pos = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)
            if getattr(ev, "anchor", None):
                self.anchor(pos)
            handler(ev, pos)
        return self.tree

    def document(self, ev: yaml.Event, pos: Pos) -> None:
        self.documents += 1
        if self.documents > 1:
            self.error(pos, "文件", "一个文件只能写一个单位：请删除“---”分隔线后的第二部分，另存为单独的文件")

    def anchor(self, pos: Pos) -> None:
        if not self.anchors:  # one message is enough; each use would repeat it
            where = display_path(self.stack[-1].path) if self.stack else "文件"
            self.error(pos, where, "不支持 YAML 锚点和别名（& 和 *）：请把内容直接写出来")
        self.anchors += 1

    def alias(self, ev: yaml.Event, pos: Pos) -> None:
        self.add(None, pos)  # its name is its anchor: already reported

    def close(self, ev: yaml.Event, pos: Pos) -> None:
        self.stack.pop()

    def open_mapping(self, ev: yaml.Event, pos: Pos) -> None:
        self.open({}, pos)

    def open_sequence(self, ev: yaml.Event, pos: Pos) -> None:
        self.open([], pos)

    def scalar(self, ev: yaml.ScalarEvent, pos: Pos) -> None:
        value: str | None = ev.value
        if ev.implicit[0] and ev.value in _NULLS:
            value = None
        top = self.stack[-1] if self.stack else None
        if top is not None and top.key is None and isinstance(top.container, dict):
            self.key(top, value, pos)
            return
        if value and _ZERO_WIDTH.search(value):
            value = _ZERO_WIDTH.sub("", value)
            path = self.child_path()
            self.tree.warnings.append(Diagnostic(
                self.source.path, pos.line, pos.col, display_path(path),
                "含有看不见的零宽字符，已删除（常见于从网页或 Word 粘贴）", Severity.WARNING, "CC108"))
        self.add(value, pos)

    def key(self, frame: _Frame, value: str | None, pos: Pos) -> None:
        if value is None:
            self.error(pos, display_path(frame.path) or "文件", "键不能为空：冒号前要写键名", "CC103")
            value = ""
        odd = _ODD_SPACE_RE.search(value)
        if odd:
            visible = "".join(c for c in value if c not in _ODD_SPACE).strip()
            self.error(pos, display_path((*frame.path, visible)),
                       f"键中含有{_ODD_SPACE[odd[0]]}，常见于从 Word 或网页粘贴的缩进；请删除它，缩进只用半角空格",
                       "CC103")
        assert isinstance(frame.container, dict)
        if value in frame.container:
            first = self.tree.keys[(*frame.path, value)]
            self.error(pos, display_path((*frame.path, value)),
                       f"键“{value}”重复：第 {first.line} 行已经写过，第 {pos.line} 行又写了一次；请删除或合并其中一处",
                       "CC103")
        frame.key, frame.key_pos = value, pos

    def child_path(self) -> Path:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        return (*top.path, top.key or "")

    def add(self, value: object, pos: Pos) -> Path:
        path = self.child_path()
        if not self.stack:
            self.tree.data = value
        else:
            top = self.stack[-1]
            if isinstance(top.container, list):
                top.container.append(value)
            else:
                assert top.key is not None and top.key_pos is not None
                if top.key not in top.container:
                    top.container[top.key] = value
                    self.tree.keys[path] = top.key_pos
                top.key = None
        self.tree.values.setdefault(path, pos)
        return path

    def open(self, container: dict[str, object] | list[object], pos: Pos) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            self.error(pos, display_path(top.path) or "文件", "键必须是一段文字，不能是列表或映射")
            top.key, top.key_pos = "", pos
        path = self.add(container, pos)
        if len(self.stack) >= MAX_DEPTH:
            self.error(pos, display_path(path[:2]) + "…",
                       f"嵌套超过 {MAX_DEPTH} 层，单位文件不需要这么深的结构；请检查缩进")
            raise _TooDeep
        self.stack.append(_Frame(container, path))


class _TooDeep(Exception):
    pass


def parse_yaml(source: Source) -> Tree:
    """Parse a unit or district file; raise :class:`InputError` with every problem found."""
    builder = _Builder(source)
    try:
        tree = builder.run()
    except _TooDeep:
        raise InputError(builder.errors) from None
    except yaml.MarkedYAMLError as exc:
        raise InputError([*builder.errors, _syntax_error(source, exc)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always gives a mark
        raise InputError([Diagnostic(source.path, 1, 1, "YAML", f"无法解析：{exc}", code="CC102")]) from None
    if builder.errors:
        raise InputError(builder.errors)
    tree.warnings.extend(_stripped_warnings(source, tree))
    return tree


def _stripped_warnings(source: Source, tree: Tree) -> list[Diagnostic]:
    out = []
    for item in source.stripped:
        on_line = [p for p, pos in tree.values.items() if pos.line == item.line]
        where = display_path(max(on_line, key=len)) if on_line else "文件"
        out.append(Diagnostic(source.path, item.line, item.col, where,
                              f"含有控制字符 {item.name}，已删除（常见于从 Word 粘贴）", Severity.WARNING,
                              "CC108"))
    return out


_SYNTAX_HINTS = (
    ("found character '\\t'", "出现了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("mapping values are not allowed", "这里不能出现“: ”：可能是缩进不对齐，或值里含有“: ”（请给整个值加上引号）"),
    ("could not find expected ':'", "缺少冒号：键和值之间要写英文冒号加空格“: ”"),
    ("did not find expected key", "缩进不一致：同一层的键要左对齐"),
    ("did not find expected '-' indicator", "列表项的缩进不一致：同一列表的“- ”要左对齐"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("did not find expected node content", "这里缺少内容，或括号、引号没有配对"),
    ("found unexpected ':'", "这里多了一个冒号；值里含有冒号时请给整个值加上引号"),
    ("expected ',' or ']'", "方括号列表没有写完整：各项用英文逗号分隔，以“]”结束"),
    ("expected ',' or '}'", "花括号映射没有写完整：各项用英文逗号分隔，以“}”结束"),
    ("found unknown escape character", "双引号里的反斜杠“\\”需要写两次，或改用单引号"),
    ("block sequence entries are not allowed", "这里不能开始列表：请检查上一行的缩进和冒号"),
)


def _syntax_error(source: Source, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "end of stream" in (exc.problem or ""):
        mark = exc.context_mark  # an unclosed quote or bracket: point at where it opens
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = f"{exc.problem or ''} {exc.context or ''}"
    message = next((hint for key, hint in _SYNTAX_HINTS if key in problem), None)
    lines = source.text.split("\n")
    if "\t" in "".join(lines[max(0, line - 2):line]):
        tab_line = next(n for n in range(line, 0, -1) if "\t" in lines[n - 1])
        return Diagnostic(source.path, tab_line, lines[tab_line - 1].index("\t") + 1, "YAML",
                          "出现了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格", code="CC102")
    colon = _fullwidth_colon_near(lines, line)
    if colon:
        return Diagnostic(source.path, colon[0], colon[1], "YAML",
                          "这一行用了中文冒号“：”，键和值之间要用英文冒号加空格“: ”", code="CC102")
    return Diagnostic(source.path, line, col, "YAML",
                      message or f"YAML 格式错误（{(exc.problem or '').strip()}），请检查这一行及上一行",
                      code="CC102")


_KEY_WITH_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?([^\s:：#'\"\[\]{}-][^\s:：#'\"]{0,19})\s*：")


def _fullwidth_colon_near(lines: list[str], line: int) -> tuple[int, int] | None:
    """A line at or just above ``line`` that uses ： where a key's : belongs."""
    for n in range(line, max(0, line - 4), -1):
        text = lines[n - 1] if 0 < n <= len(lines) else ""
        if ":" not in text and _KEY_WITH_FULLWIDTH_COLON.match(text):
            return n, text.index("：") + 1
    return None


def fullwidth_colon_key(text: str) -> int | None:
    """1-based column of a ： used as a key separator in ``text``, else ``None``."""
    if ":" in text:
        return None
    match = _KEY_WITH_FULLWIDTH_COLON.match(text)
    return match.end() if match else None
