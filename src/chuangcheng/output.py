"""Writing report files all-or-nothing: temp files beside the targets, then ``os.replace``.

Temp files are named ``.~chuangcheng-<pid>@<host>-<random><suffix>``: a run killed between
writing and moving leaves them behind; the next run removes those whose process is gone (on
another computer sharing the folder: those a day old), and a folder run removes its own strays
when it ends. File names come from unit names through :func:`safe_filename`.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import shutil
import socket
import tempfile
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError
from .limits import MAX_NAME_BYTES, MAX_NAME_CHARS
from .processes import pid_alive

TEMP_PREFIX = ".~chuangcheng-"
STALE_SECONDS = 24 * 3600  # a leftover whose process id was reused, or of another computer, goes after a day
HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_TEMP_OWNER = re.compile(r"([0-9]{1,10})(?:@([0-9a-f]{8}))?-")
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Names Windows keeps for devices, whatever the extension (CON.docx is the console).
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
                      *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³"))})
# What the operating system says, in the words of someone at a desk.
_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足，请清理磁盘或换一个输出文件夹（-o）",
    errno.EDQUOT: "磁盘配额已用完，请清理磁盘或换一个输出文件夹（-o）",
    errno.EROFS: "输出位置是只读的（如光盘、写保护的 U 盘），请换一个输出文件夹（-o）",
    errno.EACCES: "没有写入权限，请换一个输出文件夹（-o）",
    errno.EPERM: "没有写入权限，请换一个输出文件夹（-o）",
    errno.ENAMETOOLONG: "路径太长，请换一个层级浅一些的输出文件夹（-o）",
    errno.ENOENT: "文件夹不存在、已被删除，或路径太长，请检查输出文件夹（-o）",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹，请检查输出文件夹（-o）",
    errno.EISDIR: "同名的文件夹已存在，请改名或删除它",
    errno.EIO: "磁盘读写出错，请检查磁盘或 U 盘后重试",
    errno.EFBIG: "文件过大，所在的磁盘不支持，请换一个输出文件夹（-o）",
}


def safe_filename(name: str) -> str:
    """A file name every system accepts for the report of ``name``: characters Windows forbids
    become ``_`` (``A/B`` → ``A_B``), no trailing dots or spaces, no device name (``CON`` →
    ``CON_``), at most :data:`MAX_NAME_CHARS` characters and :data:`MAX_NAME_BYTES` UTF-8 bytes
    (the report's text keeps the full name)."""
    cleaned = _cleaned_name(name)[:MAX_NAME_CHARS]
    while len(cleaned.encode("utf-8")) > MAX_NAME_BYTES:
        cleaned = cleaned[:-1]
    cleaned = cleaned.rstrip(" .")
    base = cleaned.split(".")[0]
    if base.rstrip(" ").upper() in _DEVICES:  # Windows judges the part before the first dot
        cleaned = base.rstrip(" ") + "_" + cleaned[len(base):]
    return cleaned or "报告"


def _cleaned_name(name: str) -> str:
    return _WINDOWS_FORBIDDEN.sub("_", unicodedata.normalize("NFC", name)).strip(" .")


def name_is_cut(name: str, stem: str) -> bool:
    """Whether :func:`safe_filename` had to shorten ``name`` to make ``stem``."""
    return len(stem.rstrip("_")) < len(_cleaned_name(name).rstrip("_"))


def same_file_key(path: Path) -> str:
    """What two paths share when they name one file on Windows or macOS (Unicode form, and case
    as those systems fold it: letter by letter, so ß and SS stay apart)."""
    return unicodedata.normalize("NFC", str(path)).lower()


def reason(exc: OSError) -> str:
    """An operating-system error in Chinese, saying what to do."""
    return _OS_REASONS.get(exc.errno or 0, f"系统报告错误（错误号 {exc.errno}），请检查输出文件夹后重试")


def _locked(path: Path) -> OutputError:
    return OutputError(f"{path}: 无法写入：文件可能正在 Word 或 WPS 中打开，请关闭后重试")


@dataclass
class Staged:
    """Files written under temp names beside their targets, to be moved into place or dropped."""

    pairs: list[tuple[Path, Path]] = field(default_factory=list)  # temp file, target
    folders: list[Path] = field(default_factory=list)  # hold these files only: the rest goes on commit

    @property
    def targets(self) -> list[Path]:
        return [target for _, target in self.pairs]

    def commit(self) -> list[Path]:
        """Move every file into place (``os.replace``: a reader sees the old file or the new)."""
        try:
            for tmp, target in self.pairs:
                try:
                    os.replace(tmp, target)
                except PermissionError:
                    raise _locked(target) from None
                except OSError as exc:
                    raise OutputError(f"{target}: 无法写入：{reason(exc)}") from None
            self._replace_folders()
        finally:
            self.discard()
        return self.targets

    def _replace_folders(self) -> None:
        """Remove from :attr:`folders` the files an earlier run left that this one did not write."""
        keep = {same_file_key(target) for target in self.targets}
        for folder in self.folders:
            with contextlib.suppress(OSError), os.scandir(folder) as entries:
                for entry in list(entries):
                    if entry.is_file(follow_symlinks=False) and not entry.name.startswith(TEMP_PREFIX) \
                            and same_file_key(Path(entry.path)) not in keep:
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)

    def discard(self) -> None:
        """Remove what is still staged, and :attr:`folders` left empty (created for nothing)."""
        for tmp, _ in self.pairs:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        for folder in self.folders:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty


_cleaned: set[str] = set()


@functools.cache
def file_mode() -> int:
    """The mode a new file gets under the user's umask (``mkstemp`` makes 0600: a report the
    office's other accounts on a shared folder could not open)."""
    if os.name == "nt":
        return 0o666
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def remove_leftovers(folder: Path, *, own: bool = False) -> int:
    """Remove temp files an interrupted run left in ``folder``: those whose process is gone,
    those of another computer a day old; with ``own``, this process's too (a run that has
    moved or dropped everything it staged). Without ``own`` each folder is looked at once per
    process. Returns how many were removed."""
    key = str(folder)
    if key in _cleaned and not own:
        return 0
    _cleaned.add(key)
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now, me = time.time(), os.getpid()
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            old = now - entry.stat().st_mtime > STALE_SECONDS
            owner = _TEMP_OWNER.match(entry.name, len(TEMP_PREFIX))
            if owner is None or (owner[2] or HOST) != HOST:
                gone = old  # not ours to judge by its process: by its age
            else:
                pid = int(owner[1])
                gone = old or (own and pid == me) or (pid != me and not pid_alive(pid))
            if gone:
                os.unlink(entry.path)
                removed += 1
        except (OSError, ValueError, OverflowError):
            continue
    return removed


def stage(files: Mapping[Path, bytes | Path], owner: int | None = None, folders: Sequence[Path] = ()) -> Staged:
    """Write every file (its bytes, or a copy of the file named) under a temp name beside its
    target; on any failure nothing is left.
    The name carries ``owner``, the process that will move them into place (this one by
    default): while it lives, no other run takes them for leftovers. ``folders`` belong to
    these files alone: on commit, the other files in them are removed."""
    staged = Staged(folders=list(folders))
    try:
        for target, data in files.items():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                remove_leftovers(target.parent)
                fd, name = tempfile.mkstemp(dir=target.parent, prefix=f"{TEMP_PREFIX}{owner or os.getpid()}@{HOST}-",
                                            suffix=target.suffix)
            except OSError as exc:
                raise OutputError(f"{target.parent}: 无法创建文件夹或文件：{reason(exc)}") from None
            staged.pairs.append((Path(name), target))
            try:
                if hasattr(os, "fchmod"):  # not on Windows, where files have no such modes
                    with contextlib.suppress(OSError):  # FAT, SMB: the file system keeps its own
                        os.fchmod(fd, file_mode())
                with os.fdopen(fd, "wb") as handle:
                    if isinstance(data, Path):
                        with data.open("rb") as source:
                            shutil.copyfileobj(source, handle)
                    else:
                        handle.write(data)
            except OSError as exc:
                raise OutputError(f"{target}: 无法写入：{reason(exc)}") from None
    except BaseException:
        staged.discard()
        raise
    return staged


def write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write every file or none: all are staged as temp files first, then moved into place."""
    return stage(files).commit()
