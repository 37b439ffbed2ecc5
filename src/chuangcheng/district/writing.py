"""The roll-up's sentences: units named in lists, their words in the third person, problems and
next steps shared by several units drawn together (by the words they share, not by a keyword
table), and the ``一是……二是……`` the genre writes them in. Word lists: ``words.yaml``."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..write.typography import clause, cn_number

if TYPE_CHECKING:
    from ..load.models import District

_PUNCT = re.compile(r"[\s\W\d_a-zA-Z]+")
_OPENING = re.compile(r"^([^，。；]{2,24}?)，")
_WHEN = re.compile(r"(?:日|月|旬|节|前夕|期间|以来|年|季度|当天)$")  # an opening that says when
# A unit's word for itself at the start of its text, and the endings of names it stands for:
# 江城区实验小学 + 学校功能室 → 江城区实验小学功能室
_KINDS = {"社区": ("社区",), "街道": ("街道", "街道办事处"), "村": ("村",), "学校": ("学校", "小学", "中学", "学院"),
          "医院": ("医院", "卫生院"), "公司": ("公司",)}


@functools.cache
def words() -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(Path(__file__).with_name("words.yaml").read_text(encoding="utf-8"))
    return data


def signer_of(district: District | None, name: str) -> str:
    """Who signs what the district office sends (the roll-up, the notices): the district file's
    落款.署名, else ``江城区文明办``."""
    return district.signoff.signer if district and district.signoff.signer else f"{name}文明办"


def named(names: Sequence[str], cap: int | None = None) -> str:
    """``官塘社区、桃源村``; more than ``cap``: ``官塘社区、桃源村等12个单位``."""
    cap = cap or int(words()["named"])
    if len(names) <= cap:
        return "、".join(names)
    return "、".join(names[:cap]) + f"等{len(names)}个单位"


def third_person(text: str, unit: str, subject: str) -> str:
    """A unit's sentence as the district tells it: ``3月5日，社区在……`` → ``3月5日，官塘社区在……``,
    ``我校组织……`` → ``江城区实验小学组织……``, 我校 elsewhere → 该校."""
    opening, rest = "", text
    match = _OPENING.match(text)
    if match and _WHEN.search(match[1]):
        opening, rest = match[0], text[match.end():]
    for own in sorted({subject, *words()["third_person"]} - {""}, key=len, reverse=True):
        if rest.startswith(own):
            rest = rest[len(own):]
            break
    for kind, endings in _KINDS.items():  # 官塘社区 + 社区办公用房 → 官塘社区办公用房, 桃源村 + 村集体 → 桃源村集体
        if unit.endswith(endings) and rest.startswith(kind):
            rest = rest[len(kind):]
            break
    if not rest.startswith(unit):
        rest = unit + rest
    return in_third_person(opening + rest)


def in_third_person(text: str) -> str:
    """我校 → 该校, 我们 → 该单位 …"""
    for first, third in words()["third_person"].items():
        text = text.replace(first, third)
    return text


def grams(text: str) -> frozenset[str]:
    """The text's pairs of characters (punctuation, digits and Latin left out): what texts share."""
    plain = _PUNCT.sub("", text)
    return frozenset(plain[i:i + 2] for i in range(len(plain) - 1))


def drawn_members(items: Sequence[tuple[str, str]], threshold: float = 0.12) -> list[list[tuple[str, str]]]:
    """(unit, text) pairs drawn together by the words they share: character pairs weighted by how
    rare they are among all the texts (IDF), as a share of the shorter text, at least ``threshold``
    with the group's first text. The groups, most units first, each as its members in order:
    every unit once, with its first text."""
    grammed = [(unit, text, grams(text)) for unit, text in items]
    seen: dict[str, int] = {}
    for _, _, mine in grammed:
        for gram in mine:
            seen[gram] = seen.get(gram, 0) + 1
    total = max(len(grammed), 1)
    weight = {gram: math.log((total + 1) / n) for gram, n in seen.items()}

    def mass(found: frozenset[str]) -> float:
        return sum(map(weight.__getitem__, found))

    groups: list[tuple[frozenset[str], float, list[tuple[str, str]]]] = []
    for unit, text, mine in grammed:
        if not mine:
            continue
        own = mass(mine)
        for first, first_mass, members in groups:
            if mass(mine & first) >= threshold * min(own, first_mass):
                if all(unit != u for u, _ in members):
                    members.append((unit, text))
                break
        else:
            groups.append((mine, own, [(unit, text)]))
    ranked = sorted(range(len(groups)), key=lambda i: (-len(groups[i][2]), i))
    return [groups[i][2] for i in ranked]


def theme_of(texts: Sequence[str]) -> str:
    """What a group of problems is about (``群众参与的主动性还不够强``), from the words' themes:
    the theme whose words the group's texts use most, if its first text uses one; else ``""``."""
    best, hits = "", 0
    for label, keys in words()["problem_themes"].items():
        if not any(k in texts[0] for k in keys):
            continue
        found = sum(any(k in t for k in keys) for t in texts)
        if found > hits:
            best, hits = label, found
    return best


def first_sentence(text: str) -> str:
    """The text up to its first full stop, without the closing punctuation."""
    return clause(re.split(r"[。！？!?]", text, maxsplit=1)[0])


def numbered(parts: Sequence[str]) -> list[str]:
    """``一是……。`` paragraphs, one per part (one part: the part itself)."""
    if len(parts) == 1:
        return [clause(parts[0]) + "。"]
    return [f"{cn_number(i)}是{clause(p)}。" for i, p in enumerate(parts, 1)]
