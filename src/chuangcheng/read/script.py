"""Simplified and traditional characters (简繁): reading unit files written in traditional characters,
writing a report in traditional characters, and the fonts such a report needs.

OpenCC is imported only when a text needs it: a file whose ideographs are all in GB2312 never loads it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from functools import cache
from typing import Any, Literal, Protocol

HANT_EXTRA = 'pip install "chuangcheng[hant]"'  # OpenCC: no wheel for 32-bit or ARM Windows, so not in the base
Script = Literal["hans", "hant", "hant-tw", "hant-hk"]
SCRIPTS: tuple[Script, ...] = ("hans", "hant", "hant-tw", "hant-hk")
# OpenCC's configurations: its standard traditional forms (羣衆, 裏), Taiwan's (群眾, 裡), Hong Kong's.
_TRADITIONAL = {"hant": "s2t", "hant-tw": "s2tw", "hant-hk": "s2hk"}

SIMPLIFIED_NOTE = "文件用繁体字书写，已按简体字读取；生成的总结使用规范汉字（要繁体输出请加 --script hant）"
UNCONVERTED_NOTE = ("文件里有 GB2312 以外的汉字（可能是繁体字），已按原样读取；要把繁体字按简体读取，"
                    f"请先安装繁体支持：{HANT_EXTRA}")

# 规范汉字 outside GB2312 that OpenCC's t2s still rewrites (昇→升, 扞→捍…): the 通用规范汉字表 of 2013
# admits them, mostly for names (毕昇), so one of them alone does not make a file traditional.
STANDARD_VARIANTS = frozenset("昇陞氾剋蒐脩扞")

# Fonts that only cover GB2312 (no traditional glyphs) → the same face with traditional glyphs.
TRADITIONAL_FONTS = {
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "方正小标宋简体": "方正小标宋繁体",
    "方正仿宋简体": "方正仿宋繁体",
    "方正楷体简体": "方正楷体繁体",
    "方正黑体简体": "方正黑体繁体",
}


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@cache
def has_opencc() -> bool:
    """Whether OpenCC (the ``hant`` extra) is installed (looked up once: a simplified file never imports it)."""
    import importlib.util

    return importlib.util.find_spec("opencc") is not None


def unavailable(script: str) -> str | None:
    """Why a report cannot be written in ``script`` here (OpenCC is not installed), or None."""
    if script == "hans" or has_opencc():
        return None
    return f"繁体输出（--script {script}）需要 OpenCC，请先安装繁体支持：{HANT_EXTRA}"


@cache
def _converter(config: str) -> _Converter:
    import opencc

    # Without the "tofu risk" dictionary t2s keeps a rare traditional character (訑, 鴃) rather than turn it
    # into a simplified form from the CJK extensions that no document font has; s2t has no such dictionary.
    converter: _Converter = opencc.OpenCC(config, include_tofu_risk_dictionaries=False)
    return converter


# What names a file stays as written: a Markdown link target, or a picture's path in a unit file.
# Linear on any text: a name starts only where a run of name characters starts (the lookbehind), so a
# long run without a picture's ending is scanned once, not once from each of its characters; a link
# target stops at the next "<", so "](<" repeated is no quadratic scan either.
_NAME = r"[^\s<>()\[\]{},'\"：:]"
_FILE = re.compile(rf"\]\(<[^<>\n]*>\)|(?<!{_NAME}){_NAME}+\.(?:jpe?g|png|gif|bmp|webp|tiff?|heic)\b", re.I)


def _convert(config: str, text: str) -> str:
    """Convert line by line, so that line numbers (and the line breaks) stay as written; file
    names are left alone (照片/0305-學雷鋒.jpg is the file's name, whatever the script)."""
    converter = _converter(config)

    def line(text: str) -> str:
        out, at = [], 0
        for match in _FILE.finditer(text):
            out += [converter.convert(text[at:match.start()]), match[0]]
            at = match.end()
        return "".join([*out, converter.convert(text[at:])])

    return "\n".join(line(part) for part in text.split("\n"))


def _is_han(char: str) -> bool:
    """A CJK ideograph: the only characters OpenCC's t2s ever changes."""
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def _pass_symbols(exc: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: drop a character outside GB2312 that is no ideograph (·, —, emoji), stop at one
    that is (``exc.start`` then points at it)."""
    if not isinstance(exc, UnicodeEncodeError) or _is_han(exc.object[exc.start]):
        raise exc
    return "", exc.start + 1


_PASS_SYMBOLS = "chuangcheng.script.pass_symbols"
codecs.register_error(_PASS_SYMBOLS, _pass_symbols)


def _rare_ideographs(text: str) -> Iterator[str]:
    """Each distinct ideograph of ``text`` outside GB2312, in order of first appearance.

    One pass of the GB2312 encoder (in C) answers a text that has none; past the first one, each
    distinct character is tried once (re-encoding what follows each of them costs time quadratic in
    a text full of rare ideographs, such as 喆 repeated).
    """
    try:
        text.encode("gb2312", _PASS_SYMBOLS)
    except UnicodeEncodeError as exc:
        for char in dict.fromkeys(text[exc.start:]):
            if _is_han(char) and not _in_gb2312(char):
                yield char


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def unconverted(text: str) -> bool:
    """True when ``text`` may be in traditional characters but OpenCC is not installed to tell and turn it."""
    return not has_opencc() and any(c not in STANDARD_VARIANTS for c in _rare_ideographs(text))


def to_simplified(text: str) -> str | None:
    """``text`` in simplified characters when it is written in traditional ones, else None.

    GB2312 has no traditional-only character, so a text that it encodes but for symbols (·, —, emoji) is
    answered without OpenCC. A simplified text with a rare name character (喆, 堃, 昇) is left alone: only an
    ideograph that t2s changes and that is no 规范汉字 counts.
    """
    for char in _rare_ideographs(text):
        if char in STANDARD_VARIANTS:
            continue
        if not has_opencc():  # the base install: the text is read as written (see unconverted())
            return None
        if _converter("t2s").convert(char) != char:
            simplified = _convert("t2s", text)
            return simplified if simplified != text else None
    return None


def to_traditional(text: str, script: str = "hant") -> str:
    """``text`` in traditional characters (OpenCC, phrase by phrase: 头发→頭髮, 发展→發展), in OpenCC's
    standard forms (``hant``), Taiwan's (``hant-tw``) or Hong Kong's (``hant-hk``)."""
    return _convert(_TRADITIONAL[script], text)


def traditional_font(value: Any) -> Any:
    """A font name (or a tuple of them) with GB2312-only faces swapped for traditional ones."""
    if isinstance(value, str):
        return TRADITIONAL_FONTS.get(value, value)
    if isinstance(value, tuple):
        return tuple(traditional_font(item) for item in value)
    return value  # None: no separate Latin font
