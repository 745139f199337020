"""Timeline measures, gaps, period labels, drill-down with KWIC, and co-occurrence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pinghu_core.common import schemas
from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes import timeline as tl

ROOT = Path(__file__).resolve().parent.parent


def articles_frame(*rows: dict) -> pd.DataFrame:
    base = {c: None for c in schemas.ARTICLES.names} | {"kind": "news", "date_source": "filename"}
    return schemas.conform(pd.DataFrame([base | r for r in rows]), schemas.ARTICLES)


def pages_frame(*dates: str) -> pd.DataFrame:
    base = {c: None for c in schemas.PAGES.names} | {"date_source": "filename", "layout": "clean"}
    return schemas.conform(pd.DataFrame([base | {"date": d} for d in dates]), schemas.PAGES)


def hits_frame(*pairs: tuple[str, str]) -> pd.DataFrame:
    rows = [
        {
            "article_id": a,
            "theme_id": t,
            "theme_label": t.upper(),
            "theme_group": "",
            "title_hits": 0,
            "body_hits": 1,
            "hits": 1,
            "weight": 1.0,
            "in_title": False,
            "terms": "词",
        }
        for a, t in pairs
    ]
    return schemas.conform(pd.DataFrame(rows), schemas.ARTICLE_THEMES)


# January: pages on the 10th and 20th, three news items (100, 200, 300 characters) and an ad
# (400); February: no page; March: one page, a news item (500) and a photo (50).
ARTICLES = articles_frame(
    {"article_id": "j1", "date": "2020-01-10", "chars": 100},
    {"article_id": "j2", "date": "2020-01-20", "chars": 200},
    {"article_id": "j3", "date": "2020-01-20", "chars": 300},
    {"article_id": "jad", "date": "2020-01-20", "chars": 400, "kind": "ad"},
    {"article_id": "m1", "date": "2020-03-05", "chars": 500},
    {"article_id": "mp", "date": "2020-03-05", "chars": 50, "kind": "photo"},
)
PAGES = pages_frame("2020-01-10", "2020-01-20", "2020-03-05")
HITS = hits_frame(("j1", "t"), ("mp", "t"), ("jad", "t"), ("j2", "u"), ("j3", "u"), ("m1", "u"))


MEASURE_CASES = [
    # (measure, [(value, numerator, denominator) for Jan, Feb, Mar]) — the ad never counts as a hit
    ("count", [(1, 1, 3), (None, None, None), (1, 1, 2)]),
    ("share_news", [(1 / 3, 1, 3), (None, None, None), (1 / 2, 1, 2)]),
    ("share_chars", [(100 / 1000, 100, 1000), (None, None, None), (50 / 550, 50, 550)]),
]


@pytest.mark.parametrize(("measure", "expected"), MEASURE_CASES)
def test_measures_and_denominators(measure, expected) -> None:
    got = tl.timeline(ARTICLES, PAGES, HITS, ["t"], granularity="month", measure=measure)
    schemas.check(got, schemas.TIMELINE)
    assert list(got["period"]) == ["2020年1月", "2020年2月", "2020年3月"]
    assert list(got["has_pages"]) == [True, False, True]
    for (_, r), (value, num, den) in zip(got.iterrows(), expected, strict=True):
        for col, want in (("value", value), ("numerator", num), ("denominator", den)):
            if want is None:
                assert np.isnan(r[col]), (col, r["period"])
            else:
                assert r[col] == pytest.approx(want), (col, r["period"])


def test_gaps_are_never_zero() -> None:
    got = tl.timeline(ARTICLES, PAGES, HITS, ["t", "u"], granularity="week", measure="count")
    gap = got[~got["has_pages"]]
    assert len(gap) > 0 and gap["value"].isna().all() and gap["denominator"].isna().all()
    assert (got.loc[got["has_pages"], "value"] >= 0).all() and got.loc[
        got["has_pages"], "value"
    ].notna().all()
    # a page period where the theme is absent is a real zero
    jan20 = got[(got["series_id"] == "t") & (got["period_start"] == pd.Timestamp("2020-01-20"))]
    assert jan20["value"].tolist() == [0.0] and jan20["has_pages"].tolist() == [True]


def test_series_in_order_with_labels() -> None:
    got = tl.timeline(
        ARTICLES, PAGES, HITS, ["u", "t", "nothing"], granularity="quarter", labels={"t": "主题T"}
    )
    assert list(dict.fromkeys(got["series_id"])) == ["u", "t", "nothing"]
    assert dict(zip(got["series_id"], got["series_label"], strict=True)) == {
        "u": "U",
        "t": "主题T",
        "nothing": "nothing",
    }
    assert got.loc[got["series_id"] == "nothing", "value"].tolist() == [0.0]
    assert got.loc[got["series_id"] == "u", "value"].tolist() == [3.0]


def test_start_and_end_clip_periods_and_articles() -> None:
    got = tl.timeline(ARTICLES, PAGES, HITS, ["t"], granularity="month", start="2020-01-15", end="2020-03-05")
    assert list(got["period"]) == ["2020年1月", "2020年2月", "2020年3月"]
    assert got["numerator"].tolist()[0] == 0.0 and got["denominator"].tolist()[0] == 2.0  # j1 (10th) is out
    assert tl.timeline(ARTICLES, PAGES, HITS, ["t"], start="2020-02-01", end="2020-02-28").empty
    only_march = tl.timeline(ARTICLES, PAGES, HITS, ["t"], start="2020-02-01")
    assert list(only_march["period"]) == ["2020年3月"]


@pytest.mark.parametrize(
    ("day", "granularity", "label", "start"),
    [
        ("2020-07-22", "week", "2020年第30周", "2020-07-20"),
        ("2020-07-22", "month", "2020年7月", "2020-07-01"),
        ("2020-07-22", "quarter", "2020年第3季度", "2020-07-01"),
        ("2020-11-10", "quarter", "2020年第4季度", "2020-10-01"),
        ("2020-07-22", "year", "2020年", "2020-01-01"),
        ("2021-01-01", "week", "2020年第53周", "2020-12-28"),  # ISO week of the previous year
    ],
)
def test_periods_and_labels(day, granularity, label, start) -> None:
    first = tl.period_of(pd.Series(pd.to_datetime([day])), granularity).iloc[0]
    assert first == pd.Timestamp(start)
    assert tl.period_label(first, granularity) == label


def test_unknown_granularity_or_measure() -> None:
    with pytest.raises(ValueError, match="粒度"):
        tl.timeline(ARTICLES, PAGES, HITS, ["t"], granularity="day")
    with pytest.raises(ValueError, match="度量"):
        tl.timeline(ARTICLES, PAGES, HITS, ["t"], measure="share")


def test_labels_say_what_is_counted_and_over_what() -> None:
    assert set(tl.GRANULARITIES) == {"week", "month", "quarter", "year"}
    assert set(tl.MEASURES) == {"count", "share_news", "share_chars", "share_weighted"}
    assert "加权" in tl.axis_label("share_weighted", "month") and "头条" in tl.axis_label(
        "count", "week", "lead"
    )
    assert "篇" in tl.axis_label("count", "month") and "每月" in tl.axis_label("count", "month")
    assert "当季度" in tl.axis_label("share_news", "quarter") and "新闻" in tl.axis_label(
        "share_news", "quarter"
    )
    assert "字数" in tl.axis_label("share_chars", "year")
    got = tl.timeline(ARTICLES, PAGES, HITS, ["t"], measure="share_chars")
    hover = tl.hover_labels(got, "share_chars", "month").tolist()
    assert hover[0] == "T · 2020年1月：10.0%（100字 / 当月头版正文1,000字）"
    assert "没有" in hover[1] and "0" not in hover[1].split("：")[1]
    assert "1篇文章提及" in tl.hover_label("T", "2020年1月", "count", "month", 1, 1, 3)


# ---------------------------------------------------------------- KWIC

KWIC_CASES = [
    ("甲乙丙丁全国文明城市戊己庚辛", ["全国文明城市"], 2, ["…丙丁【全国文明城市】戊己…"]),
    ("全国文明城市", ["全国文明城市", "文明城市"], 5, ["【全国文明城市】"]),
    ("创文好，创文\n妙", ["创文"], 2, ["【创文】好，【创文】 妙"]),  # close hits share a line
    ("创文一二三四五六七八九十创文", ["创文"], 3, ["【创文】一二三…", "…八九十【创文】"]),
    ("没有命中", ["创文"], 5, []),
]


@pytest.mark.parametrize(("text", "terms", "width", "expected"), KWIC_CASES)
def test_kwic_lines(text, terms, width, expected) -> None:
    assert tl.kwic_lines(text, terms, width=width) == expected


@pytest.fixture(scope="module")
def seeds():
    corpus = ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1)
    hits = themes.tag_articles(corpus.articles, themes.load_themes(themes.DEFAULT_THEMES_PATH))
    return corpus, hits


def test_period_articles_drill_down(seeds) -> None:
    corpus, hits = seeds
    got = tl.period_articles(corpus.articles, hits, ["civilized-city", "minsheng"], "2020-11-10", "month")
    schemas.check(got, schemas.PERIOD_ARTICLES)
    assert list(got["title"]) == [
        "平湖入选第六届 全国文明城市名单",
        "一款“善治宝” 自治有妙招 钟埭探索农村基层治理新模式",
    ]
    assert set(got["series_label"]) == {"全国文明城市创建"}
    assert got["kwic"].str.contains("【全国文明城市】").all()
    assert got["kwic"].iloc[0].startswith("平湖入选第六届 【全国文明城市】名单")  # the title's hit first
    assert " … " in got["kwic"].iloc[0] and "… …" not in got["kwic"].iloc[0]
    quarter = tl.period_articles(corpus.articles, hits, ["minsheng"], "2020-08-01", "quarter")
    assert list(quarter["article_id"]) == sorted(quarter["article_id"]) and len(quarter) == 1
    assert tl.period_articles(corpus.articles, hits, ["minsheng"], "2021-01-01", "year").empty


def test_period_articles_cuts_context_for_the_first_articles_only(seeds) -> None:
    corpus, hits = seeds
    series = ["civilized-city", "minsheng"]
    full = tl.period_articles(corpus.articles, hits, series, "2020-11-10", "month")
    first = tl.period_articles(corpus.articles, hits, series, "2020-11-10", "month", kwic_articles=1)
    assert len(full) == 2 and (full["kwic"] != "").all()
    assert first["kwic"].tolist() == [full["kwic"].iloc[0], ""]  # the listed article keeps its lines
    assert first.drop(columns="kwic").equals(full.drop(columns="kwic"))
    schemas.check(first, schemas.PERIOD_ARTICLES)


def test_period_articles_for_a_slogan(seeds) -> None:
    from pinghu_core.themes import slogans

    corpus, _ = seeds
    hits = slogans.slogan_hits(corpus.articles, ["四大百日攻坚"])
    got = tl.period_articles(corpus.articles, hits, ["slogan:四大百日攻坚"], "2025-08-11", "week")
    assert got["series_label"].tolist() == ["“四大百日攻坚”"]
    assert got["kwic"].iloc[0].count("【四大百日攻坚】") >= 3


# ---------------------------------------------------------------- co-occurrence


def test_cooccurrence_is_symmetric_with_the_diagonal() -> None:
    hits = hits_frame(("a1", "x"), ("a1", "y"), ("a2", "x"), ("a2", "y"), ("a3", "x"), ("a4", "z"))
    got = tl.cooccurrence(hits)
    schemas.check(got, schemas.COOCCURRENCE)
    grid = got.pivot_table(index="theme_a", columns="theme_b", values="articles", aggfunc="sum")
    assert (grid.to_numpy() == grid.T.to_numpy()).all()
    assert grid.loc["x", "x"] == 3 and grid.loc["x", "y"] == 2 and grid.loc["x", "z"] == 0
    assert list(dict.fromkeys(got["theme_a"])) == ["x", "y", "z"]  # most articles first
    assert got.loc[(got["theme_a"] == "y") & (got["theme_b"] == "x"), "label_b"].tolist() == ["X"]
    limited = tl.cooccurrence(hits, ["a2", "a3"]).pivot_table(
        index="theme_a", columns="theme_b", values="articles", aggfunc="sum"
    )
    assert limited.loc["x", "x"] == 2 and limited.loc["x", "y"] == 1 and "z" not in limited.index
    assert tl.cooccurrence(hits, []).empty
    ordered = tl.cooccurrence(hits, order=["z", "y"])
    assert list(dict.fromkeys(ordered["theme_a"])) == ["z", "y", "x"]


def test_series_totals_sum_the_periods_with_pages() -> None:
    got = tl.series_totals(tl.timeline(ARTICLES, PAGES, HITS, ["t", "u", "none"], measure="share_news"))
    schemas.check(got, schemas.SERIES_TOTALS)
    rows = got.set_index("series_id")
    # t: j1 in January and the photo in March → 2 of 5 news items; u: j2, j3, m1 → 3 of 5
    assert rows.loc["t", ["numerator", "denominator", "periods", "active"]].tolist() == [2, 5, 2, 2]
    assert rows.loc["u", "value"] == pytest.approx(3 / 5) and rows.loc["none", "value"] == 0
    assert got["series_id"].tolist() == ["u", "t", "none"]  # largest share first
    assert tl.series_totals(schemas.TIMELINE.empty()).empty
    hover = tl.totals_hover(rows.loc["u"].to_dict() | {"series_label": "U"}, "share_news")
    assert hover == "U：60.0%（3篇 / 新闻报道（新闻、图片新闻、评论）5篇；2个有版面的时段中2个出现）"


def test_each_period_against_the_previous_one() -> None:
    """The raw table's 较上一时段: January → March (February has no page: skipped, not a zero)."""
    frame = tl.timeline(ARTICLES, PAGES, HITS, ["t", "u"], granularity="month", measure="share_news")
    change, g2 = tl.period_changes(frame, "share_news")
    rows = dict(
        zip(zip(frame["series_id"], frame["period"], strict=True), zip(change, g2, strict=True), strict=True)
    )
    assert np.isnan(rows[("t", "2020年1月")][0]) and np.isnan(rows[("t", "2020年2月")][0])
    assert rows[("t", "2020年3月")][0] == pytest.approx(1 / 2 - 1 / 3)
    assert rows[("u", "2020年3月")][0] == pytest.approx(1 / 2 - 2 / 3)
    from pinghu_core.common.stats import log_likelihood_2x2

    assert rows[("t", "2020年3月")][1] == pytest.approx(float(log_likelihood_2x2([1], [1], 2.0, 3.0)[0]))
    weighted = tl.period_changes(frame.assign(value=frame["value"]), "share_weighted")[1]
    assert np.isnan(weighted).all()
    from pinghu_core.themes import view as views

    table = views.timeline_table(frame, "占比", "share_news")
    assert "较上一时段(百分点)" in table.columns and table["较上一时段(百分点)"].iloc[2] == pytest.approx(
        16.67
    )
