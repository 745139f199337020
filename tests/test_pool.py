"""``corpus.pool.map_ordered``: the tasks' results in their order, in-process or in a pool, and a
worker that dies costs time, never a result."""

from __future__ import annotations

import os

import pytest

from pinghu_core.corpus import pool

PARENT = os.getpid()


def square(x: int) -> int:
    return x * x


def die_in_a_worker(x: int) -> int:
    """Kills the worker process it runs in (as the OOM killer would); in the test process it works."""
    if os.getpid() != PARENT:
        os._exit(9)
    return -x


def fail(x: int) -> int:
    raise ValueError(f"bad {x}")


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_in_the_tasks_order_and_every_task_reports_done(workers):
    done: list[int] = []
    assert pool.map_ordered(square, [(i,) for i in range(20)], workers, done.append) == [
        i * i for i in range(20)
    ]
    assert sorted(done) == list(range(20))


def test_no_task_no_pool():
    assert pool.map_ordered(square, [], 2) == []


def test_a_dead_worker_costs_time_not_a_result():
    assert pool.map_ordered(die_in_a_worker, [(1,), (2,), (3,)], 2) == [-1, -2, -3]


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_of_the_function_is_raised_as_in_process(workers):
    with pytest.raises(ValueError, match="bad"):
        pool.map_ordered(fail, [(1,), (2,)], workers)
