"""Where unit files and the district file are: a district folder's layout."""

from __future__ import annotations

import os
from pathlib import Path

DISTRICT_FILES = ("district.yaml", "区.yaml", "district.yml", "区.yml")
_SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", "node_modules"}


def find_unit_files(folder: Path) -> list[Path]:
    """Unit files under ``folder`` (sub-folders too), the district file and hidden files left out."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")) and not name.startswith((".", "~$")):
                path = Path(root) / name
                if not (path.parent == folder and name in DISTRICT_FILES):
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
