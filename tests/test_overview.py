"""Table tests of the overview computations (pinghu_core.overview.summary) and chart builders."""

from __future__ import annotations

import pandas as pd
import pytest

from pinghu_core.common import chart_base, schemas, wording
from pinghu_core.corpus import copies, ingest
from pinghu_core.overview import charts
from pinghu_core.overview import summary as ov
from pinghu_core.parse import reading


def page_rows(*rows: tuple) -> pd.DataFrame:
    """(source, date or None, date_source, confidence, evidence, n_items) → a conformed PAGES frame."""
    base = dict.fromkeys(schemas.PAGES.names)
    data = []
    for source, date, dsource, conf, evidence, items in rows:
        data.append(
            {
                **base,
                "page_id": source,
                "source": source,
                "date": date,
                "date_source": dsource,
                "date_confidence": conf,
                "date_evidence": evidence,
                "layout": "clean",
                "items": items,
                "raw_chars": 100,
                "coverage": 1.0,
            }
        )
    return schemas.conform(pd.DataFrame(data, columns=schemas.PAGES.names), schemas.PAGES)


def article_rows(*kinds: str) -> pd.DataFrame:
    data = [
        {c: None for c in schemas.ARTICLES.names}
        | {"article_id": f"a-{i:02d}", "kind": k, "date_source": "unknown"}
        for i, k in enumerate(kinds)
    ]
    return schemas.conform(pd.DataFrame(data, columns=schemas.ARTICLES.names), schemas.ARTICLES)


def report_rows(*rows: tuple[str, str]) -> pd.DataFrame:
    data = [
        {
            "source": s,
            "status": st,
            "code": "" if st == "ok" else "x",
            "message": "",
            "encoding": "utf-8",
            "bytes": 10,
            "cached": False,
        }
        for s, st in rows
    ]
    return schemas.conform(pd.DataFrame(data, columns=schemas.INGEST_REPORT.names), schemas.INGEST_REPORT)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-07-22", "2020年7月22日"),
        (pd.Timestamp("2021-12-01"), "2021年12月1日"),
        (pd.NaT, "日期不详"),
        (None, "日期不详"),
    ],
)
def test_format_date_zh(value, expected):
    assert wording.format_date_zh(value) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2020-07-22", "2022-05-06", "2020年7月22日 – 2022年5月6日"),
        ("2020-07-22", "2020-07-22", "2020年7月22日"),
        (None, None, "无可确定日期"),
        (pd.NaT, pd.NaT, "无可确定日期"),
    ],
)
def test_format_date_range_zh(first, last, expected):
    assert wording.format_date_range_zh(first, last) == expected


def test_calendar_marks_missing_day_between_pages():
    pages = page_rows(
        ("a.txt", "2020-07-20", "filename", 1.0, "", 3),
        ("b.txt", "2020-07-22", "filename", 1.0, "", 2),
        ("c.txt", "2020-07-22", "manifest", 1.0, "", 1),
    )
    cal = ov.calendar(pages).set_index("date")
    assert len(cal) == 366  # 2020 is a leap year: the whole year is drawn
    got = cal.loc["2020-07-19":"2020-07-23", ["pages", "status"]]
    assert got["status"].tolist() == [
        ov.DAY_OUTSIDE,
        ov.DAY_PAGE,
        ov.DAY_MISSING,
        ov.DAY_PAGE,
        ov.DAY_OUTSIDE,
    ]
    assert got["pages"].tolist() == [0, 1, 0, 2, 0]
    # grid position: 2020-01-01 is a Wednesday → week column 0, row 2; 2020-01-06 (Monday) starts column 1
    assert cal.loc["2020-01-01", ["week", "weekday"]].tolist() == [0, 2]
    assert cal.loc["2020-01-06", ["week", "weekday"]].tolist() == [1, 0]
    assert cal["week"].max() <= 53


def test_summary_counts_missing_days_and_undated_pages():
    pages = page_rows(
        ("a.txt", "2020-07-20", "filename", 1.0, "", 3),
        ("b.txt", "2020-07-22", "filename", 1.0, "", 2),
        ("c.txt", None, "unknown", 0.0, "", 1),
    )
    s = ov.summarize(pages, article_rows("news", "news", "ad", "other"))
    assert (s.pages, s.items, s.news) == (3, 4, 2)
    assert (s.dated_pages, s.undated_pages, s.low_confidence_pages) == (2, 1, 1)
    assert (s.days_in_range, s.days_with_pages, s.missing_days) == (3, 2, 1)
    assert s.date_range_zh == "2020年7月20日 – 2020年7月22日"


def test_everything_works_when_no_date_is_known():
    pages = page_rows(("a.txt", None, "unknown", 0.0, "", 1), ("b.txt", None, "unknown", 0.0, "", 1))
    view = ov.build_overview(
        pages, article_rows("other", "other"), report_rows(("a.txt", "ok"), ("b.txt", "ok"))
    )
    assert view.calendar.empty and view.years == [] and view.gaps.empty
    assert view.summary.date_range_zh == "无可确定日期"
    assert view.summary.missing_days == 0
    assert len(view.low_confidence) == 2
    assert wording.format_date_zh(view.summary.first_date) == "日期不详"


def test_everything_works_on_an_empty_corpus():
    view = ov.build_overview(schemas.PAGES.empty(), schemas.ARTICLES.empty(), schemas.INGEST_REPORT.empty())
    assert view.summary.pages == 0 and view.summary.items == 0
    assert view.kinds["items"].sum() == 0
    assert view.report_counts == {"ok": 0, "warning": 0, "error": 0}
    charts.kind_bar(view.kinds)  # builds without data


@pytest.mark.parametrize(
    ("date_source", "confidence", "date", "needs_person"),
    [
        ("inferred", 0.3, "2020-07-22", True),
        ("inferred", 0.5, "2020-07-22", True),
        ("inferred", 0.59, "2020-07-22", True),
        ("inferred", 0.6, "2020-07-22", False),  # dates.CONFIRM_BELOW
        ("inferred", 0.9, "2020-07-22", False),
        ("unknown", 0.0, None, True),
        ("filename", 1.0, "2020-07-22", False),
        ("manifest", 1.0, "2020-07-22", False),
    ],
)
def test_low_confidence_filter(date_source, confidence, date, needs_person):
    pages = page_rows(("a.txt", date, date_source, confidence, "正文“7月21日下午”", 1))
    assert ov.is_low_confidence(pages).tolist() == [needs_person]
    assert len(ov.low_confidence_pages(pages)) == int(needs_person)


def test_low_confidence_table_is_for_people():
    pages = page_rows(
        ("sure.txt", "2020-07-22", "filename", 1.0, "文件名", 1),
        ("guess.txt", "2020-07-21", "inferred", 0.4, "正文提到“昨天（7月20日）”", 1),
        ("none.txt", None, "unknown", 0.0, "", 1),
    )
    table = ov.low_confidence_table(pages)
    assert list(table.columns) == ["来源文件", "推断日期", "日期来源", "置信度", "依据"]
    assert table.to_dict("records") == [
        {
            "来源文件": "none.txt",
            "推断日期": "日期不详",
            "日期来源": "无法确定",
            "置信度": 0.0,
            "依据": "（无）",
        },
        {
            "来源文件": "guess.txt",
            "推断日期": "2020年7月21日",
            "日期来源": "正文推断",
            "置信度": 0.4,
            "依据": "正文提到“昨天（7月20日）”",
        },
    ]


def test_kind_counts_lists_every_kind_in_order_with_chinese_labels():
    kinds = ov.kind_counts(article_rows("news", "ad", "news", "photo"))
    assert kinds["kind"].tolist() == list(schemas.KINDS)
    assert kinds.set_index("label")["items"].to_dict() == {
        "新闻": 2,
        "图片新闻": 1,
        "评论": 0,
        "导读": 0,
        "广告": 1,
        "天气": 0,
        "报头": 0,
        "其他": 0,
    }


def test_report_puts_problems_first_and_counts_statuses():
    report = report_rows(("a.txt", "ok"), ("b.txt", "warning"), ("c.txt", "error"), ("d.txt", "ok"))
    table = ov.report_table(report)
    assert table["文件"].tolist() == ["c.txt", "b.txt", "a.txt", "d.txt"]
    assert table["状态"].tolist() == ["错误", "警告", "正常", "正常"]
    assert ov.report_status_counts(report) == {"ok": 2, "warning": 1, "error": 1}


def test_gaps_are_runs_of_missing_days_longest_first():
    pages = page_rows(
        *[
            (f"{d}.txt", d, "filename", 1.0, "", 1)
            for d in ("2021-03-01", "2021-03-03", "2021-03-07", "2021-03-08")
        ]
    )
    table = ov.gaps_table(ov.gaps(ov.calendar(pages)))
    assert table.to_dict("records") == [
        {"开始": "2021年3月4日", "结束": "2021年3月6日", "缺失天数": 3},
        {"开始": "2021年3月2日", "结束": "2021年3月2日", "缺失天数": 1},
    ]


def test_calendar_years_span_the_range():
    pages = page_rows(
        ("a.txt", "2020-12-30", "filename", 1.0, "", 1), ("b.txt", "2022-01-02", "filename", 1.0, "", 1)
    )
    assert ov.calendar_years(ov.calendar(pages)) == [2020, 2021, 2022]  # 2021 is all missing, still shown


def test_kind_bar_figure_counts_and_chinese_titles():
    fig = charts.kind_bar(ov.kind_counts(article_rows("news", "news", "ad")))
    bar = fig.data[0]
    assert list(bar.x)[:5] == ["新闻", "图片新闻", "评论", "导读", "广告"]
    assert list(bar.y)[:5] == [2, 0, 0, 0, 1]
    assert fig.layout.title.text == "条目数（按类型）"
    assert fig.layout.yaxis.title.text.startswith("条目数")
    assert "条目数" in bar.hovertemplate


def test_calendar_figure_draws_missing_days_apart_from_page_days():
    pages = page_rows(
        ("a.txt", "2020-07-20", "filename", 1.0, "", 1), ("b.txt", "2020-07-22", "filename", 1.0, "", 1)
    )
    fig = charts.calendar_heatmap(ov.calendar(pages), [2020])
    heat = {t.name: t for t in fig.data if t.type == "heatmap"}
    page_cells = [
        (r, c) for r, row in enumerate(heat["有版面"].z) for c, v in enumerate(row) if v is not None
    ]
    missing_cells = [
        (r, c) for r, row in enumerate(heat["无版面（缺失）"].z) for c, v in enumerate(row) if v is not None
    ]
    assert len(page_cells) == 2 and len(missing_cells) == 1
    r, c = missing_cells[0]
    assert heat["无版面（缺失）"].text[r][c].startswith("2020年7月21日（周二）")
    r, c = page_cells[0]
    assert "版面数：1" in heat["有版面"].text[r][c]
    assert heat["无版面（缺失）"].colorscale[0][1] != heat["有版面"].colorscale[0][1]


def test_calendar_figure_for_ten_years_has_one_strip_per_year():
    dates = pd.date_range("2011-01-01", "2020-12-31", freq="D")
    pages = page_rows(*[(f"{d:%Y%m%d}.txt", d, "filename", 1.0, "", 1) for d in dates])
    view = ov.build_overview(pages, article_rows("news"), report_rows())
    assert view.years == list(range(2011, 2021))
    fig = charts.calendar_heatmap(view.calendar, view.years[-3:])
    assert sum(1 for t in fig.data if t.type == "heatmap") == 3 * 3
    assert view.summary.missing_days == 0 and view.summary.pages == len(dates)


def test_colour_bars_leave_room_for_their_labels():
    """Issue 12.11: on a two-year corpus the month grid's 0%/50%/100% and its title do not overlap;
    a day grid with many pages a day gets a few round ticks, not one per count."""
    dates = pd.date_range("2020-01-01", "2021-12-31", freq="D")
    rows = [(f"{d:%Y%m%d}-{k:02d}.txt", d, "filename", 1.0, "", 1) for d in dates[:30] for k in range(110)]
    rows += [(f"{d:%Y%m%d}.txt", d, "filename", 1.0, "", 1) for d in dates[30:]]
    view = ov.build_overview(page_rows(*rows), article_rows("news"), report_rows())
    months = charts.month_coverage_heatmap(ov.month_coverage(view.calendar))
    bar = months.data[0].colorbar
    assert bar.title.side == "right" and list(bar.tickvals) == [0, 0.5, 1]
    plot_px = months.layout.height - months.layout.margin.t - months.layout.margin.b
    assert plot_px >= charts.COVERAGE_MIN_PLOT_PX
    days = charts.calendar_heatmap(view.calendar, view.years)
    scale = next(t for t in days.data if t.type == "heatmap" and t.showscale)
    assert scale.zmax >= 110 and scale.colorbar.dtick is None and scale.colorbar.nticks == 5


def test_month_coverage_counts_days_inside_the_range_only():
    pages = page_rows(
        ("a.txt", "2020-01-30", "filename", 1.0, "", 1),
        ("b.txt", "2020-02-01", "filename", 1.0, "", 1),
        ("c.txt", "2020-02-01", "manifest", 1.0, "", 1),
        ("d.txt", "2020-02-03", "filename", 1.0, "", 1),
    )
    months = ov.month_coverage(ov.calendar(pages))
    assert months.drop(columns="share").to_dict("records") == [
        {"year": 2020, "month": 1, "days_with_pages": 1, "missing_days": 1, "days": 2, "pages": 1},
        {"year": 2020, "month": 2, "days_with_pages": 2, "missing_days": 1, "days": 3, "pages": 3},
    ]
    assert months["share"].round(3).tolist() == [0.5, 0.667]
    fig = charts.month_coverage_heatmap(months)
    assert list(fig.data[0].z[0][:3]) == [0.5, 0.6667, None]  # months outside the range are not drawn
    assert "有版面：2 天（共 3 天）" in fig.data[0].customdata[0][1]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["2016-05-01", "2019-05-01", "2020-05-01", "2025-05-01"], [2019, 2020, 2025]),
        (["2020-12-30", "2022-01-02"], [2020, 2022]),  # 2021 has no page: not shown first
        ([], []),
    ],
)
def test_default_years_are_the_last_three_with_pages(dates, expected):
    pages = page_rows(*[(f"{d}.txt", d, "filename", 1.0, "", 1) for d in dates])
    assert ov.default_years(ov.calendar(pages)) == expected


def test_doubtful_items_are_listed_least_certain_first():
    rows = [
        {c: None for c in schemas.ARTICLES.names}
        | {
            "article_id": f"a-{i}",
            "kind": "news",
            "date_source": "unknown",
            "order": i,
            "source": "p.txt",
            "title": t,
            "confidence": c,
            "doubts": d,
        }
        for i, (t, c, d) in enumerate(
            [
                ("稳", 1.0, ""),
                ("", 0.6, "未识别出标题"),
                ("两篇", 0.75, "正文中另有电头或“本报讯”，可能是同一标题下的另一篇报道"),
            ]
        )
    ]
    arts = schemas.conform(pd.DataFrame(rows), schemas.ARTICLES)
    table, n = ov.doubtful_table(arts)
    assert n == 2 and list(table["标题"]) == ["（无标题）", "两篇"]
    assert list(table["解析置信度"]) == [0.6, 0.75] and table["疑点"].iloc[0] == "未识别出标题"
    assert list(table["顺序"]) == [2, 3]


def test_report_codes_are_shown_in_words():
    """Issue 12.9: 读取报告 shows 解析存疑/重复文件, not page_problems/duplicate; every code the
    ingest can write has a label."""
    import re
    from pathlib import Path

    report = pd.DataFrame(
        {
            "source": ["a.txt", "b.txt", "c.txt"],
            "status": ["warning", "warning", "ok"],
            "code": ["page_problems", "duplicate", ""],
            "message": ["", "", ""],
        }
    )
    table = ov.report_table(report)
    assert list(table["代码"]) == ["解析存疑", "重复文件", ""]
    copy_row = {"source": ["d.txt"], "status": ["warning"], "code": [copies.CODE], "message": [""]}
    assert list(ov.report_table(pd.DataFrame(copy_row))["代码"]) == ["重复文章"]
    written = set()  # string constants named in UPPER_CASE at module level: the report codes
    written.add(copies.CODE)
    for module in (ingest, reading):
        for line in Path(module.__file__).read_text(encoding="utf-8").splitlines():
            m = re.match(r"^[A-Z_, ]+ = (.+)$", line)
            if m:
                written |= set(re.findall(r'"([a-z]+(?:_[a-z]+)*)"', m.group(1).split("#")[0]))
    assert {"page_problems", "duplicate", "timeout", "not_regular", "copies"} <= written
    assert written - set(ov.REPORT_CODE_LABELS_ZH) <= {"auto", "page", "article"}, written - set(
        ov.REPORT_CODE_LABELS_ZH
    )


def test_count_axes_read_the_chinese_way_from_ten_thousand():
    """Axis numbers of 10,000 and more are written 1万, 1.5万 … (not 10k, not 10,000); below stay digits."""
    import plotly.graph_objects as go

    from pinghu_core.common import wording
    from pinghu_core.overview import charts

    assert [wording.wan(v) for v in (9999, 10000, 25000, 1.2e5, 3e8)] == [
        "9,999",
        "1万",
        "2.5万",
        "12万",
        "3亿",
    ]
    fig = chart_base.wan_axis(go.Figure(go.Bar(x=["甲"], y=[39401])), "y", 39401)
    axis = fig.to_plotly_json()["layout"]["yaxis"]
    assert axis["ticktext"][:3] == ["0", "1万", "2万"] and axis["tickvals"][-1] >= 39401
    small = (
        chart_base.wan_axis(go.Figure(go.Bar(x=["甲"], y=[9000])), "y", 9000)
        .to_plotly_json()["layout"]
        .get("yaxis", {})
    )
    assert "ticktext" not in small
    kinds = pd.DataFrame({"label": ["新闻", "图片新闻"], "items": [39401, 2000]})
    assert "万" in "".join(charts.kind_bar(kinds).to_plotly_json()["layout"]["yaxis"]["ticktext"])


def test_every_overview_chart_downloads_its_numbers(sample_corpus) -> None:
    """总览's charts download what they draw: kinds, 版次, the month grid and the chosen years' days
    (inside the corpus' range only), Chinese headers."""
    from pinghu_core.corpus import ingest
    from pinghu_core.overview import summary as ov

    corpus = ingest.load_corpus(sample_corpus, cache_dir=None, progress=False)
    data = ov.build_overview(corpus.pages, corpus.articles, corpus.report)
    kinds = ov.chart_table(data, "kinds")
    assert list(kinds.columns) == ["类型", "条目数"] and kinds["条目数"].sum() == len(corpus.articles)
    months = ov.chart_table(data, "months")
    assert months["有版面的天数"].sum() == 5 and list(months.columns)[:3] == ["年", "月", "有版面的天数"]
    days = ov.chart_table(data, "calendar", [2020])
    assert days["日期"].min().isoformat() == "2020-04-21" and set(days["状态"]) == {"有版面", "缺版面"}
    assert (days["状态"] == "有版面").sum() == 3  # the sample's three pages of 2020
    assert ov.chart_table(data, "page_nos").empty  # the sample names no 版次
    with pytest.raises(ValueError, match="未知的图"):
        ov.chart_table(data, "pie")
