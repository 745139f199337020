"""政策主题: how often policy themes and slogans reach the front page, period by period, down to the sentences."""

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import events as app_events
from pinghu_app import shared as app_shared
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_app import themes as app_themes
from pinghu_app import words as app_words
from pinghu_app.state import Keys
from pinghu_core.common import safe_markdown as md
from pinghu_core.themes import timeline as tl
from pinghu_core.themes import view as views

key = app_shell.current_key()
app_shared.wait_for_shared(key)  # cold: places, theme hits … found in the background, progress shown
corpus = app_corpus.get_corpus(key)
themes, problem = app_corpus.theme_dictionary()
slogans = app_themes.slogan_table(key)
first, last = app_corpus.date_bounds(key)

st.title("政策主题")
st.caption(
    f"按主题词典统计{app_corpus.pages_word(key)}文章提到各政策主题、口号的频率；每个数字都可以点开，"
    "看到背后的文章和句子。"
)
if problem is not None:
    st.error(md.escape(views.theme_problem_zh(problem, themes)), icon=":material/error:")
if themes is None:
    st.stop()

labels = themes.choice_labels
slogan_list = slogans["口号"].tolist()
events, events_problem = app_events.event_list()
if events_problem:
    st.warning(md.escape(events_problem), icon=":material/event_busy:")
view = app_state.bind(
    views.ThemeView,
    views.context(
        theme_ids=labels,
        slogans=slogan_list,
        granularities=tl.GRANULARITIES,
        measures=tl.MEASURES,
        first=first,
        last=last,
        event_categories=events.categories(),
    ),
)

view, series_problems = app_themes.checked_view(view)
app_themes.filter_form(view, labels, slogan_list, series_problems, events, first, last)
timeline = app_themes.timeline_section(key, themes, view, events)
app_themes.period_and_reader(key, themes, corpus.articles, view, timeline)

st.subheader("上升与下降")
st.toggle("比较两个时期：哪些主题和口号的占比上升、哪些下降", key=Keys.THEMES_TRENDS)
if view.trends and view.t_start and view.v_start and first:
    app_themes.trends_section(key, themes, view, first, last)
    app_words.trend_words_section(
        key,
        themes,
        (view.t_start, view.t_end),
        (view.v_start, view.v_end),
        scope_note=views.trend_words_scope_zh(view),
    )

app_themes.tabs_section(key, themes, view, slogans)
