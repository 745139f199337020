"""bench/bench_pages.py's passes: no counted pass repeats a view the warm-up already cached."""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT

spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench" / "bench_pages.py")
bp = importlib.util.module_from_spec(spec)
sys.modules["bench_pages"] = bp  # its dataclasses look their module up
spec.loader.exec_module(bp)

RANGES = [("2019-01-01", "2019-12-31"), ("2021-03-01", "2021-08-31"), ("2024-01-01", "2024-06-30")]


def names(steps) -> list[tuple[str, str]]:
    return [(s.page, s.name) for s in steps]


def test_the_warm_up_leaves_out_only_the_steps_marked_so():
    chosen = bp.steps(RANGES)
    counted, warm = bp.pass_steps(chosen, counted=True), bp.pass_steps(chosen, counted=False)
    assert names(counted) == names(chosen)
    assert ("人物", "a kind") in names(counted) and ("人物", "a kind") not in names(warm)
    assert names(warm) == [n for n in names(chosen) if n != ("人物", "a kind")]


def test_the_three_kinds_go_to_the_three_counted_passes(monkeypatch):
    """人物 has three kinds: with the warm-up choosing one too, one of three passes found its view cached."""
    kind = next(s for s in bp.steps(RANGES) if (s.page, s.name) == ("人物", "a kind"))
    chosen: list[int] = []
    monkeypatch.setattr(bp, "choose", lambda page, testid, label, option: chosen.append(option))
    for i in range(3):  # the counted passes' indices (the warm-up, len(QUERIES) - 1, skips the step)
        kind.act(type("Tab", (), {"page": None})(), i)
    assert sorted(chosen) == [0, 1, 2]
