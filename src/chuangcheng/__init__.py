"""chuangcheng（创城）：单位创建文明城市工作总结的生成与检查。

The public API: load a unit file, render its report, build the Word file from Markdown.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .amounts import Amount, parse_amount
from .errors import ChuangchengError, Diagnostic, InputError, OutputError, TemplateError
from .layout import Layout
from .loader import load_district, load_unit
from .models import District, Report
from .render import render_markdown, render_unit

try:
    __version__ = version("chuangcheng")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "Amount",
    "ChuangchengError",
    "Diagnostic",
    "District",
    "InputError",
    "Layout",
    "OutputError",
    "Report",
    "TemplateError",
    "__version__",
    "load_district",
    "load_unit",
    "parse_amount",
    "render_markdown",
    "render_unit",
]
