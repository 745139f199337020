"""Slogan discovery: local campaigns live in quotation marks.

“四大百日攻坚”, “两稳一保”, “1+8”服务机制, “五群善治”, “交地即施工”, “低散乱” … and
document titles in 《…》.  ``find_slogans`` lists the quoted terms that recur (in at least
``min_articles`` articles) with their first and last date; ``slogan_hits`` counts chosen
slogans in every article like a theme, so a slogan can go on the timeline.

What counts as a quoted term: 2–12 characters between “ and ” (2–60 between 《 and 》),
with no sentence punctuation inside (，。！？；：…) and not opening like speech (我们…,
大家…).  Only news, photo and commentary items are searched (titles and bodies).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pinghu_core.common import schemas
from pinghu_core.corpus import derived
from pinghu_core.themes import dictionary
from pinghu_core.themes.dictionary import Theme, join_texts, tag_with, tagged

QUOTE_RE = re.compile(r"“([^“”\n\x00\x01]{2,12})”")
DOCUMENT_RE = re.compile(r"《([^《》\n\x00\x01]{2,60})》")
SPEECH_PUNCT = frozenset("，。！？；：…,!?;:")
# A quote opening with one of these is speech, not a slogan (“我们将…”, “大家好”).
SPEECH_STARTS: tuple[str, ...] = (
    "我",
    "你",
    "您",
    "他",
    "她",
    "咱",
    "大家",
    "这里",
    "这么",
    "那么",
    "谢谢",
    "感谢",
)
SLOGAN_GROUP = "口号"


def is_slogan(term: str) -> bool:
    """A quoted text that can be a slogan: no sentence punctuation, not speech."""
    return not (SPEECH_PUNCT & set(term)) and not term.startswith(SPEECH_STARTS) and bool(term.strip())


def quoted_terms(text: str) -> list[tuple[int, str, str]]:
    """(offset, slogan, kind) of every slogan-like quote and document title in ``text``.

    >>> [s for _, s, _ in quoted_terms("推动“两稳一保”落地，出台《浙江省综合行政执法条例》。“有了这条通道，好。”")]
    ['两稳一保', '《浙江省综合行政执法条例》']
    """
    found = [(m.start(), m.group(1).strip(), "quote") for m in QUOTE_RE.finditer(text)]
    found += [(m.start(), m.group(0), "document") for m in DOCUMENT_RE.finditer(text)]
    return sorted((p, s, k) for p, s, k in found if is_slogan(s.strip("《》")))


def quote_hits(articles: pd.DataFrame) -> pd.DataFrame:
    """Every slogan-like quote and document title of the coverage items (news, photo, commentary),
    one row each (``schemas.QUOTE_HITS``), by article then place in it."""
    items = tagged(articles)
    slogans: list[str] = []
    kinds: list[str] = []
    rows: list[np.ndarray] = []
    # A few thousand articles joined at a time, in order: no quote spans two articles (the patterns
    # exclude the separators), so the hits and their order are those of the whole corpus joined,
    # without a copy of every text held at once.
    for first in range(0, len(items), SCAN_ARTICLES):
        joined = join_texts(items.iloc[first : first + SCAN_ARTICLES])
        found = quoted_terms(joined.text)
        pos = np.fromiter((p for p, _, _ in found), dtype=np.int64, count=len(found))
        rows.append(first + np.searchsorted(joined.starts, pos, side="right") - 1)
        slogans += [s for _, s, _ in found]
        kinds += [k for _, _, k in found]
    if not slogans:
        return schemas.QUOTE_HITS.empty()
    ids = items["article_id"].astype("string").to_numpy(dtype=object)
    hits = pd.DataFrame({"article_id": ids[np.concatenate(rows)], "slogan": slogans, "kind": kinds})
    return schemas.conform(hits, schemas.QUOTE_HITS)


SHORT_TITLE = 2  # 《决定》《意见》《通知》: a title this short names a document given in full elsewhere


def document_titles(text: str) -> list[str]:
    """The titles named in 《…》 in ``text``, in order, each once (:func:`quoted_terms`' rule).

    Titles of two characters or fewer (《决定》, 《意见》) are left out: they stand for a document
    named in full elsewhere.

    >>> document_titles("学习《中华人民共和国民法典》，落实《平湖市村庄规划》和《中华人民共和国民法典》《决定》")
    ['《中华人民共和国民法典》', '《平湖市村庄规划》']
    """
    return list(
        dict.fromkeys(s for _, s, k in quoted_terms(text) if k == "document" and len(s) > SHORT_TITLE + 2)
    )


DOCUMENT_TEXT_PARTS = ("kicker", "title", "subtitle", "body")  # an item's text: these, one a line
DOCUMENT_BLOCK = 2_000  # items read at a time by article_documents


def document_text(items: pd.DataFrame) -> list[str]:
    """Each item's headline parts and body, one a line (the text :func:`document_titles` reads)."""
    parts = items[list(DOCUMENT_TEXT_PARTS)].astype("string").fillna("")
    return ["\n".join(row) for row in parts.itertuples(index=False)]


def document_rows(articles: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """(position of the item, title) of every title in 《》 a coverage item (news, photo,
    commentary) names, as two sequences: items in order, each item's titles in the order of its
    text, each once (:func:`document_titles` of :func:`document_text`)."""
    coverage = articles["kind"].astype("string").isin(dictionary.TAGGED_KINDS).to_numpy(dtype=bool)
    read = np.flatnonzero(coverage & _may_name_a_title(articles))  # the others name none: not read
    positions: list[int] = []
    titles: list[str] = []
    # a block of items at a time, not every text of the corpus at once
    for at in range(0, len(read), DOCUMENT_BLOCK):
        block = read[at : at + DOCUMENT_BLOCK]
        for i, text in zip(block.tolist(), document_text(articles.iloc[block]), strict=True):
            found = document_titles(text)
            positions += [i] * len(found)
            titles += found
    return np.asarray(positions, dtype=np.intp), titles


def article_documents(articles: pd.DataFrame) -> pd.DataFrame:
    """``schemas.ARTICLE_DOCUMENTS``: :func:`document_rows` by article id."""
    at, titles = document_rows(articles)
    ids = articles["article_id"].astype(str).to_numpy(dtype=object)[at]
    return schemas.conform(pd.DataFrame({"article_id": ids, "title": titles}), schemas.ARTICLE_DOCUMENTS)


def _may_name_a_title(items: pd.DataFrame) -> np.ndarray:
    """Per item: whether a part of its text has a 《 (a title in 《》 never spans two parts, nor a
    line) — one scan in Arrow; of ten years' items one in seven has one."""
    found = np.zeros(len(items), dtype=bool)
    for col in DOCUMENT_TEXT_PARTS:
        has = pc.match_substring(_arrow_chunks(items[col]), "《").fill_null(False)
        found |= np.asarray(has.to_numpy(zero_copy_only=False), dtype=bool)
    return found


def _arrow_chunks(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A string column as Arrow, its chunks as they are when it is Arrow already (not copied into
    one array first: a corpus' bodies are most of its size)."""
    array = values.array
    if isinstance(values.dtype, pd.StringDtype) and hasattr(array, "__arrow_array__"):
        return array.__arrow_array__()
    return dictionary.arrow_strings(values)


def stored_documents(
    articles: pd.DataFrame,
    root: Path | None,
    corpus_fingerprint: str,
    digests: Callable[[], np.ndarray] | None = None,
) -> pd.DataFrame:
    """:func:`article_documents` of the corpus, kept with its cache under ``root`` (``pinghu
    ingest`` computes it; a grown corpus reads only its new articles; ``digests``: the articles'
    :func:`derived.text_digests` when known)."""
    key = documents_stored(corpus_fingerprint)
    return derived.load_or_build_by_article(
        root,
        key.name,
        key.parts,
        [p for p in key.parts if p != corpus_fingerprint],
        lambda: articles[list(derived.ARTICLE_TEXT)],  # all that article_documents reads
        article_documents,
        schemas.ARTICLE_DOCUMENTS,
        digests,
    )


def documents_stored(corpus_fingerprint: str) -> derived.Stored:
    """What :func:`stored_documents` keeps: per corpus and version of this code."""
    parts = (
        "article_documents",
        corpus_fingerprint,
        derived.source_digest(sys.modules[__name__], dictionary),
    )
    return derived.Stored("documents", parts)


def find_slogans(
    articles: pd.DataFrame, *, min_articles: int = 2, hits: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Quoted terms and document titles found in at least ``min_articles`` articles.

    Conformed to ``schemas.SLOGANS``; most widespread first (articles, then mentions).  ``hits``:
    the articles' :func:`quote_hits` when they are known (kept with the corpus cache).
    """
    hits = quote_hits(articles) if hits is None else hits
    if hits.empty:
        return schemas.SLOGANS.empty()
    day = pd.Series(
        pd.to_datetime(articles["date"]).to_numpy(), index=articles["article_id"].astype("string").to_numpy()
    )
    day = day[~day.index.duplicated(keep="first")]
    hits = pd.DataFrame(
        {
            "slogan": hits["slogan"].astype(object).to_numpy(),
            "kind": hits["kind"].astype(object).to_numpy(),
            "article_id": hits["article_id"].astype(object).to_numpy(),
            "date": day.reindex(hits["article_id"].astype("string").to_numpy()).to_numpy(),
        }
    )
    per = hits.groupby("slogan", sort=False)
    out = pd.DataFrame(
        {
            "kind": per["kind"].first(),
            "first_date": per["date"].min(),
            "last_date": per["date"].max(),
            "articles": per["article_id"].nunique(),
            "mentions": per.size(),
        }
    )
    out = out[out["articles"] >= min_articles]
    if out.empty:
        return schemas.SLOGANS.empty()
    keep = hits[hits["slogan"].isin(out.index)].drop_duplicates(["slogan", "article_id"])
    keep = keep.sort_values(["date", "article_id"], na_position="last", kind="stable")
    out["article_ids"] = keep.groupby("slogan", sort=False)["article_id"].agg(list)
    out = out.rename_axis("slogan").reset_index()
    out = out.sort_values(
        ["articles", "mentions", "first_date", "slogan"], ascending=[False, False, True, True]
    )
    return schemas.conform(out, schemas.SLOGANS)


SCAN_ARTICLES = 20_000  # articles joined into one string at a time by quote_hits


def stored_slogans(
    articles: pd.DataFrame,
    root: Path | None,
    corpus_fingerprint: str,
    digests: Callable[[], np.ndarray] | None = None,
) -> pd.DataFrame:
    """:func:`find_slogans` of the corpus, kept with its cache under ``root`` (computed once per
    corpus and version of this code by ``pinghu ingest``; see :mod:`pinghu_core.corpus.derived`),
    counted from each article's quotes, kept too (only an earlier corpus' missing articles are read
    again; ``digests``: the articles' :func:`derived.text_digests` when known)."""
    key = slogans_stored(corpus_fingerprint)

    def build() -> pd.DataFrame:
        hits = derived.load_or_build_by_article(
            root,
            "quotes",
            ("quote_hits", *key.parts[1:]),
            [p for p in key.parts[1:] if p != corpus_fingerprint],
            lambda: articles[list(derived.ARTICLE_TEXT)],  # all that quote_hits reads
            quote_hits,
            schemas.QUOTE_HITS,
            digests,
        )
        return find_slogans(articles, hits=hits)

    return derived.load_or_build(root, key.name, key.parts, build, schemas.SLOGANS)


def slogans_stored(corpus_fingerprint: str) -> derived.Stored:
    """What :func:`stored_slogans` keeps: per corpus and version of this code."""
    parts = ("slogans", corpus_fingerprint, derived.source_digest(sys.modules[__name__], dictionary))
    return derived.Stored("slogans", parts)


SLOGAN_PREFIX = "slogan:"  # a series id of a slogan: 'slogan:' + the slogan (a theme's is its id)


def slogan_id(slogan: str) -> str:
    return f"{SLOGAN_PREFIX}{slogan}"


def slogan_label(slogan: str) -> str:
    """“两稳一保”; a document title keeps its own 《》."""
    return slogan if slogan.startswith("《") else f"“{slogan}”"


def slogan_themes(slogans: Sequence[str]) -> list[Theme]:
    """Each slogan as a one-keyword theme (id 'slogan:…')."""
    return [Theme(slogan_id(s), slogan_label(s), SLOGAN_GROUP, (s,)) for s in dict.fromkeys(slogans) if s]


def slogan_hits(articles: pd.DataFrame, slogans: list[str]) -> pd.DataFrame:
    """Every occurrence of each slogan (quoted or not) counted like a theme keyword.

    Same columns as ``schemas.ARTICLE_THEMES``: theme_id 'slogan:' + slogan, theme_label
    the slogan in “”, theme_group '口号'.
    """
    return tag_with(articles, slogan_themes(slogans), group=SLOGAN_GROUP)
