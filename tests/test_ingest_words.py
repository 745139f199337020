"""Segmentation near the parser (issue 14): rjieba against jieba on every article, the lexicon and its
self-check, bags made in the parse workers, progress callbacks and the CLI's progress bar."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bench import synth
from pinghu_core.cli.common import ProgressBar
from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.words import index as words
from pinghu_core.words import segment

rjieba = pytest.importorskip("rjieba")


@pytest.fixture(scope="module")
def theme_dict() -> themes.ThemeDict:
    return themes.load_themes()


@pytest.fixture(scope="module")
def sample() -> ingest.Corpus:
    return ingest.load_corpus(Path("data/corpus").resolve(), use_cache=False, workers=1)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    synth.generate_corpus(out, start=date(2019, 3, 1), days=60, seed=5)
    return out


def _compare(texts: list[str], theme_dict: themes.ThemeDict) -> tuple[int, int, list]:
    """(texts whose raw tokens differ, texts whose counted tokens differ, examples of the latter)."""
    jb = segment.Segmenter(theme_dict, "jieba")
    rj = segment.Segmenter(theme_dict, "rjieba", words.get_lexicon(theme_dict))
    raw = counted = 0
    examples = []
    for text in dict.fromkeys(texts):
        a, b = jb.cut(text), rj.cut(text)
        if a != b:
            raw += 1
            if segment.counted_tokens(a) != segment.counted_tokens(b):
                counted += 1
                examples.append(text[:80])
    return raw, counted, examples


def test_rjieba_tokens_equal_jieba_on_every_sample_article(sample, theme_dict):
    """Every article of data/corpus: the tokens the word index keeps are identical."""
    texts = words.article_texts(sample.articles).tolist()
    assert len(texts) > 30
    _, counted, examples = _compare(texts, theme_dict)
    assert counted == 0, examples


def test_rjieba_tokens_equal_jieba_on_every_generated_article(generated, theme_dict):
    """Every article of 60 generated days (bench/synth.py).  Raw tokens may differ only in runs the
    index never keeps (rjieba keeps '100-1' whole, jieba splits it)."""
    corpus = ingest.load_corpus(generated, use_cache=False, workers=1)
    texts = words.article_texts(corpus.articles).tolist()
    assert len(texts) > 300
    _, counted, examples = _compare(texts, theme_dict)
    assert counted == 0, examples


def test_lexicon_self_check_passes_and_round_trips(theme_dict, tmp_path):
    lexicon = words.get_lexicon(theme_dict, tmp_path)
    assert lexicon.rjieba and not lexicon.note
    assert lexicon.user_tags == segment.get_tokenizer(theme_dict).user_word_tag_tab
    stored = words.lexicon_path(tmp_path, words.lexicon_key(theme_dict))
    assert stored.exists()
    assert segment.Lexicon.from_json(segment.Lexicon(lexicon.words, True).to_json()) == segment.Lexicon(
        lexicon.words, True
    )
    terms = {t for theme in theme_dict.themes for t in theme.terms}
    assert terms <= {w for w, _, _ in lexicon.words}


def test_a_failed_self_check_falls_back_to_jieba(theme_dict, monkeypatch, sample):
    bad = segment.Lexicon(words.get_lexicon(theme_dict).words, False, "rjieba 与 jieba 分词不同")
    monkeypatch.setattr(words, "get_lexicon", lambda themes, cache_dir=None: bad)
    assert words.resolve_backend(theme_dict, "rjieba")[0] == "jieba"
    index = words.build_index(sample.articles.head(5), theme_dict, backend="rjieba")
    assert index.stats["backend"] == "jieba" and index.lexicon == words.lexicon_digest(theme_dict, "jieba")


def test_self_check_reports_a_difference(theme_dict):
    class Other:
        def cut(self, text, hmm=True):
            return list(text)

    note = segment.self_check(segment.get_tokenizer(theme_dict), Other(), ["独山港镇"])
    assert note.startswith("rjieba 与 jieba 分词不同")


def _same_index(a: words.WordIndex, b: words.WordIndex) -> None:
    """Same articles, and for each the same bag (term → count)."""
    assert list(a.article_ids) == list(b.article_ids)
    bags = [
        {
            (int(d), str(ix.vocab[t])): int(c)
            for d, t, c in zip(*(r.tolist() for r in ix.article_rows()), strict=True)
        }
        for ix in (a, b)
    ]
    assert bags[0] == bags[1]
    pos = [dict(zip(ix.vocab.tolist(), ix.pos.tolist(), strict=True)) for ix in (a, b)]
    used = {t for _, t in bags[0]}
    assert {t: pos[0][t] for t in used} == {t: pos[1][t] for t in used}


def test_bags_made_while_parsing_equal_a_build_after(generated, theme_dict, tmp_path):
    """load_corpus with the word hook (two workers), then build_index with its bags, gives the same
    index as build_index alone; every text came from the workers."""
    hook = words.article_tokenizer(theme_dict, tmp_path / "a")
    calls: list[tuple[int, int, str]] = []
    corpus = ingest.load_corpus(
        generated, cache_dir=tmp_path / "a", workers=2, hook=hook, progress=lambda *a: calls.append(a)
    )
    assert corpus.extras and all(isinstance(x, words.Pretokenized) for x in corpus.extras)
    assert calls[-1][0] == calls[-1][1] and calls[-1][2] == ingest.STAGE_PARSE
    steps: list[tuple[int, int, str]] = []
    with_pre = words.build_index(
        corpus.articles,
        theme_dict,
        cache_dir=tmp_path / "a",
        corpus_dir=generated,
        pretokenized=corpus.extras,
        progress=lambda *a: steps.append(a),
    )
    n_texts = len(set(words.article_texts(corpus.articles)))
    assert with_pre.stats["pretokenized"] == with_pre.stats["tokenized"] == n_texts
    assert {s for _, _, s in steps} == {words.STAGE_SEGMENT, words.STAGE_WRITE}
    alone = words.build_index(corpus.articles, theme_dict, cache_dir=tmp_path / "b", corpus_dir=generated)
    _same_index(with_pre, alone)
    warm = words.load_index(corpus.articles, theme_dict, cache_dir=tmp_path / "a", corpus_dir=generated)
    assert warm is not None and warm.stats["from_cache"]
    _same_index(warm, alone)


def test_pretokenized_bags_of_a_partly_cached_corpus(sample, theme_dict, tmp_path):
    """Bags made while parsing that the cache already has are left out (their chunk cut to the rest)."""
    articles = sample.articles
    half = len(articles) // 2
    words.build_index(articles.head(half), theme_dict, cache_dir=tmp_path, corpus_dir="s")
    pre = words.article_tokenizer(theme_dict)(articles)
    index = words.build_index(
        articles, theme_dict, cache_dir=tmp_path, corpus_dir="s", pretokenized=[pre, None]
    )
    cached = len(set(words.article_texts(articles.head(half))))
    assert index.stats["pretokenized"] == len(set(words.article_texts(articles))) - cached
    _same_index(index, words.build_index(articles, theme_dict))


def test_a_failing_hook_costs_nothing_but_its_result(sample, tmp_path):
    def hook(articles):
        raise RuntimeError("boom")

    corpus = ingest.load_corpus(Path("data/corpus").resolve(), cache_dir=tmp_path, workers=1, hook=hook)
    assert corpus.extras == [] and len(corpus.articles) == len(sample.articles)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["", "，。"], [[], []]),
        (["独山港镇 独山港镇，100-1"], [["独山港镇"]]),
        (["a 5G 3.5% 平湖 平湖"], [["平湖"]]),  # 5G: a number with a short unit, never counted
    ],
)
def test_tokenize_chunk_table(texts, expected, theme_dict):
    chunk = words.tokenize_chunk(texts, theme_dict, "rjieba", words.get_lexicon(theme_dict))
    assert [sorted(b) for b in chunk.bags()] == expected
    assert chunk.lengths.sum() == len(chunk.codes) == len(chunk.counts)
    assert np.all(chunk.counts > 0)


def test_progress_bar_lines():
    err = io.StringIO()
    bar = ProgressBar(err, every=0.0, tty=False)
    bar(1, 4, "解析版面")
    bar(4, 4, "解析版面")
    bar(2, 10, "分词")
    bar.close()
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("解析版面 ▕") and "1/4" in lines[0] and "25%" in lines[0]
    assert any("4/4" in line and "100%" in line for line in lines)
    assert lines[-1].startswith("分词") and "2/10" in lines[-1]
    tty = io.StringIO()
    live = ProgressBar(tty, tty=True)
    live(3, 3, "分词")
    live.close()
    assert tty.getvalue().startswith("\r分词") and tty.getvalue().endswith("\n")
    quiet = io.StringIO()
    ProgressBar(quiet, tty=False).close()
    assert quiet.getvalue() == ""
