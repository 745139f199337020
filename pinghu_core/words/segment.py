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
from collections.abc import Iterable
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

_JUNK_RE = re.compile(
    r"^(?:[\s\W_]+"  # whitespace, punctuation, symbols
    r"|[0-9０-９.．,，%％:：/\-+]+"  # numbers (also 3.5, 1,200, 10%)
    r"|[A-Za-zＡ-Ｚａ-ｚ]"  # one Latin letter
    r"|[0-9０-９.．]+[A-Za-z%％]{0,2})$"  # 5G-like number+unit codes are kept only with 3+ letters
)


def is_junk(token: str) -> bool:
    """Tokens never counted nor cached: whitespace, punctuation, numbers, single Latin letters."""
    return not token.strip() or bool(_JUNK_RE.match(token))


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
LEXICON_FORMAT = 1  # version of Lexicon.to_json

# Sentences segmented by both backends whenever a lexicon is built (:func:`self_check`): newspaper
# prose with place names, policy terms, numbers, dates, Latin letters and punctuation.  Every word of
# the lexicon is checked too, alone and inside a sentence.
CHECK_SENTENCES: tuple[str, ...] = (
    "平湖市委书记在独山港镇调研乡村振兴和共同富裕示范区建设工作，强调要坚持以人民为中心。",
    "今年1至6月，全市实现规上工业增加值123.4亿元，同比增长8.5%，其中数字经济核心产业增长12%。",
    "当湖街道、钟埭街道、曹桥街道和新埭镇的5G基站建设进度超过计划，“最多跑一次”改革持续深化。",
    "浙江平湖经济技术开发区（钟埭街道）举行重大项目集中签约仪式，总投资超过100亿元。",
    "记者 张三 通讯员 李四  本报讯 昨天上午，市领导带队检查安全生产和消防工作。",
    "2016年3月25日，平湖市第十五届人民代表大会第六次会议在市行政会议中心开幕。",
    "我们中出了一个叛徒。工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作",
    "PM2.5浓度下降，GDP增速、CPI涨幅和R&D投入占比均达到年度目标；APP下载量超过10万次。",
)


@dataclass(frozen=True)
class Lexicon:
    """What the private jieba tokenizer has beyond jieba's own dictionary, worked out once per user
    dictionary and theme terms (:func:`build_lexicon`) and cached with the word index.

    ``words`` are (word, frequency, tag or '') in the tokenizer's order; ``rjieba`` says whether the
    rjieba backend, given these words, segmented every check sentence exactly like jieba
    (:func:`self_check`), and ``note`` why not.  An rjieba segmenter built from a lexicon needs no
    jieba tokenizer at all (about 1 s less per process).
    """

    words: tuple[tuple[str, int, str], ...]
    rjieba: bool = False
    note: str = ""

    @property
    def user_tags(self) -> dict[str, str]:
        """Part of speech given by the user dictionary (word → tag)."""
        return {w: t for w, _, t in self.words if t}

    def to_json(self) -> dict:
        return {
            "format": LEXICON_FORMAT,
            "words": [list(w) for w in self.words],
            "rjieba": self.rjieba,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: dict) -> Lexicon:
        if data.get("format") != LEXICON_FORMAT:
            raise ValueError(f"lexicon format {data.get('format')!r}, expected {LEXICON_FORMAT}")
        words = tuple((str(w), int(f), str(t)) for w, f, t in data["words"])
        return cls(words, bool(data["rjieba"]), str(data.get("note", "")))


def lexicon_words(
    tokenizer: jieba.Tokenizer, themes: ThemeDict | None = None
) -> tuple[tuple[str, int, str], ...]:
    """Every word :func:`get_tokenizer` added to jieba's dictionary (the user dictionary's, then the
    theme terms), with its final frequency and its user dictionary tag."""
    added = _userdict_words(_userdict_bytes())
    if themes:
        added += [t for theme in themes.themes for t in theme.terms]
    tags = tokenizer.user_word_tag_tab
    return tuple(
        (w, int(tokenizer.FREQ[w]), tags.get(w, "")) for w in dict.fromkeys(added) if tokenizer.FREQ.get(w)
    )


def _userdict_words(userdict: bytes) -> list[str]:
    """The words of a user dictionary, read as ``jieba.Tokenizer.load_userdict`` reads them."""
    words = []
    for raw in userdict.splitlines():
        line = raw.strip().decode("utf-8", errors="replace").lstrip("\ufeff")
        if line:
            match = jieba.re_userdict.match(line)
            if match:
                words.append(match.group(1))
    return words


def build_lexicon(themes: ThemeDict | None = None) -> Lexicon:
    """The :class:`Lexicon` of :func:`get_tokenizer` (about 1 s: jieba's dictionary is loaded), with
    the result of :func:`self_check` — False when rjieba is not installed."""
    tokenizer = get_tokenizer(themes)
    words = lexicon_words(tokenizer, themes)
    try:
        rj = rjieba_tokenizer(words)
    except ImportError:
        return Lexicon(words, False, "rjieba 未安装")
    terms = [t for theme in themes.themes for t in theme.terms] if themes else []
    note = self_check(tokenizer, rj, [w for w, _, _ in words] + terms)
    if not note and _zero_frequency(_userdict_bytes()):
        note = "用户词典里有词频为 0 的词（强制拆开），rjieba 不支持"
    return Lexicon(words, not note, note)


def _zero_frequency(userdict: bytes) -> bool:
    """Whether the user dictionary gives a word frequency 0 (jieba then forces it apart; rjieba cannot)."""
    for line in userdict.decode("utf-8", errors="replace").splitlines():
        parts = line.strip().lstrip("\ufeff").split()
        if len(parts) >= 2 and parts[1] == "0":
            return True
    return False


def counted_tokens(tokens: Iterable[str]) -> list[str]:
    """The tokens the word index keeps (junk left out), in order."""
    return [t for t in tokens if not is_junk(t)]


def self_check(tokenizer: jieba.Tokenizer, rj, words: list[str]) -> str:
    """'' when rjieba ``rj`` cuts every check sentence, and every word alone and inside a sentence,
    like the jieba ``tokenizer`` (HMM on) — the same tokens once junk is left out (rjieba keeps runs
    such as '100-1' together, jieba splits them: never counted either way); else the first
    difference, in Chinese."""
    probes = [*CHECK_SENTENCES, *words, *(f"今年，{w}工作取得新进展。" for w in words)]
    for text in probes:
        expected, got = counted_tokens(tokenizer.lcut(text)), counted_tokens(rj.cut(text, True))
        if expected != got:
            return f"rjieba 与 jieba 分词不同：“{text}” → {' / '.join(got)}（jieba：{' / '.join(expected)}）"
    return ""


def rjieba_tokenizer(words: Iterable[tuple[str, int, str]]):
    """An rjieba tokenizer with jieba's dictionary plus ``words`` (raises ImportError without rjieba)."""
    import rjieba  # optional dependency

    rj = rjieba.Jieba()
    for word, freq, tag in words:
        rj.add_word(word, freq, tag or None)
    return rj


class Segmenter:
    """The one segmentation interface: ``cut(text) -> list[str]`` (jieba's precise mode, HMM on).

    ``jieba`` wraps :func:`get_tokenizer`.  ``rjieba`` (Rust, about 20× faster) is a jieba-compatible
    backend given the same user dictionary and theme terms (a :class:`Lexicon`; built here when not
    given); tests compare both over every article of the sample and of a generated corpus.
    ``name`` is part of every token cache key.
    """

    def __init__(
        self, themes: ThemeDict | None = None, backend: str = "jieba", lexicon: Lexicon | None = None
    ):
        if backend not in BACKENDS:
            raise ValueError(f"unknown segmentation backend {backend!r}; expected one of {BACKENDS}")
        self.name = backend
        if backend == "rjieba":
            words = lexicon.words if lexicon is not None else lexicon_words(get_tokenizer(themes), themes)
            self._cut = functools.partial(rjieba_tokenizer(words).cut, hmm=True)
        else:
            self._cut = get_tokenizer(themes).lcut

    def cut(self, text: str) -> list[str]:
        return self._cut(text)


_DICT_LINE_RE = re.compile(r"^(\S+) \d+ (\S+)\s*$", re.M)


@functools.lru_cache(maxsize=1)
def dictionary_tags() -> dict[str, str]:
    """Part-of-speech tag of every word of jieba's main dictionary (its third column), read once."""
    with jieba.Tokenizer().get_dict_file() as f:
        text = f.read().decode("utf-8")
    return dict(_DICT_LINE_RE.findall(text))


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
