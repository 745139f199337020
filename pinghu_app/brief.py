"""简报: the brief of the chosen period (cached by the corpus key, the dictionary's and events' digests
and the period's code), its charts, its files built when clicked, and the page's callbacks."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from pinghu_app import people as app_people
from pinghu_app import progress as app_progress
from pinghu_app import state as app_state
from pinghu_app import themes as app_themes
from pinghu_app.corpus import (
    CorpusKey,
    date_bounds,
    derived_root,
    gazetteer,
    load_corpus,
    long_lived,
    paper_pages,
    project_store,
    prominence,
    released,
    theme_digest,
)
from pinghu_app.events import event_digest
from pinghu_app.search import article_places
from pinghu_app.state import Keys
from pinghu_app.tags import theme_hits
from pinghu_core.brief import build, method, page_charts
from pinghu_core.brief import period as bp
from pinghu_core.brief import view as bv
from pinghu_core.brief.markdown import to_markdown
from pinghu_core.brief.model import Brief
from pinghu_core.brief.word import to_docx
from pinghu_core.common import chart_base, schemas, settings, viewspec
from pinghu_core.corpus import prominence as pr
from pinghu_core.events import model as ev
from pinghu_core.parse import projects as pj
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import slogans as sl
from pinghu_core.themes import view as theme_views

HASH = {th.ThemeDict: theme_digest, ev.EventList: event_digest}


@st.cache_data(show_spinner=False, max_entries=4)
def context(key: CorpusKey) -> viewspec.Context:
    """The months and quarters with pages (newest first) and the corpus' days."""
    first, last = date_bounds(key)
    return bv.context(load_corpus(key).pages["date"], first, last)


# Shared between sessions, not copied: do not modify.
@st.cache_resource(show_spinner=False, max_entries=2)
def _corpus_rows(key: CorpusKey, rules: pr.Rules) -> build.CorpusRows:
    corpus = load_corpus(key)
    # the titles every item names, stored with the corpus cache (pinghu ingest, or the shared
    # results' background build the page waits for): not found again in every text
    titles = sl.stored_documents(corpus.articles, derived_root(key), corpus.fingerprint)
    return long_lived(build.corpus_rows(corpus.articles, corpus.pages, rules.front_page_nos, titles=titles))


def corpus_rows(key: CorpusKey) -> build.CorpusRows:
    """What every brief of the corpus reads and no period changes (once per corpus and the rules of
    data/prominence.toml as they are now), so that a month's brief only slices it."""
    return _corpus_rows(key, pr.rules())


def brief_inputs(key: CorpusKey, themes: th.ThemeDict | None, events: ev.EventList) -> build.BriefInputs:
    """What a brief of any period reads: the corpus, the results the pages share, the dictionaries
    (each from the app's own cache; ``bench/brief_dump.py`` drafts from them too)."""
    corpus = load_corpus(key)
    gaz, _ = gazetteer()
    try:
        projects, _ = project_store().get()
    except pj.ProjectFileError:
        projects = None
    places, _, _ = article_places(key)
    return build.BriefInputs(
        articles=corpus.articles,
        pages=corpus.pages,
        theme_hits=theme_hits(key, themes) if themes else schemas.ARTICLE_THEMES.empty(),
        theme_labels=themes.labels if themes else {},
        slogans=app_themes.slogans(key),
        places=places,
        progress=corpus.progress,
        prominence=prominence(key),
        events=events,
        people_mentions=app_people.mentions(key),
        method=method.method_rows(
            Path(key.corpus_dir), corpus.pages, themes, method.places_row(gaz), projects, events
        ),
        project_names=app_progress.project_names(key),
        paper_title=settings.get_settings().corpus_title or "嘉兴日报·平湖版",
        articles_marked=paper_pages(key).is_article.to_numpy(dtype=bool),
        rows=corpus_rows(key),
    )


# Kept as it is, not pickled (cache_data unpickled it on every rerun of the page: ~45 ms on the
# ten-year corpus) — shared between sessions: do not modify.
@st.cache_resource(show_spinner="正在撰写简报…", max_entries=16, hash_funcs=HASH)
def _brief(
    key: CorpusKey,
    themes: th.ThemeDict | None,
    code: str,
    events: ev.EventList,
    people: app_people.PeopleFiles,
) -> Brief:
    return released(build.build_brief(brief_inputs(key, themes, events), bp.from_text(code)))


def brief(key: CorpusKey, themes: th.ThemeDict | None, code: str, events: ev.EventList) -> Brief:
    """The brief of the period with this code (``Period.code``); an edit of the dictionary, the events
    or the people files gives a new one."""
    return _brief(key, themes, code, events, app_people.people_files())


# Kept as they are (not pickled), shared between sessions: do not modify.
@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=HASH)
def charts(
    key: CorpusKey, themes: th.ThemeDict | None, code: str, events: ev.EventList
) -> tuple[go.Figure | None, go.Figure | None]:
    """(articles a day, theme shares of both periods) as the page draws them — Plotly, drawn by the
    browser; the Word file draws its own pictures when it is downloaded."""
    b = brief(key, themes, code, events)
    daily = page_charts.daily_chart(b.daily)
    shares = page_charts.theme_shares_chart(b.theme_shares, b.period_label, b.previous_label)
    return (
        None if daily is None else chart_base.for_browser(daily),
        None if shares is None else chart_base.for_browser(shares),
    )


def docx_bytes(b: Brief, key: CorpusKey) -> bytes:
    """The Word file (built when its button is clicked)."""
    return to_docx(b, Path(key.cache_dir))


def markdown_bytes(b: Brief) -> bytes:
    return to_markdown(b).encode("utf-8")


def period_picker(ctx: viewspec.Context, view: bv.BriefView) -> None:
    """月 / 季度 / 日期范围, then the month, the quarter or the two days (the view's widgets)."""
    c1, c2 = st.columns([1, 2])
    names = bv.GRANULARITIES
    c1.radio("时期", list(names), format_func=names.get, key=Keys.BRIEF_GRANULARITY, horizontal=True)
    if view.granularity == bp.QUARTER:
        quarters = ctx.options["quarters"]
        c2.selectbox(
            "季度", list(quarters), format_func=quarters.get, key=Keys.BRIEF_QUARTER, placeholder="选择季度"
        )
    elif view.granularity == bp.RANGE:
        app_state.date_range_input(c2, "日期范围", Keys.BRIEF_DATES, ctx.first, ctx.last)
    else:
        months = ctx.options["months"]
        c2.selectbox(
            "月份", list(months), format_func=months.get, key=Keys.BRIEF_MONTH, placeholder="选择月份"
        )


def article_text(key: CorpusKey, view: bv.BriefView) -> tuple[str, str, str] | None:
    """(title, date · kind · file, body) of the cited article open, or None."""
    return theme_views.article_text(load_corpus(key).articles, view.article) if view.article else None


def close_article() -> None:
    st.session_state[Keys.BRIEF_ARTICLE] = None
