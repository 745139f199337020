"""Tokenization, stopwords, counts, TF-IDF, log-likelihood and KWIC of pinghu_core.words.index (seed sentences)."""

from __future__ import annotations

import math
import re
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pinghu_core.common import schemas, settings
from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.words import index as words
from pinghu_core.words import segment

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def theme_dict() -> themes.ThemeDict:
    return themes.load_themes(themes.DEFAULT_THEMES_PATH)


@pytest.fixture(scope="module")
def seg(theme_dict) -> segment.Segmenter:
    return segment.Segmenter(theme_dict)


@pytest.fixture(scope="module")
def corpus() -> ingest.Corpus:
    return ingest.load_files(SEEDS, workers=1)


@pytest.fixture(scope="module")
def index(corpus, theme_dict) -> words.WordIndex:
    return words.build_index(corpus.articles, theme_dict)


# Real sentences of the seed pages → a word the user dictionary must keep whole.
WHOLE = [
    ("走进独山港镇渡船桥工业集聚点,这里原有的老旧厂房已全部被拆除", "独山港镇"),
    ("去年9月,独山港镇将该集聚点列为整体腾退对象,积极上门开展工作", "独山港镇"),
    ("本报讯 昨天上午,“争先创优、追梦奔跑”2020年民生共享工程半年度工作交流会召开", "民生共享工程"),
    ("## 民生共享工程半年度工作交流会召开", "民生共享工程"),
    ("负责平湖经济技术开发区的服务小组,连同属地平湖经开,分片走访企业", "平湖经济技术开发区"),
    ("负责平湖经济技术开发区的服务小组,连同属地平湖经开,分片走访企业", "平湖经开"),
    ("继科莱恩项目成为我市首个“交地即施工”项目后", "交地即施工"),
    ("本报讯 昨天,市人大常委会视察农村全域秀美人居环境建设管理情况", "市人大常委会"),
]


@pytest.mark.parametrize(("sentence", "word"), WHOLE)
def test_user_dictionary_keeps_words_whole(seg, sentence, word):
    assert word in seg.cut(sentence)


def test_plain_jieba_splits_them_so_the_test_can_fail():
    import jieba

    plain = jieba.Tokenizer()
    assert "独山港镇" not in plain.lcut("走进独山港镇渡船桥工业集聚点")
    assert "民生共享工程" not in plain.lcut("2020年民生共享工程半年度工作交流会召开")


JUNK = [
    ("，", True),
    ("“", True),
    (" ", True),
    ("\n", True),
    ("2020", True),
    ("49.34", True),
    ("10.3%", True),
    ("1,200", True),
    ("A", True),
    ("ｂ", True),
    ("——", True),
    ("PTA", False),
    ("项目", False),
    ("独山港镇", False),
    ("5G", True),
    ("G60", False),
]


@pytest.mark.parametrize(("token", "junk"), JUNK)
def test_junk_tokens(token, junk):
    assert words.is_junk(token) is junk


def test_bag_of_a_seed_sentence(seg):
    sentence = "本报讯 继科莱恩项目成为我市首个“交地即施工”项目后,我市对该项惠企审批服务进一步扩面"
    b = words.bag(seg.cut(sentence))
    assert b["项目"] == 2 and b["我市"] == 2 and b["交地即施工"] == 1
    assert not any(words.is_junk(t) for t in b)
    assert "“" not in b and "," not in b and " " not in b


STOPPED = ["本报讯", "记者", "通讯员", "昨天", "今天", "我市", "今年", "近日", "据悉", "表示", "我们", "进行"]


@pytest.mark.parametrize("word", STOPPED)
def test_stopword_list_has_the_papers_boilerplate(word):
    assert word in words.load_stopwords()


def test_stopwords_and_short_tokens_are_never_counted(index):
    keep = words.countable(index, words.load_stopwords())
    table = words.term_table(index, index.doc_mask(None), keep)
    counted = set(table["term"])
    assert not counted & words.load_stopwords()
    assert all(len(t) >= words.MIN_CHARS for t in counted)
    assert "我市" in set(index.vocab) and "我市" not in counted  # cached, left out at count time
    assert {"项目", "民生共享工程", "独山港镇"} <= counted


def test_counts_match_a_direct_count(corpus, index, seg):
    text = words.article_texts(corpus.articles.iloc[[0]]).iloc[0]
    direct = words.bag(seg.cut(text))
    aid = corpus.articles["article_id"].iloc[0]
    keep = np.ones(len(index.vocab), dtype=bool)
    table = words.term_table(index, index.doc_mask([aid]), keep).set_index("term")
    assert table["count"].to_dict() == dict(direct)
    assert (table["documents"] == 1).all()
    schemas.check(table.reset_index()[schemas.TERM_COUNTS.names], schemas.TERM_COUNTS)


def test_tfidf_is_count_times_log_inverse_document_frequency(index):
    keep = words.countable(index, words.load_stopwords())
    table = words.term_table(index, index.doc_mask(None), keep, top=20, weight="tfidf")
    row = table.iloc[0]
    assert row["tfidf"] == pytest.approx(row["count"] * math.log(index.n_docs / row["corpus_documents"]))
    assert table["tfidf"].is_monotonic_decreasing
    by_count = words.term_table(index, index.doc_mask(None), keep, top=20)
    assert by_count["count"].is_monotonic_decreasing


def test_log_likelihood_hand_checked():
    # 20 of 1,000 tokens later, 5 of 1,000 earlier: E1 = E2 = 12.5;
    # G² = 2 (20 ln(20/12.5) + 5 ln(5/12.5)) = 2 (9.400073 − 4.581454) = 9.637238
    assert words.log_likelihood(np.array([20]), np.array([5]), 1000, 1000)[0] == pytest.approx(
        9.637238, abs=1e-5
    )
    # same rate in both periods: no evidence of a difference
    assert words.log_likelihood(np.array([10]), np.array([20]), 1000, 2000)[0] == pytest.approx(0, abs=1e-9)
    # a word absent earlier: 0 ln 0 = 0, E1 = 10·1000/3000
    g = words.log_likelihood(np.array([10]), np.array([0]), 1000, 2000)[0]
    assert g == pytest.approx(2 * 10 * math.log(10 / (10 * 1000 / 3000)))


def _tiny_index() -> words.WordIndex:
    """Articles e1, e2 (earlier) and l1, l2 (later) with hand-made bags."""
    vocab = np.array(["项目", "疫情", "罕见"], dtype=object)
    rows = [(0, 0, 50), (0, 1, 1), (1, 0, 50), (2, 0, 30), (2, 1, 20), (3, 0, 30), (3, 1, 20), (3, 2, 2)]
    d, t, c = (np.array(x, dtype=np.int32) for x in zip(*rows, strict=True))
    return words.WordIndex.from_rows(
        np.array(["e1", "e2", "l1", "l2"], dtype=object),
        d,
        t,
        c,
        vocab,
        np.array(["n", "n", "x"], dtype=object),
    )


def test_rising_terms_on_a_tiny_example():
    index = _tiny_index()
    keep = np.ones(3, dtype=bool)
    rising = words.rising_terms(
        index, index.doc_mask(["e1", "e2"]), index.doc_mask(["l1", "l2"]), keep, min_count=5
    )
    assert rising["term"].tolist() == ["疫情"]  # 项目 fell; 罕见 (2 times) is too rare to be listed
    r = rising.iloc[0]
    assert (r["earlier_count"], r["later_count"]) == (1, 40)
    assert r["earlier_per_million"] == pytest.approx(1 / 101 * 1e6)
    assert r["later_per_million"] == pytest.approx(40 / 102 * 1e6)
    assert r["change_per_million"] == pytest.approx(40 / 102 * 1e6 - 1 / 101 * 1e6)
    assert r["g2"] == pytest.approx(words.log_likelihood(np.array([40]), np.array([1]), 102, 101)[0])
    with_rare = words.rising_terms(
        index, index.doc_mask(["e1", "e2"]), index.doc_mask(["l1", "l2"]), keep, min_count=1
    )
    assert "罕见" in set(with_rare["term"]) and np.isnan(with_rare.set_index("term").loc["罕见", "ratio"])


def test_kwic_lines_whole_word_only_whole_tokens(seg):
    text = "民生共享工程推进顺利。该工程今年完工；另一个工程师到场。"
    lines = words.kwic_lines(seg, text, "工程", whole_word=True)
    assert [(left, right) for left, _, right in lines] == [("该", "今年完工；")]


# A Chinese reader types a string and expects every occurrence: (text, string, (left, right) per line).
KWIC_STRING = [
    (
        "民生共享工程推进顺利。该工程今年完工；另一个工程师到场。",
        "工程",
        [("民生共享", "推进顺利。"), ("该", "今年完工；"), ("另一个", "师到场。")],
    ),
    (
        "走进独山港镇渡船桥工业集聚点，独山港经济开发区也在招商。",
        "独山港",
        [
            ("走进", "镇渡船桥工业集聚点，独山港经济开发区也在招商。"),
            ("走进独山港镇渡船桥工业集聚点，", "经济开发区也在招商。"),
        ],
    ),
    ("啊啊啊啊", "啊啊", [("", "啊啊"), ("啊啊", "")]),  # non-overlapping, left to right
    ("没有这个词。", "独山港", []),
]


@pytest.mark.parametrize(("text", "word", "expected"), KWIC_STRING)
def test_kwic_lines_find_every_occurrence_of_the_string(seg, text, word, expected):
    lines = words.kwic_lines(seg, text, word)
    assert [(left, right) for left, _, right in lines] == expected
    assert all(w == word for _, w, _ in lines)


def test_kwic_string_finds_the_longer_tokens_whole_word_does_not(corpus, index, seg):
    lines = words.kwic(corpus.articles, index, "独山港", None, seg)
    assert len(lines) >= 3 and all("【独山港】" in line for line in lines["line"])
    assert sum(r.startswith("镇") for r in lines["right"]) >= 3  # the 独山港镇 lines
    assert words.kwic(corpus.articles, index, "独山港", None, seg, whole_word=True).empty


def test_kwic_of_the_seed_corpus(corpus, index, seg):
    lines = words.kwic(corpus.articles, index, "独山港镇", None, seg, whole_word=True)
    schemas.check(lines, schemas.KWIC)
    assert len(lines) >= 3
    assert all("【独山港镇】" in line for line in lines["line"])
    assert lines["date"].is_monotonic_increasing
    keep = np.ones(len(index.vocab), dtype=bool)
    counted = words.term_table(index, index.doc_mask(None), keep).set_index("term").loc["独山港镇", "count"]
    assert len(lines) == counted  # every counted occurrence has its line


def test_part_of_speech_filters(index):
    stop = words.load_stopwords()
    nouns = set(words.term_table(index, index.doc_mask(None), words.countable(index, stop, "noun"))["term"])
    verbs = set(words.term_table(index, index.doc_mask(None), words.countable(index, stop, "verb"))["term"])
    places = set(
        words.term_table(index, index.doc_mask(None), words.countable(index, stop, "place", ["广陈"]))["term"]
    )
    assert "项目" in nouns and "项目" not in verbs
    assert "完成" in verbs
    assert {"独山港镇", "平湖"} <= places and "广陈" in places and "项目" not in places


def test_guess_pos_from_suffix():
    suffixes = words.pos_suffixes()
    assert words.guess_pos("渡船桥村", suffixes) == "ns"
    assert words.guess_pos("某某服务中心", suffixes) == "nt"
    assert words.guess_pos("沈志凤", suffixes) == "x"


def test_cache_reused_and_refreshed_after_edits(corpus, theme_dict, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = words.build_index(corpus.articles, theme_dict, cache_dir=cache, corpus_dir="seeds")
    assert first.stats["from_cache"] is False
    again = words.build_index(corpus.articles, theme_dict, cache_dir=cache, corpus_dir="seeds")
    assert again.stats["from_cache"] is True
    np.testing.assert_array_equal(first.tf, again.tf)
    # a new word in the user dictionary: a new key, tokenized again, the word counted whole
    lexicon = shutil.copytree(settings.DATA_DIR / "lexicon", tmp_path / "lexicon")
    with (lexicon / "userdict.txt").open("a", encoding="utf-8") as f:
        f.write("渡船桥工业集聚点 5000 n\n")
    monkeypatch.setenv("PINGHU_LEXICON_DIR", str(lexicon))
    edited = words.build_index(corpus.articles, theme_dict, cache_dir=cache, corpus_dir="seeds")
    assert edited.stats["from_cache"] is False and edited.lexicon != first.lexicon
    assert "渡船桥工业集聚点" in set(edited.vocab) and "渡船桥工业集聚点" not in set(first.vocab)
    # one article changed: only its text is tokenized again
    changed = corpus.articles.copy()
    changed.loc[0, "body"] = changed.loc[0, "body"] + "新增一句关于共同富裕的话。"
    partial = words.build_index(changed, theme_dict, cache_dir=cache, corpus_dir="seeds")
    assert partial.stats["tokenized"] == 1


def test_stopword_edit_takes_effect(index, tmp_path):
    path = tmp_path / "stopwords.txt"
    path.write_text("# test\n项目\n", encoding="utf-8")
    assert words.stopwords_digest(path) != words.stopwords_digest()
    counted = set(
        words.term_table(index, index.doc_mask(None), words.countable(index, words.load_stopwords(path)))[
            "term"
        ]
    )
    assert "项目" not in counted and "我市" in counted


def test_articles_filter_and_identical_texts(corpus, theme_dict):
    doubled = pd.concat(
        [corpus.articles, corpus.articles.assign(article_id=corpus.articles["article_id"] + "x")]
    )
    index = words.build_index(doubled.reset_index(drop=True), theme_dict)
    one = corpus.articles["article_id"].iloc[0]
    tf1, _ = index.totals(index.doc_mask([one]))
    tf2, _ = index.totals(index.doc_mask([one + "x"]))
    np.testing.assert_array_equal(tf1, tf2)
    tf_both, docs = index.totals(index.doc_mask([one, one + "x"]))
    np.testing.assert_array_equal(tf_both, 2 * tf1)
    assert docs.max() == 2


def test_rjieba_backend_gives_identical_words(corpus, theme_dict):
    """The faster backend must count exactly the same words.  (It groups some runs of digits and
    punctuation differently, e.g. '100-1' as one token: those are never counted.)"""
    pytest.importorskip("rjieba")
    jb, rj = segment.Segmenter(theme_dict), segment.Segmenter(theme_dict, "rjieba")
    texts = words.article_texts(corpus.articles).tolist()

    def counted(seg):
        return [[t for t in seg.cut(text) if not words.is_junk(t)] for text in texts]

    assert counted(jb) == counted(rj)
    assert words.tokenize_texts(texts, theme_dict, backend="rjieba") == words.tokenize_texts(
        texts, theme_dict
    )


def test_totals_by_complement_equal_direct_sums(index):
    rng = np.random.default_rng(0)
    for share in (0.1, 0.5, 0.9):
        mask = rng.random(index.n_docs) < share
        tf, docs = index.totals(mask)
        weight = np.bincount(index.art_doc[mask], minlength=index.n_texts)
        direct_tf, direct_docs = index._weighted(np.flatnonzero(weight), weight)
        np.testing.assert_array_equal(tf, direct_tf)
        np.testing.assert_array_equal(docs, direct_docs)


def test_process_pool_gives_the_same_index(corpus, theme_dict, monkeypatch):
    """The cold tokenization in a pool (forkserver, as inside Streamlit where threads run) equals in-process."""
    import threading

    monkeypatch.setattr(words, "MIN_PARALLEL", 1)
    monkeypatch.setattr(words, "CHUNK", 10)
    stop = threading.Event()
    t = threading.Thread(target=stop.wait, daemon=True)
    t.start()  # a second thread: ingest.pool_context() picks forkserver
    try:
        pooled = words.build_index(corpus.articles, theme_dict, workers=2)
    finally:
        stop.set()
    alone = words.build_index(corpus.articles, theme_dict, workers=1)
    assert dict(zip(pooled.vocab, pooled.tf, strict=True)) == dict(zip(alone.vocab, alone.tf, strict=True))
    np.testing.assert_array_equal(
        pooled.df[np.argsort(pooled.vocab.astype(str))], alone.df[np.argsort(alone.vocab.astype(str))]
    )


def test_old_word_caches_are_pruned(corpus, theme_dict, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    lexicon = shutil.copytree(settings.DATA_DIR / "lexicon", tmp_path / "lexicon")
    userdict = lexicon / "userdict.txt"
    monkeypatch.setenv("PINGHU_LEXICON_DIR", str(lexicon))
    for i in range(words.KEEP_STORES + 2):
        userdict.write_text(f"测试词语{i} 100 n\n", encoding="utf-8")
        words.build_index(corpus.articles.head(3), theme_dict, cache_dir=cache, corpus_dir="seeds")
    stores = [p for p in next((cache / "words").iterdir()).iterdir()]
    assert len(stores) == words.KEEP_STORES


@pytest.mark.parametrize(("value", "expected"), [("jieba", "jieba"), ("bogus", "jieba")])
def test_default_backend_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv(words.BACKEND_ENV, value)
    assert words.default_backend() == expected


def test_default_backend_is_rjieba_when_installed(monkeypatch):
    monkeypatch.delenv(words.BACKEND_ENV, raising=False)
    try:
        import rjieba  # noqa: F401
    except ImportError:
        assert words.default_backend() == "jieba"
    else:
        assert words.default_backend() == "rjieba"


def test_the_fast_segmenter_is_installed_with_the_app():
    """rjieba, the words index's default segmenter, is a dependency of the app itself: the README's
    ``pip install -e .`` gets it (it was a test extra: a reader's cold words index then fell back to
    jieba, about 25 times slower on the ten-year corpus)."""
    project = tomllib.loads((settings.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(re.match(r"rjieba\b", d) for d in project["dependencies"])
    assert not any(
        re.match(r"rjieba\b", d) for extra in project["optional-dependencies"].values() for d in extra
    )


def test_rjieba_backend_chosen_by_environment(monkeypatch, corpus, theme_dict):
    pytest.importorskip("rjieba")
    monkeypatch.setenv(words.BACKEND_ENV, "rjieba")
    assert words.default_backend() == "rjieba"
    index = words.build_index(corpus.articles.head(5), theme_dict)
    assert (
        index.lexicon
        == words.lexicon_digest(theme_dict, "rjieba")
        != words.lexicon_digest(theme_dict, "jieba")
    )


@pytest.mark.parametrize(
    ("term", "tag", "place"),
    [
        ("城市", "ns", False),  # jieba's dictionary tags these ns: not_places.txt overrides it
        ("两国", "ns", False),
        ("外国", "ns", False),
        ("英雄", "ns", False),
        ("上门", "ns", False),
        ("上海", "ns", True),
        ("杭州", "ns", True),
        ("乍浦镇", "ns", True),  # guessed from its ending
        ("广陈", "n", True),  # a name of the place file, whatever its tag
        ("项目", "n", False),
    ],
)
def test_place_filter_keeps_only_place_names(term, tag, place):
    assert words.is_place(term, tag, {"广陈"}, words.load_not_places()) is place


@pytest.mark.parametrize(
    "word", ["独山港", "独山港镇", "平湖", "项目", "。", "的", "疫情防控", "2020", "不存在的词"]
)
@pytest.mark.parametrize("whole_word", [False, True])
def test_kwic_count_is_the_number_of_lines_of_the_full_list(corpus, index, seg, word, whole_word):
    """A capped KWIC list says 共 M 处: M is what the uncapped list holds, in both modes and on a subset."""
    full = words.kwic(corpus.articles, index, word, None, seg, whole_word=whole_word)
    assert words.kwic_count(corpus.articles, index, word, None, seg, whole_word=whole_word) == len(full)
    some = [str(a) for a in corpus.articles["article_id"].iloc[::3]]
    subset = words.kwic(corpus.articles, index, word, some, seg, whole_word=whole_word)
    assert words.kwic_count(corpus.articles, index, word, some, seg, whole_word=whole_word) == len(subset)
    capped = words.kwic(corpus.articles, index, word, None, seg, whole_word=whole_word, limit=2)
    assert len(capped) == min(2, len(full))


def test_slices_give_the_same_index(corpus, theme_dict, tmp_path, monkeypatch):
    """The warm index gathered a few articles at a time (and its texts hashed a few at a time, its
    occurrences summed a few rows at a time) equals the one made in one go."""
    whole = words.build_index(corpus.articles, theme_dict, cache_dir=tmp_path, corpus_dir="c")
    assert words.text_digests(corpus.articles) == [
        words.text_digest(t) for t in words.article_texts(corpus.articles).tolist()
    ]
    monkeypatch.setattr(words, "DIGEST_ROWS", 2)
    monkeypatch.setattr(words, "SPAN_ROWS", 7)
    sliced = words.load_index(corpus.articles, theme_dict, cache_dir=tmp_path, corpus_dir="c")
    assert sliced is not None and sliced.stats["from_cache"]
    for name in ("article_ids", "art_doc", "bag_term", "bag_count", "vocab", "pos", "df", "tf", "doc_start"):
        np.testing.assert_array_equal(getattr(sliced, name), getattr(whole, name), err_msg=name)
    mask = np.arange(whole.n_docs) % 2 == 0
    for got, want in zip(sliced.totals(mask), whole.totals(mask), strict=True):
        np.testing.assert_array_equal(got, want)
