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

import datetime as dt
import hashlib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from pinghu_core import about as ab
from pinghu_core import access, exports, ingest, schemas, segment, settings, shapes, views
from pinghu_core import daterange as dr
from pinghu_core import overview as ov
from pinghu_core import places as pl
from pinghu_core import progress_figures as pg
from pinghu_core import progress_views as pv
from pinghu_core import projects as pj
from pinghu_core import search as se
from pinghu_core import search_views as sv
from pinghu_core import slogans as sl
from pinghu_core import themes as th
from pinghu_core import timeline as tl
from pinghu_core import word_views as wv
from pinghu_core import wordcloud_render as wr
from pinghu_core import words as wd


class Keys:
    """Session-state and widget keys, one place for all pages."""

    CORPUS_KEY = "corpus_key"  # the CorpusKey of the current run, set by dashboard.py
    REFRESH = "sidebar.refresh_corpus"
    SIGN_OUT = "sidebar.sign_out"
    UPLOAD_FILES = "upload.files"
    UPLOAD_DATES = "upload.date"  # + file index: the date asked for a file without one in its name
    UPLOAD_SAVE = "upload.save"
    UPLOAD_NONCE = "upload.nonce"  # bumped after a write: a fresh, empty uploader
    UPLOAD_RESULT = "upload.result"
    OVERVIEW_YEARS = "overview.years"
    OVERVIEW_KIND_CHART = "overview.kind_chart"
    OVERVIEW_MONTHS = "overview.month_chart"
    OVERVIEW_CALENDAR = "overview.calendar_chart"
    OVERVIEW_LOW_CONFIDENCE = "overview.low_confidence_table"
    OVERVIEW_DOUBTFUL = "overview.doubtful_items_table"
    OVERVIEW_DOUBTFUL_CSV = "overview.doubtful_items_csv"
    OVERVIEW_GAPS = "overview.gaps_table"
    OVERVIEW_REPORT = "overview.report_table"
    OVERVIEW_ABOUT = "overview.about_table"
    OVERVIEW_PAGE_NO_CHART = "overview.page_no_chart"
    THEMES_SELECTED = "themes.themes"
    THEMES_SLOGANS = "themes.slogans"
    THEMES_GRANULARITY = "themes.granularity"
    THEMES_MEASURE = "themes.measure"
    THEMES_DATES = "themes.dates"
    THEMES_PERIOD = "themes.period"
    THEMES_ARTICLE = "themes.article"
    THEMES_RAW = "themes.show_raw_counts"
    THEMES_TIMELINE_CHART = "themes.timeline_chart"
    THEMES_TIMELINE_CSV = "themes.timeline_csv"
    THEMES_RAW_TABLE = "themes.raw_table"
    THEMES_DRILL_TABLE = "themes.drill_table"
    THEMES_DRILL_CSV = "themes.drill_csv"
    THEMES_COOC_CHART = "themes.cooccurrence_chart"
    THEMES_COOC_CSV = "themes.cooccurrence_csv"
    THEMES_SLOGAN_TABLE = "themes.slogan_table"
    THEMES_SLOGAN_CSV = "themes.slogan_csv"
    THEMES_KEYWORD_TABLE = "themes.keyword_table"
    THEMES_KEYWORD_CSV = "themes.keyword_csv"
    THEMES_CLOSE_ARTICLE = "themes.close_article"
    THEMES_TABS = "themes.tabs"
    PROGRESS_PROJECT = "progress.project"
    PROGRESS_METRIC = "progress.metric"
    PROGRESS_SUBJECT = "progress.subject"
    PROGRESS_DATES = "progress.dates"
    PROGRESS_FIGURE = "progress.figure"
    PROGRESS_LATEST_CHART = "progress.latest_chart"
    PROGRESS_LATEST_CSV = "progress.latest_csv"
    PROGRESS_TRAJECTORY_CHART = "progress.trajectory_chart"
    PROGRESS_TRAJECTORY_CSV = "progress.trajectory_csv"
    PROGRESS_INVEST_CHART = "progress.investment_chart"
    PROGRESS_INVEST_CSV = "progress.investment_csv"
    PROGRESS_TABLE = "progress.table"
    PROGRESS_TABLE_CSV = "progress.table_csv"
    PROGRESS_TABLE_XLSX = "progress.table_xlsx"
    PROGRESS_CLOSE = "progress.close_figure"
    # 文章检索
    ARTICLES_QUERY = "articles.query"
    ARTICLES_DATES = "articles.dates"
    ARTICLES_KINDS = "articles.kinds"
    ARTICLES_PAGE_NOS = "articles.page_nos"
    ARTICLES_THEMES = "articles.themes"
    ARTICLES_PLACES = "articles.places"
    ARTICLES_REPORTERS = "articles.reporters"
    ARTICLES_ARTICLE = "articles.article"
    ARTICLES_TABLE = "articles.table"
    ARTICLES_SAME_PAGE = "articles.same_page_table"
    ARTICLES_CLOSE = "articles.close_article"
    ARTICLES_BODIES = "articles.with_bodies"
    ARTICLES_CSV = "articles.csv"
    ARTICLES_XLSX = "articles.xlsx"
    ARTICLES_JSONL = "articles.jsonl"
    ARTICLES_PLACE_CHART = "articles.place_chart"
    # ---- 词云
    WORDS_DATES = "words.dates"
    WORDS_THEMES = "words.themes"
    WORDS_KINDS = "words.kinds"
    WORDS_TOWNS = "words.towns"
    WORDS_WEIGHT = "words.weight"
    WORDS_TOP = "words.top"
    WORDS_POS = "words.pos"
    WORDS_COMPARE = "words.compare"
    WORDS_ROTATE = "words.rotate"  # allow vertical words in the clouds (off: every word horizontal)
    WORDS_PERIOD_A = "words.period_a"
    WORDS_PERIOD_B = "words.period_b"
    WORDS_WORD = "words.word"
    WORDS_WHOLE_WORD = "words.whole_word"
    WORDS_ARTICLE = "words.article"
    WORDS_TABLE = "words.term_table"
    WORDS_BAR = "words.bar_chart"
    WORDS_PNG = "words.png"
    WORDS_CSV = "words.csv"
    WORDS_PNG_A = "words.png_a"
    WORDS_PNG_B = "words.png_b"
    WORDS_RISING_TABLE = "words.rising_table"
    WORDS_RISING_CSV = "words.rising_csv"
    WORDS_KWIC_TABLE = "words.kwic_table"
    WORDS_KWIC_CSV = "words.kwic_csv"
    WORDS_CLOSE_ARTICLE = "words.close_article"


# ---------------------------------------------------------------- 登录与权限


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


# ---------------------------------------------------------------- 语料


class CorpusKey(NamedTuple):
    corpus_dir: str
    cache_dir: str
    fingerprint: str


def corpus_key() -> CorpusKey:
    """Where the corpus is and its current fingerprint (stats every file).  Raises ``ingest.CorpusError``.

    A file modified within the last ``settle_seconds`` is taken as still being written: it is left
    out, and the fingerprint changes again once it has settled (so it is read on the next check)."""
    s = settings.get_settings()
    fingerprint = ingest.corpus_fingerprint(
        s.corpus_dir, cache_dir=s.cache_dir, settle_seconds=s.settle_seconds
    )
    return CorpusKey(str(s.corpus_dir), str(s.cache_dir), fingerprint)


def remember_key(key: CorpusKey) -> None:
    """Called by dashboard.py on every run, before the page runs."""
    st.session_state[Keys.CORPUS_KEY] = key


def corpus_title() -> str:
    """The paper the corpus holds (setting ``corpus_title``), for the pages' captions."""
    return settings.get_settings().corpus_title


def remembered_key() -> CorpusKey | None:
    """The key dashboard.py kept for this run (None when a page runs without it: app_shell.current_key)."""
    return st.session_state.get(Keys.CORPUS_KEY)


@st.cache_resource(show_spinner="正在读取语料（首次读取需要解析全部版面，请稍候）…", max_entries=2)
def _load_corpus(key: CorpusKey) -> ingest.Corpus:
    s = settings.get_settings()
    return ingest.load_corpus(
        Path(key.corpus_dir),
        cache_dir=Path(key.cache_dir),
        workers=s.workers,
        progress=False,
        settle_seconds=s.settle_seconds,
    )


def get_corpus(key: CorpusKey) -> ingest.Corpus:
    """The parsed corpus of ``key``, shared by every session: do not modify it."""
    return _load_corpus(key)


@st.cache_resource(show_spinner=False, max_entries=2)  # shared, not copied on every rerun: do not modify
def paper_pages(key: CorpusKey) -> shapes.PaperPages:
    """The 版面 of the corpus (article files grouped by date and 版次) and each article's 版面."""
    corpus = _load_corpus(key)
    return shapes.paper_pages(corpus.pages, corpus.articles)


@st.cache_data(show_spinner=False, max_entries=4)
def overview(key: CorpusKey) -> ov.Overview:
    corpus = _load_corpus(key)
    return ov.build_overview(corpus.pages, corpus.articles, corpus.report, paper_pages(key))


@st.cache_data(show_spinner=False, max_entries=4)
def counts_zh(key: CorpusKey) -> str:
    """The sidebar's count line (版面数, and 文章数 when there are article files)."""
    corpus = _load_corpus(key)
    return ov.counts_zh(ov.summarize(corpus.pages, corpus.articles, paper_pages(key)))


# ---------------------------------------------------------------- 政策主题


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


@st.cache_resource
def _theme_store() -> th.ThemeStore:
    return th.ThemeStore()  # keeps the last good dictionary across edits of the file


@st.cache_resource(max_entries=8)
def _themes(file_key: ThemesFileKey) -> tuple[th.ThemeDict, th.ThemeFileError | None]:
    return _theme_store().get(Path(file_key.path))


def theme_dictionary() -> tuple[th.ThemeDict | None, th.ThemeFileError | None]:
    """The theme dictionary (the last good one when the file is malformed) and the file's problem, if any.

    The dictionary is None only when the file has never been good since the server started.
    """
    try:
        return _themes(themes_file_key())
    except th.ThemeFileError as exc:
        return None, exc


@st.cache_data(show_spinner="正在按主题词典标注文章…", max_entries=4)
def theme_hits(key: CorpusKey, digest: str, _themes: th.ThemeDict) -> pd.DataFrame:
    """schemas.ARTICLE_THEMES of every article for the dictionary with this ``digest``."""
    return th.tag_articles(_load_corpus(key).articles, _themes)


@st.cache_data(show_spinner="正在识别口号…", max_entries=4)
def slogans(key: CorpusKey) -> pd.DataFrame:
    return sl.find_slogans(_load_corpus(key).articles)


@st.cache_data(show_spinner=False, max_entries=4)
def slogan_table(key: CorpusKey) -> pd.DataFrame:
    corpus = _load_corpus(key)
    return views.slogan_table(slogans(key), corpus.articles, corpus.pages)


@st.cache_data(show_spinner=False, max_entries=16)
def _slogan_hits(key: CorpusKey, chosen: tuple[str, ...]) -> pd.DataFrame:
    return sl.slogan_hits(_load_corpus(key).articles, list(chosen))


def _series_hits(key: CorpusKey, digest: str, series: tuple[str, ...], themes: th.ThemeDict) -> pd.DataFrame:
    """Theme and slogan hits of the series ids (slogans as ``slogan:…``)."""
    chosen = tuple(tl.slogan_series(series))
    slogan_rows = _slogan_hits(key, chosen) if chosen else theme_hits(key, digest, themes).head(0)
    return tl.series_hits(theme_hits(key, digest, themes), slogan_rows, series)


@st.cache_data(show_spinner=False, max_entries=4)
def date_bounds(key: CorpusKey) -> tuple[dt.date | None, dt.date | None]:
    dates = _load_corpus(key).pages["date"].dropna()
    return (dates.min().date(), dates.max().date()) if len(dates) else (None, None)


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
    corpus = _load_corpus(key)
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
        _load_corpus(key).articles, hits, list(series), pd.Timestamp(period), granularity
    )
    return views.per_article(rows)


def period_articles(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """The articles of the view's period that match its series (one row each), with keyword-in-context lines."""
    return _period_articles(key, themes.digest, tuple(view.series_ids), view.period, view.granularity, themes)


@st.cache_data(show_spinner=False, max_entries=16)
def _cooccurrence(
    key: CorpusKey, digest: str, start: dt.date | None, end: dt.date | None, _themes: th.ThemeDict
) -> pd.DataFrame:
    ids = views.article_ids_between(_load_corpus(key).articles, start, end)
    return tl.cooccurrence(theme_hits(key, digest, _themes), ids)


def cooccurrence(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """Pairs of themes sharing articles dated inside the view's range."""
    return _cooccurrence(key, themes.digest, view.start, view.end, themes)


@st.cache_data(show_spinner="正在检查分词…", max_entries=4)
def _keyword_report(key: CorpusKey, digest: str, _themes: th.ThemeDict) -> pd.DataFrame:
    return views.keyword_table(segment.keyword_report(_load_corpus(key).articles, _themes))


def keyword_report(key: CorpusKey, themes: th.ThemeDict) -> pd.DataFrame:
    """The segmentation check of every keyword, flagged ones first (Chinese headers)."""
    return _keyword_report(key, themes.digest, themes)


def seed_widgets(values: Mapping[str, object], options: Mapping[str, Collection] | None = None) -> None:
    """Give each widget its value from the URL when it has no state yet (a new session, or back from
    another page); forget a state that is no longer among the widget's ``options``."""
    for k, allowed in (options or {}).items():
        value = st.session_state.get(k)
        if isinstance(value, list | tuple) and value and not set(value) <= set(allowed):
            st.session_state[k] = [v for v in value if v in allowed]
        elif isinstance(value, str) and value not in allowed:
            st.session_state[k] = None
    for k, value in values.items():
        if k not in st.session_state:
            st.session_state[k] = value


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


def sync_url(params: Mapping[str, str]) -> None:
    """Make the page URL carry exactly ``params`` (so the view can be shared as a link)."""
    if st.query_params.to_dict() != dict(params):
        st.query_params.from_dict(params)


# ---------------------------------------------------------------- 项目进度


@st.cache_resource
def _project_store() -> pj.ProjectStore:
    return pj.ProjectStore()  # keeps the last good project file across edits


def project_problem() -> str | None:
    """What is wrong with the project file (data/projects.toml), in Chinese, or None when it is fine."""
    try:
        _, problem = _project_store().get()
    except pj.ProjectFileError as exc:
        problem = exc
    return pv.project_problem_zh(problem) if problem is not None else None


def project_names(key: CorpusKey) -> dict[str, str]:
    """project_id → display name for every project with figures (a bad project file: automatic names)."""
    try:
        store, _ = _project_store().get()
    except pj.ProjectFileError:
        store = pj.EMPTY
    return _project_names(key, store.digest, store)


@st.cache_data(show_spinner=False, max_entries=4)
def _project_names(key: CorpusKey, digest: str, _store: pj.ProjectFile) -> dict[str, str]:
    ids = _load_corpus(key).progress["project_id"].astype(str).unique()
    return {p: _store.label(p) for p in ids if p}


@st.cache_data(show_spinner=False, max_entries=4)
def _project_choices(key: CorpusKey, names: dict[str, str]) -> dict[str, str]:
    return pv.project_options(_load_corpus(key).progress, names)


def project_choices(key: CorpusKey) -> dict[str, str]:
    """project_id → '名称（N 条）', projects with most figures first."""
    return _project_choices(key, project_names(key))


def progress_figures(key: CorpusKey) -> pd.DataFrame:
    """schemas.PROGRESS of the corpus (shared: do not modify)."""
    return _load_corpus(key).progress


@st.cache_data(show_spinner=False, max_entries=4)
def progress_bounds(key: CorpusKey) -> tuple[dt.date | None, dt.date | None]:
    return pv.date_bounds(_load_corpus(key).progress)


@st.cache_data(show_spinner=False, max_entries=4)
def progress_options(key: CorpusKey) -> tuple[list[str], list[str]]:
    """(metrics, subjects) present in the corpus' figures."""
    progress = _load_corpus(key).progress
    return pv.metric_options(progress), pv.subject_options(progress)


def _filters(view: pv.ProgressView, *, metric: bool = False) -> tuple:
    """What a computation depends on, as plain values (subject, dates, and the metric when asked)."""
    return (view.metric if metric else "", view.subject, view.start, view.end)


def _rows(progress: pd.DataFrame, filters: tuple) -> pd.DataFrame:
    metric, subject, start, end = filters
    return pv.filter_figures(progress, pv.ProgressView(metric=metric, subject=subject, start=start, end=end))


@st.cache_data(show_spinner=False, max_entries=32)
def _latest_completion(key: CorpusKey, filters: tuple) -> pd.DataFrame:
    progress = _load_corpus(key).progress
    return pv.with_evidence(pg.latest_completion(_rows(progress, filters)), progress)


def latest_completion(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """The latest completion figure of each subject within the view's subject and dates."""
    return _latest_completion(key, _filters(view))


@st.cache_data(show_spinner=False, max_entries=32)
def _investment_pairs(key: CorpusKey, filters: tuple) -> pd.DataFrame:
    return pg.investment_pairs(_rows(_load_corpus(key).progress, filters))


def investment_pairs(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """Planned and completed investment given together, within the view's subject and dates."""
    return _investment_pairs(key, _filters(view))


@st.cache_data(show_spinner=False, max_entries=32)
def _trajectory(key: CorpusKey, project: str, start: dt.date | None, end: dt.date | None) -> pd.DataFrame:
    return pv.in_range(
        pg.trajectory(_load_corpus(key).progress, project), pv.ProgressView(start=start, end=end)
    )


def trajectory(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """Figures and milestones of the view's project dated inside its range."""
    return _trajectory(key, view.project, view.start, view.end)


@st.cache_data(show_spinner=False, max_entries=32)
def _figure_rows(key: CorpusKey, filters: tuple) -> pd.DataFrame:
    return _rows(_load_corpus(key).progress, filters)


def figure_rows(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """The figures of the view's metric, subject and dates, newest first."""
    return _figure_rows(key, _filters(view, metric=True))


@st.cache_data(show_spinner=False, max_entries=32)
def _figure_table(key: CorpusKey, filters: tuple, names: dict[str, str]) -> pd.DataFrame:
    return pv.figure_table(_figure_rows(key, filters), names)


def figure_table(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """:func:`figure_rows` for people (Chinese headers, the value marked in its sentence)."""
    return _figure_table(key, _filters(view, metric=True), project_names(key))


def select_figure_from(chart_key: str):
    """An on_select callback: a clicked bar or point opens its figure (the select box follows)."""

    def callback() -> None:
        points = (st.session_state.get(chart_key) or {}).get("selection", {}).get("points", [])
        figure = pv.figure_from_points(points)
        if figure:
            st.session_state[Keys.PROGRESS_FIGURE] = figure

    return callback


def chart_key(base: str, selected: str) -> str:
    """A chart's widget key for the figure now open: picking another figure (in the list, the table
    or another chart) mounts a fresh chart, so no bar or point stays highlighted from an old click."""
    return (
        f"{base}-{hashlib.sha1(selected.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"
        if selected
        else base
    )


def close_figure() -> None:
    st.session_state[Keys.PROGRESS_FIGURE] = None


# ---------------------------------------------------------------- 文章检索


class PlacesFileKey(NamedTuple):
    path: str
    mtime_ns: int  # -1 when the file cannot be read
    size: int


def places_file_key() -> PlacesFileKey:
    """The place file (data/places.toml) and its stat: editing it gives a new key."""
    path = pl.places_path()
    try:
        stat = path.stat()
    except OSError:
        return PlacesFileKey(str(path), -1, -1)
    return PlacesFileKey(str(path), stat.st_mtime_ns, stat.st_size)


@st.cache_resource(show_spinner="正在识别文章提到的地点…", max_entries=2)
def _article_places(key: CorpusKey, file_key: PlacesFileKey) -> tuple[pd.DataFrame, str, str | None]:
    """(schemas.ARTICLE_PLACES, gazetteer version, problem in Chinese or None) — shared: do not modify."""
    try:
        gaz = pl.load_gazetteer(Path(file_key.path))
    except pl.PlacesFileError as exc:
        return schemas.ARTICLE_PLACES.empty(), "", f"{exc}。地点筛选和地点图暂不可用，其他功能不受影响。"
    return pl.article_places(_load_corpus(key).articles, gaz), gaz.version, None


def article_places(key: CorpusKey) -> tuple[pd.DataFrame, str, str | None]:
    return _article_places(key, places_file_key())


@st.cache_resource(show_spinner="正在建立全文检索索引（每个语料一次）…", max_entries=2)
def _search_index(
    key: CorpusKey, digest: str, file_key: PlacesFileKey, _themes: th.ThemeDict | None
) -> se.SearchIndex:
    hits = theme_hits(key, digest, _themes) if _themes is not None else None
    places, _, _ = _article_places(key, file_key)
    corpus = _load_corpus(key)
    return se.build_index(corpus.articles, places, hits, corpus.pages)


def search_index(key: CorpusKey, themes: th.ThemeDict | None) -> se.SearchIndex:
    """The search index of the corpus (themes of ``themes``; None: no theme filter) — shared: do not modify."""
    return _search_index(key, themes.digest if themes is not None else "", places_file_key(), themes)


@st.cache_resource(show_spinner=False, max_entries=16)  # shared, not copied on every rerun: do not modify
def _search_results(
    key: CorpusKey, digest: str, file_key: PlacesFileKey, filters: tuple, _index: se.SearchIndex
) -> pd.DataFrame:
    start, end, kinds, themes, places, reporters, query, page_nos = filters
    view = se.SearchView(
        start=start,
        end=end,
        kinds=kinds,
        themes=themes,
        places=places,
        reporters=reporters,
        query=query,
        page_nos=page_nos,
    )
    return se.filter_articles(_index, view, snippets=sv.TABLE_LIMIT)


def search_results(key: CorpusKey, themes: th.ThemeDict | None, view: se.SearchView) -> pd.DataFrame:
    """schemas.SEARCH_RESULTS of the view's filters (the opened article does not change them); the
    snippets around the first hit are cut for the rows the page shows (:func:`search_download` has all).
    Shared between sessions: do not modify."""
    index = search_index(key, themes)
    return _search_results(
        key, themes.digest if themes is not None else "", places_file_key(), view.filters, index
    )


def search_download(
    key: CorpusKey,
    themes: th.ThemeDict | None,
    view: se.SearchView,
    fmt: str,
    labels: dict[str, str],
    bodies: bool,
) -> bytes:
    """The bytes of a download of every matching row (built when the button is clicked, not cached)."""
    corpus = _load_corpus(key)
    _, places_version, _ = article_places(key)
    snap = sv.snapshot(corpus.report, corpus.pages, themes.version if themes else "", places_version)
    results = se.filter_articles(search_index(key, themes), view)
    return sv.download_bytes(fmt, results, corpus.articles, view, snap, labels, bodies=bodies)


@st.cache_data(show_spinner=False, max_entries=4)
def place_choices(key: CorpusKey, file_key: PlacesFileKey) -> dict[str, str]:
    places, _, _ = _article_places(key, file_key)
    try:
        towns = pl.load_gazetteer(Path(file_key.path)).names
    except pl.PlacesFileError:
        towns = []
    return sv.place_options(places, towns)


@st.cache_data(show_spinner=False, max_entries=4)
def reporter_choices(key: CorpusKey) -> dict[str, str]:
    return sv.reporter_options(_load_corpus(key).articles)


@st.cache_data(show_spinner=False, max_entries=4)
def page_no_choices(key: CorpusKey) -> dict[str, str]:
    """版次 present in the corpus → '第01版（123 篇）' (empty when no file has a 版次)."""
    return shapes.page_no_choices(_load_corpus(key).articles)


def article_detail(key: CorpusKey, view: se.SearchView) -> sv.ArticleDetail | None:
    """The reader's content for the view's opened article (None when it is not in the corpus)."""
    corpus = _load_corpus(key)
    return sv.article_detail(corpus.articles, corpus.pages, view.article, view.query, paper_pages(key))


def selection_digest(row_ids: list[str], current: object) -> str:
    """A short name for (these rows in this order, this open item)."""
    text = "\x1f".join(map(str, row_ids)) + "\x1e" + ("" if current is None else str(current))
    return hashlib.blake2s(text.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def row_picker(base_key: str, row_ids: list[str], target: str, *, clears: Collection[str] = ()) -> dict:
    """Keyword arguments for a ``st.dataframe`` whose chosen row puts ``row_ids[row]`` into
    ``st.session_state[target]`` (and empties the ``clears`` keys).

    Streamlit keeps a table's selection as row *numbers* under its key, so with one fixed key a
    tick made in one result set stays on whatever row has that number in the next one (and a
    click there un-ticks it instead of opening it).  The key here names the rows shown and the
    item open now: another result set, another open item or a closed one is a new table, ticked
    exactly at the open item's row (``selection_default``) or nowhere."""
    current = st.session_state.get(target)
    key = f"{base_key}.{selection_digest(row_ids, current)}"
    default = {"selection": {"rows": [row_ids.index(current)], "columns": []}} if current in row_ids else None

    def callback() -> None:
        rows = (st.session_state.get(key) or {}).get("selection", {}).get("rows", [])
        if rows and 0 <= rows[0] < len(row_ids):
            st.session_state[target] = row_ids[rows[0]]
            for other in clears:
                st.session_state[other] = None

    return {"key": key, "on_select": callback, "selection_mode": "single-row", "selection_default": default}


def close_reader() -> None:
    st.session_state[Keys.ARTICLES_ARTICLE] = None


# ---------------------------------------------------------------- 词云


class LexiconKey(NamedTuple):
    segmentation: str  # words.lexicon_digest: user dictionary, theme terms, POS guesses
    stopwords: str  # digest of data/lexicon/stopwords.txt
    places: str  # digest of the place file and data/lexicon/not_places.txt


def lexicon_key(themes: th.ThemeDict | None) -> LexiconKey:
    """Digests of the files the word counts depend on (read on every run: small files)."""
    segmentation = wd.lexicon_digest(themes, wd.default_backend())
    return LexiconKey(segmentation, wd.stopwords_digest(), wd.place_filter_digest(pl.places_path()))


@st.cache_resource(show_spinner="正在分词（首次需要为全部文章分词，之后从缓存读取）…", max_entries=2)
def _word_index(key: CorpusKey, segmentation: str, _themes: th.ThemeDict | None) -> wd.WordIndex:
    return wd.build_index(
        _load_corpus(key).articles,
        _themes,
        cache_dir=Path(key.cache_dir),
        corpus_dir=key.corpus_dir,
        workers=settings.get_settings().workers,
    )


@st.cache_data(show_spinner=False, max_entries=4)
def town_options(key: CorpusKey, file_key: PlacesFileKey) -> list[str]:
    """Towns, streets and zones of the place file that some article of the corpus names, in the
    file's order: a filter offers only places the corpus has (another paper's corpus, none)."""
    places, _, problem = _article_places(key, file_key)
    if problem:
        return []
    try:
        names = pl.load_gazetteer(Path(file_key.path)).names
    except pl.PlacesFileError:
        return []
    return wv.towns_named(names, places)


@st.cache_resource(max_entries=16)
def _countable(key: CorpusKey, lex: LexiconKey, pos: str, _themes: th.ThemeDict | None) -> object:
    try:
        places = pl.load_gazetteer().canonical if pos == "place" else ()
    except pl.PlacesFileError:
        places = ()  # the ns tags still find place names
    return wd.countable(_word_index(key, lex.segmentation, _themes), wd.load_stopwords(), pos, places)


def _filter(view: wv.WordView, start: object = None, end: object = None) -> tuple:
    """What an article filter depends on, as plain values."""
    dates = (view.start, view.end) if start is None else (start, end)
    return (*dates, view.themes, view.kinds, view.towns)


@st.cache_data(show_spinner=False, max_entries=32)
def _filtered_ids(
    key: CorpusKey, themes_digest: str, places_digest: str, flt: tuple, _themes: th.ThemeDict | None
) -> list[str]:
    start, end, themes, kinds, towns = flt
    view = wv.WordView(start=start, end=end, themes=themes, kinds=kinds, towns=towns)
    hits = theme_hits(key, themes_digest, _themes) if themes and _themes is not None else None
    places = article_places(key)[0] if towns else None  # places_digest: part of the cache key
    return wv.filtered_ids(_load_corpus(key).articles, view, theme_hits=hits, places=places)


def _ids(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, flt: tuple) -> list[str]:
    return _filtered_ids(key, themes.digest if themes else "", lex.places, flt, themes)


@st.cache_data(show_spinner=False, max_entries=32)
def _term_table(
    key: CorpusKey,
    lex: LexiconKey,
    themes_digest: str,
    flt: tuple,
    pos: str,
    weight: str,
    _themes: th.ThemeDict | None,
) -> tuple[pd.DataFrame, int]:
    index = _word_index(key, lex.segmentation, _themes)
    ids = _ids(key, _themes, lex, flt)
    keep = _countable(key, lex, pos, _themes)
    return wd.term_table(index, index.doc_mask(ids), keep, top=wv.TABLE_TERMS, weight=weight), len(ids)


def term_table(
    key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView, start=None, end=None
) -> tuple[pd.DataFrame, int]:
    """(schemas.TERM_COUNTS of the filtered articles, ranked by the view's weight; how many articles).
    ``start``/``end`` replace the view's dates (a compared period)."""
    lex = lexicon_key(themes)
    return _term_table(
        key, lex, themes.digest if themes else "", _filter(view, start, end), view.pos, view.weight, themes
    )


@st.cache_data(show_spinner="正在绘制词云…", max_entries=32)
def cloud_png(
    key: CorpusKey, frequencies: dict[str, float], scale_max: float | None, rotate: bool = False
) -> bytes | None:
    """The PNG of a cloud (None when there is no word); ``rotate``: some words may be vertical."""
    image = wr.render(
        frequencies, font_path=wr.cjk_font(Path(key.cache_dir)), scale_max=scale_max, rotate=rotate
    )
    return wr.png_bytes(image) if image is not None else None


@st.cache_data(show_spinner="正在计算上升词…", max_entries=16)
def _rising(
    key: CorpusKey,
    lex: LexiconKey,
    themes_digest: str,
    a: tuple,
    b: tuple,
    pos: str,
    _themes: th.ThemeDict | None,
) -> pd.DataFrame:
    index = _word_index(key, lex.segmentation, _themes)
    earlier, later = (index.doc_mask(_ids(key, _themes, lex, f)) for f in (a, b))
    return wd.rising_terms(index, earlier, later, _countable(key, lex, pos, _themes))


def rising_terms(key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView) -> pd.DataFrame:
    """schemas.RISING_TERMS from the view's earlier period to its later one."""
    lex = lexicon_key(themes)
    a, b = _filter(view, view.a_start, view.a_end), _filter(view, view.b_start, view.b_end)
    return _rising(key, lex, themes.digest if themes else "", a, b, view.pos, themes)


@st.cache_data(show_spinner="正在查找上下文…", max_entries=16)
def _kwic(
    key: CorpusKey,
    lex: LexiconKey,
    themes_digest: str,
    flt: tuple,
    word: str,
    whole_word: bool,
    _themes: th.ThemeDict | None,
) -> pd.DataFrame:
    index = _word_index(key, lex.segmentation, _themes)
    return wd.kwic(
        _load_corpus(key).articles,
        index,
        word,
        _ids(key, _themes, lex, flt),
        segment.Segmenter(_themes, wd.default_backend()),
        limit=wv.KWIC_LIMIT,
        whole_word=whole_word,
    )


def kwic(key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView) -> pd.DataFrame:
    """schemas.KWIC of the view's word in its filtered articles (at most word_views.KWIC_LIMIT lines)."""
    lex = lexicon_key(themes)
    return _kwic(key, lex, themes.digest if themes else "", _filter(view), view.word, view.whole_word, themes)


@st.cache_data(show_spinner=False, max_entries=16)
def _kwic_total(
    key: CorpusKey,
    lex: LexiconKey,
    themes_digest: str,
    flt: tuple,
    word: str,
    whole_word: bool,
    _themes: th.ThemeDict | None,
) -> int:
    index = _word_index(key, lex.segmentation, _themes)
    return wd.kwic_count(
        _load_corpus(key).articles,
        index,
        word,
        _ids(key, _themes, lex, flt),
        segment.Segmenter(_themes, wd.default_backend()),
        whole_word=whole_word,
    )


def kwic_total(key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView) -> int:
    """How many KWIC lines the view's word has in all (the list shows at most KWIC_LIMIT)."""
    lex = lexicon_key(themes)
    return _kwic_total(
        key, lex, themes.digest if themes else "", _filter(view), view.word, view.whole_word, themes
    )


def kwic_csv_all(key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView) -> bytes:
    """Every KWIC line of the view's word as CSV (built when the download is clicked, not cached)."""
    lex = lexicon_key(themes)
    index = _word_index(key, lex.segmentation, themes)
    lines = wd.kwic(
        _load_corpus(key).articles,
        index,
        view.word,
        _ids(key, themes, lex, _filter(view)),
        segment.Segmenter(themes, wd.default_backend()),
        whole_word=view.whole_word,
    )
    return exports.csv_bytes(wv.kwic_csv_frame(lines))


def words_view(first: dt.date | None, last: dt.date | None) -> wv.WordView:
    """The 词云 page's view from its widgets' state (dates default to the corpus' first and last day)."""
    ss = st.session_state
    start, end = wv.dates_of(ss.get(Keys.WORDS_DATES))
    a_start, a_end = wv.dates_of(ss.get(Keys.WORDS_PERIOD_A))
    b_start, b_end = wv.dates_of(ss.get(Keys.WORDS_PERIOD_B))
    return wv.fit_periods(
        wv.WordView(
            start=start or first,
            end=end or last,
            themes=tuple(ss[Keys.WORDS_THEMES]),
            kinds=tuple(ss[Keys.WORDS_KINDS]),
            towns=tuple(ss[Keys.WORDS_TOWNS]),
            weight=ss[Keys.WORDS_WEIGHT],
            top=int(ss[Keys.WORDS_TOP]),
            pos=ss[Keys.WORDS_POS],
            compare=bool(ss[Keys.WORDS_COMPARE]),
            a_start=a_start,
            a_end=a_end,
            b_start=b_start,
            b_end=b_end,
            word=ss.get(Keys.WORDS_WORD) or "",
            article=ss.get(Keys.WORDS_ARTICLE) or "",
            whole_word=bool(ss.get(Keys.WORDS_WHOLE_WORD)),
        )
    )


# The calendar of a date range box ends with an English “Date range  Select…” list of presets counted
# from today (last 7 days …), which mean nothing for an archive: hidden.
DATE_INPUT_ZH_CSS = """
[data-testid="stDateInputQuickSelect"] { display: none; }
"""


def date_range_input(
    where, label: str, key: str, first: dt.date | None, last: dt.date | None, *, then=None, **kwargs
) -> None:
    """A date range box over ``first``..``last``: it takes any date the calendar offers, then fits the
    range to the corpus and says under the box, in Chinese, what it changed (never the browser's
    English “Date set outside allowed range”, which kept the old range without a word).
    ``then`` runs after the fit (another on_change)."""

    def fit() -> None:
        value, note = dr.clamp_input(st.session_state.get(key), first, last)
        st.session_state[key] = value
        st.session_state[f"{key}.note"] = note
        if then is not None:
            then()

    st.html(f"<style>{DATE_INPUT_ZH_CSS}</style>")  # style only: Streamlit draws nothing for it
    where.date_input(
        label,
        min_value=dr.INPUT_MIN,
        max_value=dr.INPUT_MAX,
        format="YYYY-MM-DD",
        key=key,
        on_change=fit,
        **kwargs,
    )
    if note := st.session_state.get(f"{key}.note"):
        where.caption(f":material/info: {note}")


def fit_compare_periods() -> None:
    """on_change of the 词云 date range: the two compared periods are kept inside it (cut to it, or
    its halves when a period falls wholly outside), so the other filters apply to both."""
    ss = st.session_state
    start, end = wv.dates_of(ss.get(Keys.WORDS_DATES))
    if start is None or end is None:
        return  # one day picked so far: wait for the second
    a_start, a_end = wv.dates_of(ss.get(Keys.WORDS_PERIOD_A))
    b_start, b_end = wv.dates_of(ss.get(Keys.WORDS_PERIOD_B))
    fitted = wv.fit_periods(
        wv.WordView(start=start, end=end, a_start=a_start, a_end=a_end, b_start=b_start, b_end=b_end)
    )
    ss[Keys.WORDS_PERIOD_A] = (fitted.a_start, fitted.a_end)
    ss[Keys.WORDS_PERIOD_B] = (fitted.b_start, fitted.b_end)


def pick_word_from_bar() -> None:
    """on_select of the bar chart: a clicked bar becomes the picked word."""
    points = (st.session_state.get(Keys.WORDS_BAR) or {}).get("selection", {}).get("points", [])
    for point in points:
        word = point.get("customdata") or point.get("y")
        if isinstance(word, list | tuple):
            word = word[0] if word else None
        if word:
            st.session_state[Keys.WORDS_WORD] = str(word)
            st.session_state[Keys.WORDS_ARTICLE] = None
            return


def close_word_article() -> None:
    st.session_state[Keys.WORDS_ARTICLE] = None


# ---------------------------------------------------------------- 运行配置与版本（总览）


def about(key: CorpusKey) -> pd.DataFrame:
    """schemas.ABOUT: the corpus, dictionaries, settings and versions in use (cheap: not cached)."""
    corpus = _load_corpus(key)
    resolved = settings.resolved()
    themes, themes_problem = theme_dictionary()
    try:
        store, problem = _project_store().get()
    except pj.ProjectFileError as exc:
        store, problem = None, exc
    try:
        places_version = f"版本 {pl.load_gazetteer().version}"
    except pl.PlacesFileError as exc:
        places_version = f"无法使用：{exc}"
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


# ---------------------------------------------------------------- 上传


@st.cache_data(show_spinner=False, max_entries=2)
def page_ids(key: CorpusKey) -> dict[str, str]:
    """Content id (``page_id``) → source of every page in the corpus, to find duplicate uploads."""
    pages = _load_corpus(key).pages
    return dict(zip(pages["page_id"].astype(str), pages["source"].astype(str), strict=True))


_CACHED = (
    _load_corpus,
    paper_pages,
    overview,
    counts_zh,
    _themes,
    theme_hits,
    slogans,
    slogan_table,
    _slogan_hits,
    date_bounds,
    _timeline,
    _period_articles,
    _cooccurrence,
    _keyword_report,
    _project_names,
    _project_choices,
    progress_bounds,
    progress_options,
    _latest_completion,
    _investment_pairs,
    _trajectory,
    _figure_rows,
    _figure_table,
    _article_places,
    _search_index,
    _search_results,
    place_choices,
    reporter_choices,
    page_no_choices,
    _word_index,
    town_options,
    _countable,
    _filtered_ids,
    _term_table,
    cloud_png,
    _rising,
    _kwic,
    _kwic_total,
    page_ids,
)


def clear_all() -> None:
    """Forget every cached corpus and everything computed from it."""
    for fn in _CACHED:
        fn.clear()


# ---------------------------------------------------------------- 上传: the file uploader in Chinese

# st.file_uploader has no argument for its button text ("Upload") nor its limit line ("5MB per file • TXT",
# a rounded second figure beside the page's own caption): the page states the limit once, in Chinese.
UPLOADER_ZH_CSS = """
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] { display: none; }
[data-testid="stFileUploaderDropzone"] button span[style*="contents"]::after { content: "选择文件"; }
"""


def chinese_file_uploader() -> None:
    """Relabel the page's file uploaders in Chinese (a style block: nothing is drawn)."""
    st.html(f"<style>{UPLOADER_ZH_CSS}</style>")
