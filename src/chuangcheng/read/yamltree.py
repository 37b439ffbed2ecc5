"""YAML to plain data with the place of every key and value, safely.

Built from the parser's event stream (no composer, no constructor, no recursion), so:
every scalar stays a string (``NO``, ``0755``, ``12:30`` are text; pydantic types them);
anchors and aliases, duplicate keys and deep nesting are errors; nothing can blow up memory.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Diagnostic, InputError, Pos, Severity
from ..limits import MAX_DEPTH, MAX_TEXT_CHARS
from .source import FORBIDDEN, Source, describe

Path = tuple[str | int, ...]
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


def as_written(value: object, limit: int = 60) -> str:
    """A value the way the user wrote it, for a message: ``[a, b]``, ``{数值: 3}``, "" for an empty one
    (never a Python repr such as ``None`` or ``['a']``), cut to ``limit`` characters."""
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        items = (f"{as_written(k, limit)}: {as_written(v, limit)}" for k, v in value.items()) \
            if isinstance(value, dict) else (as_written(v, limit) for v in value)
        parts, size = [], 0
        for item in items:  # stop early: a list of thousands of items is cut anyway
            parts.append(item)
            size += len(item) + 2
            if size > limit:
                break
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        text = opening + ", ".join(parts) + closing
    else:
        text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


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
        self.spans: list[tuple[int, int]] = []  # every scalar's start and end index, in file order
        self.span_paths: list[Path] = []  # … and the path it is the key or value of

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
        position, document = self.source.position, self.document
        for ev in yaml.parse(self.source.text, Loader=_Loader):
            handler = handlers.get(type(ev))
            if handler is None or (self.documents > 1 and handler != document):
                continue
            mark = ev.start_mark  # placed by its character index: libyaml's own lines also break at
            pos = Pos(*position(mark.index)) if mark else Pos(1, 1)  # U+2028, U+2029, U+0085
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
            where = (display_path(self.stack[-1].path) if self.stack else "") or "文件"
            self.error(pos, where, "不支持 YAML 锚点和别名（& 和 *）：请把内容直接写出来")
        self.anchors += 1

    def alias(self, ev: yaml.AliasEvent, pos: Pos) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.key is None and isinstance(top.container, dict):
            top.key, top.key_pos = f"*{ev.anchor}", pos  # an alias as a key (``*a: x``)
            return
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
        is_key = top is not None and top.key is None and isinstance(top.container, dict)
        if value:
            value = self.clean(value, pos, top.path if is_key and top else None, ev.style == '"')
        self.spans.append((ev.start_mark.index, ev.end_mark.index) if ev.start_mark and ev.end_mark else (0, 0))
        if is_key:
            assert top is not None
            self.key(top, value, pos)
            self.span_paths.append((*top.path, value or ""))
            return
        if value and _ZERO_WIDTH.search(value):
            value = _ZERO_WIDTH.sub("", value)
            self.warn(pos, self.child_path(), "含有看不见的零宽字符，已删除（常见于从网页或 Word 粘贴）")
        self.span_paths.append(self.add(value, pos))

    def warn(self, pos: Pos, path: Path, message: str) -> None:
        self.tree.warnings.append(Diagnostic(self.source.path, pos.line, pos.col, display_path(path) or "文件",
                                             message, Severity.WARNING, "CC108"))

    def clean(self, value: str, pos: Pos, parent: Path | None, escaped: bool) -> str:
        """A key (of the mapping at ``parent``) or a value as the report may hold it: within the length
        limit, and without what XML forbids, which only YAML's escapes (``"\\b"``, ``"\\x01"``,
        ``"\\uFFFE"``) can still make here."""
        clean = FORBIDDEN.sub("", value)
        if len(clean) <= MAX_TEXT_CHARS and clean == value:
            return value
        path = (*parent, clean) if parent is not None else self.child_path()
        if len(clean) > MAX_TEXT_CHARS:
            self.error(pos, display_path(path) or "文件",
                       f"这一项有 {len(clean)} 个字，超出限制：一项最多 {MAX_TEXT_CHARS} 个字；"
                       "请删减，或分成几项（做法、成效可以写成列表）", "CC110")
        if clean != value:
            found = sorted({describe(m[0]) for m in FORBIDDEN.finditer(value)})
            hint = ("：双引号里的反斜杠“\\”是转义符（“\\b”“\\x01”会变成控制字符），"
                    "写路径请改用单引号，或把“\\”写两次" if escaped else "（常见于从 Word 粘贴）")
            self.warn(pos, path, f"含有{'、'.join(found[:3])}{'等' if len(found) > 3 else ''}，已删除{hint}")
        return clean

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
                       f"嵌套超过 {MAX_DEPTH} 层，超出限制：单位文件不需要这么深的结构；请检查缩进", "CC110")
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
    except yaml.YAMLError as exc:  # a reader error: a character libyaml refuses
        raise InputError([*builder.errors, _reader_error(source, exc)]) from None
    if builder.errors:
        raise InputError(builder.errors)
    tree.warnings.extend(_stripped_warnings(source, builder.spans, builder.span_paths))
    return tree


def _stripped_warnings(source: Source, spans: list[tuple[int, int]], paths: list[Path]) -> list[Diagnostic]:
    """One warning per field (or per line outside any field) for the characters
    :mod:`chuangcheng.source` removed, at the first of them: found by bisection among the scalars'
    spans, so that the whole costs O((characters + values) · log values)."""
    starts = [start for start, _ in spans]
    groups: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    removed_before, last_line = 0, 0
    for item in source.stripped:
        if item.line != last_line:
            last_line, removed_before = item.line, 0
        index = source.line_start(item.line) + item.col - 1 - removed_before  # where it stood, cleaned
        removed_before += 1
        where = _field_at(source, starts, spans, paths, index, item.line)
        key = (where, item.line) if where == "文件" else (where, 0)
        groups.setdefault(key, []).append((item.line, item.col, describe(item.char)))
    out = []
    for (where, _), found in groups.items():
        line, col, _ = found[0]
        names = sorted({name for *_, name in found})
        count = f" {len(found)} 个" if len(found) > 1 else ""
        out.append(Diagnostic(source.path, line, col, where,
                              f"含有{count}{'、'.join(names[:3])}{'等' if len(names) > 3 else ''}，"
                              "已删除（常见于从 Word 粘贴）", Severity.WARNING, "CC108"))
    return out


def _field_at(source: Source, starts: list[int], spans: list[tuple[int, int]], paths: list[Path],
              index: int, line: int) -> str:
    """The key or value a removed character stood in, else the one on its line it stood next to."""
    i = bisect_right(starts, index) - 1
    if i >= 0 and index <= spans[i][1]:
        return display_path(paths[i]) or "文件"
    for j in (i + 1, i):
        if 0 <= j < len(spans) and source.position(spans[j][0])[0] == line:
            return display_path(paths[j]) or "文件"
    return "文件"


_QUOTE_IT = "请给整个值加上引号"
# What libyaml (and PyYAML's pure-Python parser) says → what the user is told; the first match wins.
_SYNTAX_HINTS = (
    ("tab character", "出现了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("found character '\\t'", "出现了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("mapping values are not allowed", f"这里不能出现“: ”：可能是缩进不对齐，或值里含有“: ”（{_QUOTE_IT}）"),
    ("mapping keys are not allowed", f"这里不能出现“? ”：可能是缩进不对齐；值以“?”开头时{_QUOTE_IT}"),
    ("could not find expected ':'", "缺少冒号：键和值之间要写英文冒号加空格“: ”"),
    ("did not find expected key", "缩进不一致：同一层的键要左对齐；值里有引号时，引号后面不能再写别的字"),
    ("expected <block end>", "缩进不一致：同一层的键要左对齐；值里有引号时，引号后面不能再写别的字"),
    ("did not find expected '-' indicator", "列表项的缩进不一致：同一列表的“- ”要左对齐"),
    ("document indicator", "引号里有单独一行的“---”或“...”：请删除这一行，或把引号闭合"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("did not find expected node content", "这里缺少内容，或括号、引号没有配对"),
    ("expected the node content", "这里缺少内容，或括号、引号没有配对"),
    ("found unexpected ':'", f"这里多了一个冒号；值里含有冒号时{_QUOTE_IT}"),
    ("expected ',' or ']'", "方括号列表没有写完整：各项用英文逗号分隔，以“]”结束"),
    ("expected ',' or '}'", "花括号映射没有写完整：各项用英文逗号分隔，以“}”结束"),
    ("escape c", "双引号里的反斜杠“\\”是转义符：写路径或反斜杠本身请改用单引号，或把“\\”写两次"),
    ("escape sequence", "双引号里的反斜杠“\\”是转义符：写路径或反斜杠本身请改用单引号，或把“\\”写两次"),
    ("hexdecimal", "双引号里的反斜杠“\\”是转义符：写路径或反斜杠本身请改用单引号，或把“\\”写两次"),
    ("block sequence entries are not allowed", "这里不能开始列表：请检查上一行的缩进和冒号"),
    ("while scanning an anchor", f"值以“&”开头，YAML 会把它当作锚点（本工具不支持）：{_QUOTE_IT}"),
    ("while scanning an alias", f"值以“*”开头，YAML 会把它当作别名（本工具不支持）：{_QUOTE_IT}"),
    ("tag", f"值以“!”开头，YAML 会把它当作类型标签：{_QUOTE_IT}"),
    ("directive", f"以“%”开头的行是 YAML 的指令：请删除这一行；值以“%”开头时{_QUOTE_IT}"),
    ("%YAML", f"以“%”开头的行是 YAML 的指令：请删除这一行；值以“%”开头时{_QUOTE_IT}"),
    ("block scalar", "“|”或“>”后面的写法不对：多行文字只写“|”，内容另起一行并缩进"),
    ("indentation indicator", "“|”或“>”后面的写法不对：多行文字只写“|”，内容另起一行并缩进"),
    ("cannot start any token", f"值不能以“@”或“`”开头：{_QUOTE_IT}"),
    ("comment or line break", f"这一行的值后面多了内容：值里含有引号、“ #”或“: ”时{_QUOTE_IT}"),
    ("<document start>", "这里多了内容：可能是缩进不对，或有一行“---”“...”分隔线；请检查这一行及上一行"),
    ("expected a comment", f"这一行的值后面多了内容：值里含有引号、“ #”或“: ”时{_QUOTE_IT}"),
)
_SYNTAX_FALLBACK = "YAML 格式错误：请检查这一行及上一行的缩进、冒号和引号"
_UNREADABLE = "含有无法识别的字符：请删除这一处，或用记事本“另存为”UTF-8 编码后重试"


def _syntax_error(source: Source, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "end of stream" in (exc.problem or ""):
        mark = exc.context_mark  # an unclosed quote or bracket: point at where it opens
    line, col = source.position(mark.index) if mark else (1, 1)
    problem = f"{exc.problem or ''} {exc.context or ''}"
    message = next((hint for key, hint in _SYNTAX_HINTS if key in problem), _SYNTAX_FALLBACK)
    lines = source.text.split("\n")
    tab_line = next((n for n in range(line, max(0, line - 2), -1) if "\t" in lines[n - 1]), None)
    if tab_line is not None:
        line, col = source.position(source.line_start(tab_line) + lines[tab_line - 1].index("\t"))
        return Diagnostic(source.path, line, col, "YAML",
                          "出现了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格", code="CC102")
    colon = _fullwidth_colon_near(lines, line)
    if colon:
        line, col = source.position(source.line_start(colon[0]) + colon[1] - 1)
        return Diagnostic(source.path, line, col, "YAML",
                          "这一行用了中文冒号“：”，键和值之间要用英文冒号加空格“: ”", code="CC102")
    return Diagnostic(source.path, line, col, "YAML", message, code="CC102")


def _reader_error(source: Source, exc: yaml.YAMLError) -> Diagnostic:
    """A character libyaml refuses (source.py removes all it knows of): at its place when known."""
    offset = getattr(exc, "position", None)
    line, col = 1, 1
    if isinstance(offset, int):  # libyaml counts UTF-8 bytes
        index = len(source.text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
        line, col = source.position(index)
    return Diagnostic(source.path, line, col, "YAML", _UNREADABLE, code="CC102")


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
