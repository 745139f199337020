"""Plotly figure builders: pure functions from frames to ``go.Figure``.

Titles, axes and hover text are in Chinese and say what is counted.  Values are passed as
plain Python lists so the figure JSON stays readable (tests read it back).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pinghu_core.common.chart_base import ACCENT, base_layout, legend_swatch, wan_axis
from pinghu_core.common.wording import format_date_zh
from pinghu_core.overview.summary import DAY_MISSING, DAY_OUTSIDE, DAY_PAGE, DAY_STATUS_LABELS_ZH, WEEKDAYS_ZH

PAGE_COLOR = "#3182bd"  # one page is already clearly coloured (the legend's swatch)
PAGE_COLORSCALE = [[0.0, PAGE_COLOR], [1.0, "#08306b"]]
MISSING_COLOR = "#f2c4c4"  # a gap in the corpus: warm, clearly not "a small number"
OUTSIDE_COLOR = "#f1f1f1"  # before the first / after the last dated page
MONTHS_ZH = tuple(f"{m}月" for m in range(1, 13))


def kind_bar(kinds: pd.DataFrame, unit: str = "条目") -> go.Figure:
    """Bar chart of items per kind (``overview.kind_counts``), bars labelled with their count.

    ``unit``: what an item is called — '条目', or '文章' when every file is one article."""
    labels = [str(x) for x in kinds["label"]]
    counts = [int(x) for x in kinds["items"]]
    measure = "条" if unit == "条目" else "篇"
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=counts,
            text=[f"{c:,}" for c in counts],
            textposition="outside",
            cliponaxis=False,
            marker={"color": ACCENT},
            hovertemplate=f"类型：%{{x}}<br>{unit}数：%{{y:,}}<extra></extra>",
            name=f"{unit}数",
        )
    )
    base_layout(fig, f"{unit}数（按类型）", height=360)
    top = max(counts, default=0)
    fig.update_xaxes(title_text=f"{unit}类型", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(
        title_text=f"{unit}数（{measure}）",
        rangemode="tozero",
        range=[0, max(1, top) * 1.15],
        gridcolor="#e5e5e5",
        tickformat=",d",
    )
    return wan_axis(fig, "y", top)


def page_no_bar(counts: pd.DataFrame) -> go.Figure:
    """Articles per 版次 (``shapes.page_no_counts``), bars labelled with their count; the hover also
    gives the number of 版面 of that 版次."""
    labels = [str(x) for x in counts["label"]]
    articles = [int(x) for x in counts["articles"]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=articles,
            text=[f"{c:,}" for c in articles],
            textposition="outside",
            cliponaxis=False,
            marker={"color": ACCENT},
            customdata=[[int(p)] for p in counts["pages"]],
            hovertemplate="%{x}<br>文章：%{y:,} 篇<br>版面：%{customdata[0]:,} 个<extra></extra>",
            name="文章数",
        )
    )
    base_layout(fig, "各版次的文章数", height=360)
    top = max(articles, default=0)
    fig.update_xaxes(title_text="版次", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(
        title_text="文章数（篇）",
        rangemode="tozero",
        range=[0, max(1, top) * 1.15],
        gridcolor="#e5e5e5",
        tickformat=",d",
    )
    return wan_axis(fig, "y", top)


def _week_ticks(year_days: pd.DataFrame) -> tuple[list[int], list[str]]:
    firsts = year_days[year_days["date"].dt.day == 1]
    return [int(w) for w in firsts["week"]], [MONTHS_ZH[int(d.month) - 1] for d in firsts["date"]]


def _grid(
    year_days: pd.DataFrame, status: str, values: pd.Series | None, texts: pd.Series
) -> tuple[list, list]:
    """7 × 54 z and hover grids for the days of one status (None elsewhere: not drawn)."""
    z: list[list[float | None]] = [[None] * 54 for _ in range(7)]
    t: list[list[str]] = [[""] * 54 for _ in range(7)]
    rows = year_days[year_days["status"] == status]
    vals = values[rows.index] if values is not None else pd.Series(1, index=rows.index)
    for wd, wk, v, s in zip(rows["weekday"], rows["week"], vals, texts[rows.index], strict=True):
        z[int(wd)][int(wk)] = float(v)
        t[int(wd)][int(wk)] = s
    return z, t


def _hover_texts(days: pd.DataFrame) -> pd.Series:
    def one(date: pd.Timestamp, status: str, n: int) -> str:
        head = f"{format_date_zh(date)}（{WEEKDAYS_ZH[date.weekday()]}）"
        if status == DAY_PAGE:
            return f"{head}<br>版面数：{n}"
        return f"{head}<br>{DAY_STATUS_LABELS_ZH[status]}"

    return pd.Series(
        [one(d, s, int(n)) for d, s, n in zip(days["date"], days["status"], days["pages"], strict=True)],
        index=days.index,
        dtype=object,
    )


# Calendar geometry in pixels: one strip of 7 rows per year, a gap for month labels and the next title.
STRIP_PX, GAP_PX, TOP_PX, BOTTOM_PX = 119, 66, 96, 40


def calendar_heatmap(cal: pd.DataFrame, years: list[int]) -> go.Figure:
    """GitHub-style calendar: one strip per year, week columns × weekday rows.

    Days with pages are blue (darker = more pages that day); days inside the corpus' date range
    with no page are pink; days outside the range are light grey.  ``cal`` is ``overview.calendar``.
    """
    years = sorted(int(y) for y in years)
    n = max(len(years), 1)
    days = cal[cal["year"].isin(years)]
    hover = _hover_texts(days)
    top = int(days["pages"].max()) if len(days) else 1
    plot_px = n * STRIP_PX + (n - 1) * GAP_PX
    fig = make_subplots(
        rows=n,
        cols=1,
        vertical_spacing=GAP_PX / plot_px if n > 1 else 0,
        subplot_titles=[_year_title(days, y) for y in years],
    )
    for i, year in enumerate(years, start=1):
        yd = days[days["year"] == year]
        for status, color in ((DAY_OUTSIDE, OUTSIDE_COLOR), (DAY_MISSING, MISSING_COLOR)):
            z, t = _grid(yd, status, None, hover)
            fig.add_trace(_flat_heatmap(z, t, color, DAY_STATUS_LABELS_ZH[status]), row=i, col=1)
        z, t = _grid(yd, DAY_PAGE, yd["pages"], hover)
        fig.add_trace(
            go.Heatmap(
                z=z,
                text=t,
                hovertemplate="%{text}<extra></extra>",
                hoverongaps=False,
                colorscale=PAGE_COLORSCALE,
                zmin=1,
                zmax=max(top, 2),
                showscale=top > 1 and i == 1,
                colorbar={
                    "title": {"text": "每日版面数"},
                    "thickness": 12,
                    "len": STRIP_PX / plot_px,
                    "lenmode": "fraction",
                    "y": 1,
                    "yanchor": "top",
                    # one tick per count only while they fit the strip; else a few round ones
                    **({"dtick": 1} if top <= COLORBAR_UNIT_TICKS else {"nticks": 5}),
                },
                xgap=2,
                ygap=2,
                name=DAY_STATUS_LABELS_ZH[DAY_PAGE],
            ),
            row=i,
            col=1,
        )
        ticks, labels = _week_ticks(yd)
        fig.update_xaxes(
            tickvals=ticks,
            ticktext=labels,
            range=[-0.6, 53.6],
            showgrid=False,
            zeroline=False,
            fixedrange=True,
            row=i,
            col=1,
        )
        fig.update_yaxes(
            tickvals=list(range(7)),
            ticktext=list(WEEKDAYS_ZH),
            autorange="reversed",
            showgrid=False,
            zeroline=False,
            fixedrange=True,
            tickfont={"size": 11},
            row=i,
            col=1,
        )
    for status, color in (
        (DAY_PAGE, PAGE_COLOR),
        (DAY_MISSING, MISSING_COLOR),
        (DAY_OUTSIDE, OUTSIDE_COLOR),
    ):
        fig.add_trace(legend_swatch(DAY_STATUS_LABELS_ZH[status], color), row=1, col=1)
    base_layout(fig, "每日版面数（每格一天，颜色越深版面越多）", height=TOP_PX + plot_px + BOTTOM_PX)
    fig.update_layout(
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom", "yref": "paper"},
        margin={"t": TOP_PX, "b": BOTTOM_PX, "r": 70 if top > 1 else 24},
    )
    fig.update_annotations(font={"size": 13, "color": "#555555"}, x=0, xanchor="left")
    return fig


COVERAGE_MIN_PLOT_PX = 150  # the month grid's plot area: room for the colour bar's 0%/50%/100%
COLORBAR_UNIT_TICKS = 8  # up to this many pages a day, the day grid's colour bar labels every count

# 0 (no page all month) is the missing-day pink; any page at all is already blue.
COVERAGE_COLORSCALE = [[0.0, MISSING_COLOR], [0.001, "#c6dbef"], [1.0, "#08519c"]]


def month_coverage_heatmap(months: pd.DataFrame) -> go.Figure:
    """Years × months: how many days of each month have a page (``overview.month_coverage``).

    Colour = share of the month's days (inside the corpus' date range) that have a page; the
    number in each cell is that count of days.  Months outside the range are not drawn.
    """
    years = sorted(int(y) for y in months["year"].unique())
    row = {y: i for i, y in enumerate(years)}
    z: list[list[float | None]] = [[None] * 12 for _ in years]
    text: list[list[str]] = [[""] * 12 for _ in years]
    hover: list[list[str]] = [[""] * 12 for _ in years]
    for r in months.itertuples(index=False):
        i, j = row[int(r.year)], int(r.month) - 1
        z[i][j] = round(float(r.share), 4)
        text[i][j] = f"{int(r.days_with_pages)}"
        hover[i][j] = (
            f"{int(r.year)}年{int(r.month)}月<br>有版面：{int(r.days_with_pages)} 天（共 {int(r.days)} 天）"
            f"<br>缺失：{int(r.missing_days)} 天<br>版面数：{int(r.pages)}"
        )
    fig = go.Figure(
        go.Heatmap(
            x=list(MONTHS_ZH),
            y=[f"{y}年" for y in years],
            z=z,
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            textfont={"size": 12},
            hovertemplate="%{customdata}<extra></extra>",
            hoverongaps=False,
            colorscale=COVERAGE_COLORSCALE,
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            # the title beside the bar and a plot tall enough for three ticks: nothing overlaps
            colorbar={
                "title": {"text": "有版面天数占比", "side": "right"},
                "tickvals": [0, 0.5, 1],
                "ticktext": ["0%", "50%", "100%"],
                "thickness": 12,
            },
            name="有版面天数",
        )
    )
    base_layout(
        fig,
        "每月有版面的天数（格中数字；颜色=占当月天数的比例）",
        height=100 + max(30 * len(years), COVERAGE_MIN_PLOT_PX),
    )
    fig.update_xaxes(side="top", showgrid=False, fixedrange=True)
    fig.update_yaxes(autorange="reversed", showgrid=False, fixedrange=True, type="category")
    fig.update_layout(margin={"t": 84, "b": 16, "l": 64})
    return fig


def _year_title(days: pd.DataFrame, year: int) -> str:
    yd = days[days["year"] == year]
    with_pages = int((yd["status"] == DAY_PAGE).sum())
    missing = int((yd["status"] == DAY_MISSING).sum())
    return f"{year}年：{with_pages} 天有版面，{missing} 天缺失"


def _flat_heatmap(z: list, text: list, color: str, name: str) -> go.Heatmap:
    return go.Heatmap(
        z=z,
        text=text,
        hovertemplate="%{text}<extra></extra>",
        hoverongaps=False,
        colorscale=[[0, color], [1, color]],
        zmin=0,
        zmax=1,
        showscale=False,
        xgap=2,
        ygap=2,
        name=name,
    )
