"""项目进度: cached figures, latest completion, trajectories, investment pairs and tables, and the page's callbacks."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from pinghu_app.corpus import CorpusKey, load_corpus, project_store
from pinghu_app.state import Keys
from pinghu_core.parse import projects as pj
from pinghu_core.progress import figures as pg
from pinghu_core.progress import view as pv


def project_names(key: CorpusKey) -> dict[str, str]:
    """project_id → display name for every project with figures (a bad project file: automatic names)."""
    try:
        store, _ = project_store().get()
    except pj.ProjectFileError:
        store = pj.EMPTY
    return _project_names(key, store.digest, store)


@st.cache_data(show_spinner=False, max_entries=4)
def _project_names(key: CorpusKey, digest: str, _store: pj.ProjectFile) -> dict[str, str]:
    ids = load_corpus(key).progress["project_id"].astype(str).unique()
    return {p: _store.label(p) for p in ids if p}


@st.cache_data(show_spinner=False, max_entries=4)
def _project_choices(key: CorpusKey, names: dict[str, str]) -> dict[str, str]:
    return pv.project_options(load_corpus(key).progress, names)


def project_choices(key: CorpusKey) -> dict[str, str]:
    """project_id → '名称（N 条）', projects with most figures first."""
    return _project_choices(key, project_names(key))


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


def _filters(view: pv.ProgressView, *, metric: bool = False) -> tuple:
    """What a computation depends on, as plain values (subject, dates, and the metric when asked)."""
    return (view.metric if metric else "", view.subject, view.start, view.end)


def _rows(progress: pd.DataFrame, filters: tuple) -> pd.DataFrame:
    metric, subject, start, end = filters
    return pv.filter_figures(progress, pv.ProgressView(metric=metric, subject=subject, start=start, end=end))


@st.cache_data(show_spinner=False, max_entries=32)
def _latest_completion(key: CorpusKey, filters: tuple) -> pd.DataFrame:
    progress = load_corpus(key).progress
    return pv.with_evidence(pg.latest_completion(_rows(progress, filters)), progress)


def latest_completion(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """The latest completion figure of each subject within the view's subject and dates."""
    return _latest_completion(key, _filters(view))


@st.cache_data(show_spinner=False, max_entries=32)
def _investment_pairs(key: CorpusKey, filters: tuple) -> pd.DataFrame:
    return pg.investment_pairs(_rows(load_corpus(key).progress, filters))


def investment_pairs(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """Planned and completed investment given together, within the view's subject and dates."""
    return _investment_pairs(key, _filters(view))


@st.cache_data(show_spinner=False, max_entries=32)
def _trajectory(key: CorpusKey, project: str, start: dt.date | None, end: dt.date | None) -> pd.DataFrame:
    return pv.in_range(
        pg.trajectory(load_corpus(key).progress, project), pv.ProgressView(start=start, end=end)
    )


def trajectory(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """Figures and milestones of the view's project dated inside its range."""
    return _trajectory(key, view.project, view.start, view.end)


@st.cache_data(show_spinner=False, max_entries=32)
def _figure_rows(key: CorpusKey, filters: tuple) -> pd.DataFrame:
    return _rows(load_corpus(key).progress, filters)


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
