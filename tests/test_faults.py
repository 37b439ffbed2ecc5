"""What the file system and signals can do to a run: kill -9, a full disk, a read-only folder,
two runs at once. Nothing half-written stays, no worker outlives its parent, the next run repairs."""

from __future__ import annotations

import errno
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chuangcheng import output
from chuangcheng.district.rollup import render_district
from chuangcheng.errors import OutputError
from chuangcheng.office.render import render_unit

from .conftest import EXAMPLES
from .docx_check import problems

UNITS = 120  # enough for a run of a few seconds on two cores


def _district(folder: Path, copies: int = UNITS) -> Path:
    shutil.copytree(EXAMPLES, folder)
    source = (folder / "石城街道" / "官塘社区.yaml").read_text(encoding="utf-8")
    for i in range(copies):
        text = source.replace("名称: 官塘社区", f"名称: 官塘社区{i}", 1)
        (folder / "石城街道" / f"copy{i}.yaml").write_text(text, encoding="utf-8")
    roster = folder / "district.yaml"  # on the roster: a unit off it is not rendered
    added = "".join(f"  - {{名称: 官塘社区{i}, 类型: 社区}}\n" for i in range(copies))
    roster.write_text(roster.read_text(encoding="utf-8").replace("单位名单:\n", "单位名单:\n" + added, 1),
                      encoding="utf-8")
    return folder


def _render(folder: Path, out: Path, marker: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CHUANGCHENG_FAULT_TEST": marker}
    return subprocess.Popen([sys.executable, "-m", "chuangcheng", "render", str(folder), "-o", str(out), "-j", "2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment carries ``marker`` (the run and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"CHUANGCHENG_FAULT_TEST={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _reports_sound(out: Path) -> None:
    """Every report is whole (temp files of a killed run are not reports: the next run removes them)."""
    for docx in out.rglob("*.docx"):
        if not docx.name.startswith(output.TEMP_PREFIX):
            assert problems(docx) == [], docx


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_leaves_no_worker_no_partial_file_and_the_next_run_repairs(tmp_path: Path) -> None:
    folder = _district(tmp_path / "江城区")
    out = tmp_path / "out"
    rng = random.Random(10)
    for round_ in range(3):
        marker = f"kill-{os.getpid()}-{round_}"
        run = _render(folder, out, marker)
        time.sleep(rng.uniform(0.6, 2.0))  # somewhere inside the run: workers busy writing
        run.send_signal(signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 10
        while _processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = _processes_with(marker)
        for pid in survivors:  # not left running when the test fails
            os.kill(pid, signal.SIGKILL)
        assert survivors == [], "workers outlived their parent"
        _reports_sound(out)  # a report is there whole, or not at all
    again = subprocess.run([sys.executable, "-m", "chuangcheng", "render", str(folder), "-o", str(out), "-j", "2"],
                           capture_output=True, text=True, encoding="utf-8")
    assert again.returncode == 0, again.stderr
    assert not [p for p in out.rglob(".~*")], "leftovers of the killed runs removed"
    assert len(list(out.rglob("*.docx"))) == UNITS + 6 + 1
    _reports_sound(out)


def test_two_runs_into_one_folder_at_once(tmp_path: Path) -> None:
    folder = _district(tmp_path / "江城区", 40)
    out = tmp_path / "out"
    runs = [_render(folder, out, f"twice-{i}") for i in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode("utf-8")
    assert len(list(out.rglob("*.docx"))) == 40 + 6 + 1
    assert not [p for p in out.rglob(".~*")]
    _reports_sound(out)


class _FullDisk(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def,override]
        raise OSError(errno.ENOSPC, "No space left on device")


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen

    def fdopen(fd: int, *args, **kwargs):  # type: ignore[no-untyped-def]
        real(fd, *args, **kwargs).close()
        return _FullDisk()

    monkeypatch.setattr(output.os, "fdopen", fdopen)


def test_a_full_disk_is_a_message_and_leaves_nothing(unit_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _full_disk(monkeypatch)
    with pytest.raises(OutputError, match="磁盘空间不足") as caught:
        render_unit(unit_file)
    assert str(unit_file.parent / "官塘社区") in caught.value.message
    assert sorted(p.name for p in unit_file.parent.iterdir()) == ["unit.yaml"]


def test_a_full_disk_fails_every_unit_with_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _district(tmp_path / "江城区", 0)
    _full_disk(monkeypatch)
    result = render_district(folder, tmp_path / "out", jobs=1)
    assert len(result.batch.failures) == 6 and not result.batch.summaries
    assert all("磁盘空间不足" in f.messages[0] for f in result.batch.failures)
    assert result.rollup == [] and "磁盘空间不足" in result.rollup_failure[0]
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to mount a tmpfs")
def test_a_really_full_disk(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        folder = _district(tmp_path / "江城区", 3)
        run = subprocess.run([sys.executable, "-m", "chuangcheng", "render", str(folder), "-o", str(disk)],
                             capture_output=True, text=True, encoding="utf-8")
        assert run.returncode == 1 and "磁盘空间不足" in run.stderr and "内部错误" not in run.stderr, run.stderr
        assert not [p for p in disk.rglob(".~*")]
        _reports_sound(disk)
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.parametrize(("code", "words"), [(errno.EROFS, "只读"), (errno.EACCES, "没有写入权限"),
                                             (errno.ENAMETOOLONG, "路径太长")])
def test_a_folder_that_cannot_be_written(unit_file: Path, monkeypatch: pytest.MonkeyPatch, code: int,
                                         words: str) -> None:
    def mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.tempfile, "mkstemp", mkstemp)
    with pytest.raises(OutputError, match=words):
        render_unit(unit_file)
    assert sorted(p.name for p in unit_file.parent.iterdir()) == ["unit.yaml"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder(unit_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="没有写入权限"):
            render_unit(unit_file, out)
    finally:
        out.chmod(0o755)


@pytest.mark.fake_docx  # the leftover of a live run stays, and is not a Word file
def test_leftovers_of_a_dead_run_are_removed_and_those_of_a_live_one_kept(unit_file: Path) -> None:
    folder = unit_file.parent
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = folder / f"{output.TEMP_PREFIX}{dead.stdout.strip()}-abc.docx"
    live = folder / f"{output.TEMP_PREFIX}{os.getppid()}-abc.docx"
    stale.write_bytes(b"PK half")
    live.write_bytes(b"PK half")
    output._cleaned.discard(str(folder))
    render_unit(unit_file)
    assert not stale.exists() and live.exists()
    assert problems(folder / "官塘社区.docx") == []


def test_files_staged_in_a_worker_are_named_for_the_run_that_moves_them(unit_file: Path) -> None:
    """A worker exits before its run moves the files into place: named for the worker, they would
    look like leftovers to a second run in the same folder, which would delete them."""
    owner = os.getppid()  # alive for the whole test, and not this process
    result = render_unit(unit_file, owner=owner)
    assert result.staged is not None and len(result.staged.pairs) == 2
    assert all(tmp.name.startswith(f"{output.TEMP_PREFIX}{owner}@{output.HOST}-") for tmp, _ in result.staged.pairs)
    output._cleaned.discard(str(unit_file.parent))
    output.remove_leftovers(unit_file.parent)  # another run: the owner lives, the files stay
    assert result.staged.commit() == [unit_file.parent / "官塘社区.docx", unit_file.parent / "官塘社区.md"]


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="file modes are POSIX")
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_reports_are_written_with_the_users_umask(unit_file: Path, tmp_path: Path, mask: int) -> None:
    """Files are written as the user's other files are, not 0600 as temp files are made."""
    output.file_mode.cache_clear()
    old = os.umask(mask)
    try:
        written = render_unit(unit_file, tmp_path / "out", ("docx", "md")).outputs
    finally:
        os.umask(old)
        output.file_mode.cache_clear()
    assert written
    for path in written:
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path
