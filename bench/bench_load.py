"""Load benchmark: N concurrent browser sessions against one dashboard server (a script, not a test).

    .venv/bin/python bench/bench_load.py [--sessions 20] [--duration 120] [--corpus PATH]

1. the corpus: ``--corpus`` (e.g. /work/main/bench/out/corpus, read only), else bench/out/corpus made
   by ``bench_ingest.ensure_corpus`` (the ten-year synthetic corpus);
2. warms the parse cache (bench/out/load-cache) with ``pinghu ingest`` in a subprocess, so the server
   starts on a warm cache as in production after an upgrade;
3. starts ``streamlit run dashboard.py`` on 127.0.0.1 (local mode) and samples the resident memory of
   its process tree from /proc (``bench_ingest.MemorySampler``) for the whole run;
4. one warm-up visit (the first computation of each page's cached results, timed apart);
5. N sessions, each a context of one headless Debian Chromium (playwright async), started a little
   apart and each repeating, until ``--duration`` seconds have passed:
   open 总览 (URL) → switch to 政策主题 (sidebar) → change a filter (时间粒度) → choose a period →
   open an article → switch to 项目进度 (sidebar);
6. prints p50/p95/max page-ready latency per step and overall, the server's peak memory and the load
   average, against the targets, and writes bench/out/load.json.

Page-ready latency: from the action (click or navigation) to the last change of the page's DOM
before Streamlit reports the script run finished and the page stays quiet (a MutationObserver in
the page records the time of each change).  Browsers and server share this machine's cores, so
the figures include the browsers' own work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CACHE = OUT / "load-cache"
RESULT = OUT / "load.json"
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import bench_ingest  # noqa: E402

# name → (limit, unit, what it is)
TARGETS: dict[str, tuple[float, str, str]] = {
    "p95_ms": (2000.0, "ms", "page-ready latency, 95th percentile, all steps but each session's first open"),
    "peak_rss_mb": (2048.0, "MB", "server process tree, peak resident memory"),
}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
OBSERVER_JS = """
window.__pinghuLast = window.__pinghuDone = performance.timeOrigin + performance.now();
new MutationObserver((records) => {
  const now = performance.timeOrigin + performance.now();
  window.__pinghuLast = now;
  for (const r of records) {
    if (r.attributeName === 'data-test-script-state' && r.target.getAttribute(r.attributeName) === 'notRunning') {
      window.__pinghuDone = now;
    }
  }
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
STATE_JS = """() => [document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') || '',
  window.__pinghuLast || 0, performance.timeOrigin + performance.now(), window.__pinghuDone || 0]"""
THEME_SETS = (
    "major-projects,minsheng",
    "civilized-city,ecology",
    "party-building,sci-tech",
    "epidemic,safety",
)
GRANULARITY = ("季", "年", "周", "月")
QUIET_MS = 600
STEP_TIMEOUT_S = 120


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def warm_cache(corpus: Path, env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pinghu_core", "ingest"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.perf_counter() - t0


def start_server(env: dict, port: int, log: Path) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboard.py"),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return proc
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("server not healthy after 120 s")


async def ready(page, t0_ms: float, heading: str | None = None) -> tuple[float, float]:
    """Wait until the script run has finished and the DOM is quiet.  Returns (page-ready, run-finished)
    latencies in ms from ``t0_ms``: the last DOM change, and the moment the page learnt that the
    server's script run had finished (the last run of the step)."""
    deadline = time.monotonic() + STEP_TIMEOUT_S
    seen_running = False
    while time.monotonic() < deadline:
        await asyncio.sleep(0.15)
        try:
            state, last, now, done = await page.evaluate(STATE_JS)
        except Exception:  # noqa: BLE001 - the page is navigating
            continue
        seen_running = seen_running or state == "running"
        if state != "notRunning" or now - last < QUIET_MS or last < t0_ms:
            continue
        if heading and not await page.get_by_role("heading", name=heading).count():
            continue
        run_done = min(done, last) if done >= t0_ms else last  # no new run seen: the DOM change is all
        return max(last - t0_ms, 0.0), max(run_done - t0_ms, 0.0)
    raise TimeoutError(
        f"not ready after {STEP_TIMEOUT_S} s (heading {heading!r}, saw running: {seen_running})"
    )


def now_ms() -> float:
    return time.time() * 1000


async def choose_first(page, label: str) -> float:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label)
    await box.locator("input").click()
    await page.keyboard.press("ArrowDown")  # opens the combo box's list
    option = page.locator('[role="option"]').first
    await option.wait_for(timeout=STEP_TIMEOUT_S * 1000)
    t0 = now_ms()
    await option.click()
    return t0


async def visit(page, url: str, i: int, record, first: bool = False) -> None:
    """One typical visit; ``record(step, ms)`` for each step.  A session's first open loads the app's
    JavaScript into an empty browser cache: it is recorded as a step of its own."""
    t0 = now_ms()
    await page.goto(url, wait_until="commit")
    record("first open (empty cache)" if first else "open 总览", await ready(page, t0, "语料总览"))
    t0 = now_ms()
    await page.locator('[data-testid="stSidebarNav"]').get_by_text("政策主题").click()
    record("switch to 政策主题", await ready(page, t0, "政策主题"))
    if "themes=" not in page.url or i % 4 == 0:  # a view of one's own (also the URL's themes)
        t0 = now_ms()
        await page.goto(f"{url}/themes?themes={THEME_SETS[i % len(THEME_SETS)]}", wait_until="commit")
        record("open 政策主题 link", await ready(page, t0, "政策主题"))
    t0 = now_ms()
    await (
        page.locator('[data-testid="stRadio"]')
        .filter(has_text="时间粒度")
        .get_by_text(GRANULARITY[i % len(GRANULARITY)], exact=True)
        .click()
    )
    record("change filter", await ready(page, t0, "政策主题"))
    t0 = await choose_first(page, "选择时段")
    record("choose period", await ready(page, t0))
    t0 = await choose_first(page, "查看全文")
    record("open article", await ready(page, t0))
    t0 = now_ms()
    await page.locator('[data-testid="stSidebarNav"]').get_by_text("项目进度").click()
    record("switch to 项目进度", await ready(page, t0, "项目进度"))


async def session(
    browser, url: str, index: int, start_at: float, end_at: float, results: dict, min_visits: int = 0
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    await context.add_init_script(OBSERVER_JS)
    page = await context.new_page()
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    n = 0

    def record(step: str, ms: tuple[float, float]) -> None:
        results["latency"].setdefault(step, []).append(ms[0])
        results["run_done"].setdefault(step, []).append(ms[1])

    try:
        while n < min_visits or time.monotonic() < end_at:
            try:
                await visit(page, url, index + n, record, first=n == 0)
                results["visits"] += 1
            except Exception as exc:  # noqa: BLE001 - counted and reported, the session goes on
                results["errors"].append(f"session {index}: {type(exc).__name__}: {str(exc)[:200]}")
            n += 1
    finally:
        await context.close()


async def drive(url: str, sessions: int, duration: float, ramp: float, sampler) -> dict:
    from playwright.async_api import async_playwright

    results: dict = {"latency": {}, "run_done": {}, "visits": 0, "errors": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            warm: dict = {"latency": {}, "run_done": {}, "visits": 0, "errors": []}
            t0 = time.monotonic()
            await session(browser, url, 0, t0, t0, warm, min_visits=1)  # exactly one visit
            results["rss_after_warmup_mb"] = sampler.peak / 2**20  # one session, every page computed once
            results["warmup"] = {
                "seconds": time.monotonic() - t0,
                "latency": warm["latency"],
                "errors": warm["errors"],
            }
            start = time.monotonic()
            end = start + ramp + duration
            await asyncio.gather(
                *(
                    session(browser, url, i, start + ramp * i / sessions, end, results)
                    for i in range(sessions)
                )
            )
        finally:
            await browser.close()
    return results


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def summary(latency: dict[str, list[float]]) -> dict:
    every = [v for step, vs in latency.items() if not step.startswith("first") for v in vs]
    rows = {
        step: {"n": len(v), "p50_ms": pct(v, 50), "p95_ms": pct(v, 95), "max_ms": max(v)}
        for step, v in latency.items()
    }
    rows["all steps but the first open"] = {
        "n": len(every),
        "p50_ms": pct(every, 50),
        "p95_ms": pct(every, 95),
        "max_ms": max(every) if every else float("nan"),
    }
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load after the ramp")
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which sessions start")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: bench/out/corpus)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if shutil.which("chromium") is None:
        raise SystemExit("Debian chromium not found (apt-get install -y chromium)")
    corpus = args.corpus
    if corpus is None:
        bench_ingest.ensure_corpus(bench_ingest.corpus_params(3650, 0, date(2016, 1, 1)), False)
        corpus = bench_ingest.CORPUS
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PINGHU_DATA_DIR": str(corpus), "PINGHU_CACHE_DIR": str(CACHE)}
    print(f"warming the cache of {corpus} …", flush=True)
    warm_seconds = warm_cache(corpus, env)
    port = free_port()
    load_before = os.getloadavg()
    server = start_server(env, port, OUT / "load-server.log")
    sampler = bench_ingest.MemorySampler(server.pid, interval=0.5)
    sampler.start()
    try:
        print(f"server up; {args.sessions} sessions for {args.duration:.0f} s …", flush=True)
        t0 = time.monotonic()
        results = asyncio.run(
            drive(f"http://127.0.0.1:{port}", args.sessions, args.duration, args.ramp, sampler)
        )
        wall = time.monotonic() - t0
        load_during = os.getloadavg()
    finally:
        sampler.done.set()
        sampler.join()
        server.terminate()
        server.wait(timeout=30)
    rows = summary(results["latency"])
    done_rows = summary(results["run_done"])
    figures = {
        "p95_ms": rows["all steps but the first open"]["p95_ms"],
        "run_done_p95_ms": done_rows["all steps but the first open"]["p95_ms"],
        "peak_rss_mb": sampler.peak / 2**20,
        "rss_after_warmup_mb": results["rss_after_warmup_mb"],
    }
    report = {
        "sessions": args.sessions,
        "duration_s": args.duration,
        "ramp_s": args.ramp,
        "wall_s": wall,
        "corpus": str(corpus),
        "cache_warm_seconds": warm_seconds,
        "visits": results["visits"],
        "errors": results["errors"],
        "warmup": results["warmup"],
        "steps": rows,
        "run_done_steps": done_rows,
        "figures": figures,
        "server_cpu_seconds": sampler.cpu_seconds,
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": load_during,
    }
    RESULT.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(
        f"\n{args.sessions} sessions, {results['visits']} visits, {len(results['errors'])} errors, {wall:.0f} s"
    )
    print(f"{'step':<32}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for step, r in rows.items():
        print(f"{step:<32}{r['n']:>6}{r['p50_ms']:>10.0f}{r['p95_ms']:>10.0f}{r['max_ms']:>10.0f}")
    print("run finished (the page knows the server's last script run of the step is done):")
    for step, r in done_rows.items():
        print(f"{step:<32}{r['n']:>6}{r['p50_ms']:>10.0f}{r['p95_ms']:>10.0f}{r['max_ms']:>10.0f}")
    print(
        f"server peak RSS (process tree): {figures['peak_rss_mb']:.0f} MB "
        f"({figures['rss_after_warmup_mb']:.0f} MB after the one-session warm-up); server CPU {sampler.cpu_seconds:.0f} s"
    )
    print(
        "load average before: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}; {} cores".format(
            *load_before, *load_during, os.cpu_count()
        )
    )
    missed = []
    for name, (limit, unit, what) in TARGETS.items():
        ok = figures[name] < limit
        missed += [] if ok else [name]
        print(f"{'PASS' if ok else 'MISS'}  {what}: {figures[name]:.0f} {unit} (target < {limit:.0f} {unit})")
    for err in results["errors"][:10]:
        print("error:", err)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
