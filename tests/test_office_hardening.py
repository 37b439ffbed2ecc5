"""Every file the tool writes is valid by construction (issue 10): text and settings escaped and
cleaned on their way into Word XML; a reference document's parts parsed, re-serialised, typed
and linked, or left out with a CC111 warning; its size bounded; photos of every mode, and none
over the limits; workbook cells from user text are strings."""

from __future__ import annotations

import errno
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from chuangcheng import limits, output
from chuangcheng.check.validate import validate_paths
from chuangcheng.check.verdicts import FileResult, UnitVerdict, Verdicts
from chuangcheng.district.batch import UnitSummary
from chuangcheng.district.indicators import Names, items_of, totals
from chuangcheng.district.workbook import build_workbook
from chuangcheng.errors import InputError, OutputError
from chuangcheng.load.layout import Layout
from chuangcheng.office import pdf
from chuangcheng.office.letterhead import docx_warnings, package
from chuangcheng.office.render import render_unit, unit_layout
from chuangcheng.office.word import build_docx
from chuangcheng.read.images import Pictures, check_picture, load_picture

from . import office_fuzz
from .conftest import MINIMAL
from .docx_check import problems
from .test_reference import _letterhead

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
Parts = dict[str, bytes]


# --- Word XML from text and settings -------------------------------------------------------------

def test_font_names_with_markup_characters_are_escaped() -> None:
    layout = Layout(body_font='仿宋&<"\'>', title_font="A&B", latin_font="Times <New> & Roman",
                    heading_fonts=("黑<体", "楷&体", '仿"宋', "仿'宋"), page_number_font="宋&体")
    data = build_docx("# 标题\n\n正文\n", layout)
    assert problems(data) == []
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:eastAsia="仿宋&amp;&lt;&quot;&apos;&gt;"' in styles


def test_text_xml_forbids_is_dropped_at_the_last_step() -> None:
    text = "民主东路\x01\x08\x0b\x0c\x1f\ufffe\uffff\ud800路口 & <广场>"
    data = build_docx(f"# 标\x02题\n\n{text}\n\n| 项\x03目 | 数量 |\n|---|---|\n| a\x04 | 1 |\n")
    assert problems(data) == []
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "民主东路路口 &amp; &lt;广场&gt;" in document and "项目" in document


# --- reference documents ------------------------------------------------------------------------

def _rezip(path: Path, edit: Callable[[Parts], None], *, target: Path | None = None) -> Path:
    """The .docx at ``path`` with its parts changed by ``edit``, written to ``target`` (or back)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    edit(parts)
    out = target or path
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


def _header(parts: Parts) -> str:
    return next(n for n in parts if re.fullmatch(r"word/header\d*\.xml", n))


def _rels_of(part: str) -> str:
    folder, name = part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


def _render_with(tmp_path: Path, reference: Path) -> tuple[bytes, list[str]]:
    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL, encoding="utf-8")
    layout, _ = unit_layout(unit, reference)
    notes = docx_warnings(layout, ["docx"])  # what of the reference is left out: said once per run
    result = render_unit(unit, tmp_path / "out", ["docx"], layout=layout)
    return (tmp_path / "out" / "官塘社区.docx").read_bytes(), [str(w) for w in [*notes, *result.warnings]]


def _hostile(tmp_path: Path, edit: Callable[[Parts], None]) -> Path:
    """A letterhead (under hostile/: not an output, so conftest does not check it) changed by ``edit``."""
    folder = tmp_path / "hostile"
    folder.mkdir(exist_ok=True)
    return _rezip(_letterhead(folder / "信笺.docx"), edit)


def _add_header_link(parts: Parts, url: str) -> None:
    header = _header(parts)
    rels = parts[_rels_of(header)].decode()
    link = f'<Relationship Id="rIdLink" Type="{RELS}/hyperlink" Target="{url}" TargetMode="External"/>'
    parts[_rels_of(header)] = rels.replace("</Relationships>", link + "</Relationships>").encode()
    xml = parts[header].decode()
    run = '<w:hyperlink r:id="rIdLink"><w:r><w:t>网站</w:t></w:r></w:hyperlink>'
    parts[header] = xml.replace("</w:p>", run + "</w:p>", 1).encode()


def test_a_header_link_with_an_ampersand_stays_escaped(tmp_path: Path) -> None:
    reference = _hostile(tmp_path, lambda parts: _add_header_link(parts, "http://example.cn/?a=1&amp;b=&lt;2&gt;"))
    data, warnings = _render_with(tmp_path, reference)
    assert problems(data) == [] and warnings == []
    package = zipfile.ZipFile(io.BytesIO(data))
    rels = next(package.read(n).decode() for n in package.namelist() if n.startswith("word/_rels/headerref"))
    assert 'Target="http://example.cn/?a=1&amp;b=&lt;2&gt;"' in rels


def _picture_as(ext: str, fmt: str) -> Callable[[Parts], None]:
    def edit(parts: Parts) -> None:
        media = next(n for n in parts if n.startswith("word/media/"))
        image = Image.open(io.BytesIO(parts.pop(media))).convert("RGB")
        out = io.BytesIO()
        image.save(out, fmt)
        parts[f"word/media/logo.{ext}"] = out.getvalue()
        rels = _rels_of(_header(parts))
        parts[rels] = parts[rels].replace(media[5:].encode(), f"media/logo.{ext}".encode())
        types = parts["[Content_Types].xml"].decode()
        default = f'<Default Extension="{ext}" ContentType="image/{fmt.lower()}"/>'
        parts["[Content_Types].xml"] = types.replace("</Types>", default + "</Types>").encode()
    return edit


@pytest.mark.parametrize(("ext", "fmt", "kept_as"), [
    ("jfif", "JPEG", "jpeg"), ("jpe", "JPEG", "jpeg"), ("JPG", "JPEG", "jpeg"), ("webp", "WEBP", "png"),
    ("tif", "TIFF", "tiff"), ("gif", "GIF", "gif"), ("bmp", "BMP", "bmp"),
])
def test_header_pictures_of_every_extension_get_a_content_type(tmp_path: Path, ext: str, fmt: str,
                                                                kept_as: str) -> None:
    data, warnings = _render_with(tmp_path, _hostile(tmp_path, _picture_as(ext, fmt)))
    assert problems(data) == [] and warnings == []
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]
    assert [m.rsplit(".", 1)[1] for m in media] == [kept_as]  # the logo came along


def test_a_header_picture_word_cannot_show_is_left_out_with_a_warning(tmp_path: Path) -> None:
    def edit(parts: Parts) -> None:
        _picture_as("webp", "WEBP")(parts)
        parts["word/media/logo.webp"] = b"RIFF not really a picture"

    data, warnings = _render_with(tmp_path, _hostile(tmp_path, edit))
    assert problems(data) == []
    assert len(warnings) == 1 and "CC111" in warnings[0] and "信笺.docx" in warnings[0] and "logo.webp" in warnings[0]


def _embedded_font(parts: Parts) -> None:
    table = parts["word/fontTable.xml"].decode()
    embed = '<w:embedRegular r:id="rIdFont1" w:fontKey="{00000000-0000-0000-0000-000000000000}"/>'
    table = re.sub(r"(<w:font [^>]*>)", lambda m: m[1] + embed, table, count=1)
    if "xmlns:r=" not in table:
        table = table.replace("<w:fonts ", f'<w:fonts xmlns:r="{RELS}" ', 1)
    parts["word/fontTable.xml"] = table.encode()
    parts["word/_rels/fontTable.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdFont1" '
        f'Type="{RELS}/font" Target="fonts/font1.odttf"/></Relationships>').encode()
    parts["word/fonts/font1.odttf"] = b"\0" * 64
    types = parts["[Content_Types].xml"].decode()
    default = '<Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/>'
    parts["[Content_Types].xml"] = types.replace("</Types>", default + "</Types>").encode()


def test_an_embedded_font_is_left_out_with_a_warning(tmp_path: Path) -> None:
    data, warnings = _render_with(tmp_path, _hostile(tmp_path, _embedded_font))
    assert problems(data) == []
    assert len(warnings) == 1 and "CC111" in warnings[0] and "嵌入的字体" in warnings[0]
    assert "警告" in warnings[0] and "fontTable.xml" in warnings[0]


def test_links_to_missing_parts_are_dropped(tmp_path: Path) -> None:
    def edit(parts: Parts) -> None:
        media = next(n for n in parts if n.startswith("word/media/"))
        del parts[media]  # the header's picture is gone, its relationship stays
        document = parts["word/document.xml"].decode()  # a printer setting linked to nothing
        parts["word/document.xml"] = document.replace(
            "<w:pgSz", '<w:printerSettings r:id="rIdNowhere"/><w:pgSz', 1).encode()

    data, warnings = _render_with(tmp_path, _hostile(tmp_path, edit))
    assert problems(data) == []
    assert any("不在文件里" in w for w in warnings) and any("printerSettings" in w for w in warnings)


def test_a_doctype_and_its_entities_never_reach_the_output(tmp_path: Path) -> None:
    def edit(parts: Parts) -> None:
        header = _header(parts)
        xml = parts[header].decode()
        head, rest = xml.split("?>", 1)
        doctype = '<!DOCTYPE w:hdr [<!ENTITY who "石城街道"><!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        parts[header] = (head + "?>" + doctype + rest.replace("江城区", "江城区&who;&ext;", 1)).encode()

    data, warnings = _render_with(tmp_path, _hostile(tmp_path, edit))
    assert problems(data) == []
    package = zipfile.ZipFile(io.BytesIO(data))
    header = next(package.read(n) for n in package.namelist() if re.fullmatch(r"word/headerref\d+\.xml", n))
    assert b"DOCTYPE" not in header and b"root:" not in header and "江城区石城街道办事处".encode() in header
    assert any("DOCTYPE" in w and "CC111" in w for w in warnings)


def _declared_size(reference: Path, part: str, size: int) -> None:
    """Say in ``reference``'s central directory that ``part`` inflates to ``size`` bytes."""
    data = bytearray(reference.read_bytes())
    name = part.encode()
    at = data.find(b"PK\x01\x02" + b"\0" * 0)  # the first central directory entry
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + name_length]) == name:
            struct.pack_into("<I", data, at + 24, size)
            reference.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(part)


def test_a_zip_bomb_is_an_error_naming_the_reference(tmp_path: Path) -> None:
    reference = _hostile(tmp_path, lambda parts: None)
    with zipfile.ZipFile(reference) as opened:
        header = _header({n: b"" for n in opened.namelist()})
    _declared_size(reference, header, 0xFFFFFFF0)  # a 4 GB header in a file of a few KB
    with pytest.raises(InputError) as caught:
        _render_with(tmp_path, reference)
    message = str(caught.value.diagnostics[0])
    assert str(reference) in message and "CC110" in message and "超过 20 MB" in message and "Word" in message
    assert not (tmp_path / "out" / "官塘社区.docx").exists()


def test_a_highly_compressible_part_counts_by_what_it_inflates_to(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    reference = _hostile(tmp_path, lambda parts: parts.update({"word/fontTable.xml": b" " * 3_000_000 + b"<x/>"}))
    assert reference.stat().st_size < 100_000
    monkeypatch.setattr(limits, "MAX_REFERENCE_PART_BYTES", 2_000_000)
    with pytest.raises(InputError, match="1 处错误") as caught:
        _render_with(tmp_path, reference)
    assert "fontTable.xml" in str(caught.value.diagnostics[0])
    monkeypatch.setattr(limits, "MAX_REFERENCE_PART_BYTES", 20_000_000)
    monkeypatch.setattr(limits, "MAX_REFERENCE_TOTAL_BYTES", 2_500_000)
    with pytest.raises(InputError) as caught:
        _render_with(tmp_path, reference)
    assert "解压后的内容超过" in str(caught.value.diagnostics[0])


def test_a_reference_over_the_file_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = _hostile(tmp_path, lambda parts: None)
    monkeypatch.setattr(limits, "MAX_REFERENCE_BYTES", reference.stat().st_size - 1)
    with pytest.raises(InputError) as caught:
        _render_with(tmp_path, reference)
    assert str(reference) in str(caught.value.diagnostics[0]) and "文件超过" in str(caught.value.diagnostics[0])


@pytest.mark.parametrize("damage", ["truncated", "crc", "header_crc", "not_xml_header", "encrypted", "lying_size",
                                    "not_xml_document"])
def test_a_damaged_reference_is_a_chinese_error_or_a_warning(tmp_path: Path, damage: str) -> None:
    reference = _hostile(tmp_path, lambda parts: None)
    data = bytearray(reference.read_bytes())
    if damage == "truncated":
        reference.write_bytes(bytes(data[: len(data) // 2]))
    elif damage in {"crc", "header_crc"}:
        with zipfile.ZipFile(reference) as opened:
            part = "word/document.xml" if damage == "crc" else _header({n: b"" for n in opened.namelist()})
            info = opened.getinfo(part)
        offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 2
        data[offset] ^= 0xFF
        reference.write_bytes(bytes(data))
    elif damage == "lying_size":  # says 100 bytes, inflates to more: zipfile stops there, the CRC fails
        _declared_size(reference, "word/fontTable.xml", 100)
    elif damage == "not_xml_document":
        _rezip(reference, lambda parts: parts.update({"word/document.xml": b"<w:document><unclosed attr=1>"}))
    elif damage == "not_xml_header":
        _rezip(reference, lambda parts: parts.update({_header(parts): b"<w:hdr>&nbsp;"}))
    else:
        for at in (m.start() for m in re.finditer(b"PK\x01\x02", data)):
            data[at + 8] |= 1  # every entry says: encrypted
        reference.write_bytes(bytes(data))
    try:
        produced, warnings = _render_with(tmp_path, reference)
    except InputError as exc:
        message = str(exc.diagnostics[0])
        assert str(reference) in message and re.search("[\u4e00-\u9fff]", message)
        assert not re.search(r"Error|Traceback|[A-Za-z]{3,} [a-z]{2,}", message.split(": ", 1)[1])  # no English
        return
    assert problems(produced) == [] and warnings and all("CC111" in w for w in warnings)


# --- photos ---------------------------------------------------------------------------------------

def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _palette_with_transparency() -> bytes:
    image = Image.new("P", (40, 30), 1)
    image.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    return _save(image, "PNG", transparency=0)


def _animated_gif() -> bytes:
    frames = [Image.new("P", (40, 30), n) for n in (1, 2, 3)]
    return _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0, transparency=0)


def _turned_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    return _save(Image.new("RGB", (40, 30), (200, 30, 30)), "JPEG", exif=exif.tobytes())


MODES: dict[str, Callable[[], bytes]] = {
    "palette+tRNS.png": _palette_with_transparency,
    "la.png": lambda: _save(Image.new("LA", (40, 30), (100, 128)), "PNG"),
    "rgba.png": lambda: _save(Image.new("RGBA", (40, 30), (1, 2, 3, 4)), "PNG"),
    "cmyk.jpg": lambda: _save(Image.new("CMYK", (40, 30), (0, 100, 200, 10)), "JPEG"),
    "cmyk.tif": lambda: _save(Image.new("CMYK", (40, 30), (0, 100, 200, 10)), "TIFF"),
    "i16.png": lambda: _save(Image.new("I;16", (40, 30), 40000), "PNG"),
    "i32.tif": lambda: _save(Image.new("I", (40, 30), 40000), "TIFF"),
    "float.tif": lambda: _save(Image.new("F", (40, 30), 0.5), "TIFF"),
    "bilevel.png": lambda: _save(Image.new("1", (40, 30), 1), "PNG"),
    "bilevel.bmp": lambda: _save(Image.new("1", (40, 30), 1), "BMP"),
    "grey.jpg": lambda: _save(Image.new("L", (40, 30), 90), "JPEG"),
    "animated.gif": _animated_gif,
    "turned.jpg": _turned_jpeg,
    "photo.webp": lambda: _save(Image.new("RGBA", (40, 30), (9, 9, 9, 9)), "WEBP"),
    "big.png": lambda: _save(Image.new("P", (2000, 1000), 3), "PNG", transparency=3),
}


@pytest.mark.parametrize("name", sorted(MODES))
def test_every_image_mode_renders_to_a_sound_docx(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(MODES[name]())
    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL.replace("    志愿者: 45人\n", f"    志愿者: 45人\n    照片: [{name}]\n"), encoding="utf-8")
    assert check_picture(tmp_path / name, tmp_path) is None
    render_unit(unit, tmp_path / "out", ["docx"])
    data = (tmp_path / "out" / "官塘社区.docx").read_bytes()
    assert problems(data) == []
    package = zipfile.ZipFile(io.BytesIO(data))
    media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(media) == 1
    embedded = Image.open(io.BytesIO(package.read(media[0])))
    assert embedded.mode in {"RGB", "RGBA", "L"} and embedded.format in {"JPEG", "PNG"}
    if name == "turned.jpg":
        assert embedded.size == (30, 40)  # upright
    if name == "i16.png":
        assert embedded.getpixel((0, 0)) == 40000 // 256  # scaled, not clipped to white


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that says ``width`` × ``height`` and holds one row of nothing."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def test_a_png_that_asks_for_gigabytes_is_refused_from_its_header(tmp_path: Path) -> None:
    photo = tmp_path / "huge.png"
    photo.write_bytes(_png_header_only(30000, 30000))
    assert "像素过多" in (check_picture(photo, tmp_path) or "")
    with pytest.raises(Exception, match="像素过多"):
        load_picture(photo)


def test_photos_over_the_pixel_or_byte_limits_are_errors_at_their_line(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.png").write_bytes(_save(Image.new("RGB", (200, 200)), "PNG"))
    (tmp_path / "b.jpg").write_bytes(_save(Image.new("RGB", (20, 20)), "JPEG") + b"\0" * 5000)
    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL.replace("    志愿者: 45人\n", "    志愿者: 45人\n    照片: [a.png, b.jpg]\n"),
                    encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_IMAGE_PIXELS", 10_000)
    monkeypatch.setattr(limits, "MAX_PHOTO_BYTES", 4000)
    with pytest.raises(InputError) as caught:
        render_unit(unit, tmp_path / "out", ["docx"])
    messages = [str(d) for d in caught.value.diagnostics]
    assert len(messages) == 2 and all("CC211" in m for m in messages)
    assert "像素过多" in messages[0] and "文件超过" in messages[1]
    assert not (tmp_path / "out").exists()
    checked = validate_paths([unit])
    found = [d for f in checked.files for d in f.diagnostics if d.code == "CC211"]
    assert len(found) == 2


# --- workbook ---------------------------------------------------------------------------------------

def test_workbook_cells_from_user_text_are_strings() -> None:
    formula = '=HYPERLINK("http://x"&A2,"看")'
    unit = UnitSummary(file="=1+1", name="=cmd|' /C calc'!A0", type="社\x0b\ufffe\ud800区",
                       period=("2026-01-01", "2026-06-30"), activities=1, participants=[], volunteers=[],
                       amounts=[(formula, "3", "条", ""), ("项\x02目", "1", "个", "")], categories=["宣传发动"] * 2,
                       highlights=[], problems=[], outputs=[])
    verdicts = Verdicts([UnitVerdict(unit.name, "通过", [FileResult(unit.file, unit=unit.name)])], 0)
    names = Names()
    indicators = totals([[(n, a) for _, n, a in items_of(unit, names)]])
    data = build_workbook([unit], verdicts, names, "=江城区\x01\ud800", indicators)
    package = zipfile.ZipFile(io.BytesIO(data))
    for name in package.namelist():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(package.read(name))  # every part well-formed
    sheet = package.read("xl/worksheets/sheet1.xml").decode()
    formulas = re.findall(r"<f>(.*?)</f>", sheet)
    assert formulas and all(f.startswith("SUBTOTAL(9,") for f in formulas)  # only our totals
    strings = [t.text for t in etree.fromstring(package.read("xl/sharedStrings.xml")).iter(f"{{{SML}}}t")]
    assert f"{formula}（条）" in strings and "=cmd|' /C calc'!A0" in strings
    assert "社区" in strings and "项目（个）" in strings
    assert [Decimal(v) for v in re.findall(r"<v>([\d.]+)</v>", sheet)[-2:]] == [3, 1]  # the totals


# --- writing bytes ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "只读"),
                                             (errno.EIO, "磁盘读写出错"), (errno.ENOTSUP, "错误号")])
def test_a_full_disk_is_an_output_error_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           code: int, words: str) -> None:
    real = os.fdopen

    class Full(io.BufferedWriter):
        def write(self, data: object) -> int:
            raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.os, "fdopen", lambda fd, mode: Full(real(fd, mode)))
    with pytest.raises(OutputError) as caught:
        output.write_all({tmp_path / "out" / "a.docx": b"x" * 10, tmp_path / "out" / "b.md": b"y"})
    assert words in caught.value.message and "a.docx" in caught.value.message
    assert not re.search("[A-Za-z]{4,} [a-z]{2,}", caught.value.message.split(": ", 1)[1])  # no English
    assert list((tmp_path / "out").iterdir()) == []


def test_a_full_temporary_folder_for_a_pdf_is_an_output_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match="磁盘空间不足"):
        pdf.to_pdf(b"PK", "官塘社区.pdf")


def test_a_photo_path_the_system_cannot_resolve_is_a_photo_error(tmp_path: Path) -> None:
    (tmp_path / "loop.jpg").symlink_to(tmp_path / "loop.jpg")
    assert "循环" in (check_picture(tmp_path / "loop.jpg", tmp_path) or "")
    assert "字符" in (check_picture(tmp_path / "a\0.jpg", tmp_path) or "")
    with pytest.raises(OutputError, match="字符"):  # an own template's link
        build_docx("![照片](a%00b.jpg)\n", pictures=Pictures(tmp_path, tmp_path))


def test_odd_ids_percent_encoded_targets_and_an_impossible_page_are_handled(tmp_path: Path) -> None:
    def edit(parts: Parts) -> None:
        header = _header(parts)
        media = next(n for n in parts if n.startswith("word/media/"))
        rels = parts[_rels_of(header)].decode()
        rid = re.search(r'Id="([^"]+)"[^>]*relationships/image', rels)
        assert rid
        parts["word/media/logo 1.png"] = parts.pop(media)
        parts[_rels_of(header)] = rels.replace(media[5:], "media/logo%201.png").replace(
            f'Id="{rid[1]}"', 'Id="图 1"').encode()
        parts[header] = parts[header].replace(f'r:embed="{rid[1]}"'.encode(), 'r:embed="图 1"'.encode())
        parts["word/document.xml"] = re.sub(rb'w:left="\d+"', b'w:left="90000"', parts["word/document.xml"])

    data, warnings = _render_with(tmp_path, _hostile(tmp_path, edit))
    assert problems(data) == []
    assert len(warnings) == 1 and "版心" in warnings[0]
    package = zipfile.ZipFile(io.BytesIO(data))
    header = next(n for n in package.namelist() if re.fullmatch(r"word/headerref\d+\.xml", n))
    assert b'r:embed="rId1"' in package.read(header)
    assert b"<wp:extent cx=\"-" not in package.read("word/document.xml")


@pytest.mark.parametrize(("rels_target", "part"), [("header1.xml", "styles.xml"), ("fontTable.xml", "document.xml"),
                                                    ("theme/theme1.xml", "settings.xml")])
def test_a_link_to_a_part_of_another_kind_is_left_out(tmp_path: Path, rels_target: str, part: str) -> None:
    def edit(parts: Parts) -> None:
        rels = parts["word/_rels/document.xml.rels"]
        parts["word/_rels/document.xml.rels"] = rels.replace(f'Target="{rels_target}"'.encode(),
                                                             f'Target="{part}"'.encode())

    data, warnings = _render_with(tmp_path, _hostile(tmp_path, edit))
    assert problems(data) == []
    assert any("却不是" in w and part in w for w in warnings)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    if rels_target.startswith("header"):
        assert not [n for n in names if "headerref" in n]


def test_pillow_says_nothing_in_english_about_odd_exif(tmp_path: Path, recwarn: pytest.WarningsRecorder) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010E] = "说明" * 20
    photo = tmp_path / "odd.jpg"
    photo.write_bytes(_save(Image.new("RGB", (40, 30)), "JPEG", exif=exif.tobytes()[:-30]))
    assert check_picture(photo, tmp_path) is None or "损坏" in (check_picture(photo, tmp_path) or "")
    try:
        load_picture(photo)
    except Exception as exc:
        assert "损坏" in str(exc)
    assert [str(w.message) for w in recwarn] == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("edit", ["sound", "no_document", "broken_document"])
def test_the_reference_is_closed_once_read(tmp_path: Path, edit: str) -> None:
    """An open handle keeps Word (on Windows) from saving the letterhead during a long district
    run; a failure kept with its traceback (a district run lists failed units) must not keep it open."""
    edits: dict[str, Callable[[Parts], object]] = {
        "sound": lambda parts: None, "no_document": lambda parts: parts.pop("word/document.xml"),
        "broken_document": lambda parts: parts.update({"word/document.xml": b"<w:document"})}
    reference = _hostile(tmp_path, edits[edit])  # type: ignore[arg-type]
    package.cache_clear()
    kept: list[BaseException] = []
    try:
        package(Layout(reference=str(reference)))
    except InputError as exc:
        kept.append(exc)  # with its traceback, and the frames in it
    opened = [os.readlink(fd) for fd in Path("/proc/self/fd").iterdir() if fd.exists()]
    assert str(reference) not in opened
    assert bool(kept) == (edit != "sound")


# --- a bounded fuzz run (benchmarks/office_fuzz.py runs the long one) ------------------------------

def test_fuzzed_markdown_references_and_photos_never_break_a_docx(tmp_path: Path) -> None:
    (tmp_path / "hostile").mkdir()
    letterhead = _letterhead(tmp_path / "hostile" / "信笺.docx")
    findings = [*office_fuzz.markdown(1, 100), *office_fuzz.references(letterhead, 1, 40),
                *office_fuzz.photos([f() for f in MODES.values()], 1, 100)]
    assert findings == []


def test_one_header_of_each_type(tmp_path: Path) -> None:
    def edit(parts: Parts) -> None:
        document = parts["word/document.xml"].decode()
        link = re.search(r"<w:headerReference [^>]*/>", document)
        assert link
        parts["word/document.xml"] = document.replace(link[0], link[0] * 3, 1).encode()

    data, _ = _render_with(tmp_path, _hostile(tmp_path, edit))
    assert problems(data) == []
    section = re.search(r"<w:sectPr.*</w:sectPr>", zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode())
    assert section
    types = re.findall(r'<w:headerReference w:type="(\w+)"', section[0])
    assert sorted(types) == sorted(set(types)) and "default" in types
