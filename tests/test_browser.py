"""Real-browser test: `streamlit run dashboard.py` on the sample corpus, opened in Debian's Chromium.

Run with ``pytest -m browser``.  Screenshots go to tests/artifacts/ (gitignored).  To refresh the
README screenshot: ``PINGHU_UPDATE_SCREENSHOT=1 pytest -m browser`` (writes docs/screenshot-overview.png).

Without chromium or playwright the test is skipped locally and FAILS when the CI variable is set.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ARTIFACTS, ROOT, SAMPLE_CORPUS, write_fonts_conf

import dashboard

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 1800}
DOCS_SCREENSHOT = ROOT / "docs" / "screenshot-overview.png"
RENDER_TIMEOUT_MS = 90_000


def require(ok: bool, message: str) -> None:
    """Skip locally, fail in CI: a missing browser must not turn the CI run green."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so this is a failure, not a skip)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(
        f"streamlit not healthy after {timeout}s:\n{log.read_text(errors='replace')[-3000:]}"
    )


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def start_streamlit(
    port: int, env: dict, log: Path, cwd: Path = ROOT, script: str = "dashboard.py"
) -> subprocess.Popen:
    """`streamlit run dashboard.py` (or ``script``: serve.py is the hosted server) on 127.0.0.1:``port``
    (output to ``log``); Streamlit reads ``.streamlit/`` (config, secrets) from ``cwd``."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / script),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server (kill it when it does not stop within 15 s)."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@contextmanager
def running_app(tmp: Path) -> Iterator[str]:
    """`streamlit run dashboard.py` on the repository's sample corpus, read only (caches go to ``tmp``)."""
    before = snapshot(SAMPLE_CORPUS)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PINGHU_DATA_DIR": str(SAMPLE_CORPUS), "PINGHU_CACHE_DIR": str(tmp / "cache")}
    log = tmp / "streamlit.log"
    proc = start_streamlit(port, env, log)
    try:
        wait_healthy(url, proc, log)
        yield url
    finally:
        stop(proc)
    assert snapshot(SAMPLE_CORPUS) == before, "the app wrote into data/corpus"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module's tests."""
    with running_app(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[str]:
    """A server no session has visited yet (Streamlit behaves differently before the first st.navigation)."""
    with running_app(tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    executable = shutil.which("chromium")
    require(executable is not None, "Debian chromium not found (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the playwright package is not installed (pip install playwright)")
    fonts_conf = write_fonts_conf(tmp_path_factory.mktemp("fonts"))
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable,
            args=CHROMIUM_ARGS,
            env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf)},
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    yield pg
    context.close()


SETTLED_JS = """() => [document.querySelectorAll('*').length, document.querySelectorAll('.main-svg').length,
    document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')].join()"""


def wait_settled(page, quiet_ms: int = 1200, timeout_ms: int = RENDER_TIMEOUT_MS) -> None:
    """Wait until the DOM stops changing: charts are drawn by lazily loaded Plotly after the script ends."""
    deadline = time.monotonic() + timeout_ms / 1000
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = page.evaluate(SETTLED_JS)
        if now != last:
            last, since = now, time.monotonic()
        elif now.endswith("notRunning") and (time.monotonic() - since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(150)
    raise AssertionError(f"page still changing after {timeout_ms} ms: {last}")


def open_and_wait(page, url: str, heading: str, *, charts: int = 0) -> None:
    """Open ``url`` and wait until the page's Chinese heading, the sidebar and the DOM are settled —
    and at least ``charts`` Plotly charts are drawn: Plotly is loaded lazily, and on a busy machine
    the page can look quiet for a while before the first chart appears."""
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name=heading).first.wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
    page.get_by_role("button", name="刷新语料").wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    if charts:
        page.locator(".js-plotly-plot .main-svg").nth(charts - 1).wait_for(
            state="attached", timeout=RENDER_TIMEOUT_MS
        )
        wait_settled(page)


def assert_no_error(page, where: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, f"exception shown on {where}"
    text = page.locator("body").inner_text()
    assert "Error" not in text and "Traceback" not in text, f"error text on {where}: {text[:500]}"
    assert "Page not found" not in text, f"'Page not found' on {where}"  # Streamlit's English notice


def nav_link_texts(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]')
    return [t.strip() for t in links.all_inner_texts()]


def test_overview_renders_in_chromium(page, server):
    first = dashboard.NAV[0]
    open_and_wait(page, server, first.title, charts=1)
    assert_no_error(page, "/")
    assert page.get_by_text("条目数（按类型）").count() >= 1
    assert page.locator(".js-plotly-plot").count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "overview.png")
    if os.environ.get("PINGHU_UPDATE_SCREENSHOT") == "1":
        page.screenshot(path=DOCS_SCREENSHOT)


CUT_LABELS_JS = """() => [...document.querySelectorAll('[data-testid=stMetricLabel]')].flatMap(label =>
    [label, ...label.querySelectorAll('*')]
      .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
      .map(() => label.innerText.trim()))"""


@pytest.mark.parametrize("width", [1280, 1024])
def test_overview_metric_labels_are_shown_whole(browser, server, width):
    """Each of the five counts' labels fits its column (a laptop's page included): an eight-character
    label was cut to '待确认日期的…'."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    try:
        page = context.new_page()
        open_and_wait(page, server, dashboard.NAV[0].title, charts=1)
        labels = page.locator("[data-testid=stMetricLabel]").all_inner_texts()
        assert len(labels) >= 5 and "待确认版面" in [t.strip() for t in labels]
        assert page.evaluate(CUT_LABELS_JS) == []
    finally:
        context.close()


# Every chosen value of the first multiselect: its name, and whether the chip is shown whole — inside
# the box's visible area (not scrolled or clipped out of it) and its text not cut with an ellipsis.
CHIPS_SHOWN_JS = """() => {
  const box = document.querySelector('[data-testid=stMultiSelect] [data-testid=stMultiSelectTagsContainer]');
  const frame = box.closest('[role=group]').getBoundingClientRect();
  return [...box.querySelectorAll('[data-tag]')].map(tag => {
    const r = tag.getBoundingClientRect(), text = tag.querySelector('span');
    const inside = r.left >= frame.left - 1 && r.right <= frame.right + 1
      && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1;
    return [tag.getAttribute('aria-label'), inside && text.scrollWidth <= text.clientWidth + 1];
  });
}"""


@pytest.mark.parametrize("width", [1280, 1024])
def test_chosen_themes_are_all_shown_whole(browser, server, width):
    """Four long theme names chosen on 政策主题: every chip is in view and whole (the box wraps them
    onto more lines).  Streamlit's own box keeps them on one line that scrolls sideways, where the
    first names were cut off or hidden and the reader could not see what the chart counts."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    try:
        page = context.new_page()
        themes = "major-projects,minsheng,yangtze-delta,civilized-city"
        open_and_wait(page, f"{server}/themes?themes={themes}", "政策主题", charts=1)
        chips = page.evaluate(CHIPS_SHOWN_JS)
        assert len(chips) == 4, chips
        assert all(whole for _, whole in chips), chips
        assert any("长三角一体化" in name for name, _ in chips), chips
    finally:
        context.close()


# The tooltip each button of a chart's tool bar shows: its ::after content, which Plotly's own CSS
# takes from the button's data-title (the computed value is then the attr() itself or the title).
MODEBAR_TIPS_JS = """() => [...document.querySelectorAll('.js-plotly-plot .modebar-btn')].map(b => {
  const c = getComputedStyle(b, '::after').content;
  return c.startsWith('attr(') || c === 'none' || c === 'normal' ? b.getAttribute('data-title')
    : c.replace(/^"|"$/g, '');
})"""


def test_chart_tool_bar_speaks_chinese(page, server):
    """Every tooltip of a chart's tool bar is Chinese: Plotly's own buttons (the zh-CN dictionary sent
    with each chart) and the full-screen button Streamlit adds (its title replaced by our CSS)."""
    open_and_wait(page, server, dashboard.NAV[0].title, charts=1)
    page.locator(".js-plotly-plot").first.hover()
    tips = page.evaluate(MODEBAR_TIPS_JS)
    assert len(tips) >= 5, tips
    assert {"下载图片（PNG）", "自动缩放", "全屏"} <= set(tips), tips
    words = [(t or "").replace("PNG", "") for t in tips]  # a file format's name stays as it is
    assert not [t for t in words if any("a" <= ch.lower() <= "z" for ch in t)], tips


def assert_sidebar_is_ours(page) -> None:
    """The sidebar menu lists exactly the pages of dashboard.NAV, once each, and then our sidebar."""
    texts = nav_link_texts(page)
    # Streamlit hides the menu while there is a single page; a menu that appears anyway (e.g. from
    # automatic discovery of pages/, listing "dashboard" and "overview") must list exactly our pages.
    if len(dashboard.NAV) > 1 or texts:
        assert len(texts) == len(dashboard.NAV), texts
        for p in dashboard.NAV:
            assert sum(p.title in t for t in texts) == 1, (p.title, texts)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "版面数" in sidebar and "刷新语料" in sidebar, sidebar


def test_sidebar_lists_every_page_once(page, server):
    open_and_wait(page, server, dashboard.NAV[0].title)
    assert_sidebar_is_ours(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "sidebar.png", clip={"x": 0, "y": 0, "width": 400, "height": 900})


@pytest.mark.parametrize("nav", dashboard.NAV, ids=[p.url_path for p in dashboard.NAV])
def test_each_page_url_opens_directly(page, server, nav):
    url = f"/{dashboard.url_of(nav)}"
    open_and_wait(page, f"{server}{url}", nav.title)
    assert_no_error(page, url)
    assert_sidebar_is_ours(page)
    assert page.url.split("?")[0].rstrip("/") == f"{server}{url}".rstrip("/")  # a page may add its filters
    page.screenshot(path=ARTIFACTS / f"page-{nav.url_path}.png")


@pytest.mark.parametrize(
    "address",
    ["no-such-page", "%E6%97%A7%E9%A1%B5%E9%9D%A2", "<img src=x onerror=alert(1)>"],
    ids=["latin", "chinese", "markup"],
)
def test_an_address_that_is_no_page_says_so_in_chinese(page, server, address):
    """A mistyped or outdated link: a page of its own in Chinese (the address shown back as text,
    a link home, the sidebar as usual), not Streamlit's English "Page not found" over 总览.

    Not on the very first run of a freshly started server: Streamlit then still reads the pages/
    folder itself (before any st.navigation) and sends its notice before dashboard.py runs."""
    open_and_wait(page, server, dashboard.NAV[0].title)  # a session has run st.navigation
    alerts: list[str] = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    open_and_wait(page, f"{server}/{address}", "找不到页面")
    assert_no_error(page, f"/{address}")
    assert_sidebar_is_ours(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    asked = urllib.parse.unquote(address)
    assert f"“/{asked}”" in text, text
    assert page.locator('[data-testid="stMain"] img[src="x"]').count() == 0 and not alerts  # text, not markup
    assert page.get_by_role("heading", name="语料总览").count() == 0
    page.screenshot(path=ARTIFACTS / f"no-such-page-{address[:8]}.png")
    page.get_by_role("button", name="刷新语料").click()  # a rerun on this page: it stays
    wait_settled(page)
    assert page.get_by_role("heading", name="找不到页面").count() == 1
    assert "Page not found" not in page.locator("body").inner_text()
    page.get_by_role("link", name=f"回到{dashboard.NAV[0].title}").click()
    page.get_by_role("heading", name="语料总览").wait_for(timeout=RENDER_TIMEOUT_MS)
    assert page.url.split("?")[0].rstrip("/") == server.rstrip("/")
    assert_no_error(page, f"home from /{address}")


def test_page_url_opened_first_on_a_fresh_server(page, fresh_server):
    """Before any session ran st.navigation, Streamlit runs pages/<name>.py for the URL /<name>
    without dashboard.py; pinghu_app.shell.current_key() then sends the URL through dashboard.py."""
    nav = dashboard.NAV[-1]  # pages/overview.py answers /overview here even though it is served at /
    open_and_wait(page, f"{fresh_server}/{nav.url_path}", nav.title)
    assert_no_error(page, f"/{nav.url_path} on a fresh server")
    assert_sidebar_is_ours(page)


THEMES_VIEW = "?themes=major-projects,minsheng&granularity=month&measure=count&period=2020-07-01"


def test_themes_page_opens_from_a_shared_link(page, server):
    """政策主题 opened by URL with its filters: the chart and the period's articles are restored."""
    nav = next(p for p in dashboard.NAV if p.url_path == "themes")
    open_and_wait(page, f"{server}/{nav.url_path}{THEMES_VIEW}", nav.title, charts=1)
    assert_no_error(page, "/themes")
    assert page.locator(".js-plotly-plot").count() >= 1
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert "文章数" in svg and "重大项目与有效投资" in svg and "民生共享" in svg, svg[:300]
    assert "granularity=month" in page.url and "period=2020-07-01" in page.url and "measure=count" in page.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "themes.png")


def test_timeline_draws_events_and_a_query_series(page, server):
    """Issue 15: the shipped events on the timeline (lines, labels, hover markers) and a 文章检索 query
    drawn as a series next to a theme; hiding a category in the URL removes its events."""
    view = "?themes=civilized-city&queries=文明城市&granularity=year"
    open_and_wait(page, f"{server}/themes{view}", "政策主题", charts=1)
    assert_no_error(page, "/themes with events and a query")
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert "检索：文明城市" in svg and "全国文明城市创建" in svg, svg[:300]
    assert "平湖入选第六届全国文明城市" in svg and "事件：荣誉" in svg, svg[:300]
    lines = page.locator(".js-plotly-plot .shapelayer path").count()
    assert lines >= 4  # the shipped events inside the corpus' days (and the grey no-page bands)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "themes-events-query.png")
    open_and_wait(page, f"{server}/themes{view}&hide_events=荣誉", "政策主题", charts=1)
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert "平湖入选第六届全国文明城市" not in svg and "事件：荣誉" not in svg
    assert page.locator(".js-plotly-plot .shapelayer path").count() == lines - 1


def test_clicking_a_point_lists_its_period(page, server):
    """A click on a point of the timeline drills into its period: the URL and the select box follow."""
    open_and_wait(
        page, f"{server}/themes?themes=major-projects&granularity=year&measure=count", "政策主题", charts=1
    )
    assert "period=" not in page.url
    point = page.locator(".js-plotly-plot .scatterlayer .trace .points path").first
    click_until(page, point, "() => location.search.includes('period=')")
    wait_settled(page)
    assert_no_error(page, "/themes after a click")
    assert "period=2020-01-01" in page.url  # the first point: 2020, the first year with pages
    assert page.get_by_text("篇文章命中所选主题或口号").count() == 1


def test_progress_page_click_a_point_opens_its_sentence(page, server):
    """项目进度 opened by URL: the three charts are drawn; a click on the trajectory's point opens its sentence."""
    open_and_wait(page, f"{server}/progress?project=museum-new", "项目进度", charts=1)
    assert_no_error(page, "/progress")
    # Plotly draws lazily after the script ends; on a busy machine the DOM can rest before it does
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .main-svg')].map(e => e.textContent).join(' ')"
        ".includes('投资（亿元）')",
        timeout=RENDER_TIMEOUT_MS,
    )
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert (
        "最新完成进度（%）" in svg
        and "1至6月份" in svg
        and "平湖市博物馆新馆" in svg
        and "投资（亿元）" in svg
    ), svg[:300]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "progress.png")
    assert "figure=" not in page.url
    trajectory = page.locator(".js-plotly-plot").filter(has_text="建设节点")
    point = trajectory.locator(".scatterlayer .trace .points path").first
    click_until(page, point, "() => location.search.includes('figure=')")
    wait_settled(page)
    assert_no_error(page, "/progress after a click")
    assert page.get_by_text("原句：").count() == 1
    assert "【85%】" in page.locator("body").inner_text()
    page.get_by_text("原句：").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=ARTIFACTS / "progress-figure.png")


# The first row of a grid's accessible copy: "true"/"false" (ticked or not), or null while the grid has
# no such copy (it is being drawn afresh).
FIRST_ROW_TICKED_JS = (
    """g => g.querySelector('tr[aria-rowindex="2"]')?.getAttribute('aria-selected') ?? null"""
)


def click_until(
    page,
    target,
    done_js: str,
    *,
    offset: tuple[float, float] | None = None,
    unclicked: Callable[[], bool] | None = None,
    attempts: int = 3,
) -> None:
    """Click ``target`` (a locator: its centre, or ``offset`` from its top left corner) and wait until
    the JS predicate ``done_js`` holds.

    A click the page did not take (it moved under the pointer while a chart was drawn, the element
    was being mounted afresh) is given again, up to ``attempts`` clicks — only when, 8 s later, the
    page is idle, ``done_js`` does not hold and ``unclicked()`` (when given) says the click left no
    mark, so a slow run after a click that was taken is never undone by a second click."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(1, attempts + 1):
        wait_settled(page)
        target.scroll_into_view_if_needed()
        page.wait_for_timeout(150)
        box = target.bounding_box()
        dx, dy = offset or (box["width"] / 2, box["height"] / 2)
        page.mouse.click(box["x"] + dx, box["y"] + dy)
        try:
            page.wait_for_function(done_js, timeout=8_000)
            return
        except PlaywrightTimeout:
            idle = page.evaluate(SETTLED_JS).endswith("notRunning")
            if attempt == attempts or not idle or (unclicked is not None and not unclicked()):
                break  # taken (or out of clicks): wait for its run below
    page.wait_for_function(done_js, timeout=RENDER_TIMEOUT_MS)


def tick_first_row(page, grid, done_js: str) -> None:
    """Tick the first row of ``grid`` (its selection box) and wait until ``done_js`` holds; a click
    the grid did not take is given again while the row shows as not ticked (:func:`click_until`)."""
    click_until(
        page, grid, done_js, offset=(14, 52), unclicked=lambda: grid.evaluate(FIRST_ROW_TICKED_JS) == "false"
    )


def select_first_row(page, url_param: str) -> None:
    """Tick the first row of the page's first table and wait until ``url_param`` is in the URL."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    tick_first_row(page, grid, f"() => location.search.includes('{url_param}=')")
    wait_settled(page)


# The bars of the first chart ([] while it is not drawn yet, or being mounted afresh for a new figure).
BAR_OPACITY_JS = """() => [...(document.querySelector('.js-plotly-plot')?.querySelectorAll('g.point path') ?? [])]
    .map(p => getComputedStyle(p).opacity)"""


def test_progress_table_row_opens_its_figure(page, server):
    """A row chosen in the 全部数据 table opens its sentence and article above, and the latest-completion
    chart highlights that figure's bar only; a click on another bar moves the highlight (none stays behind)."""
    open_and_wait(page, f"{server}/progress?metric=completion_pct", "项目进度", charts=1)
    page.locator(".js-plotly-plot g.point path").first.wait_for(
        timeout=RENDER_TIMEOUT_MS
    )  # drawn after the heading
    assert set(page.evaluate(BAR_OPACITY_JS)) == {"1"}  # nothing open: nothing dimmed
    assert page.locator('[data-testid="stDataFrame"]').count() == 0  # the table is built when opened
    page.get_by_text("查看数据表").click()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    select_first_row(page, "figure")
    assert_no_error(page, "/progress after choosing a row")
    assert page.get_by_text("原句：").count() == 1
    page.wait_for_function(
        f"() => ({BAR_OPACITY_JS})().filter(o => o === '1').length === 1", timeout=RENDER_TIMEOUT_MS
    )
    first = page.evaluate(BAR_OPACITY_JS).index("1")
    other = 1 if first != 1 else 2
    before = page.url
    bar = page.locator(".js-plotly-plot").first.locator("g.point path").nth(other)
    bar.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    click_until(page, bar, f"() => location.href !== {before!r}")
    wait_settled(page)
    page.wait_for_function(
        f"() => ({BAR_OPACITY_JS})().filter(o => o === '1').length === 1", timeout=RENDER_TIMEOUT_MS
    )
    assert page.evaluate(BAR_OPACITY_JS).index("1") == other


def test_progress_table_downloads_as_excel(page, server):
    """The Excel download (built only when clicked) opens with every filtered row and no formula."""
    import io

    from openpyxl import load_workbook

    open_and_wait(page, f"{server}/progress?metric=completion_pct", "项目进度")
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
        page.get_by_role("button", name="下载数据表（Excel）").click()
    download = info.value
    assert download.suggested_filename == "项目进度数据.xlsx"
    ws = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("日期", "主体", "项目", "指标") and len(rows) > 5
    assert {r[3] for r in rows[1:]} == {"完成进度"}
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_a_date_typed_outside_the_corpus_is_fitted_in_chinese(page, server):
    """Typing years outside the corpus in a date box: no English refusal (the box takes it), the range
    is fitted to the corpus and the page says so in Chinese; the calendar has no English preset list."""
    open_and_wait(page, f"{server}/progress", "项目进度")
    segments = page.locator('[data-testid="stDateInput"] [role="spinbutton"]')
    segments.nth(0).click()
    page.keyboard.type("2010")
    segments.nth(3).click()
    page.keyboard.type("2030")
    assert page.locator('[data-testid="stDateInputCalendar"]').count() == 1  # typing opened the calendar
    assert page.locator('[data-testid="stDateInputQuickSelect"]').first.is_hidden()
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="项目进度").first.click()  # leave the box: the range is sent
    page.get_by_text("早于语料的第一天").wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    text = page.locator("body").inner_text()
    assert "晚于语料的最后一天，已改为 2022年5月28日" in text and "outside" not in text
    assert "start=2020-04-21" in page.url and "end=2022-05-28" in page.url


def test_lead_scope_compare_and_an_event_card_in_chromium(page, server):
    """Issue 15.3: 仅头条 and 对比 opened by URL draw the timeline in the scope and the bars side by
    side; a click on an event's marker opens its card with the button to its report."""
    view = "?themes=major-projects,minsheng&granularity=year&measure=count&scope=lead&compare=1"
    open_and_wait(page, f"{server}/themes{view}", "政策主题", charts=2)
    assert_no_error(page, "/themes with scope=lead&compare=1")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .main-svg')].map(e => e.textContent).join(' ')"
        ".includes('对比：各序列')",
        timeout=RENDER_TIMEOUT_MS,
    )
    svg = " ".join(page.locator(".js-plotly-plot .main-svg").all_text_contents())
    assert "每年提及该主题的头条数" in svg and "仅头条" in svg, svg[:300]
    assert page.get_by_text("只统计头条", exact=False).count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "themes-lead-compare.png", full_page=True)
    # the first event marker of the timeline (a trace whose points carry ["event", id])
    index = page.evaluate(
        """() => {
        const gd = document.querySelector('.js-plotly-plot');
        return gd.data.findIndex(t => Array.isArray(t.customdata) && Array.isArray(t.customdata[0])
            && t.customdata[0][0] === 'event');
    }"""
    )
    assert index >= 0
    marker = (
        page.locator(".js-plotly-plot")
        .first.locator(".scatterlayer .trace")
        .nth(index)
        .locator(".points path")
        .first
    )
    click_until(
        page,
        marker,
        "() => [...document.querySelectorAll('a')].some(a => a.textContent.includes('打开报道'))",
    )
    wait_settled(page)
    assert_no_error(page, "/themes after an event click")
    link = page.get_by_role("link", name="打开报道")
    assert link.count() == 1 and "articles?article=" in (link.get_attribute("href") or "")
    page.screenshot(path=ARTIFACTS / "themes-event-card.png", full_page=True)


def test_lead_only_and_sort_by_hits_in_chromium(page, server):
    open_and_wait(page, f"{server}/articles?kinds=news,commentary&q=项目&sort=hits", "文章检索")
    assert_no_error(page, "/articles sorted by hits")
    assert page.get_by_text("按检索词命中次数由多到少排列", exact=False).count() == 1
    page.get_by_text("只看头条", exact=True).click()
    page.wait_for_function("() => location.search.includes('lead=1')", timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    assert_no_error(page, "/articles lead only")
    assert page.get_by_text("篇文章符合条件", exact=False).count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "articles-lead-hits.png", full_page=True)
