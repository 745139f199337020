"""项目进度's charts, now written as one layout and its traces and made a figure once, must be the
figures the step-by-step builders gave (tests/reference/progress_charts_d73cca4.py): the same JSON for
every project, date range, metric, subject and open figure of the seed corpus, and for long and
one-day trajectories."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pinghu_core.common import chart_base
from pinghu_core.corpus import ingest
from pinghu_core.progress import charts
from pinghu_core.progress import figures as pg
from pinghu_core.progress import view as pv
from tests.reference import progress_charts_d73cca4 as before

ROOT = Path(__file__).resolve().parent.parent
RANGES = [
    (None, None),
    (dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
    (dt.date(2021, 3, 1), dt.date(2021, 8, 31)),
    (dt.date(2020, 7, 1), dt.date(2020, 7, 31)),
]


def same(got, want) -> None:
    """The same figure: the same JSON (Plotly's own serialisation, read back: key order aside)."""
    assert json.loads(got.to_json()) == json.loads(want.to_json())


def legend_moved(fig):
    """The reference trajectory with its legend under the axis title in pixels, as the builder has put
    it since 2026-12-03 (``chart_base.legend_below``); the rest of the figure unchanged."""
    return chart_base.legend_below_again(fig)


@pytest.fixture(scope="module")
def progress() -> pd.DataFrame:
    return ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1).progress


def test_every_trajectory_of_the_seeds_is_the_figure_it_was(progress) -> None:
    drawn = 0
    for project in pv.project_options(progress, {}):
        for start, end in RANGES:
            traj = pv.in_range(pg.trajectory(progress, project), pv.ProgressView(start=start, end=end))
            for wanted in ("", "investment_completed", "milestone", "count_done"):
                metric, unit = pv.trajectory_metric(traj, wanted)
                rows = pv.trajectory_shown(traj, metric)
                same(
                    charts.trajectory_chart(rows, project, metric, unit),
                    legend_moved(before.trajectory_chart(rows, project, metric, unit)),
                )
                drawn += 1
    assert drawn > 20


def test_long_and_one_day_trajectories_are_the_figures_they_were(progress) -> None:
    project = next(iter(pv.project_options(progress, {})))
    one = pg.trajectory(progress, project)
    for n, freq in ((40, "MS"), (400, "D"), (5, "h")):  # markers only; a sample; several on one day
        many = pd.concat([one] * (n // max(len(one), 1) + 1), ignore_index=True).head(n)
        many["figure_id"] = [f"g{i}" for i in range(len(many))]
        many["date"] = pd.date_range("2020-01-01", periods=len(many), freq=freq).normalize()
        metric, unit = pv.trajectory_metric(many, "")
        rows = pv.trajectory_shown(many, metric)
        same(
            charts.trajectory_chart(rows, "x", metric, unit),
            legend_moved(before.trajectory_chart(rows, "x", metric, unit)),
        )
    empty = one.head(0)
    same(
        charts.trajectory_chart(empty, "x", "", ""), legend_moved(before.trajectory_chart(empty, "x", "", ""))
    )


def test_every_bar_chart_of_the_seeds_is_the_figure_it_was(progress) -> None:
    order = pv.newest_first(progress)
    for subject in ["", *pv.subject_options(progress)]:
        for start, end in RANGES:
            view = pv.ProgressView(subject=subject, start=start, end=end)
            scope = pv.figure_positions(progress, replace(view, metric=""), order)
            latest = pv.latest_shown(pv.with_evidence(pg.latest_completion(progress, scope), progress))
            labels = pv.unique_labels(latest["subject"].astype(str))
            for selected in ("", *latest["figure_id"].astype(str).head(2)):
                same(
                    charts.completion_bar(latest, labels, selected),
                    before.completion_bar(latest, labels, selected),
                )
            pairs = pv.investment_shown(
                pg.investment_pairs(pv.figures_of(progress, view, pg.PAIR_METRICS, order))
            )
            labels = pv.investment_labels(pairs)
            same(charts.investment_chart(pairs, labels), before.investment_chart(pairs, labels))
