"""Tracked text: the fast paths give exactly what the general ones give."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pinghu_core.parse import tracked
from pinghu_core.parse.tracked import TText, delete, sub

TEXT = st.text(alphabet="平湖,，:：。 a1(（", max_size=40)


def _with_edits(text: str, cuts: list[int]) -> TText:
    """A tracked text carrying earlier repairs at several positions (as body text does)."""
    t = TText.plain(text)
    for c in cuts:
        if 0 <= c < len(t.text):
            t = delete(t, c, c + 1, "markup")
    return t


def _state(t: TText) -> tuple:
    return t.text, list(t.src), [(p, r) for p, r in t.edits]


@given(
    TEXT,
    st.lists(st.integers(0, 40), max_size=4),
    st.sampled_from([(",", "，"), (":", "："), ("平湖", "PH"), (" ", "")]),
)
def test_same_length_literal_sub_equals_the_general_sub(text, cuts, swap):
    """``sub`` with a literal of the match's length takes a path that keeps every offset; it must
    record the same text, offsets and repairs (in the same order) as the general path."""
    pattern, literal = re.compile(re.escape(swap[0])), swap[1]
    t = _with_edits(text, cuts)
    fast = sub(t, pattern, literal, "punctuation")
    general = sub(t, pattern, lambda m: literal, "punctuation")  # a callable never takes the fast path
    assert _state(fast) == _state(general)


def test_the_fast_path_is_the_one_taken() -> None:
    t = _with_edits("平湖,项目,建设", [0])
    calls = []
    real = tracked._sub_in_place
    try:
        tracked._sub_in_place = lambda *a: calls.append(a) or real(*a)
        out = sub(t, re.compile(","), "，", "punctuation")
    finally:
        tracked._sub_in_place = real
    assert calls and out.text == "湖，项目，建设"
    assert [r.kind for r in out.repairs()] == ["markup", "punctuation", "punctuation"]


def test_offsets_of_any_span_count_up_from_its_start() -> None:
    assert list(tracked._offsets(3, 7)) == [3, 4, 5, 6]
    assert list(tracked._offsets(5, 5)) == [] == list(tracked._offsets(7, 3))
    far = tracked._COUNTING_MAX + 10
    assert list(tracked._offsets(far, far + 2)) == [far, far + 1]
    assert list(TText.at("平湖", 41).src) == [41, 42]
