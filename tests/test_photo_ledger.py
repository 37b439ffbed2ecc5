"""照片台账 (``render -f photos``): a cover and contents, then one activity a page (two photos a
page at most), captioned with 时间、地点、参与人员、活动内容, in report order, numbered from 1."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from chuangcheng.cli import app
from chuangcheng.errors import Severity
from chuangcheng.office.photo_ledger import numbered_from
from chuangcheng.office.render import render_unit
from chuangcheng.read.images import MAX_SIDE

from .conftest import EXAMPLES, MINIMAL, ROOT

GUANTANG = EXAMPLES / "石城街道" / "官塘社区.yaml"
EMU_PER_MM = 36000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _document(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode()


def _text(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _pages(xml: str) -> list[str]:
    """The body split where a page starts: at a page break and after the first section."""
    body = xml.split("<w:body>", 1)[1]
    return [page for part in body.split("</w:sectPr></w:pPr></w:p>") for page in part.split("<w:pageBreakBefore/>")]


def _photo(path: Path, size: tuple[int, int], orientation: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    Image.new("RGB", size, (40, 120, 200)).save(path, "JPEG", exif=exif.tobytes())


def _unit(folder: Path, activities: str) -> Path:
    path = folder / "测试社区.yaml"
    head = MINIMAL.split("宣传发动:")[0].replace("官塘社区", "测试社区")
    path.write_text(head + activities + "存在问题:\n  - 部分居民参与度不高\n", encoding="utf-8")
    return path


def test_guantang_ledger_cover_contents_and_captioned_pages(tmp_path: Path) -> None:
    result = render_unit(GUANTANG, tmp_path, ["photos"])
    assert result.outputs == [tmp_path / "官塘社区照片台账.docx"]
    xml = _document(result.outputs[0])
    cover, contents, first, second = _pages(xml)
    assert "官塘社区2026年上半年" in _text(cover) and "创建全国文明城市工作照片台账" in _text(cover)
    assert "编制日期：2026年7月5日" in _text(cover) and "收录内容：活动2项，照片3张" in _text(cover)
    assert "footerReference" not in xml.split("</w:sectPr></w:pPr></w:p>")[0]  # cover, contents: no number
    last_section = xml.rsplit("<w:sectPr>", 1)[1]
    assert '<w:pgNumType w:start="1"/>' in last_section and "footerReference" in last_section
    # Contents: the activities in report order, their pages as PAGEREF fields to bookmarks.
    assert re.findall(r"PAGEREF (_Photo\d+)", contents) == ["_Photo1", "_Photo2"]
    assert "学雷锋主题宣传活动" in _text(contents) and "2月24日至3月6日" in _text(contents)
    assert _text(contents).index("学雷锋") < _text(contents).index("春季全民大扫除")
    # Each activity a page: section, title (bookmarked), photos, caption table.
    assert _text(first).startswith("宣传发动学雷锋主题宣传活动") and 'w:name="_Photo1"' in first
    assert first.count("<w:drawing>") == 2 and second.count("<w:drawing>") == 1
    caption = _text(first.split("<w:tbl>")[1])
    assert caption.startswith("时间2026年3月5日地点民主东路参与人员志愿者45人，群众1500余人活动内容志愿者向过往市民")
    assert caption.endswith("便民服务。悬挂横幅10条，发放宣传单3000余份。")
    assert _text(second).startswith("环境整治春季全民大扫除行动") and "时间2026年2月24日至3月6日" in _text(second)
    assert "参与人员志愿者150人次，居民1800余人次" in _text(second)  # several days: 人次
    heights = [int(cy) / EMU_PER_MM for cy in re.findall(r'<wp:extent cx="\d+" cy="(\d+)"', first)]
    assert all(45 <= h <= 80 for h in heights), heights  # two a page, as large as the page allows


def test_many_photos_continue_on_pages_of_two_and_the_contents_count_them(tmp_path: Path) -> None:
    for n in range(1, 6):
        _photo(tmp_path / "照片" / f"{n}.jpg", (800, 600))
    _photo(tmp_path / "照片" / "6.jpg", (800, 600))
    path = _unit(tmp_path, """宣传发动:
  - 日期: 3月5日
    名称: 学雷锋主题宣传活动
    照片: [照片/1.jpg, 照片/2.jpg, 照片/3.jpg, 照片/4.jpg, 照片/5.jpg]
  - 日期: 3月9日
    名称: 文明交通劝导
    照片: 照片/6.jpg
""")
    xml = _document(render_unit(path, tmp_path / "out", ["photos"]).outputs[0])
    pages = _pages(xml)[2:]
    assert [p.count("<w:drawing>") for p in pages] == [2, 2, 1, 1]
    assert [_text(p).split("时间")[0] for p in pages] == [
        "宣传发动学雷锋主题宣传活动", "宣传发动学雷锋主题宣传活动（续）", "宣传发动学雷锋主题宣传活动（续）",
        "宣传发动文明交通劝导"]
    assert all("活动内容开展学雷锋主题宣传活动。" in _text(p) for p in pages[:3])  # every page captioned
    assert re.findall(r"PAGEREF _Photo(\d+)", xml) == ["1", "4"]
    assert re.findall(r"PAGEREF _Photo\d+ \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/>"
                      r"</w:r><w:r><w:t>(\d+)</w:t>", xml) == ["1", "4"]
    assert re.findall(r'w:name="(_Photo\d+)"', xml) == ["_Photo1", "_Photo4"]


def test_a_long_caption_puts_one_photo_on_a_page(tmp_path: Path) -> None:
    _photo(tmp_path / "a.jpg", (800, 600))
    _photo(tmp_path / "b.jpg", (800, 600))
    long = "社区组织党员、网格员和居民志愿者对背街小巷开展拉网式排查整治，重点清理乱堆乱放、乱贴乱画等问题。" * 6
    path = _unit(tmp_path, f"环境整治:\n  - 日期: 4月1日\n    名称: 背街小巷整治\n    说明: {long}\n"
                           "    照片: [a.jpg, b.jpg]\n")
    pages = _pages(_document(render_unit(path, tmp_path / "out", ["photos"]).outputs[0]))[2:]
    assert [p.count("<w:drawing>") for p in pages] == [1, 1]
    assert long in _text(pages[0]) and long in _text(pages[1])


def test_photos_are_turned_upright_and_shrunk_as_in_the_report(tmp_path: Path) -> None:
    _photo(tmp_path / "sideways.jpg", (1200, 900), orientation=6)  # a portrait taken with the phone turned
    _photo(tmp_path / "big.jpg", (4000, 3000))
    path = _unit(tmp_path, "宣传发动:\n  - 日期: 3月5日\n    名称: 学雷锋主题宣传活动\n"
                           "    照片: [sideways.jpg, big.jpg]\n")
    out = render_unit(path, tmp_path / "out", ["photos"]).outputs[0]
    with zipfile.ZipFile(out) as package:
        images = [Image.open(io.BytesIO(package.read(n))) for n in sorted(package.namelist()) if "/media/" in n]
    assert sorted(image.size for image in images) == [(900, 1200), (MAX_SIDE, MAX_SIDE * 3 // 4)]


def test_a_unit_without_photos_gets_a_note_and_no_ledger(tmp_path: Path) -> None:
    path = _unit(tmp_path, "宣传发动:\n  - 日期: 3月5日\n    名称: 学雷锋主题宣传活动\n")
    result = render_unit(path, tmp_path / "out", ["photos", "md"])
    assert result.outputs == [tmp_path / "out" / "测试社区.md"]
    assert [(d.severity, d.field) for d in result.warnings] == [(Severity.INFO, "照片台账")]
    assert "没有一项活动附了照片" in result.warnings[0].message


def test_ledger_input_gives_the_same_photo_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "台账"
    shutil.copytree(ROOT / "examples" / "台账", ledger)
    from_yaml = _document(render_unit(GUANTANG, tmp_path / "a", ["photos"]).outputs[0])
    from_xlsx = _document(render_unit(ledger / "官塘社区.xlsx", tmp_path / "b", ["photos"]).outputs[0])
    assert from_xlsx == from_yaml


def test_traditional_script_turns_the_fixed_words_too(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["render", str(GUANTANG), "-o", str(tmp_path), "-f", "photos", "--script", "hant"])
    assert result.exit_code == 0, result.output
    text = _text(_document(tmp_path / "官塘社区照片台账.docx"))
    assert "目　　錄" in text and "宣傳發動" in text and "活動內容" in text and "编制" not in text


def test_a_district_gets_one_ledger_per_unit_with_photos(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["render", str(EXAMPLES), "-o", str(tmp_path), "-f", "photos", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*照片台账.docx")) == [
        "石城街道/官塘社区照片台账.docx"]
    assert result.output.count("未生成照片台账") == 5
    again = runner.invoke(app, ["render", str(EXAMPLES), "-o", str(tmp_path), "-f", "md", "-j", "1"])
    assert again.exit_code == 0 and not list(tmp_path.rglob("*照片台账.docx"))  # this run's files only


def test_numbered_from_keeps_the_section_in_schema_order() -> None:
    section = ('<w:sectPr><w:pgSz w:w="1"/><w:pgMar w:top="1"/><w:pgNumType w:start="7"/><w:cols/>'
               '<w:docGrid/></w:sectPr>')
    assert numbered_from(section, 1) == ('<w:sectPr><w:pgSz w:w="1"/><w:pgMar w:top="1"/>'
                                         '<w:pgNumType w:start="1"/><w:cols/><w:docGrid/></w:sectPr>')
    assert numbered_from("<w:sectPr></w:sectPr>", 3) == '<w:sectPr><w:pgNumType w:start="3"/></w:sectPr>'


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice, poppler")
def test_guantang_ledger_pages_as_libreoffice_lays_them_out(tmp_path: Path) -> None:
    """The layout worked out in the Word file holds in a real layout engine: four pages, each
    activity's photos and whole caption on its own page, numbered 1 and 2."""
    render_unit(GUANTANG, tmp_path, ["photos"])
    from chuangcheng.load.layout import Layout
    from chuangcheng.office.docx_package import for_libreoffice

    source = tmp_path / "lo" / "ledger.docx"
    source.parent.mkdir()
    source.write_bytes(for_libreoffice((tmp_path / "官塘社区照片台账.docx").read_bytes(), Layout()))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(source.parent), str(source)],
                   check=True, capture_output=True, timeout=240)
    text = subprocess.run(["pdftotext", "-layout", str(source.with_suffix(".pdf")), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = [" ".join(page.split()) for page in text.split("\f") if page.strip()]
    assert len(pages) == 4
    assert "目 录" in pages[1]
    assert re.search(r"宣传发动 1 学雷锋主题宣传活动 3 ?月 ?5 ?日 1 环境整治 2 春季全民大扫除行动", pages[1])
    for page, title, number in ((pages[2], "学雷锋主题宣传活动", "1"), (pages[3], "春季全民大扫除行动", "2")):
        assert title in page and "活动内容" in page and "3000 余份。" in pages[2]
        assert re.search(rf"—\s*{number}\s*—$", page)


def test_captions_say_each_thing_once_in_its_row(tmp_path: Path) -> None:
    """The organiser in its own row, a meeting's people by its name, 次数 in the content, 人 where
    the description counts people as 名, the report's sentence where there is no description."""
    from chuangcheng.load.loader import load_unit
    from chuangcheng.write.photo_ledger import photo_ledger_view
    from chuangcheng.write.report import build_view

    path = _unit(tmp_path, """组织领导:
  - 日期: 2月24日
    名称: 召开党员和村民代表大会
    参与: 96人
    照片: a.jpg
  - 日期: 3月
    名称: 开展环境卫生集中整治
    组织: 局机关及下属各企业
    参与: 52人
    说明: 从局机关到各企业的52名干部职工全力以赴进行卫生大扫除。
    照片: a.jpg
  - 名称: 收购夏粮
    次数: 3
    数量:
      夏粮: 148万斤
    照片: a.jpg
  - 名称: 每周文明劝导
    次数: 26
    说明: 志愿者在路口劝导行人遵守交通信号。
    照片: a.jpg
""")
    entries = photo_ledger_view(build_view(load_unit(path).model)).entries  # type: ignore[union-attr]
    rows = {entry.title: dict(entry.rows) for entry in entries}
    assert list(rows) == ["收购夏粮", "每周文明劝导", "召开党员和村民代表大会", "开展环境卫生集中整治"]  # report order
    assert rows["召开党员和村民代表大会"]["参与人员"] == "党员和村民代表96人"
    assert rows["开展环境卫生集中整治"]["组织者"] == "局机关及下属各企业"
    assert rows["开展环境卫生集中整治"]["参与人员"] == "居民52人"  # a month, but the description says 52名: not 人次
    assert rows["收购夏粮"] == {"时间": "2026年上半年", "活动内容": "分3次收购夏粮148万斤。"}
    assert rows["每周文明劝导"]["活动内容"] == "志愿者在路口劝导行人遵守交通信号。共开展每周文明劝导26次。"
