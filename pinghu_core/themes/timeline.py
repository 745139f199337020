"""The 政策主题 timeline: how often the paper raised each theme (or slogan), period by period.

Pure pandas over the ``articles`` and ``pages`` frames and the theme hits
(``themes.tag_articles`` / ``slogans.slogan_hits``).  Nothing here draws or imports streamlit.

Measures (docs/THEMES.md):

* ``count`` — articles (news, photo, commentary) with at least one hit;
* ``share_news`` — those articles over all news, photo and commentary items of the period;
* ``share_chars`` — the body characters of those articles over the body characters of every
  item on the period's front pages (ads, guides, weather and mastheads included);
* ``share_weighted`` — the prominence weights of those articles (``corpus.prominence``: a 头条
  counts more than another article of a 头版, which counts more than one inside) over the weights
  of every news, photo and commentary item of the period.

A scope narrows what is counted, numerator and denominator alike: every 版面 (``all``), the 头版
only (``front``) or the 头条 only (``lead``), per ``corpus.prominence``.

Every period between the first and last dated page appears; a period without any page has
``has_pages`` False and NaN value, numerator and denominator — a gap, never a zero.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pinghu_core.common import schemas
from pinghu_core.common.arrays import unique_ints
from pinghu_core.common.daterange import dated, in_range
from pinghu_core.common.stats import log_likelihood_2x2_rows
from pinghu_core.corpus import prominence as pr
from pinghu_core.themes.dictionary import TAGGED_KINDS, TERM_SEP, alternation, isin_strings
from pinghu_core.themes.dictionary import arrow_strings as themes_arrow
from pinghu_core.themes.slogans import SLOGAN_PREFIX, slogan_label

QUERY_PREFIX = "query:"  # a series id of a 文章检索 query (pinghu_core.search.series)

GRANULARITIES: dict[str, str] = {"week": "周", "month": "月", "quarter": "季", "year": "年"}
MEASURES: dict[str, str] = {
    "count": "文章数",
    "share_news": "占当期新闻数的比例",
    "share_chars": "占当期头版字数的比例",
    "share_weighted": "按显著度加权的比例",
}
SHARE_MEASURES: tuple[str, ...] = ("share_news", "share_chars", "share_weighted")
# what the denominators count, per scope (corpus.prominence.SCOPES)
SCOPE_NEWS_ZH: dict[str, str] = {"all": "", "front": "头版", "lead": "头条"}
UNITS_ZH: dict[str, str] = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}
_FREQ = {"week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}
NEWS_ZH = "新闻报道（新闻、图片新闻、评论）"


def news_zh(scope: str = "all") -> str:
    """What an article of the scope is called: '新闻报道（…）', '头版新闻报道（…）' or '头条'."""
    return "头条" if scope == "lead" else SCOPE_NEWS_ZH.get(scope, "") + NEWS_ZH


KWIC_WIDTH = 30
KWIC_MAX_LINES = 5
KWIC_SEP = " … "
_SPACE_RE = re.compile(r"\s+")


def _check(granularity: str, measure: str = "count", scope: str = "all") -> None:
    if granularity not in GRANULARITIES:
        raise ValueError(f"未知的时间粒度 {granularity!r}，可用：{'、'.join(GRANULARITIES)}")
    if measure not in MEASURES:
        raise ValueError(f"未知的度量 {measure!r}，可用：{'、'.join(MEASURES)}")
    if scope not in pr.SCOPES:
        raise ValueError(f"未知的范围 {scope!r}，可用：{'、'.join(pr.SCOPES)}")


# ---------------------------------------------------------------- periods


def period_of(dates: pd.Series | Sequence | pd.DatetimeIndex, granularity: str) -> pd.Series:
    """First day of the period of each date (weeks start on Monday); NaT stays NaT.

    >>> period_of(pd.Series(pd.to_datetime(["2020-07-22", "2020-11-10"])), "quarter").dt.strftime("%Y-%m-%d").tolist()
    ['2020-07-01', '2020-10-01']
    """
    _check(granularity)
    values = pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[ns]")
    return pd.Series(period_starts(values, granularity), dtype=schemas.DATE)


def period_starts(values: np.ndarray, granularity: str) -> np.ndarray:
    """:func:`period_of` on a ``datetime64[ns]`` array (vectorised; NaT stays NaT)."""
    nat = np.isnat(values)
    if granularity == "week":
        days = values.astype("datetime64[D]")
        weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        starts = days - weekday.astype("timedelta64[D]")
    elif granularity == "quarter":
        months = values.astype("datetime64[M]").astype(np.int64)
        starts = (months - months % 3).astype("datetime64[M]")
    else:
        starts = values.astype("datetime64[M]" if granularity == "month" else "datetime64[Y]")
    out = starts.astype("datetime64[ns]")
    out[nat] = np.datetime64("NaT")
    return out


def period_label(period_start: object, granularity: str) -> str:
    """'2020年第30周' (ISO week), '2020年7月', '2020年第3季度', '2020年'."""
    ts = pd.Timestamp(period_start)
    if granularity == "week":
        iso = ts.isocalendar()
        return f"{iso.year}年第{iso.week}周"
    if granularity == "month":
        return f"{ts.year}年{ts.month}月"
    if granularity == "quarter":
        return f"{ts.year}年第{(ts.month - 1) // 3 + 1}季度"
    return f"{ts.year}年"


def period_range(first: object, last: object, granularity: str) -> pd.DatetimeIndex:
    """Starts of every period from the one holding ``first`` to the one holding ``last``."""
    a, b = period_of([first, last], granularity)
    return pd.date_range(a, b, freq=_FREQ[granularity])


# ---------------------------------------------------------------- labels


def axis_label(measure: str, granularity: str, scope: str = "all") -> str:
    """The y-axis title: what is counted, per what, over what denominator (within the scope).

    >>> axis_label("share_news", "month", "lead")
    '提及该主题的头条占当月头条篇数的比例'
    """
    _check(granularity, measure, scope)
    unit = UNITS_ZH[granularity]
    news = news_zh(scope)
    what = "头条" if scope == "lead" else "文章"
    if measure == "count":
        return f"每{unit}提及该主题的{what}数（篇；{news}）"
    if measure == "share_news":
        return f"提及该主题的{what}占当{unit}{news}篇数的比例"
    if measure == "share_weighted":
        return f"提及该主题的{what}按显著度加权，占当{unit}全部{news}加权合计的比例"
    page = {"all": "头版全部", "front": "头版全部", "lead": "全部头条"}[scope]
    return f"提及该主题的{what}正文字数占当{unit}{page}正文字数的比例"


def _number(x: float) -> str:
    return f"{int(round(x)):,}"


def _weight(x: float) -> str:
    """A sum of weights: one decimal at most, thousands separated ('1,234.5', '45')."""
    return f"{x:,.1f}".removesuffix(".0")


def _share(value: float) -> str:
    """A share as a per cent with one decimal; '无法计算' when there is none (NaN, None, NA)."""
    if value is None or value is pd.NA or value != value:
        return "无法计算"
    return f"{value:.1%}"


def hover_label(
    series_label: str,
    period: str,
    measure: str,
    granularity: str,
    value: float,
    numerator: float,
    denominator: float,
    has_pages: bool = True,
    scope: str = "all",
) -> str:
    """One point's hover text: the number, what it counts, and the denominator.

    >>> hover_label("共同富裕", "2022年5月", "share_news", "month", 0.25, 3, 12)
    '共同富裕 · 2022年5月：25.0%（3篇 / 当月新闻报道（新闻、图片新闻、评论）12篇）'
    >>> hover_label("共同富裕", "2022年5月", "share_weighted", "month", 0.1, 4.5, 45, scope="front")
    '共同富裕 · 2022年5月：10.0%（加权4.5 / 当月头版新闻报道（新闻、图片新闻、评论）加权合计45）'
    """
    head = f"{series_label} · {period}："
    if not has_pages:
        return f"{head}语料中没有这一{UNITS_ZH[granularity]}的版面（空缺，不是零）"
    return head + hover_numbers(measure, granularity, [value], [numerator], [denominator], scope)[0]


def hover_numbers(
    measure: str,
    granularity: str,
    values: Iterable[float],
    numerators: Iterable[float],
    denominators: Iterable[float],
    scope: str = "all",
) -> list[str]:
    """What :func:`hover_label` says after its “series · period：” for points with pages: the number,
    what it counts, the denominator — for many points at once (a chart's thousands of hovers: the
    wording is chosen once, each point only formats its numbers)."""
    unit = UNITS_ZH[granularity]
    news = news_zh(scope)
    written: dict[float, str] = {}  # the same few counts recur across points: each written once

    def number(x: float) -> str:
        text = written.get(x)
        if text is None:
            text = written[x] = (_weight if measure == "share_weighted" else _number)(x)
        return text

    if measure == "count":
        what = "篇头条" if scope == "lead" else "篇文章"
        return [
            f"{number(n)}{what}提及（当{unit}{news}共{number(d)}篇）"
            for n, d in zip(numerators, denominators, strict=True)
        ]
    if measure == "share_news":
        before, middle, after = "（", f"篇 / 当{unit}{news}", "篇）"
    elif measure == "share_weighted":
        before, middle, after = "（加权", f" / 当{unit}{news}加权合计", "）"
    else:
        page = "头条" if scope == "lead" else "头版"
        before, middle, after = "（", f"字 / 当{unit}{page}正文", "字）"
    return [
        f"{_share(v)}{before}{number(n)}{middle}{number(d)}{after}"
        for v, n, d in zip(values, numerators, denominators, strict=True)
    ]


def hover_labels(frame: pd.DataFrame, measure: str, granularity: str, scope: str = "all") -> pd.Series:
    """:func:`hover_label` for every row of a TIMELINE frame."""
    return pd.Series(
        [
            hover_label(
                r.series_label,
                r.period,
                measure,
                granularity,
                r.value,
                r.numerator,
                r.denominator,
                r.has_pages,
                scope,
            )
            for r in frame.itertuples(index=False)
        ],
        index=frame.index,
        dtype="string",
    )


def series_kind(series_id: str) -> str:
    """主题, 口号 or 检索式."""
    if series_id.startswith(SLOGAN_PREFIX):
        return "口号"
    return "检索式" if series_id.startswith(QUERY_PREFIX) else "主题"


def series_labels(
    series_ids: Sequence[str], hits: pd.DataFrame, labels: Mapping[str, str] | None = None
) -> dict[str, str]:
    """:func:`series_label` of every series, the hits read once (not once per series): ``labels``,
    else the first hit's label, else built from the id."""
    none = hits.head(0)
    missing = [s for s in series_ids if not (labels and s in labels)]
    if missing:  # read only the hits of the series without a given label
        hits = hits.loc[isin_strings(hits["theme_id"], missing), ["theme_id", "theme_label"]]
    else:
        hits = none
    first = hits.loc[~hits["theme_id"].duplicated(), ["theme_id", "theme_label"]]
    found = dict(zip(first["theme_id"].astype(str), first["theme_label"].astype(str), strict=True))
    return {
        s: labels[s] if labels and s in labels else found[s] if s in found else series_label(s, none)
        for s in series_ids
    }


def series_label(series_id: str, hits: pd.DataFrame, labels: Mapping[str, str] | None = None) -> str:
    """The label of a series: ``labels``, else the hits' label, else built from the id."""
    if labels and series_id in labels:
        return labels[series_id]
    found = hits.loc[hits["theme_id"] == series_id, "theme_label"]
    if len(found):
        return str(found.iloc[0])
    return (
        slogan_label(series_id.removeprefix(SLOGAN_PREFIX))
        if series_id.startswith(SLOGAN_PREFIX)
        else series_id
    )


# ---------------------------------------------------------------- timeline


def slogan_series(series: Sequence[str]) -> list[str]:
    """The slogans among the series ids, without their prefix.

    >>> slogan_series(["economy", "slogan:四大百日攻坚"])
    ['四大百日攻坚']
    """
    return [s.removeprefix(SLOGAN_PREFIX) for s in series if s.startswith(SLOGAN_PREFIX)]


def series_hits(theme_hits: pd.DataFrame, slogan_hits: pd.DataFrame, series: Sequence[str]) -> pd.DataFrame:
    """The hits (schemas.ARTICLE_THEMES) of the series ids: theme hits and slogan hits together,
    kept to the series asked for."""
    hits = pd.concat([theme_hits, slogan_hits], ignore_index=True) if len(slogan_hits) else theme_hits
    return hits[hits["theme_id"].isin(list(series))]


@dataclass
class _Items:
    """The articles of the range as arrays, each with its period's index (-1: outside)."""

    ids: pa.Array
    period: np.ndarray
    coverage: np.ndarray
    chars: np.ndarray
    weights: np.ndarray | None = None  # prominence weights (the share_weighted measure)

    @classmethod
    def build(
        cls,
        articles: pd.DataFrame,
        periods: pd.DatetimeIndex,
        granularity: str,
        weights: np.ndarray | None = None,
    ) -> _Items:
        starts = period_starts(articles["date"].to_numpy(dtype="datetime64[ns]"), granularity)
        grid = periods.to_numpy(dtype="datetime64[ns]")
        period = np.searchsorted(grid, starts)
        inside = ~np.isnat(starts) & (period < len(grid))
        inside[inside] &= grid[period[inside]] == starts[inside]
        return cls(
            ids=pa.array(articles["article_id"].astype("string").array, type=pa.string()),
            period=np.where(inside, period, -1),
            coverage=articles["kind"].astype("string").isin(TAGGED_KINDS).to_numpy(dtype=bool),
            chars=articles["chars"].to_numpy(dtype="float64"),
            weights=weights,
        )

    def totals(self, rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(coverage items, body characters, coverage items' weights) per period over the item
        positions ``rows`` (the weights are zeros without prominence weights)."""
        rows = rows[self.period[rows] >= 0]
        period, coverage = self.period[rows], self.coverage[rows].astype("float64")
        news = np.bincount(period, weights=coverage, minlength=n)
        chars = np.bincount(period, weights=self.chars[rows], minlength=n)
        weighted = (
            np.bincount(period, weights=coverage * self.weights[rows], minlength=n)
            if self.weights is not None
            else np.zeros(n)
        )
        return news, chars, weighted

    def series_totals(
        self, hits: pd.DataFrame, series: list[str], n: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`totals` of the coverage items each series of ``hits`` matches (each item once per
        series), every series at once: (items, body characters, weights), each series × periods."""
        k = len(series)
        pos = pc.index_in(themes_arrow(hits["article_id"]), value_set=self.ids)
        pos = pos.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        code = pd.Categorical(hits["theme_id"].astype(str), categories=series).codes.astype(np.int64)
        keep = (pos >= 0) & (code >= 0)
        m = max(len(self.period), 1)
        pairs = unique_ints(code[keep] * m + pos[keep])
        code, pos = pairs // m, pairs % m
        sel = self.coverage[pos] & (self.period[pos] >= 0)
        code, pos = code[sel], pos[sel]
        cell = code * n + self.period[pos]
        shape = (k, n)
        count = np.bincount(cell, minlength=k * n).astype("float64").reshape(shape)
        chars = np.bincount(cell, weights=self.chars[pos], minlength=k * n).reshape(shape)
        weights = (
            np.bincount(cell, weights=self.weights[pos], minlength=k * n).reshape(shape)
            if self.weights is not None
            else np.zeros(shape)
        )
        return count, chars, weights

    def matches(self, article_ids: pd.Series) -> np.ndarray:
        """Positions of the coverage items among ``article_ids`` (each once)."""
        pos = pc.index_in(themes_arrow(article_ids), value_set=self.ids).to_numpy(zero_copy_only=False)
        pos = np.unique(pos[~np.isnan(pos)].astype(np.int64)) if len(pos) else np.array([], dtype=np.int64)
        return pos[self.coverage[pos]]


def timeline(
    articles: pd.DataFrame,
    pages: pd.DataFrame,
    hits: pd.DataFrame,
    series_ids: list[str],
    *,
    granularity: str = "month",
    measure: str = "count",
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    labels: Mapping[str, str] | None = None,
    scope: str = "all",
    prominence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (series, period) from the first to the last dated page (within start–end).

    ``hits`` has ARTICLE_THEMES columns (theme hits and/or slogan hits); ``series_ids`` are
    theme ids or 'slogan:…' ids; ``start``/``end`` are inclusive days.  ``scope`` (``all``,
    ``front``, ``lead``) keeps the items of every 版面, of the 头版 or the 头条 only — numerator
    and denominator alike; ``prominence`` is ``corpus.prominence.prominence`` of ``articles`` (same
    index; computed with the rules of data/prominence.toml when None and needed).  Conformed to
    ``schemas.TIMELINE``; shares are fractions (0.25 = 25%).
    """
    _check(granularity, measure, scope)
    # a time axis places dated pages and items only (undated ones are on no day)
    page_dates = pages.loc[in_range(pages["date"], start, end) & dated(pages["date"]), "date"]
    if page_dates.empty or not series_ids:
        return schemas.TIMELINE.empty()
    periods = period_range(page_dates.min(), page_dates.max(), granularity)
    has_pages = periods.isin(period_of(page_dates, granularity).unique())
    keep = np.asarray(in_range(articles["date"], start, end) & dated(articles["date"]), dtype=bool)
    weights = None
    if scope != "all" or measure == "share_weighted":
        if prominence is None:
            prominence = pr.prominence(articles, pages, pr.rules())
        keep &= pr.scope_mask(prominence, scope)
        weights = prominence["weight"].to_numpy(dtype="float64")[keep]
    light = articles[["article_id", "date", "kind", "chars"]]
    items = _Items.build(light[keep], periods, granularity, weights)
    news, chars, weighted = items.totals(np.arange(len(items.period)), len(periods))
    denominator = {"share_chars": chars, "share_weighted": weighted}.get(measure, news)
    wanted = list(dict.fromkeys(series_ids))
    h = hits.loc[isin_strings(hits["theme_id"], wanted), ["article_id", "theme_id", "theme_label"]]
    count, size, weight = items.series_totals(h, wanted, len(periods))  # (series × periods) each
    numerator = {"share_chars": size, "share_weighted": weight}.get(measure, count)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (
            numerator if measure == "count" else np.where(denominator > 0, numerator / denominator, np.nan)
        )
    n, k = len(periods), len(wanted)
    named = series_labels(wanted, h, labels)
    names = [named[sid] for sid in wanted]
    paged = np.tile(has_pages, k)
    frame = pd.DataFrame(
        {
            "series_id": np.repeat(np.asarray(wanted, dtype=object), n),
            "series_label": np.repeat(np.asarray(names, dtype=object), n),
            "period": np.tile(np.asarray([period_label(p, granularity) for p in periods], dtype=object), k),
            "period_start": np.tile(periods.to_numpy(dtype="datetime64[ns]"), k),
            "value": np.where(paged, value.ravel(), np.nan),
            "numerator": np.where(paged, numerator.ravel(), np.nan),
            "denominator": np.where(paged, np.tile(denominator, k), np.nan),
            "has_pages": paged,
        }
    )
    return schemas.conform(frame, schemas.TIMELINE)


def period_changes(frame: pd.DataFrame, measure: str) -> tuple[np.ndarray, np.ndarray]:
    """Each period against the previous one with pages, per series of a TIMELINE frame (its rows'
    order): the change in value (articles for ``count``, else the share) and G² of the 2×2 table of
    the two periods' numerators and denominators (NaN for ``share_weighted``: weights are not counts).
    NaN for the first period with pages and for periods without pages."""
    change = np.full(len(frame), np.nan)
    g2 = np.full(len(frame), np.nan)
    paged = frame[frame["has_pages"].to_numpy(dtype=bool)].sort_values(
        ["series_id", "period_start"], kind="stable"
    )
    if paged.empty:
        return change, g2
    same = (paged["series_id"] == paged["series_id"].shift()).fillna(False).to_numpy(dtype=bool)
    value, num, den = (paged[c].to_numpy(dtype="float64") for c in ("value", "numerator", "denominator"))
    prev = lambda x: np.concatenate([[np.nan], x[:-1]])  # noqa: E731
    where = frame.index.get_indexer(paged.index)
    change[where] = np.where(same, value - prev(value), np.nan)
    if measure != "share_weighted":
        prev_num, prev_den = np.nan_to_num(prev(num)), np.nan_to_num(prev(den))
        g2[where] = np.where(same, log_likelihood_2x2_rows(num, prev_num, den, prev_den), np.nan)
    return change, g2


def series_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """The 对比 view: each series of a TIMELINE frame over its whole range — numerators and
    denominators summed over the periods with pages, their ratio (with ``count`` the share of the
    news items), how many periods had pages and in how many the series appeared.  Largest share first
    (``schemas.SERIES_TOTALS``)."""
    if frame.empty:
        return schemas.SERIES_TOTALS.empty()
    paged = frame[frame["has_pages"].to_numpy(dtype=bool)]
    sums = paged.groupby("series_id", sort=False).agg(
        series_label=("series_label", "first"),
        numerator=("numerator", "sum"),
        denominator=("denominator", "sum"),
        periods=("period", "size"),
        active=("numerator", lambda n: int((n > 0).sum())),
    )
    sums = sums.reindex(list(dict.fromkeys(frame["series_id"])))  # every series, even one without pages
    sums["series_label"] = sums["series_label"].fillna(
        frame.drop_duplicates("series_id").set_index("series_id")["series_label"]
    )
    sums = sums.fillna({"numerator": 0.0, "denominator": 0.0, "periods": 0, "active": 0})
    with np.errstate(divide="ignore", invalid="ignore"):
        sums["value"] = np.where(sums["denominator"] > 0, sums["numerator"] / sums["denominator"], np.nan)
    out = sums.reset_index().sort_values("value", ascending=False, kind="stable", na_position="last")
    return schemas.conform(out.reset_index(drop=True), schemas.SERIES_TOTALS)


def totals_hover(row: Mapping, measure: str, scope: str = "all") -> str:
    """One 对比 bar's hover: the share and what it is of.

    >>> totals_hover({"series_label": "共同富裕", "value": 0.05, "numerator": 12, "denominator": 240, "active": 3, "periods": 4}, "share_news")
    '共同富裕：5.0%（12篇 / 新闻报道（新闻、图片新闻、评论）240篇；4个有版面的时段中3个出现）'
    """
    share = "无法计算" if pd.isna(row["value"]) else f"{row['value']:.1%}"
    news = news_zh(scope)
    n, d = row["numerator"], row["denominator"]
    if measure == "share_chars":
        page = "头条" if scope == "lead" else "头版"
        of = f"{_number(n)}字 / {page}正文{_number(d)}字"
    elif measure == "share_weighted":
        of = f"加权{_weight(n)} / {news}加权合计{_weight(d)}"
    else:
        of = f"{_number(n)}篇 / {news}{_number(d)}篇"
    return f"{row['series_label']}：{share}（{of}；{int(row['periods'])}个有版面的时段中{int(row['active'])}个出现）"


# ---------------------------------------------------------------- drill-down


def kwic_lines(text: str, terms: Sequence[str], width: int = KWIC_WIDTH) -> list[str]:
    """Keyword-in-context lines: each hit in 【】 with ``width`` characters either side.

    Hits closer than ``width`` to the previous one share its line.  Whitespace is collapsed.

    >>> kwic_lines("中央文明办公布第六届全国文明城市入选城市名单，平湖成功入选。", ["全国文明城市"], width=5)
    ['…公布第六届【全国文明城市】入选城市名…']
    """
    text = _SPACE_RE.sub(" ", text).strip()
    terms = [t for t in terms if t]
    if not text or not terms:
        return []
    spans = [(m.start(), m.end()) for m in _terms_pattern(tuple(terms)).finditer(text)]
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[0] - groups[-1][-1][1] <= width:
            groups[-1].append(span)
        else:
            groups.append([span])
    lines = []
    for group in groups:
        left, right = max(0, group[0][0] - width), min(len(text), group[-1][1] + width)
        parts, cursor = ["…" if left else ""], left
        for a, b in group:
            parts += [text[cursor:a], f"【{text[a:b]}】"]
            cursor = b
        parts += [text[cursor:right], "…" if right < len(text) else ""]
        lines.append("".join(parts))
    return lines


@functools.lru_cache(maxsize=512)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern:
    """The compiled :func:`alternation` of some terms (a drill-down cuts hundreds of lines with the same few)."""
    return re.compile(alternation(terms))


def display_title(row: Mapping) -> str:
    """Title, else subtitle, else kicker, else the start of the body."""
    for key in ("title", "subtitle", "kicker"):
        if str(row.get(key) or "").strip():
            return str(row[key]).strip()
    body = _SPACE_RE.sub(" ", str(row.get("body") or "")).strip()
    return body[:20] + ("…" if len(body) > 20 else "")


def _kwic(row: Mapping, terms: list[str]) -> str:
    heading = " ".join(str(row.get(k) or "") for k in ("kicker", "title", "subtitle"))
    lines = (kwic_lines(heading, terms) + kwic_lines(str(row.get("body") or ""), terms))[:KWIC_MAX_LINES]
    return join_kwic(lines)


def join_kwic(lines: Sequence[str]) -> str:
    """Lines joined by ' … ' without doubling the ellipsis where a line was cut.

    >>> join_kwic(["…甲【乙】丙…", "…丁【戊】"])
    '…甲【乙】丙 … 丁【戊】'
    """
    out = ""
    for i, line in enumerate(lines):
        if i:
            out = out.removesuffix("…") + KWIC_SEP + line.removeprefix("…")
        else:
            out = line
    return out


def period_articles(
    articles: pd.DataFrame,
    hits: pd.DataFrame,
    series_ids: list[str],
    period_start: object,
    granularity: str,
    kwic_articles: int | None = None,
) -> pd.DataFrame:
    """The matching articles of one period, one row per (article, series), with KWIC lines.

    Conformed to ``schemas.PERIOD_ARTICLES``; by date, article, then the order of ``series_ids``.
    ``kwic_articles``: cut the KWIC lines for the first so many articles only (the rest get ``''``) —
    a page that lists the first 200 of a year's 2,000 articles need not cut the other 1,800 (None:
    every article, as for a download).
    """
    _check(granularity)
    first, after = pd.date_range(
        period_of([period_start], granularity).iloc[0], periods=2, freq=_FREQ[granularity]
    )
    return range_articles(articles, hits, series_ids, first, after, kwic_articles)


def range_articles(
    articles: pd.DataFrame,
    hits: pd.DataFrame,
    series_ids: list[str],
    first: pd.Timestamp,
    after: pd.Timestamp,
    kwic_articles: int | None = None,
) -> pd.DataFrame:
    """:func:`period_articles` for the days ``first`` ≤ date < ``after`` (any span: 上升与下降's periods).

    Only the columns the rows show are joined to the hits; the bodies are read for the rows that need
    one — the articles given keyword-in-context lines, and a title taken from the body — not for every
    row of a year of hits."""
    dates = articles["date"]
    in_period = ((dates >= first) & (dates < after)).to_numpy()
    h = hits[isin_strings(hits["theme_id"], series_ids)]
    h = h[isin_strings(h["article_id"], articles.loc[in_period, "article_id"])]
    if h.empty:
        return schemas.PERIOD_ARTICLES.empty()
    shown = ["article_id", "date", "source", "kind", *_HEADING]
    cand = articles.loc[in_period, shown].assign(_row=np.flatnonzero(in_period))
    order = {sid: i for i, sid in enumerate(series_ids)}
    merged = h[["article_id", "theme_id", "theme_label", "terms"]].merge(cand, on="article_id", how="inner")
    merged["_order"] = merged["theme_id"].map(order)
    merged = merged.sort_values(["date", "article_id", "_order"], kind="stable")
    ids = merged["article_id"].tolist()
    with_kwic = (
        set(merged["article_id"].drop_duplicates().head(kwic_articles)) if kwic_articles is not None else None
    )
    heading = {k: merged[k].tolist() for k in _HEADING}
    rows = [dict(zip(_HEADING, parts, strict=True)) for parts in zip(*heading.values(), strict=True)]
    wants_kwic = [with_kwic is None or a in with_kwic for a in ids]
    needs_body = [
        kw or not any(str(r[k] or "").strip() for k in _HEADING)
        for r, kw in zip(rows, wants_kwic, strict=True)
    ]
    positions = merged["_row"].to_numpy()[np.asarray(needs_body, dtype=bool)]
    bodies = iter(articles["body"].take(positions).tolist())  # one take of the few bodies read
    for r, needed in zip(rows, needs_body, strict=True):
        r["body"] = next(bodies) if needed else None
    out = pd.DataFrame(
        {
            "article_id": merged["article_id"].to_numpy(),
            "date": merged["date"].to_numpy(),
            "source": merged["source"].to_numpy(),
            "title": [display_title(r) for r in rows],
            "kind": merged["kind"].astype("string").to_numpy(),
            "series_label": merged["theme_label"].to_numpy(),
            "terms": merged["terms"].to_numpy(),
            "kwic": [
                _kwic(r, str(t).split(TERM_SEP)) if kw else ""
                for r, t, kw in zip(rows, merged["terms"].tolist(), wants_kwic, strict=True)
            ],
        }
    )
    return schemas.conform(out, schemas.PERIOD_ARTICLES)


_HEADING = ("kicker", "title", "subtitle")  # what display_title and the context lines read before the body


# ---------------------------------------------------------------- co-occurrence


def cooccurrence(
    hits: pd.DataFrame,
    article_ids: Sequence[str] | pd.Series | None = None,
    *,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Articles shared by each pair of themes (symmetric, long form, diagonal included).

    ``article_ids`` limits the articles (e.g. those of the selected date range); ``order``
    gives the theme order (default: most articles first).  Conformed to ``schemas.COOCCURRENCE``.
    """
    h = hits[["article_id", "theme_id", "theme_label"]]
    if article_ids is not None:
        h = h[isin_strings(h["article_id"], article_ids)]
    if h.empty:
        return schemas.COOCCURRENCE.empty()
    article_index, rows = pd.factorize(h["article_id"])
    theme_index, theme_ids = pd.factorize(h["theme_id"])
    first = h.drop_duplicates("theme_id")
    labels = dict(zip(first["theme_id"].tolist(), first["theme_label"].tolist(), strict=True))
    matrix = np.zeros((len(rows), len(theme_ids)), dtype=np.int64)
    matrix[article_index, theme_index] = 1
    theme_ids = [str(t) for t in theme_ids]
    counts = pd.DataFrame(matrix.T @ matrix, index=list(theme_ids), columns=list(theme_ids))
    if order is None:
        ids = sorted(counts.index, key=lambda t: (-int(counts.loc[t, t]), str(t)))
    else:
        ids = [t for t in order if t in counts.index] + [t for t in counts.index if t not in set(order)]
    grid = counts.loc[ids, ids].to_numpy()
    out = pd.DataFrame(
        {"theme_a": np.repeat(ids, len(ids)), "theme_b": np.tile(ids, len(ids)), "articles": grid.ravel()}
    )
    out["label_a"] = out["theme_a"].map(labels)
    out["label_b"] = out["theme_b"].map(labels)
    return schemas.conform(out, schemas.COOCCURRENCE)
