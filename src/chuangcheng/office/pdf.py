"""PDF output: finding LibreOffice and turning finished Word files into PDFs with it.

This module owns everything about LibreOffice: where ``soffice`` is, the one headless process that
converts a whole batch (with a private profile, so a LibreOffice open on the desktop does not take
the job), and telling which files it silently failed to convert. The PDFs are written with
:func:`chuangcheng.output.write_all`, so a target is either replaced whole or left alone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputError
from ..output import reason, write_all

ENV_VAR = "CHUANGCHENG_SOFFICE"

MISSING_MESSAGE = (
    "生成 PDF 需要 LibreOffice，但没有找到：请安装 LibreOffice（https://zh-cn.libreoffice.org/），"
    f"或用环境变量 {ENV_VAR} 指定 soffice 的位置；也可以只生成 Word（-f docx），在 Word 或 WPS 中“另存为 PDF”。"
)


def _install_places() -> tuple[Path, ...]:
    windows = [
        Path(os.environ[var]) / "LibreOffice" / "program" / "soffice.exe"
        for var in ("ProgramFiles", "ProgramFiles(x86)")
        if os.environ.get(var)
    ]
    return (*windows, Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))


CANDIDATES: tuple[Path, ...] = _install_places()
"""Where installers put soffice when it is not on PATH (Windows, macOS); tried after PATH."""


def find_soffice() -> str | None:
    """The LibreOffice executable: ``$CHUANGCHENG_SOFFICE``, then PATH, then :data:`CANDIDATES`."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        if not Path(configured).is_file():
            raise OutputError(f"环境变量 {ENV_VAR} 指定的 {configured} 不存在（或不是文件），请改成 soffice 的实际位置")
        return configured
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((str(place) for place in CANDIDATES if place.is_file()), None)


def _kill(proc: subprocess.Popen[str]) -> None:
    """Kill soffice and what it started (on POSIX the launcher leaves ``soffice.bin`` running)."""
    if sys.platform == "win32":
        proc.kill()
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _run(command: list[str], timeout: float, count: int) -> tuple[int, str]:
    """Run LibreOffice once; its exit code and stderr, or an OutputError if it can't start or finish."""
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",
            start_new_session=sys.platform != "win32",
        )
    except OSError as exc:
        raise OutputError(f"无法启动 LibreOffice（{command[0]}）：{exc.strerror or exc}") from None
    with proc:
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except BaseException as exc:  # the timeout, but Ctrl-C too: don't leave soffice running
            _kill(proc)
            if isinstance(exc, subprocess.TimeoutExpired):
                raise OutputError(
                    f"LibreOffice 在 {timeout:.0f} 秒内没有转换完 {count} 个文件，已终止；"
                    "请关闭正在运行的 LibreOffice 后重试，或只生成 Word（-f docx）"
                ) from None
            raise
    return proc.returncode, stderr


def _stage(docx: Path, staged: Path) -> None:
    """Hard-link the Word file into the temp folder, or copy it when linking isn't possible."""
    try:
        os.link(docx, staged)
    except OSError:
        shutil.copyfile(docx, staged)


def _reason(returncode: int, stderr: str) -> str:
    """Why a PDF is missing: LibreOffice's last complaint (its javaldx warning on every run is noise)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not line.startswith("Warning:")]
    detail = lines[-1] if lines else (f"退出码 {returncode}" if returncode else "")
    return f"LibreOffice 没有生成 PDF（{detail}）" if detail else "LibreOffice 没有生成 PDF"


def convert(jobs: Sequence[tuple[Path, Path]], *, timeout: float | None = None) -> list[tuple[Path, str]]:
    """Convert each (docx, target pdf) with one LibreOffice process; the failures as (docx, reason).

    The timeout defaults to 60 s plus 10 s per file. Raises :class:`OutputError` when LibreOffice is
    missing, cannot be started or does not finish in time.
    """
    if not jobs:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise OutputError(MISSING_MESSAGE)
    failures: list[tuple[Path, str]] = []
    with tempfile.TemporaryDirectory(prefix="chuangcheng-pdf-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        src, out, profile = root / "in", root / "out", root / "profile"
        src.mkdir()
        staged: list[tuple[int, Path, Path]] = []  # the {i}.docx names keep equal file names apart
        for i, (docx, target) in enumerate(jobs):
            try:
                _stage(docx, src / f"{i}.docx")
            except OSError as exc:
                failures.append((docx, f"无法把 Word 文件复制到临时文件夹：{reason(exc)}"))
                continue
            staged.append((i, docx, target))
        if not staged:
            return failures
        command = [soffice, "--headless", "--norestore", "--nolockcheck"]
        command += [f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(out)]
        command += [str(src / f"{i}.docx") for i, _, _ in staged]
        limit = timeout if timeout is not None else 60 + 10 * len(staged)
        returncode, stderr = _run(command, limit, len(staged))
        for i, docx, target in staged:
            pdf = out / f"{i}.pdf"
            if not pdf.is_file() or pdf.stat().st_size == 0:
                failures.append((docx, _reason(returncode, stderr)))
                continue
            try:
                write_all({target: pdf.read_bytes()})
            except OutputError as exc:
                failures.append((docx, exc.message))
    return failures


def to_pdf(docx: bytes, name: str) -> bytes:
    """One Word file (as bytes) as a PDF (as bytes), for a report written all-or-nothing."""
    try:
        with tempfile.TemporaryDirectory(prefix="chuangcheng-pdf-", ignore_cleanup_errors=True) as tmp:
            source, target = Path(tmp) / "report.docx", Path(tmp) / "report.pdf"
            source.write_bytes(docx)
            failures = convert([(source, target)])
            if failures:
                raise OutputError(f"{name}: 无法生成 PDF：{failures[0][1]}")
            return target.read_bytes()
    except OSError as exc:  # the temporary folder: full, read-only
        raise OutputError(f"{name}: 无法生成 PDF：临时文件夹：{reason(exc)}") from None
