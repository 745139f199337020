"""The word index keeps one bag per distinct text and weights it by the articles that print it: every
figure equals the one counted from a bag copied per article (how the index held them before) — on the
sample corpus, on it twice over (every text shared), and on a generated corpus, for random article sets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_CORPUS

from bench import synth
from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.words import index as words


@pytest.fixture(scope="module")
def theme_dict() -> themes.ThemeDict:
    return themes.load_themes()


@pytest.fixture(scope="module", params=["sample", "sample twice", "generated"])
def articles(request, tmp_path_factory) -> pd.DataFrame:
    if request.param == "generated":
        folder = tmp_path_factory.mktemp("gen") / "corpus"
        synth.generate_corpus(folder, start=date(2021, 3, 1), days=20, seed=3)
    else:
        folder = SAMPLE_CORPUS
    a = ingest.load_corpus(folder, use_cache=False, workers=1).articles
    if request.param == "sample twice":  # every text printed twice, the copies interleaved
        b = a.assign(article_id=a["article_id"].astype(str) + "x")
        a = pd.concat([a, b]).sort_values("date", kind="stable")
    return a.reset_index(drop=True)


def per_article(index: words.WordIndex, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(occurrences, articles) per term counted over bags copied per article."""
    row_doc, row_term, row_count = index.article_rows()
    keep = mask[row_doc]
    n = len(index.vocab)
    tf = np.bincount(row_term[keep], weights=row_count[keep], minlength=n).astype(np.int64)
    return tf, np.bincount(row_term[keep], minlength=n).astype(np.int64)


def test_every_figure_equals_the_per_article_count(articles, theme_dict, tmp_path: Path, monkeypatch) -> None:
    cold = words.build_index(articles, theme_dict, cache_dir=tmp_path, corpus_dir="c")
    monkeypatch.setattr(words, "SPAN_ROWS", 5)  # many spans even on a small corpus
    warm = words.load_index(articles, theme_dict, cache_dir=tmp_path, corpus_dir="c")
    assert warm is not None and warm.stats["from_cache"]
    rng = np.random.default_rng(0)
    texts = words.article_texts(articles).tolist()
    assert cold.n_texts == len(set(texts)) and len(cold.article_ids) == len(articles)
    for index in (cold, warm):
        for share in (0.0, 0.05, 0.3, 0.7, 1.0):
            mask = rng.random(index.n_docs) < share
            for got, want in zip(index.totals(mask), per_article(index, mask), strict=True):
                np.testing.assert_array_equal(got, want)
            row_doc, row_term, row_count = index.article_rows()
            for term in index.vocab[:: max(1, len(index.vocab) // 40)]:
                code = index.term_index[term]
                has = row_term == code
                assert index.articles_with(term, mask) == [
                    str(a)
                    for a in index.article_ids[np.unique(row_doc[has])]
                    if mask[index.position.get_loc(a)]
                ]
                assert index.occurrences(term, mask) == int(row_count[has & mask[row_doc]].sum())
    for got, want in zip(warm.article_rows(), cold.article_rows(), strict=True):
        np.testing.assert_array_equal(got, want)
