"""词云's interactions (issue 14): the server CPU of the page's script runs on the ten-year corpus.

    .venv/bin/python bench/bench_words_page.py [--corpus DIR] [--cache DIR] [--repeats 3] [--json PATH]
    .venv/bin/python bench/bench_words_page.py --profile "a theme"        # cProfile of one step, top 60
    .venv/bin/python bench/bench_words_page.py --checkout DIR              # another checkout's page
    BENCH_PROFILE_DUMP=/tmp/step.prof .venv/bin/python bench/bench_words_page.py --profile weight

The dashboard runs in ``streamlit.testing.v1.AppTest`` in a fresh process (``PINGHU_DATA_DIR`` and
``PINGHU_CACHE_DIR`` set; the cache warm, as after ``pinghu ingest``): 词云 is opened, opened again
(every per-corpus build done), one untimed pass warms what is built once per process (the font, the
countable terms, the theme hits), then each pass times one script run per step — the interactions of
``bench_pages.py`` and a few more:

* **a theme**: one theme ticked in 主题（任一） (another each pass);
* **a date range**: 日期范围 set to another year or half-year each pass (the theme still ticked);
* **pick a word**: a word of the term table chosen in the KWIC select box (another each pass);
* **compare periods**: 两个时期对比 switched on (two clouds on one scale, the rising terms);
* **move a period**: 后期 moved to its last quarter (one cloud and the rising terms change);
* **weight**: 字号依据 switched to TF-IDF (in the comparison);
* **compare off**: back to one cloud (by TF-IDF).

Each pass starts in a new session (no theme, the whole range, no word: an untimed open), as
``bench_pages.py`` opens /words before its pass; the picked word stays for the steps after it.

Per step the figures ``apptest_steps`` measures (the script run's CPU in Streamlit's runner thread,
the process's CPU, wall, script runs, the load), with what the step set; p50/p95 over the passes and
PASS/MISS against ≤ 300 ms script CPU at p95 and one script run (issue 14).  Figures go to
``bench/out/words_page.json``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import apptest_steps as steps

CACHE = steps.OUT / "cache-words"  # this bench's own cache, filled by pinghu ingest when empty
RESULT = steps.OUT / "words_page.json"
STEPS = (
    "a theme",
    "a date range",
    "pick a word",
    "compare periods",
    "move a period",
    "weight",
    "compare off",
)
YEARS = [  # as bench_pages.YEARS, then more (one per pass, the warm-up pass the last)
    (dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
    (dt.date(2021, 3, 1), dt.date(2021, 8, 31)),
    (dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
    (dt.date(2017, 1, 1), dt.date(2018, 12, 31)),
    (dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
    (dt.date(2020, 1, 1), dt.date(2020, 9, 30)),
]


def act(at, step: str, p: int, theme_options: list[str]) -> str:
    """Set the widget of ``step`` for pass ``p`` (the run follows); what was set, for the record."""
    from pinghu_app.state import Keys

    if step == "a theme":
        theme = theme_options[(p + 1) % len(theme_options)]
        at.multiselect(key=Keys.WORDS_THEMES).set_value([theme])
        return theme
    if step == "a date range":
        start, end = YEARS[p % len(YEARS)]
        at.date_input(key=Keys.WORDS_DATES).set_value((start, end))
        return f"{start}–{end}"
    if step == "pick a word":
        box = at.selectbox(key=Keys.WORDS_WORD)
        word = box.options[(p + 1) % len(box.options)]
        box.set_value(word)
        return word
    if step == "compare periods":
        at.toggle(key=Keys.WORDS_COMPARE).set_value(True)
        return "on"
    if step == "move a period":
        b_start, b_end = at.date_input(key=Keys.WORDS_PERIOD_B).value
        start = b_end - (b_end - b_start) / 4
        at.date_input(key=Keys.WORDS_PERIOD_B).set_value((start, b_end))
        return f"{start}–{b_end}"
    if step == "weight":
        at.radio(key=Keys.WORDS_WEIGHT).set_value("tfidf")
        return "tfidf"
    if step == "compare off":
        at.toggle(key=Keys.WORDS_COMPARE).set_value(False)
        return "off"
    raise ValueError(step)


def one_pass(at, p: int, theme_options: list[str], out: dict | None, profile_step: str | None) -> None:
    for step in STEPS:
        what = act(at, step, p, theme_options)
        figures = steps.timed_run(at, profile=step == profile_step and out is not None)
        figures["value"] = what
        if out is not None:
            out["steps"][step].append(figures)
            out["errors"] += [f"pass {p} {step}: {e.value}" for e in at.exception]
        elif at.exception:
            raise RuntimeError(f"warm-up {step}: {[e.value for e in at.exception]}")


def run_passes(passes: int, profile_step: str | None, profile_sort: str, app: Path) -> dict:
    """The child: the page in AppTest, every step of every pass timed."""
    from pinghu_core.themes import dictionary as th

    steps.instrument(profile=profile_step is not None)
    out: dict = {"opens": {}, "steps": {s: [] for s in STEPS}, "errors": []}
    at = steps.new_session(app)
    out["opens"]["dashboard (总览, the load)"] = steps.timed_run(at)
    at.switch_page("pages/words.py")
    out["opens"]["词云 first open"] = steps.timed_run(at)
    if at.get("progress"):
        raise RuntimeError("the word index is not warm: run pinghu ingest with this cache first")
    out["opens"]["词云 warm rerun"] = steps.timed_run(at)
    theme_options = [t.id for t in th.load_themes().themes]  # the widget's options are its labels
    one_pass(at, passes, theme_options, None, None)  # warm-up: values no timed pass uses
    for p in range(passes):
        at = steps.open_page("pages/words.py", app)  # no theme, the whole range, no word
        one_pass(at, p, theme_options, out, profile_step)
    out["themes"] = theme_options
    report = steps.profile_report(profile_sort, dump=os.environ.get("BENCH_PROFILE_DUMP"))
    if report is not None:
        out["profile"] = report
    return out


def summary(result: dict) -> tuple[list[str], bool]:
    return steps.summary(result, 28, extra=lambda runs: {"values": [r["value"] for r in runs]})


def main(argv: list[str] | None = None) -> int:
    parser = steps.options(__doc__, STEPS, cache=CACHE, result=RESULT, repeats=3)
    parser.add_argument("--checkout", type=Path, default=steps.ROOT, help="the checkout whose dashboard runs")
    args = parser.parse_args(argv)
    app = args.checkout.resolve()
    if args.child:
        return steps.report_to_parent(run_passes(args.repeats, args.profile, args.profile_sort, app))
    return steps.run_parent(
        args,
        __file__,
        summary,
        child_args=["--checkout", str(app)],
        cwd=app,
        env={"PINGHU_CACHE_DIR": str(args.cache.resolve()), "PYTHONPATH": str(app)},
        about={"checkout": str(app)},
    )


if __name__ == "__main__":
    raise SystemExit(main())
