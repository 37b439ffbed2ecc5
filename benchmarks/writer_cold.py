"""Benchmark: Markdown, and Markdown + Word, per unit with the writer's text caches cleared
before each unit, as a folder render meets them (bench.py's in-process figure reuses the text
of its sample, so its caches are warm).

    python benchmarks/writer_cold.py [N]      # N synthetic units, default 100; three rounds

Prints medians, never asserts: the machines are shared and noisy. To compare with an older tree,
copy this file into that tree's benchmarks/ and run it there (the synthetic units come from the
tree's own examples, which an older loader may not read).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from chuangcheng.load.loader import load_unit
from chuangcheng.office.render import render_markdown
from chuangcheng.office.word import build_docx

CACHED = {"tidy", "clause", "leading_verb", "action", "format_amount", "when_range"}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    caches = [f for module in list(sys.modules.values())
              if getattr(module, "__name__", "").startswith("chuangcheng")
              for name, f in vars(module).items() if name in CACHED and hasattr(f, "cache_clear")]
    with tempfile.TemporaryDirectory() as tmp:
        models = [load_unit(p).model for p in generate(count, Path(tmp) / "district")]
        build_docx(render_markdown(models[0]))
        markdown, both = [], []
        for _ in range(3):
            for model in models:
                for cache in caches:
                    cache.cache_clear()
                start = time.perf_counter()
                text = render_markdown(model)
                middle = time.perf_counter()
                build_docx(text)
                markdown.append(middle - start)
                both.append(time.perf_counter() - start)
    print(f"{count} units x 3, text caches cleared before each ({len(caches)} caches)")
    print(f"Markdown per unit (median)          {statistics.median(markdown) * 1000:.2f} ms")
    print(f"Markdown + Word per unit (median)   {statistics.median(both) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
