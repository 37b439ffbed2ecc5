"""Start-up: a one-file render imports only what it needs, and reuses what an earlier run compiled.

The time itself is measured by benchmarks/startup.py, never here (the machines are shared)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from chuangcheng.user_cache import ENV, cache_dir
from chuangcheng.write import templating
from chuangcheng.write.typography import han_run

from .conftest import EXAMPLES

UNIT = EXAMPLES / "石城街道" / "官塘社区.yaml"

# Modules a one-file render has no use for: process pools, the terminal's colours and bars, the
# other readers and writers, traditional script, the profile of installed packages' plugins.
NOT_NEEDED = ("concurrent.futures.process", "multiprocessing", "rich", "lxml", "python_calamine", "xlsxwriter",
              "opencc", "openpyxl", "docx", "ctypes", "chuangcheng.parallel", "chuangcheng.district",
              "chuangcheng.check")


def _run_render(tmp_path: Path, *, env: dict[str, str] | None = None) -> list[str]:
    """A one-file render in a fresh interpreter, as the command line runs it; the modules it imported."""
    code = ("import sys\nfrom chuangcheng.cli import main\n"
            "sys.argv = ['chuangcheng', 'render', sys.argv[1], '-o', sys.argv[2]]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('\\n'.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code, str(UNIT), str(tmp_path / "out")], capture_output=True,
                          text=True, encoding="utf-8", check=False, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_one_file_render_imports_only_what_it_needs(tmp_path: Path) -> None:
    modules = set(_run_render(tmp_path))
    assert "chuangcheng.office.word" in modules  # the check sees what was imported
    assert "pydantic" in modules
    # what typer itself imports is not ours to leave out (typer before 0.2x imports rich)
    typers = subprocess.run([sys.executable, "-c", "import sys, typer; print('\\n'.join(sys.modules))"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    loaded = sorted(m for m in modules - set(typers) if any(m == n or m.startswith(n + ".") for n in NOT_NEEDED))
    assert loaded == []
    assert (tmp_path / "out" / "官塘社区.docx").is_file()


def test_the_command_line_does_not_look_for_pydantic_plugins(tmp_path: Path) -> None:
    """Looking for them reads every installed package's metadata; a value set outside stands."""
    code = ("import os, sys\nfrom chuangcheng.cli import main\nsys.argv = ['chuangcheng', '--version']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint(os.environ.get('PYDANTIC_DISABLE_PLUGINS'))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.splitlines()[-1] == "__all__"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**env, "PYDANTIC_DISABLE_PLUGINS": "logfire"})
    assert done.stdout.splitlines()[-1] == "logfire"


# --- the compiled templates ---

@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, and environments built anew."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(ENV, str(folder))
    templating.environment.cache_clear()
    yield folder
    templating.environment.cache_clear()


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the templates Jinja compiles from here on."""
    seen: list[str] = []
    original = templating.jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        seen.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(templating.jinja2.Environment, "compile", spy)
    return seen


def _render() -> str:
    from chuangcheng.load.loader import load_unit
    from chuangcheng.office.render import render_markdown

    return render_markdown(load_unit(UNIT).model)


def test_the_built_in_templates_are_compiled_once_and_reused(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = _compiles(monkeypatch)
    first = _render()
    assert "report.md.j2" in compiled
    kept = sorted((fresh / "templates").iterdir())
    assert kept and all(p.suffix == ".cache" for p in kept)
    templating.environment.cache_clear()  # as a new run would start
    compiled.clear()
    assert _render() == first
    assert compiled == []  # read from the cache, not compiled


@pytest.mark.parametrize(("keep", "tail"), [
    (0, b""),  # emptied
    (6, b""),  # cut inside the header
    (len(bc_magic), b"\xff" * 10),  # a sound header, then what no unpickler reads
    (700, b"garbage" * 100),  # cut inside the code
])
def test_a_damaged_cache_file_is_compiled_again(fresh: Path, monkeypatch: pytest.MonkeyPatch, keep: int,
                                               tail: bytes) -> None:
    first = _render()
    for kept in (fresh / "templates").iterdir():
        kept.write_bytes(kept.read_bytes()[:keep] + tail)
    templating.environment.cache_clear()
    compiled = _compiles(monkeypatch)
    assert _render() == first
    assert "report.md.j2" in compiled


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(ENV, str(blocker / "cache"))
    templating.environment.cache_clear()
    try:
        assert "官塘社区" in _render()
    finally:
        templating.environment.cache_clear()
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_own_templates_are_not_cached(fresh: Path, tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "report.md.j2").write_text("# {{ view.title }}\n", encoding="utf-8")
    from chuangcheng.load.loader import load_unit
    from chuangcheng.office.render import render_markdown

    assert render_markdown(load_unit(UNIT).model, own).startswith("# ")
    assert not (fresh / "templates").exists()


def test_the_cache_folder_follows_the_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert cache_dir() == tmp_path / "chuangcheng" / "Cache"
    monkeypatch.delenv("LOCALAPPDATA")
    assert cache_dir() is None
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache_dir() == Path.home() / "Library" / "Caches" / "chuangcheng"
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "chuangcheng"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG rule: ignored
    assert cache_dir() == Path.home() / ".cache" / "chuangcheng"
    monkeypatch.setenv(ENV, "")
    assert cache_dir() is None
    monkeypatch.setenv(ENV, str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x"


def test_caching_turned_off_still_renders(tmp_path: Path) -> None:
    env = {**os.environ, ENV: ""}
    _run_render(tmp_path, env=env)
    assert (tmp_path / "out" / "官塘社区.md").is_file()


# --- the plain comparisons that replace regex classes of 21,000 characters ---

@pytest.mark.parametrize(("text", "run"), [("", 0), ("学生2480人", 2), ("志愿服务", 4), ("a学生", 0),
                                           ("〇一", 0), ("龥", 1), ("丁3", 1)])
def test_han_run(text: str, run: int) -> None:
    assert han_run(text) == run


@pytest.mark.parametrize(("title", "action"), [
    ("志愿服务进小区", "开展志愿服务进小区活动"),
    ("文明礼仪进万家", "开展文明礼仪进万家活动"),
    ("进小区", "开展进小区活动"),
    ("法律进社区1次", "法律进社区1次"),
])
def test_an_outing_to_a_place_takes_an_activity(title: str, action: str) -> None:
    from chuangcheng.write.prose import action as act

    assert act(title) == action


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_cache_folder_others_may_write_to_is_not_used(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its compiled code would run here: a forged file must not change the report."""
    folder = fresh / "templates"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    compiled = _compiles(monkeypatch)
    assert "官塘社区" in _render()
    assert "report.md.j2" in compiled  # compiled, not read
    assert list(folder.iterdir()) == []  # and nothing left there


def test_the_cache_keys_hold_the_settings_and_take_any_path(tmp_path: Path) -> None:
    import jinja2

    plain = templating._CompiledTemplates(tmp_path, jinja2.Environment())
    trimmed = templating._CompiledTemplates(tmp_path, jinja2.Environment(trim_blocks=True))
    assert plain.pattern != trimmed.pattern
    assert plain.get_cache_key("report.md.j2", "/装了\udcff/report.md.j2")  # a GBK name read as UTF-8


def test_the_cache_folder_named_in_the_environment_is_made_absolute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "~/缓存")
    assert cache_dir() == Path.home() / "缓存"
    monkeypatch.setenv(ENV, "缓存")
    folder = cache_dir()
    assert folder is not None and folder.is_absolute()
