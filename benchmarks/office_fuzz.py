"""The long mode of the office fuzzing (tests/office_fuzz.py): Markdown and 版式 font names,
mutated reference documents, damaged photos. CI runs a small budget in
tests/test_office_hardening.py.

    python benchmarks/office_fuzz.py [MARKDOWN] [REFERENCES] [PHOTOS] [SEED]   # default 5000 2000 5000 0

Prints the findings (none expected), the counts and the time each kind took.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import office_fuzz
from tests.test_office_hardening import MODES
from tests.test_reference import _letterhead


def main() -> None:
    counts = [int(a) for a in sys.argv[1:4]] + [5000, 2000, 5000][len(sys.argv[1:4]):]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    with tempfile.TemporaryDirectory() as tmp:
        letterhead = _letterhead(Path(tmp) / "信笺.docx")
        runs = {"markdown": lambda n: office_fuzz.markdown(seed, n),
                "references": lambda n: office_fuzz.references(letterhead, seed, n),
                "photos": lambda n: office_fuzz.photos([f() for f in MODES.values()], seed, n)}
        total = 0
        for (name, run), count in zip(runs.items(), counts, strict=True):
            start = time.perf_counter()
            findings = list(run(count))
            total += len(findings)
            for finding in findings:
                print(f"[{name}] {finding}")
            print(f"{name:10} {count:6} inputs  {len(findings)} findings  {time.perf_counter() - start:6.1f} s")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
