"""人物与机构 charts (pure Plotly): one name's timeline — articles per period as bars, the share of
头版 naming them as a line, periods without pages left empty — and who appears with whom as a small
network (names on a circle, a line per pair, its width the shared articles)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pinghu_core.common import chart_base
from pinghu_core.themes import timeline

GRANULARITY_ZH = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}
NETWORK_NAMES = 20  # at most this many names on the network (the most connected)


def timeline_figure(line: pd.DataFrame, granularity: str) -> go.Figure:
    """``schemas.PERSON_TIMELINE`` rows as articles per period (bars) and the share of 头版 naming
    them (a line on the right axis; no point where the period has no pages)."""
    name = str(line["name"].iloc[0]) if len(line) else ""
    unit = GRANULARITY_ZH.get(granularity, granularity)
    share = np.where(line["pages"].to_numpy() > 0, line["share"].to_numpy(dtype=float) * 100, np.nan)
    fig = go.Figure()
    fig.add_bar(
        x=line["period_start"],
        y=line["articles"],
        name="文章数",
        marker_color=chart_base.ACCENT,
        customdata=np.stack([line["lead_articles"], line["appearances"]], axis=-1) if len(line) else None,
        hovertemplate="%{x}<br>文章 %{y} 篇（其中头条 %{customdata[0]} 篇），提及 %{customdata[1]} 次<extra></extra>",
    )
    fig.add_scatter(
        x=line["period_start"],
        y=share,
        name="头版占比",
        yaxis="y2",
        mode="lines+markers",
        connectgaps=False,
        line={"color": "#d9822b"},
        customdata=np.stack([line["front_pages"], line["pages"]], axis=-1) if len(line) else None,
        hovertemplate="%{x}<br>%{customdata[0]} / %{customdata[1]} 个头版（%{y:.1f}%）<extra></extra>",
    )
    chart_base.base_layout(fig, f"{name}：每{unit}出现的文章数与头版占比", 380)
    fig.update_layout(
        yaxis={"title": "文章数", "rangemode": "tozero"},
        yaxis2={"title": "头版占比（%）", "overlaying": "y", "side": "right", "range": [0, 105], "dtick": 25},
        legend={"orientation": "h", "y": -0.2},
        bargap=0.2,
    )
    starts = line["period_start"].tolist()
    ticks = chart_base.period_ticks(starts, [timeline.period_label(d, granularity) for d in starts])
    return chart_base.chinese_date_axis(fig, **ticks)


def label_position(x: float, y: float) -> str:
    """Where a name's label goes beside its dot at ``(x, y)`` on the unit circle: outward — above the
    dots of the top, below those of the bottom, beside those of the sides, and diagonally away from
    the next dot in between — never over the neighbouring dots or their labels."""
    side = "right" if x > 0.2 else "left" if x < -0.2 else "center"
    if y > 0.7:
        return f"top {side}"
    if y < -0.7:
        return f"bottom {side}"
    return "middle right" if x > 0 else "middle left"


def circle_layout(names: list[str]) -> dict[str, tuple[float, float]]:
    """Each name's place on a circle, in the given order (the first at the top)."""
    n = max(1, len(names))
    return {
        name: (math.cos(math.pi / 2 - 2 * math.pi * i / n), math.sin(math.pi / 2 - 2 * math.pi * i / n))
        for i, name in enumerate(names)
    }


LINE_WIDTHS = 6  # the network's lines: widths 1 … 6 px, in proportion to the pair's shared articles


def line_width(articles: int, most: int) -> int:
    """The width of a pair's line: 1 px for the fewest shared articles up to LINE_WIDTHS px for ``most``."""
    return 1 + int((LINE_WIDTHS - 1) * articles / max(1, most) + 0.5)  # halves up


def network_figure(pairs: pd.DataFrame, top: int = NETWORK_NAMES) -> go.Figure:
    """``schemas.CO_APPEARANCES`` as a network of the ``top`` names with most shared articles: a line per
    pair (wider for more articles), a dot per name (larger for more)."""
    weight: dict[str, int] = {}
    for a, b, n in pairs[["name_a", "name_b", "articles"]].itertuples(index=False, name=None):
        weight[a] = weight.get(a, 0) + int(n)
        weight[b] = weight.get(b, 0) + int(n)
    names = sorted(weight, key=lambda k: (-weight[k], k))[:top]
    place = circle_layout(names)
    fig = go.Figure()
    shown = pairs[pairs["name_a"].isin(names) & pairs["name_b"].isin(names)]
    most = int(shown["articles"].max()) if len(shown) else 1
    # One trace per line width (LINE_WIDTHS steps), its pairs' segments apart by gaps: a trace per pair
    # (up to 190 for 20 names) cost the server 0.1 s and the browser more to draw, on every view.
    by_width: dict[int, tuple[list, list, list]] = {}
    for a, b, n in shown[["name_a", "name_b", "articles"]].itertuples(index=False, name=None):
        (x0, y0), (x1, y1) = place[a], place[b]
        xs, ys, texts = by_width.setdefault(line_width(int(n), most), ([], [], []))
        label = f"{a} — {b}：{n} 篇"
        xs += [x0, x1, None]
        ys += [y0, y1, None]
        texts += [label, label, None]
    for width in sorted(by_width):
        xs, ys, texts = by_width[width]
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"width": width, "color": "rgba(31,111,178,0.35)"},
            hoverinfo="text",
            text=texts,
            showlegend=False,
        )
    fig.add_scatter(
        x=[place[k][0] for k in names],
        y=[place[k][1] for k in names],
        mode="markers+text",
        text=names,
        textposition=[label_position(*place[k]) for k in names],
        cliponaxis=False,  # a label beside a dot on the edge is drawn whole
        marker={
            "size": [8 + 14 * weight[k] / max(1, weight[names[0]]) for k in names],
            "color": chart_base.ACCENT,
        },
        customdata=[weight[k] for k in names],
        hovertemplate="%{text}：与所列人物共同出现 %{customdata} 篇次<extra></extra>",
        showlegend=False,
    )
    chart_base.base_layout(fig, "谁和谁一起出现（共同文章数）", 520)
    fig.update_xaxes(visible=False, range=[-1.6, 1.6])  # room for the labels left and right of the circle
    fig.update_yaxes(visible=False, range=[-1.25, 1.3], scaleanchor="x")
    return fig
