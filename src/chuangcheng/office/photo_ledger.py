"""The 照片台账 in Word: the pages offices file in their binders, in the report's page setup.

A cover and a contents table (the activities under their sections), unnumbered; then the
activities in report order, each on a page of its own (a page a pair of photos), numbered from
1: the section at the top left, the activity's name as a title, its photos as large as the page
allows and, under them, its caption as a table (时间、地点、参与人员、活动内容). Every page
stands alone: a continued activity repeats its caption. The contents' page numbers are PAGEREF
fields to a bookmark on each activity, their values worked out here (the photos are sized so
that each page holds what it is given), so Word, WPS and LibreOffice show them before any update.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

from ..errors import OutputError
from ..load.layout import Layout
from ..read.images import PhotoError, Picture, Pictures
from ..read.script import Written, to_traditional
from ..write.photo_ledger import LedgerEntry, PhotoLedgerView
from ..write.typography import text_width
from .docx_package import BODY, LABEL, TITLE, Properties, twips, xml_attr
from .word import Builder, Cell, text_run, title_lines

PER_PAGE = 2  # photos on one page
MIN_PHOTO_MM = 45  # below this a pair of photos goes onto two pages
_PT_MM = 25.4 / 72
_TABLE_LINE = 1.6  # a table line with its share of the cell padding and borders, in font sizes (LibreOffice: 1.5)
_CELL_MARGINS_MM = 2 * 108 / 1440 * 25.4  # the table's left and right cell margins (TableNormal)
_LABEL_COLUMN = 5.5  # the caption's first column, in characters of the table font: 参与人员 and padding
_OFF_GRID = '<w:snapToGrid w:val="0"/>'  # a title's line is its exact spacing (LibreOffice gave it two)
_PHOTO_GAP = '<w:spacing w:before="0" w:after="120"/>'  # 6 pt under each photo
_FOOTERS = re.compile(r"<w:(?:header|footer)Reference\b[^>]*/>")
_AFTER_PAGE_NUMBERS = re.compile(r"<w:(?:cols|formProt|vAlign|noEndnote|titlePg|textDirection|bidi|rtlGutter|"
                                 r"docGrid|printerSettings|sectPrChange)\b|</w:sectPr>")


def build_photo_ledger(view: PhotoLedgerView, layout: Layout, pictures: Pictures,
                       properties: Properties | None = None, written: Written | None = None) -> bytes:
    """The photo ledger of ``view`` as a Word file; its photos come from ``pictures`` (the unit's
    folder), its text in the layout's script."""
    turn: Callable[[str], str] = (str if layout.script == "hans"
                                  else (lambda t: to_traditional(t, layout.script, written)))
    return _Ledger(layout, pictures, properties, turn).ledger(view.translated(turn))


class _Ledger(Builder):
    def __init__(self, layout: Layout, pictures: Pictures, properties: Properties | None,
                 turn: Callable[[str], str]) -> None:
        super().__init__(layout, pictures, properties)
        self.photos = pictures
        self.turn = turn
        self.line_mm = layout.line_spacing * _PT_MM

    @property
    def table_chars(self) -> float:
        """The text block's width in characters of the table font."""
        return self.package.text_mm[0] / (self.layout.table_size * _PT_MM)

    def ledger(self, view: PhotoLedgerView) -> bytes:
        pages = [(entry, chunk) for entry in view.entries for chunk in self.pages(entry)]
        first_page: dict[int, int] = {}  # each entry's first page (its bookmark's number), by id
        for n, (entry, _) in enumerate(pages, 1):
            first_page.setdefault(id(entry), n)
        self.cover(view)
        self.contents(view.entries, first_page)
        front = _FOOTERS.sub("", self.section)  # cover and contents: no page number
        self.out.append(f"<w:p><w:pPr>{front}</w:pPr></w:p>")
        self.section = numbered_from(self.section, 1)
        for n, (entry, chunk) in enumerate(pages, 1):
            self.page(entry, chunk, bookmark=n if first_page[id(entry)] == n else 0, first=n == 1)
        return self.save()

    def cover(self, view: PhotoLedgerView) -> None:
        """The title a third down the page, and under it who compiled the ledger, when, and what it holds."""
        for _ in range(4):
            self.paragraph(BODY)
        self.paragraph(TITLE, self.title_runs(view.title))
        for _ in range(5):
            self.paragraph(BODY)
        turn = self.turn
        lines = [f"{turn('编制单位')}：{view.compiler}", f"{turn('报告期间')}：{view.period}",
                 f"{turn('编制日期')}：{view.compiled_on}",
                 turn(f"收录内容：活动{len(view.entries)}项，照片{view.photo_count}张")]
        widest = max(text_width(line) for line in lines)
        left = max((self.layout.chars_per_line - widest) / 2, 0)  # a block centred, its lines aligned
        indent = (f'<w:ind w:leftChars="{round(left * 100)}" w:left="{twips(left * self.layout.body_size)}" '
                  'w:firstLineChars="0" w:firstLine="0"/>')
        for line in lines:
            self.paragraph(BODY, text_run(line), indent)

    def contents(self, entries: Sequence[LedgerEntry], first_page: dict[int, int]) -> None:
        """目录: a table of the activities with their first pages (PAGEREF fields)."""
        self.after_break = True
        self.paragraph(TITLE, text_run(self.turn("目　　录")))
        self.paragraph(BODY)
        rows: list[list[Cell]] = [[Cell(self.turn(text)) for text in ("序号", "活动名称", "时间", "页码")]]
        section = ""
        for i, entry in enumerate(entries, 1):
            if entry.section != section:  # each section's activities under its name
                section = entry.section
                rows.append([Cell(section, "text-align:left", head=True, span=4)])
            page = first_page[id(entry)]
            rows.append([Cell(str(i)), Cell(entry.title, "text-align:left"), Cell(entry.when),
                         Cell(str(page), runs=_page_ref(page))])
        # Each column as wide as its widest value, 活动名称 taking what is left (and wrapping); the
        # dates with room for the space LibreOffice puts between digits and characters.
        widths = [max(text_width(row[c].text) for row in rows if len(row) > 1) + pad
                  for c, pad in enumerate((2, 0, 3, 2))]
        widths[1] = max(self.table_chars - sum(widths) + widths[1], 8)
        self.table(rows, widths=widths)

    def pages(self, entry: LedgerEntry) -> list[tuple[str, ...]]:
        """The photos of each of ``entry``'s pages: two a page, one when two would be too small."""
        per_page = PER_PAGE if self.photo_room(entry, PER_PAGE) >= MIN_PHOTO_MM else 1
        return [entry.photos[i:i + per_page] for i in range(0, len(entry.photos), per_page)]

    def photo_room(self, entry: LedgerEntry, count: int) -> float:
        """How tall (mm) each of ``count`` photos may be on one of ``entry``'s pages: the text
        block less the section label, the title (with a blank line) and the caption table."""
        width_mm, height_mm = self.package.text_mm
        size_mm = self.layout.table_size * _PT_MM
        per_line = (self.table_chars - _LABEL_COLUMN) - _CELL_MARGINS_MM / size_mm
        table = sum(max(1, math.ceil(text_width(text) / per_line)) for _, text in entry.rows)
        per_title_line = width_mm / (self.layout.title_size * _PT_MM)
        title = sum(math.ceil(text_width(line) / per_title_line)
                    for line in title_lines(entry.title + self.turn("（续）"), self.layout))
        used = (2 + title) * self.line_mm + table * size_mm * _TABLE_LINE + count * 3
        return (height_mm - used - 8) / count  # 8 mm to spare: fonts differ from machine to machine

    def page(self, entry: LedgerEntry, photos: tuple[str, ...], *, bookmark: int, first: bool) -> None:
        """One page of ``entry``: label, title (bookmarked on its first page), photos, caption."""
        self.after_break = not first  # the first follows the section break
        self.paragraph(LABEL, text_run(entry.section))
        title = entry.title if bookmark else entry.title + self.turn("（续）")
        runs = self.title_runs(title)
        if bookmark:
            runs = (f'<w:bookmarkStart w:id="{bookmark}" w:name="{_bookmark(bookmark)}"/>{runs}'
                    f'<w:bookmarkEnd w:id="{bookmark}"/>')
        self.paragraph(TITLE, runs, _OFF_GRID)
        self.paragraph(BODY)
        room = max(self.photo_room(entry, len(photos)), MIN_PHOTO_MM / 2)  # a caption of pages: it spills over
        for photo in photos:
            self.drawing(self.load(photo), room, _PHOTO_GAP)
        self.table([[Cell(label, head=True), Cell(text, "text-align:left")] for label, text in entry.rows],
                   header=False, widths=[_LABEL_COLUMN, self.table_chars - _LABEL_COLUMN])

    def load(self, photo: str) -> Picture:
        try:
            return self.photos.load(self.photos.root / photo)
        except PhotoError as exc:  # checked before: only a file changed since
            raise OutputError(f"{self.photos.root / photo}: 照片: {exc}") from None


def _bookmark(n: int) -> str:
    return f"_Photo{n}"  # a leading _: a hidden bookmark, not in Word's list


def _page_ref(page: int) -> str:
    """A PAGEREF field to page ``page``'s bookmark, showing ``page`` until it is updated."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {xml_attr(_bookmark(page))} \\h </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{page}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def numbered_from(section: str, start: int) -> str:
    """``section`` (a ``<w:sectPr>``) with its page numbers starting at ``start``."""
    section = re.sub(r"<w:pgNumType\b[^>]*/>", "", section)
    at = _AFTER_PAGE_NUMBERS.search(section)
    cut = at.start() if at else len(section)
    return f'{section[:cut]}<w:pgNumType w:start="{start}"/>{section[cut:]}'
