"""An office's own Word file as reference document, as pandoc's ``reference.docx``: the report
takes its page setup, styles, header and footer; its body text is ignored.

Styles are matched by name (``Normal``, ``heading 1``, ``Title``, ``落款`` …, as Word stores them
whatever the language of its menus). A style the reference does not define is added from
chuangcheng's own, so a plain letterhead still gets GB/T 9704 headings and sign-off. Without a
footer of its own the reference keeps chuangcheng's ``— 1 —`` page numbers.
"""

from __future__ import annotations

import copy
import dataclasses
import posixpath
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from .docx_package import (
    CT,
    MEDIA,
    R_NS,
    REL,
    W_NS,
    Package,
    content_types,
    relationship,
    relationships_xml,
    settings_xml,
    xml_attr,
)
from .errors import Diagnostic, InputError, Severity
from .limits import MAX_REFERENCE_BYTES, MAX_REFERENCE_PART_BYTES, MAX_REFERENCE_TOTAL_BYTES

_KEEP = {"theme": "application/vnd.openxmlformats-officedocument.theme+xml",
         "fontTable": f"{CT}.fontTable+xml", "numbering": f"{CT}.numbering+xml"}
# No DTD is loaded, no entity expanded, nothing fetched; a DOCTYPE is dropped when the part is written again.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# Picture types Word shows, by what a package or a file name says: → the extension we store them under.
_PICTURE_TYPES = {"image/jpeg": "jpeg", "image/pjpeg": "jpeg", "image/png": "png", "image/gif": "gif",
                  "image/bmp": "bmp", "image/tiff": "tiff", "image/x-emf": "emf", "image/x-wmf": "wmf",
                  "image/svg+xml": "svg"}
_EXTENSION_TYPES = {**{ext: kind for ext, kind in MEDIA.items()}, "jfif": "image/jpeg", "jpe": "image/jpeg",
                    "jfi": "image/jpeg", "dib": "image/bmp"}
_PILLOW_FORMATS = {"JPEG": "jpeg", "PNG": "png", "GIF": "gif", "BMP": "bmp", "TIFF": "tiff"}
_MB = 1024 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _fail(path: Path, message: str) -> InputError:
    return InputError([Diagnostic(str(path), 1, 1, "参考文档", message, code="CC101")])


class _Reference:
    """The reference file opened: its parts, read (within the limits) and parsed on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total = 0
        self.notes: list[str] = []  # parts or links left out (CC111)
        try:
            size = path.stat().st_size
            if size > MAX_REFERENCE_BYTES:
                raise _fail(path, f"文件有 {size / _MB:.0f} MB，超过参考文档的上限 {MAX_REFERENCE_BYTES // _MB} MB；"
                                  "信笺只需页面设置、样式和页眉页脚，请删掉正文和大图片后另存")
            self.zip = zipfile.ZipFile(path)
            self.names = set(self.zip.namelist())
        except FileNotFoundError:
            raise _fail(path, "文件不存在") from None
        except _ZIP_ERRORS:
            raise _fail(path, "不是 Word 文件（.docx）；.doc 或 .wps 文件请先在 Word 或 WPS 中“另存为” .docx") from None
        if "word/document.xml" not in self.names:
            raise _fail(path, "不是 Word 文件（.docx）：缺少 word/document.xml")
        self.types = self._content_types()

    def read(self, name: str) -> bytes:
        """One part's bytes; a part or a sum over the limits is an error (a zip bomb stops there,
        whatever its header claims)."""
        damaged = f"文件已损坏（{name}），请在 Word 中打开后重新保存"
        try:
            info = self.zip.getinfo(name)
            too_big = info.file_size > MAX_REFERENCE_PART_BYTES
            out = bytearray()
            with self.zip.open(info) as part:
                while not too_big and (chunk := part.read(1 << 16)):
                    out += chunk
                    too_big = len(out) > MAX_REFERENCE_PART_BYTES
        except KeyError:
            raise _fail(self.path, f"文件已损坏（缺少 {name}），请在 Word 中打开后重新保存") from None
        except _ZIP_ERRORS:
            raise _fail(self.path, damaged) from None
        if too_big:
            raise _fail(self.path, f"{name} 解压后超过 {MAX_REFERENCE_PART_BYTES // _MB} MB，不像是信笺；"
                                   "请删掉其中的大图片或对象后另存为 .docx")
        self.total += len(out)
        if self.total > MAX_REFERENCE_TOTAL_BYTES:
            raise _fail(self.path, f"解压后超过 {MAX_REFERENCE_TOTAL_BYTES // _MB} MB，不像是信笺；"
                                   "请删掉正文和大图片后另存为 .docx")
        return bytes(out)

    def xml(self, name: str) -> etree._Element:
        """A part parsed safely: no DTD, no entities (an entity reference is dropped)."""
        try:
            root = etree.fromstring(self.read(name), _PARSER)
        except (etree.XMLSyntaxError, ValueError):
            raise _fail(self.path, f"文件已损坏（{name} 不是有效的 XML），请在 Word 中打开后重新保存") from None
        for entity in list(root.iter(etree.Entity)):
            _remove(entity)
        return root

    def _content_types(self) -> dict[str, str]:
        """Part name (``/word/…``) or ``.ext`` → content type, as the package declares them."""
        if "[Content_Types].xml" not in self.names:
            return {}
        types = {}
        for item in self.xml("[Content_Types].xml"):
            if item.tag == f"{{{_CT_NS}}}Default":
                types["." + item.get("Extension", "").lower()] = item.get("ContentType", "")
            elif item.tag == f"{{{_CT_NS}}}Override":
                types[item.get("PartName", "").lower()] = item.get("ContentType", "")
        return types

    def picture_type(self, name: str) -> str | None:
        """The content type a picture part has, by the package or by its file name."""
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return self.types.get("/" + name.lower()) or self.types.get("." + ext) or _EXTENSION_TYPES.get(ext)

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


def _remove(node: etree._Element) -> None:
    """Take ``node`` out of its tree, keeping the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _to_png(data: bytes) -> bytes | None:
    """A picture Word may not show (WebP …) as PNG, or None when Pillow cannot read it."""
    import io

    from .images import PhotoError, picture_bytes

    try:
        return picture_bytes(io.BytesIO(data))
    except PhotoError:
        return None


class _Copier:
    """Parts of the reference copied into the report: each re-serialized, with only the links
    that still lead somewhere, and a content type for every picture."""

    def __init__(self, ref: _Reference, parts: dict[str, bytes]) -> None:
        self.ref = ref
        self.parts = parts
        self.pictures: dict[str, str] = {}  # reference part → our part
        self.extensions: set[str] = set()

    def picture(self, source: str) -> str | None:
        """The picture ``source`` copied as ``word/media/ref<n>.<ext>``, or None if Word could not show it."""
        if source in self.pictures:
            return self.pictures[source]
        data = self.ref.read(source)
        ext = _PICTURE_TYPES.get(self.ref.picture_type(source) or "")
        if ext is None:
            ext = _sniff(data)
        if ext is None:
            converted = _to_png(data)
            if converted is None:
                return None
            data, ext = converted, "png"
        name = f"word/media/ref{len(self.pictures) + 1}.{ext}"
        self.parts[name] = data
        self.extensions.add(ext)
        self.pictures[source] = name
        return name

    def copy(self, source: str, dest: str, root_tag: str | None = None) -> bool:
        """``source`` as part ``dest`` with its pictures and external links; whatever else it links
        to (embedded fonts, other files) is dropped with a note, and so are the references to it.
        False (nothing copied) when ``root_tag`` is given and the part is something else."""
        root = self.ref.xml(source)
        if root_tag is not None and root.tag != _w(root_tag):
            self.ref.notes.append(f"{source} 不是{'页眉' if root_tag == 'hdr' else '页脚'}，已去掉")
            return False
        kept: list[str] = []
        lost: list[str] = []
        for rid, (kind, target, external) in self.ref.rels(source).items():
            if external:
                kept.append(relationship(rid, kind, target, external=True))
                continue
            copied = self.picture(target) if target in self.ref.names and kind.endswith("/image") else None
            if copied is None:
                lost.append(_what(kind, target))
                continue
            kept.append(relationship(rid, kind, posixpath.relpath(copied, posixpath.dirname(dest))))
        ids = {rid for rid, (kind, target, external) in self.ref.rels(source).items()
               if external or (target in self.pictures and kind.endswith("/image"))}
        if _prune(root, ids) and not lost:
            lost.append("指向缺少部件的引用")
        if lost:
            self.ref.notes.append(f"{source} 中的{'、'.join(dict.fromkeys(lost))}无法带到报告里，已去掉")
        self.parts[dest] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if kept:
            folder, name = posixpath.split(dest)
            self.parts[f"{folder}/_rels/{name}.rels"] = relationships_xml("".join(kept))
        return True


def _what(kind: str, target: str) -> str:
    short = kind.rsplit("/", 1)[-1]
    return {"font": "嵌入的字体", "image": f"图片 {posixpath.basename(target)}"}.get(short, f"{short} 部件")


def _sniff(data: bytes) -> str | None:
    """The extension of a picture Word shows, from its bytes (Pillow), or None."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return _PILLOW_FORMATS.get(image.format or "")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def _prune(root: etree._Element, ids: set[str]) -> bool:
    """Remove references (``r:id``, ``r:embed`` …) to relationships not in ``ids``: a hyperlink
    keeps its text, any other element goes. True when something was removed."""
    doomed, changed = [], False
    for element in root.iter():
        for attr, value in list(element.attrib.items()):
            if attr.startswith(f"{{{R_NS}}}") and value not in ids:
                changed = True
                if element.tag == _w("hyperlink"):
                    del element.attrib[attr]
                else:
                    doomed.append(element)
    for element in doomed:
        if element is not root:
            _remove(element)
    return changed


def _styles(ref: _Reference, base: Package) -> tuple[bytes, dict[str, str]]:
    """The reference's styles, with ours added where it has none of the same name."""
    ours = etree.fromstring(base.parts["word/styles.xml"], _PARSER)
    if "word/styles.xml" not in ref.names:
        return base.parts["word/styles.xml"], {}
    theirs = ref.xml("word/styles.xml")
    if _prune(theirs, set()):
        ref.notes.append("word/styles.xml 中指向其他部件的引用无法带到报告里，已去掉")

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
    package = _merge(ref, base)
    notes = tuple(Diagnostic(str(path), 1, 1, "参考文档", note, Severity.WARNING, "CC111")
                  for note in dict.fromkeys(ref.notes))
    return dataclasses.replace(package, notes=notes)


def _merge(ref: _Reference, base: Package) -> Package:
    document = ref.xml("word/document.xml")
    body = document.find(_w("body"))
    section = body.find(_w("sectPr")) if body is not None else None
    doc_rels = ref.rels("word/document.xml")
    styles, ids = _styles(ref, base)
    parts = {name: data for name, data in base.parts.items() if not name.startswith("word/footer")}
    parts["word/styles.xml"] = styles
    copier = _Copier(ref, parts)
    relationships = (relationship("rIdStyles", f"{REL}/styles", "styles.xml")
                     + relationship("rIdSettings", f"{REL}/settings", "settings.xml"))
    overrides = {"word/document.xml": f"{CT}.document.main+xml", "word/styles.xml": f"{CT}.styles+xml",
                 "word/settings.xml": f"{CT}.settings+xml"}
    for k, (kind, target, external) in enumerate(doc_rels.values(), 1):
        short = kind.rsplit("/", 1)[-1]
        if short in _KEEP and not external and target in ref.names and target.startswith("word/"):
            copier.copy(target, target)
            overrides[target] = _KEEP[short]
            relationships += relationship(f"rIdRef{k}", kind, target[5:])
    if section is None:  # no page setup of its own: chuangcheng's
        section_xml = base.section
        own_footers = True
    else:
        section = copy.deepcopy(section)
        for n, link in enumerate([*section.iterfind(_w("headerReference")), *section.iterfind(_w("footerReference"))]):
            kind, target, external = doc_rels.get(link.get(f"{{{R_NS}}}id", ""), ("", "", True))
            if external or target not in ref.names:
                section.remove(link)
                continue
            part = "header" if link.tag == _w("headerReference") else "footer"
            name = f"word/{part}ref{n + 1}.xml"
            if not copier.copy(target, name, "hdr" if part == "header" else "ftr"):
                section.remove(link)
                continue
            overrides[name] = f"{CT}.{part}+xml"
            link.set(f"{{{R_NS}}}id", f"rIdPart{n + 1}")
            relationships += relationship(f"rIdPart{n + 1}", f"{REL}/{part}", name[5:])
        own_footers = section.find(_w("footerReference")) is None  # none, or none usable
        if _prune(section, _part_ids(section)):
            ref.notes.append("页面设置中指向其他部件的引用（如打印机设置）无法带到报告里，已去掉")
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
                parts[name] = data.replace(b'w:val="PageNumber"',
                                           f'w:val="{xml_attr(ids.get("PageNumber", "PageNumber"))}"'.encode())
                overrides[name] = f"{CT}.footer+xml"
        relationships += "".join(relationship(f"rIdFooter{n}", f"{REL}/footer", f"footer{n}.xml")
                                 for n in (1, 2) if f"word/footer{n}.xml" in base.parts)
    settings = ref.xml("word/settings.xml") if "word/settings.xml" in ref.names else None
    even_odd = (own_footers and b"evenAndOddHeaders" in base.parts["word/settings.xml"]) or (
        settings is not None and settings.find(_w("evenAndOddHeaders")) is not None)
    mirror = settings is not None and settings.find(_w("mirrorMargins")) is not None
    parts["word/settings.xml"] = settings_xml(even_odd, mirror).encode()
    parts["[Content_Types].xml"] = content_types(overrides, copier.extensions).encode()
    size = section.find(_w("pgSz")) if section is not None else None
    margins = section.find(_w("pgMar")) if section is not None else None
    width, height = _mm(size, "w", 210), _mm(size, "h", 297)
    text = (width - _mm(margins, "left", 28) - _mm(margins, "right", 26),
            height - _mm(margins, "top", 37) - _mm(margins, "bottom", 35))
    return Package(parts, base.document_start, section_xml, relationships, text, ids)


def _part_ids(section: etree._Element) -> set[str]:
    """The relationship ids a section's header and footer references were given."""
    return {link.get(f"{{{R_NS}}}id", "") for link in
            [*section.iterfind(_w("headerReference")), *section.iterfind(_w("footerReference"))]}
