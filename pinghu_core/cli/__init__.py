"""The ``pinghu`` command: one module per command group."""

from pinghu_core.common import memory

memory.prefer_system_allocator()  # before the commands' modules load pyarrow (pinghu_core.common.memory)
