"""AppTest tests of the 项目进度 page on the sample corpus: charts, choosing a project, filters,
opening a figure's sentence and article, the URL, empty ranges."""

from __future__ import annotations

import json

from conftest import open_app_page, shown
from streamlit.testing.v1 import AppTest

from pinghu_app.state import Keys

PAGE = "pages/progress.py"
SENTENCE_COL = "句子（数值以【】标出）"


def open_page(params: dict[str, str] | None = None) -> AppTest:
    return open_app_page(PAGE, params)


def charts(at: AppTest) -> dict[str, dict]:
    """Figures by the start of their title."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"].split("：")[0]: s for s in specs}


def url(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def table(at: AppTest):
    """The 全部数据 table, its expander opened first when it is closed (the table is built only then)."""
    if not any(SENTENCE_COL in d.value.columns for d in at.dataframe):
        at.session_state[Keys.PROGRESS_TABLE_OPEN] = True
        at.run()
    return next(d.value for d in at.dataframe if SENTENCE_COL in d.value.columns)


def test_the_figure_table_is_built_when_its_expander_opens(corpus_env):
    at = open_page()
    assert not [d for d in at.dataframe if SENTENCE_COL in d.value.columns]  # sent only when opened
    label = next(e.label for e in at.expander if e.label.startswith("查看数据表"))
    rows = table(at)
    assert label == f"查看数据表（{len(rows):,} 条）" and len(rows) > 5
    assert at.session_state[Keys.PROGRESS_TABLE_OPEN] is True  # stays open on the next run
    at.run()
    assert any(SENTENCE_COL in d.value.columns for d in at.dataframe)


def test_latest_completion_bars_name_their_period_and_page_date(corpus_env):
    at = open_page()
    assert [t.value for t in at.title] == ["项目进度"]
    bar = charts(at)["最新完成进度（%）"]["data"][0]
    assert bar["type"] == "bar" and bar["orientation"] == "h"
    texts = dict(zip(bar["y"], bar["text"], strict=True))
    assert texts["省“4+1”重大项目"] == "81.3%（1至6月份 · 2020年7月22日见报）"
    assert all("见报）" in t for t in texts.values())
    assert all("【" in h for h in bar["hovertext"])  # the sentence, value marked
    assert "完成进度（%）" in charts(at)["最新完成进度（%）"]["layout"]["xaxis"]["title"]["text"]
    invest = charts(at)["投资完成与计划（亿元）"]
    assert [d["name"] for d in invest["data"]] == ["计划投资", "已完成投资"]
    assert invest["layout"]["xaxis"]["title"]["text"] == "投资（亿元）"


def test_choose_a_project_draws_its_trajectory_with_planned_milestones(corpus_env):
    at = open_page()
    at.selectbox(key=Keys.PROGRESS_PROJECT).set_value("museum-new").run()
    assert not at.exception
    fig = next(s for t, s in charts(at).items() if t.startswith("平湖市博物馆新馆"))
    traces = {d["name"]: d for d in fig["data"]}
    assert traces["完成进度（%）"]["y"] == [85.0]
    planned = traces["计划中的节点（空心）"]
    assert planned["marker"]["symbol"] == "diamond-open" and planned["x"] == [
        "2022-08-01"
    ]  # 预计今年8月将开馆
    assert "主体结构封顶" in traces["已完成的节点"]["y"]  # 003: 主体结构已经封顶
    assert url(at)["project"] == "museum-new"


def test_filter_by_metric_narrows_the_table_and_goes_into_the_url(corpus_env):
    at = open_page()
    everything = len(table(at))
    at.selectbox(key=Keys.PROGRESS_METRIC).set_value("completion_pct").run()
    assert not at.exception
    rows = table(at)
    assert 0 < len(rows) < everything and set(rows["指标"]) == {"完成进度"}
    assert rows[SENTENCE_COL].str.contains("【").all()
    assert url(at)["metric"] == "completion_pct"


def test_selecting_a_figure_shows_its_sentence_and_article_as_text(corpus_env):
    at = open_page({"project": "museum-new"})
    box = at.selectbox(key=Keys.PROGRESS_FIGURE)
    assert box.value is None
    rows = table(at)
    figure_id = rows.loc[(rows["指标"] == "完成进度") & (rows["数值"] == 85.0), "编号"].iloc[0]
    assert any("完成进度 85%" in label for label in box.options)  # the trajectory's figures are listed
    box.set_value(figure_id).run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert any("原句：" in t and "【85%】" in t for t in texts), texts
    assert any("2022年5月28日" in t for t in texts) and max(len(t) for t in texts) > 200  # the article body
    assert url(at)["figure"] == figure_id
    at.button(key=Keys.PROGRESS_CLOSE).click().run()
    assert "figure" not in url(at) and not any("原句：" in t.value for t in at.text)


def test_a_shared_link_restores_the_view(corpus_env):
    params = {
        "project": "museum-new",
        "metric": "milestone",
        "subject": "平湖市博物馆新馆项目",
        "start": "2020-01-01",
        "end": "2022-12-31",
    }
    at = open_page(params)
    assert at.selectbox(key=Keys.PROGRESS_PROJECT).value == "museum-new"
    assert at.selectbox(key=Keys.PROGRESS_METRIC).value == "milestone"
    assert at.selectbox(key=Keys.PROGRESS_SUBJECT).value == "平湖市博物馆新馆项目"
    rows = table(at)
    assert set(rows["指标"]) == {"节点（开工、封顶、竣工等）"} and set(rows["主体"]) == {
        "平湖市博物馆新馆项目"
    }
    assert url(at) == {
        **params,
        "start": "2020-04-21",
        "end": "2022-05-28",
    }  # clamped to the pages with figures


def test_unknown_names_in_a_link_are_dropped(corpus_env):
    at = open_page({"project": "nope", "metric": "nope", "subject": "nope"})
    assert at.selectbox(key=Keys.PROGRESS_METRIC).value is None
    assert at.selectbox(key=Keys.PROGRESS_SUBJECT).value is None
    assert url(at)["project"] != "nope" and "metric" not in url(at)


def test_a_range_without_figures_is_explained(corpus_env):
    at = open_page({"start": "2021-01-01", "end": "2021-12-31"})
    infos = " ".join(i.value for i in at.info)
    assert "2021年1月1日" in infos and "没有报道完成进度" in infos
    assert "没有符合所选指标和主体的数据" in infos and "没有同时报道计划投资和已完成投资" in infos
    assert not at.get("plotly_chart") or "最新完成进度（%）" not in charts(at)


def test_a_malformed_project_file_is_explained(corpus_env, monkeypatch, tmp_path):
    bad = tmp_path / "projects.toml"
    bad.write_text('version = "1"\n[[project]]\nid = "Bad Id"\nname = "x"\n', encoding="utf-8")
    monkeypatch.setenv("PINGHU_PROJECTS_FILE", str(bad))
    at = open_page()
    assert len(at.warning) == 1
    message = shown(at.warning[0].value)
    assert "第3行" in message and "projects.toml" in message and "自动归并" in message
    assert charts(at)  # the page still draws


def test_a_date_typed_outside_the_corpus_is_fitted_and_said_in_chinese(corpus_env):
    """The box takes any date (no English browser refusal); the range is fitted to the pages with
    figures and the page says so under the box."""
    import datetime as dt

    at = open_page()
    box = at.date_input(key=Keys.PROGRESS_DATES)
    box.set_value((dt.date(2010, 1, 1), dt.date(2030, 12, 31))).run()
    assert not at.exception
    assert tuple(at.date_input(key=Keys.PROGRESS_DATES).value) == (dt.date(2020, 4, 21), dt.date(2022, 5, 28))
    said = " ".join(c.value for c in at.caption)
    assert "开始日期 2010年1月1日 早于语料的第一天，已改为 2020年4月21日" in said
    assert "结束日期 2030年12月31日 晚于语料的最后一天，已改为 2022年5月28日" in said
    assert at.date_input(key=Keys.PROGRESS_DATES).proto.min == "1900-01-01"


def test_events_are_drawn_on_the_trajectory_and_are_not_figures(corpus_env, monkeypatch, tmp_path):
    import shutil

    from conftest import ROOT

    from pinghu_core.events import model as ev
    from pinghu_core.progress import view as pv

    path = tmp_path / "events.toml"
    shutil.copyfile(ROOT / "data" / "events.toml", path)
    monkeypatch.setenv("PINGHU_EVENTS_FILE", str(path))
    at = open_page()
    trajectory = next(s for s in charts(at).values() if any(d.get("yaxis") == "y9" for d in s["data"]))
    shapes = [s for s in trajectory["layout"].get("shapes", []) if s.get("yref") == "paper"]
    dates = [d[:10] for t in trajectory["data"] if t.get("yaxis") != "y9" for d in (t.get("x") or [])]
    drawn = [sh["x0"][:10] for sh in shapes]
    assert len(drawn) >= 2 and all(min(dates) <= d <= max(dates) for d in drawn)  # the events of its span
    assert set(drawn) <= {e.start.isoformat() for e in ev.load_events(path).events}
    assert at.multiselect(key=Keys.PROGRESS_HIDE_EVENTS).value == []
    at.multiselect(key=Keys.PROGRESS_HIDE_EVENTS).set_value(ev.load_events(path).categories()).run()
    trajectory = next(
        s
        for s in charts(at).values()
        if s["layout"]["title"]["text"] == trajectory["layout"]["title"]["text"]
    )
    assert "hide_events" in url(at), url(at)
    assert not [s for s in trajectory["layout"].get("shapes", []) if s.get("yref") == "paper"]
    # a click on an event's marker opens no figure
    assert pv.figure_from_points([{"customdata": ["event", "wenming-city-2020"]}]) is None


def test_a_clicked_event_marker_on_the_trajectory_opens_its_card(corpus_env, monkeypatch, tmp_path):
    import shutil

    from conftest import ROOT

    from pinghu_app import progress as app_progress
    from pinghu_core.events import model as ev

    path = tmp_path / "events.toml"
    shutil.copyfile(ROOT / "data" / "events.toml", path)
    monkeypatch.setenv("PINGHU_EVENTS_FILE", str(path))
    event = next(e for e in ev.load_events(path).events if e.article)
    state: dict = {"chart": {"selection": {"points": [{"customdata": ["event", event.id]}]}}}
    with monkeypatch.context() as m:
        m.setattr(app_progress.st, "session_state", state)
        app_progress.select_figure_from("chart")()
    assert state[Keys.PROGRESS_EVENT] == event.id and Keys.PROGRESS_FIGURE not in state
    at = open_page()
    at.session_state[Keys.PROGRESS_EVENT] = event.id
    at.run()
    assert not at.exception
    assert f"事件：{event.label}（{event.when_zh()}，{event.category}）" in [t.value for t in at.text]
    assert any(b.proto.url == f"articles?article={event.article}" for b in at.get("link_button"))
    at.button(key=Keys.PROGRESS_EVENT_CLOSE).click().run()
    assert not any(t.value.startswith("事件：") for t in at.text)


def test_a_rerun_of_the_same_view_builds_nothing_again(corpus_env, monkeypatch):
    """The table sent, the trajectory's caption, the 原句 choices and the investment caption are made
    once per view (shared by the sessions), not on every rerun: a click elsewhere on the page, or
    another visitor opening the same view, costs no pandas work for them."""
    from pinghu_core.progress import view as pv

    calls: dict[str, int] = {}
    for name in ("figure_table", "trajectory_caption", "figure_choices", "investment_caption", "evidence"):
        original = getattr(pv, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] = calls.get(_name, 0) + 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(pv, name, counted)
    at = open_page({"project": "museum-new"})
    table_before = table(at)
    caption_before = [c.value for c in at.caption]
    made = dict(calls)
    at.run()
    at.run()
    assert not at.exception
    assert calls == made  # the second and third runs made none of them again
    assert table(at).equals(table_before) and [c.value for c in at.caption] == caption_before
    rows = table_before
    picked = rows.loc[(rows["指标"] == "完成进度") & (rows["数值"] == 85.0), "编号"].iloc[0]
    at.selectbox(key=Keys.PROGRESS_FIGURE).set_value(picked).run()
    assert any("原句：" in t.value for t in at.text)
    opened = calls.get("evidence", 0)
    at.run()
    assert calls.get("evidence", 0) == opened  # the open figure's sentence is not looked up again
