"""A mutation corpus drawn from examples/: every unit file and district.yaml, mutated 1–3 times.

Deterministic: mutant ``index`` of run ``seed`` is always the same bytes (``mutant(seed, index)``),
so a failure found in a long run is reproduced from those two numbers alone.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import junk

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "江城区"
TRANSCRIBED = ROOT / "examples" / "范文转录"  # version-2 keys: undated work, 次数, 引言, 荣誉 …
PHOTOS = EXAMPLES / "石城街道" / "照片"
DISTRICT = "district.yaml"


def corpus() -> list[Path]:
    """The seed files, in a fixed order: the unit files, then district.yaml, then the transcribed seeds."""
    units = sorted(p for p in EXAMPLES.rglob("*.yaml") if p.name != DISTRICT)
    return [*units, EXAMPLES / DISTRICT, *sorted(TRANSCRIBED.glob("*.yaml"))]


@dataclass(frozen=True)
class Mutant:
    seed: int
    index: int
    base: Path
    operations: tuple[str, ...]
    data: bytes

    @property
    def is_district(self) -> bool:
        return self.base.name == DISTRICT


Mutator = Callable[[random.Random, bytes], bytes]

_KEY_LINE = re.compile(rb"^(\s*(?:-\s+)?)([^\s:#][^:#\n]*?):(\s|$)", re.M)
_VALUE_LINE = re.compile(rb"^(\s*(?:-\s+)?[^\s:#][^:#\n]*?: )(\S.*)$", re.M)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _pick_line(rng: random.Random, lines: list[bytes]) -> int:
    return rng.randrange(len(lines)) if lines else 0


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if buf:
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    return bytes(buf)


def random_bytes(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    if rng.random() < 0.5:
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 4))) + data[at:]
    return data[:at] + data[at + rng.randint(1, 4):]


def delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at = _pick_line(rng, lines)
    del lines[at:at + rng.randint(1, 3)]
    return b"\n".join(lines)


def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at = _pick_line(rng, lines)
    block = lines[at:at + rng.randint(1, 6)]
    lines[at:at] = block * rng.choice((1, 1, 2, 50))
    return b"\n".join(lines)


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    a, b = _pick_line(rng, lines), _pick_line(rng, lines)
    if lines:
        lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


_INDENTS = (b"", b" ", b"   ", b"        ", b"\t", b"  \t", "\u3000".encode(), "\u00a0".encode(), b"\t  ")


def indentation(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, 3)):
        at = _pick_line(rng, lines)
        if lines:
            stripped = lines[at].lstrip(b" ")
            width = len(lines[at]) - len(stripped)
            new = rng.choice((*_INDENTS, b" " * (width + 1), b" " * max(0, width - 1), b" " * (width * 2)))
            lines[at] = new + stripped if rng.random() < 0.7 else lines[at][:width] + new + stripped
    return b"\n".join(lines)


def tabs_everywhere(rng: random.Random, data: bytes) -> bytes:
    return re.sub(rb"(?m)^(  )+", lambda m: rng.choice((b"\t", "\u3000".encode())) * (len(m.group(0)) // 2), data)


def key_typo(rng: random.Random, data: bytes) -> bytes:
    keys = list(_KEY_LINE.finditer(data))
    if not keys:
        return data
    m = rng.choice(keys)
    name = m.group(2).decode("utf-8", "replace")
    typos = junk.KEY_TYPOS.get(name)
    if typos and rng.random() < 0.5:
        new = rng.choice(typos)
    else:
        chars = list(name)
        op = rng.randrange(5)
        i = rng.randrange(len(chars)) if chars else 0
        if op == 0 and chars:
            del chars[i]
        elif op == 1 and len(chars) > 1:
            j = min(i + 1, len(chars) - 1)
            chars[i], chars[j] = chars[j], chars[i]
        elif op == 2:
            chars.insert(i, rng.choice("的之了 \u3000x"))
        elif op == 3:
            chars = [*chars, "："]  # a full-width colon: the key swallows the value
        else:
            chars = [name.upper() if name.isascii() else name + name]
        new = "".join(chars)
    return data[:m.start(2)] + new.encode("utf-8", "surrogatepass") + data[m.end(2):]


_SWAPS = (b"[%s]", b"{x: %s}", b"\n    - %s", b"\n    k: %s", b"~", b"''", b"[]", b"{}", b"|\n  %s", b"- %s",
          b"&a %s", b"*a", b"!!binary %s", b"!!str %s", b"!!int %s", b"!!set {%s}", b"%s: %s", b"? %s")


def type_swap(rng: random.Random, data: bytes) -> bytes:
    """A scalar becomes a list or a mapping or nothing, or a block collection becomes a scalar."""
    lines = _lines(data)
    if rng.random() < 0.3:  # key: <block below>  →  key: text (the block below is dropped)
        heads = [i for i, line in enumerate(lines)
                 if line.rstrip().endswith(b":") and not line.lstrip().startswith(b"#")]
        if heads:
            at = rng.choice(heads)
            width = len(lines[at]) - len(lines[at].lstrip())
            end = at + 1
            while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > width):
                end += 1
            lines[at:end] = [lines[at] + b" " + rng.choice((b"10\xe6\x9d\xa1", b"~", b"x", b"[]", b"3"))]
            return b"\n".join(lines)
    values = list(_VALUE_LINE.finditer(data))
    if not values:
        return data
    m = rng.choice(values)
    form = rng.choice(_SWAPS)
    new = form.replace(b"%s", m.group(2)) if b"%s" in form else form
    return data[:m.start(2)] + new + data[m.end(2):]


_NASTY_VALUES = (
    b"nan\xe6\x9d\xa1", b"{\xe6\x95\xb0\xe5\x80\xbc: 1e100000, \xe5\x8d\x95\xe4\xbd\x8d: \xe6\x9d\xa1}",
    b"{\xe6\x95\xb0\xe5\x80\xbc: .nan, \xe5\x8d\x95\xe4\xbd\x8d: \xe6\x9d\xa1}", b"nan", b".nan", b".inf", b"-0",
    b"9999-12-31", b"0001-01-01", b"2026-02-30", b"1e100000", b"CON", b"NUL", b"A/B", b"A:B", b"../x.jpg",
    b'"C:\\new\\bin"', b'"\\x01"', b'"\\uFFFE"', b'"\\uD800"', b'"\\b"', b'"\\0"', b'"a\\Lb"', b'"&<>"',
    b"99999999999999999999999999999\xe4\xb8\x87\xe4\xba\xba\xe6\xac\xa1",
)


def nasty_value(rng: random.Random, data: bytes) -> bytes:
    values = list(_VALUE_LINE.finditer(data))
    if not values:
        return data
    m = rng.choice(values)
    options = (*_NASTY_VALUES, *(f'"{e}"'.encode() for e in rng.sample(junk.DOUBLE_ESCAPES, 2)),
               rng.choice(junk.UNIT_NAMES).encode("utf-8", "surrogatepass"),
               rng.choice(junk.DATE_TEXTS).encode(), rng.choice(junk.PHOTO_PATHS).encode())
    return data[:m.start(2)] + rng.choice(options) + data[m.end(2):]


def unicode_junk(rng: random.Random, data: bytes) -> bytes:
    """Junk characters inserted as they are, or inside a value rewritten in double quotes as escapes."""
    for _ in range(rng.randint(1, 4)):
        values = list(_VALUE_LINE.finditer(data))
        if rng.random() < 0.4 and values:
            m = rng.choice(values)
            text = m.group(2).decode("utf-8", "replace").replace("\\", "\\\\").replace('"', '\\"')
            at = rng.randrange(len(text) + 1)
            new = '"' + text[:at] + rng.choice(junk.DOUBLE_ESCAPES) + text[at:] + '"'
            data = data[:m.start(2)] + new.encode("utf-8") + data[m.end(2):]
        else:
            at = rng.randrange(len(data) + 1)
            char = rng.choice((*junk.RAW_JUNK, *junk.RAW_FORBIDDEN[:4]))
            data = data[:at] + char.encode("utf-8", "surrogatepass") + data[at:]
    return data


def yaml_feature(rng: random.Random, data: bytes) -> bytes:
    """Anchors and aliases (an alias as a key too), several documents, directives, flow markers."""
    choice = rng.randrange(7)
    if choice == 0:
        return data + b"\n*a: x\n"
    if choice == 1:
        values = list(_VALUE_LINE.finditer(data))
        if values:
            m = rng.choice(values)
            data = data[:m.start(2)] + b"&a " + data[m.start(2):]
        return data + rng.choice((b"\n*a: x\n", b"\n\xe7\xbb\x93\xe8\xaf\xad: *a\n", b"\nx: *b\n"))
    if choice == 2:
        return data + b"\n---\n" + data[: rng.randrange(len(data) + 1)]
    if choice == 3:
        return b"%YAML 1.1\n%TAG ! tag:x,2000:\n---\n" + data
    if choice == 4:
        return data + b"\n...\n" + b"\xe5\x8d\x95\xe4\xbd\x8d: x\n"
    if choice == 5:
        return b"[" + data
    return data.replace(b"\n", b"\r\n") if rng.random() < 0.5 else data.replace(b"\n", b"\r")


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


MUTATORS: dict[str, Mutator] = {
    "flip": flip_bytes, "bytes": random_bytes, "delete": delete_lines, "duplicate": duplicate_lines,
    "swap": swap_lines, "indent": indentation, "tabs": tabs_everywhere, "typo": key_typo, "type": type_swap,
    "nasty": nasty_value, "junk": unicode_junk, "yaml": yaml_feature, "truncate": truncate,
}
_WEIGHTS = {"flip": 2, "bytes": 1, "delete": 2, "duplicate": 2, "swap": 1, "indent": 3, "tabs": 1, "typo": 3,
            "type": 3, "nasty": 4, "junk": 4, "yaml": 2, "truncate": 2}


def reencode(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """The file saved in another encoding (the text is the same, the bytes are not)."""
    text = data.decode("utf-8", "surrogateescape")
    name = rng.choice(("gbk", "gb18030", "utf-16-le", "utf-16-be", "utf-16", "utf-16-le+bom", "utf-16-be+bom",
                       "utf-8-sig", "latin-1-mojibake", "utf-32", "big5", "cp1252"))
    if name == "latin-1-mojibake":
        return name, data.decode("latin-1").encode("utf-8")
    codec, _, bom = name.partition("+")
    raw = text.encode(codec, errors="replace" if codec not in ("utf-16-le", "utf-16-be", "utf-16", "utf-32",
                                                                "utf-8-sig") else "surrogatepass")
    if bom:
        raw = ("\ufeff".encode(codec)) + raw
    return name, raw


def mutant(seed: int, index: int, files: list[Path] | None = None) -> Mutant:
    """Mutant number ``index`` of run ``seed``: a corpus file, 1–3 mutations, one time in ten re-encoded."""
    rng = random.Random(f"chuangcheng-fuzz:{seed}:{index}")
    files = files or corpus()
    base = files[rng.randrange(len(files))]
    data = base.read_bytes()
    ops = []
    names = list(_WEIGHTS)
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        name = rng.choices(names, weights=[_WEIGHTS[n] for n in names])[0]
        data = MUTATORS[name](rng, data)
        ops.append(name)
    if rng.random() < 0.1:
        name, data = reencode(rng, data)
        ops.append(f"encode:{name}")
    return Mutant(seed, index, base, tuple(ops), data)
