"""Load a whole corpus folder into frames, with a Parquet cache and a per-file report.

``load_corpus`` is the one entry point for the dashboard and the CLI.  Steps:

1. scan the folder (stat only) and read ``manifest.csv``;
2. for each file, find its content hash: from the cache's stat index when size and mtime are
   unchanged, else by reading the file;
3. drop duplicate content (keep the first), reuse cached results whose key (content hash,
   source path, manifest entry, the file's shape, 版次 and article order — ``shapes.file_shape``;
   parser version via the cache folder) is unchanged;
4. parse the rest, in a process pool when there are many; each file within its own time budget
   (setting ``parse_timeout_seconds``), and anything that goes wrong while a file becomes rows and
   frames is that file's error row in the report, never the whole load's (see :func:`parse_chunk`);
5. write the cache back (atomically) when anything changed.

Cache layout, under ``cache_dir/v{PARSER_VERSION}/corpus-<hash of the corpus path>/``:
``index.json`` names one generation of ``files-<token>.arrow`` (stat index and per-file
outcome), ``pages-<token>.arrow``, ``articles-<token>.arrow`` and ``progress-<token>.arrow``
(progress figures, extracted while parsing; project ids are assigned on every load from
``data/projects.toml``, so editing that file needs no re-parse).  The files are Arrow IPC files,
uncompressed: a load maps them into memory and the frames' text columns are views of the mapped
file (nothing is decoded or copied; several server processes share the pages).  A cache of the
previous format (Parquet, ``CACHE_FORMAT`` 2) is still read, and rewritten in the new one.
A warm load whose files all match the cached stat index, manifest and shape rules takes the
cached outcomes as a whole (:func:`_cached_outcomes`) instead of deciding each file again.  A new generation is
written under new names and then published by replacing ``index.json``, so a reader never
sees a half-written cache; a generation that fails half-way is removed.  ``index.json`` records
each file's SHA-256, checked on every load: a damaged file discards the cache (rebuilt, with a
report row ``（解析缓存）``).  Pool workers die with the process that started them (:func:`worker_init`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import logging
import mmap
import multiprocessing as mp
import os
import sys
import threading
import time
import uuid
import warnings
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from pinghu_core.common import datafiles, memory, schemas, settings
from pinghu_core.corpus import copies, derived, shapes
from pinghu_core.corpus import files as corpus_files
from pinghu_core.corpus.files import (
    MANIFEST_NAME,
    WRITING_MESSAGE,
    Manifest,
    PageFile,
    Skipped,
    fingerprint,
    manifest_key,
    read_manifest,
    scan_folder,
    split_settled,
    stat_key,
)
from pinghu_core.parse import budget, pipeline, projects, reading
from pinghu_core.parse.dates import ManifestEntry

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]  # (done, total, Chinese stage label)
ArticleHook = Callable[[pd.DataFrame], object]  # a parse worker's articles → something picklable
Meanwhile = Callable[[], object]  # work for this process while a pool of workers parses
STAGE_PARSE = "解析版面"

MIN_PARALLEL = 16  # fewer files to parse than this: parse in-process
MAX_CHUNK = 64  # files per pool task
CACHE_FORMAT = 3  # 2: index.json records each file's SHA-256 (Parquet files); 3: Arrow IPC files
READABLE_FORMATS = {2: ".parquet", 3: ".arrow"}  # cache format → suffix of its files
STALE_SECONDS = 30.0  # unreferenced cache files older than this are deleted
PARSE_FAILED, DUPLICATE, PAGE_PROBLEMS, MANIFEST = "parse_failed", "duplicate", "page_problems", "manifest"
WRITING = "writing"  # report code of a file still being written (read on a later load)
TIMEOUT = "timeout"  # report code of a file abandoned after parse_timeout_seconds
CACHE = "cache"  # report code of the row saying the cache was damaged (rebuilt) or could not be written
CACHE_SOURCE = "（解析缓存）"
FILE_COLUMNS = (
    "source",
    "size",
    "mtime_ns",
    "sha256",
    "manifest_key",
    "status",
    "code",
    "message",
    "encoding",
    "has_result",
)
_FILES_SCHEMA = pa.schema(
    [
        (c, pa.int64() if c in ("size", "mtime_ns") else pa.bool_() if c == "has_result" else pa.string())
        for c in FILE_COLUMNS
    ]
)


class CorpusError(Exception):
    """The corpus cannot be loaded at all (e.g. its folder is missing); the message is Chinese."""


class CacheWarning(UserWarning):
    """The cache was unusable (discarded and rebuilt) or could not be written."""


@dataclass
class Corpus:
    """Everything loaded from one corpus folder (or from a list of files)."""

    articles: pd.DataFrame
    pages: pd.DataFrame
    report: pd.DataFrame
    corpus_dir: Path | None
    fingerprint: str
    stats: dict = field(default_factory=dict)
    progress: pd.DataFrame = field(default_factory=schemas.PROGRESS.empty)  # PROGRESS frame
    extras: list = field(default_factory=list)  # what the ``hook`` of load_corpus returned, per parsed chunk
    # the articles left out because another file of their 版面 holds them (corpus.copies)
    copies: pd.DataFrame = field(default_factory=schemas.ARTICLE_COPIES.empty)


@dataclass
class Job:
    """One file to parse; picklable, sent to worker processes."""

    source: str
    hint: str
    data: bytes
    page_id: str
    entry: ManifestEntry | None
    shape: str = shapes.PAGE  # a whole page, or one article (shapes.file_shape)
    page_no: str = ""  # 版次 from the manifest or the name
    order: int | None = None  # article files: 0-based order on the page, from the manifest or the name


@dataclass
class Outcome:
    """What became of one file: its report fields, and whether it has rows in the frames."""

    status: str = "ok"
    code: str = ""
    message: str = ""
    encoding: str = ""
    has_frames: bool = False
    from_content: bool = True  # depends only on the cache key (so it may be cached)


@dataclass
class Parsed:
    """Frames and outcomes of a chunk of jobs."""

    articles: pd.DataFrame | None
    pages: pd.DataFrame | None
    outcomes: dict[str, Outcome]
    progress: pd.DataFrame | None = None
    extra: object = None  # the hook's result on the chunk's articles


@dataclass
class FileState:
    """One page file during one load."""

    file: PageFile
    source: str
    hint: str
    entry: ManifestEntry | None
    sha: str = ""
    data: bytes | None = None
    outcome: Outcome | None = None
    cached: bool = False
    shape: shapes.FileShape = shapes.FileShape(shapes.PAGE, "", None)

    @property
    def mkey(self) -> str:
        """The cache key besides the content hash (stored as ``manifest_key``): the manifest entry and
        the file's shape, 版次 and order — a manifest or setting that changes them re-parses the file."""
        return f"{manifest_key(self.entry)}#{shapes.parse_key(self.shape)}"

    @property
    def decided(self) -> Outcome:
        """The outcome, which every file has once :func:`process_states` ran (the report reads it)."""
        if self.outcome is None:
            raise AttributeError(f"{self.source}: no outcome yet (process_states decides it)")
        return self.outcome


def file_state(
    file: PageFile, source: str, hint: str, entry: ManifestEntry | None, setting: str
) -> FileState:
    """The state of one file, its shape decided by the manifest entry, the setting and the name ``hint``."""
    return FileState(file, source, hint, entry, shape=shapes.file_shape(hint, entry, setting))


@dataclass
class CacheState:
    """A cache generation as loaded: the file table (per-file rows by source), and the frames."""

    files: pa.Table
    pages: pd.DataFrame
    articles: pd.DataFrame
    progress: pd.DataFrame
    current: bool = True  # written in CACHE_FORMAT (else rewritten on this load)
    rules: str = ""  # :func:`_rules_key` of the load that wrote it

    @functools.cached_property
    def rows(self) -> dict[str, dict]:
        """Source → its row of the file table (built on first use: a warm load that matches the
        stat index as a whole never needs it)."""
        return {r["source"]: r for r in self.files.to_pylist()}


# ---------------------------------------------------------------- parsing (also in workers)


def _error(code: str, message: str, encoding: str = "", *, from_content: bool = True) -> Outcome:
    """An error outcome (file skipped)."""
    return Outcome("error", code, message, encoding, False, from_content)


def _outcome_for(decoded: reading.Decoded, problems: str) -> Outcome:
    """The outcome of a successfully parsed page: ok, or warning for decoding/page problems."""
    issues: list[tuple[str, str]] = []
    if decoded.problem_code:
        issues.append((decoded.problem_code, decoded.message_zh))
    if problems:
        issues.append((PAGE_PROBLEMS, f"版面解析：{problems}"))
    if not issues:
        return Outcome(encoding=decoded.encoding, has_frames=True)
    return Outcome("warning", issues[0][0], "；".join(m for _, m in issues), decoded.encoding, True)


def timeout_message(seconds: float) -> str:
    """The report message of a file abandoned after ``seconds``."""
    return f"解析超时（超过{seconds:g}秒），已跳过；请检查文件是否异常"


def failure_message(exc: BaseException) -> str:
    """The report message of a file whose parsing raised ``exc``."""
    return f"解析失败：{type(exc).__name__}: {exc}"


def _decode_and_parse(job: Job, decoded: list[reading.Decoded]) -> pipeline.PageRecords | None:
    """Decode one page (appended to ``decoded``, kept when parsing fails) and, unless it is
    refused, parse it into rows."""
    decoded.append(reading.decode_bytes(job.data))
    text = decoded[0]
    if text.refused:
        return None
    return pipeline.process_records(
        text.text,
        job.source,
        page_id=job.page_id,
        encoding=text.encoding,
        manifest_entry=job.entry,
        path_hint=job.hint,
        shape=job.shape,
        page_no=job.page_no,
        order=job.order,
    )


_GC_LOCK = threading.Lock()
_gc_pausers = 0  # parses running with the collector paused (threads of one server)
_gc_was_enabled = True


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while a page is parsed.

    Parsing a page allocates a page's worth of small objects (units, tracked texts, repairs) that
    hold no reference cycles and all live until the page's rows are made; the collector's full
    passes over them find nothing and cost about a tenth of a big page's time.  Reference
    counting still frees everything.  Used *outside* the file's time budget, so the budget's hard
    stop can never land between the pause and its end; threads share one pause (the collector
    runs again when the last parse ends, as it was)."""
    global _gc_pausers, _gc_was_enabled
    with _GC_LOCK:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


def parse_job(job: Job, timeout: float | None = None) -> tuple[pipeline.PageRecords | None, Outcome]:
    """Decode and parse one page within ``timeout`` seconds (None or 0: no limit).

    Never raises for the file's sake: an exception while decoding or parsing becomes a
    ``parse_failed`` error outcome, running out of time a ``timeout`` one."""
    decoded: list[reading.Decoded] = []
    try:
        with collector_paused():
            records = budget.call(timeout, _decode_and_parse, job, decoded)
    except budget.ParseTimeout:
        log.warning("parsing %s took over %g s: skipped", job.source, timeout)
        return None, _error(TIMEOUT, timeout_message(timeout or 0), decoded[0].encoding if decoded else "")
    except Exception as exc:  # noqa: BLE001 - a bad page must not stop the corpus
        log.exception("parser failed on %s", job.source)
        return None, _error(PARSE_FAILED, failure_message(exc), decoded[0].encoding if decoded else "")
    if records is None:
        return None, _error(decoded[0].problem_code, decoded[0].message_zh)
    return records, _outcome_for(decoded[0], str(records.page["problems"]))


def concat_frames(frames: list[pd.DataFrame], spec: schemas.FrameSpec) -> pd.DataFrame:
    """Concatenate conformed frames (empty ones skipped); an empty frame of ``spec`` if none."""
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return spec.empty()
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def frames_of(records: dict[str, pipeline.PageRecords]) -> tuple[pipeline.PageFrames, dict[str, str]]:
    """Rows of many files → their frames, and ``{source: message}`` of files whose rows failed.

    All files are conformed at once (cheap); only when that raises is each file conformed on
    its own, so that one file's bad value (e.g. a date pandas cannot hold) costs that file alone.
    """
    try:
        return pipeline.records_to_frames(list(records.values())), {}
    except Exception:  # noqa: BLE001 - find the file(s) to blame below
        log.warning("conforming %d pages at once failed: conforming each page", len(records))
    good: list[pipeline.PageFrames] = []
    failed: dict[str, str] = {}
    for source, page in records.items():
        try:
            good.append(pipeline.records_to_frames([page]))
        except Exception as exc:  # noqa: BLE001 - this file's problem only
            log.exception("rows of %s could not become frames", source)
            failed[source] = failure_message(exc)
    return pipeline.PageFrames(
        concat_frames([f.articles for f in good], schemas.ARTICLES),
        concat_frames([f.page for f in good], schemas.PAGES),
        concat_frames([f.progress for f in good], schemas.PROGRESS),
    ), failed


def parse_chunk(jobs: list[Job], timeout: float | None = None, hook: ArticleHook | None = None) -> Parsed:
    """Parse a list of jobs, each within ``timeout`` seconds; returns their frames concatenated
    (one pickle per chunk).  Raises only for reasons that are not one file's fault.

    ``hook`` (e.g. the word index's segmentation) runs on the chunk's articles in the same process,
    so that work overlaps parsing on every core; its result is ``Parsed.extra``, None when it fails
    (whoever uses it then does that work later)."""
    records, outcomes = {}, {}
    for job in jobs:
        page, outcome = parse_job(job, timeout)
        outcomes[job.source] = outcome
        if page is not None:
            records[job.source] = page
    frames, failed = frames_of(records)
    for source, message in failed.items():
        outcomes[source] = _error(PARSE_FAILED, message, outcomes[source].encoding)
    extra = None
    if hook is not None and frames.articles is not None and len(frames.articles):
        try:
            extra = hook(frames.articles)
        except Exception:  # noqa: BLE001 - the hook's work is redone later, parsing stands
            log.exception("the article hook failed on a chunk of %d files", len(jobs))
    return Parsed(frames.articles, frames.page, outcomes, frames.progress, extra)


def pool_context() -> mp.context.BaseContext:
    """The start method for worker processes.

    ``fork`` on Linux while this process has a single thread (fast, and it does not re-import
    ``__main__``); ``forkserver`` when threads run (e.g. inside Streamlit), since forking a
    threaded process can deadlock; ``spawn`` elsewhere.
    """
    methods = mp.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return mp.get_context("fork")
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["pinghu_core.parse.pipeline", "pinghu_core.parse.reading"])
        return ctx
    return mp.get_context("spawn")


def chunked(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Split jobs into chunks: about four per worker, at most ``MAX_CHUNK`` jobs each."""
    size = max(1, min(MAX_CHUNK, -(-len(jobs) // (max(workers, 1) * 4))))
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _exit_when_orphaned(ingest_pid: int, parent_pid: int, every: float = 0.5) -> None:
    """Watchdog of a worker (fallback of PR_SET_PDEATHSIG): exit at once when the worker's parent
    changed (it died and the worker was re-parented) or the ingest process is gone."""
    while True:
        time.sleep(every)
        if os.getppid() != parent_pid or not _alive(ingest_pid):
            os._exit(1)


def _alive(pid: int) -> bool:
    """True while process ``pid`` runs.  A zombie (killed, not yet reaped by its parent) is not
    alive: its workers must exit rather than wait for the reaping.  They would keep the forkserver
    alive (each worker holds the forkserver's "alive" pipe), the forkserver keeps the ingest's
    output open, and a parent that reads that output to its end before reaping waits forever."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except (OSError, IndexError):
        pass  # no /proc (not Linux): ask the kernel whether the process exists
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere or on failure)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl
        log.debug("prctl(PR_SET_PDEATHSIG) unavailable; the watchdog thread remains")


def worker_init(ingest_pid: int) -> None:
    """Initializer of every pool worker: it dies with its parent, so a ``kill -9`` of the ingest
    never leaves workers behind.  PR_SET_PDEATHSIG covers the direct parent (the ingest, or the
    forkserver, which exits when the ingest dies); a watchdog thread checks both every half second
    in case the signal is not available, or the parent died before it was set."""
    parent = os.getppid()
    memory.use_system_allocator()  # a forkserver's or spawned worker does not inherit the choice
    _die_with_parent()
    if os.getppid() != parent or not _alive(ingest_pid):
        os._exit(1)
    threading.Thread(
        target=_exit_when_orphaned, args=(ingest_pid, parent), name="pinghu-orphan-watchdog", daemon=True
    ).start()


class _Steps:
    """Progress of the parse: a tqdm bar (``progress=True``) and/or a callback ``(done, total, stage)``."""

    def __init__(self, bar: tqdm, total: int, callback: ProgressFn | None, stage: str) -> None:
        self.bar, self.total, self.callback, self.stage, self.done = bar, total, callback, stage, 0

    def update(self, n: int) -> None:
        self.done += n
        self.bar.update(n)
        if self.callback is not None:
            self.callback(self.done, self.total, self.stage)


def _run_pool(
    chunks: list[list[Job]],
    workers: int,
    ctx: mp.context.BaseContext,
    bar: _Steps | tqdm,
    timeout: float | None,
    hook: ArticleHook | None = None,
    meanwhile: Meanwhile | None = None,
) -> list[Parsed]:
    """Parse chunks in a process pool; a chunk whose task fails is parsed in-process instead.
    ``meanwhile()`` runs here once every chunk is queued (the workers are started and parsing)."""
    results: list[Parsed] = []
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=worker_init, initargs=(os.getpid(),)
    ) as pool:
        futures = {pool.submit(parse_chunk, chunk, timeout, hook): chunk for chunk in chunks}
        if meanwhile is not None:
            try:
                meanwhile()
            except Exception:  # noqa: BLE001 - a head start only: the step that needs it does it again
                log.exception("the work done while the workers parse failed")
        for future in as_completed(futures):
            try:
                results.append(future.result())
            except Exception as exc:  # noqa: BLE001 - e.g. BrokenProcessPool
                log.warning("worker task failed (%s); parsing its chunk in-process", exc)
                results.append(parse_chunk(futures[future], timeout, hook))
            bar.update(len(futures[future]))
    return results


def processes_for(n_jobs: int, workers: int) -> int:
    """Worker processes to use: 1 (in-process) unless there are enough jobs to pay for a pool."""
    return min(workers, n_jobs) if workers > 1 and n_jobs >= MIN_PARALLEL else 1


def run_jobs(
    jobs: list[Job],
    workers: int,
    progress: bool | ProgressFn,
    timeout: float | None = None,
    hook: ArticleHook | None = None,
    meanwhile: Meanwhile | None = None,
) -> list[Parsed]:
    """Parse all jobs, in a pool of ``processes_for(len(jobs), workers)`` processes, each file
    within ``timeout`` seconds (None or 0: no limit); ``hook`` runs on each chunk's articles in the
    process that parsed it (:func:`parse_chunk`); ``meanwhile()`` runs in this process while a pool
    parses (not at all when the files are parsed here: there is no while).  ``progress``: True for
    a bar on stderr, or a callback ``(files done, files, '解析版面')`` called after each chunk."""
    if not jobs:
        return []
    callback = progress if callable(progress) else None
    processes = processes_for(len(jobs), workers)
    ctx = pool_context()
    # tqdm starts a monitor thread with its first bar (even a disabled one); a pool that forks must
    # fork a single-threaded process (pool_context chose fork on that premise), so no monitor here
    monitor, tqdm.monitor_interval = tqdm.monitor_interval, 0
    try:
        bar = tqdm(total=len(jobs), desc=STAGE_PARSE, unit="版", disable=progress is not True, leave=True)
    finally:
        tqdm.monitor_interval = monitor
    with bar:
        steps = _Steps(bar, len(jobs), callback, STAGE_PARSE)
        if processes > 1:
            return _run_pool(chunked(jobs, processes), processes, ctx, steps, timeout, hook, meanwhile)
        results = []
        for chunk in chunked(jobs, 1):
            results.append(parse_chunk(chunk, timeout, hook))
            steps.update(len(chunk))
        return results


# ---------------------------------------------------------------- cache files


def cache_root(cache_dir: Path, corpus_dir: Path) -> Path:
    """The cache folder of one corpus folder for the current parser version."""
    key = hashlib.sha1(str(corpus_dir.resolve()).encode()).hexdigest()[:12]
    return cache_dir / f"v{datafiles.parser_key()}" / f"corpus-{key}"


def _arrow_type(col: schemas.Column) -> pa.DataType:
    """The Parquet column type of a frame column."""
    simple = {"float64": pa.float64(), "int32": pa.int32(), "int64": pa.int64(), "bool": pa.bool_()}
    if col.dtype == "list":
        return pa.list_(pa.string())
    if col.dtype == schemas.DATE:
        return pa.timestamp("ns")
    return simple.get(col.dtype, pa.string())


def frame_to_table(df: pd.DataFrame, spec: schemas.FrameSpec) -> pa.Table:
    """A conformed frame → an Arrow table with an explicit schema (lists stay lists of str)."""
    schema = pa.schema([(c.name, _arrow_type(c)) for c in spec.columns])
    data = {
        c.name: df[c.name].astype("string") if c.dtype == "category" else df[c.name] for c in spec.columns
    }
    return pa.Table.from_pandas(pd.DataFrame(data), schema=schema, preserve_index=False)


def _column_from_arrow(table: pa.Table, col: schemas.Column) -> pd.Series:
    """One frame column restored from Arrow with exactly the dtype ``schemas`` declares; text stays
    in Arrow (a string column is a view of the table's buffers, not a copy as Python objects)."""
    arr = table.column(col.name)
    if col.dtype == "list":
        return pd.Series(_lists(arr), dtype=object)
    if col.dtype == "category":
        return pd.Series(_categorical(arr, col.categories))
    if col.dtype == schemas.STR:
        return arr.to_pandas(
            types_mapper={pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}.get
        )
    return arr.to_pandas().astype(col.dtype)


def _categorical(arr: pa.ChunkedArray, categories: tuple[str, ...]) -> pd.Categorical:
    """Arrow strings → a categorical of exactly ``categories`` (a value outside them is missing),
    coded by Arrow rather than by comparing Python strings."""
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    codes = pc.fill_null(pc.index_in(arr, value_set=pa.array(list(categories), pa.string())), -1)
    return pd.Categorical.from_codes(
        codes.to_numpy().astype("int8" if len(categories) < 127 else "int32"),
        dtype=pd.CategoricalDtype(list(categories)),
    )


def _lists(arr: pa.ChunkedArray) -> list[list[str] | None]:
    """A list<string> column as Python lists of str: each distinct name becomes one str object
    (shared by the rows naming it) and each row's list a slice of one flat list.  Every row naming
    nobody holds the same empty list (a loaded corpus is shared and never modified): on ten times
    the corpus 1.4 million of the five name columns' 1.9 million lists are empty, 56 bytes each."""
    empty: list[str] = []
    out: list[list[str] | None] = []
    for chunk in arr.chunks:
        if not len(chunk):
            continue
        offsets = chunk.offsets.to_numpy()
        values = chunk.values.slice(offsets[0], offsets[-1] - offsets[0])
        offsets = (offsets - offsets[0]).tolist()
        encoded = values.dictionary_encode()
        names = np.asarray(encoded.dictionary.to_pylist() + [None], dtype=object)
        idx = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy()
        flat = names[idx].tolist()
        rows = [flat[a:b] if b > a else empty for a, b in zip(offsets[:-1], offsets[1:], strict=True)]
        if chunk.null_count:
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            rows = [r if ok else None for r, ok in zip(rows, valid, strict=True)]
        out.extend(rows)
    return out


def table_to_frame(table: pa.Table, spec: schemas.FrameSpec) -> pd.DataFrame:
    """An Arrow table written by :func:`frame_to_table` → a frame that passes ``schemas.check``."""
    df = pd.DataFrame({c.name: _column_from_arrow(table, c) for c in spec.columns})
    schemas.check(df, spec)
    return df


def write_table_file(table: pa.Table, path: Path) -> str:
    """Write an Arrow IPC file atomically (temporary name in the same folder, then ``os.replace``);
    returns the SHA-256 of the bytes written (recorded in ``index.json``, checked on load).

    The table is written as one record batch, so each column of the loaded (memory-mapped) frame is
    one Arrow array: taking rows of a chunked column (pandas ``iloc``, ``take``) first concatenates its
    chunks — on the ten-times corpus a copy of every body (450 MB) for each table of search results.
    A column too big for one array (2 GB of text) stays chunked.  The file is written straight to
    disk and hashed as it is read back from the page cache: no second copy of it in memory (the
    articles' file of the ten-year corpus is 62 MB)."""
    try:
        table = table.combine_chunks()
    except (pa.ArrowInvalid, pa.ArrowCapacityError, OverflowError):
        pass

    digest = ""

    def write(tmp: Path) -> None:
        nonlocal digest
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        digest = _file_sha256(tmp)

    _write_atomically(path, write)
    return digest


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """``write(temporary path)``, then flush it to disk and rename it to ``path``: on any failure
    (disk full, read-only) nothing is left under either name."""
    tmp = path.with_name(f".tmp-{uuid.uuid4().hex}-{path.name}")
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDWR)  # writable: Windows flushes only a handle that may write
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_bytes(data: bytes | memoryview, path: Path) -> None:
    """Write ``data`` to ``path`` atomically (:func:`_write_atomically`)."""

    def write(tmp: Path) -> None:
        with open(tmp, "xb") as f:
            f.write(data)

    _write_atomically(path, write)


def _write_json(obj: dict, path: Path) -> None:
    """Write JSON atomically (temporary name, then ``os.replace``)."""
    _write_bytes(json.dumps(obj, ensure_ascii=False).encode("utf-8"), path)


class CacheDamaged(ValueError):
    """A cache file's bytes differ from the checksum recorded when it was written."""


# Every cache file mapped by this process and still in use (a loaded corpus' tables refer to them).
_MAPPINGS: weakref.WeakSet[mmap.mmap] = weakref.WeakSet()


def _mapped(path: Path) -> mmap.mmap:
    """The file mapped read-only (shared with every process mapping it; an empty file raises)."""
    with open(path, "rb") as f:
        mapping = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    _MAPPINGS.add(mapping)
    return mapping


def release_mapped() -> int:
    """Take the pages of every mapped cache file out of this process's resident set
    (``madvise(MADV_DONTNEED)``); returns the bytes of the mappings advised.

    The data stays what it is: the mappings are read-only views of files written once, the pages
    stay in the system's page cache, and the next read of one maps it again without a copy.  What
    a build read through a mapping (every body, for a scan over the corpus) otherwise counted in
    the process's memory for as long as the corpus lived: on ten times the corpus the 812 MB of
    file-backed RSS after every page was opened, the larger part of the 1.5 GB budget."""
    advised = 0
    for mapping in list(_MAPPINGS):
        try:
            mapping.madvise(mmap.MADV_DONTNEED)
        except (ValueError, OSError):  # closed, or a system without madvise
            continue
        advised += len(mapping)
    return advised


def _file_sha256(path: Path, block: int = 1 << 20) -> str:
    """The SHA-256 of a file, read a block at a time into one buffer (the file's pages stay in the
    page cache only)."""
    h = hashlib.sha256()
    buffer = bytearray(block)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as f:
        while n := f.readinto(buffer):
            h.update(view[:n])
    return h.hexdigest()


def _read_checked(root: Path, name: str, sums: dict, schema: pa.Schema | None = None) -> pa.Table:
    """Read one file of a generation after checking its SHA-256 against ``index.json``: an Arrow IPC
    file is mapped and its table refers to the mapping (no copy); a Parquet file (format 2) is decoded.

    The Arrow file is hashed with ordinary reads, a block at a time, before it is mapped: hashing the
    mapping touched every page of it, and each counted in the process's memory for as long as the
    mapping lived (805 MB of the ten-times corpus, read again for every body — bench/README.md)."""
    path = root / name
    if name.endswith(".arrow"):
        digest = _file_sha256(path)
        data: bytes | mmap.mmap = _mapped(path)  # generation files are written once, never changed
    else:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
    if digest != sums.get(name):
        raise CacheDamaged(f"缓存文件 {name} 校验失败（内容已损坏或被改动）")
    if isinstance(data, bytes):
        return pq.read_table(pa.BufferReader(data), schema=schema)
    table = pa.ipc.open_file(pa.py_buffer(data)).read_all()
    if schema is not None and not table.schema.equals(schema):
        raise ValueError(f"缓存文件 {name} 的列与预期不符")
    return table


def _read_generation(root: Path) -> CacheState | None:
    """Read the generation ``index.json`` names; None when there is no cache yet."""
    index_path = root / "index.json"
    if not index_path.exists():
        return None
    index = json.loads(index_path.read_text(encoding="utf-8"))
    suffix = READABLE_FORMATS.get(index.get("format"))
    if suffix is None or index.get("parser_version") != datafiles.parser_key():
        raise ValueError("缓存格式或解析器版本不符")
    token, sums = str(index["token"]), index.get("sha256") or {}
    files = _read_checked(root, f"files-{token}{suffix}", sums, _FILES_SCHEMA)
    with collector_paused():  # millions of new lists (names per article), no cycle among them
        pages = table_to_frame(_read_checked(root, f"pages-{token}{suffix}", sums), schemas.PAGES)
        articles = table_to_frame(_read_checked(root, f"articles-{token}{suffix}", sums), schemas.ARTICLES)
        figures = table_to_frame(_read_checked(root, f"progress-{token}{suffix}", sums), schemas.PROGRESS)
    ok = pc.and_(files.column("has_result"), pc.not_equal(files.column("status"), "error"))
    framed = set(files.column("source").filter(ok).to_pylist())
    if framed != set(pages["source"].unique()) or not set(articles["source"].unique()) <= framed:
        raise ValueError("缓存中的文件表与版面表不一致")
    current = index.get("format") == CACHE_FORMAT
    return CacheState(files, pages, articles, figures, current, str(index.get("rules", "")))


def read_cache(root: Path) -> tuple[CacheState | None, str]:
    """Load the cache; a corrupt one is discarded with a :class:`CacheWarning` (never raises).

    Returns (state or None, problem message or '').
    """
    for attempt in range(2):
        try:
            return _read_generation(root), ""
        except FileNotFoundError:
            if attempt == 0:
                continue  # another process just published a new generation: read it
            problem = "缓存文件缺失"
        except Exception as exc:  # noqa: BLE001 - any damage means: rebuild
            problem = f"{type(exc).__name__}: {exc}"
    message = f"缓存无法使用，已丢弃并重新解析（{root}）：{problem}"
    log.warning(message)
    warnings.warn(message, CacheWarning, stacklevel=3)
    return None, message


def _remove_stale(root: Path, keep: str) -> None:
    """Delete other generations' files (and temporary files a killed writer left) once they are
    older than ``STALE_SECONDS``."""
    now = time.time()
    for path in [*root.glob("*.parquet"), *root.glob("*.arrow"), *root.glob(".tmp-*")]:
        try:
            if keep not in path.name and now - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()
        except OSError:
            pass


def write_cache(
    root: Path,
    files: list[dict],
    pages: pd.DataFrame,
    articles: pd.DataFrame,
    figures: pd.DataFrame | None = None,
    rules: str = "",
) -> str:
    """Publish a new cache generation; returns '' or a problem message (never raises).  ``rules``:
    the :func:`rules_key` the file table's ``manifest_key`` values were decided under.

    Each file is written under a temporary name and renamed; ``index.json`` (naming the generation
    and each file's SHA-256) is replaced last.  When anything fails (disk full, read-only folder) the
    files of this generation already written are removed: the previous generation stays as it was."""
    token = uuid.uuid4().hex[:16]
    names = [f"{kind}-{token}.arrow" for kind in ("files", "pages", "articles", "progress")]
    figures = schemas.PROGRESS.empty() if figures is None else figures
    try:
        root.mkdir(parents=True, exist_ok=True)
        tables = (
            pa.Table.from_pylist(files, schema=_FILES_SCHEMA),
            frame_to_table(pages, schemas.PAGES),
            frame_to_table(articles, schemas.ARTICLES),
            frame_to_table(figures, schemas.PROGRESS),
        )
        sums = {name: write_table_file(table, root / name) for name, table in zip(names, tables, strict=True)}
        index = {
            "format": CACHE_FORMAT,
            "parser_version": datafiles.parser_key(),
            "token": token,
            "written": time.time(),
            "sha256": sums,
            "rules": rules,
        }
        _write_json(index, root / "index.json")
    except Exception as exc:  # noqa: BLE001 - a read-only disk must not stop the dashboard
        for name in names:
            with contextlib.suppress(OSError):
                (root / name).unlink(missing_ok=True)
        message = f"无法写入缓存（{root}）：{type(exc).__name__}: {exc}"
        log.warning(message)
        warnings.warn(message, CacheWarning, stacklevel=3)
        return message
    _remove_stale(root, token)
    return ""


# ---------------------------------------------------------------- one load


def _read_into(state: FileState, max_bytes: int) -> bytes | None:
    """Read the file's bytes and hash them (the bytes are returned too); a read problem becomes the
    state's outcome (None returned)."""
    try:
        f = state.file
        state.data = reading.read_bytes(f.open_path, max_bytes, nofollow=f.checked)
    except reading.ReadError as exc:
        state.outcome = _error(exc.code, exc.message_zh, from_content=False)
        return None
    state.sha = hashlib.sha256(state.data).hexdigest()
    return state.data


def resolve_hashes(states: list[FileState], old: dict[str, dict], max_bytes: int) -> None:
    """Give every file its content hash: from the stat index when unchanged, else by reading it."""
    for st in states:
        f = st.file
        if f.size > max_bytes:
            st.outcome = _error(
                reading.TOO_LARGE, reading.too_large_message(f.size, max_bytes), from_content=False
            )
            continue
        prev = old.get(st.source)
        if (
            prev
            and f.size >= 0
            and prev["size"] == f.size
            and prev["mtime_ns"] == f.mtime_ns
            and prev["sha256"]
        ):
            st.sha = prev["sha256"]
        else:
            _read_into(st, max_bytes)


def mark_duplicates(states: list[FileState]) -> None:
    """Second and later files with identical (non-empty) bytes are skipped with a warning."""
    owners: dict[str, str] = {}
    for st in states:
        if st.outcome is not None or st.file.size == 0:
            continue
        if st.sha in owners:
            st.outcome = Outcome(
                "warning", DUPLICATE, f"与“{owners[st.sha]}”内容完全相同，已跳过", from_content=False
            )
        else:
            owners[st.sha] = st.source


def _reusable(prev: dict | None, st: FileState, timeout: float | None = None) -> bool:
    """A cached result may be reused when its whole key matches (a timeout: and the budget is the same)."""
    if prev and prev["code"] == TIMEOUT and prev["message"] != timeout_message(timeout or 0):
        return False
    return bool(prev and prev["has_result"] and prev["sha256"] == st.sha and prev["manifest_key"] == st.mkey)


def reuse_or_queue(
    states: list[FileState], old: dict[str, dict], max_bytes: int, timeout: float | None = None
) -> list[Job]:
    """Reuse cached outcomes where possible; return jobs for everything else."""
    jobs = []
    for st in states:
        if st.outcome is not None:
            continue
        prev = old.get(st.source)
        if prev is not None and _reusable(prev, st, timeout):
            st.outcome = Outcome(
                prev["status"], prev["code"], prev["message"], prev["encoding"], prev["status"] != "error"
            )
            st.cached = True
            continue
        data = st.data
        if data is None:
            data = _read_into(st, max_bytes)
            if data is None:  # a read problem, now the outcome
                continue
        fs = st.shape
        jobs.append(Job(st.source, st.hint, data, st.sha[:16], st.entry, fs.shape, fs.page_no, fs.order))
        st.data = None  # the job holds the bytes now
    return jobs


def _in_order(df: pd.DataFrame, position: dict[str, int], by_order: bool) -> pd.DataFrame:
    """Rows in the order of their source in ``position`` (then by ``order``), with a fresh index."""
    keys = df.assign(_pos=df["source"].map(position).astype("int64"))
    by = ["_pos", "order"] if by_order else ["_pos"]
    return keys.sort_values(by, kind="stable").drop(columns="_pos").reset_index(drop=True)


def _ensure(df: pd.DataFrame, spec: schemas.FrameSpec) -> pd.DataFrame:
    """``df`` itself when it passes ``schemas.check``, else conformed."""
    try:
        schemas.check(df, spec)
        return df
    except AssertionError:
        return schemas.conform(df, spec)


def _progress_in_order(df: pd.DataFrame, position: dict[str, int]) -> pd.DataFrame:
    """Progress rows in file order, then in figure order."""
    keys = df.assign(_pos=df["source"].map(position).astype("int64"))
    return keys.sort_values(["_pos", "figure_id"], kind="stable").drop(columns="_pos").reset_index(drop=True)


def assemble(
    states: list[FileState], old: CacheState | None, parsed: list[Parsed]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Cached rows of reused files plus newly parsed rows → (articles, pages, progress), in file order."""
    reused = {st.source for st in states if st.cached and st.decided.has_frames}
    articles = [p.articles for p in parsed]
    pages = [p.pages for p in parsed]
    figures = [p.progress for p in parsed]
    if old is not None and reused:
        same = len(reused) == len(old.pages)
        pages.insert(0, old.pages if same else old.pages[old.pages["source"].isin(reused)])
        articles.insert(0, old.articles if same else old.articles[old.articles["source"].isin(reused)])
        figures.insert(0, old.progress if same else old.progress[old.progress["source"].isin(reused)])
    a = concat_frames(articles, schemas.ARTICLES)
    p = concat_frames(pages, schemas.PAGES)
    f = concat_frames(figures, schemas.PROGRESS)
    if parsed:
        position = {st.source: i for i, st in enumerate(states)}
        a, p = _in_order(a, position, True), _in_order(p, position, False)
        f = _progress_in_order(f, position)
    return (
        _ensure(a.reset_index(drop=True), schemas.ARTICLES),
        _ensure(p.reset_index(drop=True), schemas.PAGES),
        _ensure(f.reset_index(drop=True), schemas.PROGRESS),
    )


def writing_rows(writing: dict[str, str], files: Iterable[PageFile]) -> list[dict]:
    """Report rows (status warning, code ``writing``) of files not read because they are being written."""
    sizes = {f.rel: max(f.size, 0) for f in files}
    return [
        {
            "source": rel,
            "status": "warning",
            "code": WRITING,
            "message": WRITING_MESSAGE.format(why=why),
            "encoding": "",
            "bytes": sizes.get(rel, 0),
            "cached": False,
        }
        for rel, why in sorted(writing.items())
    ]


def report_frame(
    states: list[FileState], manifest_problems: list[str], extra_rows: list[dict] | None = None
) -> pd.DataFrame:
    """The ingest report: one row per page file, plus one for manifest problems if any."""
    rows = [
        {
            "source": st.source,
            "status": st.decided.status,
            "code": st.decided.code,
            "message": st.decided.message,
            "encoding": st.decided.encoding,
            "bytes": max(st.file.size, 0),
            "cached": st.cached,
        }
        for st in states
    ]
    if manifest_problems:
        message = "；".join(manifest_problems)
        rows.append(
            {
                "source": MANIFEST_NAME,
                "status": "warning",
                "code": MANIFEST,
                "message": message,
                "encoding": "",
                "bytes": 0,
                "cached": False,
            }
        )
    rows.extend(extra_rows or [])
    frame = pd.DataFrame(rows, columns=schemas.INGEST_REPORT.names)
    return schemas.conform(frame, schemas.INGEST_REPORT)


def file_rows(states: list[FileState]) -> list[dict]:
    """Rows of the cache's file table: stat index and content-determined outcomes."""
    rows = []
    for st in states:
        if not st.sha:
            continue
        o = st.decided
        keep = o.from_content
        rows.append(
            {
                "source": st.source,
                "size": st.file.size,
                "mtime_ns": st.file.mtime_ns,
                "sha256": st.sha,
                "manifest_key": st.mkey,
                "status": o.status if keep else "",
                "code": o.code if keep else "",
                "message": o.message if keep else "",
                "encoding": o.encoding if keep else "",
                "has_result": keep,
            }
        )
    return rows


@dataclass
class Loaded:
    """Frames of one load, and how many files were parsed by how many processes."""

    articles: pd.DataFrame
    pages: pd.DataFrame
    parsed: int
    processes: int
    progress: pd.DataFrame = field(default_factory=schemas.PROGRESS.empty)
    extras: list = field(default_factory=list)


def process_states(
    states: list[FileState],
    old: CacheState | None,
    *,
    workers: int,
    progress: bool | ProgressFn,
    max_bytes: int,
    timeout: float | None = None,
    hook: ArticleHook | None = None,
    meanwhile: Meanwhile | None = None,
) -> Loaded:
    """Run steps 2–4 of a load (hashes, duplicates, reuse, parsing); ``timeout``: seconds per file."""
    rows = old.rows if old else {}
    resolve_hashes(states, rows, max_bytes)
    mark_duplicates(states)
    jobs = reuse_or_queue(states, rows, max_bytes, timeout)
    parsed = run_jobs(jobs, workers, progress, timeout, hook, meanwhile)
    outcomes = {src: o for p in parsed for src, o in p.outcomes.items()}
    for st in states:
        if st.source in outcomes:
            st.outcome = outcomes[st.source]
    articles, pages, figures = assemble(states, old, parsed)
    extras = [p.extra for p in parsed if p.extra is not None]
    return Loaded(
        articles, pages, len(jobs), processes_for(len(jobs), workers) if jobs else 0, figures, extras
    )


def cache_changed(old: CacheState | None, rows: list[dict]) -> bool:
    """True when the file table differs from the cached one (so the cache must be rewritten)."""
    if old is None or len(rows) != len(old.rows):
        return True
    return any(old.rows.get(r["source"]) != r for r in rows)


def make_stats(states: list[FileState], loaded: Loaded, started: float, cache_problem: str) -> dict:
    """The stats dict of a :class:`Corpus`."""
    return {
        "files": len(states),
        "parsed": loaded.parsed,
        "processes": loaded.processes,
        "from_cache": sum(1 for st in states if st.cached),
        "errors": sum(1 for st in states if st.decided.status == "error"),
        "warnings": sum(1 for st in states if st.decided.status == "warning"),
        "seconds": round(time.perf_counter() - started, 4),
        "cache_problem": cache_problem,
    }


# ---------------------------------------------------------------- public API


def _corpus_dir(corpus_dir: Path | str | None) -> Path:
    """The corpus folder to use (settings default); raises :class:`CorpusError` if it is missing."""
    folder = Path(corpus_dir) if corpus_dir is not None else settings.get_settings().corpus_dir
    if not folder.exists():
        raise CorpusError(f"找不到语料文件夹：{folder}")
    if not folder.is_dir():
        raise CorpusError(f"语料路径不是文件夹：{folder}")
    return folder


def _fingerprint_extra(max_bytes: int, writing: Iterable[str] = ()) -> str:
    """Settings that change the result of a load, and the files being written, mixed into the fingerprint."""
    extra = f"parser={datafiles.parser_key()}|max_bytes={max_bytes}|projects={projects.file_stamp()}"
    extra += f"|shape={settings.get_settings().corpus_shape}|copies={copies.VERSION}"
    return extra + "|writing=" + "\0".join(sorted(writing))


@dataclass
class Scanned:
    """One stat pass over the corpus folder: files to read now, files still being written, fingerprint."""

    ready: list[PageFile]
    writing: dict[str, str]
    all_files: list[PageFile]
    fingerprint: str
    # FIFOs, devices, links leading outside the folder or nowhere, unreadable folders
    skipped: list[Skipped] = field(default_factory=list)


def scan_corpus(folder: Path, cache_dir: Path, settle_seconds: float, max_bytes: int) -> Scanned:
    """Stat every file once; a file still being written is left out and changes the fingerprint
    (so the load after it settles differs from the one before)."""
    found = scan_folder(folder, exclude=[cache_dir])
    files, partial = found.files, found.partial
    ready, writing = split_settled(files, partial, time.time_ns(), settle_seconds)
    extra = _fingerprint_extra(max_bytes, writing)
    extra += "|skipped=" + "\0".join(f"{k.rel}:{k.code}" for k in found.skipped)
    fp = fingerprint([*files, *partial], folder / MANIFEST_NAME, extra)
    return Scanned(ready, writing, [*files, *partial], fp, found.skipped)


def cache_rows(problem: str) -> list[dict]:
    """The report row of a cache problem (damaged and rebuilt, or not writable); none when ''."""
    if not problem:
        return []
    return [
        {
            "source": CACHE_SOURCE,
            "status": "warning",
            "code": CACHE,
            "message": problem,
            "encoding": "",
            "bytes": 0,
            "cached": False,
        }
    ]


def skipped_rows(skipped: Iterable[Skipped]) -> list[dict]:
    """Report rows (status error) of things in the corpus folder that are never read."""
    return [
        {
            "source": k.rel,
            "status": "error",
            "code": k.code,
            "message": k.message,
            "encoding": "",
            "bytes": 0,
            "cached": False,
        }
        for k in skipped
    ]


def corpus_fingerprint(
    corpus_dir: Path | str | None = None, *, cache_dir: Path | None = None, settle_seconds: float = 0.0
) -> str:
    """A cheap (stat-only) key that changes whenever a page file, the manifest or the parser changes,
    and when a file being written (modified less than ``settle_seconds`` ago) settles."""
    cfg = settings.get_settings()
    folder = _corpus_dir(corpus_dir)
    return scan_corpus(
        folder, Path(cache_dir or cfg.cache_dir), settle_seconds, cfg.max_file_bytes
    ).fingerprint


def rules_key(folder: Path, max_bytes: int, corpus_shape: str) -> str:
    """What decides a file's cache key besides its bytes and name (``FileState.mkey``): the manifest
    (by its stat, as the fingerprint sees it), the size limit it is read under, the ``corpus_shape``
    setting and the code that reads names and manifests."""
    code = derived.source_digest(shapes, corpus_files, copies)  # copies: the order rows are kept in
    return derived.key_of([stat_key(folder / MANIFEST_NAME), str(max_bytes), corpus_shape, code])


def cached_as_a_whole(old: CacheState | None, files: list[PageFile], rules: str, max_bytes: int) -> bool:
    """True when the cache answers this load as it is: the same files in the same order with the
    same size and mtime, each with a cached result (no duplicate, read error or timeout among them),
    under the same :func:`rules_key` — every file would be reused unchanged, so the per-file steps
    (:func:`process_states`) are skipped.  Vectorised: no Python work per file beyond the scan."""
    if old is None or not old.current or not rules or old.rules != rules:
        return False
    t = old.files
    if t.num_rows != len(files) or t.column("source").to_pylist() != [f.rel for f in files]:
        return False
    size = np.fromiter((f.size for f in files), dtype=np.int64, count=len(files))
    mtime = np.fromiter((f.mtime_ns for f in files), dtype=np.int64, count=len(files))
    return bool(
        np.array_equal(size, t.column("size").to_numpy())
        and np.array_equal(mtime, t.column("mtime_ns").to_numpy())
        and ((size >= 0) & (size <= max_bytes)).all()
        and pc.all(pc.fill_null(t.column("has_result"), False)).as_py() is not False
        and not pc.any(pc.equal(t.column("code"), TIMEOUT)).as_py()
        and not pc.any(pc.equal(t.column("sha256"), "")).as_py()
    )


def cached_report(files: pa.Table, manifest_problems: list[str], extra_rows: list[dict]) -> pd.DataFrame:
    """:func:`report_frame` of a load the cache answered as a whole (:func:`cached_as_a_whole`):
    every file's cached outcome, built from the file table's columns."""
    rows = pd.DataFrame(
        {
            "source": files.column("source").to_pandas(),
            "status": files.column("status").to_pandas(),
            "code": files.column("code").to_pandas(),
            "message": files.column("message").to_pandas(),
            "encoding": files.column("encoding").to_pandas(),
            "bytes": files.column("size").to_numpy(),
            "cached": np.ones(files.num_rows, dtype=bool),
        }
    )
    others = report_frame([], manifest_problems, extra_rows)
    frame = pd.concat([schemas.conform(rows, schemas.INGEST_REPORT), others], ignore_index=True)
    return schemas.conform(frame, schemas.INGEST_REPORT)


def cached_stats(files: pa.Table, started: float) -> dict:
    """:func:`make_stats` of a load the cache answered as a whole."""
    status = files.column("status")
    return {
        "files": files.num_rows,
        "parsed": 0,
        "processes": 0,
        "from_cache": files.num_rows,
        "errors": pc.sum(pc.equal(status, "error")).as_py() or 0,
        "warnings": pc.sum(pc.equal(status, "warning")).as_py() or 0,
        "seconds": round(time.perf_counter() - started, 4),
        "cache_problem": "",
    }


def load_corpus(
    corpus_dir: Path | None = None,
    *,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: bool | ProgressFn = False,
    use_cache: bool = True,
    settle_seconds: float = 0.0,
    hook: ArticleHook | None = None,
    meanwhile: Meanwhile | None = None,
) -> Corpus:
    """Load every page file under ``corpus_dir`` (default: settings) into frames; see module doc.

    With ``settle_seconds`` > 0 a page file modified more recently than that is not read yet (it is
    reported as being written, code ``writing``); files under a temporary name are always reported so.
    ``progress``: True for a bar on stderr, or a callback ``(files done, files to parse, '解析版面')``.
    ``hook``: run on the articles of each parsed chunk in the worker that parsed it; its results
    (one per chunk, None left out) are ``Corpus.extras`` — e.g. the word index's bags
    (``words.index.ArticleTokenizer``), so segmentation overlaps parsing.  ``meanwhile()``: run in
    this process while a pool of workers parses (``pinghu ingest`` loads jieba's dictionary then, for
    the steps after the parse), not at all when nothing is parsed in a pool.
    """
    started = time.perf_counter()
    cfg = settings.get_settings()
    folder = _corpus_dir(corpus_dir)
    cache_dir = Path(cache_dir) if cache_dir is not None else cfg.cache_dir
    scanned = scan_corpus(folder, cache_dir, settle_seconds, cfg.max_file_bytes)
    files = scanned.ready
    manifest = read_manifest(folder, cfg.max_file_bytes)
    root = cache_root(cache_dir, folder)
    old, cache_problem = read_cache(root) if use_cache else (None, "")
    rules = rules_key(folder, cfg.max_file_bytes, cfg.corpus_shape)
    unmatched = manifest.unmatched([*(f.rel for f in scanned.all_files), *(k.rel for k in scanned.skipped)])
    extra_rows = (
        writing_rows(scanned.writing, scanned.all_files)
        + skipped_rows(scanned.skipped)
        + cache_rows(cache_problem)
    )
    if old is not None and cached_as_a_whole(old, files, rules, cfg.max_file_bytes):
        loaded = Loaded(old.articles, old.pages, 0, 0, old.progress)
        report = cached_report(old.files, manifest.problems + unmatched, extra_rows)
        stats = cached_stats(old.files, started)
        frames, years = settled(loaded)
        found = copies.find(frames.articles, frames.page)
    else:
        states = [file_state(f, f.rel, f.rel, manifest.entries.get(f.rel), cfg.corpus_shape) for f in files]
        loaded = process_states(
            states,
            old,
            workers=workers or cfg.workers,
            progress=progress,
            max_bytes=cfg.max_file_bytes,
            timeout=cfg.parse_timeout_seconds,
            hook=hook,
            meanwhile=meanwhile,
        )
        rows = file_rows(states)
        outdated = old is not None and (not old.current or old.rules != rules)  # rewritten as it is now
        frames, years = settled(loaded)
        found = copies.find(frames.articles, frames.page)
        if use_cache and (cache_changed(old, rows) or outdated):
            # copies last: the next load drops them by a slice (copies.without)
            articles, figures = copies.last(loaded.articles, found), copies.last(loaded.progress, found)
            cache_problem = write_cache(root, rows, loaded.pages, articles, figures, rules) or cache_problem
        report = report_frame(
            states,
            manifest.problems + unmatched,
            writing_rows(scanned.writing, scanned.all_files)
            + skipped_rows(scanned.skipped)
            + cache_rows(cache_problem),
        )
        stats = make_stats(states, loaded, started, cache_problem)
    stats["writing"] = len(scanned.writing)
    stats["skipped"] = len(scanned.skipped)
    stats["years_from_corpus"] = years
    frames, found, report = counted_once(frames, report, stats, found)
    return Corpus(
        frames.articles,
        frames.page,
        report,
        folder,
        scanned.fingerprint,
        stats,
        with_project_ids(frames.progress),
        loaded.extras,
        found,
    )


def settled(loaded: Loaded) -> tuple[pipeline.PageFrames, int]:
    """The loaded frames with years settled across the corpus (:func:`pipeline.settle_years`); the
    cache keeps each file's own result, so this runs on every load (it is cheap)."""
    return pipeline.settle_years(pipeline.PageFrames(loaded.articles, loaded.pages, loaded.progress))


def counted_once(
    frames: pipeline.PageFrames, report: pd.DataFrame, stats: dict, found: pd.DataFrame | None = None
) -> tuple[pipeline.PageFrames, pd.DataFrame, pd.DataFrame]:
    """The frames without the copies of articles another file of the same 版面 holds
    (:mod:`pinghu_core.corpus.copies`; after the years are settled, as a copy's date is its
    page's), the copies found, and the report naming them; ``stats`` gains ``copies`` (articles
    left out) and counts the files that became warnings.  Runs on every load, as ``settled``.
    ``found``: ``copies.find`` of these frames, when already made."""
    found = copies.find(frames.articles, frames.page) if found is None else found
    stats["copies"] = len(found)
    if found.empty:
        return frames, found, report
    report, newly = copies.mark_report(report, found)
    stats["warnings"] = stats.get("warnings", 0) + newly
    kept = pipeline.PageFrames(
        copies.without(frames.articles, found), frames.page, copies.without(frames.progress, found)
    )
    return kept, found, report


def _file_state(given: str | Path, manifests: dict[Path, Manifest]) -> FileState:
    """State for one file named on a command line: source and date hint are the path as given."""
    path = Path(given)
    try:
        st = path.stat()
        page = PageFile(str(given), path, st.st_size, st.st_mtime_ns)
    except OSError:
        page = PageFile(str(given), path, -1, 0)
    if path.parent not in manifests:
        manifests[path.parent] = read_manifest(path.parent)
    entry = manifests[path.parent].entries.get(path.name)
    return file_state(page, str(given), str(given), entry, settings.get_settings().corpus_shape)


def load_files(
    paths: Iterable[str | Path], *, workers: int | None = None, progress: bool | ProgressFn = False
) -> Corpus:
    """Load the given page files without the cache; ``source`` is each path exactly as given.

    A ``manifest.csv`` next to a file supplies its date/page/edition (matched by file name).
    """
    started = time.perf_counter()
    cfg = settings.get_settings()
    manifests: dict[Path, Manifest] = {}
    states = [_file_state(p, manifests) for p in paths]
    loaded = process_states(
        states,
        None,
        workers=workers or cfg.workers,
        progress=progress,
        max_bytes=cfg.max_file_bytes,
        timeout=cfg.parse_timeout_seconds,
    )
    fp = fingerprint((s.file for s in states), Path(os.devnull), _fingerprint_extra(cfg.max_file_bytes))
    report = report_frame(states, [])
    stats = make_stats(states, loaded, started, "")
    frames, stats["years_from_corpus"] = settled(loaded)
    frames, found, report = counted_once(frames, report, stats)
    return Corpus(
        frames.articles, frames.page, report, None, fp, stats, with_project_ids(frames.progress), copies=found
    )


def with_project_ids(figures: pd.DataFrame) -> pd.DataFrame:
    """Progress rows with ``project_id`` from the configured ``data/projects.toml`` (automatic ids if bad)."""
    return projects.assign_ids(figures, projects.default_projects())


def _mark_duplicate(report: pd.DataFrame, source: str, first: str) -> None:
    """Turn the report row of ``source`` into a duplicate warning naming ``first`` (in place)."""
    at = report["source"] == source
    report.loc[at, ["status", "code", "message"]] = ["warning", DUPLICATE, f"与“{first}”内容完全相同，已跳过"]


def combine(corpora: Sequence[Corpus]) -> Corpus:
    """Several loads → one (e.g. several command-line paths); a page loaded twice is kept once.

    The later copy's report row becomes a ``duplicate`` warning naming the first.
    """
    seen: dict[str, str] = {}  # page_id → source of its first copy
    pages, articles, reports, figures = [], [], [], []
    for c in corpora:
        dup = c.pages["page_id"].isin(list(seen))
        report = c.report.copy()
        for page_id, source in zip(c.pages.loc[dup, "page_id"], c.pages.loc[dup, "source"], strict=True):
            _mark_duplicate(report, source, seen[page_id])
        seen.update(zip(c.pages.loc[~dup, "page_id"], c.pages.loc[~dup, "source"], strict=True))
        pages.append(c.pages[~dup])
        articles.append(c.articles[~c.articles["page_id"].isin(set(c.pages.loc[dup, "page_id"]))])
        figures.append(c.progress[~c.progress["page_id"].isin(set(c.pages.loc[dup, "page_id"]))])
        reports.append(report)
    keys = ("files", "parsed", "from_cache", "errors", "warnings", "seconds")
    stats = {k: sum(c.stats.get(k, 0) for c in corpora) for k in keys}
    fp = hashlib.blake2b("".join(c.fingerprint for c in corpora).encode(), digest_size=16).hexdigest()
    frames = pipeline.PageFrames(
        concat_frames(articles, schemas.ARTICLES).reset_index(drop=True),
        concat_frames(pages, schemas.PAGES).reset_index(drop=True),
        concat_frames(figures, schemas.PROGRESS).reset_index(drop=True),
    )
    report = schemas.conform(concat_frames(reports, schemas.INGEST_REPORT), schemas.INGEST_REPORT)
    frames, found, report = counted_once(frames, report, stats)  # copies between the loads
    found = concat_frames([*(c.copies for c in corpora), found], schemas.ARTICLE_COPIES)
    stats["copies"] = len(found)
    return Corpus(frames.articles, frames.page, report, None, fp, stats, frames.progress, copies=found)
