"""chuangcheng（创城）：单位创建文明城市工作总结的生成与检查。

The public API: load a unit file, render its report or a whole district folder, validate them. Names are
imported on first use, so that ``chuangcheng --help`` does not pay for pydantic or Jinja.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Amount": "amounts", "parse_amount": "amounts",
    "ChuangchengError": "errors", "Diagnostic": "errors", "InputError": "errors",
    "OutputError": "errors", "TemplateError": "errors",
    "Layout": "layout",
    "load_district": "loader", "load_unit": "loader",
    "District": "models", "Report": "models",
    "render_markdown": "render", "render_unit": "render",
    "render_district": "rollup",
    "validate_paths": "validate", "Validation": "validate",
}

if TYPE_CHECKING:
    from .amounts import Amount, parse_amount
    from .errors import ChuangchengError, Diagnostic, InputError, OutputError, TemplateError
    from .layout import Layout
    from .loader import load_district, load_unit
    from .models import District, Report
    from .render import render_markdown, render_unit
    from .rollup import render_district
    from .validate import Validation, validate_paths

__all__ = [
    "Amount", "ChuangchengError", "Diagnostic", "District", "InputError", "Layout", "OutputError",
    "Report", "TemplateError", "Validation", "__version__", "load_district", "load_unit", "parse_amount",
    "render_district", "render_markdown", "render_unit", "validate_paths",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'chuangcheng' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
