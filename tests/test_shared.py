"""The results several pages share (pinghu_core.search.shared): computed once, stored with the corpus
cache, the same as each module's own function gives; the places the same in a pool of processes;
and, on the app side, computed in the background with a progress bar when the corpus is large."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import hold, open_app_page

from pinghu_core.corpus import derived, ingest
from pinghu_core.corpus import prominence as pr
from pinghu_core.search import index as se
from pinghu_core.search import places as pl
from pinghu_core.search import shared
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import slogans as sl


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_corpus: Path) -> ingest.Corpus:
    return ingest.load_corpus(sample_corpus, cache_dir=tmp_path_factory.mktemp("cache"), workers=1)


def steps_in(corpus: ingest.Corpus, root: Path, **kwargs) -> list[shared.Step]:
    defaults = {"gazetteer": pl.load_gazetteer(), "themes": th.load_themes(), "rules": pr.rules()}
    return shared.steps(corpus, root, **{**defaults, **kwargs})


def test_every_result_is_computed_once_stored_and_the_same_as_its_own_function(corpus, tmp_path) -> None:
    todo = steps_in(corpus, tmp_path)
    assert [s.label for s in todo] == ["地点", "政策主题", "检索文本", "口号", "文件名", "显著度"]
    assert shared.missing(todo, tmp_path) == todo  # nothing stored yet
    seen: list[tuple[int, int, str]] = []
    done = shared.compute(todo, len(corpus.articles), lambda *p: seen.append(p))
    assert done == ["地点", "政策主题", "检索文本", "口号", "文件名", "显著度"]
    assert shared.missing(todo, tmp_path) == []
    assert not shared.missing(todo, tmp_path) and all(derived.is_stored(tmp_path, s.stored) for s in todo)
    # each step's stage says which step of how many; it ends at every article
    n = len(corpus.articles)
    assert (
        seen[0] == (0, n, "预先计算：地点（第 1/6 步）") and (n, n, "预先计算：显著度（第 6/6 步）") in seen
    )
    # what is stored is what each module computes itself
    articles, fp = corpus.articles, corpus.fingerprint
    stored = pl.stored_article_places(articles, pl.load_gazetteer(), tmp_path, fp)
    pd.testing.assert_frame_equal(stored, pl.article_places(articles, pl.load_gazetteer()))
    pd.testing.assert_frame_equal(
        th.stored_tags(articles, th.load_themes(), tmp_path, fp), th.tag_articles(articles, th.load_themes())
    )
    assert list(se.stored_normalised(articles, tmp_path, fp)) == se.normalised_texts(se.search_text(articles))
    pd.testing.assert_frame_equal(sl.stored_slogans(articles, tmp_path, fp), sl.find_slogans(articles))
    pd.testing.assert_frame_equal(sl.stored_documents(articles, tmp_path, fp), sl.article_documents(articles))


def test_no_place_file_or_dictionary_leaves_their_steps_out(corpus, tmp_path) -> None:
    todo = steps_in(corpus, tmp_path, gazetteer=None, themes=None)
    assert [s.label for s in todo] == ["检索文本", "口号", "文件名", "显著度"]


def test_the_places_are_the_same_in_a_pool_of_processes(corpus, monkeypatch) -> None:
    """In chunks in two worker processes (as pinghu ingest finds them on a large corpus): the same
    rows in the same order, and the progress counts every article."""
    monkeypatch.setattr(pl, "MIN_PARALLEL", 0)
    monkeypatch.setattr(pl, "CHUNK", 7)
    gaz = pl.load_gazetteer()
    seen: list[int] = []
    pooled = pl.article_places(corpus.articles, gaz, workers=2, progress=lambda d, t, s: seen.append(d))
    alone = pl.article_places(corpus.articles, gaz)
    pd.testing.assert_frame_equal(pooled, alone)
    assert len(alone) > 10 and seen[0] == 0 and seen[-1] == len(corpus.articles) and sorted(seen) == seen


def test_a_large_corpus_finds_its_shared_results_in_the_background_with_progress(corpus_env, monkeypatch):
    """Above INLINE_ARTICLES the places, theme hits … are found in a thread of the server, never in a
    page run: 文章检索 shows the progress and stops; once they are stored, the page is drawn."""
    from pinghu_app import shared as app_shared

    monkeypatch.setattr(app_shared, "INLINE_ARTICLES", 0)
    release = hold(monkeypatch, pl, "stored_article_places")
    at = open_app_page("pages/articles.py")
    bars = at.get("progress")
    # 正在预先计算 (the build just started), or already 正在预先计算：地点（第 1/6 步）：0/47 篇文章
    assert bars and bars[0].proto.text.startswith("正在预先计算"), [b.proto.text for b in bars]
    assert not at.title and not at.dataframe  # the run stopped before the page
    release.set()
    assert app_shared.join_builds(60)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["文章检索"] and at.dataframe
