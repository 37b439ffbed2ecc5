"""The sandbox own templates (``--template-dir``) run in: no attribute tricks, no mutation, and
caps on time, sizes and numbers (limits.py), each checked *before* the work is done.

A cap exceeded raises :class:`TemplateLimit`; the time limit raises :class:`TemplateTimeout`
into the rendering thread (a watchdog thread and ``PyThreadState_SetAsyncExc``: it stops pure
Jinja loops, in the main thread or a worker's). :mod:`chuangcheng.templating` turns both into
a ``TemplateError`` at the template's file and line.
"""

from __future__ import annotations

import functools
import inspect
import re
import string
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace, generate_lorem_ipsum

from .. import limits


class TemplateLimit(Exception):
    """A template asked for more than a cap of limits.py; ``message`` says which, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TemplateTimeout(BaseException):
    """Raised into the rendering thread when a template runs past TEMPLATE_SECONDS (a
    BaseException, so that no ``except Exception`` in template code or a filter swallows it)."""


class _Run:
    """What one template run has built so far, and whether its time is up."""

    def __init__(self) -> None:
        self.built = 0
        self.deadline: _Deadline | None = None

    def check_time(self) -> None:
        if self.deadline is not None and self.deadline.fired:
            raise TemplateTimeout


_RUN: ContextVar[_Run | None] = ContextVar("chuangcheng_template_run", default=None)


def _too_long() -> TemplateLimit:
    return TemplateLimit(f"这里要生成的文字或列表过长（超过 {limits.TEMPLATE_MAX_LENGTH} 个字符或元素），"
                         "已停止；请减少重复次数、宽度或列表的长度")


def _too_big_number() -> TemplateLimit:
    return TemplateLimit(f"这里的乘方或乘积得到的数过大（超过 {limits.TEMPLATE_MAX_POWER_BITS} 位二进制），"
                         "已停止；报告里用不到这么大的数，请检查算式")


def text_size(value: Any, limit: int | None = None) -> int:
    """An upper bound of ``len(str(value))`` found without building it; stops once past ``limit``
    (lists that hold themselves many times would print exponentially long)."""
    cap = limits.TEMPLATE_MAX_LENGTH if limit is None else limit
    stack, total = [value], 0
    while stack and total <= cap:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item) + 3
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            if total <= cap:
                stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            if total <= cap:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, Namespace):
            total += 16
            stack.append(object.__getattribute__(item, "_Namespace__attrs"))
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        else:
            total += 24  # floats, None, dates, our report objects: short when printed
    return total


def check_text(value: Any) -> None:
    """Stop before printing or joining a value whose text would pass the length cap."""
    if not isinstance(value, (str, int, float)) or (isinstance(value, int) and value.bit_length() > 64):
        size = text_size(value)
        if size > limits.TEMPLATE_MAX_LENGTH:
            raise _too_long()


def note_built(value: Any) -> Any:
    """Count a value built by template code against the run's budget, and cap its length."""
    if isinstance(value, (str, bytes, list, tuple)):
        if len(value) > limits.TEMPLATE_MAX_LENGTH:
            raise _too_long()
        run = _RUN.get()
        if run is not None:
            run.check_time()
            run.built += len(value)
            if run.built > limits.TEMPLATE_MAX_BUILT:
                raise TemplateLimit(f"模板一共生成了超过 {limits.TEMPLATE_MAX_BUILT} 个字符或元素，已停止；"
                                    "请检查循环里是否在反复拼接很长的文字或列表")
    return value


def _check_length(size: int) -> None:
    if size > limits.TEMPLATE_MAX_LENGTH:
        raise _too_long()


def _check_number(bits: int) -> None:
    if bits > limits.TEMPLATE_MAX_POWER_BITS:
        raise _too_big_number()


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Stop ``*``, ``**``, ``+`` and ``%`` whose result would pass a cap, before computing it."""
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "**" and ints and right > 0 and abs(left) > 1:
        _check_number(right * left.bit_length())
    elif operator == "*" and ints:
        _check_number(left.bit_length() + right.bit_length())
    elif operator == "*":
        seq, times = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, int):
            _check_length(len(seq) * times)
    elif operator == "+" and isinstance(left, (str, bytes, list, tuple)) and hasattr(right, "__len__"):
        _check_length(len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        check_percent(left, right)


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")


def _args_of(args: Any) -> list[Any]:
    if isinstance(args, tuple):
        return list(args)
    if isinstance(args, dict):
        return list(args.values())
    return [args]


def check_percent(fmt: str, args: Any) -> None:
    """``fmt % args``: widths and precisions (given or taken by ``*``) and the arguments' text."""
    starred = False
    for spec in _PERCENT_SPEC.finditer(fmt):
        for part in spec.groups():
            if part == "*":
                starred = True
            elif part:
                _check_length(int(part))
    _check_format_args(_args_of(args), starred, len(fmt))


def check_format(fmt: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """``fmt.format(...)``: widths in the format specs, nested widths, the arguments' text."""
    nested = False
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format raises the same error itself
    for _literal, _field, spec, _conversion in parsed:
        if spec:
            nested = nested or "{" in spec
            for digits in _DIGITS.findall(spec):
                _check_length(int(digits))
    _check_format_args([*args, *kwargs.values()], nested, len(fmt))


def _check_format_args(values: list[Any], widths_from_args: bool, base: int) -> None:
    total = base
    for value in values:
        if widths_from_args and isinstance(value, int):
            _check_length(abs(value))
        total += text_size(value)
    _check_length(total)


def capped_range(*args: int) -> range:
    """``range()`` for templates: at most TEMPLATE_MAX_RANGE items."""
    numbers = range(*args)
    try:
        size = len(numbers)
    except OverflowError:
        size = limits.TEMPLATE_MAX_RANGE + 1
    if size > limits.TEMPLATE_MAX_RANGE:
        raise TemplateLimit(f"range() 的范围过大（上限 {limits.TEMPLATE_MAX_RANGE} 项），已停止；请缩小循环的次数")
    return numbers


def capped_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """``lipsum()`` for templates, within the length cap."""
    _check_length(n * max * 8)
    return str(generate_lorem_ipsum(n, html, min, max))


# The text a filter may produce, from its bound arguments (only the filters that can grow text).
def _estimate_replace(a: dict[str, Any]) -> int:
    text, old, new, count = str(a["s"]), str(a["old"]), str(a["new"]), a["count"]
    times = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * len(new)


def _estimate_indent(a: dict[str, Any]) -> int:
    width = a["width"]
    step = len(width) if isinstance(width, str) else int(width)
    text = str(a["s"])
    return len(text) + (text.count("\n") + 1) * step


def _estimate_wordwrap(a: dict[str, Any]) -> int:
    text = str(a["s"])
    return len(text) + (len(text) + 1) * len(a["wrapstring"] or "\n")


def _estimate_join(a: dict[str, Any]) -> int:
    items = a["value"]
    if not isinstance(items, (list, tuple)):
        return 0
    return sum(text_size(item) for item in items) + len(str(a["d"])) * len(items)


GROWTH: dict[str, Callable[[dict[str, Any]], int]] = {
    "center": lambda a: int(a["width"]),
    "indent": _estimate_indent,
    "wordwrap": _estimate_wordwrap,
    "truncate": lambda a: min(len(str(a["s"])), int(a["length"])) + len(str(a["end"])),
    "replace": _estimate_replace,
    "join": _estimate_join,
    "batch": lambda a: 0 if a["fill_with"] is None else int(a["linecount"]),
    "slice": lambda a: int(a["slices"]),
    "tojson": lambda a: text_size(a["value"]) * (1 + int(a["indent"] or 0)),
}


_PASSED = {"environment", "env", "eval_ctx", "context", "ctx"}


def limited_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that checks its arguments' sizes (and, for those that grow text, the size it will
    make) before running, and the size of what it returns."""
    estimate = GROWTH.get(name)
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0  # Jinja passes a context first
    signature = inspect.signature(func)
    parameters = list(signature.parameters.values())
    if parameters and parameters[0].name in _PASSED:
        signature = signature.replace(parameters=parameters[1:])

    @functools.wraps(func)  # keeps Jinja's pass_context marks
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lead, data = args[:skip], args[skip:]
        if name == "join" and data and not isinstance(data[0], (list, tuple, str)):
            data = (list(data[0]), *data[1:])  # a generator, read once
        if name == "format" and data and isinstance(data[0], str):
            check_percent(data[0], kwargs or data[1:])
        for value in (*data, *kwargs.values()):
            if isinstance(value, (list, tuple, dict, set, frozenset, Namespace)):
                check_text(value)
        if estimate is not None:
            try:
                bound = signature.bind(*data, **kwargs)
            except TypeError:
                pass  # the filter reports its own wrong arguments
            else:
                bound.apply_defaults()
                _check_length(estimate(bound.arguments))
        return note_built(func(*lead, *data, **kwargs))

    return wrapper


_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill"}


def check_method(owner: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Stop a str/bytes/int method whose result would pass the length cap; returns the arguments
    (a generator given to ``join`` is read into a list first)."""
    if isinstance(owner, int) and name == "to_bytes":
        length = args[0] if args else kwargs.get("length", 1)
        if isinstance(length, int):
            _check_length(length)
    if not isinstance(owner, (str, bytes)):
        return args
    if name in _WIDTH_METHODS and args and isinstance(args[0], int):
        _check_length(args[0])
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
            _check_length(len(owner) + tabs * size)
    elif name == "replace" and len(args) >= 2:
        old, new = args[0], args[1]
        times = owner.count(old) if old else len(owner) + 1
        _check_length(len(owner) + times * len(new))
    elif name == "join" and args:
        items = args[0] if isinstance(args[0], (list, tuple)) else list(args[0])
        _check_length(sum(text_size(i) for i in items) + len(owner) * len(items))
        args = (items, *args[1:])
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        _check_length(len(owner) * longest)
    elif name == "format" and isinstance(owner, str):
        check_format(owner, args, kwargs)
    elif name == "format_map" and isinstance(owner, str) and args and isinstance(args[0], dict):
        check_format(owner, (), args[0])
    return args


class OutputBuffer(list[str]):
    """The buffer a macro, ``{% set %}`` block or call block writes to, capped as it grows
    (literal text repeated in a loop makes no ``{{ }}`` to check)."""

    size = 0

    def append(self, item: str) -> None:
        self._grow(len(item))
        super().append(item)

    def extend(self, items: Iterable[str]) -> None:
        pieces = list(items)
        self._grow(sum(len(p) for p in pieces))
        super().extend(pieces)

    def _grow(self, size: int) -> None:
        run = _RUN.get()
        if run is not None:
            run.check_time()
        self.size += size
        if self.size > limits.TEMPLATE_MAX_OUTPUT:
            raise too_much_output()


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``~`` and buffered output going through the environment
    (to be capped)."""

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.output_buffer()")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.join_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """An immutable sandbox whose operators, calls, filters, joins and ``range`` are capped."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = capped_range
        self.globals["lipsum"] = capped_lipsum

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Also no methods of the report's pydantic models (``model_dump_json(indent=10**9)``
        aborts the process from Rust; a template only needs their fields)."""
        if callable(value) and hasattr(type(obj), "model_fields"):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def limit_filters(self) -> None:
        """Wrap every filter (call after the last one is added)."""
        self.filters = {name: limited_filter(name, func) for name, func in self.filters.items()}

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return note_built(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        args = check_method(getattr(target, "__self__", None), getattr(target, "__name__", ""), args, kwargs)
        for value in (*args, *kwargs.values()):
            if isinstance(value, (list, tuple, dict, set, frozenset, Namespace)):
                check_text(value)
        return note_built(super().call(__context, __obj, *args, **kwargs))

    def output_buffer(self) -> OutputBuffer:
        return OutputBuffer()

    def join_concat(self, parts: tuple[Any, ...]) -> str:
        """``a ~ b ~ …``, capped before the text is made."""
        _check_length(sum(text_size(p) for p in parts))
        return str(note_built(str_join(parts)))

    def concat(self, parts: Iterable[str]) -> str:  # Jinja's is a class attribute, "".join
        """The join of a buffer or of a block's output (``self.name()``), capped as it is read."""
        if isinstance(parts, OutputBuffer):
            return "".join(parts)  # capped already
        buffer = OutputBuffer()
        for part in parts:
            buffer.append(part)
        return "".join(buffer)


def too_much_output() -> TemplateLimit:
    return TemplateLimit(f"模板输出超过 {limits.TEMPLATE_MAX_OUTPUT} 个字符，已停止；"
                         "请检查循环是否重复输出了太多内容")


def limited_finalize(finalize: Callable[[Any], str]) -> Callable[[Any], str]:
    """``finalize`` for ``{{ … }}`` that checks the printed size first and counts it."""

    def wrapper(value: Any) -> str:
        check_text(value)
        return str(note_built(finalize(value)))

    return wrapper


# The time limit: a watchdog thread raises TemplateTimeout into the rendering thread.
def _async_raiser() -> Callable[[int, type[BaseException] | None], None]:
    """Raise an exception in another thread, or (None) take back one not yet raised; ctypes is
    imported here, by the thread that starts a limited run, not by every run at start-up."""
    import ctypes

    set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc

    def raise_in(thread: int, exc: type[BaseException] | None) -> None:
        set_async_exc(ctypes.c_ulong(thread), None if exc is None else ctypes.py_object(exc))

    return raise_in


class _Deadline:
    """Raises :class:`TemplateTimeout` in this thread after ``seconds`` unless stopped first.

    Python drops an exception raised while the thread runs a gc callback or a ``__del__``
    ("Exception ignored in …"), so the watchdog raises it again every ``RETRY`` seconds until
    the run stops; the run's own checkpoints (:func:`note_built`, output buffers) also look at
    ``fired``."""

    RETRY = 0.02

    def __init__(self, seconds: float) -> None:
        self.thread = threading.get_ident()
        self.raise_in = _async_raiser()
        self.lock = threading.Lock()
        self.active = True
        self.fired = False
        self.stopped = threading.Event()
        self.watchdog = threading.Thread(target=self._watch, args=(seconds,), daemon=True)
        self.watchdog.start()

    def _watch(self, seconds: float) -> None:
        wait = seconds
        while not self.stopped.wait(wait):
            with self.lock:
                if not self.active:
                    return
                self.fired = True
                self.raise_in(self.thread, TemplateTimeout)
            wait = self.RETRY

    def stop(self) -> None:
        """No timeout from now on; one raised but not yet delivered is dropped."""
        while True:
            try:
                with self.lock:
                    self.active = False
                    self.stopped.set()
                    if self.fired:
                        self.raise_in(self.thread, None)
                return
            except TemplateTimeout:
                continue  # delivered before the lock was taken: take it again


@contextmanager
def limited_run(seconds: float) -> Iterator[None]:
    """One template run: a fresh size budget and a deadline of ``seconds``."""
    run = _Run()
    token = _RUN.set(run)
    deadline = run.deadline = _Deadline(seconds)
    try:
        yield
    finally:
        deadline.stop()
        _RUN.reset(token)
