"""Benchmark: loading a unit from its Excel ledger against the same unit in YAML, and the two
readers the ledger could use (python-calamine, which it uses; openpyxl in read-only mode).

    python benchmarks/ledger.py [ACTIVITIES]     # default 30 activities; needs pip install -e '.[test]' (openpyxl)

Prints medians of 20 rounds and differences, never asserts: the machines are shared and noisy.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from chuangcheng.load.loader import load_unit
from chuangcheng.office.convert import unit_yaml
from chuangcheng.office.ledger import build_ledger

ROOT = Path(__file__).resolve().parents[1]


def median_ms(fn: Callable[[], object], rounds: int = 20) -> float:
    fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(5)]
    return statistics.median(runs) * 1000


def main() -> None:
    wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    report = load_unit(ROOT / "examples" / "江城区" / "桃源镇" / "桃源村.yaml").model
    acts = report.sanitation.activities if report.sanitation else []
    section = report.sanitation.model_copy(update={"activities": [acts[i % len(acts)] for i in range(wanted)]})
    report = report.model_copy(update={"sanitation": section})
    with tempfile.TemporaryDirectory() as tmp:
        yaml_file, ledger_file = Path(tmp) / "单位.yaml", Path(tmp) / "单位.xlsx"
        yaml_file.write_text(unit_yaml(report), encoding="utf-8")
        ledger_file.write_bytes(build_ledger(report))
        count = sum(len(s.activities) for _, s in load_unit(ledger_file).model.located_sections())
        yaml_ms, ledger_ms = median_ms(lambda: load_unit(yaml_file)), median_ms(lambda: load_unit(ledger_file))

        def calamine() -> None:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(str(ledger_file))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python(skip_empty_area=False)

        def openpyxl_read_only() -> None:
            import openpyxl

            book = openpyxl.load_workbook(ledger_file, read_only=True, data_only=True)
            for sheet in book.worksheets:
                list(sheet.iter_rows(values_only=True))
            book.close()

        cells_calamine, cells_openpyxl = median_ms(calamine), median_ms(openpyxl_read_only)
    print(f"a unit of {count} activities ({wanted} of them in 环境整治), loaded and validated (median of 20):")
    print(f"  from YAML            {yaml_ms:7.2f} ms")
    print(f"  from its ledger      {ledger_ms:7.2f} ms   ({ledger_ms - yaml_ms:+.2f} ms; the bar: at most +10 ms)")
    print("reading the ledger's cells only:")
    print(f"  python-calamine      {cells_calamine:7.2f} ms   import {import_ms('python_calamine'):.0f} ms")
    print(f"  openpyxl read-only   {cells_openpyxl:7.2f} ms   import {import_ms('openpyxl'):.0f} ms")


if __name__ == "__main__":
    main()
