"""What rose and what fell between two periods: hand-checked G², the timeline's own counts, flags,
and ``pinghu trends``."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from pinghu_core.cli import main as cli
from pinghu_core.common import schemas
from pinghu_core.common.stats import log_likelihood, log_likelihood_2x2
from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes import slogans, trends
from pinghu_core.themes import timeline as tl

D = dt.date


def test_2x2_log_likelihood_hand_checked():
    # 10 of 100 articles vs 20 of 100: 2 Σ O ln(O/E) with E = 15, 85, 15, 85
    assert log_likelihood_2x2(np.array([10]), np.array([20]), 100, 100)[0] == pytest.approx(3.98656, abs=1e-4)
    assert log_likelihood_2x2(np.array([10]), np.array([20]), 100, 200)[0] == pytest.approx(0, abs=1e-9)
    # a rare series: the same as the words page's two-cell G²
    rare = log_likelihood_2x2(np.array([3]), np.array([12]), 100_000, 100_000)[0]
    assert rare == pytest.approx(log_likelihood(np.array([3]), np.array([12]), 100_000, 100_000)[0], rel=1e-3)


@pytest.mark.parametrize(
    ("start", "end", "before"),
    [
        (D(2020, 7, 1), D(2020, 7, 31), (D(2020, 5, 31), D(2020, 6, 30))),
        (D(2021, 1, 1), D(2021, 12, 31), (D(2020, 1, 1), D(2020, 12, 31))),  # 2020 is a leap year: 366 days
        (D(2025, 8, 17), D(2025, 8, 17), (D(2025, 8, 16), D(2025, 8, 16))),
    ],
)
def test_previous_period_has_the_same_length_and_ends_the_day_before(start, end, before):
    got = trends.previous_period(start, end)
    assert got[1] == start - dt.timedelta(days=1) and (got[1] - got[0]) == (end - start)
    if before[0].year != 2020 or before[1].year != 2020:
        assert got == before


@pytest.fixture(scope="module")
def seeds():
    corpus = ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1)
    d = themes.load_themes(themes.DEFAULT_THEMES_PATH)
    hits = themes.tag_articles(corpus.articles, d)
    slogan_hits = slogans.slogan_hits(corpus.articles, ["四大百日攻坚"])
    return corpus, d, pd.concat([hits, slogan_hits], ignore_index=True)


def test_trends_on_the_sample_pages(seeds):
    corpus, d, hits = seeds
    ids = [*d.ids, "slogan:四大百日攻坚"]
    got = trends.trends(
        corpus.articles, corpus.pages, hits, ids, (D(2025, 8, 1), D(2025, 8, 31)), (D(2020, 1, 1), D(2020, 12, 31)),
        labels=d.labels,
    )  # fmt: skip
    schemas.check(got, schemas.TRENDS)
    row = got.set_index("series_id").loc["slogan:四大百日攻坚"]
    assert (row["earlier_count"], row["later_count"], row["flag"], row["direction"]) == (
        0,
        1,
        "新出现",
        "上升",
    )
    assert row["series_kind"] == "口号" and row["series_label"] == "“四大百日攻坚”"
    assert list(got["change"]) == sorted(got["change"], reverse=True)  # the largest rise first
    gone = got[got["flag"] == "消失"]
    assert len(gone) and (gone["later_count"] == 0).all() and (gone["direction"] == "下降").all()
    # every count is the timeline's: the same articles and the same denominators
    frame = tl.timeline(corpus.articles, corpus.pages, hits, ids, granularity="month", measure="share_news",
                        start=D(2020, 1, 1), end=D(2020, 12, 31))  # fmt: skip
    for sid, n in frame.groupby("series_id")["numerator"].sum().items():
        if sid in set(got["series_id"]):
            assert got.set_index("series_id").loc[sid, "earlier_count"] == n
    assert (got["earlier_total"] == frame[frame["series_id"] == ids[0]]["denominator"].sum()).all()


def test_a_period_without_pages_has_no_shares_and_no_flags(seeds):
    corpus, d, hits = seeds
    got = trends.trends(corpus.articles, corpus.pages, hits, list(d.ids), (D(2023, 1, 1), D(2023, 12, 31)),
                        (D(2020, 1, 1), D(2020, 12, 31)))  # fmt: skip
    assert (got["later_total"] == 0).all() and got["later_share"].isna().all()
    assert (got["flag"] == "").all() and (got["g2"] == 0).all()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=8),
    st.integers(50, 200),
    st.integers(50, 200),
)
def test_g2_is_never_negative_and_zero_for_equal_shares(pairs, c, d):
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    g = log_likelihood_2x2(a, b, c, d)
    assert (g >= -1e-9).all()
    same = log_likelihood_2x2(a, a, c, c)
    assert np.allclose(same, 0, atol=1e-9)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out.removeprefix("\ufeff"), out.err


def test_pinghu_trends(corpus_env, capsys):
    code, out, _ = run_cli(capsys, "trends", "--from", "2025-08-01", "--to", "2025-08-31", "--vs-from", "2020-01-01",
                           "--vs-to", "2020-12-31", "--slogan", "四大百日攻坚")  # fmt: skip
    assert code == 0
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(table.columns) == list(schemas.TRENDS.names)
    assert table.set_index("series_id").loc["slogan:四大百日攻坚", "flag"] == "新出现"
    code, out, _ = run_cli(capsys, "trends", "--from", "2020-11-01", "--to", "2020-11-30")  # vs October 2020
    assert code == 0 and out.startswith("series_id,")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--from", "2020-13-01", "--to", "2020-12-31"), "应是日期"),
        (("--from", "2020-12-31", "--to", "2020-01-01"), "不晚于"),
        (("--from", "2020-01-01", "--to", "2020-12-31", "--vs-from", "2019-01-01"), "同时给出"),
    ],
)
def test_pinghu_trends_usage_errors_in_chinese(corpus_env, capsys, args, words):
    code, _, err = run_cli(capsys, "trends", *args)
    assert code == 2 and words in err
