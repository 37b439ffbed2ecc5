"""Work spread over processes in chunks, results as they come (render and validate share it)."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _chunk(fn: Callable[[T], R], items: list[T]) -> list[R]:
    return [fn(item) for item in items]


def workers_for(jobs: int | None, count: int) -> int:
    """How many processes: ``jobs`` or one per core, never more than there is work."""
    return max(1, min(jobs or os.cpu_count() or 1, count))


def map_chunked(fn: Callable[[T], R], items: Sequence[T], workers: int) -> Generator[R, None, None]:
    """``fn`` over ``items``, in this process when one worker will do, else in ``workers``
    processes, several items per task (one round trip each); results in completion order.
    ``fn`` must be a module-level function. Closing the iterator early cancels what is left."""
    if workers <= 1 or len(items) <= 1:
        yield from (fn(item) for item in items)
        return
    size = max(1, min(16, len(items) // (workers * 4)))
    executor = ProcessPoolExecutor(workers)
    try:
        pending: set[Future[list[R]]] = {
            executor.submit(_chunk, fn, list(items[i:i + size])) for i in range(0, len(items), size)
        }
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield from future.result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
