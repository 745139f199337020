"""Crafted URL parameters in a real browser: no link or image to an outside host appears in the page.
Screenshot: tests/artifacts/markdown-injection.png."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import test_browser
from conftest import ARTIFACTS
from test_browser import RENDER_TIMEOUT_MS, wait_settled

pytestmark = pytest.mark.browser

server = test_browser.server
browser = test_browser.browser
page = test_browser.page

EVIL = "[请重新登录](https://evil.example/login) ![x](https://evil.example/p.png) <img src=https://evil.example/i.png> :red[红字] www.evil.example"


def test_crafted_article_and_query_show_as_text(server, page):
    page.goto(
        f"{server}/articles?{urlencode({'article': EVIL, 'q': '项目 ' + EVIL})}",
        wait_until="domcontentloaded",
    )
    page.get_by_text("找不到编号为").wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "markdown-injection.png")
    assert page.locator('a[href*="evil.example"]').count() == 0
    outside = page.evaluate(
        "() => [...document.images].map(i => i.src).filter(s => s && !s.startsWith(location.origin) && !s.startsWith('data:'))"
    )
    assert outside == []
    warning = (
        page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="找不到编号为").inner_text()
    )
    assert "[请重新登录](https://evil.example/login)" in warning.replace("\u2060", "")  # shown as written
    info = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="检索式解读").inner_text()
    assert "evil.example" in info
