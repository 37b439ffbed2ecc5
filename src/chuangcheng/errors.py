"""Diagnostics and the one exception hierarchy of chuangcheng.

Every problem a user can cause is a :class:`Diagnostic` that points at a place and names its
rule (``path:line:col: CC105 字段: 说明``; the rules are listed in :mod:`chuangcheng.rules`).
Exceptions carry diagnostics; the CLI has one handler that prints them and maps the
exception class to an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple


class Severity(str, Enum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # said once, counts neither as an error nor as a warning


def column_name(col: int) -> str:
    """A spreadsheet column's letters: 1 → A, 27 → AA."""
    name = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name or "A"


class Pos(NamedTuple):
    """A 1-based line and column; in an Excel ledger, a cell: its row, column and sheet."""

    line: int
    col: int
    sheet: str = ""

    @property
    def cell(self) -> str:
        """The cell's name, ``C5`` (in a ledger)."""
        return f"{column_name(self.col)}{self.line}"

    def __str__(self) -> str:
        """``12:5`` in a text file, ``宣传发动!C5`` in a ledger."""
        return f"{self.sheet}!{self.cell}" if self.sheet else f"{self.line}:{self.col}"

    def words(self) -> str:
        """``第 3 行``, or ``“宣传发动”表 C5 单元格``: for a message that names another place."""
        return f"“{self.sheet}”表 {self.cell} 单元格" if self.sheet else f"第 {self.line} 行"


FIRST = Pos(1, 1)  # a file's start: where a problem of the whole file is shown
SHEET_ORDER: dict[str, int] = {}  # a ledger's sheets in the order it has them (filled by read/ledger.py)


@dataclass(frozen=True)
class Diagnostic:
    """One problem at one place of one file (line and column are 1-based; in a ledger, the cell
    of ``sheet``), and its rule."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""
    sheet: str = ""

    @classmethod
    def at(cls, path: str, pos: Pos, field: str, message: str, severity: Severity = Severity.ERROR,
           code: str = "") -> Diagnostic:
        """A diagnostic at ``pos`` (a line and column, or a ledger's cell)."""
        return cls(path, pos.line, pos.col, field, message, severity, code, pos.sheet)

    @property
    def pos(self) -> Pos:
        return Pos(self.line, self.col, self.sheet)

    @property
    def order(self) -> tuple[int, str, int, int, str]:
        """Diagnostics of one file in the order of its places (a ledger's, sheet by sheet)."""
        return SHEET_ORDER.get(self.sheet, len(SHEET_ORDER)) if self.sheet else -1, self.sheet, self.line, \
            self.col, self.code

    def __str__(self) -> str:
        head = f"{self.path}:{self.pos}:"
        if self.code:
            head += f" {self.code}"
        if self.severity is Severity.WARNING:
            head += " 警告"
        elif self.severity is Severity.INFO:
            head += " 提示"
        return f"{head} {self.field}: {self.message}" if self.field else f"{head} {self.message}"


class ChuangchengError(Exception):
    """Base of every error chuangcheng raises on purpose; ``exit_code`` is for the CLI."""

    exit_code = 1

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics

    def lines(self) -> list[str]:
        """What the user is shown: the diagnostics, or the message when there are none."""
        return [str(d) for d in self.diagnostics] or [self.message]


class InputError(ChuangchengError):
    """A unit or district file that cannot be read or does not follow the format."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        diags = tuple(diagnostics)
        super().__init__(f"{len(diags)} 处错误", diags)


class TemplateError(ChuangchengError):
    """A Jinja template that does not compile or fails while rendering."""

    def __init__(self, template: str, line: int, message: str) -> None:
        diag = Diagnostic(template, line, 1, "模板", message)
        super().__init__(str(diag), (diag,))


class OutputError(ChuangchengError):
    """A report that cannot be written (file open in Word, folder not writable …)."""


class UsageError(ChuangchengError):
    """A command line that asks for something impossible (a missing path …)."""

    exit_code = 2
