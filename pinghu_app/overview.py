"""总览's 出版日历: the month grid drawn at once, the daily calendar one tab away.

Chromium measured on the ten-year corpus (``bench/bench_pages.py``): the three-year daily calendar
(nine heatmaps of 7 × 54 days) cost the browser about 1.3 s of CPU at every open of 总览, more
than the rest of the page's charts together; a chart in a tab that is not shown is not drawn until
the tab is opened.  The tab's content is still sent (its year chooser keeps its state and its URL
works), only the drawing waits for the click.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import widgets
from pinghu_app.corpus import CorpusKey
from pinghu_app.state import Keys
from pinghu_core.common import wording
from pinghu_core.overview import summary as ov

MONTHS_TAB, DAYS_TAB = "每月有版面的天数", "逐日日历"


def calendar_section(key: CorpusKey, data: ov.Overview) -> None:
    """The month grid, the daily calendar of the chosen years (second tab) and the gaps table."""
    if not data.years:
        st.info("还没有可确定日期的版面，无法绘制出版日历。")
        return
    months, days = st.tabs([MONTHS_TAB, DAYS_TAB])
    with months:
        widgets.chart(app_corpus.overview_figure(key, "months"), Keys.OVERVIEW_MONTHS)
        chart_download(data, "months")
    with days:
        daily_calendar(key, data)
    s = data.summary
    with st.expander(f"缺失日期区间（共 {len(data.gaps):,} 段，{s.missing_days:,} 天）"):
        st.dataframe(data.gaps, hide_index=True, placeholder=wording.MISSING, key=Keys.OVERVIEW_GAPS)


def chart_download(data: ov.Overview, name: str, years: Sequence[int] = ()) -> None:
    """The download of what one 总览 chart draws (built on click): ``ov.chart_table``."""
    widgets.table_download(
        "下载图中数据（CSV）",
        functools.partial(ov.chart_table, data, name, years),
        f"{ov.CHART_FILES[name]}.csv",
        Keys.OVERVIEW_CHART_CSV + name,
    )


def daily_calendar(key: CorpusKey, data: ov.Overview) -> None:
    """The years to look at day by day (the last three by default) and their calendar."""
    years = data.years
    if len(data.years) > 1:
        chosen = st.session_state.get(Keys.OVERVIEW_YEARS)
        if chosen is not None and not set(chosen) <= set(data.years):
            del st.session_state[Keys.OVERVIEW_YEARS]  # the corpus changed under the widget
        years = st.segmented_control(
            "逐日查看的年份（可多选）",
            data.years,
            selection_mode="multi",
            default=data.default_years,
            format_func=lambda y: f"{y}年",
            key=Keys.OVERVIEW_YEARS,
        )
    if years:
        widgets.chart(app_corpus.overview_figure(key, "calendar", tuple(years)), Keys.OVERVIEW_CALENDAR)
        chart_download(data, "calendar", tuple(years))
    else:
        st.info("请选择至少一个年份。")
