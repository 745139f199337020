"""The corpus folder: which files, loading them all (workers, cache, report), uploads."""
