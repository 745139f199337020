"""政策主题's timeline chart and the events drawn on it as they were built before they were written as
dicts (main at 0607c20: ``themes.charts.timeline_chart`` and ``events.overlay.add_events``, each a
``go.Figure`` updated step by step): the reference the figures built in one go must equal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pinghu_core.common.chart_base import FONT_FAMILY, base_layout, chinese_date_axis, legend_swatch, wan_axis
from pinghu_core.events.model import Event
from pinghu_core.events.overlay import (
    EVENT_AXIS,
    EVENT_POINT,
    LABELS_MAX,
    MARKER_Y,
    ROW_PX,
    _day_after,
    _day_start,
    _plain,
    category_colors,
    hover_text,
    label_rows,
)
from pinghu_core.events.overlay import (
    PALETTE as EVENT_PALETTE,
)
from pinghu_core.themes import timeline as tl
from pinghu_core.themes.charts import (
    NO_PAGES_COLOR,
    NO_PAGES_LABEL,
    PALETTE,
    SHARE_MEASURES,
    count_step,
    no_page_runs,
    point_hovers,
    short_axis_title,
)


def timeline_chart(
    timeline: pd.DataFrame, *, measure: str, granularity: str, scope: str = "all"
) -> go.Figure:
    """One line per series over ``period_start``; ``value`` NaN (no pages) breaks the line.

    The y-axis title is ``timeline.axis_label``: what is counted, per period, over what.

    ``customdata`` of each point is its period's ISO start date (a click drills into it).
    """
    fig = go.Figure()
    traces = []
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
            go.Scatter(
                x=days,
                y=values,
                mode="lines+markers",
                connectgaps=False,
                name=label,
                line={"color": PALETTE[i % len(PALETTE)], "width": 2},
                marker={"size": 6},
                text=np.asarray(hover, dtype=str),
                customdata=days,
                hovertemplate="%{text}<extra></extra>",
                meta=str(sid),
            )
        )
    fig.add_traces(traces)
    runs = no_page_runs(timeline, granularity) if len(timeline) else []
    for start, end in runs:
        fig.add_vrect(
            x0=f"{start:%Y-%m-%d}",
            x1=f"{end:%Y-%m-%d}",
            fillcolor=NO_PAGES_COLOR,
            opacity=0.6,
            line_width=0,
            layer="below",
        )
    if runs:
        fig.add_trace(legend_swatch(NO_PAGES_LABEL, NO_PAGES_COLOR))
    base_layout(fig, tl.axis_label(measure, granularity, scope), height=460)
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "y": -0.16, "yanchor": "top"},
        margin={"b": 96},
        hovermode="closest",
        clickmode="event+select",
    )
    chinese_date_axis(fig, title_text="时段（点击数据点查看该时段的文章）", gridcolor="#eeeeee")
    fig.update_yaxes(
        title_text=short_axis_title(measure, granularity, scope), rangemode="tozero", gridcolor="#e5e5e5"
    )
    if measure in SHARE_MEASURES:
        fig.update_yaxes(tickformat=".0%")
    else:  # whole articles: integer ticks only
        top = timeline["value"].max() if len(timeline) else 0
        top = 0.0 if pd.isna(top) else float(top)
        fig.update_yaxes(tickformat=",d", tick0=0, dtick=count_step(top))
        wan_axis(fig, "y", top)
    return fig


def add_events(
    fig: go.Figure,
    events: Sequence[Event],
    categories: Sequence[str],
    *,
    labels: bool | None = None,
    span: tuple[dt.date, dt.date] | None = None,
) -> go.Figure:
    """Draw ``events`` on ``fig`` (a chart with a date x axis); ``categories`` (all categories of
    the file, in order) fixes each category's colour.  ``labels`` None: labels when there are at
    most :data:`LABELS_MAX` events.  ``span``: the chart's first and last day (default: the
    events'), to keep labels from overlapping.  Returns ``fig``."""
    if not events:
        return fig
    events = sorted(events, key=lambda e: (e.start, e.last, e.id))
    colors = category_colors(categories)
    show_labels = len(events) <= LABELS_MAX if labels is None else labels
    first, last = span or (events[0].start, max(e.last for e in events))
    rows = label_rows(events, first, last) if show_labels else [None] * len(events)
    shapes: list[dict] = []
    annotations: list[dict] = []
    for event, row in zip(events, rows, strict=True):
        color = colors.get(event.category, EVENT_PALETTE[-1])
        if event.end is None:
            x = _day_start(event.start)
            shapes.append(dict(
                type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="paper",
                line={"color": color, "width": 1.5, "dash": "dash"}, layer="below",
            ))  # fmt: skip
        else:
            shapes.append(dict(
                type="rect", x0=_day_start(event.start), x1=_day_after(event.end), xref="x",
                y0=0, y1=1, yref="paper", fillcolor=color, opacity=0.12, line={"width": 0}, layer="below",
            ))  # fmt: skip
        if row is not None:
            annotations.append(dict(
                x=_day_start(event.start), xref="x", y=1, yref="paper", yanchor="bottom", xanchor=row[1],
                yshift=row[0] * ROW_PX, text=_plain(event.label), showarrow=False, textangle=0,
                font={"family": FONT_FAMILY, "size": 11, "color": color},
            ))  # fmt: skip
    by_category: dict[str, list[Event]] = {}
    for event in events:
        by_category.setdefault(event.category, []).append(event)
    fig.add_traces(
        [
            go.Scatter(
                x=[_day_start(e.start) for e in chosen],
                y=[MARKER_Y] * len(chosen),
                yaxis=EVENT_AXIS,
                mode="markers",
                marker={
                    "symbol": "triangle-down",
                    "size": 10,
                    "color": colors.get(category, EVENT_PALETTE[-1]),
                },
                name=f"事件：{category}",
                legendgroup="events",
                showlegend=True,
                text=[hover_text(e) for e in chosen],
                customdata=[[EVENT_POINT, e.id] for e in chosen],
                hovertemplate="%{text}<extra></extra>",
            )
            for category, chosen in by_category.items()
        ]
    )
    # one layout update for every line, band and label (one add_shape each copied the layout each time)
    fig.update_layout(
        {
            "shapes": [*fig.layout.shapes, *shapes],
            "annotations": [*fig.layout.annotations, *annotations],
            f"yaxis{EVENT_AXIS[1:]}": {
                "overlaying": "y",
                "range": [0, 1],
                "visible": False,
                "fixedrange": True,
            },
        }
    )
    used = [r[0] for r in rows if r is not None]
    if used:  # room above the plot for the labels
        top = (fig.layout.margin.t or 64) + (max(used) + 1) * ROW_PX + 4
        fig.update_layout(margin={"t": top})
    return fig
