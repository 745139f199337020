"""Structures changed for ten times the corpus (issue 14, part 5): each gives the same results as
before, on the sample corpus and on a small generated one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from bench import synth
from pinghu_core.corpus import ingest

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
