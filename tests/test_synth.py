"""The synthetic corpus generator: deterministic, shaped like the seeds, with clean truth."""

from __future__ import annotations

import json
import random
import re
import statistics
from datetime import date, timedelta
from pathlib import Path

import pytest

from bench import synth

START = date(2020, 1, 1)  # 60 days from here include New Year's Day and the Spring Festival
CJK = "\u4e00-\u9fff"
HALF_WIDTH_IN_CJK = re.compile(rf"[{CJK}“”][,:;!?()]|[,:;!?()][{CJK}“”]")
DOUBLED = re.compile(r"([\u4e00-\u9fff“”]{3,})\1")
SPACED_DIGITS = re.compile(rf"(?<!本报讯)(?<=[{CJK}，。]) \d|\d [{CJK}]")
ITEM_KEYS = {
    "kind",
    "column_name",
    "kicker",
    "title",
    "subtitle",
    "reporters",
    "correspondents",
    "photographers",
    "interns",
    "authors",
    "body",
    "continued",
    "duplicates_dropped",
    "byline_detached",
    "extra",
}

# File names carry the date in these forms; the last one is a dated folder (2020/07/22/page1.txt).
NAME_DATES = (
    re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"),
)
FOLDER_DATE = re.compile(r"(?:^|/)(\d{4})/(\d{2})/(\d{2})/[^/]+$")


def date_from_path(rel: str) -> date | None:
    name = rel.rsplit("/", 1)[-1]
    for pattern in NAME_DATES:
        m = pattern.search(name)
        if m:
            return date(*map(int, m.groups()))
    m = FOLDER_DATE.search(rel)
    return date(*map(int, m.groups())) if m else None


def squash(text: str) -> str:
    """Raw or truth text → comparable: full-width punctuation, no whitespace."""
    return "".join(text.translate(synth.HALF_TO_FULL).split())


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.txt"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[synth.GeneratedPage]]:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    return out, synth.generate_corpus(out, start=START, days=60, seed=0)


@pytest.fixture(scope="module")
def pages(corpus) -> list[synth.GeneratedPage]:
    return corpus[1]


def items(pages, kind: str | None = None):
    return [it for p in pages for it in p.truth["items"] if kind is None or it["kind"] == kind]


# ------------------------------------------------------------------------------ determinism


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    a = synth.generate_corpus(tmp_path / "a", start=START, days=30, seed=7)
    b = synth.generate_corpus(tmp_path / "b", start=START, days=30, seed=7)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert [p.truth for p in a] == [p.truth for p in b]


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    synth.generate_corpus(tmp_path / "a", start=START, days=30, seed=0)
    synth.generate_corpus(tmp_path / "b", start=START, days=30, seed=1)
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    same = sum(1 for k in a if b.get(k) == a[k])
    assert same == 0


def test_generate_page_depends_only_on_its_rng() -> None:
    day = date(2021, 8, 16)
    for shape in synth.SHAPES:
        first = synth.generate_page(day, random.Random(5), shape)
        again = synth.generate_page(day, random.Random(5), shape)
        other = synth.generate_page(day, random.Random(6), shape)
        assert first == again
        assert first.text != other.text


def test_a_page_does_not_depend_on_the_days_before_it(tmp_path: Path, pages) -> None:
    later = synth.generate_corpus(tmp_path, start=START + timedelta(days=40), days=20, seed=0)
    by_day = {p.day: p for p in pages}
    assert later and all(by_day[p.day].text == p.text for p in later)


def test_unknown_shape_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        synth.generate_page(START, random.Random(0), "scanned")
    with pytest.raises(ValueError):
        synth.generate_corpus(tmp_path, start=START, days=3, shapes=["plain", "ocr"])


# ------------------------------------------------------------------------------ coverage of shapes and kinds


def test_every_shape_and_kind_appears_in_60_days(pages) -> None:
    assert {p.truth["shape"] for p in pages} == set(synth.SHAPES)
    assert {it["kind"] for it in items(pages)} == set(synth.KINDS)


def test_restricting_shapes(tmp_path: Path) -> None:
    got = synth.generate_corpus(tmp_path, start=START, days=10, seed=0, shapes=["pdf"])
    assert {p.truth["shape"] for p in got} == {"pdf"}
    assert {p.truth["layout"] for p in got} == {"pdf"}


def test_some_days_have_no_paper(pages) -> None:
    days = {p.day for p in pages}
    assert date(2020, 1, 1) not in days  # New Year's Day
    assert date(2020, 1, 25) not in days  # Spring Festival
    assert 45 <= len(days) < 60
    assert synth.publishing_days(START, 60, 0) == sorted(days)


def test_days_for_pages_gives_exactly_that_many_pages() -> None:
    span = synth.days_for_pages(date(2016, 1, 1), 100, seed=0)
    assert len(synth.publishing_days(date(2016, 1, 1), span, 0)) == 100
    assert len(synth.publishing_days(date(2016, 1, 1), span - 1, 0)) == 99


# ------------------------------------------------------------------------------ files


def test_files_hold_the_returned_pages(corpus) -> None:
    out, pages = corpus
    files = tree(out)
    assert sorted(files) == sorted(p.filename for p in pages)
    assert all(files[p.filename] == p.text.encode("utf-8") for p in pages)


def test_file_names_parse_to_the_truth_date(pages) -> None:
    for p in pages:
        assert date_from_path(p.filename) == p.day, p.filename
        assert p.truth["filename"] == p.filename


def test_file_names_come_in_several_forms(tmp_path: Path) -> None:
    got = synth.generate_corpus(tmp_path, start=date(2019, 1, 1), days=365, seed=0)
    names = [p.filename for p in got]
    assert any(re.fullmatch(r"\d{4}/\d{2}/\d{4}-\d{2}-\d{2}\.txt", n) for n in names)
    assert any(n.endswith("_1.txt") for n in names)
    assert any(n.endswith("/page1.txt") for n in names)
    assert any("年" in n for n in names)
    assert sum("/" in n for n in names) > 0.9 * len(names)  # mostly in YYYY/MM folders
    assert len(set(names)) == len(names)


def test_pages_are_8_to_20_kb(pages) -> None:
    sizes = [len(p.text.encode("utf-8")) for p in pages]
    assert min(sizes) >= 8_000 and max(sizes) <= 20_000
    assert 12_000 <= statistics.mean(sizes) <= 16_500


# ------------------------------------------------------------------------------ shapes look like the seeds


def by_shape(pages, shape: str):
    return [p for p in pages if p.truth["shape"] == shape]


def test_markdown_pages_use_markup(pages) -> None:
    for p in by_shape(pages, "markdown"):
        lines = p.text.split("\n")
        assert "# 平湖版" in lines and "## JIAXING DAILY" in lines
        assert any(x.startswith("■记者 ") for x in lines)
        assert "," in p.text and "，" not in p.text


def test_plain_pages_have_half_width_punctuation_and_little_markup(pages) -> None:
    for p in by_shape(pages, "plain"):
        assert HALF_WIDTH_IN_CJK.search(p.text)
        assert "，" not in p.text
        assert not any(x.startswith("# ") or x.startswith("**") for x in p.text.split("\n"))


def test_pdf_pages_are_hard_wrapped_with_full_width_punctuation(pages) -> None:
    pdf = by_shape(pages, "pdf")
    doubled = 0
    for p in pdf:
        lengths = [len(x) for x in p.text.split("\n") if x.strip()]
        assert 12 <= statistics.median(lengths) <= 16
        assert not HALF_WIDTH_IN_CJK.search(p.text)
        doubled += bool(re.search(r"(“{2}|”{2})", p.text) or DOUBLED.search(p.text))
    assert doubled >= 1


def printed_forms(title: str) -> list[str]:
    """A title as a pdf page may print it: as is, or with its bold runs doubled."""
    parts = title.split(" ")
    return [
        squash(title),
        squash(synth._double_runs(title)),
        "".join(squash(synth._double_runs(x)) for x in parts),
    ]


def test_pdf_headlines_follow_their_bodies(pages) -> None:
    checked = 0
    for p in by_shape(pages, "pdf"):
        raw = squash(p.text)
        for it in items([p], "news")[1:]:
            start = raw.find(squash(it["body"])[:15])
            found = [raw.find(form) for form in printed_forms(it["title"]) if form in raw]
            assert start != -1 and found, it["title"]
            assert min(found) > start, it["title"]
            checked += 1
    assert checked >= 10


def test_pdf_bylines_gathered_at_the_top(pages) -> None:
    detached = [it for p in by_shape(pages, "pdf") for it in p.truth["items"] if it["byline_detached"]]
    assert detached
    for p in by_shape(pages, "pdf"):
        first_body = p.text.find("本报讯")
        for it in p.truth["items"]:
            if it["byline_detached"]:
                top = squash(p.text[:first_body])
                assert all(squash(n)[:1] in top for n in it["reporters"])


def test_bylines_come_in_the_seed_forms(tmp_path: Path) -> None:
    text = "\n".join(
        p.text for p in synth.generate_corpus(tmp_path, start=date(2021, 3, 1), days=120, seed=3)
    )
    assert re.search(r"^■记者 [\u4e00-\u9fff]", text, re.M)
    assert re.search(r"^■记 者 ", text, re.M)
    assert re.search(r"^记者 [\u4e00-\u9fff]", text, re.M)  # without ■
    assert re.search(r"^■摄影 [\u4e00-\u9fff] [\u4e00-\u9fff]", text, re.M)  # 王 强
    assert re.search(r"^■记者 \S+ \S+ 通讯员 ", text, re.M)
    assert re.search(r"^通讯员 \S+", text, re.M)  # on the next line
    assert re.search(r"[\u4e00-\u9fff”]■记者 \S+  $", text, re.M)  # headline and byline run together
    assert re.search(r"^言成声$", text, re.M)


def test_non_news_markers_are_printed(pages) -> None:
    text = "\n".join(p.text for p in pages)
    for marker in (
        "»»»»» 详见",
        "嘉兴市交通学校",
        "招生热线",
        "公益广告",
        "今天白天最高气温",
        "扫一扫 看视频",
        "栏目统筹",
        "下转2版",
        "本报讯 ",
    ):
        assert marker in text, marker


# ------------------------------------------------------------------------------ truth


def test_truth_is_plain_json_with_every_field(pages) -> None:
    for p in pages:
        again = json.loads(json.dumps(p.truth, ensure_ascii=False))
        assert again == p.truth
        assert date.fromisoformat(p.truth["date"]) == p.day
        assert p.truth["layout"] == ("pdf" if p.truth["shape"] == "pdf" else "clean")
        for it in p.truth["items"]:
            assert set(it) == ITEM_KEYS
            assert it["kind"] in synth.KINDS


def test_truth_bodies_are_clean(pages) -> None:
    for it in items(pages):
        for text in (it["body"], it["title"], it["kicker"], it["subtitle"]):
            assert not HALF_WIDTH_IN_CJK.search(text), text
            assert not DOUBLED.search(text), text
            if it["kind"] != "ad":  # 招生热线：8508717 8508709 俞金明
                assert not SPACED_DIGITS.search(text), text
            assert "下转" not in text and "■" not in text and "#" not in text and "**" not in text
        assert "\n\n" not in it["body"] and not it["body"].startswith(" ")


def test_truth_names_are_unpadded(pages) -> None:
    for it in items(pages):
        for role in ("reporters", "correspondents", "photographers", "interns", "authors"):
            assert all(" " not in n and 2 <= len(n) <= 4 for n in it[role])


def test_article_kinds_have_their_bylines(pages) -> None:
    assert all(it["reporters"] and it["title"] for it in items(pages, "news"))
    assert all(it["photographers"] and not it["reporters"] for it in items(pages, "photo"))
    assert all(it["authors"] and not it["reporters"] for it in items(pages, "commentary"))


def test_truth_text_is_printed_on_the_page(pages) -> None:
    """Every body and title can be found in the raw page, layout aside."""
    for p in pages:
        raw = squash(re.sub(r"^#+ |\*\*", "", p.text, flags=re.M))
        for it in p.truth["items"]:
            for para in it["body"].split("\n"):
                assert squash(para.lstrip("» ")) in raw or p.truth["shape"] == "pdf", para
            if p.truth["shape"] != "pdf" and it["title"] and it["kind"] not in ("guide", "ad"):
                assert squash(it["title"]) in raw


def test_repeated_passage_is_printed_twice_and_recorded_once(pages) -> None:
    recorded = [(p, it) for p in pages for it in p.truth["items"] if it["duplicates_dropped"]]
    assert recorded
    for p, it in recorded:
        assert it["duplicates_dropped"] == 1
        passage = squash(it["body"].split("\n")[0])[-40:]
        assert squash(p.text).count(passage) == 2


def test_no_accidental_repeated_passages(pages) -> None:
    for it in items(pages):
        body = "".join(it["body"].split())
        seen = set()
        for i in range(len(body) - 29):
            chunk = body[i : i + 30]
            assert chunk not in seen, chunk
            seen.add(chunk)


def test_continued_items_carry_the_mark_in_print_only(pages) -> None:
    continued = [(p, it) for p in pages for it in p.truth["items"] if it["continued"]]
    assert continued
    for p, it in continued:
        tail = squash(it["body"])[-12:]
        assert squash(p.text).count(tail + "（下转2版）") == 1


def test_body_dates_agree_with_the_page_date(pages) -> None:
    for p in pages:
        near = {(d.month, d.day) for d in (p.day - timedelta(days=k) for k in range(0, 8))}
        for it in items([p], "news"):
            for m in re.finditer(r"(?<![\d年])(\d{1,2})月(\d{1,2})日", it["body"]):
                assert (int(m.group(1)), int(m.group(2))) in near, (p.day, m.group(0))


def test_weather_is_plausible_for_the_month(pages) -> None:
    for p in pages:
        for it in items([p], "weather"):
            high, low = synth.CLIMATE[p.day.month]
            assert (
                abs(it["extra"]["high_c"] - high) <= 3 and it["extra"]["low_c"] <= it["extra"]["high_c"] - 3
            )
            assert f"最高气温{it['extra']['high_c']}℃" in it["body"]


def test_progress_sentences_give_later_features_something_to_find(pages) -> None:
    bodies = "\n".join(it["body"] for it in items(pages, "news"))
    assert re.search(r"总投资\d+(\.\d+)?亿元", bodies)
    assert re.search(r"完成进度为\d+(\.\d+)?%", bodies)
    assert any(place in bodies for place in synth.PLACES)


# ------------------------------------------------------------------------------ command line


def test_command_line_writes_pages_and_truth(tmp_path: Path) -> None:
    out, truth = tmp_path / "out", tmp_path / "truth.jsonl"
    assert (
        synth.main([str(out), "--days", "5", "--start", "2024-03-01", "--seed", "2", "--truth", str(truth)])
        == 0
    )
    rows = [json.loads(x) for x in truth.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(tree(out)) >= 4
    assert all((out / r["filename"]).exists() for r in rows)
