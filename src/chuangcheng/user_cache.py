"""The user's cache folder: what a later run may reuse and any run may lose (compiled templates).

``%LOCALAPPDATA%\\chuangcheng\\Cache`` on Windows, ``~/Library/Caches/chuangcheng`` on macOS,
``$XDG_CACHE_HOME/chuangcheng`` (``~/.cache/chuangcheng``) elsewhere; the environment variable
``CHUANGCHENG_CACHE_DIR`` names another, and ``CHUANGCHENG_CACHE_DIR=""`` turns caching off.
Nothing here may fail a run: a cache that cannot be read or written is a cache that is empty.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV = "CHUANGCHENG_CACHE_DIR"


def cache_dir() -> Path | None:
    """The folder, not necessarily there yet; None when caching is turned off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return Path(chosen).expanduser().absolute() if chosen.strip() else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "chuangcheng", "Cache") if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "chuangcheng"
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if base and Path(base).is_absolute():
        return Path(base, "chuangcheng")
    try:
        return Path.home() / ".cache" / "chuangcheng"
    except RuntimeError:  # no home directory to be found
        return None
