"""汇总表.xlsx: one row per unit, one column per amount item, a totals row, a frozen header."""

from __future__ import annotations

import io
from decimal import Decimal

from ..office.docx_package import xml_clean
from .batch import UnitSummary


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _people(values: list[tuple[str, str, str]]) -> Decimal:
    return sum((Decimal(v) for v, _, _ in values), Decimal(0))


def build_workbook(units: list[UnitSummary], title: str) -> bytes:
    """The workbook district offices work in; numbers are numbers, the totals are formulas, and
    every text from a unit file is written as a string (``=HYPERLINK(…)`` stays text), without
    what XML forbids (a lone surrogate made xlsxwriter fail while saving)."""
    import xlsxwriter
    from xlsxwriter.utility import xl_rowcol_to_cell

    items: dict[tuple[str, str], None] = {}
    for unit in units:
        for item, _, measure, _ in unit.amounts:
            items.setdefault((item, measure))
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                            "border": 1, "bg_color": "#F2F2F2", "font_name": "宋体"})
    cell = book.add_format({"border": 1, "font_name": "宋体"})
    total = book.add_format({"border": 1, "bold": True, "font_name": "宋体"})
    sheet = book.add_worksheet("汇总表")
    fixed = ["单位", "类型", "文件", "活动次数", "参与人次", "志愿者（人次）"]
    columns = fixed + [f"{item}（{measure}）" for item, measure in items]
    for c, heading in enumerate(columns):  # names from unit files: text, never a formula
        sheet.write_string(0, c, xml_clean(heading), head)
    sheet.set_row(0, 36)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 8)
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, len(columns) - 1, 12)
    totals = [Decimal(0)] * len(columns)
    for r, unit in enumerate(units, 1):
        mine: dict[tuple[str, str], Decimal] = {}
        for item, value, measure, _ in unit.amounts:
            mine[(item, measure)] = mine.get((item, measure), Decimal(0)) + Decimal(value)
        row: list[object] = [unit.name, unit.type, unit.file, unit.activities,
                             _people(unit.participants), _people(unit.volunteers)]
        row += [mine.get(key) for key in items]
        for c, entry in enumerate(row):
            if isinstance(entry, Decimal):
                totals[c] += entry
                sheet.write_number(r, c, _number(entry), cell)
            elif isinstance(entry, int):
                totals[c] += entry
                sheet.write_number(r, c, entry, cell)
            elif entry is not None:
                sheet.write_string(r, c, xml_clean(str(entry)), cell)
    last = len(units) + 1
    sheet.write_string(last, 0, "合计", total)
    for c in range(3, len(columns)):
        first, end = xl_rowcol_to_cell(1, c), xl_rowcol_to_cell(last - 1, c)
        sheet.write_formula(last, c, f"=SUM({first}:{end})", total, _number(totals[c]))
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, last - 1, len(columns) - 1)
    book.set_properties({"title": xml_clean(title)})
    book.close()
    return out.getvalue()
