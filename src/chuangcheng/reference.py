"""An office's own Word file as reference document, as pandoc's ``reference.docx``: the report
takes its page setup, styles, header and footer; its body text is ignored.

Styles are matched by name (``Normal``, ``heading 1``, ``Title``, ``落款`` …, as Word stores them
whatever the language of its menus). A style the reference does not define is added from
chuangcheng's own, so a plain letterhead still gets GB/T 9704 headings and sign-off. Without a
footer of its own the reference keeps chuangcheng's ``— 1 —`` page numbers.
"""

from __future__ import annotations

import copy
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from .docx_package import CT, MEDIA, R_NS, REL, W_NS, Package, content_types, relationships_xml, settings_xml
from .errors import Diagnostic, InputError

_KEEP = {"theme": "application/vnd.openxmlformats-officedocument.theme+xml",
         "fontTable": f"{CT}.fontTable+xml", "numbering": f"{CT}.numbering+xml"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _fail(path: Path, message: str) -> InputError:
    return InputError([Diagnostic(str(path), 1, 1, "参考文档", message, code="CC101")])


class _Reference:
    """The reference file opened: its parts, read and parsed on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            self.names = set(self.zip.namelist())
        except FileNotFoundError:
            raise _fail(path, "文件不存在") from None
        except (zipfile.BadZipFile, OSError):
            raise _fail(path, "不是 Word 文件（.docx）；.doc 或 .wps 文件请先在 Word 或 WPS 中“另存为” .docx") from None
        if "word/document.xml" not in self.names:
            raise _fail(path, "不是 Word 文件（.docx）：缺少 word/document.xml")

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.zip.read(name), _PARSER)
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise _fail(self.path, f"文件已损坏（{name}：{exc}），请在 Word 中打开后重新保存") from None

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """A part's relationships: id → (type, target as a part name, external)."""
        folder, name = posixpath.split(part)
        rels_name = f"{folder}/_rels/{name}.rels"
        if rels_name not in self.names:
            return {}
        out = {}
        for rel in self.xml(rels_name):
            external = rel.get("TargetMode") == "External"
            target = rel.get("Target", "")
            if not external:
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", ""), target, external)
        return out


def _styles(ref: _Reference, base: Package) -> tuple[bytes, dict[str, str]]:
    """The reference's styles, with ours added where it has none of the same name."""
    ours = etree.fromstring(base.parts["word/styles.xml"], _PARSER)
    if "word/styles.xml" not in ref.names:
        return base.parts["word/styles.xml"], {}
    theirs = ref.xml("word/styles.xml")

    def name_of(style: etree._Element) -> str:
        name = style.find(_w("name"))
        return (name.get(_w("val"), "") if name is not None else "").lower()

    by_name = {name_of(s): s.get(_w("styleId"), "") for s in theirs.iterfind(_w("style"))}
    taken = set(by_name.values())
    ids: dict[str, str] = {}
    added = []
    for style in ours.iterfind(_w("style")):
        own = style.get(_w("styleId"), "")
        if name_of(style) in by_name:
            ids[own] = by_name[name_of(style)]
        else:
            ids[own] = own if own not in taken else f"cc{own}"
            added.append(style)
    for style in added:
        clone = copy.deepcopy(style)
        clone.set(_w("styleId"), ids[clone.get(_w("styleId"), "")])
        for tag in ("basedOn", "next", "link"):
            link = clone.find(_w(tag))
            if link is not None:
                link.set(_w("val"), ids.get(link.get(_w("val"), ""), link.get(_w("val"), "")))
        theirs.append(clone)
    changed = {k: v for k, v in ids.items() if k != v}
    return etree.tostring(theirs, xml_declaration=True, encoding="UTF-8", standalone=True), changed


def _mm(element: etree._Element | None, attr: str, default: float) -> float:
    value = element.get(_w(attr)) if element is not None else None
    try:
        return int(value) * 25.4 / 1440 if value is not None else default
    except ValueError:
        return default


def merge(base: Package, path: Path) -> Package:
    """``base`` (chuangcheng's parts for a layout) over the reference document at ``path``."""
    ref = _Reference(path)
    document = ref.xml("word/document.xml")
    body = document.find(_w("body"))
    section = body.find(_w("sectPr")) if body is not None else None
    doc_rels = ref.rels("word/document.xml")
    styles, ids = _styles(ref, base)
    parts = {name: data for name, data in base.parts.items() if not name.startswith("word/footer")}
    parts["word/styles.xml"] = styles
    relationships = (f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>'
                     f'<Relationship Id="rIdSettings" Type="{REL}/settings" Target="settings.xml"/>')
    overrides = {"word/document.xml": f"{CT}.document.main+xml", "word/styles.xml": f"{CT}.styles+xml",
                 "word/settings.xml": f"{CT}.settings+xml"}
    media: set[str] = set()
    for rid, (kind, target, external) in doc_rels.items():
        short = kind.rsplit("/", 1)[-1]
        if short in _KEEP and not external and target in ref.names:
            parts[target] = ref.zip.read(target)
            overrides[target] = _KEEP[short]
            relationships += f'<Relationship Id="rIdRef{rid}" Type="{kind}" Target="{target[5:]}"/>'
    if section is None:  # no page setup of its own: chuangcheng's
        section_xml = base.section
        own_footers = True
    else:
        section = copy.deepcopy(section)
        own_footers = section.find(_w("footerReference")) is None
        for n, link in enumerate([*section.iterfind(_w("headerReference")), *section.iterfind(_w("footerReference"))]):
            kind, target, external = doc_rels.get(link.get(f"{{{R_NS}}}id", ""), ("", "", True))
            if external or target not in ref.names:
                section.remove(link)
                continue
            part = "header" if link.tag == _w("headerReference") else "footer"
            name = f"word/{part}ref{n + 1}.xml"
            parts[name] = ref.zip.read(target)
            overrides[name] = f"{CT}.{part}+xml"
            link.set(f"{{{R_NS}}}id", f"rIdPart{n + 1}")
            relationships += f'<Relationship Id="rIdPart{n + 1}" Type="{kind}" Target="{name[5:]}"/>'
            part_rels = ""
            for pid, (pkind, ptarget, pexternal) in ref.rels(target).items():
                if pexternal:
                    part_rels += f'<Relationship Id="{pid}" Type="{pkind}" Target="{ptarget}" TargetMode="External"/>'
                elif ptarget in ref.names:
                    copied = f"word/media/ref{n + 1}-{posixpath.basename(ptarget)}"
                    parts[copied] = ref.zip.read(ptarget)
                    media.add(copied.rsplit(".", 1)[-1].lower())
                    part_rels += f'<Relationship Id="{pid}" Type="{pkind}" Target="{copied[5:]}"/>'
            if part_rels:
                parts[f"word/_rels/{name[5:]}.rels"] = relationships_xml(part_rels)
        headers = {h.get(_w("type"), "default"): h for h in section.iterfind(_w("headerReference"))}
        outside = b"evenAndOddHeaders" in base.parts["word/settings.xml"]
        if own_footers and outside and "default" in headers and "even" not in headers:
            even = copy.deepcopy(headers["default"])  # our page numbers split odd and even pages:
            even.set(_w("type"), "even")  # the letterhead goes on both
            headers["default"].addnext(even)
        if own_footers:  # no footer: chuangcheng's page numbers, put first as the schema orders them
            ours = etree.fromstring(f'<w:sectPr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
                                    + base.section.split(">", 1)[1], _PARSER)
            for n, link in enumerate(ours.iterfind(_w("footerReference"))):
                section.insert(n, link)
        section_xml = etree.tostring(section, encoding="unicode")
    if own_footers:
        for name, data in base.parts.items():
            if name.startswith("word/footer"):
                parts[name] = data.replace(b'w:val="PageNumber"', f'w:val="{ids.get("PageNumber", "PageNumber")}"'
                                           .encode())
                overrides[name] = f"{CT}.footer+xml"
        relationships += "".join(f'<Relationship Id="rIdFooter{n}" Type="{REL}/footer" Target="footer{n}.xml"/>'
                                 for n in (1, 2) if f"word/footer{n}.xml" in base.parts)
    settings = ref.xml("word/settings.xml") if "word/settings.xml" in ref.names else None
    even_odd = (own_footers and b"evenAndOddHeaders" in base.parts["word/settings.xml"]) or (
        settings is not None and settings.find(_w("evenAndOddHeaders")) is not None)
    mirror = settings is not None and settings.find(_w("mirrorMargins")) is not None
    parts["word/settings.xml"] = settings_xml(even_odd, mirror).encode()
    parts["[Content_Types].xml"] = content_types(overrides, media & MEDIA.keys()).encode()
    size = section.find(_w("pgSz")) if section is not None else None
    margins = section.find(_w("pgMar")) if section is not None else None
    width, height = _mm(size, "w", 210), _mm(size, "h", 297)
    text = (width - _mm(margins, "left", 28) - _mm(margins, "right", 26),
            height - _mm(margins, "top", 37) - _mm(margins, "bottom", 35))
    return Package(parts, base.document_start, section_xml, relationships, text, ids)
