"""Passages printed twice: which second copies are extraction artefacts (dropped and recorded)
and which are the paper's own words (kept).  Real-shaped input → expected output."""

from __future__ import annotations

import pytest

from pinghu_core.parse.passages import drop_repeated_passages, recurring, repeated_spans
from pinghu_core.parse.tracked import TText

MUSEUM = "平湖市博物馆新馆项目含主体工程与陈列布展工程两部分，总投资50559万元。"
DECK = "今年以来，我市坚持项目为王，全力以赴稳住经济大盘，一季度完成固定资产投资同比增长百分之十二。"
NAME = "坚持和完善中国特色社会主义制度、推进国家治理体系和治理能力现代化"

CASES = [
    # (what, text, expected text after the repair, passages dropped)
    ("printed twice in a row", MUSEUM + MUSEUM, MUSEUM, 1),
    ("printed twice in a row across a line break", MUSEUM + "\n" + MUSEUM, MUSEUM + "\n", 1),
    (
        "an overlap of text runs: jumps back mid-clause and prints whole sentences again",
        "代表们按捺不住激动的心情。"
        + MUSEUM
        + "目前已完工。“最大的感受就是不住激动的心情。"
        + MUSEUM
        + "目前已完工。\n座谈会上",
        "代表们按捺不住激动的心情。" + MUSEUM + "目前已完工。“最大的感受就是\n座谈会上",
        1,
    ),
    (
        "a law's formula that only runs into the next sentence",
        "人民法院应当在收到撤销缓刑建议书后三十日内作出裁定，将裁定书送达社区矫正机构和公安机关，并抄送人民检察院。"
        "\n人民法院拟撤销缓刑的，应当通知。\n决定机关应当在收到建议书后三十日内作出决定，将决定书送达社区矫正机构和公安机关，"
        "并抄送人民检察院。\n人民法院、公安机关依法执行。",
        None,
        0,
    ),
    (
        "a deck sentence repeated in the body",
        DECK + "\n记者从市发改局获悉，" + DECK + "其中工业投资增长较快。",
        None,
        0,
    ),
    ("a caption repeating a body sentence", MUSEUM + "\n图为建设现场。\n" + MUSEUM, None, 0),
    ("a long name repeated within one clause", f"会议学习{NAME}的决定，强调要把{NAME}落到实处。", None, 0),
    (
        "a formula the paper repeats over and over",
        "".join(
            f"平湖市召开第{i}次经济工作会议，部署下一阶段重点工作，推进两新融合发展。" for i in range(1, 6)
        ),
        None,
        0,
    ),
    ("a short phrase repeated in a row stays", "加快发展加快发展", None, 0),
    (
        "a quotation quoted again (its copy starts at the quotation mark, not inside the word)",
        "要理解“伟大的中华人民共和国万岁”的内涵。道出了共同心声：“伟大的中华人民共和国万岁！伟大的中国共产党万岁！伟大的中国人民万岁！”聆听讲话。"
        "就要深刻领会“伟大的中华人民共和国万岁！伟大的中国共产党万岁！伟大的中国人民万岁！”所展现的自信。",
        None,
        0,
    ),
    (
        "a paragraph restated with its punctuation changed",
        "疫情在需求方面造成的损失，也能较快得到恢复。根据我国经济社会发展态势来判断，总体上不会延迟目标的实现。\n"
        "同时，疫情在需求方面造成的损失也能较快得到恢复。根据我国经济社会发展态势来判断，总体上不会延迟目标的实现。从全面建成",
        None,
        0,
    ),
    (
        "a summary point the body restates at more length",
        "■中国特色社会主义制度，是我们党在长期探索中形成和发展起来的。在不断探索、不断实践中，制度不断完善和发展。\n"
        "正文：制度是在借鉴根据地执政经验基础上、经过新中国成立后的长期探索形成和发展起来的。在不断探索、不断实践中，"
        "制度不断完善和发展。\n从新中国成立到",
        None,
        0,
    ),
    (
        "two parallel reports that differ in a name",
        "原书记赵正永涉嫌受贿一案，由国家监察委员会调查终结，经最高人民检察院指定。近日已提起公诉。\n检察机关告知了被告人赵正永享有的权利。\n"
        "原副省长陈国强涉嫌受贿一案，由国家监察委员会调查终结，经最高人民检察院指定。近日已提起公诉。\n检察机关告知了被告人陈国强享有的权利。",
        None,
        0,
    ),
]


@pytest.mark.parametrize(("what", "text", "expected", "dropped"), CASES, ids=[c[0] for c in CASES])
def test_what_is_dropped(what: str, text: str, expected: str | None, dropped: int) -> None:
    out, n = drop_repeated_passages(text)
    assert (out, n) == (text if expected is None else expected, dropped)


def test_every_dropped_character_is_a_recorded_repair() -> None:
    text = (
        "心情。"
        + MUSEUM
        + "目前已完工。“最大的感受就是不住激动的心情。"
        + MUSEUM
        + "目前已完工。"
        + DECK
        + DECK
    )
    out, n = drop_repeated_passages(TText.plain(text))
    removed = sum(len(r.removed) for r in out.repairs() if r.kind == "duplicate")
    assert n == 2 and removed == len(text) - len(out.text)
    assert all(r.removed for r in out.repairs() if r.kind == "duplicate")


def test_recurring_groups_overlapping_first_copies() -> None:
    assert recurring([(40, 80, 0), (90, 130, 5), (200, 240, 150)]) == {0, 1}
    assert recurring([(40, 80, 0), (200, 240, 150)]) == set()


def test_repeated_spans_are_linear_on_a_long_formula() -> None:
    text = "".join(f"第{i}项工作会议部署下一阶段重点工作，推进两新融合发展。" for i in range(3000))
    spans = repeated_spans(text)
    assert spans and all(a < b and p < a for a, b, p in spans)
    assert drop_repeated_passages(text) == (text, 0)


SEED_TEXT = "".join(
    p.read_text(encoding="utf-8")
    for p in sorted((__import__("pathlib").Path(__file__).parents[1] / "data" / "corpus").glob("*.txt"))
)


def test_the_sampled_precheck_never_hides_a_repeat() -> None:
    """repeated_spans skips its index when the sampled search finds no shingle repeated at least a
    shingle earlier; on texts with and without repeats it gives what the full scan gives."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pinghu_core.parse import passages

    @settings(max_examples=300, deadline=None)
    @given(
        st.integers(0, len(SEED_TEXT) - 400),
        st.integers(20, 400),
        st.integers(0, 200),
        st.integers(25, 120),
        st.integers(0, 300),
    )
    def check(start: int, size: int, at: int, copy: int, insert: int) -> None:
        base = SEED_TEXT[start : start + size]
        piece = base[at : at + copy]
        text = base[:insert] + piece + base[insert:] if insert < len(base) else base + piece
        fast = passages.repeated_spans(text)
        old = passages._SAMPLED_MAX
        passages._SAMPLED_MAX = -1  # the full scan only
        try:
            assert fast == passages.repeated_spans(text)
        finally:
            passages._SAMPLED_MAX = old

    check()


def test_a_text_made_to_defeat_the_precheck_costs_few_comparisons(monkeypatch) -> None:
    """One phrase every 19 characters, different text between: each probed shingle recurs all along
    the text and no 30-character windows are equal.  The precheck gives up after _WINDOW_CHECKS
    comparisons and answers "look" (the linear index then finds no repeat) instead of comparing
    windows for every pair of places — seconds for 20,000 such characters."""
    from pinghu_core.parse import passages

    letters = [chr(0x4E00 + 37 * i % 20_000) for i in range(20_000)]
    phrase = "平湖市重点项目集中开工仪式"[: passages.SHINGLE]
    text = "".join(phrase + "".join(letters[7 * i : 7 * i + 7]) for i in range(1_000))
    compared: list[int] = []
    equal_windows = passages._equal_windows
    monkeypatch.setattr(
        passages, "_equal_windows", lambda t, k, j: compared.append(1) or equal_windows(t, k, j)
    )
    assert passages._may_repeat(text) is True  # "look": a necessary condition only
    assert len(compared) == passages._WINDOW_CHECKS
    assert passages.repeated_spans(text) == []
