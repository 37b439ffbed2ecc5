"""What makes a .docx readable by Word, WPS and LibreOffice, checked from the outside.

``problems(data)`` lists every way a package breaks the rules that matter: the zip, every XML
part well-formed (and without a DTD), a content type for every part, every internal
relationship's target present, every ``r:id``/``r:embed`` in a part known to that part's
relationships, and python-docx able to open it. An empty list means the file is sound.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def problems(data: bytes | Path) -> list[str]:
    """Every defect of the package ``data`` (bytes or a path), as short English lines."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    try:
        package = zipfile.ZipFile(io.BytesIO(raw))
        bad = package.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        return [f"not a zip: {exc}"]
    if bad is not None:
        return [f"zip member {bad} is corrupt"]
    names = [n for n in package.namelist() if not n.endswith("/")]
    found: list[str] = []
    trees: dict[str, etree._Element] = {}
    for name in names:
        if name.endswith((".xml", ".rels")):
            text = package.read(name)
            if b"<!DOCTYPE" in text[:4096]:
                found.append(f"{name}: has a DOCTYPE")
            try:
                trees[name] = etree.fromstring(text, _PARSER)
            except etree.XMLSyntaxError as exc:
                found.append(f"{name}: not well-formed XML: {exc}")
    types = trees.get("[Content_Types].xml")
    if types is None:
        return [*found, "no [Content_Types].xml"]
    defaults = {d.get("Extension", "").lower() for d in types.iter(f"{_CT_NS}Default")}
    overrides = {o.get("PartName", "").lstrip("/") for o in types.iter(f"{_CT_NS}Override")}
    for name in names:
        if name == "[Content_Types].xml":
            continue
        if name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            found.append(f"{name}: no content type")
    for name in overrides:
        if name not in names:
            found.append(f"content type for a missing part {name}")
    if "_rels/.rels" not in trees:
        found.append("no _rels/.rels")
    for part in ["", *names]:
        rels = trees.get(_rels_name(part) if part else "_rels/.rels")
        ids: set[str] = set()
        if rels is not None:
            folder = posixpath.dirname(part)
            for rel in rels.iter(f"{_REL_NS}Relationship"):
                ids.add(rel.get("Id", ""))
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target", "")
                resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                if resolved not in names:
                    found.append(f"{part or '/'}: relationship {rel.get('Id')} targets missing {resolved}")
        tree = trees.get(part)
        if tree is None or part.endswith(".rels"):
            continue
        for element in tree.iter():
            for attr, value in element.attrib.items():
                if attr.startswith(f"{{{_R_NS}}}") and value and value not in ids:
                    found.append(f"{part}: {attr.split('}')[1]}={value} has no relationship")
    if not found:
        import docx

        try:
            docx.Document(io.BytesIO(raw))
        except Exception as exc:  # python-docx raises many kinds
            found.append(f"python-docx cannot open it: {type(exc).__name__}: {exc}")
    return found
