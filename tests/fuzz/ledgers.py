"""Mutated Excel ledgers: the example twins (examples/台账/) damaged as files and as spreadsheets.

A ledger is a zip of XML parts, so most mutations open it, change one part as a careless program
or person would (a cell's value or type, a far reference, rows doubled or gone, a sheet hidden,
a merge over everything, a part missing) and zip it again; a few flip bytes of the file itself.
Deterministic like :mod:`.mutators`: ``ledger_mutant(seed, index)`` is always the same bytes.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from . import junk
from .mutators import ROOT, Mutant

LEDGERS = ROOT / "examples" / "台账"

Parts = dict[str, bytes]
_CELL_TEXT = re.compile(rb"<(v|t)( [^>]*)?>([^<]*)</\1>")
_TYPE = re.compile(rb' t="[a-zA-Z]+"')
_REF = re.compile(rb' r="[A-Z]{1,3}\d+"')
_ROW = re.compile(rb"<row [^>]*>.*?</row>", re.S)
_SHEET = re.compile(rb"<sheet [^>]*/>")
_VALUES = (
    b"45000", b"45000.5", b"-1", b"0", b"1e308", b"-1e308", b"NaN", b"2958466", b"99999999999999999999",
    b"3.1", b"20260305", b"#DIV/0!", b"TRUE", b"", b" ", b"2026-03-05T00:00:00", b"9" * 400,
)


def corpus() -> list[Path]:
    return sorted(LEDGERS.glob("*.xlsx"))


def _xml(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8", "surrogatepass")


def _sheets(parts: Parts) -> list[str]:
    return [n for n in parts if n.startswith("xl/worksheets/sheet")]


def _text_part(rng: random.Random, parts: Parts) -> str:
    return rng.choice([*_sheets(parts), *(["xl/sharedStrings.xml"] * 2 if "xl/sharedStrings.xml" in parts else [])])


def cell_value(rng: random.Random, parts: Parts) -> None:
    """One cell's text or number replaced: junk characters, odd numbers, a long run, a formula."""
    name = _text_part(rng, parts)
    found = list(_CELL_TEXT.finditer(parts[name]))
    if not found:
        return
    match = rng.choice(found)
    pick = rng.random()
    if pick < 0.4:
        value = rng.choice(_VALUES)
    elif pick < 0.8:
        value = _xml(rng.choice((*junk.RAW_JUNK, *junk.TEXTS, *junk.DATE_TEXTS, *junk.NUMBER_TEXTS)))
    else:
        value = match[3] + _xml(rng.choice(junk.RAW_JUNK)) * rng.randint(1, 3000)
    data = parts[name]
    parts[name] = data[:match.start(3)] + value + data[match.end(3):]


def _replace_one(rng: random.Random, parts: Parts, pattern: re.Pattern[bytes], options: tuple[bytes, ...]) -> None:
    """In one sheet, one match of ``pattern`` replaced by one of ``options``."""
    name = rng.choice(_sheets(parts))
    found = list(pattern.finditer(parts[name]))
    if found:
        match = rng.choice(found)
        parts[name] = parts[name][:match.start()] + rng.choice(options) + parts[name][match.end():]


def cell_type(rng: random.Random, parts: Parts) -> None:
    """A cell's type changed or dropped (a shared string read as a number, an error, a date)."""
    _replace_one(rng, parts, _TYPE, (b"", b' t="n"', b' t="b"', b' t="e"', b' t="str"', b' t="d"', b' t="inlineStr"',
                                     b' t="x"'))


def far_reference(rng: random.Random, parts: Parts) -> None:
    """A cell moved far away, before its neighbours, or to a reference that does not exist."""
    _replace_one(rng, parts, _REF, tuple(b' r="%s"' % ref for ref in (
        b"XFD1048576", b"A5000", b"CV1", b"A1", b"ZZZ9", b"A0", b"AAAA1", b"A99999999")))


def rows(rng: random.Random, parts: Parts) -> None:
    """A row doubled, dropped or moved to the top (a header repeated, a header lost)."""
    name = rng.choice(_sheets(parts))
    found = list(_ROW.finditer(parts[name]))
    if not found:
        return
    match, data = rng.choice(found), parts[name]
    pick = rng.random()
    if pick < 0.4:
        parts[name] = data[:match.end()] + match[0] * rng.randint(1, 40) + data[match.end():]
    elif pick < 0.7:
        parts[name] = data[:match.start()] + data[match.end():]
    else:
        first = found[0]
        parts[name] = data[:first.start()] + match[0] + data[first.start():match.start()] + data[match.end():]


def merged(rng: random.Random, parts: Parts) -> None:
    """Merged ranges over the header, over everything, or reaching past the sheet."""
    name = rng.choice(_sheets(parts))
    ref = rng.choice((b"A1:L1", b"A1:Z500", b"A2:A9", b"B1:A1", b"A1:XFD1048576", b"C3:C3", b"nonsense"))
    cells = b'<mergeCells count="1"><mergeCell ref="' + ref + b'"/></mergeCells>'
    data = parts[name]
    parts[name] = data.replace(b"</sheetData>", b"</sheetData>" + cells, 1) if b"<mergeCells" not in data else data


def workbook(rng: random.Random, parts: Parts) -> None:
    """A sheet hidden, renamed (to another sheet's name, to nothing, to junk) or its entry dropped."""
    data = parts.get("xl/workbook.xml", b"")
    found = list(_SHEET.finditer(data))
    if not found:
        return
    match = rng.choice(found)
    pick = rng.random()
    if pick < 0.3:
        entry = match[0].replace(b"/>", b' state="' + rng.choice((b"hidden", b"veryHidden", b"odd")) + b'"/>')
    elif pick < 0.7:
        name = rng.choice(("单位", "宣传发动", "", "荣誉 ", "Sheet1", *junk.RAW_JUNK, "存在问题"))
        entry = re.sub(rb'name="[^"]*"', b'name="' + _xml(name).replace(b'"', b"&quot;") + b'"', match[0])
    else:
        entry = b""
    parts["xl/workbook.xml"] = data[:match.start()] + entry + data[match.end():]


def drop_part(rng: random.Random, parts: Parts) -> None:
    """A part missing: shared strings, styles, a sheet, the workbook's relationships."""
    candidates = [n for n in parts if n.endswith((".xml", ".rels")) and n != "[Content_Types].xml"]
    parts.pop(rng.choice(candidates), None)


def xml_damage(rng: random.Random, parts: Parts) -> None:
    """A part's XML broken in a few places (a truncated save, a bad editor)."""
    name = rng.choice([n for n in parts if n.endswith(".xml")])
    xml = bytearray(parts[name])
    for _ in range(rng.randint(1, 8)):
        if not xml:
            break
        at, pick = rng.randrange(len(xml)), rng.random()
        if pick < 0.4:
            xml[at] = rng.choice(b'<>"&/0123456789AZr= \x00\xff')
        elif pick < 0.7:
            del xml[at:at + rng.randint(1, 30)]
        else:
            xml[at:at] = rng.choice((b'<c r="XFD9"><v>1</v></c>', b'<row r="99999999">', b"&#0;", b"<is><t>x</t></is>",
                                     b"<v>1e308</v>", b' t="d"', b' t="e"', b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>"))
    parts[name] = bytes(xml)


_PART_MUTATORS: dict[str, tuple[Callable[[random.Random, Parts], None], int]] = {
    "cell_value": (cell_value, 6), "cell_type": (cell_type, 2), "far_reference": (far_reference, 2),
    "rows": (rows, 3), "merged": (merged, 1), "workbook": (workbook, 2), "drop_part": (drop_part, 1),
    "xml_damage": (xml_damage, 2),
}


def _zipped(parts: Parts) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():  # a fixed time: the same mutant, the same bytes
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def ledger_mutant(seed: int, index: int) -> Mutant:
    """Ledger mutant ``index`` of run ``seed``: an example twin changed 1–3 times inside, or its
    bytes flipped (one time in ten)."""
    rng = random.Random(f"chuangcheng-ledger-fuzz:{seed}:{index}")
    files = corpus()
    base = files[rng.randrange(len(files))]
    raw = base.read_bytes()
    if rng.random() < 0.1:
        data = bytearray(raw)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return Mutant(seed, index, base, ("flip_bytes",), bytes(data))
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    names = list(_PART_MUTATORS)
    ops = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        name = rng.choices(names, weights=[_PART_MUTATORS[n][1] for n in names])[0]
        _PART_MUTATORS[name][0](rng, parts)
        ops.append(name)
    return Mutant(seed, index, base, tuple(ops), _zipped(parts))
