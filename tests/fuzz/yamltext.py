"""A small YAML writer that keeps the layout in the fuzzer's hands: quoting style, escapes, flow or
block collections, indentation, anchors, aliases, tags, block scalars, several documents.

PyYAML's own emitter would normalise all of that away; the point here is the source text a
user (or an editor) really writes, escapes and odd layouts included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A text is a tuple of pieces: plain text, or (as a one-element tuple) an escape for double quotes.
Piece = str | tuple[str]


@dataclass
class Scalar:
    pieces: tuple[Piece, ...]
    style: str = "plain"  # plain, single, double, literal, folded, raw (source as it is)
    anchor: str = ""
    tag: str = ""


@dataclass
class Seq:
    items: list[Node]
    flow: bool = False
    anchor: str = ""
    tag: str = ""


@dataclass
class Map:
    pairs: list[tuple[str, Node]]  # keys are YAML source (so `*a` or `? x` are possible)
    flow: bool = False
    anchor: str = ""
    tag: str = ""


@dataclass
class Alias:
    name: str


Node = Scalar | Seq | Map | Alias


@dataclass
class Layout:
    indent: int = 2
    seq_indent: int = 0  # extra indentation of "- " under a key (0 or the indent)
    newline: str = "\n"
    bom: bool = False
    directive: bool = False
    comments: bool = False
    end_marker: bool = False
    extra_documents: list[Node] = field(default_factory=list)


def text_of(value: str) -> Scalar:
    return Scalar((value,))


_PLAIN_BAD = re.compile(r"""^[-?:,\[\]{}#&*!|>'"%@`\s]|[:#]\s|\s#|:$|\s$|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]""")
_SPECIAL = re.compile(r"^(~|null|Null|NULL|true|false|yes|no|on|off|y|n|[-+]?[0-9].*|\.[0-9].*|\.(inf|nan).*)$",
                      re.IGNORECASE)


# What a double-quoted scalar must escape to stay on its line (raw breaks come from the "raw" style).
_DOUBLE_ESCAPED = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\u2028": "\\L",
                                 "\u2029": "\\P", "\x85": "\\N"})


_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


def _double(pieces: tuple[Piece, ...]) -> str:
    out = []
    for piece in pieces:
        if isinstance(piece, tuple):
            out.append(piece[0])
        else:
            out.append(piece.translate(_DOUBLE_ESCAPED))
    return '"' + "".join(out) + '"'


def _scalar_inline(node: Scalar) -> str:
    """The scalar on one line, falling back to double quotes when its style cannot hold it."""
    has_escape = any(isinstance(p, tuple) for p in node.pieces)
    text = "".join(p for p in node.pieces if isinstance(p, str))
    if node.style == "raw" and not has_escape:
        return text
    if has_escape or node.style == "double" or _BREAKS.search(text):
        return _double(node.pieces)
    if node.style == "single":
        return "'" + text.replace("'", "''") + "'"
    if node.style == "plain" and text and not _PLAIN_BAD.search(text) and not _SPECIAL.match(text):
        return text
    return _double(node.pieces)


def _props(node: Scalar | Seq | Map) -> str:
    return " ".join(p for p in (node.anchor and f"&{node.anchor}", node.tag) if p)


def _flow(node: Node) -> str:
    if isinstance(node, Alias):
        return f"*{node.name}"
    props = _props(node)
    if isinstance(node, Scalar):
        body = _scalar_inline(node) if node.style not in ("literal", "folded") else _double(node.pieces)
    elif isinstance(node, Seq):
        body = "[" + ", ".join(_flow(i) for i in node.items) + "]"
    else:
        body = "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in node.pairs) + "}"
    return f"{props} {body}" if props else body


def _block_scalar(node: Scalar, indent: int) -> list[str] | None:
    """``|`` or ``>`` with its lines, or None when the text cannot be one."""
    if any(isinstance(p, tuple) for p in node.pieces):
        return None
    text = "".join(p for p in node.pieces if isinstance(p, str))
    lines = text.split("\n")
    if not text or text[0] in " \t" or any(ch in text for ch in "\r\x85\u2028\u2029\ufeff"):
        return None
    head = ("|" if node.style == "literal" else ">") + ("" if text.endswith("\n") else "-")
    if text.endswith("\n"):
        lines = lines[:-1]
    return [head, *(" " * indent + line if line else "" for line in lines)]


def _value(node: Node, map_indent: int, seq_indent: int, lay: Layout) -> tuple[str, list[str]]:
    """A value after ``key:`` or ``-``: what goes on that line, and the lines below it (a mapping's
    keys at ``map_indent``, a sequence's dashes at ``seq_indent``)."""
    if isinstance(node, Alias):
        return f" *{node.name}", []
    props = _props(node)
    lead = f" {props}" if props else ""
    if isinstance(node, Scalar):
        if node.style in ("literal", "folded"):
            block = _block_scalar(node, map_indent)
            if block is not None:
                return f"{lead} {block[0]}", block[1:]
        return f"{lead} {_scalar_inline(node)}", []
    if node.flow or not (node.items if isinstance(node, Seq) else node.pairs):
        return f" {_flow(node)}", []
    if isinstance(node, Seq):
        return lead, _seq_lines(node, seq_indent, lay)
    return lead, _map_lines(node, map_indent, lay)


def _map_lines(node: Map, indent: int, lay: Layout) -> list[str]:
    lines = []
    for key, value in node.pairs:
        head, below = _value(value, indent + lay.indent, indent + lay.seq_indent, lay)
        lines.append(" " * indent + key + ":" + head)
        if lay.comments and len(lines) % 5 == 0:
            lines[-1] += "  # 注释"
        lines.extend(below)
    return lines


def _seq_lines(node: Seq, indent: int, lay: Layout) -> list[str]:
    lines = []
    for item in node.items:
        if isinstance(item, Map) and not item.flow and item.pairs and not _props(item):
            inner = _map_lines(item, indent + 2, lay)
            lines.append(" " * indent + "- " + inner[0][indent + 2:])
            lines.extend(inner[1:])
        else:
            head, below = _value(item, indent + 2, indent + 2, lay)
            lines.append(" " * indent + "-" + head)
            lines.extend(below)
    return lines


def document(node: Node, lay: Layout) -> str:
    """One YAML document (or several) as source text."""
    if isinstance(node, Map) and not node.flow and not _props(node):
        body = _map_lines(node, 0, lay)
    elif isinstance(node, Seq) and not node.flow and not _props(node):
        body = _seq_lines(node, 0, lay)
    else:
        body = [_flow(node)]
    lines = ["# 单位台账", *body]
    if lay.directive:
        lines = ["%YAML 1.1", "---", *lines]
    for extra in lay.extra_documents:
        lines += ["---", *(_map_lines(extra, 0, lay) if isinstance(extra, Map) and extra.pairs else [_flow(extra)])]
    if lay.end_marker:
        lines.append("...")
    text = lay.newline.join(lines) + lay.newline
    return ("\ufeff" if lay.bom else "") + text
