"""Plotly builders for the 项目进度 page: pure functions from frames to ``go.Figure``.

Titles and axes say what is counted and in what unit (完成进度（%）, 投资（亿元）); every bar and
point carries its figure_id in ``customdata`` so a click opens the sentence behind it, and the
hover shows that sentence with the value marked 【】.
"""

from __future__ import annotations

import copy
import functools
import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pinghu_core.common.chart_base import (
    ACCENT,
    FONT_FAMILY,
    base_layout_spec,
    deep_update,
    figure,
    legend_below,
)
from pinghu_core.common.wording import format_date_zh
from pinghu_core.progress.view import STATUS_ZH, marked_sentences, metric_label, value_text

DONE_COLOR = "#2ca02c"
PLANNED_COLOR = "#ff7f0e"
INVEST_COLORS = {"planned": "#9ecae1", "completed": "#1f6fb2"}
BAR_ROW_PX = 34
DATE_TICKS = "%Y年%-m月"  # Chinese dates on time axes (2020年7月)
DATE_HOVER = "%Y年%-m月%-d日"
EVENT_ORDER = ("开工", "主体结构封顶", "主体完工", "竣工", "投产", "开馆", "试运行", "投入使用")
HOVER_WIDTH = 36  # characters per hover line
VALUE_LABELS_MAX = 30  # more points than this: markers only (no line, no labels), values on hover
# With that many points the hover carries no sentence (a thousand sentences made the chart a megabyte
# to send on every run); a click opens the sentence and its article below the chart.
CLICK_FOR_SENTENCE = "点击数据点查看原句"


def _hover_sentence(text: str) -> str:
    return "<br>".join(textwrap.wrap(html.escape(text), HOVER_WIDTH)) or "（无句子）"


LABEL_PLOT_PX = 480  # the narrowest plot width a bar label must fit in (the page's column, minus the names)
NEAR_DAYS = 120  # points closer together than this: the date axis is padded so it shows its ticks
PAD_DAYS = 45


def label_px(text: str) -> int:
    """About how many pixels a 12-px label takes: Chinese characters are about twice as wide as digits."""
    return 8 + sum(12 if ord(c) > 0x2E80 else 7 for c in text)


def bar_axis_top(values: list[float], texts: list[str], width: int = LABEL_PLOT_PX) -> float:
    """The end of a bar chart's value axis: at least 100 (%), and far enough that every bar's label,
    printed outside the bar, fits in a plot ``width`` pixels wide (a label that did not fit was not drawn)."""
    top = max([100.0, *values]) * 1.05
    for v, t in zip(values, texts, strict=True):
        room = width - min(label_px(t), int(width * 0.7))
        top = max(top, v * width / room)
    return top


def completion_bar(latest: pd.DataFrame, labels: list[str], selected: str = "") -> go.Figure:
    """Horizontal bars: the latest completion_pct of each subject, labelled with its reference period and page date.

    ``labels`` names each row (subject, or project name).  ``customdata`` is the figure_id; the bar of
    ``selected`` (the figure whose sentence is open) is highlighted, and no other.
    """
    values = [float(v) for v in latest["value"]]
    periods = latest["period"].astype("string").fillna("").tolist()
    dates = [format_date_zh(d) for d in latest["date"]]
    texts = [
        f"{value_text(v, 'completion_pct', '')}（{p + ' · ' if p else ''}{d}见报）"
        for v, p, d in zip(values, periods, dates, strict=True)
    ]
    hover = [
        f"<b>{html.escape(lab)}</b><br>完成进度：{value_text(v, 'completion_pct', '')}"
        f"<br>时期：{html.escape(p) or '未注明'}<br>见报：{d}<br>{_hover_sentence(s)}"
        for lab, v, p, d, s in zip(labels, values, periods, dates, marked_sentences(latest), strict=True)
    ]
    ids = latest["figure_id"].astype(str).tolist()
    bar = {
        "type": "bar",
        "y": labels,
        "x": values,
        "orientation": "h",
        "text": texts,
        "textposition": "outside",
        "constraintext": "none",
        "cliponaxis": False,
        "marker": {"color": ACCENT},
        "customdata": ids,
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "name": metric_label("completion_pct"),
        "unselected": {"marker": {"opacity": 0.35}},
    }
    if selected in ids:
        bar["selectedpoints"] = [ids.index(selected)]
    layout = base_layout_spec(
        "最新完成进度（%）：每个主体最近一次见报的完成比例", height=140 + BAR_ROW_PX * len(labels)
    )
    deep_update(
        layout,
        {
            "xaxis": {
                "title": {"text": f"{metric_label('completion_pct')}（点击条形查看原句）"},
                "range": [0, bar_axis_top(values, texts)],
                "gridcolor": "#e5e5e5",
                "ticksuffix": "%",
            },
            "yaxis": {"autorange": "reversed", "type": "category", "automargin": True},
            "clickmode": "event+select",
            "margin": {"l": 24},
            "hoverlabel": {"align": "left"},
        },
    )
    return figure([bar], layout)


def _milestone_y(rows: pd.DataFrame) -> list[str]:
    return rows["event"].astype("string").fillna("节点").tolist()


def date_axis_range(days: list[pd.Timestamp]) -> list[str] | None:
    """An explicit date range when the points lie within NEAR_DAYS of each other (one date, or a few
    close ones): padded by PAD_DAYS each side so the axis shows its month ticks; None otherwise."""
    days = [pd.Timestamp(d) for d in days if not pd.isna(d)]
    if not days or (max(days) - min(days)).days >= NEAR_DAYS:
        return None
    pad = pd.Timedelta(days=PAD_DAYS)
    return [f"{min(days) - pad:%Y-%m-%d}", f"{max(days) + pad:%Y-%m-%d}"]


def trajectory_chart(traj: pd.DataFrame, project_name: str, metric: str, unit: str) -> go.Figure:
    """The project's ``metric`` against page date (top) and its milestones (bottom row): done ones filled
    green, planned ones hollow orange, placed at their date (``when_date``, else the page date).
    A project with only figures or only milestones gets one panel.  Figures reported on the same
    day are not joined by a line and are labelled on hover only (their labels would overlap).

    ``customdata`` of every point is its figure_id.
    """
    values = (
        traj[(traj["metric"] == metric) & traj["value"].notna()].sort_values("date")
        if metric
        else traj.head(0)
    )
    miles = traj[traj["metric"] == "milestone"].copy()
    miles["x"] = miles["when_date"].fillna(miles["date"])
    panels = [p for p, rows in (("values", values), ("miles", miles)) if len(rows)] or ["values"]
    row_of = {p: i + 1 for i, p in enumerate(panels)}
    layout = panels_layout(len(panels))
    traces: list[dict] = []
    label = metric_label(metric, unit) if metric else "节点"
    if len(values):
        lone = ~values["date"].duplicated(keep=False)  # the only figure of its day
        many = len(values) > VALUE_LABELS_MAX  # and their sentences not in the hover: one click away
        periods = values["period"].astype("string").fillna("").tolist()
        texts = [value_text(v, metric, unit) for v in values["value"]]
        ids = values["figure_id"].astype(str).tolist()
        if many:
            # One template for every point, the values in customdata: a thousand points stay small to send.
            custom: list = [
                [i, t, html.escape(p) or "未注明"] for i, t, p in zip(ids, texts, periods, strict=True)
            ]
            hover_args: dict[str, object] = {
                "hovertemplate": f"<b>%{{x|%Y年%-m月%-d日}}</b> 见报<br>{html.escape(label)}：%{{customdata[1]}}"
                f"<br>时期：%{{customdata[2]}}<br>{CLICK_FOR_SENTENCE}<extra></extra>"
            }
        else:
            custom = ids
            hover_args = {
                "hovertext": [
                    f"<b>{format_date_zh(d)}</b> 见报<br>{html.escape(label)}：{t}"
                    f"<br>时期：{html.escape(p) or '未注明'}<br>{_hover_sentence(s)}"
                    for d, t, p, s in zip(
                        values["date"], texts, periods, marked_sentences(values), strict=True
                    )
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        joined = bool(lone.all()) and not many
        trace = {
            "type": "scatter",
            "x": [f"{d:%Y-%m-%d}" for d in values["date"]],
            "y": [float(v) for v in values["value"]],
            "mode": ("lines+markers+text" if joined else "markers+text") if not many else "markers",
            "textposition": "top center",
            "line": {"color": ACCENT, "width": 2 if not many else 1},
            "marker": {"size": 10 if not many else 5, "color": ACCENT},
            "customdata": custom,
            **hover_args,
            "name": label,
            **panel_axes(row_of["values"]),
        }
        if not many:
            trace["text"] = [t if alone else "" for t, alone in zip(texts, lone, strict=True)]
        traces.append(trace)
    for status, name, marker in (
        ("done", "已完成的节点", {"symbol": "diamond", "size": 13, "color": DONE_COLOR}),
        (
            "planned",
            "计划中的节点（空心）",
            {"symbol": "diamond-open", "size": 13, "color": PLANNED_COLOR, "line": {"width": 2}},
        ),
        ("", "状态未注明的节点", {"symbol": "circle-open", "size": 11, "color": "#7f7f7f"}),
    ):
        rows = miles[miles["status"].astype("string").fillna("") == status]
        if rows.empty:
            continue
        hover = [
            f"<b>{html.escape(str(e))}</b>（{STATUS_ZH.get(status) or '状态未注明'}）<br>时间：{html.escape(str(w or '')) or '未注明'}"
            f"<br>见报：{format_date_zh(d)}<br>{_hover_sentence(s)}"
            for e, w, d, s in zip(
                rows["event"],
                rows["when"].astype("string").fillna(""),
                rows["date"],
                marked_sentences(rows),
                strict=True,
            )
        ]
        traces.append(
            {
                "type": "scatter",
                "x": [f"{d:%Y-%m-%d}" for d in rows["x"]],
                "y": _milestone_y(rows),
                "mode": "markers",
                "marker": marker,
                "customdata": rows["figure_id"].astype(str).tolist(),
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "name": name,
                **panel_axes(row_of["miles"]),
            }
        )
    title = f"{project_name}：{label}与建设节点" if metric else f"{project_name}：建设节点（报道中没有数值）"
    if len(panels) == 1 and panels[0] == "values":
        title = f"{project_name}：{label}"
    xaxes = [axis_name("x", r) for r in range(1, len(panels) + 1)]
    yaxes = [axis_name("y", r) for r in range(1, len(panels) + 1)]
    height = 520 if len(panels) == 2 else (420 if panels == ["values"] else 300)
    deep_update(layout, base_layout_spec(title, height, xaxes, yaxes))
    deep_update(
        layout,
        {
            "clickmode": "event+select",
            "hovermode": "closest",
            "legend": {"x": 0},
            "margin": {"b": 90},  # the plot's height as before; legend_below adds the legend's rows
            "showlegend": True,
        },
    )
    _trajectory_axes(layout, values, miles, metric, label, row_of)
    legend_below(layout, traces)  # events add rows: legend_below_again
    return figure(traces, layout)


def _trajectory_axes(
    layout: dict, values: pd.DataFrame, miles: pd.DataFrame, metric: str, label: str, row_of: dict[str, int]
) -> None:
    """The trajectory's axes: the value axis, the milestones' category axis, the shared date axis."""
    xaxes = [axis_name("x", r) for r in range(1, len(row_of) + 1)]
    if "values" in row_of and len(values):
        y = axis_name("y", row_of["values"])
        deep_update(layout, {y: {"title": {"text": label}, "gridcolor": "#e5e5e5", "rangemode": "tozero"}})
        if metric == "completion_pct":
            top = max([100.0, *(float(v) for v in values["value"])])
            deep_update(layout, {y: {"range": [0, top * 1.1], "ticksuffix": "%"}})
    if "miles" in row_of:
        events = set(miles["event"].astype(str))
        order = [e for e in EVENT_ORDER if e in events] + sorted(events - set(EVENT_ORDER))
        y = axis_name("y", row_of["miles"])
        deep_update(
            layout,
            {
                y: {
                    "title": {"text": "节点"},
                    "type": "category",
                    "categoryorder": "array",
                    "categoryarray": order,
                    "range": [-0.6, max(len(order), 1) - 0.4],
                }
            },
        )
    every_x: dict = {
        "tickformat": DATE_TICKS,
        "hoverformat": DATE_HOVER,
        "type": "date",
        "gridcolor": "#eeeeee",
    }
    days = [pd.Timestamp(d) for d in [*values["date"], *miles["x"]] if not pd.isna(d)]
    span = date_axis_range(days)
    if span is not None:
        every_x["range"] = span
    if days and (max(days) - min(days)).days < 365:  # month labels: never two ticks in one month
        every_x["dtick"] = "M1"
    for x in xaxes:
        deep_update(layout, {x: every_x})
    deep_update(layout, {"hoverlabel": {"align": "left", "font": {"family": FONT_FAMILY}}})
    axis_title = "日期（数值按见报日期；节点按其发生或计划时间）" if "miles" in row_of else "见报日期"
    deep_update(layout, {xaxes[-1]: {"title": {"text": axis_title}}})


def axis_name(letter: str, row: int) -> str:
    """The layout key of a panel's axis: ``xaxis`` for the first row, ``xaxis2`` for the second."""
    return f"{letter}axis" if row == 1 else f"{letter}axis{row}"


def panel_axes(row: int) -> dict[str, str]:
    """A trace's axes in panel ``row`` (``x``/``y``, ``x2``/``y2``)."""
    return {"xaxis": "x" if row == 1 else f"x{row}", "yaxis": "y" if row == 1 else f"y{row}"}


@functools.cache
def _panels(rows: int) -> dict:
    if rows == 2:
        fig = make_subplots(
            rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28], vertical_spacing=0.06
        )
    else:
        fig = make_subplots(rows=1, cols=1)
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)  # a new figure gets the default one
    return layout


def panels_layout(rows: int) -> dict:
    """The layout of the trajectory's one or two panels (one above the other, sharing the date axis):
    what ``make_subplots`` lays out, computed once, a copy each time."""
    return copy.deepcopy(_panels(rows))


def investment_chart(pairs: pd.DataFrame, labels: list[str]) -> go.Figure:
    """Grouped horizontal bars: planned and completed investment of each row of ``pairs`` (one subject,
    period and page), with the completed share of the plan written beside it."""
    units = sorted(set(pairs["unit"].astype("string").fillna("")) - {""}) or ["亿元"]
    traces = []
    for col, name in (("planned", "计划投资"), ("completed", "已完成投资")):
        values = [None if pd.isna(v) else float(v) for v in pairs[col]]
        text = [
            value_text(v, "investment", str(u)) if v is not None else ""
            for v, u in zip(values, pairs["unit"].astype("string").fillna(""), strict=True)
        ]
        if col == "completed":
            text = [
                f"{t}（完成计划的{c / p:.1%}）" if p and c is not None else t
                for t, c, p in zip(text, values, pairs["planned"], strict=True)
            ]
        traces.append(
            {
                "type": "bar",
                "y": labels,
                "x": values,
                "orientation": "h",
                "name": name,
                "text": text,
                "textposition": "outside",
                "cliponaxis": False,
                "marker": {"color": INVEST_COLORS[col]},
                "hovertemplate": f"%{{y}}<br>{name}：%{{text}}<extra></extra>",
            }
        )
    layout = base_layout_spec(
        f"投资完成与计划（{'、'.join(units)}）：报道同时给出两者的主体",
        height=150 + 2 * BAR_ROW_PX * len(labels),
    )
    both = pairs[["planned", "completed"]].to_numpy(dtype="float64", na_value=float("nan")).ravel()
    top = max([0.0, *(float(v) for v in both if v == v)])
    deep_update(
        layout,
        {
            "xaxis": {
                "title": {"text": f"投资（{'、'.join(units)}）"},
                "range": [0, (top or 1) * 1.5],
                "gridcolor": "#e5e5e5",
            },
            "yaxis": {"autorange": "reversed", "type": "category", "automargin": True},
            "barmode": "group",
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "margin": {"l": 24, "t": 96},
            "hoverlabel": {"font": {"family": FONT_FAMILY}},
        },
    )
    return figure(traces, layout)
