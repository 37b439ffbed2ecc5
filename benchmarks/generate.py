"""Generate a synthetic district of N realistic units from the example units.

Each unit is one of the six example files with its own name (官塘社区 → 官塘社区017) and its
numbers scaled a little, so that totals differ from unit to unit.

    python benchmarks/generate.py 1000 /tmp/district
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "江城区"
_AMOUNT = re.compile(r"(?<=: )(\d+)(?=(余|多)?[^\d\s-]+$)", re.M)


def _unit_name(text: str) -> str:
    match = re.search(r"^单位:\n(?:  .*\n)*?  名称: (.+)$", text, re.M)
    if not match:
        raise ValueError("example without 单位.名称")
    return match[1].strip()


def generate(count: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write ``count`` unit files and a district.yaml listing them into ``folder``."""
    rng = random.Random(seed)
    sources = sorted(p for p in EXAMPLES.rglob("*.yaml") if p.name != "district.yaml")
    # text only: photos would measure Pillow, and the examples' photo folders are not copied
    texts = [re.sub(r"^\s*照片: .*\n", "", p.read_text(encoding="utf-8"), flags=re.M) for p in sources]
    folder.mkdir(parents=True, exist_ok=True)
    roster, written = [], []
    for i in range(count):
        text = texts[i % len(texts)]
        base = _unit_name(text)
        name = f"{base}{i:04d}"
        text = text.replace(f"名称: {base}", f"名称: {name}", 1)
        text = _AMOUNT.sub(lambda m: str(max(1, round(int(m[1]) * rng.uniform(0.6, 1.4)))), text)
        kind = re.search(r"^  类型: (.+)$", text, re.M)
        roster.append(f"  - {{名称: {name}, 类型: {kind[1] if kind else '社区'}}}")
        path = folder / f"街道{i // 100:02d}" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (folder / "district.yaml").write_text(
        "区: 江城区\n报告期: {开始: 2026-01-01, 结束: 2026-06-30, 名称: 2026年上半年}\n"
        "截止日期: 2026-07-10\n单位名单:\n" + "\n".join(roster) + "\n", encoding="utf-8")
    return written


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("synthetic-district")
    print(f"{len(generate(n, target))} unit files in {target}")
