"""Peak memory and time of the office inputs at their limits (issue 10): a photo at
limits.MAX_IMAGE_PIXELS in several modes, a photo just over it, and a reference document whose
header claims 4 GB.

    python benchmarks/office_limits.py [REPEATS]

Each case runs in a fresh process (peak RSS from /proc, so Linux only); prints medians, never asserts.
"""

from __future__ import annotations

import statistics
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

CASE = r"""
import sys, time
from pathlib import Path
start = time.perf_counter()
kind, path = sys.argv[1], Path(sys.argv[2])
try:
    if kind == "photo":
        from chuangcheng.read.images import load_picture
        load_picture(path)
    else:
        from chuangcheng.office.letterhead import package
        from chuangcheng.load.layout import Layout
        package(Layout(reference=str(path)))
    outcome = "ok"
except Exception as exc:
    outcome = type(exc).__name__
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]
print(outcome, time.perf_counter() - start, int(peak) / 1024)  # VmHWM: this process only (ru_maxrss survives exec)
"""


def _png(path: Path, width: int, height: int, colour_type: int, depth: int = 8) -> Path:
    """A PNG of one colour, written row by row through zlib (no image held in memory)."""
    channels = {0: 1, 2: 3, 6: 4, 4: 2}[colour_type] * depth // 8
    row = b"\0" + b"\x80" * (width * channels)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path


def _jpeg(path: Path, width: int, height: int) -> Path:
    from PIL import Image

    Image.new("RGB", (width, height), (128, 60, 60)).save(path, "JPEG", quality=80)
    return path


def _bomb_reference(path: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.test_office_hardening import _declared_size, _header
    from tests.test_reference import _letterhead

    _letterhead(path)
    import zipfile

    with zipfile.ZipFile(path) as opened:
        header = _header({n: b"" for n in opened.namelist()})
    _declared_size(path, header, 0xFFFFFFF0)
    return path


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cases = {
            "RGB PNG 8000x8000 (64 Mpx, at the limit)": ("photo", _png(root / "rgb.png", 8000, 8000, 2)),
            "RGBA PNG 8000x8000": ("photo", _png(root / "rgba.png", 8000, 8000, 6)),
            "16-bit grey PNG 8000x8000": ("photo", _png(root / "g16.png", 8000, 8000, 0, 16)),
            "JPEG 8000x8000": ("photo", _jpeg(root / "big.jpg", 8000, 8000)),
            "RGB PNG 8001x8000 (just over)": ("photo", _png(root / "over.png", 8001, 8000, 2)),
            "PNG header 30000x30000": ("photo", _png(root / "huge.png", 30000, 1, 2)),
            "reference, header says 4 GB": ("reference", _bomb_reference(root / "bomb.docx")),
        }
        data = (root / "huge.png").read_bytes()  # the same file, its header saying 30000 rows
        (root / "huge.png").write_bytes(data[:20] + struct.pack(">I", 30000) + data[24:])
        for name, (kind, path) in cases.items():
            runs = [subprocess.run([sys.executable, "-c", CASE, kind, str(path)], capture_output=True, text=True,
                                   check=True).stdout.split() for _ in range(repeats)]
            seconds = statistics.median(float(r[1]) for r in runs)
            peak = statistics.median(float(r[2]) for r in runs)
            print(f"{name:45} {runs[0][0]:18} {seconds:7.2f} s  peak {peak:7.0f} MB")


if __name__ == "__main__":
    main()
