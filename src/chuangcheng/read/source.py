"""Reading a file as users save it: encodings from Notepad and WPS, pasted control characters."""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, InputError, Severity
from ..limits import MAX_FILE_BYTES
from .script import SIMPLIFIED_NOTE, UNCONVERTED_NOTE, Typed, to_simplified, unconverted

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8（带 BOM）"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# What Word and web pages leave in pasted text and XML 1.0 (so Word) cannot hold or YAML reads as a
# line break the user does not see: C0 controls but tab, newline and CR, DEL, C1 controls (U+0085
# among them), U+2028 and U+2029, U+FFFE and U+FFFF, and lone surrogates (only escapes make those).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Stripped:
    """A control character removed from the text, at a 1-based line and column."""

    line: int
    col: int
    char: str

    @property
    def name(self) -> str:
        return f"U+{ord(self.char):04X}"


_NAMES = {"\u2028": "行分隔符", "\u2029": "段分隔符", "\ufffe": "无效字符", "\uffff": "无效字符"}


def describe(char: str) -> str:
    """``控制字符 U+000B``: what a removed character is, as the warning names it."""
    kind = _NAMES.get(char) or ("无效字符" if "\ud800" <= char <= "\udfff" else "控制字符")
    return f"{kind} U+{ord(char):04X}"


@dataclass
class Source:
    """A file's text, decoded and cleaned, with what was done to it."""

    path: str
    text: str
    encoding: str
    warnings: list[Diagnostic] = field(default_factory=list)
    stripped: list[Stripped] = field(default_factory=list)
    typed: Typed | None = None  # a file typed in traditional characters: as typed (for --script hant)
    _starts: list[int] = field(default_factory=list, repr=False)
    _shifts: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def line_start(self, line: int) -> int:
        """The index in :attr:`text` where 1-based ``line`` starts."""
        self._index()
        return self._starts[min(line, len(self._starts)) - 1]

    def _index(self) -> None:
        if not self._starts:
            self._starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
            for item in self.stripped:
                self._shifts.setdefault(item.line, []).append(item.col)

    def position(self, index: int) -> tuple[int, int]:
        """1-based line and column, as the user's editor counts them, of ``index`` in :attr:`text`.

        Lines are counted at ``\\n`` only (libyaml's own marks also break at U+2028, U+2029 and
        U+0085), and columns count the control characters removed from that line.
        """
        self._index()
        line = bisect_right(self._starts, index)
        col = index - self._starts[line - 1] + 1
        for removed in self._shifts.get(line, ()):  # original columns, in order
            if removed <= col:
                col += 1
        return line, col


def _decode(data: bytes) -> tuple[str, str, str | None]:
    """Return text, codec and, when it is not plain UTF-8, the name users know it by."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec), codec, label
    if data[:200].count(b"\x00") > 10:  # UTF-16 without a BOM
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(codec), codec, "UTF-16"
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030", "GBK/GB18030"


def read_source(path: Path, display: str | None = None) -> Source:
    """Read ``path``; raise :class:`InputError` when it is missing, too large or undecodable."""
    shown = display or str(path)

    def fail(message: str) -> InputError:
        return InputError([Diagnostic(shown, 1, 1, "文件", message, code="CC101")])

    try:
        with path.open("rb") as file:  # read no more than the limit: a FIFO or /dev/zero has no size
            data = file.read(MAX_FILE_BYTES + 1)
            size = max(len(data), path.stat().st_size)
        if size > MAX_FILE_BYTES:
            raise InputError([Diagnostic(
                shown, 1, 1, "文件", f"文件过大（{size // 1024} KB），超出限制：单位文件和区文件不能超过 "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB；照片请另放，不要写进文件，过长的内容请删减",
                code="CC110")])
    except FileNotFoundError:
        raise fail("文件不存在，请检查路径") from None
    except IsADirectoryError:
        raise fail("这是一个文件夹，不是单位文件") from None
    except PermissionError:
        raise fail("没有读取权限，请检查文件是否被其他程序锁定") from None
    except OSError as exc:
        raise fail(f"无法读取：{exc.strerror}") from None
    try:
        text, codec, label = _decode(data)
    except UnicodeDecodeError:
        raise fail("无法识别文件编码，请在记事本或 WPS 中“另存为”UTF-8 编码") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    source = Source(shown, text, codec)
    if label:
        source.warnings.append(Diagnostic(
            shown, 1, 1, "文件编码",
            f"文件是 {label}{'' if label.endswith('）') else ' '}编码，已自动识别；"
            "建议在记事本中“另存为”时选择 UTF-8（不要选“带有 BOM 的 UTF-8”）",
            Severity.WARNING, "CC107"))
    if FORBIDDEN.search(text):
        source.text = _strip_controls(source)
    source.text = unicodedata.normalize("NFC", source.text)
    simplified = to_simplified(source.text)
    if simplified is not None:
        source.typed = Typed(source.text, simplified)  # so that --script hant gives it back as typed
        source.text = simplified
        source.warnings.append(Diagnostic(shown, 1, 1, "文字", SIMPLIFIED_NOTE, Severity.INFO, "CC109"))
    elif unconverted(source.text):
        source.warnings.append(Diagnostic(shown, 1, 1, "文字", UNCONVERTED_NOTE, Severity.INFO, "CC109"))
    return source


def _strip_controls(source: Source) -> str:
    lines = source.text.split("\n")
    for number, line in enumerate(lines, 1):
        if FORBIDDEN.search(line):
            for match in FORBIDDEN.finditer(line):
                source.stripped.append(Stripped(number, match.start() + 1, match.group()))
            lines[number - 1] = FORBIDDEN.sub("", line)
    return "\n".join(lines)
