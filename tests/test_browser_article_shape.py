"""Real-browser test of a corpus in the article-per-file shape (run with ``pytest -m browser``): 总览 says
版面 and 篇文章 with articles per 版次; on 文章检索 the 版次 filter is chosen by hand, the count and the
URL follow, and a shared link with ``page_no`` opens the same view.

Screenshots: tests/artifacts/article-shape-overview.png, article-shape-search.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import test_browser as tb
from conftest import ARTICLE_CORPUS, ARTIFACTS, settled_copy
from test_browser import browser, page  # noqa: F401  (fixtures: Chromium and a fresh tab)
from test_browser_articles import matching

pytestmark = pytest.mark.browser
TIMEOUT = tb.RENDER_TIMEOUT_MS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a settled copy of tests/fixtures/article_corpus (10 articles, 4 版面)."""
    folder = settled_copy(tmp_path_factory.mktemp("article-shape") / "corpus", ARTICLE_CORPUS)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tb, "SAMPLE_CORPUS", folder)  # running_app serves (and guards) this folder
        with tb.running_app(tmp_path_factory.mktemp("article-shape-server")) as url:
            yield url


def test_overview_says_pages_and_articles(page, server):  # noqa: F811
    tb.open_and_wait(page, server, "语料总览", charts=1)
    tb.assert_no_error(page, "/ (article shape)")
    metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
    flat = [re.sub(r"\s+", " ", m).strip() for m in metrics]
    assert "版面数 4" in flat and "文章数 10" in flat, flat
    assert not any(m.startswith("条目数") for m in flat), flat
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert "文章数（按类型）" in svg and "各版次的文章数" in svg and "第03版" in svg, svg[:300]
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "版面数：4" in sidebar.replace(" ", "") and "文章数：10" in sidebar.replace(" ", ""), sidebar
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "article-shape-overview.png")


def test_page_number_filter_by_hand_and_by_link(page, server):  # noqa: F811
    tb.open_and_wait(page, f"{server}/articles", "文章检索")
    tb.assert_no_error(page, "/articles (article shape)")
    assert matching(page) == 10
    page.get_by_text("版次（任一）").wait_for(state="visible", timeout=TIMEOUT)
    page.get_by_role("combobox", name="版次（任一）").click()
    page.get_by_role("option", name="第02版（2 篇）").click()
    page.wait_for_function("() => location.search.includes('page_no=02')", timeout=TIMEOUT)
    page.keyboard.press("Escape")
    tb.wait_settled(page)
    tb.assert_no_error(page, "/articles after choosing 第02版")
    assert matching(page) == 2
    line = page.get_by_text(re.compile("篇文章符合条件")).first.inner_text()
    assert "全部日期、第02版内共 2 篇文章" in line and "条目" not in line, line
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "article-shape-search.png")

    tb.open_and_wait(page, f"{server}/articles?page_no=1,3&kinds=news", "文章检索")
    assert matching(page) == 8
    chosen = page.locator('[data-testid="stMultiSelect"]').filter(has_text="版次（任一）").inner_text()
    assert "第01版" in chosen and "第03版" in chosen, chosen
    assert "page_no=01%2C03" in page.url or "page_no=01,03" in page.url, page.url
