"""The Excel ledger written: empty for ``init --xlsx``, or holding a unit file's content for
``convert`` (everything the format holds, so that reading it back gives the same unit). The
sheets and columns are :mod:`chuangcheng.read.ledger`'s layout; what each holds is written the way
that reader takes it back (exact amounts, dates at their precision, several items a cell one a line).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..load.amounts import Amount, exact_text
from ..load.dates import When
from ..load.loader import key_table
from ..load.models import UNIT_TYPES, Activity, Report, Section
from ..office.docx_package import xml_clean
from ..read.ledger import layout

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

WIDTHS = {"日期": 12, "结束日期": 12, "名称": 26, "地点": 16, "组织": 14, "对象": 10, "数量": 34, "次数": 6,
          "参与": 11, "志愿者": 9, "说明": 48, "照片": 24, "标题": 16, "内容": 80, "部分": 14, "类别": 10,
          "授予": 22, "获得者": 14, "项目": 14}
_DIGIT = re.compile(r"\d")
_SEPARATOR = re.compile(r"[、，；;,]")
ROWS = 200  # rows given the date format and the lists in an empty ledger


class _Book:
    def __init__(self, book: Workbook) -> None:
        self.book = book
        base = {"font_name": "宋体", "font_size": 11, "valign": "top"}
        self.head = book.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "border": 1, "align": "center"})
        self.text = book.add_format({**base, "text_wrap": True})
        self.date = book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.note = book.add_format({**base, "font_color": "#808080", "text_wrap": True})

    def sheet(self, name: str, columns: Sequence[str], comments: dict[str, str],
              kinds: dict[str, list[str]] | None = None) -> Worksheet:
        """A sheet with its header; ``kinds``: the layout's column specs (date columns get a date format)."""
        sheet = self.book.add_worksheet(name)
        for c, column in enumerate(columns):
            sheet.write_string(0, c, column, self.head)
            dated = kinds is not None and column in kinds and kinds[column][0] == "date"
            sheet.set_column(c, c, WIDTHS.get(column, 14), self.date if dated else self.text)
            if comments.get(column):
                sheet.write_comment(0, c, comments[column], {"x_scale": 2, "y_scale": 1.2})
        sheet.freeze_panes(1, 0)
        return sheet

    def cell(self, sheet: Worksheet, row: int, col: int, value: object) -> None:
        if value is None or value == "" or value == []:
            return
        if isinstance(value, dt.date):
            sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.date)
        elif isinstance(value, When):
            if value.day is not None:
                self.cell(sheet, row, col, value.day)
            else:
                sheet.write_string(row, col, value.text(), self.text)
        elif isinstance(value, Amount):
            sheet.write_string(row, col, exact_text(value), self.text)
        elif isinstance(value, list):
            sheet.write_string(row, col, xml_clean("\n".join(str(v) for v in value)), self.text)
        else:
            sheet.write_string(row, col, xml_clean(str(value)), self.text)


def _field(model: BaseModel, title: str) -> Any:
    """The value of the field of ``model`` whose Chinese key is ``title``."""
    return getattr(model, key_table(type(model))[title])


def _at(report: Report, path: Sequence[str]) -> object:
    node: Any = report
    for part in path:
        if node is None:
            return None
        node = _field(node, part)
    return node


def quantities_text(quantities: dict[str, Amount]) -> str:
    """``悬挂横幅10条、发放宣传单3000余份``: an item with a digit in its name is set off by a colon, and
    items one a line when a name holds a 、 or another separator."""
    parts = [f"{item}：{exact_text(a)}" if _DIGIT.search(item) else f"{item}{exact_text(a)}"
             for item, a in quantities.items()]
    return ("\n" if any(_SEPARATOR.search(item) for item in quantities) else "、").join(parts)


def build_ledger(report: Report | None, unit_type: str = "社区") -> bytes:
    """The ledger of ``report`` (``None``: an empty one, of a unit of ``unit_type``)."""
    import xlsxwriter

    shape = layout()
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    book.formats[0].set_font_name("宋体")
    ours = _Book(book)
    _unit_sheet(ours, report, unit_type)
    kinds = shape["activity_columns"]
    comments = {name: str(spec[1]) for name, spec in kinds.items()}
    for name in shape["activity_sheets"]:
        sheet = ours.sheet(name, list(kinds), comments, kinds)
        section = _at(report, [name]) if report else None
        _activities(ours, sheet, section.activities if isinstance(section, Section) else [], 0)
    titles = {shape["other_title"]: "本单位自设工作的小标题；没有活动的部分，只写一行标题"}
    other = ours.sheet(shape["other_sheet"], [shape["other_title"], *kinds], {**titles, **comments}, kinds)
    row = 1
    for part in report.other if report else []:
        if not part.activities:  # a title alone: the part's place in the order (its 做法 on 做法成效)
            other.write_string(row, 0, xml_clean(part.title), ours.text)
            row += 1
        for act in part.activities:
            other.write_string(row, 0, xml_clean(part.title), ours.text)
            row = _activities(ours, other, [act], 1, row)
    _texts(ours, report)
    for name, key in shape["list_sheets"].items():
        sheet = ours.sheet(name, [shape["list_header"]], {shape["list_header"]: "一条一行"})
        for r, text in enumerate(_field(report, key) if report else [], 1):
            ours.cell(sheet, r, 0, text)
    honours = shape["honours_columns"]
    sheet = ours.sheet(shape["honours_sheet"], list(honours), {k: str(v[1]) for k, v in honours.items()}, honours)
    for r, honour in enumerate(report.honours if report else [], 1):
        for c, title in enumerate(honours):
            ours.cell(sheet, r, c, _field(honour, title))
    book.set_properties({"title": f"{report.unit.name if report else ''}创城工作台账", "comments": "chuangcheng 台账"})
    book.close()
    return out.getvalue()


def _unit_sheet(ours: _Book, report: Report | None, unit_type: str) -> None:
    shape = layout()
    sheet = ours.sheet(shape["unit_sheet"], shape["unit_header"], {})
    sheet.set_column(1, 1, 40, ours.text)
    sheet.set_column(2, 2, 60, ours.note)
    rows: dict[str, list[Any]] = shape["unit_rows"]
    for r, (name, (path, kind, note)) in enumerate(rows.items(), 1):
        sheet.write_string(r, 0, name, ours.head)
        sheet.write_string(r, 2, str(note), ours.note)
        if kind == "type":
            sheet.data_validation(r, 1, r, 1, {"validate": "list", "source": list(UNIT_TYPES)})
        if kind == "date":
            sheet.write_blank(r, 1, None, ours.date)
        ours.cell(sheet, r, 1, _at(report, path) if report else (unit_type if kind == "type" else None))
    r = len(rows) + 1
    sheet.write_string(r, 0, shape["profile_row"], ours.head)
    sheet.write_string(r, 2, "这一行以下：基本情况，每项一行，如 辖区面积 | 2.6平方公里", ours.note)
    profile = report.unit.profile if report else dict.fromkeys(("辖区面积", "常住人口", "户数"), "")
    for n, (key, value) in enumerate(profile.items(), r + 1):
        sheet.write_string(n, 0, xml_clean(key), ours.text)
        ours.cell(sheet, n, 1, value)


def _activities(ours: _Book, sheet: Worksheet, activities: Sequence[Activity], first: int, row: int = 1) -> int:
    """One row an activity from ``row``, columns from ``first``; the next free row."""
    columns = list(layout()["activity_columns"])
    for act in activities:
        written = {"数量": quantities_text(act.quantities), "次数": str(act.times) if act.times != 1 else None}
        for c, name in enumerate(columns, first):
            ours.cell(sheet, row, c, written[name] if name in written else _field(act, name))
        row += 1
    return row


def _texts(ours: _Book, report: Report | None) -> None:
    shape = layout()
    kinds = {title: key for key, title in shape["text_kinds"].items()}  # 做法 → 做法, 标题 → 小标题
    sheet = ours.sheet(shape["text_sheet"], shape["text_header"], {
        "部分": f"板块名（宣传发动……）、其他工作的标题，或“{shape['overall']}”（整篇的成效、亮点）",
        "类别": "、".join(shape["text_kinds"]), "内容": "一句一行"})
    parts = [*shape["activity_sheets"], shape["overall"]]
    sheet.data_validation(1, 1, ROWS, 1, {"validate": "list", "source": list(shape["text_kinds"])})
    row = 1
    if report is None:
        sheet.data_validation(1, 0, ROWS, 0, {"validate": "list", "source": parts, "error_type": "information"})
        return
    sections: list[tuple[str, Section]] = [(name, s) for name in shape["activity_sheets"]
                                           if isinstance(s := _at(report, [name]), Section)]
    sections += [(part.title, part) for part in report.other]
    for name, section in sections:
        if section.title and name != section.title:
            row = _text_rows(ours, sheet, row, name, kinds["标题"], [section.title])
        row = _text_rows(ours, sheet, row, name, kinds["做法"], section.measures)
        row = _text_rows(ours, sheet, row, name, kinds["成效"], section.results)
    row = _text_rows(ours, sheet, row, shape["overall"], kinds["亮点"], report.highlights)
    _text_rows(ours, sheet, row, shape["overall"], kinds["成效"], report.results)


def _text_rows(ours: _Book, sheet: Worksheet, row: int, part: str, kind: str, texts: Sequence[str]) -> int:
    for text in texts:
        sheet.write_string(row, 0, xml_clean(part), ours.text)
        sheet.write_string(row, 1, kind, ours.text)
        sheet.write_string(row, 2, xml_clean(text), ours.text)
        row += 1
    return row
