"""Arrow's buffers come from the system allocator in every process of ours — the ``pinghu`` command,
the dashboard, each pool worker, forked or started by a forkserver — unless the user named another
allocator in Arrow's own ``ARROW_DEFAULT_MEMORY_POOL`` (``pinghu_core.common.memory``).

Each case runs in a fresh interpreter: which allocator pyarrow uses is fixed when it loads."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pinghu_core.common import memory

ROOT = Path(__file__).resolve().parent.parent


def backend_in_fresh_python(code: str, env_value: str | None = None) -> str:
    """The last line ``code`` prints, run by a fresh interpreter in the project folder, with
    ``ARROW_DEFAULT_MEMORY_POOL`` unset or set to ``env_value``."""
    env = {k: v for k, v in os.environ.items() if k != memory.ENV}
    if env_value is not None:
        env[memory.ENV] = env_value
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_a_fresh_pyarrow_uses_mimalloc_so_the_choice_is_ours_to_make():
    """The premise: without our call, pyarrow's wheel allocates from mimalloc (if a future wheel
    defaults to the system allocator, this module can go)."""
    assert backend_in_fresh_python("import pyarrow as pa; print(pa.default_memory_pool().backend_name)") in (
        "mimalloc",
        "jemalloc",
    )


@pytest.mark.parametrize(
    "entry",
    [
        "import pinghu_core.cli.main",  # the pinghu command (python -m pinghu_core, the console script)
        "import dashboard",  # streamlit runs dashboard.py
    ],
)
def test_the_command_and_the_dashboard_name_the_system_allocator_before_pyarrow_loads(entry):
    code = f"""
        {entry}
        import os, pyarrow as pa
        print(os.environ.get("{memory.ENV}"), pa.default_memory_pool().backend_name)
    """
    assert backend_in_fresh_python(code) == "system system"


def test_a_process_that_loaded_pyarrow_first_switches_when_the_shell_or_a_worker_starts():
    code = """
        import pyarrow as pa
        before = pa.default_memory_pool().backend_name
        from pinghu_core.common import memory
        after = memory.use_system_allocator()
        table = pa.table({"t": ["平湖" * 50] * 1000})  # built from the default pool
        print(before, after, pa.system_memory_pool().bytes_allocated() > 0)
    """
    before, after, used = backend_in_fresh_python(code).split()
    assert before != "system" and after == "system" and used == "True"


def test_the_users_own_choice_stays():
    code = """
        from pinghu_core.common import memory
        memory.prefer_system_allocator()
        import pyarrow as pa
        print(memory.use_system_allocator())
    """
    assert backend_in_fresh_python(code, env_value="mimalloc") == "mimalloc"
    assert backend_in_fresh_python(code, env_value="system") == "system"
    assert backend_in_fresh_python(code) == "system"


@pytest.mark.parametrize("threaded", [False, True], ids=["fork", "forkserver"])
def test_every_pool_worker_allocates_from_the_system(threaded):
    """A forked worker inherits the parent's pool; a forkserver's (chosen when threads run, as in the
    dashboard) was started with pyarrow on mimalloc and switches in ``worker_init``."""
    code = f"""
        import threading, time
        import pyarrow as pa
        from pinghu_core.corpus import ingest, pool
        from pinghu_core.common import memory
        import tests.test_memory_pool as t
        memory.use_system_allocator()
        if {threaded}:
            threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
        method = ingest.pool_context().get_start_method()
        print(method, *sorted(set(pool.map_ordered(t.worker_backend, [(i,) for i in range(4)], 2))))
    """
    method, *backends = backend_in_fresh_python(code).split()
    assert method == ("forkserver" if threaded else "fork")
    assert backends == ["system"]


def worker_backend(_: int) -> str:
    import pyarrow as pa

    return pa.default_memory_pool().backend_name
