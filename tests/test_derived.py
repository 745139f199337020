"""Results computed once per corpus and kept with its cache (pinghu_core.corpus.derived): the same
frames as computing them, built once, rebuilt when anything they depend on changes, never a failure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_CORPUS, outputs_under_hash_seeds

from pinghu_core.corpus import derived, ingest
from pinghu_core.search import index as se
from pinghu_core.search import places as pl
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import slogans as sl


@pytest.fixture(scope="module")
def corpus() -> ingest.Corpus:
    return ingest.load_corpus(SAMPLE_CORPUS, use_cache=False, workers=1)


def counting_build(frame: pd.DataFrame, calls: list[int]):
    def build() -> pd.DataFrame:
        calls.append(1)
        return frame

    return build


def test_built_once_then_read_and_rebuilt_for_other_parts(tmp_path: Path) -> None:
    frame = pd.DataFrame({"article_id": ["a", "b"], "n": [1, 2]})
    calls: list[int] = []
    first = derived.load_or_build(tmp_path, "x", ("corpus1", "dict1"), counting_build(frame, calls))
    again = derived.load_or_build(tmp_path, "x", ("corpus1", "dict1"), counting_build(frame, calls))
    assert len(calls) == 1 and first.equals(frame) and again["n"].tolist() == [1, 2]
    derived.load_or_build(tmp_path, "x", ("corpus2", "dict1"), counting_build(frame, calls))
    assert len(calls) == 2
    stored = [p.name.split("-")[0] for p in (tmp_path / derived.FOLDER).iterdir()]
    assert stored == ["x"]  # the old one removed


def test_a_damaged_file_is_computed_again_and_no_cache_folder_just_computes(tmp_path: Path) -> None:
    frame = pd.DataFrame({"v": ["一", "二"]})
    calls: list[int] = []
    derived.load_or_build(tmp_path, "x", ("p",), counting_build(frame, calls))
    derived.path_of(tmp_path, "x", ("p",)).write_bytes(b"PAR1 not really")
    again = derived.load_or_build(tmp_path, "x", ("p",), counting_build(frame, calls))
    assert again["v"].tolist() == ["一", "二"]
    assert len(calls) == 2
    assert derived.load_or_build(None, "x", ("p",), counting_build(frame, calls)) is frame and len(calls) == 3


def test_a_cache_folder_that_cannot_be_written_still_gives_the_result(tmp_path: Path) -> None:
    (tmp_path / derived.FOLDER).write_text("a file where the folder should be")  # fails even as root
    frame = pd.DataFrame({"v": [1]})
    assert derived.load_or_build(tmp_path, "x", ("p",), lambda: frame) is frame


def test_stored_results_equal_the_computed_ones(corpus: ingest.Corpus, tmp_path: Path) -> None:
    gaz = pl.load_gazetteer()
    themes = th.load_themes()
    for _ in range(2):  # computed and stored, then read back
        places = pl.stored_article_places(corpus.articles, gaz, tmp_path, corpus.fingerprint)
        pd.testing.assert_frame_equal(places, pl.article_places(corpus.articles, gaz))
        hits = th.stored_tags(corpus.articles, themes, tmp_path, corpus.fingerprint)
        pd.testing.assert_frame_equal(hits, th.tag_articles(corpus.articles, themes))
        norm = se.stored_normalised(corpus.articles, tmp_path, corpus.fingerprint)
        assert list(norm) == se.normalised_texts(se.search_text(corpus.articles))
        found = sl.stored_slogans(corpus.articles, tmp_path, corpus.fingerprint)
        pd.testing.assert_frame_equal(found, sl.find_slogans(corpus.articles))
    stored = sorted(p.name.split("-")[0] for p in (tmp_path / derived.FOLDER).glob("*.parquet"))
    assert stored == ["places", "quotes", "slogans", "themes"]  # the quotes: each article's, for the slogans
    kept = sorted(p.name.split("-")[0] for p in (tmp_path / derived.FOLDER).glob(f"*{derived.ROWS_SUFFIX}"))
    assert kept == ["places", "quotes", "themes"]  # results made article by article
    assert len(list((tmp_path / derived.FOLDER).glob(f"search-*{derived.TEXTS_SUFFIX}"))) == 1


def test_the_place_file_digest_is_the_same_in_every_process() -> None:
    """The key of stored places must not depend on a set's order (it differs between processes)."""
    code = "from pinghu_core.search import places as pl; print(pl.gazetteer_digest(pl.load_gazetteer()))"
    digests = outputs_under_hash_seeds(code, ("1", "2", "3"))
    assert len(digests) == 1 and digests != {""}


def test_an_edited_place_file_gives_another_key(tmp_path: Path) -> None:
    text = pl.places_path().read_text(encoding="utf-8")
    edited = tmp_path / "places.toml"
    edited.write_text(text.replace('"当湖"', '"当湖城区"', 1), encoding="utf-8")
    assert pl.gazetteer_digest(pl.load_gazetteer(edited)) != pl.gazetteer_digest(pl.load_gazetteer())
