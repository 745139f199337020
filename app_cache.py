"""The one module that holds Streamlit caching (and the session-state keys).

Every cached function takes a :class:`CorpusKey` whose ``fingerprint`` changes when a file
in the corpus folder changes, so editing ``data/`` refreshes the dashboard by itself; the
sidebar's 刷新语料 button calls :func:`clear_all`.

Cached frames are shared between sessions: never mutate them (``st.cache_data`` hands out
copies; the :class:`~pinghu_core.ingest.Corpus` from ``st.cache_resource`` is shared as is).

A page starts with ``key = app_cache.current_key()`` and asks for what it shows.  To add a
cached computation for a page: a function here taking ``key: CorpusKey``, decorated with
``st.cache_data``, calling ``_load_corpus(key)`` and one pure ``pinghu_core`` function, and
listed in ``_CACHED`` so that 刷新语料 clears it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import streamlit as st

from pinghu_core import ingest, settings
from pinghu_core import overview as ov


class Keys:
    """Session-state and widget keys, one place for all pages."""

    CORPUS_KEY = "corpus_key"  # the CorpusKey of the current run, set by dashboard.py
    REFRESH = "sidebar.refresh_corpus"
    OVERVIEW_YEARS = "overview.years"
    OVERVIEW_KIND_CHART = "overview.kind_chart"
    OVERVIEW_MONTHS = "overview.month_chart"
    OVERVIEW_CALENDAR = "overview.calendar_chart"
    OVERVIEW_LOW_CONFIDENCE = "overview.low_confidence_table"
    OVERVIEW_GAPS = "overview.gaps_table"
    OVERVIEW_REPORT = "overview.report_table"


class CorpusKey(NamedTuple):
    corpus_dir: str
    cache_dir: str
    fingerprint: str


def corpus_key() -> CorpusKey:
    """Where the corpus is and its current fingerprint (stats every file).  Raises ``ingest.CorpusError``."""
    s = settings.get_settings()
    fingerprint = ingest.corpus_fingerprint(s.corpus_dir, cache_dir=s.cache_dir)
    return CorpusKey(str(s.corpus_dir), str(s.cache_dir), fingerprint)


def remember_key(key: CorpusKey) -> None:
    """Called by dashboard.py on every run, before the page runs."""
    st.session_state[Keys.CORPUS_KEY] = key


def current_key() -> CorpusKey:
    """The key dashboard.py computed for this run; pages call this first.

    It is missing only when Streamlit ran a page without dashboard.py: a page's URL opened
    first on a freshly started server, before any session ran ``st.navigation``, makes
    Streamlit run ``pages/<name>.py`` from its automatic pages folder.  Registering our
    navigation and rerunning sends the same URL through dashboard.py.
    """
    key = st.session_state.get(Keys.CORPUS_KEY)
    if key is None:
        import dashboard  # not at the top: dashboard imports this module

        dashboard.navigation()
        st.rerun()
    return key


@st.cache_resource(show_spinner="正在读取语料（首次读取需要解析全部版面，请稍候）…", max_entries=2)
def _load_corpus(key: CorpusKey) -> ingest.Corpus:
    return ingest.load_corpus(
        Path(key.corpus_dir),
        cache_dir=Path(key.cache_dir),
        workers=settings.get_settings().workers,
        progress=False,
    )


def get_corpus(key: CorpusKey | None = None) -> ingest.Corpus:
    """The parsed corpus of ``key`` (default: this run's), shared by every session: do not modify it."""
    return _load_corpus(key or current_key())


@st.cache_data(show_spinner=False, max_entries=4)
def overview(key: CorpusKey) -> ov.Overview:
    corpus = _load_corpus(key)
    return ov.build_overview(corpus.pages, corpus.articles, corpus.report)


_CACHED = (_load_corpus, overview)


def clear_all() -> None:
    """Forget every cached corpus and everything computed from it."""
    for fn in _CACHED:
        fn.clear()
