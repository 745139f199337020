"""A core figure drawn by plotly.js in a Chromium page, without a server (the plotly.js the plotly
package ships; the one Streamlit's frontend bundles is the same library), and the boxes of what it drew:
for the browser tests that measure a chart's SVG."""

from __future__ import annotations

import json
from pathlib import Path

import plotly

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plot(page, figure, width: int = 900) -> None:
    """Draw ``figure`` ``width`` px wide in ``#chart`` of ``page`` (plotly.js loaded on first use)."""
    if not page.evaluate("() => typeof Plotly !== 'undefined'"):
        page.set_content('<div id="chart"></div>')
        page.add_script_tag(path=str(PLOTLY_JS))
    page.evaluate(
        "async ([s, w]) => { const g = document.getElementById('chart'); Plotly.purge(g);"
        " g.style.width = w + 'px'; await Plotly.newPlot(g, s.data, s.layout, {responsive: false}); }",
        [json.loads(figure.to_json()), width],
    )


def boxes(page, selectors: dict[str, str]) -> dict[str, list[dict]]:
    """The bounding boxes (top, bottom, left, right) of the drawn elements each CSS selector (inside
    ``#chart``) finds, in document order; empty boxes left out."""
    return page.evaluate(
        """(sel) => Object.fromEntries(Object.entries(sel).map(([k, css]) => [k,
            [...document.querySelectorAll('#chart ' + css)].map((e) => e.getBoundingClientRect())
              .filter((r) => r.bottom > r.top)
              .map((r) => ({top: r.top, bottom: r.bottom, left: r.left, right: r.right}))]))""",
        selectors,
    )


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )
