"""Benchmark: how soon a runaway own template (--template-dir) is stopped, and what the capped
sandbox costs a normal report.

    python benchmarks/template_limits.py [REPEATS] [SECONDS]     # default 5 repeats, 1.0 s

For each runaway template, the median seconds until render_template raised its TemplateError
(in this process's main thread and in a forked worker process), with TEMPLATE_SECONDS set to
SECONDS; then the median milliseconds per unit to render the examples' report with the built-in
template, plain and as an own template. Prints, never asserts: the machines are shared and noisy.
"""

from __future__ import annotations

import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from chuangcheng import limits
from chuangcheng.errors import TemplateError
from chuangcheng.load.loader import load_unit
from chuangcheng.office.render import render_markdown
from chuangcheng.write.templating import builtin_template_dir, environment, render_template

ROOT = Path(__file__).resolve().parents[1]

RUNAWAY = {
    "nested range loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested list loops": "{% set a = [1] * 1000000 %}{% for i in a %}{% for j in a %}{% endfor %}{% endfor %}",
    "macro recursion in loop": "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{% endif %}{% endmacro %}"
                               "{% for i in range(100000) %}{% for j in range(100000) %}{{ m(50) }}"
                               "{% endfor %}{% endfor %}",
    "literal text in a macro": "{% macro m() %}{% for i in range(100000) %}{% for j in range(100000) %}x"
                               "{% endfor %}{% endfor %}{% endmacro %}{{ m() }}",
    "sorting in a loop": "{% set a = range(100000)|list %}{% for i in range(100000) %}{{ (a|sort|first) }}"
                         "{% endfor %}",
}


def time_to_stop(folder: Path, name: str) -> tuple[float, str]:
    environment.cache_clear()
    start = time.perf_counter()
    try:
        render_template(name, folder)
    except TemplateError as exc:
        return time.perf_counter() - start, str(exc).split(": 模板: ")[-1][:24]
    return time.perf_counter() - start, "not stopped"


def _in_worker(folder: Path, name: str, seconds: float, queue: multiprocessing.Queue[tuple[float, str]]) -> None:
    limits.TEMPLATE_SECONDS = seconds
    queue.put(time_to_stop(folder, name))


def in_worker(folder: Path, name: str, seconds: float) -> tuple[float, str]:
    queue: multiprocessing.Queue[tuple[float, str]] = multiprocessing.Queue()
    process = multiprocessing.Process(target=_in_worker, args=(folder, name, seconds, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    limits.TEMPLATE_SECONDS = seconds
    folder = Path(tempfile.mkdtemp())
    print(f"TEMPLATE_SECONDS = {seconds:g}; median of {repeats} (seconds until stopped)")
    for i, (label, text) in enumerate(RUNAWAY.items()):
        (folder / f"t{i}.j2").write_text(text, encoding="utf-8")
        main_runs = [time_to_stop(folder, f"t{i}.j2") for _ in range(repeats)]
        worker_runs = [in_worker(folder, f"t{i}.j2", seconds) for _ in range(repeats)]
        print(f"  {label:26} main {statistics.median(t for t, _ in main_runs):6.2f}"
              f"   worker {statistics.median(t for t, _ in worker_runs):6.2f}   ({main_runs[0][1]})")
    limits.TEMPLATE_SECONDS = 10.0
    own = Path(tempfile.mkdtemp())
    shutil.copytree(builtin_template_dir(), own, dirs_exist_ok=True)
    examples = (ROOT / "examples" / "江城区").rglob("*.yaml")
    units = sorted(p for p in examples if p.name not in {"district.yaml", "区.yaml"})
    models = [load_unit(p).model for p in units]
    for label, templates in (("built-in template", None), ("same, as own template", own)):
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            for model in models:
                render_markdown(model, templates)
            runs.append((time.perf_counter() - start) / len(models))
        print(f"  report, {label:22} {statistics.median(runs) * 1000:6.2f} ms per unit")


if __name__ == "__main__":
    main()
