"""Chinese typography for report text: full-width punctuation, 、 lists, 一二三 numbers."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# Compiled on the first untidy text (by re's cache), not at import: a class of 28,000 characters
# costs sre ≈ 1.5 ms each time it appears, and most report text is tidy already.
_PUNCT_NEAR_CJK = rf"(?<=[{_CJK}])\s*([,;:?!()])|([,;:?!()])\s*(?=[{_CJK}])"
_SPACE_NEAR_CJK = rf"(?<=[{_CJK}])[ \t\u00a0]+|[ \t\u00a0]+(?=[{_CJK}])"
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]*)"')
_UNTIDY = re.compile(r'[\s,;:?!()"]|。。')
_END_PUNCT = "。；，、：,;.:"
_FINAL = ("。", "！", "？", "…", "”", "）")
_DIGITS = "零一二三四五六七八九"


def han_run(text: str) -> int:
    """How many CJK unified ideographs (U+4E00–U+9FFF) ``text`` begins with. Plain comparisons:
    a regex class of 21,000 characters costs sre ≈ 1 ms to compile, more than a run's calls."""
    for i, char in enumerate(text):
        if not "\u4e00" <= char <= "\u9fff":
            return i
    return len(text)


@functools.lru_cache(maxsize=8192)
def tidy(text: str) -> str:
    """Full-width punctuation next to Chinese, no stray spaces around Chinese, curly quotes."""
    if _UNTIDY.search(text) is None:  # most report text: nothing to do
        return text
    text = " ".join(text.split())
    text = _STRAIGHT_QUOTES.sub(lambda m: f"“{m[1]}”", text)
    text = re.sub(_PUNCT_NEAR_CJK, lambda m: _HALF_TO_FULL[m[1] or m[2]], text)
    text = re.sub(_SPACE_NEAR_CJK, "", text)
    return text.replace("。。", "。")


@functools.lru_cache(maxsize=8192)
def clause(text: str) -> str:
    """Tidy text without its closing punctuation, ready to be joined into a sentence."""
    return tidy(text).rstrip(_END_PUNCT + " ")


def sentence(text: str) -> str:
    """Tidy text that ends as a sentence ends (adds 。 when needed)."""
    body = clause(text)
    if not body:
        return ""
    if body.endswith(("”", "）", "’")):  # 也是“中国青年志愿者服务日” ends a sentence only after 。 inside
        return body if body[-2:-1] in ("。", "！", "？", "…") else body + "。"
    return body if body.endswith(_FINAL) else body + "。"


def is_one_clause(text: str) -> bool:
    """True when text has no sentence break inside, so it can follow a comma."""
    return not re.search(r"[。！？；]", clause(text))


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def join_list(items: Iterable[str]) -> str:
    """Join with 、 (文明劝导队、义务巡逻队); items that hold punctuation themselves are
    quoted and set side by side, as GB/T 15834 writes them (“周调度、月总结”“网格员包楼栋”)."""
    parts = [clause(i) for i in items if clause(i)]
    if len(parts) > 1 and any(re.search("[、，；]", p) for p in parts):
        return "".join(p if p.startswith("“") and p.endswith("”") else f"“{p}”" for p in parts)
    return "、".join(parts)


def points(items: Iterable[str]) -> str:
    """Several measures as one sentence: ``一是……；二是……；三是……。`` (one item: the item)."""
    parts = [clause(i) for i in items if clause(i)]
    if not parts:
        return ""
    if len(parts) == 1:
        return sentence(parts[0])
    return "；".join(f"{cn_number(i)}是{p}" for i, p in enumerate(parts, 1)) + "。"


def text_width(text: str) -> float:
    """Width in characters of the body font: Chinese 1, ASCII digits and letters ½."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def nest_quotes(text: str) -> str:
    """Quotes inside quotes become single quotes (GB/T 15834): “创建“文明家庭”” → “创建‘文明家庭’”."""
    if text.count("“") < 2:
        return text
    out, depth = [], 0
    for ch in text:
        if ch == "“":
            out.append("‘" if depth % 2 else "“")
            depth += 1
        elif ch == "”" and depth:
            depth -= 1
            out.append("’" if depth % 2 else "”")
        else:
            out.append(ch)
    return "".join(out)


def book_titles(text: str, titles: Iterable[str]) -> str:
    """Names of documents in 《》 (GB/T 15834): 全国文明城市测评体系 → 《全国文明城市测评体系》,
    the longest name first, a name already in 《》 or “” left as it is."""
    for title in sorted(titles, key=len, reverse=True):
        if title in text:
            text = re.sub(f"(?<![《“‘]){re.escape(title)}(?![》”’])", f"《{title}》", text)
    return text
