"""Where Arrow's buffers come from: the C library's ``malloc``, not pyarrow's bundled mimalloc.

pyarrow's wheels allocate from mimalloc by default.  It reserves its arenas with
``madvise(MADV_HUGEPAGE)`` and hands freed memory back to the system within milliseconds, so on
Linux with transparent huge pages on ``madvise`` (the default of Debian, Ubuntu and most
distributions) the next use of that memory is a page fault that zeroes a whole 2 MB page — again
and again as tables are built, written and dropped.  Measured on this project's machine
(bench/README.md): the cold ``pinghu ingest`` of the ten-year corpus spent 7.3–7.6 s of system
time (``perf``: ``clear_page_erms`` under ``do_huge_pmd_anonymous_page``, 9.4% of all samples, in
the process that writes the cache) and took 30.2–30.3 s; with the system allocator 2.2–2.9 s and
24.4–25.5 s, the same CPU in Python.  Page runs in the dashboard are within 2% either way.

Two steps, because Arrow reads its variable ``ARROW_DEFAULT_MEMORY_POOL`` once, when pyarrow
loads: :func:`prefer_system_allocator` names the system allocator there before anything imports
pyarrow (the ``pinghu`` command's package and ``dashboard.py`` call it first; processes they start
inherit it); :func:`use_system_allocator` makes it pyarrow's default pool in a process where
pyarrow was loaded already (the app shell, each pool worker).  Someone who chose another
allocator in ``ARROW_DEFAULT_MEMORY_POOL`` keeps it.
"""

from __future__ import annotations

import os

ENV = "ARROW_DEFAULT_MEMORY_POOL"  # Arrow's own choice of allocator, read when pyarrow loads
SYSTEM = "system"


def prefer_system_allocator() -> None:
    """Name the system allocator in ``ARROW_DEFAULT_MEMORY_POOL`` unless it names one already
    (call before pyarrow is imported; this module does not import it)."""
    if not os.environ.get(ENV, "").strip():
        os.environ[ENV] = SYSTEM


def use_system_allocator() -> str:
    """Make the system allocator pyarrow's default pool unless ``ARROW_DEFAULT_MEMORY_POOL`` names
    another (and name it there for the processes this one starts); the name of the default pool's
    backend afterwards."""
    import pyarrow as pa

    prefer_system_allocator()  # the variable now names an allocator: the user's, or the system's
    if os.environ[ENV].strip() == SYSTEM and pa.default_memory_pool().backend_name != SYSTEM:
        pa.set_memory_pool(pa.system_memory_pool())
    return pa.default_memory_pool().backend_name
