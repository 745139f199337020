"""Word counts of the articles: tokens cached once per article text, counts per filter, TF-IDF,
rising terms (log-likelihood G²) and keyword-in-context lines.

How a word is counted (docs/WORDS.md says it for users):

1. Each article's text (引题, 主题, 副题 and body) is segmented with the one segmentation interface
   (:class:`pinghu_core.words.segment.Segmenter`: the private jieba tokenizer with
   ``data/lexicon/userdict.txt`` and every theme keyword).  Punctuation, whitespace, numbers and
   single Latin letters are dropped (:func:`is_junk`); what remains is stored as a bag of words,
   one row per (article, term) with its count.
2. The bags are cached on disk (``<cache dir>/words/<corpus>/<lexicon digest>/``: the documents by
   text digest, the vocabulary with part-of-speech tags, and int32 rows document/term/count).  The
   lexicon digest covers the user dictionary, the theme terms, the POS guesses and the backend:
   editing userdict.txt or themes.toml re-tokenizes on the next refresh; a new or changed article
   is tokenized alone.  Workers of a process pool send compact arrays, not Python objects.
3. At count time stopwords (``data/lexicon/stopwords.txt``) and one-character tokens are left
   out (:func:`countable`); the stopword list is read again whenever its content changes.

Part of speech: each distinct term is tagged once by dictionary lookup (our user dictionary's
tag, else jieba's dictionary's, else a guess from its ending, ``data/lexicon/pos_suffixes.txt``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pinghu_core.common import schemas, settings
from pinghu_core.common.stats import log_likelihood
from pinghu_core.corpus import derived, ingest, pool
from pinghu_core.themes.dictionary import ThemeDict, title_text
from pinghu_core.words import segment

log = logging.getLogger(__name__)


def stopwords_path() -> Path:
    """``stopwords.txt`` of the configured lexicon folder (setting ``lexicon_dir``)."""
    return settings.get_settings().stopwords_path


def pos_suffixes_path() -> Path:
    """``pos_suffixes.txt`` of the configured lexicon folder."""
    return settings.get_settings().lexicon_dir / "pos_suffixes.txt"


def not_places_path() -> Path:
    """``not_places.txt`` of the configured lexicon folder: words tagged ns that are no place."""
    return settings.get_settings().lexicon_dir / "not_places.txt"


CACHE_FORMAT = "1"
CHUNK = 400  # articles per worker task
MIN_PARALLEL = 200  # fewer articles than this: tokenize in-process
MIN_CHARS = 2  # shorter tokens are never counted
MAX_COUNT = np.iinfo(np.int32).max
STAGE_SEGMENT = "分词"
STAGE_READ = "读取分词缓存"
STAGE_WRITE = "写入分词缓存"

# part-of-speech filters: name → (Chinese label, tag prefixes); "place" also takes the place names
POS_FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "all": ("全部词", ()),
    "noun": ("名词", ("n",)),
    "verb": ("动词", ("v",)),
    "place": ("地名", ("ns",)),
}
WEIGHTS: dict[str, str] = {"count": "出现次数", "tfidf": "TF-IDF"}

is_junk = segment.is_junk  # tokens never counted nor cached


def article_texts(articles: pd.DataFrame) -> pd.Series:
    """What is segmented and searched for each article: its titles (newline-separated) and body."""
    return title_text(articles) + "\n" + articles["body"].astype("string").fillna("")


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


DIGEST_ROWS = 10_000  # articles whose texts are made at once by text_digests


def text_digests(articles: pd.DataFrame) -> list[str]:
    """:func:`text_digest` of every article's text, a slice of the articles at a time: the texts of
    the whole corpus (on ten times the corpus 170 million characters, as Arrow and as Python
    strings) never exist at once just to be hashed."""
    out: list[str] = []
    for first in range(0, len(articles), DIGEST_ROWS):
        out += [text_digest(t) for t in article_texts(articles.iloc[first : first + DIGEST_ROWS]).tolist()]
    return out


def stored_text_digests(articles: pd.DataFrame, root: Path | None, corpus_fingerprint: str) -> pa.Array:
    """:func:`text_digests`, kept with the corpus cache under ``root`` (:mod:`pinghu_core.corpus.derived`,
    computed by ``pinghu ingest``): opening the word index then reads 377,275 digests instead of
    making and hashing every article's text — which read every body of the mapped corpus cache
    (on ten times the corpus 460 MB more resident memory on each 词云 first open).  Used only when
    the stored article ids are the articles' ids, in order; otherwise computed.  Arrow strings, not
    a Python string per article (they are looked up among the cached texts by Arrow too)."""
    parts = (
        "text_digests",
        corpus_fingerprint,
        derived.source_digest(sys.modules[__name__], sys.modules[title_text.__module__]),
    )

    def build() -> pd.DataFrame:
        return pd.DataFrame({"article_id": articles["article_id"], "digest": text_digests(articles)})

    stored = derived.load_or_build(root, "textdigests", parts, build, schemas.TEXT_DIGESTS)
    ids = articles["article_id"].astype("string").reset_index(drop=True)
    if len(stored) != len(ids) or not stored["article_id"].equals(ids):
        return pa.array(text_digests(articles), pa.string())
    return pa.array(stored["digest"], pa.string())


# ---------------------------------------------------------------- lexicon files


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def read_word_list(path: Path) -> frozenset[str]:
    """One word per line; blank lines and lines starting with # are ignored; text after a space too."""
    words = set()
    for line in _file_bytes(path).decode("utf-8", errors="replace").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.split()[0])
    return frozenset(words)


def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """The stopwords of ``data/lexicon/stopwords.txt`` (or ``path``)."""
    return read_word_list(path or stopwords_path())


def file_digest(path: Path) -> str:
    """Digest of a file's content ('' content when it cannot be read)."""
    return hashlib.sha256(_file_bytes(path)).hexdigest()[:16]


def stopwords_digest(path: Path | None = None) -> str:
    return file_digest(path or stopwords_path())


def load_not_places(path: Path | None = None) -> frozenset[str]:
    """The words of ``data/lexicon/not_places.txt`` (or ``path``): never counted as place names."""
    return read_word_list(path or not_places_path())


def place_filter_digest(places_file: Path) -> str:
    """Digest of what the 地名 filter reads: the place file and ``not_places.txt``."""
    return file_digest(places_file) + file_digest(not_places_path())


def is_place(term: str, tag: str, places: Collection[str], not_places: Collection[str]) -> bool:
    """Whether the 地名 filter keeps ``term``: a name of the place file, else a place tag (ns…) for
    a word not listed in ``not_places.txt`` (jieba tags 城市, 外国, 英雄, 上门 … as ns)."""
    return term in places or (tag.startswith("ns") and term not in not_places)


BACKEND_ENV = "PINGHU_SEGMENTER"

ProgressFn = Callable[[int, int, str], None]  # (done, total, Chinese stage label)


def _rjieba_installed() -> bool:
    """Whether rjieba can be imported (without importing it: its import loads a dictionary)."""
    from importlib.util import find_spec

    return find_spec("rjieba") is not None


def default_backend() -> str:
    """The segmentation backend asked for: ``PINGHU_SEGMENTER`` (jieba or rjieba) when set and usable,
    else rjieba when installed, else jieba.  rjieba is used only while its lexicon's self-check found
    its tokens identical to jieba's (:func:`resolve_backend`, at build time); otherwise jieba."""
    name = os.environ.get(BACKEND_ENV, "").strip() or ("rjieba" if _rjieba_installed() else "jieba")
    if name == "rjieba" and not _rjieba_installed():
        log.warning("%s=rjieba but rjieba is not installed: using jieba", BACKEND_ENV)
        return "jieba"
    return name if name in segment.BACKENDS else "jieba"


def lexicon_digest(themes: ThemeDict | None, backend: str = "jieba") -> str:
    """Digest of everything segmentation depends on: user dictionary, theme terms, backend, format."""
    h = hashlib.sha256()
    h.update(_file_bytes(settings.get_settings().userdict_path))
    h.update(_file_bytes(pos_suffixes_path()))
    terms = sorted({t for theme in themes.themes for t in theme.terms}) if themes else []
    h.update("\n".join(terms).encode("utf-8"))
    h.update(f"{backend}|{CACHE_FORMAT}|{segment.MIN_THEME_FREQ}".encode())
    return h.hexdigest()[:16]


def pos_suffixes(path: Path | None = None) -> list[tuple[str, str]]:
    """(suffix, tag) pairs from ``data/lexicon/pos_suffixes.txt``, longest suffix first."""
    pairs = []
    for line in _file_bytes(path or pos_suffixes_path()).decode("utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 2 and not parts[0].startswith("#"):
            pairs.append((parts[0], parts[1]))
    return sorted(pairs, key=lambda p: -len(p[0]))


def guess_pos(term: str, suffixes: Sequence[tuple[str, str]]) -> str:
    """A cheap part-of-speech guess for a word missing from every dictionary."""
    if re.fullmatch(r"[A-Za-z0-9]+", term):
        return "eng"
    for suffix, tag in suffixes:
        if term.endswith(suffix) and len(term) > len(suffix):
            return tag
    return "x"


def tag_terms(terms: Sequence[str], user_tags: dict[str, str], theme_terms: Iterable[str] = ()) -> list[str]:
    """Part of speech of each distinct term: user dictionary tag, jieba dictionary tag, 'n' for a
    theme keyword (policy terms are names of things), else a guess from its ending."""
    tags = segment.dictionary_tags()
    suffixes = pos_suffixes()
    themed = set(theme_terms)
    return [
        user_tags.get(t) or tags.get(t) or ("n" if t in themed else guess_pos(t, suffixes)) for t in terms
    ]


# ---------------------------------------------------------------- the lexicon (once per dictionary)

_LEXICONS: dict[str, segment.Lexicon] = {}  # lexicon key → lexicon, this process


def _package_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def lexicon_key(themes: ThemeDict | None) -> str:
    """Digest of what :func:`segment.build_lexicon` reads: user dictionary, theme terms, the jieba and
    rjieba versions (a lexicon built without rjieba is built again once it is installed)."""
    h = hashlib.sha256()
    h.update(_file_bytes(settings.get_settings().userdict_path))
    terms = [t for theme in themes.themes for t in theme.terms] if themes else []
    h.update("\n".join(terms).encode("utf-8"))
    versions = f"{segment.LEXICON_FORMAT}|{segment.MIN_THEME_FREQ}|{_package_version('jieba')}|{_package_version('rjieba')}"
    h.update(versions.encode())
    return h.hexdigest()[:16]


KEEP_LEXICONS = 8  # lexicon files kept, newest first


def lexicon_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "lexicons" / f"{key}.json"


def get_lexicon(themes: ThemeDict | None, cache_dir: Path | None = None) -> segment.Lexicon:
    """The :class:`segment.Lexicon` of these dictionaries: from this process, else from
    ``<cache dir>/lexicons/``, else built (about 1 s); written there when it is not yet (the oldest
    beyond KEEP_LEXICONS are deleted)."""
    key = lexicon_key(themes)
    path = lexicon_path(cache_dir, key) if cache_dir is not None else None
    lexicon = _LEXICONS.get(key)
    if lexicon is None and path is not None:
        try:
            lexicon = segment.Lexicon.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            lexicon = None
    if lexicon is None:
        lexicon = segment.build_lexicon(themes)
    if path is not None and not path.exists():
        try:
            _write_json(path, lexicon.to_json())
            old = sorted(path.parent.glob("*.json"), key=lambda f: f.stat().st_mtime, reverse=True)
            for f in old[KEEP_LEXICONS:]:
                f.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not write the lexicon %s: %s", path, exc)
    if key not in _LEXICONS and len(_LEXICONS) >= 4:
        _LEXICONS.clear()
    _LEXICONS[key] = lexicon
    return lexicon


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def resolve_backend(
    themes: ThemeDict | None, backend: str | None = None, cache_dir: Path | None = None
) -> tuple[str, segment.Lexicon]:
    """(the backend to use, the lexicon): ``backend`` (default :func:`default_backend`), except that
    rjieba falls back to jieba when its lexicon's self-check found a difference or it is missing."""
    backend = backend or default_backend()
    lexicon = get_lexicon(themes, cache_dir)
    if backend == "rjieba" and not lexicon.rjieba:
        log.warning("rjieba not used, jieba instead: %s", lexicon.note)
        backend = "jieba"
    return backend, lexicon


def segmenter(themes: ThemeDict | None, cache_dir: Path | None = None) -> segment.Segmenter:
    """The segmenter the word index uses (the resolved backend, built from the cached lexicon)."""
    backend, lexicon = resolve_backend(themes, None, cache_dir)
    return segment.Segmenter(themes, backend, lexicon)


# ---------------------------------------------------------------- tokenizing


def bag(tokens: Iterable[str]) -> Counter:
    """Token → count, junk left out."""
    return Counter(t for t in tokens if not is_junk(t))


_WORKER: dict[tuple[str, str], segment.Segmenter] = {}  # (backend, lexicon digest) → segmenter


@dataclass
class Chunk:
    """Bags of words of several texts, compact (what a worker sends back): ``lengths[i]`` rows per
    text, each row a code into ``vocab`` and its count."""

    vocab: list[str]
    lengths: np.ndarray  # int64, one per text
    codes: np.ndarray  # int32
    counts: np.ndarray  # int32

    def bags(self) -> list[Counter]:
        out, at = [], 0
        for n in self.lengths.tolist():
            out.append(
                Counter(
                    {
                        self.vocab[c]: k
                        for c, k in zip(
                            self.codes[at : at + n].tolist(), self.counts[at : at + n].tolist(), strict=True
                        )
                    }
                )
            )
            at += n
        return out


def _segmenter(themes: ThemeDict | None, backend: str, lexicon: segment.Lexicon | None) -> segment.Segmenter:
    key = (backend, lexicon_digest(themes, backend))
    seg = _WORKER.get(key)
    if seg is None:
        _WORKER.clear()
        seg = _WORKER[key] = segment.Segmenter(themes, backend, lexicon)
    return seg


def tokenize_chunk(
    texts: list[str], themes: ThemeDict | None, backend: str, lexicon: segment.Lexicon | None = None
) -> Chunk:
    """Segment ``texts``; junk left out; one compact :class:`Chunk`.  Each text's tokens are counted
    at C speed (``Counter``) and each distinct token is checked for junk once per chunk."""
    cut = _segmenter(themes, backend, lexicon).cut
    vocab: list[str] = []
    code_of: dict[str, int] = {}  # token → code into vocab, -1 for junk
    lengths: list[int] = []
    codes: list[int] = []
    counts: list[int] = []
    for text in texts:
        n = 0
        for word, k in Counter(cut(text)).items():
            code = code_of.get(word)
            if code is None:
                code = code_of[word] = -1 if is_junk(word) else len(vocab)
                if code >= 0:
                    vocab.append(word)
            if code >= 0:
                codes.append(code)
                counts.append(k)
                n += 1
        lengths.append(n)
    return Chunk(
        vocab,
        np.array(lengths, dtype=np.int64),
        np.array(codes, dtype=np.int32),
        np.array(counts, dtype=np.int64).clip(max=MAX_COUNT).astype(np.int32),
    )


def tokenize_chunks(
    texts: list[str],
    themes: ThemeDict | None,
    *,
    backend: str = "jieba",
    workers: int = 1,
    lexicon: segment.Lexicon | None = None,
    progress: ProgressFn | None = None,
) -> list[Chunk]:
    """:func:`tokenize_chunk` over ``texts`` in order, in a process pool of ``workers`` when there are
    many; ``progress(done, total, '分词')`` after each chunk."""
    chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
    finished = 0

    def step(i: int) -> None:
        nonlocal finished
        finished += len(chunks[i])
        if progress is not None:
            progress(finished, len(texts), STAGE_SEGMENT)

    return pool.map_ordered(
        tokenize_chunk,
        [(c, themes, backend, lexicon) for c in chunks],
        workers if len(texts) >= MIN_PARALLEL else 1,
        step,
    )


def tokenize_texts(
    texts: list[str], themes: ThemeDict | None, *, backend: str = "jieba", workers: int = 1
) -> list[Counter]:
    """Bags of words of ``texts`` (in order) as Counters."""
    return [b for c in tokenize_chunks(texts, themes, backend=backend, workers=workers) for b in c.bags()]


@dataclass
class Pretokenized:
    """Bags of some article texts made while their files were parsed (:class:`ArticleTokenizer`)."""

    digests: list[str]
    chunk: Chunk
    backend: str = ""


@dataclass
class ArticleTokenizer:
    """The per-chunk hook of :func:`pinghu_core.corpus.ingest.load_corpus`: segments the articles a
    parse worker just made, in that worker (parsing and segmentation overlap on every core).
    Picklable; the worker builds its segmenter once, from ``lexicon``."""

    themes: ThemeDict | None
    backend: str
    lexicon: segment.Lexicon | None = None

    def __call__(self, articles: pd.DataFrame) -> Pretokenized:
        texts = dict.fromkeys(article_texts(articles).tolist())  # one bag per distinct text
        chunk = tokenize_chunk(list(texts), self.themes, self.backend, self.lexicon)
        return Pretokenized([text_digest(t) for t in texts], chunk, self.backend)


def article_tokenizer(themes: ThemeDict | None, cache_dir: Path | None = None) -> ArticleTokenizer:
    """The hook that gives :func:`build_index` bags made while parsing (same backend and lexicon as
    :func:`build_index` with the default backend); its segmenter is built here, so workers forked
    after this inherit it."""
    backend, lexicon = resolve_backend(themes, None, cache_dir)
    hook = ArticleTokenizer(themes, backend, lexicon)
    _segmenter(themes, backend, lexicon)
    return hook


# ---------------------------------------------------------------- the index


@dataclass
class WordIndex:
    """Bags of words of every article of a corpus, as integer arrays — one bag per distinct text,
    shared by every article that prints that text (a report carried by several papers, a repeated
    notice): its rows are never copied per article, the article counts as a weight.

    The text of ``article_ids[i]`` is ``art_doc[i]``; text ``d``'s bag is rows
    ``doc_start[d]:doc_start[d + 1]`` of ``bag_term`` (codes into ``vocab``) and ``bag_count``.
    ``pos`` is the tag of each vocab entry; ``df`` how many articles contain each term, ``tf`` its
    occurrences in every article (an article counts as many times as it is in the corpus).
    """

    article_ids: np.ndarray  # str, the articles frame's order
    art_doc: np.ndarray  # int64, the text of each article
    doc_start: np.ndarray  # int64, len = texts + 1
    bag_term: np.ndarray  # int32, or narrower when the vocabulary fits
    bag_count: np.ndarray  # int32, or narrower when every count fits
    vocab: np.ndarray  # str
    pos: np.ndarray  # str
    lexicon: str = ""
    stats: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.weight = np.bincount(self.art_doc, minlength=self.n_texts).astype(np.int64)  # articles per text
        self.tf, self.df = self._weighted(np.flatnonzero(self.weight), self.weight)
        self.position = pd.Index(self.article_ids)
        self.term_index = {t: i for i, t in enumerate(self.vocab)}

    @classmethod
    def from_rows(
        cls,
        article_ids: np.ndarray,
        row_doc: np.ndarray,
        row_term: np.ndarray,
        row_count: np.ndarray,
        vocab: np.ndarray,
        pos: np.ndarray,
        lexicon: str = "",
    ) -> WordIndex:
        """The index of one bag per article: rows (article, term, count), sorted by article."""
        lengths = np.bincount(row_doc, minlength=len(article_ids)).astype(np.int64)
        starts = np.zeros(len(article_ids) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        art_doc = np.arange(len(article_ids), dtype=np.int64)
        return cls(article_ids, art_doc, starts, row_term, row_count, vocab, pos, lexicon)

    @property
    def n_docs(self) -> int:
        """Articles (what a mask of :meth:`doc_mask` and :meth:`totals` is over)."""
        return len(self.article_ids)

    @property
    def n_texts(self) -> int:
        return len(self.doc_start) - 1

    def article_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(article, term, count) per article–term, sorted by article: every shared bag copied per
        article (for tests and figures; the index itself never builds this)."""
        lengths = np.diff(self.doc_start)[self.art_doc]
        row_doc = np.repeat(np.arange(self.n_docs, dtype=np.int32), lengths)
        take = self._rows(self.art_doc)
        return row_doc, self.bag_term[take], self.bag_count[take]

    @property
    def row_term(self) -> np.ndarray:
        """The terms of :meth:`article_rows` (built on every call)."""
        return self.article_rows()[1]

    def doc_mask(self, article_ids: Iterable[str] | None) -> np.ndarray:
        """Bool per article: True for the given ids (None: every article)."""
        if article_ids is None:
            return np.ones(self.n_docs, dtype=bool)
        idx = self.position.get_indexer(pd.Index(list(article_ids), dtype=object))
        mask = np.zeros(self.n_docs, dtype=bool)
        mask[idx[idx >= 0]] = True
        return mask

    def _texts_of(self, mask: np.ndarray) -> np.ndarray:
        """Articles of ``mask`` per text."""
        return np.bincount(self.art_doc[mask], minlength=self.n_texts).astype(np.int64)

    def totals(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(occurrences, articles) of every vocab term within the articles of ``mask``."""
        if mask.all():
            return self.tf, self.df
        weight = self._texts_of(mask)
        texts = np.flatnonzero(weight)
        if int(np.diff(self.doc_start)[texts].sum()) > len(self.bag_term) // 2:
            rest = self.weight - weight  # cheaper: everything minus the articles left out
            tf, docs = self._weighted(np.flatnonzero(rest), rest)
            return self.tf - tf, self.df - docs
        return self._weighted(texts, weight)

    def _weighted(self, texts: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(Σ weight × count, Σ weight) per vocab term over the bags of ``texts`` (sorted positions),
        summed SPAN_ROWS rows at a time (the row positions and weights of every row at once would be
        16 bytes a row)."""
        tf = np.zeros(len(self.vocab), dtype=np.float64)
        docs = np.zeros(len(self.vocab), dtype=np.float64)
        lengths = np.diff(self.doc_start)[texts]
        ends = np.cumsum(lengths)
        first = 0
        while first < len(texts):
            done = int(ends[first - 1]) if first else 0
            last = max(first + 1, int(np.searchsorted(ends, done + SPAN_ROWS, side="right")))
            chunk = texts[first:last]
            take = self._rows(chunk)
            w = np.repeat(weight[chunk].astype(np.float64), lengths[first:last])
            terms = self.bag_term[take]
            tf += np.bincount(terms, weights=self.bag_count[take] * w, minlength=len(self.vocab))
            docs += np.bincount(terms, weights=w, minlength=len(self.vocab))
            first = last
        return tf.astype(np.int64), docs.astype(np.int64)

    def _rows(self, texts: np.ndarray) -> np.ndarray:
        """Row positions of the bags of ``texts`` in that order (each bag's rows are contiguous)."""
        starts, lengths = self.doc_start[texts], np.diff(self.doc_start)[texts]
        offsets = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
        return offsets + np.arange(int(lengths.sum()), dtype=np.int64)

    def _texts_with(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """(texts whose bag holds vocab entry ``code``, its count in each)."""
        rows = np.flatnonzero(self.bag_term == code)
        return np.searchsorted(self.doc_start, rows, side="right") - 1, self.bag_count[rows]

    def articles_with(self, term: str, mask: np.ndarray | None = None) -> list[str]:
        """Ids of the articles (within ``mask``) whose bag holds ``term``."""
        code = self.term_index.get(term)
        if code is None:
            return []
        has = np.zeros(self.n_texts, dtype=bool)
        has[self._texts_with(code)[0]] = True
        found = has[self.art_doc]
        if mask is not None:
            found &= mask
        return [str(a) for a in self.article_ids[found]]

    def occurrences(self, term: str, mask: np.ndarray) -> int:
        """How often ``term`` is a token in the articles of ``mask``."""
        code = self.term_index.get(term)
        if code is None:
            return 0
        texts, counts = self._texts_with(code)
        return int((counts.astype(np.int64) * self._texts_of(mask)[texts]).sum())


SPAN_ROWS = 1_000_000  # rows whose occurrences WordIndex sums at once (about 40 bytes a row meanwhile)


def index_root(cache_dir: Path, corpus_dir: Path | str) -> Path:
    key = hashlib.sha256(str(Path(corpus_dir).resolve()).encode()).hexdigest()[:12]
    return Path(cache_dir) / "words" / key


@dataclass
class _Arrays:
    """The word cache: one bag per text digest, rows ``doc_start[d]:doc_start[d + 1]``."""

    digests: list[str] | pa.Array  # Arrow strings when read from the cache (the warm path)
    vocab: list[str]
    doc_start: np.ndarray  # int64
    row_term: np.ndarray  # int32
    row_count: np.ndarray  # int32


def _starts(lengths: np.ndarray) -> np.ndarray:
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out


def _merge(old: _Arrays | None, wanted: set[str], new_digests: list[str], chunks: list[Chunk]) -> _Arrays:
    """The cached documents still wanted, then the newly tokenized ones, with one vocabulary
    (rows stay sorted by document)."""
    vocab: dict[str, int] = {}
    digests: list[str] = []
    parts = []
    if old is not None:
        vocab = {t: i for i, t in enumerate(old.vocab)}
        old_digests = _with_strings(old).digests
        keep_doc = np.fromiter((d in wanted for d in old_digests), dtype=bool, count=len(old_digests))
        lengths = np.diff(old.doc_start)
        rows = np.repeat(keep_doc, lengths)
        digests = [d for d, k in zip(old_digests, keep_doc, strict=True) if k]
        parts.append((lengths[keep_doc], old.row_term[rows], old.row_count[rows]))
    for chunk in chunks:
        mapping = np.array([vocab.setdefault(w, len(vocab)) for w in chunk.vocab], dtype=np.int32)
        parts.append((chunk.lengths, mapping[chunk.codes] if len(chunk.codes) else chunk.codes, chunk.counts))
        digests.extend([""] * len(chunk.lengths))
    new_at = len(digests) - len(new_digests)
    digests[new_at:] = new_digests
    cat = lambda i, t: np.concatenate([p[i] for p in parts]).astype(t) if parts else np.zeros(0, t)  # noqa: E731
    return _Arrays(digests, list(vocab), _starts(cat(0, np.int64)), cat(1, np.int32), cat(2, np.int32))


def _write_store(folder: Path, arrays: _Arrays, tags: dict[str, str]) -> None:
    """Write the three files into a temporary folder, then swap it in (readers never see half)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    pq.write_table(pa.table({"digest": arrays.digests}), tmp / "docs.parquet")
    pq.write_table(
        pa.table({"term": arrays.vocab, "pos": [tags.get(t, "x") for t in arrays.vocab]}),
        tmp / "vocab.parquet",
    )
    row_doc = np.repeat(np.arange(len(arrays.digests), dtype=np.int32), np.diff(arrays.doc_start))
    pq.write_table(
        pa.table({"doc": row_doc, "term": arrays.row_term, "count": arrays.row_count}),
        tmp / "bags.parquet",
    )
    old = folder.with_name(folder.name + f".old-{os.getpid()}")
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    if old.exists():
        for f in old.iterdir():
            f.unlink()
        old.rmdir()


KEEP_STORES = 3  # word caches kept per corpus (one per dictionary version), newest first


def _prune(folder: Path) -> None:
    """Delete the word caches of older dictionaries beyond KEEP_STORES (and leftovers of failed writes)."""
    siblings = [p for p in folder.parent.iterdir() if p.is_dir() and p != folder]
    stale = [p for p in siblings if p.name.startswith(".tmp-") or ".old-" in p.name]
    stores = sorted((p for p in siblings if p not in stale), key=lambda p: p.stat().st_mtime, reverse=True)
    for p in stale + stores[KEEP_STORES - 1 :]:
        shutil.rmtree(p, ignore_errors=True)


def _load_arrays(folder: Path) -> tuple[_Arrays, dict[str, str]] | None:
    """The cache as arrays without building Counters (the warm path)."""
    try:
        docs = pq.read_table(folder / "docs.parquet").column("digest").combine_chunks()
        vocab_t = pq.read_table(folder / "vocab.parquet")
        vocab = vocab_t.column("term").to_pylist()
        starts, terms, counts = _read_bags(folder / "bags.parquet", len(docs), len(vocab))
    except (OSError, pa.ArrowException, KeyError):
        return None
    tags = dict(zip(vocab, vocab_t.column("pos").to_pylist(), strict=True))
    return _Arrays(docs, vocab, starts, terms, counts), tags


def _narrow(limit: int | None) -> type[np.integer]:
    """The smallest of uint8, uint16 and int32 for values known to stay below ``limit``."""
    if limit is not None and limit <= 1 << 8:
        return np.uint8
    return np.uint16 if limit is not None and limit <= 1 << 16 else np.int32


def _count_limit(file: pq.ParquetFile, column: int) -> int | None:
    """One more than the largest value of an integer column, from the row groups' statistics (None
    when some row group has none)."""
    top = 0
    for g in range(file.metadata.num_row_groups):
        stats = file.metadata.row_group(g).column(column).statistics
        if stats is None or not stats.has_min_max or stats.min < 0:
            return None
        top = max(top, int(stats.max) + 1)
    return top


def _read_bags(path: Path, n_docs: int, n_terms: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(where each document's rows start, term, count) of the cached bags, filled one row group at a
    time: the file never exists decoded in Arrow next to its numpy copy, and the document of each
    row (sorted) is kept only as the start of each document's rows.  Terms and counts take the
    smallest unsigned type the vocabulary and the largest count fit (on the ten-times corpus uint16
    and uint8: 3 instead of 8 bytes a row), else int32."""
    # pre_buffer off: pyarrow's default reads every row group's column chunks ahead (the whole
    # 95 MB file on ten times the corpus, held while the rows are copied out: +80 MB at the peak).
    file = pq.ParquetFile(path, pre_buffer=False)
    rows = file.metadata.num_rows
    names = file.schema_arrow.names
    terms = np.empty(rows, dtype=_narrow(n_terms))
    counts = np.empty(rows, dtype=_narrow(_count_limit(file, names.index("count"))))
    lengths = np.zeros(n_docs, dtype=np.int64)
    at, last = 0, 0
    batch = doc = term = count = None
    for batch in file.iter_batches(columns=["doc", "term", "count"]):
        doc = batch.column(0).to_numpy()
        if len(doc) and (doc[0] < last or (np.diff(doc) < 0).any() or doc[-1] >= n_docs or doc[0] < 0):
            raise pa.ArrowInvalid(f"{path}: rows not sorted by document")
        if len(doc):
            last = int(doc[-1])
            lengths += np.bincount(doc, minlength=n_docs)
        term, count = batch.column(1).to_numpy(), batch.column(2).to_numpy()
        if len(term) and (term.min() < 0 or term.max() >= n_terms or count.min() < 0):
            raise pa.ArrowInvalid(f"{path}: a term or count out of range")
        terms[at : at + len(batch)] = term
        counts[at : at + len(batch)] = count
        at += len(batch)
    # The reader, its last batch and the numpy views of it hold Arrow buffers: release_unused frees
    # nothing while they live (~90 MB kept until the function returned, on ten times the corpus).
    del file, batch, doc, term, count
    pa.default_memory_pool().release_unused()
    if at != rows:
        raise pa.ArrowInvalid(f"{path}: {at} rows read, {rows} expected")
    return _starts(lengths), terms, counts


def _doc_positions(wanted: pa.Array, docs: list[str] | pa.Array) -> np.ndarray | None:
    """Each digest of ``wanted``: its position among the cached documents ``docs`` (int64); None when
    one is not among them.  Arrow's hash lookup over the digests as they were read — no Python
    string per digest, no set or dict of them (on ten times the corpus 677,857 strings)."""
    value_set = docs if isinstance(docs, pa.Array) else pa.array(docs, pa.string())
    found = pc.index_in(wanted, value_set=value_set)
    if found.null_count:
        return None
    return found.to_numpy(zero_copy_only=False).astype(np.int64)


def _index_from(
    arrays: _Arrays, tags: dict[str, str], article_ids: list[str], art_doc: np.ndarray, lexicon: str
) -> WordIndex:
    """Map the corpus' articles onto the cached documents (``art_doc``: :func:`_doc_positions` of
    their text digests): identical texts share one cached bag, which is not copied."""
    vocab = np.array(arrays.vocab, dtype=object)
    pos = np.array([tags.get(t, "x") for t in arrays.vocab], dtype=object)
    return WordIndex(
        np.array(article_ids, dtype=object),
        art_doc,
        arrays.doc_start,
        arrays.row_term,
        arrays.row_count,
        vocab,
        pos,
        lexicon,
    )


def load_index(
    articles: pd.DataFrame,
    themes: ThemeDict | None,
    *,
    cache_dir: Path,
    corpus_dir: Path | str = "",
    backend: str | None = None,
    fingerprint: str | None = None,
) -> WordIndex | None:
    """The word index from the cache when it holds every article's text (the warm path of
    :func:`build_index`, about a second on ten years); None when some text needs segmenting.
    ``fingerprint``: the corpus' (``ingest.Corpus.fingerprint``) — the articles' text digests are
    then kept with the corpus cache (:func:`stored_text_digests`) instead of made again."""
    return _build(
        articles,
        themes,
        cache_dir=cache_dir,
        corpus_dir=corpus_dir,
        backend=backend,
        warm_only=True,
        fingerprint=fingerprint,
    )


def build_index(
    articles: pd.DataFrame,
    themes: ThemeDict | None,
    *,
    cache_dir: Path | None = None,
    corpus_dir: Path | str = "",
    workers: int = 1,
    backend: str | None = None,
    progress: ProgressFn | None = None,
    pretokenized: Iterable[Pretokenized | None] = (),
    fingerprint: str | None = None,
) -> WordIndex:
    """Bags of words of every article, from the cache when it has them; new texts are tokenized
    (in a pool of ``workers``) and the cache rewritten.  No ``cache_dir``: nothing is cached.

    ``backend``: default :func:`default_backend`, rjieba falling back to jieba (:func:`resolve_backend`).
    ``pretokenized``: bags made while parsing (:class:`ArticleTokenizer`), used for the texts they
    cover when made with the same backend.  ``progress(done, total, stage)`` is called while a cold
    build segments (stage '分词', done/total texts) and writes the cache."""
    index = _build(
        articles,
        themes,
        cache_dir=cache_dir,
        corpus_dir=corpus_dir,
        workers=workers,
        backend=backend,
        progress=progress,
        pretokenized=pretokenized,
        fingerprint=fingerprint,
    )
    assert index is not None  # only warm_only gives None
    return index


def _with_strings(arrays: _Arrays) -> _Arrays:
    """``arrays`` with its digests as Python strings (the cold path compares and merges them)."""
    if isinstance(arrays.digests, pa.Array):
        arrays.digests = arrays.digests.to_pylist()
    return arrays


def _wanted_digests(
    articles: pd.DataFrame, cache_dir: Path | None, corpus_dir: Path | str, fingerprint: str | None
) -> pa.Array:
    """The articles' text digests: kept with the corpus cache when its fingerprint is known, else made."""
    if cache_dir is not None and fingerprint is not None:
        return stored_text_digests(
            articles, ingest.cache_root(Path(cache_dir), Path(corpus_dir)), fingerprint
        )
    return pa.array(text_digests(articles), pa.string())


def _build(
    articles: pd.DataFrame,
    themes: ThemeDict | None,
    *,
    cache_dir: Path | None,
    corpus_dir: Path | str,
    workers: int = 1,
    backend: str | None = None,
    progress: ProgressFn | None = None,
    pretokenized: Iterable[Pretokenized | None] = (),
    warm_only: bool = False,
    fingerprint: str | None = None,
) -> WordIndex | None:
    import time

    started = time.perf_counter()
    backend, lexicon = resolve_backend(themes, backend, cache_dir)
    digest = lexicon_digest(themes, backend)
    wanted = _wanted_digests(articles, cache_dir, corpus_dir, fingerprint)
    ids = articles["article_id"].astype(str).tolist()
    folder = index_root(cache_dir, corpus_dir) / digest if cache_dir is not None else None
    loaded = _load_arrays(folder) if folder is not None else None
    art_doc = _doc_positions(wanted, loaded[0].digests) if loaded is not None else None
    if loaded is not None and art_doc is not None:
        index = _index_from(loaded[0], loaded[1], ids, art_doc, digest)
        del loaded
        index.stats = {
            "from_cache": True,
            "tokenized": 0,
            "backend": backend,
            "seconds": time.perf_counter() - started,
        }
        return index
    if warm_only:
        return None
    old, tags = (_with_strings(loaded[0]), loaded[1]) if loaded is not None else (None, {})
    digests: list[str] = wanted.to_pylist()  # some texts need segmenting: Python strings from here
    cached = set(old.digests) if old is not None else set()
    texts = article_texts(articles).tolist()  # some need segmenting
    todo = {d: t for d, t in zip(digests, texts, strict=True) if d not in cached}
    ready_digests: list[str] = []
    ready: list[Chunk] = []
    first = {d: i for i, d in reversed(list(enumerate(digests)))}
    usable = [p for p in pretokenized if isinstance(p, Pretokenized) and p.digests]
    for pre in sorted(usable, key=lambda p: min(first.get(d, len(digests)) for d in p.digests)):
        if not isinstance(pre, Pretokenized) or pre.backend != backend:
            continue
        keep = [i for i, d in enumerate(pre.digests) if d in todo]
        if not keep:
            continue
        chunk = pre.chunk if len(keep) == len(pre.digests) else _subset(pre.chunk, keep)
        ready_digests.extend(pre.digests[i] for i in keep)
        ready.append(chunk)
        for i in keep:
            del todo[pre.digests[i]]
    total = len(todo) + len(ready_digests)
    done = len(ready_digests)

    def step(n: int, _total: int, stage: str) -> None:
        if progress is not None:
            progress(done + n, total, stage)

    step(0, total, STAGE_SEGMENT)
    chunks = tokenize_chunks(
        list(todo.values()), themes, backend=backend, workers=workers, lexicon=lexicon, progress=step
    )
    arrays = _merge(old, set(digests), ready_digests + list(todo), ready + chunks)
    missing = [t for t in arrays.vocab if t not in tags]
    theme_terms = [t for theme in themes.themes for t in theme.terms] if themes else []
    tags.update(zip(missing, tag_terms(missing, lexicon.user_tags, theme_terms), strict=True))
    if folder is not None:
        if progress is not None:
            progress(total, total, STAGE_WRITE)
        try:
            _write_store(folder, arrays, tags)
            _prune(folder)
        except OSError as exc:
            log.warning("could not write the word cache %s: %s", folder, exc)
    art_doc = _doc_positions(wanted, arrays.digests)
    assert art_doc is not None  # every wanted text was merged in
    index = _index_from(arrays, tags, ids, art_doc, digest)
    index.stats = {
        "from_cache": False,
        "tokenized": total,
        "pretokenized": len(ready_digests),
        "backend": backend,
        "seconds": time.perf_counter() - started,
    }
    return index


def _subset(chunk: Chunk, keep: list[int]) -> Chunk:
    """The texts ``keep`` (positions, ascending) of a chunk, its vocabulary kept whole."""
    starts = np.r_[0, np.cumsum(chunk.lengths)]
    rows = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in keep])
    codes = chunk.codes[rows]
    used = np.unique(codes)
    renumber = np.zeros(len(chunk.vocab), dtype=np.int32)
    renumber[used] = np.arange(len(used), dtype=np.int32)
    return Chunk(
        [chunk.vocab[i] for i in used.tolist()], chunk.lengths[keep], renumber[codes], chunk.counts[rows]
    )


# ---------------------------------------------------------------- counting


def countable(
    index: WordIndex, stopwords: frozenset[str], pos: str = "all", places: Iterable[str] = ()
) -> np.ndarray:
    """Bool per vocab term: counted (not a stopword, at least MIN_CHARS long) and of part of speech ``pos``."""
    vocab = index.vocab
    lengths = np.fromiter((len(t) for t in vocab), dtype=np.int64, count=len(vocab))
    keep = (lengths >= MIN_CHARS) & ~np.isin(vocab, np.array(sorted(stopwords), dtype=object))
    prefixes = POS_FILTERS[pos][1]
    if pos == "place":
        names, excluded = set(places), load_not_places()
        keep &= np.fromiter(
            (is_place(str(t), str(p), names, excluded) for t, p in zip(vocab, index.pos, strict=True)),
            dtype=bool,
            count=len(vocab),
        )
    elif prefixes:
        tagged = np.fromiter((str(p).startswith(prefixes) for p in index.pos), dtype=bool, count=len(vocab))
        keep &= tagged
    return keep


def term_table(
    index: WordIndex, mask: np.ndarray, keep: np.ndarray, *, top: int | None = None, weight: str = "count"
) -> pd.DataFrame:
    """The counted terms of the articles of ``mask``: occurrences, articles, TF-IDF, ranked by ``weight``.

    TF-IDF = occurrences in the filter × ln(all articles / articles of the corpus containing the term).
    Conformed to ``schemas.TERM_COUNTS``.
    """
    tf, docs = index.totals(mask)
    return term_table_from_counts(index, tf, docs, keep, top=top, weight=weight)


def term_table_from_counts(
    index: WordIndex,
    tf: np.ndarray,
    docs: np.ndarray,
    keep: np.ndarray,
    *,
    top: int | None = None,
    weight: str = "count",
) -> pd.DataFrame:
    """:func:`term_table` from the filter's (occurrences, articles) per vocab term (``WordIndex.totals``),
    so that the articles of a filter are counted once for both weights and every part of speech."""
    sel = np.flatnonzero(keep & (tf > 0))
    idf = np.log(max(index.n_docs, 1) / np.maximum(index.df[sel], 1))
    tfidf = tf[sel] * idf
    score = tfidf if weight == "tfidf" else tf[sel].astype(np.float64)
    order = _top_order(score, docs[sel], index.vocab[sel], top)
    sel_o = sel[order]
    df = pd.DataFrame(
        {
            "term": index.vocab[sel_o],
            "pos": index.pos[sel_o],
            "count": tf[sel_o],
            "documents": docs[sel_o],
            "tfidf": tfidf[order],
            "corpus_documents": index.df[sel_o],
        }
    )
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return schemas.conform(df, schemas.TERM_COUNTS)


def _top_order(score: np.ndarray, docs: np.ndarray, terms: np.ndarray, top: int | None) -> np.ndarray:
    """Positions of the ``top`` largest scores, ties by more articles then by term (partition first)."""
    candidates = np.arange(len(score))
    if top is not None and len(score) > top:
        cut = np.partition(score, len(score) - top)[len(score) - top]
        candidates = np.flatnonzero(score >= cut)
    sub = np.lexsort((terms[candidates].astype(str), -docs[candidates], -score[candidates]))
    return candidates[sub][:top] if top is not None else candidates[sub]


MIN_RISING = 10  # a rising term needs at least this many occurrences in both periods together


def rising_terms(
    index: WordIndex,
    earlier: np.ndarray,
    later: np.ndarray,
    keep: np.ndarray,
    *,
    top: int = 50,
    min_count: int = MIN_RISING,
) -> pd.DataFrame:
    """Terms whose rate per million tokens rose from the ``earlier`` articles to the ``later`` ones,
    ranked by G²; terms seen fewer than ``min_count`` times in both periods together are left out.
    Conformed to ``schemas.RISING_TERMS``."""
    return rising_from_counts(
        index, index.totals(earlier)[0], index.totals(later)[0], keep, top=top, min_count=min_count
    )


def rising_from_counts(
    index: WordIndex,
    earlier: np.ndarray,
    later: np.ndarray,
    keep: np.ndarray,
    *,
    top: int = 50,
    min_count: int = MIN_RISING,
) -> pd.DataFrame:
    """:func:`rising_terms` from each period's occurrences per vocab term (``WordIndex.totals``'
    first array), so that a period counted once serves both directions and every comparison it is in."""
    b, a = np.where(keep, earlier, 0), np.where(keep, later, 0)
    d, c = float(b.sum()), float(a.sum())
    if c == 0 or d == 0:
        return schemas.RISING_TERMS.empty()
    rate_a, rate_b = a / c * 1e6, b / d * 1e6
    sel = np.flatnonzero((a + b >= min_count) & (rate_a > rate_b))
    g2 = log_likelihood(a[sel], b[sel], c, d)
    order = np.lexsort((index.vocab[sel].astype(str), -g2))[:top]
    s = sel[order]
    with np.errstate(divide="ignore"):
        ratio = np.where(b[s] > 0, rate_a[s] / np.maximum(rate_b[s], 1e-12), np.nan)
    df = pd.DataFrame(
        {
            "term": index.vocab[s],
            "pos": index.pos[s],
            "earlier_count": b[s],
            "later_count": a[s],
            "earlier_per_million": rate_b[s],
            "later_per_million": rate_a[s],
            "change_per_million": rate_a[s] - rate_b[s],
            "ratio": ratio,
            "g2": g2[order],
        }
    )
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return schemas.conform(df, schemas.RISING_TERMS)


def frequencies(table: pd.DataFrame, weight: str = "count") -> dict[str, float]:
    """term → weight of a :func:`term_table` (what a word cloud draws)."""
    column = "tfidf" if weight == "tfidf" else "count"
    return {str(t): float(v) for t, v in zip(table["term"], table[column], strict=True) if v > 0}


# ---------------------------------------------------------------- keyword in context

SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
KWIC_WIDTH = 40  # characters of context each side, at most


def _context(sentence: str, pos: int, word: str) -> tuple[str, str, str]:
    """(left, word, right) around ``sentence[pos:pos+len(word)]``, at most KWIC_WIDTH characters each side."""
    end = pos + len(word)
    left = sentence[max(0, pos - KWIC_WIDTH) : pos]
    right = sentence[end : end + KWIC_WIDTH]
    return (
        ("…" if pos > KWIC_WIDTH else "") + left,
        word,
        right + ("…" if end + KWIC_WIDTH < len(sentence) else ""),
    )


def string_positions(sentence: str, word: str) -> list[int]:
    """Start of every (non-overlapping) occurrence of ``word`` in ``sentence``, as a string.

    >>> string_positions("独山港镇和独山港经济开发区", "独山港")
    [0, 5]
    """
    out, pos = [], sentence.find(word) if word else -1
    while pos >= 0:
        out.append(pos)
        pos = sentence.find(word, pos + len(word))
    return out


def token_positions(seg: segment.Segmenter, sentence: str, word: str) -> list[int]:
    """Start of every token of ``sentence`` that is exactly ``word``."""
    out, pos = [], 0
    for token in seg.cut(sentence):
        if token == word:
            out.append(pos)
        pos += len(token)
    return out


def kwic_lines(
    seg: segment.Segmenter, text: str, word: str, *, whole_word: bool = False
) -> list[tuple[str, str, str]]:
    """(left, word, right) for every occurrence of ``word`` in ``text``: every occurrence of the string
    (default: what a Chinese reader expects — 独山港 finds 独山港镇), or with ``whole_word`` only where
    the segmenter cuts it as a whole token. Context stays inside the sentence, at most KWIC_WIDTH
    characters each side."""
    out: list[tuple[str, str, str]] = []
    for m in SENTENCE_RE.finditer(text):
        sentence = m.group().strip()
        if word not in sentence:
            continue
        found = token_positions(seg, sentence, word) if whole_word else string_positions(sentence, word)
        out.extend(_context(sentence, pos, word) for pos in found)
    return out


_SENTENCE_BREAK_RE = re.compile(r"[。！？；!?;\n]")


def kwic_count(
    articles: pd.DataFrame,
    index: WordIndex,
    word: str,
    article_ids: Iterable[str] | None,
    seg: segment.Segmenter,
    *,
    whole_word: bool = False,
) -> int:
    """How many lines :func:`kwic` gives without a limit, counted without building them: a whole word's
    token counts from the index, a string's occurrences in the texts (each found in one sentence)."""
    if not word:
        return 0
    mask = index.doc_mask(article_ids)
    if whole_word:  # what the bags hold: kwic lists a whole word only in the articles whose bag has it
        return index.occurrences(word, mask)
    rows = articles[articles["article_id"].astype(str).isin([str(a) for a in index.article_ids[mask]])]
    texts = article_texts(rows)
    texts = texts[texts.str.contains(word, regex=False).fillna(False).to_numpy(dtype=bool)]
    if _SENTENCE_BREAK_RE.search(word) or word != word.strip():
        return sum(len(kwic_lines(seg, str(t), word)) for t in texts)
    return int(texts.str.count(re.escape(word)).sum())


def kwic(
    articles: pd.DataFrame,
    index: WordIndex,
    word: str,
    article_ids: Iterable[str] | None,
    seg: segment.Segmenter,
    *,
    limit: int | None = None,
    whole_word: bool = False,
) -> pd.DataFrame:
    """Every keyword-in-context line of ``word`` in the articles ``article_ids`` (None: all), by date:
    every occurrence of the string, or with ``whole_word`` only whole tokens. Conformed to ``schemas.KWIC``."""
    mask = index.doc_mask(article_ids)
    if whole_word:
        ids = index.articles_with(word, mask)
    else:
        ids = [str(a) for a in index.article_ids[mask]] if word else []
    if not ids:
        return schemas.KWIC.empty()
    rows = articles[articles["article_id"].astype(str).isin(ids)].sort_values(
        ["date", "article_id"], kind="stable"
    )
    texts = article_texts(rows)
    if not whole_word:
        has = texts.str.contains(word, regex=False).fillna(False).to_numpy(dtype=bool)
        rows, texts = rows[has], texts[has]
    out = []
    for (_, r), text in zip(rows.iterrows(), texts, strict=True):
        title = next((str(x) for x in (r["title"], r["subtitle"], r["kicker"]) if x), "（无标题）")
        for left, w, right in kwic_lines(seg, str(text), word, whole_word=whole_word):
            out.append(
                {
                    "article_id": r["article_id"],
                    "date": r["date"],
                    "title": title,
                    "left": left,
                    "word": w,
                    "right": right,
                    "line": f"{left}【{w}】{right}",
                }
            )
            if limit is not None and len(out) >= limit:
                return schemas.conform(pd.DataFrame(out), schemas.KWIC)
    if not out:
        return schemas.KWIC.empty()
    return schemas.conform(pd.DataFrame(out), schemas.KWIC)
