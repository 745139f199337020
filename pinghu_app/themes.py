"""政策主题: cached theme hits, slogans, timeline, drill-down, co-occurrence and the segmentation check, and the page's callbacks."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app import state as app_state
from pinghu_app import widgets
from pinghu_app.corpus import CorpusKey, derived_root, load_corpus, prominence, theme_digest
from pinghu_app.events import event_digest
from pinghu_app.search import query_series_hits
from pinghu_app.state import Keys
from pinghu_app.tags import theme_hits
from pinghu_core.common import chart_base, url_params, viewspec, wording
from pinghu_core.common import safe_markdown as md
from pinghu_core.corpus import prominence as pr
from pinghu_core.events import model as ev
from pinghu_core.events import overlay as event_overlay
from pinghu_core.search import series as qseries
from pinghu_core.themes import charts as theme_charts
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import slogans as sl
from pinghu_core.themes import timeline as tl
from pinghu_core.themes import trends as trends_mod
from pinghu_core.themes import view as views
from pinghu_core.words import segment


def uses_prominence(view: views.ThemeView) -> bool:
    """The view counts within 头版 or 头条, or weighs by prominence (data/prominence.toml matters)."""
    return view.scope != "all" or view.measure == "share_weighted"


def _rules_key(view: views.ThemeView) -> str:
    """The prominence rules' digest when the view uses them: editing data/prominence.toml gives new keys."""
    return pr.rules_digest() if uses_prominence(view) else ""


def prominence_note(view: views.ThemeView) -> str:
    """The caption line on the view's scope and weights ('' when it uses neither)."""
    if not uses_prominence(view):
        return ""
    return views.prominence_note_zh(view, pr.rules().weights_zh(), pr.rules_problem())


def _scoped_articles(key: CorpusKey, view: views.ThemeView) -> pd.DataFrame:
    """The corpus' items within the view's scope (every 版面, the 头版 or the 头条)."""
    articles = load_corpus(key).articles
    if view.scope == "all":
        return articles
    return articles[pr.scope_mask(prominence(key), view.scope)]


# Cached functions take the dictionary and the view themselves: a dictionary is hashed by its
# digest, a view by the fields the function reads (its declaration says which decide the rows).
TIMELINE_HASH = {th.ThemeDict: theme_digest, views.ThemeView: lambda v: (viewspec.rows_key(v), _rules_key(v))}
PERIOD_HASH = {
    th.ThemeDict: theme_digest,
    views.ThemeView: lambda v: (viewspec.rows_key(v), v.period, _rules_key(v)),
}
CHART_HASH = {
    th.ThemeDict: theme_digest,
    views.ThemeView: lambda v: (viewspec.rows_key(v), v.measure, v.granularity, v.hide_events, _rules_key(v)),
    ev.EventList: event_digest,
}
RANGE_HASH = {th.ThemeDict: theme_digest, views.ThemeView: lambda v: (v.start, v.end)}


@st.cache_resource(show_spinner="正在识别口号…", max_entries=2)  # shared: do not modify
def slogans(key: CorpusKey) -> pd.DataFrame:
    """schemas.SLOGANS of the corpus (kept with the corpus cache: ``pinghu ingest`` computes it)."""
    corpus = load_corpus(key)
    return sl.stored_slogans(corpus.articles, derived_root(key), corpus.fingerprint)


@st.cache_resource(show_spinner=False, max_entries=2)  # shared: do not modify
def slogan_table(key: CorpusKey) -> pd.DataFrame:
    corpus = load_corpus(key)
    return views.slogan_table(slogans(key), corpus.articles, corpus.pages)


@st.cache_data(show_spinner=False, max_entries=16)
def slogan_hits(key: CorpusKey, chosen: tuple[str, ...]) -> pd.DataFrame:
    return sl.slogan_hits(load_corpus(key).articles, list(chosen))


def series_hits(key: CorpusKey, themes: th.ThemeDict, series: list[str]) -> pd.DataFrame:
    """Theme, slogan and query hits of the series ids (slogans as ``slogan:…``, 文章检索 queries as
    ``query:…``), from the cached parts."""
    chosen = tuple(tl.slogan_series(series))
    extra = [slogan_hits(key, chosen)] if chosen else []
    extra += [
        query_series_hits(key, themes, s.removeprefix(tl.QUERY_PREFIX))
        for s in series
        if s.startswith(tl.QUERY_PREFIX)
    ]
    others = pd.concat(extra, ignore_index=True) if extra else theme_hits(key, themes).head(0)
    return tl.series_hits(theme_hits(key, themes), others, series)


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=CHART_HASH)  # shared: do not modify
def timeline_figure(
    key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView, events: ev.EventList = ev.EMPTY
) -> go.Figure:
    """The timeline chart of the view with the events of its categories (built once per view and
    events file: Plotly figures are slow to build)."""
    timeline = theme_timeline(key, themes, view)
    shown = views.shown_event_categories(view, events.categories())
    chosen = events.chosen(shown, view.start, view.end)
    fig = theme_charts.timeline_chart(
        timeline,
        measure=view.measure,
        granularity=view.granularity,
        scope=view.scope,
        events=chosen,
        categories=events.categories(),
        span=views.timeline_span(timeline) if chosen else None,
    )
    return chart_base.for_browser(fig, selectable=True)


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=TIMELINE_HASH)  # shared: do not modify
def compare_figure(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> go.Figure:
    """The 对比 view's bars: each series' share of the whole date range (built once per view)."""
    totals = tl.series_totals(theme_timeline(key, themes, view))
    title = f"对比：各序列在{wording.dates_zh(view.start, view.end)}的占比（{pr.SCOPES[view.scope]}）"
    return chart_base.for_browser(
        theme_charts.totals_bar(totals, measure=view.measure, scope=view.scope, title=title)
    )


def compare_table(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """The 对比 view's numbers (for the download, built on click)."""
    return views.totals_table(tl.series_totals(theme_timeline(key, themes, view)), "占比")


@st.cache_data(show_spinner="正在计算时间线…", max_entries=32, hash_funcs=TIMELINE_HASH)
def theme_timeline(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """schemas.TIMELINE of the view's series (the drilled period does not change it)."""
    corpus = load_corpus(key)
    return tl.timeline(
        corpus.articles,
        corpus.pages,
        series_hits(key, themes, view.series_ids),
        view.series_ids,
        granularity=view.granularity,
        measure=view.measure,
        start=view.start,
        end=view.end,
        scope=view.scope,
        prominence=prominence(key) if uses_prominence(view) else None,
    )


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=PERIOD_HASH)  # shared: do not modify
def period_articles(
    key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView, kwic_articles: int | None = views.DRILL_LIMIT
) -> pd.DataFrame:
    """The articles of the view's period that match its series (one row each), with keyword-in-context
    lines for the first ``kwic_articles`` of them (the ones the page lists; None: all, for the download)."""
    hits = series_hits(key, themes, view.series_ids)
    rows = tl.period_articles(
        _scoped_articles(key, view),
        hits,
        view.series_ids,
        pd.Timestamp(view.period),
        view.granularity,
        kwic_articles=kwic_articles,
    )
    return views.per_article(rows)


def period_download(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """时段内的文章 for the download: every article with its keyword-in-context lines (built on click)."""
    return views.drill_table(period_articles(key, themes, view, kwic_articles=None), view)


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=RANGE_HASH)  # shared: do not modify
def cooccurrence_figure(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> go.Figure | None:
    """主题共现's heatmap of the view's range (None: no pair); built once per range."""
    cooc = cooccurrence(key, themes, view)
    if cooc.empty:
        return None
    title = f"主题共现：同一篇文章同时提到两个主题的文章数（{wording.dates_zh(view.start, view.end)}）"
    return chart_base.for_browser(theme_charts.cooccurrence_heatmap(cooc, title))


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=RANGE_HASH)
def cooccurrence(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """Pairs of themes sharing articles dated inside the view's range."""
    ids = views.article_ids_between(load_corpus(key).articles, view.start, view.end)
    return tl.cooccurrence(theme_hits(key, themes), ids)


@st.cache_data(show_spinner="正在检查分词…", max_entries=4, hash_funcs={th.ThemeDict: theme_digest})
def keyword_report(key: CorpusKey, themes: th.ThemeDict) -> pd.DataFrame:
    """The segmentation check of every keyword, flagged ones first (Chinese headers)."""
    return views.keyword_table(segment.keyword_report(load_corpus(key).articles, themes))


def select_period_from_chart() -> None:
    """on_select of the timeline: a clicked event marker shows that event's card; a clicked point
    drills into its period (the select box follows)."""
    state = st.session_state.get(Keys.THEMES_TIMELINE_CHART)
    points = (state or {}).get("selection", {}).get("points", [])
    event = event_overlay.event_from_points(points)
    if event is not None:
        st.session_state[Keys.THEMES_EVENT] = event
        return
    period = views.period_from_points(points)
    if period:
        st.session_state[Keys.THEMES_PERIOD] = period
        st.session_state[Keys.THEMES_ARTICLE] = None


def close_article() -> None:
    st.session_state[Keys.THEMES_ARTICLE] = None


def close_event() -> None:
    st.session_state[Keys.THEMES_EVENT] = None


TREND_HASH = {
    th.ThemeDict: theme_digest,
    views.ThemeView: lambda v: (
        (v.slogans, v.queries, v.measure, v.scope, v.t_start, v.t_end, v.v_start, v.v_end),
        _rules_key(v),
    ),
}


def _trend_ids(themes: th.ThemeDict, view: views.ThemeView) -> list[str]:
    """The series 上升与下降 ranks: every theme, the view's slogans and its queries."""
    ids = [*themes.ids, *(views.slogan_series_id(s) for s in view.slogans)]
    return list(dict.fromkeys([*ids, *(tl.QUERY_PREFIX + q for q in view.queries)]))


PERIOD_HASH = {
    th.ThemeDict: theme_digest,
    views.ThemeView: lambda v: ((v.slogans, v.queries, v.measure, v.scope), _rules_key(v)),
}


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=PERIOD_HASH)  # shared: do not modify
def trend_period_totals(
    key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView, first: dt.date | None, last: dt.date | None
) -> tuple[dict[str, int], int]:
    """trends.period_totals of 上升与下降's series over one period: counted once, kept while only the
    other period moves."""
    corpus = load_corpus(key)
    ids = _trend_ids(themes, view)
    return trends_mod.period_totals(
        corpus.articles,
        corpus.pages,
        series_hits(key, themes, ids),
        ids,
        first,
        last,
        measure="share_chars" if view.measure == "share_chars" else "share_news",
        scope=view.scope,
        prominence=prominence(key) if view.scope != "all" else None,
    )


@st.cache_resource(show_spinner="正在比较两个时期…", max_entries=16, hash_funcs=TREND_HASH)  # shared
def theme_trends(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView) -> pd.DataFrame:
    """上升与下降: every theme and the chosen slogans, the view's period against its comparison period
    (schemas.TRENDS, the largest rise first; counted over news items, or characters with share_chars)."""
    ids = _trend_ids(themes, view)
    return trends_mod.compare_totals(
        ids,
        tl.series_labels(ids, series_hits(key, themes, ids), themes.labels),
        trend_period_totals(key, themes, view, view.t_start, view.t_end),
        trend_period_totals(key, themes, view, view.v_start, view.v_end),
    )


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=TREND_HASH)  # shared
def trend_articles(
    key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView, series_id: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles of one series in the comparison period and in the period looked at (one row each,
    with keyword-in-context lines for the first 200)."""
    hits = series_hits(key, themes, [series_id])
    articles = _scoped_articles(key, view)
    out = []
    for first, last in ((view.v_start, view.v_end), (view.t_start, view.t_end)):
        rows = tl.range_articles(
            articles,
            hits,
            [series_id],
            pd.Timestamp(first),
            pd.Timestamp(last) + pd.Timedelta(days=1),
            kwic_articles=views.DRILL_LIMIT,
        )
        out.append(views.per_article(rows))
    return out[0], out[1]


def checked_view(view: views.ThemeView) -> tuple[views.ThemeView, list[str]]:
    """The view without the queries that cannot be series and with at most ``views.MAX_SERIES``
    series, and what was left out and why (Chinese, one line each)."""
    problems = []
    kept = []
    for text in view.queries:
        problem = qseries.check(text)
        if problem:
            problems.append(f"检索式“{text}”不能作为序列：{problem}")
        else:
            kept.append(qseries.query_text(text))
    view, extra = views.capped(replace(view, queries=tuple(dict.fromkeys(kept))))
    if extra:
        problems.append(
            f"一张时间线最多 {views.MAX_SERIES} 个序列（主题、口号、检索式合计），后面的 {extra} 个未画出。"
        )
    return view, problems


def context_first(table: pd.DataFrame) -> pd.DataFrame:
    """A table of articles with keyword-in-context lines drawn in half the page's width (上升与下降's
    two periods side by side): the context first, where a narrow table still shows it."""
    return table[["上下文", *(c for c in table.columns if c != "上下文")]]


def drill_columns() -> dict:
    """How a table of articles with keyword-in-context lines is drawn (时段内的文章, 上升与下降)."""
    return {
        "全文": st.column_config.LinkColumn("全文", display_text="打开全文"),
        "上下文": st.column_config.TextColumn("上下文", width="large"),
    }


def trends_section(
    key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView, first: dt.date, last: dt.date
) -> None:
    """上升与下降's themes, slogans and queries: the two periods, what rose and what fell (a ticked row
    lists its articles in both periods), the caption and the download."""
    for box, days in (
        (Keys.THEMES_TREND_PERIOD, (view.t_start, view.t_end)),
        (Keys.THEMES_TREND_VS, (view.v_start, view.v_end)),
    ):  # the boxes show the periods compared (completed by view.finished), unless a range is being picked
        shown = st.session_state.get(box)
        if (shown is None or len(shown) == 2) and tuple(shown or ()) != days:
            st.session_state[box] = days
    t1, t2 = st.columns(2)
    app_state.date_range_input(t1, "关注时期", Keys.THEMES_TREND_PERIOD, first, last)
    app_state.date_range_input(t2, "对照时期", Keys.THEMES_TREND_VS, first, last)
    trends = theme_trends(key, themes, view)
    for direction, table_key in (("上升", Keys.THEMES_TREND_UP), ("下降", Keys.THEMES_TREND_DOWN)):
        where = st.container()  # one above the other, each the page's width: every column in view
        part = views.trend_part(trends, direction)
        where.markdown(f"**{direction}**（{len(part)} 个）")
        if part.empty:
            where.info(f"没有占比{direction}的主题或口号。")
            continue
        where.dataframe(
            views.trends_table_zh(part),
            hide_index=True,
            placeholder=wording.MISSING,
            **app_state.row_picker(table_key, part["series_id"].tolist(), Keys.THEMES_TREND_SERIES),
        )
    st.caption(views.trends_caption_zh(trends, view))
    widgets.table_download(
        "下载比较结果（CSV）",
        functools.partial(views.trends_table_zh, trends),
        "上升与下降.csv",
        Keys.THEMES_TREND_CSV,
    )
    chosen = st.session_state.get(Keys.THEMES_TREND_SERIES)
    if chosen not in set(trends["series_id"]):
        return
    before, after = trend_articles(key, themes, view, chosen)
    label = trends.set_index("series_id").loc[chosen, "series_label"]
    st.markdown(f"**{md.escape(label)}** 在两个时期的文章（选中上表一行即列出）")
    a1, a2 = st.columns(2)
    for where, rows, (s0, s1) in (
        (a1, before, (view.v_start, view.v_end)),
        (a2, after, (view.t_start, view.t_end)),
    ):
        where.caption(f"{wording.dates_zh(s0, s1)}：{len(rows):,} 篇")
        if len(rows):
            where.dataframe(
                context_first(views.drill_table(rows.head(views.DRILL_LIMIT), view)),
                hide_index=True,
                placeholder=wording.MISSING,
                row_height=70,
                column_config=drill_columns(),
            )


# ---------------------------------------------------------------- the page's sections


def filter_form(
    view: views.ThemeView,
    labels: dict[str, str],
    slogan_list: list[str],
    problems: list[str],
    events: ev.EventList,
    first: dt.date | None,
    last: dt.date | None,
) -> None:
    """政策主题's filters: themes, slogans and queries as series (what cannot be one said why),
    granularity, measure, scope, dates and the event categories hidden (the widgets of ThemeView)."""
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
        for problem in problems:
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
            "计量方式",
            list(tl.MEASURES),
            format_func=tl.MEASURES.get,
            horizontal=True,
            key=Keys.THEMES_MEASURE,
        )
        c5, c6 = st.columns([3, 5])
        c5.radio(
            "范围", list(views.SCOPES), format_func=views.SCOPES.get, horizontal=True, key=Keys.THEMES_SCOPE
        )
        if first:
            app_state.date_range_input(c6, "日期范围", Keys.THEMES_DATES, first, last)
        widgets.hidden_event_categories(events.categories(), Keys.THEMES_HIDE_EVENTS)


def timeline_section(
    key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView, events: ev.EventList
) -> pd.DataFrame | None:
    """时间线: the chart (a point or an event marker clicked opens its period or card), what it counts,
    its data, 对比 and the raw counts; returns the timeline (None without a series)."""
    ss = st.session_state
    st.subheader("时间线")
    if not view.series_ids:
        st.info("请在上方选择至少一个主题或口号。")
        return None
    timeline = theme_timeline(key, themes, view)
    fig = timeline_figure(key, themes, view, events)
    widgets.chart(fig, Keys.THEMES_TIMELINE_CHART, on_select=select_period_from_chart)
    st.caption(
        f"纵轴：{tl.axis_label(view.measure, view.granularity, view.scope)}。"
        + prominence_note(view)
        + "灰色区域是语料中没有任何版面的时段，画作空缺而不是零。悬停在数据点上可见分子与分母。"
        + (
            views.events_caption_zh(views.shown_event_categories(view, events.categories()))
            if events.chosen(None, view.start, view.end)  # some event falls in the range
            else ""
        )
    )
    widgets.event_card(events.get(ss.get(Keys.THEMES_EVENT) or ""), Keys.THEMES_EVENT_CLOSE, close_event)
    d1, d2 = st.columns([2, 3])
    widgets.table_download(
        "下载时间线数据（CSV）", timeline, "主题时间线.csv", Keys.THEMES_TIMELINE_CSV, where=d1
    )
    if st.toggle("对比：并排比较各序列在整个日期范围内的占比", key=Keys.THEMES_COMPARE):
        widgets.chart(compare_figure(key, themes, view), Keys.THEMES_COMPARE_CHART)
        widgets.table_download(
            "下载对比数据（CSV）",
            functools.partial(compare_table, key, themes, view),
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
    return timeline


@st.fragment
def period_and_reader(
    key: CorpusKey,
    themes: th.ThemeDict,
    articles: pd.DataFrame,
    view: views.ThemeView,
    timeline: pd.DataFrame | None,
) -> None:
    """时段内的文章 and the article reader: choosing a period or an article reruns this part only (not
    the timeline above); a point clicked on the timeline reruns the page."""
    ss = st.session_state
    st.subheader("时段内的文章")
    periods = views.period_options(timeline) if timeline is not None else {}
    widgets.choice_box(Keys.THEMES_PERIOD, periods, "选择时段（或点击时间线上的数据点）", "未选择时段")
    view = views.with_period(view, ss[Keys.THEMES_PERIOD])
    if view.period is not None:
        rows = period_articles(key, themes, view)
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
            column_config=drill_columns(),
        )
        widgets.table_download(
            f"下载这 {len(rows):,} 篇文章（CSV）",
            functools.partial(period_download, key, themes, view),
            f"命中文章_{url_params.iso(view.period)}.csv",
            Keys.THEMES_DRILL_CSV,
        )
        widgets.article_picker(Keys.THEMES_ARTICLE, views.article_choices(shown))
    view = views.with_article(view, ss.get(Keys.THEMES_ARTICLE))
    shown = views.article_text(articles, view.article) if view.article else None
    if shown is not None:
        widgets.article_reader(shown, Keys.THEMES_CLOSE_ARTICLE, close_article)
    app_state.write_url(view)


def tabs_section(key: CorpusKey, themes: th.ThemeDict, view: views.ThemeView, slogans: pd.DataFrame) -> None:
    """主题共现, 口号 and 分词检查 in tabs, each computed only when open (the segmentation check takes
    seconds on a large corpus)."""
    tab_cooc, tab_slogans, tab_words = st.tabs(
        ["主题共现", "口号", "分词检查"], key=Keys.THEMES_TABS, on_change="rerun"
    )
    with tab_cooc:
        cooc_fig = cooccurrence_figure(key, themes, view) if tab_cooc.open else None
        if tab_cooc.open and cooc_fig is None:
            st.info("所选日期范围内没有两个主题出现在同一篇文章中。")
        elif cooc_fig is not None:
            widgets.chart(cooc_fig, Keys.THEMES_COOC_CHART)
            widgets.table_download(
                "下载共现数据（CSV）",
                functools.partial(cooccurrence, key, themes, view),
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
        report = keyword_report(key, themes) if tab_words.open else None
        if report is not None:
            st.caption(
                f"主题词典中的关键词经 jieba 分词后是否保持完整；需检查的 {views.flagged_count(report):,} 个排在前面。"
            )
            st.dataframe(report, hide_index=True, placeholder=wording.MISSING, key=Keys.THEMES_KEYWORD_TABLE)
            widgets.table_download("下载分词检查（CSV）", report, "分词检查.csv", Keys.THEMES_KEYWORD_CSV)
