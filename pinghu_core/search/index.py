"""Filtering articles for the 文章检索 page and ``pinghu export`` — one function for both.

``build_index`` prepares, once per corpus (and theme dictionary), what every filter needs: the
normalised search text of each article (引题, 主题, 副题 and body, one per line; ``query.normalise``),
its date, kind, 版次, reporters, places (``places.article_places``), themes (``themes.tag_articles``)
and whether it is an article (``shapes.is_article``: every article file; in a whole-page file the
news, photo and commentary items — the rest are other items: guides, ads, weather …).
``filter_articles(index, view)`` then gives the matching articles, newest first, as a
``schemas.SEARCH_RESULTS`` frame with a snippet around the first hit.

Within one filter the chosen values are alternatives (any of the chosen places); the filters and
the query words combine with AND (docs/SEARCH.md).  A date range with an open end has no bound on
that side; with no range at all, articles whose date is unknown are included.

Speed: each query word is looked up (:meth:`derived.TextStore.search`: a byte search over blocks of
the stored UTF-16 texts, about 20–40 ms over every article of the ten-year corpus) only in the
articles the other filters and the earlier words leave, and what was found is kept per word (with
which articles were looked at), so changing any other filter costs numpy operations.

Memory: the normalised texts stay in their file with the corpus cache (:func:`stored_normalised`),
read a block at a time while a word is looked up — the process keeps their offsets only; the text
as printed, which only snippets and downloads need, is not copied either — it is read from the
articles' Arrow columns for the rows shown (:meth:`SearchIndex.raw_texts`).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pinghu_core.common import schemas
from pinghu_core.common.arrays import take_rows
from pinghu_core.common.daterange import in_range
from pinghu_core.common.viewspec import BOOL, DATE_END, DATE_START, MANY, param, rows_key
from pinghu_core.corpus import derived, shapes
from pinghu_core.corpus import prominence as pr
from pinghu_core.search import query as qy

DEFAULT_KINDS: tuple[str, ...] = ("news", "commentary")
SNIPPET_CONTEXT = 30  # characters either side of the first hit
SNIPPET_HEAD = 60  # characters of the body when there is no query
HEAD_ROWS = 20_000  # bodies taken at once for the snippets without a query
TERM_CACHE = 256  # query words whose article masks are kept
# orders of the results: newest first; most hits of the query's words first; most prominent first
SORTS: dict[str, str] = {
    "date": "按日期（由近及远）",
    "hits": "按命中次数",
    "prominence": "按显著度（头条、头版在前）",
}
HIT_OPEN, HIT_CLOSE = "【", "】"
LIST_SEP = "、"  # names in one cell (reporters, themes, places)
RESULT_ARTICLE_COLUMNS = (
    "article_id",
    "page_id",
    "source",
    "date",
    "date_source",
    "date_confidence",
    "kind",
    "column_name",
    "kicker",
    "title",
    "subtitle",
    "page_no",
    "order",
    "chars",
)


@dataclass(frozen=True)
class SearchView:
    """What to show: every filter of the page (and of ``pinghu export``) plus the opened article.

    Each field declares its URL parameter, widget key, checks and command-line flag
    (:mod:`pinghu_core.common.viewspec`): that one declaration reads the URL, seeds and reads the
    widgets, writes the URL and adds the ``pinghu export`` flag.  A new filter is a field here, its
    test in :func:`filter_mask`, and its widget on the page."""

    start: dt.date | None = param(
        None, "start", widget="articles.dates", kind=DATE_START, label_zh="日期范围", cli="--from", cli_metavar="YYYY-MM-DD",
        cli_help="起始日期（含）",
    )  # fmt: skip
    end: dt.date | None = param(
        None, "end", widget="articles.dates", kind=DATE_END, cli="--to", cli_metavar="YYYY-MM-DD",
        cli_help="结束日期（含）",
    )  # fmt: skip
    kinds: tuple[str, ...] = param(  # () = every kind
        DEFAULT_KINDS, "kinds", widget="articles.kinds", label_zh="类型", kind=MANY, options="kinds", always_in_url=True,
        cli="--kind", cli_metavar="K",
        cli_help="类型，可重复或用逗号分隔：news/新闻、commentary/评论 …；all 为全部（默认 新闻、评论）",
    )  # fmt: skip
    page_nos: tuple[str, ...] = param(  # 版次 ('01' matches '1'); () = every 版次
        (), "page_no", widget="articles.page_nos", label_zh="版次", kind=MANY, options="page_nos", match=shapes.page_no_norm,
        cli="--page-no", cli_metavar="PP", cli_help="版次（任一），可重复或用逗号分隔，如 01,02（1 与 01 相同）",
    )  # fmt: skip
    themes: tuple[str, ...] = param(  # theme ids; () = no theme filter
        (), "themes", widget="articles.themes", label_zh="政策主题", kind=MANY, options="themes",
        cli="--theme", cli_metavar="ID", cli_help="政策主题编号或名称（任一），可重复",
    )  # fmt: skip
    places: tuple[str, ...] = param(
        (), "places", widget="articles.places", label_zh="地点", kind=MANY, options="places",
        cli="--place", cli_metavar="P", cli_help="地点（任一），如 乍浦镇，可重复",
    )  # fmt: skip
    reporters: tuple[str, ...] = param(
        (), "reporters", widget="articles.reporters", label_zh="记者", kind=MANY, options="reporters",
        cli="--reporter", cli_metavar="R", cli_help="记者（任一），可重复",
    )  # fmt: skip
    columns: tuple[str, ...] = param(  # 栏目 printed with the item; () = every 栏目
        (), "columns", widget="articles.columns", kind=MANY, options="columns", label_zh="栏目",
        cli="--column", cli_metavar="C", cli_help="栏目（任一），即与文章一同印出的栏目名，可重复",
    )  # fmt: skip
    lead: bool = param(
        False, "lead", widget="articles.lead", kind=BOOL, label_zh="头条",
        cli="--lead-only", cli_help="只要头条（每个头版的第一篇新闻，规则见 data/prominence.toml）",
    )  # fmt: skip
    sort: str = param(
        "date", "sort", widget="articles.sort", options="sorts", label_zh="排序", omit_default=True,
        cli="--sort", cli_metavar="S", cli_help="排序：date 按日期（默认）、hits 按命中次数、prominence 按显著度",
    )  # fmt: skip
    query: str = param(
        "", "q", widget="articles.query", label_zh="检索式",
        cli="--query", cli_metavar="Q", cli_help='检索式：空格＝并且，|＝或者，-词＝不含，"短语"',
    )  # fmt: skip
    article: str = param(
        "", "article", widget="articles.article", rows=False, widget_none=True
    )  # the open one

    @property
    def filters(self) -> tuple:
        """Everything that decides the rows (not the opened article): a cache key."""
        return rows_key(self)


def _shared(values: np.ndarray) -> np.ndarray:
    """``values`` (strings) as an object array whose equal values are one Python string: a few
    distinct values over hundreds of thousands of articles take 8 bytes a row, not a string each."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.asarray(uniques, dtype=object)[codes]


def _rows_by(
    ids: np.ndarray, frame: pd.DataFrame, key: str, positions: dict[str, int]
) -> dict[str, np.ndarray]:
    """value of ``key`` → sorted row positions of the articles having it."""
    if frame.empty:
        return {}
    pos = frame["article_id"].astype(str).map(positions)
    ok = pos.notna().to_numpy()
    grouped = pd.Series(pos[ok].astype("int64").to_numpy()).groupby(frame.loc[ok, key].astype(str).to_numpy())
    return {str(k): np.unique(v.to_numpy()) for k, v in grouped}


def _labels_per_row(n: int, frame: pd.DataFrame, key: str, positions: dict[str, int]) -> list[str]:
    """Per article: the distinct values of ``key`` in ``frame`` order, joined by '、'."""
    out: list[list[str]] = [[] for _ in range(n)]
    if not frame.empty:
        for article_id, value in zip(frame["article_id"].astype(str), frame[key].astype(str), strict=True):
            i = positions.get(article_id)
            if i is not None and value not in out[i]:
                out[i].append(value)
    return [LIST_SEP.join(v) for v in out]


SEARCH_PARTS = ("kicker", "title", "subtitle", "body")


def search_text(articles: pd.DataFrame) -> list[str]:
    """引题, 主题, 副题 and body of each article, one per line (a phrase never spans two of them)."""
    parts = [articles[c].astype("string").fillna("") for c in ("kicker", "title", "subtitle", "body")]
    return (parts[0] + "\n" + parts[1] + "\n" + parts[2] + "\n" + parts[3]).tolist()


def normalised_texts(raw: list[str]) -> list[str]:
    """Each search text as queries see it (:func:`query.normalise`)."""
    return [qy.normalise(t) for t in raw]


def normalised_stored(corpus_fingerprint: str) -> derived.Stored:
    """What :func:`stored_normalised` keeps: per corpus and version of this code and the query's."""
    parts = ("search_norm", corpus_fingerprint, derived.source_digest(sys.modules[__name__], qy))
    return derived.Stored("search", parts, texts=True)


def stored_normalised(
    articles: pd.DataFrame, root: Path | None, corpus_fingerprint: str
) -> derived.TextStore:
    """:func:`normalised_texts` of every article, kept with the corpus cache under ``root`` (see
    :mod:`pinghu_core.corpus.derived`) and read from there a block at a time; in the articles' order.
    Made a slice of the articles at a time (never every text at once)."""
    key = normalised_stored(corpus_fingerprint)

    def build() -> Iterator[str]:
        for first in range(0, len(articles), NORM_ROWS):
            yield from normalised_texts(search_text(articles.iloc[first : first + NORM_ROWS]))

    norm = derived.load_or_build_texts(root, key.name, key.parts, build)
    if len(norm) != len(articles):  # another corpus under the same fingerprint cannot happen; be safe
        norm = derived.TextStore.from_texts(build())
    return norm


NORM_ROWS = 20_000  # articles whose normalised texts stored_normalised makes at once


class SearchIndex:
    """What the filters need, prepared once per corpus; shared between sessions — never modified
    after it is built, except for the bounded cache of word masks (safe under the GIL)."""

    def __init__(
        self,
        articles: pd.DataFrame,
        places: pd.DataFrame,
        themes: pd.DataFrame,
        is_article: np.ndarray,
        norm: derived.TextStore | None = None,
        prominence: pd.DataFrame | None = None,
    ) -> None:
        self.articles = articles
        self.is_article = is_article
        if prominence is None:  # no pages known: nothing is ranked
            prominence = schemas.conform(
                pd.DataFrame(
                    {
                        "article_id": articles["article_id"],
                        "page_key": "",
                        "page_no": "",
                        "front": False,
                        "rank": 0,
                        "lead": False,
                        "page_share": 0.0,
                        "weight": 0.0,
                    }
                ),
                schemas.PROMINENCE,
            )
        self.lead = prominence["lead"].to_numpy(dtype=bool)
        self.weight = prominence["weight"].to_numpy(dtype="float64")
        self.page_nos = _shared(
            np.asarray([shapes.page_no_norm(p) for p in articles["page_no"].astype(str)], dtype=object)
        )
        self.ids = articles["article_id"].astype(str).to_numpy()
        positions = {a: i for i, a in enumerate(self.ids)}
        self.texts = pa.Table.from_pandas(articles[list(SEARCH_PARTS)], preserve_index=False)
        if norm is None:
            norm = derived.TextStore.from_texts(normalised_texts(search_text(articles)))
        self.norm = norm
        self.dates = articles["date"].to_numpy("datetime64[ns]")
        self.kinds = _shared(articles["kind"].astype(str).to_numpy())
        self.columns = _shared(articles["column_name"].astype("string").fillna("").to_numpy(dtype=object))
        lengths = [pc.utf8_length(self._part(c)).to_numpy() for c in ("kicker", "title", "subtitle")]
        self.body_start = (lengths[0] + lengths[1] + lengths[2] + 3).astype("int64")
        rows_of_reporter: dict[str, list[int]] = {}
        for i, names in enumerate(articles["reporters"]):
            for name in names:
                rows_of_reporter.setdefault(str(name), []).append(i)
        self.reporter_rows = {k: np.asarray(v, dtype="int64") for k, v in rows_of_reporter.items()}
        reporter_names = [LIST_SEP.join(str(n) for n in names) for names in articles["reporters"]]
        self.place_rows = _rows_by(self.ids, places, "place", positions)
        place_names = _labels_per_row(len(self.ids), places, "place", positions)
        self.places = places
        self.position = pd.Index(self.ids)
        place_pos = places["article_id"].astype(str).map(positions)
        known = place_pos.notna().to_numpy()
        self.place_pos = place_pos[known].astype("int64").to_numpy()
        codes, uniques = pd.factorize(places.loc[known, "place"].astype(str))
        self.place_code = codes.astype("int64")
        self.place_names_all = np.asarray(uniques, dtype=object)
        kind_of = dict(zip(places["place"].astype(str), places["place_kind"].astype(str), strict=True))
        self.place_kinds_all = np.asarray([kind_of[p] for p in self.place_names_all], dtype=object)
        self.place_mentions = places.loc[known, "mentions"].astype("float64").to_numpy()
        self.theme_rows = _rows_by(self.ids, themes, "theme_id", positions)
        theme_labels = _labels_per_row(len(self.ids), themes, "theme_label", positions)
        # newest first; undated last; then page file and order on the page
        keys = pd.DataFrame(
            {"_d": articles["date"], "source": articles["source"], "order": articles["order"]}
        )
        order = keys.sort_values(  # the keys only: sorting the articles took every column, bodies too
            ["_d", "source", "order"], ascending=[False, True, True], na_position="last", kind="stable"
        )
        self.rank = np.empty(len(self.ids), dtype="int64")
        self.rank[articles.index.get_indexer(order.index)] = np.arange(len(self.ids))
        self.newest_first = np.argsort(self.rank, kind="stable")  # row positions in result order
        # most prominent first (the weight, then the share of the 版面), newest first among equals
        share = prominence["page_share"].to_numpy(dtype="float64")
        self.prominent_first = np.lexsort((self.rank, -share, -self.weight))
        # every result column but the snippet, without the bodies: cheap to take rows of
        self.meta = schemas.conform(
            articles[list(RESULT_ARTICLE_COLUMNS)].assign(
                reporters=reporter_names,  # the label lists live on in meta only (Arrow strings)
                themes=theme_labels,
                places=place_names,
                front=prominence["front"].to_numpy(dtype=bool),
                lead=self.lead,
                rank=prominence["rank"].to_numpy(dtype="int32"),
                weight=self.weight,
                hits=0,
                snippet=pd.Series("", index=articles.index, dtype="string"),  # made per row shown: heads_at
            ),
            schemas.SEARCH_RESULTS,
        )
        self._masks: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # word → (contains, looked at)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def _part(self, name: str) -> pa.ChunkedArray:
        """One part of the search text, missing values as '' (filled only when something is missing)."""
        column = self.texts.column(name)
        if column.type != pa.large_string():
            column = column.cast(pa.large_string())
        return pc.fill_null(column, "") if column.null_count else column

    def heads_at(self, rows: np.ndarray) -> pd.Series:
        """The snippet without a query of the articles at positions ``rows``: :func:`snippet` with no
        pattern (the first ``SNIPPET_HEAD`` characters of the body, line breaks as spaces, '…' when
        there is more) — made for the rows shown, not kept for every article; ``HEAD_ROWS`` bodies
        taken at a time (a download of every article does not copy every body at once)."""
        rows = np.asarray(rows, dtype=np.int64)
        parts = [self._heads(rows[a : a + HEAD_ROWS]) for a in range(0, len(rows), HEAD_ROWS)]
        return pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype="string")

    def _heads(self, rows: np.ndarray) -> pd.Series:
        body = take_rows(self.texts.column("body"), rows)
        if body.type != pa.large_string():
            body = body.cast(pa.large_string())
        body = pc.fill_null(body, "") if body.null_count else body
        head = pc.replace_substring(pc.utf8_slice_codeunits(body, 0, SNIPPET_HEAD), "\n", " ")
        more = pc.greater(pc.utf8_length(body), SNIPPET_HEAD)
        marked = pc.if_else(
            more, pc.binary_join_element_wise(head, pa.scalar("…", head.type), pa.scalar("", head.type)), head
        )
        return pd.Series(marked.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get), dtype="string")

    def raw_texts(self, rows: np.ndarray) -> list[str]:
        """:func:`search_text` of the articles at positions ``rows`` (read from the Arrow columns)."""
        taken = [take_rows(self.texts.column(c), rows) for c in SEARCH_PARTS]
        parts = [pc.fill_null(t.cast(pa.large_string()), "") for t in taken]
        return pc.binary_join_element_wise(*parts, pa.scalar("\n", parts[0].type)).to_pylist()

    def term_mask(self, term: str, need: np.ndarray | None = None) -> np.ndarray:
        """Articles whose normalised text contains ``term`` (already normalised): exact on the rows of
        ``need`` (every row when None); only rows never looked at for this word are scanned."""
        mask, scanned = self._masks.get(term) or (
            np.zeros(len(self), dtype=bool),
            np.zeros(len(self), dtype=bool),
        )
        todo = np.flatnonzero(~scanned if need is None else need & ~scanned)
        if len(todo):
            looked, hits = self.norm.search(term, todo)  # todo and maybe more, each answered
            mask, scanned = mask.copy(), scanned.copy()  # copy on write: other sessions may read the old ones
            mask[looked] = False
            mask[hits] = True
            scanned[looked] = True
            with self._lock:
                if term not in self._masks and len(self._masks) >= TERM_CACHE:
                    self._masks.pop(next(iter(self._masks)))
                self._masks[term] = (mask, scanned)
        return mask

    def hit_counts(self, rows: np.ndarray, terms: Iterable[str]) -> np.ndarray:
        """Occurrences of ``terms`` (normalised query words) in the articles at ``rows``, summed."""
        terms = [t for t in dict.fromkeys(terms) if t]
        return self.norm.count(terms, rows)  # the stored texts in file order, a block at a time

    def rows_of(self, table: dict[str, np.ndarray], values: Iterable[str]) -> np.ndarray:
        mask = np.zeros(len(self.ids), dtype=bool)
        for v in values:
            rows = table.get(v)
            if rows is not None:
                mask[rows] = True
        return mask


def build_index(
    articles: pd.DataFrame,
    places: pd.DataFrame,
    themes: pd.DataFrame | None = None,
    pages: pd.DataFrame | None = None,
    norm: derived.TextStore | None = None,
    rules: pr.Rules | None = None,
    prominence: pd.DataFrame | None = None,
) -> SearchIndex:
    """The index of ``articles`` with their ``schemas.ARTICLE_PLACES`` and ``schemas.ARTICLE_THEMES``
    rows (``themes`` None or empty: the theme filter matches nothing).  ``pages`` says which files
    are article files and where each article stands on its 版面 (None: every file is a whole page,
    nothing is a 头条); ``norm``, the articles' normalised texts when already known
    (:func:`stored_normalised`); ``rules``, the prominence rules (None: data/prominence.toml), or
    ``prominence``, the articles' ``corpus.prominence`` rows when already known."""
    articles = articles.reset_index(drop=True)
    if pages is None:
        is_article = articles["kind"].astype("string").isin(schemas.ARTICLE_KINDS).fillna(False)
    else:
        is_article = shapes.is_article(articles, pages)
        if prominence is None:
            prominence = pr.prominence(articles, pages, rules if rules is not None else pr.rules())
    return SearchIndex(
        articles,
        places,
        themes if themes is not None else schemas.ARTICLE_THEMES.empty(),
        is_article.to_numpy(dtype=bool),
        norm,
        prominence,
    )


def column_choices(index: SearchIndex) -> dict[str, str]:
    """栏目 printed in the corpus → '平湖观察（12 篇）', most articles first (empty when none is)."""
    named = pd.Series(index.columns[index.columns != ""], dtype="string")
    counts = named.value_counts(sort=False).sort_index().sort_values(ascending=False, kind="stable")
    return {str(c): f"{c}（{n:,} 篇）" for c, n in counts.items()}


# ---------------------------------------------------------------- masks


def range_mask(index: SearchIndex, view: SearchView) -> np.ndarray:
    """Kept by the view's date range (:func:`daterange.in_range`: undated articles too unless the
    range narrows the view), of its kinds and on its 版次: the scope the counts compare with."""
    mask = in_range(index.dates, view.start, view.end)
    if view.kinds:
        mask &= np.isin(index.kinds, list(view.kinds))
    if view.page_nos:
        mask &= np.isin(index.page_nos, [shapes.page_no_norm(p) for p in view.page_nos])
    return mask


def query_mask(index: SearchIndex, query: qy.Query, within: np.ndarray | None = None) -> np.ndarray:
    """Articles matching ``query``; exact on the rows of ``within`` (the other filters), which is all
    that is scanned: each clause narrows the rows the next one looks at."""
    mask = np.ones(len(index), dtype=bool) if within is None else within.copy()
    for clause in sorted(query.clauses, key=lambda c: c.negated):  # positive clauses narrow first
        any_term = np.zeros(len(index), dtype=bool)
        for term in clause.terms:
            any_term |= index.term_mask(term, mask)
        mask &= ~any_term if clause.negated else any_term
    return mask


def filter_mask(index: SearchIndex, view: SearchView, query: qy.Query) -> np.ndarray:
    mask = range_mask(index, view)
    if view.themes:
        mask &= index.rows_of(index.theme_rows, view.themes)
    if view.places:
        mask &= index.rows_of(index.place_rows, view.places)
    if view.reporters:
        mask &= index.rows_of(index.reporter_rows, view.reporters)
    if view.columns:
        mask &= np.isin(index.columns, list(view.columns))
    if view.lead:
        mask &= index.lead
    if query:
        mask = query_mask(index, query, mask)
    return mask


# ---------------------------------------------------------------- results


def hit_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One expression finding any of ``terms`` (normalised), longest first so the longest hit wins."""
    terms = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    return re.compile("|".join(re.escape(t) for t in terms)) if terms else None


def _flat(text: str) -> str:
    """Line breaks (runs of them where a headline part is empty) as one space."""
    return text.replace("\n\n\n", "\n").replace("\n\n", "\n").replace("\n", " ")


def snippet(raw: str, norm: str, pattern: re.Pattern[str] | None, body_start: int = 0) -> str:
    """About 30 characters either side of the first hit, the hit in 【】 (line breaks shown as spaces);
    no hit: the first 60 characters of the body (which starts at ``body_start`` in ``raw``)."""
    hit = pattern.search(norm) if pattern is not None else None
    if hit is None:
        head = raw[body_start : body_start + SNIPPET_HEAD].replace("\n", " ")
        return head + ("…" if len(raw) > body_start + SNIPPET_HEAD else "")
    start, end = hit.span()
    a, b = max(0, start - SNIPPET_CONTEXT), min(len(raw), end + SNIPPET_CONTEXT)
    before, after = _flat(raw[a:start].lstrip("\n")), _flat(raw[end:b].rstrip("\n"))
    return (
        f"{'…' if a else ''}{before}{HIT_OPEN}{raw[start:end]}{HIT_CLOSE}{after}{'…' if b < len(raw) else ''}"
    )


def mark_hits(text: str, terms: Iterable[str]) -> str:
    """``text`` with every hit of ``terms`` (normalised query words, compared with the normalised
    text) wrapped in 【】; the longest word wins where two overlap."""
    pattern = hit_pattern(terms)
    if pattern is None:
        return text
    out, i = [], 0
    for hit in pattern.finditer(qy.normalise(text)):
        s, e = hit.span()
        out += [text[i:s], HIT_OPEN, text[s:e], HIT_CLOSE]
        i = e
    out.append(text[i:])
    return "".join(out)


def filter_positions(index: SearchIndex, view: SearchView) -> np.ndarray:
    """Row positions (in the index) of the articles matching every filter of ``view``, in the view's
    order (``sort``: newest first; most hits of the query's words first; most prominent first — ties
    newest first) — the rows of :func:`filter_articles`, as numbers: what the counts, the place chart
    and the rows shown are taken from without a frame of every match.  A query that cannot be read:
    none."""
    parsed, problem = qy.try_parse(view.query)
    if problem:
        return np.empty(0, dtype="int64")
    mask = filter_mask(index, view, parsed)
    if view.sort == "prominence":
        return index.prominent_first[mask[index.prominent_first]]
    newest = index.newest_first[mask[index.newest_first]]
    if view.sort == "hits" and parsed.hit_terms:
        counts = index.hit_counts(newest, parsed.hit_terms)
        return newest[np.argsort(-counts, kind="stable")]
    return newest


def results_at(
    index: SearchIndex, view: SearchView, pos: np.ndarray, *, snippets: int | None = None
) -> pd.DataFrame:
    """The ``schemas.SEARCH_RESULTS`` rows of the articles at positions ``pos`` (from
    :func:`filter_positions`), with snippets around the first hit of the view's query for the first
    ``snippets`` rows (None: every row); later rows keep the start of the body."""
    parsed, problem = qy.try_parse(view.query)
    if problem:
        return schemas.SEARCH_RESULTS.empty()
    pattern = hit_pattern(parsed.hit_terms)
    frame = index.meta.iloc[pos].reset_index(drop=True)
    if parsed.hit_terms:
        frame["hits"] = index.hit_counts(pos, parsed.hit_terms)
    if pattern is None:
        frame["snippet"] = index.heads_at(pos)
    else:
        cut = pos if snippets is None else pos[:snippets]
        raws = index.raw_texts(cut)
        marked = [
            snippet(r, qy.normalise(r), pattern, int(index.body_start[i]))
            for r, i in zip(raws, cut, strict=True)
        ]
        rest = index.heads_at(pos[len(cut) :])  # the later rows keep the start of the body
        frame["snippet"] = pd.concat([pd.Series(marked, dtype="string"), rest], ignore_index=True)
    return schemas.conform(frame, schemas.SEARCH_RESULTS)


def filter_articles(index: SearchIndex, view: SearchView, *, snippets: int | None = None) -> pd.DataFrame:
    """The articles matching every filter of ``view``, newest first (``schemas.SEARCH_RESULTS``).

    ``snippets``: cut snippets around the first hit for the first that many rows only (the page shows
    at most ``search_views.TABLE_LIMIT`` rows); later rows keep the start of the body.  None (downloads,
    ``pinghu export``): every row.  A query that cannot be read gives no rows (the caller shows
    ``query.try_parse``'s message).
    """
    return results_at(index, view, filter_positions(index, view), snippets=snippets)


def positions_of(index: SearchIndex, results: pd.DataFrame) -> np.ndarray:
    """Row positions of the articles of ``results`` (rows of :func:`filter_articles`)."""
    return index.position.get_indexer(results["article_id"].astype(str))


def place_counts(index: SearchIndex, results: pd.DataFrame) -> pd.DataFrame:
    """Articles per place among ``results`` (``schemas.PLACE_COUNTS``, as ``places.place_counts`` gives,
    most articles first) — counted with numpy on the index, fast enough for every filter change."""
    return place_counts_at(index, positions_of(index, results))


def place_counts_at(index: SearchIndex, pos: np.ndarray) -> pd.DataFrame:
    """:func:`place_counts` of the articles at positions ``pos`` (from :func:`filter_positions`)."""
    if index.places.empty or not len(pos):
        return schemas.PLACE_COUNTS.empty()
    chosen = np.zeros(len(index), dtype=bool)
    chosen[pos] = True
    keep = chosen[index.place_pos]
    codes = index.place_code[keep]
    n = len(index.place_names_all)
    articles = np.bincount(codes, minlength=n)
    mentions = np.bincount(codes, weights=index.place_mentions[keep], minlength=n)
    found = np.flatnonzero(articles)
    frame = pd.DataFrame(
        {
            "place": index.place_names_all[found],
            "place_kind": index.place_kinds_all[found],
            "articles": articles[found],
            "mentions": mentions[found].astype("int64"),
        }
    ).sort_values(["articles", "mentions", "place"], ascending=[False, False, True])
    return schemas.conform(frame, schemas.PLACE_COUNTS)


@dataclass(frozen=True)
class SearchCounts:
    """What the page counts: articles (篇文章) and, of the kinds chosen, other items (条目: guides, ads,
    weather … of whole-page files) — among the results and in the scope (dates, kinds, 版次)."""

    articles: int
    others: int
    scope_articles: int
    scope_others: int


def counts(index: SearchIndex, view: SearchView, results: pd.DataFrame) -> SearchCounts:
    """Articles and other items among ``results`` (the rows of ``filter_articles``) and in the view's scope."""
    return counts_at(index, view, positions_of(index, results))


def counts_at(index: SearchIndex, view: SearchView, rows: np.ndarray) -> SearchCounts:
    """:func:`counts` of the articles at positions ``rows`` (from :func:`filter_positions`)."""
    matching = int(index.is_article[rows].sum())
    scope = range_mask(index, view)
    in_scope = int((scope & index.is_article).sum())
    return SearchCounts(matching, len(rows) - matching, in_scope, int(scope.sum()) - in_scope)
