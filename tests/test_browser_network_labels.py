"""人物's network, read off the SVG in Debian Chromium (the plotly.js the plotly package ships, without a
server): every name's label is drawn whole, outside the circle where the lines between names run, and
covers no other name nor another name's dot — at the page's width and a narrow one.  Labels written
above every dot lay across the lines and the dots down the sides of the circle (seen in the browser,
2026-12-03)."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pandas as pd
import plotly
import pytest
import test_browser as tb

from pinghu_core.people import charts

browser, page = tb.browser, tb.page  # the fixtures of tests/test_browser.py

pytestmark = pytest.mark.browser

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
NAMES = ["仲旭东", "沈志凤", "胡水良", "石云良", "方晓烈", "王道平", "蔡国平", "万京平", "唐忠宏", "汤建辉",
         "祁海龙", "姚田宝", "徐锦连", "万向明", "胡志梁", "金玉珍", "陶明方", "何健", "周军波", "张永红"]  # fmt: skip


def network() -> pd.DataFrame:
    rows = [(a, b, 1 + (i * 7 + j * 3) % 5) for (i, a), (j, b) in itertools.combinations(enumerate(NAMES), 2)]
    return pd.DataFrame(rows, columns=["name_a", "name_b", "articles"])


def drawn(page, figure, width: int) -> dict[str, list[dict]]:
    if not page.evaluate("() => typeof Plotly !== 'undefined'"):
        page.set_content('<div id="chart"></div>')
        page.add_script_tag(path=str(PLOTLY_JS))
    spec = json.loads(figure.to_json())
    return page.evaluate(
        """async ([s, w]) => {
            const g = document.getElementById('chart'); Plotly.purge(g); g.style.width = w + 'px';
            await Plotly.newPlot(g, s.data, s.layout, {responsive: false});
            const box = (e) => { const r = e.getBoundingClientRect();
                                 return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
            const last = [...g.querySelectorAll('.scatterlayer .trace')].pop();
            return {labels: [...last.querySelectorAll('.textpoint text')].map(box),
                    dots: [...last.querySelectorAll('.points .point')].map(box),
                    svg: box(g.querySelector('.main-svg'))};
        }""",
        [spec, width],
    )


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


@pytest.mark.parametrize("width", [900, 560])
def test_every_name_is_readable_beside_its_own_dot(page, width):
    figure = charts.network_figure(network(), top=20)
    assert list(figure.data[-1].text) and len(figure.data[-1].text) == 20
    got = drawn(page, figure, width)
    labels, dots, svg = got["labels"], got["dots"], got["svg"]
    assert len(labels) == len(dots) == 20
    for (i, a), (j, b) in itertools.combinations(enumerate(labels), 2):
        assert not overlaps(a, b), f"at {width} px: {figure.data[-1].text[i]} and {figure.data[-1].text[j]}"
    for i, label in enumerate(labels):
        name = figure.data[-1].text[i]
        covered = [figure.data[-1].text[j] for j, dot in enumerate(dots) if j != i and overlaps(label, dot)]
        assert not covered, f"at {width} px: the label {name} covers the dots of {covered}"
        assert svg["left"] <= label["left"] and label["right"] <= svg["right"], (
            f"{name} cut off at {width} px"
        )
    # the circle the dots lie on: no label reaches into it, where the lines between names run
    centres = [((d["left"] + d["right"]) / 2, (d["top"] + d["bottom"]) / 2) for d in dots]
    cx, cy = sum(x for x, _ in centres) / len(centres), sum(y for _, y in centres) / len(centres)
    radius = sum(math.dist((cx, cy), c) for c in centres) / len(centres)
    for i, label in enumerate(labels):
        nearest = (min(max(cx, label["left"]), label["right"]), min(max(cy, label["top"]), label["bottom"]))
        inside = radius - math.dist((cx, cy), nearest)
        assert inside <= 0.08 * radius, (
            f"at {width} px: {figure.data[-1].text[i]} lies {inside:.0f} px inside"
        )
