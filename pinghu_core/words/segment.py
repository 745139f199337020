"""Word segmentation: one private jieba tokenizer, and the 分词检查 (keyword survival) report.

``get_tokenizer`` builds a private ``jieba.Tokenizer`` with the main dictionary, our user
dictionary ``data/lexicon/userdict.txt`` (towns, streets, zones, policy terms) and every
keyword and alias of the theme dictionary.  It is cached per (user dictionary content,
theme dictionary digest), so editing either gives a new tokenizer.  jieba's module-level
functions and setters are never used: they would change segmentation for everybody in the
process.

``keyword_report`` checks, for each theme keyword, how the tokenizer splits it in the
corpus's own sentences: a keyword that never survives as one token is a sign that word
counts will miss it.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from dataclasses import dataclass

import jieba
import numpy as np
import pandas as pd

from pinghu_core.common import schemas, settings
from pinghu_core.themes.dictionary import ThemeDict, alternation, join_texts, tagged

MIN_THEME_FREQ = 200  # theme keywords get at least this jieba frequency (or what keeps them whole alone)
SAMPLE = 20  # sentences segmented per keyword
SENTENCE_END_RE = re.compile(r"[。！？；!?;\n\x00\x01]")
CONTEXT = 30  # characters either side of the keyword in the example sentence


def _userdict_bytes() -> bytes:
    try:
        return settings.get_settings().userdict_path.read_bytes()
    except FileNotFoundError:
        return b""


def get_tokenizer(themes: ThemeDict | None = None) -> jieba.Tokenizer:
    """A private tokenizer: jieba's dictionary + ``data/lexicon/userdict.txt`` + the theme terms.

    Cached by the user dictionary's content digest and the theme dictionary's digest.
    Loading jieba's dictionary takes about 0.6 s the first time.
    """
    data = _userdict_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    terms = tuple(dict.fromkeys(t for theme in themes.themes for t in theme.terms)) if themes else ()
    return _tokenizer(digest, data, themes.digest if themes else "", terms)


@functools.lru_cache(maxsize=4)
def _tokenizer(digest: str, userdict: bytes, themes_digest: str, terms: tuple[str, ...]) -> jieba.Tokenizer:
    del digest, themes_digest  # part of the cache key only
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if userdict:
        f = io.BytesIO(userdict)
        f.name = str(settings.get_settings().userdict_path)
        tokenizer.load_userdict(f)
    for term in terms:
        tokenizer.add_word(term, freq=max(tokenizer.suggest_freq(term, False), MIN_THEME_FREQ))
    return tokenizer


# ---------------------------------------------------------------- segmentation backends

BACKENDS: tuple[str, ...] = ("jieba", "rjieba")


class Segmenter:
    """The one segmentation interface: ``cut(text) -> list[str]`` (jieba's precise mode, HMM on).

    ``jieba`` wraps :func:`get_tokenizer`.  ``rjieba`` (optional, Rust, about 10× faster) is a
    jieba-compatible backend given the same user dictionary and theme terms; tests check that
    both give identical tokens.  ``name`` is part of every token cache key.
    """

    def __init__(self, themes: ThemeDict | None = None, backend: str = "jieba"):
        if backend not in BACKENDS:
            raise ValueError(f"unknown segmentation backend {backend!r}; expected one of {BACKENDS}")
        self.name = backend
        self.tokenizer = get_tokenizer(themes)
        self._cut = self.tokenizer.lcut
        if backend == "rjieba":
            self._cut = _rjieba_cut(self.tokenizer)

    def cut(self, text: str) -> list[str]:
        return self._cut(text)


def _rjieba_cut(tokenizer: jieba.Tokenizer):
    """An rjieba ``cut`` carrying every word the jieba tokenizer has beyond jieba's own dictionary."""
    import rjieba  # optional dependency

    rj = rjieba.Jieba()
    base = _base_freq()
    for word, freq in tokenizer.FREQ.items():
        if freq and base.get(word) != freq:
            rj.add_word(word, int(freq), tokenizer.user_word_tag_tab.get(word))
    return lambda text: rj.cut(text, True)


@functools.lru_cache(maxsize=1)
def _base_freq() -> dict[str, int]:
    """jieba's own dictionary (word → frequency), read once."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return dict(tokenizer.FREQ)


@functools.lru_cache(maxsize=1)
def dictionary_tags() -> dict[str, str]:
    """Part-of-speech tag of every word of jieba's main dictionary (its third column)."""
    tokenizer = jieba.Tokenizer()
    tags: dict[str, str] = {}
    with tokenizer.get_dict_file() as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    return tags


# ---------------------------------------------------------------- keyword report


@dataclass
class _Check:
    """What the sampled sentences of one keyword showed."""

    sampled: int = 0
    whole: int = 0
    splits: tuple[str, ...] = ()
    sentence: str = ""


def split_of(tokens: list[tuple[str, int, int]], start: int, end: int) -> str:
    """The tokens covering ``[start, end)`` joined by ' / ' (e.g. '民生 / 共享 / 工程')."""
    return " / ".join(w for w, s, e in tokens if s < end and e > start)


def _example(sentence: str, keyword: str, start: int) -> str:
    left = max(0, start - CONTEXT)
    right = min(len(sentence), start + len(keyword) + CONTEXT)
    return (
        ("…" if left else "")
        + sentence[left:start]
        + f"【{keyword}】"
        + sentence[start + len(keyword) : right]
        + ("…" if right < len(sentence) else "")
    )


class _Segmenter:
    """Tokenizes sentences once each (several keywords can share a sentence)."""

    def __init__(self, tokenizer: jieba.Tokenizer):
        self.tokenizer = tokenizer
        self.cache: dict[str, list[tuple[str, int, int]]] = {}

    def tokens(self, sentence: str) -> list[tuple[str, int, int]]:
        if sentence not in self.cache:
            self.cache[sentence] = list(self.tokenizer.tokenize(sentence))
        return self.cache[sentence]


def _check(keyword: str, sentences: list[str], seg: _Segmenter, examples: int) -> _Check:
    """Segment the sampled sentences; count those where every occurrence stayed one token."""
    out = _Check(sampled=len(sentences))
    splits: dict[str, None] = {}
    for sentence in sentences:
        tokens = seg.tokens(sentence)
        spans = {(s, e) for _, s, e in tokens}
        starts = [m.start() for m in re.finditer(re.escape(keyword), sentence)]
        broken = [s for s in starts if (s, s + len(keyword)) not in spans]
        if not broken:
            out.whole += 1
            out.sentence = out.sentence or _example(sentence, keyword, starts[0])
            continue
        if not splits:
            out.sentence = _example(sentence, keyword, broken[0])
        if len(splits) < examples:
            splits[split_of(tokens, broken[0], broken[0] + len(keyword))] = None
    out.splits = tuple(splits)
    return out


def _sentences(text: str, bounds: np.ndarray, positions: list[int], sample: int) -> tuple[int, list[str]]:
    """(distinct sentences containing the positions, up to ``sample`` of them spread evenly)."""
    ids = np.unique(np.searchsorted(bounds, np.asarray(positions), side="left"))
    if len(ids) > sample:
        ids_sample = ids[np.linspace(0, len(ids) - 1, sample).round().astype(int)]
    else:
        ids_sample = ids
    sentences = [text[bounds[i - 1] + 1 if i else 0 : bounds[i]].strip() for i in ids_sample]
    return len(ids), sentences


def keyword_report(
    articles: pd.DataFrame,
    themes: ThemeDict,
    *,
    examples: int = 2,
    sample: int = SAMPLE,
    tokenizer: jieba.Tokenizer | None = None,
) -> pd.DataFrame:
    """For each keyword and alias: in how many sentences it occurs, whether jieba keeps it whole.

    Occurrences are counted where the keyword is not part of a longer keyword (one regex
    over all texts, longest first).  At most ``sample`` sentences per keyword, spread over
    the corpus, are segmented with ``tokenizer`` (default: ``get_tokenizer(themes)``);
    ``split_example`` shows up to ``examples`` different splits.  A keyword that never
    occurs is segmented on its own for ``split_example`` and reported with survives False.
    Conformed to ``schemas.KEYWORD_REPORT``.
    """
    seg = _Segmenter(tokenizer if tokenizer is not None else get_tokenizer(themes))
    items = tagged(articles)
    text = join_texts(items).text if len(items) else ""
    owners: dict[str, list[tuple[str, str]]] = {}
    for theme in themes.themes:
        for term in theme.terms:
            owners.setdefault(term, []).append((theme.id, theme.label))
    positions: dict[str, list[int]] = {term: [] for term in owners}
    if text and owners:
        for m in re.finditer(alternation(owners), text):
            positions[m.group()].append(m.start())
    bounds = np.array([m.start() for m in SENTENCE_END_RE.finditer(text)] + [len(text)], dtype=np.int64)
    rows = []
    for term, theme_list in owners.items():
        if positions[term]:
            occurrences, sentences = _sentences(text, bounds, positions[term], sample)
            check = _check(term, sentences, seg, examples)
        else:
            occurrences, tokens = 0, seg.tokens(term)
            check = _Check(splits=(split_of(tokens, 0, len(term)),) if len(tokens) > 1 else ())
        for theme_id, label in theme_list:
            rows.append(
                {
                    "keyword": term,
                    "theme_id": theme_id,
                    "theme_label": label,
                    "occurrences": occurrences,
                    "sampled": check.sampled,
                    "whole": check.whole,
                    "survives": check.whole > 0,
                    "split_example": "；".join(check.splits),
                    "sentence": check.sentence,
                }
            )
    if not rows:
        return schemas.KEYWORD_REPORT.empty()
    return schemas.conform(pd.DataFrame(rows), schemas.KEYWORD_REPORT)
