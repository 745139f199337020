"""bench/bench_pages.py's "settled" stamp (its observer, bench/page_observer.py) in a real browser
(Debian Chromium, a blank page, no server): what a user can see moves it; a screen reader's live
region and the unpainted children of a canvas (the table grid's screen-reader copy) do not."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from test_browser import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("page_observer", ROOT / "bench" / "page_observer.py")
po = importlib.util.module_from_spec(spec)
spec.loader.exec_module(po)

pytestmark = pytest.mark.browser

PAGE = """<div id="shown">a</div><div aria-live="polite"><span id="spoken">3 options</span></div>
<canvas id="grid" width="10" height="10"><table><tr><td id="cell">1</td></tr></table></canvas>"""


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    if not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.set_content(PAGE)
        tab.evaluate(po.OBSERVER_JS)
        yield tab
        browser.close()


def stamped(page, change: str) -> bool:
    """Whether ``change`` (JavaScript) moved the settled stamp."""
    before = page.evaluate("() => window.__pb.last")
    page.evaluate(f"() => {{ {change} }}")
    page.wait_for_timeout(20)  # the observer's records arrive in a microtask
    return page.evaluate("() => window.__pb.last") > before


@pytest.mark.parametrize(
    ("change", "seen"),
    [
        ("document.getElementById('shown').textContent = 'b'", True),
        ("document.getElementById('shown').append(document.createElement('p'))", True),
        ("document.getElementById('grid').setAttribute('width', '20')", True),  # the canvas itself
        ("document.getElementById('spoken').textContent = '4 options'", False),
        ("document.getElementById('cell').textContent = '2'", False),
        ("document.getElementById('grid').append(document.createElement('table'))", False),
        (
            "document.getElementById('grid').firstElementChild.remove()",
            False,
        ),  # detached: judged by its parent
    ],
)
def test_only_what_is_painted_moves_the_settled_stamp(page, change: str, seen: bool) -> None:
    assert stamped(page, change) is seen
