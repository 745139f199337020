"""政策主题's timeline chart, now written as one layout and its traces (events included) and made a
figure once, must be the figure the step-by-step builders gave (tests/reference/timeline_chart_0607c20.py):
the same JSON for every measure, granularity and scope, with gaps, 万 axes and events of every kind."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from pinghu_core.common import chart_base
from pinghu_core.events import model as ev
from pinghu_core.events import overlay
from pinghu_core.themes import charts
from pinghu_core.themes import timeline as tl
from tests.reference import timeline_chart_0607c20 as before

FREQ = {"week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}


def same(got: go.Figure, want: go.Figure, frame: pd.DataFrame | None = None) -> None:
    """The same figure: the same JSON (Plotly's own serialisation, read back: key order aside).
    With the timeline ``frame`` drawn, ``want`` (the reference's figure) gets the two axis changes
    made since: a share axis written ``chart_base.SHARE_TICKS`` (not ``.0%``) and a short series'
    ticks on its periods (``chart_base.period_ticks``; tests/test_browser_chart_ticks.py); and the
    timeline's height and legend (``TIMELINE_HEIGHT``, ``LEGEND_Y``: its legend had crossed the
    x-axis title)."""
    expected = json.loads(want.to_json())
    if frame is not None:
        layout = expected["layout"]
        if layout["yaxis"].get("tickformat") == ".0%":
            layout["yaxis"]["tickformat"] = chart_base.SHARE_TICKS
        periods = frame.drop_duplicates("period_start").sort_values("period_start")
        layout["xaxis"].update(chart_base.period_ticks(periods["period_start"], periods["period"].tolist()))
        layout["height"], layout["legend"]["y"] = charts.TIMELINE_HEIGHT, charts.LEGEND_Y
    assert json.loads(got.to_json()) == expected


def timeline(granularity: str, periods: int, series: int, seed: int, *, big: bool = False) -> pd.DataFrame:
    """A timeline frame as ``timeline.timeline`` gives it: ``series`` series over ``periods`` periods,
    some without pages (gaps: NaN values), counts up to tens of thousands when ``big``."""
    rng = np.random.default_rng(seed)
    starts = pd.date_range("2016-01-01", periods=periods, freq=FREQ[granularity])
    has = rng.random(periods) > 0.2
    rows = []
    for s in range(series):
        for start, h in zip(starts, has, strict=True):
            d = int(rng.integers(20, 400)) if h else 0
            n = int(rng.integers(0, d + 1)) * (100 if big else 1) if h else 0
            rows.append(
                {
                    "series_id": f"s{s}",
                    "series_label": f"主题<{s}>" if s == 1 else f"主题{s}",  # a label to escape
                    "period": f"{start.year}年{start.month}月",
                    "period_start": start,
                    "value": (n / d if d else float("nan")) if h else float("nan"),
                    "numerator": n,
                    "denominator": d,
                    "has_pages": bool(h),
                }
            )
    return pd.DataFrame(rows)


def events(n: int, *, spans: bool) -> list[ev.Event]:
    out = []
    for i in range(n):
        start = dt.date(2016, 3, 1) + dt.timedelta(days=97 * i)
        end = start + dt.timedelta(days=30) if spans and i % 2 else None
        out.append(ev.Event(f"e{i}", start, end, f"事件<{i}>", category=("会议", "荣誉", "其他")[i % 3]))
    return out


CATEGORIES = ["会议", "荣誉", "其他"]


@pytest.mark.parametrize("granularity", sorted(FREQ))
@pytest.mark.parametrize("measure", ["count", *tl.SHARE_MEASURES])
@pytest.mark.parametrize("scope", ["all", "front", "lead"])
def test_every_measure_granularity_and_scope_is_the_figure_it_was(granularity, measure, scope) -> None:
    frame = timeline(granularity, 30, 3, seed=len(granularity) + len(measure) + len(scope))
    same(
        charts.timeline_chart(frame, measure=measure, granularity=granularity, scope=scope),
        before.timeline_chart(frame, measure=measure, granularity=granularity, scope=scope),
        frame,
    )


@pytest.mark.parametrize(
    ("periods", "series", "big"),
    [(0, 0, False), (1, 1, False), (120, 8, True), (520, 2, True), (12, 12, False)],
)
def test_empty_single_long_and_wan_timelines_are_the_figures_they_were(periods, series, big) -> None:
    frame = timeline("week", periods, series, seed=periods, big=big)
    if frame.empty:
        frame = pd.DataFrame(columns=timeline("week", 1, 1, 0).columns)
    same(
        charts.timeline_chart(frame, measure="count", granularity="week"),
        before.timeline_chart(frame, measure="count", granularity="week"),
        frame,
    )


@pytest.mark.parametrize(
    ("n", "spans", "with_span"), [(1, False, False), (3, True, True), (8, True, True), (20, True, False)]
)
def test_events_on_the_timeline_are_drawn_as_they_were(n, spans, with_span) -> None:
    """Lines, bands, labels on rows (at most LABELS_MAX of them), markers per category, the top margin."""
    frame = timeline("month", 60, 2, seed=n)
    chosen = events(n, spans=spans)
    span = (dt.date(2016, 1, 1), dt.date(2020, 12, 31)) if with_span else None
    for measure in ("count", "share_news"):
        got = charts.timeline_chart(
            frame, measure=measure, granularity="month", events=chosen, categories=CATEGORIES, span=span
        )
        want = before.add_events(
            before.timeline_chart(frame, measure=measure, granularity="month"), chosen, CATEGORIES, span=span
        )
        same(got, want, frame)


def test_add_events_on_a_figure_is_what_it_was() -> None:
    """The go.Figure path (项目进度's charts use it) draws what it drew, labels or not."""
    chosen = events(8, spans=True)
    for labels in (None, True, False):
        got = overlay.add_events(
            go.Figure(go.Scatter(x=["2016-01-01"], y=[1])), chosen, CATEGORIES, labels=labels
        )
        want = before.add_events(
            go.Figure(go.Scatter(x=["2016-01-01"], y=[1])), chosen, CATEGORIES, labels=labels
        )
        same(got, want)
    assert overlay.add_events(go.Figure(), [], CATEGORIES).to_json() == go.Figure().to_json()
