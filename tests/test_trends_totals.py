"""``trends.period_totals`` (every series at once, for speed) gives exactly what summing
``timeline.timeline`` by year over the period gives — the definition it replaced — on the sample
pages and on small generated frames with the awkward cases: undated items and pages, duplicated
article ids, items of years without pages, non-news items, hits of articles outside the period."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from pinghu_core.common import schemas
from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes import slogans, trends
from pinghu_core.themes import timeline as tl

D = dt.date


def by_timeline(articles, pages, hits, series_ids, start, end, measure, scope="all"):
    """The definition: the timeline by year over the period, numerators and denominators summed."""
    frame = tl.timeline(
        articles, pages, hits, series_ids, granularity="year", measure=measure, start=start, end=end,
        scope=scope,
    )  # fmt: skip
    if frame.empty:
        return dict.fromkeys(series_ids, 0), 0
    numerators = frame.groupby("series_id", sort=False)["numerator"].sum()
    first = frame["series_id"].iloc[0]
    total = int(frame.loc[frame["series_id"] == first, "denominator"].fillna(0).sum())
    return {sid: int(numerators.get(sid, 0) or 0) for sid in series_ids}, total


@pytest.fixture(scope="module")
def seeds():
    corpus = ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1)
    d = themes.load_themes(themes.DEFAULT_THEMES_PATH)
    hits = pd.concat(
        [themes.tag_articles(corpus.articles, d), slogans.slogan_hits(corpus.articles, ["四大百日攻坚"])],
        ignore_index=True,
    )
    return corpus, [*d.ids, "slogan:四大百日攻坚", "no-such-series"], hits


PERIODS = [
    (None, None),
    (D(2020, 1, 1), D(2020, 12, 31)),
    (D(2020, 7, 22), D(2020, 7, 22)),
    (D(2021, 1, 1), D(2025, 8, 17)),
    (D(2030, 1, 1), D(2030, 12, 31)),  # no page
]


@pytest.mark.parametrize("scope", ["all", "front", "lead"])
@pytest.mark.parametrize("measure", ["share_news", "share_chars", "count", "share_weighted"])
@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_sample_pages(seeds, start, end, measure, scope):
    corpus, ids, hits = seeds
    got = trends.period_totals(
        corpus.articles, corpus.pages, hits, ids, start, end, measure=measure, scope=scope
    )
    assert got == by_timeline(corpus.articles, corpus.pages, hits, ids, start, end, measure, scope)


def test_a_scope_counts_fewer(seeds):
    corpus, ids, hits = seeds
    every = trends.period_totals(corpus.articles, corpus.pages, hits, ids, None, None, scope="all")
    lead = trends.period_totals(corpus.articles, corpus.pages, hits, ids, None, None, scope="lead")
    assert 0 < lead[1] < every[1] and all(lead[0][s] <= every[0][s] for s in ids)
    with pytest.raises(ValueError, match="未知的范围"):
        trends.period_totals(corpus.articles, corpus.pages, hits, ids, None, None, scope="page3")


KINDS = ["news", "photo", "commentary", "other"]
DAYS = [None, D(2019, 12, 31), D(2020, 3, 1), D(2020, 11, 30), D(2021, 6, 1), D(2023, 2, 2)]


@st.composite
def frames(draw):
    n = draw(st.integers(1, 12))
    article_ids = draw(st.lists(st.sampled_from([f"a{i}" for i in range(8)]), min_size=n, max_size=n))
    articles = pd.DataFrame(
        {
            "article_id": article_ids,
            "date": pd.to_datetime(draw(st.lists(st.sampled_from(DAYS), min_size=n, max_size=n))),
            "kind": draw(st.lists(st.sampled_from(KINDS), min_size=n, max_size=n)),
            "chars": draw(st.lists(st.integers(0, 500), min_size=n, max_size=n)),
        }
    )
    articles["kind"] = articles["kind"].astype("category")
    articles["chars"] = articles["chars"].astype("int32")
    page_days = draw(st.lists(st.sampled_from(DAYS), min_size=0, max_size=4))
    pages = pd.DataFrame({"date": pd.to_datetime(pd.Series(page_days, dtype=object))})
    m = draw(st.integers(0, 15))
    hits = pd.DataFrame(
        {
            "article_id": draw(
                st.lists(st.sampled_from([f"a{i}" for i in range(10)]), min_size=m, max_size=m)
            ),
            "theme_id": draw(st.lists(st.sampled_from(["t1", "t2", "slogan:x"]), min_size=m, max_size=m)),
        }
    ).astype("string")
    hits["theme_label"] = hits["theme_id"]
    start = draw(st.sampled_from([None, D(2020, 1, 1), D(2020, 6, 1)]))
    end = draw(st.sampled_from([None, D(2020, 12, 31), D(2022, 1, 1)]))
    return articles, pages, hits, start, end


@settings(max_examples=300, deadline=None)
@given(frames(), st.sampled_from(["share_news", "share_chars", "count"]))
def test_generated_frames(data, measure):
    articles, pages, hits, start, end = data
    ids = ["t1", "t2", "slogan:x", "t3"]
    got = trends.period_totals(articles, pages, hits, ids, start, end, measure=measure)
    assert got == by_timeline(articles, pages, hits, ids, start, end, measure)


def test_no_series_and_the_same_period_twice(seeds):
    corpus, ids, hits = seeds
    assert trends.period_totals(corpus.articles, corpus.pages, hits, [], None, None) == ({}, 0)
    both = (D(2020, 1, 1), D(2025, 12, 31))
    same = trends.trends(corpus.articles, corpus.pages, hits, ids, both, both)
    assert (same["change"].fillna(0) == 0).all() and (same["earlier_count"] == same["later_count"]).all()
    assert list(same.columns) == schemas.TRENDS.names
    assert np.isfinite(same["g2"]).all()
