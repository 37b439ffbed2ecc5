"""Own templates (--template-dir): caps on sizes, numbers and time; every failure a Chinese
message at the template's file and line; the cache key covering every file of the folder.

The limits are monkeypatched down (small_limits) so that a cap that stopped working makes a
test fail with a wrong output, not exhaust the machine's memory.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from pathlib import Path

import pytest

from chuangcheng import limits
from chuangcheng.district.batch import render_folder
from chuangcheng.errors import TemplateError
from chuangcheng.write.template_sandbox import TemplateLimit, TemplateTimeout, check_method, limited_run
from chuangcheng.write.templating import builtin_template_dir, environment, hash_folder, render_template

from .conftest import EXAMPLES

LENGTH = "文字或列表过长"
NUMBER = "乘方或乘积得到的数过大"
SANDBOX = "沙箱不允许"


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "TEMPLATE_MAX_LENGTH", 1000)
    monkeypatch.setattr(limits, "TEMPLATE_MAX_RANGE", 100)
    monkeypatch.setattr(limits, "TEMPLATE_MAX_POWER_BITS", 64)
    monkeypatch.setattr(limits, "TEMPLATE_MAX_OUTPUT", 5000)
    monkeypatch.setattr(limits, "TEMPLATE_MAX_BUILT", 20000)
    monkeypatch.setattr(limits, "TEMPLATE_SECONDS", 30.0)  # generous: the machine is shared
    environment.cache_clear()


def _render(tmp_path: Path, text: str, name: str = "t.j2", **files: str) -> str:
    folder = tmp_path / "模板"
    for relative, content in {name: text, **files}.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(content, encoding="utf-8")
    return render_template(name, folder)


def _error(tmp_path: Path, text: str, name: str = "t.j2", **files: str) -> str:
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path, text, name, **files)
    message = str(caught.value)
    assert "'" not in message and "Error" not in message and "object" not in message  # no Python text
    return message


LOOP = "{% set ns = namespace(v=X) %}{% for i in range(12) %}{% set ns.v = ns.v OP ns.v %}{% endfor %}{{ ns.v|length }}"
NEST = "{% set ns = namespace(l=[]) %}{% for i in range(12) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}"

CAPS = [
    ("str_times", "{{ ('x' * 10 ** 15)|length }}", LENGTH),
    ("list_times", "{{ ([1] * 10 ** 15)|length }}", LENGTH),
    ("power", "{{ (10 ** 100)|string|length }}", NUMBER),
    ("product", "{% set ns = namespace(n=10**10) %}{% for i in range(10) %}{% set ns.n = ns.n * ns.n %}"
     "{% endfor %}{{ ns.n }}", NUMBER),
    ("percent_width", "{{ ('%01000000000000000d' % 1)|length }}", LENGTH),
    ("percent_star", "{{ ('%*d' % (10 ** 15, 1))|length }}", LENGTH),
    ("format_width", "{{ '{:>1000000000000000}'.format(1)|length }}", LENGTH),
    ("format_nested", "{{ '{:>{w}}'.format(1, w=10 ** 15)|length }}", LENGTH),
    ("format_filter", "{{ ('%1000000000000000s'|format(1))|length }}", LENGTH),
    ("tilde_doubling", LOOP.replace("X", "'x'").replace("OP", "~"), LENGTH),
    ("plus_doubling", LOOP.replace("X", "'x'").replace("OP", "+"), LENGTH),
    ("list_doubling", LOOP.replace("X", "[1]").replace("OP", "+"), LENGTH),
    ("nested_print", NEST + "{{ ns.l }}", LENGTH),
    ("nested_tilde", NEST + "{{ ns.l ~ '' }}", LENGTH),
    ("nested_string", NEST + "{{ ns.l|string|length }}", LENGTH),
    ("nested_namespace", NEST + "{{ ns }}", LENGTH),
    ("center", "{{ 'x'|center(10 ** 15)|length }}", LENGTH),
    ("indent", "{{ ('a\\n' * 100)|indent(100) }}", LENGTH),
    ("wordwrap", "{{ ('a ' * 400)|wordwrap(1, wrapstring='y' * 100) }}", LENGTH),
    ("truncate_end", "{{ ('x' * 100)|truncate(5, end='y' * 999) }}", LENGTH),
    ("join_filter", "{{ range(100)|join('x' * 100) }}", LENGTH),
    ("join_method", "{{ ('x' * 100).join(range(100)|map('string')) }}", LENGTH),
    ("replace_filter", "{{ ('x' * 100)|replace('x', 'y' * 100) }}", LENGTH),
    ("replace_method", "{{ ('x' * 100).replace('x', 'y' * 100) }}", LENGTH),
    ("ljust", "{{ 'x'.ljust(10 ** 15)|length }}", LENGTH),
    ("zfill", "{{ '1'.zfill(10 ** 15)|length }}", LENGTH),
    ("expandtabs", "{{ ('\t' * 100).expandtabs(100) }}", LENGTH),
    ("translate", "{{ ('x' * 100).translate({120: 'y' * 100}) }}", LENGTH),
    ("to_bytes", "{{ (1).to_bytes(10 ** 15, 'big')|length }}", LENGTH),
    ("batch_fill", "{{ [1]|batch(10 ** 15, 0)|list|length }}", LENGTH),
    ("slice", "{{ [1]|slice(5000)|list|length }}", LENGTH),
    ("tojson_indent", "{{ range(50)|list|tojson(indent=100) }}", LENGTH),
    ("sum_of_lists", "{{ ([[1] * 50] * 50)|sum(start=[])|length }}", LENGTH),
    ("lipsum", "{{ lipsum(100) }}", LENGTH),
    ("range", "{{ range(1000)|length }}", "range() 的范围过大"),
    ("huge_range", "{{ range(1000000000000000000000000000000)|length }}", "range() 的范围过大"),
    ("append", "{% set l = [] %}{% for i in range(10) %}{{ l.append(i) }}{% endfor %}", SANDBOX + "的属性 append"),
    ("update", "{% set d = {} %}{{ d.update({1: 2}) }}", SANDBOX + "的属性 update"),
    ("built", "{% set ns = namespace(l=[]) %}{% for i in range(100) %}"
     "{% set ns.l = ns.l + [('x' * 900) ~ i] %}{% endfor %}{{ ns.l|length }}", "一共生成了超过 20000"),
    ("output", "{% for i in range(100) %}{{ 'x' * 900 }}{% endfor %}", "模板输出超过 5000"),
    ("macro_output", "{% macro m() %}{% for i in range(100) %}" + "x" * 100 + "{{ 1 / (99 - i) }}{% endfor %}"
     "{% endmacro %}{{ m()|length }}", "模板输出超过 5000"),  # stops as it grows, not at i = 99
    ("self_block_output", "{% if false %}{% block b %}{% for i in range(100) %}" + "z" * 100 + "{{ 1 / (99 - i) }}"
     "{% endfor %}{% endblock %}{% endif %}{{ self.b()|length }}", "模板输出超过 5000"),
    ("block_output", "{% set b %}{% for i in range(100) %}" + "y" * 100 + "{{ 1 / (99 - i) }}{% endfor %}"
     "{% endset %}{{ b|length }}", "模板输出超过 5000"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in CAPS], ids=[c[0] for c in CAPS])
def test_caps(text: str, message: str, tmp_path: Path) -> None:
    """Each way of building a huge string, list or number stops at its cap, at its line."""
    error = _error(tmp_path, "第一行\n" + text + "\n")
    assert error.startswith(f"{tmp_path / '模板' / 't.j2'}:2:1: 模板: ")
    assert message in error


@pytest.mark.parametrize(("owner", "method", "args"), [
    ("x", "center", (10 ** 15,)), ("x", "ljust", (10 ** 15,)), ("x", "rjust", (10 ** 15,)), ("1", "zfill", (10 ** 15,)),
    ("\t" * 100, "expandtabs", (100,)), ("x" * 100, "replace", ("x", "y" * 100)), ("x" * 100, "join", (["ab"] * 100,)),
    ("x" * 100, "translate", ({120: "y" * 100},)), ("{:>2000}", "format", (1,)),
    ("{a:>{w}}", "format_map", ({"a": 1, "w": 2000},)),
    (1, "to_bytes", (10 ** 15, "big")), (b"x", "center", (10 ** 15,)),
])
def test_methods_checked_before_they_run(owner: object, method: str, args: tuple[object, ...]) -> None:
    """The sizes are checked before the method runs (after it, the memory is already taken)."""
    with pytest.raises(TemplateLimit):
        check_method(owner, method, args, {})


def test_legitimate_sizes_pass(tmp_path: Path) -> None:
    """Below the caps nothing is stopped."""
    text = "{{ 'x' * 10 }}|{{ 2 ** 10 }}|{{ range(5)|join(',') }}|{{ '%5d' % 7 }}|{{ 'a' ~ 'b' }}|{{ [1] + [2] }}"
    text += "|{{ 'abc'|truncate(10 ** 15) }}|{{ [1, 2, 3]|batch(10 ** 15)|list|length }}"
    text += "|{% set ns = namespace(items=[]) %}{% for i in range(3) %}{% set ns.items = ns.items + [i] %}{% endfor %}"
    text += "{{ ns.items|join('、') }}"  # the way to accumulate that the sandbox's message suggests
    assert _render(tmp_path, text) == "xxxxxxxxxx|1024|0,1,2,3,4|    7|ab|\\[1, 2\\]|abc|1|0、1、2"


RUNAWAY = "前言\n{% for i in range(100) %}{% for j in range(100) %}{% for k in range(100) %}" \
          "{% for m in range(100) %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}结束\n"


@pytest.fixture
def half_second(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "TEMPLATE_SECONDS", 0.5)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # a dropped delivery, retried
@pytest.mark.usefixtures("half_second")
def test_time_limit(tmp_path: Path) -> None:
    """Nested loops with little output stop at TEMPLATE_SECONDS, with the template's line."""
    error = _error(tmp_path, RUNAWAY)
    assert error == (f"{tmp_path / '模板' / 't.j2'}:2:1: 模板: 模板运行超过 0.5 秒，已停止；"
                     "请检查是否有次数过多或层层嵌套的循环")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # a dropped delivery, retried
def test_time_limit_while_compiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template too long to compile in time is stopped by the same limit, and says so."""
    monkeypatch.setattr(limits, "TEMPLATE_SECONDS", 0.05)  # compiling 200,000 lines takes seconds
    error = _error(tmp_path, "a\n" + "{{ 1 }}\n" * 200_000)
    assert error.endswith("模板运行超过 0.05 秒，已停止；请检查是否有次数过多或层层嵌套的循环")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # a dropped delivery, retried
@pytest.mark.usefixtures("half_second")
def test_time_limit_in_a_thread(tmp_path: Path) -> None:
    """The watchdog stops the thread that renders, not the main one."""
    errors: list[str] = []

    def work() -> None:
        try:
            _render(tmp_path, RUNAWAY)
        except TemplateError as exc:
            errors.append(str(exc))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert len(errors) == 1 and "秒，已停止" in errors[0]


@pytest.mark.usefixtures("half_second")
def test_time_limit_in_workers(tmp_path: Path) -> None:
    """A folder rendered by worker processes: every unit fails with the time limit, none is written."""
    folder = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, folder)
    templates = tmp_path / "模板"
    templates.mkdir()
    (templates / "report.md.j2").write_text(RUNAWAY, encoding="utf-8")
    out = tmp_path / "out"
    result = render_folder(folder, out, ["md"], jobs=2, template_dir=templates)
    assert result.rendered == 0 and len(result.failures) == 6
    for failure in result.failures:
        assert failure.messages == [f"{templates / 'report.md.j2'}:2:1: 模板: 模板运行超过 0.5 秒，已停止；"
                                    "请检查是否有次数过多或层层嵌套的循环"]
    assert not list(out.rglob("*.md"))


@pytest.mark.usefixtures("half_second")
def test_no_stray_timeout_after_a_render(tmp_path: Path) -> None:
    """A render that finished before its deadline leaves nothing behind to fire later."""
    import time

    assert _render(tmp_path, "{{ 1 }}") == "1"
    time.sleep(0.7)  # past the (patched) deadline: a stray timeout would be raised here
    assert sum(range(10_000)) == 49_995_000


ERRORS = [
    ("syntax", "a\n{% if %}\n", "t.j2", 2, "模板语法错误：请检查这一行"),
    ("unclosed", "a\n{% for x in [1] %}\n", "t.j2", 2, "模板语法错误：模板意外结束"),
    ("unknown_tag", "a\n{% foo %}\n", "t.j2", 2, "不认识的标签 foo"),
    ("unknown_filter", "a\n{{ 1|nofilter }}\n", "t.j2", 2, "没有名为 nofilter 的过滤器"),
    ("undefined", "a\n{{ nothing }}\n", "t.j2", 2, "模板使用了不存在的变量 nothing"),
    ("no_attribute", "a\n{{ namespace().x }}\n", "t.j2", 2, "不存在的属性 x"),
    ("sandbox", "a\n{{ ''.__class__ }}\n", "t.j2", 2, SANDBOX + "的属性 __class__"),
    ("zero", "a\n\n{{ 1 / 0 }}\n", "t.j2", 3, "除数为零"),
    ("type", "a\n{{ 'a' + 1 }}\n", "t.j2", 2, "值的类型不合适"),
    # the recursion limit strikes in the macro's head (line 1) or at its call (line 2), depending on
    # how deep the caller's stack already is: either line is the right place to look
    ("recursion", "{% macro m(n) %}\n{{ m(n + 1) }}\n{% endmacro %}{{ m(0) }}", "t.j2", (1, 2), "层层调用自身"),
    ("deep_parentheses", "a\n{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}\n", "t.j2", 2, "模板无法编译"),
    ("long_number", "a\n{{ " + "9" * 5000 + " }}\n", "t.j2", 2, "模板无法编译"),
    ("nested_loops", "a\n" + "{% for i in [1] %}" * 30 + "x" + "{% endfor %}" * 30, "t.j2", 1, "模板无法编译"),
    ("include_self", "a\n{% include 't.j2' %}\n", "t.j2", 2, "层层调用自身"),
    ("include_missing", "a\n{% include 'parts/无.j2' %}\n", "t.j2", 2, "找不到被引用的模板 parts/无.j2"),
    ("include_error", "a\n{% include 'parts/p.j2' %}\n", "parts/p.j2", 3, "除数为零"),
    ("include_syntax", "a\n{% include 'parts/q.j2' %}\n", "parts/q.j2", 2, "模板语法错误"),
]


@pytest.mark.parametrize(("text", "where", "line", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors_in_chinese_at_their_line(text: str, where: str, line: int | tuple[int, ...], message: str,
                                        tmp_path: Path) -> None:
    """Every failure names the template file (an included one too) and its line, in Chinese."""
    error = _error(tmp_path, text, **{"parts/p.j2": "x\ny\n{{ 1 // 0 }}\n", "parts/q.j2": "x\n{{ }}\n"})
    lines = line if isinstance(line, tuple) else (line,)
    assert any(error.startswith(f"{tmp_path / '模板' / where}:{n}:1: 模板: ") for n in lines)
    assert message in error


def test_no_methods_of_the_models(tmp_path: Path) -> None:
    """Fields of the report's pydantic models are readable, their methods are not (one of them,
    model_dump_json(indent=10**9), aborts the whole process from Rust)."""
    from pydantic import BaseModel

    class Unit(BaseModel):
        name: str

    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "t.j2").write_text("{{ u.name }}\n{{ u.model_dump_json(indent=10) }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_template("t.j2", folder, u=Unit(name="官塘社区"))
    assert str(caught.value).startswith(f"{folder / 't.j2'}:2:1: 模板: 模板使用了沙箱不允许的属性 model_dump_json，")


def test_template_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "t.j2").write_bytes("标题".encode("gbk"))
    with pytest.raises(TemplateError) as caught:
        render_template("t.j2", folder)
    assert str(caught.value) == f"{folder / 't.j2'}:1:1: 模板: 模板文件不是 UTF-8 编码；请用记事本“另存为”UTF-8"


def test_included_file_too_big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An include of a big file is refused before it is read."""
    monkeypatch.setattr(limits, "TEMPLATE_DIR_MAX_BYTES", 100)
    error = _error(tmp_path, "a\n{% include 'big.txt' %}\n", **{"big.txt": "x" * 200})
    assert error == (f"{tmp_path / '模板' / 'big.txt'}:1:1: 模板: "
                     "模板文件过大（超过 100 字节）；请检查 include 引用的是不是模板文件")


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    hash_folder(digest, folder)
    return digest.hexdigest()


def test_folder_digest_is_unambiguous(tmp_path: Path) -> None:
    """Paths and contents are length-prefixed: moving bytes from one to the other changes the key."""
    one, two = tmp_path / "1", tmp_path / "2"
    (one / "a").mkdir(parents=True)
    (two / "a").mkdir(parents=True)
    (one / "a" / "b").write_bytes(b"cd")
    (two / "a" / "bc").write_bytes(b"d")
    assert _digest(one) != _digest(two)
    (two / "a" / "bc").unlink()
    (two / "a" / "b").write_bytes(b"cd")
    assert _digest(one) == _digest(two)


def test_unreadable_template_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file under --template-dir that cannot be read is a Chinese error naming it."""
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "locked.j2").write_text("x", encoding="utf-8")
    real = Path.open

    def open_(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.j2":
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", open_)
    with pytest.raises(TemplateError) as caught:
        _digest(folder)
    assert str(caught.value) == (f"{folder / 'locked.j2'}:1:1: 模板: "
                                 "模板文件无法读取；请检查是否有权限打开，或把它移出模板文件夹")


@pytest.mark.parametrize(("files", "limit"), [(4, "TEMPLATE_DIR_MAX_FILES"), (1, "TEMPLATE_DIR_MAX_BYTES")])
def test_template_folder_too_big(files: int, limit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A --template-dir pointed at a big folder is an error, found without reading all of it."""
    monkeypatch.setattr(limits, limit, 3)
    folder = tmp_path / "模板"
    for i in range(files):
        (folder / str(i)).mkdir(parents=True)
        (folder / str(i) / "x.j2").write_bytes(b"1234")
    with pytest.raises(TemplateError) as caught:
        _digest(folder)
    assert str(caught.value).startswith(f"{folder}:1:1: 模板: 模板文件夹过大（超过 ")


def test_cache_sees_a_changed_included_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template in a sub-folder, pulled in by {% include %}, is part of the cache key."""
    monkeypatch.setattr(limits, "TEMPLATE_MAX_LENGTH", 1_000_000)
    monkeypatch.setattr(limits, "TEMPLATE_MAX_RANGE", 100_000)
    monkeypatch.setattr(limits, "TEMPLATE_MAX_OUTPUT", 5_000_000)
    monkeypatch.setattr(limits, "TEMPLATE_MAX_BUILT", 50_000_000)
    folder = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, folder)
    templates = tmp_path / "模板"
    (templates / "parts").mkdir(parents=True)
    own = (builtin_template_dir() / "report.md.j2").read_text(encoding="utf-8")
    (templates / "report.md.j2").write_text(own.replace("## ", "{% include 'parts/mark.j2' %}## ", 1),
                                            encoding="utf-8")
    (templates / "parts" / "mark.j2").write_text("第一版\n\n", encoding="utf-8")
    out = tmp_path / "out"
    assert render_folder(folder, out, ["md"], jobs=1, template_dir=templates).rendered == 6
    assert render_folder(folder, out, ["md"], jobs=1, template_dir=templates).rendered == 0
    (templates / "parts" / "mark.j2").write_text("第二版\n\n", encoding="utf-8")
    again = render_folder(folder, out, ["md"], jobs=1, template_dir=templates)
    assert again.rendered == 6
    assert "第二版" in (out / "石城街道" / "官塘社区.md").read_text(encoding="utf-8")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_time_limit_survives_a_dropped_delivery() -> None:
    """Python drops an exception raised inside a ``__del__`` or a gc callback; the watchdog
    raises it again, so the run still stops (a gc callback once swallowed it in CI)."""

    class Slow:
        def __del__(self) -> None:
            end = time.monotonic() + 0.3
            while time.monotonic() < end:  # the deadline passes here, and Python drops the exception
                pass

    reached = False
    with pytest.raises(TemplateTimeout), limited_run(0.05):
        Slow()
        end = time.monotonic() + 5
        while time.monotonic() < end:
            pass
        reached = True
    assert not reached
