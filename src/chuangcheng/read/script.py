"""Simplified and traditional characters (简繁): reading unit files written in traditional characters,
writing a report in traditional characters, and the fonts such a report needs.

OpenCC is imported only when a text needs it: a file whose ideographs are all in GB2312 never loads it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
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


def _convert(config: str, text: str, pairs: tuple[Written, ...] = ()) -> str:
    """Convert line by line, so that line numbers (and the line breaks) stay as written; file
    names are left alone (照片/0305-學雷鋒.jpg is the file's name, whatever the script). ``pairs``:
    what decides where OpenCC falls short (:func:`to_traditional`)."""
    converter = _converter(config)

    def piece(text: str) -> str:
        done = converter.convert(text)
        return _by_pairs(text, done, pairs) if pairs and len(done) == len(text) else done

    def line(text: str) -> str:
        out, at = [], 0
        for match in _FILE.finditer(text):
            out += [piece(text[at:match.start()]), match[0]]
            at = match.end()
        return "".join([*out, piece(text[at:])])

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


# A pair of neighbouring ideographs in simplified characters → the same pair as it is to be written
# in traditional ones: what a file in traditional characters wrote, and phrases.yaml.
Written = dict[str, str]
MAX_WRITTEN_PAIRS = 50_000  # pairs kept of one file (a 2 MB file of ideographs has up to 700,000)
TRADITIONAL_SHARE = 0.15  # of a file's ideographs that t2s changes: written in traditional characters


def to_traditional(text: str, script: str = "hant", written: Written | None = None) -> str:
    """``text`` in traditional characters (OpenCC, phrase by phrase: 头发→頭髮, 发展→發展), in OpenCC's
    standard forms (``hant``), Taiwan's (``hant-tw``) or Hong Kong's (``hant-hk``).

    Where OpenCC's phrases fall short, pairs of characters decide: ``written``, the file's own
    (:attr:`Typed.pairs`: a file typed in traditional characters comes back as it was typed, 安仁里
    not 安仁裏), then those of phrases.yaml (困难 is 困難, though OpenCC reads 关爱困难 as 关 爱困 难,
    愛睏). A character takes the form its pair with the character before it gives, else the one its
    pair with the character after it gives; pairs that disagree leave OpenCC's choice. File names
    (photos, links) are left as they are."""
    return _convert(_TRADITIONAL[script], text, (written or {}, _phrase_pairs()))


def _by_pairs(simple: str, converted: str, tables: tuple[Written, ...]) -> str:
    chars = list(converted)
    for i, char in enumerate(simple):
        if not _is_han(char):
            continue
        before = _pair(simple[i - 1:i + 1], tables) if i else None
        after = _pair(simple[i:i + 2], tables)
        choices = {c for c in (before[1] if before else None, after[0] if after else None) if c}
        if len(choices) == 1:
            chars[i] = choices.pop()
    return "".join(chars)


def _pair(simple: str, tables: tuple[Written, ...]) -> str | None:
    for table in tables:
        found = table.get(simple)
        if found is not None:
            return found
    return None


@cache
def _phrase_pairs() -> Written:
    """phrases.yaml's phrases as pairs (困難 → 困难: 困難)."""
    from pathlib import Path

    import yaml

    if not has_opencc():
        return {}
    phrases: list[str] = yaml.safe_load(Path(__file__).with_name("phrases.yaml").read_text(encoding="utf-8"))
    pairs: Written = {}
    for phrase in phrases:
        simple = _converter("t2s").convert(phrase)
        if len(simple) == len(phrase):
            pairs.update((simple[i:i + 2], phrase[i:i + 2]) for i in range(len(phrase) - 1))
    return pairs


@dataclass(frozen=True)
class Typed:
    """A file typed in traditional characters: as typed, and as read (simplified)."""

    original: str
    simplified: str

    @cached_property
    def pairs(self) -> Written:
        """How the file typed the pairs of ideographs OpenCC would not give back as typed (安仁里 →
        安仁里 → 安仁裏; 為 → 为 → 爲): simplified pair → typed pair, worked out when a report is
        written in traditional characters. A pair is learnt where it holds a character typed in a
        traditional form (為社); in a file mostly typed in traditional characters (TRADITIONAL_SHARE),
        also from a line that does (仁里 in 地點: 安仁里), so that a simplified file with one traditional
        name (劉明) keeps no simplified text. A pair typed two ways is left to OpenCC."""
        back = _convert("s2t", self.simplified)
        lines = [(line, simple, again) for line, simple, again
                 in zip(self.original.split("\n"), self.simplified.split("\n"), back.split("\n"), strict=False)
                 if len(line) == len(simple) == len(again)]
        ideographs = changed = 0
        for line, simple, _ in lines:
            for typed, read in zip(line, simple, strict=True):
                if _is_han(typed):
                    ideographs += 1
                    changed += typed != read
        mostly = changed >= TRADITIONAL_SHARE * ideographs
        found: dict[str, str | None] = {}
        for line, simple, again in lines:
            whole = mostly and line != simple
            for i in range(len(line) - 1 if line != again else 0):
                pair = line[i:i + 2]
                if (len(found) >= MAX_WRITTEN_PAIRS or pair == again[i:i + 2]
                        or not (_is_han(pair[0]) and _is_han(pair[1]))):
                    continue
                if whole or pair != simple[i:i + 2]:
                    found.setdefault(simple[i:i + 2], pair)
        for line, simple, _ in lines:  # a pair typed another way elsewhere too: OpenCC decides
            for i in range(len(line) - 1):
                if found.get(simple[i:i + 2], line[i:i + 2]) != line[i:i + 2]:
                    found[simple[i:i + 2]] = None
        return {simple: pair for simple, pair in found.items() if pair is not None}


def traditional_font(value: Any) -> Any:
    """A font name (or a tuple of them) with GB2312-only faces swapped for traditional ones."""
    if isinstance(value, str):
        return TRADITIONAL_FONTS.get(value, value)
    if isinstance(value, tuple):
        return tuple(traditional_font(item) for item in value)
    return value  # None: no separate Latin font
