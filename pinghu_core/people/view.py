"""The 人物 page's view and tables as pure functions (no streamlit): which kinds and dates the table
covers, the name whose timeline and sentences are open, the timeline's period length — declared
once (:mod:`pinghu_core.common.viewspec`) for the URL, the widgets and the cache key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pinghu_core.common import schemas, viewspec
from pinghu_core.common.viewspec import DATE_END, DATE_START, MANY, param
from pinghu_core.events.view import article_link
from pinghu_core.people import tables

GRANULARITY_LABELS_ZH = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}
TABLE_LIMIT = 500  # rows shown on the page (downloads have all)


@dataclass(frozen=True)
class PeopleView:
    """What the 人物 page shows; each field declares its URL parameter and widget."""

    kinds: tuple[str, ...] = param(
        (), "kind", widget="people.kinds", kind=MANY, options="kinds", label_zh="类别"
    )
    start: dt.date | None = param(None, "start", widget="people.dates", kind=DATE_START, label_zh="开始日期")
    end: dt.date | None = param(None, "end", widget="people.dates", kind=DATE_END, label_zh="结束日期")
    name: str = param("", "name", widget="people.name", options="names", widget_none=True, rows=False)
    granularity: str = param(
        "month",
        "granularity",
        widget="people.granularity",
        options="granularities",
        rows=False,
        omit_default=True,
    )


def context(names: Iterable[str], first: dt.date | None, last: dt.date | None) -> viewspec.Context:
    options = {
        "kinds": list(schemas.PEOPLE_KINDS),
        "names": list(names),
        "granularities": list(GRANULARITY_LABELS_ZH),
    }
    return viewspec.Context(options, first, last)


def date_bounds(mentions: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    dates = mentions["date"].dropna()
    if dates.empty:
        return None, None
    return dates.min().date(), dates.max().date()


def table(mentions: pd.DataFrame, view: PeopleView) -> pd.DataFrame:
    """``schemas.PEOPLE_TABLE`` of the view's dates and kinds."""
    return tables.people_table(mentions, view.start, view.end, view.kinds)


def name_list(mentions: pd.DataFrame) -> list[str]:
    """Every name of ``mentions`` once ('' for a missing one), in Unicode order.  From the codes of
    the stored categories when the names are categorical (as stored): the text of each row made
    first held 170 MB for a moment on ten papers' 1.09 million mentions (bench_scale, 2026-12-05)."""
    column = mentions["name"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        found = {str(n) for n in column.cat.categories.take(np.unique(codes[codes >= 0]))}
        if (codes < 0).any():
            found.add("")
    else:
        found = {str(n) for n in column.astype("string").fillna("").unique()}
    return sorted(found)


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of the people package as people read it: Chinese headers, 类别 and 识别方式 in Chinese."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.date  # a day, not a midnight time
    if "kind" in out:
        out["kind"] = out["kind"].astype(str).map(schemas.PEOPLE_KIND_LABELS_ZH)
    if "how" in out:
        from pinghu_core.people import extract

        out["how"] = out["how"].astype(str).map(extract.HOW_LABELS_ZH)
    spec = next(s for s in schemas.SPECS.values() if s.names == list(frame.columns))
    return out.rename(columns=schemas.labels_zh(spec))


def sentence_table(sentences: pd.DataFrame) -> pd.DataFrame:
    """A name's sentences (schemas.PEOPLE_SENTENCES) as the page lists them: the sentence first, then
    its date, post, how it was read, 头条, and 全文 — 文章检索 with the article open."""
    out = shown(sentences)
    out["全文"] = [article_link(str(a)) for a in sentences["article_id"]]
    first = schemas.labels_zh(schemas.PEOPLE_SENTENCES)["kwic"]
    return out[[first, *(c for c in out.columns if c != first)]]


def filter_zh(view: PeopleView) -> str:
    """'官员、人物' or '全部类别'."""
    return "、".join(schemas.PEOPLE_KIND_LABELS_ZH[k] for k in view.kinds) or "全部类别"
