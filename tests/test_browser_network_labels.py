"""人物's network, read off the SVG in Debian Chromium (the plotly.js the plotly package ships, without a
server): every name's label is drawn whole, outside the circle where the lines between names run, and
covers no other name nor another name's dot — at the page's width and a narrow one.  Labels written
above every dot lay across the lines and the dots down the sides of the circle (seen in the browser,
2026-12-03)."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import plotly_page
import pytest
import test_browser as tb

from pinghu_core.people import charts

browser, page = tb.browser, tb.page  # the fixtures of tests/test_browser.py

pytestmark = pytest.mark.browser

NAMES = ["仲旭东", "沈志凤", "胡水良", "石云良", "方晓烈", "王道平", "蔡国平", "万京平", "唐忠宏", "汤建辉",
         "祁海龙", "姚田宝", "徐锦连", "万向明", "胡志梁", "金玉珍", "陶明方", "何健", "周军波", "张永红"]  # fmt: skip


def network() -> pd.DataFrame:
    rows = [(a, b, 1 + (i * 7 + j * 3) % 5) for (i, a), (j, b) in itertools.combinations(enumerate(NAMES), 2)]
    return pd.DataFrame(rows, columns=["name_a", "name_b", "articles"])


def drawn(page, figure, width: int) -> dict[str, list[dict]]:
    """Draw ``figure`` ``width`` px wide; the boxes of the names' labels and dots (the last trace) and
    of the whole SVG."""
    plotly_page.plot(page, figure, width)
    last = ".scatterlayer .trace:last-of-type"
    return plotly_page.boxes(
        page, {"labels": f"{last} .textpoint text", "dots": f"{last} .points .point", "svg": ".main-svg"}
    )


@pytest.mark.parametrize("width", [900, 560])
def test_every_name_is_readable_beside_its_own_dot(page, width):
    figure = charts.network_figure(network(), top=20)
    assert list(figure.data[-1].text) and len(figure.data[-1].text) == 20
    got = drawn(page, figure, width)
    labels, dots, svg = got["labels"], got["dots"], got["svg"][0]
    assert len(labels) == len(dots) == 20
    for (i, a), (j, b) in itertools.combinations(enumerate(labels), 2):
        assert not plotly_page.overlaps(a, b), (
            f"at {width} px: {figure.data[-1].text[i]} and {figure.data[-1].text[j]}"
        )
    for i, label in enumerate(labels):
        name = figure.data[-1].text[i]
        covered = [
            figure.data[-1].text[j]
            for j, dot in enumerate(dots)
            if j != i and plotly_page.overlaps(label, dot)
        ]
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
