"""Photos: embedded in Word under 附件 活动照片, captioned, sized to the text block; a missing,
broken or out-of-folder photo is an error at its line, and nothing is written."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from chuangcheng.check.validate import validate_paths
from chuangcheng.errors import ChuangchengError, InputError
from chuangcheng.load.layout import Layout
from chuangcheng.office.render import render_unit
from chuangcheng.read.images import MAX_SIDE, load_picture

from .conftest import MINIMAL

EMU_PER_MM = 36000


def _photo(path: Path, size: tuple[int, int], fmt: str = "JPEG", mode: str = "RGB", orientation: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128))
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    image.save(path, fmt, **({"exif": exif.tobytes()} if fmt == "JPEG" and orientation != 1 else {}))
    return path


def _unit(folder: Path, photos: str) -> Path:
    path = folder / "unit.yaml"
    path.write_text(MINIMAL.replace("    志愿者: 45人\n", f"    志愿者: 45人\n    照片: {photos}\n"), encoding="utf-8")
    return path


def _docx(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


def test_photos_are_embedded_with_captions_at_text_width(tmp_path: Path) -> None:
    _photo(tmp_path / "照片" / "wide.jpg", (3200, 1800))  # 16:9, larger than MAX_SIDE
    _photo(tmp_path / "照片" / "tall.png", (600, 900), "PNG", "RGBA")
    unit = _unit(tmp_path, "[照片/wide.jpg, 照片/tall.png, 照片/wide.jpg]")
    result = render_unit(unit, tmp_path / "out")
    docx = _docx(tmp_path / "out" / "官塘社区.docx")
    media = sorted(n for n in docx.namelist() if n.startswith("word/media/"))
    assert media == ["word/media/image1.jpeg", "word/media/image2.png"]  # the repeated photo once
    wide = Image.open(io.BytesIO(docx.read("word/media/image1.jpeg")))
    assert max(wide.size) == MAX_SIDE and wide.size == (1600, 900)
    rels = docx.read("word/_rels/document.xml.rels").decode()
    assert rels.count("relationships/image") == 2
    doc = docx.read("word/document.xml").decode()
    extents = [(int(cx), int(cy)) for cx, cy in re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"/>', doc)]
    layout = Layout()
    assert extents[0][0] == round(layout.text_width_mm * EMU_PER_MM)  # at the text width
    assert extents[0][1] == round(layout.text_width_mm * 9 / 16 * EMU_PER_MM)
    text_height = layout.paper_mm[1] - layout.margins_mm[0] - layout.margins_mm[1]
    assert extents[1][1] < text_height / 2 * EMU_PER_MM  # a portrait photo: two fit on a page
    assert extents[1][0] * 3 == pytest.approx(extents[1][1] * 2, rel=1e-3)
    captions = re.findall(r'<w:pStyle w:val="Caption"/></w:pPr><w:r><w:t xml:space="preserve">([^<]*)<', doc)
    assert captions == [f"3月5日 学雷锋主题宣传活动（{n}）" for n in (1, 2, 3)]
    assert doc.index("附件") < doc.index("r:embed")
    markdown = (tmp_path / "out" / "官塘社区.md").read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(<([^>]+)>\)", markdown)
    assert links == ["官塘社区\\_照片/wide.jpg", "官塘社区\\_照片/tall.png", "官塘社区\\_照片/wide.jpg"]
    copies = [tmp_path / "out" / link.replace("\\", "") for link in links]  # valid from the .md's folder
    assert copies[1].read_bytes() == (tmp_path / "照片" / "tall.png").read_bytes()
    assert sorted(p.name for p in copies[0].parent.iterdir()) == ["tall.png", "wide.jpg"]
    assert [p.name for p in result.outputs] == ["官塘社区.docx", "官塘社区.md"]


def test_a_report_without_photos_has_no_attachment(tmp_path: Path) -> None:
    unit = _unit(tmp_path, "[]")
    render_unit(unit)
    doc = _docx(tmp_path / "官塘社区.docx").read("word/document.xml").decode()
    assert "活动照片" not in doc and "<w:drawing" not in doc


def test_exif_rotation_and_small_jpeg_kept_as_is(tmp_path: Path) -> None:
    turned = load_picture(_photo(tmp_path / "turned.jpg", (800, 600), orientation=6))
    assert (turned.width, turned.height) == (600, 800)  # upright: portrait
    small = _photo(tmp_path / "small.jpg", (800, 600))
    picture = load_picture(small)
    assert picture.data == small.read_bytes() and picture.ext == "jpeg"


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: None, "不存在"),
    (lambda p: p.write_text("这不是图片", encoding="utf-8"), "不是能识别的图片"),
    (lambda p: p.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64), "HEIC"),
    (lambda p: p.write_bytes(_jpeg_bytes()[:400]), "损坏"),
])
def test_bad_photo_is_an_error_at_its_line_and_nothing_is_written(tmp_path: Path, make, expected: str) -> None:
    make(tmp_path / "bad.jpg")
    unit = _unit(tmp_path, "[bad.jpg]")
    with pytest.raises(InputError) as caught:
        render_unit(unit)
    (diag,) = caught.value.diagnostics
    line = MINIMAL.splitlines().index("    志愿者: 45人") + 2
    assert (diag.line, diag.code) == (line, "CC211")
    assert "bad.jpg" in diag.message and expected in diag.message
    assert str(diag).startswith(f"{unit}:{line}:")
    assert not list(tmp_path.glob("官塘社区*"))  # nor the photo folder


def _jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((400, 300), 64).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def test_a_link_out_of_the_unit_folder_is_refused(tmp_path: Path) -> None:
    outside = _photo(tmp_path / "elsewhere.jpg", (40, 30))
    unit_dir = tmp_path / "unit"
    unit_dir.mkdir()
    (unit_dir / "link.jpg").symlink_to(outside)
    unit = _unit(unit_dir, "[link.jpg]")
    with pytest.raises(InputError) as caught:
        render_unit(unit)
    assert "之外" in caught.value.diagnostics[0].message
    assert not list(unit_dir.glob("官塘社区.*"))


def test_own_template_cannot_embed_files_outside_the_unit_folder(tmp_path: Path) -> None:
    _photo(tmp_path / "secret.jpg", (40, 30))
    unit_dir = tmp_path / "unit"
    unit_dir.mkdir()
    unit = _unit(unit_dir, "[]")
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "report.md.j2").write_text("# 标题\n\n![x](<../secret.jpg>)\n", encoding="utf-8")
    with pytest.raises(ChuangchengError) as caught:
        render_unit(unit, template_dir=templates)
    assert "之外" in caught.value.message and "secret.jpg" in caught.value.message
    assert not list(unit_dir.glob("官塘社区.*"))


def test_validate_flags_a_broken_photo(tmp_path: Path) -> None:
    (tmp_path / "bad.jpg").write_text("这不是图片", encoding="utf-8")
    _photo(tmp_path / "good.jpg", (40, 30))
    unit = _unit(tmp_path, "[good.jpg, bad.jpg]")
    result = validate_paths([unit], select=["CC211"], ignore=[], strict=False, today=None, jobs=1)
    found = [d for f in result.files for d in f.diagnostics if d.code == "CC211"]
    assert len(found) == 1 and "bad.jpg" in found[0].message and "不是能识别的图片" in found[0].message


def test_traditional_output_keeps_photo_links(tmp_path: Path) -> None:
    from chuangcheng.office.render import unit_layout

    from .conftest import EXAMPLES

    unit = EXAMPLES / "石城街道" / "官塘社区.yaml"
    layout, _ = unit_layout(unit, script="hant")
    render_unit(unit, tmp_path, layout=layout)
    markdown = (tmp_path / "官塘社区.md").read_text(encoding="utf-8")
    assert "照片/0305-学雷锋宣传-1.jpg>)" in markdown and "3月5日 學雷鋒主題宣傳活動（1）" in markdown
    assert len([n for n in _docx(tmp_path / "官塘社区.docx").namelist() if n.startswith("word/media/")]) == 3


def test_a_traditional_unit_file_keeps_its_photo_names(tmp_path: Path) -> None:
    from chuangcheng.read.script import to_traditional

    _photo(tmp_path / "照片" / "學雷鋒.jpg", (40, 30))
    unit = tmp_path / "unit.yaml"
    text = to_traditional(MINIMAL.replace("    志愿者: 45人\n", "    志愿者: 45人\n    照片: [照片/學雷鋒.jpg]\n"))
    unit.write_text(text, encoding="utf-8")
    assert "照片/學雷鋒.jpg" in text and "單位:" in text
    render_unit(unit)
    assert "](<官塘社区\\_照片/學雷鋒.jpg>)" in (tmp_path / "官塘社区.md").read_text(encoding="utf-8")
    assert (tmp_path / "官塘社区_照片" / "學雷鋒.jpg").is_file()


def test_percent_in_a_file_name_is_that_file(tmp_path: Path) -> None:
    Image.new("RGB", (40, 30), (0, 0, 255)).save(tmp_path / "x%41.jpg")
    Image.new("RGB", (40, 30), (255, 0, 0)).save(tmp_path / "xA.jpg")
    render_unit(_unit(tmp_path, "[x%41.jpg]"))
    (media,) = [n for n in _docx(tmp_path / "官塘社区.docx").namelist() if n.startswith("word/media/")]
    embedded = Image.open(io.BytesIO(_docx(tmp_path / "官塘社区.docx").read(media))).convert("RGB")
    assert embedded.getpixel((20, 15))[2] > 200  # the blue one: x%41.jpg, not xA.jpg


def test_validate_refuses_a_photo_folder_linked_from_outside(tmp_path: Path) -> None:
    elsewhere = tmp_path / "nas"
    _photo(elsewhere / "a.jpg", (40, 30))
    unit_dir = tmp_path / "unit"
    unit_dir.mkdir()
    (unit_dir / "照片").symlink_to(elsewhere, target_is_directory=True)
    unit = _unit(unit_dir, "[照片/a.jpg]")
    result = validate_paths([unit], select=["CC211"], ignore=[], strict=False, today=None, jobs=1)
    (found,) = [d for f in result.files for d in f.diagnostics]
    assert "之外" in found.message


def test_a_rerender_replaces_the_photo_folder(tmp_path: Path) -> None:
    _photo(tmp_path / "照片" / "a.jpg", (40, 30))
    _photo(tmp_path / "照片" / "b.jpg", (40, 30))
    render_unit(_unit(tmp_path, "[照片/a.jpg, 照片/b.jpg]"), tmp_path / "out")
    folder = tmp_path / "out" / "官塘社区_照片"
    assert sorted(p.name for p in folder.iterdir()) == ["a.jpg", "b.jpg"]
    render_unit(_unit(tmp_path, "[照片/b.jpg]"), tmp_path / "out")
    assert [p.name for p in folder.iterdir()] == ["b.jpg"]  # a.jpg was this report's: gone


def test_photos_of_the_same_name_in_two_folders_both_travel(tmp_path: Path) -> None:
    _photo(tmp_path / "三月" / "1.jpg", (40, 30))
    _photo(tmp_path / "四月" / "1.jpg", (30, 40))
    render_unit(_unit(tmp_path, "[三月/1.jpg, 四月/1.jpg]"), tmp_path / "out", formats=["md"])
    markdown = (tmp_path / "out" / "官塘社区.md").read_text(encoding="utf-8")
    assert re.findall(r"\]\(<官塘社区\\_照片/([^>]+)>\)", markdown) == ["1.jpg", "1-2.jpg"]
    assert (tmp_path / "out" / "官塘社区_照片" / "1-2.jpg").read_bytes() == (tmp_path / "四月" / "1.jpg").read_bytes()


def test_markdown_alone_copies_without_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chuangcheng.read.images as images

    _photo(tmp_path / "照片" / "a.jpg", (40, 30))
    monkeypatch.setattr(images, "load_picture", lambda path: pytest.fail("decoded"))
    result = render_unit(_unit(tmp_path, "[照片/a.jpg]"), tmp_path / "out", formats=["md"])
    assert [p.name for p in result.outputs] == ["官塘社区.md"]
    assert (tmp_path / "out" / "官塘社区_照片" / "a.jpg").is_file()


def test_photos_kept_in_the_report_s_own_folder_stay_where_they_are(tmp_path: Path) -> None:
    _photo(tmp_path / "官塘社区_照片" / "a.jpg", (40, 30))
    (tmp_path / "官塘社区_照片" / "说明.txt").write_text("不是照片", encoding="utf-8")
    render_unit(_unit(tmp_path, "[官塘社区_照片/a.jpg]"))
    assert "](<官塘社区\\_照片/a.jpg>)" in (tmp_path / "官塘社区.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "官塘社区_照片").iterdir()) == ["a.jpg", "说明.txt"]


def test_word_alone_copies_nothing(tmp_path: Path) -> None:
    _photo(tmp_path / "照片" / "a.jpg", (40, 30))
    render_unit(_unit(tmp_path, "[照片/a.jpg]"), tmp_path / "out", formats=["docx"])
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["官塘社区.docx"]


def test_a_failed_write_leaves_no_photo_folder(tmp_path: Path) -> None:
    from chuangcheng.errors import OutputError
    from chuangcheng.output import stage

    (tmp_path / "blocker").write_text("一个文件，不是文件夹", encoding="utf-8")
    folder = tmp_path / "官塘社区_照片"
    with pytest.raises(OutputError):
        stage({folder / "a.jpg": b"1", tmp_path / "blocker" / "b.md": b"2"}, folders=[folder])
    assert not folder.exists()
