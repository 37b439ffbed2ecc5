"""chuangcheng（创城）：单位创建文明城市工作总结的生成与检查。

The public API: load a unit file, render its report or a whole district folder, validate them. Names are
imported on first use, so that ``chuangcheng --help`` does not pay for pydantic or Jinja.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Amount": "load.amounts", "parse_amount": "load.amounts",
    "ChuangchengError": "errors", "Diagnostic": "errors", "InputError": "errors",
    "OutputError": "errors", "TemplateError": "errors",
    "Layout": "load.layout",
    "load_district": "load.loader", "load_unit": "load.loader",
    "District": "load.models", "Report": "load.models",
    "render_markdown": "office.render", "render_unit": "office.render",
    "render_district": "district.rollup",
    "validate_paths": "check.validate", "Validation": "check.validate",
}

if TYPE_CHECKING:
    from .check.validate import Validation, validate_paths
    from .district.rollup import render_district
    from .errors import ChuangchengError, Diagnostic, InputError, OutputError, TemplateError
    from .load.amounts import Amount, parse_amount
    from .load.layout import Layout
    from .load.loader import load_district, load_unit
    from .load.models import District, Report
    from .office.render import render_markdown, render_unit

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
