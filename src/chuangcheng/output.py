"""Writing report files all-or-nothing: temp files beside the targets, then ``os.replace``."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from .errors import OutputError

_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_filename(name: str) -> str:
    """A file name that Windows accepts (官塘社区 stays 官塘社区; ``A/B`` becomes ``A_B``)."""
    cleaned = _WINDOWS_FORBIDDEN.sub("_", name).strip(" .")
    return cleaned or "报告"


# Why a write failed, in words (the system's own text is English): errno → what to do.
_REASONS = {
    errno.ENOSPC: "磁盘空间不足，请清理磁盘或换一个输出文件夹（-o）",
    errno.EDQUOT: "超出磁盘配额，请清理空间或换一个输出文件夹（-o）",
    errno.EROFS: "所在的磁盘是只读的，请换一个输出文件夹（-o）",
    errno.EACCES: "没有写入权限，请换一个输出文件夹（-o）",
    errno.EPERM: "没有写入权限，请换一个输出文件夹（-o）",
    errno.ENAMETOOLONG: "路径或文件名过长，请换一个较短的输出文件夹（-o）",
    errno.EIO: "磁盘读写出错，请检查磁盘或 U 盘后重试",
    errno.EFBIG: "文件过大，所在的磁盘不支持",
}


def reason(exc: OSError) -> str:
    """What went wrong writing, and what to do, in Chinese."""
    return _REASONS.get(exc.errno or 0, f"系统错误（错误号 {exc.errno}），请检查磁盘和文件夹后重试")


def _locked(path: Path) -> OutputError:
    return OutputError(f"{path}: 无法写入：文件可能正在 Word 或 WPS 中打开，请关闭后重试")


def write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write every file or none: all are staged as temp files first, then moved into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(dir=target.parent, prefix=".~", suffix=target.suffix)
            except PermissionError:
                raise OutputError(f"{target.parent}: 没有写入权限，请换一个输出文件夹（-o）") from None
            except OSError as exc:
                raise OutputError(f"{target.parent}: 无法创建文件夹或文件：{reason(exc)}") from None
            staged.append((Path(name), target))
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
            except OSError as exc:
                raise OutputError(f"{target}: 无法写入：{reason(exc)}") from None
        for tmp, target in staged:
            try:
                os.replace(tmp, target)
            except PermissionError:
                raise _locked(target) from None
            except OSError as exc:
                raise OutputError(f"{target}: 无法写入：{reason(exc)}") from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return list(files)
