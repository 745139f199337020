"""``python -m pinghu_core`` runs the ``pinghu`` command (see :mod:`pinghu_core.cli.main`)."""

from pinghu_core.cli.main import main

if __name__ == "__main__":  # guard: worker processes may re-import the main module
    raise SystemExit(main())
