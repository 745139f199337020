"""Real-browser tests of 文章检索 (run with ``pytest -m browser``): type a query and see the count change,
open an article from the table, download the CSV and read it back; a crafted article is shown as text.

Screenshots go to tests/artifacts/articles-*.png.
"""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import test_browser as tb
from conftest import ARTIFACTS
from test_articles_page import CRAFTED_PAGE
from test_browser import browser, page  # noqa: F401  (fixtures: Chromium and a fresh tab)

from pinghu_core.corpus import ingest

pytestmark = pytest.mark.browser
TIMEOUT = tb.RENDER_TIMEOUT_MS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with tb.running_app(tmp_path_factory.mktemp("articles-server")) as url:
        yield url


@pytest.fixture(scope="module")
def crafted_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app on a corpus of one page whose article carries HTML, Markdown and LaTeX."""
    folder = tmp_path_factory.mktemp("crafted") / "corpus"
    folder.mkdir()
    (folder / "2020-07-22.txt").write_text(CRAFTED_PAGE, encoding="utf-8")
    os.utime(folder / "2020-07-22.txt", (time.time() - 60, time.time() - 60))  # settled, not being written
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tb, "SAMPLE_CORPUS", folder)  # running_app serves (and guards) this folder
        with tb.running_app(tmp_path_factory.mktemp("crafted-server")) as url:
            yield url, folder


def matching(tab) -> int:
    text = tab.get_by_text(re.compile("篇文章符合条件")).first.inner_text()
    return int(re.search(r"([\d,]+)\s*篇文章符合条件", text).group(1).replace(",", ""))


def test_query_count_reader_and_csv_download(page, server):  # noqa: F811
    tb.open_and_wait(page, f"{server}/articles", "文章检索")
    tb.assert_no_error(page, "/articles")
    before = matching(page)
    assert before > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "articles-default.png")
    # a table's own toolbar writes cells as they are (a cell starting with = would run in Excel): its
    # CSV button is hidden, the dashboard's formula-safe download buttons are the way out
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.hover()
    page.get_by_role("button", name="Search").first.wait_for(timeout=TIMEOUT)
    raw_csv = page.locator('button[aria-label="Download as CSV"]')
    assert raw_csv.count() >= 1  # drawn …
    assert not raw_csv.first.is_visible()  # … but hidden

    box = page.get_by_role("textbox", name="全文检索（引题、主题、副题和正文）")
    box.fill("平湖 -共同富裕")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('q=')", timeout=TIMEOUT)
    tb.wait_settled(page)
    after = matching(page)
    assert 0 < after < before
    assert page.get_by_text("检索式解读：包含“平湖”，不含“共同富裕”").count() == 1
    page.screenshot(path=ARTIFACTS / "articles-query.png")

    tb.select_first_row(page, "article")
    tb.assert_no_error(page, "/articles after opening an article")
    assert page.get_by_role("heading", name="全文").count() == 1
    body = page.locator("body").inner_text()
    assert "日期：" in body and "版面文件：" in body and "【平湖】" in body
    page.get_by_role("heading", name="全文").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=ARTIFACTS / "articles-reader.png")

    opened = re.search(r"article=([^&]+)", page.url).group(1)
    same_page = page.locator('[data-testid="stDataFrame"]').nth(1)  # 同一版面的其他条目
    # its first row opens that item
    tb.tick_first_row(page, same_page, f"() => !location.search.includes('article={opened}')")
    tb.wait_settled(page)
    tb.assert_no_error(page, "/articles after opening an item of the same page")
    assert re.search(r"article=([^&]+)", page.url).group(1).split("-")[0] == opened.split("-")[0]  # same page

    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name="下载 CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns[:6]) == ["编号", "日期", "版次", "类型", "引题", "主题"]
    assert len(table) == after
    assert all("【平湖】" in s for s in table["摘要"])
    assert "正文" not in table.columns  # bodies only when the toggle is on


def _reader_text(page) -> str:  # noqa: F811
    """The text of the open article (between the 全文 heading and its 关闭全文 button)."""
    text = page.locator('[data-testid="stMain"]').inner_text()
    parts = re.split(r"\n全文\n", text, maxsplit=1)
    return parts[1].split("关闭全文", 1)[0] if len(parts) == 2 else ""


def _opened(page) -> str | None:  # noqa: F811
    m = re.search(r"article=([^&]+)", page.url)
    return m.group(1) if m else None


def test_after_a_new_query_one_click_opens_the_new_first_row(page, server):  # noqa: F811
    """Issue 12.1: the tick of the old results must not carry over — the first click on the new
    first row opens it (it used to un-tick the carried-over tick and leave the old article open)."""
    tb.open_and_wait(page, f"{server}/articles", "文章检索")
    tb.select_first_row(page, "article")
    first = _opened(page)
    reader = _reader_text(page)
    assert reader
    term = "共同富裕"
    query = f"平湖 -{term}" if term in reader else term  # results without the open article
    box = page.get_by_role("textbox", name="全文检索（引题、主题、副题和正文）")
    box.fill(query)
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('q=')", timeout=TIMEOUT)
    tb.wait_settled(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    tb.tick_first_row(page, grid, f"() => !location.search.includes('article={first}')")
    tb.wait_settled(page)
    tb.assert_no_error(page, "/articles after a new query and one click")
    now = _opened(page)
    assert now and now != first
    body = _reader_text(page)
    assert body and (term in body) == (query == term), query
    page.screenshot(path=ARTIFACTS / "articles-new-query-first-click.png")


def test_shared_link_restores_the_view_and_the_place_chart(page, server):  # noqa: F811
    tb.open_and_wait(page, f"{server}/articles?kinds=news&places=当湖街道&q=平湖", "文章检索", charts=1)
    tb.assert_no_error(page, "/articles with a shared link")
    assert page.get_by_role("textbox", name="全文检索（引题、主题、副题和正文）").input_value() == "平湖"
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert "提到各地点的文章数" in svg and "当湖街道" in svg, svg[:300]
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=ARTIFACTS / "articles-places.png")
    page.get_by_text("检索语法").click()
    help_text = page.locator('[data-testid="stExpander"]').inner_text()
    assert "项目 投资|融资" in help_text and "比空格优先结合" in help_text, help_text
    page.locator('[data-testid="stExpander"]').scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=ARTIFACTS / "articles-syntax.png")


def test_crafted_article_is_shown_as_text(page, crafted_server):  # noqa: F811
    url, folder = crafted_server
    corpus = ingest.load_corpus(folder, use_cache=False, progress=False)
    article = corpus.articles.loc[corpus.articles["title"].str.contains("script"), "article_id"].iloc[0]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tb.open_and_wait(page, f"{url}/articles?q=项目&article={article}", "文章检索")
    body = page.locator("body").inner_text()
    for raw in (
        "<script>alert(1)</script>",
        "**粗体**",
        "$x$",
        "<b>加粗</b>",
        ":red[红字]",
        "[链接](javascript:alert",
    ):
        assert raw in body, raw
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("script", has_text="alert").count() == 0
    assert main.locator("strong, b, em", has_text=re.compile("粗体|加粗")).count() == 0
    assert main.locator("a[href^='javascript']").count() == 0 and main.locator(".katex").count() == 0
    assert not dialogs
    page.get_by_role("heading", name="全文").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=ARTIFACTS / "articles-crafted.png")
