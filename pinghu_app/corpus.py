"""The run's corpus and what every page shares: the signed-in viewer, the corpus key and the parsed corpus (cached per key), the theme, project and places files, the 关于 table, and clearing every cache (刷新语料)."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import threading
import time
from pathlib import Path
from typing import NamedTuple, TypeVar

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from pinghu_app import builds
from pinghu_app.state import Keys
from pinghu_core.common import access, chart_base, settings
from pinghu_core.corpus import ingest, shapes
from pinghu_core.corpus import prominence as pr
from pinghu_core.corpus.files import scan_folder
from pinghu_core.overview import about as ab
from pinghu_core.overview import charts as ov_charts
from pinghu_core.overview import summary as ov
from pinghu_core.parse import projects as pj
from pinghu_core.progress import view as pv
from pinghu_core.search import places as pl
from pinghu_core.themes import dictionary as th

T = TypeVar("T")


class Viewer(NamedTuple):
    """Who is looking: hosted (sign-in configured) or local, signed in, the address and the role."""

    hosted: bool
    signed_in: bool
    email: str | None
    role: access.Role

    @property
    def editor(self) -> bool:
        return self.role is access.Role.EDITOR


def auth_configured() -> bool:
    """Hosted mode: an ``[auth]`` table in Streamlit's secrets (what ``st.login`` reads)."""
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # noqa: BLE001 - StreamlitSecretNotFoundError: no secrets file, local mode
        return False


def viewer() -> Viewer:
    """The current visitor.  Local mode: everybody is an editor.  Raises ``settings.SettingsError``."""
    if not auth_configured():
        return Viewer(False, False, None, access.Role.EDITOR)
    if not st.user.get("is_logged_in", False):
        return Viewer(True, False, None, access.Role.DENIED)
    email = st.user.get("email")
    s = settings.get_settings()
    return Viewer(True, True, email, access.role_of(email, s.allowed, s.editors))


class CorpusKey(NamedTuple):
    corpus_dir: str
    cache_dir: str
    fingerprint: str


# The last scan of each corpus folder, shared by every session of this process: (when, key).
_SCANNED: dict[tuple[str, str], tuple[float, CorpusKey]] = {}
_SCAN_LOCK = threading.Lock()
monotonic = time.monotonic  # the clock of the scans (tests move it)


def corpus_key(max_age: float | None = None) -> CorpusKey:
    """Where the corpus is and its fingerprint.  Raises ``ingest.CorpusError``.

    The folder is scanned (every file stat'ed) at most once per ``max_age`` seconds — by default
    ``refresh_seconds``, the interval at which open pages check the folder — for all sessions
    together: a script run does not pay for a scan, and a change is seen by every session within
    that interval (at once after 刷新语料 or an upload, which call :func:`forget_scans`).  With
    ``refresh_seconds`` 0 every run scans.  A file modified within the last ``settle_seconds`` is
    taken as still being written: it is left out, and the fingerprint changes again once it has
    settled (so it is read on a later check)."""
    s = settings.get_settings()
    age = s.refresh_seconds if max_age is None else max_age
    where = (str(s.corpus_dir), str(s.cache_dir))
    with _SCAN_LOCK:  # sessions arriving together wait for one scan instead of scanning each
        last = _SCANNED.get(where)
        if last is not None and monotonic() - last[0] < age:
            return last[1]
        fingerprint = ingest.corpus_fingerprint(
            s.corpus_dir, cache_dir=s.cache_dir, settle_seconds=s.settle_seconds
        )
        key = CorpusKey(*where, fingerprint)
        _SCANNED[where] = (monotonic(), key)
        return key


def forget_scans() -> None:
    """The next :func:`corpus_key` scans the folder (after 刷新语料, an upload)."""
    with _SCAN_LOCK:
        _SCANNED.clear()


def remember_key(key: CorpusKey) -> None:
    """Called by dashboard.py on every run, before the page runs."""
    st.session_state[Keys.CORPUS_KEY] = key


def corpus_title() -> str:
    """The paper the corpus holds (setting ``corpus_title``), for the pages' captions."""
    return settings.get_settings().corpus_title


def remembered_key() -> CorpusKey | None:
    """The key dashboard.py kept for this run (None when a page runs without it: pinghu_app.shell.current_key)."""
    return st.session_state.get(Keys.CORPUS_KEY)


def long_lived(value: T) -> T:
    """Mark what was just built for every session (a corpus, an index) as long-lived for the garbage
    collector: Streamlit runs a full collection after every script run (``runner.postScriptGC``),
    and walking the hundreds of thousands of objects of a loaded corpus each time was a third of
    the fixed cost of a rerun.  Frozen objects are still freed when nothing refers to them; only a
    reference cycle among them would outlive its use.

    What the build allocated and freed again in Arrow is handed back to the system here: the Arrow
    memory pool keeps freed memory for reuse, and after the search index of the ten-times corpus
    that was 600 MB the process kept for nothing.  Likewise the pages of the mapped corpus cache
    the build read (every body, for a scan of the corpus) are taken out of the process's resident
    set (``ingest.release_mapped``: they stay in the page cache and are read again without a copy);
    otherwise each counted in the process's memory until the corpus was dropped."""
    gc.collect()
    gc.freeze()
    pa.default_memory_pool().release_unused()
    ingest.release_mapped()
    return value


def released(value: T) -> T:
    """Return ``value`` after handing back to the system what building it allocated and freed (the
    C library keeps freed memory for reuse: 140 MB after the 人物 table of ten papers over ten years
    stayed in the process) and the pages of the mapped corpus cache it read — for results of a view
    over the whole corpus, where :func:`long_lived`'s collection would cost the interaction's time
    (this costs well under a millisecond).

    A month's rows of ten papers are scattered over the cache file, and each row read maps the
    pages around it too: 简报's first month left 96 MB of titles and bodies counted in the process
    (bench_scale, 2026-12-05); they stay in the page cache, and the next read maps them again."""
    pa.default_memory_pool().release_unused()
    ingest.release_mapped()
    return value


def release_mapped() -> None:
    """Before a large once-per-corpus build: the pages of the mapped corpus cache that earlier runs
    read (rows of a table, figures of 项目进度) are taken out of the process's resident set, so they
    do not add to the build's peak (``ingest.release_mapped``; :func:`long_lived` does it after)."""
    ingest.release_mapped()


# A cold load parses every page (a minute or two for ten years): in a background thread with its
# progress (pinghu_app.builds), unless the folder is small; a warm load (seconds) is waited for.
_LOADS = builds.Builds("corpus", "读取语料", unit="个文件")
INLINE_FILES = 200  # fewer files are read in the page run, cold or warm (a few seconds at most)
PATIENCE = 3.0  # seconds a page run waits for a load before it shows the progress instead
WHY = "首次读取需要解析全部版面，之后从缓存读取；运行 pinghu ingest 可预先解析"


def _read(key: CorpusKey, progress: ingest.ProgressFn | bool = False) -> ingest.Corpus:
    s = settings.get_settings()
    return long_lived(
        ingest.load_corpus(
            Path(key.corpus_dir),
            cache_dir=Path(key.cache_dir),
            workers=s.workers,
            progress=progress,
            settle_seconds=s.settle_seconds,
        )
    )


def _small(key: CorpusKey) -> bool:
    found = scan_folder(Path(key.corpus_dir), exclude=[Path(key.cache_dir)])
    return len(found.files) + len(found.partial) < INLINE_FILES


def wait_for_corpus(key: CorpusKey) -> ingest.Corpus:
    """The corpus of ``key``; when reading it takes more than ``PATIENCE`` seconds (a cold parse of
    a large folder), its progress instead, and this run stops — the app runs again when it is read."""
    build = _LOADS.start(key, lambda b: _read(key, b.update), inline=lambda: _small(key))
    return builds.wait(_LOADS, key, build, "读取语料", WHY, patience=PATIENCE)


def read_ahead() -> ingest.Corpus | None:
    """Read the corpus as a page run would — the same build, shared with every session — and wait
    for it; then the 总览 figures every first visit starts with.  The hosted server calls this once
    when it starts (``serve.warm_up``): its first visitor finds the corpus read, or a cold parse
    already under way.  None when reading failed (the first page run shows why)."""
    key = corpus_key()
    build = _LOADS.start(key, lambda b: _read(key, b.update))
    if not builds.settle(build):
        return None
    overview(key)
    counts_zh(key)
    return build.result


@st.cache_resource(show_spinner="正在读取语料（首次读取需要解析全部版面，请稍候）…", max_entries=2)
def load_corpus(key: CorpusKey) -> ingest.Corpus:
    """The corpus :func:`wait_for_corpus` read (every page run waits for it first), else read here."""
    build = _LOADS.get(key)
    if build is not None and build.finished:
        return build.result
    return _read(key)


def derived_root(key: CorpusKey) -> Path:
    """Where results computed once per corpus are kept (:mod:`pinghu_core.corpus.derived`)."""
    return ingest.cache_root(Path(key.cache_dir), Path(key.corpus_dir))


def get_corpus(key: CorpusKey) -> ingest.Corpus:
    """The parsed corpus of ``key``, shared by every session: do not modify it."""
    return load_corpus(key)


@st.cache_resource(show_spinner=False, max_entries=2)  # shared, not copied on every rerun: do not modify
def paper_pages(key: CorpusKey) -> shapes.PaperPages:
    """The 版面 of the corpus (article files grouped by date and 版次) and each article's 版面."""
    corpus = load_corpus(key)
    return shapes.paper_pages(corpus.pages, corpus.articles)


@st.cache_resource(show_spinner=False, max_entries=2)  # shared: do not modify
def _prominence(key: CorpusKey, rules: pr.Rules) -> pd.DataFrame:
    corpus = load_corpus(key)
    return long_lived(
        pr.stored_prominence(corpus.articles, corpus.pages, rules, derived_root(key), corpus.fingerprint)
    )


def prominence(key: CorpusKey) -> pd.DataFrame:
    """schemas.PROMINENCE of every item (版面, 头版, 版面位次, 头条, 权重), in the articles' order, by
    the rules of data/prominence.toml as they are now (an edit gives a new frame)."""
    return _prominence(key, pr.rules())


def pages_word(key: CorpusKey) -> str:
    """头版 for a corpus of front pages only, else 各版 (what the page captions call its pages)."""
    return _pages_word(key, pr.rules().front_page_nos)


@st.cache_data(show_spinner=False, max_entries=4)
def _pages_word(key: CorpusKey, front: frozenset[str]) -> str:
    return pr.pages_word_zh(load_corpus(key).pages["page_no"].astype(str), front)


def prominence_problem() -> str:
    """Why data/prominence.toml cannot be used ('' when it can), in Chinese."""
    return pr.rules_problem()


@st.cache_data(show_spinner=False, max_entries=4)
def overview(key: CorpusKey) -> ov.Overview:
    corpus = load_corpus(key)
    return ov.build_overview(
        corpus.pages, corpus.articles, corpus.report, paper_pages(key), copies=len(corpus.copies)
    )


@st.cache_resource(show_spinner=False, max_entries=16)  # shared: do not modify
def overview_figure(key: CorpusKey, name: str, years: tuple[int, ...] = ()) -> go.Figure:
    """One of the 总览 charts (``kinds``, ``page_nos``, ``months``, ``calendar`` of ``years``), built
    once per corpus: Plotly figures are slow to build, and the overview is every visit's first page."""
    data = overview(key)
    if name == "calendar":
        fig = ov_charts.calendar_heatmap(data.calendar, list(years))
    elif name == "months":
        fig = ov_charts.month_coverage_heatmap(data.months)
    elif name == "page_nos":
        fig = ov_charts.page_no_bar(data.page_nos)
    else:
        fig = ov_charts.kind_bar(data.kinds, ov.item_unit(data.summary.shape))
    return chart_base.for_browser(fig)


@st.cache_data(show_spinner=False, max_entries=4)
def counts_zh(key: CorpusKey) -> str:
    """The sidebar's count line (版面数, and 文章数 when there are article files)."""
    corpus = load_corpus(key)
    return ov.counts_zh(ov.summarize(corpus.pages, corpus.articles, paper_pages(key)))


class ThemesFileKey(NamedTuple):
    path: str
    mtime_ns: int  # -1 when the file cannot be read
    size: int


def themes_file_key() -> ThemesFileKey:
    """The theme dictionary file and its stat: editing data/themes.toml gives a new key."""
    path = th.themes_path()
    try:
        stat = path.stat()
    except OSError:
        return ThemesFileKey(str(path), -1, -1)
    return ThemesFileKey(str(path), stat.st_mtime_ns, stat.st_size)


def theme_digest(themes: th.ThemeDict) -> str:
    """A theme dictionary in a cache key: its digest (the content of the file it came from)."""
    return themes.digest


@functools.cache  # one per process, never cleared: it keeps the last good dictionary across edits
def theme_store() -> th.ThemeStore:
    return th.ThemeStore()


@st.cache_resource(max_entries=8)
def _themes(file_key: ThemesFileKey) -> tuple[th.ThemeDict, th.ThemeFileError | None]:
    return theme_store().get(Path(file_key.path))


def theme_dictionary() -> tuple[th.ThemeDict | None, th.ThemeFileError | None]:
    """The theme dictionary (the last good one when the file is malformed) and the file's problem, if any.

    The dictionary is None only when the file has never been good since the server started.
    """
    try:
        return _themes(themes_file_key())
    except th.ThemeFileError as exc:
        return None, exc


@st.cache_data(show_spinner=False, max_entries=4)
def date_bounds(key: CorpusKey) -> tuple[dt.date | None, dt.date | None]:
    dates = load_corpus(key).pages["date"].dropna()
    return (dates.min().date(), dates.max().date()) if len(dates) else (None, None)


@functools.cache  # one per process, never cleared: it keeps the last good project file across edits
def project_store() -> pj.ProjectStore:
    return pj.ProjectStore()


def project_problem() -> str | None:
    """What is wrong with the project file (data/projects.toml), in Chinese, or None when it is fine."""
    try:
        _, problem = project_store().get()
    except pj.ProjectFileError as exc:
        problem = exc
    return pv.project_problem_zh(problem) if problem is not None else None


class PlacesFileKey(NamedTuple):
    path: str
    mtime_ns: int  # -1 when the file cannot be read
    size: int


@functools.cache  # one per process, never cleared: it keeps the last good place file across edits
def places_store() -> pl.GazetteerStore:
    return pl.GazetteerStore()


def gazetteer(file_key: PlacesFileKey | None = None) -> tuple[pl.Gazetteer | None, str | None]:
    """The place file in use — its last good version when an edit broke it — and, when it is
    broken, why (Chinese); (None, why) when it was never usable."""
    try:
        gaz, error = places_store().get(Path(file_key.path) if file_key is not None else None)
    except pl.PlacesFileError as exc:
        return None, str(exc)
    return gaz, (f"{error}（沿用上一次可用的地名词表）" if error is not None else None)


def places_file_key() -> PlacesFileKey:
    """The place file (data/places.toml) and its stat: editing it gives a new key."""
    path = pl.places_path()
    try:
        stat = path.stat()
    except OSError:
        return PlacesFileKey(str(path), -1, -1)
    return PlacesFileKey(str(path), stat.st_mtime_ns, stat.st_size)


def about(key: CorpusKey) -> pd.DataFrame:
    """schemas.ABOUT: the corpus, dictionaries, settings and versions in use (cheap: not cached)."""
    corpus = load_corpus(key)
    resolved = settings.resolved()
    themes, themes_problem = theme_dictionary()
    try:
        store, problem = project_store().get()
    except pj.ProjectFileError as exc:
        store, problem = None, exc
    gaz, places_problem = gazetteer()
    places_version = f"版本 {gaz.version}" if gaz is not None else f"无法使用：{places_problem}"
    return ab.about_table(
        resolved.settings,
        resolved.sources,
        corpus.pages,
        corpus.report,
        themes,
        str(themes_problem) if themes_problem else None,
        store,
        str(problem) if problem else None,
        auth_configured(),
        places_version,
    )


@st.cache_data(show_spinner=False, max_entries=2)
def page_ids(key: CorpusKey) -> dict[str, str]:
    """Content id (``page_id``) → source of every page in the corpus, to find duplicate uploads."""
    pages = load_corpus(key).pages
    return dict(zip(pages["page_id"].astype(str), pages["source"].astype(str), strict=True))


def clear_all() -> None:
    """Forget every cached corpus and everything computed from it (刷新语料), and scan the folder
    again.  The dictionary stores are not Streamlit caches, so the last good version of each editable
    file survives."""
    forget_scans()
    _LOADS.clear()
    st.cache_data.clear()
    st.cache_resource.clear()
