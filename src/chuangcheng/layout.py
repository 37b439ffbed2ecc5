"""The page and type settings of the Word output: GB/T 9704-2012 by default, every one adjustable."""

from __future__ import annotations

from dataclasses import dataclass


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

    @property
    def text_width_mm(self) -> float:
        return self.paper_mm[0] - self.margins_mm[2] - self.margins_mm[3]
