"""The 政策主题 page's state and tables, as pure functions (no streamlit).

A view (:class:`ThemeView`) is what the page shows: themes and slogans, granularity, measure,
date range, the drilled-down period and the article opened in full.  It travels in the page URL
(:func:`view_params` / :func:`parse_view`) so a link restores it, and it is rebuilt from the
widgets on every run (:func:`view_from_widgets`).  The table builders give ``st.dataframe``
frames with Chinese headers; downloads are made by ``exports.csv_bytes`` (the one exporter).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote_plus, urlencode

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pinghu_core.common import viewspec
from pinghu_core.common.daterange import in_range
from pinghu_core.common.schemas import KIND_LABELS_ZH
from pinghu_core.common.url_params import parse_date
from pinghu_core.common.viewspec import BOOL, CORPUS, DATE, DATE_END, DATE_START, KEEP, MANY, param
from pinghu_core.common.wording import day_values, format_date_zh
from pinghu_core.corpus.prominence import SCOPES
from pinghu_core.themes.slogans import SLOGAN_PREFIX
from pinghu_core.themes.timeline import QUERY_PREFIX, news_zh, period_changes

GRANULARITY_DEFAULT = "month"
MEASURE_DEFAULT = "share_news"
DEFAULT_THEME_COUNT = 3  # themes shown when the URL names none
DRILL_LIMIT = 200  # articles listed on the page for one period (the download has all of them)
SLOGAN_KINDS_ZH = {"quote": "引号中的提法", "document": "文件、活动名（书名号）"}


@dataclass(frozen=True)
class ThemeView:
    """What the page shows; each field declares its URL parameter and widget
    (:mod:`pinghu_core.common.viewspec`).  With no ``themes`` parameter the page shows the first
    DEFAULT_THEME_COUNT themes (:func:`context`); ``themes=`` (empty) means none."""

    themes: tuple[str, ...] = param(
        (), "themes", widget="themes.themes", kind=MANY, options="themes", always_in_url=True
    )
    slogans: tuple[str, ...] = param(
        (), "slogans", widget="themes.slogans", kind=MANY, options="slogans", always_in_url=True
    )
    granularity: str = param(
        GRANULARITY_DEFAULT, "granularity", widget="themes.granularity", options="granularities"
    )
    measure: str = param(MEASURE_DEFAULT, "measure", widget="themes.measure", options="measures")
    start: dt.date | None = param(None, "start", widget="themes.dates", kind=DATE_START, ends=CORPUS)
    end: dt.date | None = param(None, "end", widget="themes.dates", kind=DATE_END, ends=CORPUS)
    period: dt.date | None = param(
        None, "period", widget="themes.period", kind=DATE, rows=False
    )  # drilled into
    article: str = param(
        "", "article", widget="themes.article", rows=False, widget_none=True
    )  # shown in full
    queries: tuple[str, ...] = param(
        (), "queries", widget="themes.queries", kind=MANY
    )  # 文章检索 queries as series
    hide_events: tuple[str, ...] = param(
        (), "hide_events", widget="themes.hide_events", kind=MANY, options="event_categories", rows=False
    )  # categories of data/events.toml not drawn on the timeline (a new category shows at once)

    trends: bool = param(False, "trends", widget="themes.trends", kind=BOOL, rows=False)  # 上升与下降 open
    t_start: dt.date | None = param(  # 上升与下降: the period looked at
        None, "t_start", widget="themes.trend_period", kind=DATE_START, group="t", ends=KEEP, only_if="trends",
        rows=False,
    )  # fmt: skip
    t_end: dt.date | None = param(
        None, "t_end", widget="themes.trend_period", kind=DATE_END, group="t", ends=KEEP, only_if="trends",
        rows=False,
    )  # fmt: skip
    v_start: dt.date | None = param(  # … compared with this one
        None, "v_start", widget="themes.trend_vs", kind=DATE_START, group="v", ends=KEEP, only_if="trends",
        rows=False,
    )  # fmt: skip
    v_end: dt.date | None = param(
        None, "v_end", widget="themes.trend_vs", kind=DATE_END, group="v", ends=KEEP, only_if="trends",
        rows=False,
    )  # fmt: skip
    scope: str = param(  # 全部版面, 仅头版 or 仅头条 (corpus.prominence.SCOPES)
        "all", "scope", widget="themes.scope", options="scopes", omit_default=True
    )
    compare: bool = param(False, "compare", widget="themes.compare", kind=BOOL, rows=False)  # 对比 shown

    def finished(self) -> ThemeView:
        """The compared periods of 上升与下降 completed and fitted into the date range."""
        return fit_trend_periods(self)

    @property
    def series_ids(self) -> list[str]:
        """Timeline series: theme ids, then each slogan as ``slogan:<text>``, then each query as
        ``query:<text>``."""
        return [
            *self.themes,
            *(slogan_series_id(s) for s in self.slogans),
            *(QUERY_PREFIX + q for q in self.queries),
        ]


def trend_periods(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(t_start, t_end, v_start, v_end) by default: the last twelve months of the range against the
    twelve before them when the range holds two years, else its second half against its first."""
    if (last - first).days >= 2 * 365:
        t_start = last - dt.timedelta(days=364)
        v_end = t_start - dt.timedelta(days=1)
        return t_start, last, v_end - dt.timedelta(days=364), v_end
    mid = first + (last - first) / 2
    return min(mid + dt.timedelta(days=1), last), last, first, mid


def fit_trend_periods(view: ThemeView) -> ThemeView:
    """Both periods inside the view's range; a missing one, or one wholly outside, is the default, and
    so are both when they are the same period (nothing while 上升与下降 is closed)."""
    start, end = view.start, view.end
    if not view.trends:  # closed: no periods (a date box read back while closed says nothing)
        return replace(view, t_start=None, t_end=None, v_start=None, v_end=None)
    if start is None or end is None:
        return view
    default = trend_periods(start, end)

    def fit(s: dt.date | None, e: dt.date | None, fallback: tuple) -> tuple:
        if s is None or e is None or e < start or s > end:
            return fallback
        return max(s, start), min(e, end)

    (t0, t1) = fit(view.t_start, view.t_end, default[:2])
    (v0, v1) = fit(view.v_start, view.v_end, default[2:])
    if (t0, t1) == (v0, v1):  # a period against itself says nothing (the boxes read before they were shown)
        (t0, t1), (v0, v1) = default[:2], default[2:]
    return replace(view, t_start=t0, t_end=t1, v_start=v0, v_end=v1)


def trend_part(rows: pd.DataFrame, direction: str) -> pd.DataFrame:
    """The rows that rose (largest rise first) or fell (largest fall first)."""
    part = rows[rows["direction"].astype(str) == direction]
    return part if direction == "上升" else part.iloc[::-1]


def trends_caption_zh(rows: pd.DataFrame, view: ThemeView) -> str:
    """What 上升与下降 counts, over what, and how to read G² and the flags."""
    if view.measure == "share_chars":
        what = "全部头条的正文字数" if view.scope == "lead" else "头版正文字数"
    else:
        what = news_zh(view.scope) + "篇数"
    totals = ""
    if len(rows):
        totals = f"（关注时期 {int(rows['later_total'].iloc[0]):,}，对照时期 {int(rows['earlier_total'].iloc[0]):,}）"
    return (
        f"关注时期 {format_date_zh(view.t_start)}—{format_date_zh(view.t_end)}，"
        f"对照时期 {format_date_zh(view.v_start)}—{format_date_zh(view.v_end)}。"
        f"占比 = 提及该主题或口号的{what} ÷ 该时期的{what}{totals}；"
        "G² ≥ 3.84 表示两期的差别在 5% 水平上显著（越大越不像偶然）；"
        "新出现 = 对照时期没有，消失 = 关注时期没有。选中一行，下方列出它在两个时期的文章。"
    )


def trend_words_scope_zh(view: ThemeView) -> str:
    """Under 上升与下降's words when the timeline is not over every 版面: the words are counted over
    every article of the two periods (the word index has no 范围), so say so.

    >>> trend_words_scope_zh(ThemeView(scope="lead"))
    '词语按两个时期的全部文章统计（范围“仅头条”只用于上面的主题、口号和检索式）。'
    >>> trend_words_scope_zh(ThemeView())
    ''
    """
    if view.scope == "all":
        return ""
    return f"词语按两个时期的全部文章统计（范围“{SCOPES[view.scope]}”只用于上面的主题、口号和检索式）。"


def trends_table_zh(rows: pd.DataFrame) -> pd.DataFrame:
    """schemas.TRENDS for people, the change first: shares in per cent, the change in percentage
    points, G² rounded, then the counts behind them."""
    return pd.DataFrame(
        {
            "序列": rows["series_label"].astype(str).tolist(),
            "变化(百分点)": (rows["change"] * 100).round(1).tolist(),
            "对照期占比(%)": (rows["earlier_share"] * 100).round(1).tolist(),
            "关注期占比(%)": (rows["later_share"] * 100).round(1).tolist(),
            "对数似然G²": rows["g2"].round(2).tolist(),
            "标记": rows["flag"].astype(str).tolist(),
            "对照期篇数": rows["earlier_count"].astype(int).tolist(),
            "关注期篇数": rows["later_count"].astype(int).tolist(),
            "类型": rows["series_kind"].astype(str).tolist(),
        }
    )


def prominence_note_zh(view: ThemeView, weights_zh: str, problem: str = "") -> str:
    """What the scope and the weighted measure mean, for the caption under the timeline ('' when the
    view uses neither).

    >>> prominence_note_zh(ThemeView(scope="lead"), "头条记3")
    '只统计头条：每个头版按印刷顺序的第一篇新闻（PDF 提取的版面取最长的一篇），分子和分母都只算头条。'
    """
    notes = []
    if view.scope == "front":
        notes.append("只统计头版上的文章，分子和分母都只算头版。")
    elif view.scope == "lead":
        notes.append(
            "只统计头条：每个头版按印刷顺序的第一篇新闻（PDF 提取的版面取最长的一篇），分子和分母都只算头条。"
        )
    if view.measure == "share_weighted":
        notes.append(f"按显著度加权：{weights_zh}；数值 = 提及的文章权重之和 ÷ 当期全部新闻报道权重之和。")
    if notes and problem:
        notes.append(f"（{problem}）")
    return "".join(notes)


def totals_table(totals: pd.DataFrame, measure_label: str) -> pd.DataFrame:
    """The 对比 view's numbers for a download: 序列, 占比, 分子合计, 分母合计, the periods."""
    return pd.DataFrame(
        {
            "序列": totals["series_label"].astype("string"),
            measure_label: totals["value"].astype("float64"),
            "分子合计": totals["numerator"].astype("float64"),
            "分母合计": totals["denominator"].astype("float64"),
            "有版面的时段数": totals["periods"].astype("int64"),
            "出现的时段数": totals["active"].astype("int64"),
        }
    )


def timeline_span(timeline: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The first and last period start of a timeline (None when empty): the chart's time span."""
    if timeline is None or timeline.empty:
        return None
    periods = pd.to_datetime(timeline["period_start"])
    return periods.min().date(), periods.max().date()


def shown_event_categories(view: ThemeView, categories: Sequence[str]) -> list[str]:
    """The event categories the view draws: every category of the file less the hidden ones."""
    return [c for c in categories if c not in view.hide_events]


MAX_SERIES = 8  # series on one timeline: themes, slogans and queries together
# Offered in the 检索式 box (any other query can be typed): the three forms of the 文章检索 syntax.
QUERY_EXAMPLES = ("疫情 -防控", '"长三角一体化"', "项目 投资|融资")


def query_options(view: ThemeView) -> list[str]:
    """The 检索式 box's list: the view's queries, then the examples not chosen."""
    return list(dict.fromkeys([*view.queries, *QUERY_EXAMPLES]))


def capped(view: ThemeView, limit: int = MAX_SERIES) -> tuple[ThemeView, int]:
    """The view with at most ``limit`` series (themes first, then slogans, then queries) and how many
    were left out."""
    extra = len(view.series_ids) - limit
    if extra <= 0:
        return view, 0
    themes = view.themes[:limit]
    slogans = view.slogans[: max(0, limit - len(themes))]
    queries = view.queries[: max(0, limit - len(themes) - len(slogans))]
    return replace(view, themes=themes, slogans=slogans, queries=queries), extra


def events_caption_zh(categories: Sequence[str]) -> str:
    """The timeline caption's sentence about events (categories shown, or none)."""
    if not categories:
        return "事件均未显示（可在上方“不显示的事件类别”中去掉类别）。"
    return (
        f"竖虚线与浅色带是 data/events.toml 中“{'、'.join(categories)}”类事件，"
        "悬停在顶部的三角上可见日期、说明和出处，点击三角在图下打开该事件和它的报道。"
    )


def slogan_series_id(slogan: str) -> str:
    return f"{SLOGAN_PREFIX}{slogan}"


# ---------------------------------------------------------------- URL ↔ view (declared on ThemeView)


def context(
    *,
    theme_ids: Iterable[str],
    slogans: Iterable[str],
    granularities: Iterable[str],
    measures: Iterable[str],
    first: dt.date | None = None,
    last: dt.date | None = None,
    event_categories: Iterable[str] = (),
) -> viewspec.Context:
    """What the view's checks need, and its one corpus-dependent default (the first themes)."""
    theme_ids, event_categories = list(theme_ids), list(event_categories)
    options = {"themes": theme_ids, "slogans": list(slogans), "event_categories": event_categories}
    options |= {"granularities": list(granularities), "measures": list(measures), "scopes": list(SCOPES)}
    defaults = {"themes": tuple(theme_ids[:DEFAULT_THEME_COUNT])}
    return viewspec.Context(options, first, last, defaults)


def parse_view(params: Mapping[str, str | Sequence[str]], **ctx) -> ThemeView:
    """The view a URL asks for, keeping only what exists: unknown themes, slogans, granularities
    and measures are dropped (defaults instead); dates are clamped to ``first``..``last``."""
    return viewspec.from_url(ThemeView, params, context(**ctx))


def view_params(view: ThemeView) -> dict[str, str]:
    """The URL parameters of a view (empty period/article left out)."""
    return viewspec.to_url(view)


def share_url(view: ThemeView, **changes: Any) -> str:
    """A relative link (``?themes=…``) to this page showing ``view`` with ``changes`` (field values,
    as for ``dataclasses.replace``) applied."""
    return "?" + urlencode(view_params(replace(view, **changes)))


# ---------------------------------------------------------------- periods


def period_end(start: pd.Timestamp, granularity: str) -> pd.Timestamp:
    """The first day after the period that begins at ``start``."""
    step = {
        "week": pd.DateOffset(weeks=1),
        "month": pd.DateOffset(months=1),
        "quarter": pd.DateOffset(months=3),
        "year": pd.DateOffset(years=1),
    }[granularity]
    return pd.Timestamp(start) + step


def period_options(timeline: pd.DataFrame) -> dict[str, str]:
    """Periods where a shown series has a match: ISO start → the period's label, in time order."""
    rows = timeline[timeline["has_pages"].astype(bool) & (timeline["numerator"] > 0)]
    per = rows.groupby("period_start", sort=True)["period"].first()
    return {f"{ts:%Y-%m-%d}": str(label) for ts, label in per.items()}


# ---------------------------------------------------------------- tables for people


def timeline_table(timeline: pd.DataFrame, value_label: str, measure: str = "count") -> pd.DataFrame:
    """The raw counts behind every point: 系列, 时段, value, 分子, 分母, 有无版面, and each period
    against the previous one with pages (the change and its G²: ``timeline.period_changes``)."""
    change, g2 = period_changes(timeline, measure)
    unit = "篇" if measure == "count" else "百分点"
    return pd.DataFrame(
        {
            "系列": timeline["series_label"].astype("string"),
            "时段": timeline["period"].astype("string"),
            "开始日期": [format_date_zh(d) for d in timeline["period_start"]],
            value_label: timeline["value"].astype("float64"),
            "分子": timeline["numerator"],
            "分母": timeline["denominator"],
            "有版面": [("有" if bool(h) else "无版面") for h in timeline["has_pages"]],
            f"较上一时段({unit})": (change if measure == "count" else change * 100).round(2),
            "较上一时段G²": np.round(g2, 2),
        }
    )


def per_article(rows: pd.DataFrame) -> pd.DataFrame:
    """period_articles has one row per (article, series): one row per article, series and lines joined
    (an article's date, source, title and kind are its first row's), in the order of each article's
    first row."""
    if rows.empty:
        return rows
    columns = ["article_id", "date", "source", "title", "kind", "series_label", "terms", "kwic"]
    shared = rows["article_id"].duplicated(keep=False).to_numpy()
    if not shared.any():  # most periods: every article matched one series — nothing to join
        return rows[columns].reset_index(drop=True)
    # the joined articles' lines in plain Python (a groupby with Python aggregations took most of the
    # drill-down's time): each article's rows in order
    part = rows[shared]
    groups: dict[str, list[int]] = {}
    for i, a in enumerate(part["article_id"].tolist()):
        groups.setdefault(a, []).append(i)
    labels, terms, kwic = (part[c].tolist() for c in ("series_label", "terms", "kwic"))
    firsts = part.iloc[[g[0] for g in groups.values()]]
    joined = pd.DataFrame(
        {
            "article_id": list(groups),
            **{c: _first_valid(part[c], firsts[c], groups) for c in ("date", "source", "title", "kind")},
            "series_label": [_unique_joined(labels[i] for i in g) for g in groups.values()],
            "terms": [_unique_joined(terms[i] for i in g) for g in groups.values()],
            "kwic": ["\n".join(dict.fromkeys(str(kwic[i]) for i in g if kwic[i])) for g in groups.values()],
        }
    )
    # the articles in their first row's order, the joined ones in place of their rows
    first = rows["article_id"].drop_duplicates()
    out = pd.concat([rows.loc[~shared, columns], joined[columns]], ignore_index=True)
    position = pd.Series(range(len(first)), index=first.to_numpy())
    return out.iloc[position.loc[out["article_id"].to_numpy()].argsort(kind="stable")].reset_index(drop=True)


def _first_valid(column: pd.Series, firsts: pd.Series, groups: dict[str, list[int]]) -> pd.Series:
    """Each group's first non-missing value of ``column`` (a groupby's ``first``), as ``column``'s dtype:
    the first row's, unless that one is missing."""
    values = firsts.reset_index(drop=True)
    missing = values.isna().to_numpy()
    for n in np.flatnonzero(missing):
        rest = column.iloc[list(groups.values())[n]].dropna()
        if len(rest):
            values.iloc[n] = rest.iloc[0]
    return values


def _unique_joined(values: Iterable[object]) -> str:
    parts = [p for v in values for p in str(v).split("、") if p]
    return "、".join(dict.fromkeys(parts))


def drill_table(rows: pd.DataFrame, view: ThemeView) -> pd.DataFrame:
    """:func:`per_article` rows with Chinese headers, the keyword-in-context lines and a link to the full text."""
    return pd.DataFrame(
        {
            "日期": [format_date_zh(d) for d in rows["date"]],
            "标题": [t or "（无标题）" for t in rows["title"].astype("string").fillna("")],
            "上下文": rows["kwic"].astype("string").fillna("").tolist(),
            "命中词": rows["terms"].astype("string").fillna("").tolist(),
            "主题/口号": rows["series_label"].astype("string").fillna("").tolist(),
            "类型": [KIND_LABELS_ZH.get(str(k), str(k)) for k in rows["kind"]],
            "全文": article_urls(view, [str(a) for a in rows["article_id"]]),
        }
    )


def article_urls(view: ThemeView, article_ids: Sequence[str]) -> list[str]:
    """:func:`share_url` of the view with each article open — the view's other parameters encoded once,
    only the article for each row."""
    params = view_params(replace(view, article="_"))  # where the article goes among the parameters
    names = list(params)
    at = names.index("article")
    before = urlencode({k: params[k] for k in names[:at]})
    after = urlencode({k: params[k] for k in names[at + 1 :]})
    head = "?" + (before + "&" if before else "") + "article="
    tail = "&" + after if after else ""
    return [head + quote_plus(a) + tail for a in article_ids]


def article_choices(rows: pd.DataFrame) -> dict[str, str]:
    """article_id → '2020年7月22日 · 标题' for the 查看全文 select box."""
    return {
        str(a): f"{format_date_zh(d)} · {t or '（无标题）'}"
        for a, d, t in zip(
            rows["article_id"], rows["date"], rows["title"].astype("string").fillna(""), strict=True
        )
    }


def month_starts(articles: pd.DataFrame) -> pd.PeriodIndex:
    dates = articles["date"].dropna()
    if dates.empty:
        return pd.PeriodIndex([], freq="M")
    return pd.period_range(dates.min().to_period("M"), dates.max().to_period("M"), freq="M")


def slogan_months(
    slogans: pd.DataFrame, articles: pd.DataFrame, months: pd.PeriodIndex
) -> dict[str, np.ndarray]:
    """Slogan → how many of its ``article_ids`` fall in each of ``months`` (an id as often as it is
    listed; ids of no article and undated articles left out).  Counted on integer codes — each
    listed id looked up once among the articles' ids by Arrow, a month number per article, one
    ``bincount`` — not on a frame of every (slogan, article id) pair mapped through an index of ids
    (1.46 million pairs on ten times the corpus: +360 MB at 政策主题's first open)."""
    if slogans.empty or not len(months):
        return {}
    lists = [ids if isinstance(ids, list) else [] for ids in slogans["article_ids"]]
    lengths = np.fromiter((len(ids) for ids in lists), dtype=np.int64, count=len(lists))
    flat = pa.array([i for ids in lists for i in ids], type=pa.string())
    position = pc.index_in(flat, value_set=pa.array(articles["article_id"].astype("string"), pa.string()))
    position = position.to_numpy(zero_copy_only=False)  # float with NaN where no article has the id
    del flat
    dates = articles["date"].to_numpy("datetime64[ns]")
    first = np.datetime64(f"{months[0].year:04d}-{months[0].month:02d}", "M")
    month = (dates.astype("datetime64[M]") - first).astype(np.int64)
    month[np.isnat(dates)] = -1
    known = ~np.isnan(position)
    article = position[known].astype(np.int64)
    in_month = month[article]
    dated = in_month >= 0
    codes, names = pd.factorize(slogans["slogan"].astype("string"))
    slogan = np.repeat(codes, lengths)[known][dated]
    counts = np.bincount(slogan * len(months) + in_month[dated], minlength=len(names) * len(months))
    grid = counts.reshape(len(names), len(months))
    return {str(name): grid[i] for i, name in enumerate(names) if grid[i].any()}


def slogan_table(
    slogans: pd.DataFrame, articles: pd.DataFrame, pages: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The slogans with Chinese headers and a 每月文章数 list (articles per month over the corpus) for a
    sparkline.  A month without any page is a gap (None), not zero — as on the timeline (空缺，不是零);
    the months with pages are those of ``pages`` (or of the dated articles when no pages are given)."""
    months = month_starts(articles)
    dated = (pages if pages is not None else articles)["date"].dropna()
    with_pages = set(dated.dt.to_period("M"))
    per_month = slogan_months(slogans, articles, months)
    zeros = np.zeros(len(months), dtype=np.int64)

    def line(s: str) -> list[int | None]:
        counts = per_month.get(s, zeros).tolist()
        return [v if m in with_pages else None for m, v in zip(months, counts, strict=True)]

    spark = {s: line(s) for s in slogans["slogan"]}
    return pd.DataFrame(
        {
            "口号": slogans["slogan"].astype("string"),
            "类别": [SLOGAN_KINDS_ZH.get(str(k), str(k)) for k in slogans["kind"]],
            "首次出现": day_values(slogans["first_date"]),
            "最近出现": day_values(slogans["last_date"]),
            "文章数": slogans["articles"].astype("int64"),
            "提及次数": slogans["mentions"].astype("int64"),
            "每月文章数": [spark[s] for s in slogans["slogan"]],
        }
    )


SPARK_WIDTH, SPARK_HEIGHT = 160, 28
SPARK_COLOUR = "#1f77b4"


def sparkline_svg(values: Sequence[int | None]) -> str:
    """A small line chart of ``values`` as an SVG data URL (for an image column).  ``None`` is a
    month without pages: the line breaks there (a gap, not a zero); a value between two gaps is a
    dot.  The scale starts at 0 and ends at the largest value.

    >>> sparkline_svg([]).startswith("data:image/svg+xml;base64,")
    True
    """
    n, top = len(values), max((v for v in values if v is not None), default=0) or 1
    w, h, pad = SPARK_WIDTH, SPARK_HEIGHT, 2

    def xy(i: int, v: int) -> str:
        x = pad + (w - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)
        y = h - pad - (h - 2 * pad) * v / top
        return f"{x:.1f},{y:.1f}"

    runs: list[list[tuple[int, int]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((i, v))
    marks = []
    for run in (r for r in runs if r):
        if len(run) == 1:
            x, y = xy(*run[0]).split(",")
            marks.append(f'<circle cx="{x}" cy="{y}" r="1.6" fill="{SPARK_COLOUR}"/>')
        else:
            points = " ".join(xy(i, v) for i, v in run)
            marks.append(
                f'<polyline points="{points}" fill="none" stroke="{SPARK_COLOUR}" stroke-width="1.3"/>'
            )
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">{"".join(marks)}</svg>'
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")


def slogan_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`slogan_table` for the page: 每月文章数 drawn as a sparkline image (months without pages as gaps)."""
    return table.assign(每月文章数=[sparkline_svg(v) for v in table["每月文章数"]])


def keyword_table(report: pd.DataFrame) -> pd.DataFrame:
    """The segmentation check (``schemas.KEYWORD_REPORT``) for people: keywords that jieba split in
    some checked sentence, or never kept whole, come first."""
    whole, sampled = report["whole"].astype("int64"), report["sampled"].astype("int64")
    flagged = ~report["survives"].astype(bool) | (whole < sampled)
    rows = report.assign(_flag=flagged).sort_values(
        ["_flag", "occurrences"], ascending=[False, False], kind="stable"
    )
    return pd.DataFrame(
        {
            "需检查": rows["_flag"].map({True: "⚠ 是", False: "否"}),
            "关键词": rows["keyword"].astype("string"),
            "主题": rows["theme_label"].astype("string"),
            "出现句数": rows["occurrences"].astype("int64"),
            "检查句数": rows["sampled"].astype("int64"),
            "保持完整的句数": rows["whole"].astype("int64"),
            "切分示例": rows["split_example"].astype("string").fillna(""),
            "例句": rows["sentence"].astype("string").fillna(""),
        }
    ).reset_index(drop=True)


def article_text(articles: pd.DataFrame, article_id: str) -> tuple[str, str, str] | None:
    """(title, '2020年7月22日 · 新闻 · 来源文件', body) of one article, or None when there is no such article."""
    rows = articles[articles["article_id"] == article_id]
    if rows.empty:
        return None
    r = rows.iloc[0]
    title = " ".join(str(x) for x in (r["kicker"], r["title"], r["subtitle"]) if x) or "（无标题）"
    meta = (
        f"{format_date_zh(r['date'])} · {KIND_LABELS_ZH.get(str(r['kind']), str(r['kind']))} · {r['source']}"
    )
    return title, meta, str(r["body"])


def article_ids_between(articles: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> list[str]:
    """Ids of the articles the range ``start``..``end`` keeps (:func:`daterange.in_range`)."""
    return articles.loc[in_range(articles["date"], start, end), "article_id"].astype(str).tolist()


def period_from_points(points: Sequence[Mapping]) -> str | None:
    """The ISO period start of the first clicked point of the timeline (its customdata), or None."""
    for point in points:
        custom = point.get("customdata")
        value = custom[0] if isinstance(custom, list | tuple) and custom else custom
        if isinstance(value, str) and parse_date(value) is not None:
            return value
    return None


def with_period(view: ThemeView, period: str | None) -> ThemeView:
    return replace(view, period=parse_date(period))


def with_article(view: ThemeView, article: str | None) -> ThemeView:
    return replace(view, article=article or "")


def flagged_count(keyword_table: pd.DataFrame) -> int:
    """Keywords of :func:`keyword_table` that need a look."""
    return int((keyword_table["需检查"] != "否").sum())


def theme_problem_zh(problem: object, themes: object | None) -> str:
    """What is wrong with the theme dictionary file, where, and what the page does about it."""
    path = getattr(problem, "path", None)
    name = path.name if path is not None else "themes.toml"
    message = str(getattr(problem, "message_zh", problem))
    line = getattr(problem, "line", None)
    if line and f"第{line}行" not in message:
        message = f"第{line}行：{message}"
    head = message if name in message else f"主题词典 {name} 有误：{message}"
    if themes is None:
        return f"{head}\n\n请改正这个文件后刷新页面；在此之前无法统计政策主题。"
    n = len(getattr(themes, "themes", ()))
    return f"{head}\n\n页面继续使用上一次读取成功的词典（版本 {getattr(themes, 'version', '')}，共 {n} 个主题）。"
