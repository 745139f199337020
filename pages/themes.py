"""政策主题: how often policy themes and slogans reach the front page, period by period, down to the sentences."""

import functools

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import events as app_events
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_app import themes as app_themes
from pinghu_app import widgets
from pinghu_app import words as app_words
from pinghu_app.state import Keys
from pinghu_core.common import safe_markdown as md
from pinghu_core.common import url_params, wording
from pinghu_core.themes import timeline as tl
from pinghu_core.themes import view as views

key = app_shell.current_key()
corpus = app_corpus.get_corpus(key)
themes, problem = app_corpus.theme_dictionary()
slogans = app_themes.slogan_table(key)
first, last = app_corpus.date_bounds(key)

st.title("政策主题")
st.caption("按主题词典统计头版文章提到各政策主题、口号的频率；每个数字都可以点开，看到背后的文章和句子。")
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
with st.container(border=True):
    c1, c2 = st.columns([3, 2])
    c1.multiselect(
        "主题",
        list(labels),
        format_func=labels.get,
        select_all=False,
        key=Keys.THEMES_SELECTED,
        placeholder="选择一个或多个主题",
    )
    c2.multiselect(
        "口号（作为主题加入时间线）",
        slogan_list,
        select_all=False,
        key=Keys.THEMES_SLOGANS,
        placeholder="可选",
    )
    st.multiselect(
        '检索式（作为序列加入时间线；写法同文章检索：空格＝并且，|＝或者，-词＝不含，"短语"）',
        views.query_options(view),
        accept_new_options=True,
        select_all=False,
        key=Keys.THEMES_QUERIES,
        placeholder="输入检索式后按回车",
    )
    for problem in series_problems:
        st.warning(md.escape(problem), icon=":material/warning:")
    c3, c4 = st.columns([2, 6])
    c3.radio(
        "时间粒度",
        list(tl.GRANULARITIES),
        format_func=tl.GRANULARITIES.get,
        horizontal=True,
        key=Keys.THEMES_GRANULARITY,
    )
    c4.radio(
        "计量方式", list(tl.MEASURES), format_func=tl.MEASURES.get, horizontal=True, key=Keys.THEMES_MEASURE
    )
    c5, c6 = st.columns([3, 5])
    c5.radio("范围", list(views.SCOPES), format_func=views.SCOPES.get, horizontal=True, key=Keys.THEMES_SCOPE)
    if first:
        app_state.date_range_input(c6, "日期范围", Keys.THEMES_DATES, first, last)
    widgets.hidden_event_categories(events.categories(), Keys.THEMES_HIDE_EVENTS)

ss = st.session_state

st.subheader("时间线")
if not view.series_ids:
    st.info("请在上方选择至少一个主题或口号。")
    timeline = None
else:
    timeline = app_themes.theme_timeline(key, themes, view)
    fig = app_themes.timeline_figure(key, themes, view, events)
    st.plotly_chart(
        fig,
        key=Keys.THEMES_TIMELINE_CHART,
        on_select=app_themes.select_period_from_chart,
        selection_mode="points",
    )
    st.caption(
        f"纵轴：{tl.axis_label(view.measure, view.granularity, view.scope)}。"
        + app_themes.prominence_note(view)
        + "灰色区域是语料中没有任何版面的时段，画作空缺而不是零。悬停在数据点上可见分子与分母。"
        + (
            views.events_caption_zh(views.shown_event_categories(view, events.categories()))
            if events.chosen(None, view.start, view.end)  # some event falls in the range
            else ""
        )
    )
    widgets.event_card(
        events.get(ss.get(Keys.THEMES_EVENT) or ""), Keys.THEMES_EVENT_CLOSE, app_themes.close_event
    )
    d1, d2 = st.columns([2, 3])
    widgets.table_download(
        "下载时间线数据（CSV）", timeline, "主题时间线.csv", Keys.THEMES_TIMELINE_CSV, where=d1
    )
    if st.toggle("对比：并排比较各序列在整个日期范围内的占比", key=Keys.THEMES_COMPARE):
        st.plotly_chart(app_themes.compare_figure(key, themes, view), key=Keys.THEMES_COMPARE_CHART)
        widgets.table_download(
            "下载对比数据（CSV）",
            functools.partial(app_themes.compare_table, key, themes, view),
            "序列对比.csv",
            Keys.THEMES_COMPARE_CSV,
        )
    if d2.toggle("显示原始计数", key=Keys.THEMES_RAW):
        st.dataframe(
            views.timeline_table(timeline, tl.MEASURES[view.measure], view.measure),
            hide_index=True,
            placeholder=wording.MISSING,
            key=Keys.THEMES_RAW_TABLE,
        )


@st.fragment
def period_and_reader(view: views.ThemeView, timeline) -> None:
    """时段内的文章 and the article reader: choosing a period or an article reruns this part only (not
    the timeline above); a point clicked on the timeline reruns the page."""
    st.subheader("时段内的文章")
    periods = views.period_options(timeline) if timeline is not None else {}
    widgets.choice_box(Keys.THEMES_PERIOD, periods, "选择时段（或点击时间线上的数据点）", "未选择时段")
    view = views.with_period(view, ss[Keys.THEMES_PERIOD])
    if view.period is not None:
        rows = app_themes.period_articles(key, themes, view)
        shown = rows.head(views.DRILL_LIMIT)
        st.caption(
            f"{periods[url_params.iso(view.period)]}：{len(rows):,} 篇文章命中所选主题或口号。"
            + wording.capped_zh(len(shown), len(rows))
        )
        st.dataframe(
            views.drill_table(shown, view),
            hide_index=True,
            placeholder=wording.MISSING,
            key=Keys.THEMES_DRILL_TABLE,
            row_height=70,
            column_config=app_themes.drill_columns(),
        )
        widgets.table_download(
            f"下载这 {len(rows):,} 篇文章（CSV）",
            functools.partial(app_themes.period_download, key, themes, view),
            f"命中文章_{url_params.iso(view.period)}.csv",
            Keys.THEMES_DRILL_CSV,
        )
        widgets.article_picker(Keys.THEMES_ARTICLE, views.article_choices(shown))
    view = views.with_article(view, ss.get(Keys.THEMES_ARTICLE))
    shown = views.article_text(corpus.articles, view.article) if view.article else None
    if shown is not None:
        widgets.article_reader(shown, Keys.THEMES_CLOSE_ARTICLE, app_themes.close_article)
    app_state.write_url(view)


period_and_reader(view, timeline)

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

# Tabs compute only when open (the segmentation check takes seconds on a large corpus).
tab_cooc, tab_slogans, tab_words = st.tabs(
    ["主题共现", "口号", "分词检查"], key=Keys.THEMES_TABS, on_change="rerun"
)
with tab_cooc:
    cooc_fig = app_themes.cooccurrence_figure(key, themes, view) if tab_cooc.open else None
    if tab_cooc.open and cooc_fig is None:
        st.info("所选日期范围内没有两个主题出现在同一篇文章中。")
    elif cooc_fig is not None:
        st.plotly_chart(cooc_fig, key=Keys.THEMES_COOC_CHART)
        widgets.table_download(
            "下载共现数据（CSV）",
            functools.partial(app_themes.cooccurrence, key, themes, view),
            "主题共现.csv",
            Keys.THEMES_COOC_CSV,
        )
with tab_slogans:  # drawn only when open, like the other tabs (the table is large)
    if tab_slogans.open:
        st.caption(
            "在标题和正文中反复出现的口号。每月文章数覆盖整个语料（折线断开处是没有版面的月份：空缺，不是零）；"
            "在页面上方的“口号”中选择即可加入时间线。"
        )
        st.dataframe(
            views.slogan_display(slogans),
            hide_index=True,
            placeholder=wording.MISSING,
            key=Keys.THEMES_SLOGAN_TABLE,
            column_config={"每月文章数": st.column_config.ImageColumn("每月文章数", width="medium")},
        )
        widgets.table_download("下载口号表（CSV）", slogans, "口号.csv", Keys.THEMES_SLOGAN_CSV)
with tab_words:
    report = app_themes.keyword_report(key, themes) if tab_words.open else None
    if report is not None:
        st.caption(
            f"主题词典中的关键词经 jieba 分词后是否保持完整；需检查的 {views.flagged_count(report):,} 个排在前面。"
        )
        st.dataframe(report, hide_index=True, placeholder=wording.MISSING, key=Keys.THEMES_KEYWORD_TABLE)
        widgets.table_download("下载分词检查（CSV）", report, "分词检查.csv", Keys.THEMES_KEYWORD_CSV)
