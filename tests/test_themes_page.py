"""AppTest tests of the 政策主题 page on the sample corpus: filters, drill-down, the URL, a broken themes file."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from urllib.parse import parse_qs

import pytest
from conftest import ROOT, open_app_page, plotly_spec, shown
from streamlit.testing.v1 import AppTest

from pinghu_app import themes as app_themes
from pinghu_app.state import Keys
from pinghu_core.events import model as ev
from pinghu_core.events import overlay as event_overlay
from pinghu_core.themes import charts as theme_charts
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes import timeline as tl

PAGE = "pages/themes.py"


def open_page(params: dict[str, str] | None = None) -> AppTest:
    return open_app_page(PAGE, params)


def timeline_figure(at: AppTest) -> dict:
    specs = [plotly_spec(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if any(d.get("connectgaps") is False for d in s["data"]))


def url(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def series_names(at: AppTest) -> list[str]:
    """The timeline's series (not the no-pages band nor the events' markers)."""
    return [
        d["name"]
        for d in timeline_figure(at)["data"]
        if d["name"] != theme_charts.NO_PAGES_LABEL and d.get("yaxis") != event_overlay.EVENT_AXIS
    ]


@pytest.fixture
def env(corpus_env, monkeypatch, tmp_path):
    """The sample corpus and a writable copy of data/themes.toml."""
    path = tmp_path / "themes.toml"
    shutil.copyfile(themes.DEFAULT_THEMES_PATH, path)
    monkeypatch.setenv(themes.THEMES_ENV, str(path))
    return path


def test_default_view_draws_three_themes_with_chinese_axes(env):
    at = open_page()
    assert [t.value for t in at.title] == ["政策主题"]
    d = themes.load_themes(env)
    assert at.multiselect(key=Keys.THEMES_SELECTED).value == [t.id for t in d.themes[:3]]
    fig = timeline_figure(at)
    assert series_names(at) == [t.label for t in d.themes[:3]]
    assert fig["layout"]["title"]["text"] == tl.axis_label("share_news", "month")
    assert fig["layout"]["yaxis"]["title"]["text"] == theme_charts.short_axis_title("share_news", "month")
    assert url(at)["granularity"] == "month"  # the view is in the URL from the start


def test_select_themes_and_switch_granularity_and_measure(env):
    at = open_page()
    at.multiselect(key=Keys.THEMES_SELECTED).set_value(["epidemic", "common-prosperity"]).run()
    assert not at.exception
    assert series_names(at) == ["疫情防控", "共同富裕"]
    at.radio(key=Keys.THEMES_GRANULARITY).set_value("year").run()
    at.radio(key=Keys.THEMES_MEASURE).set_value("count").run()
    assert not at.exception
    fig = timeline_figure(at)
    xs = fig["data"][0]["x"]
    assert xs[0] == "2020-01-01" and all(x.endswith("-01-01") for x in xs)
    assert fig["layout"]["yaxis"]["title"]["text"] == "每年提及的文章数（篇）"
    ys = [y for y in fig["data"][0]["y"] if y is not None]
    assert all(float(y).is_integer() for y in ys)
    params = url(at)
    assert (params["themes"], params["granularity"], params["measure"]) == (
        "epidemic,common-prosperity",
        "year",
        "count",
    )


def test_years_without_pages_are_gaps(env):
    at = open_page({"granularity": "year", "measure": "count"})
    fig = timeline_figure(at)
    years = dict(zip(fig["data"][0]["x"], fig["data"][0]["y"], strict=True))
    assert years["2021-01-01"] is None and years["2023-01-01"] is None  # no page those years: not 0
    assert years["2020-01-01"] is not None
    assert fig["layout"]["shapes"], "no-page years are shaded"


def test_drill_down_through_the_period_select_box(env):
    at = open_page({"themes": "major-projects,minsheng"})
    box = at.selectbox(key=Keys.THEMES_PERIOD)
    assert box.value is None and "2020年7月" in box.options
    box.set_value("2020-07-01").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "上下文" in d.value.columns)
    assert len(table) >= 1 and set(table["日期"]) == {"2020年7月22日"}
    assert table["上下文"].str.contains("【").all()  # every row shows its keywords in context
    assert table["全文"].str.startswith("?themes=major-projects").all()
    assert url(at)["period"] == "2020-07-01"
    article = at.selectbox(key=Keys.THEMES_ARTICLE)
    assert article.value is None
    article_id = parse_qs(table["全文"].iloc[0].lstrip("?"))["article"][0]
    article.set_value(article_id).run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert any("2020年7月22日" in t for t in texts) and max(len(t) for t in texts) > 200  # the body, as text
    assert url(at)["article"] == article_id


def test_a_capped_drill_down_says_so_and_offers_every_article(env, monkeypatch):
    """Issue 12.2: the list of a period's articles is cut at DRILL_LIMIT; the caption says
    “显示前 N 篇，共 M 篇” (M = the point's count) and the download has all M."""
    from pinghu_core.themes import view as views

    monkeypatch.setattr(views, "DRILL_LIMIT", 1)
    at = open_page(
        {
            "themes": "major-projects,minsheng",
            "granularity": "year",
            "measure": "count",
            "period": "2020-01-01",
        }
    )
    fig = timeline_figure(at)
    point = sum(y or 0 for t in fig["data"] for x, y in zip(t["x"], t["y"], strict=True) if x == "2020-01-01")
    table = next(d.value for d in at.dataframe if "上下文" in d.value.columns)
    assert len(table) == 1
    captions = " ".join(c.value for c in at.caption)
    total = int(re.search(r"([\d,]+) 篇文章命中", captions).group(1).replace(",", ""))
    assert total >= 2 and total <= point
    assert f"显示前 1 篇，共 {total:,} 篇" in captions
    labels = [b.proto.label for b in at.get("download_button")]
    assert f"下载这 {total:,} 篇文章（CSV）" in labels, "the full list is offered as a download"


def test_a_shared_link_restores_the_view(env):
    params = {
        "themes": "major-projects,nope",
        "slogans": "十三五",
        "granularity": "quarter",
        "measure": "share_chars",
        "start": "2020-01-01",
        "end": "2022-12-31",
        "period": "2020-07-01",
    }
    at = open_page(params)
    assert at.multiselect(key=Keys.THEMES_SELECTED).value == ["major-projects"]  # unknown theme dropped
    assert at.multiselect(key=Keys.THEMES_SLOGANS).value == ["十三五"]
    assert at.radio(key=Keys.THEMES_GRANULARITY).value == "quarter"
    assert at.radio(key=Keys.THEMES_MEASURE).value == "share_chars"
    assert series_names(at) == ["重大项目与有效投资", "“十三五”"]  # a slogan drawn like a theme
    assert at.selectbox(key=Keys.THEMES_PERIOD).value == "2020-07-01"
    assert any("上下文" in d.value.columns for d in at.dataframe)
    fig = timeline_figure(at)
    assert fig["data"][0]["x"][0] == "2020-04-01" and fig["data"][0]["x"][-1] == "2022-04-01"
    assert url(at) == {**params, "themes": "major-projects", "start": "2020-04-21"}  # clamped to the corpus


def test_no_theme_selected_explains(env):
    at = open_page({"themes": ""})
    assert any("请在上方选择至少一个主题或口号" in i.value for i in at.info)


def test_malformed_themes_file_keeps_the_last_good_dictionary(env):
    at = open_page()
    good = themes.load_themes(env)
    text = env.read_text(encoding="utf-8").splitlines()
    line = next(i for i, s in enumerate(text) if s.startswith("label")) + 1
    text[line - 1] = 'label = "没有结束的引号'
    env.write_text("\n".join(text) + "\n", encoding="utf-8")
    at = open_page()  # a new session: same caches, a new stat of the file
    assert len(at.error) == 1
    message = shown(at.error[0].value)
    assert f"第{line}行" in message and "themes.toml" in message and "上一次读取成功的词典" in message
    assert series_names(at) == [t.label for t in good.themes[:3]]  # still drawn with the last good one


def test_themes_file_never_good_is_explained(corpus_env, monkeypatch, tmp_path):
    bad = tmp_path / "broken-themes.toml"
    bad.write_text('version = "1"\n[[theme]]\nid = "x"\n', encoding="utf-8")
    monkeypatch.setenv(themes.THEMES_ENV, str(bad))
    at = open_page()
    assert len(at.error) == 1 and "第2行" in at.error[0].value and "请改正这个文件" in at.error[0].value
    assert not at.get("plotly_chart")


def test_tabs_cooccurrence_slogans_and_segmentation_check(env):
    at = open_page()
    heat = [plotly_spec(c.proto.spec) for c in at.get("plotly_chart")][-1]
    labels = heat["data"][0]["x"]
    assert heat["data"][0]["type"] == "heatmap" and labels == heat["data"][0]["y"] and len(labels) >= 2
    assert heat["layout"]["title"]["text"].startswith("主题共现")
    assert not any("口号" in d.value.columns for d in at.dataframe)  # drawn only when its tab opens
    at.session_state[Keys.THEMES_TABS] = "口号"
    at.run()
    slogans = next(d.value for d in at.dataframe if "口号" in d.value.columns)
    first_seen = slogans[
        "首次出现"
    ].tolist()  # real dates (sort as dates, export as dates), not 2020年7月22日
    assert first_seen and all(isinstance(d, dt.date) for d in first_seen), first_seen[:3]
    assert all(
        s.startswith("data:image/svg+xml;base64,") for s in slogans["每月文章数"]
    )  # sparklines with gaps
    assert not any("需检查" in d.value.columns for d in at.dataframe)  # computed only when its tab opens
    at.session_state[Keys.THEMES_TABS] = "分词检查"
    at.run()
    assert not at.exception
    report = next(d.value for d in at.dataframe if "需检查" in d.value.columns)
    flags = report["需检查"].tolist()
    assert flags == sorted(flags, key=lambda f: f == "否")  # flagged keywords first
    assert len(report) == sum(len(t.terms) for t in themes.load_themes(env).themes)


def test_time_and_number_axes_read_in_chinese(env):
    """Issue 12.9: the timeline's ticks read 2020年7月 (not Jul 2020) at every zoom, numbers are
    written in full (no 10k)."""
    fig = timeline_figure(open_page({"themes": "major-projects", "granularity": "month"}))
    stops = {tuple(s["dtickrange"]): s["value"] for s in fig["layout"]["xaxis"]["tickformatstops"]}
    assert (
        stops[("M12", None)] == "%Y年"
        and "%Y年%-m月" in stops.values()
        and "%Y年%-m月%-d日" in stops.values()
    )
    assert fig["layout"]["xaxis"]["hoverformat"] == "%Y年%-m月%-d日"
    assert fig["layout"]["yaxis"]["exponentformat"] == "none"


# ---------------------------------------------------------------- events on the timeline


@pytest.fixture
def events_file(env, monkeypatch, tmp_path):
    """A writable copy of data/events.toml named by PINGHU_EVENTS_FILE."""
    path = tmp_path / "events.toml"
    shutil.copyfile(ROOT / "data" / "events.toml", path)
    monkeypatch.setenv("PINGHU_EVENTS_FILE", str(path))
    return path


def event_shapes(at: AppTest) -> list[dict]:
    return [s for s in timeline_figure(at)["layout"].get("shapes", []) if s.get("yref") == "paper"]


def test_events_are_drawn_by_category_and_the_choice_is_in_the_url(events_file):
    events = ev.load_events(events_file)
    at = open_page({"granularity": "year"})
    assert at.multiselect(key=Keys.THEMES_HIDE_EVENTS).value == []  # every category at first
    shown = events.chosen(None, dt.date(2020, 4, 21), dt.date(2025, 8, 17))  # the corpus' days
    assert 0 < len(shown) and len(event_shapes(at)) == len(shown)
    markers = [d for d in timeline_figure(at)["data"] if d.get("yaxis") == event_overlay.EVENT_AXIS]
    assert sorted(m["name"] for m in markers) == sorted({f"事件：{e.category}" for e in shown})
    assert "竖虚线与浅色带" in " ".join(c.value for c in at.caption)
    assert "hide_events" not in url(at)
    others = [c for c in events.categories() if c != "荣誉"]
    at.multiselect(key=Keys.THEMES_HIDE_EVENTS).set_value(others).run()
    assert [s["x0"] for s in event_shapes(at)] == ["2020-11-09"]
    assert url(at)["hide_events"] == ",".join(others)
    at.multiselect(key=Keys.THEMES_HIDE_EVENTS).set_value(events.categories()).run()
    assert event_shapes(at) == []
    assert "事件均未显示" in " ".join(c.value for c in at.caption)
    again = open_page({"hide_events": "荣誉,专项行动", "granularity": "year"})  # a shared link keeps it
    assert {s["x0"] for s in event_shapes(again)} == {"2020-07-21", "2022-05-27"}


def test_a_date_range_keeps_the_events_inside_it(events_file):
    at = open_page({"start": "2025-01-01", "end": "2025-12-31", "granularity": "month"})
    assert [s["x0"] for s in event_shapes(at)] == ["2025-08-15"]


def test_a_malformed_events_file_is_explained_and_the_last_good_list_kept(events_file):
    at = open_page()
    drawn = len(event_shapes(at))
    assert drawn >= 2
    time.sleep(0.01)
    events_file.write_text(
        events_file.read_text(encoding="utf-8") + "\n[[event]]\ndate = 2021-01-01\n", encoding="utf-8"
    )
    at.run()
    warning = " ".join(w.value for w in at.warning)
    assert "须有 label" in warning and "沿用上一次可用的事件列表" in warning and not at.exception
    assert len(event_shapes(at)) == drawn


def test_no_events_file_means_no_events_and_no_box(env, monkeypatch, tmp_path):
    monkeypatch.setenv("PINGHU_EVENTS_FILE", str(tmp_path / "none.toml"))
    at = open_page()
    assert not at.exception and event_shapes(at) == []
    assert Keys.THEMES_HIDE_EVENTS not in [m.key for m in at.multiselect]


# ---------------------------------------------------------------- 上升与下降


def test_trends_compare_two_periods_and_list_a_series_articles_in_both(env):
    params = {"trends": "1", "t_start": "2025-01-01", "t_end": "2025-08-17", "v_start": "2020-01-01",
              "v_end": "2020-12-31"}  # fmt: skip
    at = open_page(params)
    assert not at.exception
    assert at.toggle(key=Keys.THEMES_TRENDS).value is True
    up = next(
        d.value
        for d in at.dataframe
        if "关注期占比(%)" in d.value.columns and "新出现" in set(d.value["标记"])
    )
    row = up[up["序列"] == "共同富裕"].iloc[0]
    assert (row["对照期篇数"], row["关注期篇数"], row["标记"]) == (0, 2, "新出现")
    down = next(
        d.value for d in at.dataframe if "关注期占比(%)" in d.value.columns and "消失" in set(d.value["标记"])
    )
    assert (down["变化(百分点)"] < 0).all() and list(down["变化(百分点)"]) == sorted(down["变化(百分点)"])
    caption = " ".join(c.value for c in at.caption)
    assert "关注时期 2025年1月1日—2025年8月17日" in caption and "G² ≥ 3.84" in caption
    shown = url(at)
    assert (shown["t_start"], shown["v_start"], shown["v_end"]) == ("2025-01-01", "2020-04-21", "2020-12-31")
    # a row ticked (row_picker puts its series here): its articles in both periods
    at.session_state[Keys.THEMES_TREND_SERIES] = "common-prosperity"
    at.run()
    assert not at.exception
    texts = " ".join(c.value for c in at.caption)
    assert "：0 篇" in texts and "：2 篇" in texts
    lists = [d.value for d in at.dataframe if "上下文" in d.value.columns]
    assert any(len(t) == 2 and t["上下文"].str.contains("【").all() for t in lists)


def test_trends_closed_leave_no_periods_in_the_url(env):
    at = open_page()
    assert at.toggle(key=Keys.THEMES_TRENDS).value is False
    assert not {"trends", "t_start", "v_start"} & set(url(at))
    at.toggle(key=Keys.THEMES_TRENDS).set_value(True).run()
    assert not at.exception and {"t_start", "t_end", "v_start", "v_end"} <= set(url(at))


# ---------------------------------------------------------------- 文章检索 queries as series


def test_a_query_is_a_series_next_to_themes_in_the_url_and_drills_down(env):
    at = open_page({"themes": "civilized-city", "queries": "文明城市", "granularity": "year"})
    assert at.multiselect(key=Keys.THEMES_QUERIES).value == ["文明城市"]
    assert series_names(at) == ["全国文明城市创建", "检索：文明城市"]
    fig = timeline_figure(at)
    query = next(d for d in fig["data"] if d["name"] == "检索：文明城市")
    assert max(v for v in query["y"] if v is not None) > 0
    assert url(at)["queries"] == "文明城市"
    at.selectbox(key=Keys.THEMES_PERIOD).set_value("2020-01-01").run()
    table = next(d.value for d in at.dataframe if "上下文" in d.value.columns)
    assert (
        "检索：文明城市" in " ".join(table["主题/口号"])
        and table["上下文"].str.contains("【文明城市】").any()
    )


def test_a_query_that_cannot_be_a_series_is_explained_and_left_out(env):
    at = open_page({"themes": "civilized-city", "queries": "-疫情"})
    assert not at.exception
    assert any("不能作为序列" in w.value for w in at.warning)
    assert series_names(at) == ["全国文明城市创建"]


def test_at_most_eight_series(env):
    queries = ",".join(f"项目{i}" for i in range(10))
    at = open_page({"themes": "civilized-city", "queries": queries})
    assert any("最多 8 个序列" in w.value for w in at.warning)
    assert len(series_names(at)) == 8


def test_scope_and_weighted_measure(env):
    """Issue 15.3: 仅头条 counts the 头条 only — numerator and denominator — and 按显著度加权 weighs
    articles by where they stood; both are in the URL, the axis, the hover and the caption."""
    everything = open_page({"themes": "major-projects", "granularity": "year", "measure": "count"})
    all_counts = [p for p in timeline_figure(everything)["data"][0]["y"] if p is not None]
    at = open_page({"themes": "major-projects", "granularity": "year", "measure": "count", "scope": "lead"})
    assert not at.exception
    assert at.radio(key=Keys.THEMES_SCOPE).value == "lead"
    fig = timeline_figure(at)
    leads = [p for p in fig["data"][0]["y"] if p is not None]
    assert sum(leads) < sum(all_counts) and sum(leads) >= 1  # the sample's 重点项目 lead of 2020-07-22
    assert "头条" in fig["layout"]["yaxis"]["title"]["text"]
    assert any("篇头条提及" in t for t in fig["data"][0]["text"] if t)
    assert any("只统计头条" in c.value for c in at.caption)
    assert url(at)["scope"] == "lead"

    at.radio(key=Keys.THEMES_SCOPE).set_value("all").run()
    at.radio(key=Keys.THEMES_MEASURE).set_value("share_weighted").run()
    assert not at.exception and "scope" not in url(at) and url(at)["measure"] == "share_weighted"
    fig = timeline_figure(at)
    assert "加权" in fig["layout"]["yaxis"]["title"]["text"]
    assert any("加权合计" in t for t in fig["data"][0]["text"] if t)
    assert any("头条记3，头版其他文章记1" in c.value for c in at.caption)


def test_a_clicked_event_marker_opens_its_card_with_the_report(events_file, monkeypatch):
    """The marker's click (on_select) keeps the event's id; the card under the chart names it and links
    to its report in 文章检索; 关闭 closes it.  A click on a series' point still drills into its period."""
    events = ev.load_events(events_file)
    event = next(e for e in events.events if e.article)
    state: dict = {
        Keys.THEMES_TIMELINE_CHART: {"selection": {"points": [{"customdata": ["event", event.id]}]}}
    }
    with monkeypatch.context() as m:
        m.setattr(app_themes.st, "session_state", state)
        app_themes.select_period_from_chart()
        assert state[Keys.THEMES_EVENT] == event.id and Keys.THEMES_PERIOD not in state
        state[Keys.THEMES_TIMELINE_CHART] = {"selection": {"points": [{"customdata": "2020-07-01"}]}}
        app_themes.select_period_from_chart()
        assert state[Keys.THEMES_PERIOD] == "2020-07-01"

    at = open_page({"granularity": "year"})
    at.session_state[Keys.THEMES_EVENT] = event.id
    at.run()
    texts = [t.value for t in at.text]
    assert f"事件：{event.label}（{event.when_zh()}，{event.category}）" in texts
    buttons = [b for b in at.get("link_button")]
    assert any(b.proto.url == f"articles?article={event.article}" for b in buttons)
    at.button(key=Keys.THEMES_EVENT_CLOSE).click().run()
    assert not any(t.value.startswith("事件：") for t in at.text)


def test_compare_view_puts_the_series_side_by_side(env):
    """对比: one bar per series, its share of the whole range = the timeline's numerators over its
    denominators (periods with pages); in the URL; its numbers download."""
    params = {
        "themes": "major-projects,minsheng",
        "slogans": "十三五",
        "granularity": "year",
        "measure": "share_news",
    }
    at = open_page(params)
    lines = {d["name"]: d for d in timeline_figure(at)["data"] if d.get("connectgaps") is False}
    at.toggle(key=Keys.THEMES_COMPARE).set_value(True).run()
    assert not at.exception and url(at)["compare"] == "1"
    specs = [plotly_spec(c.proto.spec) for c in at.get("plotly_chart")]
    bars = next(s for s in specs if s["data"][0]["type"] == "bar" and s["data"][0].get("orientation") == "h")
    got = dict(zip(bars["data"][0]["y"], bars["data"][0]["x"], strict=True))
    assert set(got) == set(lines)
    for name, line in lines.items():
        texts = [t for t in line["text"] if t]
        num = sum(int(re.search(r"（([\d,]+)篇", t)[1].replace(",", "")) for t in texts)
        den = sum(int(re.search(r"评论）([\d,]+)篇", t)[1].replace(",", "")) for t in texts)
        assert got[name] == pytest.approx(num / den)
    assert list(got.values()) == sorted(got.values())  # largest share on top (drawn last)
    assert "%" in bars["data"][0]["hovertext"][0] and "有版面的时段" in bars["data"][0]["hovertext"][0]
    assert "下载对比数据（CSV）" in [b.proto.label for b in at.get("download_button")]
    again = open_page({**params, "compare": "1"})
    assert again.toggle(key=Keys.THEMES_COMPARE).value is True


def test_trends_rank_words_beside_themes(env):
    """上升与下降 also ranks the words whose rate rose and fell between the same two periods (the word
    index built in the background the first time: its progress shows, the page does not stop), and
    links to 词云 comparing them."""
    from pinghu_app import words as app_words

    params = {"trends": "1", "t_start": "2025-01-01", "t_end": "2025-08-17", "v_start": "2020-01-01",
              "v_end": "2020-12-31"}  # fmt: skip
    at = open_page(params)
    assert not at.exception
    assert any("上升" in d.value.columns[0] or "关注期占比(%)" in d.value.columns for d in at.dataframe)
    assert app_words.join_builds(timeout=120)
    at.run()
    assert not at.exception
    rose, fell = [t.value for t in at.dataframe if "对照期每百万词" in t.value.columns]  # drawn in this order
    assert len(rose) and len(fell)
    assert (rose["变化(每百万词)"] > 0).all() and (fell["变化(每百万词)"] < 0).all()
    assert list(rose["对数似然G²"]) == sorted(rose["对数似然G²"], reverse=True)
    # the 四大百日攻坚 page is 2025's: its words are new there
    assert "新出现" in set(rose["标记"]) and "消失" in set(fell["标记"])
    links = [b.proto.url for b in at.get("link_button")]
    assert any(
        u.startswith("words?") and "compare=1" in u and "a_start=2020-04-21" in u and "b_end=2025-08-17" in u
        for u in links
    )
    # a word ticked (row_picker puts it here): its sentences in both periods, as many as the table counts
    for table in (rose, fell):
        row = table.iloc[0]
        at.session_state[Keys.THEMES_TREND_WORD] = row["词语"]
        at.run()
        assert not at.exception
        heading = [m.value for m in at.markdown if "在两个时期的原句" in m.value]
        assert heading and row["词语"] in heading[0]
        counts = [c.value for c in at.caption if c.value.startswith(("2020年", "2025年"))][-2:]
        expected = [row["对照期次数"], row["关注期次数"]]
        assert [c.endswith("没有出现") if n == 0 else c.endswith(f"：{n:,} 次") for c, n in
                zip(counts, expected, strict=True)] == [True, True], (counts, expected)  # fmt: skip
        lines = [d.value for d in at.dataframe if "上下文" in d.value.columns]
        assert sorted(len(t) for t in lines) == sorted(n for n in expected if n)
        for t in lines:
            assert t["上下文"].str.contains(f"【{row['词语']}】", regex=False).all()
            assert t["全文"].str.contains("article=").all()
    # a word from another comparison is not listed
    at.session_state[Keys.THEMES_TREND_WORD] = "不在表里的词"
    at.run()
    assert not [m.value for m in at.markdown if "在两个时期的原句" in m.value]


def test_trend_words_in_a_scope_say_they_count_every_article(env):
    params = {"trends": "1", "t_start": "2025-01-01", "t_end": "2025-08-17", "v_start": "2020-01-01",
              "v_end": "2020-12-31", "scope": "lead"}  # fmt: skip
    at = open_page(params)
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "词语按两个时期的全部文章统计（范围“仅头条”" in captions
    assert "占比 = 提及该主题或口号的头条篇数 ÷ 该时期的头条篇数" in captions


def test_trends_opened_by_the_toggle_compare_the_default_periods(env):
    """上升与下降 switched on (not by URL): the last twelve months against the twelve before, never the
    whole range against itself (the date boxes were read before they were drawn)."""
    at = open_page()
    at.toggle(key=Keys.THEMES_TRENDS).set_value(True).run()
    assert not at.exception
    shown = url(at)
    assert (shown["t_start"], shown["t_end"]) == ("2024-08-18", "2025-08-17")
    assert (shown["v_start"], shown["v_end"]) == ("2023-08-19", "2024-08-17")
    assert tuple(at.date_input(key=Keys.THEMES_TREND_PERIOD).value) == (
        dt.date(2024, 8, 18),
        dt.date(2025, 8, 17),
    )
