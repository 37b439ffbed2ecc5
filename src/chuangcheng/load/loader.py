"""From a file on disk to a validated model, with every problem pointing at its line.

The models are walked alongside the data: Chinese or English keys are mapped onto field
names (unknown keys get the nearest valid key), list-form sections are wrapped, and the
place of every value is kept so that pydantic's errors can be shown at ``path:line:col``.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path as FsPath
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import Diagnostic, InputError, Pos
from ..limits import MAX_ACTIVITIES, MAX_PERIOD_DAYS, MAX_PHOTOS
from ..read.script import UNCONVERTED_NOTE, Typed
from ..read.source import read_source
from ..read.yamltree import Path, Tree, as_written, display_path, fullwidth_colon_key, parse_yaml
from .models import UNIT_TYPES, Activity, District, Period, Report, Section

M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded(typing.Generic[M]):
    """A validated file: its model, where it came from, and the warnings met on the way."""

    model: M
    path: FsPath
    places: Places
    warnings: list[Diagnostic] = field(default_factory=list)
    typed: Typed | None = None  # a file typed in traditional characters: as typed (for --script hant)


class At(NamedTuple):
    """Where a value of a loaded file stands, and its path as the user wrote it (for messages)."""

    line: int
    col: int
    field: str
    sheet: str = ""  # a ledger's sheet: line and col are its cell's

    @property
    def pos(self) -> Pos:
        return Pos(self.line, self.col, self.sheet)


class Places:
    """Where each part of a loaded model was written: field paths (``("publicity",
    "activities", 0, "title")``) to line, column and the path as the user spelled it."""

    def __init__(self, file: str, tree: Tree, raw_of: dict[Path, Path], lines: list[str]) -> None:
        self.file = file
        self._tree = tree
        self._raw_of = raw_of
        self._lines = lines

    def raw(self, canon: Path) -> Path:
        """The path as written (Chinese or English keys) of ``canon`` or of its nearest ancestor."""
        for cut in range(len(canon), -1, -1):
            raw = self._raw_of.get(canon[:cut])
            if raw is not None:
                return (*raw, *canon[cut:])
        return canon

    def at(self, canon: Path, *, key: bool = False, offset: int | None = None) -> At:
        """Line, column and display path of a value (or of its key); ``offset`` moves the column
        to a character inside a plain one-line scalar, when the line holds it as written."""
        raw = self.raw(canon)
        pos = self._tree.pos(raw, key=key)
        col = pos.col
        if offset is not None and 0 < pos.line <= len(self._lines):
            value = raw[-1] if key and raw else self._tree.value_at(raw)
            text = self._lines[pos.line - 1]
            if isinstance(value, str) and text[pos.col - 1:pos.col - 1 + len(value)] == value:
                col += offset
        return At(pos.line, col, display_path(raw) or "文件", pos.sheet)


@cache
def key_table(model: type[BaseModel]) -> dict[str, str]:
    """Every accepted spelling of a model's keys (English name, Chinese title) → field name."""
    table: dict[str, str] = {}
    for name, info in model.model_fields.items():
        table[name] = name
        if info.title:
            table[info.title] = name
    return table


@cache
def _annotations(model: type[BaseModel]) -> dict[str, Any]:
    return {name: info.annotation for name, info in model.model_fields.items()}


def _model_in(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` so that what is left can be walked."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


_SHAPES: dict[int, tuple[Any, str, Any]] = {}


def _shape(annotation: Any) -> tuple[str, Any]:
    """What a field holds, worked out once per annotation: ``("model", M)``, ``("list", item)``,
    ``("dict", value)`` or ``("leaf", None)``."""
    known = _SHAPES.get(id(annotation))
    if known is not None and known[0] is annotation:
        return known[1], known[2]
    target = _model_in(annotation)
    origin = typing.get_origin(target)
    if isinstance(target, type) and issubclass(target, BaseModel):
        shape: tuple[str, Any] = ("model", target)
    elif origin is list:
        shape = ("list", typing.get_args(target)[0])
    elif origin is dict:
        shape = ("dict", typing.get_args(target)[1])
    else:
        shape = ("leaf", None)
    _SHAPES[id(annotation)] = (annotation, *shape)  # keeps the annotation alive, so its id stays its own
    return shape


class _Walker:
    """Maps user keys to field names, recording which raw path each canonical path came from."""

    def __init__(self, tree: Tree, path: str) -> None:
        self.tree = tree
        self.file = path
        self.raw_of: dict[Path, Path] = {}
        self.errors: list[Diagnostic] = []
        self.limits: list[Diagnostic] = []  # limits exceeded: the file is not validated further
        self.activities = 0
        self.photos = 0

    def walk(self, data: object, annotation: Any, raw: Path, canon: Path) -> object:
        self.raw_of[canon] = raw
        kind, inner = _shape(annotation)
        if kind == "model":
            return self.model(data, inner, raw, canon)
        if kind == "list" and isinstance(data, list):
            if inner is Activity:
                self.count("activities", len(data), raw)
            return [self.walk(v, inner, (*raw, i), (*canon, i)) for i, v in enumerate(data)]
        if kind == "dict" and isinstance(data, dict):
            return {k: self.walk(v, inner, (*raw, k), (*canon, k)) for k, v in data.items()}
        return data

    def model(self, data: object, model: type[BaseModel], raw: Path, canon: Path) -> object:
        list_field = getattr(model, "list_field", None)
        if isinstance(data, list) and issubclass(model, Section) and list_field:
            self.raw_of[(*canon, list_field)] = raw
            annotation = model.model_fields[list_field].annotation
            return {list_field: self.walk(data, annotation, raw, (*canon, list_field))}
        if not isinstance(data, dict):
            return data
        table = key_table(model)
        annotations = _annotations(model)
        out: dict[str, object] = {}
        seen: dict[str, str] = {}
        for key, value in data.items():
            name = table.get(key)
            if name is None:
                self.unknown(model, key, (*raw, key))
                continue
            if name in seen:
                first = self.tree.pos((*raw, seen[name]), key=True)
                here = self.tree.pos((*raw, key), key=True)
                self.errors.append(Diagnostic.at(
                    self.file, here, display_path((*raw, key)),
                    f"与{first.words()}的“{seen[name]}”是同一个键（中英文写法等同）；请只保留一个",
                    code="CC103"))
                continue
            seen[name] = key
            if model is Activity and name == "photos":
                self.count("photos", len(value) if isinstance(value, list) else 1, (*raw, key))
            out[name] = self.walk(value, annotations[name], (*raw, key), (*canon, name))
        return out

    def count(self, what: str, added: int, raw: Path) -> None:
        """Add ``added`` activities or photos; the one past the limit is an error at its place."""
        limit, noun, hint = _COUNTED[what]
        before = getattr(self, what)
        setattr(self, what, before + added)
        if before <= limit < before + added:
            place = (*raw, limit - before) if raw and self.tree.value_at(raw) is not None else raw
            pos = self.tree.pos(place)
            self.limits.append(Diagnostic.at(self.file, pos, display_path(place) or "文件",
                                          f"超出限制：一个单位文件最多写 {limit} {noun}；{hint}", code="CC110"))

    def unknown(self, model: type[BaseModel], key: str, raw: Path) -> None:
        pos = self.tree.pos(raw, key=True)
        names = [t for t in key_table(model) if t not in model.model_fields] or list(key_table(model))
        close = difflib.get_close_matches(key, list(key_table(model)), n=1, cutoff=0.4)
        hint = f"是不是要写“{close[0]}”？" if close else "这里可以写：" + "、".join(names)
        self.errors.append(Diagnostic.at(self.file, pos, display_path(raw),
                                      f"不认识的键“{key}”；{hint}", code="CC103"))


_COUNTED = {
    "activities": (MAX_ACTIVITIES, "项活动", "请只写本报告期的活动，或把活动按报告期分成几个文件"),
    "photos": (MAX_PHOTOS, "张照片", "每项活动选几张有代表性的照片即可"),
}

# The rule (:mod:`chuangcheng.rules`) of each pydantic error type; any other type is CC105.
_CODES = {"missing": "CC104", "too_short": "CC104", "string_too_short": "CC104", "empty": "CC104",
          "extra_forbidden": "CC103", "photo_path": "CC106", "date_order": "CC205", "period": "CC205",
          "amount_negative": "CC208", "limit": "CC110"}

# Error types raised by our own validators (models.py): their message is already Chinese.
OWN_TYPES = frozenset({"amount", "amount_negative", "empty", "limit", "date", "date_order", "period",
                       "photo_path", "percent", "yes_no", "section", "layout", "times"})

_MAPPING = "应为“键: 值”的映射，写在下一行并缩进"
# The pydantic error types the loader meets (every scalar reaches pydantic as text, a list, a mapping or
# nothing; literal_error has its own message), in Chinese; any other type gets _FALLBACK, never English.
_MESSAGES = {
    "missing": "缺少必填项“{label}”",
    "string_type": "应为一段文字",
    "list_type": "应为列表：每项另起一行，以“- ”开头",
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "too_short": "至少要写一项",
    "string_too_short": "不能为空",
    "extra_forbidden": "不认识的键",
    "date_type": "应为日期，如 2026-03-05",
}
_FALLBACK = "写法不对，请对照说明（chuangcheng schema 或 README“单位文件的写法”）改正"


def _message(err: ErrorDetails, label: str, description: str | None) -> str:
    kind = err["type"]
    if kind == "missing" and description:
        return f"缺少必填项“{label}”：{description}"
    if kind == "literal_error":
        value = as_written(err["input"])
        return f"“{value}”不是有效的取值，应为：{'、'.join(UNIT_TYPES)}" if value else \
            f"没有写{label}，应为：{'、'.join(UNIT_TYPES)}"
    if kind in OWN_TYPES:
        return err["msg"]
    if _is_empty(err):
        return f"没有写内容：{_MESSAGES[kind].format(label=label)}"
    return _MESSAGES.get(kind, _FALLBACK).format(label=label)


def _is_empty(err: ErrorDetails) -> bool:
    """A value left empty (``名称:``) where text, a list or a mapping belongs: a missing item (CC104)."""
    return err["input"] is None and err["type"] in {"string_type", "list_type", "dict_type", "model_type",
                                                   "model_attributes_type", "literal_error"}


def _code(err: ErrorDetails) -> str:
    return "CC104" if _is_empty(err) else _CODES.get(err["type"], "CC105")


class _Translator:
    """Turns pydantic's errors into diagnostics at the right line, in Chinese."""

    def __init__(self, walker: _Walker, model: type[BaseModel], source_lines: list[str]) -> None:
        self.walker = walker
        self.model = model
        self.lines = source_lines

    def raw(self, canon: Path) -> tuple[Path, Path]:
        """The raw path of ``canon`` (or of its nearest known ancestor) and what is left over."""
        for cut in range(len(canon), -1, -1):
            if canon[:cut] in self.walker.raw_of:
                return self.walker.raw_of[canon[:cut]], canon[cut:]
        return (), canon

    def field_at(self, canon: Path) -> tuple[str, str | None, Any]:
        """The Chinese key, description and type of the field at ``canon`` (a dict's key as it is)."""
        current: Any = self.model
        label, description = "", None
        for part in canon:
            target = _model_in(current)
            origin = typing.get_origin(target)
            if origin in (list, dict):
                current = typing.get_args(target)[-1]
                if origin is dict:
                    label, description = str(part), None
            elif isinstance(target, type) and issubclass(target, BaseModel):
                info = target.model_fields.get(str(part))
                label = info.title or str(part) if info else str(part)
                current, description = (info.annotation, info.description) if info else (None, None)
            else:
                label, description = str(part), None
        return label, description, _model_in(current)

    def diagnostic(self, err: ErrorDetails) -> Diagnostic:
        canon = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        raw, rest = self.raw(canon)
        tree = self.walker.tree
        label, description, target = self.field_at(canon)
        pos = tree.pos((*raw, label) if len(rest) == 1 else raw, key=err["type"] == "missing")  # a ledger's empty cell
        shown = display_path((*raw, label) if rest else raw) or "文件"
        message = _message(err, label, description)
        is_section = isinstance(target, type) and issubclass(target, Section) and target.list_field
        if is_section and err["type"] in {"model_type", "dict_type", "model_attributes_type"}:
            message = "应为活动列表（每项另起一行，以“- ”开头），或写“做法”“成效”“活动”的映射"
        if err["type"] in {"dict_type", "model_type", "model_attributes_type", "list_type"}:
            colon = self.fullwidth_colon(pos.line)
            if colon:
                return Diagnostic(self.walker.file, colon[0], colon[1], shown,
                                  "这一行用了中文冒号“：”，键和值之间要用英文冒号加空格“: ”", code="CC102")
        return Diagnostic.at(self.walker.file, pos, shown, message, code=_code(err))

    def fullwidth_colon(self, line: int) -> tuple[int, int] | None:
        for n in range(line, min(line + 3, len(self.lines) + 1)):
            col = fullwidth_colon_key(self.lines[n - 1])
            if col:
                return n, col
        return None


def _validate(walker: _Walker, data: object, lines: list[str], model: type[M],
              context: dict[str, Any]) -> M:
    errors = list(walker.errors)
    file = walker.file
    if not isinstance(data, dict):
        colon = next(((n, c) for n, line in enumerate(lines, 1) if (c := fullwidth_colon_key(line))), None)
        if colon:
            message = "这一行用了中文冒号“：”，键和值之间要用英文冒号加空格“: ”"
            errors.append(Diagnostic(file, colon[0], colon[1], "文件", message, code="CC102"))
        else:
            message = "文件内容应为“键: 值”的映射，第一行一般是“单位:”" if data is not None else "文件是空的"
            errors.append(Diagnostic(file, 1, 1, "文件", message, code="CC102" if data is not None else "CC101"))
        raise InputError(errors)
    try:
        result = model.model_validate(data, context=context)
    except ValidationError as exc:
        translator = _Translator(walker, model, lines)
        known = {(d.pos, d.field) for d in errors}
        for err in exc.errors(include_url=False):
            diag = translator.diagnostic(err)
            if (diag.pos, diag.field) not in known:
                known.add((diag.pos, diag.field))
                errors.append(diag)
    if errors:
        raise InputError(sorted(errors, key=lambda d: d.order))
    return result


def _period_context(data: object, walker: _Walker) -> dict[str, Any]:
    """Validate the period alone first, so that ``3月5日`` can take its year from it; one longer
    than the limit is an error at its key (its dates still serve)."""
    if isinstance(data, dict):
        raw = data.get("period")
        try:
            period = Period.model_validate(raw)
        except ValidationError:
            return {"period": None, "period_wrong": raw is not None}
        if (period.end - period.start).days >= MAX_PERIOD_DAYS:
            raw_path = walker.raw_of.get(("period",), ("period",))
            pos = walker.tree.pos(raw_path, key=True)
            walker.limits.append(Diagnostic.at(
                walker.file, pos, display_path(raw_path),
                f"报告期从 {period.start.isoformat()} 到 {period.end.isoformat()}，超出限制："
                f"一个报告期最长 {MAX_PERIOD_DAYS // 366} 年；请按年度、半年或季度分开写", code="CC110"))
        return {"period": period}
    return {"period": None}


def load_model(path: FsPath, model: type[M], display: str | None = None) -> Loaded[M]:
    """Read, parse and validate one file; raise :class:`InputError` with every problem."""
    if path.suffix.lower() == ".xlsx":  # an Excel ledger: the same tree, placed at cells
        from ..read.ledger import read_ledger

        tree, file, lines, read_warnings = read_ledger(path, display), display or str(path), [], []
        typed = None
    else:
        source = read_source(path, display)
        tree, file, lines, read_warnings = parse_yaml(source), source.path, source.text.split("\n"), source.warnings
        typed = source.typed
    walker = _Walker(tree, file)
    try:
        data = walker.walk(tree.data, model, (), ())
        context = _period_context(data, walker)
        if walker.limits:  # not worth validating thousands of activities, or dates across centuries
            raise InputError(sorted([*walker.errors, *walker.limits], key=lambda d: d.order))
        result = _validate(walker, data, lines, model, context)
    except InputError as exc:  # traditional keys (單位) without OpenCC: the way out first, not only 不认识的键
        hint = [w for w in read_warnings if w.message == UNCONVERTED_NOTE]
        if hint:
            raise InputError([*hint, *exc.diagnostics]) from None
        raise
    return Loaded(result, path, Places(file, tree, walker.raw_of, lines), [*read_warnings, *tree.warnings], typed)


def load_unit(path: FsPath, display: str | None = None) -> Loaded[Report]:
    """Load a unit file (``官塘社区.yaml``) or ledger (``官塘社区.xlsx``)."""
    return load_model(path, Report, display)


def load_district(path: FsPath, display: str | None = None) -> Loaded[District]:
    """Load a district file (``district.yaml`` or ``区.yaml``)."""
    return load_model(path, District, display)


def try_load_district(path: FsPath | None) -> tuple[Loaded[District] | None, list[Diagnostic]]:
    """A district file, if there is one, with its problems returned rather than raised."""
    if path is None:
        return None, []
    try:
        loaded = load_district(path)
    except InputError as exc:
        return None, list(exc.diagnostics)
    return loaded, list(loaded.warnings)
