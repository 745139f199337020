"""Results computed once per corpus and kept with its parse cache: the places each article names,
its theme hits, the search index's normalised texts, the corpus' slogans.

They do not depend on what a user picks, only on the corpus, a dictionary and the code that
computes them, so ``pinghu ingest`` computes them next to the parse and word caches and every
server process (several behind nginx, or one after a restart) reads them instead of computing
them again (the places alone took seconds on the ten-year corpus).

A stored result is one Parquet file, ``<cache root>/derived/<name>-<key>.parquet``; the key is a
digest of everything it depends on (:func:`key_of`: the corpus fingerprint, the dictionary's
digest, the source of the modules that compute it).  Written atomically (a temporary file, then
renamed), so two processes building the same result at once both end with a whole file; older
files of the same name are removed after a write.  A file that cannot be read is computed again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pinghu_core.common import schemas

log = logging.getLogger(__name__)
FOLDER = "derived"


def source_digest(*modules: ModuleType) -> str:
    """A digest of the modules' source files: a code change gives new keys."""
    h = hashlib.blake2b(digest_size=8)
    for module in modules:
        h.update(Path(module.__file__ or "").read_bytes())
    return h.hexdigest()


def key_of(parts: Iterable[str]) -> str:
    h = hashlib.blake2b(digest_size=10)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def path_of(root: Path, name: str, parts: Iterable[str]) -> Path:
    return root / FOLDER / f"{name}-{key_of(parts)}.parquet"


def load_or_build(
    root: Path | None,
    name: str,
    parts: Iterable[str],
    build: Callable[[], pd.DataFrame],
    schema: schemas.FrameSpec | None = None,
) -> pd.DataFrame:
    """The stored result ``name`` for ``parts``, or ``build()`` stored for next time; conformed to
    ``schema`` when given (Parquet keeps the values, not every pandas dtype).

    ``root`` None (no cache folder) just builds.  A store that cannot be written is logged and the
    result returned anyway: the cache is an optimisation, never a reason to fail a page."""
    conform = (lambda f: schemas.conform(f, schema)) if schema is not None else (lambda f: f)
    if root is None:
        return conform(build())
    path = path_of(root, name, list(parts))
    if path.exists():
        try:
            return conform(pq.read_table(path).to_pandas())
        except (OSError, pa.ArrowException, ValueError) as exc:
            log.warning("derived result %s unreadable, computing it again: %s", path, exc)
    frame = build()
    try:
        write(path, frame)
        for old in path.parent.glob(f"{name}-*.parquet"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("derived result %s not stored: %s", path, exc)
    return conform(frame)


def load_or_build_texts(
    root: Path | None, name: str, parts: Iterable[str], column: str, build: Callable[[], pd.DataFrame]
) -> list[str]:
    """:func:`load_or_build` of a frame whose ``column`` is wanted as a list of Python strings (what
    ``in`` scans), read from the stored file one row group at a time: the column never exists whole
    in Arrow and as strings at once (on the ten-times corpus 520 MB of Arrow text next to 360 MB of
    strings, and the freed Arrow memory was kept by the process)."""
    if root is not None:
        path = path_of(root, name, list(parts))
        if path.exists():
            try:
                texts: list[str] = []
                for batch in pq.ParquetFile(path).iter_batches(batch_size=TEXT_ROWS, columns=[column]):
                    texts.extend(t if t is not None else "" for t in batch.column(0).to_pylist())
                pa.default_memory_pool().release_unused()
                return texts
            except (OSError, pa.ArrowException, ValueError, KeyError) as exc:
                log.warning("derived result %s unreadable, computing it again: %s", path, exc)
    frame = load_or_build(root, name, parts, build)
    return [str(t) for t in frame[column].fillna("")]


TEXT_ROWS = 8192  # rows per Parquet row group of a stored result (and per batch read back)


def write(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp, row_group_size=TEXT_ROWS)
        os.chmod(tmp, 0o644)  # like the other cache files (mkstemp makes it private)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
