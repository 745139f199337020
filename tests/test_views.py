"""Table tests of the 政策主题 page's pure pieces: URL ↔ view, tables, CSV bytes, chart builders."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json

import pandas as pd
import pytest
from conftest import plotly_spec
from hypothesis import given, settings
from hypothesis import strategies as st

from pinghu_core.common import viewspec
from pinghu_core.themes import charts as theme_charts
from pinghu_core.themes import timeline as tl
from pinghu_core.themes import view as views
from pinghu_core.themes.view import ThemeView

D = dt.date
THEMES = ["econ", "env", "gov", "culture"]
GRAN = ["week", "month", "quarter", "year"]
MEAS = ["count", "share_news", "share_chars"]


def parse(params: dict, **kw) -> ThemeView:
    args = {
        "theme_ids": THEMES,
        "slogans": ["八八战略", "最多跑一次"],
        "granularities": GRAN,
        "measures": MEAS,
        "first": D(2020, 1, 1),
        "last": D(2022, 12, 31),
    } | kw
    return views.parse_view(params, **args)


@pytest.mark.parametrize(
    "params, field, expected",
    [
        ({}, "themes", ("econ", "env", "gov")),  # no parameter: the first three themes
        ({"themes": ""}, "themes", ()),  # explicitly none
        ({"themes": "gov,nope,econ"}, "themes", ("gov", "econ")),  # unknown dropped, order kept
        ({"themes": ["gov", "env,gov"]}, "themes", ("gov", "env")),  # repeated keys, duplicates once
        ({"slogans": "最多跑一次,不存在"}, "slogans", ("最多跑一次",)),
        ({"granularity": "quarter"}, "granularity", "quarter"),
        ({"granularity": "day"}, "granularity", views.GRANULARITY_DEFAULT),
        ({"measure": "count"}, "measure", "count"),
        ({"measure": "<script>"}, "measure", views.MEASURE_DEFAULT),
        ({}, "start", D(2020, 1, 1)),
        ({"start": "2019-05-01"}, "start", D(2020, 1, 1)),  # clamped to the corpus
        ({"start": "2021-05-01"}, "start", D(2021, 5, 1)),
        ({"start": "2021年5月1日"}, "start", D(2020, 1, 1)),  # not ISO: default
        ({"end": "2030-01-01"}, "end", D(2022, 12, 31)),
        ({"start": "2022-01-01", "end": "2021-01-01"}, "start", D(2021, 1, 1)),  # swapped
        ({"period": "2021-07-01"}, "period", D(2021, 7, 1)),
        ({"period": "x"}, "period", None),
        ({"article": "abc-01"}, "article", "abc-01"),
    ],
)
def test_parse_view(params, field, expected):
    assert getattr(parse(params), field) == expected


def test_view_round_trips_through_the_url():
    view = ThemeView(
        ("gov", "econ"),
        ("八八战略",),
        "week",
        "share_chars",
        D(2020, 3, 1),
        D(2021, 6, 30),
        D(2020, 6, 1),
        "abc-01",
    )
    params = views.view_params(view)
    assert params == {
        "themes": "gov,econ",
        "slogans": "八八战略",
        "granularity": "week",
        "measure": "share_chars",
        "start": "2020-03-01",
        "end": "2021-06-30",
        "period": "2020-06-01",
        "article": "abc-01",
    }
    assert parse(params) == view


def test_empty_selection_round_trips():
    view = ThemeView((), (), "month", "count", D(2020, 1, 1), D(2022, 12, 31))
    assert parse(views.view_params(view)) == view


def test_view_from_widgets_and_series_ids():
    key = functools.partial(viewspec.widget_of, ThemeView)
    state = {
        key("themes"): ["env"],
        key("slogans"): ["八八战略"],
        key("granularity"): "year",
        key("measure"): "count",
        key("start"): (D(2020, 2, 1),),
        key("period"): "2020-01-01",
        key("article"): None,
    }
    v = viewspec.from_widgets(ThemeView, state)
    assert (v.start, v.end, v.period, v.article) == (D(2020, 2, 1), None, D(2020, 1, 1), "")
    assert v.series_ids == ["env", "slogan:八八战略"]
    assert viewspec.from_widgets(ThemeView, {}) == ThemeView()  # nothing drawn yet: the defaults
    whole = viewspec.from_widgets(ThemeView, {key("start"): (D(2020, 1, 1), D(2022, 12, 31))})
    assert (whole.start, whole.end) == (D(2020, 1, 1), D(2022, 12, 31))  # the timeline keeps its days


def test_the_widgets_show_what_the_url_asks_for():
    ctx = views.context(
        theme_ids=THEMES,
        slogans=[],
        granularities=GRAN,
        measures=MEAS,
        first=D(2020, 1, 1),
        last=D(2022, 12, 31),
    )
    view = viewspec.from_url(ThemeView, {"period": "2021-07-01", "granularity": "quarter"}, ctx)
    shown = viewspec.widget_values(view, ctx)
    assert shown[viewspec.widget_of(ThemeView, "themes")] == ["econ", "env", "gov"]
    assert shown[viewspec.widget_of(ThemeView, "period")] == "2021-07-01"
    assert shown[viewspec.widget_of(ThemeView, "start")] == (D(2020, 1, 1), D(2022, 12, 31))
    assert shown[viewspec.widget_of(ThemeView, "article")] is None
    assert viewspec.from_widgets(ThemeView, shown, ctx) == view


def test_share_url_is_a_relative_link_with_the_change():
    url = views.share_url(
        ThemeView(("env",), (), "month", "count", D(2020, 1, 1), D(2020, 12, 31)), article="p-01"
    )
    assert url.startswith("?themes=env&") and url.endswith("&article=p-01")


def test_views_has_no_csv_writer_of_its_own():
    assert not hasattr(views, "csv_bytes")  # downloads are exports.csv_bytes, the one exporter


def timeline_rows(granularity: str = "month") -> pd.DataFrame:
    starts = pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01", "2020-05-01"])
    has = [True, False, False, True, True]
    rows = []
    for sid, label, nums in (("env", "生态环境", [2, 0, 0, 0, 1]), ("gov", "基层治理", [1, 0, 0, 3, 0])):
        for s, h, n in zip(starts, has, nums, strict=True):
            d = 10 if h else 0
            rows.append(
                {
                    "series_id": sid,
                    "series_label": label,
                    "period": f"{s.year}年{s.month}月",
                    "period_start": s,
                    "value": n / d if h else float("nan"),
                    "numerator": n,
                    "denominator": d,
                    "has_pages": h,
                }
            )
    return pd.DataFrame(rows)


def test_period_options_lists_periods_with_a_match():
    assert views.period_options(timeline_rows()) == {
        "2020-01-01": "2020年1月",
        "2020-04-01": "2020年4月",
        "2020-05-01": "2020年5月",
    }


@pytest.mark.parametrize(
    "start, granularity, end",
    [
        ("2020-12-28", "week", "2021-01-04"),
        ("2020-12-01", "month", "2021-01-01"),
        ("2020-10-01", "quarter", "2021-01-01"),
        ("2020-01-01", "year", "2021-01-01"),
    ],
)
def test_period_end(start, granularity, end):
    assert views.period_end(pd.Timestamp(start), granularity) == pd.Timestamp(end)


def test_timeline_chart_gaps_are_gaps_not_zero():
    fig = theme_charts.timeline_chart(timeline_rows(), measure="share_news", granularity="month")
    spec = plotly_spec(fig.to_json())  # numpy arrays arrive as typed arrays
    env = spec["data"][0]
    assert env["name"] == "生态环境" and env["connectgaps"] is False
    assert env["y"] == [0.2, None, None, 0.0, 0.1]  # no pages: None (a gap), not 0
    assert env["customdata"][0] == "2020-01-01"
    assert env["text"][0].startswith("<b>生态环境 · 2020年1月</b><br>20.0%（2篇 / 当月新闻报道")
    assert env["text"][1] == ""
    shapes = spec["layout"]["shapes"]
    assert len(shapes) == 1  # February and March merged into one band
    assert (shapes[0]["x0"], shapes[0]["x1"]) == ("2020-02-01", "2020-04-01")
    assert spec["data"][-1]["name"] == theme_charts.NO_PAGES_LABEL
    assert spec["layout"]["title"]["text"] == tl.axis_label("share_news", "month")
    assert spec["layout"]["yaxis"]["title"]["text"] == "占当月新闻报道篇数的比例"
    assert spec["layout"]["yaxis"]["tickformat"] == "~%"  # 0.5%, 1%, 1.5%: never the same label twice
    # five months: a tick on each, named as the periods are (Plotly's own fell between them)
    assert spec["layout"]["xaxis"]["tickvals"] == [f"2020-{m:02d}-01" for m in range(1, 6)]
    assert spec["layout"]["xaxis"]["ticktext"] == [f"2020年{m}月" for m in range(1, 6)]


def test_count_chart_says_articles_and_has_whole_ticks():
    spec = json.loads(
        theme_charts.timeline_chart(timeline_rows(), measure="count", granularity="quarter").to_json()
    )
    assert spec["layout"]["yaxis"]["title"]["text"] == "每季度提及的文章数（篇）"
    assert spec["layout"]["yaxis"]["dtick"] == 1


def test_hover_escapes_a_label():
    assert "&lt;b&gt;" in theme_charts.point_hover("count", "year", "<b>", "2020年", 1.0, 1, 2)


def reference_hover(measure: str, granularity: str, value: float, n: float, d: float, scope: str) -> str:
    """The hover's words after “series · period：”, written out point by point (the timeline's
    own wording before it wrote a series' hovers at once)."""
    unit = tl.UNITS_ZH[granularity]
    news = tl.news_zh(scope)
    if measure == "count":
        what = "篇头条" if scope == "lead" else "篇文章"
        return f"{int(round(n)):,}{what}提及（当{unit}{news}共{int(round(d)):,}篇）"
    share = "无法计算" if pd.isna(value) else f"{value:.1%}"
    if measure == "share_news":
        return f"{share}（{int(round(n)):,}篇 / 当{unit}{news}{int(round(d)):,}篇）"
    if measure == "share_weighted":
        weight = lambda x: f"{x:,.1f}".removesuffix(".0")  # noqa: E731
        return f"{share}（加权{weight(n)} / 当{unit}{news}加权合计{weight(d)}）"
    page = "头条" if scope == "lead" else "头版"
    return f"{share}（{int(round(n)):,}字 / 当{unit}{page}正文{int(round(d)):,}字）"


@given(
    label=st.text(min_size=1, max_size=12),
    points=st.lists(
        st.tuples(
            st.one_of(st.floats(0, 1), st.just(float("nan"))),
            st.integers(0, 10**6).map(float),
            st.floats(0, 10**6, allow_nan=False),
        ),
        min_size=1,
        max_size=20,
    ),
    measure=st.sampled_from(list(tl.MEASURES)),
    granularity=st.sampled_from(list(tl.GRANULARITIES)),
    scope=st.sampled_from(["all", "front", "lead"]),
)
@settings(max_examples=200, deadline=None)
def test_a_series_hovers_say_what_each_point_hover_label_says(label, points, measure, granularity, scope):
    """The chart writes a series' hovers at once; each is timeline.hover_label of its point, escaped,
    with the series and period in bold — whatever the label holds (a '：', HTML), NaN a gap ('')."""
    periods = [f"2020年第{i + 1}周" for i in range(len(points))]
    points = [
        (v, n, d) if v == v else (v, float("nan"), float("nan")) for v, n, d in points
    ]  # a gap: no numbers
    values, numerators, denominators = (list(x) for x in zip(*points, strict=True))
    got = theme_charts.point_hovers(
        measure, granularity, label, periods, values, numerators, denominators, scope
    )
    for text, period, (v, n, d) in zip(got, periods, points, strict=True):
        if v != v:
            assert text == ""
            continue
        whole = tl.hover_label(label, period, measure, granularity, v, n, d, scope=scope)
        head = f"{label} · {period}："
        assert whole == head + reference_hover(measure, granularity, v, n, d, scope)
        assert text == f"<b>{html.escape(label)} · {period}</b><br>{html.escape(whole[len(head) :])}"
        assert text == theme_charts.point_hover(measure, granularity, label, period, v, n, d, scope)


def test_cooccurrence_heatmap_is_symmetric():
    cooc = pd.DataFrame(
        {
            "theme_a": ["env", "env"],
            "theme_b": ["gov", "econ"],
            "label_a": ["生态环境", "生态环境"],
            "label_b": ["基层治理", "经济发展"],
            "articles": [4, 1],
        }
    )
    spec = json.loads(theme_charts.cooccurrence_heatmap(cooc, "主题共现").to_json())
    hm = spec["data"][0]
    assert hm["x"] == hm["y"] == ["生态环境", "基层治理", "经济发展"]
    assert hm["z"] == [[None, 4, 1], [4, None, None], [1, None, None]]
    assert "同时出现的文章：4 篇" in hm["customdata"][0][1]


def test_slogan_table_sparkline_counts_articles_per_month():
    articles = pd.DataFrame(
        {"article_id": ["a", "b", "c"], "date": pd.to_datetime(["2020-01-05", "2020-03-02", "2020-03-20"])}
    )
    slogans = pd.DataFrame(
        {
            "slogan": ["八八战略"],
            "kind": ["quote"],
            "first_date": pd.to_datetime(["2020-01-05"]),
            "last_date": pd.to_datetime(["2020-03-20"]),
            "articles": [3],
            "mentions": [4],
            "article_ids": [["a", "b", "c"]],
        }
    )
    table = views.slogan_table(slogans, articles)
    assert table.loc[0, "首次出现"] == D(2020, 1, 5) and table.loc[0, "最近出现"] == D(
        2020, 3, 20
    )  # real dates
    assert table.loc[0, "类别"] == "引号中的提法"
    assert table.loc[0, "每月文章数"] == [1, None, 2]  # no page in February: a gap, not zero
    pages = pd.DataFrame({"date": pd.to_datetime(["2020-01-05", "2020-02-11", "2020-03-02"])})
    table = views.slogan_table(slogans, articles, pages)
    assert table.loc[0, "每月文章数"] == [1, 0, 2]  # a February page without the slogan: zero


def _svg(url: str) -> str:
    import base64

    assert url.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(url.split(",", 1)[1]).decode("ascii")


@pytest.mark.parametrize(
    ("values", "lines", "dots"),
    [
        ([1, 0, 2], 1, 0),  # months with pages: one line, zero on the baseline
        ([1, None, 2], 0, 2),  # a month without pages breaks the line: two lone months are dots
        ([1, 3, None, 2, 0, None, None, 4], 2, 1),
        ([None, None], 0, 0),
        ([5], 0, 1),
    ],
)
def test_sparkline_breaks_at_months_without_pages(values, lines, dots):
    svg = _svg(views.sparkline_svg(values))
    assert svg.count("<polyline") == lines and svg.count("<circle") == dots


def test_slogan_display_draws_the_months_as_an_image():
    table = pd.DataFrame({"口号": ["八八战略"], "每月文章数": [[1, None, 2]]})
    shown = views.slogan_display(table)
    assert shown.loc[0, "每月文章数"].startswith("data:image/svg+xml;base64,")
    assert table.loc[0, "每月文章数"] == [1, None, 2]  # the data (and the download) keep the counts


def test_keyword_table_puts_flagged_first():
    report = pd.DataFrame(
        {
            "keyword": ["乡村振兴", "最多跑一次", "共同富裕"],
            "theme_id": ["a", "b", "c"],
            "theme_label": ["乡村", "改革", "共富"],
            "occurrences": [9, 5, 7],
            "sampled": [9, 5, 7],
            "whole": [9, 3, 0],
            "survives": [True, True, False],
            "split_example": ["", "最多 / 跑 / 一次", "共同 / 富裕"],
            "sentence": ["", "", ""],
        }
    )
    table = views.keyword_table(report)
    assert table["关键词"].tolist() == [
        "共同富裕",
        "最多跑一次",
        "乡村振兴",
    ]  # never whole, sometimes split, fine
    assert table["需检查"].tolist() == ["⚠ 是", "⚠ 是", "否"]


def test_per_article_joins_the_series_of_one_article():
    rows = pd.DataFrame(
        {
            "article_id": ["a", "a", "b"],
            "date": pd.to_datetime(["2020-01-02"] * 3),
            "source": ["x.txt"] * 3,
            "title": ["甲", "甲", "乙"],
            "kind": ["news"] * 3,
            "series_label": ["生态环境", "“两山”", "生态环境"],
            "terms": ["治水、生态", "两山", "生态"],
            "kwic": ["……【治水】……", "……【两山】……", "……【生态】……"],
        }
    )
    table = views.drill_table(views.per_article(rows), ThemeView(("env",)))
    assert table["标题"].tolist() == ["甲", "乙"]
    assert table.loc[0, "主题/口号"] == "生态环境、“两山”" and table.loc[0, "命中词"] == "治水、生态、两山"
    assert table.loc[0, "上下文"] == "……【治水】……\n……【两山】……"
    assert table.loc[0, "全文"].endswith("article=a")


def test_per_article_keeps_the_first_row_order_with_joined_and_single_articles():
    # b (one row) comes before a (two rows, not adjacent) and c: the order of each article's first row
    rows = pd.DataFrame(
        {
            "article_id": ["b", "a", "c", "a"],
            "date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-02", "2020-01-02"]),
            "source": ["x.txt"] * 4,
            "title": ["乙", "甲", "丙", "甲"],
            "kind": ["news"] * 4,
            "series_label": ["生态环境", "生态环境", "民生", "“两山”"],
            "terms": ["生态", "治水", "民生", "两山"],
            "kwic": ["【生态】", "【治水】", "【民生】", "【两山】"],
        }
    )
    got = views.per_article(rows)
    assert got["article_id"].tolist() == ["b", "a", "c"]
    assert got["series_label"].tolist() == ["生态环境", "生态环境、“两山”", "民生"]
    assert got["kwic"].tolist() == ["【生态】", "【治水】\n【两山】", "【民生】"]
    single = views.per_article(rows[rows["article_id"] != "a"])  # no article twice: rows as they are
    assert single["article_id"].tolist() == ["b", "c"] and single.index.tolist() == [0, 1]


class _Problem:
    def __init__(self, message_zh, line, path=None):
        self.message_zh, self.line, self.path = message_zh, line, path


@pytest.mark.parametrize(
    "message, line, expected_head",
    [
        ("第12行：主题“x”缺少 label", 12, "主题词典 themes.toml 有误：第12行：主题“x”缺少 label"),
        ("缺少 label", 7, "主题词典 themes.toml 有误：第7行：缺少 label"),
        (
            "主题词典 themes.toml 第3行第5列格式错误（TOML）：x",
            3,
            "主题词典 themes.toml 第3行第5列格式错误（TOML）：x",
        ),
    ],
)
def test_theme_problem_names_the_line(message, line, expected_head):
    kept = type("D", (), {"version": "2025.1", "themes": (1, 2)})()
    text = views.theme_problem_zh(_Problem(message, line), kept)
    assert text.startswith(expected_head)
    assert text.endswith("页面继续使用上一次读取成功的词典（版本 2025.1，共 2 个主题）。")
    assert "请改正这个文件" in views.theme_problem_zh(_Problem(message, line), None)


@pytest.mark.parametrize("top, step", [(0, 1), (2, 1), (6, 1), (7, 2), (12, 2), (13, 5), (31, 10), (250, 50)])
def test_count_axis_has_whole_number_ticks(top, step):
    assert theme_charts.count_step(top) == step
