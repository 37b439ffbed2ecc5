"""JSON Schema of the unit and district files, for editors (VS Code's YAML extension …).

Built from the pydantic models, then made to accept what the loader accepts: every key in
both spellings (English name and Chinese title), a section as a list of activities, a single
sentence where a list is expected, and numbers or booleans where YAML writes them unquoted
(the loader reads every scalar as text).
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

from .models import District, Report

_LIST_FORM = ("Section", "Leadership", "Volunteering")  # sections that may be a list of activities
_SCALAR = ["string", "number", "boolean"]


def _loosen(node: Any) -> None:
    """Scalars may be unquoted numbers or booleans in YAML; the loader reads them as text."""
    if isinstance(node, dict):
        if node.get("type") == "string":
            node["type"] = _SCALAR
            node.pop("minLength", None)
        for value in node.values():
            _loosen(value)
    elif isinstance(node, list):
        for value in node:
            _loosen(value)


def _both_spellings(node: dict[str, Any]) -> None:
    """Each property also under its Chinese title; a required key may be spelt either way."""
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return
    titles: dict[str, str] = {}
    for name, prop in list(properties.items()):
        title = prop.get("title")
        if isinstance(title, str) and title != name and title not in properties:
            properties[title] = prop
            titles[name] = title
    required = node.pop("required", [])
    if required:
        node["allOf"] = [{"anyOf": [{"required": [r]}, {"required": [titles[r]]}]} if r in titles
                         else {"required": [r]} for r in required]


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = copy.deepcopy(model.model_json_schema())
    defs: dict[str, Any] = schema.get("$defs", {})
    for name in _LIST_FORM:
        if name in defs:
            defs[f"{name}Mapping"] = defs.pop(name)
            defs[name] = {"anyOf": [{"$ref": f"#/$defs/{name}Mapping"},
                                    {"type": "array", "items": {"$ref": "#/$defs/Activity"}}],
                          "description": "活动列表，或写“做法”“成效”“活动”的映射"}
    for node in [schema, *defs.values()]:
        _both_spellings(node)
    _loosen(schema)
    schema["title"] = title
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def unit_schema() -> dict[str, Any]:
    """The schema of a unit file (``官塘社区.yaml``)."""
    return _schema(Report, "chuangcheng 单位文件")


def district_schema() -> dict[str, Any]:
    """The schema of a district file (``district.yaml``)."""
    return _schema(District, "chuangcheng 区文件")
