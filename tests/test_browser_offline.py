"""Real-browser checks of issue 12: the app works on an intranet (no request leaves 127.0.0.1) and
its interface shows no English words of Streamlit's or Plotly's defaults.

Uses the server and browser fixtures of test_browser.py; run with ``pytest -m browser``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import ARTIFACTS
from test_browser import VIEWPORT, browser, open_and_wait, server  # noqa: F401  (fixtures)

import dashboard

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# English a reader must not meet: Streamlit widget defaults, the ⋮ menu, Plotly's default ticks,
# pandas' missing values, internal codes of the ingest report.
ENGLISH_UI = re.compile(
    r"Select all|Select\s*(?:…|\.\.\.)|Choose an? option|Date range|Error\b|\bUpload\b|Browse files|Drag and drop"
    r"|per file|\bNone\b|\bnan\b|\bNaN\b|\bPrint\b|Record screen|page_problems|\bduplicate\b|No results"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|\b\d+(?:\.\d+)?[kM]\b"
)

PAGE_TEXT_JS = """() => {
  const parts = [document.body.innerText];
  for (const svg of document.querySelectorAll('.main-svg')) parts.push(svg.textContent);
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label]'))
    for (const a of ['placeholder', 'title', 'aria-label']) if (el.getAttribute(a)) parts.push(el.getAttribute(a));
  return parts.join('\\n');
}"""


def english_found(text: str) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH_UI.finditer(text)})


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Select all\n主题", ["Select all"]),
        ("Mar 2019 10k 20k", ["10k", "20k", "Mar"]),
        ("2019年3月 1万 2万 类型：新闻 Noto Sans", []),
        ("条目 None 个", ["None"]),
    ],
)
def test_english_pattern(text, found):
    assert english_found(text) == found


@pytest.fixture
def offline_page(browser):  # noqa: F811
    """A page whose every request to a host other than 127.0.0.1 is aborted and recorded."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    outside: list[str] = []

    def block(route):
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", block)
    pg = context.new_page()
    pg.on(
        "requestfailed", lambda r: None if urlsplit(r.url).hostname in LOCAL_HOSTS else outside.append(r.url)
    )
    pg.outside = outside
    yield pg
    context.close()


def test_every_page_works_without_internet(offline_page, server):  # noqa: F811
    for nav in dashboard.NAV:
        open_and_wait(offline_page, f"{server}/{dashboard.url_of(nav)}", nav.title)
        icon = offline_page.evaluate("() => document.querySelector('link[rel~=icon]')?.href || ''")
        assert urlsplit(icon).hostname in LOCAL_HOSTS, (nav.url_path, icon)
    assert offline_page.outside == [], offline_page.outside


def _dropdown_texts(page) -> str:
    """Open every multiselect of the page and return what its list shows ("Select all" lives there)."""
    texts = []
    boxes = page.locator('[data-testid="stMultiSelect"]')
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if box.locator("input[disabled]").count():
            continue
        box.scroll_into_view_if_needed()
        box.locator("input").first.click()
        listbox = page.locator('[data-testid="stMultiSelectDropdown"]').first
        listbox.wait_for(state="visible", timeout=10_000)
        texts.append(listbox.inner_text())
        page.keyboard.press("Escape")
        listbox.wait_for(state="hidden", timeout=10_000)
    return "\n".join(texts)


def test_no_english_words_on_any_page(offline_page, server):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for nav in dashboard.NAV:
        open_and_wait(offline_page, f"{server}/{dashboard.url_of(nav)}", nav.title)
        offline_page.screenshot(path=ARTIFACTS / f"chinese-{nav.url_path}.png")
        text = offline_page.evaluate(PAGE_TEXT_JS) + "\n" + _dropdown_texts(offline_page)
        menu = offline_page.locator('[data-testid="stMainMenu"]')
        if menu.count():
            menu.first.click()
            text += "\n" + offline_page.locator('[data-testid="stMainMenuPopover"]').inner_text()
            offline_page.keyboard.press("Escape")
        if english_found(text):
            found[nav.url_path] = english_found(text)
    assert found == {}
