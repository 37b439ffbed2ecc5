"""Jinja templates: where they are found, the sandbox they run in, the filters they get."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import dates, typography
from .amounts import Amount, format_amount
from .errors import TemplateError

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&])")
_MD_LINE_START = re.compile(r"^([-+=>]|\d+(?=[.)]\s))")


def builtin_template_dir() -> Path:
    """The templates shipped with the package (or, in a source checkout, the repository's)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parents[1] / "templates"):
        if (candidate / "report.md.j2").is_file():
            return candidate
    raise TemplateError(str(here / "templates"), 1, "找不到内置模板，安装可能不完整；请重新安装 chuangcheng")


def md_escape(value: Any) -> str:
    """Escape a value printed into Markdown, so that user text never turns into markup."""
    if value is None:
        return ""
    text = str(value)
    if _MD_SPECIAL.search(text) is None and _MD_LINE_START.match(text) is None:
        return text
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: "\\" + m[1] if not m[1][0].isdigit() else m[1] + "\\", text)


def _amount(value: Amount | str) -> str:
    return format_amount(value) if isinstance(value, Amount) else str(value)


FILTERS: dict[str, Callable[..., Any]] = {
    "amount": _amount,
    "cn_date": dates.cn_date,
    "cn_number": typography.cn_number,
    "join_list": typography.join_list,
    "points": typography.points,
    "sentence": typography.sentence,
    "clause": typography.clause,
}


@cache
def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The environment templates run in; templates in ``template_dir`` override the built-in
    ones by name and run sandboxed (the built-in ones are ours, and skip the sandbox's cost)."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(builtin_template_dir()))]
    kind = jinja2.Environment
    if template_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(template_dir)))
        kind = SandboxedEnvironment
    env = kind(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=md_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


def render_template(name: str, template_dir: Path | None = None, **context: Any) -> str:
    """Render a template; any failure becomes a :class:`TemplateError` naming file and line."""
    env = environment(template_dir)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(exc.filename or name, exc.lineno, f"模板语法错误：{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(str(exc.name), 1, "找不到模板") from None
    except jinja2.exceptions.SecurityError as exc:
        file, line = _template_frame(exc, name)
        raise TemplateError(file, line, f"模板试图访问不安全的属性，已阻止（{exc}）") from None
    except jinja2.UndefinedError as exc:
        file, line = _template_frame(exc, name)
        raise TemplateError(file, line, f"模板使用了不存在的变量（{exc.message}）") from None
    except Exception as exc:  # a template can raise anything a filter raises
        file, line = _template_frame(exc, name)
        raise TemplateError(file, line, f"模板运行出错：{exc}") from None


def _template_frame(exc: BaseException, name: str) -> tuple[str, int]:
    """The innermost template file and line of a traceback (Jinja rewrites it to point there)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        return frames[-1].filename, frames[-1].lineno or 1
    return name, 1
