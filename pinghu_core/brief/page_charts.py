"""The brief's two charts as the 简报 page draws them: Plotly figures of the same data, colours and
titles as the Word file's pictures (:mod:`pinghu_core.brief.charts`), drawn in the browser.

The page used to show the Word file's PNG pictures, and drawing them with matplotlib was most of the
server's work on every change of period (~0.25 s of CPU); the Word file still draws its own when it is
downloaded.  Hovering a bar gives its exact figure."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from pinghu_core.brief.charts import (
    ARTICLES_NAME,
    DAILY_TITLE,
    EARLIER_COLOR,
    GAP_COLOR,
    GAP_NAME,
    LATER_COLOR,
    NO_NEWS,
    SHARES_AXIS,
    SHARES_TITLE,
)
from pinghu_core.common.chart_base import base_layout_spec, figure, legend_below
from pinghu_core.common.wording import format_date_zh

BAR_ROW_PX = 22  # per bar of the theme shares (two a theme)


def daily_chart(daily: pd.DataFrame) -> go.Figure | None:
    """Articles a day (``daily``: ``date``, ``articles`` — NaN on a day without pages): red bars, and a
    grey band the height of the tallest day where the paper had no page (never a bar of zero).  Each
    series and its legend entry only when it has days; None without days."""
    if daily.empty:
        return None
    days = pd.to_datetime(daily["date"])
    values = daily["articles"].astype(float)
    gap = values.isna().to_numpy()
    top = float(values.max()) if (~gap).any() else 1.0
    labels = [format_date_zh(d) for d in days]
    traces: list[dict] = []
    if gap.any():
        traces.append(
            {
                "type": "bar",
                "name": GAP_NAME,
                "x": [d.strftime("%Y-%m-%d") for d in days[gap]],
                "y": [top] * int(gap.sum()),
                "marker": {"color": GAP_COLOR},
                "width": 86_400_000,  # the whole day (ms on a date axis)
                "customdata": [labels[i] for i in range(len(days)) if gap[i]],
                "hovertemplate": "%{customdata}：没有版面<extra></extra>",
            }
        )
    if (~gap).any():
        traces.append(
            {
                "type": "bar",
                "name": ARTICLES_NAME,
                "x": [d.strftime("%Y-%m-%d") for d in days[~gap]],
                "y": [int(v) for v in values[~gap]],
                "marker": {"color": LATER_COLOR},
                "width": 0.7 * 86_400_000,
                "customdata": [labels[i] for i in range(len(days)) if not gap[i]],
                "hovertemplate": "%{customdata}：%{y} 篇文章<extra></extra>",
            }
        )
    layout = base_layout_spec(DAILY_TITLE, 300)
    layout["margin"] = {"l": 56, "r": 24, "t": 56, "b": 40}
    layout["barmode"] = "overlay"
    layout["bargap"] = 0
    layout["showlegend"] = True
    layout["legend"] = {"x": 0.5, "xanchor": "center"}
    layout["xaxis"].update({"type": "date", "tickformat": "%-m/%-d", "hoverformat": "%Y-%m-%d"})
    layout["yaxis"].update({"title": {"text": "文章（篇）"}, "rangemode": "tozero", "showgrid": True})
    legend_below(layout, traces, x_title=False)  # under the dates, in pixels
    return figure(traces, layout)


def theme_shares_chart(shares: pd.DataFrame, this_label: str, previous_label: str) -> go.Figure | None:
    """Each theme's share of the news reports (``shares``: ``label``, ``later_share``, ``earlier_share``
    as fractions, in the brief's order) in this period (red, its percentage written beside) and the
    one before (grey); when the earlier period had no news report at all, its legend says so and its
    bars are absent, not zero.  None without themes."""
    if shares.empty:
        return None
    # names from the data are escaped: Plotly reads tags in tick labels, legends and hovers
    labels = [html.escape(str(s)) for s in shares["label"]]
    later = (shares["later_share"].astype(float) * 100).round(1)
    earlier = (shares["earlier_share"].astype(float) * 100).round(1)
    gone = bool(earlier.isna().all())
    # this period first: on top within each theme (the axis runs downwards) and first in the legend
    traces: list[dict] = [
        {
            "type": "bar",
            "orientation": "h",
            "name": html.escape(this_label),
            "y": labels,
            "x": [float(v) for v in later],
            "text": [f"{v:.1f}%" for v in later],
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": LATER_COLOR},
            "hovertemplate": "%{y}<br>%{fullData.name}：%{x:.1f}%<extra></extra>",
        },
        {
            "type": "bar",
            "orientation": "h",
            "name": html.escape(previous_label) + (NO_NEWS if gone else ""),
            "y": labels,
            "x": [None if pd.isna(v) else float(v) for v in earlier],
            "marker": {"color": EARLIER_COLOR},
            "hovertemplate": "%{y}<br>%{fullData.name}：%{x:.1f}%<extra></extra>",
        },
    ]
    layout = base_layout_spec(SHARES_TITLE, 2 * BAR_ROW_PX * len(labels) + 170)
    layout["margin"] = {"l": 24, "r": 56, "t": 56, "b": 40}
    layout["barmode"] = "group"
    layout["showlegend"] = True
    layout["legend"] = {"x": 0.5, "xanchor": "center"}
    layout["xaxis"].update({"title": {"text": SHARES_AXIS}, "rangemode": "tozero", "showgrid": True})
    legend_below(layout, traces)  # under the axis title, in pixels
    # the first theme on top, as in the Word file
    layout["yaxis"].update({"type": "category", "autorange": "reversed", "automargin": True})
    return figure(traces, layout)
