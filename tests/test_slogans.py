"""Slogan discovery on the seeds, and slogans counted like themes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pinghu_core.common import schemas
from pinghu_core.corpus import derived, ingest
from pinghu_core.themes import slogans

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    return ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1).articles


@pytest.fixture(scope="module")
def found(seeds) -> pd.DataFrame:
    return slogans.find_slogans(seeds, min_articles=1).set_index("slogan")


FOUND = [
    # (slogan, kind, first date) — single-page slogans need min_articles=1
    ("四大百日攻坚", "quote", "2025-08-17"),  # 004, one article
    ("两稳一保", "quote", "2022-05-28"),
    ("交地即施工", "quote", "2020-07-22"),
    ("低散乱", "quote", "2020-11-10"),
    ("五群善治", "quote", "2025-08-17"),
    ("1+8", "quote", "2022-05-28"),
    ("《浙江省综合行政执法条例》", "document", "2022-05-28"),
    ("《浙江省实施〈中华人民共和国节约能源法〉办法》", "document", "2022-05-28"),
]


@pytest.mark.parametrize(("slogan", "kind", "first"), FOUND)
def test_slogans_found_on_the_seeds(found, slogan, kind, first) -> None:
    assert slogan in found.index
    assert found.loc[slogan, "kind"] == kind
    assert found.loc[slogan, "first_date"] == pd.Timestamp(first)


NOT_FOUND = [
    "有了这条快速审批通道，等土地摘牌后我们就能在第一时间开始施工了。",  # speech
    "项目的签约落地，就意味着我们全流程跟踪服务的开始。",
    "这里太美了！古色古香！",
    "大家都是来自哪里的？",
    "危",  # one character
    "浙江省综合行政执法条例",  # only as a document title, which keeps its 《》
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_speech_and_fragments_are_not_slogans(found, text) -> None:
    assert text not in found.index


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("四大百日攻坚", True),
        ("1+8", True),
        ("凤凰筑巢来 民族一家亲", True),
        ("这么热的天，这些清凉物资来得太及时了。", False),
        ("我是挑战王", False),  # opens like speech
        ("感谢爱心人士给我们送清凉", False),
        ("市场拓展难", True),
    ],
)
def test_is_slogan(text, expected) -> None:
    assert slogans.is_slogan(text) is expected


def test_recurring_means_in_at_least_min_articles(seeds) -> None:
    recurring = slogans.find_slogans(seeds).set_index("slogan")
    assert (recurring["articles"] >= 2).all()
    assert "4+1" in recurring.index and "四大百日攻坚" not in recurring.index
    assert recurring.loc["4+1", "first_date"] == pd.Timestamp("2020-07-22")
    assert recurring.loc["4+1", "last_date"] == pd.Timestamp("2022-05-28")
    assert len(recurring.loc["4+1", "article_ids"]) == 2
    assert recurring["articles"].is_monotonic_decreasing


def test_counts_and_article_ids(found, seeds) -> None:
    row = found.loc["低散乱"]
    assert row["articles"] == 1 and row["mentions"] > 5  # title, subtitle and body of one article
    (aid,) = row["article_ids"]
    assert seeds.set_index("article_id").loc[aid, "title"] == "“低散乱”整治辟出高质量发展轨道"


def test_frame_matches_its_schema(seeds) -> None:
    schemas.check(slogans.find_slogans(seeds, min_articles=1), schemas.SLOGANS)
    schemas.check(slogans.find_slogans(schemas.ARTICLES.empty()), schemas.SLOGANS)
    schemas.check(slogans.find_slogans(seeds, min_articles=10_000), schemas.SLOGANS)


def test_slogan_hits_look_like_theme_hits(seeds) -> None:
    got = slogans.slogan_hits(seeds, ["四大百日攻坚", "《浙江省综合行政执法条例》", "不存在的口号"])
    schemas.check(got, schemas.ARTICLE_THEMES)
    first = got.set_index("theme_id").loc["slogan:四大百日攻坚"]
    assert first["theme_label"] == "“四大百日攻坚”" and first["theme_group"] == "口号"
    # kicker once; body four times quoted and once bare (…“除险保安”四大百日攻坚行动动员大会)
    assert first["in_title"] and first["title_hits"] == 1 and first["hits"] == 6
    doc = got.set_index("theme_id").loc["slogan:《浙江省综合行政执法条例》"]
    assert doc["theme_label"] == "《浙江省综合行政执法条例》" and doc["hits"] == 4
    assert "slogan:不存在的口号" not in set(got["theme_id"])


def test_found_a_few_articles_at_a_time_as_over_the_whole_corpus(seeds, monkeypatch):
    """No quote spans two articles, so scanning slices of the articles finds what one string of every
    text finds, in the same order."""
    whole = slogans.find_slogans(seeds, min_articles=1)
    monkeypatch.setattr(slogans, "SCAN_ARTICLES", 3)
    pd.testing.assert_frame_equal(slogans.find_slogans(seeds, min_articles=1), whole)


# ---------------------------------------------------------------- the titles in 《》 each item names


def _items(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """Items of (id, kind, title, body): the columns article_documents reads, as the corpus has them."""
    frame = pd.DataFrame(
        [
            {"article_id": a, "kind": k, "kicker": "", "title": t, "subtitle": "", "body": b}
            for a, k, t, b in rows
        ],
        columns=list(derived.ARTICLE_TEXT),
    )
    return frame.astype("string").astype({"kind": pd.CategoricalDtype(schemas.KINDS)})


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (  # the headline's title first, then the body's in order; a title named twice is listed once
            [("a1", "news", "学习《平湖市村庄规划》", "落实《中华人民共和国民法典》和《平湖市村庄规划》。")],
            [("a1", "《平湖市村庄规划》"), ("a1", "《中华人民共和国民法典》")],
        ),
        (  # 《决定》《意见》 stand for a document named in full elsewhere; an ad or a guide names none
            [
                ("a1", "news", "", "根据《决定》和《意见》，出台《实施办法》。"),
                ("a2", "ad", "", "订阅《嘉兴日报》"),
                ("a3", "guide", "《导读》", "详见《平湖新闻》"),
                ("a4", "photo", "", "《平湖新闻》摄"),
            ],
            [("a1", "《实施办法》"), ("a4", "《平湖新闻》")],
        ),
        (  # a title does not span a line or the end of one part of the text
            [("a1", "commentary", "《半个", "标题》正文《完整的标题》")],
            [("a1", "《完整的标题》")],
        ),
        ([("a1", "news", "标题", "没有书名号的正文。")], []),
    ],
)
def test_article_documents(rows, expected):
    got = slogans.article_documents(_items(*rows))
    schemas.check(got, schemas.ARTICLE_DOCUMENTS)
    assert list(got.itertuples(index=False, name=None)) == expected


def test_article_documents_read_a_block_of_items_at_a_time_as_all_at_once(seeds, monkeypatch):
    whole = slogans.article_documents(seeds)
    assert len(whole) and whole["title"].str.startswith("《").all()
    monkeypatch.setattr(slogans, "DOCUMENT_BLOCK", 2)
    pd.testing.assert_frame_equal(slogans.article_documents(seeds), whole)


def test_stored_documents_are_computed_once_and_read_back(seeds, tmp_path, monkeypatch):
    first = slogans.stored_documents(seeds, tmp_path, "fp")
    pd.testing.assert_frame_equal(first, slogans.article_documents(seeds))
    monkeypatch.setattr(slogans, "article_documents", lambda *a: pytest.fail("computed again"))
    pd.testing.assert_frame_equal(slogans.stored_documents(seeds, tmp_path, "fp"), first)
