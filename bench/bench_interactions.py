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

Per step the figures ``apptest_steps`` measures, the bytes sent counted too: **CPU** (the script
run's CPU in Streamlit's runner thread), the process's CPU, wall, **runs** (a fragment's run counts),
**KB** (the forward messages the run enqueues: the page's elements) with the largest element kinds,
and the load (here the higher of before and after the run).  p50/p95 over the passes; PASS/MISS
against ≤ 300 ms CPU at p95 and one script run (issue 14).  Figures go to
``bench/out/interactions.json``.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys

import apptest_steps as steps

CACHE = steps.OUT / "cache-pt"  # this bench's own cache, filled by pinghu ingest when empty
RESULT = steps.OUT / "interactions.json"
if str(steps.ROOT) not in sys.path:
    sys.path.insert(0, str(steps.ROOT))
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


def timed(at, fragment: str | None = None, *, profile: bool = False) -> dict:
    """One step's run (a fragment's, if ``fragment``) measured; its load the higher of before and after."""
    load = steps.loadavg()
    f = steps.timed_run(
        at, functools.partial(fragment_run, at, fragment) if fragment else None, profile=profile
    )
    f["load"] = max(load, f["load"])
    return f


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


def theme_pass(p: int, figures: dict, errors: list, profile_step: str | None) -> None:
    """政策主题's five steps on a fresh session, pass ``p``'s values."""
    from pinghu_app.state import Keys
    from pinghu_core.themes import dictionary as th
    from pinghu_core.themes import timeline as tl

    theme_ids = th.load_themes(th.DEFAULT_THEMES_PATH).ids
    at = steps.open_page("pages/themes.py")
    for step in THEME_STEPS:
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
        f = timed(at, fragment, profile=step == profile_step)
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


def progress_pass(p: int, figures: dict, errors: list, profile_step: str | None) -> None:
    """项目进度's three steps on a fresh session, pass ``p``'s values."""
    from pinghu_app.state import Keys

    at = steps.open_page("pages/progress.py")
    for step in PROGRESS_STEPS:
        if step == "progress: a date range":
            at.date_input(key=Keys.PROGRESS_DATES).set_value(days(YEARS[p]))
        elif step == "progress: a subject":
            choose(at.selectbox(key=Keys.PROGRESS_SUBJECT), p + 1)
        elif step == "progress: a project":
            choose(at.selectbox(key=Keys.PROGRESS_PROJECT), p + 1)
        f = timed(at, profile=step == profile_step)
        f["view"] = {
            "dates": [str(d) for d in at.date_input(key=Keys.PROGRESS_DATES).value],
            "subject": at.selectbox(key=Keys.PROGRESS_SUBJECT).value,
            "project": at.selectbox(key=Keys.PROGRESS_PROJECT).value,
        }
        figures[step].append(f)
        errors += [f"pass {p} {step}: {e.value}" for e in at.exception]


def run_passes(passes: int, profile_step: str | None, profile_sort: str, pages: str) -> dict:
    """The child: every step of every pass timed (the warm-up pass first, not kept)."""
    steps.instrument(profile=profile_step is not None, count_bytes=True)
    out: dict = {"steps": {s: [] for s in STEPS}, "errors": []}
    warm: dict = {s: [] for s in STEPS}
    for p in [WARM, *range(passes)]:
        figures = warm if p == WARM else out["steps"]
        if pages in ("all", "themes"):
            theme_pass(p, figures, out["errors"], profile_step)
        if pages in ("all", "progress"):
            progress_pass(p, figures, out["errors"], profile_step)
    out["warm_up"] = warm
    # the top 60, then the project's calls and the elements
    report = steps.profile_report(profile_sort, also=[(r"pinghu_|/pages/|streamlit/elements", 40)])
    if report is not None:
        out["profile"] = report
    return out


def summary(result: dict) -> tuple[list[str], bool]:
    return steps.summary(result, 26)


def main(argv: list[str] | None = None) -> int:
    parser = steps.options(__doc__, STEPS, cache=CACHE, result=RESULT, repeats=3)
    parser.add_argument("--pages", choices=("all", "themes", "progress"), default="all")
    args = parser.parse_args(argv)
    if args.repeats > WARM:
        parser.error(f"at most {WARM} passes (each takes other years)")
    if args.child:
        return steps.report_to_parent(run_passes(args.repeats, args.profile, args.profile_sort, args.pages))
    return steps.run_parent(args, __file__, summary, child_args=["--pages", args.pages])


if __name__ == "__main__":
    raise SystemExit(main())
