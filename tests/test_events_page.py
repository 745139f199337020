"""AppTest tests of the 事件 page: the table for everybody, add / change / delete for editors (a
laptop is an editor), the change log, and what the timeline draws afterwards."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import ROOT, open_app_page

from pinghu_app.state import Keys
from pinghu_core.events import model as ev
from pinghu_core.events import store

PAGE = "pages/events.py"


@pytest.fixture
def events_file(corpus_env, monkeypatch, tmp_path):
    path = tmp_path / "events.toml"
    shutil.copyfile(ROOT / "data" / "events.toml", path)
    monkeypatch.setenv("PINGHU_EVENTS_FILE", str(path))
    return path


def table(at):
    return next(d.value for d in at.dataframe if "事件" in d.value.columns)


def fill(at, **values):
    """Type into the form's text boxes by label start."""
    for label, value in values.items():
        box = next(t for t in at.text_input if t.label.startswith(label))
        box.set_value(value)


def pick_box(at):
    """The 选择事件 box (its key carries the events file's digest: a new box after every change)."""
    (box,) = [b for b in at.selectbox if str(b.key).startswith(f"{Keys.EVENTS_PICK}.")]
    return box


def test_after_an_edit_the_pick_shows_the_saved_label_and_stays_on_the_event(events_file):
    """Seen in the browser: after 保存 in 修改 the box still read the event's old label (its value,
    the id, had not changed, so Streamlit's box kept its text until the next run)."""
    at = open_app_page(PAGE)
    at.radio(key=Keys.EVENTS_MODE).set_value("修改").run()
    second = ev.load_events(events_file).chosen()[1]
    pick_box(at).set_value(second.id).run()
    old_key = pick_box(at).key
    fill(at, 事件="改过的名称")
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception
    assert "已修改事件“改过的名称”" in " ".join(s.value for s in at.success)
    box = pick_box(at)
    assert box.key != old_key and box.value == second.id
    shown = box.options[box.index]
    assert "改过的名称" in shown and second.label not in shown


def test_the_table_lists_every_event_with_its_report(events_file):
    at = open_app_page(PAGE)
    assert [t.value for t in at.title] == ["事件"]
    shown = table(at)
    events = ev.load_events(events_file)
    assert len(shown) == len(events.events)
    row = shown[shown["编号"] == "wenming-city-2020"].iloc[0]
    assert row["开始日期"] == dt.date(2020, 11, 9) and row["类别"] == "荣誉"
    assert row["报道"] == "articles?article=568594838ed2d8a8-01"


def test_add_change_and_delete_an_event_from_the_page(events_file):
    at = open_app_page(PAGE)
    before = len(table(at))
    fill(at, 事件="乍浦港开港", 类别="重大项目", 出处="测试")
    at.date_input[0].set_value(dt.date(2021, 5, 6))
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception
    assert "已新增事件“乍浦港开港”" in " ".join(s.value for s in at.success)
    assert len(table(at)) == before + 1
    added = next(e for e in ev.load_events(events_file).events if e.label == "乍浦港开港")
    assert (added.start, added.category) == (dt.date(2021, 5, 6), "重大项目")

    at.radio(key=Keys.EVENTS_MODE).set_value("修改").run()
    pick_box(at).set_value(added.id).run()
    fill(at, 事件="乍浦港正式开港")
    next(b for b in at.button if b.label == "保存").click().run()
    assert "已修改事件“乍浦港正式开港”" in " ".join(s.value for s in at.success)
    assert ev.load_events(events_file).get(added.id).label == "乍浦港正式开港"

    at.radio(key=Keys.EVENTS_MODE).set_value("删除").run()
    pick_box(at).set_value(added.id).run()
    at.checkbox(key=f"{Keys.EVENTS_CONFIRM}.{added.id}").check().run()
    next(b for b in at.button if b.label == "删除").click().run()
    assert ev.load_events(events_file).get(added.id) is None and len(table(at)) == before
    log = next(d.value for d in at.dataframe if "操作" in d.value.columns)
    assert log["操作"].tolist() == ["删除", "修改", "新增"] and set(log["编辑"]) == {"本机"}
    assert len(store.changes(events_file)) == 3


def test_a_bad_event_is_explained_and_nothing_is_written(events_file):
    at = open_app_page(PAGE)
    text = events_file.read_text(encoding="utf-8")
    fill(at, 事件="甲", 网址="javascript:alert(1)")
    next(b for b in at.button if b.label == "保存").click().run()
    assert any("link 须是 http" in e.value for e in at.error) and not at.exception
    assert events_file.read_text(encoding="utf-8") == text


def test_a_change_made_elsewhere_meanwhile_is_not_overwritten(events_file):
    at = open_app_page(PAGE)
    events_file.write_text(
        events_file.read_text(encoding="utf-8").replace("全市重大项目推进会", "重大项目推进会"),
        encoding="utf-8",
    )
    fill(at, 事件="乙")
    next(b for b in at.button if b.label == "保存").click().run()
    assert any("请刷新后再改" in e.value for e in at.error)
    assert "乙" not in [e.label for e in ev.load_events(events_file).events]


def test_a_saved_form_is_empty_again_and_a_delete_tick_does_not_carry_over(events_file):
    """Seen in the browser: after 保存 the 新增 form kept its text (a second click added the event
    twice), and after 删除 the next event's 确认删除 box stayed ticked."""
    at = open_app_page(PAGE)
    fill(at, 事件="乍浦港开港", 类别="重大项目")
    at.date_input[0].set_value(dt.date(2021, 5, 6))
    next(b for b in at.button if b.label == "保存").click().run()
    assert "已新增事件“乍浦港开港”" in " ".join(s.value for s in at.success)
    assert next(t for t in at.text_input if t.label.startswith("事件")).value == ""
    assert at.date_input[0].value == dt.date.today()
    at.radio(key=Keys.EVENTS_MODE).set_value("删除").run()
    first, second = ev.load_events(events_file).chosen()[:2]
    pick_box(at).set_value(first.id).run()
    at.checkbox(key=f"{Keys.EVENTS_CONFIRM}.{first.id}").check().run()
    next(b for b in at.button if b.label == "删除").click().run()
    assert ev.load_events(events_file).get(first.id) is None
    assert pick_box(at).value == second.id
    assert at.checkbox(key=f"{Keys.EVENTS_CONFIRM}.{second.id}").value is False
    assert next(b for b in at.button if b.label == "删除").disabled


def test_with_no_event_to_change_the_page_says_so_and_keeps_the_change_log(events_file):
    """All events deleted here: 修改 and 删除 have nothing to pick, say so, and the log still shows."""
    at = open_app_page(PAGE)
    at.radio(key=Keys.EVENTS_MODE).set_value("删除").run()
    for event in ev.load_events(events_file).chosen():
        pick_box(at).set_value(event.id).run()
        at.checkbox(key=f"{Keys.EVENTS_CONFIRM}.{event.id}").check().run()
        next(b for b in at.button if b.label == "删除").click().run()
    assert not ev.load_events(events_file).events and not at.exception
    for mode in ("修改", "删除"):
        at.radio(key=Keys.EVENTS_MODE).set_value(mode).run()
        assert "还没有可修改的事件。" in [i.value for i in at.info] and not at.selectbox
        assert "修改记录" in [s.value for s in at.subheader]
