"""政策主题 and 项目进度's slow interactions (issue 14): the server CPU of each one's script run on the
ten-year corpus, in AppTest.

    .venv/bin/python bench/bench_interactions.py [--corpus DIR] [--cache DIR] [--repeats 3] [--json PATH]
    .venv/bin/python bench/bench_interactions.py --profile "themes: choose a period"   # cProfile, top 60

The interactions are bench_pages.py's, on the same widgets, in the same order, each pass on a fresh
session (bench_pages opens the page by URL before the first of them):

* **政策主题** (``pages/themes.py``): *a theme* (one more theme ticked in 主题), *granularity* (时间粒度
  moved one or two places: quarter or year), *measure* (计量方式 moved one place: 占当期头版字数的比例),
  *a date range* (日期范围), *choose a period* — the select box 选择时段（或点击时间线上的数据点）
  (``Keys.THEMES_PERIOD``), which sits in the ``st.fragment`` 时段内的文章: in the browser choosing
  a period reruns that fragment only, and so it does here (a fragment-scoped rerun, as the browser
  asks for it: the widget states of the whole page, the fragment's id queued);
* **项目进度** (``pages/progress.py``): *a date range* (见报日期范围), *a subject* (主体), *a project*
  (项目).

One warm-up pass (not counted: each page's once-per-process work, the first drawing of every
widget), then ``--repeats`` passes, each with other values (another theme, granularity, years,
period, subject, project), so no step is only a cache hit of an earlier pass.

Per step: **CPU**, the script run's CPU seconds in the thread that runs it (``time.thread_time`` in
Streamlit's runner thread: the server's compute for the rerun, without AppTest's bookkeeping), the
whole process's CPU beside it, wall, **runs** (script runs: a fragment's run counts) and **KB**, the
bytes of the forward messages the run sends (the page's elements: what the browser receives and
draws; Streamlit's message cache, which lets a browser reuse an element it already has, is not
modelled), with the largest element kinds.  p50/p95 over the passes; PASS/MISS against ≤ 300 ms CPU at
p95 and one script run (issue 14).  The load average is printed with every figure: the machine is
shared, CPU seconds are steadier than wall.  Figures go to ``bench/out/interactions.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CORPUS = Path("/work/main/bench/out/corpus10y")
CACHE = OUT / "cache-pt"  # a copy of /work/main/bench/out/cache10y-v2 (never written there)
RESULT = OUT / "interactions.json"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TARGET_MS = 300.0
THEME_STEPS = (
    "themes: a theme",
    "themes: granularity",
    "themes: measure",
    "themes: a date range",
    "themes: choose a period",
)
PROGRESS_STEPS = ("progress: a date range", "progress: a subject", "progress: a project")
STEPS = THEME_STEPS + PROGRESS_STEPS
# bench_pages.py's years, then others for the warm-up pass and passes beyond four
YEARS = [
    ("2019-01-01", "2019-12-31"),
    ("2021-03-01", "2021-08-31"),
    ("2024-01-01", "2024-06-30"),
    ("2017-01-01", "2018-12-31"),
    ("2022-01-01", "2022-12-31"),
    ("2020-04-01", "2020-11-30"),
    ("2023-06-01", "2023-12-31"),
]
WARM = len(YEARS) - 1  # the warm-up pass' index: values no counted pass takes


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)


SCRIPT_CPU: list[float] = []  # CPU seconds of each script run, in Streamlit's runner thread
SENT: Counter = Counter()  # bytes of the forward messages enqueued, by element kind ('' = the total)
PROFILE: dict = {"on": False, "profiler": None}


def instrument() -> None:
    """Time every script run in its own thread (and profile it when asked), and count the bytes of
    every forward message the runs enqueue."""
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.ScriptRunner._run_script

    def run_script(self, rerun_data):
        profiler = PROFILE["profiler"] if PROFILE["on"] else None
        start = time.thread_time()
        if profiler is not None:
            profiler.enable()
        try:
            return original(self, rerun_data)
        finally:
            if profiler is not None:
                profiler.disable()
            SCRIPT_CPU.append(time.thread_time() - start)

    script_runner.ScriptRunner._run_script = run_script
    enqueue = ForwardMsgQueue.enqueue

    def counted(self, msg):
        size = msg.ByteSize()
        SENT[""] += size
        if msg.HasField("delta") and msg.delta.HasField("new_element"):
            SENT[msg.delta.new_element.WhichOneof("type") or "?"] += size
        return enqueue(self, msg)

    ForwardMsgQueue.enqueue = counted


def fragment_id(at, name: str) -> str:
    """The id of the page's fragment whose function is ``name`` (from AppTest's fragment storage)."""
    storage = at._fragment_storage
    for fid, fragment in storage._fragments.items():
        cells = [c.cell_contents for c in (getattr(fragment, "__closure__", None) or ())]
        if any(getattr(c, "__name__", "") == name for c in cells):
            return fid
    raise LookupError(f"no fragment {name!r} among {list(storage._fragments)}")


def fragment_run(at, name: str) -> None:
    """Rerun only the fragment ``name`` with the page's widget states, as the browser does when a
    widget inside it changes; the page's tree is kept for the next steps (the fragment's run holds
    its own elements only)."""
    from streamlit.testing.v1 import local_script_runner

    fid = fragment_id(at, name)
    tree = at._tree
    rerun_data = local_script_runner.RerunData
    local_script_runner.RerunData = functools.partial(rerun_data, fragment_id_queue=[fid])
    try:
        at._run(tree.get_widget_states())
    finally:
        local_script_runner.RerunData = rerun_data
    fragment_tree = at._tree
    at._tree = tree
    at.fragment_exceptions = [e.value for e in fragment_tree.exception]


def timed(at, fragment: str | None = None) -> dict:
    wall, cpu, runs = time.perf_counter(), time.process_time(), len(SCRIPT_CPU)
    sent = SENT.copy()
    load = loadavg()
    if fragment:
        fragment_run(at, fragment)
    else:
        at.run()
    kinds = SENT - sent
    total = kinds.pop("", 0)
    return {
        "wall_ms": round((time.perf_counter() - wall) * 1000, 1),
        "cpu_ms": round(sum(SCRIPT_CPU[runs:]) * 1000, 1),
        "process_cpu_ms": round((time.process_time() - cpu) * 1000, 1),
        "runs": len(SCRIPT_CPU) - runs,
        "kb": round(total / 1024, 1),
        "largest": {k: round(v / 1024, 1) for k, v in kinds.most_common(3)},
        "load": max(load, loadavg()),
    }


def open_page(page: str):
    """A fresh session on ``page`` (as bench_pages opens it by URL), its first runs untimed."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=3600)
    at.run()
    at.switch_page(page)
    at.run()
    return at


def days(pair: tuple[str, str]) -> tuple[dt.date, dt.date]:
    return dt.date.fromisoformat(pair[0]), dt.date.fromisoformat(pair[1])


def choose(box, index: int) -> None:
    """Pick the ``index``-th entry of a select box (wrapping round).  AppTest's ``select_index`` sets
    the shown label, not the value, when the box has a ``format_func``: the pages' boxes format with
    a dict's ``get``, whose keys are the values."""
    mapping = getattr(box.format_func, "__self__", None)
    values = list(mapping) if isinstance(mapping, dict) else list(box.options)
    box.set_value(values[index % len(values)])


def next_option(options: list, current, step: int = 1):
    return options[(options.index(current) + step) % len(options)]


def theme_pass(p: int, figures: dict, errors: list) -> None:
    """政策主题's five steps on a fresh session, pass ``p``'s values."""
    from pinghu_app.state import Keys
    from pinghu_core.themes import dictionary as th
    from pinghu_core.themes import timeline as tl

    theme_ids = th.load_themes(th.DEFAULT_THEMES_PATH).ids
    at = open_page("pages/themes.py")
    for step in THEME_STEPS:
        PROFILE["on"] = step == PROFILE.get("step")
        fragment = None
        if step == "themes: a theme":  # the (p+2)-th theme not ticked yet, in the dictionary's order
            box = at.multiselect(key=Keys.THEMES_SELECTED)
            free = [t for t in theme_ids if t not in box.value]
            box.select(free[(p + 2) % len(free)])
        elif step == "themes: granularity":
            radio = at.radio(key=Keys.THEMES_GRANULARITY)
            radio.set_value(next_option(list(tl.GRANULARITIES), radio.value, 1 + p % 2))
        elif step == "themes: measure":
            radio = at.radio(key=Keys.THEMES_MEASURE)
            radio.set_value(next_option(list(tl.MEASURES), radio.value))
        elif step == "themes: a date range":
            at.date_input(key=Keys.THEMES_DATES).set_value(days(YEARS[p]))
        elif step == "themes: choose a period":
            box = at.selectbox(key=Keys.THEMES_PERIOD)
            options = box.options
            if not options:
                errors.append(f"pass {p}: no period to choose")
                continue
            choose(box, p)
            fragment = "period_and_reader"
        try:
            f = timed(at, fragment)
        finally:
            PROFILE["on"] = False
        f["view"] = {
            "themes": len(at.multiselect(key=Keys.THEMES_SELECTED).value),
            "granularity": at.radio(key=Keys.THEMES_GRANULARITY).value,
            "measure": at.radio(key=Keys.THEMES_MEASURE).value,
            "dates": [str(d) for d in at.date_input(key=Keys.THEMES_DATES).value],
            "period": at.selectbox(key=Keys.THEMES_PERIOD).value,
        }
        figures[step].append(f)
        errors += [f"pass {p} {step}: {e.value}" for e in at.exception]
        errors += [f"pass {p} {step} (fragment): {e}" for e in getattr(at, "fragment_exceptions", [])]
        at.fragment_exceptions = []


def progress_pass(p: int, figures: dict, errors: list) -> None:
    """项目进度's three steps on a fresh session, pass ``p``'s values."""
    from pinghu_app.state import Keys

    at = open_page("pages/progress.py")
    for step in PROGRESS_STEPS:
        PROFILE["on"] = step == PROFILE.get("step")
        if step == "progress: a date range":
            at.date_input(key=Keys.PROGRESS_DATES).set_value(days(YEARS[p]))
        elif step == "progress: a subject":
            choose(at.selectbox(key=Keys.PROGRESS_SUBJECT), p + 1)
        elif step == "progress: a project":
            choose(at.selectbox(key=Keys.PROGRESS_PROJECT), p + 1)
        try:
            f = timed(at)
        finally:
            PROFILE["on"] = False
        f["view"] = {
            "dates": [str(d) for d in at.date_input(key=Keys.PROGRESS_DATES).value],
            "subject": at.selectbox(key=Keys.PROGRESS_SUBJECT).value,
            "project": at.selectbox(key=Keys.PROGRESS_PROJECT).value,
        }
        figures[step].append(f)
        errors += [f"pass {p} {step}: {e.value}" for e in at.exception]


def run_passes(passes: int, profile_step: str | None, profile_sort: str, pages: str) -> dict:
    """The child: every step of every pass timed (the warm-up pass first, not kept)."""
    instrument()
    if profile_step:
        PROFILE["profiler"], PROFILE["step"] = cProfile.Profile(), profile_step
    out: dict = {"steps": {s: [] for s in STEPS}, "errors": []}
    warm: dict = {s: [] for s in STEPS}
    for p in [WARM, *range(passes)]:
        figures = warm if p == WARM else out["steps"]
        if pages in ("all", "themes"):
            theme_pass(p, figures, out["errors"])
        if pages in ("all", "progress"):
            progress_pass(p, figures, out["errors"])
    out["warm_up"] = warm
    if PROFILE["profiler"] is not None:
        text = io.StringIO()
        stats = pstats.Stats(PROFILE["profiler"], stream=text).sort_stats(profile_sort)
        stats.print_stats(60)
        stats.print_stats(r"pinghu_|/pages/|streamlit/elements", 40)  # the project's calls and the elements
        out["profile"] = text.getvalue()
    return out


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def summary(result: dict) -> tuple[list[str], bool]:
    lines = [
        f"{'step':<26} {'CPU p50':>8} {'CPU p95':>8} {'proc p50':>8} {'wall p50':>9} {'wall p95':>9} "
        f"{'runs':>4} {'KB p50':>8} {'load':>5}  verdict (CPU p95 ≤ {TARGET_MS:g} ms, one run)  largest elements"
    ]
    ok = True
    figures = {}
    for step, runs in result["child"]["steps"].items():
        if not runs:
            continue
        cpu = [r["cpu_ms"] for r in runs]
        wall = [r["wall_ms"] for r in runs]
        f = {
            "cpu_p50": statistics.median(cpu),
            "cpu_p95": percentile(cpu, 95),
            "wall_p50": statistics.median(wall),
            "wall_p95": percentile(wall, 95),
            "process_cpu_p50": statistics.median(r["process_cpu_ms"] for r in runs),
            "runs": max(r["runs"] for r in runs),
            "kb_p50": statistics.median(r["kb"] for r in runs),
            "load": max(r["load"] for r in runs),
        }
        figures[step] = f
        passed = f["cpu_p95"] <= TARGET_MS and f["runs"] == 1
        ok &= passed
        largest = ", ".join(f"{k} {v:,.0f}" for k, v in runs[len(runs) // 2]["largest"].items())
        lines.append(
            f"{step:<26} {f['cpu_p50']:>8.0f} {f['cpu_p95']:>8.0f} {f['process_cpu_p50']:>8.0f} "
            f"{f['wall_p50']:>9.0f} {f['wall_p95']:>9.0f} {f['runs']:>4} {f['kb_p50']:>8.1f} {f['load']:>5.1f}  "
            f"{'PASS' if passed else 'MISS':<40}  {largest}"
        )
    result["figures"] = figures
    if result["child"]["errors"]:
        ok = False
        lines.append(f"exceptions: {result['child']['errors'][:3]}")
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--cache", type=Path, default=CACHE, help="a warm cache (a copy: it may be written)")
    parser.add_argument("--repeats", type=int, default=3, help="passes over every step (default 3)")
    parser.add_argument("--pages", choices=("all", "themes", "progress"), default="all")
    parser.add_argument("--profile", choices=STEPS, help="cProfile this step (every pass), print the top")
    parser.add_argument("--profile-sort", default="cumulative", help="pstats order (tottime: own time)")
    parser.add_argument("--json", type=Path, default=RESULT)
    parser.add_argument("--strict", action="store_true", help="exit 1 on a MISS")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeats > WARM:
        parser.error(f"at most {WARM} passes (each takes other years)")
    if args.child:
        child = run_passes(args.repeats, args.profile, args.profile_sort, args.pages)
        print(json.dumps(child, ensure_ascii=False, default=str))
        return 0
    if not (args.cache.exists() and any(args.cache.iterdir())):
        print(
            f"no warm cache in {args.cache}: copy one (cp -a /work/main/bench/out/cache10y-v2 {args.cache})"
            f" or run PINGHU_CACHE_DIR={args.cache} pinghu ingest {args.corpus}",
            file=sys.stderr,
        )
        return 2
    env = {**os.environ, "PINGHU_DATA_DIR": str(args.corpus), "PINGHU_CACHE_DIR": str(args.cache)}
    cmd = [sys.executable, __file__, "--child", "--repeats", str(args.repeats), "--pages", args.pages]
    cmd += ["--profile", args.profile, "--profile-sort", args.profile_sort] if args.profile else []
    load_before = os.getloadavg()
    wall = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode != 0:
        print(done.stderr[-4000:], file=sys.stderr)
        return 1
    result = {
        "corpus": str(args.corpus),
        "cache": str(args.cache),
        "repeats": args.repeats,
        "child": json.loads(done.stdout.strip().splitlines()[-1]),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": os.getloadavg(),
            "bench_wall_s": round(time.perf_counter() - wall, 1),
        },
    }
    lines, ok = summary(result)
    print("\n".join(lines))
    print(
        f"load average before/after: {load_before[0]:.2f} / {result['machine']['load_after'][0]:.2f}"
        f" (2 shared cores); {args.repeats} passes; bench wall {result['machine']['bench_wall_s']} s"
    )
    if "profile" in result["child"]:
        print(result["child"]["profile"])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"figures written to {args.json}")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
