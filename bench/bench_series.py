"""政策主题's timeline work (issue 15): the server compute of the page's reruns on the ten-year corpus.

    .venv/bin/python bench/bench_series.py [--corpus DIR] [--cache DIR] [--repeats 5] [--json PATH]
    .venv/bin/python bench/bench_series.py --profile "8 series"       # cProfile of one step, top 25

The dashboard runs in ``streamlit.testing.v1.AppTest`` in a fresh process (``PINGHU_DATA_DIR`` and
``PINGHU_CACHE_DIR`` set; the cache warm, as after ``pinghu ingest``): 政策主题 is opened by URL with
three themes, opened again (every per-corpus build done: theme hits, slogans, the search index), then
each pass times one script run per step —

* **1 series / 2 series / 8 series**: one 文章检索 query typed into the 检索式 box, then a second, then
  five (three themes and five queries: the most one chart takes);
* **event off / event on**: a category of data/events.toml ticked in 不显示的事件类别, then unticked
  (eight series on the chart);
* **granularity**: 时间粒度 switched (week, quarter, year …) with the eight series present;
* **scope lead / weighted measure / scope all**: 范围 switched to 仅头条, then 计量方式 to 按显著度加权的比例
  (the prominence switch), then 范围 back to 全部版面 (still weighted);
* **trends open / trend period / trend vs period**: 上升与下降 opened (every theme, and the query
  series), then its 关注时期 moved to a year, then its 对照时期 to the year two before.

Every pass uses other queries (built from the theme dictionary's keywords, in the three forms of the
文章检索 syntax), another granularity and another period, so a step is not a cache hit of a previous
pass; between passes the page is put back (queries emptied, 上升与下降 closed: untimed runs).

Per step the figures ``apptest_steps`` measures — the script run's CPU in Streamlit's runner thread
(so not the background thread that builds the word index of 上升与下降's words, once), the process's
CPU, wall, script runs, the load — with p50/p95 over the passes, and PASS/MISS against ≤ 300 ms script
CPU at p95, however many runs (issue 15: “adding a query series, toggling events … answers in ≤ 300 ms
of server compute”).  Figures go to ``bench/out/series.json``.
"""

from __future__ import annotations

import datetime as dt
import sys

import apptest_steps as steps

CACHE = steps.OUT / "cache10y-series"  # this bench's own cache, filled by pinghu ingest when empty
RESULT = steps.OUT / "series.json"
if str(steps.ROOT) not in sys.path:
    sys.path.insert(0, str(steps.ROOT))
THEMES = ("civilized-city", "epidemic", "major-projects")
STEPS = (
    "1 series",
    "2 series",
    "8 series",
    "event off",
    "event on",
    "granularity",
    "scope lead",
    "weighted measure",
    "scope all",
    "trends open",
    "trend period",
    "trend vs period",
)
GRANULARITIES = ("week", "quarter", "year")  # from month (tl.GRANULARITIES)


def query_pool(passes: int) -> list[list[str]]:
    """Five queries per pass, from the theme dictionary's keywords: a word, ``A -B``, ``A|B``, a
    phrase, ``A B`` (every pass other words, so no pass reads another's cached hits)."""
    from pinghu_core.themes import dictionary as th

    words = [k for t in th.load_themes(th.DEFAULT_THEMES_PATH).themes for k in t.keywords if len(k) >= 2]
    words = list(dict.fromkeys(words))
    out = []
    for p in range(passes):
        w = [words[(p * 9 + i) % len(words)] for i in range(9)]
        out.append([w[0], f"{w[1]} -{w[2]}", f"{w[3]}|{w[4]}", f'"{w[5]}"', f"{w[6]} {w[7]}|{w[8]}"])
    return out


def trend_years(last: dt.date, p: int) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """关注时期 for a pass: a year counted back from the corpus' last year."""
    year = last.year - 1 - (p % 5)
    return (dt.date(year, 1, 1), dt.date(year, 12, 31)), (dt.date(year - 2, 1, 1), dt.date(year - 2, 12, 31))


def act(at, step: str, queries: list[str], category: str, granularity: str, periods: tuple) -> None:
    """Set the widget of ``step`` (the run follows)."""
    from pinghu_app.state import Keys

    if step.endswith(" series"):
        at.multiselect(key=Keys.THEMES_QUERIES).set_value(queries[: {"1": 1, "2": 2, "8": 5}[step[0]]])
    elif step == "event off":
        at.multiselect(key=Keys.THEMES_HIDE_EVENTS).set_value([category])
    elif step == "event on":
        at.multiselect(key=Keys.THEMES_HIDE_EVENTS).set_value([])
    elif step == "granularity":
        at.radio(key=Keys.THEMES_GRANULARITY).set_value(granularity)
    elif step == "scope lead":  # 仅头条 (issue 15.3's prominence switch)
        at.radio(key=Keys.THEMES_SCOPE).set_value("lead")
    elif step == "weighted measure":
        at.radio(key=Keys.THEMES_MEASURE).set_value("share_weighted")
    elif step == "scope all":
        at.radio(key=Keys.THEMES_SCOPE).set_value("all")
    elif step == "trends open":
        at.toggle(key=Keys.THEMES_TRENDS).set_value(True)
    elif step == "trend period":
        at.date_input(key=Keys.THEMES_TREND_PERIOD).set_value(periods[0])
    elif step == "trend vs period":
        at.date_input(key=Keys.THEMES_TREND_VS).set_value(periods[1])


def run_passes(passes: int, profile_step: str | None, profile_sort: str = "cumulative") -> dict:
    """The child: the page in AppTest, every step of every pass timed."""
    from pinghu_app.state import Keys
    from pinghu_core.events import model as ev

    events = ev.load_events(ev.events_path())
    categories = events.categories()
    pool = query_pool(passes + 1)
    steps.instrument(profile=profile_step is not None)
    out: dict = {"opens": {}, "steps": {s: [] for s in STEPS}, "errors": []}
    at = steps.new_session()
    at.query_params["themes"] = ",".join(THEMES)
    at.query_params["granularity"] = "month"
    out["opens"]["dashboard (总览, the load)"] = steps.timed_run(at)
    at.switch_page("pages/themes.py")
    out["opens"]["政策主题 first open"] = steps.timed_run(at)
    out["opens"]["政策主题 warm rerun"] = steps.timed_run(at)
    last = at.date_input(key=Keys.THEMES_DATES).value[1]
    # one untimed pass: the queries' own caches and Streamlit's first drawing of each widget
    warm = pool[-1]
    at.multiselect(key=Keys.THEMES_QUERIES).set_value(warm[:5]).run()
    at.toggle(key=Keys.THEMES_TRENDS).set_value(True).run()
    at.toggle(key=Keys.THEMES_TRENDS).set_value(False).run()
    at.multiselect(key=Keys.THEMES_QUERIES).set_value([]).run()
    for p in range(passes):
        queries = pool[p]
        later, earlier = trend_years(last, p)
        category = categories[p % len(categories)]
        granularity = GRANULARITIES[p % len(GRANULARITIES)]
        for step in STEPS:
            act(at, step, queries, category, granularity, (later, earlier))
            try:
                figures = steps.timed_run(at, profile=step == profile_step)
            except ValueError as exc:  # AppTest could not read a widget back: say which
                boxes = [(b.key, b.value) for b in (*at.selectbox, *at.radio)]
                raise RuntimeError(f"pass {p}, step {step}: {exc}; select boxes and radios {boxes}") from exc
            figures["series"] = len(at.multiselect(key=Keys.THEMES_QUERIES).value) + len(THEMES)
            out["steps"][step].append(figures)
            out["errors"] += [f"pass {p} {step}: {e.value}" for e in at.exception]
        if p == 0:
            out["check"] = {
                "warnings": [w.value for w in at.warning],
                "url": {k: at.query_params[k] for k in at.query_params},
                "trend_vs": str(earlier),
            }
        # back to the start, untimed: no queries, 上升与下降 closed, month
        at.toggle(key=Keys.THEMES_TRENDS).set_value(False)
        at.multiselect(key=Keys.THEMES_QUERIES).set_value([])
        at.radio(key=Keys.THEMES_MEASURE).set_value("share_news")
        at.radio(key=Keys.THEMES_GRANULARITY).set_value("month").run()
    report = steps.profile_report(profile_sort)
    if report is not None:
        out["profile"] = report
    return out


def summary(result: dict) -> tuple[list[str], bool]:
    return steps.summary(
        result,
        30,
        one_run=False,
        extra=lambda runs: {"series": runs[0]["series"]},
        label=lambda step, f: f"{step} ({f['series']} series)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = steps.options(__doc__, STEPS, cache=CACHE, result=RESULT, repeats=5)
    args = parser.parse_args(argv)
    if args.child:
        return steps.report_to_parent(run_passes(args.repeats, args.profile, args.profile_sort))
    return steps.run_parent(args, __file__, summary)


if __name__ == "__main__":
    raise SystemExit(main())
