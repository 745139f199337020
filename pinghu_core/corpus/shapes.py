"""What a corpus file holds — a whole page or one article — and which 版面 each article is on.

Two layouts, mixed freely in one corpus folder (docs/CORPUS.md):

* **whole-page files** (``page``): a file is one printed page; the parser finds its items (news,
  photos, commentary, but also guides, ads, weather and the masthead: 条目);
* **article files** (``article``): one article a file, as an e-paper crawl writes them, with the
  date, the 版次 and the article's number in the name (``20200115-01-03.txt``) or in ``manifest.csv``.
  The file is the article (篇文章); a 版面 is the group of article files with the same date, 版别
  and 版次.

:func:`read_name` reads a file name, :func:`file_shape` decides a file's shape (manifest, then the
``corpus_shape`` setting, then the name), and :func:`paper_pages` is the one place that says, for
any corpus, the 版面 of each article and how many 版面, articles and items there are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pinghu_core.common import schemas
from pinghu_core.parse.dates import ManifestEntry

AUTO, PAGE, ARTICLE = "auto", "page", "article"
MIXED = "mixed"  # a corpus with both shapes (paper_pages' ``shape``)
FIRST_YEAR = 1949  # a four-digit number before this (or after this year) is not a date

# date (YYYYMMDD, or YYYY-MM-DD with - _ or .), then 版次, then optionally the article number;
# before it, optionally a word ending in - or _ (rmrb_20200115-01-03) or in a Chinese character
# (平湖日报20200115-01-03), as dates.date_from_path reads dates: nothing else may be in the name.
_NAME = re.compile(
    r"^(?:[^\W\d_]+[-_]|[^\W\d_]*[^\W\d_A-Za-z])?"
    r"(?P<y>\d{4})(?:(?P<m>\d{2})(?P<d>\d{2})|[-_.](?P<m2>\d{1,2})[-_.](?P<d2>\d{1,2}))"
    r"[-_](?P<page>[A-Za-z]?\d{1,3})(?:[-_](?P<article>\d{1,3}))?$"
)
_PAGE_NO = re.compile(r"^([A-Za-z]*)0*(\d+)$")


@dataclass(frozen=True)
class NameInfo:
    """What a file name says: its date, its 版次 and (article files) the article's number on the page."""

    date: dt.date
    page_no: str  # as written: '01', 'A3'
    article: int | None  # 1 = the first article of the page; None: the name has no article number


@dataclass(frozen=True)
class FileShape:
    """How one file is parsed and grouped."""

    shape: str  # PAGE or ARTICLE
    page_no: str  # 版次 from the manifest, else from the name ('' when unknown)
    order: int | None  # article files: 0-based order on the page (article number − 1); None if unknown


def read_name(path: str, today: dt.date | None = None) -> NameInfo | None:
    """Date, 版次 and article number from a file name; None when the name does not carry date and 版次.

    >>> read_name("20200115/20200115-01-03.txt")
    NameInfo(date=datetime.date(2020, 1, 15), page_no='01', article=3)
    >>> read_name("2020-01-15_01.txt").article is None, read_name("2020-01-15.txt"), read_name("page_12.txt")
    (True, None, None)
    """
    stem = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem[:-4] if stem.lower().endswith(".txt") else stem
    m = _NAME.match(stem)
    if not m:
        return None
    year, month, day = int(m["y"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
    if not FIRST_YEAR <= year <= (today or dt.date.today()).year:
        return None
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return NameInfo(date, m["page"], int(m["article"]) if m["article"] else None)


def file_shape(path: str, entry: ManifestEntry | None = None, setting: str = AUTO) -> FileShape:
    """The shape, 版次 and order of one file.

    Shape: the manifest's ``shape`` column, else the ``corpus_shape`` setting when it is not
    ``auto``, else ``article`` when the name or the manifest gives an article number and ``page``
    otherwise.  版次 and article number: the manifest's, else the name's.
    """
    info = read_name(path)
    page_no = (entry.page if entry else "") or (info.page_no if info else "")
    number = entry.article if entry and entry.article is not None else (info.article if info else None)
    if entry and entry.shape:
        shape = entry.shape
    elif setting in (PAGE, ARTICLE):
        shape = setting
    else:
        shape = ARTICLE if number is not None else PAGE
    order = max(number - 1, 0) if shape == ARTICLE and number is not None else None
    return FileShape(shape, page_no, order)


def parse_key(fs: FileShape) -> str:
    """A stable string of a file's shape (part of its cache key)."""
    return f"{fs.shape}|{fs.page_no}|{'' if fs.order is None else fs.order}"


# ---------------------------------------------------------------- 版次


def page_no_norm(page_no: str) -> str:
    """'01' → '1', 'a03' → 'A3', '' → '': 版次 written differently that are the same page."""
    text = str(page_no).strip()
    m = _PAGE_NO.match(text)
    return f"{m[1].upper()}{int(m[2])}" if m else text


def page_no_sort_key(page_no: str) -> tuple[str, int, str]:
    """Order of 版次: letters first (A before B), then the number (2 before 10)."""
    m = _PAGE_NO.match(str(page_no).strip())
    return (m[1].upper(), int(m[2]), "") if m else ("~", 0, str(page_no))


def page_no_label(page_no: str) -> str:
    """'01' → '第01版'; '' → '未标版次'."""
    return f"第{page_no}版" if page_no else "未标版次"


# ---------------------------------------------------------------- 版面


@dataclass(frozen=True)
class PaperPages:
    """The 版面 of a corpus: whole-page files are one 版面 each; article files are grouped by date,
    版别 and 版次 (an article file with no known date is a 版面 by itself), and a dated whole-page
    file of a 版面 that article files hold too joins it (its ``shape`` is then ``mixed``)."""

    table: pd.DataFrame  # one row per 版面: key, date, edition, page_no, shape, files, items, articles
    of_article: pd.Series  # per row of ``articles`` (same index): the key of its 版面
    is_article: pd.Series  # per row of ``articles``: an article (篇文章), not another kind of item

    @property
    def pages(self) -> int:
        """版面数."""
        return len(self.table)

    @property
    def articles(self) -> int:
        """篇文章数: every item of an article file, and the news, photo and commentary items of a page file."""
        return int(self.is_article.sum())

    @property
    def items(self) -> int:
        """条目数: every item of every file."""
        return len(self.of_article)

    @property
    def shape(self) -> str:
        """PAGE or ARTICLE when every file has that shape, MIXED when both occur, '' for no files."""
        shapes = set(self.table["shape"].astype(str))
        return shapes.pop() if len(shapes) == 1 else MIXED if shapes else ""


_TABLE_COLUMNS = {
    "key": "string",
    "date": schemas.DATE,
    "edition": "string",
    "page_no": "string",
    "shape": "string",
    "files": "int64",
    "items": "int64",
    "articles": "int64",
}


def _file_keys(pages: pd.DataFrame) -> pd.Series:
    """Per page file: the key of its 版面 — date|版别|版次 for dated article files (01 and 1 are one
    版次), and for a dated whole-page file of a 版面 that article files also hold (the same 版面 in
    two shapes: :mod:`pinghu_core.corpus.copies` counts its articles once); else 'file:' + its
    page_id."""
    shape = pages["shape"].astype("string").fillna(PAGE)
    dated = pages["date"].notna().to_numpy(dtype=bool)
    article = (shape == ARTICLE).to_numpy(dtype=bool)
    keys = ("file:" + pages["page_id"].astype("string")).astype("string").rename(None)
    if not (dated & article).any():  # a corpus of whole pages: a file is a 版面
        return keys
    some = pages[dated]
    day = some["date"].dt.strftime("%Y-%m-%d").fillna("")
    page_no = some["page_no"].astype("string").fillna("").map(page_no_norm).astype("string")
    named = (day + "|" + some["edition"].astype("string").fillna("") + "|" + page_no).to_numpy()
    of_articles = set(named[article[dated]])
    whole_page_joins = (
        ~article[dated] & (page_no != "").to_numpy(dtype=bool) & pd.Series(named).isin(of_articles).to_numpy()
    )
    keys[dated] = (
        pd.Series(named, dtype="string")
        .where(article[dated] | whole_page_joins, keys[dated].to_numpy())
        .to_numpy()
    )
    return keys


def is_article(articles: pd.DataFrame, pages: pd.DataFrame) -> pd.Series:
    """Per item: True for an article (篇文章) — every item of an article file, and the items of
    ``schemas.ARTICLE_KINDS`` in a whole-page file."""
    at = pd.Index(pages["page_id"]).get_indexer(articles["page_id"])  # -1: a page not in ``pages``
    article_page = np.append((pages["shape"].astype(str) == ARTICLE).to_numpy(dtype=bool), False)
    in_article_file = article_page[at]  # position -1 is the appended False
    kinds = articles["kind"].isin(schemas.ARTICLE_KINDS).fillna(False).to_numpy(dtype=bool)
    return pd.Series(in_article_file | kinds, index=articles.index, dtype=bool)


def page_count(pages: pd.DataFrame) -> int:
    """How many 版面 these page files make: ``paper_pages(pages, …).pages`` without its table."""
    return int(_file_keys(pages).nunique()) if len(pages) else 0


def paper_pages(pages: pd.DataFrame, articles: pd.DataFrame) -> PaperPages:
    """The 版面 of a corpus (any mix of shapes), each article's 版面, and the counts."""
    keys = _file_keys(pages)
    of_article = articles["page_id"].map(dict(zip(pages["page_id"], keys, strict=True))).astype("string")
    article_mask = is_article(articles, pages)
    if pages.empty:
        table = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _TABLE_COLUMNS.items()})
        return PaperPages(table, of_article, article_mask)
    per_key = pd.DataFrame({"key": of_article, "item": 1, "article": article_mask.astype("int64")})
    sums = per_key.groupby("key")[["item", "article"]].sum()
    files = (
        pages.assign(key=keys)
        .groupby("key", sort=False)
        .agg(
            date=("date", "first"),
            edition=("edition", "first"),
            page_no=("page_no", "first"),
            shape=("shape", "first"),
            shapes=("shape", "nunique"),
            files=("page_id", "size"),
        )
    )
    files["shape"] = files["shape"].astype(str).where(files["shapes"] <= 1, MIXED)  # both shapes of one 版面
    table = files.join(sums, how="left").fillna({"item": 0, "article": 0}).reset_index()
    table = table.rename(columns={"item": "items", "article": "articles"})
    table["shape"] = table["shape"].astype(str)
    table = table.astype(_TABLE_COLUMNS)[list(_TABLE_COLUMNS)]
    return PaperPages(table, of_article, article_mask)


def has_page_no(pages: pd.DataFrame) -> bool:
    """Whether any file of the corpus has a 版次."""
    return bool((pages["page_no"].astype("string") != "").any())


def page_no_counts(paper: PaperPages) -> pd.DataFrame:
    """Per 版次 (in page order, unknown last): ``page_no``, ``label`` (第01版), ``pages`` (版面),
    ``articles`` (篇文章)."""
    table = paper.table.assign(norm=paper.table["page_no"].map(page_no_norm))
    out = table.groupby("norm", sort=False).agg(
        page_no=("page_no", "first"), pages=("key", "size"), articles=("articles", "sum")
    )
    order = sorted(out.index, key=lambda n: (n == "", page_no_sort_key(n)))
    out = out.loc[order].reset_index(drop=True)
    return pd.DataFrame(
        {
            "page_no": out["page_no"].astype("string"),
            "label": [page_no_label(p) for p in out["page_no"]],
            "pages": out["pages"].astype("int64"),
            "articles": out["articles"].astype("int64"),
        }
    )


def page_no_choices(articles: pd.DataFrame) -> dict[str, str]:
    """The 版次 present, as written (one spelling per page: '01' and '1' are one), in page order →
    '第01版（123 篇）'.  Empty when no article has a 版次."""
    page_no = articles["page_no"].astype("string")
    known = page_no[page_no != ""]
    if known.empty:
        return {}
    norm = known.map(page_no_norm)
    counts = norm.value_counts()
    spelling = known.groupby(norm.to_numpy()).first()
    order = sorted(counts.index, key=page_no_sort_key)
    return {str(spelling[n]): f"{page_no_label(str(spelling[n]))}（{int(counts[n]):,} 篇）" for n in order}
