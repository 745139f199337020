"""A full-text query as a timeline series (issue 15, part 1): the articles a 文章检索 query matches
(``疫情 -防控``, ``"长三角一体化"``, ``项目 投资|融资``), as theme hits (``schemas.ARTICLE_THEMES``), so
the 政策主题 timeline, its drill-down and the trends count a query exactly as they count a theme.

A query series' id is ``query:`` + the query as typed (spaces collapsed); like a theme it counts the
news items (news, photo, commentary) it matches; its hits are the occurrences of the query's
positive terms in the heading (kicker, title, subtitle) and in the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from pinghu_core.common import schemas
from pinghu_core.search import index as se
from pinghu_core.search import query as qy
from pinghu_core.themes.dictionary import TAGGED_KINDS, TERM_SEP, TITLE_WEIGHT
from pinghu_core.themes.timeline import QUERY_PREFIX

QUERY_GROUP = "检索式"
MAX_SERIES = 8  # series on one chart (themes, slogans and queries together)


def query_text(text: str) -> str:
    """A query as kept in a series id and the URL: its words separated by single spaces."""
    return " ".join(text.split())


def series_id(text: str) -> str:
    return QUERY_PREFIX + query_text(text)


def is_query_series(sid: str) -> bool:
    return sid.startswith(QUERY_PREFIX)


def query_of(sid: str) -> str:
    return sid.removeprefix(QUERY_PREFIX)


def label(text: str) -> str:
    """检索：疫情 -防控 — how a query series is named on charts and in tables."""
    return f"检索：{query_text(text)}"


def check(text: str) -> str:
    """'' when ``text`` is a usable query series, else why not (Chinese)."""
    text = query_text(text)
    if not text:
        return "检索式为空"
    if "," in text:
        return "检索式里不能有英文逗号（用于在链接中分隔多个检索式），可用空格或中文逗号"
    query, problem = qy.try_parse(text)
    if problem:
        return problem
    if not query.positive:
        return "检索式至少要有一个要包含的词（只有“-词”时没有可数的文章）"
    return ""


def _hits(
    spans: Iterable[tuple[str, int, int]], starts: Iterable[int], pattern: re.Pattern[str]
) -> tuple[list[int], list[int], list[str]]:
    """(hits in the heading, hits in the body, the distinct terms found joined by ``TERM_SEP``) of
    each text — ``string[first:last]`` of each of ``spans`` (``TextStore.spans``: many texts read in
    one decoded block) — in one scan of the whole text and one of its heading.

    A text is kicker, title, subtitle and body joined by ``\n`` (``index.search_text``; the body starts
    at ``start``, just after the third ``\n``) and a query's terms have no ``\n`` (``query_text``
    collapses whitespace), so no hit runs across the heading's end: the body's hits are the text's
    hits less the heading's, exactly as scanning the body alone would find them."""
    title: list[int] = []
    body: list[int] = []
    found: list[str] = []
    findall = pattern.findall
    for (text, first, last), start in zip(spans, starts, strict=True):
        every = findall(text, first, last)
        n_title = len(findall(text, first, first + start)) if every else 0
        title.append(n_title)
        body.append(len(every) - n_title)
        found.append(TERM_SEP.join(dict.fromkeys(every)))
    return title, body, found


def separable(terms: Iterable[str]) -> bool:
    """Whether no occurrence of one of ``terms`` can overlap an occurrence of another: none is inside
    another, and no end of one is the start of another.  Then the regex alternation of the terms finds
    every occurrence of each, so counting each term (``str.count``, which is much faster) gives the
    same numbers.

    >>> separable(["投资", "融资"]), separable(["长三角", "长三角一体化"]), separable(["一体化", "化工"])
    (True, False, False)
    """
    terms = list(dict.fromkeys(terms))
    if not all(terms):
        return False
    for a in terms:
        for b in terms:
            if a != b and (a in b or any(a[-k:] == b[:k] for k in range(1, min(len(a), len(b))))):
                return False
    return True


def _counted_hits(
    spans: Iterable[tuple[str, int, int]], starts: Iterable[int], terms: list[str]
) -> tuple[list[int], list[int], list[str]]:
    """:func:`_hits` for :func:`separable` terms, each counted with ``str.count`` (the found terms in
    the order of their first occurrence, as the regex finds them)."""
    title: list[int] = []
    body: list[int] = []
    found: list[str] = []
    for (text, first, last), start in zip(spans, starts, strict=True):
        count = text.count
        every = n_title = 0
        present = []
        for t in terms:
            n = count(t, first, last)
            if n:
                every += n
                n_title += count(t, first, first + start)
                present.append(t)
        title.append(n_title)
        body.append(every - n_title)
        if len(present) > 1:
            present.sort(key=lambda t: text.find(t, first, last))
        found.append(TERM_SEP.join(present))
    return title, body, found


def query_hits(index: se.SearchIndex, text: str) -> pd.DataFrame:
    """``schemas.ARTICLE_THEMES`` rows of the news items that ``text`` matches; raises
    :class:`query.QueryError` for a query that cannot be parsed."""
    text = query_text(text)
    query = qy.parse(text)
    if not query.positive:
        return schemas.ARTICLE_THEMES.empty()
    within = np.isin(index.kinds, TAGGED_KINDS)
    rows = np.flatnonzero(se.query_mask(index, query, within))
    if not len(rows):
        return schemas.ARTICLE_THEMES.empty()
    terms = query.hit_terms
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    if any("\n" in t for t in terms):  # cannot happen (query_text); the slow, obviously right way
        return _query_hits_apart(index, text, rows, pattern)
    spans, starts = index.norm.spans(rows), index.body_start[rows].tolist()
    if separable(terms):
        title, body, found = _counted_hits(spans, starts, list(dict.fromkeys(terms)))
    else:
        title, body, found = _hits(spans, starts, pattern)
    title_hits = np.asarray(title, dtype="int32")
    body_hits = np.asarray(body, dtype="int32")
    return _frame(index, text, rows, title_hits, body_hits, found)


def _query_hits_apart(
    index: se.SearchIndex, text: str, rows: np.ndarray, pattern: re.Pattern[str]
) -> pd.DataFrame:
    """:func:`query_hits` scanning heading, body and whole text apart (terms that may span them)."""
    norm = [index.norm[i] for i in rows]
    starts = index.body_start[rows]
    heads = [t[:s] for t, s in zip(norm, starts, strict=True)]
    bodies = [t[s:] for t, s in zip(norm, starts, strict=True)]
    title_hits = np.asarray([len(pattern.findall(t)) for t in heads], dtype="int32")
    body_hits = np.asarray([len(pattern.findall(t)) for t in bodies], dtype="int32")
    found = [TERM_SEP.join(dict.fromkeys(pattern.findall(t))) for t in norm]
    return _frame(index, text, rows, title_hits, body_hits, found)


def _frame(
    index: se.SearchIndex,
    text: str,
    rows: np.ndarray,
    title_hits: np.ndarray,
    body_hits: np.ndarray,
    found: list[str],
) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "article_id": index.ids[rows],
            "theme_id": series_id(text),
            "theme_label": label(text),
            "theme_group": QUERY_GROUP,
            "title_hits": title_hits,
            "body_hits": body_hits,
            "hits": title_hits + body_hits,
            "weight": TITLE_WEIGHT * title_hits + body_hits,
            "in_title": title_hits > 0,
            "terms": found,
        }
    )
    return schemas.conform(out, schemas.ARTICLE_THEMES)
