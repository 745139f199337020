"""项目进度: cached figures, latest completion, trajectories, investment pairs and tables, and the page's callbacks."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app.corpus import CorpusKey, load_corpus, project_store
from pinghu_app.events import event_digest
from pinghu_app.state import Keys
from pinghu_core.events import model as ev
from pinghu_core.events import overlay as event_overlay
from pinghu_core.parse import projects as pj
from pinghu_core.progress import charts as progress_charts
from pinghu_core.progress import figures as pg
from pinghu_core.progress import view as pv

# Cached functions take the view itself, hashed by the fields each one reads; a project file by its digest.
SCOPE_HASH = {pv.ProgressView: lambda v: (v.subject, v.start, v.end)}  # every metric
SCOPE_FIGURE_HASH = {pv.ProgressView: lambda v: (v.subject, v.start, v.end, v.figure)}
ROWS_HASH = {pv.ProgressView: lambda v: (v.metric, v.subject, v.start, v.end)}
PROJECT_HASH = {pv.ProgressView: lambda v: (v.project, v.start, v.end)}
CHART_HASH = {
    pv.ProgressView: lambda v: (v.project, v.start, v.end, v.hide_events),
    ev.EventList: event_digest,
}


def _store() -> pj.ProjectFile:
    """The project file in use (a bad one: none, so projects get automatic names)."""
    try:
        store, _ = project_store().get()
    except pj.ProjectFileError:
        store = pj.EMPTY
    return store


def project_names(key: CorpusKey) -> dict[str, str]:
    """project_id → display name for every project with figures (a bad project file: automatic names)
    — shared: do not modify."""
    return names_from(key, _store())


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs={pj.ProjectFile: lambda store: store.digest})
def names_from(key: CorpusKey, store: pj.ProjectFile) -> dict[str, str]:
    ids = load_corpus(key).progress["project_id"].astype(str).unique()
    return {p: store.label(p) for p in ids if p}


def project_choices(key: CorpusKey) -> dict[str, str]:
    """project_id → '名称（N 条）', projects with most figures first — shared: do not modify."""
    return choices_from(key, _store())


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs={pj.ProjectFile: lambda store: store.digest})
def choices_from(key: CorpusKey, store: pj.ProjectFile) -> dict[str, str]:
    return pv.project_options(load_corpus(key).progress, names_from(key, store))


def progress_figures(key: CorpusKey) -> pd.DataFrame:
    """schemas.PROGRESS of the corpus (shared: do not modify)."""
    return load_corpus(key).progress


@st.cache_data(show_spinner=False, max_entries=4)
def progress_bounds(key: CorpusKey) -> tuple[dt.date | None, dt.date | None]:
    return pv.date_bounds(load_corpus(key).progress)


@st.cache_data(show_spinner=False, max_entries=4)
def progress_options(key: CorpusKey) -> tuple[list[str], list[str]]:
    """(metrics, subjects) present in the corpus' figures."""
    progress = load_corpus(key).progress
    return pv.metric_options(progress), pv.subject_options(progress)


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=SCOPE_HASH)  # shared: do not modify
def latest_completion(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """The latest completion figure of each subject within the view's subject and dates."""
    progress = load_corpus(key).progress
    scope = pv.figure_positions(progress, replace(view, metric=""), newest_first(key))  # every metric
    return pv.with_evidence(pg.latest_completion(progress, scope), progress)  # positions, not a copy


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=SCOPE_HASH)  # shared: do not modify
def investment_pairs(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """Planned and completed investment given together, within the view's subject and dates."""
    figures = pv.figures_of(load_corpus(key).progress, view, pg.PAIR_METRICS, newest_first(key))
    return pg.investment_pairs(figures)  # only the rows it reads


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=SCOPE_FIGURE_HASH)  # shared: do not modify
def completion_figure(key: CorpusKey, view: pv.ProgressView) -> go.Figure:
    """最新完成进度 of the view's subject and dates, the open figure highlighted (built once per view)."""
    latest = pv.latest_shown(latest_completion(key, view))
    labels = pv.unique_labels(latest["subject"].astype(str))
    return progress_charts.completion_bar(latest, labels, selected=view.figure)


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=SCOPE_HASH)  # shared: do not modify
def investment_figure(key: CorpusKey, view: pv.ProgressView) -> go.Figure:
    """投资完成与计划 of the view's subject and dates (built once per view)."""
    pairs = pv.investment_shown(investment_pairs(key, view))
    return progress_charts.investment_chart(pairs, pv.investment_labels(pairs))


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=CHART_HASH)  # shared: do not modify
def trajectory_figure(
    key: CorpusKey, view: pv.ProgressView, name: str, metric: str, unit: str, events: ev.EventList = ev.EMPTY
) -> go.Figure:
    """The project's trajectory chart with the events of its span (built once per project, range,
    metric and events file)."""
    rows = pv.trajectory_shown(trajectory(key, view), metric)  # the most recent figures only
    fig = progress_charts.trajectory_chart(rows, name, metric, unit)
    span = pv.trajectory_span(rows)
    if span is None:
        return fig
    shown = [c for c in events.categories() if c not in view.hide_events]
    return event_overlay.add_events(fig, events.chosen(shown, *span), events.categories(), span=span)


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=PROJECT_HASH)  # shared: do not modify
def trajectory(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """Figures and milestones of the view's project dated inside its range."""
    return pv.in_range(pg.trajectory(load_corpus(key).progress, view.project), view)


@st.cache_resource(show_spinner=False, max_entries=2)  # shared: do not modify
def newest_first(key: CorpusKey) -> np.ndarray:
    """Positions of the corpus' figures, newest first (sorted once per corpus, not per view)."""
    return pv.newest_first(load_corpus(key).progress)


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=ROWS_HASH)  # shared: do not modify
def figure_positions(key: CorpusKey, view: pv.ProgressView) -> np.ndarray:
    """Positions (in the corpus' figures) of the view's metric, subject and dates, newest first."""
    return pv.figure_positions(load_corpus(key).progress, view, newest_first(key))


def figure_count(key: CorpusKey, view: pv.ProgressView) -> int:
    """How many figures :func:`figure_table` has."""
    return len(figure_positions(key, view))


def figure_table(
    key: CorpusKey, view: pv.ProgressView, names: dict[str, str], limit: int | None = None
) -> pd.DataFrame:
    """The figures of the view's metric, subject and dates, newest first, for people (Chinese headers,
    the value marked in its sentence) — the first ``limit`` (None: all, for downloads).  Built from
    row positions each time: only the rows shown are turned into a table on a rerun."""
    rows = figure_positions(key, view)
    return pv.figure_table(load_corpus(key).progress.iloc[rows[:limit]], names)


def select_figure_from(chart_key: str):
    """An on_select callback: a clicked bar or point opens its figure (the select box follows); a
    clicked event marker (the trajectory's) opens that event's card."""

    def callback() -> None:
        points = (st.session_state.get(chart_key) or {}).get("selection", {}).get("points", [])
        event = event_overlay.event_from_points(points)
        if event is not None:
            st.session_state[Keys.PROGRESS_EVENT] = event
            return
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


def close_event() -> None:
    st.session_state[Keys.PROGRESS_EVENT] = None
