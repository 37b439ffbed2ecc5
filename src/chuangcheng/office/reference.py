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
import zlib
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from .. import limits
from ..errors import Diagnostic, InputError, Severity
from .docx_package import (
    CT,
    MEDIA,
    PKG_REL,
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

_KEEP = {"theme": "application/vnd.openxmlformats-officedocument.theme+xml",
         "fontTable": f"{CT}.fontTable+xml", "numbering": f"{CT}.numbering+xml"}
# No DTD loaded, no entity expanded, nothing fetched, no huge trees: what is copied is re-serialised.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False)
# A picture's file extension → the one its content type is registered under (the rest become PNG).
_PICTURE_EXT = {"jpeg": "jpeg", "jpg": "jpeg", "jpe": "jpeg", "jfif": "jpeg", "png": "png", "gif": "gif",
                "bmp": "bmp", "dib": "bmp", "tif": "tiff", "tiff": "tiff", "emf": "emf", "wmf": "wmf",
                "svg": "svg"}
# Elements that are nothing but a link: without their relationship they go as a whole.
_LINK_ONLY = {"embedRegular", "embedBold", "embedItalic", "embedBoldItalic", "headerReference",
              "footerReference", "printerSettings", "altChunk", "attachedTemplate"}
# What the parts a copied part links to are, for the warning when they cannot come along.
_KINDS = {"font": "嵌入的字体", "oleObject": "嵌入的对象", "package": "嵌入的文件", "hyperlink": "链接",
          "control": "控件", "chart": "图表", "diagramData": "SmartArt 图形", "video": "视频", "audio": "音频"}
# What each copied part must be: the root element and what it is called.
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_ROOTS = {"header": (f"{{{W_NS}}}hdr", "页眉"), "footer": (f"{{{W_NS}}}ftr", "页脚"),
          "theme": (f"{{{_A_NS}}}theme", "主题"), "fontTable": (f"{{{W_NS}}}fonts", "字体表"),
          "numbering": (f"{{{W_NS}}}numbering", "编号")}
_MB = 1024 * 1024
_TEXT_MM = (20.0, 2000.0)  # a text block's sides, in mm, that pictures and tables can be sized to


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _fail(path: Path, message: str, code: str = "CC101") -> InputError:
    return InputError([Diagnostic(str(path), 1, 1, "参考文档", message, code=code)])


class _Broken(Exception):
    """A part of the reference that cannot be read or parsed."""


def _too_big(path: Path, what: str, limit: int) -> InputError:
    return _fail(path, f"{what}超过 {limit / _MB:.3g} MB（可能已损坏，或是解压后极大的“压缩炸弹”），不能使用：请在 "
                       "Word 中打开它，删去或压缩其中的大图片后另存为 .docx，或换一份参考文档", "CC110")


class _Reference:
    """The reference file opened: its parts, read (within the limits) and parsed on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total = 0  # bytes read, uncompressed
        self.warnings: list[Diagnostic] = []
        try:
            if path.stat().st_size > limits.MAX_REFERENCE_BYTES:
                raise _too_big(path, "文件", limits.MAX_REFERENCE_BYTES)
            self.zip = zipfile.ZipFile(path)
            self.names = set(self.zip.namelist())
        except FileNotFoundError:
            raise _fail(path, "文件不存在") from None
        except PermissionError:
            raise _fail(path, "没有读取权限，请检查文件是否被其他程序锁定") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise _fail(path, "不是 Word 文件（.docx）；.doc 或 .wps 文件请先在 Word 或 WPS 中“另存为” .docx") from None
        if "word/document.xml" not in self.names:
            self.zip.close()
            raise _fail(path, "不是 Word 文件（.docx）：缺少 word/document.xml")

    def warn(self, part: str, message: str, ending: str = "，已略去") -> None:
        """A CC111 warning: ``part`` of the reference (or something in it) left out."""
        diag = Diagnostic(str(self.path), 1, 1, "参考文档", f"{part}：{message}{ending}", Severity.WARNING, "CC111")
        if diag not in self.warnings:
            self.warnings.append(diag)

    def read(self, name: str) -> bytes:
        """A part's bytes; over a limit (by its header, or by what it really inflates to) is an error."""
        part, total = limits.MAX_REFERENCE_PART_BYTES, limits.MAX_REFERENCE_TOTAL_BYTES
        try:
            info = self.zip.getinfo(name)
            if info.file_size > part:
                raise _too_big(self.path, f"其中的 {name} 解压后", part)
            with self.zip.open(info) as handle:
                data = handle.read(part + 1)
        except KeyError:
            raise _Broken(f"{name} 不存在") from None
        except RuntimeError:  # zipfile's word for a password
            raise _Broken(f"{name} 有密码保护（请在 Word 中取消密码后另存）") from None
        except NotImplementedError:
            raise _Broken(f"{name} 的压缩方式不受支持") from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
            raise _Broken(f"{name} 无法解压，数据已损坏") from None
        if len(data) > part:
            raise _too_big(self.path, f"其中的 {name} 解压后", part)
        self.total += len(data)
        if self.total > total:
            raise _too_big(self.path, "解压后的内容", total)
        return data

    def xml(self, name: str) -> etree._Element:
        """A part parsed without DTD or entities (a DOCTYPE and entity references are left out)."""
        try:
            root = etree.fromstring(self.read(name), _PARSER)
        except etree.XMLSyntaxError as exc:
            raise _Broken(f"{name} 不是完好的 XML（第 {exc.lineno} 行出错）") from None
        if root.getroottree().docinfo.doctype:
            self.warn(name, "含有文档类型声明（DOCTYPE）")
        for entity in list(root.iter(etree.Entity)):
            self.warn(name, f"含有实体引用 {entity.text}")
            _remove(entity)
        return root

    def required(self, name: str) -> etree._Element:
        """A part the report cannot do without: when broken, the reference cannot be used."""
        try:
            return self.xml(name)
        except _Broken as exc:
            raise _fail(self.path, f"文件已损坏（{exc}），请在 Word 中打开后重新保存") from None

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """A part's relationships: id → (type, target as a part name, external)."""
        folder, name = posixpath.split(part)
        rels_name = f"{folder}/_rels/{name}.rels"
        if rels_name not in self.names:
            return {}
        try:
            tree = self.xml(rels_name)
        except _Broken as exc:
            self.warn(part, f"关系表无法读取（{exc}），其中的图片和链接")
            return {}
        out = {}
        for rel in tree.iter(f"{{{PKG_REL}}}Relationship"):
            external = rel.get("TargetMode") == "External"
            target = rel.get("Target", "")
            if not external:
                target = target.split("#", 1)[0]
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                if target not in self.names and unquote(target) in self.names:  # a part name is a URI
                    target = unquote(target)
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


def _prune(ref: _Reference, part: str, root: etree._Element, kept: dict[str, str], known: set[str]) -> None:
    """Point every ``r:`` link of ``root`` at its kept relationship's new id (``kept``: old → new),
    or drop it: the element when it is nothing but that link (an embedded font, a header
    reference), else the attribute. Links to no relationship at all (``known`` are those that
    exist, already warned of) get a warning."""
    for element in list(root.iter(tag=etree.Element)):
        for attr in [a for a in element.attrib if a.startswith(f"{{{R_NS}}}")]:
            value = element.get(attr, "")
            if value in kept:
                element.set(attr, kept[value])
                continue
            local = etree.QName(element).localname
            if value not in known:
                ref.warn(part, f"{local} 的链接 {value} 指向不存在的内容")
            if local in _LINK_ONLY:
                _remove(element)
                break
            del element.attrib[attr]


def _xml_bytes(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


class _Copier:
    """Copies parts of the reference into the report: each re-serialised, with a content type,
    its pictures and links; what cannot be used is left out with a CC111 warning."""

    def __init__(self, ref: _Reference, parts: dict[str, bytes], overrides: dict[str, str]) -> None:
        self.ref = ref
        self.parts = parts
        self.overrides = overrides
        self.media: set[str] = set()  # extensions
        self.pictures: dict[str, str | None] = {}  # source part → copied part (None: unusable)

    def part(self, source: str, name: str, content_type: str, kind: str) -> bool:
        """Copy ``source`` as ``name`` (directly in word/), when it is what its link says (``kind``,
        a key of :data:`_ROOTS`); False when it had to be left out."""
        try:
            root = self.ref.xml(source)
        except _Broken as exc:
            self.ref.warn(source, f"无法使用（{exc}）")
            return False
        if root.tag != _ROOTS[kind][0]:
            self.ref.warn(source, f"被当作{_ROOTS[kind][1]}引用，却不是{_ROOTS[kind][1]}")
            return False
        rels: dict[str, str] = {}  # old id → its <Relationship>, renumbered (an Id must be an XML name)
        found = self.ref.rels(source)
        for rid, (kind, target, external) in found.items():
            short, new = kind.rsplit("/", 1)[-1], f"rId{len(rels) + 1}"
            if external and short == "hyperlink":
                rels[rid] = relationship(new, kind, target, True)
            elif not external and short == "image":
                if copied := self.picture(source, target):  # else warned of
                    rels[rid] = relationship(new, kind, copied[5:])
            else:
                self.ref.warn(source, f"{_KINDS.get(short, short)}（{target}）无法带上")
        _prune(self.ref, source, root, {rid: f"rId{n}" for n, rid in enumerate(rels, 1)}, set(found))
        self.parts[name] = _xml_bytes(root)
        self.overrides[name] = content_type
        if rels:
            self.parts[f"word/_rels/{name[5:]}.rels"] = relationships_xml("".join(rels.values()))
        return True

    def picture(self, part: str, source: str) -> str | None:
        """The copied picture's part name, once per source; None (with a warning) when unusable."""
        if source not in self.pictures:
            self.pictures[source] = self._picture(part, source)
        return self.pictures[source]

    def _picture(self, part: str, source: str) -> str | None:
        if source not in self.ref.names:
            self.ref.warn(part, f"图片 {source} 不在文件里")
            return None
        try:
            data = self.ref.read(source)
        except _Broken as exc:
            self.ref.warn(part, f"图片无法使用（{exc}）")
            return None
        ext = _PICTURE_EXT.get(posixpath.splitext(source)[1].lstrip(".").lower())
        if ext is None:
            from ..read.images import PhotoError, png_bytes

            try:
                data, ext = png_bytes(data), "png"
            except PhotoError:
                self.ref.warn(part, f"图片 {source} 的格式 Word 不能显示")
                return None
        name = f"word/media/ref{len(self.pictures) + 1}.{ext}"
        self.parts[name] = data
        self.media.add(ext)
        return name


def _styles(ref: _Reference, base: Package) -> tuple[bytes, dict[str, str]]:
    """The reference's styles, with ours added where it has none of the same name."""
    ours = etree.fromstring(base.parts["word/styles.xml"], _PARSER)
    if "word/styles.xml" not in ref.names:
        return base.parts["word/styles.xml"], {}
    theirs = ref.required("word/styles.xml")
    if theirs.tag != _w("styles"):
        ref.warn("word/styles.xml", "不是 Word 的样式表")
        return base.parts["word/styles.xml"], {}
    _prune(ref, "word/styles.xml", theirs, {}, set())

    def name_of(style: etree._Element) -> tuple[str, str]:  # its type and name: a paragraph style for one
        name = style.find(_w("name"))
        return style.get(_w("type"), "paragraph"), (name.get(_w("val"), "") if name is not None else "").lower()

    by_name = {name_of(s): s.get(_w("styleId"), "") for s in theirs.iterfind(_w("style")) if s.get(_w("styleId"))}
    taken = {s.get(_w("styleId"), "") for s in theirs.iterfind(_w("style"))}
    ids: dict[str, str] = {}
    added = []
    for style in ours.iterfind(_w("style")):
        own = style.get(_w("styleId"), "")
        if name_of(style) in by_name:
            ids[own] = by_name[name_of(style)]
        else:
            ids[own] = own
            while ids[own] in taken:
                ids[own] = f"cc{ids[own]}"
            taken.add(ids[own])
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
    return _xml_bytes(theirs), changed


def _mm(element: etree._Element | None, attr: str, default: float) -> float:
    value = element.get(_w(attr)) if element is not None else None
    try:
        return int(value) * 25.4 / 1440 if value is not None else default
    except ValueError:
        return default


def merge(base: Package, path: Path) -> Package:
    """``base`` (chuangcheng's parts for a layout) over the reference document at ``path``;
    the file is closed at once (on Windows an open file keeps Word from saving it)."""
    ref = _Reference(path)
    try:
        return _merge(base, ref)
    finally:
        ref.zip.close()


def _merge(base: Package, ref: _Reference) -> Package:
    document = ref.required("word/document.xml")
    body = document.find(_w("body"))
    section = body.find(_w("sectPr")) if body is not None else None
    doc_rels = ref.rels("word/document.xml")
    styles, ids = _styles(ref, base)
    parts = {name: data for name, data in base.parts.items() if not name.startswith("word/footer")}
    parts["word/styles.xml"] = styles
    relationships = (relationship("rIdStyles", f"{REL}/styles", "styles.xml")
                     + relationship("rIdSettings", f"{REL}/settings", "settings.xml"))
    overrides = {"word/document.xml": f"{CT}.document.main+xml", "word/styles.xml": f"{CT}.styles+xml",
                 "word/settings.xml": f"{CT}.settings+xml"}
    copier = _Copier(ref, parts, overrides)
    for kind, target, external in doc_rels.values():
        short = kind.rsplit("/", 1)[-1]
        name = f"word/{short}.xml"
        if short in _KEEP and not external and name not in parts and target in ref.names \
                and copier.part(target, name, _KEEP[short], short):
            relationships += relationship(f"rIdRef{short}", kind, name[5:])
    if section is None:  # no page setup of its own: chuangcheng's
        section_xml = base.section
        own_footers = True
    else:
        section = copy.deepcopy(section)
        kept: set[str] = set()
        seen: set[tuple[str, str]] = set()  # (header or footer, type): one of each
        for n, link in enumerate([*section.iterfind(_w("headerReference")), *section.iterfind(_w("footerReference"))]):
            kind, target, external = doc_rels.get(link.get(f"{{{R_NS}}}id", ""), ("", "", True))
            part = "header" if link.tag == _w("headerReference") else "footer"
            if (part, link.get(_w("type"), "default")) in seen:
                _remove(link)
                continue
            seen.add((part, link.get(_w("type"), "default")))
            name = f"word/{part}ref{n + 1}.xml"
            if external or target not in ref.names or not copier.part(target, name, f"{CT}.{part}+xml", part):
                if not external and target and target not in ref.names:
                    ref.warn("word/document.xml", f"{part} {target} 不在文件里")
                _remove(link)
                continue
            link.set(f"{{{R_NS}}}id", f"rIdPart{n + 1}")
            kept.add(f"rIdPart{n + 1}")
            relationships += relationship(f"rIdPart{n + 1}", f"{REL}/{part}", name[5:])
        _prune(ref, "word/document.xml", section, {k: k for k in kept}, set(doc_rels))
        own_footers = section.find(_w("footerReference")) is None
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
        page_number = xml_attr(ids.get("PageNumber", "PageNumber"))
        for name, data in base.parts.items():
            if name.startswith("word/footer"):
                parts[name] = data.replace(b'w:val="PageNumber"', f'w:val="{page_number}"'.encode())
                overrides[name] = f"{CT}.footer+xml"
        relationships += "".join(relationship(f"rIdFooter{n}", f"{REL}/footer", f"footer{n}.xml")
                                 for n in (1, 2) if f"word/footer{n}.xml" in base.parts)
    settings = _optional(ref, "word/settings.xml")
    even_odd = (own_footers and b"evenAndOddHeaders" in base.parts["word/settings.xml"]) or (
        settings is not None and settings.find(_w("evenAndOddHeaders")) is not None)
    mirror = settings is not None and settings.find(_w("mirrorMargins")) is not None
    parts["word/settings.xml"] = settings_xml(even_odd, mirror).encode()
    parts["[Content_Types].xml"] = content_types(overrides, copier.media & MEDIA.keys()).encode()
    size = section.find(_w("pgSz")) if section is not None else None
    margins = section.find(_w("pgMar")) if section is not None else None
    width, height = _mm(size, "w", 210), _mm(size, "h", 297)
    text = (width - _mm(margins, "left", 28) - _mm(margins, "right", 26),
            height - _mm(margins, "top", 37) - _mm(margins, "bottom", 35))
    if not all(_TEXT_MM[0] <= side <= _TEXT_MM[1] for side in text):  # pictures and tables need a page
        ref.warn("word/document.xml", "页面设置的版心（纸张减去页边距）不合常理，图片和表格按默认的版心排", "")
        text = base.text_mm
    return Package(parts, base.document_start, section_xml, relationships, text, ids, tuple(ref.warnings))


def _optional(ref: _Reference, name: str) -> etree._Element | None:
    """A part the report can do without: None (with a warning) when missing or broken."""
    if name not in ref.names:
        return None
    try:
        return ref.xml(name)
    except _Broken as exc:
        ref.warn(name, f"无法使用（{exc}）")
        return None
