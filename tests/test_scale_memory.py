"""Structures changed for ten times the corpus (issue 14, part 5): each gives the same results as
before, on the sample corpus and on a small generated one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from bench import synth
from pinghu_core.corpus import derived, ingest
from pinghu_core.progress import figures as pg
from pinghu_core.progress import view as pv
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes import slogans
from pinghu_core.themes import view as views
from pinghu_core.words import index as words

SAMPLE = Path("data/corpus").resolve()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    synth.generate_corpus(out, start=date(2020, 5, 1), days=40, seed=11)
    return out


@pytest.fixture(params=["sample", "generated"])
def loaded(
    request: pytest.FixtureRequest, generated: Path, tmp_path: Path
) -> tuple[Path, Path, ingest.Corpus]:
    """(corpus folder, cache folder, the corpus loaded warm from that cache)."""
    folder = SAMPLE if request.param == "sample" else generated
    cache = tmp_path / "cache"
    ingest.load_corpus(folder, cache_dir=cache, workers=1)  # cold: writes the cache
    return folder, cache, ingest.load_corpus(folder, cache_dir=cache, workers=1)


def test_released_mappings_read_the_same_frames(loaded):
    """release_mapped takes the mapped cache out of the resident set: every frame reads the same after."""
    _, _, corpus = loaded
    assert corpus.stats["from_cache"] == corpus.stats["files"]
    before = [f.copy(deep=True) for f in (corpus.articles, corpus.pages, corpus.progress)]
    assert ingest.release_mapped() > 0  # the warm load mapped its Arrow files
    for was, now in zip(before, (corpus.articles, corpus.pages, corpus.progress), strict=True):
        pd.testing.assert_frame_equal(now, was)
    assert ingest.release_mapped() > 0  # and again, after everything was read once more


def test_stored_text_digests_equal_the_digests_made_from_the_texts(loaded, monkeypatch):
    folder, cache, corpus = loaded
    root = ingest.cache_root(cache, folder)
    made = words.text_digests(corpus.articles)
    assert words.stored_text_digests(corpus.articles, root, corpus.fingerprint).to_pylist() == made
    assert list((root / derived.FOLDER).glob("textdigests-*.parquet"))

    def hashed(articles):
        raise AssertionError("hashed the texts again")

    monkeypatch.setattr(words, "text_digests", hashed)
    assert (
        words.stored_text_digests(corpus.articles, root, corpus.fingerprint).to_pylist() == made
    )  # read back
    monkeypatch.undo()
    # other articles than those stored (another order): made from the texts, not read
    shuffled = corpus.articles.iloc[::-1].reset_index(drop=True)
    assert words.stored_text_digests(shuffled, root, corpus.fingerprint).to_pylist() == made[::-1]


def test_word_index_with_stored_digests_equals_the_one_without(loaded):
    folder, cache, corpus = loaded
    theme_dict = themes.load_themes()
    built = words.build_index(
        corpus.articles, theme_dict, cache_dir=cache, corpus_dir=folder, fingerprint=corpus.fingerprint
    )
    plain = words.load_index(corpus.articles, theme_dict, cache_dir=cache, corpus_dir=folder)
    stored = words.load_index(
        corpus.articles, theme_dict, cache_dir=cache, corpus_dir=folder, fingerprint=corpus.fingerprint
    )
    assert plain is not None and stored is not None and stored.stats["from_cache"]
    for index in (built, stored):
        assert list(index.article_ids) == list(plain.article_ids)
        assert index.art_doc.tolist() == plain.art_doc.tolist()
        assert index.vocab.tolist() == plain.vocab.tolist()
        assert index.doc_start.tolist() == plain.doc_start.tolist()
        assert index.bag_term.tolist() == plain.bag_term.tolist()
        assert index.bag_count.tolist() == plain.bag_count.tolist()


@pytest.mark.parametrize(
    "view",
    [
        pv.ProgressView(),
        pv.ProgressView(metric="investment_planned"),  # the metric of the view is not what is read
        pv.ProgressView(start=date(2020, 5, 10), end=date(2020, 6, 1)),
        pv.ProgressView(start=date(2020, 5, 10)),
    ],
)
def test_figures_of_give_the_frames_of_filter_figures(loaded, view):
    """latest_completion and investment_pairs from the rows of their metrics only (figures_of) equal
    those from every figure of the scope (filter_figures), frame for frame."""
    _, _, corpus = loaded
    progress = corpus.progress
    assert (progress["metric"] == pg.COMPLETION).any()
    order = pv.newest_first(progress)
    scope = pv.filter_figures(progress, replace(view, metric=""))
    got = pv.figures_of(progress, view, [pg.COMPLETION], order)
    pd.testing.assert_frame_equal(got, scope[scope["metric"] == pg.COMPLETION])
    pd.testing.assert_frame_equal(pg.latest_completion(got), pg.latest_completion(scope))
    rows = pv.figure_positions(progress, replace(view, metric=""), order)
    pd.testing.assert_frame_equal(pg.latest_completion(progress, rows), pg.latest_completion(scope))
    pd.testing.assert_frame_equal(
        pg.investment_pairs(pv.figures_of(progress, view, pg.PAIR_METRICS, order)), pg.investment_pairs(scope)
    )


def slogan_table_before(slogans: pd.DataFrame, articles: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """themes.view.slogan_table as it was (a frame of every (slogan, article id) pair, mapped
    through an index of ids, crosstab): the reference the integer-coded version must equal."""
    months = views.month_starts(articles)
    with_pages = set(pages["date"].dropna().dt.to_period("M"))
    month_of = articles.set_index("article_id")["date"].dt.to_period("M")
    exploded = slogans[["slogan", "article_ids"]].explode("article_ids").dropna(subset=["article_ids"])
    exploded = exploded.assign(month=exploded["article_ids"].map(month_of)).dropna(subset=["month"])
    per_month = pd.crosstab(exploded["slogan"], exploded["month"]).reindex(columns=months, fill_value=0)

    def line(s: str) -> list[int | None]:
        counts = per_month.loc[s] if s in per_month.index else pd.Series(0, index=months)
        return [int(v) if m in with_pages else None for m, v in zip(months, counts, strict=True)]

    return pd.Series({s: line(s) for s in slogans["slogan"]})


def test_slogan_table_equals_the_table_from_every_pair(loaded):
    _, _, corpus = loaded
    found = slogans.find_slogans(corpus.articles, min_articles=1)
    assert len(found) > 3
    # an id of no article, and an undated article, are left out as before
    extra = found.head(2).assign(article_ids=[["nobody-00"], list(found["article_ids"].iloc[1]) * 2])
    undated = corpus.articles.assign(date=corpus.articles["date"].where(corpus.articles.index % 7 != 0))
    for table, articles in (
        (found, corpus.articles),
        (pd.concat([found, extra], ignore_index=True), undated),
    ):
        got = views.slogan_table(table, articles, corpus.pages)
        want = slogan_table_before(table, articles, corpus.pages)
        assert got["每月文章数"].tolist() == [want[s] for s in table["slogan"]]
        assert any(v for line in got["每月文章数"] for v in line)


def test_warm_frames_equal_a_fresh_parse_and_empty_name_lists_are_one(loaded):
    folder, _, corpus = loaded
    fresh = ingest.load_corpus(folder, use_cache=False, workers=1)
    for name in ("articles", "pages", "progress"):
        pd.testing.assert_frame_equal(getattr(corpus, name), getattr(fresh, name))
    for column in ("reporters", "correspondents", "photographers", "interns", "authors"):
        values = corpus.articles[column].tolist()
        assert all(isinstance(v, list) for v in values)
        empty = [v for v in values if not v]
        assert empty and len({id(v) for v in empty}) == 1, column
        assert all(v == w for v, w in zip(values, fresh.articles[column], strict=True))
