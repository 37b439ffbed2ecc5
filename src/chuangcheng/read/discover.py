"""Where unit files and the district file are: a district folder's layout."""

from __future__ import annotations

import functools
import os
import zipfile
from pathlib import Path
from typing import Any

DISTRICT_FILES = ("district.yaml", "区.yaml", "district.yml", "区.yml")
UNIT_SUFFIXES = (".yaml", ".yml", ".xlsx")  # a unit file, or its Excel ledger
_SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", "node_modules"}


def find_unit_files(folder: Path) -> list[Path]:
    """Unit files under ``folder`` (sub-folders too), the district file and hidden files left out."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.lower().endswith(UNIT_SUFFIXES) and not name.startswith((".", "~$")):
                path = Path(root) / name
                if not (path.parent == folder and name in DISTRICT_FILES) and not written_by_us(path):
                    found.append(path)
    return found


@functools.cache
def submissions() -> dict[str, Any]:
    """``submissions.yaml``: the name endings matched to the roster, the files that are not unit files."""
    import yaml

    data: dict[str, Any] = yaml.safe_load(Path(__file__).with_name("submissions.yaml").read_text(encoding="utf-8"))
    return data


@functools.cache
def _endings() -> tuple[tuple[str, str], ...]:
    """The endings of files that are not unit files, longest first (asked of every file in a folder)."""
    return tuple(sorted(submissions()["不是单位文件"].items(), key=lambda kv: -len(kv[0])))


def not_unit_file(name: str) -> str | None:
    """What to send instead, when a file of this name is not a unit file (``None``: it may be one)."""
    lower = name.lower()
    for ending, advice in _endings():
        if lower.endswith(ending):
            return str(advice).format(stem=name[: -len(ending)])
    return None


def stem_of(name: str) -> str:
    """A file's name without its endings (官塘社区.yaml.txt → 官塘社区): who sent it."""
    lower = name.lower()
    for ending, _ in _endings():
        if lower.endswith(ending):
            return name[: -len(ending)]
    return Path(name).stem


MARK = "chuangcheng"  # the generator a workbook this program writes names (custom property 生成)


def written_by_us(path: Path) -> bool:
    """A Word file or workbook this program wrote (a report rendered beside its unit file, 汇总表.xlsx,
    报送情况.xlsx), not a submission; a ledger from ``init --xlsx`` is the unit's own."""
    suffix = path.suffix.lower()
    if suffix not in {".docx", ".xlsx"}:
        return False
    part, mark = ("docProps/app.xml", b"<Application>chuangcheng</Application>") if suffix == ".docx" else \
        ("docProps/custom.xml", MARK.encode())
    try:
        with zipfile.ZipFile(path) as package:
            return mark in package.read(part)[:4096]
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def find_received(folder: Path, ours: frozenset[str] = frozenset()) -> list[Path]:
    """Files under ``folder`` a unit sent instead of a unit file (.docx, .pdf, .yaml.txt …), not
    those this program wrote: ``ours`` (paths a render wrote, from its cache) and its Word files."""
    found = []
    mine = {os.path.normpath(p) for p in ours}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.startswith((".", "~$")) or not_unit_file(name) is None:
                continue
            path = Path(root) / name
            if os.path.normpath(path) in mine or written_by_us(path):
                continue
            if path.suffix.lower() == ".pdf" and written_by_us(path.with_suffix(".docx")):
                continue  # the PDF of a report rendered here
            found.append(path)
    return found


def district_file(folder: Path) -> Path | None:
    """The district file at the root of ``folder``, if there is one."""
    return next((folder / n for n in DISTRICT_FILES if (folder / n).is_file()), None)


def is_district_file(path: Path) -> bool:
    return path.name in DISTRICT_FILES


def nearest_district_file(unit_file: Path, levels: int = 4) -> Path | None:
    """The district file of the folder a unit file sits in, or of one of its parents."""
    folder = unit_file.resolve().parent
    for candidate in [folder, *folder.parents][:levels]:
        found = district_file(candidate)
        if found is not None:
            return found
    return None
