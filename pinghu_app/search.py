"""文章检索: the cached search index, results, downloads, choices and the reader."""

from __future__ import annotations

import datetime as dt
import functools
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app import state as app_state
from pinghu_app import widgets
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
from pinghu_core.common import chart_base, schemas, viewspec, wording
from pinghu_core.common import safe_markdown as md
from pinghu_core.corpus import prominence as pr
from pinghu_core.corpus import shapes
from pinghu_core.search import index as se
from pinghu_core.search import places as pl
from pinghu_core.search import query as qy
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
    return None if counts.empty else chart_base.for_browser(sv.place_chart(counts, len(found)))


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


# ---------------------------------------------------------------- the page's sections


def filter_form(
    themes: th.ThemeDict | None,
    theme_labels: dict[str, str],
    place_options: dict[str, str],
    reporter_options: dict[str, str],
    page_no_options: dict[str, str],
    column_options: dict[str, str],
    first: dt.date | None,
    last: dt.date | None,
) -> None:
    """文章检索's filters: the query (and its syntax), dates, kinds, 版次, 头条 and the order, themes,
    places, 栏目, reporters (the widgets of SearchView)."""
    with st.container(border=True):
        st.text_input(
            "全文检索（引题、主题、副题和正文）",
            key=Keys.ARTICLES_QUERY,
            max_chars=qy.MAX_QUERY_CHARS,
            placeholder='例：项目 投资|融资 -疫情    或    "长三角一体化"',
            help='空格＝并且；| ＝或者（比空格优先结合）；-词＝不含；"短语"＝整段文字。'
            "中英文引号、全角半角符号都可以。按回车执行。",
        )
        with st.expander("检索语法"):
            st.markdown(sv.SYNTAX_HELP_MD)
        c1, c2, c6 = st.columns(3)
        if first:
            app_state.date_range_input(c1, "日期范围", Keys.ARTICLES_DATES, first, last)
        c2.multiselect(
            "类型",
            list(sv.KIND_CHOICES),
            format_func=sv.kind_label,
            key=Keys.ARTICLES_KINDS,
            select_all=False,
            placeholder="全部类型",
        )
        c6.multiselect(
            "版次（任一）",
            list(page_no_options),
            format_func=page_no_options.get,
            key=Keys.ARTICLES_PAGE_NOS,
            placeholder="不限" if page_no_options else "语料未标版次",
            disabled=not page_no_options,
            select_all=False,
            help="版次来自文件名（如 20200115-01-03.txt 的 01）或 manifest.csv",
        )
        s1, s2 = st.columns([1, 2])
        s1.toggle("只看头条", key=Keys.ARTICLES_LEAD, help=sv.LEAD_HELP)
        s2.radio("排序", list(se.SORTS), format_func=se.SORTS.get, horizontal=True, key=Keys.ARTICLES_SORT)
        c3, c4, c5, c7 = st.columns(4)
        c3.multiselect(
            "政策主题（任一）",
            list(theme_labels),
            format_func=theme_labels.get,
            key=Keys.ARTICLES_THEMES,
            select_all=False,
            placeholder="不限",
            disabled=themes is None,
        )
        c4.multiselect(
            "地点（任一）",
            list(place_options),
            format_func=place_options.get,
            key=Keys.ARTICLES_PLACES,
            select_all=False,
            placeholder="不限",
        )
        c7.multiselect(
            "栏目（任一）",
            list(column_options),
            format_func=column_options.get,
            key=viewspec.widget_of(se.SearchView, "columns"),
            placeholder="不限" if column_options else "语料未标栏目",
            disabled=not column_options,
            select_all=False,
        )
        c5.multiselect(
            "记者（任一）",
            list(reporter_options),
            format_func=reporter_options.get,
            select_all=False,
            key=Keys.ARTICLES_REPORTERS,
            placeholder="不限",
        )


def results_section(
    key: CorpusKey,
    themes: th.ThemeDict | None,
    index: se.SearchIndex,
    view: se.SearchView,
    parsed: object,
    page_no_options: dict[str, str],
    theme_labels: dict[str, str],
) -> None:
    """The counts, the first rows (a row ticked opens it below) and the downloads of every row."""
    found = search_positions(key, themes, view)
    st.markdown(sv.counts_zh(se.counts_at(index, view, found), view))
    if not len(found):
        st.info("没有符合条件的文章：请放宽日期范围、类型或其他筛选条件，或修改检索式。")
    else:
        shown = search_results(key, themes, view)  # the first sv.TABLE_LIMIT
        st.caption(sv.order_zh(view) + "；选中一行即在下方打开全文。" + sv.table_limit_zh(len(found)))
        st.dataframe(
            sv.result_table(shown, page_no=bool(page_no_options), hits=bool(parsed)),
            hide_index=True,
            placeholder=wording.MISSING,
            **app_state.row_picker(Keys.ARTICLES_TABLE, shown["article_id"].tolist(), Keys.ARTICLES_ARTICLE),
            column_config={
                "标题": st.column_config.TextColumn(width="medium"),
                "摘要（命中处以【】标出）": st.column_config.TextColumn(width="large"),
                "政策主题": st.column_config.TextColumn(width="small"),
            },
        )
        bodies = st.toggle("下载文件包含正文", key=Keys.ARTICLES_BODIES)
        d1, d2, d3, _ = st.columns([1, 1, 1, 2])
        for col, fmt, label, widget_key in (
            (d1, "csv", "下载 CSV", Keys.ARTICLES_CSV),
            (d2, "xlsx", "下载 Excel", Keys.ARTICLES_XLSX),
            (d3, "jsonl", "下载 JSON Lines", Keys.ARTICLES_JSONL),
        ):
            data = functools.partial(search_download, key, themes, view, fmt, theme_labels, bodies)
            widgets.file_download(
                label, data, sv.file_stem(view) + sv.FORMATS[fmt][0], widget_key, fmt=fmt, where=col
            )


def reader_section(key: CorpusKey, view: se.SearchView) -> None:
    """全文: the open article (or why it cannot be found) and the other items of its 版面."""
    detail = article_detail(key, view) if view.article else None
    if view.article and detail is None:
        st.warning(
            f"找不到编号为 {md.escape(view.article)} 的文章（语料可能已更新）。", icon=":material/warning:"
        )
    if detail is not None:
        st.subheader("全文")
        lines = [f"{label}：{text}" for label, text in (*detail.headline, *detail.bylines)] + list(
            detail.meta
        )
        widgets.article_reader(lines, Keys.ARTICLES_CLOSE, close_reader, body=detail.body)
        if len(detail.same_page):
            st.caption(f"{detail.same_page_label}（选中一行即打开）")
            st.dataframe(
                detail.same_page,
                hide_index=True,
                placeholder=wording.MISSING,
                **app_state.row_picker(Keys.ARTICLES_SAME_PAGE, detail.same_page_ids, Keys.ARTICLES_ARTICLE),
            )


def place_section(key: CorpusKey, themes: th.ThemeDict | None, view: se.SearchView) -> None:
    """地点分布: the places the chosen articles name, and every place's count to download."""
    st.subheader("地点分布")
    place_fig = place_figure(key, themes, view)
    if place_fig is None:
        st.info("符合条件的文章中没有识别出地点。")
    else:
        widgets.chart(place_fig, Keys.ARTICLES_PLACE_CHART)
        widgets.table_download(
            "下载地点分布（CSV，全部地点）",
            functools.partial(place_table, key, themes, view),
            "地点分布.csv",
            Keys.ARTICLES_PLACE_CSV,
        )
        st.caption(
            "地点按 data/places.toml 识别（镇、街道、开发区，以及文中写明的村、社区），口径见 docs/PLACES.md。"
        )
