"""政策主题's drill-down (时段内的文章) made faster must give the same rows: the reference is the code it
replaced (tests/reference/drill_d73cca4.py), on the seed corpus' every period, and on generated rows."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes import timeline as tl
from pinghu_core.themes import view as views
from pinghu_core.themes.view import ThemeView
from tests.reference import drill_d73cca4 as before

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeds():
    corpus = ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1)
    theme_dict = themes.load_themes(themes.DEFAULT_THEMES_PATH)
    return corpus, themes.tag_articles(corpus.articles, theme_dict), theme_dict


def periods(articles: pd.DataFrame, granularity: str) -> list[pd.Timestamp]:
    return sorted(set(tl.period_of(articles["date"].dropna(), granularity)))


@pytest.mark.parametrize("granularity", list(tl.GRANULARITIES))
def test_every_period_of_the_seeds_gives_the_rows_it_gave(seeds, granularity) -> None:
    corpus, hits, theme_dict = seeds
    ids = list(theme_dict.ids)
    series_sets = [ids, ids[:1], ids[2:5], [ids[3], ids[0]]]  # every theme, one, some, out of order
    compared = 0
    for period, series, kwic in itertools.product(
        periods(corpus.articles, granularity), series_sets, (200, 1, None)
    ):
        want = before.period_articles(corpus.articles, hits, series, period, granularity, kwic_articles=kwic)
        got = tl.period_articles(corpus.articles, hits, series, period, granularity, kwic_articles=kwic)
        pd.testing.assert_frame_equal(got, want)
        pd.testing.assert_frame_equal(views.per_article(got), before.per_article(want))
        view = ThemeView(themes=tuple(series[:3]), granularity=granularity, period=period.date())
        pd.testing.assert_frame_equal(
            views.drill_table(views.per_article(got), view),
            before.drill_table(before.per_article(want), view),
        )
        compared += len(want)
    assert compared > 50  # the seeds have matches in these periods


def test_an_article_with_no_heading_takes_its_title_from_the_body(seeds) -> None:
    corpus, hits, theme_dict = seeds
    articles = corpus.articles.copy()
    matched = hits["article_id"].iloc[0]
    row = articles.index[articles["article_id"] == matched][0]
    articles.loc[row, ["kicker", "title", "subtitle"]] = ["", "", ""]
    day = articles.loc[row, "date"]
    for kwic in (None, 0):  # with and without context lines: the body is read either way
        want = before.period_articles(articles, hits, list(theme_dict.ids), day, "month", kwic_articles=kwic)
        got = tl.period_articles(articles, hits, list(theme_dict.ids), day, "month", kwic_articles=kwic)
        pd.testing.assert_frame_equal(got, want)
        assert got.loc[got["article_id"] == matched, "title"].iloc[0] == tl.display_title(
            {"body": articles.loc[row, "body"]}
        )


ROWS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d", "e"]),  # article
        st.sampled_from(["生态环境", "“两山”", "民生", "共同富裕"]),  # series label
        st.sampled_from(["治水、生态", "两山", "生态", "", "民生、治水"]),  # terms
        st.sampled_from(["【治水】", "【两山】", "", "…【民生】…"]),  # context lines
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(ROWS)
def test_per_article_joins_as_before(rows) -> None:
    days = {"a": "2020-01-02", "b": "2020-01-01", "c": "2020-01-03", "d": "2020-01-02", "e": "2020-01-05"}
    frame = pd.DataFrame(
        {
            "article_id": [r[0] for r in rows],
            "date": pd.to_datetime([days[r[0]] for r in rows]),
            "source": [f"{r[0]}.txt" for r in rows],
            "title": [f"标题{r[0]}" for r in rows],
            "kind": pd.Categorical(["news"] * len(rows), categories=["news", "photo"]),
            "series_label": [r[1] for r in rows],
            "terms": [r[2] for r in rows],
            "kwic": [r[3] for r in rows],
        }
    )
    pd.testing.assert_frame_equal(views.per_article(frame), before.per_article(frame))


VIEWS = st.builds(
    ThemeView,
    themes=st.lists(st.sampled_from(["economy", "epidemic", "minsheng"]), max_size=3, unique=True).map(tuple),
    slogans=st.lists(st.text(min_size=1, max_size=6), max_size=2, unique=True).map(tuple),
    granularity=st.sampled_from(list(tl.GRANULARITIES)),
    start=st.sampled_from([None, dt.date(2019, 1, 1)]),
    end=st.sampled_from([None, dt.date(2020, 6, 30)]),
    period=st.sampled_from([None, dt.date(2019, 7, 1)]),
    queries=st.lists(st.text(min_size=1, max_size=8), max_size=2, unique=True).map(tuple),
    trends=st.booleans(),
    scope=st.sampled_from(["all", "front", "lead"]),
)


@settings(max_examples=200, deadline=None)
@given(VIEWS, st.lists(st.text(min_size=1, max_size=30), max_size=5))
def test_article_links_are_the_share_urls(view, article_ids) -> None:
    assert views.article_urls(view, article_ids) == [views.share_url(view, article=a) for a in article_ids]
