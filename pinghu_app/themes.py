"""政策主题: cached theme hits, slogans, timeline, drill-down, co-occurrence and the segmentation check, and the page's callbacks."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app.corpus import CorpusKey, derived_root, load_corpus, theme_digest
from pinghu_app.state import Keys
from pinghu_core.common import viewspec
from pinghu_core.themes import charts as theme_charts
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import slogans as sl
from pinghu_core.themes import timeline as tl
from pinghu_core.themes import view as views
from pinghu_core.words import segment

# Cached functions take the dictionary and the view themselves: a dictionary is hashed by its
# digest, a view by the fields the function reads (its declaration says which decide the rows).
TIMELINE_HASH = {th.ThemeDict: theme_digest, views.ThemeView: viewspec.rows_key}
PERIOD_HASH = {th.ThemeDict: theme_digest, views.ThemeView: lambda v: (viewspec.rows_key(v), v.period)}
CHART_HASH = {
    th.ThemeDict: theme_digest,
    views.ThemeView: lambda v: (viewspec.rows_key(v), v.measure, v.granularity),
}
RANGE_HASH = {th.ThemeDict: theme_digest, views.ThemeView: lambda v: (v.start, v.end)}


@st.cache_resource(
    show_spinner="正在按主题词典标注文章…", max_entries=2, hash_funcs={th.ThemeDict: theme_digest}
)
def theme_hits(key: CorpusKey, themes: th.ThemeDict) -> pd.DataFrame:
    """schemas.ARTICLE_THEMES of every article for this dictionary (kept with the corpus cache) —
    shared, not unpickled on every call (a million rows on ten times the corpus): do not modify."""
    corpus = load_corpus(key)
    return th.stored_tags(corpus.articles, themes, derived_root(key), corpus.fingerprint)


@st.cache_resource(show_spinner="正在识别口号…", max_entries=2)  # shared: do not modify
def slogans(key: CorpusKey) -> pd.DataFrame:
    """schemas.SLOGANS of the corpus (kept with the corpus cache: ``pinghu ingest`` computes it)."""
    corpus = load_corpus(key)
    return sl.stored_slogans(corpus.articles, derived_root(key), corpus.fingerprint)


@st.cache_resource(show_spinner=False, max_entries=2)  # shared: do not modify
def slogan_table(key: CorpusKey) -> pd.DataFrame:
    corpus = load_corpus(key)
    return views.slogan_table(slogans(key), corpus.articles, corpus.pages)


@st.cache_data(show_spinner=False, max_entries=16)
def slogan_hits(key: CorpusKey, chosen: tuple[str, ...]) -> pd.DataFrame:
    return sl.slogan_hits(load_corpus(key).articles, list(chosen))


def series_hits(key: CorpusKey, themes: th.ThemeDict, series: list[str]) -> pd.DataFrame:
    """Theme and slogan hits of the series ids (slogans as ``slogan:…``), from the cached parts."""
    chosen = tuple(tl.slogan_series(series))
    slogan_rows = slogan_hits(key, chosen) if chosen else theme_hits(key, themes).head(0)
    return tl.series_hits(theme_hits(key, themes), slogan_rows, series)


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=CHART_HASH)  # shared: do not modify
def timeline_figure(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> go.Figure:
    """The timeline chart of the view (built once per view: Plotly figures are slow to build)."""
    timeline = theme_timeline(key, themes, view)
    return theme_charts.timeline_chart(timeline, measure=view.measure, granularity=view.granularity)


@st.cache_data(show_spinner="正在计算时间线…", max_entries=32, hash_funcs=TIMELINE_HASH)
def theme_timeline(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """schemas.TIMELINE of the view's series (the drilled period does not change it)."""
    corpus = load_corpus(key)
    return tl.timeline(
        corpus.articles,
        corpus.pages,
        series_hits(key, themes, view.series_ids),
        view.series_ids,
        granularity=view.granularity,
        measure=view.measure,
        start=view.start,
        end=view.end,
    )


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=PERIOD_HASH)
def period_articles(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """The articles of the view's period that match its series (one row each), with keyword-in-context lines."""
    hits = series_hits(key, themes, view.series_ids)
    rows = tl.period_articles(
        load_corpus(key).articles, hits, view.series_ids, pd.Timestamp(view.period), view.granularity
    )
    return views.per_article(rows)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=RANGE_HASH)
def cooccurrence(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """Pairs of themes sharing articles dated inside the view's range."""
    ids = views.article_ids_between(load_corpus(key).articles, view.start, view.end)
    return tl.cooccurrence(theme_hits(key, themes), ids)


@st.cache_data(show_spinner="正在检查分词…", max_entries=4, hash_funcs={th.ThemeDict: theme_digest})
def keyword_report(key: CorpusKey, themes: th.ThemeDict) -> pd.DataFrame:
    """The segmentation check of every keyword, flagged ones first (Chinese headers)."""
    return views.keyword_table(segment.keyword_report(load_corpus(key).articles, themes))


def select_period_from_chart() -> None:
    """on_select of the timeline: a clicked point drills into its period (the select box follows)."""
    state = st.session_state.get(Keys.THEMES_TIMELINE_CHART)
    points = (state or {}).get("selection", {}).get("points", [])
    period = views.period_from_points(points)
    if period:
        st.session_state[Keys.THEMES_PERIOD] = period
        st.session_state[Keys.THEMES_ARTICLE] = None


def close_article() -> None:
    st.session_state[Keys.THEMES_ARTICLE] = None
