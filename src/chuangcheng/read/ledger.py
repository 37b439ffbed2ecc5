"""An Excel ledger (台账.xlsx) read as a unit file: the same keys and values (every value as text,
as the YAML reader gives them), each placed at its cell, so that the loader, the checks and every
message work on it unchanged (``台账.xlsx:宣传发动!C5: CC105 …``).

The layout is data (``ledger.yaml``). What people do to a sheet is taken in stride: a title row or
blank rows above the header, merged cells (a date merged over the rows of one day's activities),
blank rows, repeated header rows, Excel dates, dates typed as text or as 20260305, a numbering or
remarks column; other columns and sheets are ignored with a warning, hidden sheets silently.
Read with python-calamine: 0.8 ms for a 30-activity ledger against 13 ms for openpyxl in
read-only mode, and 1 ms to import against 107 ms (``python benchmarks/ledger.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path as FsPath
from typing import Any

from ..errors import SHEET_ORDER, Diagnostic, InputError, Pos, Severity, column_name
from ..limits import MAX_FILE_BYTES, MAX_LEDGER_COLUMNS, MAX_LEDGER_ROWS, MAX_LEDGER_XML_BYTES
from .yamltree import Path, Tree

CODE_UNKNOWN = "CC113"  # a sheet or column the ledger does not know: ignored, with a warning
_SPACES = re.compile(r"[\s\u3000]+")
_REQUIRED_MARK = re.compile(r"[（(]必填[）)]|[*＊]")
_ITEM_COLUMN = re.compile(r"^(.+?)[（(]([^（）()]+)[）)]$")  # 悬挂横幅（条）
_ITEM = re.compile(r"^(?P<item>.*?)[:：\s]*(?P<amount>\d.*)$")
_ITEM_COLON = re.compile(r"^(?P<item>.+)[:：]\s*(?P<amount>\d.*)$")  # 5G基站：3个
_SPLIT_AMOUNTS = re.compile(r"[、，；;\n]|,(?!\d{3})")
_LINES = re.compile(r"\s*\n\s*")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (36526, 73051)  # Excel's day numbers of 2000-01-01 … 2100-01-01
HEADER_ROWS = 10  # the header is looked for in a sheet's first rows


@functools.cache
def layout() -> dict[str, Any]:
    """The ledger's sheets and columns (``ledger.yaml``)."""
    import yaml

    data: dict[str, Any] = yaml.safe_load(FsPath(__file__).with_name("ledger.yaml").read_text(encoding="utf-8"))
    return data


_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def shown_sheet(name: str) -> str:
    """A sheet's name as messages print it: on one line, without the : and ! that end a place (a
    damaged file's names may hold anything; Excel's own never hold these)."""
    return _UNSHOWABLE.sub(" ", name).replace(":", "：").replace("!", "！").strip() or "（无名表）"


def name_of(cell: object) -> str:
    """A header or 项目 cell as a name: spaces, line breaks and （必填） marks left out."""
    return _REQUIRED_MARK.sub("", _SPACES.sub("", str(cell))) if cell not in (None, "") else ""


def number_text(value: float | int) -> str:
    """A number as it was typed: ``680`` (not ``680.0``), ``2.5``; past 15 digits as Excel shows it (``1E+308``)."""
    if isinstance(value, float) and not 1e-6 <= abs(value) < 1e15 and value != 0:
        return format(value, "G").replace("INF", "∞").replace("NAN", "非数")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return format(value, "f").rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def date_text(value: object) -> str | None:
    """A date cell as the unit file writes dates: an Excel date, a typed text, or a number that can
    only be a date (20260305, or Excel's own day number when the cell lost its date format);
    ``None`` for any other number (3.5 is not 3月5日: Excel drops the 0 of 3.10)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value).strip()
    if float(value).is_integer():
        n = int(value)
        if 19000101 <= n <= 21001231:
            try:
                return dt.date(n // 10000, n // 100 % 100, n % 100).isoformat()
            except ValueError:
                return None
        if _SERIAL_RANGE[0] <= n <= _SERIAL_RANGE[1]:
            return (_EXCEL_EPOCH + dt.timedelta(days=n)).isoformat()
    return None


def text_of(value: object) -> str:
    """Any other cell as text: numbers as typed, 是/否 for a checkbox, dates as dates."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, dt.date):  # a datetime too
        return date_text(value) or ""
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return str(value).strip()


def lines_of(value: object) -> list[str]:
    """A cell holding several items, one a line (Alt+Enter)."""
    return [part for part in _LINES.split(text_of(value)) if part]


def amounts_of(text: str) -> tuple[dict[str, str], str]:
    """``悬挂横幅10条、发放宣传单3000余份`` → {悬挂横幅: 10条, 发放宣传单: 3000余份}, and the part that
    is not ``事项+数量`` (``""`` when all are). Items one a line are split at line ends only (an
    item's name may hold a 、: ``分发灭鼠药、粘鼠板：500份``)."""
    found: dict[str, str] = {}
    parts = text.split("\n") if "\n" in text else _SPLIT_AMOUNTS.split(text)  # one a line, else 、，；
    for part in (p.strip() for p in parts):
        if not part:
            continue
        match = _ITEM_COLON.match(part) or _ITEM.match(part)
        if not match or not match["item"].strip():
            return found, part
        found[match["item"].strip()] = match["amount"].strip()
    return found, ""


class _Grid:
    """One sheet's cells, merged ranges filled with their first cell's value."""

    def __init__(self, sheet: Any) -> None:
        self.name = shown_sheet(str(sheet.name))
        self.rows: list[list[object]] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        width = max((len(r) for r in self.rows), default=0)
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
            if r0 >= len(self.rows) or c0 >= len(self.rows[r0]):
                continue
            c1 = min(c1, width - 1)  # a range merged across the whole sheet: only as far as the cells go
            first = self.rows[r0][c0]
            for r in range(r0, min(r1 + 1, len(self.rows))):
                row = self.rows[r]
                row.extend([""] * (c1 + 1 - len(row)))
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        row[c] = first

    def cell(self, row: int, col: int) -> object:
        line = self.rows[row] if row < len(self.rows) else []
        return line[col] if col < len(line) else ""

    def pos(self, row: int, col: int) -> Pos:
        return Pos(row + 1, col + 1, self.name)

    def header(self, wanted: str, known: set[str]) -> int | None:
        """The row of the header: the first that names ``wanted``, or two known columns."""
        for r, row in enumerate(self.rows[:HEADER_ROWS]):
            names = {name_of(c) for c in row}
            if wanted in names or len(names & known) >= 2:
                return r
        return None

    def empty(self) -> bool:
        return all(c in ("", None) for row in self.rows for c in row)


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.tree = Tree({})
        self.errors: list[Diagnostic] = []
        self.titles: list[str] = []  # 其他工作, in order
        self.tree.values[()] = Pos(1, 1, layout()["unit_sheet"])  # what belongs to no cell: the 单位 sheet

    # --- building the tree -------------------------------------------------------------------
    def put(self, path: Path, value: object, pos: Pos, key_pos: Pos | None = None) -> None:
        """``value`` at ``path`` of the data, every container on the way made as needed."""
        node: Any = self.tree.data
        for depth, part in enumerate(path[:-1]):
            make = list if isinstance(path[depth + 1], int) else dict  # what the next part indexes
            if isinstance(node, list):
                assert isinstance(part, int)
                while len(node) <= part:
                    node.append(make())
                node = node[part]
            else:
                node = node.setdefault(part, make())
            self.tree.values.setdefault(path[:depth + 1], pos)
        last = path[-1]
        if isinstance(node, list):
            assert isinstance(last, int)
            while len(node) <= last:
                node.append(None)
            node[last] = value
        else:
            node[last] = value
        self.tree.values[path] = pos
        if key_pos is not None:
            self.tree.keys[path] = key_pos

    def add(self, path: Path, value: object, pos: Pos) -> None:
        """Append ``value`` to the list at ``path``."""
        node: Any = self.tree.data
        for part in path:
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int):
                node = node[part]
            else:
                node = None
            if node is None:
                break
        self.put((*path, len(node) if isinstance(node, list) else 0), value, pos)

    def error(self, pos: Pos, field: str, message: str, code: str = "CC105") -> None:
        self.errors.append(Diagnostic.at(self.file, pos, field, message, code=code))

    def warn(self, pos: Pos, field: str, message: str) -> None:
        self.tree.warnings.append(Diagnostic.at(self.file, pos, field, message, Severity.WARNING, CODE_UNKNOWN))

    # --- sheets ------------------------------------------------------------------------------
    def unit(self, grid: _Grid) -> None:
        rows: dict[str, list[Any]] = layout()["unit_rows"]
        top = grid.header("项目", set(rows)) or 0
        if name_of(grid.cell(top, 0)) in rows:
            top -= 1  # no header row: the first row is a key
        self.put(("单位",), {}, grid.pos(0, 0))
        profile = False
        for r in range(top + 1, len(grid.rows)):
            key, value = name_of(grid.cell(r, 0)), grid.cell(r, 1)
            if not key:
                continue
            if key == layout()["profile_row"]:
                profile = True
                continue
            if profile:
                if value not in ("", None):
                    self.put(("单位", "基本情况", key), text_of(value), grid.pos(r, 1), grid.pos(r, 0))
                continue
            if key not in rows:
                self.warn(grid.pos(r, 0), key, f"“单位”表不认识的项目“{key}”，已忽略；可以写的项目：{'、'.join(rows)}；"
                          f"基本情况的项目请写在“{layout()['profile_row']}”一行之后")
                continue
            path, kind, _ = rows[key]
            if value in ("", None):  # left empty: a missing item is reported at the cell to fill in
                for cut in range(1, len(path) + 1):
                    self.tree.keys.setdefault(tuple(path[:cut]), grid.pos(r, 1))
                continue
            self.value(tuple(path), kind, value, grid.pos(r, 1), grid.pos(r, 0), key)

    def value(self, path: Path, kind: str, value: object, pos: Pos, key_pos: Pos, field: str) -> None:
        if kind == "list":
            for line in lines_of(value):
                self.add(path, line, pos)
            self.tree.keys.setdefault(path, key_pos)
        elif kind == "date":
            text = date_text(value)
            if text is None:
                self.error(pos, field, f"日期写成了数字“{text_of(value)}”：请写成“3月5日”或“2026-03-05”，"
                                       "或把单元格设为日期格式（Excel 会把“3.10”存成 3.1）")
            elif text:
                self.put(path, text, pos, key_pos)
        elif text := text_of(value):
            self.put(path, text, pos, key_pos)

    def columns(self, grid: _Grid, header: int, known: dict[str, Any], field: str
                ) -> dict[int, tuple[str, str]]:
        """The header's columns: index → (name, kind); ``kind`` ``item:条`` for an item column."""
        found: dict[int, tuple[str, str]] = {}
        seen: set[str] = set()
        for c, cell in enumerate(grid.rows[header]):
            name = name_of(cell)
            if not name or name in layout()["ignored_columns"]:
                continue
            item = _ITEM_COLUMN.match(name)
            if name in known and name not in seen:
                found[c] = (name, known[name][0])
                seen.add(name)
            elif item and name not in known:
                found[c] = (item[1], f"item:{item[2]}")
            else:
                why = "重复的列，只读第一列" if name in seen else \
                    f"不认识的列，已忽略；可以有的列：{'、'.join(known)}；数量也可以每个事项一列，列名写成“悬挂横幅（条）”"
                self.warn(grid.pos(header, c), field, f"“{name}”：{why}")
        return found

    def table(self, grid: _Grid, known: dict[str, Any], shown: str
              ) -> tuple[int, dict[int, tuple[str, str]], list[tuple[int, dict[int, object]]]] | None:
        """A sheet of one row a record: its header row, its columns (:meth:`columns`) and its records
        (row, the known columns' cells that hold something), repeated header rows and empty rows left
        out. A sheet with content but no header is an error (``shown``: column names it names)."""
        header = grid.header("名称", set(known))
        if header is None:
            if not grid.empty():
                self.error(grid.pos(0, 0), grid.name, f"找不到表头：表的前几行里要有一行写着{shown}等列名", "CC104")
            return None
        names = [name_of(c) for c in grid.rows[header]]
        columns = self.columns(grid, header, known, grid.name)
        records = []
        for r in range(header + 1, len(grid.rows)):
            row = grid.rows[r]
            if [name_of(c) for c in row] == names:
                continue  # the header again (a printed sheet's, or a two-row header merged)
            cells = {c: row[c] for c in columns if c < len(row) and row[c] not in ("", None)}
            if cells:
                records.append((r, cells))
        return header, columns, records

    def activities(self, grid: _Grid, prefix: Path, titled: bool = False) -> None:
        other = layout()["other_title"]
        known = {**({other: ["text"]} if titled else {}), **layout()["activity_columns"]}
        found = self.table(grid, known, "“日期”“名称”")
        if found is None:
            return
        header, columns, records = found
        title_at = next((c for c, (n, _) in columns.items() if n == other), None) if titled else None
        counts: dict[Path, int] = {}  # activities so far, by section
        for r, cells in records:
            section = prefix
            if titled:
                title = text_of(cells.pop(title_at)) if title_at in cells else ""
                section = self.other(title, grid.pos(r, title_at if title_at is not None else 0))
                if not cells:
                    continue  # a title alone: a part with no activities (its 做法 are on 做法成效)
            index = counts.get(section, 0)
            counts[section] = index + 1
            at = (*section, "活动", index)
            self.put(at, {}, grid.pos(r, min(cells)))
            for c, value in cells.items():
                name, kind = columns[c]
                pos = grid.pos(r, c)
                if kind.startswith("item:"):
                    measure = kind[5:]
                    text = text_of(value)
                    amount = text + measure if re.fullmatch(r"[\d.,]+", text) else text
                    self.put((*at, "数量", name), amount, pos, grid.pos(header, c))
                elif kind == "amounts":
                    self.amounts(at, value, pos)
                else:
                    self.value((*at, name), kind, value, pos, grid.pos(header, c), name)

    def amounts(self, at: Path, value: object, pos: Pos) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.error(pos, "数量", f"只写了数字“{text_of(value)}”：请写成“事项+数量”，如“悬挂横幅10条”；"
                                    "多项用顿号隔开，或每个事项一列，列名写成“悬挂横幅（条）”")
            return
        found, rest = amounts_of(text_of(value))
        if rest:
            self.error(pos, "数量", f"“{rest}”应写成“事项+数量”，如“悬挂横幅10条、发放宣传单3000余份”")
            return
        for item, amount in found.items():
            self.put((*at, "数量", item), amount, pos, pos)

    def other(self, title: str, pos: Pos) -> Path:
        """The path of the 其他工作 part titled ``title``, added in order when new."""
        if title not in self.titles:
            self.titles.append(title)
            self.put(("其他工作", len(self.titles) - 1, "标题"), title or None, pos)
        return ("其他工作", self.titles.index(title))

    def texts(self, grid: _Grid) -> None:
        part_col, kind_col, text_col = range(3)
        header = grid.header("内容", set(layout()["text_header"]))
        if header is not None:
            names = [name_of(c) for c in grid.rows[header]]
            part_col, kind_col, text_col = (names.index(n) if n in names else i
                                            for i, n in enumerate(layout()["text_header"]))
        kinds: dict[str, str] = layout()["text_kinds"]
        sections = {*layout()["activity_sheets"]}
        for r in range((header if header is not None else -1) + 1, len(grid.rows)):
            part, kind, text = (text_of(grid.cell(r, c)) for c in (part_col, kind_col, text_col))
            part, kind = name_of(part), name_of(kind)
            if not text:
                continue
            if kind not in kinds:
                self.error(grid.pos(r, kind_col), "类别", f"“{kind}”不是可用的类别，应为：{'、'.join(kinds)}")
                continue
            if not part:
                self.error(grid.pos(r, part_col), "部分", "没有写部分：写“宣传发动”等板块、其他工作的标题，"
                                                           f"或“{layout()['overall']}”（整篇的成效、亮点）", "CC104")
                continue
            pos = grid.pos(r, text_col)
            if part == layout()["overall"]:
                if kinds[kind] not in {"成效", "亮点"}:
                    self.error(grid.pos(r, kind_col), "类别", f"“{layout()['overall']}”只能写成效和亮点")
                    continue
                self.add((kinds[kind],), text, pos)
                continue
            section: Path = (part,) if part in sections else self.other(part, grid.pos(r, part_col))
            if kinds[kind] == "标题":
                self.put((*section, "标题"), text, pos)
            else:
                self.add((*section, kinds[kind]), text, pos)

    def items(self, grid: _Grid, key: str) -> None:
        header = grid.header(layout()["list_header"], {layout()["list_header"]})
        col = 0
        if header is not None:
            col = [name_of(c) for c in grid.rows[header]].index(layout()["list_header"])
        for r in range((header if header is not None else -1) + 1, len(grid.rows)):
            text = text_of(grid.cell(r, col))
            if text:
                self.add((key,), text, grid.pos(r, col))

    def honours(self, grid: _Grid) -> None:
        found = self.table(grid, layout()["honours_columns"], "“名称”“授予”")
        if found is None:
            return
        header, columns, records = found
        for index, (r, cells) in enumerate(records):
            at = ("荣誉", index)
            self.put(at, {}, grid.pos(r, min(cells)))
            for c, value in cells.items():
                name, kind = columns[c]
                self.value((*at, name), kind, value, grid.pos(r, c), grid.pos(header, c), name)


_CELL_REF = re.compile(rb'<(?:c|row)\b[^>]*?\sr="([A-Za-z]{0,12})(\d+)"')  # past XFD too: calamine reads it
_SHEET = re.compile(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_TARGET = re.compile(r'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"|'
                     r'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _extent(path: FsPath, file: str, only: str | None = None) -> None:
    """Refuse, before calamine reads it, a sheet whose cells reach too far: calamine holds a
    sheet as one grid, and one cell at XFD1048576 in a 6 KB file asks it for hundreds of gigabytes
    (it aborts the process). Every cell's reference is read from the sheets' XML as it streams out
    of the archive, within :data:`MAX_LEDGER_XML_BYTES`; ``only``: that sheet alone."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            names = _sheet_parts(package)
            declared = sum(info.file_size for info in package.infolist())
            if declared > 2 * MAX_LEDGER_XML_BYTES:  # shared strings and the rest, as calamine reads them whole
                raise _TooLarge("", "")
            total = 0
            for info in package.infolist():
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                if only is not None and name_of(names.get(info.filename, "")) != only:
                    continue
                rows = cols = 0
                tail = b""
                with package.open(info) as stream:
                    while chunk := stream.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_LEDGER_XML_BYTES:
                            raise _TooLarge(names.get(info.filename, info.filename), "")
                        text = tail + chunk
                        for letters, number in _CELL_REF.findall(text):
                            rows, cols = max(rows, int(number)), max(cols, _column_number(letters))
                        tail = text[-200:]
                if rows > MAX_LEDGER_ROWS or cols > MAX_LEDGER_COLUMNS:
                    raise _TooLarge(names.get(info.filename, info.filename), f"{column_name(cols)}{rows}")
    except _TooLarge as exc:
        sheet, cell = exc.args
        where = f"“{sheet}”表有内容或格式一直延伸到 {cell} 单元格" if cell else \
            f"“{sheet}”等表的内容太多" if sheet else "解压后的内容太多"
        raise InputError([Diagnostic(file, 1, 1, "文件", f"{where}，超出限制：一张表最多 {MAX_LEDGER_ROWS} 行、"
                                                        f"{MAX_LEDGER_COLUMNS} 列；请删除多余的行和列（选中后“删除”，"
                                                        "不是“清除内容”）后另存", code="CC110")]) from None
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError, NotImplementedError):
        return  # not a workbook: calamine says so in its own words


class _TooLarge(Exception):
    pass


def _sheet_parts(package: Any) -> dict[str, str]:
    """Each worksheet part of an open workbook archive (``xl/worksheets/sheet3.xml``) → its sheet's
    name, as the workbook and its relationships say (empty when they cannot be read)."""
    try:
        rels = package.read("xl/_rels/workbook.xml.rels")[:1_000_000].decode("utf-8", "replace")
        workbook = package.read("xl/workbook.xml")[:1_000_000].decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {m[1] or m[4]: (m[2] or m[3]) for m in _TARGET.finditer(rels)}
    return {"xl/" + targets[rid].lstrip("/").removeprefix("xl/"): name
            for name, rid in _SHEET.findall(workbook) if rid in targets}


_NUMBER_CELL = re.compile(rb'<c\b[^>]*?\sr="([A-Za-z]{1,12})(\d+)"[^>]*>(?:<f\b[^>]*(?:/>|>[^<]*</f>))?<v>([^<]*)</v>')
_LAST_DAY = 2958465  # 9999-12-31 as an Excel day number


@contextlib.contextmanager
def _calamine_quiet() -> Iterator[None]:
    """While calamine reads: a Rust panic (a date-formatted cell past the year 9999, python-calamine
    issue 139) prints its English to the process's standard error before it becomes a
    PanicException; that output goes nowhere, and the panic is told in Chinese by the caller."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no standard error at all
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _panicked(exc: BaseException) -> bool:
    return type(exc).__name__ == "PanicException"  # pyo3's: a BaseException, not importable


def _out_of_range(path: FsPath, file: str, sheet: str) -> list[Diagnostic]:
    """Where calamine gave up on ``sheet``: its numbers no date can be (negative, past 9999-12-31,
    not finite), each at its cell; the sheet as a whole when none is found."""
    import zipfile

    found: list[Diagnostic] = []
    with contextlib.suppress(OSError, zipfile.BadZipFile, KeyError, RuntimeError, ValueError, EOFError):
        with zipfile.ZipFile(path) as package:
            part = next((p for p, name in _sheet_parts(package).items() if name == sheet), None)
            xml = package.read(part)[:MAX_LEDGER_XML_BYTES] if part else b""
        for letters, row, value in _NUMBER_CELL.findall(xml):
            try:
                number = float(value)
            except ValueError:
                continue
            if not 0 <= number <= _LAST_DAY:
                shown = value.decode("ascii", "replace")[:30]
                at = Pos(int(row), _column_number(letters), shown_sheet(sheet))
                found.append(Diagnostic.at(file, at, "单元格", f"单元格设成了日期格式，里面的数 {shown} 却不是日期"
                                           "（Excel 的日期在 1900—9999 年间）：请改成日期，如 2026-03-05，"
                                           "或把单元格格式改为“常规”", code="CC105"))
    why = "表里有无法读取的单元格（多半是日期超出范围）：请在 Excel 或 WPS 里检查日期列后另存"
    return found[:20] or [Diagnostic.at(file, Pos(1, 1, shown_sheet(sheet)), "文件", why, code="CC101")]


def read_ledger(path: FsPath, display: str | None = None) -> Tree:
    """Read a ledger; raise :class:`InputError` with every problem found, each at its cell."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    file = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            why = f"文件有 {size // 1024} KB，超出限制：一个台账最多 {MAX_FILE_BYTES // 1024} KB；照片不要放进表格"
            raise InputError([Diagnostic(file, 1, 1, "文件", why, code="CC110")])
        _extent(path, file)
        grids = {}
        with _calamine_quiet():
            book = CalamineWorkbook.from_path(str(path))
            for sheet in book.sheets_metadata:
                if sheet.visible != SheetVisibleEnum.Visible or sheet.typ != SheetTypeEnum.WorkSheet:
                    continue
                try:
                    grids[name_of(sheet.name)] = _Grid(book.get_sheet_by_name(sheet.name))
                except BaseException as exc:
                    if not _panicked(exc):
                        raise
                    raise InputError(_out_of_range(path, file, sheet.name)) from None
    except InputError:
        raise
    except OSError as exc:
        raise InputError([Diagnostic(file, 1, 1, "文件", f"无法读取：{exc.strerror or exc}", code="CC101")]) from None
    except Exception as exc:  # calamine's own errors: not a workbook, encrypted, broken XML
        locked = "Password" in type(exc).__name__ or "password" in str(exc).lower()
        why = "台账设了打开密码：请取消密码后另存" if locked else \
            "不是有效的 Excel 文件（.xlsx）：请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）"
        raise InputError([Diagnostic(file, 1, 1, "文件", why, code="CC101")]) from None
    return _read(file, grids)


def _read(file: str, grids: dict[str, _Grid]) -> Tree:
    shape = layout()
    reader = _Reader(file)
    if shape["unit_sheet"] not in grids:
        shown = "、".join(g.name for g in grids.values()) or "（没有可见的表）"
        raise InputError([Diagnostic(file, 1, 1, "文件", f"不是单位台账：没有“{shape['unit_sheet']}”表（这个文件的表："
                                                        f"{shown}）；空白台账可以用 chuangcheng init --xlsx 生成",
                                     code="CC104")])
    reader.unit(grids[shape["unit_sheet"]])
    for name in shape["activity_sheets"]:
        if name in grids:
            reader.activities(grids[name], (name,))
    if shape["other_sheet"] in grids:
        reader.activities(grids[shape["other_sheet"]], (), titled=True)
    if shape["text_sheet"] in grids:
        reader.texts(grids[shape["text_sheet"]])
    if shape["honours_sheet"] in grids:
        reader.honours(grids[shape["honours_sheet"]])
    for name, key in shape["list_sheets"].items():
        if name in grids:
            reader.items(grids[name], key)
    for name, grid in grids.items():
        if name not in {*sheet_names(), *shape["ignored_sheets"]} and not grid.empty():
            reader.warn(Pos(1, 1, grid.name), grid.name, f"不认识的表“{grid.name}”，已忽略；台账可以有的表："
                        f"{'、'.join(sheet_names())}")
    if reader.errors:
        raise InputError(sorted(reader.errors, key=lambda d: d.order))
    return reader.tree


def unit_name(path: FsPath) -> tuple[str, Pos] | None:
    """A ledger's 单位 名称 and its cell, read even when the rest of the ledger has errors (so that
    a unit that did hand in a broken ledger is not also reported as missing)."""
    from python_calamine import CalamineWorkbook

    try:
        _extent(path, str(path), only=layout()["unit_sheet"])
        with _calamine_quiet():
            book = CalamineWorkbook.from_path(str(path))
            name = next((n for n in book.sheet_names if name_of(n) == layout()["unit_sheet"]), None)
            if name is None:
                return None
            grid = _Grid(book.get_sheet_by_name(name))
    except Exception:  # not a workbook at all: nothing to name
        return None
    except BaseException as exc:  # a panic in calamine (see _calamine_quiet)
        if not _panicked(exc):
            raise
        return None
    for r in range(len(grid.rows)):
        if name_of(grid.cell(r, 0)) == "名称" and text_of(grid.cell(r, 1)):
            return text_of(grid.cell(r, 1)), grid.pos(r, 1)
    return None


def sheet_names() -> Sequence[str]:
    """Every sheet of a ledger, in the order ``init --xlsx`` writes them."""
    shape = layout()
    return [shape["unit_sheet"], *shape["activity_sheets"], shape["other_sheet"], shape["text_sheet"],
            *shape["list_sheets"], shape["honours_sheet"]]


SHEET_ORDER.update({name: i for i, name in enumerate(sheet_names())})  # messages sorted sheet by sheet
