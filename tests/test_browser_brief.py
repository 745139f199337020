"""Real-browser test of the 简报 page (Debian Chromium, the sample corpus): open it from the sidebar's
URL, pick 2020年7月, read the sections and the cited articles, see the two charts drawn, download
the Word file and read it back.  Screenshots in tests/artifacts/ (brief-*.png)."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import docx
import pytest
import test_browser as tb
from conftest import ARTIFACTS
from test_browser import RENDER_TIMEOUT_MS, assert_no_error, open_and_wait, wait_settled

from pinghu_core.brief import build

browser, page, server = tb.browser, tb.page, tb.server  # the fixtures of tests/test_browser.py

pytestmark = pytest.mark.browser


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"brief-{name}.png"
    page.screenshot(path=path)
    return path


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_pick_a_month_read_the_brief_and_download_it(page, server):
    open_and_wait(page, f"{server}/brief", "简报")
    assert_no_error(page, "/brief")
    assert "month=2025-08" in page.url  # the newest month with pages by default
    page.get_by_label("月份").first.click()
    page.get_by_role("option", name="2020年7月（1 天有版面）").click()
    page.get_by_text("2020年7月共有 1 天有版面").first.wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    assert_no_error(page, "/brief after choosing 2020年7月")
    assert parse_qs(urlparse(page.url).query)["month"] == ["2020-07"]
    text = main_text(page)
    for title in build.SECTION_TITLES.values():
        assert title in text
    assert "《平湖重点项目建设加速度》" in text and "引用文章" in text
    charts = page.locator('[data-testid="stPlotlyChart"]')  # drawn by the browser, not the Word pictures
    assert charts.count() == 2
    for i, title in enumerate(("每日文章篇数", "主题占比：本期与对照时期")):
        chart = charts.nth(i)
        chart.locator(".main-svg").first.wait_for(timeout=RENDER_TIMEOUT_MS)
        assert title in chart.inner_text()
        assert chart.locator("g.point, path.point, .bars .point").count() > 0  # bars drawn
    page.wait_for_timeout(300)
    shot(page, "2020-07")
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as got:
        page.get_by_role("button", name="下载 Word").click()
    download = got.value
    assert download.suggested_filename == "2020年7月简报.docx"
    doc = docx.Document(io.BytesIO(Path(download.path()).read_bytes()))
    assert doc.paragraphs[0].text.endswith("2020年7月") and len(doc.inline_shapes) == 2
    page.get_by_role("heading", name="引用文章").scroll_into_view_if_needed()
    page.get_by_label("查看全文").first.click()
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="关闭全文").wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    assert "article=" in page.url
    page.wait_for_timeout(300)
    shot(page, "2020-07-article")
