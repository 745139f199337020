"""Real-browser test of a 版面 that comes twice — a sample page as a whole-page file and each of its
articles as an article file (run with ``pytest -m browser``): 总览 counts one 版面 and each article
once, and says how many copies it left out; 文章检索 finds each article once.

Screenshot: tests/artifacts/copies-overview.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import test_browser as tb
from conftest import ARTIFACTS
from test_browser import browser, page  # noqa: F401  (fixtures: Chromium and a fresh tab)
from test_browser_articles import matching
from test_copies import page_and_its_articles

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The app on pages/20200721-01.txt and its n articles as articles/…-01-0k.txt; (url, n)."""
    folder = tmp_path_factory.mktemp("copies") / "corpus"
    folder.mkdir()
    n = page_and_its_articles(folder, "pages/20200721-01.txt", "articles/20200721/20200721-01")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tb, "SAMPLE_CORPUS", folder)  # running_app serves (and guards) this folder
        with tb.running_app(tmp_path_factory.mktemp("copies-server")) as url:
            yield url, n


def test_overview_counts_each_article_once_and_says_so(page, served):  # noqa: F811
    url, n = served
    tb.open_and_wait(page, url, "语料总览", charts=1)
    tb.assert_no_error(page, "/ (a 版面 twice)")
    metrics = [
        re.sub(r"\s+", " ", m).strip() for m in page.locator('[data-testid="stMetric"]').all_inner_texts()
    ]
    assert "版面数 1" in metrics and f"文章数 {n}" in metrics, metrics
    note = page.locator('[data-testid="stAlert"]').filter(has_text="只计一次").inner_text()
    assert f"有 {n} 篇文章在同一版面的另一个文件中也有" in note, note
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert "第01版" in svg, svg[:300]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "copies-overview.png", full_page=True)


def test_search_finds_each_article_once(page, served):  # noqa: F811
    url, n = served
    tb.open_and_wait(page, f"{url}/articles?kinds=news,photo,commentary", "文章检索")  # every kind of article
    tb.assert_no_error(page, "/articles (a 版面 twice)")
    assert matching(page) == n
