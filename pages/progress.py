"""项目进度: completion, investment and milestones reported on the front page, down to the sentences."""

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import events as app_events
from pinghu_app import progress as app_progress
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_core.common import safe_markdown as md
from pinghu_core.common import wording
from pinghu_core.parse import progress as progress_rules
from pinghu_core.progress import view as pv

key = app_shell.current_key()
corpus = app_corpus.get_corpus(key)
progress = app_progress.progress_figures(key)
names = app_progress.project_names(key)
projects = app_progress.project_choices(key)
metrics, subjects = app_progress.progress_options(key)
first, last = app_progress.progress_bounds(key)

st.title("项目进度")
st.caption(
    f"从{app_corpus.pages_word(key)}报道中抽取的完成进度、投资和建设节点（开工、封顶、竣工等）。日期是见报日期；"
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

app_progress.filter_form(metrics, subjects, first, last)
span = wording.dates_zh(view.start, view.end)
app_progress.latest_section(key, view, names, span)
view = app_progress.trajectory_section(key, view, projects, names, events, events_problem, span)
view = app_progress.evidence_section(key, view, corpus.articles)
app_progress.investment_section(key, view, span)
app_progress.table_section(key, view, names, span)
app_state.write_url(view)
