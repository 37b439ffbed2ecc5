"""Other processes, as far as chuangcheng looks at them: whether one still runs (stale staged
files, orphaned workers), on Windows, macOS and Linux. Kept apart from :mod:`.parallel`, whose
process pools a one-file run never needs to import."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def kernel32():  # type: ignore[no-untyped-def]
    """Windows' kernel32 with the signatures used here (a HANDLE is pointer-sized)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.WaitForSingleObject.argtypes = (wintypes.HANDLE, wintypes.DWORD)
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    return kernel32


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` is still running (on Windows, macOS and Linux); a process we may
    not look at (another user's) counts as running."""
    if pid == os.getpid():
        return True
    if not 0 < pid < 2**31:
        return False  # no process has such an id
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        k32 = kernel32()
        handle = k32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists  # type: ignore[attr-defined,unused-ignore]
        code = wintypes.DWORD()
        k32.GetExitCodeProcess(handle, ctypes.byref(code))
        k32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass  # another user's process
    try:  # on Linux a killed process may linger as a zombie until it is reaped
        return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True
