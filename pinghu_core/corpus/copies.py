"""The same article in two files of one 版面 is one article: its copies are counted once.

A corpus may hold a 版面 twice: as a whole-page file and as the article files of an e-paper
crawl of the same day (a mixed corpus, docs/CORPUS.md), or as two crawls whose bytes differ (a
page downloaded again, saved with other line ends).  Ingest skips only files of identical bytes,
so without this step every article of such a 版面 was counted twice: in 总览's counts, the
themes' shares, the people's mentions, the word index and the downloads.

An article is a *copy* when another file of the same 版面 — the same date, 版别 and 版次 (版次
written ``01`` or ``1`` are one) — has an article with the same text (the body without
whitespace).  Of the files that hold a text, one keeps it: the file with the most items (a whole
page keeps where the article stood on it: its order, the 头条), then the first by name.  Copies in
the other files leave the frames, with their progress figures; each such file's row of the ingest
report says how many of its articles were counted in which file.  Only what the corpus treats as
articles (``shapes.is_article``: every article file, news, photos and commentary of whole pages)
with a dated page and a non-empty body is compared; the same text twice in one file is what the
paper printed and stays.

This runs on every load, after the years are settled (a copy's date is its page's).  It compares
only the articles whose date and length, then 版别, 版次 and text, coincide with another file's:
0.02 s on ten years of pages, 0.18–0.25 s on ten papers of ten years.  The parse cache keeps each
file's rows as parsed, with the copies' rows written last (:func:`last`), so a load drops them by a
slice of the mapped table (:func:`without`) and copies no text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pinghu_core.common import arrays, schemas
from pinghu_core.corpus import shapes

VERSION = "1"  # in the corpus fingerprint: a change of what is a copy builds every result again
CODE = "copies"  # the ingest report's code of a file some of whose articles were counted elsewhere
_KEY = ["date", "edition", "page_no", "chars"]


def _candidates(articles: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """The articles that may have a copy: dated, with a body, and sharing date, 版别, 版次 and body
    length with an article of another file.  Columns: article_id, source, order, the key, items.
    Narrowed first by the numbers (date and length: one C pass), so the text columns are read
    only for the few articles left."""
    if articles.empty or pages.empty:
        return pd.DataFrame()
    chars = articles["chars"].to_numpy()
    numbers = pd.DataFrame({"date": articles["date"].to_numpy(), "chars": chars}, index=articles.index)
    numbers = numbers[numbers["date"].notna().to_numpy() & (chars > 0)]
    numbers = numbers[numbers.duplicated(keep=False).to_numpy()]
    if numbers.empty:
        return pd.DataFrame()
    columns = ["article_id", "page_id", "source", "kind", "date", "page_no", "chars", "order"]
    some = articles.loc[numbers.index, columns]
    some = some[shapes.is_article(some, pages).to_numpy(dtype=bool)]
    if some.empty:
        return pd.DataFrame()
    by_page = pages.set_index("page_id")
    page_no = some["page_no"].astype("string").fillna("")
    norm = {p: shapes.page_no_norm(p) for p in page_no.unique()}
    some = some.assign(
        edition=some["page_id"].map(by_page["edition"]).astype("string").fillna(""),
        page_no=page_no.map(norm).astype("string"),
        items=some["page_id"].map(by_page["items"]).fillna(0).astype("int64"),
    )
    some = some[some.duplicated(_KEY, keep=False).to_numpy()]
    if some.empty:
        return some
    return some[some.groupby(_KEY, sort=False)["source"].transform("nunique").to_numpy() > 1]


def compact(text: str) -> str:
    """A text without its whitespace: what two copies of one article have in common.

    >>> compact("牢记初心使命 创造历史伟业\\n\\u3000\\u3000本报讯")
    '牢记初心使命创造历史伟业本报讯'
    """
    return "".join(text.split())


def find(articles: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """The copies among ``articles`` (of ``pages``), as ``schemas.ARTICLE_COPIES``: each article
    left out, and the article and file that keep its text."""
    some = _candidates(articles, pages)
    if some.empty:
        return schemas.ARTICLE_COPIES.empty()
    bodies = articles.loc[some.index, "body"].astype(object).tolist()
    some = some.assign(text=[compact(str(b)) for b in bodies])
    key = ["date", "edition", "page_no", "text"]
    some = some[some.groupby(key, sort=False)["source"].transform("nunique").to_numpy() > 1]
    if some.empty:
        return schemas.ARTICLE_COPIES.empty()
    # the keeping file first in each group: most items, then the first by name, then print order
    ranked = some.sort_values(["items", "source", "order"], ascending=[False, True, True], kind="stable")
    groups = ranked.groupby(key, sort=False)
    kept_source = groups["source"].transform("first").to_numpy()
    kept_id = groups["article_id"].transform("first").to_numpy()
    lost = (ranked["source"].to_numpy() != kept_source).astype(bool)
    out = pd.DataFrame(
        {
            "article_id": ranked["article_id"].to_numpy()[lost],
            "source": ranked["source"].to_numpy()[lost],
            "kept_article_id": kept_id[lost],
            "kept_source": kept_source[lost],
        }
    )
    return schemas.conform(
        out.sort_values(["source", "article_id"], ignore_index=True), schemas.ARTICLE_COPIES
    )


def without(frame: pd.DataFrame, copies: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (articles, or progress figures) without the rows of the copies' articles.

    When those rows are its last ones — as the parse cache keeps them (:func:`last`) — the rest is a
    slice: the text of an Arrow column stays in the mapped cache.  Any other mask copies every text
    column (on ten times the corpus, a dozen copies dropped that way put 560 MB of bodies in the
    process, and every later filter joined the pieces again)."""
    if copies.empty or frame.empty:
        return frame
    drop = arrays.in_values(frame["article_id"], copies["article_id"])
    n = int(drop.sum())
    if not n:
        return frame
    if drop[len(drop) - n :].all():
        return frame.iloc[: len(frame) - n]
    return frame[~drop].reset_index(drop=True)


def last(frame: pd.DataFrame, copies: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the rows of the copies' articles moved to its end, the rest in its order (how
    the parse cache writes its articles and figures, so that a load drops the copies by a slice)."""
    if copies.empty or frame.empty:
        return frame
    drop = arrays.in_values(frame["article_id"], copies["article_id"])
    if not drop.any() or drop[len(drop) - int(drop.sum()) :].all():
        return frame
    order = np.concatenate([np.flatnonzero(~drop), np.flatnonzero(drop)])
    return frame.take(order).reset_index(drop=True)


def message(n: int, kept: list[str]) -> str:
    """The report's words for a file ``n`` of whose articles are counted in the files ``kept``.

    >>> message(3, ["pages/20191001-01.txt"])
    '3 篇文章与“pages/20191001-01.txt”中的相同（同一版面、正文一致），只计一次'
    >>> message(2, ["a.txt", "b.txt", "c.txt"])
    '2 篇文章与“a.txt”等 3 个文件中的相同（同一版面、正文一致），只计一次'
    """
    where = f"“{kept[0]}”" + (f"等 {len(kept)} 个文件" if len(kept) > 1 else "")
    return f"{n} 篇文章与{where}中的相同（同一版面、正文一致），只计一次"


def mark_report(report: pd.DataFrame, copies: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The ingest report with a word on each file that lost copies (a file read without problems
    becomes a warning of code ``copies``; a file with a warning already gets the words added to
    its message), and how many files became warnings."""
    if copies.empty or report.empty:
        return report, 0
    by_file = copies.groupby("source", sort=True)["kept_source"]
    kept, sizes = by_file.agg(lambda s: sorted(set(s.astype(str)))), by_file.size()
    first_row = {source: i for i, source in reversed(list(enumerate(report["source"].astype(str))))}
    rows = [first_row.get(str(source), -1) for source in kept.index]
    found = [(r, message(int(n), k)) for r, n, k in zip(rows, sizes, kept, strict=True) if r >= 0]
    if not found:
        return report, 0
    at = [r for r, _ in found]
    words = pd.Series([w for _, w in found], index=report.index[at], dtype="string")
    report = report.copy()
    ok = (report["status"].iloc[at].astype(str) == "ok").to_numpy()
    before = report["message"].iloc[at].astype("string").fillna("")
    report.loc[words.index[~ok], "message"] = (before[~ok] + "；" + words[~ok]).str.lstrip("；")
    report.loc[words.index[ok], ["status", "code"]] = ["warning", CODE]
    report.loc[words.index[ok], "message"] = words[ok]
    return schemas.conform(report, schemas.INGEST_REPORT), int(ok.sum())
