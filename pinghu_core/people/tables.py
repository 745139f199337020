"""The 人物与机构 frames: every mention (:func:`mentions`, kept with the corpus cache by
:func:`stored_mentions`), the table of people and organisations (:func:`people_table`), one
name's timeline with its share of 头版 (:func:`person_timeline`), who appears with whom
(:func:`co_appearances`), and what data/people.toml lacks (:func:`suggestions`, :func:`suggestions_toml`).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pinghu_core.common import arrays, daterange, schemas
from pinghu_core.corpus import derived, ingest, pool
from pinghu_core.corpus.ingest import ProgressFn
from pinghu_core.people import directory as people_directory
from pinghu_core.people import extract
from pinghu_core.people import rules as people_rules
from pinghu_core.people.directory import Directory
from pinghu_core.people.rules import Rules
from pinghu_core.themes import timeline

POSTS_SEP = "；"
BYLINE_COLUMNS: tuple[str, ...] = ("reporters", "correspondents", "photographers", "interns", "authors")
PRINTED_HOWS: tuple[str, ...] = ("printed", "list", "before_list", "after")
GRANULARITIES = timeline.GRANULARITIES


def article_text(row: dict) -> str:
    """引题, 主题, 副题 and body, one per line: the text the offsets of a mention refer to."""
    return "\n".join(str(row.get(c) or "") for c in ("kicker", "title", "subtitle", "body"))


def byline_names(row: dict) -> list[str]:
    """Every name of the article's bylines (记者, 通讯员, 摄影, 实习生, 作者)."""
    names: list[str] = []
    for col in BYLINE_COLUMNS:
        value = row.get(col)
        if value is not None and not isinstance(value, str | float):
            names += [str(v) for v in value]
    return names


def _day(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


STAGE = "识别人物与机构"
CHUNK = 500  # articles per task (and per progress step)
MIN_PARALLEL = 2_000  # fewer articles are read in-process: a worker first loads jieba's dictionary (~2 CPU s)
_TEXT_COLUMNS: tuple[str, ...] = (
    "article_id",
    "date",
    "kicker",
    "title",
    "subtitle",
    "body",
    *BYLINE_COLUMNS,
)


def _found_rows(
    articles: pd.DataFrame, rules: Rules, directory: Directory, skip: frozenset[str]
) -> list[tuple]:
    """The mentions of some articles as rows of ``schemas.PEOPLE_MENTIONS`` without the 头版/头条
    flags (one task of :func:`mentions`; runs in a worker process)."""
    rows: list[tuple] = []
    for row in articles.to_dict("records"):
        text = article_text(row)
        aid = str(row["article_id"])
        seen: set[tuple[str, str]] = set()  # (name, sentence) listed already in this article
        for f in extract.find_people(text, rules, directory, _day(row["date"]), byline_names(row), skip):
            s, e = stripped_span(text, *extract.sentence_span(text, f.start, f.end))
            listed = (f.name, text[s:e])
            first = listed not in seen
            seen.add(listed)
            rows.append((aid, row["date"], f.name, f.kind, f.post, f.org, f.how, f.start, f.end, s, e, first))
    return rows


def stripped_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``..``end`` without the blanks at either end of ``text[start:end]``.

    >>> stripped_span("一。 他说好。 ", 2, 8)
    (3, 7)
    """
    part = text[start:end]
    lead = len(part) - len(part.lstrip())
    return start + lead, start + lead + len(part.strip())


def mentions(
    articles: pd.DataFrame,
    rules: Rules | None = None,
    directory: Directory | None = None,
    places: Iterable[str] = (),
    prominence: pd.DataFrame | None = None,
    *,
    workers: int = 1,
    progress: ProgressFn | None = None,
) -> pd.DataFrame:
    """One row per person or organisation named in each article (news, photo, commentary),
    conformed to ``schemas.PEOPLE_MENTIONS``.  ``places``: place names (data/places.toml) that are
    never a person and may start an organisation's name; ``prominence``: the corpus'
    ``schemas.PROMINENCE`` frame for the 头版/头条 flags (both False without it).

    The articles are read in tasks of ``CHUNK``, in a pool of ``workers`` processes when there are
    ``MIN_PARALLEL`` or more (the same rows in the same order either way); ``progress(done, total,
    STAGE)`` after each task."""
    rules = rules if rules is not None else people_rules.rules()
    directory = directory if directory is not None else people_directory.current()[0]
    skip = frozenset(places)
    kinds = articles["kind"].astype(str).isin(schemas.ARTICLE_KINDS).to_numpy()
    todo = articles.loc[kinds, [c for c in _TEXT_COLUMNS if c in articles.columns]]
    tasks = [(todo.iloc[i : i + CHUNK], rules, directory, skip) for i in range(0, len(todo), CHUNK)]
    parts = pool.map_counted(_found_rows, tasks, workers if len(todo) >= MIN_PARALLEL else 1, progress, STAGE)
    rows = [r for part in parts for r in part]
    if not rows:
        return schemas.PEOPLE_MENTIONS.empty()
    frame = pd.DataFrame(rows, columns=schemas.PEOPLE_MENTIONS.names[:-2])
    flags: dict[str, tuple[bool, bool]] = {}
    if prominence is not None and not prominence.empty:
        flags = dict(
            zip(
                prominence["article_id"].astype(str),
                zip(prominence["front"].astype(bool), prominence["lead"].astype(bool), strict=True),
                strict=True,
            )
        )
    front_lead = [flags.get(a, (False, False)) for a in frame["article_id"]]
    frame["front"] = [f for f, _ in front_lead]
    frame["lead"] = [lead for _, lead in front_lead]
    return schemas.conform(frame, schemas.PEOPLE_MENTIONS)


def stored_mentions(
    articles: pd.DataFrame,
    prominence: pd.DataFrame | None,
    rules: Rules,
    directory: Directory,
    places: Iterable[str],
    root: Path | None,
    corpus_fingerprint: str,
    *,
    workers: int = 1,
    progress: ProgressFn | None = None,
) -> pd.DataFrame:
    """:func:`mentions`, kept with the corpus cache under ``root``: computed once per corpus, rules,
    people file, place names, prominence and version of this code (``pinghu ingest`` computes it;
    see :mod:`pinghu_core.corpus.derived`).  ``workers``, ``progress``: as for :func:`mentions`,
    when they are computed."""
    parts = _stored_parts(prominence, rules, directory, places, corpus_fingerprint)

    def inputs() -> pd.DataFrame:  # what mentions reads of each article, and its 头版/头条 flags
        flags = _flag_frame(articles, prominence)
        return articles[[c for c in ("kind", *_TEXT_COLUMNS) if c in articles.columns]].assign(
            front=flags["front"].to_numpy(), lead=flags["lead"].to_numpy()
        )

    return derived.load_or_build_by_article(
        root,
        "people",
        parts,
        _family(rules, directory, places),
        inputs,
        lambda some: mentions(some, rules, directory, places, prominence, workers=workers, progress=progress),
        schemas.PEOPLE_MENTIONS,
    )


def _flag_frame(articles: pd.DataFrame, prominence: pd.DataFrame | None) -> pd.DataFrame:
    """Each article's 头版 and 头条 flags as :func:`mentions` gives them (False without ``prominence``)."""
    ids = articles["article_id"].astype(str)
    if prominence is None or prominence.empty:
        return pd.DataFrame({"front": False, "lead": False}, index=range(len(ids)))
    by_id = (
        prominence.assign(article_id=prominence["article_id"].astype(str))
        .drop_duplicates("article_id", keep="last")  # as mentions' dict of them
        .set_index("article_id")
    )
    return pd.DataFrame(
        {
            "front": by_id["front"].astype(bool).reindex(ids.to_numpy(), fill_value=False).to_numpy(),
            "lead": by_id["lead"].astype(bool).reindex(ids.to_numpy(), fill_value=False).to_numpy(),
        }
    )


def stored_only(
    prominence: pd.DataFrame | None,
    rules: Rules,
    directory: Directory,
    places: Iterable[str],
    root: Path | None,
    corpus_fingerprint: str,
) -> pd.DataFrame | None:
    """What :func:`stored_mentions` would read from the cache, or None when it would compute them."""
    parts = _stored_parts(prominence, rules, directory, places, corpus_fingerprint)
    return derived.load_stored(root, "people", parts, schemas.PEOPLE_MENTIONS)


def _stored_parts(
    prominence: pd.DataFrame | None,
    rules: Rules,
    directory: Directory,
    places: Iterable[str],
    corpus_fingerprint: str,
) -> tuple[str, ...]:
    flags = (
        ""
        if prominence is None
        else derived.key_of(
            prominence["article_id"].astype(str)
            + prominence["lead"].astype(str)
            + prominence["front"].astype(str)
        )
    )
    return (*_family(rules, directory, places), corpus_fingerprint, flags)


def _family(rules: Rules, directory: Directory, places: Iterable[str]) -> tuple[str, ...]:
    """What the mentions depend on besides the corpus and its 头版/头条 flags."""
    return (
        "people_mentions",
        rules.key(),
        directory.digest(),
        "|".join(sorted(set(places))),
        derived.source_digest(sys.modules[__name__], extract, people_rules, people_directory),
    )


def _kinds_mask(frame: pd.DataFrame, kinds: Sequence[str]) -> np.ndarray:
    if not kinds:
        return np.ones(len(frame), dtype=bool)
    unknown = [k for k in kinds if k not in schemas.PEOPLE_KINDS]
    if unknown:
        raise ValueError(f"未知的类别：{'、'.join(unknown)}，可用：{'、'.join(schemas.PEOPLE_KINDS)}")
    return frame["kind"].isin(list(kinds)).to_numpy(dtype=bool)  # the categories as they are: no copy as text


def select(
    mentions_frame: pd.DataFrame,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    kinds: Sequence[str] = (),
) -> pd.DataFrame:
    """The mentions of the date range (``common.daterange``: undated ones only when the range keeps
    every dated mention) and kinds (all when empty)."""
    keep = daterange.in_range(mentions_frame["date"], start, end) & _kinds_mask(mentions_frame, kinds)
    return mentions_frame[keep]


def _posts_seen(rows: pd.DataFrame, codes: np.ndarray, n: int) -> list[str]:
    """Each group's posts (``codes`` from ``arrays.group_codes`` of name and kind), most often seen
    first (a tie: the first seen first), joined by POSTS_SEP; '' for a group with none."""
    # the posts as codes of their distinct texts (a text per row was 80 MB on ten papers' mentions)
    post, texts = pd.factorize(rows["post"].astype("string").fillna(""))
    texts = [str(t) for t in texts]
    empty = texts.index("") if "" in texts else -2
    has = np.flatnonzero((post != empty) & (post >= 0) & (codes >= 0))
    triple, m = arrays.group_codes(codes[has], post[has])
    seen = np.bincount(triple, minlength=m)
    first = arrays.first_rows(triple, m)  # rows in order: the first seen is the smallest position
    order = np.lexsort((first, -seen))
    posts: list[list[str]] = [[] for _ in range(n)]
    for t in order:
        row = has[first[t]]
        posts[codes[row]].append(texts[post[row]])
    return [POSTS_SEP.join(p) for p in posts]


def people_table(
    mentions_frame: pd.DataFrame,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    kinds: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per person or organisation (``schemas.PEOPLE_TABLE``) in the range and kinds: most
    articles first, then most mentions, then name.  Counted with numpy (``arrays.group_codes``):
    pandas' group-bys took 45 ms of a month's brief."""
    # only the columns counted: selecting the sentences too copied every mention's text
    return table_of(select(mentions_frame[list(TABLE_READS)], start, end, kinds))


TABLE_READS = ("name", "kind", "article_id", "date", "post", "lead")  # the mentions' columns counted


def table_of(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`people_table` of mentions already selected (at least the columns ``TABLE_READS``)."""
    codes, n = arrays.group_codes(rows["name"], rows["kind"])
    if not n:
        return schemas.PEOPLE_TABLE.empty()
    first = arrays.first_rows(codes, n)
    lead = rows["lead"].to_numpy(dtype=bool)
    out = pd.DataFrame(
        {
            "name": rows["name"].take(first).to_numpy(dtype=object),  # the groups' rows only
            "kind": rows["kind"].take(first).to_numpy(dtype=object),
            "appearances": np.bincount(codes[codes >= 0], minlength=n).astype("int64"),
            "articles": arrays.distinct_per_group(codes, n, rows["article_id"]),
            "first_date": arrays.extreme_per_group(codes, n, rows["date"], largest=False),
            "last_date": arrays.extreme_per_group(codes, n, rows["date"], largest=True),
            "posts_seen": _posts_seen(rows, codes, n),
            "lead_appearances": arrays.distinct_per_group(np.where(lead, codes, -1), n, rows["article_id"]),
        }
    )
    out = out.sort_values(["articles", "appearances", "name"], ascending=[False, False, True], kind="stable")
    return schemas.conform(out, schemas.PEOPLE_TABLE)


def front_page_dates(articles: pd.DataFrame, prominence: pd.DataFrame) -> pd.DataFrame:
    """One row per 头版 版面 of the corpus: ``page_key`` and ``date`` (the denominator of a timeline's
    share of front pages).  ``prominence`` is the corpus' ``schemas.PROMINENCE`` frame, row for row."""
    front = prominence["front"].to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {"page_key": prominence["page_key"].to_numpy()[front], "date": articles["date"].to_numpy()[front]}
    )
    return frame.dropna(subset=["date"]).drop_duplicates("page_key").reset_index(drop=True)


def person_timeline(
    mentions_frame: pd.DataFrame,
    name: str,
    granularity: str,
    front_pages: pd.DataFrame,
    page_of: dict[str, str] | None = None,
) -> pd.DataFrame:
    """``name``'s appearances per period (``schemas.PERSON_TIMELINE``), from the first to the last
    period with a 头版: mentions, articles, 头条 articles, the 头版 版面 naming them over every 头版
    版面 of the period (``front_pages`` from :func:`front_page_dates`; ``page_of`` maps an article
    to its 版面 — without it each article counts as its own 版面).  A period without pages has 0
    pages and a NaN share, never 0."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"未知的时间粒度 {granularity!r}，可用：{'、'.join(GRANULARITIES)}")
    rows = mentions_frame[(mentions_frame["name"] == name) & mentions_frame["date"].notna()]
    page_dates = pd.to_datetime(front_pages["date"])
    dated = pd.concat([page_dates, rows["date"]])
    if dated.dropna().empty:
        return schemas.PERSON_TIMELINE.empty()
    periods = timeline.period_range(dated.min(), dated.max(), granularity)
    pages = timeline.period_of(page_dates, granularity).value_counts()
    starts = timeline.period_of(rows["date"], granularity).to_numpy()
    page_keys = rows["article_id"].astype(str).map(lambda a: (page_of or {}).get(a, a))
    frame = pd.DataFrame(
        {
            "period_start": starts,
            "article_id": rows["article_id"].to_numpy(),
            "lead": rows["lead"].to_numpy(dtype=bool),
            "front": rows["front"].to_numpy(dtype=bool),
            "page": page_keys.to_numpy(),
        }
    )
    by = frame.groupby("period_start")
    lead_articles = frame[frame["lead"]].groupby("period_start")["article_id"].nunique()
    front_hits = frame[frame["front"]].groupby("period_start")["page"].nunique()
    out = pd.DataFrame({"period_start": periods})
    out["name"] = name
    out["appearances"] = out["period_start"].map(by.size()).fillna(0)
    out["articles"] = out["period_start"].map(by["article_id"].nunique()).fillna(0)
    out["lead_articles"] = out["period_start"].map(lead_articles).fillna(0)
    out["front_pages"] = out["period_start"].map(front_hits).fillna(0)
    out["pages"] = out["period_start"].map(pages).fillna(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(
            out["pages"] > 0, out["front_pages"] / out["pages"].where(out["pages"] > 0), np.nan
        )
    return schemas.conform(out, schemas.PERSON_TIMELINE)


PAIR_COLUMNS = ["article_id", "name", "kind", "date"]  # what co_appearances (and a date range) reads


def co_appearances(
    mentions_frame: pd.DataFrame, kinds: Sequence[str] = people_directory.PERSON_KINDS, minimum: int = 1
) -> pd.DataFrame:
    """Pairs of names in the same article (``schemas.CO_APPEARANCES``), most shared articles first;
    ``kinds`` chooses who counts (default people, not organisations); pairs in fewer than
    ``minimum`` articles are left out."""
    rows = mentions_frame[_kinds_mask(mentions_frame, kinds)]
    if rows.empty:
        return schemas.CO_APPEARANCES.empty()
    # Names and articles as codes (names coded in Unicode order), each (article, name) once, the
    # frame joined with itself on the article: every pair of an article's names, counted at once — a
    # Python loop over the articles' name sets took 0.6–0.9 s on the ten-year corpus (人物's network).
    # coded as they are stored (Arrow strings), not as a Python string per row first (2 × 80 MB on
    # ten papers' mentions)
    article, _ = pd.factorize(rows["article_id"].astype("string").fillna(""))
    name, names = pd.factorize(rows["name"].astype("string").fillna(""), sort=True)
    seen = pd.DataFrame({"article": article, "name": name}).drop_duplicates()
    both = seen.merge(seen, on="article")
    both = both[both["name_x"].to_numpy() < both["name_y"].to_numpy()]
    counts = both.groupby(["name_x", "name_y"], sort=False).size()
    counts = counts[counts >= minimum]
    if counts.empty:
        return schemas.CO_APPEARANCES.empty()
    out = pd.DataFrame(
        {
            "name_a": names[counts.index.get_level_values(0).to_numpy()],
            "name_b": names[counts.index.get_level_values(1).to_numpy()],
            "articles": counts.to_numpy(),
        }
    )
    out = out.sort_values(["articles", "name_a", "name_b"], ascending=[False, True, True], kind="stable")
    return schemas.conform(out, schemas.CO_APPEARANCES)


def suggestions(mentions_frame: pd.DataFrame, directory: Directory) -> pd.DataFrame:
    """Names printed with a post that data/people.toml lacks (``新人物``), and posts of people it
    has that it does not list (``新职务``) — ``schemas.PEOPLE_SUGGESTIONS``, most articles first."""
    rows = mentions_frame[
        mentions_frame["how"].astype(str).isin(PRINTED_HOWS)
        & mentions_frame["kind"].astype(str).isin(people_directory.PERSON_KINDS)
        & (mentions_frame["post"] != "")
    ]
    if rows.empty:
        return schemas.PEOPLE_SUGGESTIONS.empty()
    out = (
        rows.groupby(["name", "post"], sort=False)
        .agg(
            kind=("kind", lambda k: k.astype(str).mode().iloc[0]),
            first_date=("date", "min"),
            last_date=("date", "max"),
            articles=("article_id", "nunique"),
        )
        .reset_index()
    )

    def status(name: str, post: str) -> str:
        person = directory.person_of.get(name)
        if person is None:
            return "新人物"
        return "" if any(p.post == post for p in person.posts) else "新职务"

    out["status"] = [status(n, p) for n, p in zip(out["name"], out["post"], strict=True)]
    out = out[out["status"] != ""].sort_values(
        ["articles", "first_date", "name"], ascending=[False, True, True], kind="stable"
    )
    return schemas.conform(out, schemas.PEOPLE_SUGGESTIONS)


TEXT_CHUNK = 2_000  # articles whose text is held at once while their mentions' sentences are read


def mention_sentences(rows: pd.DataFrame, articles: pd.DataFrame) -> list[str]:
    """The sentence of each mention in ``rows`` (``schemas.PEOPLE_MENTIONS``), read from the text of
    its article in ``articles`` (the corpus the mentions were found in) at its offsets; '' for a
    mention whose article is not there.

    The mentions keep offsets, not the sentence: a real corpus' sentences are mostly distinct, so a
    sentence column held a copy of most of the text of every article naming someone (and reading it
    unified the dictionaries of all its row groups at once).  The articles' texts are read
    ``TEXT_CHUNK`` at a time (a name in a hundred thousand articles does not hold them all)."""
    if rows.empty:
        return []
    ids = rows["article_id"].astype(str).tolist()
    found = np.flatnonzero(arrays.in_values(articles["article_id"], pd.unique(np.asarray(ids, dtype=object))))
    found_ids = arrays.values_at(articles["article_id"], found)  # iloc would join the column's chunks
    position = dict(zip(map(str, found_ids), found.tolist(), strict=True))
    wanted: dict[int, list[int]] = {}  # article position → its mentions (row numbers in ``rows``)
    for k, article in enumerate(ids):
        p = position.get(article)
        if p is not None:
            wanted.setdefault(p, []).append(k)
    starts, ends = rows["sentence_start"].to_numpy(), rows["sentence_end"].to_numpy()
    columns = [c for c in ("kicker", "title", "subtitle", "body") if c in articles.columns]
    out = [""] * len(ids)
    todo = sorted(wanted)
    for i in range(0, len(todo), TEXT_CHUNK):
        chunk = todo[i : i + TEXT_CHUNK]
        # as :func:`mentions` read them (to_dict: a missing text is None), so the offsets fit; taken
        # from each chunk of the cache's columns (iloc joins the chunks: every body of ten papers)
        values = [arrays.values_at(articles[c], chunk) for c in columns]
        for j, p in enumerate(chunk):
            text = article_text({c: v[j] for c, v in zip(columns, values, strict=True)})
            for k in wanted[p]:
                out[k] = text[int(starts[k]) : int(ends[k])]
        if len(todo) > TEXT_CHUNK:
            ingest.release_mapped()  # the pages of the cache file those texts were read from (0.2 ms)
    return out


def mention_rows(mentions_frame: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Every mention with its sentence as text (``schemas.PEOPLE_MENTION_ROWS``): what a download
    or ``pinghu people --mentions`` gives."""
    out = mentions_frame.drop(columns=["sentence_start", "sentence_end", "first_in_sentence"]).assign(
        sentence=mention_sentences(mentions_frame, articles)
    )
    return schemas.conform(out, schemas.PEOPLE_MENTION_ROWS)


def sentence_rows(mentions_frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The mentions of ``name``, one per sentence naming it (``first_in_sentence``: a name twice in a
    sentence, or a line printed twice in an article, is one row), newest first: what
    :func:`sentences` gives, before the sentences are read."""
    keep = (mentions_frame["name"] == name).to_numpy(dtype=bool) & mentions_frame[
        "first_in_sentence"
    ].to_numpy(dtype=bool)
    return mentions_frame[keep].sort_values(
        ["date", "article_id"], ascending=[False, True], kind="stable", na_position="last"
    )


def sentences(
    mentions_frame: pd.DataFrame, name: str, articles: pd.DataFrame, limit: int | None = None
) -> pd.DataFrame:
    """Every sentence naming ``name`` (``schemas.PEOPLE_SENTENCES``), newest first, the name in 【】
    — what a click on a row of the table opens (KWIC); the first ``limit`` only when given (the
    sentences are read from the text of ``articles``, the corpus')."""
    rows = sentence_rows(mentions_frame, name)
    if limit is not None:
        rows = rows.head(limit)
    if rows.empty:
        return schemas.PEOPLE_SENTENCES.empty()
    out = rows[["article_id", "date", "name", "post", "how", "lead"]].copy()
    out["kwic"] = [s.replace(name, f"【{name}】") for s in mention_sentences(rows, articles)]
    return schemas.conform(out, schemas.PEOPLE_SENTENCES)


def _toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def suggestions_toml(suggested: pd.DataFrame) -> str:
    """The suggestions as entries to paste into data/people.toml (a 新职务 as a ``[[person.post]]``
    under a comment naming the person it belongs to)."""
    lines: list[str] = []
    for name, group in suggested.groupby("name", sort=False):
        first = group.iloc[0]
        if first["status"] == "新人物":
            lines += ["", "[[person]]", f"name = {_toml_text(str(name))}"]
            if first["kind"] == "person":
                lines.append('kind = "person"')
        else:
            lines += ["", f"# 加到“{name}”的 [[person]] 下："]
        for row in group.itertuples(index=False):
            lines += [
                f"[[person.post]]  # {row.articles} 篇文章",
                f"post = {_toml_text(str(row.post))}",
                *(
                    f"{k} = {pd.Timestamp(v).date().isoformat()}"
                    for k, v in (("from", row.first_date), ("to", row.last_date))
                    if pd.notna(v)
                ),
            ]
    return "\n".join(lines).lstrip("\n") + "\n"
