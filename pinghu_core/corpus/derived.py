"""Results computed once per corpus and kept with its parse cache: the places each article names,
its theme hits, the search index's normalised texts (a :class:`TextStore`), the corpus' slogans.

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

import bisect
import hashlib
import logging
import os
import tempfile
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import numpy as np
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


def texts_path_of(root: Path, name: str, parts: Iterable[str]) -> Path:
    return root / FOLDER / f"{name}-{key_of(list(parts))}{TEXTS_SUFFIX}"


class Stored(NamedTuple):
    """One stored result's identity: its name and the parts of its key; ``texts``: kept as a
    :class:`TextStore` (else a Parquet frame)."""

    name: str
    parts: tuple[str, ...]
    texts: bool = False


def is_stored(root: Path | None, stored: Stored) -> bool:
    """Whether ``stored`` is kept under ``root`` (its file exists; whether it reads is known only
    when it is read — a broken one is computed again then)."""
    if root is None:
        return False
    of = texts_path_of if stored.texts else path_of
    return of(root, stored.name, stored.parts).exists()


def load_stored(
    root: Path | None, name: str, parts: Iterable[str], schema: schemas.FrameSpec | None = None
) -> pd.DataFrame | None:
    """The stored result ``name`` for ``parts`` (conformed to ``schema`` when given), or None when
    it is not stored or cannot be read (then computed again by :func:`load_or_build`)."""
    if root is None:
        return None
    path = path_of(root, name, list(parts))
    if not path.exists():
        return None
    try:
        frame = _read(path, schema)
    except (OSError, pa.ArrowException, ValueError) as exc:
        log.warning("derived result %s unreadable, computing it again: %s", path, exc)
        return None
    return schemas.conform(frame, schema) if schema is not None else frame


def _read(path: Path, schema: schemas.FrameSpec | None = None) -> pd.DataFrame:
    """A stored result as a frame; a column of ``schema`` whose values repeat (an open category) is
    read as Arrow's dictionary, each distinct text once — never as every row's copy first."""
    present = [n for n in pq.read_schema(path).names if n in _repeated(schema)]
    # text columns as pandas' Arrow-backed strings, the dtype a schema's text column has: wrapped,
    # not copied into another string array and then again by schemas.conform.  The file mapped, not
    # read into buffers, and its columns converted one after another, not by a thread each at once:
    # ten papers' people peaked 56 MB lower and kept 22 MB less (bench_scale, 2026-12-05).
    table = pq.read_table(path, read_dictionary=present or None, memory_map=True)
    return table.to_pandas(types_mapper=_TEXT_TYPES.get, use_threads=False)


_TEXT_TYPES = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}


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
    parts = list(parts)
    path = path_of(root, name, parts)
    stored = load_stored(root, name, parts, schema)
    if stored is not None:
        return stored
    frame = build()
    try:
        write(path, frame, schema)
        for old in path.parent.glob(f"{name}-*.parquet"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("derived result %s not stored: %s", path, exc)
    return conform(frame)


# ---------------------------------------------------------------- results per article, kept across corpora

# beside a per-article result: each article's id and the digest of what it was computed from
ROWS_SUFFIX = ".rows"
FAMILY_KEY = b"family"  # the rows file's metadata: the key of everything but the corpus


def _as_text(value: object) -> str:
    """A cell as text for :func:`row_digests`, its length first (so that no two rows of cells join to
    the same text): a string after a mark, anything else — None, a list of names, a number — by a
    spelling that no string takes."""
    if isinstance(value, str):
        text = "s" + value
    elif value is None or value is pd.NA or (isinstance(value, float) and value != value):
        text = "n"
    elif isinstance(value, list | tuple | np.ndarray):
        text = "l" + "".join(_as_text(v) for v in value)
    else:
        text = "r" + repr(value)
    return f"{len(text)}:{text}"


def _column_texts(col: pd.Series) -> list[str]:
    """:func:`_as_text` of every cell of ``col`` (a date as nanoseconds; NaT: the smallest int64)."""
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return [_as_text(v) for v in col.to_numpy(dtype="datetime64[ns]").view("int64").tolist()]
    return [f"{len(v) + 1}:s{v}" if type(v) is str else _as_text(v) for v in col.tolist()]


def row_digests(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit digest (BLAKE2b) of each row's values, every column: two rows with the same digest
    read the same (by 1 in 2⁶⁴ otherwise); the same in every process and version of pandas."""
    columns = [_column_texts(frame[name]) for name in frame.columns]
    raw = b"".join(
        hashlib.blake2b("".join(row).encode("utf-8", "surrogatepass"), digest_size=8).digest()
        for row in zip(*columns, strict=True)
    )
    return np.frombuffer(raw, dtype="<u8").astype(np.uint64) if raw else np.zeros(0, dtype=np.uint64)


# An article's text as places, theme hits and quotes read it: their inputs, so that one digest of
# each article (:func:`text_digests`) serves all three.
ARTICLE_TEXT: tuple[str, ...] = ("article_id", "kind", "kicker", "title", "subtitle", "body")


def text_digests(articles: pd.DataFrame) -> Callable[[], np.ndarray]:
    """:func:`row_digests` of ``articles[ARTICLE_TEXT]``, computed when first asked, then kept: pass
    it as ``digests`` to each result computed from those columns of the same articles."""
    kept: list[np.ndarray] = []

    def digests() -> np.ndarray:
        if not kept:
            kept.append(row_digests(articles[list(ARTICLE_TEXT)]))
        return kept[0]

    return digests


def rows_path(path: Path) -> Path:
    return path.with_suffix(ROWS_SUFFIX)


def _write_rows(path: Path, ids: pd.Series, digests: np.ndarray, family: str) -> None:
    table = pa.table(
        {"article_id": pa.array(ids.tolist(), pa.string()), "digest": pa.array(digests, pa.uint64())}
    )
    write_table(path, table.replace_schema_metadata({FAMILY_KEY: family.encode("ascii")}))


def _earlier(
    root: Path, name: str, family: str, schema: schemas.FrameSpec | None = None
) -> tuple[dict[str, int], pd.DataFrame] | None:
    """The result ``name`` of an earlier corpus with the same ``family`` (dictionary, rules, code):
    (digest by article id, its rows), or None when there is none that reads."""
    for rows_file in sorted((root / FOLDER).glob(f"{name}-*{ROWS_SUFFIX}")):
        result_file = rows_file.with_suffix(".parquet")
        try:
            rows = pq.read_table(rows_file)
            if (rows.schema.metadata or {}).get(FAMILY_KEY) != family.encode("ascii"):
                continue
            frame = _read(result_file, schema)
        except (OSError, pa.ArrowException, ValueError) as exc:
            log.info("earlier result %s not used: %s", result_file, exc)
            continue
        ids = rows.column("article_id").to_pylist()
        return dict(zip(ids, rows.column("digest").to_pylist(), strict=True)), frame
    return None


def _by_article(
    inputs: pd.DataFrame,
    ids: pd.Series,
    digests: np.ndarray,
    earlier: tuple[dict[str, int], pd.DataFrame],
    build: Callable[[pd.DataFrame], pd.DataFrame],
    schema: schemas.FrameSpec,
) -> pd.DataFrame | None:
    """The result for ``inputs``: an earlier corpus' rows for the articles read exactly as then,
    ``build`` of the others, in the articles' order (within an article, as built); None when no
    article is the same (then the whole is built)."""
    known, frame = earlier
    same = np.fromiter(
        (known.get(i) == d for i, d in zip(ids.tolist(), digests.tolist(), strict=True)),
        dtype=bool,
        count=len(ids),
    )
    if not same.any() or not set(schema.names) <= set(frame.columns):  # nothing to keep, or another shape
        return None
    kept_ids = set(ids[same].tolist())
    earlier_ids = frame["article_id"].tolist()
    keep = np.fromiter((i in kept_ids for i in earlier_ids), dtype=bool, count=len(earlier_ids))
    parts = [schemas.conform(frame[keep], schema)]
    log.info("%s: the rows of %d articles kept, %d articles computed", schema.name, same.sum(), (~same).sum())
    if not same.all():
        parts.append(schemas.conform(build(inputs[~same]), schema))
    out = pd.concat(parts, ignore_index=True)
    position = {aid: k for k, aid in enumerate(ids.tolist())}
    out_ids = out["article_id"].tolist()
    at = np.fromiter((position.get(i, len(position)) for i in out_ids), dtype=np.int64, count=len(out_ids))
    return schemas.conform(out.iloc[np.argsort(at, kind="stable")].reset_index(drop=True), schema)


def load_or_build_by_article(
    root: Path | None,
    name: str,
    parts: Iterable[str],
    family: Iterable[str],
    make_inputs: Callable[[], pd.DataFrame],
    build: Callable[[pd.DataFrame], pd.DataFrame],
    schema: schemas.FrameSpec,
    digests: Callable[[], np.ndarray] | None = None,
) -> pd.DataFrame:
    """:func:`load_or_build` of a result made article by article: ``build(inputs)`` gives rows with
    an ``article_id``, in the order of ``inputs = make_inputs()`` (the articles, in corpus order,
    with exactly the columns the result is computed from — ``build`` sees nothing else; made only
    when the result is not stored, so reading it copies no column).

    When it is not stored for ``parts``, the result of an earlier corpus kept under ``root`` with
    the same ``family`` (``parts`` without the corpus: the dictionary, rules and code) gives the
    rows of every article whose inputs read the same (:func:`row_digests`), and only the others
    are built — a day's new page costs its own articles, not the whole corpus again.  The result
    is the same frame as building it all (tests compare them).  ``digests``: :func:`row_digests`
    of ``inputs`` when they are already known (:func:`text_digests`)."""
    parts = list(parts)
    if root is None:
        return schemas.conform(build(make_inputs()), schema)
    stored = load_stored(root, name, parts, schema)
    if stored is not None:
        return stored
    inputs = make_inputs()
    path = path_of(root, name, parts)
    family_key = key_of(["family", name, *family])
    ids = inputs["article_id"].astype(str).reset_index(drop=True)
    row_sums = row_digests(inputs) if digests is None else digests()
    if len(row_sums) != len(ids):
        raise ValueError(f"{len(row_sums)} digests for {len(ids)} articles")
    frame = None
    if ids.is_unique:
        earlier = _earlier(root, name, family_key, schema)
        if earlier is not None:
            frame = _by_article(inputs, ids, row_sums, earlier, build, schema)
    if frame is None:
        frame = schemas.conform(build(inputs), schema)
    try:
        write(path, frame, schema)
        if ids.is_unique:  # else no later corpus can tell the articles apart
            _write_rows(rows_path(path), ids, row_sums, family_key)
        for old in [*path.parent.glob(f"{name}-*.parquet"), *path.parent.glob(f"{name}-*{ROWS_SUFFIX}")]:
            if old not in (path, rows_path(path)):
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("derived result %s not stored: %s", path, exc)
    return frame


def load_or_build_texts(
    root: Path | None, name: str, parts: Iterable[str], build: Callable[[], Iterable[str]]
) -> TextStore:
    """The stored texts ``name`` for ``parts`` as a :class:`TextStore` read from its file, or the
    texts of ``build()`` (an iterable: they are written as they come, never held whole) stored for
    next time.  ``root`` None, or a store that cannot be written: the texts held in memory."""
    if root is None:
        return TextStore.from_texts(build())
    path = texts_path_of(root, name, parts)
    if path.exists():
        try:
            return TextStore.open(path)
        except (OSError, ValueError) as exc:
            log.warning("derived texts %s unreadable, computing them again: %s", path, exc)
    try:
        write_texts(path, build())
        for old in [*path.parent.glob(f"{name}-*{TEXTS_SUFFIX}"), *path.parent.glob(f"{name}-*.parquet")]:
            if old != path:
                old.unlink(missing_ok=True)
        return TextStore.open(path)
    except (OSError, ValueError) as exc:
        log.warning("derived texts %s not stored: %s", path, exc)
    return TextStore.from_texts(build())


# ---------------------------------------------------------------- stored texts

TEXTS_SUFFIX = ".u16"
TEXTS_MAGIC = b"PHTXT16\0"  # then the number of texts (int64), the code units, the offsets (int64)
TEXTS_HEAD = len(TEXTS_MAGIC) + 8
ENCODING = "utf-16-le"  # two bytes a character of Chinese text (UTF-8 takes three), as Python's own str
UNIT = 2
BLOCK_BYTES = 8 << 20  # bytes read (and scanned) at once
WINDOW_BYTES = 256 << 10  # bytes read at once for texts taken one by one
HOLD_DECODED = True  # held texts without a surrogate pair are kept as one decoded string (tests turn it off)


def _encode(text: str) -> bytes:
    return text.encode(ENCODING, "surrogatepass")


# A store up to this size is read into memory when opened (the ten-year corpus: 35 MB; a word is
# found in half the CPU time of reading it block by block); a larger one stays in its file.
IN_MEMORY_BYTES = 64 << 20


class TextStore:
    """Many texts as one run of UTF-16 code units and their offsets: the process holds the offsets
    (8 bytes a text) and, while it scans, one block of at most ``BLOCK_BYTES`` — the texts themselves
    stay in the file (in the page cache, shared by every process, not counted as theirs), read with
    ``os.pread``.  Without a file (:meth:`from_texts`) the bytes are held in memory.

    :meth:`search` finds the texts that contain a string: a byte search of the encoded string over a
    block (a hit counts when it starts on a code unit and ends inside one text) — the same answer as
    Python's ``in`` on each text, since UTF-16 encodes a string as the concatenation of its
    characters' code units, and a surrogate pair's units never encode a character by themselves."""

    def __init__(self, offsets: np.ndarray, data: bytes | None = None, fd: int | None = None) -> None:
        self.offsets = offsets  # int64, bytes from the start of the data; len(self) + 1
        self._data = data
        self._fd = fd
        # Held texts without a surrogate pair (every character one code unit) are kept decoded, as one
        # string: no decoding per text or block, and str.find / str.count search them directly.
        self._str: str | None = None
        if data is not None and HOLD_DECODED:
            text = data.decode(ENCODING, "surrogatepass")
            if len(text) * UNIT == len(data):
                self._str, self._data = text, None
                self._chars = offsets // UNIT  # where each text starts and ends in that string
        self._window: tuple[int, bytes] = (0, b"")  # the last block read by __getitem__
        if fd is not None:
            weakref.finalize(self, os.close, fd)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> TextStore:
        parts = [_encode(t) for t in texts]
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts)), out=offsets[1:])
        return cls(offsets, data=b"".join(parts))

    @classmethod
    def open(cls, path: Path) -> TextStore:
        """The store written by :func:`write_texts` (checked: its head, size and offsets)."""
        fd = os.open(path, os.O_RDONLY)
        try:
            head = os.pread(fd, TEXTS_HEAD, 0)
            if len(head) != TEXTS_HEAD or head[: len(TEXTS_MAGIC)] != TEXTS_MAGIC:
                raise ValueError(f"{path}: not a text store")
            n = int(np.frombuffer(head, dtype="<i8", count=1, offset=len(TEXTS_MAGIC))[0])
            size = os.fstat(fd).st_size
            at = size - (n + 1) * 8
            raw = os.pread(fd, (n + 1) * 8, at) if n >= 0 and at >= TEXTS_HEAD else b""
            if len(raw) != (n + 1) * 8:
                raise ValueError(f"{path}: truncated")
            offsets = np.frombuffer(raw, dtype="<i8").astype(np.int64)
            if (
                offsets[0] != 0
                or offsets[-1] != at - TEXTS_HEAD
                or (np.diff(offsets) < 0).any()
                or (offsets % UNIT).any()
            ):
                raise ValueError(f"{path}: offsets do not fit the data")
        except BaseException:
            os.close(fd)
            raise
        if int(offsets[-1]) <= IN_MEMORY_BYTES:  # a small corpus: held, searched without system calls
            try:
                data = os.pread(fd, int(offsets[-1]), TEXTS_HEAD)
            finally:
                os.close(fd)
            if len(data) != int(offsets[-1]):
                raise ValueError(f"{path}: truncated")
            return cls(offsets, data=data)
        return cls(offsets, fd=fd)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def nbytes(self) -> int:
        return int(self.offsets[-1])

    def _read(self, lo: int, hi: int) -> tuple[bytes, int]:
        """(a buffer holding the data bytes lo..hi, the data position of its first byte)."""
        if self._data is not None:
            return self._data, 0
        assert self._fd is not None
        return os.pread(self._fd, hi - lo, TEXTS_HEAD + lo), lo

    def __getitem__(self, i: int | np.integer) -> str:
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        if self._str is not None:
            return self._str[lo // UNIT : hi // UNIT]
        if self._data is not None:
            return self._data[lo:hi].decode(ENCODING, "surrogatepass")
        start, window = self._window  # texts read in order come from one block read
        if not (start <= lo and hi <= start + len(window)):
            start = lo
            window, _ = self._read(lo, max(hi, min(lo + WINDOW_BYTES, self.nbytes)))
            self._window = (start, window)
        return window[lo - start : hi - start].decode(ENCODING, "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self[i]

    def spans(self, rows: np.ndarray) -> Iterator[tuple[str, int, int]]:
        """For each of ``rows`` (ascending positions), in that order: (a string holding its text, where
        the text starts and ends in it) — so that ``pattern.findall(string, start, end)`` reads the
        text without a copy.  Where the rows cover most of a block (as in :meth:`search`) the block is
        decoded once and the rows are positions in it (if it holds no surrogate pair: then a character
        is one code unit); elsewhere each text is decoded alone, ``(text, 0, len(text))``."""
        rows = np.asarray(rows, dtype=np.int64)
        if self._str is not None:
            text = self._str
            for s, e in zip(self._chars[rows].tolist(), self._chars[rows + 1].tolist(), strict=True):
                yield text, s, e
            return
        off = self.offsets
        starts, ends = off[rows], off[rows + 1]
        i = 0
        while i < len(rows):
            j = max(i + 1, int(np.searchsorted(ends, starts[i] + BLOCK_BYTES, side="right")))
            lo, hi = int(starts[i]), int(ends[j - 1])
            if 2 * int((ends[i:j] - starts[i:j]).sum()) >= hi - lo:
                buf, base = self._read(lo, hi)
                block = buf[lo - base : hi - base].decode(ENCODING, "surrogatepass")
                if len(block) * UNIT == hi - lo:
                    firsts = ((starts[i:j] - lo) // UNIT).tolist()
                    lasts = ((ends[i:j] - lo) // UNIT).tolist()
                    for s, e in zip(firsts, lasts, strict=True):
                        yield block, s, e
                    i = j
                    continue
            for r in rows[i:j].tolist():
                text = self[r]
                yield text, 0, len(text)
            i = j

    def count(self, terms: list[str], rows: np.ndarray) -> np.ndarray:
        """Per row of ``rows``: the occurrences of ``terms`` in its text summed (``str.count`` each, so
        non-overlapping), reading the texts in file order a block at a time; a block is decoded once
        and counted text by text where it holds no surrogate pair (then a character is 2 bytes)."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros(len(rows), dtype=np.int64)
        terms = [t for t in terms if t]
        if not len(rows) or not terms:
            return out
        if self._str is not None:
            text = self._str
            bounds = zip(self._chars[rows].tolist(), self._chars[rows + 1].tolist(), strict=True)
            return np.fromiter(
                (sum(text.count(t, s, e) for t in terms) for s, e in bounds), dtype=np.int64, count=len(rows)
            )
        order = np.argsort(rows, kind="stable")
        sorted_rows = rows[order]
        off = self.offsets
        starts, ends = off[sorted_rows], off[sorted_rows + 1]
        counts = np.zeros(len(rows), dtype=np.int64)
        i = 0
        while i < len(sorted_rows):
            j = max(i + 1, int(np.searchsorted(ends, starts[i] + BLOCK_BYTES, side="right")))
            lo, hi = int(starts[i]), int(ends[j - 1])
            buf, base = self._read(lo, hi)
            text = buf[lo - base : hi - base].decode(ENCODING, "surrogatepass")
            if len(text) * UNIT == hi - lo:  # one character per code unit
                for k in range(i, j):
                    s, e = (int(starts[k]) - lo) // UNIT, (int(ends[k]) - lo) // UNIT
                    counts[k] = sum(text.count(t, s, e) for t in terms)
            else:
                for k in range(i, j):
                    one = buf[int(starts[k]) - base : int(ends[k]) - base].decode(ENCODING, "surrogatepass")
                    counts[k] = sum(one.count(t) for t in terms)
            i = j
        out[order] = counts
        return out

    def search(self, term: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the rows looked at: ``rows`` — sorted positions — and maybe others, sorted; those of them
        whose text contains ``term``).  Where ``rows`` cover most of a block, the whole block is
        scanned (one byte search for all its texts); elsewhere each text of ``rows`` alone."""
        rows = np.asarray(rows, dtype=np.int64)
        needle = _encode(term)
        if not len(rows) or not needle:
            return rows, rows  # '' is in every text
        if self._str is not None:
            return self._search_str(term, rows)
        off = self.offsets
        starts, ends = off[rows], off[rows + 1]
        looked: list[np.ndarray] = []
        hits: list[int] = []
        i = 0
        while i < len(rows):
            j = max(i + 1, int(np.searchsorted(ends, starts[i] + BLOCK_BYTES, side="right")))
            a, b = int(rows[i]), int(rows[j - 1]) + 1
            lo, hi = int(off[a]), int(off[b])
            if 2 * int((ends[i:j] - starts[i:j]).sum()) >= hi - lo:
                buf, base = self._read(lo, hi)
                hits += _hits_in_block(buf, base, needle, off[a : b + 1].tolist(), a)
                looked.append(np.arange(a, b, dtype=np.int64))
            else:
                for r, s, e in zip(rows[i:j].tolist(), starts[i:j].tolist(), ends[i:j].tolist(), strict=True):
                    buf, base = self._read(s, e)
                    if _contains(buf, needle, s - base, e - base):
                        hits.append(r)
                looked.append(rows[i:j])
            i = j
        return np.concatenate(looked), np.asarray(hits, dtype=np.int64)

    def _search_str(self, term: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`search` of the held decoded texts: the same blocks, ``str.find`` instead of bytes."""
        assert self._str is not None
        text, chars = self._str, self._chars
        block = BLOCK_BYTES // UNIT
        starts, ends = chars[rows], chars[rows + 1]
        looked: list[np.ndarray] = []
        hits: list[int] = []
        i = 0
        while i < len(rows):
            j = max(i + 1, int(np.searchsorted(ends, starts[i] + block, side="right")))
            a, b = int(rows[i]), int(rows[j - 1]) + 1
            if 2 * int((ends[i:j] - starts[i:j]).sum()) >= int(chars[b]) - int(chars[a]):
                hits += _hits_in_text(text, term, chars[a : b + 1].tolist(), a)
                looked.append(np.arange(a, b, dtype=np.int64))
            else:
                find = text.find
                for r, s, e in zip(rows[i:j].tolist(), starts[i:j].tolist(), ends[i:j].tolist(), strict=True):
                    if find(term, s, e) >= 0:
                        hits.append(r)
                looked.append(rows[i:j])
            i = j
        return np.concatenate(looked), np.asarray(hits, dtype=np.int64)


def _hits_in_text(text: str, term: str, bounds: list[int], first: int) -> list[int]:
    """Rows (``first`` + i, the text from ``bounds[i]`` to ``bounds[i + 1]`` of ``text``) that contain
    ``term``: one search over the run of texts, going on after each hit from the end of its text."""
    found: list[int] = []
    m, r = len(term), 0
    p, end = bounds[0], bounds[-1]
    find = text.find
    while True:
        p = find(term, p, end)
        if p < 0:
            return found
        r = bisect.bisect_right(bounds, p, r) - 1
        if p + m <= bounds[r + 1]:
            found.append(first + r)
            p = bounds[r + 1]
        else:  # runs into the next text
            p += 1


def _contains(buf: bytes, needle: bytes, s: int, e: int) -> bool:
    """Whether ``buf[s:e]`` holds ``needle`` starting on a code unit (``s`` is on one)."""
    p = buf.find(needle, s, e)
    while p >= 0 and (p - s) % UNIT:
        p = buf.find(needle, p + 1, e)
    return p >= 0


def _hits_in_block(buf: bytes, base: int, needle: bytes, bounds: list[int], first: int) -> list[int]:
    """Rows (``first`` + i, the text from ``bounds[i]`` to ``bounds[i + 1]``, data positions; ``buf``
    starts at ``base``) whose text contains ``needle``: one byte search over the block, going on
    after each hit from the end of its text."""
    found: list[int] = []
    m, r = len(needle), 0
    p, end = bounds[0] - base, bounds[-1] - base
    while True:
        p = buf.find(needle, p, end)
        if p < 0:
            return found
        q = p + base
        if q % UNIT:  # inside a code unit
            p += 1
            continue
        r = bisect.bisect_right(bounds, q, r) - 1
        if q + m <= bounds[r + 1]:
            found.append(first + r)
            p = bounds[r + 1] - base
        else:  # runs into the next text
            p += UNIT


def write_texts(path: Path, texts: Iterable[str]) -> None:
    """Write a :class:`TextStore` file atomically, the texts encoded as they come."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(TEXTS_MAGIC + b"\0" * 8)
            lengths = array("q")
            for text in texts:
                raw = _encode(text)
                out.write(raw)
                lengths.append(len(raw))
            offsets = np.zeros(len(lengths) + 1, dtype="<i8")
            np.cumsum(np.frombuffer(lengths, dtype=np.int64), out=offsets[1:])
            out.write(offsets.tobytes())
            out.seek(len(TEXTS_MAGIC))
            out.write(np.asarray([len(lengths)], dtype="<i8").tobytes())
        os.chmod(tmp, 0o644)  # like the other cache files (mkstemp makes it private)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


TEXT_ROWS = 8192  # rows per Parquet row group of a stored result


def write(path: Path, frame: pd.DataFrame, schema: schemas.FrameSpec | None = None) -> None:
    """Write a result; a column of ``schema`` whose values repeat (an open category) as plain text:
    Parquet dictionary-encodes each row group's own values, where an Arrow dictionary is written
    whole into every row group (ten papers' people: 199 MB instead of 20, and slow to read)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name in _repeated(schema) & set(table.column_names):
        at = table.schema.get_field_index(name)
        table = table.set_column(at, name, table.column(name).cast(pa.large_string()))
    write_table(path, table)


def _repeated(schema: schemas.FrameSpec | None) -> set[str]:
    """The columns of ``schema`` whose values repeat (open categories)."""
    return {c.name for c in schema.columns if c.dtype == "category" and not c.categories} if schema else set()


def write_table(path: Path, table: pa.Table) -> None:
    """Write a Parquet file atomically (a temporary file, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp, row_group_size=TEXT_ROWS)
        os.chmod(tmp, 0o644)  # like the other cache files (mkstemp makes it private)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
