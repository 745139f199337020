"""Work spread over the machine's cores: ``map_ordered(fn, tasks, workers)`` is ``[fn(*t) for t in
tasks]``, in a process pool when there is more than one worker and more than one task.

The pool is the parse's (:func:`ingest.pool_context`: ``fork`` from a single-threaded process,
``forkserver`` inside a server, whose threads make forking unsafe) and its workers die with the
process that started them (:func:`ingest.worker_init`).  A task whose worker failed (a killed
process, a broken pool) is run again here, so a crash costs time, never a result; an exception of
``fn`` itself is raised as it would be in-process.  ``fn`` and the tasks' arguments must pickle: a
module-level function and plain data.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from pinghu_core.corpus import ingest

log = logging.getLogger(__name__)

T = TypeVar("T")


def map_ordered(
    fn: Callable[..., T],
    tasks: Sequence[tuple[Any, ...]],
    workers: int,
    done: Callable[[int], None] | None = None,
) -> list[T]:
    """``fn(*task)`` of every task, in the tasks' order; ``done(i)`` after task ``i`` finished (in
    the order they finish)."""
    out: list[Any] = [None] * len(tasks)
    if workers <= 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            out[i] = fn(*task)
            if done is not None:
                done(i)
        return out
    with ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=ingest.pool_context(),
        initializer=ingest.worker_init,
        initargs=(os.getpid(),),
    ) as executor:
        futures = {executor.submit(fn, *task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                out[i] = future.result()
            except BrokenProcessPool as exc:  # the worker died, not fn: do the task here
                log.warning("a worker died (%s); running its task in this process", exc)
                out[i] = fn(*tasks[i])
            if done is not None:
                done(i)
    return out


def map_counted(
    fn: Callable[..., T],
    tasks: Sequence[tuple[Any, ...]],
    workers: int,
    progress: Callable[[int, int, str], None] | None,
    stage: str,
) -> list[T]:
    """:func:`map_ordered` of tasks whose first argument is a batch of items (articles):
    ``progress(items done, items, stage)`` before the first task and after each."""
    total = sum(len(t[0]) for t in tasks)
    finished = 0

    def step(i: int) -> None:
        nonlocal finished
        finished += len(tasks[i][0])
        if progress is not None:
            progress(finished, total, stage)

    if progress is not None:
        progress(0, total, stage)
    return map_ordered(fn, tasks, workers, step)
