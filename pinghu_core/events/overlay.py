"""Events drawn on a Plotly time chart: a dashed line for a day, a shaded band for a span, a label
at the top, and a marker whose hover tells the date, category, note and source (pure Plotly).

The markers sit on an extra invisible y axis (0…1 over the plot), so they never change the range
of the chart's own axis; a click on one selects a point whose ``customdata`` is
``["event", <event id>]`` (:func:`event_from_points`), which a page can use to open the source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

import plotly.graph_objects as go

from pinghu_core.common.chart_base import FONT_FAMILY, legend_below_again
from pinghu_core.events.model import Event

# One colour per category, in the order the categories first appear in the file.
PALETTE = ("#b2182b", "#2166ac", "#1b7837", "#762a83", "#e08214", "#4d4d4d", "#01665e", "#8c510a")
LABELS_MAX = 12  # more events than this on one chart: labels only in the hover (they would overlap)
LABEL_ROWS = 3  # labels close in time go on rows above each other; a label finding no free row is left out
PLOT_PX = 760  # about the plot's width in pixels on the dashboard, to tell whether two labels collide
CHAR_PX = 12  # about one Chinese character of a label in pixels
ROW_PX = 15
EVENT_AXIS = "y9"
MARKER_Y = 0.97
EVENT_POINT = "event"


def category_colors(categories: Sequence[str]) -> dict[str, str]:
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def _day_start(day: dt.date) -> str:
    return day.isoformat()


def _day_after(day: dt.date) -> str:
    return (day + dt.timedelta(days=1)).isoformat()


def hover_text(event: Event) -> str:
    """The hover of an event's marker (Plotly's hover is text, not Markdown; ``<br>`` breaks lines)."""
    parts = [f"<b>{_plain(event.label)}</b>", f"{event.when_zh()} · {_plain(event.category)}"]
    if event.note:
        parts.append(_plain(event.note))
    if event.source:
        parts.append(f"出处：{_plain(event.source)}")
    return "<br>".join(parts)


def _plain(text: str) -> str:
    """Text for a Plotly label or hover: its few HTML-like tags made literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def label_rows(events: Sequence[Event], first: dt.date, last: dt.date) -> list[tuple[int, str] | None]:
    """Where each event's label goes: (row, anchor) — row 0 just above the plot, anchor ``left``
    (the label starts at the event) or ``right`` (it ends there, near the chart's right edge, so it
    neither runs off the chart nor widens its time axis) — so that labels close in time do not
    overlap; None for a label that finds no free row among :data:`LABEL_ROWS` (its event keeps its
    line and hover).  ``first`` … ``last`` is the chart's time span, to turn a label's width in
    characters into days."""
    span = max((last - first).days, 1)
    ends: list[dt.date] = []  # per row: the day where its last label ends
    out: list[tuple[int, str] | None] = []
    for event in events:
        width = dt.timedelta(days=len(event.label) * CHAR_PX / PLOT_PX * span + span * 0.01)
        anchor = "right" if event.start + width > last else "left"
        begin = event.start - width if anchor == "right" else event.start
        row = next((r for r, end in enumerate(ends) if begin >= end), None)
        if row is None and len(ends) < LABEL_ROWS:
            row = len(ends)
            ends.append(begin)
        if row is not None:
            ends[row] = begin + width
        out.append(None if row is None else (row, anchor))
    return out


EVENT_AXIS_SPEC = {"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}


class EventMarks(NamedTuple):
    """What :func:`add_events` draws, as Plotly dicts: the markers' traces (one per category), the
    lines and bands, the labels, and how many label rows stand above the plot (0: none)."""

    traces: list[dict]
    shapes: list[dict]
    annotations: list[dict]
    label_rows: int


def event_marks(
    events: Sequence[Event],
    categories: Sequence[str],
    *,
    labels: bool | None = None,
    span: tuple[dt.date, dt.date] | None = None,
) -> EventMarks:
    """The marks of ``events`` (see :func:`add_events`), for a figure written as dicts."""
    events = sorted(events, key=lambda e: (e.start, e.last, e.id))
    colors = category_colors(categories)
    show_labels = len(events) <= LABELS_MAX if labels is None else labels
    rows: list[tuple[int, str] | None] = [None] * len(events)
    if show_labels and events:
        first, last = span or (events[0].start, max(e.last for e in events))
        rows = label_rows(events, first, last)
    shapes: list[dict] = []
    annotations: list[dict] = []
    for event, row in zip(events, rows, strict=True):
        color = colors.get(event.category, PALETTE[-1])
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
    traces = [
        {
            "type": "scatter",
            "x": [_day_start(e.start) for e in chosen],
            "y": [MARKER_Y] * len(chosen),
            "yaxis": EVENT_AXIS,
            "mode": "markers",
            "marker": {"symbol": "triangle-down", "size": 10, "color": colors.get(category, PALETTE[-1])},
            "name": f"事件：{category}",
            "legendgroup": "events",
            "showlegend": True,
            "text": [hover_text(e) for e in chosen],
            "customdata": [[EVENT_POINT, e.id] for e in chosen],
            "hovertemplate": "%{text}<extra></extra>",
        }
        for category, chosen in by_category.items()
    ]
    used = [r[0] for r in rows if r is not None]
    return EventMarks(traces, shapes, annotations, max(used) + 1 if used else 0)


def _top_margin(top: int | None, marks: EventMarks) -> int:
    """The top margin with room above the plot for the labels' rows."""
    return (top or 64) + marks.label_rows * ROW_PX + 4


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
    marks = event_marks(events, categories, labels=labels, span=span)
    fig.add_traces(marks.traces)
    # one layout update for every line, band and label (one add_shape each copied the layout each time)
    fig.update_layout(
        {
            "shapes": [*fig.layout.shapes, *marks.shapes],
            "annotations": [*fig.layout.annotations, *marks.annotations],
            f"yaxis{EVENT_AXIS[1:]}": dict(EVENT_AXIS_SPEC),
        }
    )
    if marks.label_rows:  # room above the plot for the labels
        fig.update_layout(margin={"t": _top_margin(fig.layout.margin.t, marks)})
    return legend_below_again(fig)  # a legend under the plot: room for the categories' entries


def add_events_to_spec(
    traces: list[dict],
    layout: dict,
    events: Sequence[Event],
    categories: Sequence[str],
    *,
    labels: bool | None = None,
    span: tuple[dt.date, dt.date] | None = None,
) -> None:
    """:func:`add_events` on a figure still written as its trace dicts and layout dict (changed in
    place): the same figure, without a go.Figure's update per change."""
    if not events:
        return
    marks = event_marks(events, categories, labels=labels, span=span)
    traces.extend(marks.traces)
    layout["shapes"] = [*layout.get("shapes", []), *marks.shapes]
    layout["annotations"] = [*layout.get("annotations", []), *marks.annotations]
    layout[f"yaxis{EVENT_AXIS[1:]}"] = dict(EVENT_AXIS_SPEC)
    if marks.label_rows:
        layout.setdefault("margin", {})["t"] = _top_margin(layout["margin"].get("t"), marks)


def event_from_points(points: Sequence[dict]) -> str | None:
    """The id of the event whose marker was clicked (a Streamlit chart selection's points), or None."""
    for point in points or ():
        data = point.get("customdata")
        if isinstance(data, (list, tuple)) and len(data) == 2 and data[0] == EVENT_POINT:
            return str(data[1])
    return None
