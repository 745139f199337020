"""data/events.toml: reading with errors by line, the last good file kept, writing back the same
events, choosing by category and dates, and drawing them on a Plotly time chart."""

from __future__ import annotations

import datetime as dt
import time

import plotly.graph_objects as go
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from pinghu_core.corpus import ingest
from pinghu_core.events import model as ev
from pinghu_core.events import overlay

GOOD = """version = "1"

[[event]]
id = "a"
date = 2020-11-09
label = "甲"
category = "荣誉"

[[event]]
start = 2025-08-15
end = 2025-11-23
label = "乙"
"""


def test_the_shipped_file_reads_and_every_event_cites_an_article_of_the_sample_corpus():
    events = ev.load_events(ROOT / "data" / "events.toml")
    assert len(events.events) >= 2 and events.version
    corpus = ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1)
    articles = corpus.articles.set_index("article_id")
    for event in events.events:
        assert event.article in articles.index, event
        assert event.source, event
        # the event happened on the page's date or before it (reports say 昨天, 8月15日 …)
        page_day = articles.loc[event.article, "date"].date()
        assert dt.timedelta(0) <= page_day - event.start <= dt.timedelta(days=3), event
    assert {"wenming-city-2020", "four-campaigns-2025"} <= {e.id for e in events.events}


def test_a_good_file():
    events = ev.parse_events(GOOD)
    a, b = events.events
    assert (a.id, a.start, a.end, a.category) == ("a", dt.date(2020, 11, 9), None, "荣誉")
    assert (b.start, b.end, b.category) == (dt.date(2025, 8, 15), dt.date(2025, 11, 23), ev.DEFAULT_CATEGORY)
    assert b.id == ev.make_id(b.start, "乙")  # an id made from the date and the label
    assert events.categories() == ["荣誉", "其他"]
    assert a.when_zh() == "2020年11月9日" and b.when_zh() == "2025年8月15日 – 2025年11月23日"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            'version = "1"\n[[event]]\ndate = 2020-01-01\nlabel = "甲"\ncolour = "红"\n',
            5,
            "不认识的键 colour",
        ),
        ('version = "1"\n[[event]]\nlabel = "甲"\n', 2, "须有日期"),
        ('version = "1"\n[[event]]\ndate = "2020-01-01"\nlabel = "甲"\n', 3, "应是日期"),
        ('version = "1"\n[[event]]\ndate = 2020-01-01T08:00:00\nlabel = "甲"\n', 3, "应是日期"),
        ('version = "1"\n[[event]]\ndate = 1900-01-01\nlabel = "甲"\n', 3, "不在 1949 年至明年之间"),
        ('version = "1"\n[[event]]\nstart = 2021-01-02\nend = 2021-01-01\nlabel = "甲"\n', 4, "早于 start"),
        (
            'version = "1"\n[[event]]\ndate = 2021-01-01\nstart = 2021-01-01\nend = 2021-01-02\nlabel = "甲"\n',
            3,
            "不能同时写",
        ),
        ('version = "1"\n[[event]]\ndate = 2021-01-01\nlabel = ""\n', 4, "须有 label"),
        ('version = "1"\n[[event]]\ndate = 2021-01-01\nlabel = "' + "长" * 41 + '"\n', 4, "超过 40 个字符"),
        (
            'version = "1"\n[[event]]\ndate = 2021-01-01\nlabel = "甲"\nlink = "javascript:alert(1)"\n',
            5,
            "http",
        ),
        ('version = "1"\n[[event]]\ndate = 2021-01-01\nlabel = "甲"\nnote = 3\n', 5, "应是字符串"),
        ('version = "1"\n[[event]]\nid = "有 空格"\ndate = 2021-01-01\nlabel = "甲"\n', 3, "id 只能用"),
        (
            'version = "1"\n[[event]]\nid = "x"\ndate = 2021-01-01\nlabel = "甲"\n\n[[event]]\nid = "x"\ndate = 2021-01-02\nlabel = "乙"\n',
            8,
            "重复",
        ),
        ('version = "1"\n[[event]\ndate = 2021-01-01\n', 2, "格式错误"),
        ("version = 1\n", 1, "version 应是字符串"),
        ('title = "x"\n', 1, "不认识的键 title"),
        ('version = "1"\n[[event]]\ndate = 2021-01-01\nlabel = "甲\\u0007"\n', 4, "控制字符"),
    ],
)
def test_a_malformed_file_is_explained_by_line(text, line, words):
    with pytest.raises(ev.EventFileError) as exc:
        ev.parse_events(text, "events.toml")
    assert exc.value.line == line, exc.value.message_zh
    assert words in exc.value.message_zh
    assert exc.value.message_zh.startswith(f"第{line}行") or "格式错误" in exc.value.message_zh


def test_a_missing_file_is_no_events_and_a_broken_file_keeps_the_last_good_one(tmp_path):
    path = tmp_path / "events.toml"
    store = ev.EventStore()
    assert store.get(path)[0].events == ()
    path.write_text(GOOD, encoding="utf-8")
    good, problem = store.get(path)
    assert len(good.events) == 2 and problem is None
    time.sleep(0.01)
    path.write_text(GOOD + "\n[[event]]\nlabel = 3\n", encoding="utf-8")
    kept, problem = store.get(path)
    assert kept == good and problem is not None and problem.line == 14  # the third [[event]]


_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30).map(
    lambda s: " ".join(s.split())
)
_LAST = dt.date(dt.date.today().year + 1, 12, 31)  # the parser's bound: next year
_day = st.dates(dt.date(1949, 1, 1), _LAST - dt.timedelta(days=1))


@st.composite
def events_lists(draw):
    out = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(_day)
        end = draw(st.one_of(st.none(), st.dates(start + dt.timedelta(days=1), _LAST)))
        label = draw(_text.filter(bool).map(lambda s: s[: ev.LABEL_MAX]))
        out.append(
            ev.Event(
                f"e{i}",
                start,
                end,
                label,
                draw(_text.filter(bool).map(lambda s: s[: ev.LABEL_MAX])),
                note=draw(_text),
                article=draw(_text),
                source=draw(_text),
                link=draw(st.sampled_from(["", "https://example.cn/a?b=1&c=“引号”", "http://x.cn"])),
            )
        )
    return ev.EventList(draw(_text), tuple(out), ev.digest_of("", out))


@settings(max_examples=60, deadline=None)
@given(events_lists())
def test_written_events_read_back_the_same(events):
    text = ev.dump_events(events)
    back = ev.parse_events(text)
    assert back.events == events.events and back.version == events.version.strip()


def test_add_replace_and_delete_keep_the_order():
    events = ev.parse_events(GOOD)
    c = ev.Event("c", dt.date(2021, 1, 1), None, "丙", "会议")
    added = ev.with_event(events, c)
    assert [e.id for e in added.events] == ["a", events.events[1].id, "c"] and added.digest != events.digest
    renamed = ev.with_event(added, ev.Event("a", dt.date(2020, 11, 9), None, "甲改", "荣誉"))
    assert [e.label for e in renamed.events] == ["甲改", "乙", "丙"]
    assert [e.id for e in ev.without_event(renamed, "a").events] == [events.events[1].id, "c"]


def test_chosen_by_category_and_dates():
    events = ev.parse_events(GOOD)
    assert [e.label for e in events.chosen()] == ["甲", "乙"]
    assert [e.label for e in events.chosen(["荣誉"])] == ["甲"]
    assert [e.label for e in events.chosen(None, dt.date(2025, 11, 1), None)] == ["乙"]  # a span reaching in
    assert [e.label for e in events.chosen(None, dt.date(2025, 11, 24), None)] == []
    assert events.chosen([]) == ()


def test_events_are_drawn_as_lines_bands_labels_and_markers():
    events = ev.parse_events(GOOD)
    fig = go.Figure(go.Scatter(x=["2020-01-01", "2026-01-01"], y=[1, 2]))
    overlay.add_events(fig, events.chosen(), events.categories())
    shapes = fig.layout.shapes
    assert [s.type for s in shapes] == ["line", "rect"]
    assert shapes[1].x0 == "2025-08-15" and shapes[1].x1 == "2025-11-24"  # the last day included
    assert [a.text for a in fig.layout.annotations] == ["甲", "乙"]
    markers = [t for t in fig.data if t.yaxis == overlay.EVENT_AXIS]
    assert [t.name for t in markers] == ["事件：荣誉", "事件：其他"]
    assert list(markers[0].customdata[0]) == [overlay.EVENT_POINT, "a"]
    assert fig.layout.yaxis9.visible is False and tuple(fig.layout.yaxis9.range) == (0, 1)
    assert fig.data[0].yaxis in (None, "y")  # the chart's own series keeps its axis
    assert overlay.event_from_points([{"x": 1}, {"customdata": ["event", "a"]}]) == "a"
    assert overlay.event_from_points([{"customdata": [1, 2, 3]}]) is None


def test_many_events_keep_their_labels_for_the_hover_and_text_stays_text():
    many = [
        ev.Event(f"e{i}", dt.date(2020, 1, 1) + dt.timedelta(days=i), None, f"<b>事件{i}</b>")
        for i in range(20)
    ]
    fig = overlay.add_events(go.Figure(), many, [ev.DEFAULT_CATEGORY])
    assert not fig.layout.annotations and len(fig.layout.shapes) == 20
    assert "&lt;b&gt;事件0&lt;/b&gt;" in fig.data[0].text[0]


def test_labels_close_in_time_go_on_rows_and_the_last_ones_end_at_their_line():
    day = dt.date(2020, 1, 1)
    near = [ev.Event(f"e{i}", day + dt.timedelta(days=3 * i), None, "八个字的事件名称") for i in range(5)]
    far = ev.Event("far", dt.date(2025, 12, 1), None, "年底的事件")
    rows = overlay.label_rows([*near, far], day, dt.date(2025, 12, 31))
    assert rows[:3] == [(0, "left"), (1, "left"), (2, "left")]  # three rows, then no room
    assert rows[3:5] == [None, None]
    assert rows[5] == (0, "right")  # near the right edge: the label ends at its line
    fig = overlay.add_events(
        go.Figure(), [*near, far], [ev.DEFAULT_CATEGORY], span=(day, dt.date(2025, 12, 31))
    )
    assert [a.yshift for a in fig.layout.annotations] == [0, overlay.ROW_PX, 2 * overlay.ROW_PX, 0]
    assert fig.layout.annotations[-1].xanchor == "right"
    assert len(fig.layout.shapes) == 6  # every event keeps its line


# ---------------------------------------------------------------- changes from the app


def test_a_form_event_is_checked_by_the_file_rules_without_a_line():
    event = ev.check_event({"date": dt.date(2021, 3, 1), "label": " 新 事件 ", "category": "", "link": ""})
    assert (event.label, event.category, event.end) == ("新 事件", ev.DEFAULT_CATEGORY, None)
    with pytest.raises(ev.EventFileError) as exc:
        ev.check_event({"date": dt.date(2021, 3, 1), "label": "甲", "link": "ftp://x"})
    assert exc.value.message_zh.startswith("事件的 link") and exc.value.line is None


def test_add_edit_delete_are_written_atomically_and_versioned(tmp_path):
    from pinghu_core.events import store

    path = tmp_path / "events.toml"
    path.write_text(GOOD, encoding="utf-8")
    first = ev.load_events(path)
    c = ev.Event("c", dt.date(2021, 1, 1), None, "丙", "会议", note="说明")
    t0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    added = store.change(path, store.ADD, who="a@x.cn", expected_digest=first.digest, event=c, now=t0)
    assert ev.load_events(path) == added and added.get("c") == c
    edited = store.change(
        path, store.EDIT, who="b@x.cn", expected_digest=added.digest,
        event=ev.Event("c", dt.date(2021, 1, 2), None, "丙改", "会议"), now=t0 + dt.timedelta(seconds=1),
    )  # fmt: skip
    assert ev.load_events(path).get("c").label == "丙改"
    gone = store.change(
        path,
        store.DELETE,
        who="a@x.cn",
        expected_digest=edited.digest,
        event_id="a",
        now=t0 + dt.timedelta(seconds=2),
    )
    assert (
        [e.id for e in ev.load_events(path).events]
        == [first.events[1].id, "c"]
        == [e.id for e in gone.events]
    )
    log = store.changes(path)
    assert [(r["who"], r["action"], r["id"]) for r in log] == [
        ("a@x.cn", "delete", "a"),
        ("b@x.cn", "edit", "c"),
        ("a@x.cn", "add", "c"),
    ]
    assert (
        log[1]["before"]["label"] == "丙" and log[1]["after"]["label"] == "丙改" and log[0]["after"] is None
    )
    versions = sorted((tmp_path / store.HISTORY_DIR).glob("*.toml"))
    assert (
        len(versions) == 3 and versions[0].read_text(encoding="utf-8") == GOOD
    )  # the first file kept as it was
    assert not list(tmp_path.glob(".events.toml.*.tmp"))


def test_a_change_is_refused_when_the_file_changed_or_is_broken_and_nothing_is_written(tmp_path):
    from pinghu_core.events import store

    path = tmp_path / "events.toml"
    path.write_text(GOOD, encoding="utf-8")
    seen = ev.load_events(path)
    path.write_text(GOOD.replace("甲", "甲（手改）"), encoding="utf-8")
    c = ev.Event("c", dt.date(2021, 1, 1), None, "丙")
    with pytest.raises(store.EventConflict):
        store.change(path, store.ADD, who="a", expected_digest=seen.digest, event=c)
    now = ev.load_events(path)
    with pytest.raises(ev.EventFileError, match="已有编号"):
        store.change(
            path, store.ADD, who="a", expected_digest=now.digest, event=ev.Event("a", c.start, None, "x")
        )
    with pytest.raises(ev.EventFileError, match="找不到"):
        store.change(path, store.DELETE, who="a", expected_digest=now.digest, event_id="nope")
    broken = GOOD + "\n[[event]]\nlabel = 3\n"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ev.EventFileError, match="不会覆盖"):
        store.change(path, store.ADD, who="a", expected_digest=now.digest, event=c)
    assert path.read_text(encoding="utf-8") == broken and store.changes(path) == []


def test_the_first_event_creates_the_file(tmp_path):
    from pinghu_core.events import store

    path = tmp_path / "sub" / "events.toml"
    empty = ev.EventList("1", (), ev.digest_of("1", ()))
    new = store.change(
        path,
        store.ADD,
        who="本机",
        expected_digest=empty.digest,
        event=ev.Event("x", dt.date(2022, 2, 2), None, "甲"),
    )
    assert ev.load_events(path) == new and store.changes(path)[0]["previous_file"] is None
