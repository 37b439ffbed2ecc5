"""One unit cannot stop the others, nor overwrite their reports; file names are safe on Windows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chuangcheng import limits
from chuangcheng.check.validate import validate_paths
from chuangcheng.cli import app
from chuangcheng.district.rollup import render_district
from chuangcheng.output import safe_filename
from chuangcheng.parallel import map_chunked

from .conftest import EXAMPLES, MINIMAL
from .docx_check import problems

# --- map_chunked: an item that raises, or whose worker dies, costs that item only ---------------


def _square_or_fail(n: int) -> int:
    if n == 7:
        raise ValueError("boom")
    if n == 11:
        os._exit(1)  # a worker that dies (out of memory, killed)
    return n * n


def _fallback(n: int, exc: BaseException) -> int:
    return -1 if isinstance(exc, BrokenProcessPool) else -2


@pytest.mark.parametrize("workers", [1, 2])
def test_an_item_that_raises_is_its_fallback(workers: int) -> None:
    items = [n for n in range(30) if n != 11]
    results = sorted(map_chunked(_square_or_fail, items, workers, _fallback))
    assert results == sorted([-2] + [n * n for n in items if n != 7])


def test_a_worker_that_dies_costs_only_its_item() -> None:
    results = sorted(map_chunked(_square_or_fail, list(range(40)), 2, _fallback))
    assert results.count(-1) == 1  # 11, found by running the rest one at a time
    assert results.count(-2) == 1  # 7
    assert results[2:] == sorted(n * n for n in range(40) if n not in (7, 11))


def _double(n: int) -> int:
    return 2 * n


def test_a_pool_that_breaks_while_work_is_handed_out_loses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker can die before every chunk is submitted (seen under load): submit() then raises
    BrokenProcessPool, and the chunks not yet handed out are run again, not lost or raised."""
    from concurrent.futures import Future

    from chuangcheng import parallel

    made: list[object] = []

    class BreaksOnSecondSubmit:
        def __init__(self) -> None:
            self.calls = 0
            made.append(self)

        def submit(self, fn, *args):  # type: ignore[no-untyped-def]
            self.calls += 1
            if len(made) == 1 and self.calls == 2:
                raise BrokenProcessPool("a worker died")
            future: Future[object] = Future()
            future.set_result(fn(*args))
            return future

        def shutdown(self, **_: object) -> None:
            pass

    monkeypatch.setattr(parallel, "_pool", lambda workers: BreaksOnSecondSubmit())
    assert sorted(map_chunked(_double, list(range(40)), 2, _fallback)) == [2 * n for n in range(40)]
    assert len(made) == 2  # the items not handed out went to a new pool


# --- a district: a unit the program fails on is listed, the rest and the roll-up are written ----


@pytest.fixture
def district(tmp_path: Path) -> Path:
    folder = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, folder)
    return folder


def _buggy_view(real):  # type: ignore[no-untyped-def]
    def build_view(report, *args, **kwargs):  # type: ignore[no-untyped-def]
        if report.unit.name == "桃源村":
            raise ZeroDivisionError("a bug")
        return real(report, *args, **kwargs)
    return build_view


def test_a_bug_in_one_unit_leaves_the_others_and_the_rollup(district: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            runner: CliRunner) -> None:
    import chuangcheng.office.render as render

    monkeypatch.setattr(render, "build_view", _buggy_view(render.build_view))
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(district), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1, result.output
    assert "桃源村.yaml:1:1: CC101 文件: 内部错误" in result.output and "其他文件不受影响" in result.output
    assert "Traceback" not in result.output
    assert not (out / "桃源镇" / "桃源村.docx").exists()
    assert (out / "石城街道" / "官塘社区.docx").is_file()
    assert (out / "江城区汇总.docx").is_file() and (out / "汇总表.xlsx").is_file()
    assert "可以汇总 5 个" in result.output and "退回修改 1 个" in result.output


def test_validate_lists_a_file_it_fails_on_and_checks_the_rest(district: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import chuangcheng.check.validate as validate

    real = validate.check_unit

    def check_unit(loaded, context):  # type: ignore[no-untyped-def]
        if loaded.model.unit.name == "桃源村":
            raise KeyError("a bug")
        return real(loaded, context)

    monkeypatch.setattr(validate, "check_unit", check_unit)
    result = validate_paths([district], jobs=1)
    broken = [f for f in result.files if f.path.endswith("桃源村.yaml")]
    assert [d.message.split("：")[0] for d in broken[0].diagnostics] == ["内部错误"]
    assert sum(f.loaded for f in result.files) == 5


# --- no report overwrites another ---------------------------------------------------------------


def _unit(folder: Path, file: str, name: str) -> Path:
    path = folder / file
    path.write_text(MINIMAL.replace("名称: 官塘社区", f"名称: {name}"), encoding="utf-8")
    return path


def _on_roster(district: Path, *names: str) -> None:
    """Units the district expects: only these are rendered (a unit off the roster is not summed)."""
    path = district / "district.yaml"
    added = "".join(f"  - 名称: '{name}'\n" for name in names)
    path.write_text(path.read_text(encoding="utf-8").replace("单位名单:\n", "单位名单:\n" + added, 1),
                    encoding="utf-8")


@pytest.mark.parametrize(("first", "second", "report"), [  # one 名称 twice is 重复报送: test_verdicts.py
    ("城东/城西社区", "城东:城西社区", "城东_城西社区"),  # names that become one file name
    ("ABC社区", "abc社区", "ABC社区"),            # one file on Windows and macOS
    ("新桥社区.", "新桥社区", "新桥社区"),         # a trailing dot Windows drops
])
def test_units_that_would_write_one_file_both_fail(district: Path, first: str, second: str,
                                                   report: str) -> None:
    _on_roster(district, first, second)
    a = _unit(district, "a.yaml", first)
    b = _unit(district, "b.yaml", second)
    before = {p.name for p in district.iterdir()}
    result = render_district(district, jobs=2)
    failed = {f.file: f.messages for f in result.batch.failures}
    assert set(failed) == {str(a), str(b)}
    assert f"{a}:2:7: CC408 单位.名称:" in failed[str(a)][0] and f"{b}:2:7" in failed[str(a)][0]
    assert f"{b}:2:7: CC408 单位.名称:" in failed[str(b)][0] and f"{a}:2:7" in failed[str(b)][0]
    written = {p.name for p in district.iterdir()} - before
    assert not any(name.casefold().startswith(report.casefold()) for name in written), written
    assert not any(name.startswith(".~") for name in written)
    assert len(result.batch.summaries) == 6 and (district / "江城区汇总.docx").is_file()


def test_a_unit_named_like_the_rollup_fails_and_the_rollup_is_written(district: Path) -> None:
    _on_roster(district, "江城区汇总")
    unit = _unit(district, "x.yaml", "江城区汇总")
    result = render_district(district, jobs=1)
    [failure] = result.batch.failures
    assert failure.file == str(unit) and "CC408" in failure.messages[0]
    assert "区级汇总（" in failure.messages[0] and "district.yaml:2:" in failure.messages[0]
    text = (district / "江城区汇总.md").read_text(encoding="utf-8")
    assert text.startswith("# 江城区") and "其中审核通过6个" in text


def test_a_cached_unit_and_a_new_one_of_the_same_name_both_fail(district: Path) -> None:
    render_district(district, jobs=1)
    assert (district / "石城街道" / "官塘社区.docx").is_file()
    copy = _unit(district / "石城街道", "官塘社区(1).yaml", "官塘社区")
    result = render_district(district, jobs=1)
    failed = {f.file: f.messages[0] for f in result.batch.failures}
    assert set(failed) == {str(copy), str(district / "石城街道" / "官塘社区.yaml")}
    assert "CC403" in failed[str(copy)] and "请只保留一份" in failed[str(copy)]
    # neither file writes the unit's report, and the one an earlier run wrote is not left to be taken for it
    assert not (district / "石城街道" / "官塘社区.docx").exists()


def test_validate_warns_of_file_name_clashes_before_render(district: Path) -> None:
    a = _unit(district, "a.yaml", "城东/城西社区")
    b = _unit(district, "b.yaml", "城东:城西社区")
    c = _unit(district, "c.yaml", "江城区汇总")
    result = validate_paths([district], jobs=1)
    found = {f.path: [d for d in f.diagnostics if d.code == "CC408"] for f in result.files}
    assert [(d.line, d.col) for d in found[str(a)]] == [(2, 7)] and str(b) in found[str(a)][0].message
    assert str(a) in found[str(b)][0].message
    assert "区级汇总" in found[str(c)][0].message
    assert not any(found[f] for f in found if f not in {str(a), str(b), str(c)})


# --- file names Windows accepts -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("官塘社区", "官塘社区"),
    ("A/B", "A_B"),
    ('a<b>c:"d"|e?f*g\\h', "a_b_c__d__e_f_g_h"),
    ("CON", "CON_"), ("nul", "nul_"), ("Com1", "Com1_"), ("LPT9", "LPT9_"), ("AUX.社区", "AUX_.社区"),
    ("CON .a", "CON_.a"), ("com1.x.y", "com1_.x.y"),
    ("CONSOLE", "CONSOLE"), ("COM10", "COM10"),
    ("社区...", "社区"), ("社区 . ", "社区"), ("  ", "报告"), ("...", "报告"),
    ("社区\t一", "社区_一"),
])
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_long_names_are_cut_by_characters_and_bytes() -> None:
    assert len(safe_filename("社" * 300)) == limits.MAX_NAME_CHARS
    wide = safe_filename("𠀀" * 300)  # four UTF-8 bytes each
    assert len(wide.encode("utf-8")) <= limits.MAX_NAME_BYTES and wide == "𠀀" * (limits.MAX_NAME_BYTES // 4)
    assert not safe_filename("社" * (limits.MAX_NAME_CHARS - 1) + " .x").endswith((" ", "."))


@pytest.mark.parametrize("name", ["CON", "NUL", "COM1", "AUX", "社区" * 60])
def test_unit_with_an_awkward_name_gets_a_usable_report(tmp_path: Path, runner: CliRunner, name: str) -> None:
    unit = _unit(tmp_path, "unit.yaml", name)
    result = runner.invoke(app, ["render", str(unit), "-f", "docx"])
    assert result.exit_code == 0, result.output
    [docx] = tmp_path.glob("*.docx")
    assert docx.stem == safe_filename(name) and docx.stem.upper() not in {"CON", "NUL", "COM1", "AUX"}
    assert problems(docx) == []
    if len(name) > limits.MAX_NAME_CHARS:
        assert f"{unit}:2:7: 警告 单位.名称: 单位名称太长" in result.output
        from docx import Document

        assert any(name in p.text for p in Document(str(docx)).paragraphs)  # the report keeps the full name


def test_name_forms_and_cases() -> None:
    from chuangcheng.output import name_is_cut, safe_filename, same_file_key

    def cut(name: str) -> bool:
        return name_is_cut(name, safe_filename(name))

    assert not cut("社区e\u0301") and not cut("CON") and cut("社" * 100)
    assert same_file_key(Path("ABC社区.docx")) == same_file_key(Path("abc社区.docx"))
    assert same_file_key(Path("Stra\u00dfe.docx")) != same_file_key(Path("STRASSE.docx"))  # apart on NTFS and APFS
    assert same_file_key(Path("社区e\u0301.docx")) == same_file_key(Path("社区\u00e9.docx"))


def test_the_rollup_is_written_again_once_a_unit_that_failed_for_a_passing_reason_succeeds(district: Path) -> None:
    blocker = district / "江城区人民医院.docx"
    blocker.mkdir()  # the report cannot be written: a folder has its name
    first = render_district(district, jobs=1)
    assert [Path(f.file).name for f in first.batch.failures] == ["江城区人民医院.yaml"]
    blocker.rmdir()
    second = render_district(district, jobs=1)
    assert second.batch.failures == [] and not second.rollup_unchanged
    assert "经审核全部通过" in (district / "江城区汇总.md").read_text(encoding="utf-8")


def _dies_on_taoyuan(real):  # type: ignore[no-untyped-def]
    def build_view(report, *args, **kwargs):  # type: ignore[no-untyped-def]
        if report.unit.name == "桃源村":
            os._exit(1)  # the worker dies (out of memory, killed)
        return real(report, *args, **kwargs)
    return build_view


@pytest.mark.skipif(sys.platform != "linux", reason="the patch reaches workers through fork")
def test_a_worker_that_dies_leaves_no_temp_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chuangcheng.office.render as render

    folder = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, folder)
    for i in range(30):
        _unit(folder / "桃源镇", f"u{i}.yaml", f"官塘社区{i}")
    _on_roster(folder, *(f"官塘社区{i}" for i in range(30)))
    monkeypatch.setattr(render, "build_view", _dies_on_taoyuan(render.build_view))
    result = render_district(folder, jobs=2)
    assert [Path(f.file).name for f in result.batch.failures] == ["桃源村.yaml"]
    assert "进程意外退出" in result.batch.failures[0].messages[0]
    assert [p for p in folder.rglob(".~*")] == []


def test_leftovers_go_even_where_nothing_is_written(district: Path) -> None:
    from chuangcheng import output

    render_district(district, jobs=1)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    strays = [district / f"{output.TEMP_PREFIX}{dead.stdout.strip()}@{output.HOST}-x.docx",
              district / "石城街道" / f"{output.TEMP_PREFIX}{dead.stdout.strip()}-y.md",
              district / f"{output.TEMP_PREFIX}²-z.docx", district / f"{output.TEMP_PREFIX}{'9' * 30}-z.docx"]
    elsewhere = district / f"{output.TEMP_PREFIX}{os.getpid()}@00000000-w.docx"  # another computer's, fresh
    for stray in [*strays, elsewhere]:
        stray.write_bytes(b"PK half")
    output._cleaned.clear()
    result = render_district(district, jobs=1)
    assert result.batch.cached == 6 and result.rollup_unchanged  # nothing written
    assert [s for s in strays[:2] if s.exists()] == [] and elsewhere.exists()
    assert all(s.exists() for s in strays[2:])  # not a process id: only its age removes it
    for stray in [*strays[2:], elsewhere]:
        stray.unlink()
