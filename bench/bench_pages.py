"""What a user waits for: every page's typical interactions in a real browser (a script, not a test).

    .venv/bin/python bench/bench_pages.py [--corpus bench/out/corpus10y] [--cache PATH] [--repeats 3]
                                          [--only articles,themes] [--shots DIR] [--json PATH]

1. the corpus: ``--corpus`` (default bench/out/corpus10y, the ten-year generated corpus made with
   ``bench/synth.py`` when missing) and its parse cache ``--cache`` (default bench/out/pages-cache,
   warmed with ``pinghu ingest`` when missing, so the server starts warm as after an upgrade);
2. starts ``streamlit run dashboard.py`` on 127.0.0.1 (local mode) and drives Debian's Chromium
   (playwright, one tab, 1280×1800) through each page's typical interactions: open by URL and from
   the sidebar, a date range, a theme / kind / place, a query, open an article, pick a word, switch
   granularity, compare periods; on 人物 a kind, a date range and a name; on 简报 another month, the
   quarters (the newest: the same each pass) and another quarter; 事件 opened (its editing is an
   editor's form, not timed here);
   (the clock starts when an action is committed — Enter, leaving a date box, a click — not while
   the bench types into a box);
3. one warm-up pass (each page's once-per-corpus work; not counted), then ``--repeats`` passes, each
   with other values (another query, another theme …) so that the figures are not only cache hits
   (人物's kind is not chosen in the warm-up: its three kinds go to the three passes);
4. per interaction: **wall** — from the action to the page's last DOM change once Streamlit reports
   the run finished and the page has been quiet for 700 ms (a MutationObserver stamps every change,
   so Plotly drawing after the run counts; not a screen reader's hidden live region, nor the
   unpainted fallback content inside a canvas, where the table grid keeps its screen-reader copy); **runs** —
   script runs the interaction caused (the app element's ``data-test-script-state`` going to
   ``running``; a fragment's run counts too); **server
   CPU** — user+system seconds of the server's process tree over the interaction; **bytes** — what
   the websocket brought to the browser;
5. prints p50/p95 per interaction over the repeats, the targets (interaction ≤ 1 s p95, ≤ 300 ms
   server CPU, one script run; a page open ≤ 2 s) and the load average before and after; writes JSON.

Browser and server share this machine's cores: the wall times include the browser's own drawing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "tests"):  # the browser tests' Chromium flags, fonts and free port
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from conftest import write_fonts_conf  # noqa: E402
from test_browser import CHROMIUM_ARGS, free_port  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from page_observer import OBSERVER_JS  # noqa: E402
from page_ranges import date_ranges  # noqa: E402

OUT = ROOT / "bench" / "out"
TARGET_WALL_S, TARGET_OPEN_S, TARGET_CPU_S = 1.0, 2.0, 0.3
QUIET_MS = 700
TIMEOUT_S = 120
STATE_JS = """() => [document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') || '',
  window.__pb ? window.__pb.last : 0, performance.now(), window.__pb ? window.__pb.runs : 0]"""


# ---------------------------------------------------------------- server


def ensure_corpus(corpus: Path) -> None:
    if corpus.exists() and any(corpus.rglob("*.txt")):
        return
    print(f"generating the ten-year corpus into {corpus} …", flush=True)
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synth.py"), str(corpus), "--years", "10"], check=True
    )


def ensure_cache(corpus: Path, cache: Path) -> None:
    """Warm the parse and word caches with ``pinghu ingest`` (a no-op when they are warm)."""
    print(f"warming the cache {cache} (pinghu ingest) …", flush=True)
    t0 = time.perf_counter()
    env = {**os.environ, "PINGHU_CACHE_DIR": str(cache)}
    subprocess.run(
        [str(Path(sys.executable).with_name("pinghu")), "ingest", str(corpus)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(f"  … {time.perf_counter() - t0:.1f} s", flush=True)


class Server:
    def __init__(self, corpus: Path, cache: Path, log: Path, port: int = 0, checkout: Path = ROOT) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PINGHU_DATA_DIR": str(corpus), "PINGHU_CACHE_DIR": str(cache)}
        cmd = [
            str(Path(sys.executable).with_name("streamlit")),
            "run",
            "dashboard.py",
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={self.port}",
            "--browser.gatherUsageStats=false",
        ]
        self.log = log
        self.proc = subprocess.Popen(
            cmd, cwd=checkout, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        import psutil  # the benches' extra (pyproject: bench), not needed to read the steps

        self.ps = psutil.Process(self.proc.pid)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"server did not start: see {log}")

    def cpu(self) -> float:
        """User + system seconds of the server and its children so far."""
        import psutil

        total = 0.0
        for p in [self.ps, *self.ps.children(recursive=True)]:
            try:
                t = p.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += t.user + t.system
        return total

    def rss_mb(self) -> float:
        import psutil

        total = 0
        for p in [self.ps, *self.ps.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total / 2**20

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# ---------------------------------------------------------------- the browser side


def browser_cpu(server: Server) -> float:
    """User + system seconds of every process this script started except the server's tree:
    Chromium (browser, renderer, GPU and utility processes) and playwright's driver."""
    import psutil

    skip = {server.ps.pid, *(p.pid for p in server.ps.children(recursive=True))}
    total = 0.0
    for p in psutil.Process().children(recursive=True):
        if p.pid in skip:
            continue
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


class Tab:
    """One Chromium tab with the observer, websocket byte counting and waiting until settled."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 1800}, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        self.context.add_init_script(OBSERVER_JS)
        self.page = self.context.new_page()
        # The renderer's main-thread time (script, style, layout, paint) as Chromium counts it.
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        self.ws_bytes = 0
        self.finished: list[str] = []  # the server's script_finished statuses, in order
        self.page.on("websocket", self._watch)

    def _watch(self, ws) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        def count(payload) -> None:
            if not payload:
                return
            self.ws_bytes += len(payload)
            if isinstance(payload, bytes):
                msg = ForwardMsg.FromString(payload)
                if msg.WhichOneof("type") == "script_finished":
                    self.finished.append(ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished))

        ws.on("framereceived", count)

    def state(self) -> tuple[str, float, float, int]:
        s, last, now, runs = self.page.evaluate(STATE_JS)
        return s, float(last), float(now), int(runs)

    def settle(self, started_ms: float, runs_before: int, expect_run: bool = True) -> tuple[float, int]:
        """Wait until a run has started (when one is expected) and finished and the DOM has been quiet
        for QUIET_MS; the wall time (s) from ``started_ms`` to the last change, and the runs."""
        deadline = time.monotonic() + TIMEOUT_S
        grace = time.monotonic() + 3.0  # a run that never starts: the interaction caused none
        while time.monotonic() < deadline:
            s, last, now, runs = self.state()
            waiting_for_run = expect_run and runs == runs_before and time.monotonic() < grace
            if s == "notRunning" and not waiting_for_run and now - last >= QUIET_MS:
                return max(0.0, last - started_ms) / 1000, runs - runs_before
            self.page.wait_for_timeout(50)
        raise RuntimeError("page never settled")

    def main_thread_s(self) -> float:
        """Seconds of the renderer main thread's tasks so far (CDP ``Performance.getMetrics``
        TaskDuration; a new document starts again from 0)."""
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return next((m["value"] for m in metrics if m["name"] == "TaskDuration"), 0.0)

    def now_ms(self) -> float:
        return float(self.page.evaluate("() => performance.now()"))

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.base}/{path.lstrip('/')}", wait_until="commit")

    def close(self) -> None:
        self.context.close()


# Widgets, found by their Chinese label.
def widget(page, testid: str, label: str):
    return page.locator(f'[data-testid="{testid}"]').filter(has=page.get_by_text(label, exact=True)).first


def choose(page, testid: str, label: str, option: int) -> Callable[[], None]:
    """Open a selectbox / multiselect and move to its ``option``-th entry with the keyboard; the
    returned commit picks it (Enter) and closes the list."""
    box = widget(page, testid, label)
    box.scroll_into_view_if_needed()
    box.locator("input").first.click()
    page.locator('[role="option"]').first.wait_for(timeout=30_000)
    for _ in range(option):
        page.keyboard.press("ArrowDown")

    def commit() -> None:
        page.keyboard.press("Enter")
        if testid == "stMultiSelect":
            page.keyboard.press("Escape")

    return commit


def radio(page, label: str, step: int = 1) -> Callable[[], None]:
    """Pick the option ``step`` places after the one chosen now (wrapping round)."""
    group = widget(page, "stRadio", label)
    group.scroll_into_view_if_needed()
    options = group.locator('label:has(input[type="radio"])')
    checked = [i for i in range(options.count()) if options.nth(i).locator("input").is_checked()]
    return options.nth(((checked[0] if checked else 0) + step) % options.count()).click


def toggle(page, label: str) -> Callable[[], None]:
    box = page.locator('[data-testid="stCheckbox"]').filter(has=page.get_by_text(label, exact=True)).first
    box.scroll_into_view_if_needed()
    return box.get_by_text(label, exact=True).click


def date_range(page, label: str, start: str, end: str) -> Callable[[], None]:
    """Type a range into a date box (years, months, days); the returned commit leaves the box, which
    sends the range."""
    box = widget(page, "stDateInput", label)
    box.scroll_into_view_if_needed()
    seg = box.locator('[role="spinbutton"]')
    for i, part in enumerate([*start.split("-"), *end.split("-")]):
        seg.nth(i).click()
        page.keyboard.type(part)
    page.keyboard.press("Escape")
    return lambda: page.locator("h1").first.click()


def query(page, text: str) -> Callable[[], None]:
    """Type a query; the returned commit presses Enter."""
    box = page.get_by_role("textbox", name="全文检索（引题、主题、副题和正文）")
    box.fill(text)
    return lambda: box.press("Enter")


def table_row(page, row: int) -> Callable[[], None]:
    """Tick a row of the page's first table (its selection box; rows are 35 px high)."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    return lambda: page.mouse.click(box["x"] + 14, box["y"] + 52 + 35 * row)


def open_tab(page, title: str) -> Callable[[], None]:
    """Open the tab ``title`` (one that reruns the page to build what it holds)."""
    it = page.get_by_role("tab", name=title)
    it.scroll_into_view_if_needed()
    return it.click


def open_expander(page, label_start: str) -> Callable[[], None]:
    """Open the expander whose label starts with ``label_start`` (one that builds what it holds)."""
    it = page.locator('[data-testid="stExpander"] summary').filter(has_text=label_start).first
    it.scroll_into_view_if_needed()
    return it.click


def sidebar(page, title: str) -> Callable[[], None]:
    return page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click


# ---------------------------------------------------------------- the interactions


@dataclass
class Step:
    page: str
    name: str
    act: Callable  # (tab, repeat index) -> None
    opens: bool = False  # a page open (target 2 s) rather than an interaction (1 s)
    before: str | None = None  # URL path to be on first (not measured)
    # run in the warm-up pass too; False where the passes have no value left that the warm-up did not
    # already cache (人物's three kinds over four passes: one pass was a cache hit)
    warm_up: bool = True


def pass_steps(chosen: list[Step], counted: bool) -> list[Step]:
    """The steps of a pass: all of ``chosen`` in a counted pass, the warm-up's (``counted`` False)
    without those marked ``warm_up=False``."""
    return [s for s in chosen if counted or s.warm_up]


# --only takes a page's URL path as well as its title.
PAGE_PATHS = {
    "overview": "总览",
    "articles": "文章检索",
    "themes": "政策主题",
    "progress": "项目进度",
    "words": "词云",
    "people": "人物",
    "events": "事件",
    "brief": "简报",
}

QUERIES = ["项目 投资|融资 -疫情", "乡村振兴", '"长三角一体化"', "垃圾分类", "招商"]


def corpus_days(corpus: Path, cache: Path) -> list[dt.date]:
    """The dates the corpus has pages for (read from its warm cache in a child process)."""
    code = (
        "from pathlib import Path; import sys; from pinghu_core.corpus import ingest;"
        "d = ingest.load_corpus(Path(sys.argv[1])).pages['date'].dropna().dt.date.unique();"
        "print(' '.join(sorted(x.isoformat() for x in d)))"
    )
    env = {**os.environ, "PINGHU_DATA_DIR": str(corpus), "PINGHU_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(corpus)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return [dt.date.fromisoformat(x) for x in (out[-1].split() if out else [])]


def steps(y: list[tuple[str, str]]) -> list[Step]:
    """Each page's interactions; ``y``: the date ranges to type (:func:`date_ranges`)."""
    return [
        Step("总览", "open by URL", lambda t, i: t.goto("/"), opens=True, before="/articles"),
        Step("总览", "the daily calendar", lambda t, i: open_tab(t.page, "逐日日历")),
        Step("文章检索", "open by URL", lambda t, i: t.goto("/articles"), opens=True, before="/"),
        Step(
            "文章检索",
            "open from the sidebar",
            lambda t, i: sidebar(t.page, "文章检索"),
            opens=True,
            before="/",
        ),
        Step(
            "文章检索", "a query", lambda t, i: query(t.page, QUERIES[i % len(QUERIES)]), before="/articles"
        ),
        Step("文章检索", "a date range", lambda t, i: date_range(t.page, "日期范围", *y[i % len(y)])),
        Step("文章检索", "a kind", lambda t, i: choose(t.page, "stMultiSelect", "类型", i % 2)),
        Step("文章检索", "a place", lambda t, i: choose(t.page, "stMultiSelect", "地点（任一）", i + 1)),
        Step("文章检索", "a theme", lambda t, i: choose(t.page, "stMultiSelect", "政策主题（任一）", i + 1)),
        # from the page's own view (the filters above may leave no article on another corpus)
        Step("文章检索", "open an article", lambda t, i: table_row(t.page, 0), before="/articles"),
        Step("政策主题", "open by URL", lambda t, i: t.goto("/themes"), opens=True, before="/"),
        Step(
            "政策主题",
            "open from the sidebar",
            lambda t, i: sidebar(t.page, "政策主题"),
            opens=True,
            before="/",
        ),
        Step(
            "政策主题",
            "a theme",
            lambda t, i: choose(t.page, "stMultiSelect", "主题", i + 2),
            before="/themes",
        ),
        Step("政策主题", "granularity", lambda t, i: radio(t.page, "时间粒度", 1 + i % 2)),
        Step(
            "政策主题",
            "measure",
            lambda t, i: radio(t.page, "计量方式"),
        ),
        Step("政策主题", "a date range", lambda t, i: date_range(t.page, "日期范围", *y[i % len(y)])),
        Step(
            "政策主题",
            "choose a period",
            lambda t, i: choose(t.page, "stSelectbox", "选择时段（或点击时间线上的数据点）", i),
        ),
        Step("项目进度", "open by URL", lambda t, i: t.goto("/progress"), opens=True, before="/"),
        Step(
            "项目进度",
            "open from the sidebar",
            lambda t, i: sidebar(t.page, "项目进度"),
            opens=True,
            before="/",
        ),
        Step(
            "项目进度",
            "a date range",
            lambda t, i: date_range(t.page, "见报日期范围", *y[i % len(y)]),
            before="/progress",
        ),
        Step("项目进度", "a subject", lambda t, i: choose(t.page, "stSelectbox", "主体", i + 1)),
        Step("项目进度", "a project", lambda t, i: choose(t.page, "stSelectbox", "项目", i + 1)),
        Step("项目进度", "the figure table", lambda t, i: open_expander(t.page, "查看数据表")),
        Step("词云", "open by URL", lambda t, i: t.goto("/words"), opens=True, before="/"),
        Step("词云", "open from the sidebar", lambda t, i: sidebar(t.page, "词云"), opens=True, before="/"),
        Step(
            "词云",
            "a theme",
            lambda t, i: choose(t.page, "stMultiSelect", "主题（任一）", i + 1),
            before="/words",
        ),
        Step("词云", "a date range", lambda t, i: date_range(t.page, "日期范围", *y[i % len(y)])),
        Step(
            "词云",
            "pick a word",
            lambda t, i: choose(
                t.page, "stSelectbox", "选择一个词（或在词频表、柱状图中点选；也可输入任意文字）", i + 1
            ),
        ),
        Step("词云", "compare periods", lambda t, i: toggle(t.page, "两个时期对比")),
        Step("人物", "open by URL", lambda t, i: t.goto("/people"), opens=True, before="/"),
        Step("人物", "open from the sidebar", lambda t, i: sidebar(t.page, "人物"), opens=True, before="/"),
        Step(
            "人物",
            "a kind",
            lambda t, i: choose(t.page, "stMultiSelect", "类别", i % 3),
            before="/people",
            warm_up=False,  # three kinds, three counted passes: each pass a view not cached before
        ),
        Step("人物", "a date range", lambda t, i: date_range(t.page, "见报日期范围", *y[i % len(y)])),
        Step("人物", "pick a name", lambda t, i: table_row(t.page, i)),
        Step("简报", "open by URL", lambda t, i: t.goto("/brief"), opens=True, before="/"),
        Step("简报", "open from the sidebar", lambda t, i: sidebar(t.page, "简报"), opens=True, before="/"),
        Step(
            "简报",
            "another month",
            lambda t, i: choose(t.page, "stSelectbox", "月份", 2 + i),
            before="/brief",
        ),
        # 季度 shows the newest quarter, the same in every pass (and the warm-up's): a cached brief
        Step("简报", "a quarter", lambda t, i: radio(t.page, "时期")),
        Step("简报", "another quarter", lambda t, i: choose(t.page, "stSelectbox", "季度", 1 + i)),
        Step("事件", "open by URL", lambda t, i: t.goto("/events"), opens=True, before="/"),
        Step("事件", "open from the sidebar", lambda t, i: sidebar(t.page, "事件"), opens=True, before="/"),
    ]


@dataclass
class Result:
    wall: list[float] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    kb: list[float] = field(default_factory=list)
    browser_cpu: list[float] = field(default_factory=list)
    main_thread: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unchanged: int = 0  # passes whose act changed nothing (no run, nothing sent): not counted


class Sample(NamedTuple):
    wall: float
    runs: int
    cpu: float  # the server's process tree
    kb: float
    browser_cpu: float  # Chromium's process tree (and playwright's driver)
    main_thread: float  # the renderer's main thread (CDP TaskDuration)


def measure(tab: Tab, server: Server, step: Step, i: int) -> Sample:
    if "URL" in step.name:  # a new document: its clock starts at the navigation
        runs0 = tab.state()[3]
        cpu0, bytes0, finished0 = server.cpu(), tab.ws_bytes, len(tab.finished)
        bcpu0, main0 = browser_cpu(server), tab.main_thread_s()
        step.act(tab, i)
        tab.page.wait_for_function("() => window.__pb !== undefined")
        wall, runs = tab.settle(0.0, 0)
    else:
        # Typing into a box or moving through a list is the user's own time: the clock starts when
        # the action is committed (Enter, leaving the box, the click).  Every act returns its commit:
        # a click made before the clock and the counters start let a quick run finish unseen (0 runs,
        # 0 KB for 政策主题 from the sidebar on 2026-12-02 10:05).
        commit = step.act(tab, i)
        runs0, cpu0, bytes0, finished0 = tab.state()[3], server.cpu(), tab.ws_bytes, len(tab.finished)
        bcpu0, main0 = browser_cpu(server), tab.main_thread_s()
        started = tab.now_ms()
        if callable(commit):
            commit()
        wall, runs = tab.settle(started, runs0)
    # The server's own count: every script run (a whole run or a fragment's, finished or cut short by
    # a rerun) ends with one script_finished message; the page attribute can miss back-to-back runs.
    runs = max(runs, len(tab.finished) - finished0)
    main = tab.main_thread_s()
    return Sample(
        wall,
        runs,
        server.cpu() - cpu0,
        (tab.ws_bytes - bytes0) / 1024,
        browser_cpu(server) - bcpu0,
        main - main0 if main >= main0 else main,  # a new renderer counts from 0
    )


def exception_shown(tab: Tab) -> str | None:
    exc = tab.page.locator('[data-testid="stException"]')
    return exc.first.inner_text()[:200] if exc.count() else None


def run_pass(
    tab: Tab, server: Server, chosen: list[Step], i: int, results: dict | None, shots: Path | None
) -> None:
    for step in pass_steps(chosen, counted=results is not None):
        if step.before is not None:
            finished = len(tab.finished)
            tab.goto(step.before)
            tab.page.wait_for_function("() => window.__pb !== undefined")
            # the page it starts from has finished its run (a click racing that first run was lost
            # or counted nothing: 0 runs, 0 KB in some passes of 2026-12-02 04:48)
            until = time.monotonic() + TIMEOUT_S
            while len(tab.finished) == finished and time.monotonic() < until:
                tab.page.wait_for_timeout(50)
            tab.settle(0.0, 0)
        try:
            m = measure(tab, server, step, i)
        except Exception as exc:  # noqa: BLE001 - report and go on with the next step
            if results is not None:
                results.setdefault((step.page, step.name), Result()).errors.append(
                    f"{type(exc).__name__}: {exc}"[:300]
                )
            print(f"  {step.page} · {step.name}: FAILED {type(exc).__name__}: {str(exc)[:200]}", flush=True)
            continue
        problem = exception_shown(tab)
        if m.runs == 0 and m.kb < 1 and not step.opens:
            # the act chose what the page already showed (the same word or month again on a small
            # corpus): nothing to wait for, not a measurement of the interaction
            if results is not None:
                results.setdefault((step.page, step.name), Result()).unchanged += 1
            print(
                f"  {step.page} · {step.name}: nothing changed (no run, nothing sent): not counted",
                flush=True,
            )
            continue
        if results is not None:
            r = results.setdefault((step.page, step.name), Result())
            r.wall.append(m.wall)
            r.runs.append(m.runs)
            r.cpu.append(m.cpu)
            r.kb.append(m.kb)
            r.browser_cpu.append(m.browser_cpu)
            r.main_thread.append(m.main_thread)
            if problem:
                r.errors.append(problem)
        if shots is not None and i == 0:
            tab.page.screenshot(path=str(shots / f"{step.page}-{step.name.replace(' ', '_')}.png"))
        print(
            f"  {step.page} · {step.name}: {m.wall:.2f} s, {m.runs} run(s), CPU {m.cpu:.2f} s, {m.kb:,.0f} KB, "
            f"browser CPU {m.browser_cpu:.2f} s (main thread {m.main_thread:.2f} s)",
            flush=True,
        )


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if q < 100 else max(values)


def report(results: dict, chosen: list[Step], load: tuple, meta: dict) -> dict:
    print()
    print(
        f"{'page':<6} {'interaction':<24} {'wall p50':>9} {'p95':>7} {'runs':>6} {'CPU p50':>8} {'p95':>6} {'KB p50':>8} {'browser':>8} {'main':>6}  target"
    )
    rows, misses = [], 0
    for step in chosen:
        r = results.get((step.page, step.name))
        if r is None or not r.wall:
            why = (r.errors[:1] or f"{r.unchanged} pass(es) changed nothing") if r else ""
            print(f"{step.page:<6} {step.name:<24} (no measurement) {why}")
            misses += 1
            continue
        limit = TARGET_OPEN_S if step.opens else TARGET_WALL_S
        runs = max(r.runs)
        ok = (
            pct(r.wall, 95) <= limit
            and (step.opens or (pct(r.cpu, 95) <= TARGET_CPU_S and runs <= 1))
            and not r.errors
        )
        misses += not ok
        print(
            f"{step.page:<6} {step.name:<24} {pct(r.wall, 50):8.2f}s {pct(r.wall, 95):6.2f}s "
            f"{'/'.join(map(str, r.runs)):>6} {pct(r.cpu, 50):7.2f}s {pct(r.cpu, 95):5.2f}s {pct(r.kb, 50):8,.0f} {pct(r.browser_cpu, 50):7.2f}s {pct(r.main_thread, 50):5.2f}s  "
            f"{'PASS' if ok else 'MISS'} (≤ {limit:g} s{'' if step.opens else ', ≤ 0.3 s CPU, 1 run'})"
            + (f"  errors: {r.errors[0][:80]}" if r.errors else "")
            + (f"  ({r.unchanged} pass(es) changed nothing)" if r.unchanged else "")
        )
        rows.append(
            {
                "page": step.page,
                "interaction": step.name,
                "opens": step.opens,
                "wall_s": r.wall,
                "runs": r.runs,
                "cpu_s": r.cpu,
                "kb": r.kb,
                "browser_cpu_s": r.browser_cpu,
                "main_thread_s": r.main_thread,
                "errors": r.errors,
                "unchanged_passes": r.unchanged,
                "pass": ok,
            }
        )
    print(
        f"\nload average before {load[0]}, after {load[1]}; {meta['server_rss_mb']:.0f} MB server RSS at the end"
    )
    print(f"{misses} interaction(s) miss their target")
    return {"rows": rows, "load_before": load[0], "load_after": load[1], **meta}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=OUT / "corpus10y")
    ap.add_argument("--cache", type=Path, default=OUT / "pages-cache")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--only", default="", help="pages to run, by Chinese title or URL path (themes), comma-separated"
    )
    ap.add_argument("--shots", type=Path, default=None, help="screenshot of each step of the first pass")
    ap.add_argument("--json", type=Path, default=OUT / "pages.json")
    ap.add_argument("--port", type=int, default=0, help="the server's port (default: a free one)")
    ap.add_argument(
        "--checkout",
        type=Path,
        default=ROOT,
        help="serve the dashboard of this checkout (e.g. `git archive` of an older commit): before/after on one machine state",
    )
    args = ap.parse_args(argv)
    args.corpus, args.cache = args.corpus.resolve(), args.cache.resolve()  # the server runs in --checkout

    from playwright.sync_api import sync_playwright

    ensure_corpus(args.corpus)
    ensure_cache(args.corpus, args.cache)
    wanted = {
        PAGE_PATHS.get(name.strip().strip("/"), name.strip()) for name in args.only.split(",") if name.strip()
    }
    days = corpus_days(args.corpus, args.cache)
    ranges = date_ranges(days) or [("2019-01-01", "2019-12-31")]  # an undated corpus: any range
    print(f"{len(days):,} days with pages; date ranges {ranges}", flush=True)
    chosen = [s for s in steps(ranges) if not wanted or s.page in wanted]
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    server = Server(args.corpus, args.cache, OUT / "pages-server.log", args.port, args.checkout.resolve())
    results: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=CHROMIUM_ARGS,
                env={**os.environ, "FONTCONFIG_FILE": str(write_fonts_conf(OUT / "pages-fonts"))},
            )
            tab = Tab(browser, server.url)
            print("warm-up pass (not counted) …", flush=True)
            run_pass(tab, server, chosen, len(QUERIES) - 1, None, None)
            load_before = tuple(round(x, 2) for x in os.getloadavg())
            for i in range(args.repeats):
                print(f"pass {i + 1} of {args.repeats} …", flush=True)
                run_pass(tab, server, chosen, i, results, args.shots)
            load_after = tuple(round(x, 2) for x in os.getloadavg())
            tab.close()
            browser.close()
        meta = {
            "corpus": str(args.corpus),
            "checkout": str(args.checkout.resolve()),
            "repeats": args.repeats,
            "date_ranges": ranges,
            "server_rss_mb": server.rss_mb(),
        }
    finally:
        server.stop()
    out = report(results, chosen, (load_before, load_after), meta)
    args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
