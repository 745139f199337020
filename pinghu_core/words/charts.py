"""Plotly builder for the 词云 page: the top terms as horizontal bars (for people who read bars better)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from pinghu_core.common.chart_base import ACCENT, base_layout, wan_axis

MEASURE_ZH = {"count": ("出现次数（次）", "次"), "tfidf": ("TF-IDF 权重（出现次数 × 逆文档频率）", "")}


def top_terms_bar(table: pd.DataFrame, *, weight: str, articles: int, n: int = 30) -> go.Figure:
    """The first ``n`` rows of a term table (schemas.TERM_COUNTS) as bars, the heaviest on top.

    The hover gives occurrences and articles whatever the weight; a clicked bar carries its term
    in ``customdata``."""
    rows = table.head(n).iloc[::-1]
    axis, unit = MEASURE_ZH[weight]
    values = rows["tfidf"] if weight == "tfidf" else rows["count"]
    hover = [
        f"<b>{html.escape(str(t))}</b><br>出现 {c:,} 次，见于 {d:,} 篇文章<br>TF-IDF {w:,.1f}"
        for t, c, d, w in zip(rows["term"], rows["count"], rows["documents"], rows["tfidf"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=rows["term"].astype(str),
            orientation="h",
            marker_color=ACCENT,
            text=[f"{v:,.0f}{unit}" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
            customdata=rows["term"].astype(str),
        )
    )
    what = "出现次数" if weight == "count" else "TF-IDF 权重"
    base_layout(
        fig,
        f"{what}最高的 {len(rows)} 个词（所选 {articles:,} 篇文章）",
        height=max(320, 24 * len(rows) + 110),
    )
    fig.update_layout(margin={"l": 110, "r": 60, "t": 64, "b": 56}, showlegend=False)
    fig.update_xaxes(title_text=axis, gridcolor="#eeeeee", rangemode="tozero")
    fig.update_yaxes(title_text="词语", automargin=True)
    return wan_axis(fig, "x", float(max(values, default=0)))
