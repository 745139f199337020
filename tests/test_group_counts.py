"""The people table and the place counts are counted with numpy (``common.arrays.group_codes``);
they must equal the pandas group-bys that define them (kept here as the reference) on any mentions
and places — missing names, dates and posts, ties, repeated articles, any index."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinghu_core.common import arrays, schemas
from pinghu_core.people import tables
from pinghu_core.search import places as pl

NAMES = ["张明", "李华", "平湖市人民政府", "王芳"]
POSTS = ["", "市长", "副市长", "书记"]
DAYS = [pd.NaT, *pd.date_range("2020-01-01", periods=6, freq="10D")]


# ---------------------------------------------------------------- the definitions


def reference_people_table(frame, start=None, end=None, kinds=()):
    """The pandas group-bys ``people_table`` was written with."""
    rows = tables.select(frame[["name", "kind", "article_id", "date", "post", "lead"]], start, end, kinds)
    if rows.empty:
        return schemas.PEOPLE_TABLE.empty()
    grouped = rows.groupby(["name", "kind"], observed=True, sort=False)
    leads = rows[rows["lead"]].groupby(["name", "kind"], observed=True)["article_id"].nunique()
    out = grouped.agg(
        appearances=("article_id", "size"),
        articles=("article_id", "nunique"),
        first_date=("date", "min"),
        last_date=("date", "max"),
    )
    post = rows["post"].astype(str).to_numpy()
    has = post != ""
    seen = pd.DataFrame(
        {"name": rows["name"][has], "kind": rows["kind"][has], "post": post[has], "at": np.flatnonzero(has)}
    )
    counted = (
        seen.groupby(["name", "kind", "post"], observed=True, sort=False)["at"]
        .agg(["size", "min"])
        .reset_index()
        .sort_values(["size", "min"], ascending=[False, True], kind="stable")
    )
    joined = counted.groupby(["name", "kind"], observed=True, sort=False)["post"].agg(tables.POSTS_SEP.join)
    out["posts_seen"] = joined.reindex(out.index, fill_value="")
    out["lead_appearances"] = leads.reindex(out.index, fill_value=0)
    out = out.reset_index().sort_values(
        ["articles", "appearances", "name"], ascending=[False, False, True], kind="stable"
    )
    return schemas.conform(out, schemas.PEOPLE_TABLE)


def reference_place_counts(places, article_ids=None):
    rows = places if article_ids is None else places[places["article_id"].isin(list(article_ids))]
    if rows.empty:
        return schemas.PLACE_COUNTS.empty()
    out = (
        rows.groupby(["place", "place_kind"], observed=True, sort=False)
        .agg(articles=("article_id", "nunique"), mentions=("mentions", "sum"))
        .reset_index()
    )
    out = out.sort_values(["articles", "mentions", "place"], ascending=[False, False, True])
    return schemas.conform(out, schemas.PLACE_COUNTS)


# ---------------------------------------------------------------- generated frames

mention = st.tuples(
    st.sampled_from([*NAMES, None]),
    st.sampled_from(schemas.PEOPLE_KINDS),
    st.integers(0, 8),  # article
    st.sampled_from(DAYS),
    st.sampled_from(POSTS),
    st.booleans(),
)


def mentions_frame(rows, shuffled_index: bool) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "article_id": [f"a{r[2]}" for r in rows],
            "date": pd.to_datetime([r[3] for r in rows]),
            "name": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "post": [r[4] for r in rows],
            "lead": pd.Series([r[5] for r in rows], dtype=bool),
            "how": ["printed"] * len(rows),
            "front": pd.Series([False] * len(rows), dtype=bool),
            "first_in_sentence": pd.Series([True] * len(rows), dtype=bool),
        }
    )
    frame = schemas.conform(frame.reindex(columns=schemas.PEOPLE_MENTIONS.names), schemas.PEOPLE_MENTIONS)
    if shuffled_index:
        frame.index = pd.Index(np.arange(len(frame))[::-1] * 3)
    return frame


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(mention, max_size=40),
    shuffled=st.booleans(),
    span=st.sampled_from(
        [(None, None), (dt.date(2020, 1, 5), dt.date(2020, 2, 1)), (dt.date(2021, 1, 1), None)]
    ),
    kinds=st.lists(st.sampled_from(schemas.PEOPLE_KINDS), unique=True, max_size=2),
)
def test_the_people_table_equals_its_group_by_definition(rows, shuffled, span, kinds):
    frame = mentions_frame(rows, shuffled)
    expected = reference_people_table(frame, *span, tuple(kinds))
    pd.testing.assert_frame_equal(tables.people_table(frame, *span, tuple(kinds)), expected, check_exact=True)


place = st.tuples(
    st.integers(0, 8),  # article
    st.sampled_from(["当湖街道", "新埔镇", "芦湾村", None]),
    st.sampled_from(["镇街", "村社区"]),
    st.integers(1, 4),
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(place, max_size=40),
    chosen=st.one_of(st.none(), st.lists(st.integers(0, 9).map(lambda i: f"a{i}"), max_size=6)),
)
def test_the_place_counts_equal_their_group_by_definition(rows, chosen):
    frame = schemas.conform(
        pd.DataFrame(
            {
                "article_id": [f"a{r[0]}" for r in rows],
                "place": [r[1] for r in rows],
                "place_kind": [r[2] for r in rows],
                "parent": [""] * len(rows),
                "mentions": [r[3] for r in rows],
            }
        ),
        schemas.ARTICLE_PLACES,
    )
    pd.testing.assert_frame_equal(pl.place_counts(frame, chosen), reference_place_counts(frame, chosen))


@pytest.mark.parametrize(
    ("columns", "codes", "n"),
    [
        ((["乙", "甲", "乙", None],), [0, 1, 0, -1], 2),
        ((["乙", "甲", "乙", "甲"], [1, 1, 2, 1]), [0, 1, 2, 1], 3),
        (([], []), [], 0),
    ],
)
def test_group_codes_number_groups_in_the_order_they_first_appear(columns, codes, n):
    got, count = arrays.group_codes(*(pd.Series(c, dtype="object") for c in columns))
    assert got.tolist() == codes and count == n


def test_a_group_with_only_missing_dates_has_none():
    dates = pd.Series(pd.to_datetime([pd.NaT, "2020-01-02", "2020-01-01"]))
    codes = np.array([0, 1, 1])
    assert arrays.extreme_per_group(codes, 2, dates, largest=False).astype(str).tolist() == [
        "NaT",
        "2020-01-01T00:00:00.000000000",
    ]
    assert arrays.extreme_per_group(codes, 2, dates, largest=True)[1] == np.datetime64("2020-01-02")
