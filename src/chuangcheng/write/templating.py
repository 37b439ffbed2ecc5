"""Jinja templates: where they are found, the sandbox they run in, the filters they get."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import stat
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.parser
from jinja2.loaders import split_template_path

from .. import limits
from ..errors import ChuangchengError, TemplateError
from ..load import dates
from ..load.amounts import Amount, format_amount
from ..user_cache import cache_dir
from . import typography
from .template_sandbox import (
    LimitedSandbox,
    TemplateLimit,
    TemplateTimeout,
    limited_finalize,
    limited_run,
    too_much_output,
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&])")
_MD_LINE_START = re.compile(r"^([-+=>]|\d+(?=[.)]\s))")


def builtin_template_dir() -> Path:
    """The templates shipped with the package (or, in a source checkout, the repository's)."""
    here = Path(__file__).resolve().parents[1]  # the package
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


class _Loader(jinja2.FileSystemLoader):
    """A folder of templates whose unreadable files are a Chinese error, not an English one."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = Path(self.searchpath[0], *split_template_path(template))
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_size > limits.TEMPLATE_DIR_MAX_BYTES:
                raise _Unreadable(str(path), f"模板文件过大（超过 {_size(limits.TEMPLATE_DIR_MAX_BYTES)}）；"
                                  "请检查 include 引用的是不是模板文件")
        try:
            return super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            raise  # (an OSError too) the next folder may have it
        except UnicodeDecodeError:
            raise _Unreadable(self._path(template), "模板文件不是 UTF-8 编码；请用记事本“另存为”UTF-8") from None
        except OSError:
            raise _Unreadable(self._path(template), "模板文件无法读取；请检查文件是否存在、是否有权限打开") from None

    def _path(self, template: str) -> str:
        return str(Path(self.searchpath[0], *split_template_path(template)))


def _size(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size} 字节"


class _Unreadable(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """The built-in templates compiled once per version, in the user's cache folder: compiling
    them is ≈ 20 ms of every one-file run (benchmarks/startup.py). A file that cannot be read
    is compiled again; one that cannot be written is not kept. The file names hold the versions
    and the environment's settings; a folder another user owns, or others may write to, is not
    used (its code would run here)."""

    def __init__(self, directory: Path, env: jinja2.Environment) -> None:
        from .. import __version__

        settings = repr((env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.autoescape,
                         env.finalize is not None, sorted(env.extensions), env.block_start_string,
                         env.variable_start_string, env.comment_start_string))
        tag = hashlib.sha1(settings.encode("utf-8")).hexdigest()[:8]
        super().__init__(str(directory), f"%s-chuangcheng{__version__}-jinja{jinja2.__version__}-{tag}.cache")

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = f"{name}|{filename or ''}".encode("utf-8", "surrogatepass")  # a path unzipped with GBK names
        return hashlib.sha1(key).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            if self._usable:
                super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: compile again, and write it afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(Exception):
            if self._usable:
                super().dump_bytecode(bucket)

    @functools.cached_property
    def _usable(self) -> bool:
        """The folder is there (made if need be, for this user only) and nobody else's to write."""
        folder = Path(self.directory)
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.name == "nt":
                return folder.is_dir()
            found = folder.lstat()
            return (stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid()
                    and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH))
        except OSError:
            return False


@cache
def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The environment templates run in; templates in ``template_dir`` override the built-in
    ones by name and run in a capped, immutable sandbox (the built-in ones are ours, and skip
    the sandbox's cost)."""
    loaders: list[jinja2.BaseLoader] = [_Loader(str(builtin_template_dir()))]
    kind: type[jinja2.Environment] = jinja2.Environment
    finalize: Callable[[Any], str] = md_escape
    if template_dir is not None:
        loaders.insert(0, _Loader(str(template_dir)))
        kind, finalize = LimitedSandbox, limited_finalize(md_escape)
    env = kind(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    folder = cache_dir()
    if folder is not None and template_dir is None:
        env.bytecode_cache = _CompiledTemplates(folder / "templates", env)
    env.filters.update(FILTERS)
    if isinstance(env, LimitedSandbox):
        env.limit_filters()
    return env


def render_template(name: str, template_dir: Path | None = None, **context: Any) -> str:
    """Render a template; any failure becomes a :class:`TemplateError` naming file and line.
    Own templates run with the time limit and the output cap of limits.py."""
    env = environment(template_dir)
    try:
        if template_dir is None:
            return env.get_template(name).render(**context)
        with limited_run(limits.TEMPLATE_SECONDS):
            return _stream(env.get_template(name), context)
    except ChuangchengError:
        raise
    except (Exception, TemplateTimeout) as exc:  # a template can raise anything a filter raises
        raise template_error(exc, _path_of(name, template_dir)) from None


def _path_of(name: str, template_dir: Path | None) -> str:
    """The file a template name stands for, where no traceback says better."""
    if template_dir is not None and (template_dir / name).is_file():
        return str(template_dir / name)
    return str(builtin_template_dir() / name)


def _stream(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The template's output, stopped once it passes TEMPLATE_MAX_OUTPUT characters."""
    parts: list[str] = []
    size = 0
    chunks = template.generate(**context)
    for chunk in chunks:
        size += len(chunk)
        if size > limits.TEMPLATE_MAX_OUTPUT:
            raise TemplateError(*_paused_at(chunks, template), too_much_output().message)
        parts.append(chunk)
    return "".join(parts)


def _paused_at(generator: Any, template: jinja2.Template) -> tuple[str, int]:
    """The template file and line where a paused template generator last wrote."""
    found = (template.filename or template.name or "", 1)
    while generator is not None:
        frame = getattr(generator, "gi_frame", None)
        owner = frame.f_globals.get("__jinja_template__") if frame is not None else None
        if owner is not None and owner.filename:
            found = (owner.filename, owner.get_corresponding_lineno(frame.f_lineno))  # type: ignore[union-attr]
        generator = getattr(generator, "gi_yieldfrom", None)
    return found


def template_error(exc: BaseException, name: str) -> TemplateError:
    """The Chinese error for anything that went wrong in a template, at its file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(exc.filename or name, exc.lineno or 1, _syntax_message(exc.message or ""))
    if isinstance(exc, _Unreadable):
        return TemplateError(exc.path, 1, exc.message)
    ours = (jinja2.TemplateError, TemplateLimit, TemplateTimeout)
    compiling = None if isinstance(exc, ours) else _compile_failure(exc)
    if compiling is not None:
        return TemplateError(*compiling, "模板无法编译：嵌套太深、表达式太长或数字位数太多；"
                             "请把这一处拆开，写得简单些")
    file, line = _template_frame(exc, name)
    return TemplateError(file, line, _runtime_message(exc))


def _compile_failure(exc: BaseException) -> tuple[str, int] | None:
    """The template file that failed to compile (parser or Python recursion, a literal too long),
    with the line the parser had reached; None when the failure was not in compiling."""
    file, line = None, 1
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "compile" and frame.f_globals.get("__name__") == "jinja2.environment":
            filename = frame.f_locals.get("filename")
            file = filename if isinstance(filename, str) else file
        owner = frame.f_locals.get("self")
        if isinstance(owner, jinja2.parser.Parser):
            line = owner.stream.current.lineno
        tb = tb.tb_next
    return (file, line) if file else None


def _runtime_message(exc: BaseException) -> str:
    if isinstance(exc, TemplateLimit):
        return exc.message
    if isinstance(exc, TemplateTimeout):
        return (f"模板运行超过 {limits.TEMPLATE_SECONDS:g} 秒，已停止；"
                "请检查是否有次数过多或层层嵌套的循环")
    if isinstance(exc, jinja2.TemplatesNotFound):
        missing = "、".join(str(n) for n in exc.templates)
        return f"找不到被引用的模板 {missing}；请确认文件在模板文件夹里，名字和路径（用 / 分隔）写对了"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"找不到被引用的模板 {exc.name}；请确认文件在模板文件夹里，名字和路径（用 / 分隔）写对了"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        found = _QUOTED_ATTRIBUTE.search(str(exc))
        what = f"属性 {found[1]}" if found else "写法"
        return (f"模板使用了沙箱不允许的{what}，已阻止；"
                "模板只能读取提供给它的变量，不能访问下划线开头的属性，也不能修改列表或字典"
                "（要累积内容，用 {% set ns = namespace(items=[]) %} 和 {% set ns.items = ns.items + [x] %}）")
    if isinstance(exc, jinja2.UndefinedError):
        return _undefined_message(exc.message or "")
    for kind, message in RUNTIME_MESSAGES:
        if isinstance(exc, kind):
            return message
    return "模板运行出错：运算或过滤器用在了不合适的值上；请检查这一行的写法"


_QUOTED_ATTRIBUTE = re.compile(r"attribute '([^']+)'")

UNDEFINED_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"'([^']+)' is undefined"), "模板使用了不存在的变量 {0}；请对照 README“自定义模板”一节改正变量名"),
    (re.compile(r"has no attribute '([^']+)'"), "模板使用了不存在的属性 {0}；请对照 README“自定义模板”一节改正属性名"),
    (re.compile(r"has no element (.+)$"), "模板取了不存在的元素 {0}；请检查下标或键名"),
)

SYNTAX_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Unexpected end of template", re.I),
     "模板意外结束：有没有闭合的 {{% if %}}、{{% for %}}、{{% macro %}} 或 {{% block %}}？请补上对应的结束标签"),
    (re.compile(r"unknown tag '(\w+)'"), "不认识的标签 {0}：请检查拼写，或是否缺少与它配对的开始标签"),
    (re.compile(r"No filter named '([^']+)'"),
     "没有名为 {0} 的过滤器：请检查拼写，可用的过滤器见 README“自定义模板”一节"),
    (re.compile(r"No test named '([^']+)'"), "没有名为 {0} 的测试：请检查 is 后面的写法"),
)

RUNTIME_MESSAGES: tuple[tuple[type[BaseException], str], ...] = (
    (ZeroDivisionError, "模板运行出错：除数为零；请检查这一行的除法或取余"),
    (RecursionError, "模板运行出错：宏或 include 层层调用自身，没有尽头；请检查递归的结束条件"),
    (MemoryError, "模板运行出错：内存不足；请检查这一行是否在生成过大的文字或列表"),
    (OverflowError, "模板运行出错：数值过大，超出范围；请检查这一行的算式"),
    ((LookupError), "模板运行出错：取了不存在的下标或键；请检查这一行"),
    (jinja2.TemplateRuntimeError, "模板运行出错：这一行的标签用法不对；请检查"),
    (ValueError, "模板运行出错：过滤器或运算得到了不合适的值（例如把文字转成数字）；请检查这一行"),
    (TypeError, "模板运行出错：值的类型不合适（例如文字和数字相加、参数个数不对）；请检查这一行"),
)


def _undefined_message(text: str) -> str:
    for pattern, message in UNDEFINED_MESSAGES:
        found = pattern.search(text)
        if found:
            return message.format(*found.groups())
    return "模板使用了不存在的变量；请对照 README“自定义模板”一节改正"


def _syntax_message(text: str) -> str:
    for pattern, message in SYNTAX_MESSAGES:
        found = pattern.search(text)
        if found:
            return "模板语法错误：" + message.format(*found.groups())
    return "模板语法错误：请检查这一行的 {{ }}、{% %} 是否成对，引号、括号是否闭合，标签和过滤器是否写对"


def _template_frame(exc: BaseException, name: str) -> tuple[str, int]:
    """The innermost template file and line of a traceback: Jinja rewrites its frames to
    point there; frames it did not rewrite are mapped with the template's debug info."""
    found = (name, 1)
    tb = exc.__traceback__
    while tb is not None:
        globals_ = tb.tb_frame.f_globals
        template = globals_.get("__jinja_template__")
        if template is not None and template.filename:
            found = (template.filename, template.get_corresponding_lineno(tb.tb_lineno))
        elif "__jinja_exception__" in globals_:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def hash_folder(digest: Any, folder: Path) -> None:
    """Add every file under ``folder`` to ``digest``, by relative path (sorted, length-prefixed)
    and bytes; a folder too big or a file that cannot be read is a :class:`TemplateError`."""
    too_big = TemplateError(str(folder), 1, f"模板文件夹过大（超过 {limits.TEMPLATE_DIR_MAX_FILES} 个文件或 "
                            f"{_size(limits.TEMPLATE_DIR_MAX_BYTES)}）；请只放模板文件（每个文件都会读入，"
                            "用来判断报告是否需要重新生成）")
    files: list[tuple[str, Path]] = []
    try:
        for path in folder.rglob("*"):
            if path.is_file():
                files.append((path.relative_to(folder).as_posix(), path))
                if len(files) > limits.TEMPLATE_DIR_MAX_FILES:
                    raise too_big
    except OSError:
        raise TemplateError(str(folder), 1, "模板文件夹无法读取；请检查它是否存在、是否有权限打开") from None
    total = 0
    for relative, path in sorted(files):
        try:
            with path.open("rb") as file:
                data = file.read(limits.TEMPLATE_DIR_MAX_BYTES - total + 1)
        except OSError:
            raise TemplateError(str(path), 1, "模板文件无法读取；请检查是否有权限打开，或把它移出模板文件夹") from None
        total += len(data)
        if total > limits.TEMPLATE_DIR_MAX_BYTES:
            raise too_big
        key = relative.encode("utf-8", "surrogateescape")
        digest.update(len(key).to_bytes(8, "big") + key + len(data).to_bytes(8, "big"))
        digest.update(data)
