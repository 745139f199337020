"""The 项目进度 page's pure pieces: view ↔ URL, the figure table, evidence, and the Plotly figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pinghu_core.common import exports
from pinghu_core.progress import charts as progress_charts
from pinghu_core.progress import view as pv

S000 = "截至6月底，118个项目总体完成进度为58.6%，其中已完成15个。"
S002 = "目前展陈工程施工量已完成约85%，预计今年8月将开馆试运行。"


def progress_frame() -> pd.DataFrame:
    """A few figures shaped like ``Corpus.progress`` (schemas.PROGRESS)."""
    rows = [
        (
            "f1",
            "a1",
            "2020-07-22",
            "118个项目",
            "",
            "completion_pct",
            58.6,
            "%",
            "截至6月底",
            S000,
            "58.6%",
            "",
            "",
            "",
            None,
        ),
        (
            "f2",
            "a1",
            "2020-07-22",
            "118个项目",
            "",
            "count_done",
            15.0,
            "个",
            "截至6月底",
            S000,
            "15个",
            "",
            "",
            "",
            None,
        ),
        (
            "f3",
            "a2",
            "2021-05-10",
            "平湖市博物馆新馆",
            "museum-new",
            "completion_pct",
            60.0,
            "%",
            "",
            S002,
            "约85%",
            "",
            "",
            "",
            None,
        ),
        (
            "f4",
            "a3",
            "2022-03-01",
            "平湖市博物馆新馆",
            "museum-new",
            "completion_pct",
            85.0,
            "%",
            "",
            S002,
            "85%",
            "",
            "",
            "",
            None,
        ),
        (
            "f5",
            "a3",
            "2022-03-01",
            "平湖市博物馆新馆",
            "museum-new",
            "milestone",
            None,
            "",
            "",
            S002,
            "今年8月将开馆",
            "开馆",
            "planned",
            "今年8月",
            "2022-08-01",
        ),
        (
            "f6",
            "a2",
            "2021-05-10",
            "平湖市博物馆新馆",
            "museum-new",
            "milestone",
            None,
            "",
            "",
            "=主体结构已经封顶",
            "主体结构已经封顶",
            "主体结构封顶",
            "done",
            "",
            None,
        ),
    ]
    cols = [
        "figure_id",
        "article_id",
        "date",
        "subject",
        "project_id",
        "metric",
        "value",
        "unit",
        "period",
        "sentence",
        "needle",
        "event",
        "status",
        "when",
        "when_date",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df["value_start"] = [s.find(n) for s, n in zip(df["sentence"], df["needle"], strict=True)]
    df["value_end"] = df["value_start"] + df["needle"].str.len()
    df = df.drop(columns="needle")
    df["date"] = pd.to_datetime(df["date"])
    df["when_date"] = pd.to_datetime(df["when_date"])
    df["value"] = df["value"].astype("float64")
    df["source"] = "x.txt"
    df["page_id"] = "p"
    df["scope"] = ""
    return df


def test_metric_labels_say_the_unit():
    assert pv.metric_label("completion_pct") == "完成进度（%）"
    assert pv.metric_label("investment_completed", "亿元") == "已完成投资（亿元）"
    assert pv.metric_label("count_done") == "已完成项目数（个）"


def test_view_round_trips_through_the_url_and_drops_unknown_names():
    first, last = dt.date(2020, 7, 22), dt.date(2022, 3, 1)
    kw = {
        "projects": ["museum-new"],
        "metrics": ["completion_pct"],
        "subjects": ["118个项目"],
        "first": first,
        "last": last,
    }
    params = {
        "project": "museum-new",
        "metric": "completion_pct",
        "subject": "118个项目",
        "start": "2019-01-01",
        "end": "2021-12-31",
        "figure": "f3",
    }
    view = pv.parse_view(params, **kw)
    assert view == pv.ProgressView(
        "museum-new", "completion_pct", "118个项目", first, dt.date(2021, 12, 31), "f3"
    )
    assert pv.parse_view(pv.view_params(view), **kw) == view
    bad = pv.parse_view({"project": "nope", "metric": "x", "subject": "y", "start": "bad"}, **kw)
    assert (bad.project, bad.metric, bad.subject, bad.start, bad.end) == ("", "", "", first, last)


def test_filter_and_table_mark_the_value_in_its_sentence():
    df = progress_frame()
    view = pv.ProgressView(metric="completion_pct", start=dt.date(2021, 1, 1), end=dt.date(2022, 12, 31))
    rows = pv.filter_figures(df, view)
    assert rows["figure_id"].tolist() == ["f4", "f3"]  # newest first, 2020 left out
    table = pv.figure_table(rows, {"museum-new": "平湖市博物馆新馆"})
    assert table["日期"].tolist() == [
        dt.date(2022, 3, 1),
        dt.date(2021, 5, 10),
    ]  # real dates: sort, export as dates
    assert table["指标"].tolist() == ["完成进度", "完成进度"] and table["单位"].tolist() == ["%", "%"]
    assert "施工量已完成约【85%】，" in table["句子（数值以【】标出）"].iloc[0]
    assert table["项目"].iloc[0] == "平湖市博物馆新馆"


def test_figure_positions_are_the_rows_of_filter_figures():
    """The page takes a view's rows as positions in one per-corpus order (no copy, no sort per view)."""
    df = progress_frame()
    df = pd.concat([df, df.iloc[::-1]], ignore_index=True)  # ties on date and figure_id keep their order
    order = pv.newest_first(df)
    views = [
        pv.ProgressView(),
        pv.ProgressView(metric="completion_pct"),
        pv.ProgressView(metric="milestone", start=dt.date(2021, 1, 1)),
        pv.ProgressView(subject="118个项目", end=dt.date(2021, 12, 31)),
        pv.ProgressView(metric="nope"),
    ]
    for view in views:
        expected = pv.filter_figures(df, view)
        got = df.iloc[pv.figure_positions(df, view, order)]
        assert got.index.tolist() == expected.index.tolist(), view


def test_table_exports_never_carry_a_formula():
    table = pv.figure_table(progress_frame())
    assert exports.csv_bytes(table).decode("utf-8-sig").count("'=【主体结构") == 1


def test_evidence_and_choices():
    df = progress_frame()
    ev = pv.evidence(df, "f5")
    assert ev["marked"] == "目前展陈工程施工量已完成约85%，预计【今年8月将开馆】试运行。"
    assert ev["label"] == "2022年3月1日 · 平湖市博物馆新馆 · 开馆（计划中）"
    assert pv.evidence(df, "missing") is None
    choices = pv.figure_choices(df[df["figure_id"] == "f1"], df)
    assert list(choices)[0] == "f1" and len(choices) == 6
    assert choices["f1"] == "2020年7月22日 · 118个项目 · 完成进度 58.6%"
    assert pv.figure_from_points([{"customdata": "f4"}]) == "f4"
    assert pv.figure_from_points([{"x": 1}]) is None


def test_table_sentences_mark_the_value_with_its_unit():
    rows = pd.DataFrame({"sentence": ["完成约85%，预计", "abc"], "value_start": [3, 2], "value_end": [5, 9]})
    assert pv.marked_sentences(rows) == ["完成约【85%】，预计", "abc"]


def test_options():
    df = progress_frame()
    assert pv.subject_options(df) == ["平湖市博物馆新馆", "118个项目"]
    assert pv.metric_options(df) == ["completion_pct", "count_done", "milestone"]
    assert pv.project_options(df, {"museum-new": "博物馆新馆"}) == {"museum-new": "博物馆新馆（4 条）"}


def test_completion_bar_labels_each_bar_with_period_and_date():
    latest = progress_frame().iloc[[0, 3]]
    fig = progress_charts.completion_bar(latest, ["118个项目", "平湖市博物馆新馆"]).to_plotly_json()
    bar = fig["data"][0]
    assert list(bar["x"]) == [58.6, 85.0] and list(bar["customdata"]) == ["f1", "f4"]
    assert bar["text"][0] == "58.6%（截至6月底 · 2020年7月22日见报）"
    assert bar["text"][1] == "85%（2022年3月1日见报）"
    assert "【58.6%】" in bar["hovertext"][0]
    assert "完成进度（%）" in fig["layout"]["xaxis"]["title"]["text"]


def test_trajectory_draws_done_and_planned_milestones_differently():
    df = progress_frame()
    traj = df[df["project_id"] == "museum-new"]
    fig = progress_charts.trajectory_chart(traj, "平湖市博物馆新馆", "completion_pct", "%").to_plotly_json()
    by_name = {d["name"]: d for d in fig["data"]}
    line = by_name["完成进度（%）"]
    assert list(line["x"]) == ["2021-05-10", "2022-03-01"] and list(line["customdata"]) == ["f3", "f4"]
    done, planned = by_name["已完成的节点"], by_name["计划中的节点（空心）"]
    assert done["marker"]["symbol"] == "diamond" and planned["marker"]["symbol"] == "diamond-open"
    assert list(planned["x"]) == ["2022-08-01"]  # a planned milestone sits at its planned date
    assert list(done["x"]) == ["2021-05-10"]  # no date of its own: the page date
    assert fig["layout"]["yaxis"]["title"]["text"] == "完成进度（%）"


def test_investment_chart_shows_both_and_the_share():
    pairs = pd.DataFrame(
        {
            "subject": ["百年百项"],
            "project_id": [""],
            "date": pd.to_datetime(["2020-07-22"]),
            "period": ["1至6月份"],
            "planned": [3.34],
            "completed": [3.74],
            "unit": ["亿元"],
        }
    )
    fig = progress_charts.investment_chart(pairs, ["百年百项（1至6月份）"]).to_plotly_json()
    assert [d["name"] for d in fig["data"]] == ["计划投资", "已完成投资"]
    assert fig["data"][1]["text"][0] == "3.74亿元（完成计划的112.0%）"
    assert fig["layout"]["xaxis"]["title"]["text"] == "投资（亿元）"


def test_latest_rows_get_their_figure_ids_back():
    df = progress_frame()
    latest = df.iloc[[3, 0]][["subject", "project_id", "value", "period", "date", "article_id", "sentence"]]
    out = pv.with_evidence(latest.reset_index(drop=True), df)
    assert out["figure_id"].tolist() == ["f4", "f1"]
    assert pv.marked_sentences(out)[1].count("【58.6%】") == 1


def test_a_long_trajectory_is_markers_only_and_its_axis_holds_every_value():
    df = progress_frame()
    many = pd.concat([df[df["figure_id"] == "f4"]] * 40, ignore_index=True)
    many["figure_id"] = [f"g{i}" for i in range(40)]
    many["date"] = pd.date_range("2020-01-01", periods=40, freq="MS")
    many.loc[5, "value"] = 206.7  # over 100%: completion of a yearly target
    fig = progress_charts.trajectory_chart(many, "x", "completion_pct", "%").to_plotly_json()
    line = fig["data"][0]
    assert line["mode"] == "markers" and len(line["x"]) == 40
    assert fig["layout"]["yaxis"]["range"][1] >= 206.7
    assert fig["layout"]["xaxis"]["tickformat"] == "%Y年%-m月"


def test_investment_in_other_currencies_never_shares_the_axis():
    pairs = pd.DataFrame(
        {
            "subject": ["甲", "乙", "丙"],
            "project_id": ["", "", ""],
            "date": pd.to_datetime(["2020-07-22", "2020-08-01", "2020-09-01"]),
            "period": ["", "", ""],
            "planned": [3.0, 1.0, 2.0],
            "completed": [2.0, 0.5, 1.0],
            "unit": ["亿元", "亿美元", "亿元"],
        }
    )
    shown = pv.investment_shown(pairs)
    assert shown["subject"].tolist() == ["丙", "甲"] and pv.other_unit_rows(pairs) == 1
    assert pv.investment_unit(pairs[pairs["unit"] == "亿美元"]) == "亿美元"
    table = pv.investment_table(shown)
    assert table["完成计划的比例（%）"].tolist() == [50.0, 66.7]


# ---------------------------------------------------------------- the charts on real shapes of data


def one_project(rows: list[tuple]) -> pd.DataFrame:
    """A project's figures: (figure_id, date, metric, value, event, status, when_date)."""
    df = progress_frame().head(0)
    base = progress_frame().iloc[3].to_dict()
    out = [
        {
            **base,
            "figure_id": f,
            "date": pd.Timestamp(d),
            "metric": m,
            "value": v,
            "event": e,
            "status": st,
            "when_date": pd.Timestamp(w) if w else pd.NaT,
        }
        for f, d, m, v, e, st, w in rows
    ]
    return pd.concat([df, pd.DataFrame(out)], ignore_index=True)


def test_figures_of_one_day_are_not_joined_and_not_labelled_on_top_of_each_other():
    traj = one_project(
        [
            ("a", "2020-07-22", "completion_pct", 81.3, "", "", None),
            ("b", "2020-07-22", "completion_pct", 86.4, "", "", None),
            ("c", "2020-07-22", "completion_pct", 76.9, "", "", None),
        ]
    )
    fig = progress_charts.trajectory_chart(traj, "省重点", "completion_pct", "%").to_plotly_json()
    points = fig["data"][0]
    assert "lines" not in points["mode"] and list(points["text"]) == ["", "", ""]
    # one date: the axis is padded to show its month ticks instead of collapsing to a point
    assert fig["layout"]["xaxis"]["range"] == ["2020-06-07", "2020-09-05"]
    assert "同一天见报的几个数值不连线" in pv.trajectory_caption(traj, "completion_pct", "%")
    # different days keep their line and labels
    traj.loc[1, "date"] = pd.Timestamp("2021-07-22")
    traj.loc[2, "date"] = pd.Timestamp("2022-07-22")
    fig = progress_charts.trajectory_chart(traj, "省重点", "completion_pct", "%").to_plotly_json()
    assert "lines" in fig["data"][0]["mode"] and "" not in list(fig["data"][0]["text"])
    assert "range" not in fig["layout"]["xaxis"] or fig["layout"]["xaxis"]["range"] is None


def test_a_project_with_one_kind_of_data_gets_one_panel_and_a_caption_about_what_is_drawn():
    one_point = one_project([("a", "2020-07-22", "share_pct", 10.3, "", "", None)])
    fig = progress_charts.trajectory_chart(
        one_point, "功能性差别化纤维一体化项目", "share_pct", "%"
    ).to_plotly_json()
    assert "yaxis2" not in fig["layout"] and len(fig["data"]) == 1 and list(fig["data"][0]["y"]) == [10.3]
    assert fig["layout"]["xaxis"]["range"] is not None  # one date: padded, so the point is on a real axis
    caption = pv.trajectory_caption(one_point, "share_pct", "%")
    assert "菱形" not in caption and "占比（%）" in caption
    miles = one_project(
        [
            ("m1", "2020-02-03", "milestone", float("nan"), "投入使用", "done", None),
            ("m2", "2020-02-05", "milestone", float("nan"), "投入使用", "done", None),
        ]
    )
    fig = progress_charts.trajectory_chart(miles, "武汉火神山医院", "", "").to_plotly_json()
    assert "yaxis2" not in fig["layout"] and fig["layout"]["yaxis"]["title"]["text"] == "节点"
    assert fig["layout"]["height"] <= 320  # no empty panel above the milestones
    caption = pv.trajectory_caption(miles, "", "")
    assert "实心绿色菱形" in caption and "空心" not in caption


def test_every_completion_bar_label_fits_beside_its_bar():
    texts = ["106.6%（1—9月 · 2019年10月25日见报）", "58.6%（截至6月底 · 2020年7月22日见报）"]
    values = [106.6, 58.6]
    top = progress_charts.bar_axis_top(values, texts)
    width = progress_charts.LABEL_PLOT_PX
    for v, t in zip(values, texts, strict=True):
        assert v / top * width + progress_charts.label_px(t) <= width + 1
    assert progress_charts.bar_axis_top([50.0], ["50%"]) == 105.0  # short labels: just past 100%


def test_only_the_open_figure_is_highlighted():
    latest = progress_frame().iloc[[0, 3]]
    bar = progress_charts.completion_bar(latest, ["118个项目", "博物馆"], selected="f4").to_plotly_json()[
        "data"
    ][0]
    assert list(bar["selectedpoints"]) == [1]
    bar = progress_charts.completion_bar(latest, ["118个项目", "博物馆"], selected="").to_plotly_json()[
        "data"
    ][0]
    assert bar.get("selectedpoints") is None


def test_a_short_trajectory_has_one_tick_per_month():
    traj = one_project([("a", "2020-07-22", "completion_pct", 81.3, "", "", None)])
    assert (
        progress_charts.trajectory_chart(traj, "x", "completion_pct", "%").to_plotly_json()["layout"][
            "xaxis"
        ]["dtick"]
        == "M1"
    )


def test_a_very_long_trajectory_draws_an_even_sample_and_says_so():
    """Issue 14: a project with more figures of a metric than TRAJECTORY_POINTS_MAX draws a sample
    taken evenly in date order, the first and the last included (drawing 1,715 points cost the
    browser three times the CPU of 300); its milestones all stay, the caption says so."""
    rows = [
        (f"v{i}", f"{2000 + i // 12}-{i % 12 + 1:02d}-01", "completion_pct", float(i % 100), "", "", None)
        for i in range(13)
    ]
    rows += [("m1", "2000-03-01", "milestone", None, "开工", "done", None)]
    traj = one_project(rows).sample(frac=1, random_state=0)  # any row order
    shown = pv.trajectory_shown(traj, "completion_pct", limit=5)
    values = shown[shown["metric"] == "completion_pct"]
    assert sorted(values["figure_id"], key=lambda f: int(f[1:])) == ["v0", "v3", "v6", "v9", "v12"]
    assert "m1" in set(shown["figure_id"])  # milestones are kept
    assert pv.trajectory_shown(traj, "completion_pct") is traj  # under the cap: drawn whole
    assert "均匀抽取" not in pv.trajectory_caption(traj, "completion_pct", "%")
    many = one_project(
        [
            (f"w{i}", "2020-01-01", "completion_pct", 50.0, "", "", None)
            for i in range(pv.TRAJECTORY_POINTS_MAX + 1)
        ]
    )
    caption = pv.trajectory_caption(many, "completion_pct", "%")
    cap = pv.TRAJECTORY_POINTS_MAX
    assert f"均匀抽取 {cap:,} 个（共 {cap + 1:,} 个，含最早和最近的；" in caption
    assert "下载的轨迹数据包含全部" in caption
    assert len(pv.trajectory_shown(many, "completion_pct")) == cap
