"""PDF output: one LibreOffice call per batch, failures per file, a clear message without LibreOffice."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chuangcheng.errors import OutputError
from chuangcheng.office import pdf

FAKE_SOFFICE = f"""\
#!{sys.executable}
import json, os, sys
from pathlib import Path

args = sys.argv[1:]
with open(os.environ["FAKE_SOFFICE_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(args) + "\\n")
outdir = Path(args[args.index("--outdir") + 1])
fmt = args[args.index("--convert-to") + 1]
values = {{args.index("--outdir") + 1, args.index("--convert-to") + 1}}
inputs = [a for n, a in enumerate(args) if n not in values and not a.startswith("-")]
outdir.mkdir(parents=True, exist_ok=True)
for name in inputs:
    content = Path(name).read_bytes()
    if b"SLEEP" in content:  # hang, with a child like soffice.bin that must not outlive us
        import subprocess, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        Path(os.environ["FAKE_SOFFICE_LOG"] + ".child").write_text(str(child.pid))
        time.sleep(30)
    if fmt == "pdf" and b"FAIL" not in content:
        (outdir / (Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.4 fake")
    else:
        print("Error: source file could not be loaded", file=sys.stderr)
print("Warning: failed to launch javaldx - java may not function correctly", file=sys.stderr)
"""


@pytest.fixture
def no_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH with nothing but an empty folder, no env var, no install places."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(pdf.ENV_VAR, raising=False)
    monkeypatch.setattr(pdf, "CANDIDATES", ())
    return empty


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake soffice first on PATH; the returned file gets one JSON line of argv per call."""
    if sys.platform == "win32":
        pytest.skip("the fake soffice is a script with a shebang")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(FAKE_SOFFICE, encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv(pdf.ENV_VAR, raising=False)
    log_file = tmp_path / "soffice.log"
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log_file))
    return log_file


def calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def word(path: Path, content: bytes = b"docx") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.fake_docx
def test_converts_many_files_with_one_call(tmp_path: Path, log: Path) -> None:
    jobs = [(word(tmp_path / "docx" / f"单位{n}.docx"), tmp_path / "pdf" / f"单位{n}.pdf") for n in range(5)]
    assert pdf.convert(jobs) == []
    [argv] = calls(log)
    assert argv[:3] == ["--headless", "--norestore", "--nolockcheck"]
    assert any(a.startswith("-env:UserInstallation=file://") for a in argv)
    assert [Path(a).name for a in argv if a.endswith(".docx")] == [f"{n}.docx" for n in range(5)]
    assert all((tmp_path / "pdf" / f"单位{n}.pdf").read_bytes() == b"%PDF-1.4 fake" for n in range(5))


@pytest.mark.fake_docx
def test_equal_file_names_in_two_folders_both_arrive(tmp_path: Path, log: Path) -> None:
    jobs = [
        (word(tmp_path / "石城街道" / "办公室.docx", b"one"), tmp_path / "out" / "石城街道" / "办公室.pdf"),
        (word(tmp_path / "桃源镇" / "办公室.docx", b"two"), tmp_path / "out" / "桃源镇" / "办公室.pdf"),
    ]
    assert pdf.convert(jobs) == []
    assert all(target.read_bytes().startswith(b"%PDF") for _, target in jobs)
    assert len(calls(log)) == 1


@pytest.mark.fake_docx
def test_a_file_libreoffice_skips_is_a_failure_and_the_others_arrive(tmp_path: Path, log: Path) -> None:
    good = word(tmp_path / "good.docx")
    bad = word(tmp_path / "bad.docx", b"FAIL")
    jobs = [(good, tmp_path / "good.pdf"), (bad, tmp_path / "bad.pdf")]
    failures = pdf.convert(jobs)
    assert failures == [(bad, "LibreOffice 没有生成 PDF（Error: source file could not be loaded）")]
    assert (tmp_path / "good.pdf").is_file() and not (tmp_path / "bad.pdf").exists()


@pytest.mark.fake_docx
def test_without_libreoffice_the_error_says_what_to_do(tmp_path: Path, no_soffice: Path) -> None:
    assert pdf.find_soffice() is None
    with pytest.raises(OutputError, match="LibreOffice") as info:
        pdf.convert([(word(tmp_path / "a.docx"), tmp_path / "a.pdf")])
    assert pdf.ENV_VAR in info.value.message and "-f docx" in info.value.message


def test_env_var_pointing_at_a_missing_file_is_an_error(
    tmp_path: Path, no_soffice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere" / "soffice"
    monkeypatch.setenv(pdf.ENV_VAR, str(missing))
    with pytest.raises(OutputError, match=pdf.ENV_VAR) as info:
        pdf.find_soffice()
    assert str(missing) in info.value.message


def test_env_var_wins_over_path(tmp_path: Path, log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "LibreOffice" / "soffice"
    chosen.parent.mkdir()
    shutil.copy2(tmp_path / "bin" / "soffice", chosen)
    monkeypatch.setenv(pdf.ENV_VAR, str(chosen))
    assert pdf.find_soffice() == str(chosen)


@pytest.mark.fake_docx
def test_libreoffice_that_cannot_start_is_an_error(
    tmp_path: Path, no_soffice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_program = word(tmp_path / "soffice", b"")  # exists, but not executable
    monkeypatch.setenv(pdf.ENV_VAR, str(not_a_program))
    with pytest.raises(OutputError, match="无法启动 LibreOffice"):
        pdf.convert([(word(tmp_path / "a.docx"), tmp_path / "a.pdf")])


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")  # a zombie nobody reaps (PID 1 in a container) is dead too
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


@pytest.mark.fake_docx
def test_a_hanging_libreoffice_is_stopped_with_its_children(tmp_path: Path, log: Path) -> None:
    with pytest.raises(OutputError, match="没有转换完 1 个文件"):
        pdf.convert([(word(tmp_path / "a.docx", b"SLEEP"), tmp_path / "a.pdf")], timeout=1)
    child = int(Path(f"{log}.child").read_text())
    for _ in range(50):
        if not running(child):
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("soffice's child process was left running")


def test_no_jobs_starts_nothing(log: Path) -> None:
    assert pdf.convert([]) == []
    assert not log.exists()


def test_no_jobs_needs_no_libreoffice(no_soffice: Path) -> None:
    assert pdf.convert([]) == []


def test_install_places_are_tried_after_path(tmp_path: Path, no_soffice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = word(tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe", b"")
    monkeypatch.setattr(pdf, "CANDIDATES", (tmp_path / "missing" / "soffice.exe", installed))
    assert pdf.find_soffice() == str(installed)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_real_libreoffice_makes_a_pdf_slow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Slow (a second or more): starts the real LibreOffice."""
    import docx

    monkeypatch.delenv(pdf.ENV_VAR, raising=False)
    document = docx.Document()
    document.add_paragraph("官塘社区")
    source = tmp_path / "官塘社区.docx"
    document.save(str(source))
    target = tmp_path / "pdf" / "官塘社区.pdf"
    assert pdf.convert([(source, target)]) == []
    assert target.read_bytes().startswith(b"%PDF")


# ---- render -f pdf: one unit converts at once, a folder makes one call for every new PDF ----

def test_render_one_unit_to_pdf_only(log: Path, unit_file: Path, tmp_path: Path) -> None:
    from chuangcheng.office.render import render_unit

    result = render_unit(unit_file, tmp_path / "out", ["pdf"])
    assert [p.name for p in result.outputs] == ["官塘社区.pdf"]
    assert (tmp_path / "out" / "官塘社区.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["官塘社区.pdf"]  # no stray Word file
    assert len(calls(log)) == 1


def test_render_one_unit_without_libreoffice_writes_nothing(no_soffice: Path, unit_file: Path,
                                                            tmp_path: Path) -> None:
    from chuangcheng.office.render import render_unit

    with pytest.raises(OutputError, match="LibreOffice"):
        render_unit(unit_file, tmp_path / "out", ["docx", "md", "pdf"])
    assert not (tmp_path / "out").exists()


def test_folder_to_pdf_is_one_libreoffice_call_and_cached(log: Path, tmp_path: Path) -> None:
    from chuangcheng.district.rollup import render_district

    from .conftest import EXAMPLES

    district = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, district)
    out = tmp_path / "out"
    result = render_district(district, out, ["pdf"], jobs=2)
    assert result.pdf_failures == []
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert len(pdfs) == 7 and "江城区汇总.pdf" in pdfs and "石城街道/官塘社区.pdf" in pdfs
    assert not list(out.rglob("*.docx"))  # Word files were only staged for the conversion
    (only,) = calls(log)
    assert sum(a.endswith(".docx") for a in only) == 7
    again = render_district(district, out, ["pdf"], jobs=2)
    assert (again.batch.rendered, again.rollup_unchanged) == (0, True)
    assert len(calls(log)) == 1  # nothing new: LibreOffice not started


def test_folder_pdf_failure_is_reported_per_file(log: Path, tmp_path: Path, runner: CliRunner) -> None:
    from chuangcheng.cli import app

    from .conftest import EXAMPLES

    district = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, district)
    script = Path(shutil.which("soffice") or "")
    script.write_text(FAKE_SOFFICE.replace('b"FAIL" not in content', 'Path(name).name != "0.docx"'),
                      encoding="utf-8")  # the first file staged fails
    outcome = runner.invoke(app, ["render", str(district), "-o", str(tmp_path / "out"), "-f", "pdf"])
    assert outcome.exit_code == 1
    failed = [line for line in outcome.output.splitlines() if "未生成 PDF" in line]
    assert len(failed) == 1 and "source file could not be loaded" in failed[0]
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 6


def test_folder_without_libreoffice_stops_before_rendering(no_soffice: Path, tmp_path: Path) -> None:
    from chuangcheng.district.rollup import render_district

    from .conftest import EXAMPLES

    with pytest.raises(OutputError, match="LibreOffice"):
        render_district(EXAMPLES, tmp_path / "out", ["docx", "pdf"])
    assert not (tmp_path / "out").exists()


def test_a_failed_pdf_is_made_again_next_run(log: Path, tmp_path: Path) -> None:
    from chuangcheng.district.rollup import render_district

    from .conftest import EXAMPLES

    district = tmp_path / "江城区"
    shutil.copytree(EXAMPLES, district)
    script = Path(shutil.which("soffice") or "")
    working = script.read_text(encoding="utf-8")
    script.write_text(working.replace('b"FAIL" not in content', 'Path(name).name != "0.docx"'), encoding="utf-8")
    out = tmp_path / "out"
    first = render_district(district, out, ["pdf"], jobs=1)
    (failed, _), = first.pdf_failures
    assert failed not in first.rollup
    script.write_text(working, encoding="utf-8")
    again = render_district(district, out, ["pdf"], jobs=1)
    assert again.pdf_failures == [] and failed.is_file()
    assert len(calls(log)) == 2
