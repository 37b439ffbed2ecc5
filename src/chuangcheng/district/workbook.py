"""汇总表.xlsx: what a coordinator works in.

- 主要指标: every roster unit in roster order, grouped by 所属 with a subtotal per group and a
  total (SUBTOTAL formulas, so a filter sums what is shown); its verdict; activities, people,
  volunteers and the most widely reported items (at most :data:`MAX_COLUMNS` columns). Only
  accepted units carry figures.
- 明细: one row per unit, category and item (所属, 单位, 类别, 事项, 数量, 单位名): what pivot tables read.

Numbers are numbers; every text from a unit file is written as a string (``=HYPERLINK(…)``
stays text). Printed on A4 landscape, as wide as the page, the header on every page.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from ..check.verdicts import Verdicts
from ..office.docx_package import xml_clean, xml_text
from ..read.discover import MARK
from .batch import UnitSummary
from .indicators import Indicator, Names, items_of, number

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

MAX_COLUMNS = 20
FIXED = ("所属", "单位", "类型", "结论", "活动次数", "参与人次", "志愿者人次")
DETAIL = ("所属", "单位", "类别", "事项", "数量", "单位名")
DETAIL_SHEET = "xl/worksheets/sheet2.xml"  # 明细, the second sheet added
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


def _people(values: list[tuple[str, str, str]]) -> Decimal:
    return sum((Decimal(v) for v, _, _ in values), Decimal(0))


def build_workbook(units: list[UnitSummary], verdicts: Verdicts, names: Names, title: str,
                   indicators: list[Indicator]) -> bytes:
    """The workbook, from the accepted units' summaries, every unit's verdict and the items as the
    roll-up counted them (:func:`.indicators.totals`)."""
    import xlsxwriter
    from xlsxwriter.utility import xl_rowcol_to_cell

    summary_of = {s.file: s for s in units}
    main: list[Indicator] = indicators[: MAX_COLUMNS - len(FIXED)]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    book.formats[0].set_font_name("宋体")  # the default format: cells written without one
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter"}
    head = book.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#F2F2F2"})
    cell = book.add_format(base)
    figure = book.add_format({**base, "num_format": "#,##0.##"})
    sub = book.add_format({**base, "bold": True, "bg_color": "#F7F7F7"})
    sub_figure = book.add_format({**base, "bold": True, "bg_color": "#F7F7F7", "num_format": "#,##0.##"})
    heading = book.add_format({"font_name": "黑体", "font_size": 14, "bold": True})

    sheet = book.add_worksheet("主要指标")
    sheet.write_string(0, 0, xml_clean(title), heading)
    columns = [*FIXED, *(i.heading for i in main)]
    for c, name in enumerate(columns):
        sheet.write_string(1, c, xml_clean(name), head)
    sheet.set_row(1, 42)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 3, 8)
    sheet.set_column(4, len(columns) - 1, 11)
    groups = verdicts.by_group({u.verdict for u in verdicts.units if u.entry is not None}) if verdicts.roster \
        else [("", [u for u in verdicts.units if u.accepted])]
    r = 2
    first_row = r
    ordered: list[UnitSummary] = []  # the summed units, in the sheet's order
    for group, members in groups:
        start = r
        shown: list[Decimal] = [Decimal(0)] * (len(columns) - 4)  # the subtotals' values, for readers that do not
        for unit in members:                                      # recalculate (LibreOffice, previews)
            summary = next((summary_of[f.path] for f in unit.files if f.path in summary_of), None)
            if summary is not None:
                ordered.append(summary)
            for c, text in enumerate((group, unit.name, summary.type if summary else "", unit.verdict)):
                sheet.write_string(r, c, xml_clean(text), cell)
            values: list[Decimal | None] = [None] * (len(columns) - 4)
            if summary is not None:
                mine: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
                for _, item, amount in items_of(summary, names):
                    mine[(item, amount.unit)] += amount.value
                values = [Decimal(summary.activities), _people(summary.participants), _people(summary.volunteers),
                          *(mine.get((i.item, i.unit)) for i in main)]
            for c, value in enumerate(values, 4):
                if value is None:
                    sheet.write_blank(r, c, None, cell)
                else:
                    sheet.write_number(r, c, number(value), figure)
                    shown[c - 4] += value
            r += 1
        if verdicts.roster and len(groups) > 1:
            sheet.write_string(r, 0, xml_clean(group or "未写所属"), sub)
            sheet.write_string(r, 1, "小计", sub)
            sheet.write_blank(r, 2, None, sub)
            sheet.write_blank(r, 3, None, sub)
            for c in range(4, len(columns)):
                span = f"{xl_rowcol_to_cell(start, c)}:{xl_rowcol_to_cell(r - 1, c)}"
                sheet.write_formula(r, c, f"=SUBTOTAL(9,{span})", sub_figure, number(shown[c - 4]))
            r += 1
    sheet.write_string(r, 0, "合计", sub)
    for c in range(1, 4):
        sheet.write_blank(r, c, None, sub)
    for c, total in enumerate([Decimal(sum(s.activities for s in units)),
                               sum((_people(s.participants) for s in units), Decimal(0)),
                               sum((_people(s.volunteers) for s in units), Decimal(0)),
                               *(i.total.value for i in main)], 4):
        span = f"{xl_rowcol_to_cell(first_row, c)}:{xl_rowcol_to_cell(r - 1, c)}"
        sheet.write_formula(r, c, f"=SUBTOTAL(9,{span})", sub_figure, number(total))  # subtotals left out
    sheet.freeze_panes(2, 2)
    sheet.autofilter(1, 0, r - 1, len(columns) - 1)
    _print_setup(sheet)

    detail = book.add_worksheet("明细")  # its frame here; its rows are spliced in after: _with_rows
    for c, (name, width) in enumerate(zip(DETAIL, (12, 22, 12, 24, 12, 8), strict=True)):
        detail.write_string(0, c, name, head)
        detail.set_column(c, c, width)
    group_of = {f.path: u.group for u in verdicts.units for f in u.files}
    rows: list[tuple[str, str, str, str, Decimal, str]] = []
    for summary in ordered:
        summed: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
        for category, item, amount in items_of(summary, names):
            summed[(category, item, amount.unit)] += amount.value
        group = group_of.get(summary.file, "")
        rows += [(group, summary.name, category, item, value, measure)
                 for (category, item, measure), value in summed.items()]
    detail.freeze_panes(1, 0)
    detail.autofilter(0, 0, max(len(rows), 1), 5)
    _print_setup(detail, header_row=0)
    book.set_properties({"title": xml_clean(title)})
    book.set_custom_property("生成", MARK)  # not a unit's ledger, when it lies in the district folder
    book.close()
    return _with_rows(out.getvalue(), DETAIL_SHEET, rows)


def _with_rows(xlsx: bytes, member: str, rows: list[tuple[str, str, str, str, Decimal, str]]) -> bytes:
    """The workbook with ``rows`` as the data of sheet ``member`` (written by xlsxwriter with its
    header row only): the 明细 sheet's tens of thousands of cells written as XML directly, texts as
    inline strings, in a third of the time xlsxwriter takes for them (``python benchmarks/workbook.py``)."""
    import zipfile

    def text(column: str, n: int, value: str) -> str:
        if not value:
            return ""  # no cell: a blank, as filters and pivot tables show it
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{column}{n}" t="inlineStr"><is><t{space}>{xml_text(value)}</t></is></c>'

    data = "".join(
        f'<row r="{n}">{text("A", n, group)}{text("B", n, unit)}{text("C", n, category)}{text("D", n, item)}'
        f'<c r="E{n}"><v>{number(value)!r}</v></c>{text("F", n, measure)}</row>'
        for n, (group, unit, category, item, value, measure) in enumerate(rows, 2))
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == member:
                sheet = part.decode("utf-8")
                if sheet.count("</sheetData>") != 1:
                    raise AssertionError(f"{member}: no single </sheetData> to add the rows to")
                sheet = _DIMENSION.sub(f'<dimension ref="A1:F{len(rows) + 1}"/>', sheet, count=1)
                part = sheet.replace("</sheetData>", data + "</sheetData>").encode("utf-8")
            book.writestr(info, part)
    return out.getvalue()


def _print_setup(sheet: Worksheet, header_row: int = 1) -> None:
    """A4 landscape, as wide as the page, the header on every page, page numbers."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_footer("&C第 &P 页，共 &N 页")
