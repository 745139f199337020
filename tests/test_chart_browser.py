"""Charts the browser draws once (chart_base.for_browser, widgets.chart).

Streamlit's chart element copies a figure after drawing it and hands the copy to Plotly.react, which
redraws the whole chart when the copy differs: a template, base64 typed arrays, arrays without a
``datarevision`` or selection modes left to Streamlit each made every chart draw twice (项目进度 and
总览 spent a third of their drawing on it).  These tests hold the figure to what survives the copy,
and every page's charts to having been made so.
"""

from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from pinghu_app import people as app_people
from pinghu_app import shared as app_shared
from pinghu_app import widgets
from pinghu_app import words as app_words
from pinghu_core.common import chart_base as cb


def two_axes() -> go.Figure:
    fig = go.Figure(
        [
            go.Scatter(
                x=pd.date_range("2020-01-01", periods=4),
                y=np.array([1.5, np.nan, 3.0, np.inf]),
                mode="lines+markers",
                name="甲",
            ),
            go.Bar(x=["乙", "丙"], y=np.array([2, 7], dtype="int64"), xaxis="x2", yaxis="y2"),
        ]
    )
    fig.update_layout(
        title={"text": "标题", "font": {"size": 18}},
        xaxis={"showgrid": True},
        margin={"l": 56},
        hovermode="x unified",
        template="plotly",
    )
    return fig


def spec(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def test_the_figure_survives_a_json_copy_unchanged() -> None:
    out = spec(cb.for_browser(two_axes()))
    assert "template" not in out["layout"]
    assert "bdata" not in json.dumps(out)  # plain lists: Plotly.react compares them with datarevision
    scatter, bar = out["data"]
    assert scatter["y"] == [1.5, None, 3.0, None]  # NaN and inf as Plotly writes them: null
    assert scatter["x"][0].startswith("2020-01-01")
    assert bar["y"] == [2, 7] and bar["x"] == ["乙", "丙"]
    assert len(out["layout"]["datarevision"]) == 16


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("xaxis", "showgrid"), True),  # the figure's own value wins over the look's False
        (("xaxis2", "showgrid"), False),  # the look, on an axis only a trace names
        (("yaxis2", "zerolinecolor"), cb.GRID),  # a value axis' zero line, light as the theme drew it
        (("xaxis", "gridcolor"), cb.GRID),  # under a grid the figure turns on
        # no grid or tick colour: set in a layout they turn the grid or the ticks on
        (("yaxis",), {**cb.LOOK_YAXIS, "zerolinecolor": cb.GRID}),
        (("xaxis2",), cb.LOOK_XAXIS),
        (("margin", "l"), 56),
        (("margin", "r"), 0),
        (("title", "font", "size"), 18),
        (("title", "font", "weight"), 700),  # bold, as the theme wrote titles
        (("title", "text"), "标题"),
        (("colorway", 0), "#0068c9"),
        (("hovermode",), "x unified"),
    ],
)
def test_the_look_lies_under_the_figure(path: tuple, expected: object) -> None:
    value = spec(cb.for_browser(two_axes()))["layout"]
    for step in path:
        value = value[step]
    assert value == expected


@pytest.mark.parametrize("kind", ["heatmap", "contour", "histogram2d", "histogram2dcontour"])
def test_a_2d_map_draws_its_default_ticks_in_the_light_grid_colour(kind: str) -> None:
    # plotly.js turns outside ticks on for the axes of these traces; a layout without a tick colour
    # would draw them dark grey
    fig = go.Figure({"data": [{"type": kind, "x": [1, 2], "y": [1, 2], "z": [[1, 2], [3, 4]]}]})
    fig.add_trace(go.Scatter(x=[1], y=[1], xaxis="x2", yaxis="y2"))
    fig.update_layout(yaxis={"ticks": ""})  # a figure that turns them off keeps them off
    layout = spec(cb.for_browser(fig))["layout"]
    assert layout["xaxis"]["tickcolor"] == cb.GRID
    assert "tickcolor" not in layout["yaxis"]
    assert "tickcolor" not in layout["xaxis2"] and "tickcolor" not in layout["yaxis2"]


def test_a_selectable_chart_sets_what_streamlit_would_set() -> None:
    layout = spec(cb.for_browser(two_axes(), selectable=True))["layout"]
    assert (layout["clickmode"], layout["dragmode"]) == ("event+select", "pan")
    assert layout["hovermode"] == "x unified"  # the figure's own stays
    plain = spec(cb.for_browser(two_axes()))["layout"]
    assert "clickmode" not in plain and "dragmode" not in plain


def test_datarevision_follows_the_data() -> None:
    a, b = cb.for_browser(two_axes()), cb.for_browser(two_axes())
    assert a.layout.datarevision == b.layout.datarevision
    changed = two_axes()
    changed.data[1].y = np.array([2, 8])
    assert cb.for_browser(changed).layout.datarevision != a.layout.datarevision
    assert pio.to_json(cb.for_browser(a)) == pio.to_json(a)  # made twice: the same figure


def test_drawn_once_tells_the_made_figure() -> None:
    assert cb.drawn_once(cb.for_browser(two_axes()))
    assert not cb.drawn_once(two_axes())
    # drawn with points selection, a figure made without the selection modes would be redrawn
    assert not cb.drawn_once(cb.for_browser(two_axes()), selectable=True)
    assert cb.drawn_once(cb.for_browser(two_axes(), selectable=True), selectable=True)


def test_a_chart_not_made_for_the_browser_is_made_on_the_run_and_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    drawn = []
    monkeypatch.setattr(widgets.st, "plotly_chart", lambda fig, **kw: drawn.append((fig, kw)))
    with caplog.at_level(logging.WARNING, logger="pinghu_app.widgets"):
        widgets.chart(two_axes(), "k")
    fig, kw = drawn[0]
    assert cb.drawn_once(fig) and kw == {"key": "k", "theme": None, "config": cb.BROWSER_CONFIG}
    assert "not made by chart_base.for_browser" in caplog.text
    caplog.clear()
    widgets.chart(cb.for_browser(two_axes(), selectable=True), "s", on_select=lambda: None)
    assert not caplog.text and drawn[1][1]["theme"] is None and drawn[1][1]["selection_mode"] == "points"


PAGES_WITH_CHARTS = [
    "pages/overview.py",
    "pages/themes.py",
    "pages/progress.py",
    "pages/words.py",
    "pages/people.py",
    "pages/brief.py",
]


@pytest.mark.parametrize("page", PAGES_WITH_CHARTS)
def test_every_chart_of_a_page_is_drawn_once(page: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pinghu_app.widgets"):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.run()
        at.switch_page(page).run()
        for builds in (app_shared, app_words, app_people):  # cold builds run in the background
            builds.join_builds(120)
        at.run()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert charts, f"{page} draws no chart on the sample corpus"
    for chart in charts:
        raw = chart.proto.spec
        layout = json.loads(raw)["layout"]
        assert chart.proto.theme == "", page  # no Streamlit template added in the browser
        assert "template" not in layout and "bdata" not in raw and layout.get("datarevision"), page
        if chart.proto.selection_mode:
            assert {"clickmode", "hovermode", "dragmode"} <= set(layout), page
    assert "not made by chart_base.for_browser" not in caplog.text


def test_a_heatmap_grid_with_gaps_becomes_nested_lists() -> None:
    z = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, np.nan]])
    fig = go.Figure(
        go.Heatmap(z=z, x=["一", "二", "三"], y=[2020, 2021], customdata=np.array([["a"] * 3] * 2))
    )
    out = spec(cb.for_browser(fig))
    heat = out["data"][0]
    assert heat["z"] == [[1.0, None, 3.0], [4.0, 5.0, None]]  # the grid kept, a gap stays a gap
    assert heat["y"] == [2020, 2021] and heat["customdata"] == [["a"] * 3] * 2
    assert heat["colorscale"][0] == [0.0, "#e4f5ff"]  # the theme's sequential scale, as before
    assert "bdata" not in json.dumps(out)


def test_animation_frames_are_kept_as_lists() -> None:
    fig = go.Figure(
        go.Scatter(y=np.array([1.0, 2.0])), frames=[go.Frame(data=[go.Scatter(y=np.array([3.0, 4.0]))])]
    )
    out = spec(cb.for_browser(fig))
    assert out["frames"][0]["data"][0]["y"] == [3.0, 4.0] and "bdata" not in json.dumps(out)


def _sample_figures() -> list[go.Figure]:
    heat = go.Figure(go.Heatmap(z=np.array([[1.0, np.nan], [4.0, 5.0]]), x=["一", "二"], y=[2020, 2021]))
    frames = go.Figure(
        go.Scatter(y=np.array([1.0, 2.0])), frames=[go.Frame(data=[go.Scatter(y=np.array([3.0, 4.0]))])]
    )
    return [two_axes(), heat, frames]


@pytest.mark.parametrize("selectable", [False, True])
def test_the_browser_figure_is_what_plotly_would_validate(selectable: bool) -> None:
    """for_browser does not validate its figure again (it comes from a validated figure's JSON):
    what it holds is what a validated figure of the same data, layout and frames holds."""
    for fig in _sample_figures():
        out = cb.for_browser(fig, selectable=selectable)
        raw = out.to_dict()
        validated = go.Figure(data=raw["data"], layout=raw["layout"], frames=raw.get("frames"))
        validated.layout.template = None
        assert spec(out) == spec(validated)
        assert json.dumps(raw, sort_keys=True) == json.dumps(validated.to_dict(), sort_keys=True)


def test_the_browser_figure_is_not_validated_a_second_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validating the figure again was two thirds of for_browser (on every run that draws a new
    chart): for_browser asks Plotly's validators a fraction of
    what a validated figure asks."""
    from _plotly_utils import basevalidators

    fig = two_axes()
    calls = {"n": 0}
    for cls in (
        basevalidators.CompoundValidator,
        basevalidators.CompoundArrayValidator,
        basevalidators.DataArrayValidator,
        basevalidators.StringValidator,
        basevalidators.NumberValidator,
        basevalidators.ColorValidator,
        basevalidators.EnumeratedValidator,
    ):
        real = cls.validate_coerce

        def counting(self, v, *args, _real=real, **kwargs):
            calls["n"] += 1
            return _real(self, v, *args, **kwargs)

        monkeypatch.setattr(cls, "validate_coerce", counting)
    out = cb.for_browser(fig)
    raw = out.to_dict()
    go.Figure(data=raw["data"], layout=raw["layout"])  # what validating it again asks
    validating = calls["n"]
    calls["n"] = 0
    cb.for_browser(fig)
    # what is left: the template's removal and the second axes (Plotly builds subplot axes validated)
    assert calls["n"] * 5 < validating
