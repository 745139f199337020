"""项目进度: cached figures, latest completion, trajectories, investment pairs and tables, and the page's callbacks."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app import state as app_state
from pinghu_app import widgets
from pinghu_app.corpus import CorpusKey, load_corpus, project_store
from pinghu_app.events import event_digest
from pinghu_app.state import Keys
from pinghu_core.common import chart_base, wording
from pinghu_core.common import safe_markdown as md
from pinghu_core.events import model as ev
from pinghu_core.events import overlay as event_overlay
from pinghu_core.parse import projects as pj
from pinghu_core.progress import charts as progress_charts
from pinghu_core.progress import figures as pg
from pinghu_core.progress import view as pv
from pinghu_core.themes import view as views

# Cached functions take the view itself, hashed by the fields each one reads; a project file by its digest.
SCOPE_HASH = {pv.ProgressView: lambda v: (v.subject, v.start, v.end)}  # every metric
SCOPE_FIGURE_HASH = {pv.ProgressView: lambda v: (v.subject, v.start, v.end, v.figure)}
ROWS_HASH = {pv.ProgressView: lambda v: (v.metric, v.subject, v.start, v.end)}
TABLE_HASH = {**ROWS_HASH, pj.ProjectFile: lambda store: store.digest}
PROJECT_HASH = {pv.ProgressView: lambda v: (v.project, v.start, v.end)}
DRAWN_HASH = {pv.ProgressView: lambda v: (v.project, v.start, v.end, v.metric)}
CHOICES_HASH = {pv.ProgressView: lambda v: (v.project, v.start, v.end, v.metric, v.subject, v.figure)}
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
    return chart_base.for_browser(
        progress_charts.completion_bar(latest, labels, selected=view.figure), selectable=True
    )


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=SCOPE_HASH)  # shared: do not modify
def investment_figure(key: CorpusKey, view: pv.ProgressView) -> go.Figure:
    """投资完成与计划 of the view's subject and dates (built once per view)."""
    pairs = pv.investment_shown(investment_pairs(key, view))
    return chart_base.for_browser(progress_charts.investment_chart(pairs, pv.investment_labels(pairs)))


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=CHART_HASH)  # shared: do not modify
def trajectory_figure(
    key: CorpusKey, view: pv.ProgressView, name: str, metric: str, unit: str, events: ev.EventList = ev.EMPTY
) -> go.Figure:
    """The project's trajectory chart with the events of its span (built once per project, range,
    metric and events file)."""
    rows = pv.trajectory_shown(trajectory(key, view), metric)  # the most recent figures only
    fig = progress_charts.trajectory_chart(rows, name, metric, unit)
    span = pv.trajectory_span(rows)
    if span is not None:
        shown = [c for c in events.categories() if c not in view.hide_events]
        fig = event_overlay.add_events(fig, events.chosen(shown, *span), events.categories(), span=span)
    return chart_base.for_browser(fig, selectable=True)


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=PROJECT_HASH)  # shared: do not modify
def trajectory(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """Figures and milestones of the view's project dated inside its range."""
    return pv.in_range(pg.trajectory(load_corpus(key).progress, view.project), view)


class Drawn(NamedTuple):
    """What 项目轨迹 draws of a project: the metric and unit, the figures, the caption."""

    metric: str
    unit: str
    rows: pd.DataFrame
    caption: str


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=DRAWN_HASH)  # shared: do not modify
def trajectory_drawn(key: CorpusKey, view: pv.ProgressView) -> Drawn | None:
    """The view's project trajectory as drawn (None: no project, or no figure in the range) — once per
    project, range and metric, not on every rerun of the page."""
    traj = trajectory(key, view) if view.project else None
    if traj is None or traj.empty:
        return None
    metric, unit = pv.trajectory_metric(traj, view.metric)
    rows = pv.trajectory_drawn(traj, metric)
    return Drawn(metric, unit, rows, pv.trajectory_caption(rows, metric, unit))


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=CHOICES_HASH)  # shared: do not modify
def figure_choices(key: CorpusKey, view: pv.ProgressView) -> dict[str, str]:
    """原句与文章's choices: the trajectory's most recent figures, the latest completions shown, and the
    figure open — figure_id → label (once per view, not on every rerun)."""
    drawn = trajectory_drawn(key, view)
    latest = pv.latest_shown(latest_completion(key, view))
    rows = drawn.rows if drawn is not None else latest.head(0)
    progress = load_corpus(key).progress
    return pv.figure_choices(pv.recent_figures(rows), latest, pv.figure_rows(progress, view.figure))


@st.cache_resource(show_spinner=False, max_entries=32)  # shared: do not modify
def evidence(key: CorpusKey, figure: str) -> dict | None:
    """The figure's row with its marked sentence and label (None: no such figure)."""
    return pv.evidence(load_corpus(key).progress, figure)


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=SCOPE_HASH)  # shared: do not modify
def investment_shown(key: CorpusKey, view: pv.ProgressView) -> tuple[pd.DataFrame, str]:
    """(the pairs the chart draws, the caption) of the view's subject and dates."""
    pairs = investment_pairs(key, view)
    return pv.investment_shown(pairs), pv.investment_caption(pairs)


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


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=TABLE_HASH)  # shared: do not modify
def shown_figure_table(key: CorpusKey, view: pv.ProgressView, store: pj.ProjectFile) -> pd.DataFrame:
    """:func:`figure_table`'s first ``pv.TABLE_LIMIT`` rows, what the page sends (built once per view and
    project file, not on every rerun: turning 500 figures into a table took ~20 ms)."""
    return figure_table(key, view, names_from(key, store), pv.TABLE_LIMIT)


def shown_table(key: CorpusKey, view: pv.ProgressView) -> pd.DataFrame:
    """The rows of 全部数据 the page sends (shared: do not modify)."""
    return shown_figure_table(key, view, _store())


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


# ---------------------------------------------------------------- the page's sections


def filter_form(metrics: list[str], subjects: list[str], first: dt.date | None, last: dt.date | None) -> None:
    """项目进度's filters: metric, subject, dates (the widgets of ProgressView)."""
    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 3, 3])
        c1.selectbox(
            "指标（数据表与项目轨迹）",
            metrics,
            format_func=pv.METRIC_LABELS_ZH.get,
            key=Keys.PROGRESS_METRIC,
            placeholder="全部指标",
        )
        c2.selectbox("主体", subjects, key=Keys.PROGRESS_SUBJECT, placeholder="全部主体")
        if first:
            app_state.date_range_input(c3, "见报日期范围", Keys.PROGRESS_DATES, first, last)


def latest_section(key: CorpusKey, view: pv.ProgressView, names: dict[str, str], span: str) -> None:
    """最新完成进度: each subject's latest completion (a bar clicked opens its sentence), its download."""
    st.subheader("最新完成进度")
    all_latest = latest_completion(key, view)
    latest = pv.latest_shown(all_latest)
    if latest.empty:
        st.info(f"{span}内没有报道完成进度（%）的数据。")
    else:
        shown_key = chart_key(Keys.PROGRESS_LATEST_CHART, view.figure)  # a new pick: no old highlight
        widgets.chart(completion_figure(key, view), shown_key, on_select=select_figure_from(shown_key))
        st.caption(
            f"每个主体在{span}内最近一次见报的完成进度，最近见报的在前；括号里是报道所说的统计期和见报日期。"
            f"点击条形查看原句。{wording.capped_zh(len(latest), len(all_latest), '个主体')}"
        )
        widgets.table_download(
            f"下载全部 {len(all_latest):,} 个主体（CSV）",
            functools.partial(pv.latest_table, all_latest, names),  # built when clicked
            "最新完成进度.csv",
            Keys.PROGRESS_LATEST_CSV,
        )


def trajectory_section(
    key: CorpusKey,
    view: pv.ProgressView,
    projects: dict[str, str],
    names: dict[str, str],
    events: ev.EventList,
    events_problem: str | None,
    span: str,
) -> pv.ProgressView:
    """项目轨迹: one project's figures over time with the events (a point or a marker clicked opens its
    sentence or card); returns the view with the project."""
    ss = st.session_state
    st.subheader("项目轨迹")
    st.selectbox(
        "项目",
        list(projects),
        format_func=projects.get,
        key=Keys.PROGRESS_PROJECT,
        placeholder="选择一个项目",
    )
    view = pv.with_project(view, ss[Keys.PROGRESS_PROJECT])
    traj = trajectory(key, view) if view.project else None
    if traj is None:
        st.info("语料中没有归入项目的数据。")
    elif traj.empty:
        st.info(f"{span}内没有“{md.escape(names.get(view.project, view.project))}”的数据，请放宽日期范围。")
    elif (drawn := trajectory_drawn(key, view)) is not None:
        widgets.hidden_event_categories(events.categories(), Keys.PROGRESS_HIDE_EVENTS)
        if events_problem:
            st.warning(md.escape(events_problem), icon=":material/event_busy:")
        name = names.get(view.project, view.project)
        fig = trajectory_figure(key, view, name, drawn.metric, drawn.unit, events)
        shown_key = chart_key(Keys.PROGRESS_TRAJECTORY_CHART, view.figure)
        widgets.chart(fig, shown_key, on_select=select_figure_from(shown_key))
        widgets.event_card(
            events.get(ss.get(Keys.PROGRESS_EVENT) or ""), Keys.PROGRESS_EVENT_CLOSE, close_event
        )
        st.caption(drawn.caption)
        widgets.table_download(
            "下载轨迹数据（CSV）",
            functools.partial(pv.figure_table, drawn.rows, names),
            "项目轨迹.csv",
            Keys.PROGRESS_TRAJECTORY_CSV,
        )
    return view


def evidence_section(key: CorpusKey, view: pv.ProgressView, articles: pd.DataFrame) -> pv.ProgressView:
    """原句与文章: the chosen figure's sentence and its whole article; returns the view with the figure."""
    ss = st.session_state
    st.subheader("原句与文章")
    widgets.choice_box(
        Keys.PROGRESS_FIGURE,
        figure_choices(key, view),
        "选择一个数据（或点击上方图表中的条形、数据点）",
        "未选择数据",
    )
    view = pv.with_figure(view, ss[Keys.PROGRESS_FIGURE])
    shown = evidence(key, view.figure) if view.figure else None
    if shown is not None:
        article = views.article_text(articles, str(shown["article_id"])) or ("（找不到这篇文章）",)
        lines = (shown["label"], f"原句：{shown['marked']}", *article)
        widgets.article_reader(lines, Keys.PROGRESS_CLOSE, close_figure, close_label="关闭")
    return view


def investment_section(key: CorpusKey, view: pv.ProgressView, span: str) -> None:
    """投资完成与计划: planned against completed investment per subject, and its download."""
    st.subheader("投资完成与计划")
    all_pairs = investment_pairs(key, view)
    pairs, caption = investment_shown(key, view)
    if pairs.empty:
        st.info(f"{span}内没有同时报道计划投资和已完成投资的主体。")
    else:
        widgets.chart(investment_figure(key, view), Keys.PROGRESS_INVEST_CHART)
        st.caption(caption)
        widgets.table_download(
            f"下载全部 {len(all_pairs):,} 组（CSV）",
            functools.partial(pv.investment_table, all_pairs),
            "投资完成与计划.csv",
            Keys.PROGRESS_INVEST_CSV,
        )


def table_section(key: CorpusKey, view: pv.ProgressView, names: dict[str, str], span: str) -> None:
    """全部数据: the view's figures (a row ticked opens it above), CSV and Excel of every row."""
    st.subheader("全部数据")
    count = figure_count(key, view)
    if not count:
        st.info(f"{span}内没有符合所选指标和主体的数据。")
    else:
        st.caption(
            f"{span}：{count:,} 条数据（{pv.filter_zh(view)}），按见报日期由近及远；选中一行，即在上方“原句与文章”中打开。{pv.table_limit_zh(count)}"
        )
        # Built when opened: mounted in the browser, the table was a fifth of every open of the page
        # (a collapsed expander draws its content all the same); the downloads below need no table.
        box = st.expander(pv.table_label_zh(count), key=Keys.PROGRESS_TABLE_OPEN, on_change="rerun")
        if box.open:
            shown_rows = shown_table(key, view)
            box.dataframe(
                shown_rows,
                hide_index=True,
                placeholder=wording.MISSING,
                **app_state.row_picker(
                    Keys.PROGRESS_TABLE, shown_rows["编号"].tolist(), Keys.PROGRESS_FIGURE
                ),
                column_config={"句子（数值以【】标出）": st.column_config.TextColumn(width="large")},
            )
        table = functools.partial(figure_table, key, view, names)  # every row, built when clicked
        d1, d2 = st.columns([1, 3])
        with d1:
            widgets.table_download("下载数据表（CSV）", table, "项目进度数据.csv", Keys.PROGRESS_TABLE_CSV)
        widgets.table_download(
            "下载数据表（Excel）",
            table,
            "项目进度数据.xlsx",
            Keys.PROGRESS_TABLE_XLSX,
            fmt="xlsx",
            sheet="项目进度",
            where=d2,
        )
