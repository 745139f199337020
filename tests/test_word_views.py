"""The 词云 page's view ↔ URL and its article filter (pure functions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from pinghu_core.corpus import ingest
from pinghu_core.search import places
from pinghu_core.themes import dictionary as themes
from pinghu_core.words import index as words
from pinghu_core.words import view as wv

ROOT = Path(__file__).resolve().parent.parent
FIRST, LAST = dt.date(2020, 4, 21), dt.date(2025, 8, 17)


def parse(params: dict[str, str]) -> wv.WordView:
    return wv.parse_view(
        params, theme_ids=["minsheng", "epidemic"], towns=["独山港镇", "新埭镇"], first=FIRST, last=LAST
    )


@pytest.mark.parametrize(
    ("params", "field", "expected"),
    [
        ({}, "kinds", ("news", "commentary")),
        ({"kinds": ""}, "kinds", ()),
        ({"kinds": "news,blog"}, "kinds", ("news",)),
        ({"themes": "minsheng,nope"}, "themes", ("minsheng",)),
        ({"towns": "独山港镇,火星镇"}, "towns", ("独山港镇",)),
        ({"start": "2019-01-01"}, "start", FIRST),
        ({"end": "2030-01-01"}, "end", LAST),
        ({"start": "2024-01-01", "end": "2021-01-01"}, "start", dt.date(2021, 1, 1)),
        ({"top": "150"}, "top", 150),
        ({"top": "7"}, "top", wv.TOP_DEFAULT),
        ({"pos": "verb"}, "pos", "verb"),
        ({"pos": "adj"}, "pos", "all"),
        ({"weight": "tfidf"}, "weight", "tfidf"),
        ({"compare": "1"}, "compare", True),
        ({"compare": "yes"}, "compare", False),
        ({}, "a_start", FIRST),
        ({}, "b_end", LAST),
        ({"word": " 项目 "}, "word", "项目"),
    ],
)
def test_parse_view(params, field, expected):
    assert getattr(parse(params), field) == expected


def test_halves_split_the_range():
    a0, a1, b0, b1 = wv.halves(dt.date(2020, 1, 1), dt.date(2020, 1, 11))
    assert (a0, a1, b0, b1) == (
        dt.date(2020, 1, 1),
        dt.date(2020, 1, 6),
        dt.date(2020, 1, 7),
        dt.date(2020, 1, 11),
    )


def test_round_trip():
    view = wv.WordView(
        start=dt.date(2020, 5, 1),
        end=dt.date(2024, 1, 1),
        themes=("epidemic",),
        kinds=("news",),
        towns=("新埭镇",),
        weight="tfidf",
        top=50,
        pos="place",
        compare=True,
        a_start=dt.date(2020, 5, 1),
        a_end=dt.date(2021, 1, 1),
        b_start=dt.date(2023, 1, 1),
        b_end=dt.date(2024, 1, 1),
        word="疫情",
        article="abc-01",
    )
    assert parse(wv.view_params(view)) == view
    assert "a_start" not in wv.view_params(wv.WordView())  # periods only while comparing


def test_filtered_ids_by_kind_date_theme_and_town():
    corpus = ingest.load_files(sorted((ROOT / "data" / "corpus").glob("*.txt")), workers=1)
    a = corpus.articles
    hits = themes.tag_articles(a, themes.load_themes(themes.DEFAULT_THEMES_PATH))
    found = places.article_places(a)
    all_news = wv.filtered_ids(a, wv.WordView())
    assert set(a.loc[a["article_id"].isin(all_news), "kind"].astype(str)) <= {"news", "commentary"}
    one_day = wv.filtered_ids(a, wv.WordView(start=dt.date(2020, 4, 21), end=dt.date(2020, 4, 21)))
    assert one_day and set(a.loc[a["article_id"].isin(one_day), "date"]) == {pd.Timestamp("2020-04-21")}
    themed = wv.filtered_ids(a, wv.WordView(themes=("minsheng",)), theme_hits=hits)
    assert set(themed) == set(hits.loc[hits["theme_id"] == "minsheng", "article_id"]) & set(all_news)
    town = wv.filtered_ids(a, wv.WordView(towns=("独山港镇",)), places=found)
    texts = words.article_texts(a[a["article_id"].isin(town)])
    assert town and all("独山港" in t for t in texts)


def test_highlight_is_plain_text():
    assert wv.highlight("在独山港镇，独山港镇的<b>", "独山港镇") == "在【独山港镇】，【独山港镇】的<b>"


D = dt.date


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        # inside the range: kept
        (
            (D(2021, 1, 1), D(2021, 6, 30), D(2022, 1, 1), D(2022, 6, 30)),
            (D(2021, 1, 1), D(2021, 6, 30), D(2022, 1, 1), D(2022, 6, 30)),
        ),
        # reaching outside: cut to the range
        (
            (D(2019, 1, 1), D(2021, 6, 30), D(2022, 1, 1), D(2025, 6, 30)),
            (D(2020, 1, 1), D(2021, 6, 30), D(2022, 1, 1), D(2022, 12, 31)),
        ),
        # wholly outside, or missing: that half of the range
        (
            (D(2018, 1, 1), D(2018, 6, 30), None, None),
            (D(2020, 1, 1), D(2021, 7, 1), D(2021, 7, 2), D(2022, 12, 31)),
        ),
    ],
)
def test_compared_periods_stay_inside_the_date_range(periods, expected):
    """Issue 12.4: the other filters — the date range too — apply to both periods."""
    a0, a1, b0, b1 = periods
    view = wv.fit_periods(
        wv.WordView(start=D(2020, 1, 1), end=D(2022, 12, 31), a_start=a0, a_end=a1, b_start=b0, b_end=b1)
    )
    assert (view.a_start, view.a_end, view.b_start, view.b_end) == expected


def test_default_periods_halve_the_urls_date_range_not_the_corpus():
    view = parse({"start": "2021-01-01", "end": "2021-12-31", "compare": "1"})
    assert (view.a_start, view.b_end) == (D(2021, 1, 1), D(2021, 12, 31))
    assert view.a_end < view.b_start and view.a_end.year == 2021


def test_only_towns_the_corpus_names_are_offered():
    named = pd.DataFrame({"article_id": ["a", "b"], "place": ["新埭镇", "芦湾村"]})
    assert wv.towns_named(["当湖街道", "新埭镇", "独山港镇"], named) == ["新埭镇"]
    assert wv.towns_named(["当湖街道", "新埭镇"], named.iloc[0:0]) == []  # another paper's corpus: none


def test_a_one_day_range_compares_that_day_with_itself() -> None:
    """Found by the viewspec property test: the later half of a one-day range started the day after
    it ended, and the link came back with another period."""
    day = D(2019, 1, 1)
    assert wv.halves(day, day) == (day, day, day, day)
    assert wv.halves(D(2020, 1, 1), D(2020, 1, 2)) == (
        D(2020, 1, 1),
        D(2020, 1, 1),
        D(2020, 1, 2),
        D(2020, 1, 2),
    )
