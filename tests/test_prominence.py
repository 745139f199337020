"""Prominence (issue 15, part 3): 版面, 头版, 版面位次, 头条, share of the 版面 and weights — on the
sample pages, on article files as an e-paper crawl names them, under generated corpora (properties),
and through the timeline's 仅头版 / 仅头条 scopes and its weighted measure."""

from __future__ import annotations

from pathlib import Path

import hypothesis.strategies as hs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from pinghu_core.common import datafiles, schemas
from pinghu_core.corpus import ingest
from pinghu_core.corpus import prominence as pr
from pinghu_core.themes import timeline as tl

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "corpus"
RULES = pr.build_rules(
    {
        "front": {"page_nos": ["1", "A1"]},
        "lead": {"kinds": ["news"], "longest_for_layouts": ["pdf"]},
        "weights": {"lead": 3, "front": 1, "inner": 0.5},
    }
)


def pages_frame(rows: list[dict]) -> pd.DataFrame:
    base = {c: None for c in schemas.PAGES.names} | {
        "date_source": "filename",
        "layout": "clean",
        "shape": "page",
    }
    return schemas.conform(pd.DataFrame([base | r for r in rows]), schemas.PAGES)


def articles_frame(rows: list[dict]) -> pd.DataFrame:
    base = {c: None for c in schemas.ARTICLES.names} | {"kind": "news", "date_source": "filename"}
    return schemas.conform(pd.DataFrame([base | r for r in rows]), schemas.ARTICLES)


@pytest.fixture(scope="module")
def sample() -> ingest.Corpus:
    return ingest.load_corpus(SAMPLE, cache_dir=None, progress=False)


def test_the_shipped_rules_file_reads() -> None:
    assert pr.rules_problem() == ""
    rules = pr.rules()
    assert rules.front_page_nos == {"1", "A1"} and rules.lead_kinds == {"news"}
    assert rules.weights_zh() == "头条记3，头版其他文章记1，其他版面的文章记0.5"


def test_sample_pages_leads(sample) -> None:
    """Each sample page is a front page; its 头条 is its first news item — the 第六届全国文明城市 page's
    396-character lead before longer stories — except on the page extracted from a PDF, where the text
    order is not the print order and the longest news item is taken."""
    table = pr.prominence(sample.articles, sample.pages, RULES)
    schemas.check(table, schemas.PROMINENCE)
    assert table["front"].all()
    leads = sample.articles.loc[table["lead"].to_numpy(), ["source", "title"]]
    got = dict(zip(leads["source"], leads["title"].str.replace(" ", ""), strict=True))
    assert got == {
        "000_a298d888743d6040.txt": "平湖重点项目建设加速度",
        "001_9b8e91649bcfa4b4.txt": "平湖入选第六届全国文明城市名单",
        "002_695e9bb9faad4e4f.txt": "全力助企纾困稳住经济大盘",
        "003_29a27f5c4b9ee554.txt": "打一场“以人民为中心”的擂台赛",
        "004_525199ea1aea63ef.txt": "奋战百日决胜全年彰显“创新突破”新成效",
    }
    layout = dict(zip(sample.pages["source"], sample.pages["layout"].astype(str), strict=True))
    assert layout["003_29a27f5c4b9ee554.txt"] == "pdf"
    # ads, mastheads, guides and weather are not ranked and weigh nothing
    others = ~sample.articles["kind"].isin(schemas.ARTICLE_KINDS).to_numpy()
    assert (table.loc[others, "rank"] == 0).all() and (table.loc[others, "weight"] == 0).all()
    assert set(table.loc[~others, "weight"]) == {1.0, 3.0}


def crawl(page_nos: dict[str, int], date: str = "2019-10-20") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Article files of one day as e-paper crawls name them (20191020-01-03.txt): ``page_nos`` maps
    a 版次 to its number of articles; the 2nd article of each page is the longest."""
    pages, articles = [], []
    for page_no, n in page_nos.items():
        for i in range(n):
            pid = f"{page_no}{i:02d}".rjust(16, "0")
            source = f"{date.replace('-', '')}-{page_no}-{i + 1:02d}.txt"
            pages.append(
                {
                    "page_id": pid,
                    "source": source,
                    "date": date,
                    "page_no": page_no,
                    "shape": "article",
                    "edition": "",
                }
            )
            articles.append(
                {"article_id": f"{pid}-00", "page_id": pid, "source": source, "date": date, "page_no": page_no,
                 "order": i, "chars": 900 if i == 1 else 300, "kind": "news"}
            )  # fmt: skip
    return articles_frame(articles), pages_frame(pages)


def test_article_files_of_a_whole_paper() -> None:
    articles, pages = crawl({"01": 3, "02": 2, "A1": 1})
    table = pr.prominence(articles, pages, RULES)
    assert table["page_key"].nunique() == 3  # one 版面 per 版次 of the day, whatever the files
    assert table["front"].tolist() == [True, True, True, False, False, True]
    assert table["rank"].tolist() == [1, 2, 3, 1, 2, 1]
    # the first article of 01 and of A1 (a section's front page); none on 02
    assert table["lead"].tolist() == [True, False, False, False, False, True]
    assert table["weight"].tolist() == [3.0, 1.0, 1.0, 0.5, 0.5, 3.0]
    shares = table.groupby("page_key")["page_share"].sum()
    assert np.allclose(shares, 1.0)
    assert table.loc[0, "page_share"] == pytest.approx(300 / 1500)


def test_article_files_in_any_file_order() -> None:
    """The order on the page comes from the file name, not from where the file sits in the corpus."""
    articles, pages = crawl({"01": 3})
    shuffled = articles.iloc[[2, 0, 1]].reset_index(drop=True)
    table = pr.prominence(shuffled, pages, RULES)
    assert table["rank"].tolist() == [3, 1, 2]
    assert table["lead"].tolist() == [False, True, False]


def test_front_pages_only_corpus_without_page_numbers() -> None:
    """No file names a 版次: a corpus of front pages; a 版次 other than 1 anywhere: unknown ones are not."""
    articles, pages = crawl({"": 2})
    assert pr.prominence(articles, pages, RULES)["front"].all()
    a2, p2 = crawl({"02": 1}, date="2019-10-21")
    both = pr.prominence(
        pd.concat([articles, a2], ignore_index=True), pd.concat([pages, p2], ignore_index=True), RULES
    )
    assert both["front"].tolist() == [False, False, False]
    assert not both["lead"].any()


def test_longest_when_the_layout_says_so() -> None:
    articles, pages = crawl({"01": 3})
    pages["layout"] = pd.Categorical(["pdf"] * len(pages), categories=schemas.LAYOUTS)
    assert pr.prominence(articles, pages, RULES)["lead"].tolist() == [False, True, False]


def test_only_the_kinds_named_can_lead() -> None:
    articles, pages = crawl({"01": 3})
    articles["kind"] = pd.Categorical(["photo", "commentary", "news"], categories=schemas.KINDS)
    assert pr.prominence(articles, pages, RULES)["lead"].tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"front": {"page_nos": []}}, "至少要有一个版次"),
        ({"front": {"page_nos": "1"}}, "应是一列文字"),
        ({"front": {"page_nos": ["1"]}, "lead": {"kinds": ["头条"]}}, "不是条目类型"),
        ({"front": {"page_nos": ["1"]}, "lead": {"longest_for_layouts": ["scan"]}}, "不是版式"),
        (
            {"front": {"page_nos": ["1"]}, "weights": {"lead": "三", "front": 1, "inner": 0.5}},
            "应是 0 到 1000 之间的数",
        ),
        (
            {"front": {"page_nos": ["1"]}, "weights": {"lead": -1, "front": 1, "inner": 0.5}},
            "应是 0 到 1000 之间的数",
        ),
        ({"front": ["1"]}, "应是一个表"),
    ],
)
def test_bad_rules_are_explained_in_chinese(data, message) -> None:
    with pytest.raises(ValueError, match=message):
        pr.build_rules(data)


def test_a_broken_rules_file_keeps_the_last_good(tmp_path, monkeypatch) -> None:
    good = (ROOT / "data" / pr.PROMINENCE_FILE).read_text(encoding="utf-8")
    path = tmp_path / pr.PROMINENCE_FILE
    path.write_text(good.replace("lead = 3.0", "lead = 5.0"), encoding="utf-8")
    monkeypatch.setattr(datafiles, "DATA_DIR", tmp_path)
    assert pr.rules().lead_weight == 5.0 and pr.rules_problem() == ""
    path.write_text(good.replace("lead = 3.0", 'lead = "很多"'), encoding="utf-8")
    assert pr.rules().lead_weight == 5.0  # kept
    assert "显著度规则文件 prominence.toml 无法读取" in pr.rules_problem()
    assert "[weights] lead" in pr.rules_problem() and "沿用上一次可用的内容" in pr.rules_problem()


def test_editing_the_rules_does_not_reparse() -> None:
    assert pr.FILE not in datafiles.FILES and pr.FILE in datafiles.AFTER_PARSE


# ---------------------------------------------------------------- properties over generated corpora

_item = hs.tuples(hs.sampled_from(schemas.KINDS), hs.integers(0, 2000))
_page = hs.tuples(
    hs.sampled_from(["", "01", "1", "02", "A1", "B3"]),
    hs.sampled_from(schemas.LAYOUTS),
    hs.sampled_from(["page", "article"]),
    hs.lists(_item, min_size=1, max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.lists(_page, min_size=1, max_size=6), hs.randoms(use_true_random=False))
def test_invariants_on_generated_corpora(spec, rnd) -> None:
    pages, articles = [], []
    for p, (page_no, layout, shape, items) in enumerate(spec):
        day = f"2020-01-{1 + p % 3:02d}"
        for i, (kind, chars) in enumerate(items):
            file = i if shape == "article" else 0  # article files: one item a file
            pid, source = f"{p:08d}{file:08d}", f"p{p}-{file}.txt"
            if shape == "article" or i == 0:
                pages.append(
                    {
                        "page_id": pid,
                        "source": source,
                        "date": day,
                        "page_no": page_no,
                        "shape": shape,
                        "layout": layout,
                        "edition": "",
                    }
                )
            articles.append({"article_id": f"{pid}-{i:02d}", "page_id": pid, "source": source, "date": day,
                             "page_no": page_no, "order": i, "chars": chars, "kind": kind})  # fmt: skip
    a, pg = articles_frame(articles), pages_frame(pages)
    a = a.iloc[rnd.sample(range(len(a)), len(a))].reset_index(drop=True)  # any order of rows
    table = pr.prominence(a, pg, RULES)
    schemas.check(table, schemas.PROMINENCE)
    assert table["article_id"].tolist() == a["article_id"].tolist()  # aligned with the articles
    is_article = table["rank"] > 0
    for _, rows in table.groupby("page_key"):
        ranks = sorted(rows.loc[rows["rank"] > 0, "rank"])
        assert ranks == list(range(1, len(ranks) + 1))  # 1 … n among the 版面's articles
        assert rows["lead"].sum() <= 1
        if rows["lead"].any():
            assert rows["front"].all()
        total = a.loc[rows.index, "chars"].sum()
        assert rows["page_share"].sum() == pytest.approx(1.0 if total else 0.0)
    assert ((table["weight"] > 0) == is_article).all()
    assert (table.loc[table["lead"], "weight"] == 3.0).all()
    assert ((table["weight"] == 0.5) == (is_article & ~table["front"])).all()


# ---------------------------------------------------------------- the timeline's scopes and weights


def test_timeline_scopes_and_weighted_measure() -> None:
    """Two days of a whole paper (01: three articles, 02: two); the theme is in the lead of day one,
    in an article inside on day two.  Numerator and denominator stay in the scope."""
    a1, p1 = crawl({"01": 3, "02": 2}, date="2020-01-10")
    a2, p2 = crawl({"01": 3, "02": 2}, date="2020-02-10")
    a2["article_id"] = a2["article_id"] + "b"
    p2["page_id"] = p2["page_id"].str.replace("0", "9", n=1)
    a2["page_id"] = a2["page_id"].str.replace("0", "9", n=1)
    articles, pages = pd.concat([a1, a2], ignore_index=True), pd.concat([p1, p2], ignore_index=True)
    prom = pr.prominence(articles, pages, RULES)
    hit = {"theme_id": "t", "theme_label": "T", "theme_group": "", "title_hits": 0, "body_hits": 1, "hits": 1,
           "weight": 1.0, "in_title": False, "terms": "词"}  # fmt: skip
    hits = schemas.conform(
        pd.DataFrame([hit | {"article_id": articles.loc[i, "article_id"]} for i in (0, 8)]),
        schemas.ARTICLE_THEMES,
    )

    def values(**kw) -> list[tuple[float, float]]:
        got = tl.timeline(articles, pages, hits, ["t"], prominence=prom, **kw)
        return list(zip(got["numerator"], got["denominator"], strict=True))

    assert values(measure="count") == [(1, 5), (1, 5)]
    assert values(measure="count", scope="front") == [(1, 3), (0, 3)]
    assert values(measure="count", scope="lead") == [(1, 1), (0, 1)]
    # weights: lead 3, two others of 01 at 1, two of 02 at 0.5 → 6 a day
    assert values(measure="share_weighted") == [(3.0, 6.0), (0.5, 6.0)]
    got = tl.timeline(articles, pages, hits, ["t"], measure="share_weighted", prominence=prom)
    assert got["value"].tolist() == [0.5, 0.5 / 6]
    assert (
        "加权3 / 当月新闻报道（新闻、图片新闻、评论）加权合计6"
        in tl.hover_labels(got, "share_weighted", "month")[0]
    )
    # without a frame given, the timeline computes it with the rules of data/prominence.toml
    assert tl.timeline(articles, pages, hits, ["t"], measure="count", scope="lead")["numerator"].tolist() == [
        1,
        0,
    ]
    with pytest.raises(ValueError, match="未知的范围"):
        tl.timeline(articles, pages, hits, ["t"], scope="top")


def test_page_numbers_as_the_name_says_or_1_on_front_pages_only() -> None:
    articles, pages = crawl({"01": 1, "02": 1, "A1": 1})
    assert pr.prominence(articles, pages, RULES)["page_no"].tolist() == ["1", "2", "A1"]
    unnamed, unnamed_pages = crawl({"": 2})
    assert pr.prominence(unnamed, unnamed_pages, RULES)["page_no"].tolist() == ["1", "1"]
    a2, p2 = crawl({"02": 1}, date="2019-10-21")
    mixed = pr.prominence(
        pd.concat([unnamed, a2], ignore_index=True), pd.concat([unnamed_pages, p2], ignore_index=True), RULES
    )
    assert mixed["page_no"].tolist() == ["", "", "2"]  # unknown where other pages are numbered


def test_stored_with_the_corpus_cache_and_keyed_by_the_rules(tmp_path, monkeypatch, sample) -> None:
    """``pinghu ingest`` keeps the frame with the cache; a second process reads it; other rules (an edit
    of data/prominence.toml) compute it again."""
    first = pr.stored_prominence(sample.articles, sample.pages, RULES, tmp_path, "fp")
    pd.testing.assert_frame_equal(first, pr.prominence(sample.articles, sample.pages, RULES))
    with monkeypatch.context() as m:
        m.setattr(pr, "prominence", lambda *a: (_ for _ in ()).throw(AssertionError("computed again")))
        pd.testing.assert_frame_equal(
            pr.stored_prominence(sample.articles, sample.pages, RULES, tmp_path, "fp"), first
        )
    heavier = pr.build_rules(
        {
            "front": {"page_nos": ["1"]},
            "lead": {"kinds": ["news"]},
            "weights": {"lead": 5, "front": 1, "inner": 0.5},
        }
    )
    again = pr.stored_prominence(sample.articles, sample.pages, heavier, tmp_path, "fp")
    assert set(again.loc[again["lead"], "weight"]) == {5.0}


@pytest.mark.parametrize(
    ("page_nos", "word"),
    [
        (["1", "01", "A1"], "头版"),  # every 版次 a front page's, however written
        (["", "", ""], "头版"),  # no 版次 written: the sample's front pages
        ([], "头版"),
        (["01", "02"], "各版"),  # a whole paper
        (["", "05"], "各版"),  # one inner page is enough
        (["A1", "B1"], "各版"),
    ],
)
def test_what_captions_call_the_pages(page_nos, word) -> None:
    assert pr.pages_word_zh(page_nos, frozenset({"1", "A1"})) == word
