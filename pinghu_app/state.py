"""Session state: the widget keys of every page (Keys), seeding widgets from the URL, writing the URL back, table row pickers and the Chinese date box / uploader."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Mapping
from typing import TypeVar

import streamlit as st

from pinghu_core.brief.view import BriefView
from pinghu_core.common import daterange as dr
from pinghu_core.common import viewspec
from pinghu_core.people.view import PeopleView
from pinghu_core.progress.view import ProgressView
from pinghu_core.search.index import SearchView
from pinghu_core.themes.view import ThemeView
from pinghu_core.words.view import WordView

V = TypeVar("V")


class Keys:
    """Session-state and widget keys, one place for all pages."""

    CORPUS_KEY = "corpus_key"  # the CorpusKey of the current run, set by dashboard.py
    REFRESH = "sidebar.refresh_corpus"
    SIGN_OUT = "sidebar.sign_out"
    MISSING_ADDRESS = "shell.missing_address"  # the address that is no page, kept for its reruns
    UPLOAD_FILES = "upload.files"
    UPLOAD_DATES = "upload.date"  # + file index: the date asked for a file without one in its name
    UPLOAD_SAVE = "upload.save"
    UPLOAD_NONCE = "upload.nonce"  # bumped after a write: a fresh, empty uploader
    UPLOAD_RESULT = "upload.result"
    EVENTS_TABLE = "events.table"
    EVENTS_CSV = "events.csv"
    EVENTS_XLSX = "events.xlsx"
    EVENTS_MODE = "events.mode"  # 新增 / 修改 / 删除
    EVENTS_PICK = "events.pick"  # + the events file's digest: the box of the event to change
    EVENTS_PICKED = "events.picked"  # the id last picked there (kept when the file changes)
    EVENTS_FORM = "events.form"
    EVENTS_SPAN = "events.span"  # a span of days, not one day
    EVENTS_DAY = "events.day"
    EVENTS_DAYS = "events.days"
    EVENTS_LABEL = "events.label"
    EVENTS_CATEGORY = "events.category"
    EVENTS_NOTE = "events.note"
    EVENTS_ARTICLE = "events.article"
    EVENTS_SOURCE = "events.source"
    EVENTS_LINK = "events.link"
    EVENTS_ID = "events.id"
    EVENTS_CONFIRM = "events.confirm_delete"
    EVENTS_RESULT = "events.result"
    EVENTS_SEEN = "events.seen_digest"  # the list the editor was shown (a change made meanwhile is refused)
    EVENTS_CHANGES = "events.changes"
    EVENTS_CHANGES_CSV = "events.changes_csv"
    EVENTS_ROUND = "events.form_round"  # changes saved in this session: each one gives a fresh form
    OVERVIEW_YEARS = "overview.years"
    OVERVIEW_YEARS_KEPT = "overview.years_kept"  # the daily calendar's years while its tab is closed
    OVERVIEW_CALENDAR_TABS = "overview.calendar_tabs"
    OVERVIEW_GAPS_OPEN = "overview.gaps_open"
    OVERVIEW_KIND_CHART = "overview.kind_chart"
    OVERVIEW_MONTHS = "overview.month_chart"
    OVERVIEW_CALENDAR = "overview.calendar_chart"
    OVERVIEW_LOW_CONFIDENCE = "overview.low_confidence_table"
    OVERVIEW_DOUBTFUL = "overview.doubtful_items_table"
    OVERVIEW_DOUBTFUL_CSV = "overview.doubtful_items_csv"
    OVERVIEW_GAPS = "overview.gaps_table"
    OVERVIEW_REPORT = "overview.report_table"
    OVERVIEW_REPORT_CSV = "overview.report_csv"
    OVERVIEW_ABOUT = "overview.about_table"
    OVERVIEW_ABOUT_OPEN = "overview.about_open"
    OVERVIEW_PAGE_NO_CHART = "overview.page_no_chart"
    OVERVIEW_CHART_CSV = "overview.chart_csv."  # + the chart's name: its data's download
    THEMES_SELECTED = viewspec.widget_of(ThemeView, "themes")
    THEMES_SLOGANS = viewspec.widget_of(ThemeView, "slogans")
    THEMES_GRANULARITY = viewspec.widget_of(ThemeView, "granularity")
    THEMES_MEASURE = viewspec.widget_of(ThemeView, "measure")
    THEMES_SCOPE = viewspec.widget_of(ThemeView, "scope")
    THEMES_COMPARE = viewspec.widget_of(ThemeView, "compare")
    THEMES_COMPARE_CHART = "themes.compare_chart"
    THEMES_COMPARE_CSV = "themes.compare_csv"
    THEMES_DATES = viewspec.widget_of(ThemeView, "start")
    THEMES_PERIOD = viewspec.widget_of(ThemeView, "period")
    THEMES_ARTICLE = viewspec.widget_of(ThemeView, "article")
    THEMES_EVENT = "themes.event"  # the event clicked on the timeline (its card under the chart)
    THEMES_EVENT_CLOSE = "themes.event_close"
    THEMES_HIDE_EVENTS = viewspec.widget_of(ThemeView, "hide_events")
    THEMES_QUERIES = viewspec.widget_of(ThemeView, "queries")
    THEMES_TRENDS = viewspec.widget_of(ThemeView, "trends")
    THEMES_TREND_PERIOD = viewspec.widget_of(ThemeView, "t_start")
    THEMES_TREND_VS = viewspec.widget_of(ThemeView, "v_start")
    THEMES_TREND_UP = "themes.trend_up_table"
    THEMES_TREND_DOWN = "themes.trend_down_table"
    THEMES_TREND_SERIES = "themes.trend_series"  # the series whose articles are listed for both periods
    THEMES_TREND_CSV = "themes.trend_csv"
    THEMES_TREND_WORD = "themes.trend_word"  # the word whose sentences are listed for both periods
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
    PROGRESS_PROJECT = viewspec.widget_of(ProgressView, "project")
    PROGRESS_METRIC = viewspec.widget_of(ProgressView, "metric")
    PROGRESS_SUBJECT = viewspec.widget_of(ProgressView, "subject")
    PROGRESS_DATES = viewspec.widget_of(ProgressView, "start")
    PROGRESS_FIGURE = viewspec.widget_of(ProgressView, "figure")
    PROGRESS_HIDE_EVENTS = viewspec.widget_of(ProgressView, "hide_events")
    PROGRESS_LATEST_CHART = "progress.latest_chart"
    PROGRESS_LATEST_CSV = "progress.latest_csv"
    PROGRESS_TRAJECTORY_CHART = "progress.trajectory_chart"
    PROGRESS_TRAJECTORY_CSV = "progress.trajectory_csv"
    PROGRESS_EVENT = "progress.event"  # the event clicked on the trajectory (its card under the chart)
    PROGRESS_EVENT_CLOSE = "progress.event_close"
    PROGRESS_INVEST_CHART = "progress.investment_chart"
    PROGRESS_INVEST_CSV = "progress.investment_csv"
    PROGRESS_TABLE = "progress.table"
    PROGRESS_TABLE_OPEN = "progress.table_open"
    PROGRESS_TABLE_CSV = "progress.table_csv"
    PROGRESS_TABLE_XLSX = "progress.table_xlsx"
    PROGRESS_CLOSE = "progress.close_figure"
    # 文章检索
    ARTICLES_QUERY = viewspec.widget_of(SearchView, "query")
    ARTICLES_DATES = viewspec.widget_of(SearchView, "start")
    ARTICLES_KINDS = viewspec.widget_of(SearchView, "kinds")
    ARTICLES_PAGE_NOS = viewspec.widget_of(SearchView, "page_nos")
    ARTICLES_LEAD = viewspec.widget_of(SearchView, "lead")
    ARTICLES_SORT = viewspec.widget_of(SearchView, "sort")
    ARTICLES_THEMES = viewspec.widget_of(SearchView, "themes")
    ARTICLES_PLACES = viewspec.widget_of(SearchView, "places")
    ARTICLES_REPORTERS = viewspec.widget_of(SearchView, "reporters")
    ARTICLES_ARTICLE = viewspec.widget_of(SearchView, "article")
    ARTICLES_TABLE = "articles.table"
    ARTICLES_SAME_PAGE = "articles.same_page_table"
    ARTICLES_CLOSE = "articles.close_article"
    ARTICLES_BODIES = "articles.with_bodies"
    ARTICLES_CSV = "articles.csv"
    ARTICLES_XLSX = "articles.xlsx"
    ARTICLES_JSONL = "articles.jsonl"
    ARTICLES_PLACE_CHART = "articles.place_chart"
    ARTICLES_PLACE_CSV = "articles.place_csv"
    # ---- 人物
    PEOPLE_KINDS = viewspec.widget_of(PeopleView, "kinds")
    PEOPLE_DATES = viewspec.widget_of(PeopleView, "start")
    PEOPLE_NAME = viewspec.widget_of(PeopleView, "name")
    PEOPLE_GRANULARITY = viewspec.widget_of(PeopleView, "granularity")
    PEOPLE_TABLE = "people.table"
    PEOPLE_CSV = "people.csv"
    PEOPLE_XLSX = "people.xlsx"
    PEOPLE_TIMELINE_CHART = "people.timeline_chart"
    PEOPLE_TIMELINE_CSV = "people.timeline_csv"
    PEOPLE_SENTENCES = "people.sentences_table"
    PEOPLE_SENTENCES_CSV = "people.sentences_csv"
    PEOPLE_NETWORK = "people.network_chart"
    PEOPLE_PAIRS = "people.pairs_table"
    PEOPLE_PAIRS_CSV = "people.pairs_csv"
    # ---- 词云
    WORDS_DATES = viewspec.widget_of(WordView, "start")
    WORDS_THEMES = viewspec.widget_of(WordView, "themes")
    WORDS_KINDS = viewspec.widget_of(WordView, "kinds")
    WORDS_TOWNS = viewspec.widget_of(WordView, "towns")
    WORDS_WEIGHT = viewspec.widget_of(WordView, "weight")
    WORDS_TOP = viewspec.widget_of(WordView, "top")
    WORDS_POS = viewspec.widget_of(WordView, "pos")
    WORDS_COMPARE = viewspec.widget_of(WordView, "compare")
    WORDS_ROTATE = "words.rotate"  # allow vertical words in the clouds (off: every word horizontal)
    WORDS_PERIOD_A = viewspec.widget_of(WordView, "a_start")
    WORDS_PERIOD_B = viewspec.widget_of(WordView, "b_start")
    WORDS_WORD = viewspec.widget_of(WordView, "word")
    WORDS_WHOLE_WORD = viewspec.widget_of(WordView, "whole_word")
    WORDS_ARTICLE = viewspec.widget_of(WordView, "article")
    WORDS_TABLE = "words.term_table"
    WORDS_BAR = "words.bar_chart"
    WORDS_BAR_CSV = "words.bar_csv"
    WORDS_PNG = "words.png"
    WORDS_CSV = "words.csv"
    WORDS_PNG_A = "words.png_a"
    WORDS_PNG_B = "words.png_b"
    WORDS_CSV_A = "words.csv_a"
    WORDS_CSV_B = "words.csv_b"
    WORDS_RISING_TABLE = "words.rising_table"
    WORDS_RISING_CSV = "words.rising_csv"
    WORDS_KWIC_TABLE = "words.kwic_table"
    WORDS_KWIC_CSV = "words.kwic_csv"
    WORDS_CLOSE_ARTICLE = "words.close_article"
    # ---- 简报
    BRIEF_GRANULARITY = viewspec.widget_of(BriefView, "granularity")
    BRIEF_DAILY_CHART = "brief.daily_chart"
    BRIEF_DAILY_CSV = "brief.daily_csv"  # the 每日文章篇数 chart's data
    BRIEF_THEMES_CHART = "brief.themes_chart"
    BRIEF_THEMES_CSV = "brief.themes_csv"  # the 主题占比 chart's data
    BRIEF_MONTH = viewspec.widget_of(BriefView, "month")
    BRIEF_QUARTER = viewspec.widget_of(BriefView, "quarter")
    BRIEF_DATES = viewspec.widget_of(BriefView, "start")
    BRIEF_ARTICLE = viewspec.widget_of(BriefView, "article")
    BRIEF_DOCX = "brief.docx"
    BRIEF_MD = "brief.md"
    BRIEF_CITATIONS = "brief.citations_table"
    BRIEF_NUMBERS = "brief.numbers_table"
    BRIEF_CLOSE_ARTICLE = "brief.close_article"


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
        # A key the run has already seeded is set again, to the value it holds: the widget is then
        # drawn with that value in the browser too.  Streamlit sends a widget's value only when the
        # run set it; a rerun that came before the browser had drawn the first run's widgets (a
        # click or R while the page loads) drew them at their first options while the run used the
        # URL's view — the chart and the widgets said different things.
        st.session_state[k] = st.session_state[k] if k in st.session_state else value


def bind(view_type: type[V], ctx: viewspec.Context) -> V:
    """A page's view, from its one declaration (:mod:`pinghu_core.common.viewspec`): the URL seeds the
    widgets that have no state yet, then the view is what the widgets hold.  Call
    :func:`write_url` with it once the page is drawn."""
    url_view = viewspec.from_url(view_type, st.query_params.to_dict(), ctx)
    seed_widgets(viewspec.widget_values(url_view, ctx), viewspec.widget_options(view_type, ctx))
    return viewspec.from_widgets(view_type, st.session_state, ctx)


def write_url(view: object) -> None:
    """The page URL carries the view (so it can be shared as a link)."""
    sync_url(viewspec.to_url(view))


def sync_url(params: Mapping[str, str]) -> None:
    """Make the page URL carry exactly ``params`` (so the view can be shared as a link)."""
    if st.query_params.to_dict() != dict(params):
        st.query_params.from_dict(params)


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
    exactly at the open item's row (``selection_default``) or nowhere.

    A table whose own tick shows the open item now (the run right after a click in it) is kept as it
    is — same key, same default — so the browser keeps the grid it has instead of being sent the
    whole table again.  A new table's key also counts the tables made before it, so it never takes
    the key of one whose grid a click has moved since."""
    ss = st.session_state
    current = ss.get(target)
    rows_digest = selection_digest(row_ids, None)
    kept = ss.get(_KEPT_TABLE + base_key)
    if kept is not None and kept[2] == rows_digest and ticked(ss.get(kept[0]), row_ids) == current:
        key, default, made = kept[0], kept[1], kept[3]
    else:
        made = (kept[3] + 1) if kept is not None else 0
        key = f"{base_key}.{selection_digest(row_ids, current)}.{made}"
        default = (
            {"selection": {"rows": [row_ids.index(current)], "columns": []}} if current in row_ids else None
        )
    ss[_KEPT_TABLE + base_key] = (key, default, rows_digest, made)

    def callback() -> None:
        rows = (ss.get(key) or {}).get("selection", {}).get("rows", [])
        if rows and 0 <= rows[0] < len(row_ids):
            ss[target] = row_ids[rows[0]]
            for other in clears:
                ss[other] = None

    return {"key": key, "on_select": callback, "selection_mode": "single-row", "selection_default": default}


_KEPT_TABLE = "_row_picker."  # + base key: (key, default, rows' digest, tables made) of the last table


def ticked(selection: object, row_ids: list[str]) -> str | None:
    """The row id a table's selection state ticks, or None (nothing ticked, or no such row)."""
    rows = (selection or {}).get("selection", {}).get("rows", []) if isinstance(selection, Mapping) else []
    return row_ids[rows[0]] if rows and 0 <= rows[0] < len(row_ids) else None


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
