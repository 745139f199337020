"""What every chart shares: the font, the accent colour, the layout (Chinese title, margins,
hover), Chinese date axes, 万 axes and legend swatches (pure Plotly; no Streamlit)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

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


AXIS_BELOW_PX = 72  # under a plot: the x tick labels and the axis title with its standoff, and a gap
LEGEND_ROW_PX = 22  # one row of a horizontal legend
LEGEND_ROW_ENTRIES = 2  # entries a legend row holds on a narrow page (560 px; an entry is up to ~180 px)


def legend_below(layout: dict, traces: Iterable[Any], *, x_title: bool = True) -> dict:
    """Put ``layout``'s horizontal legend of ``traces`` (dicts or Plotly traces) under the plot and below
    the x axis' tick labels and title (``x_title``), in pixels: the bottom margin grows by the rows the
    legend takes on a narrow page and the figure by as much (the plot keeps its height).  A legend
    placed a share of the plot's height below it lay on the date axis' title of a tall chart
    (项目进度's trajectory).  Returns ``layout``."""
    shown = (t.get("showlegend", True) if isinstance(t, dict) else t.showlegend for t in traces)
    rows = max(1, math.ceil(sum(1 for s in shown if s is not False) / LEGEND_ROW_ENTRIES))
    margin = layout.setdefault("margin", {})
    below = AXIS_BELOW_PX if x_title else AXIS_BELOW_PX - 24
    bottom = below + rows * LEGEND_ROW_PX + 8
    layout["height"] = int(layout.get("height") or 450) + max(0, bottom - int(margin.get("b", 0)))
    margin["b"] = max(bottom, int(margin.get("b", 0)))
    plot = layout["height"] - int(margin.get("t", 0)) - margin["b"]
    layout["legend"] = {
        **layout.get("legend", {}),
        "orientation": "h",
        "y": -below / max(plot, 1),
        "yanchor": "top",
    }
    return layout


def legend_below_again(fig: go.Figure) -> go.Figure:
    """:func:`legend_below` for ``fig`` once more, if its legend is under the plot (anchored by its top,
    below 0): after traces were added (the events' categories) or the top margin grew (their labels).
    Returns ``fig``."""
    legend = fig.layout.legend
    if legend.yanchor != "top" or not (legend.y or 0) < 0:
        return fig
    margin = {
        k: getattr(fig.layout.margin, k) for k in ("t", "b") if getattr(fig.layout.margin, k) is not None
    }
    layout = {"height": fig.layout.height, "margin": margin}
    x_title = any(getattr(fig.layout[k].title, "text", None) for k in fig.layout if k.startswith("xaxis"))
    legend_below(layout, fig.data, x_title=x_title)
    fig.update_layout(height=layout["height"], margin=layout["margin"], legend=layout["legend"])
    return fig


def figure(traces: list[dict], layout: dict) -> go.Figure:
    """The figure of trace dicts (each with its ``type``) and a layout dict, validated once (the default
    template added as for any new figure)."""
    return go.Figure(data=traces, layout=layout)


# ---------------------------------------------------------------- a figure drawn once in the browser
# Streamlit's chart element draws a Plotly figure, then on mounting copies it (a JSON round trip) and
# hands the copy to Plotly.react.  Plotly redraws the whole chart when the copy differs from what it
# drew: always when the layout carries a template (a new template object is a change), when a data
# array is a typed array (Plotly 6 sends NumPy arrays base64-encoded; Plotly.react cannot compare
# them), when arrays are new objects and ``layout.datarevision`` is unset, and, for a chart whose
# points can be clicked, when Streamlit then sets ``clickmode``/``hovermode``/``dragmode`` the figure
# left unset.  Every chart was drawn twice on every open and every change (a third of a page's drawing
# time on 项目进度 and 总览).  :func:`for_browser` writes a figure that survives the copy unchanged:
# no template, the look the "streamlit" theme gave (resolved for the light theme) written into the
# layout, plain lists, a ``datarevision`` that is a digest of the figure, and those modes set.  Drawn
# with ``theme=None``, so that Streamlit adds no template of its own.

# The "streamlit" chart theme of the light base theme, as Streamlit 1.67 resolves it in the browser.
SEQUENTIAL = [
    [0.0, "#e4f5ff"],
    [0.1111111111111111, "#c7ebff"],
    [0.2222222222222222, "#a6dcff"],
    [0.3333333333333333, "#83c9ff"],
    [0.4444444444444444, "#60b4ff"],
    [0.5555555555555556, "#3d9df3"],
    [0.6666666666666666, "#1c83e1"],
    [0.7777777777777778, "#0068c9"],
    [0.8888888888888888, "#0054a3"],
    [1.0, "#004280"],
]
DIVERGING = [
    [0.0, "#7d353b"],
    [0.1111111111111111, "#bd4043"],
    [0.2222222222222222, "#ff4b4b"],
    [0.3333333333333333, "#ff8c8c"],
    [0.4444444444444444, "#ffc7c7"],
    [0.5555555555555556, "#a6dcff"],
    [0.6666666666666666, "#60b4ff"],
    [0.7777777777777778, "#1c83e1"],
    [0.8888888888888888, "#0054a3"],
    [1.0, "#004280"],
]
TEXT_GREY = "#808495"
HEADING = "#2F2D2B"
GRID = "#e6eaf1"
LOOK_LAYOUT: dict = {
    "colorway": [
        "#0068c9",
        "#83c9ff",
        "#ff2b2b",
        "#ffabab",
        "#29b09d",
        "#7defa1",
        "#ff8700",
        "#ffd16a",
        "#6d3fc0",
        "#d5dae5",
    ],
    "colorscale": {"sequential": SEQUENTIAL, "sequentialminus": SEQUENTIAL, "diverging": DIVERGING},
    "coloraxis": {
        "colorscale": SEQUENTIAL,
        "colorbar": {
            "thickness": 16,
            "xpad": 24,
            "ticklabelposition": "outside",
            "outlinecolor": "rgba(0,0,0,0)",
            "outlinewidth": 8,
            "len": 0.75,
            "y": 0.5745,
            "title": {"font": {"color": TEXT_GREY, "size": 14}},
            "tickfont": {"color": TEXT_GREY, "size": 12},
        },
    },
    "font": {"color": TEXT_GREY, "size": 12, "weight": 400},
    # the theme wrapped every title in <b>…</b>; the same weight, the title's text left as it is
    "title": {
        "font": {"size": 16, "color": HEADING, "weight": 700},
        "pad": {"l": 4},
        "xanchor": "left",
        "x": 0,
    },
    "legend": {
        "title": {"font": {"size": 12, "color": TEXT_GREY}, "side": "top"},
        "valign": "top",
        "bordercolor": "rgba(0,0,0,0)",
        "borderwidth": 0,
        "font": {"size": 12, "color": "#262730"},
    },
    "paper_bgcolor": "#FFFFFF",
    "plot_bgcolor": "#FFFFFF",
    "margin": {"pad": 8, "r": 0, "l": 0},
    "hoverlabel": {
        "bgcolor": "#FFFFFF",
        "bordercolor": "rgba(47, 45, 43, 0.2)",
        "font": {"color": TEXT_GREY, "size": 12},
    },
}
# Set in a layout (not a template), some colours and sizes turn their lines on in plotly.js (coerce2):
# a grid colour shows the grid, a tick colour the ticks (whose length then pushes an axis title into
# a legend below it).  So the grid and tick colours go under an axis only where the figure turns those
# on, and a y axis gets the light zero-line colour unless the figure turns the zero line off (the zero
# line of a value axis is on by default; an x axis has it off, as the theme had).
_LINE_COLOURS = {"showgrid": ("gridcolor", GRID), "ticks": ("tickcolor", GRID)}
_AXIS = {
    "tickfont": {"color": TEXT_GREY, "size": 12},
    "automargin": True,
}  # the theme's minor.gridcolor is left out: set in a layout it turns minor grid lines on
LOOK_XAXIS: dict = {
    **_AXIS,
    "showgrid": False,
    "zeroline": False,
    "title": {"font": {"color": TEXT_GREY, "size": 14}, "standoff": 20},
}
LOOK_YAXIS: dict = {
    **_AXIS,
    "ticklabelposition": "outside",
    "title": {"font": {"color": TEXT_GREY, "size": 14}, "standoff": 24},
}
LOOK_TRACES: dict[str, dict] = {  # per trace type, under the trace's own values
    "scatter": {"marker": {"line": {"width": 0}}},
    "heatmap": {"colorscale": SEQUENTIAL},
    "contour": {"colorscale": SEQUENTIAL},
    "histogram2d": {"colorscale": SEQUENTIAL},
}
AXIS_KEY = re.compile(r"^([xy])axis(\d*)$")
# trace types drawn on x/y axes (their axes get the axis look)
CARTESIAN = frozenset({"scatter", "bar", "heatmap", "histogram", "box", "violin", "scattergl", "contour"})
# plotly.js turns outside ticks on for the axes of these ("2dMap") traces when the figure says nothing
OUTER_TICKS = frozenset({"heatmap", "contour", "histogram2d", "histogram2dcontour"})


def _expand_arrays(value: Any) -> Any:
    """Plotly's base64 typed arrays (``{"dtype", "bdata"[, "shape"]}``) as plain lists, at any depth."""
    if isinstance(value, list):
        return [_expand_arrays(v) for v in value]
    if not isinstance(value, dict):
        return value
    if (
        isinstance(value.get("bdata"), str)
        and isinstance(value.get("dtype"), str)
        and set(value)
        <= {
            "bdata",
            "dtype",
            "shape",
        }
    ):
        array = np.frombuffer(
            base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<")
        )
        if value.get("shape"):
            array = array.reshape([int(d) for d in str(value["shape"]).split(",")])
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            # NaN and ±inf become JSON null, as Plotly writes them
            cells = array.astype(object)
            cells[~np.isfinite(array)] = None
            return cells.tolist()
        return array.tolist()
    return {k: _expand_arrays(v) for k, v in value.items()}


def _under(look: dict, own: dict) -> dict:
    """``own`` with ``look`` filled in underneath (what a template does): ``own``'s values win."""
    return deep_update(copy.deepcopy(look), own)


def for_browser(fig: go.Figure, *, selectable: bool = False) -> go.Figure:
    """``fig`` as a figure that Streamlit's chart element draws once (see above), drawn with
    ``st.plotly_chart(..., theme=None)``.  ``selectable``: the chart is drawn with ``on_select`` and
    points selection.  A new figure; ``fig`` is not changed."""
    spec = json.loads(pio.to_json(fig, validate=False))
    data: list[dict] = [_expand_arrays(trace) for trace in spec.get("data", [])]
    layout = spec.get("layout", {})
    layout.pop("template", None)
    axes = {k for k in layout if AXIS_KEY.match(k)}
    cartesian = False
    ticked: set[str] = set()  # axes whose ticks are on without the figure saying so
    for trace in data:
        kind = trace.get("type", "scatter")
        if kind in LOOK_TRACES:
            trace.update(_under(LOOK_TRACES[kind], trace))
        own_axes = ("xaxis" + str(trace.get("xaxis", "x"))[1:], "yaxis" + str(trace.get("yaxis", "y"))[1:])
        if kind in CARTESIAN:
            cartesian = True
            axes.update(own_axes)
        if kind in OUTER_TICKS:
            ticked.update(own_axes)
    if cartesian:
        axes |= {"xaxis", "yaxis"}
    layout = _under(LOOK_LAYOUT, layout)
    for axis in sorted(axes):
        own = layout.get(axis) or {}
        look = dict(LOOK_XAXIS if axis.startswith("x") else LOOK_YAXIS)
        look.update({colour: value for flag, (colour, value) in _LINE_COLOURS.items() if own.get(flag)})
        if axis in ticked and own.get("ticks") != "":
            look["tickcolor"] = GRID
        if axis.startswith("y") and own.get("zeroline") is not False:
            look["zerolinecolor"] = GRID
        layout[axis] = _under(look, own)
    if selectable:  # what Streamlit sets on a chart with points selection when the figure does not
        layout.setdefault("clickmode", "event+select")
        layout.setdefault("hovermode", "closest")
        layout.setdefault("dragmode", "pan")
    layout.pop("datarevision", None)
    body = json.dumps({"data": data, "layout": layout}, sort_keys=True, ensure_ascii=False, default=str)
    layout["datarevision"] = hashlib.blake2b(body.encode("utf-8"), digest_size=8).hexdigest()
    return _unvalidated(data, layout, _expand_arrays(spec.get("frames")) or None)


def _unvalidated(data: list[dict], layout: dict, frames: list | None) -> go.Figure:
    """A figure holding ``data``, ``layout`` and ``frames`` as they are, with no template at all
    (not even the default one Plotly would add).  They come from a figure Plotly has validated
    (its JSON, changed only by the look above), so Plotly is told not to validate them again
    (``_validate=False``, as Plotly does when it sets its own default template): validating them
    again was two thirds of ``for_browser`` (28 → 9 ms for a chart of eight lines of 120 months),
    and Streamlit's copy of a figure so held costs less too (5.3 → 3.0 ms)."""
    out = go.Figure(data=data, layout={**layout, "template": {}}, frames=frames, _validate=False)
    # Only the validating setter takes a property out of the layout: the template goes that way
    out.layout._validate = True
    try:
        out.layout.template = None
    finally:
        out.layout._validate = False
    return out


# The browser's Plotly speaks English in its tool bar (缩放, 平移, 下载图片 …) and notices: the
# dictionary of a zh-CN locale given with every chart (Streamlit's Plotly bundles English only).
PLOTLY_ZH = {
    "Autoscale": "自动缩放",
    "Box Select": "框选",
    "Lasso Select": "套索选择",
    "Compare data on hover": "悬停时比较各数据",
    "Show closest data on hover": "悬停时显示最近的数据",
    "Toggle show closest data on hover": "切换：悬停时显示最近的数据",
    "Toggle Spike Lines": "显示或隐藏辅助线",
    "Download plot as a PNG": "下载图片（PNG）",
    "Download plot": "下载图片",
    "Download plot as JSON": "下载图表数据（JSON）",
    "Image download succeeded": "图片已下载",
    "JSON download succeeded": "JSON 已下载",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
    "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败！",
    "Sorry, there was a problem downloading your JSON file!": "抱歉，JSON 文件下载失败！",
    "Double-click to zoom back out": "双击恢复原来的范围",
    "Pan": "平移",
    "Zoom": "缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Reset axes": "恢复坐标轴",
    "Reset view": "恢复视图",
    "Reset views": "恢复视图",
    "Reset": "恢复",
    "Draw line": "画线",
    "Draw rectangle": "画矩形",
    "Draw circle": "画圆",
    "Draw open freeform": "画开放曲线",
    "Draw closed freeform": "画封闭图形",
    "Erase active shape": "删除选中的图形",
    "Share chart...": "分享图表…",
}
BROWSER_CONFIG = {"locale": "zh-CN", "locales": {"zh-CN": {"dictionary": PLOTLY_ZH}}, "displaylogo": False}


def drawn_once(fig: go.Figure, selectable: bool = False) -> bool:
    """True when ``fig`` came from :func:`for_browser` (no template, a ``datarevision``), made
    ``selectable`` when it is drawn with points selection (its ``clickmode`` set)."""
    made = fig.layout.datarevision is not None and not fig.layout.template.to_plotly_json()
    return made and (not selectable or fig.layout.clickmode is not None)
