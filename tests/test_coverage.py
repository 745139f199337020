"""Nothing lost: every character of every page ends up in exactly one item."""

import re
from pathlib import Path

import pytest

from pinghu_core.layout import parse_page
from pinghu_core.pipeline import coverage, page_id_for, process_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
CJK = re.compile(r"[\u4e00-\u9fff]")
ROLE_CHARS = set("记者通讯员摄影实习生见本报")


def assert_nothing_lost(text: str) -> None:
    parse = parse_page(text)
    if not text.strip():
        assert parse.items == []
        return
    owners: dict[int, int] = {}
    for k, item in enumerate(parse.items):
        for i in item.lines:
            assert i not in owners, f"line {i + 1} owned by items {owners[i]} and {k}"
            owners[i] = k
    assert sorted(owners) == list(range(len(parse.lines))), "some lines belong to no item"
    assert sum(len(parse.lines[i]) + 1 for i in owners) - 1 == len(text)
    cov, problems = coverage(parse)
    assert cov == pytest.approx(1.0) and problems == []
    # Each item's output carries the Chinese characters of the raw lines it owns.
    for item in parse.items:
        b = item.byline
        out = "".join(
            [
                item.kicker,
                item.title,
                item.subtitle,
                item.column_name,
                item.body,
                *b.reporters,
                *b.correspondents,
                *b.photographers,
                *b.interns,
                *b.authors,
            ]
        )
        raw = "".join(parse.lines[i] for i in item.lines)
        allowed = ROLE_CHARS | (set("下转版") if item.continued else set())  # 下转2版 is the continued flag
        missing = set(CJK.findall(raw)) - set(out) - allowed
        assert not missing, f"item {item.order} ({item.kind} {item.title!r}) lost {sorted(missing)[:10]}"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_pages_lose_nothing(path):
    assert_nothing_lost(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_page_reports_full_coverage(path):
    data = path.read_bytes()
    page = process_text(data.decode("utf-8"), path.name, page_id=page_id_for(data)).page.iloc[0]
    assert page["coverage"] == pytest.approx(1.0)
    assert page["items"] == sum(page[c] for c in page.index if c.startswith("n_"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "只有一行没有标点的文字",
        "■记者 冯思家",
        "本报讯 昨天上午，活动举行。\n\n■摄影 王强\n",
        "»»»»» 详见二版",
        "# 标题\n\n## 副题\n\n正文第一段没有结束\n\n正文第二段。",
        "a\r\nb",  # reading normalises CRLF, but the parser must not lose a stray CR either
    ],
)
def test_odd_pages_lose_nothing(text):
    assert_nothing_lost(text)


@pytest.mark.parametrize("k", range(30))
def test_generated_pages_lose_nothing(k):
    """Generated pages in every shape (markdown, plain, PDF): every line owned exactly once."""
    import random
    from datetime import date, timedelta

    from pinghu_core.synth import SHAPES, generate_page

    page = generate_page(date(2016, 1, 1) + timedelta(days=37 * k), random.Random(k), SHAPES[k % len(SHAPES)])
    assert_nothing_lost(page.text)
