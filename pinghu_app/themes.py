"""政策主题: cached theme hits, slogans, timeline, drill-down, co-occurrence and the segmentation check, and the page's callbacks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from pinghu_app.corpus import CorpusKey, load_corpus
from pinghu_app.state import Keys
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import slogans as sl
from pinghu_core.themes import timeline as tl
from pinghu_core.themes import view as views
from pinghu_core.words import segment


@st.cache_data(show_spinner="正在按主题词典标注文章…", max_entries=4)
def theme_hits(key: CorpusKey, digest: str, _themes: th.ThemeDict) -> pd.DataFrame:
    """schemas.ARTICLE_THEMES of every article for the dictionary with this ``digest``."""
    return th.tag_articles(load_corpus(key).articles, _themes)


@st.cache_data(show_spinner="正在识别口号…", max_entries=4)
def slogans(key: CorpusKey) -> pd.DataFrame:
    return sl.find_slogans(load_corpus(key).articles)


@st.cache_data(show_spinner=False, max_entries=4)
def slogan_table(key: CorpusKey) -> pd.DataFrame:
    corpus = load_corpus(key)
    return views.slogan_table(slogans(key), corpus.articles, corpus.pages)


@st.cache_data(show_spinner=False, max_entries=16)
def _slogan_hits(key: CorpusKey, chosen: tuple[str, ...]) -> pd.DataFrame:
    return sl.slogan_hits(load_corpus(key).articles, list(chosen))


def _series_hits(key: CorpusKey, digest: str, series: tuple[str, ...], themes: th.ThemeDict) -> pd.DataFrame:
    """Theme and slogan hits of the series ids (slogans as ``slogan:…``)."""
    chosen = tuple(tl.slogan_series(series))
    slogan_rows = _slogan_hits(key, chosen) if chosen else theme_hits(key, digest, themes).head(0)
    return tl.series_hits(theme_hits(key, digest, themes), slogan_rows, series)


@st.cache_data(show_spinner="正在计算时间线…", max_entries=32)
def _timeline(
    key: CorpusKey,
    digest: str,
    series: tuple[str, ...],
    granularity: str,
    measure: str,
    start: dt.date | None,
    end: dt.date | None,
    _themes: th.ThemeDict,
) -> pd.DataFrame:
    corpus = load_corpus(key)
    hits = _series_hits(key, digest, series, _themes)
    return tl.timeline(
        corpus.articles,
        corpus.pages,
        hits,
        list(series),
        granularity=granularity,
        measure=measure,
        start=start,
        end=end,
    )


def theme_timeline(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """schemas.TIMELINE of the view's series (the drilled period does not change it)."""
    series = tuple(view.series_ids)
    return _timeline(key, themes.digest, series, view.granularity, view.measure, view.start, view.end, themes)


@st.cache_data(show_spinner=False, max_entries=32)
def _period_articles(
    key: CorpusKey,
    digest: str,
    series: tuple[str, ...],
    period: dt.date,
    granularity: str,
    _themes: th.ThemeDict,
) -> pd.DataFrame:
    hits = _series_hits(key, digest, series, _themes)
    rows = tl.period_articles(
        load_corpus(key).articles, hits, list(series), pd.Timestamp(period), granularity
    )
    return views.per_article(rows)


def period_articles(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """The articles of the view's period that match its series (one row each), with keyword-in-context lines."""
    return _period_articles(key, themes.digest, tuple(view.series_ids), view.period, view.granularity, themes)


@st.cache_data(show_spinner=False, max_entries=16)
def _cooccurrence(
    key: CorpusKey, digest: str, start: dt.date | None, end: dt.date | None, _themes: th.ThemeDict
) -> pd.DataFrame:
    ids = views.article_ids_between(load_corpus(key).articles, start, end)
    return tl.cooccurrence(theme_hits(key, digest, _themes), ids)


def cooccurrence(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """Pairs of themes sharing articles dated inside the view's range."""
    return _cooccurrence(key, themes.digest, view.start, view.end, themes)


@st.cache_data(show_spinner="正在检查分词…", max_entries=4)
def _keyword_report(key: CorpusKey, digest: str, _themes: th.ThemeDict) -> pd.DataFrame:
    return views.keyword_table(segment.keyword_report(load_corpus(key).articles, _themes))


def keyword_report(key: CorpusKey, themes: th.ThemeDict) -> pd.DataFrame:
    """The segmentation check of every keyword, flagged ones first (Chinese headers)."""
    return _keyword_report(key, themes.digest, themes)


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
