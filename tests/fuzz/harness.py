"""One input through validate, render or the real CLI, in a fresh folder, classified.

An input is a unit file (written next to a copy of the examples' 照片 folder, so its photo paths
can resolve) or a district file (next to one good unit file). The outcome is ``ok``, ``warnings``
or ``rejected`` (a ChuangchengError whose every line is ``path:line:col: …`` in Chinese) when the
tool behaved, else one of :data:`FAILURES`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from ..docx_check import problems as docx_problems
from .mutators import PHOTOS

TODAY = dt.date(2026, 7, 1)
TIME_BOUND = 5.0  # seconds one input may take in one mode (typical: 0.005–0.3 s)
CLI_TIME_BOUND = 60.0  # the CLI pays for its start-up too

OK, WARNINGS, REJECTED = "ok", "warnings", "rejected"
INTERNAL = "internal-error"  # an exception that is not a ChuangchengError
NO_POSITION = "message-without-position"  # a line the user sees without path:line:col
ENGLISH = "message-in-english"  # Python reprs or library English in a message
TIMEOUT = "timeout"  # over TIME_BOUND
OUTPUT_FOR_FAILED = "output-for-failed-unit"  # a file written although the unit failed
OUTPUT_OUTSIDE = "output-outside-folder"  # a file written outside the output folder
INVALID_DOCX = "invalid-docx"  # tests/docx_check.problems() finds fault with a .docx written
MISSING_OUTPUT = "reported-output-missing"  # a success that names files it did not write
UNSAFE_NAME = "unsafe-file-name"  # a file name Windows refuses or misreads (CON, trailing dot, A:B, too long)
CLI_INTERNAL = "cli-internal-error"  # exit code 3, 内部错误 or a traceback from the real CLI
MEMORY = "memory"  # MemoryError (the runner caps each worker's address space)
CRASH = "crash"  # the worker process died (killed by the runner after a hard hang, or a segfault)
FAILURES = (INTERNAL, NO_POSITION, ENGLISH, TIMEOUT, OUTPUT_FOR_FAILED, OUTPUT_OUTSIDE, INVALID_DOCX,
            MISSING_OUTPUT, UNSAFE_NAME, CLI_INTERNAL, MEMORY, CRASH)

UNIT_NAME = "单位.yaml"
EXAMPLE_DISTRICT = PHOTOS.parents[1]

# Library English and Python reprs; user text quoted in “…” is taken out before looking.
# The field (before the first ": ") may hold the user's own English keys, so only the text after it is read.
_ENGLISH = re.compile(
    r"\bNone\b|NoneType|could not|did not|expected|Traceback|\bfound\b|while (?:scanning|parsing)|\bError\b|"
    r"Exception|Decimal\(|datetime\.|Input should|Field required|pydantic|\binvalid\b|\bcannot\b|can't|codec|"
    r"\bline \d+|\bcolumn \d+|not allowed|unacceptable|\bcharacter\b|\[Errno|errno|\bundefined\b|"
    r"\bmapping\b|\bscalar\b|\bdocument\b|\bsequence\b|\bunexpected\b|\bno such\b"
)
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』|《[^》]*》")
# path:line:col, or for a ledger path:sheet!cell (Excel allows neither : nor ! in a sheet's name)
_POSITION = re.compile(r"^(?P<path>.+?):(?:(?P<line>\d+):(?P<col>\d+)|(?P<sheet>[^:!\n]+)!(?P<col_name>[A-Z]{1,3})"
                       r"(?P<row>\d+)): (?P<rest>.+)$", re.S)


class FuzzTimeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in the tool swallows it."""


@dataclass
class Case:
    """One input: its bytes, where it came from (enough to make it again), and what it is."""

    id: str
    origin: str
    data: bytes
    district: bool = False
    name: str = UNIT_NAME


@dataclass
class Outcome:
    case_id: str
    mode: str  # validate, render, cli-validate, cli-render
    verdict: str
    detail: str = ""
    seconds: float = 0.0
    group: str = ""  # what makes two failures of one class the same defect (exception and place …)

    @property
    def failed(self) -> bool:
        return self.verdict in FAILURES


@dataclass
class Folder:
    """The fresh folder one input runs in: ``in/`` holds the input (and photos), ``out/`` the reports."""

    root: Path
    source: Path
    out: Path
    before: set[Path] = field(default_factory=set)

    def files(self) -> set[Path]:
        return {p for p in self.root.rglob("*") if p.is_file() or p.is_symlink()}


@contextlib.contextmanager
def folder_for(case: Case) -> Iterator[Folder]:
    root = Path(tempfile.mkdtemp(prefix="cc-fuzz-"))
    try:
        inside = root / "in"
        if case.district:  # the whole example district, its district.yaml replaced
            shutil.copytree(EXAMPLE_DISTRICT, inside, ignore=shutil.ignore_patterns("*.docx", "*.md", "*.xlsx", ".*"))
            (inside / "district.yaml").write_bytes(case.data)
            source = inside
        else:
            shutil.copytree(PHOTOS, inside / PHOTOS.name)
            source = inside / case.name
            source.write_bytes(case.data)
        out = root / "out"
        out.mkdir()
        folder = Folder(root, source, out)
        folder.before = folder.files()
        yield folder
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise FuzzTimeout


@contextlib.contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Raise FuzzTimeout in this (main) thread after ``seconds``."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def where(exc: BaseException) -> str:
    """The innermost frame of chuangcheng's own code (else the innermost frame) of a traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if "chuangcheng" in f.filename and "/tests/" not in f.filename]
    frame = (own or frames or [None])[-1]
    if frame is None:
        return "?"
    return f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"


def check_lines(lines: list[str], root: Path) -> tuple[str, str] | None:
    """The first line a user would see that has no position or is in English, as (class, line)."""
    for line in lines:
        m = _POSITION.match(line)
        path = m and Path(m["path"])
        numbers = (m["line"], m["col"]) if m and m["line"] else (m["row"], "1") if m else ("0", "0")
        if not m or min(int(n) for n in numbers) < 1 or not (
                path and (path.is_file() or (root / "in" / m["path"]).is_file())):
            return NO_POSITION, line
        said = m["rest"].split(": ", 1)[-1]
        if _ENGLISH.search(_QUOTED.sub("", said)):
            return ENGLISH, line
    return None


def _message_group(line: str) -> str:
    """The shape of a message (its rule code and field kind, numbers and quoted text dropped)."""
    m = _POSITION.match(line)
    rest = m["rest"] if m else line
    rest = _QUOTED.sub("“…”", rest)
    return re.sub(r"\d+", "N", rest)[:60]


def _internal(case: Case, mode: str, exc: BaseException, seconds: float) -> Outcome:
    if isinstance(exc, MemoryError):
        return Outcome(case.id, mode, MEMORY, f"MemoryError at {where(exc)}", seconds, where(exc))
    text = f"{type(exc).__name__}: {str(exc)[:300]} at {where(exc)}"
    return Outcome(case.id, mode, INTERNAL, text, seconds, f"{type(exc).__name__} at {where(exc)}")


def _timeout(case: Case, mode: str, exc: BaseException, seconds: float) -> Outcome:
    return Outcome(case.id, mode, TIMEOUT, f"over {TIME_BOUND:g} s, stopped at {where(exc)}", seconds, where(exc))


def _verdict_from_lines(case: Case, mode: str, lines: list[str], folder: Folder, seconds: float,
                        default: str) -> Outcome:
    bad = check_lines(lines, folder.root)
    if bad:
        return Outcome(case.id, mode, bad[0], bad[1][:500], seconds, _message_group(bad[1]))
    return Outcome(case.id, mode, default, lines[0][:300] if lines else "", seconds)


def _docx_faults(paths: list[Path]) -> str:
    for path in paths:
        if path.suffix == ".docx":
            faults = docx_problems(path)
            if faults:
                return f"{path.name}: " + "; ".join(faults[:3])
    return ""


def validate_case(case: Case) -> Outcome:
    """validate through the public API (one process, today fixed)."""
    from chuangcheng import validate_paths

    with folder_for(case) as folder:
        start = time.perf_counter()
        try:
            with time_bound(TIME_BOUND):
                result = validate_paths([folder.source], today=TODAY, jobs=1)
        except FuzzTimeout as exc:
            return _timeout(case, "validate", exc, time.perf_counter() - start)
        except Exception as exc:
            from chuangcheng import ChuangchengError

            seconds = time.perf_counter() - start
            if isinstance(exc, ChuangchengError):
                return _verdict_from_lines(case, "validate", exc.lines(), folder, seconds, REJECTED)
            return _internal(case, "validate", exc, seconds)
        seconds = time.perf_counter() - start
        lines = [str(d) for d in result.all_diagnostics()]
        verdict = REJECTED if result.errors else WARNINGS if result.warnings else OK
        return _verdict_from_lines(case, "validate", lines, folder, seconds, verdict)


FORMATS = ("docx", "md", "photos")  # the photo ledger too: hostile titles and captions on its pages


def _render(folder: Folder) -> tuple[list[Path], list[str], list[str]]:
    """Render the unit or the district: (files said written, warning lines, failure lines)."""
    if folder.source.is_dir():
        from chuangcheng import render_district

        district = render_district(folder.source, folder.out, FORMATS, jobs=1)
        written = [Path(p) for s in district.batch.summaries for p in s.outputs] + list(district.rollup)
        warnings = [str(d) for d in district.district_problems]
        warnings += [w for s in district.batch.summaries for w in s.warnings]
        failures = [m for f in district.batch.failures for m in f.messages]
        return written, warnings, failures
    from chuangcheng import render_unit

    result = render_unit(folder.source, folder.out, FORMATS)
    return list(result.outputs), [str(d) for d in result.warnings], []


def render_case(case: Case) -> Outcome:
    """render (docx, md and the photo ledger) through the public API; every .docx written is checked."""
    from chuangcheng import ChuangchengError

    with folder_for(case) as folder:
        start = time.perf_counter()
        try:
            with time_bound(TIME_BOUND):
                written, warnings, failures = _render(folder)
        except FuzzTimeout as exc:
            return _timeout(case, "render", exc, time.perf_counter() - start)
        except ChuangchengError as exc:
            seconds = time.perf_counter() - start
            left = sorted(p for p in folder.files() - folder.before if p.is_relative_to(folder.root))
            if left:
                return Outcome(case.id, "render", OUTPUT_FOR_FAILED, ", ".join(p.name for p in left)[:300], seconds,
                               "unit failed, files left")
            return _verdict_from_lines(case, "render", exc.lines(), folder, seconds, REJECTED)
        except Exception as exc:
            return _internal(case, "render", exc, time.perf_counter() - start)
        seconds = time.perf_counter() - start
        return _check_written(case, folder, written, warnings + failures, seconds)


def _check_written(case: Case, folder: Folder, written: list[Path], lines: list[str], seconds: float) -> Outcome:
    new = folder.files() - folder.before
    outside = sorted(p for p in new if not p.is_relative_to(folder.out))
    if outside:
        return Outcome(case.id, "render", OUTPUT_OUTSIDE, ", ".join(str(p.relative_to(folder.root)) for p in outside),
                       seconds, "written outside out/")
    missing = [p for p in written if not p.is_file()]
    if missing:
        return Outcome(case.id, "render", MISSING_OUTPUT, ", ".join(p.name for p in missing)[:300], seconds,
                       "named but not written")
    unsafe = [p.name for p in sorted(new) if not windows_safe(p.name)]
    if unsafe:
        return Outcome(case.id, "render", UNSAFE_NAME, ", ".join(unsafe)[:300], seconds, _name_group(unsafe[0]))
    faults = _docx_faults(sorted(new))
    if faults:
        return Outcome(case.id, "render", INVALID_DOCX, faults[:500], seconds, _docx_group(faults))
    return _verdict_from_lines(case, "render", lines, folder, seconds, WARNINGS if lines else OK)


_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\.|$)", re.I)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def windows_safe(name: str) -> bool:
    """Whether Windows can create and open a file of this name, as the tool meant it."""
    from chuangcheng.limits import MAX_NAME_CHARS

    stem = name.rsplit(".", 1)[0]
    return not (_RESERVED.match(name) or _FORBIDDEN.search(name) or name.endswith((".", " "))
                or stem.endswith((".", " ")) or len(stem) > MAX_NAME_CHARS)


def _name_group(name: str) -> str:
    from chuangcheng.limits import MAX_NAME_CHARS

    stem = name.rsplit(".", 1)[0]
    if _RESERVED.match(name):
        return "reserved device name"
    if _FORBIDDEN.search(name):
        return "forbidden character"
    if len(stem) > MAX_NAME_CHARS:
        return "too long"
    return "trailing dot or space"


def _docx_group(faults: str) -> str:
    first = faults.split(": ", 1)[-1].split(";")[0]
    return re.sub(r"line \d+, column \d+|\d+", "N", first)[:80]


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("chuangcheng")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "chuangcheng"]


def cli_case(case: Case, mode: str) -> Outcome:
    """The real command in a subprocess: ``chuangcheng validate|render NAME`` run in the input's folder."""
    with folder_for(case) as folder:
        target = "." if case.district else case.name
        args = ["validate", target] if mode == "validate" else ["render", target, "-o", str(folder.out)]
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
        env.pop("CHUANGCHENG_DEBUG", None)
        start = time.perf_counter()
        try:
            run = subprocess.run([*_cli(), *args], cwd=folder.root / "in", capture_output=True, timeout=CLI_TIME_BOUND,
                                 env=env, check=False)
        except subprocess.TimeoutExpired:
            return Outcome(case.id, f"cli-{mode}", TIMEOUT, f"over {CLI_TIME_BOUND:g} s", time.perf_counter() - start,
                           f"cli-{mode}")
        seconds = time.perf_counter() - start
        text = (run.stdout + run.stderr).decode("utf-8", "replace")
        if run.returncode == 3 or "内部错误" in text or "Traceback" in text:
            last = [line for line in text.splitlines() if line.strip()][-1:] or [""]
            return Outcome(case.id, f"cli-{mode}", CLI_INTERNAL, f"exit {run.returncode}: {text[-400:]}", seconds,
                           re.sub(r"\d+", "N", last[0])[:80])
        new = folder.files() - folder.before
        if mode == "render" and not case.district and run.returncode != 0 and new:
            return Outcome(case.id, "cli-render", OUTPUT_FOR_FAILED, ", ".join(p.name for p in sorted(new))[:300],
                           seconds, "unit failed, files left")
        unsafe = [p.name for p in sorted(new) if not windows_safe(p.name)]
        if unsafe:
            return Outcome(case.id, f"cli-{mode}", UNSAFE_NAME, ", ".join(unsafe)[:300], seconds,
                           _name_group(unsafe[0]))
        faults = _docx_faults(sorted(new))
        if faults:
            return Outcome(case.id, f"cli-{mode}", INVALID_DOCX, faults[:500], seconds, _docx_group(faults))
        named = ("district.yaml:", f"{case.name}:")
        diagnostics = [line for line in text.splitlines() if re.search(r"\bCC\d{3}\b", line) or line.startswith(named)]
        absolute = [d if Path(d.split(":", 1)[0]).is_absolute() else str(folder.root / "in" / d) for d in diagnostics]
        bad = check_lines(absolute, folder.root)
        if bad:
            return Outcome(case.id, f"cli-{mode}", bad[0], bad[1][:500], seconds, _message_group(bad[1]))
        verdict = OK if run.returncode == 0 else REJECTED
        return Outcome(case.id, f"cli-{mode}", verdict, f"exit {run.returncode}", seconds)
