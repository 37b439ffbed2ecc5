"""Benchmark: validate and render a synthetic district, next to a plain docxtpl baseline.

    python benchmarks/bench.py [N]        # N units, default 1000; needs `pip install -e '.[bench]'`

Prints medians and ratios, never asserts: the machines are shared and noisy.
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from chuangcheng.load.loader import load_unit
from chuangcheng.office.render import render_markdown
from chuangcheng.office.word import build_docx

CLI = [sys.executable, "-m", "chuangcheng"]
# What any typer + pydantic command pays before doing anything: the floor under a one-file run.
FLOOR = "import typer, pydantic\nclass M(pydantic.BaseModel):\n    x: int\ntyper.Typer()"


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def wall_rc(cmd: list[str]) -> float:
    """Like :func:`wall`, for a command whose exit code reports findings (validate)."""
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {done.returncode}")
    return time.perf_counter() - start


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def docxtpl_template(folder: Path) -> Path:
    """A plain docxtpl template: a title and one paragraph per block of text."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{%p for par in paragraphs %}")
    doc.add_paragraph("{{ par }}")
    doc.add_paragraph("{%p endfor %}")
    path = folder / "baseline.docx"
    doc.save(str(path))
    return path


def blocks(markdown: str) -> tuple[str, list[str]]:
    lines = [line.lstrip("#> ").strip() for line in markdown.split("\n\n") if line.strip()]
    return lines[0], lines[1:]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    from docxtpl import DocxTemplate

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = generate(count, root / "district")
        out = root / "out"
        print(f"chuangcheng benchmark: {count} units, {os.cpu_count()} cores, Python {sys.version.split()[0]}")

        # validate: load and check every unit, in this process
        start = time.perf_counter()
        models = [load_unit(p).model for p in files]
        validate = time.perf_counter() - start

        # per document, in this process: our Word writer against docxtpl on the same text
        sample = models[: min(100, count)]
        markdowns = [render_markdown(m) for m in sample]
        build_docx(markdowns[0])
        ours = []
        for md in markdowns:
            t = time.perf_counter()
            build_docx(md)
            ours.append(time.perf_counter() - t)
        template = docxtpl_template(root)
        theirs = []
        for md in markdowns:
            title, paragraphs = blocks(md)
            t = time.perf_counter()
            tpl = DocxTemplate(str(template))
            tpl.render({"title": title, "paragraphs": paragraphs})
            tpl.save(io.BytesIO())
            theirs.append(time.perf_counter() - t)
        pipeline = []
        for m in sample[:50]:
            t = time.perf_counter()
            build_docx(render_markdown(m))
            pipeline.append(time.perf_counter() - t)

        # the command line, as users run it; medians, since shared machines are noisy
        colds = [wall([*CLI, "render", str(root / "district"), "-o", str(out), "--force"]) for _ in range(3)]
        cold = statistics.median(colds)
        warm = statistics.median(wall([*CLI, "render", str(root / "district"), "-o", str(out)])
                                 for _ in range(3))
        single = statistics.median(wall([*CLI, "render", str(files[0]), "-o", str(root / "one")])
                                   for _ in range(5))
        floor = statistics.median(wall([sys.executable, "-c", FLOOR]) for _ in range(5))
        checks = [wall_rc([*CLI, "validate", str(root / "district"), "--format", "json"]) for _ in range(3)]
        folder_check = statistics.median(checks)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    our_doc, their_doc = statistics.median(ours), statistics.median(theirs)
    rows = [
        ("load a unit file, per unit (one process)", ms(validate / count), f"{count / validate:.0f} units/s"),
        ("validate the whole folder (CLI, all rules, median of 3)", f"{folder_check:.2f} s",
         f"{count / folder_check:.0f} units/s, {ms(folder_check / count)} per unit"),
        ("render docx+md, whole folder, cold (median of 3)", f"{cold:.2f} s",
         f"{count / cold:.0f} units/s, {ms(cold / count)} per unit; runs {', '.join(f'{c:.2f}' for c in colds)}"),
        ("render, unchanged re-run (median of 3)", f"{warm:.2f} s", ""),
        ("render one unit file (CLI, median of 5)", f"{single:.2f} s", ""),
        ("  of which the start-up floor (median of 5)", f"{floor:.2f} s", "python + typer + pydantic's first model"),
        ("Markdown + Word per unit, in-process (median)", ms(statistics.median(pipeline)), ""),
        ("Word per document: chuangcheng (median)", ms(our_doc), ""),
        ("Word per document: docxtpl baseline (median)", ms(their_doc),
         f"chuangcheng {their_doc / our_doc:.1f}× faster"),
        ("peak memory of one process", f"{peak:.0f} MB", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")


if __name__ == "__main__":
    main()
