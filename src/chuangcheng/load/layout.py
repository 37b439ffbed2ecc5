"""The page and type settings of the Word output: GB/T 9704-2012 by default, every one adjustable
(in the district file's ``版式`` block, or from an office's own Word file)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..read.script import traditional_font

# Chinese type sizes (字号) in points, as Word and WPS list them.
SIZES = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
         "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5, "小六": 6.5}
_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s*(pt|磅|点|mm|毫米|cm|厘米)?$", re.I)
_CN_DIGITS = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六"}


def points(value: object, *, what: str = "字号") -> float:
    """``三号``, ``3号``, ``小四``, ``16``, ``16pt``, ``28.95磅`` → points; ValueError (Chinese) otherwise."""
    text = str(value).strip().translate(_DIGITS).replace(" ", "")
    text = re.sub(r"^(小?)([1-6])号?$", lambda m: m[1] + _CN_DIGITS[m[2]] + ("" if m[1] else "号"), text)
    if text in SIZES:
        return float(SIZES[text])
    match = _NUMBER.match(text)
    if match and (match[2] or "pt").lower() in {"pt", "磅", "点"} and 0 < float(match[1]) <= 200:
        return float(match[1])
    if what != "字号":
        raise ValueError(f"“{value}”不是{what}：写磅值，如 28.95、29磅")
    raise ValueError(f"“{value}”不是字号：写 三号、小四 这样的字号，或磅值，如 16、22磅")


def millimetres(value: object) -> float:
    """``37``, ``37mm``, ``3.7厘米`` → millimetres; ValueError (Chinese) otherwise."""
    text = str(value).strip().translate(_DIGITS).replace(" ", "")
    match = _NUMBER.match(text)
    if match and (match[2] or "mm").lower() in {"mm", "毫米", "cm", "厘米"}:
        number = float(match[1]) * (10 if (match[2] or "").lower() in {"cm", "厘米"} else 1)
        if 0 <= number <= 100:
            return number
    raise ValueError(f"“{value}”不是页边距：写毫米数，如 37、37mm 或 3.7厘米")


@dataclass(frozen=True)
class Layout:
    """Fonts (points), spacing and page setup of an official document (党政机关公文格式)."""

    title_font: str = "方正小标宋简体"
    title_size: float = 22  # 2号
    body_font: str = "仿宋_GB2312"
    body_size: float = 16  # 3号
    heading_fonts: tuple[str, str, str, str] = ("黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312")
    heading_bold: tuple[bool, bool, bool, bool] = (False, False, True, False)
    latin_font: str | None = None  # None: digits and Latin letters in each style's Chinese font
    table_font: str = "仿宋_GB2312"
    table_header_font: str = "黑体"
    table_size: float = 14  # 4号
    line_spacing: float = 28.95  # exact; 22 lines in the 225 mm text block
    page_number_font: str = "宋体"
    page_number_size: float = 14  # 4号
    page_number_position: str = "outside"  # odd pages right, even pages left; or "center"
    paper_mm: tuple[float, float] = (210, 297)
    margins_mm: tuple[float, float, float, float] = (37, 35, 28, 26)  # top, bottom, left, right
    footer_mm: float = 21  # page bottom to the page-number line: 7 mm below the text block
    chars_per_line: int = 28
    script: str = "hans"  # "hant": the text turned into traditional characters, fonts that have them
    reference: str | None = None  # an office's own .docx: its page setup, styles, header and footer
    activities: str = "summary"  # how sections tell their activities: "summary" (examples) or "all"

    @property
    def text_width_mm(self) -> float:
        return self.paper_mm[0] - self.margins_mm[2] - self.margins_mm[3]


FONT_FIELDS = tuple(f.name for f in dataclasses.fields(Layout) if f.name.endswith(("_font", "_fonts")))


def traditional_layout(layout: Layout) -> Layout:
    """A copy of ``layout`` whose GB2312-only fonts are swapped for faces with traditional glyphs."""
    changes = {name: traditional_font(getattr(layout, name)) for name in FONT_FIELDS}
    return dataclasses.replace(layout, **changes)
