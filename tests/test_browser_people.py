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


def test_a_names_sentences_download_when_clicked_with_each_sentence_as_printed(page, server):
    """The 原句 download is read from the corpus' text when clicked (the mentions keep only where each
    sentence is): every sentence naming the name, in 【】, each once per article, as on the page."""
    import csv
    import io
    from pathlib import Path

    open_and_wait(
        page, f"{server}/people?name=%E4%BB%B2%E6%97%AD%E4%B8%9C&granularity=year", "人物", charts=2
    )
    with page.expect_download(timeout=tb.RENDER_TIMEOUT_MS) as info:
        page.get_by_role("button", name="下载原句（CSV）").click()
    download = info.value
    assert download.suggested_filename == "原句.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_bytes().decode("utf-8-sig"))))
    assert len(rows) > 3 and all("【仲旭东】" in r["原句"] for r in rows)
    assert len({(r["编号"], r["原句"]) for r in rows}) == len(rows)
    assert all(r["原句"].strip() == r["原句"] and len(r["原句"]) > len("【仲旭东】") for r in rows)
    assert_no_error(page, "/people after the download")
