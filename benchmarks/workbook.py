"""Benchmark: 汇总表.xlsx's 明细 sheet, its rows written cell by cell through xlsxwriter against
spliced in as XML (:func:`chuangcheng.district.workbook._with_rows`, what the roll-up does).

    python benchmarks/workbook.py [ROWS]      # default 40,000 rows (a thousand units: about 27,000–45,000)

Prints medians of three rounds and their ratio, never asserts: the machines are shared and noisy.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from decimal import Decimal

from chuangcheng.district.workbook import DETAIL, DETAIL_SHEET, _with_rows

Row = tuple[str, str, str, str, Decimal, str]


def rows_of(count: int) -> list[Row]:
    items = [("宣传发动", "发放宣传资料", "份"), ("环境整治", "清运垃圾", "吨"), ("志愿服务", "开展志愿服务", "次")]
    return [(f"街道{n % 12:02d}", f"社区{n // 40:04d}", *items[n % 3][:2], Decimal(n % 997), items[n % 3][2])
            for n in range(count)]


def frame(rows: list[Row] | None) -> bytes:
    """A two-sheet workbook as the roll-up writes it; with ``rows``, 明细's rows written by xlsxwriter."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("主要指标").write_string(0, 0, "汇总")
    detail = book.add_worksheet("明细")
    for c, name in enumerate(DETAIL):
        detail.write_string(0, c, name)
    for r, (group, unit, category, item, value, measure) in enumerate(rows or [], 1):
        for c, text in enumerate((group, unit, category, item)):
            detail.write_string(r, c, text)
        detail.write_number(r, 4, int(value))
        detail.write_string(r, 5, measure)
    book.close()
    return out.getvalue()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    rows = rows_of(count)
    by_cell, spliced = [], []
    for _ in range(3):
        start = time.perf_counter()
        frame(rows)
        by_cell.append(time.perf_counter() - start)
        start = time.perf_counter()
        _with_rows(frame(None), DETAIL_SHEET, rows)
        spliced.append(time.perf_counter() - start)
    cell, splice = statistics.median(by_cell), statistics.median(spliced)
    print(f"明细, {count} rows: xlsxwriter cell by cell {cell:.2f} s, spliced {splice:.2f} s "
          f"({cell / splice:.1f}× faster), medians of 3")


if __name__ == "__main__":
    main()
