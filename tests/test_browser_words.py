"""Real-browser test of the 词云 page (Debian Chromium): the cloud, the comparison, a word picked in the
term table, its KWIC lines; screenshots in tests/artifacts/ (words*.png)."""

from __future__ import annotations

import re

import pytest
import test_browser as tb
from conftest import ARTIFACTS
from test_browser import (
    assert_no_error,
    click_until,
    open_and_wait,
    select_first_row,
    wait_settled,
)

browser, page, server = tb.browser, tb.page, tb.server  # the fixtures of tests/test_browser.py

pytestmark = pytest.mark.browser

IMAGES_LOADED_JS = """() => Array.from(document.querySelectorAll('[data-testid=stImage] img, [data-testid=stFullScreenFrame] img'))
    .map(i => i.complete ? i.naturalWidth : 0)"""


def test_words_page_cloud_table_and_kwic(page, server):
    open_and_wait(page, f"{server}/words", "词云", charts=1)
    assert_no_error(page, "/words")
    widths = page.evaluate(IMAGES_LOADED_JS)
    assert widths and all(w >= 800 for w in widths), widths  # the cloud PNG is loaded
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert "出现次数（次）" in svg and "词语" in svg and "项目" in svg, svg[:300]
    assert "kinds=news%2Ccommentary" in page.url or "kinds=news,commentary" in page.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "words.png")
    select_first_row(page, "word")
    assert_no_error(page, "/words after picking a word")
    body = page.locator("body").inner_text()
    assert re.search(r"在所选 [\d,]+ 篇文章中出现 [\d,]+ 次", body), body[
        :300
    ]  # every occurrence of the string (整词 off)
    page.get_by_role("heading", name="关键词上下文").scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    page.screenshot(path=ARTIFACTS / "words-kwic.png")


def test_words_page_two_periods(page, server):
    open_and_wait(page, f"{server}/words?compare=1&kinds=news,commentary", "词云")
    assert_no_error(page, "/words?compare=1")
    widths = page.evaluate(IMAGES_LOADED_JS)
    assert len(widths) == 2 and all(w >= 800 for w in widths), widths
    assert page.get_by_role("heading", name="上升词").count() == 1
    page.screenshot(path=ARTIFACTS / "words-compare.png")


def test_clicking_a_bar_picks_its_word(page, server):
    open_and_wait(page, f"{server}/words?kinds=news,commentary", "词云", charts=1)
    bar = page.locator(".js-plotly-plot .barlayer .point path").last  # the heaviest term is drawn on top
    click_until(page, bar, "() => location.search.includes('word=')")
    wait_settled(page)
    assert_no_error(page, "/words after clicking a bar")
    assert "word=%E9%A1%B9%E7%9B%AE" in page.url or "word=项目" in page.url  # 项目, the most frequent
    assert "“项目”在所选" in page.locator("body").inner_text()


def test_picking_a_word_reruns_only_its_part_and_keeps_the_url(page, server):
    """Issue 14: picking a word in the table is one fragment run (词频, 关键词上下文, reader) — the clouds
    above are not drawn again — and the URL still carries the whole view, the word included."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    finished: list[str] = []

    def watch(ws) -> None:
        def frame(payload) -> None:
            if isinstance(payload, bytes):
                msg = ForwardMsg.FromString(payload)
                if msg.WhichOneof("type") == "script_finished":
                    finished.append(ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished))

        ws.on("framereceived", frame)

    page.on("websocket", watch)
    open_and_wait(page, f"{server}/words?kinds=news,commentary", "词云", charts=1)
    cloud = page.locator("[data-testid=stImage] img").first.get_attribute("src")
    finished.clear()
    select_first_row(page, "word")
    assert_no_error(page, "/words after picking a word in the table")
    assert finished == ["FINISHED_FRAGMENT_RUN_SUCCESSFULLY"], finished
    assert "kinds=news%2Ccommentary" in page.url or "kinds=news,commentary" in page.url
    assert page.locator("[data-testid=stImage] img").first.get_attribute("src") == cloud
    body = page.locator("body").inner_text()
    assert re.search(r"在所选 [\d,]+ 篇文章中出现 [\d,]+ 次", body), body[:300]
