"""Drafting a brief from the data: one function per section, each a few sentences whose numbers
say what they count and whose citations are the articles they rest on (pure; no model, no
Streamlit).

The counts are the other pages' own: theme shares and G² are ``themes.trends.trends`` (the
政策主题 page's 上升与下降), new slogans the stored ``themes.slogans`` table, progress figures the
``progress`` frame of the parse, 头条 ``corpus.prominence``, places the stored article places (the
文章检索 place filter), events ``data/events.toml``.  People and organisations are an optional
frame (``name``, ``kind``, ``appearances``, ``articles``) until their extraction exists.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pinghu_core.brief import model as m
from pinghu_core.brief.model import Brief, Citation, Name, Section, Sentence
from pinghu_core.brief.period import Period, day_zh, previous
from pinghu_core.common import schemas
from pinghu_core.common.arrays import in_values
from pinghu_core.common.daterange import dated, in_range
from pinghu_core.corpus import prominence as pr
from pinghu_core.corpus import shapes
from pinghu_core.events import model as ev
from pinghu_core.people import tables as people_tables
from pinghu_core.progress import view as pv
from pinghu_core.search import places as pl
from pinghu_core.search.view import prominence_zh
from pinghu_core.themes import slogans as sl
from pinghu_core.themes import timeline as tl
from pinghu_core.themes import trends as tr
from pinghu_core.themes.dictionary import TAGGED_KINDS

SECTION_TITLES: dict[str, str] = {
    "overview": "概况",
    "themes": "主题升降",
    "slogans": "新提法与文件",
    "progress": "项目进度",
    "leads": "头条",
    "places": "地点",
    "people": "人物与机构",
    "events": "事件",
}
TOP_THEMES = 3  # themes named as most covered, rising and falling
CHART_THEMES = 10  # themes on the shares chart
TOP_SLOGANS = 6
TOP_DOCUMENTS = 6
TOP_FIGURES = 10
TOP_LEADS = 10
TOP_PLACES = 5
TOP_PEOPLE = 5  # people, then organisations
CITES = 2  # articles cited for a theme, a place, a slogan
NEWS_ZH = tl.NEWS_ZH
PEOPLE_COLUMNS = ("name", "kind", "appearances", "articles")
# the columns a citation and the ranking read; the body only for an item without a title, subtitle
# or kicker (``_Slice.title_of``): taking a month's bodies for those few was most of a brief's memory
LIGHT_COLUMNS = ["article_id", "date", "kicker", "title", "subtitle", "chars"]
ITEM_COLUMNS = ["article_id", "date", "chars"]  # what the sections count of a period's items
PEOPLE_MISSING_ZH = "人物与机构数据尚未提供（人物识别尚未接入），本节暂缺。"


@dataclass(frozen=True)
class CorpusRows:
    """What every brief reads of the corpus and no period changes, worked out once per corpus (the
    app keeps one per corpus key; a brief's two periods are then slices of it, not new frames).

    ``light``: the columns a citation and the ranking read, one row per item of the articles in
    their order; ``news``: per item, whether it is news coverage (``TAGGED_KINDS``);
    ``documents``: :func:`period_documents` of every item, with ``row`` (the item's position), or
    None (one brief: it finds those of its period);
    ``front_only``: a corpus of front pages only (its brief is a 头版简报)."""

    light: pd.DataFrame
    news: np.ndarray
    documents: pd.DataFrame | None
    front_only: bool


def corpus_rows(
    articles: pd.DataFrame,
    pages: pd.DataFrame,
    front_page_nos: frozenset[str],
    *,
    documents: bool = True,
    titles: pd.DataFrame | None = None,
) -> CorpusRows:
    """:class:`CorpusRows` of a corpus, with ``front_page_nos`` the rules' 版次 of a front page
    (``documents`` False: without the titles every item names; ``titles``: the corpus'
    ``slogans.article_documents`` when known — the app's, stored with its cache — else found in
    every text)."""
    return CorpusRows(
        light=articles[LIGHT_COLUMNS].reset_index(drop=True),  # Arrow's columns, not copied
        news=articles["kind"].astype("string").isin(TAGGED_KINDS).to_numpy(dtype=bool),
        documents=period_documents(articles, rows=True, titles=titles) if documents else None,
        front_only=pr.front_pages_only(pages["page_no"].astype(str), front_page_nos),
    )


@dataclass(frozen=True)
class BriefInputs:
    """Everything a brief is drafted from (the app and the command line fill it from their caches)."""

    articles: pd.DataFrame
    pages: pd.DataFrame
    theme_hits: pd.DataFrame  # schemas.ARTICLE_THEMES of the theme dictionary
    theme_labels: Mapping[str, str]  # theme id → label, in the dictionary's order
    slogans: pd.DataFrame = field(default_factory=schemas.SLOGANS.empty)
    places: pd.DataFrame = field(default_factory=schemas.ARTICLE_PLACES.empty)
    progress: pd.DataFrame = field(default_factory=schemas.PROGRESS.empty)
    prominence: pd.DataFrame | None = None  # schemas.PROMINENCE in the articles' order
    events: ev.EventList = ev.EMPTY
    people: pd.DataFrame | None = None  # the period's: name, kind, appearances, articles (a count or ids)
    people_mentions: pd.DataFrame | None = None  # or the corpus' schemas.PEOPLE_MENTIONS (people.tables)
    method: tuple[tuple[str, str], ...] = ()
    project_names: Mapping[str, str] = field(default_factory=dict)
    paper_title: str = "嘉兴日报·平湖版"
    # per item of ``articles``: an article or not (``shapes.is_article``), when the caller keeps it
    # (the app: ``shapes.paper_pages(...).is_article``, kept once per corpus)
    articles_marked: np.ndarray | None = None
    # :func:`corpus_rows` of ``articles`` and ``pages`` when the caller keeps it (the app: once per
    # corpus), else worked out once for every brief drafted from these inputs
    rows: CorpusRows | None = None

    @functools.cached_property
    def corpus(self) -> CorpusRows:
        if self.rows is not None:
            return self.rows
        return corpus_rows(self.articles, self.pages, pr.rules().front_page_nos, documents=False)

    @property
    def front_only(self) -> bool:
        """A corpus of front pages only (its brief is a 头版简报), by the 版次 and data/prominence.toml."""
        return self.corpus.front_only

    @functools.cached_property
    def article_mask(self) -> np.ndarray:
        """Per item of ``articles``: whether it is an article (``shapes.is_article``), worked out once
        for every brief drafted from these inputs when the caller did not give it."""
        if self.articles_marked is not None:
            return np.asarray(self.articles_marked, dtype=bool)
        return shapes.is_article(self.articles, self.pages).to_numpy(dtype=bool)


# ---------------------------------------------------------------- the period's rows


class _Slice:
    """The period's pages and items, and how to cite any item."""

    def __init__(self, inputs: BriefInputs, period: Period) -> None:
        arts, pages = inputs.articles, inputs.pages
        self.period = period
        self.page_mask = in_range(pages["date"], period.start, period.end) & dated(pages["date"])
        self.pages = pages.loc[self.page_mask]
        mask = in_range(arts["date"], period.start, period.end) & dated(arts["date"])
        # only the columns counted: each text column's rows of a month of ten papers, scattered over
        # the mapped cache, paged in several times their size (bench_scale, 2026-12-05)
        self.items = arts.loc[mask, ITEM_COLUMNS]
        prom = inputs.prominence if inputs.prominence is not None else schemas.PROMINENCE.empty()
        self.prominence = prom.loc[mask] if len(prom) == len(arts) else None
        rows = np.asarray(mask, dtype=bool)
        self.rows = rows  # per item of the corpus: in the period
        self.positions = np.flatnonzero(rows)  # the items' positions in the corpus
        self.is_article = inputs.article_mask[rows]
        self.news = inputs.corpus.news[rows]
        # the columns a citation and the ranking read (a frame of every column is slow to take rows of)
        light = inputs.corpus.light.loc[rows].set_axis(self.items.index)
        self.light = light.assign(article_id=light["article_id"].astype(str))  # the slice's ids as text
        self.ids = set(self.light["article_id"])
        self._all, self._pages = arts, pages
        # Made once per slice, on first use: a brief cites and ranks forty-odd times, and doing it on
        # frames each time (a selection, a sort, rows as dicts) was 40 % of its CPU.
        # the light rows in order, and article id → position of its (last) row
        self._light_rows: tuple[list[dict], dict[str, int]] | None = None
        self._places: list[str] | None = None  # where each row stood (headline, front page …)
        self._all_ids: pd.Series | None = None  # every article's id as text (citing outside the slice)
        self._weights: tuple[pd.DataFrame, dict] | None = None  # (the hits, theme_weights of them)
        self._rank: dict[str, int] | None = None  # article id → its place in ranked's order

    def all_pages_before(self, day: dt.date) -> pd.Timestamp | None:
        """The latest page date of the corpus before ``day`` (None when there is none)."""
        dates = self._pages["date"]
        earlier = dates[dates < pd.Timestamp(day)]
        return None if earlier.empty else earlier.max()

    @property
    def has_pages(self) -> bool:
        return not self.pages.empty

    def where(self, rows: pd.DataFrame) -> list[str]:
        """Where each of ``rows`` (items of this slice) stood: 头条, 头版第3篇 …"""
        if self.prominence is None:
            return [""] * len(rows)
        p = self.prominence.loc[rows.index]
        return [
            prominence_zh(bool(f), bool(ld), int(r), str(n))
            for f, ld, r, n in zip(p["front"], p["lead"], p["rank"], p["page_no"].astype(str), strict=True)
        ]

    def theme_weights(self, hits: pd.DataFrame) -> dict[str, dict[str, float]]:
        """theme_id → {article id of this slice → its largest hit weight} (a title hit weighs three),
        from the corpus' theme ``hits`` — taken from them once per slice, not once per theme."""
        if self._weights is None or self._weights[0] is not hits:
            # by position (any index labels do); the ids compared as they are stored, not copied as
            # text first (the corpus' hits: a copy of every row's id on every brief)
            keep = in_values(hits["article_id"], self.ids)
            rows = hits[keep]
            # the largest weight of each (theme, article), missing weights skipped, in the order the
            # pairs first appear — a loop over the slice's few hundred hits (a pandas group-by cost more)
            found: dict[str, dict[str, float]] = {}
            for theme, article, w in zip(
                rows["theme_id"].astype(str).to_numpy(),
                rows["article_id"].astype(str).to_numpy(),
                rows["weight"].to_numpy(dtype="float64"),
                strict=True,
            ):
                weights = found.setdefault(theme, {})
                known = weights.get(article)
                if known is None or w > known or known != known:  # known != known: NaN so far
                    weights[article] = w
            self._weights = (hits, found)
        return self._weights[1]

    def _rows(self) -> tuple[list[dict], dict[str, int]]:
        if self._light_rows is None:
            records = self.light.to_dict("records")
            self._light_rows = (records, {str(row["article_id"]): i for i, row in enumerate(records)})
        return self._light_rows

    def _where_each(self) -> list[str]:
        if self._places is None:
            self._places = self.where(self.light)
        return self._places

    def title_of(self, row: Mapping, position: int) -> str:
        """``timeline.display_title`` of an item of the corpus (``row``: its light columns, at
        ``position``): the start of its body, read for this item alone, when it has no title,
        subtitle or kicker (the light row has no body: its title is then '')."""
        return tl.display_title(row) or tl.display_title(
            {**row, "body": self._all["body"].iloc[int(position)]}
        )

    def _citation(self, row: dict, position: int, where: str) -> Citation:
        day = row["date"]
        return Citation(
            str(row["article_id"]),
            None if pd.isna(day) else pd.Timestamp(day).date(),
            self.title_of(row, position),
            where,
        )

    def cite(self, article_ids: Iterable[str]) -> tuple[Citation, ...]:
        """Citations of these articles (any period), in the order given, unknown ids left out."""
        wanted = list(dict.fromkeys(str(a) for a in article_ids))
        if not wanted:
            return ()
        records, by_position = self._rows()
        by_id = {}
        for aid in wanted:
            i = by_position.get(aid)
            if i is not None:
                by_id[aid] = self._citation(records[i], int(self.positions[i]), self._where_each()[i])
        missing = [a for a in wanted if a not in by_id]
        if missing:  # articles of another period: cited without where they stood
            if self._all_ids is None:
                self._all_ids = self._all["article_id"].astype(str)
            chosen = self._all_ids.isin(missing).to_numpy(dtype=bool)
            others = self._all.loc[chosen, LIGHT_COLUMNS]
            for row, at in zip(others.to_dict("records"), np.flatnonzero(chosen).tolist(), strict=True):
                by_id[str(row["article_id"])] = self._citation(row, at, "")
        return tuple(by_id[a] for a in wanted if a in by_id)

    def ranked(self, article_ids: Iterable[str]) -> list[str]:
        """``article_ids`` of this slice, most prominent first (头条, then 头版, then by characters,
        then the earlier day — an undated one last — then the id)."""
        rank = self._rank_of()
        return sorted({a for a in map(str, article_ids) if a in rank}, key=rank.__getitem__)

    def _rank_of(self) -> dict[str, int]:
        """Article id → its place in the slice's order of :meth:`ranked` (an id on two rows: the
        better one), made once per slice: a brief ranks forty-odd times, each a sort of the slice."""
        if self._rank is None:
            records, _ = self._rows()
            if self.prominence is not None:
                lead = self.prominence["lead"].to_numpy(dtype=bool)
                front = self.prominence["front"].to_numpy(dtype=bool)
            else:
                lead = front = np.zeros(len(records), dtype=bool)

            def key(i: int) -> tuple:
                row = records[i]
                day = row["date"]
                when = (1, 0) if pd.isna(day) else (0, pd.Timestamp(day).value)
                return (not lead[i], not front[i], -int(row["chars"]), when, str(row["article_id"]))

            self._rank = {}
            for i in sorted(range(len(records)), key=key):
                self._rank.setdefault(str(records[i]["article_id"]), len(self._rank))
        return self._rank


def S(*segments: m.Segment, cites: Sequence[Citation] = ()) -> Sentence:  # noqa: N802 — reads as a sentence
    return Sentence(tuple(s for s in segments if s != ""), tuple(cites))


# ---------------------------------------------------------------- 概况


def _volume(s: _Slice) -> dict[str, int]:
    front_days = 0
    if s.prominence is not None and len(s.items):
        front = s.prominence["front"].to_numpy(dtype=bool)
        front_days = int(s.items.loc[front, "date"].dt.normalize().nunique())
    return {
        "days": int(s.pages["date"].dt.normalize().nunique()),
        "pages": shapes.page_count(s.pages),
        "front_days": front_days,
        "articles": int(s.is_article.sum()),
        "news": int(s.news.sum()),
        "chars": int(s.items.loc[s.is_article, "chars"].sum()),
    }


def overview_section(now: _Slice, before: _Slice) -> Section:
    p, q = now.period, before.period
    v = _volume(now)
    per_day = v["articles"] / v["days"] if v["days"] else 0.0
    sentences = [
        S(
            Name(p.label),
            "共有 ",
            m.count(v["days"], f"{p.this_zh}有版面的天数"),
            " 天有版面（全期 ",
            m.count(p.days, f"{p.this_zh}的天数"),
            " 天），计 ",
            m.count(v["pages"], f"{p.this_zh}的版面数"),
            " 个版面；有头版的 ",
            m.count(v["front_days"], f"{p.this_zh}有头版的天数"),
            " 天。",
        ),
        S(
            "刊发文章 ",
            m.count(v["articles"], f"{p.this_zh}的文章篇数"),
            " 篇，其中",
            NEWS_ZH,
            " ",
            m.count(v["news"], f"{p.this_zh}的新闻报道篇数"),
            " 篇；平均每个有版面的日子 ",
            m.decimal(per_day, f"{p.this_zh}文章篇数 ÷ 有版面的天数"),
            " 篇，文章正文共 ",
            m.wan_chars(v["chars"], f"{p.this_zh}文章正文字数"),
            " 字。",
        ),
    ]
    if before.has_pages:
        w = _volume(before)
        sentences.append(
            S(
                p.previous_zh,
                "（",
                Name(q.label),
                "）有版面 ",
                m.count(w["days"], f"{p.previous_zh}有版面的天数"),
                " 天、文章 ",
                m.count(w["articles"], f"{p.previous_zh}的文章篇数"),
                " 篇、新闻报道 ",
                m.count(w["news"], f"{p.previous_zh}的新闻报道篇数"),
                " 篇。",
            )
        )
    else:
        earlier = now.all_pages_before(p.start)
        hint: list[m.Segment] = (
            ["（语料中此前最近的版面是", m.full_date_name(earlier), "）"] if earlier else []
        )
        sentences.append(S(p.previous_zh, "（", Name(q.label), "）没有版面", *hint, "，下文不作升降比较。"))
    return Section("overview", SECTION_TITLES["overview"], tuple(sentences))


# ---------------------------------------------------------------- 主题升降


def _theme_ranked(s: _Slice, hits: pd.DataFrame, theme_id: str) -> list[str]:
    """The slice's articles of a theme, where it weighs most first (a title hit counts three), then
    the most prominent."""
    weight = s.theme_weights(hits).get(theme_id)
    if not weight:
        return []
    order = s.ranked(weight)
    place = {a: i for i, a in enumerate(order)}
    return sorted(order, key=lambda a: (-float(weight.get(a, 0.0)), place[a]))


def _theme_cites(s: _Slice, hits: pd.DataFrame, theme_id: str, used: set[str]) -> tuple[Citation, ...]:
    """Up to CITES articles of the theme, those not cited yet in the section first."""
    ranked = _theme_ranked(s, hits, theme_id)
    fresh = [a for a in ranked if a not in used] + [a for a in ranked if a in used]
    chosen = fresh[:CITES]
    used.update(chosen)
    return s.cite(chosen)


def _first_unused(
    s: _Slice, hits: pd.DataFrame, theme_ids: Sequence[str], used: set[str]
) -> tuple[Citation, ...]:
    """One article for each theme, where it weighs most, not already cited for another."""
    chosen: list[str] = []
    for theme_id in theme_ids:
        pick = next((a for a in _theme_ranked(s, hits, theme_id) if a not in used), None)
        if pick is not None:
            chosen.append(pick)
            used.add(pick)
    return s.cite(chosen)


def _share_phrase(count: int, total: int, counts: str, total_counts: str) -> list[m.Segment]:
    return [
        m.share(count, total, f"{counts} ÷ {total_counts}"),
        "（",
        m.count(count, counts),
        "/",
        m.count(total, total_counts),
        " 篇）",
    ]


def _significance(g2: float) -> list[m.Segment]:
    """'，差异显著（p < 0.05）' or '，差异不显著' (G² ≥ 3.84: p < 0.05 with one degree of freedom)."""
    if g2 < tr.SIGNIFICANT_G2:
        return ["，差异不显著"]
    level = m.Num(0.05, "0.05", f"显著性水平：G² ≥ {tr.SIGNIFICANT_G2} 即 p < 0.05（自由度 1）")
    return ["，差异显著（p < ", level, "）"]


def theme_rows(inputs: BriefInputs, now: _Slice, before: _Slice) -> pd.DataFrame:
    """``trends.trends`` of every theme of the dictionary, this period against the one before."""
    p, q = now.period, before.period
    ids = list(inputs.theme_labels)
    if not ids:
        return schemas.TRENDS.empty()
    return tr.trends(
        inputs.articles,
        inputs.pages,
        inputs.theme_hits,
        ids,
        (p.start, p.end),
        (q.start, q.end),
        labels=dict(inputs.theme_labels),
    )


def _theme_sentence(
    row: Mapping, now: _Slice, before: _Slice, hits: pd.DataFrame, verb: str, used: set[str]
) -> Sentence:
    p = now.period
    this_n, this_d = f"{p.this_zh}提及该主题的新闻报道篇数", f"{p.this_zh}新闻报道篇数"
    prev_n, prev_d = f"{p.previous_zh}提及该主题的新闻报道篇数", f"{p.previous_zh}新闻报道篇数"
    sid = str(row["series_id"])
    cites = _theme_cites(now, hits, sid, used) or _theme_cites(before, hits, sid, used)
    flag = f"（{row['flag']}）" if row["flag"] else ""
    return S(
        "“",
        Name(str(row["series_label"])),
        "”",
        verb,
        flag,
        "：占",
        p.this_zh,
        "新闻报道的 ",
        *_share_phrase(int(row["later_count"]), int(row["later_total"]), this_n, this_d),
        "，",
        p.previous_zh,
        "为 ",
        *_share_phrase(int(row["earlier_count"]), int(row["earlier_total"]), prev_n, prev_d),
        "；G² = ",
        m.decimal(float(row["g2"]), "两个时期 2×2 表的对数似然比 G²", 2),
        *_significance(float(row["g2"])),
        "。",
        cites=cites,
    )


def themes_section(inputs: BriefInputs, now: _Slice, before: _Slice) -> tuple[Section, pd.DataFrame]:
    p = now.period
    rows = theme_rows(inputs, now, before)
    hits = inputs.theme_hits
    hits = hits[in_values(hits["article_id"], now.ids | before.ids)]
    present = rows[rows["later_count"] > 0].sort_values(
        ["later_count", "series_id"], ascending=[False, True], kind="stable"
    )
    chart = pd.DataFrame(
        {
            "label": present["series_label"].astype(str),
            "later_share": present["later_share"].astype(float),
            "earlier_share": present["earlier_share"].astype(float),
        }
    ).head(CHART_THEMES)
    title = SECTION_TITLES["themes"]
    if present.empty:
        if not inputs.theme_labels:
            said = "主题词典不可用或没有主题，本节暂缺。"
        else:
            said = f"{p.this_zh}的{NEWS_ZH}没有命中主题词典中的任何主题。"
        return Section("themes", title, (S(said),)), chart
    total = int(present["later_total"].iloc[0])
    top = present.head(TOP_THEMES)
    parts: list[m.Segment] = [
        p.this_zh,
        "的 ",
        m.count(total, f"{p.this_zh}新闻报道篇数"),
        " 篇",
        NEWS_ZH,
        "中，提及最多的主题：",
    ]
    for i, row in enumerate(top.to_dict("records")):
        n = int(row["later_count"])
        parts += ["、" if i else "", "“", Name(str(row["series_label"])), "” "]
        parts += [m.count(n, f"{p.this_zh}提及该主题的新闻报道篇数"), " 篇（"]
        parts += [m.share(n, total, f"{p.this_zh}提及该主题的新闻报道篇数 ÷ {p.this_zh}新闻报道篇数"), "）"]
    parts.append("。")
    used: set[str] = set()
    cites = _first_unused(now, hits, [str(r) for r in top["series_id"]], used)
    sentences = [S(*parts, cites=cites)]
    if not before.has_pages or int(rows["earlier_total"].max() or 0) == 0:
        sentences.append(S(p.previous_zh, "没有新闻报道，无法比较主题的升降。"))
        return Section("themes", title, tuple(sentences)), chart
    rising = rows[rows["change"] > 0].head(TOP_THEMES)
    falling = rows[rows["change"] < 0].sort_values("change", kind="stable").head(TOP_THEMES)
    for row in rising.to_dict("records"):
        sentences.append(_theme_sentence(row, now, before, hits, "上升", used))
    for row in falling.to_dict("records"):
        sentences.append(_theme_sentence(row, now, before, hits, "下降", used))
    if rising.empty and falling.empty:
        sentences.append(S("与", p.previous_zh, "相比，各主题的占比没有变化。"))
    return Section("themes", title, tuple(sentences)), chart


# ---------------------------------------------------------------- 新提法与文件


def period_documents(
    items: pd.DataFrame, *, rows: bool = False, titles: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per (title, article) named in the news items of ``items``: title, article_id, date
    (and with ``rows`` the item's position in ``items``).  ``titles``: ``slogans.article_documents``
    of the items when it is known (a corpus': stored with its cache), used when each item has an id
    of its own; else the titles are found in the items' texts."""
    ids = items["article_id"].astype(str).to_numpy(dtype=object)
    if titles is not None and pd.Index(ids).is_unique:
        at = pd.Index(ids).get_indexer(titles["article_id"].astype(str))
        if (at < 0).any():
            raise ValueError("titles of articles that are not among the items")
        named = titles["title"].astype(str).tolist()
    else:
        at, named = sl.document_rows(items)
    days = items["date"].iloc[at]
    found = [(t, ids[i], day, int(i)) for t, i, day in zip(named, at, days, strict=True)]
    out = pd.DataFrame(found, columns=["title", "article_id", "date", "row"])
    return out if rows else out.drop(columns="row")


def _slice_documents(inputs: BriefInputs, now: _Slice) -> pd.DataFrame:
    """:func:`period_documents` of the slice's items, taken from the corpus' when the caller keeps
    them (the app); else found in the items (one brief of the command line: its period only)."""
    docs = inputs.corpus.documents
    if docs is None:
        return period_documents(inputs.articles.loc[now.rows])
    return docs.loc[
        now.rows[docs["row"].to_numpy(dtype=np.intp)], ["title", "article_id", "date"]
    ].reset_index(drop=True)


def slogans_section(inputs: BriefInputs, now: _Slice) -> Section:
    p = now.period
    start, end = pd.Timestamp(p.start), pd.Timestamp(p.end)
    table = inputs.slogans
    quotes = table[
        (table["kind"].astype(str) == "quote") & (table["first_date"] >= start) & (table["first_date"] <= end)
    ]
    sentences: list[Sentence] = []
    found = []
    for row in quotes.to_dict("records"):
        here = [a for a in row["article_ids"] if a in now.ids]
        found.append((len(here), row, here))
    found.sort(key=lambda x: (-x[0], x[1]["first_date"], x[1]["slogan"]))
    if found:
        sentences.append(
            S(
                p.this_zh,
                "首次出现、全语料至少两篇文章引用的引号提法共 ",
                m.count(len(found), f"{p.this_zh}首次出现的引号提法个数"),
                " 个",
                f"，引用最多的 {TOP_SLOGANS} 个如下。" if len(found) > TOP_SLOGANS else "。",
            )
        )
        for n, row, here in found[:TOP_SLOGANS]:
            sentences.append(
                S(
                    "“",
                    Name(str(row["slogan"])),
                    "”：首见于",
                    m.date_name(row["first_date"]),
                    "，",
                    p.this_zh,
                    " ",
                    m.count(n, f"{p.this_zh}引用该提法的文章篇数"),
                    " 篇文章引用。",
                    cites=now.cite(now.ranked(here)[:CITES]),
                )
            )
    else:
        sentences.append(S(p.this_zh, "没有首次出现、且被至少两篇文章引用的引号提法。"))
    sentences += _document_sentences(inputs, now)
    if not bool((inputs.pages["date"] < start).any()):
        sentences.append(
            S("语料在", p.this_zh, "之前没有版面：“首次出现”只相对于语料而言，不代表此前从未提过。")
        )
    return Section("slogans", SECTION_TITLES["slogans"], tuple(sentences))


def _document_sentences(inputs: BriefInputs, now: _Slice) -> list[Sentence]:
    p = now.period
    docs = _slice_documents(inputs, now)
    if docs.empty:
        return [S(p.this_zh, "的新闻报道没有提到书名号（《》）中的标题。")]
    table = inputs.slogans
    known = table[table["kind"].astype(str) == "document"]
    first = dict(zip(known["slogan"].astype(str), known["first_date"], strict=True))
    start = pd.Timestamp(p.start)
    new = docs[[not (t in first and pd.notna(first[t]) and first[t] < start) for t in docs["title"]]]
    if new.empty:
        return [S(p.this_zh, "提到的书名号标题在此前都已出现过，没有首次提到的标题。")]
    per = new.groupby("title", sort=False).agg(
        articles=("article_id", "nunique"), first=("date", "min"), ids=("article_id", list)
    )
    per = per.reset_index().sort_values(["articles", "first", "title"], ascending=[False, True, True])
    out = [
        S(
            p.this_zh,
            "首次提到的书名号标题（文件、书刊、作品等）共 ",
            m.count(len(per), f"{p.this_zh}首次提到的书名号标题个数"),
            " 个",
            f"，提到最多的 {TOP_DOCUMENTS} 个如下。" if len(per) > TOP_DOCUMENTS else "。",
        )
    ]
    for row in per.head(TOP_DOCUMENTS).to_dict("records"):
        out.append(
            S(
                Name(str(row["title"])),
                "：首见于",
                m.date_name(row["first"]),
                "，",
                p.this_zh,
                " ",
                m.count(int(row["articles"]), f"{p.this_zh}提到该标题的文章篇数"),
                " 篇文章提到。",
                cites=now.cite(now.ranked(row["ids"])[:CITES]),
            )
        )
    return out


# ---------------------------------------------------------------- 项目进度

_METRIC_ORDER = {
    "completion_pct": 0,
    "investment_completed": 1,
    "investment_planned": 2,
    "investment_total": 3,
    "count_done": 4,
    "count_started": 5,
    "count_ahead": 6,
    "count_on_schedule": 7,
    "count_behind": 8,
    "milestone": 9,
}


# the figures' columns the section reads (not their sentences: the period's rows are taken once)
_PROGRESS_READS = (
    *("figure_id", "article_id", "date", "project_id", "subject", "scope", "metric", "value", "unit"),
    *("period", "event", "status", "when"),
)


def progress_section(inputs: BriefInputs, now: _Slice) -> Section:
    p = now.period
    prog = inputs.progress
    rows = prog.loc[in_range(prog["date"], p.start, p.end) & dated(prog["date"]), list(_PROGRESS_READS)]
    if rows.empty:
        return Section("progress", SECTION_TITLES["progress"], (S(p.this_zh, "没有报道项目进度数据。"),))
    key = rows["project_id"].where(rows["project_id"].astype(str) != "", rows["subject"]).astype(str)
    sentences = [
        S(
            p.this_zh,
            "报道项目进度数据 ",
            m.count(len(rows), f"{p.this_zh}的项目进度数据条数"),
            " 条，涉及 ",
            m.count(key.nunique(), f"{p.this_zh}报道进度的项目（或项目组）个数"),
            " 个项目或项目组",
            f"；每个项目取最近的一条（完成进度优先，其次投资、项目数、节点），列出 {TOP_FIGURES} 个（按日期）。"
            if key.nunique() > TOP_FIGURES
            else "；每个项目取最近的一条（完成进度优先，其次投资、项目数、节点），按日期列出。",
        )
    ]
    # one figure per project or group: its latest of the first metric it reports (completion first)
    order = rows.assign(_m=rows["metric"].map(_METRIC_ORDER).fillna(99), _key=key)
    order = order.sort_values(["_m", "date", "figure_id"], ascending=[True, False, True], kind="stable")
    chosen = order.drop_duplicates("_key").head(TOP_FIGURES)
    for row in chosen.sort_values(["date", "figure_id"], kind="stable").to_dict("records"):
        sentences.append(_figure_sentence(row, inputs.project_names, now))
    return Section("progress", SECTION_TITLES["progress"], tuple(sentences))


def _figure_sentence(row: Mapping, names: Mapping[str, str], now: _Slice) -> Sentence:
    subject = names.get(str(row["project_id"]), "") or str(row["subject"])
    scope = str(row.get("scope") or "")
    head: list[m.Segment] = [m.date_name(row["date"]), "：", Name(subject)]
    if scope:
        head += ["（", Name(scope), "）"]
    cites = now.cite([str(row["article_id"])])
    if row["metric"] == "milestone":
        status = pv.STATUS_ZH.get(str(row.get("status") or ""), "")
        when = str(row.get("when") or "")
        tail: list[m.Segment] = ["，", Name(str(row.get("event") or "节点"))]
        tail += [f"（{status}" if status else "（", "，" if status and when else "", Name(when), "）"]
        return S(*head, *tail, "。", cites=cites)
    label = pv.METRIC_LABELS_ZH.get(str(row["metric"]), str(row["metric"]))
    value = float(row["value"])
    unit = "%" if row["metric"] in pv.PCT_METRICS else str(row["unit"] or "")
    number = m.Num(value, f"{value:,.2f}".rstrip("0").rstrip("."), f"{label}（{unit or '数值'}），原句所报")
    period = str(row.get("period") or "")
    tail = ["，", label, " ", number, unit]
    if period:
        tail += ["（统计期 ", Name(period), "）"]
    return S(*head, *tail, "。", cites=cites)


# ---------------------------------------------------------------- 头条


def leads_section(now: _Slice) -> Section:
    p = now.period
    if now.prominence is None:
        return Section("leads", SECTION_TITLES["leads"], (S("没有版面显著度数据，无法判断头条。"),))
    lead = now.prominence["lead"].to_numpy(dtype=bool)
    leads = now.light.assign(position=now.positions).loc[lead]
    if leads.empty:
        return Section("leads", SECTION_TITLES["leads"], (S(p.this_zh, "没有可判断的头条。"),))
    chosen = leads.sort_values(["chars", "date"], ascending=[False, True], kind="stable").head(TOP_LEADS)
    chosen = chosen.sort_values(["date", "article_id"], kind="stable")
    sentences = [
        S(
            p.this_zh,
            "共有头条 ",
            m.count(len(leads), f"{p.this_zh}的头条篇数（每个头版一条）"),
            " 篇",
            f"；下列字数最多的 {TOP_LEADS} 篇（按日期）。" if len(leads) > TOP_LEADS else "（按日期）。",
        )
    ]
    for row in chosen.to_dict("records"):
        cite = now.cite([str(row["article_id"])])
        sentences.append(
            S(
                m.date_name(row["date"]),
                "：《",
                Name(now.title_of(row, row["position"])),
                "》（",
                m.count(int(row["chars"]), "该文正文字数"),
                " 字）。",
                cites=cite,
            )
        )
    return Section("leads", SECTION_TITLES["leads"], tuple(sentences))


# ---------------------------------------------------------------- 地点


def places_section(inputs: BriefInputs, now: _Slice, before: _Slice) -> Section:
    p = now.period
    arts = now.items.loc[now.is_article, "article_id"].astype(str)
    places = inputs.places[in_values(inputs.places["article_id"], now.ids | before.ids)]
    counts = pl.place_counts(places, arts)
    if counts.empty:
        return Section(
            "places", SECTION_TITLES["places"], (S(p.this_zh, "的文章没有提到地名词表中的地点。"),)
        )
    earlier = pl.place_counts(places, before.items.loc[before.is_article, "article_id"].astype(str))
    prev = dict(zip(earlier["place"].astype(str), earlier["articles"], strict=True))
    total = len(arts)
    sentences = []
    in_period = in_values(places["article_id"], arts)  # of this period's articles
    place_of = places["place"].astype(str).to_numpy()
    for row in counts.head(TOP_PLACES).to_dict("records"):
        place = str(row["place"])
        ids = places.loc[(place_of == place) & in_period, "article_id"]
        n = int(row["articles"])
        segs: list[m.Segment] = [Name(place), "（", Name(str(row["place_kind"])), "）：", p.this_zh, " "]
        segs += [
            m.count(n, f"{p.this_zh}提到该地点的文章篇数"),
            "/",
            m.count(total, f"{p.this_zh}的文章篇数"),
        ]
        segs += [
            " 篇文章提到（",
            m.share(n, total, f"{p.this_zh}提到该地点的文章篇数 ÷ {p.this_zh}的文章篇数"),
        ]
        segs += ["），共 ", m.count(int(row["mentions"]), f"{p.this_zh}这些文章提到该地点的次数"), " 次"]
        if before.has_pages:
            segs += [
                "；",
                p.previous_zh,
                " ",
                m.count(int(prev.get(place, 0)), f"{p.previous_zh}提到该地点的文章篇数"),
                " 篇",
            ]
        sentences.append(S(*segs, "。", cites=now.cite(now.ranked(ids)[:CITES])))
    head = S(
        p.this_zh,
        "的文章共提到 ",
        m.count(len(counts), f"{p.this_zh}提到的地点个数"),
        " 个地点（镇街、园区、村和社区；地名词表 data/places.toml），提到最多的：",
    )
    return Section("places", SECTION_TITLES["places"], (head, *sentences))


# ---------------------------------------------------------------- 人物与机构


def people_frame(mentions: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The period's people and organisations from the corpus' mentions (``people.tables``, the 人物
    page's own table): name, kind (官员, 人物, 机构), appearances, articles (their ids), post (the most
    frequent)."""
    rows = people_tables.select(mentions[list(people_tables.TABLE_READS)], period.start, period.end)
    table = people_tables.table_of(rows)  # the period's mentions selected once for both
    seen: dict[str, dict[str, None]] = {}  # name → its articles' ids, each once, in the rows' order
    for name, article in zip(rows["name"].astype(str), rows["article_id"].astype(str), strict=True):
        seen.setdefault(name, {})[article] = None
    ids = {name: list(articles) for name, articles in seen.items()}
    return pd.DataFrame(
        {
            "name": table["name"].astype(str),
            "kind": table["kind"].astype(str).map(schemas.PEOPLE_KIND_LABELS_ZH).fillna(""),
            "appearances": table["appearances"].astype(int),
            "articles": [ids.get(n, []) for n in table["name"].astype(str)],
            "post": table["posts_seen"].astype(str).str.split(people_tables.POSTS_SEP).str[0].fillna(""),
        }
    )


def _person_sentence(row: Mapping, now: _Slice) -> Sentence:
    p = now.period
    ids = row["articles"]
    listed = isinstance(ids, list | tuple | np.ndarray)
    n_articles = len(ids) if listed else int(ids)
    about = [x for x in (str(row.get("kind") or ""), str(row.get("post") or "")) if x and x != "nan"]
    about_part: list[m.Segment] = []
    for i, x in enumerate(about):
        about_part += ["（" if i == 0 else "，", Name(x)]
    about_part += ["）"] if about else []
    return S(
        Name(str(row["name"])),
        *about_part,
        "：出现 ",
        m.count(int(row["appearances"]), f"{p.this_zh}出现的次数"),
        " 次，见于 ",
        m.count(n_articles, f"{p.this_zh}提到的文章篇数"),
        " 篇文章。",
        cites=now.cite(now.ranked(map(str, ids))[:CITES]) if listed else (),
    )


def people_section(people: pd.DataFrame | None, now: _Slice) -> Section:
    """From an optional frame (name, kind, appearances, articles — a count or a list of article ids —
    and optionally post), limited to the period: the people most seen, then the organisations."""
    p = now.period
    title = SECTION_TITLES["people"]
    if people is None or not set(PEOPLE_COLUMNS) <= set(people.columns):
        return Section("people", title, (S(PEOPLE_MISSING_ZH),))
    if people.empty:
        return Section("people", title, (S(p.this_zh, "没有识别出人物与机构。"),))
    n_articles = people["articles"].map(
        lambda v: len(v) if isinstance(v, list | tuple | np.ndarray) else int(v)
    )
    ordered = people.assign(_n=n_articles).sort_values(
        ["_n", "appearances", "name"], ascending=[False, False, True], kind="stable"
    )
    is_org = ordered["kind"].astype(str).isin(["机构", "organisation"])
    sentences: list[Sentence] = []
    for label, rows in (("人物", ordered[~is_org]), ("机构", ordered[is_org])):
        if rows.empty:
            continue
        sentences.append(
            S(
                p.this_zh,
                f"识别出{label} ",
                m.count(len(rows), f"{p.this_zh}识别出的{label}个数"),
                " 个，见于文章最多的：" if len(rows) > TOP_PEOPLE else " 个：",
            )
        )
        sentences += [_person_sentence(row, now) for row in rows.head(TOP_PEOPLE).to_dict("records")]
    return Section("people", title, tuple(sentences))


# ---------------------------------------------------------------- 事件


def events_section(events: ev.EventList, now: _Slice) -> Section:
    p = now.period
    chosen = events.chosen(None, p.start, p.end)
    if not chosen:
        return Section(
            "events",
            SECTION_TITLES["events"],
            (S("事件列表（data/events.toml）中没有落在", p.this_zh, "的事件。"),),
        )
    sentences = [
        S(
            "事件列表（data/events.toml）中落在",
            p.this_zh,
            "的事件 ",
            m.count(len(chosen), f"{p.this_zh}的事件个数"),
            " 个。",
        )
    ]
    for e in chosen:
        segs: list[m.Segment] = [Name(e.when_zh()), "：", Name(e.label), "（", Name(e.category), "）"]
        if e.note:
            segs += ["，", Name(e.note)]
        sentences.append(S(*segs, "。", cites=now.cite([e.article] if e.article else [])))
    return Section("events", SECTION_TITLES["events"], tuple(sentences))


# ---------------------------------------------------------------- the brief


def daily_counts(now: _Slice) -> pd.DataFrame:
    """Articles per day of the period (NaN on a day without pages: a gap, not a zero)."""
    p = now.period
    days = pd.date_range(p.start, p.end, freq="D")
    with_pages = set(now.pages["date"].dt.normalize())
    per = now.items.loc[now.is_article, "date"].dt.normalize().value_counts()
    values = [float(per.get(d, 0)) if d in with_pages else np.nan for d in days]
    return pd.DataFrame({"date": days, "articles": values})


def _people(inputs: BriefInputs, period: Period) -> pd.DataFrame | None:
    if inputs.people is not None:
        return inputs.people
    return None if inputs.people_mentions is None else people_frame(inputs.people_mentions, period)


def build_brief(inputs: BriefInputs, period: Period, compare: Period | None = None) -> Brief:
    """The brief of ``period`` against ``compare`` (default: :func:`period.previous`)."""
    before_period = compare or previous(period)
    now, before = _Slice(inputs, period), _Slice(inputs, before_period)
    # 头版简报 only of front pages: a crawl of the whole paper gets a 简报 of all its 版
    title = f"{inputs.paper_title}{pr.FRONT_ZH if inputs.front_only else ''}简报 · {period.label}"
    method = (
        ("时期", f"{period.label}（{day_zh(period.start)}至{day_zh(period.end)}）"),
        ("对照时期", f"{before_period.label}（{day_zh(before_period.start)}至{day_zh(before_period.end)}）"),
        *inputs.method,
        *METHOD_NOTES,
    )
    if not now.has_pages:
        sentence = S(
            Name(period.label),
            "没有版面：语料中没有日期落在",
            Name(day_zh(period.start)),
            "至",
            Name(day_zh(period.end)),
            "的版面，无法撰写简报。",
        )
        section = Section("overview", SECTION_TITLES["overview"], (sentence,))
        return Brief(title, period.label, before_period.label, period.code, (section,), method, (), False)
    themes, chart = themes_section(inputs, now, before)
    sections = (
        overview_section(now, before),
        themes,
        slogans_section(inputs, now),
        progress_section(inputs, now),
        leads_section(now),
        places_section(inputs, now, before),
        people_section(_people(inputs, period), now),
        events_section(inputs.events, now),
    )
    return Brief(
        title,
        period.label,
        before_period.label,
        period.code,
        sections,
        method,
        all_citations(sections),
        True,
        theme_shares=chart,
        daily=daily_counts(now),
    )


def all_citations(sections: Sequence[Section]) -> tuple[Citation, ...]:
    """Every article cited, once, by date (undated last), then headline."""
    seen: dict[str, Citation] = {}
    for section in sections:
        for sentence in section.sentences:
            for c in sentence.citations:
                seen.setdefault(c.article_id, c)
    return tuple(sorted(seen.values(), key=lambda c: (c.date is None, c.date or dt.date.min, c.article_id)))


METHOD_NOTES: tuple[tuple[str, str], ...] = (
    ("文章", "篇文章：整版文件中的新闻、图片新闻和评论，单篇文件的每一篇（与总览相同）"),
    (
        "主题占比",
        f"命中主题词的{NEWS_ZH}篇数 ÷ 当期{NEWS_ZH}篇数，与政策主题页“上升与下降”相同；"
        "G² 为两个时期 2×2 表的对数似然比，≥ 3.84 即 p < 0.05",
    ),
    (
        "新提法",
        "引号中的提法首次出现在本期、全语料至少两篇文章引用；书名号标题为此前从未提到的《》标题"
        "（两个字及以下的简称如《决定》不计）",
    ),
    ("头条", "每个头版的第一篇可为头条的文章（规则见 data/prominence.toml）"),
    ("地点", "文章提到的镇街、园区、村和社区（data/places.toml），按提到的文章篇数排列"),
    ("人物与机构", "人物页的识别结果（data/people_rules.toml、data/people.toml），按见于的文章篇数排列"),
    ("撰写方式", "全部由模板和统计生成，不使用任何语言模型；每个数字都注明所计的对象"),
)
