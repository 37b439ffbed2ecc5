"""Benchmark: the read/load stage on the inputs issue 10 found super-linear, at two sizes each.

    python benchmarks/load_hardening.py [REPEATS]     # default 3

For each case, the median seconds at size n and 2n: a ratio near 2 is linear time. Prints, never
asserts: the machines are shared and noisy.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from chuangcheng.check.checks import Context, check_unit
from chuangcheng.errors import ChuangchengError
from chuangcheng.load.loader import load_unit
from chuangcheng.read.script import to_simplified
from chuangcheng.write.report import build_view

HEAD = """\
单位: {名称: 官塘社区, 类型: 社区}
报告期: {开始: 2026-01-01, 结束: 2030-12-31}
存在问题: [参与度有待提高]
下一步: [建立长效机制]
"""


def control_characters(n: int) -> str:
    """n values with three control characters each (50,000 make 1.9 MB)."""
    return HEAD + "环境整治:\n  做法:\n" + "".join(f"    - 第{i}条\x0b做法\x0c内容\x01继续\n" for i in range(n))


def activities(n: int) -> str:
    """n activities with short dates over a five-year period (the limit is 1000)."""
    acts = "".join(f"  - {{日期: {1 + i % 12}月{1 + i % 28}日, 名称: 活动{i}, 数量: {{横幅: {i + 1}条}}}}\n"
                   for i in range(n))
    return HEAD + "宣传发动:\n" + acts


def load_view_check(text: str, folder: Path) -> None:
    path = folder / "u.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        loaded = load_unit(path)
    except ChuangchengError:
        return
    build_view(loaded.model)
    check_unit(loaded, Context(dt.date(2031, 1, 1)))


def median(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, int, Callable[[int], Callable[[], object]]]] = [
            ("control characters (values)", 25_000,
             lambda n: lambda: load_view_check(control_characters(n), folder)),
            ("traditional paragraph (chars)", 25_000,
             lambda n: lambda: to_simplified("學習雷鋒精神，開展志願服務活動"[: 15] * (n // 15))),
            ("one rare ideograph (chars)", 300_000, lambda n: lambda: to_simplified("喆" * n + "學")),
            ("activities, 5-year period", 500, lambda n: lambda: load_view_check(activities(n), folder)),
        ]
        print(f"{'case':32} {'n':>8} {'s(n)':>8} {'s(2n)':>8} {'ratio':>6}")
        for name, n, make in cases:
            one, two = median(make(n), repeats), median(make(2 * n), repeats)
            print(f"{name:32} {n:>8} {one:>8.3f} {two:>8.3f} {two / one:>6.2f}")


if __name__ == "__main__":
    main()
