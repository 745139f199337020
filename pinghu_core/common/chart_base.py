"""What every chart shares: the font, the accent colour, the layout (Chinese title, margins,
hover), Chinese date axes, 万 axes and legend swatches (pure Plotly; no Streamlit)."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from pinghu_core.common import wording

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif'
)
ACCENT = "#1f6fb2"

# Time axes in Chinese at every zoom (Plotly's own ticks read "Mar 2019"): day, month, year.
DATE_TICK_STOPS_ZH = [
    {"dtickrange": [None, 86_400_000 * 28], "value": "%Y年%-m月%-d日"},
    {"dtickrange": [86_400_000 * 28, "M11"], "value": "%Y年%-m月"},
    {"dtickrange": ["M12", None], "value": "%Y年"},
]
DATE_HOVER_ZH = "%Y年%-m月%-d日"
# A share axis: 0.5%, 1%, 1.5% — as many decimals as the step needs (".0%" wrote 0.5% steps as
# 0%, 1%, 1%, 2%, 2% …: the same label on two lines).
SHARE_TICKS = "~%"
# A chart of at most PERIOD_TICKS_MAX periods (a month's or a few months' corpus) gets its ticks on
# the periods it draws, at most PERIOD_TICKS_SHOWN of them, labelled as the periods are; Plotly's own
# ticks fall between them there (half months on a monthly series, hours on a single period, the
# same day written twice).  Longer series keep Plotly's ticks, which are coarser than a period.
PERIOD_TICKS_MAX = 12
PERIOD_TICKS_SHOWN = 6


def date_axis_spec() -> dict:
    """A date axis with Chinese tick labels (2019年3月) and hover dates (2019年3月4日), as a dict."""
    return {
        "type": "date",
        "tickformatstops": copy.deepcopy(DATE_TICK_STOPS_ZH),
        "hoverformat": DATE_HOVER_ZH,
    }


def period_ticks(starts: Iterable[object], labels: Sequence[str]) -> dict:
    """Tick values and texts for a date axis drawing one point or bar per period: ``starts`` the
    periods' first days (dates or timestamps, in order), ``labels`` their names (2019年10月,
    2020年第3季度).  Every k-th period when there are at most ``PERIOD_TICKS_MAX`` (k = 1 up to
    ``PERIOD_TICKS_SHOWN`` periods); ``{}`` — Plotly's own ticks — for more."""
    days = [f"{pd.Timestamp(d):%Y-%m-%d}" for d in starts]
    if not days or len(days) > PERIOD_TICKS_MAX or len(days) != len(labels):
        return {}
    step = math.ceil(len(days) / PERIOD_TICKS_SHOWN)
    return {"tickmode": "array", "tickvals": days[::step], "ticktext": list(labels[::step])}


def chinese_date_axis(fig: go.Figure, **axis: object) -> go.Figure:
    """Make the x axes dates with Chinese tick labels (2019年3月) and hover dates (2019年3月4日)."""
    fig.update_xaxes(date_axis_spec(), **axis)
    return fig


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least ``raw``."""
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def wan_axis(fig: go.Figure, axis: str, top: float, ticks: int = 5) -> go.Figure:
    """Label a count axis the Chinese way (1万, 1.5万, 2万 — not 10k or 10,000) when it reaches 10,000;
    ``axis`` is "x" or "y", ``top`` the largest value drawn.  Hovers keep the exact numbers."""
    spec = wan_axis_spec(top, ticks)
    if spec:
        fig.update_layout({f"{axis}axis": spec})
    return fig


def wan_axis_spec(top: float, ticks: int = 5) -> dict:
    """:func:`wan_axis`'s changes to the axis as a dict (empty below 10,000)."""
    if not top or top < 10_000:
        return {}
    step = _nice_step(top / ticks)
    values = [i * step for i in range(int(top // step) + 2)]
    return {"tickmode": "array", "tickvals": values, "ticktext": [wording.wan(v) for v in values]}


def base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """The look every chart shares: title, Chinese font, and numbers written out in full on every
    axis (12,000, never Plotly's 12k)."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT_FAMILY, "size": 13},
        height=height,
        margin={"l": 56, "r": 24, "t": 64, "b": 48},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        plot_bgcolor="white",
        separators=".,",
    )
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    return fig


def legend_swatch(name: str, color: str) -> go.Scatter:
    return go.Scatter(legend_swatch_spec(name, color))


def legend_swatch_spec(name: str, color: str) -> dict:
    """A legend entry with a square of ``color`` and no points (a trace dict)."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": name,
        "showlegend": True,
        "hoverinfo": "skip",
        "marker": {"symbol": "square", "size": 13, "color": color, "line": {"color": "#bbbbbb", "width": 1}},
    }


# ---------------------------------------------------------------- a figure built once
# Every update of a go.Figure validates and dispatches through Plotly's property tree (a dozen
# updates of a subplot figure took 40 ms, more than its points): a chart redrawn on every change of a
# view is written as one layout dict and its traces' dicts, then made a figure in one go — the same
# figure (tests compare the JSON).


def deep_update(target: dict, changes: dict) -> dict:
    """``target`` updated with ``changes`` as Plotly's ``update_layout`` does: nested dicts merged key by
    key, anything else (lists too) replaced."""
    for k, v in changes.items():
        if isinstance(v, dict) and isinstance(target.get(k), dict):
            deep_update(target[k], v)
        else:
            target[k] = copy.deepcopy(v) if isinstance(v, dict | list) else v
    return target


def base_layout_spec(
    title: str, height: int, xaxes: Iterable[str] = ("xaxis",), yaxes: Iterable[str] = ("yaxis",)
) -> dict:
    """:func:`base_layout` as a layout dict, for the axes named (``xaxis``, ``xaxis2`` …)."""
    layout: dict = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT_FAMILY, "size": 13},
        "height": height,
        "margin": {"l": 56, "r": 24, "t": 64, "b": 48},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "plot_bgcolor": "white",
        "separators": ".,",
    }
    for axis in (*xaxes, *yaxes):
        layout[axis] = {"exponentformat": "none", "separatethousands": True}
    return layout


def figure(traces: list[dict], layout: dict) -> go.Figure:
    """The figure of trace dicts (each with its ``type``) and a layout dict, validated once (the default
    template added as for any new figure)."""
    return go.Figure(data=traces, layout=layout)
