"""The fixed parts a report is built on: chuangcheng's own for its layout, over the layout's
reference document when it names one (read by :mod:`.reference`, imported only then)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..errors import Diagnostic
from ..load.layout import Layout
from .docx_package import Package, base_package


@lru_cache(maxsize=8)
def package(layout: Layout) -> Package:
    """Build the fixed parts for ``layout`` (once per process and layout), over the reference
    document's page setup, styles, header and footer when the layout names one."""
    base = base_package(layout)
    if layout.reference is None:
        return base
    from .reference import merge

    merged = merge(base, Path(layout.reference))
    if layout.script == "hans":
        return merged
    from ..read.script import TRADITIONAL_FONTS  # the reference's own styles name fonts too

    styles = merged.parts["word/styles.xml"]
    for simplified, traditional in TRADITIONAL_FONTS.items():
        styles = styles.replace(f'"{simplified}"'.encode(), f'"{traditional}"'.encode())
    return dataclasses.replace(merged, parts={**merged.parts, "word/styles.xml": styles})


def docx_warnings(layout: Layout | None, formats: Iterable[str]) -> list[Diagnostic]:
    """What a render in ``formats`` with ``layout`` warns of: the parts of its reference document left out."""
    if layout is None or layout.reference is None or not {"docx", "pdf"} & set(formats):
        return []
    return list(package(layout).warnings)
