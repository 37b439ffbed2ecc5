"""Benchmark: how long one command takes from the command line, start-up included.

    python benchmarks/startup.py [--runs N] [--imports] [--base SRC]

Runs each command N times (default 21), interleaved so that a noisy moment hits them all,
and prints medians and quartiles; ``--imports`` adds where the import time of a one-file
render goes (``python -X importtime``, self time summed by package, median of 5); ``--base``
runs the render again from another checkout's ``src`` folder, for a before/after ratio taken
in the same minutes (``git worktree add /tmp/base REV``, then ``--base /tmp/base/src``).
The floor line is what the libraries a one-file render needs cost to import, doing nothing.
Bytecode is written first, as an installed package has it (an environment with
PYTHONDONTWRITEBYTECODE set would otherwise compile the sources on every run).

Prints figures, never asserts: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "examples" / "江城区" / "石城街道" / "官塘社区.yaml"  # 6 sections, 2 photos
TARGET = 0.2  # seconds, median, for `chuangcheng render one.yaml`
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
FLOOR = ("import typer, pydantic, yaml, jinja2, markdown_it, PIL.Image\n"
         "class M(pydantic.BaseModel):\n    x: int\n")


def run(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def import_profile(cmd: list[str], rounds: int = 5) -> list[tuple[float, str]]:
    """Self import time (ms) by package: chuangcheng by module, the rest by top-level name."""
    runs: list[Counter[str]] = []
    for _ in range(rounds):
        done = subprocess.run([sys.executable, "-X", "importtime", *cmd], env=ENV, capture_output=True,
                              text=True, check=False)
        totals: Counter[str] = Counter()
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, _, name = line.split(":", 1)[1].split("|")
            name = name.strip()
            key = name if name.startswith("chuangcheng") else name.split(".")[0]
            totals[key] += int(self_us)
        runs.append(totals)
    keys = set().union(*runs)
    return sorted(((statistics.median(r[k] for r in runs) / 1000, k) for k in keys), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--imports", action="store_true")
    parser.add_argument("--base", type=Path, help="another checkout's src folder, to compare with")
    args = parser.parse_args()
    for src in (ROOT / "src", args.base):
        if src is not None:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], env=ENV, check=True)
    cli = [sys.executable, "-m", "chuangcheng"]
    with tempfile.TemporaryDirectory() as tmp:
        unit_dir = Path(tmp) / "unit"
        shutil.copytree(UNIT.parent, unit_dir, ignore=shutil.ignore_patterns("*.docx", "*.md"))
        unit = unit_dir / UNIT.name
        out = Path(tmp) / "out"
        commands = {
            "python -c pass (the interpreter alone)": [sys.executable, "-c", "pass"],
            "floor: import typer, pydantic, PyYAML, Jinja, markdown-it, Pillow; one model":
                [sys.executable, "-c", FLOOR],
            "chuangcheng --version": [*cli, "--version"],
            "chuangcheng render one.yaml (docx + md)": [*cli, "render", str(unit), "-o", str(out)],
            "chuangcheng render one.yaml -f md": [*cli, "render", str(unit), "-o", str(out), "-f", "md"],
            "chuangcheng validate one.yaml": [*cli, "validate", str(unit)],
        }
        envs = {name: ENV for name in commands}
        if args.base is not None:
            name = f"the same, from {args.base}"
            commands[name] = commands["chuangcheng render one.yaml (docx + md)"]
            envs[name] = {**ENV, "PYTHONPATH": str(args.base)}
        for name, cmd in commands.items():  # warm the file cache and write bytecode
            run(cmd, envs[name])
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(run(cmd, envs[name]))
        width = max(map(len, commands))
        print(f"{'command':<{width}}  median    q1–q3   (n={args.runs}; {os.cpu_count()} CPUs, "
              f"load {os.getloadavg()[0]:.2f})")
        for name, ts in times.items():
            q1, _, q3 = statistics.quantiles(ts, n=4)
            print(f"{name:<{width}}  {statistics.median(ts) * 1000:4.0f} ms  {q1 * 1000:4.0f}–{q3 * 1000:.0f} ms")
        render = statistics.median(times["chuangcheng render one.yaml (docx + md)"])
        floor = statistics.median(times[next(n for n in commands if n.startswith("floor"))])
        print(f"render one.yaml: {render / TARGET:.2f} × the {TARGET * 1000:.0f} ms target, "
              f"{render / floor:.2f} × the floor")
        if args.base is not None:
            base = statistics.median(times[f"the same, from {args.base}"])
            print(f"render one.yaml: {render / base:.2f} × the time from {args.base}")
        if args.imports:
            rows = import_profile(["-m", "chuangcheng", "render", str(unit), "-o", str(out)])
            print(f"\nimport time of a one-file render, self, by package (-X importtime, median of 5): "
                  f"{sum(ms for ms, _ in rows):.0f} ms in all")
            for ms, name in rows[:25]:
                print(f"  {ms:6.1f} ms  {name}")


if __name__ == "__main__":
    main()
