"""The pure helpers of bench/bench_load.py (the websocket load driver): no server is started."""

import datetime as dt
import importlib.util
import random
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT / "bench" / "bench_load.py"
spec = importlib.util.spec_from_file_location("bench_load", PATH)
bl = importlib.util.module_from_spec(spec)
sys.modules["bench_load"] = bl  # dataclasses look the module up by name
spec.loader.exec_module(bl)


def test_percentile_interpolates_between_closest_ranks():
    assert bl.percentile([], 95) is None
    assert bl.percentile([7.0], 95) == 7.0
    assert bl.percentile([1, 2, 3, 4, 5], 50) == 3
    assert bl.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert bl.summary([3.0, 1.0, 2.0]) == {"n": 3, "p50": 2.0, "p95": 2.9, "max": 3.0}


@pytest.mark.parametrize(
    ("gran", "year", "i", "want"),
    [
        ("month", 2020, 3, dt.date(2020, 3, 1)),
        ("quarter", 2021, 4, dt.date(2021, 10, 1)),
        ("year", 2019, 9, dt.date(2019, 1, 1)),
    ],
)
def test_period_start_is_the_first_day_of_the_period(gran, year, i, want):
    assert bl.period_start(gran, year, i) == want


def test_a_visit_is_the_seven_steps_each_checked_by_title_and_url():
    steps = bl.visit(random.Random(3), ["ecology", "safety", "minsheng"])
    assert [s.name for s in steps] == list(bl.STEPS)
    assert [s.page for s in steps] == ["", "articles", None, None, "themes", "progress", "words"]
    assert all(s.title for s in steps)
    query_step, filter_step, themes_step = steps[2], steps[3], steps[4]
    assert query_step.widget == "articles.query" and ("q", query_step.value) in query_step.expect
    assert filter_step.pick and filter_step.widget in ("articles.places", "articles.themes")
    q = dict(urllib.parse.parse_qsl(themes_step.query))
    assert set(q["themes"].split(",")) <= {"ecology", "safety", "minsheng"}
    assert q["granularity"] in bl.GRANULARITIES
    period = dt.date.fromisoformat(q["period"])
    assert period == bl.period_start(
        q["granularity"],
        period.year,
        (period.month - 1) // 3 + 1 if q["granularity"] == "quarter" else period.month,
    )
    assert steps[-1].fetch_images


def test_visits_differ_but_repeat_with_the_seed():
    a = [bl.visit(random.Random(1), ["ecology", "safety"]) for _ in range(2)]
    assert a[0] == a[1]
    many = {bl.visit(random.Random(s), ["ecology", "safety"])[4].query for s in range(20)}
    assert len(many) > 5


def test_check_url_names_what_the_written_url_lacks():
    url = "kinds=news%2Ccommentary&q=%E9%A1%B9%E7%9B%AE&places="
    assert bl.check_url(url, [("q", "项目"), ("kinds", "*")]) == []
    assert bl.check_url(url, [("kinds", "commentary,news")]) == []  # comma parts, any order
    assert bl.check_url(url, [("places", "*")]) == ["places missing"]
    assert bl.check_url(url, [("granularity", "month")]) == ["granularity missing"]
    (miss,) = bl.check_url(url, [("q", "民生")])
    assert "expected '民生'" in miss


def test_widget_key_from_element_id():
    assert bl.widget_key("$$ID-a439cd3987d014c9bdebb8078847c9ba-articles.query") == "articles.query"
    assert bl.widget_key("$$ID-a439cd3987d014c9bdebb8078847c9ba-None") == ""
    assert bl.widget_key("plain") == ""


def _element_msg(path0: int, **fill) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = [path0, 0]
    el = msg.delta.new_element
    for kind, body in fill.items():
        if kind == "heading":
            el.heading.body = body
        elif kind == "multiselect":
            el.multiselect.id = "$$ID-abc-articles.places"
            el.multiselect.options[:] = body
    return msg


def test_drawn_checks_the_main_title_not_the_sidebar():
    drawn = bl.Drawn()
    side = _element_msg(1, heading="侧栏")
    drawn.note(bl.seen_of(side.delta.new_element), side)
    title = _element_msg(0, heading="文章检索")
    drawn.note(bl.seen_of(title.delta.new_element), title)
    ms = _element_msg(0, multiselect=["乍浦镇", "当湖街道"])
    drawn.note(bl.seen_of(ms.delta.new_element), ms)
    assert drawn.headings == ["文章检索"]
    assert drawn.widgets["articles.places"] == (
        "multiselect",
        "$$ID-abc-articles.places",
        ("乍浦镇", "当湖街道"),
    )
    ok = bl.Step("x", page="articles", title="文章检索", expect=(("q", "项目"),))
    assert drawn.problems(ok, "q=%E9%A1%B9%E7%9B%AE") == []
    wrong = bl.Step("x", page="themes", title="政策主题")
    assert drawn.problems(wrong, "") == ["expected page '政策主题', first title ['文章检索']"]


def _rec(step, ms, errors=(), nbytes=1000):
    return bl.RunRecord(0, step, 0.0, ms, ms / 2, nbytes, 10, 0, errors=list(errors))


def test_aggregate_counts_runs_per_step_and_errors_by_kind():
    recs = [
        _rec("总览", 100),
        _rec("总览", 300),
        _rec("词云", 900, [("exception", "KeyError: x")]),
        _rec(bl.AUTO, 20),
    ]
    agg = bl.aggregate(recs, wall=10.0)
    assert agg["runs"] == 3 and agg["auto_reruns"] == 1 and agg["runs_per_s"] == 0.3
    assert agg["ms"]["max"] == 900 and agg["by_step"]["总览"]["n"] == 2 and agg["by_step"][bl.AUTO]["n"] == 1
    assert agg["errors"] == {"exception": 1} and agg["runs_with_errors"] == 1
    assert agg["first_errors"] == ["[词云] exception: KeyError: x"]


def test_nginx_config_has_every_upstream_and_cookie_stickiness(tmp_path):
    text = bl.nginx_config(tmp_path, 8080, [8601, 8602])
    assert "server 127.0.0.1:8601" in text and "server 127.0.0.1:8602" in text
    assert "hash $pinghu_route consistent;" in text and "$cookie_pinghu_route" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text


@pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx not installed"
)
def test_nginx_config_passes_nginx_t(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(bl.nginx_config(tmp_path, 18080, [18601, 18602]), encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    r = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_sessions_arrive_over_a_whole_visit_unless_in_lockstep():
    assert bl.arrival_spread(5.0, "mixed") == len(bl.STEPS) * 5.0
    assert bl.arrival_spread(5.0, "lockstep") == 5.0
    assert bl.arrival_spread(30.0, "lockstep") == 5.0
    assert bl.arrival_spread(0.0, "mixed") == bl.arrival_spread(0.0, "lockstep") == 2.0


@pytest.mark.parametrize("arrivals", ["mixed", "lockstep"])
def test_mixed_arrivals_measure_only_once_every_session_has_arrived(monkeypatch, arrivals):
    """The sessions start spread over the arrival time; with mixed arrivals the runs asked for
    during it are not counted, the measurement (and on_measure) begins when the last has arrived."""
    import asyncio

    starts: list[float] = []

    async def fake_loop(index, base, seed, themes, think, t0, stop_at, start_delay):
        starts.append(start_delay)
        step = bl.STEPS[0]
        return [bl.RunRecord(index, step, t, 1.0, 1.0, 0, 0, 0) for t in (0.5, 40.0)]

    monkeypatch.setattr(bl, "session_loop", fake_loop)
    marked: list[bool] = []
    records, _ = asyncio.run(
        bl.drive("http://x", 4, 5.0, 0.01, 1, [], arrivals=arrivals, on_measure=lambda: marked.append(True))
    )
    spread = bl.arrival_spread(5.0, arrivals)
    assert starts == [spread * i / 4 for i in range(4)]
    kept = sorted({r.t for r in records})
    assert kept == ([40.0] if arrivals == "mixed" else [0.5, 40.0])
    assert len(records) == 4 * len(kept)
    if arrivals == "lockstep":  # measured from the start (mixed: 35 s later, after these fakes end)
        assert marked == [True]
