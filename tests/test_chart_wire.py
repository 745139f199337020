"""What a chart costs on the wire: Streamlit sends ``plotly.io.to_json(figure, validate=False)``, which
uses orjson when it is installed (a dependency): Chinese as UTF-8, three bytes a character, instead
of the standard encoder's six-byte ``\\uXXXX`` escapes — half the bytes of a timeline whose hover
texts are Chinese.  The figure the browser reads is the same either way."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from pinghu_core.common import chart_base


def _figure() -> go.Figure:
    months = [f"2016-{m:02d}-01" for m in range(1, 13)]
    return chart_base.for_browser(
        chart_base.figure(
            [
                {
                    "type": "scatter",
                    "x": months,
                    "y": np.linspace(0.1, 0.6, 12),
                    "text": [
                        f"<b>重大项目与有效投资 · 2016年{m}月</b><br>59.6%（143篇）" for m in range(1, 13)
                    ],
                    "customdata": [None, *months[1:]],
                    "name": "重大项目与有效投资",
                }
            ],
            {"title": {"text": "每月提及该主题的新闻报道占比"}},
        )
    )


def test_charts_go_to_the_browser_as_utf8_chinese() -> None:
    spec = pio.to_json(_figure(), validate=False)  # exactly what st.plotly_chart sends
    assert "重大项目与有效投资" in spec and "\\u91cd" not in spec
    assert pio.json.config.default_engine in ("auto", "orjson")


def test_the_browser_reads_the_same_figure_from_either_encoder() -> None:
    fig = _figure()
    fast = json.loads(pio.to_json(fig, validate=False, engine="orjson"))
    standard = json.loads(pio.to_json(fig, validate=False, engine="json"))
    assert fast == standard
