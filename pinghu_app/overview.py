"""总览's 出版日历: the month grid drawn at once, the daily calendar one tab away.

Chromium measured on the ten-year corpus (``bench/bench_pages.py``): the three-year daily calendar
(nine heatmaps of 7 × 54 days) cost the browser about 1.3 s of CPU at every open of 总览, more
than the rest of the page's charts together.  A chart in a tab that is not shown is not drawn until
the tab is opened, but it is still sent and mounted: 0.2–0.3 s of every open by URL (medians of 8
opens, 1.87 against 2.16 s).  So the tab reruns the page when opened (``on_change="rerun"``) and only
the open tab is built; the years chosen for it are kept while another tab is shown.  A collapsed
``st.expander`` draws its table all the same, so the gaps table is built only when it is opened.
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
    months, days = st.tabs([MONTHS_TAB, DAYS_TAB], key=Keys.OVERVIEW_CALENDAR_TABS, on_change="rerun")
    if months.open:
        with months:
            widgets.chart(app_corpus.overview_figure(key, "months"), Keys.OVERVIEW_MONTHS)
            chart_download(data, "months")
    if days.open:
        with days:
            daily_calendar(key, data)
    s = data.summary
    gaps = st.expander(
        f"缺失日期区间（共 {len(data.gaps):,} 段，{s.missing_days:,} 天）",
        key=Keys.OVERVIEW_GAPS_OPEN,
        on_change="rerun",
    )
    if gaps.open:
        with gaps:
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
        ss = st.session_state
        chosen = ss.get(Keys.OVERVIEW_YEARS)
        if chosen is not None and not set(chosen) <= set(data.years):
            del ss[Keys.OVERVIEW_YEARS]  # the corpus changed under the widget
        # the widget is not drawn while the other tab is open, and Streamlit forgets its value then:
        # the last choice is kept apart and chosen again when the tab opens
        kept = [y for y in ss.get(Keys.OVERVIEW_YEARS_KEPT, data.default_years) if y in data.years]
        years = st.segmented_control(
            "逐日查看的年份（可多选）",
            data.years,
            selection_mode="multi",
            default=kept,
            format_func=lambda y: f"{y}年",
            key=Keys.OVERVIEW_YEARS,
        )
        ss[Keys.OVERVIEW_YEARS_KEPT] = list(years)
    if years:
        widgets.chart(app_corpus.overview_figure(key, "calendar", tuple(years)), Keys.OVERVIEW_CALENDAR)
        chart_download(data, "calendar", tuple(years))
    else:
        st.info("请选择至少一个年份。")
