"""Real-browser test of the 人物 page (Debian Chromium): the table, a name opened from the URL with its
timeline and sentences, the network; screenshots in tests/artifacts/ (people*.png)."""

from __future__ import annotations

import pytest
import test_browser as tb
from conftest import ARTIFACTS
from test_browser import assert_no_error, open_and_wait

browser, page, server = tb.browser, tb.page, tb.server  # the fixtures of tests/test_browser.py

pytestmark = pytest.mark.browser


def test_people_page_table_timeline_and_network(page, server):
    open_and_wait(
        page, f"{server}/people?name=%E4%BB%B2%E6%97%AD%E4%B8%9C&granularity=year", "人物", charts=2
    )
    assert_no_error(page, "/people")
    body = page.locator("body").inner_text()
    assert "人物与机构" in body and "时间线与原句" in body and "谁和谁一起出现" in body
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert "仲旭东：每年出现的文章数与头版占比" in svg and "头版占比（%）" in svg, svg[:300]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "people.png")
    page.get_by_role("heading", name="谁和谁一起出现").scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    page.screenshot(path=ARTIFACTS / "people-network.png")


MARK_TABLE_JS = "() => { document.querySelector('[data-testid=stDataFrame]').__mark = 1; }"
TABLE_KEPT_JS = "() => document.querySelector('[data-testid=stDataFrame]').__mark === 1"


def test_a_name_ticked_in_the_table_keeps_the_table(page, server):
    """Issue 14: the run after a tick in the 人物 table keeps that table as the browser has it (the
    same element: not sent and drawn again), ticked at the row clicked, and opens the name below."""
    open_and_wait(page, f"{server}/people", "人物", charts=1)
    page.evaluate(MARK_TABLE_JS)
    tb.select_first_row(page, "name")
    assert_no_error(page, "/people after ticking a name")
    assert page.evaluate(TABLE_KEPT_JS), "the table was sent and drawn again"
    assert page.get_by_role("heading", name="时间线与原句").count() == 1
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=tb.RENDER_TIMEOUT_MS)  # the name's timeline
