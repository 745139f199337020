"""Issue 12.8: one date-range filter, the same for every view; undated items only when no range
narrows the view, shown as 日期不详."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pinghu_core.common import daterange, schemas
from pinghu_core.common.wording import format_date_zh
from pinghu_core.progress import view as pv
from pinghu_core.search import index as search
from pinghu_core.themes import view as views
from pinghu_core.words import view as wv

D = dt.date
DATES = pd.Series(pd.to_datetime(["2020-01-01 00:00", "2020-03-15 08:30", "2020-06-30 00:00", None]))


@pytest.mark.parametrize(
    ("start", "end", "kept"),
    [
        (None, None, [True, True, True, True]),  # no range: everything, the undated item too
        (D(2020, 1, 1), D(2020, 6, 30), [True, True, True, True]),  # the corpus' own bounds narrow nothing
        (D(2019, 1, 1), D(2021, 1, 1), [True, True, True, True]),
        (D(2020, 1, 2), None, [False, True, True, False]),  # narrowed: dated items inside only
        (None, D(2020, 3, 15), [True, True, False, False]),  # the end day is whole (08:30 is in)
        (D(2020, 3, 15), D(2020, 3, 15), [False, True, False, False]),
        (D(2021, 1, 1), None, [False, False, False, False]),
    ],
)
def test_in_range(start, end, kept):
    assert daterange.in_range(DATES, start, end).tolist() == kept
    assert daterange.in_range(DATES.to_numpy(), start, end).tolist() == kept  # arrays too


def test_all_undated_and_empty():
    undated = pd.Series(pd.to_datetime([None, None]))
    assert daterange.in_range(undated, D(2020, 1, 1), D(2020, 2, 1)).tolist() == [True, True]
    assert daterange.in_range(pd.Series([], dtype="datetime64[ns]"), None, None).tolist() == []
    assert daterange.dated(DATES).tolist() == [True, True, True, False]


def _articles() -> pd.DataFrame:
    rows = [
        {c: None for c in schemas.ARTICLES.names}
        | {
            "article_id": f"p{i}-01",
            "page_id": f"p{i}",
            "source": f"p{i}.txt",
            "kind": "news",
            "order": 0,
            "title": "标题",
            "body": "平湖项目建设",
            "date": d,
            "date_source": "filename" if d else "unknown",
        }
        for i, d in enumerate(["2020-01-01", "2020-06-30", None])
    ]
    return schemas.conform(pd.DataFrame(rows), schemas.ARTICLES)


@pytest.mark.parametrize(
    ("start", "end", "undated_shown"),
    [(None, None, True), (D(2020, 1, 1), D(2020, 6, 30), True), (D(2020, 2, 1), D(2020, 6, 30), False)],
)
def test_every_view_treats_undated_items_alike(start, end, undated_shown):
    """文章检索, 词云, 主题共现 and 项目进度 all keep the undated item exactly when the range narrows nothing."""
    arts = _articles()
    undated = "p2-01"
    index = search.build_index(arts, schemas.ARTICLE_PLACES.empty())
    found = search.filter_articles(index, search.SearchView(start=start, end=end))
    got = {
        "文章检索": undated in set(found["article_id"].astype(str)),
        "词云": undated in wv.filtered_ids(arts, wv.WordView(start=start, end=end, kinds=("news",))),
        "主题共现": undated in views.article_ids_between(arts, start, end),
    }
    progress = pd.DataFrame(
        {
            "figure_id": ["f0", "f1", "f2"],
            "metric": "completion_pct",
            "subject": "项目",
            "date": arts["date"].to_numpy(),
        }
    )
    kept = pv.filter_figures(progress, pv.ProgressView(metric="completion_pct", start=start, end=end))
    got["项目进度"] = "f2" in set(kept["figure_id"])
    assert got == dict.fromkeys(got, undated_shown)


def test_an_undated_item_is_shown_as_date_unknown():
    assert format_date_zh(pd.NaT) == "日期不详"
    arts = _articles()
    index = search.build_index(arts, schemas.ARTICLE_PLACES.empty())
    from pinghu_core.search import view as sv

    table = sv.result_table(search.filter_articles(index, search.SearchView()))
    assert "日期不详" in set(table["日期"])
    assert np.isnat(arts["date"].to_numpy()).sum() == 1


# ---------------------------------------------------------------- the date boxes

D = dt.date
FIRST, LAST = D(2020, 4, 21), D(2022, 5, 28)


@pytest.mark.parametrize(
    ("value", "expected", "said"),
    [
        ((D(2021, 1, 1), D(2021, 6, 30)), (D(2021, 1, 1), D(2021, 6, 30)), []),
        (
            (D(2019, 1, 1), D(2030, 1, 1)),
            (FIRST, LAST),
            [
                "开始日期 2019年1月1日 早于语料的第一天，已改为 2020年4月21日",
                "结束日期 2030年1月1日 晚于语料的最后一天，已改为 2022年5月28日",
            ],
        ),
        ((D(2030, 1, 1), D(2031, 1, 1)), (LAST, LAST), ["晚于语料的最后一天"]),
        ((D(2030, 1, 1),), (LAST,), ["所选日期 2030年1月1日 晚于语料的最后一天"]),
        ((D(2021, 1, 1),), (D(2021, 1, 1),), []),  # one day picked so far: left alone
        (D(1990, 1, 1), (FIRST,), ["早于语料的第一天"]),
        ((), (), []),
        (None, (), []),
    ],
)
def test_a_date_box_is_fitted_to_the_corpus_and_says_what_it_changed(value, expected, said):
    got, note = daterange.clamp_input(value, FIRST, LAST)
    assert got == expected
    assert all(s in note for s in said) and (bool(note) == bool(said))
    if note:
        assert "（语料的日期范围是 2020年4月21日 – 2022年5月28日）" in note
