"""Work spread over processes in chunks, results as they come (render and validate share it).

Each item is isolated: an exception in ``fn`` becomes that item's ``fallback`` result, and a
worker that dies (killed, out of memory) costs only the item it was on — the rest are done
again, the culprit found by running them one at a time. Workers exit on their own when the
process that started them is gone, so a killed run leaves nothing writing behind it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from .errors import Diagnostic
from .processes import kernel32, pid_alive

T = TypeVar("T")
R = TypeVar("R")
Fallback = Callable[[T, BaseException], R]

_POLL_SECONDS = 0.5


def crash_diagnostic(file: str, exc: BaseException) -> Diagnostic:
    """What to say of a file the program itself failed on (a bug, or its worker died)."""
    what = ("进程意外退出（可能是内存不足或被系统结束）" if isinstance(exc, BrokenProcessPool)
            else f"程序出错（{type(exc).__name__}）")
    return Diagnostic(file, 1, 1, "文件", f"内部错误：处理这个文件时{what}；这是 chuangcheng 的问题，"
                      "其他文件不受影响。请把这个文件发给维护者", code="CC101")


def _one(fn: Callable[[T], R], fallback: Fallback[T, R], item: T) -> R:
    try:
        return fn(item)
    except Exception as exc:  # a bug in one item must not stop the others: it becomes its result
        return fallback(item, exc)


def _chunk(fn: Callable[[T], R], fallback: Fallback[T, R], items: list[T]) -> list[R]:
    return [_one(fn, fallback, item) for item in items]


def _watch_parent(parent: int) -> None:
    """In a worker: exit at once when ``parent`` is gone (it was killed, or crashed)."""
    if sys.platform == "win32":
        k32 = kernel32()
        handle = k32.OpenProcess(0x00100000, False, parent)  # SYNCHRONIZE
        if handle:
            k32.WaitForSingleObject(handle, 0xFFFFFFFF)  # until the parent ends
            os._exit(1)
        # no handle (rights, a sandbox): the poll below
    elif sys.platform.startswith("linux"):
        try:  # the kernel sends SIGKILL when the parent dies; the poll below covers the rest
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    first = os.getppid()  # ``parent`` itself, or a fork server that ends with it
    while True:
        if os.getppid() != first or not pid_alive(parent):
            os._exit(1)
        threading.Event().wait(_POLL_SECONDS)


def _init_worker(parent: int) -> None:
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="chuangcheng-watch").start()


def workers_for(jobs: int | None, count: int) -> int:
    """How many processes: ``jobs`` or one per core, never more than there is work."""
    return max(1, min(jobs or os.cpu_count() or 1, count))


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(os.getpid(),))


def map_chunked(fn: Callable[[T], R], items: Sequence[T], workers: int,
                fallback: Fallback[T, R]) -> Generator[R, None, None]:
    """``fn`` over ``items``, in this process when one worker will do, else in ``workers``
    processes, several items per task (one round trip each); results in completion order,
    one per item (``fallback(item, exc)`` for an item that raised or whose worker died).
    ``fn`` and ``fallback`` must be module-level functions. Closing the iterator early cancels
    what is left."""
    if workers <= 1 or len(items) <= 1:
        yield from (_one(fn, fallback, item) for item in items)
        return
    size = max(1, min(16, len(items) // (workers * 4)))
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
    left = yield from _in_pool(fn, fallback, chunks, workers)
    if left:  # a worker died: the rest again, in a new pool, then one by one
        left = yield from _in_pool(fn, fallback, [[item] for item in left], workers)
    for item in left:
        yield from _alone(fn, fallback, item)


def _in_pool(fn: Callable[[T], R], fallback: Fallback[T, R], chunks: list[list[T]],
             workers: int) -> Generator[R, None, list[T]]:
    """Run ``chunks``; return the items not done because the pool broke."""
    executor = _pool(workers)
    left: list[T] = []
    try:
        pending: dict[Future[list[R]], list[T]] = {}
        for n, chunk in enumerate(chunks):
            try:
                pending[executor.submit(_chunk, fn, fallback, chunk)] = chunk
            except BrokenProcessPool:  # a worker died while the rest were being handed out
                left += [item for rest in chunks[n:] for item in rest]
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = pending.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    left += chunk
                    continue
                yield from results
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return left


def _alone(fn: Callable[[T], R], fallback: Fallback[T, R], item: T) -> Generator[R, None, None]:
    """One item in a process of its own: if that process dies, the item is the one to blame."""
    executor = _pool(1)
    try:
        yield executor.submit(_one, fn, fallback, item).result()
    except BrokenProcessPool as exc:
        yield fallback(item, exc)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
