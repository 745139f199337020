"""政策主题's drill-down as it was before the speed work of branch themes-progress-speed (main at d73cca4:
``timeline.range_articles``, ``view.per_article``, ``view.drill_table``): the reference the faster code
must equal, row for row."""

from __future__ import annotations

import re

import pandas as pd

from pinghu_core.common import schemas
from pinghu_core.common.schemas import KIND_LABELS_ZH
from pinghu_core.common.wording import format_date_zh
from pinghu_core.themes import timeline as tl
from pinghu_core.themes.dictionary import TERM_SEP, alternation, isin_strings
from pinghu_core.themes.view import ThemeView, share_url

FREQ = {"week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}
SPACE_RE = re.compile(r"\s+")


def kwic_lines(text, terms, width=tl.KWIC_WIDTH):
    text = SPACE_RE.sub(" ", text).strip()
    terms = [t for t in terms if t]
    if not text or not terms:
        return []
    spans = [(m.start(), m.end()) for m in re.finditer(alternation(terms), text)]
    groups = []
    for span in spans:
        if groups and span[0] - groups[-1][-1][1] <= width:
            groups[-1].append(span)
        else:
            groups.append([span])
    lines = []
    for group in groups:
        left, right = max(0, group[0][0] - width), min(len(text), group[-1][1] + width)
        parts, cursor = ["…" if left else ""], left
        for a, b in group:
            parts += [text[cursor:a], f"【{text[a:b]}】"]
            cursor = b
        parts += [text[cursor:right], "…" if right < len(text) else ""]
        lines.append("".join(parts))
    return lines


def kwic(row, terms):
    heading = " ".join(str(row.get(k) or "") for k in ("kicker", "title", "subtitle"))
    lines = (kwic_lines(heading, terms) + kwic_lines(str(row.get("body") or ""), terms))[: tl.KWIC_MAX_LINES]
    return tl.join_kwic(lines)


def period_articles(articles, hits, series_ids, period_start, granularity, kwic_articles=None):
    first, after = pd.date_range(
        tl.period_of([period_start], granularity).iloc[0], periods=2, freq=FREQ[granularity]
    )
    return range_articles(articles, hits, series_ids, first, after, kwic_articles)


def range_articles(
    articles: pd.DataFrame,
    hits: pd.DataFrame,
    series_ids: list[str],
    first: pd.Timestamp,
    after: pd.Timestamp,
    kwic_articles: int | None = None,
) -> pd.DataFrame:
    """:func:`period_articles` for the days ``first`` ≤ date < ``after`` (any span: 上升与下降's periods)."""
    dates = articles["date"]
    in_period = ((dates >= first) & (dates < after)).to_numpy()
    h = hits[isin_strings(hits["theme_id"], series_ids)]
    h = h[isin_strings(h["article_id"], articles.loc[in_period, "article_id"])]
    if h.empty:
        return schemas.PERIOD_ARTICLES.empty()
    cand = articles[in_period]
    order = {sid: i for i, sid in enumerate(series_ids)}
    merged = h[["article_id", "theme_id", "theme_label", "terms"]].merge(cand, on="article_id", how="inner")
    merged["_order"] = merged["theme_id"].map(order)
    merged = merged.sort_values(["date", "article_id", "_order"], kind="stable")
    records = merged.to_dict("records")
    with_kwic = (
        set(merged["article_id"].drop_duplicates().head(kwic_articles)) if kwic_articles is not None else None
    )
    out = pd.DataFrame(
        {
            "article_id": merged["article_id"].to_numpy(),
            "date": merged["date"].to_numpy(),
            "source": merged["source"].to_numpy(),
            "title": [tl.display_title(r) for r in records],
            "kind": merged["kind"].astype("string").to_numpy(),
            "series_label": merged["theme_label"].to_numpy(),
            "terms": merged["terms"].to_numpy(),
            "kwic": [
                kwic(r, str(r["terms"]).split(TERM_SEP))
                if with_kwic is None or r["article_id"] in with_kwic
                else ""
                for r in records
            ],
        }
    )
    return schemas.conform(out, schemas.PERIOD_ARTICLES)


def per_article(rows: pd.DataFrame) -> pd.DataFrame:
    """period_articles has one row per (article, series): one row per article, series and lines joined."""
    if rows.empty:
        return rows
    columns = ["article_id", "date", "source", "title", "kind", "series_label", "terms", "kwic"]
    shared = rows["article_id"].duplicated(keep=False).to_numpy()
    if not shared.any():  # most periods: every article matched one series — nothing to join
        return rows[columns].reset_index(drop=True)
    joined = (
        rows[shared]
        .groupby("article_id", sort=False)
        .agg(
            date=("date", "first"),
            source=("source", "first"),
            title=("title", "first"),
            kind=("kind", "first"),
            series_label=("series_label", _unique_joined),
            terms=("terms", _unique_joined),
            kwic=("kwic", lambda s: "\n".join(dict.fromkeys(str(x) for x in s if x))),
        )
        .reset_index()
    )
    # the articles in their first row's order, the joined ones in place of their rows
    first = rows["article_id"].drop_duplicates()
    out = pd.concat([rows.loc[~shared, columns], joined[columns]], ignore_index=True)
    position = pd.Series(range(len(first)), index=first.to_numpy())
    return out.iloc[position.loc[out["article_id"].to_numpy()].argsort(kind="stable")].reset_index(drop=True)


def _unique_joined(values: pd.Series) -> str:
    parts = [p for v in values for p in str(v).split("、") if p]
    return "、".join(dict.fromkeys(parts))


def drill_table(rows: pd.DataFrame, view: ThemeView) -> pd.DataFrame:
    """:func:`per_article` rows with Chinese headers, the keyword-in-context lines and a link to the full text."""
    return pd.DataFrame(
        {
            "日期": [format_date_zh(d) for d in rows["date"]],
            "标题": [t or "（无标题）" for t in rows["title"].astype("string").fillna("")],
            "上下文": rows["kwic"].astype("string").fillna("").tolist(),
            "命中词": rows["terms"].astype("string").fillna("").tolist(),
            "主题/口号": rows["series_label"].astype("string").fillna("").tolist(),
            "类型": [KIND_LABELS_ZH.get(str(k), str(k)) for k in rows["kind"]],
            "全文": [share_url(view, article=str(a)) for a in rows["article_id"]],
        }
    )
