"""A legend drawn under a chart never covers the x-axis title or its tick labels, read off the SVG in
Debian Chromium (the plotly.js the plotly package ships, without a server), at the page's width and a
narrow one where the legend wraps onto more rows.

The charts are the core's own that put their legend below the plot: 项目进度's trajectory (one panel,
two panels, with events), 人物's timeline and 简报's two charts.  A legend placed a fixed share of the
plot's height below it covered the date axis' title on the trajectory (2026-12-03)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly_page
import pytest
import test_browser as tb
from test_progress_charts import one_project

from pinghu_core.brief import page_charts
from pinghu_core.events import model as ev
from pinghu_core.events import overlay as event_overlay
from pinghu_core.people import charts as people_charts
from pinghu_core.progress import charts as progress_charts

browser, page = tb.browser, tb.page  # the fixtures of tests/test_browser.py

pytestmark = pytest.mark.browser


def drawn(page, figure, width: int) -> dict[str, list[dict]]:
    """Draw ``figure`` ``width`` px wide; the boxes of the legend, the x-axis titles, the x tick labels
    and the whole SVG."""
    plotly_page.plot(page, figure, width)
    return plotly_page.boxes(
        page,
        {
            "legend": ".legend .bg",
            "titles": ".g-xtitle text, .g-x2title text",
            "ticks": ".xtick text, .x2tick text",
            "svg": ".main-svg",
        },
    )


EVENTS = ev.EventList(
    "test",
    (
        ev.Event("e1", dt.date(2020, 6, 1), None, "民生共享工程半年度工作交流会", "会议"),
        ev.Event("e2", dt.date(2020, 11, 20), None, "平湖入选第六届全国文明城市", "荣誉"),
        ev.Event("e3", dt.date(2022, 6, 1), None, "全市重大项目推进会", "会议"),
    ),
)


def trajectory(rows: list[tuple], with_events: bool):
    traj = one_project(rows)
    metric = "completion_pct" if (traj["metric"] == "completion_pct").any() else ""
    fig = progress_charts.trajectory_chart(traj, "平湖市博物馆新馆", metric, "%" if metric else "")
    if with_events:
        span = (dt.date(2018, 7, 1), dt.date(2022, 8, 1))
        fig = event_overlay.add_events(fig, EVENTS.chosen(None, *span), EVENTS.categories(), span=span)
    return fig


BOTH = [
    ("a", "2022-05-28", "completion_pct", 85.0, "", "", None),
    ("b", "2018-07-10", "milestone", float("nan"), "开工", "done", "2018-07-10"),
    ("c", "2020-04-21", "milestone", float("nan"), "主体结构封顶", "done", "2020-04-21"),
    ("d", "2022-05-28", "milestone", float("nan"), "主体完工", "done", "2022-05-28"),
    ("e", "2022-05-28", "milestone", float("nan"), "开馆", "planned", "2022-08-01"),
]


def charts():
    line = pd.DataFrame(
        {
            "name": "沈志凤",
            "period_start": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"]),
            "articles": [3, 5, 2],
            "lead_articles": [1, 2, 0],
            "appearances": [4, 9, 2],
            "front_pages": [2, 3, 1],
            "pages": [20, 21, 22],
            "share": [0.1, 0.14, 0.05],
        }
    )
    shares = pd.DataFrame(
        {"label": ["共同富裕", "乡村振兴"], "later_share": [0.3, 0.1], "earlier_share": [0.2, 0.15]}
    )
    days = pd.date_range("2025-08-01", "2025-08-31", freq="D")
    daily = pd.DataFrame({"date": days, "articles": [float("nan") if d.day % 7 == 0 else 5.0 for d in days]})
    return {
        "trajectory, two panels and events": trajectory(BOTH, True),
        "trajectory, two panels": trajectory(BOTH, False),
        "trajectory, milestones only, events": trajectory(BOTH[1:], True),
        "trajectory, values only, events": trajectory(BOTH[:1], True),
        "people timeline": people_charts.timeline_figure(line, "month"),
        "brief theme shares": page_charts.theme_shares_chart(shares, "2025年8月", "2025年7月"),
        "brief daily": page_charts.daily_chart(daily),
    }


@pytest.mark.parametrize("width", [900, 560])
def test_a_legend_under_a_chart_covers_neither_the_axis_title_nor_the_ticks(page, width):
    for name, figure in charts().items():
        got = drawn(page, figure, width)
        assert got["legend"], name
        legend = got["legend"][0]
        for what in ("titles", "ticks"):
            hit = [b for b in got[what] if plotly_page.overlaps(legend, b)]
            assert not hit, f"{name} at {width} px: the legend covers {what} {hit} (legend {legend})"
        svg = got["svg"][0]
        assert svg["top"] <= legend["top"] and legend["bottom"] <= svg["bottom"] + 0.5, (name, legend, svg)
