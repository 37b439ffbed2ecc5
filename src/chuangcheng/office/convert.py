"""A unit file to its Excel ledger and back (``chuangcheng convert``): everything the format holds,
so that the unit read back is the same unit (its report the same text); comments are not kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..errors import UsageError
from ..load.amounts import Amount, exact_text
from ..load.dates import When
from ..load.loader import Loaded, load_unit
from ..load.models import Report, Section

KINDS = {".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx"}
# The order a unit file is written in (FORMAT.md's), by field name; any other field after these.
ORDER = ("unit", "period", "goal", "title", "preface", "highlights", "leadership", "publicity", "sanitation",
         "volunteering", "infrastructure", "civic_morality", "other", "results", "honours", "problems",
         "next_steps", "closing", "signoff", "previous")


def convert(source: Path, target: Path) -> tuple[Loaded[Report], bytes]:
    """The unit in ``source`` written as ``target`` asks (by its extension)."""
    have, want = KINDS.get(source.suffix.lower()), KINDS.get(target.suffix.lower())
    if have is None or want is None:
        raise UsageError(f"{source if have is None else target}: 只能在单位文件（.yaml）和台账（.xlsx）之间转换")
    if have == want:
        raise UsageError(f"{source} 和 {target} 是同一种文件；请一个写 .yaml、一个写 .xlsx")
    loaded = load_unit(source)
    if want == "xlsx":
        from .ledger import build_ledger

        return loaded, build_ledger(loaded.model)
    return loaded, unit_yaml(loaded.model).encode("utf-8")


def _plain(value: Any) -> Any:
    """A model's value as the unit file writes it (every key in Chinese, text where text is read)."""
    if isinstance(value, Section) and _only_activities(value):
        return [_plain(a) for a in value.activities]  # the list form
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        names = [n for n in ORDER if n in fields] if isinstance(value, Report) else []
        names += [n for n in fields if n not in names]
        out: dict[str, Any] = {}
        for name in names:
            item, info = getattr(value, name), fields[name]
            if item is None or item == [] or item == {} or (
                    item == info.get_default(call_default_factory=True) and name != "goal"):  # 创建目标: always said
                continue
            out[info.title or name] = _plain(item)
        return out
    if isinstance(value, When):
        return value.day.isoformat() if value.day is not None else value.text()
    if isinstance(value, Amount):
        return exact_text(value)
    if isinstance(value, dt.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value if isinstance(value, str) else str(value)


def _only_activities(section: Section) -> bool:
    fields = type(section).model_fields
    return bool(section.activities) and all(
        getattr(section, n) in (None, [], {}) for n in fields if n not in {"activities"})


class _Dumper(yaml.SafeDumper):
    """Text as plain as YAML allows (the loader reads every value as text: 2026-03-05 and 680 need no
    quotes); quoted only where YAML's syntax, or a null, asks for it; lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()}


def unit_yaml(report: Report) -> str:
    """The unit file of ``report``."""
    head = f"# {report.unit.name} {report.period.name} 创城工作台账（由 chuangcheng convert 生成）\n"
    body = yaml.dump(_plain(report), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=10_000, indent=2)
    return head + body
