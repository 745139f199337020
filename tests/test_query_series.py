"""A 文章检索 query as a timeline series: its hits are counted like a theme's."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pinghu_core.common import schemas
from pinghu_core.corpus import ingest
from pinghu_core.search import index as se
from pinghu_core.search import query as qy
from pinghu_core.search import series
from pinghu_core.themes import timeline as tl


@pytest.fixture(scope="module")
def index():
    corpus = ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1)
    return corpus, se.build_index(corpus.articles, schemas.ARTICLE_PLACES.empty(), None, corpus.pages)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("疫情 -防控", ""),
        ('"长三角一体化"', ""),
        ("项目  投资|融资", ""),
        ("", "检索式为空"),
        ("-疫情", "至少要有一个要包含的词"),
        ("疫情,复工", "英文逗号"),
        ('"未闭合', "引号没有配对"),
    ],
)
def test_check(text, problem):
    got = series.check(text)
    assert (problem in got) if problem else got == ""


def test_query_hits_count_the_news_items_the_search_page_finds(index):
    corpus, idx = index
    text = "项目  投资|融资"
    hits = series.query_hits(idx, text)
    schemas.check(hits, schemas.ARTICLE_THEMES)
    assert set(hits["theme_id"]) == {"query:项目 投资|融资"} and set(hits["theme_label"]) == {
        "检索：项目 投资|融资"
    }
    found = se.filter_articles(idx, se.SearchView(query=text))
    news = set(found.loc[found["kind"].astype(str).isin(["news", "photo", "commentary"]), "article_id"])
    assert set(hits["article_id"]) == news and len(news) >= 3
    assert (hits["hits"] == hits["title_hits"] + hits["body_hits"]).all() and (hits["hits"] > 0).all()
    assert all(set(t.split("、")) <= {"项目", "投资", "融资"} for t in hits["terms"])
    title = corpus.articles.set_index("article_id").loc[hits["article_id"], "title"].astype(str)
    assert (hits["in_title"].to_numpy() == title.str.contains("项目|投资|融资").to_numpy()).all()


def test_a_query_series_on_the_timeline_is_counted_like_a_theme(index):
    corpus, idx = index
    hits = series.query_hits(idx, "文明城市")
    sid = series.series_id("文明城市")
    frame = tl.timeline(
        corpus.articles, corpus.pages, hits, [sid], granularity="year", labels={sid: "检索：文明城市"}
    )
    assert frame["series_label"].unique().tolist() == ["检索：文明城市"]
    assert frame["numerator"].sum() == len(hits)
    rows = tl.period_articles(corpus.articles, hits, [sid], "2020-01-01", "year")
    assert len(rows) and rows["kwic"].str.contains("【文明城市】").all()


def test_a_query_that_cannot_be_parsed_raises_and_a_negative_only_query_counts_nothing(index):
    _, idx = index
    with pytest.raises(qy.QueryError):
        series.query_hits(idx, '"未闭合')
    assert series.query_hits(idx, "-疫情").empty


def test_pinghu_timeline_and_trends_take_queries(corpus_env, capsys):
    import io

    import pandas as pd

    from pinghu_core.cli import main as cli

    assert (
        cli.main(["timeline", "--query", "项目  投资|融资", "--query", "文明城市", "--granularity", "year"])
        == 0
    )
    table = pd.read_csv(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff")))
    assert set(table["series_id"]) == {"query:项目 投资|融资", "query:文明城市"}
    assert set(table["series_label"]) == {"检索：项目 投资|融资", "检索：文明城市"}
    assert table.loc[table["series_id"] == "query:文明城市", "numerator"].sum() >= 1
    args = [
        "trends",
        "--from",
        "2025-01-01",
        "--to",
        "2025-08-17",
        "--vs-from",
        "2020-01-01",
        "--vs-to",
        "2020-12-31",
    ]
    assert cli.main([*args, "--query", "文明城市"]) == 0
    trends = pd.read_csv(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff")), keep_default_na=False)
    row = trends.set_index("series_id").loc["query:文明城市"]
    assert (row["series_kind"], row["flag"], row["later_count"]) == ("检索式", "消失", 0)
    assert cli.main(["timeline", "--query=-疫情"]) == 2
    assert "至少要有一个要包含的词" in capsys.readouterr().err
    assert cli.main(["timeline"]) == 2
    assert "--query" in capsys.readouterr().err


ALPHABET = "项目投资融资长三角一体化工疫情防控 \n“”😀"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    bodies=st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=12),
    titles=st.lists(st.text(alphabet=ALPHABET.replace("\n", ""), max_size=8), min_size=1, max_size=12),
    query=st.sampled_from(
        [
            "项目",
            "投资|融资",
            "长三角 一体化|化工",
            "长三角|长三角一体化",
            "资|融资",
            "疫情 -防控",
            '"项目投资"',
        ]
    ),
)
@example(
    bodies=["融资后投资", "投资", "项目"], titles=["融资"], query="投资|融资"
)  # found in order of first hit
def test_query_hits_count_as_the_regex_scan_of_heading_and_body_apart(index, bodies, titles, query):
    """Counting each term (``separable`` terms: ``str.count`` over the stored texts) or scanning with
    the regex gives the hits, heading hits and found terms of scanning heading and body apart."""
    n = len(bodies)
    articles = index[0].articles.head(n).copy()  # real rows (every column), other texts
    articles["kind"] = "news"
    articles["kicker"] = articles["subtitle"] = ""
    articles["title"] = [titles[i % len(titles)] for i in range(n)]
    articles["body"] = bodies
    idx = se.build_index(articles, schemas.ARTICLE_PLACES.empty(), None)
    got = series.query_hits(idx, query)
    parsed = qy.parse(series.query_text(query))
    rows = np.flatnonzero(se.query_mask(idx, parsed, np.ones(n, dtype=bool)))
    pattern = re.compile("|".join(re.escape(t) for t in parsed.hit_terms))
    want = series._query_hits_apart(idx, query, rows, pattern)  # noqa: SLF001 - the obviously right way
    cols = ["article_id", "title_hits", "body_hits", "hits", "in_title", "terms"]
    pd.testing.assert_frame_equal(got[cols].reset_index(drop=True), want[cols].reset_index(drop=True))
