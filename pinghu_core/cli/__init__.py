"""The ``pinghu`` command: one module per command group."""
