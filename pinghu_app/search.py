"""文章检索: the cached search index, results, downloads, choices and the reader."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app.corpus import (
    CorpusKey,
    PlacesFileKey,
    derived_root,
    gazetteer,
    load_corpus,
    long_lived,
    paper_pages,
    places_file_key,
    prominence,
    theme_digest,
)
from pinghu_app.state import Keys
from pinghu_app.tags import theme_hits
from pinghu_core.common import schemas, viewspec
from pinghu_core.corpus import prominence as pr
from pinghu_core.corpus import shapes
from pinghu_core.search import index as se
from pinghu_core.search import places as pl
from pinghu_core.search import series as qseries
from pinghu_core.search import view as sv
from pinghu_core.themes import dictionary as th


@st.cache_resource(show_spinner="正在识别文章提到的地点…", max_entries=2)
def places_in_articles(key: CorpusKey, file_key: PlacesFileKey) -> tuple[pd.DataFrame, str, str | None]:
    """(schemas.ARTICLE_PLACES, gazetteer version, problem in Chinese or None) — shared: do not modify."""
    gaz, problem = gazetteer(file_key)
    if gaz is None:
        return schemas.ARTICLE_PLACES.empty(), "", f"{problem}。地点筛选和地点图暂不可用，其他功能不受影响。"
    corpus = load_corpus(key)
    return (
        pl.stored_article_places(corpus.articles, gaz, derived_root(key), corpus.fingerprint),
        gaz.version,
        problem,
    )


def article_places(key: CorpusKey) -> tuple[pd.DataFrame, str, str | None]:
    return places_in_articles(key, places_file_key())


class IndexFiles(NamedTuple):
    """The editable files the search index is built from: the place file's stat and the prominence
    rules' digest (an edit of either builds a new index)."""

    places: PlacesFileKey
    prominence: str


def index_files() -> IndexFiles:
    return IndexFiles(places_file_key(), pr.rules_digest())


# Cached functions take the view itself: hashed by the fields that decide the rows (its declaration
# says which), a theme dictionary by its digest.
HASH = {se.SearchView: viewspec.rows_key, th.ThemeDict: theme_digest}


@st.cache_resource(show_spinner="正在建立全文检索索引（每个语料一次）…", max_entries=2, hash_funcs=HASH)
def _index(key: CorpusKey, themes: th.ThemeDict | None, files: IndexFiles) -> se.SearchIndex:
    hits = theme_hits(key, themes) if themes is not None else None
    places, _, _ = places_in_articles(key, files.places)
    corpus = load_corpus(key)
    norm = se.stored_normalised(corpus.articles, derived_root(key), corpus.fingerprint)
    return long_lived(
        se.build_index(corpus.articles, places, hits, corpus.pages, norm, prominence=prominence(key))
    )


def search_index(key: CorpusKey, themes: th.ThemeDict | None) -> se.SearchIndex:
    """The search index of the corpus (themes of ``themes``; None: no theme filter) — shared: do not modify."""
    return _index(key, themes, index_files())


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=HASH)  # shared: do not modify
def _positions(
    key: CorpusKey, themes: th.ThemeDict | None, files: IndexFiles, view: se.SearchView
) -> np.ndarray:
    return se.filter_positions(_index(key, themes, files), view)


def search_positions(key: CorpusKey, themes: th.ThemeDict | None, view: se.SearchView) -> np.ndarray:
    """Positions in the search index of the articles matching the view's filters, newest first (the
    opened article does not change them): what the counts and the place chart are taken from.
    Shared between sessions: do not modify."""
    return _positions(key, themes, index_files(), view)


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=HASH)  # shared: do not modify
def _results(
    key: CorpusKey, themes: th.ThemeDict | None, files: IndexFiles, view: se.SearchView
) -> pd.DataFrame:
    shown = _positions(key, themes, files, view)[: sv.TABLE_LIMIT]
    return se.results_at(_index(key, themes, files), view, shown)


def search_results(key: CorpusKey, themes: th.ThemeDict | None, view: se.SearchView) -> pd.DataFrame:
    """schemas.SEARCH_RESULTS of the rows the page shows: the first ``sv.TABLE_LIMIT`` articles
    matching the view's filters, newest first, with snippets around the first hit
    (:func:`search_positions` has every match, :func:`search_download` every row).  Shared between
    sessions: do not modify."""
    return _results(key, themes, index_files(), view)


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=HASH)  # shared: do not modify
def _place_figure(
    key: CorpusKey, themes: th.ThemeDict | None, files: IndexFiles, view: se.SearchView
) -> go.Figure | None:
    found = _positions(key, themes, files, view)  # every match, not only the rows shown
    counts = se.place_counts_at(_index(key, themes, files), found)
    return None if counts.empty else sv.place_chart(counts, len(found))


def place_figure(key: CorpusKey, themes: th.ThemeDict | None, view: se.SearchView) -> go.Figure | None:
    """地点分布 of the view's results (None: no place recognised) — built once per view: a Plotly figure
    took a few per cent of every run's CPU.  Shared: do not modify."""
    return _place_figure(key, themes, index_files(), view)


def place_table(key: CorpusKey, themes: th.ThemeDict | None, view: se.SearchView) -> pd.DataFrame:
    """地点分布's data for the download (built on click): every place the matching articles name —
    not only the 20 drawn — with its articles and mentions, Chinese headers."""
    counts = se.place_counts_at(search_index(key, themes), search_positions(key, themes, view))
    return counts.rename(columns=schemas.labels_zh(schemas.PLACE_COUNTS))


def search_download(
    key: CorpusKey,
    themes: th.ThemeDict | None,
    view: se.SearchView,
    fmt: str,
    labels: dict[str, str],
    bodies: bool,
) -> bytes:
    """The bytes of a download of every matching row (built when the button is clicked, not cached)."""
    corpus = load_corpus(key)
    _, places_version, _ = article_places(key)
    snap = sv.snapshot(corpus.report, corpus.pages, themes.version if themes else "", places_version)
    results = se.filter_articles(search_index(key, themes), view)
    return sv.download_bytes(fmt, results, corpus.articles, view, snap, labels, bodies=bodies)


@st.cache_data(show_spinner=False, max_entries=4)
def place_choices(key: CorpusKey, file_key: PlacesFileKey) -> dict[str, str]:
    places, _, _ = places_in_articles(key, file_key)
    gaz, _ = gazetteer(file_key)
    towns = gaz.names if gaz is not None else []
    return sv.place_options(places, towns)


@st.cache_data(show_spinner=False, max_entries=4)
def reporter_choices(key: CorpusKey) -> dict[str, str]:
    return sv.reporter_options(load_corpus(key).articles)


@st.cache_data(show_spinner=False, max_entries=4)
def page_no_choices(key: CorpusKey) -> dict[str, str]:
    """版次 present in the corpus → '第01版（123 篇）' (empty when no file has a 版次)."""
    return shapes.page_no_choices(load_corpus(key).articles)


def article_detail(key: CorpusKey, view: se.SearchView) -> sv.ArticleDetail | None:
    """The reader's content for the view's opened article (None when it is not in the corpus)."""
    corpus = load_corpus(key)
    return sv.article_detail(corpus.articles, corpus.pages, view.article, view.query, paper_pages(key))


def close_reader() -> None:
    st.session_state[Keys.ARTICLES_ARTICLE] = None


@st.cache_resource(
    show_spinner="正在按检索式查找文章…", max_entries=32, hash_funcs=HASH
)  # shared: do not modify
def _query_series_hits(
    key: CorpusKey, themes: th.ThemeDict | None, files: IndexFiles, text: str
) -> pd.DataFrame:
    return qseries.query_hits(_index(key, themes, files), text)


def query_series_hits(key: CorpusKey, themes: th.ThemeDict | None, text: str) -> pd.DataFrame:
    """schemas.ARTICLE_THEMES rows of the news items a 文章检索 query matches, as a timeline series
    (``query:…``); raises ``query.QueryError`` for a query that cannot be parsed.  Shared: do not modify."""
    return _query_series_hits(key, themes, index_files(), text)
