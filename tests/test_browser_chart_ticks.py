"""The tick labels Plotly draws for the time and share axes, read off the SVG in Debian Chromium.

The figures are the core's own (政策主题's timeline and 对比 bars, 人物's timeline), drawn by the
plotly.js that the plotly package ships (the one Streamlit's frontend bundles is the same
library), without a server.  What a reader must never see: the same label on two ticks (a share
axis written ``.0%`` over 0.5% steps read 0%, 1%, 1%, 2%, 2% …), or ticks between the periods a
chart counts by (a monthly series of a few months, as a two-month corpus gives, had half-month
ticks; a one-month corpus had hours, each written as the same day).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly_page
import pytest
import test_browser as tb

from pinghu_core.common import schemas
from pinghu_core.people import charts as people_charts
from pinghu_core.themes import charts as theme_charts
from pinghu_core.themes import timeline as tl

browser, page = tb.browser, tb.page  # the fixtures of tests/test_browser.py

pytestmark = pytest.mark.browser


def ticks(page, figure) -> dict[str, list[str]]:
    """Draw ``figure`` 900 px wide and return the text of every x and y tick label."""
    plotly_page.plot(page, figure, 900)
    return {axis: page.locator(f"#chart .{axis}tick text").all_text_contents() for axis in ("x", "y")}


def corpus_timeline(days: list[dt.date], per_day: int, hit_every: int, granularity: str, measure: str):
    """The timeline of one theme over a corpus with ``per_day`` news articles on each of ``days``,
    one in ``hit_every`` of them naming the theme (the real builder, ``timeline.timeline``)."""
    rows = [(f"{d:%Y%m%d}-{i:02d}", pd.Timestamp(d)) for d in days for i in range(per_day)]
    articles = pd.DataFrame(
        {
            "article_id": [a for a, _ in rows],
            "date": [t for _, t in rows],
            "kind": "news",
            "chars": 800,
        }
    )
    pages = pd.DataFrame({"date": pd.to_datetime(sorted(set(days)))})
    hit = articles["article_id"].iloc[::hit_every]
    hits = pd.DataFrame({"article_id": hit, "theme_id": "t", "theme_label": "重大项目"})
    return tl.timeline(articles, pages, hits, ["t"], granularity=granularity, measure=measure)


def days_of(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(n) for n in range((last - first).days + 1)]


OCTOBER, FEBRUARY = (dt.date(2019, 10, 1), dt.date(2019, 10, 31)), (dt.date(2020, 2, 1), dt.date(2020, 2, 29))
TWO_MONTHS = days_of(*OCTOBER) + days_of(*FEBRUARY)  # the shape of the development corpus


def test_a_share_axis_of_small_shares_writes_each_tick_once(page):
    # one article in 40 names the theme: shares of 2–3%, Plotly's step 0.5%
    line = corpus_timeline(TWO_MONTHS, 20, 40, "month", "share_news")
    assert 0.01 < line["value"].max() < 0.05
    labels = ticks(page, theme_charts.timeline_chart(line, measure="share_news", granularity="month"))["y"]
    assert len(labels) >= 4
    assert len(set(labels)) == len(labels), labels
    assert all(label.endswith("%") for label in labels)


def test_a_monthly_series_of_a_few_months_ticks_each_month_it_counts(page):
    line = corpus_timeline(TWO_MONTHS, 20, 40, "month", "count")
    x = ticks(page, theme_charts.timeline_chart(line, measure="count", granularity="month"))["x"]
    assert x == ["2019年10月", "2019年11月", "2019年12月", "2020年1月", "2020年2月"]


def test_a_corpus_of_one_month_has_one_tick(page):
    line = corpus_timeline(days_of(dt.date(2024, 3, 1), dt.date(2024, 3, 20)), 10, 3, "month", "share_news")
    x = ticks(page, theme_charts.timeline_chart(line, measure="share_news", granularity="month"))["x"]
    assert x == ["2024年3月"]


def test_quarters_and_years_are_ticked_on_their_own_starts(page):
    two_years = days_of(dt.date(2022, 1, 1), dt.date(2023, 12, 31))[::3]
    quarters = corpus_timeline(two_years, 5, 4, "quarter", "count")
    x = ticks(page, theme_charts.timeline_chart(quarters, measure="count", granularity="quarter"))["x"]
    assert x == ["2022年第1季度", "2022年第3季度", "2023年第1季度", "2023年第3季度"]  # 8: every second
    years = corpus_timeline(days_of(dt.date(2019, 1, 1), dt.date(2023, 12, 31))[::7], 5, 4, "year", "count")
    x = ticks(page, theme_charts.timeline_chart(years, measure="count", granularity="year"))["x"]
    assert x == ["2019年", "2020年", "2021年", "2022年", "2023年"]


def test_ten_years_by_month_keep_plotlys_own_ticks_each_written_once(page):
    ten_years = days_of(dt.date(2016, 1, 1), dt.date(2025, 12, 31))[::5]
    line = corpus_timeline(ten_years, 4, 9, "month", "share_news")
    drawn = ticks(page, theme_charts.timeline_chart(line, measure="share_news", granularity="month"))
    assert 5 <= len(drawn["x"]) <= 12 and len(set(drawn["x"])) == len(drawn["x"]), drawn["x"]
    assert len(set(drawn["y"])) == len(drawn["y"]), drawn["y"]


def test_the_comparison_bars_write_each_share_tick_once(page):
    line = corpus_timeline(TWO_MONTHS, 20, 40, "month", "share_news")
    totals = tl.series_totals(line)
    x = ticks(page, theme_charts.totals_bar(totals, measure="share_news"))["x"]
    assert len(x) >= 3 and len(set(x)) == len(x), x


def test_a_persons_timeline_of_one_month_has_one_tick(page):
    line = schemas.conform(
        pd.DataFrame(
            {
                "name": ["王某"],
                "period_start": pd.to_datetime(["2024-03-01"]),
                "appearances": [3],
                "articles": [2],
                "lead_articles": [1],
                "front_pages": [2],
                "pages": [20],
                "share": [0.1],
            }
        ),
        schemas.PERSON_TIMELINE,
    )
    x = ticks(page, people_charts.timeline_figure(line, "month"))["x"]
    assert x == ["2024年3月"]
    weeks = line.loc[np.repeat(0, 3)].reset_index(drop=True)
    weeks["period_start"] = pd.to_datetime(["2024-03-04", "2024-03-11", "2024-03-18"])
    x = ticks(page, people_charts.timeline_figure(weeks, "week"))["x"]
    assert x == ["2024年第10周", "2024年第11周", "2024年第12周"]


LEGEND_SERIES = [
    "重大项目与有效投资",
    "民生共享/民生优享工程",
    "全国文明城市创建",
    "乡村振兴",
    "营商环境",
    "生态环境保护",
]


@pytest.mark.parametrize("series", [1, 3, 6])
def test_the_timelines_legend_leaves_the_axis_labels_and_title_readable(page, series):
    # 政策主题's timeline as a user sees it: series, the no-pages swatch and three kinds of event,
    # so the legend takes one to several rows under the axis.  Its first row was drawn across the
    # x-axis title (时段（点击数据点查看该时段的文章）) on a 228 px plot.
    from pinghu_core.events.model import Event

    days = (
        days_of(dt.date(2020, 4, 1), dt.date(2020, 12, 31))[::2]
        + days_of(dt.date(2022, 5, 1), dt.date(2025, 8, 31))[::9]
    )
    frames = []
    for i, label in enumerate(LEGEND_SERIES[:series]):
        one = corpus_timeline(days, 6, 3 + i, "month", "share_news")
        one["series_id"], one["series_label"] = f"s{i}", label
        frames.append(one)
    kinds = ["会议", "荣誉", "专项行动"]
    days_of_events = [dt.date(2020, 6, 1), dt.date(2020, 11, 10), dt.date(2025, 8, 1)]
    events = [
        Event(f"e{i}", day, None, f"事件{i}", kind)
        for i, (day, kind) in enumerate(zip(days_of_events, kinds, strict=True))
    ]
    figure = theme_charts.timeline_chart(
        pd.concat(frames, ignore_index=True),
        measure="share_news",
        granularity="month",
        events=events,
        categories=kinds,
    )
    ticks(page, figure)
    box = {
        sel: page.locator(f"#chart {sel}").first.bounding_box()
        for sel in (".g-xtitle text", ".legend .bg", ".nsewdrag")
    }
    title, legend, plot = box[".g-xtitle text"], box[".legend .bg"], box[".nsewdrag"]
    assert title is not None and legend is not None and plot is not None
    labels = [b for b in (t.bounding_box() for t in page.locator("#chart .xtick text").all()) if b]
    assert labels and max(b["y"] + b["height"] for b in labels) <= title["y"] + 1, (labels, title)
    assert title["y"] + title["height"] <= legend["y"] + 1, (title, legend)
    assert plot["y"] + plot["height"] <= title["y"], (plot, title)
    assert plot["height"] >= 240, plot  # the lines keep their room (228 px when the legend crossed the title)
