"""bench/bench_scale.py's app part opens every page of the navigation (no corpus is loaded here)."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "bench_scale.py")
bs = importlib.util.module_from_spec(spec)
sys.modules["bench_scale"] = bs
spec.loader.exec_module(bs)


def test_the_app_part_opens_every_page_of_the_navigation():
    files = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
    assert sorted(bs.pages()) == files  # a page added to pages/ and the navigation is benched too
    assert bs.pages()[0] == "overview"
