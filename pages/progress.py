"""项目进度: completion, investment and milestones reported on the front page, down to the sentences."""

import functools

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import events as app_events
from pinghu_app import progress as app_progress
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_app import widgets
from pinghu_app.state import Keys
from pinghu_core.common import safe_markdown as md
from pinghu_core.common import wording
from pinghu_core.parse import progress as progress_rules
from pinghu_core.progress import view as pv
from pinghu_core.themes import view as views

key = app_shell.current_key()
corpus = app_corpus.get_corpus(key)
progress = app_progress.progress_figures(key)
names = app_progress.project_names(key)
projects = app_progress.project_choices(key)
metrics, subjects = app_progress.progress_options(key)
first, last = app_progress.progress_bounds(key)

st.title("项目进度")
st.caption(
    "从头版报道中抽取的完成进度、投资和建设节点（开工、封顶、竣工等）。日期是见报日期；"
    "每个数字都可以点开，看到原句（数值以【】标出）和整篇文章。"
)
if (problem := app_corpus.project_problem()) is not None:
    st.warning(md.escape(problem), icon=":material/warning:")
if problem := progress_rules.rules_problem():
    st.warning(md.escape(problem), icon=":material/warning:")
if progress.empty:
    st.info("语料中没有抽取到项目进度数据（完成进度、投资、建设节点），这一页暂时没有可显示的内容。")
    st.stop()

events, events_problem = app_events.event_list()  # data/events.toml, drawn on the trajectory
view = app_state.bind(
    pv.ProgressView,
    pv.context(
        projects=projects,
        metrics=metrics,
        subjects=subjects,
        first=first,
        last=last,
        default_project=next(iter(projects), ""),
        event_categories=events.categories(),
    ),
)

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

ss = st.session_state
span = wording.dates_zh(view.start, view.end)


st.subheader("最新完成进度")
all_latest = app_progress.latest_completion(key, view)
latest = pv.latest_shown(all_latest)
if latest.empty:
    st.info(f"{span}内没有报道完成进度（%）的数据。")
else:
    chart_key = app_progress.chart_key(
        Keys.PROGRESS_LATEST_CHART, view.figure
    )  # a new pick: no old highlight
    st.plotly_chart(
        app_progress.completion_figure(key, view),
        key=chart_key,
        on_select=app_progress.select_figure_from(chart_key),
        selection_mode="points",
    )
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

st.subheader("项目轨迹")
st.selectbox(
    "项目", list(projects), format_func=projects.get, key=Keys.PROGRESS_PROJECT, placeholder="选择一个项目"
)
view = pv.with_project(view, ss[Keys.PROGRESS_PROJECT])
traj = app_progress.trajectory(key, view) if view.project else None
if traj is None:
    st.info("语料中没有归入项目的数据。")
elif traj.empty:
    st.info(f"{span}内没有“{md.escape(names.get(view.project, view.project))}”的数据，请放宽日期范围。")
else:
    metric, unit = pv.trajectory_metric(traj, view.metric)
    widgets.hidden_event_categories(events.categories(), Keys.PROGRESS_HIDE_EVENTS)
    if events_problem:
        st.warning(md.escape(events_problem), icon=":material/event_busy:")
    fig = app_progress.trajectory_figure(
        key, view, names.get(view.project, view.project), metric, unit, events
    )
    chart_key = app_progress.chart_key(Keys.PROGRESS_TRAJECTORY_CHART, view.figure)
    st.plotly_chart(
        fig, key=chart_key, selection_mode="points", on_select=app_progress.select_figure_from(chart_key)
    )
    widgets.event_card(
        events.get(ss.get(Keys.PROGRESS_EVENT) or ""), Keys.PROGRESS_EVENT_CLOSE, app_progress.close_event
    )
    drawn = pv.trajectory_drawn(traj, metric)
    st.caption(pv.trajectory_caption(drawn, metric, unit))
    widgets.table_download(
        "下载轨迹数据（CSV）",
        functools.partial(pv.figure_table, drawn, names),
        "项目轨迹.csv",
        Keys.PROGRESS_TRAJECTORY_CSV,
    )

st.subheader("原句与文章")
drawn = drawn if traj is not None and len(traj) else latest.head(0)
choices = pv.figure_choices(pv.recent_figures(drawn), latest, pv.figure_rows(progress, view.figure))
widgets.choice_box(
    Keys.PROGRESS_FIGURE, choices, "选择一个数据（或点击上方图表中的条形、数据点）", "未选择数据"
)
view = pv.with_figure(view, ss[Keys.PROGRESS_FIGURE])
shown = pv.evidence(progress, view.figure) if view.figure else None
if shown is not None:
    article = views.article_text(corpus.articles, str(shown["article_id"])) or ("（找不到这篇文章）",)
    lines = (shown["label"], f"原句：{shown['marked']}", *article)
    widgets.article_reader(lines, Keys.PROGRESS_CLOSE, app_progress.close_figure, close_label="关闭")

st.subheader("投资完成与计划")
all_pairs = app_progress.investment_pairs(key, view)
pairs = pv.investment_shown(all_pairs)
if pairs.empty:
    st.info(f"{span}内没有同时报道计划投资和已完成投资的主体。")
else:
    st.plotly_chart(app_progress.investment_figure(key, view), key=Keys.PROGRESS_INVEST_CHART)
    st.caption(pv.investment_caption(all_pairs))
    widgets.table_download(
        f"下载全部 {len(all_pairs):,} 组（CSV）",
        functools.partial(pv.investment_table, all_pairs),
        "投资完成与计划.csv",
        Keys.PROGRESS_INVEST_CSV,
    )

st.subheader("全部数据")
count = app_progress.figure_count(key, view)
if not count:
    st.info(f"{span}内没有符合所选指标和主体的数据。")
else:
    st.caption(
        f"{span}：{count:,} 条数据（{pv.filter_zh(view)}），按见报日期由近及远；选中一行，即在上方“原句与文章”中打开。{pv.table_limit_zh(count)}"
    )
    shown_rows = app_progress.figure_table(key, view, names, pv.TABLE_LIMIT)
    table = functools.partial(app_progress.figure_table, key, view, names)  # every row, built when clicked
    st.dataframe(
        shown_rows,
        hide_index=True,
        placeholder=wording.MISSING,
        **app_state.row_picker(Keys.PROGRESS_TABLE, shown_rows["编号"].tolist(), Keys.PROGRESS_FIGURE),
        column_config={"句子（数值以【】标出）": st.column_config.TextColumn(width="large")},
    )
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
app_state.write_url(view)
