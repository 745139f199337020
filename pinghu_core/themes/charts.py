"""Plotly builders for the 政策主题 page: pure functions from frames to ``go.Figure``.

Every hover says what the number counts and over what denominator; periods without any page
in the corpus are gaps (``None`` breaks the line) drawn on a grey band, never zero.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pinghu_core.common.chart_base import (
    FONT_FAMILY,
    SHARE_TICKS,
    base_layout,
    base_layout_spec,
    date_axis_spec,
    deep_update,
    figure,
    legend_swatch_spec,
    period_ticks,
    wan_axis_spec,
)
from pinghu_core.events import overlay as event_overlay
from pinghu_core.events.model import Event
from pinghu_core.themes import timeline as tl
from pinghu_core.themes.view import period_end

NO_PAGES_COLOR = "#e6e6e6"
NO_PAGES_LABEL = "无版面的时段（空缺，不是零）"
# The legend sits under the x-axis title at a fraction of the plot's height (Plotly places it in
# those units), and the margin it pushes out shrinks the plot: 460 px and -0.16 drew its first row
# across the title on a 228 px plot.  540 px and -0.28 keep it under the title with five rows of
# legend (tests/test_browser_chart_ticks.py measures both in Chromium).
TIMELINE_HEIGHT = 540
LEGEND_Y = -0.28
PALETTE = (
    "#1f6fb2",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
)
SHARE_MEASURES = tl.SHARE_MEASURES
COOC_COLORSCALE = [[0.0, "#f7fbff"], [1.0, "#08519c"]]


def point_hover(
    measure: str,
    granularity: str,
    label: str,
    period: str,
    value: float,
    n: float,
    d: float,
    scope: str = "all",
) -> str:
    """timeline.hover_label (what is counted, over what denominator), label escaped, series and period
    in bold (:func:`point_hovers` for one point)."""
    return point_hovers(measure, granularity, label, [period], [value], [n], [d], scope)[0]


def point_hovers(
    measure: str,
    granularity: str,
    label: str,
    periods: Sequence[str],
    values: Sequence[float],
    numerators: Sequence[float],
    denominators: Sequence[float],
    scope: str = "all",
) -> list[str]:
    """The hovers of one series' points: “<b>series · period</b><br>number（what / denominator）”, the
    words of :func:`timeline.hover_label`, HTML-escaped; '' for a point without a value (a gap)."""
    label = html.escape(label)
    shown = [i for i, v in enumerate(values) if v == v]  # a gap's numbers are NaN too
    rests = iter(
        tl.hover_numbers(
            measure,
            granularity,
            [values[i] for i in shown],
            [numerators[i] for i in shown],
            [denominators[i] for i in shown],
            scope,
        )
    )
    return [
        f"<b>{label} · {html.escape(p)}</b><br>{next(rests)}" if v == v else ""  # digits and fixed wording
        for p, v in zip(periods, values, strict=True)
    ]


def short_axis_title(measure: str, granularity: str, scope: str = "all") -> str:
    """The y-axis title, short enough to stand beside the axis: what is counted, over what.

    >>> short_axis_title("count", "month", "lead"), short_axis_title("share_weighted", "year")
    ('每月提及的头条数（篇）', '占当年加权合计的比例（按显著度）')
    """
    unit = tl.UNITS_ZH[granularity]
    what = {"all": "文章", "front": "头版文章", "lead": "头条"}[scope]
    news = {"all": "新闻报道", "front": "头版新闻报道", "lead": "头条"}[scope]
    return {
        "count": f"每{unit}提及的{what}数（篇）",
        "share_news": f"占当{unit}{news}篇数的比例",
        "share_chars": f"占当{unit}{'头条' if scope == 'lead' else '头版'}正文字数的比例",
        "share_weighted": f"占当{unit}加权合计的比例（按显著度）",
    }[measure]


def no_page_runs(timeline: pd.DataFrame, granularity: str) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Consecutive periods without pages merged into (start, end) bands, end exclusive."""
    per = timeline.drop_duplicates("period_start").sort_values("period_start")
    runs: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for start, has in zip(per["period_start"], per["has_pages"], strict=True):
        if bool(has):
            continue
        end = period_end(start, granularity)
        if runs and runs[-1][1] == pd.Timestamp(start):
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((pd.Timestamp(start), end))
    return runs


def timeline_spec(
    timeline: pd.DataFrame, *, measure: str, granularity: str, scope: str = "all"
) -> tuple[list[dict], dict]:
    """:func:`timeline_chart` as its trace dicts and layout dict (events are added to them before the
    figure is made: :func:`pinghu_core.events.overlay.events_spec`)."""
    traces: list[dict] = []
    for i, (sid, rows) in enumerate(timeline.groupby("series_id", sort=False)):
        rows = rows.sort_values("period_start")
        label = str(rows["series_label"].iloc[0])
        values = rows["value"].to_numpy(dtype="float64")  # NaN: a gap (drawn as null)
        hover = point_hovers(
            measure,
            granularity,
            label,
            rows["period"].astype(str).tolist(),
            values.tolist(),
            rows["numerator"].tolist(),
            rows["denominator"].tolist(),
            scope,
        )
        # numpy arrays, not lists: Plotly validates a list element by element (most of this function's time)
        days = pd.to_datetime(rows["period_start"]).dt.strftime("%Y-%m-%d").to_numpy(dtype="U10")
        traces.append(
            {
                "type": "scatter",
                "x": days,
                "y": values,
                "mode": "lines+markers",
                "connectgaps": False,
                "name": label,
                "line": {"color": PALETTE[i % len(PALETTE)], "width": 2},
                "marker": {"size": 6},
                "text": np.asarray(hover, dtype=str),
                "customdata": days,
                "hovertemplate": "%{text}<extra></extra>",
                "meta": str(sid),
            }
        )
    runs = no_page_runs(timeline, granularity) if len(timeline) else []
    shapes = [
        {
            "type": "rect",
            "x0": f"{start:%Y-%m-%d}",
            "x1": f"{end:%Y-%m-%d}",
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "y domain",
            "fillcolor": NO_PAGES_COLOR,
            "opacity": 0.6,
            "line": {"width": 0},
            "layer": "below",
        }
        for start, end in runs
    ]
    if runs:
        traces.append(legend_swatch_spec(NO_PAGES_LABEL, NO_PAGES_COLOR))
    layout = base_layout_spec(tl.axis_label(measure, granularity, scope), height=TIMELINE_HEIGHT)
    deep_update(
        layout,
        {
            "legend": {"orientation": "h", "x": 0, "y": LEGEND_Y, "yanchor": "top"},
            "margin": {"b": 96},
            "hovermode": "closest",
            "clickmode": "event+select",
            "xaxis": {
                **date_axis_spec(),
                "title": {"text": "时段（点击数据点查看该时段的文章）"},
                "gridcolor": "#eeeeee",
            },
            "yaxis": {
                "title": {"text": short_axis_title(measure, granularity, scope)},
                "rangemode": "tozero",
                "gridcolor": "#e5e5e5",
            },
        },
    )
    if shapes:
        layout["shapes"] = shapes
    periods = timeline.drop_duplicates("period_start").sort_values("period_start")
    layout["xaxis"].update(period_ticks(periods["period_start"], periods["period"].astype(str).tolist()))
    if measure in SHARE_MEASURES:
        layout["yaxis"]["tickformat"] = SHARE_TICKS
    else:  # whole articles: integer ticks only
        top = timeline["value"].max() if len(timeline) else 0
        top = 0.0 if pd.isna(top) else float(top)
        layout["yaxis"].update({"tickformat": ",d", "tick0": 0, "dtick": count_step(top)})
        deep_update(layout, {"yaxis": wan_axis_spec(top)})
    return traces, layout


def timeline_chart(
    timeline: pd.DataFrame,
    *,
    measure: str,
    granularity: str,
    scope: str = "all",
    events: Sequence[Event] = (),
    categories: Sequence[str] = (),
    span: tuple[dt.date, dt.date] | None = None,
) -> go.Figure:
    """One line per series over ``period_start``; ``value`` NaN (no pages) breaks the line.

    The y-axis title is ``timeline.axis_label``: what is counted, per period, over what.

    ``customdata`` of each point is its period's ISO start date (a click drills into it).

    ``events`` are drawn on it as :func:`pinghu_core.events.overlay.add_events` draws them
    (``categories``, every category of the events file in order, fixes their colours; ``span``, the
    chart's first and last day, keeps their labels apart) — written into the same dicts, so the
    figure is made once.
    """
    traces, layout = timeline_spec(timeline, measure=measure, granularity=granularity, scope=scope)
    event_overlay.add_events_to_spec(traces, layout, events, categories, span=span)
    return figure(traces, layout)


def totals_bar(totals: pd.DataFrame, *, measure: str, scope: str = "all", title: str = "") -> go.Figure:
    """The 对比 view: one horizontal bar per series (``timeline.series_totals``), its share of the
    whole date range, largest on top, each in its timeline colour; the hover gives the numerator, the
    denominator and in how many periods the series appeared."""
    colors = {}
    for i, sid in enumerate(totals["series_id"].astype(str)):
        colors[sid] = PALETTE[i % len(PALETTE)]
    rows = totals.iloc[::-1]  # Plotly draws the first bar at the bottom
    fig = go.Figure(
        go.Bar(
            x=[None if pd.isna(v) else float(v) for v in rows["value"]],
            y=rows["series_label"].astype(str).tolist(),
            orientation="h",
            marker={"color": [colors[str(s)] for s in rows["series_id"]]},
            text=["" if pd.isna(v) else f"{v:.1%}" for v in rows["value"]],
            textposition="outside",
            hovertext=[html.escape(tl.totals_hover(r, measure, scope)) for r in rows.to_dict("records")],
            hovertemplate="%{hovertext}<extra></extra>",
            cliponaxis=False,
        )
    )
    base_layout(fig, title or "对比：各序列在所选日期范围内的占比", height=max(220, 90 + 44 * len(rows)))
    what = "头条" if scope == "lead" else ("头版新闻报道" if scope == "front" else "新闻报道")
    axis = {
        "share_chars": f"占{'头条' if scope == 'lead' else '头版'}正文字数的比例",
        "share_weighted": f"按显著度加权，占{what}加权合计的比例",
    }.get(measure, f"提及的文章占{what}篇数的比例")
    fig.update_xaxes(title_text=axis, tickformat=SHARE_TICKS, rangemode="tozero", gridcolor="#e5e5e5")
    fig.update_yaxes(type="category", automargin=True)
    fig.update_layout(margin={"r": 60}, showlegend=False)
    return fig


def count_step(top: float) -> int:
    """A whole-number tick step (1, 2, 5, 10, 20, 50 …) giving at most six ticks up to ``top``."""
    base = 1
    while True:
        for m in (1, 2, 5):
            if top / (m * base) <= 6:
                return m * base
        base *= 10


def cooccurrence_heatmap(cooc: pd.DataFrame, title: str) -> go.Figure:
    """Themes × themes, each cell the number of articles tagged with both (symmetric; diagonal blank)."""
    counts: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for a, b, n in zip(
        cooc["label_a"].astype(str), cooc["label_b"].astype(str), cooc["articles"], strict=True
    ):
        counts[(a, b)] = counts[(b, a)] = int(n)
        if a != b:
            totals[a] = totals.get(a, 0) + int(n)
            totals[b] = totals.get(b, 0) + int(n)
    labels = sorted(totals, key=lambda x: (-totals[x], x))
    z = [[counts.get((r, c)) if r != c else None for c in labels] for r in labels]
    hover = [
        [f"{r} 与 {c}<br>同时出现的文章：{counts.get((r, c), 0):,} 篇" if r != c else "" for c in labels]
        for r in labels
    ]
    text = [[f"{v:,}" if v else "" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            x=labels,
            y=labels,
            z=z,
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            hovertemplate="%{customdata}<extra></extra>",
            hoverongaps=False,
            colorscale=COOC_COLORSCALE,
            zmin=0,
            xgap=1,
            ygap=1,
            colorbar={
                "title": {"text": "共同出现<br>文章数"},
                "thickness": 12,
                "tickformat": ",d",
                "dtick": count_step(max((v or 0 for row in z for v in row), default=0)),
            },
            name="共同出现的文章数",
        )
    )
    base_layout(fig, title, height=max(320, 150 + 28 * len(labels)))
    fig.update_xaxes(tickangle=-45, showgrid=False, fixedrange=True, type="category")
    fig.update_yaxes(autorange="reversed", showgrid=False, fixedrange=True, type="category")
    fig.update_layout(hoverlabel={"font": {"family": FONT_FAMILY}}, margin={"l": 120, "b": 120})
    return fig
