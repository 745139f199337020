"""How prominently the paper printed each item: its 版面, whether that is a 头版, its order among the
版面's articles, whether it is the 头条 (lead story), its share of the 版面's characters, and the weight
the timeline's “按显著度加权” measure gives it.

The rules are data (``data/prominence.toml``, :func:`rules`): which 版次 are a 头版, which kinds can
be a 头条, for which layouts the text order is not the print order (the 头条 is then the longest
article of the 头版), and the three weights.  Read after parsing: editing the file re-parses nothing.

* 版面 — :func:`shapes.paper_pages`: a whole-page file is one 版面; article files of one date, 版别
  and 版次 are one.
* 版次 — from the file name or the manifest (``01`` written as ``1``); in a corpus of front pages
  only (below) a 版次 not written is ``1``.
* 头版 — a 版面 whose 版次 is one of ``[front] page_nos``; when no file of the corpus has a 版次
  outside that list (a corpus of front pages only, like the sample), every 版面 is a 头版, 版次
  written or not.
* 版面位次 — 1, 2, … among the 版面's articles (篇文章, ``shapes.is_article``) in print order (the
  item's ``order``, then its file); other items (ads, guides, weather …) have 0.
* 头条 — on a 头版, the first article (by 版面位次) of a ``[lead] kinds`` kind; when the 版面's file
  has a layout in ``longest_for_layouts``, the one with the most characters (the first of equals).
* 占版面字数 — the item's body characters over those of every item of its 版面.
* 权重 — ``lead`` for a 头条, ``front`` for another article of a 头版, ``inner`` for an article
  elsewhere, 0 for an item that is not an article.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pinghu_core.common import schemas
from pinghu_core.common.datafiles import DataFile
from pinghu_core.corpus import derived, shapes

PROMINENCE_FILE = "prominence.toml"
SCOPES: dict[str, str] = {"all": "全部版面", "front": "仅头版", "lead": "仅头条"}


@dataclass(frozen=True)
class Rules:
    """The rules of data/prominence.toml."""

    version: str
    front_page_nos: frozenset[str]  # normalised (shapes.page_no_norm)
    lead_kinds: frozenset[str]
    longest_layouts: frozenset[str]
    lead_weight: float
    front_weight: float
    inner_weight: float

    def key(self) -> str:
        """The rules as a stable string (part of a stored result's key)."""
        parts = (sorted(self.front_page_nos), sorted(self.lead_kinds), sorted(self.longest_layouts))
        return f"{parts}|{self.lead_weight}|{self.front_weight}|{self.inner_weight}"

    def weights_zh(self) -> str:
        """'头条记3，头版其他文章记1，其他版面的文章记0.5'."""
        return (
            f"头条记{_num(self.lead_weight)}，头版其他文章记{_num(self.front_weight)}，"
            f"其他版面的文章记{_num(self.inner_weight)}"
        )


def _num(x: float) -> str:
    return f"{x:g}"


def _strings(table: dict, key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f'[{where}] {key} 应是一列文字，如 ["1", "A1"]')
    return value


def _weight(table: dict, key: str) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1000:
        raise ValueError(f"[weights] {key} 应是 0 到 1000 之间的数，现在是 {value!r}")
    return float(value)


def build_rules(data: dict) -> Rules:
    """The rules from the parsed TOML; a ValueError in Chinese says what is wrong."""
    front, lead, weights = (data.get(k, {}) for k in ("front", "lead", "weights"))
    for name, table in (("front", front), ("lead", lead), ("weights", weights)):
        if not isinstance(table, dict):
            raise ValueError(f"[{name}] 应是一个表")
    kinds = _strings(lead, "kinds", "lead")
    unknown = [k for k in kinds if k not in schemas.KINDS]
    if unknown:
        raise ValueError(
            f"[lead] kinds 中的 {'、'.join(unknown)} 不是条目类型，可用：{'、'.join(schemas.KINDS)}"
        )
    layouts = _strings(lead, "longest_for_layouts", "lead")
    bad = [x for x in layouts if x not in schemas.LAYOUTS]
    if bad:
        raise ValueError(
            f"[lead] longest_for_layouts 中的 {'、'.join(bad)} 不是版式，可用：{'、'.join(schemas.LAYOUTS)}"
        )
    page_nos = _strings(front, "page_nos", "front")
    if not page_nos:
        raise ValueError("[front] page_nos 至少要有一个版次")
    return Rules(
        version=str(data.get("version", "")),
        front_page_nos=frozenset(shapes.page_no_norm(p) for p in page_nos),
        lead_kinds=frozenset(kinds),
        longest_layouts=frozenset(layouts),
        lead_weight=_weight(weights, "lead"),
        front_weight=_weight(weights, "front"),
        inner_weight=_weight(weights, "inner"),
    )


# When the file was never readable: 版次 1 is the 头版, the first news item its 头条, weights 3/1/0.5
# (what data/prominence.toml ships with, minus the layout rule).
FALLBACK = Rules("", frozenset({"1", "A1"}), frozenset({"news"}), frozenset(), 3.0, 1.0, 0.5)
FILE = DataFile(PROMINENCE_FILE, "显著度规则", build_rules, FALLBACK, parses=False)


def rules() -> Rules:
    """The rules of data/prominence.toml (re-read when the file changes; a bad edit keeps the last good)."""
    return FILE.get()


def rules_problem() -> str:
    return FILE.problem()


def rules_digest() -> str:
    return FILE.digest()


def front_pages_only(page_nos: Iterable[str], front: frozenset[str]) -> bool:
    """No 版次 written outside ``front`` (normalised): a corpus of front pages only.

    >>> front_pages_only(["", "01", "1"], frozenset({"1", "A1"})), front_pages_only(["01", "02"], frozenset({"1"}))
    (True, False)
    """
    return all(p in front for p in (shapes.page_no_norm(x) for x in page_nos) if p)


FRONT_ZH, EVERY_ZH = "头版", "各版"


def pages_word_zh(page_nos: Iterable[str], front: frozenset[str]) -> str:
    """What a page's caption calls the corpus' pages: 头版 for a corpus of front pages only, 各版 when
    some 版次 is another page's (a crawl of the whole paper), so that 头版文章 is never said of 第5版.

    >>> pages_word_zh(["", "01"], frozenset({"1"})), pages_word_zh(["01", "05"], frozenset({"1"}))
    ('头版', '各版')
    """
    return FRONT_ZH if front_pages_only(page_nos, front) else EVERY_ZH


def prominence(articles: pd.DataFrame, pages: pd.DataFrame, rules: Rules = FALLBACK) -> pd.DataFrame:
    """One row per item of ``articles``, in its order (``schemas.PROMINENCE``)."""
    if articles.empty:
        return schemas.PROMINENCE.empty()
    paper = shapes.paper_pages(pages, articles)
    key = paper.of_article.astype("string").fillna("file:" + articles["page_id"].astype("string"))
    is_article = paper.is_article.to_numpy(dtype=bool)
    page_no = articles["page_id"].map(dict(zip(pages["page_id"], pages["page_no"].astype(str), strict=True)))
    norm = page_no.fillna("").astype(str).map(shapes.page_no_norm)
    if front_pages_only(pages["page_no"].astype(str), rules.front_page_nos):
        front = np.ones(len(articles), dtype=bool)
        norm = norm.where(norm != "", "1")
    else:
        front = norm.isin(rules.front_page_nos).to_numpy(dtype=bool)
    layout = articles["page_id"].map(dict(zip(pages["page_id"], pages["layout"].astype(str), strict=True)))
    chars = articles["chars"].to_numpy(dtype="float64")
    frame = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "order": articles["order"].to_numpy(dtype="int64"),
            "source": articles["source"].astype(str).to_numpy(),
            "pos": np.arange(len(articles)),
            "chars": chars,
        }
    )
    # print order within each 版面: the item's order, then its file (article files: one item each)
    printed = frame.sort_values(["key", "order", "source", "pos"], kind="stable")
    art = is_article[printed["pos"].to_numpy()]
    rank_sorted = pd.Series(art.astype("int64")).groupby(printed["key"].to_numpy()).cumsum().to_numpy()
    rank = np.zeros(len(articles), dtype="int32")
    rank[printed["pos"].to_numpy()] = np.where(art, rank_sorted, 0)
    page_chars = frame.groupby("key")["chars"].transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(page_chars > 0, chars / page_chars, 0.0)
    lead = _leads(
        frame, is_article, front, articles["kind"].astype(str).to_numpy(), chars, rank, layout, rules
    )
    weight = (
        np.where(lead, rules.lead_weight, np.where(front, rules.front_weight, rules.inner_weight))
        * is_article
    )
    out = pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "page_key": key.to_numpy(),
            "page_no": norm.to_numpy(),
            "front": front,
            "rank": rank,
            "lead": lead,
            "page_share": share,
            "weight": weight.astype("float64"),
        },
        index=articles.index,
    )
    return schemas.conform(out, schemas.PROMINENCE)


def _leads(
    frame: pd.DataFrame,
    is_article: np.ndarray,
    front: np.ndarray,
    kinds: np.ndarray,
    chars: np.ndarray,
    rank: np.ndarray,
    layout: pd.Series,
    rules: Rules,
) -> np.ndarray:
    """Per item: the 头条 of its 头版 (at most one per 版面)."""
    can = is_article & front & np.isin(kinds, list(rules.lead_kinds))
    lead = np.zeros(len(frame), dtype=bool)
    if not can.any():
        return lead
    longest = layout.astype(str).isin(rules.longest_layouts).to_numpy(dtype=bool)
    cand = pd.DataFrame(
        {
            "key": frame["key"].to_numpy()[can],
            "pos": np.flatnonzero(can),
            "rank": rank[can],
            "longest": longest[can],
        }
    )
    # a 版面 whose file (any of its files) has such a layout: the most characters first; else print order
    by_length = cand.groupby("key")["longest"].transform("any").to_numpy(dtype=bool)
    cand["by"] = np.where(by_length, -chars[cand["pos"].to_numpy()], 0.0)
    first = cand.sort_values(["key", "by", "rank"], kind="stable").drop_duplicates("key")
    lead[first["pos"].to_numpy()] = True
    return lead


def stored_prominence(
    articles: pd.DataFrame, pages: pd.DataFrame, rules: Rules, root: Path | None, corpus_fingerprint: str
) -> pd.DataFrame:
    """:func:`prominence` of the corpus by ``rules``, kept with its cache under ``root`` (``pinghu
    ingest`` computes it with the rules of data/prominence.toml; an edit of the rules computes it
    again, once; see :mod:`pinghu_core.corpus.derived`)."""
    key = prominence_stored(rules, corpus_fingerprint)
    stored = derived.load_or_build(
        root, key.name, key.parts, lambda: prominence(articles, pages, rules), schemas.PROMINENCE
    )
    if len(stored) != len(articles):  # another corpus under the same fingerprint cannot happen; be safe
        return prominence(articles, pages, rules)
    return stored.set_axis(articles.index)


def prominence_stored(rules: Rules, corpus_fingerprint: str) -> derived.Stored:
    """What :func:`stored_prominence` keeps: per corpus, rules and version of this code."""
    parts = (
        "prominence",
        corpus_fingerprint,
        rules.key(),
        derived.source_digest(sys.modules[__name__], shapes),
    )
    return derived.Stored("prominence", parts)


def scope_mask(table: pd.DataFrame, scope: str) -> np.ndarray:
    """Rows of a PROMINENCE frame inside ``scope`` (SCOPES): all, on a 头版, or 头条."""
    if scope not in SCOPES:
        raise ValueError(f"未知的范围 {scope!r}，可用：{'、'.join(SCOPES)}")
    if scope == "front":
        return table["front"].to_numpy(dtype=bool)
    if scope == "lead":
        return table["lead"].to_numpy(dtype=bool)
    return np.ones(len(table), dtype=bool)
