"""Properties of parsing any text (hypothesis): it never raises, and the result keeps its promises.

Over generated pages (lines of the sample pages and of synth pages, special tokens, absurd
dates, long and doubled lines, control characters …) and mutated sample pages, for both file
shapes: ``process_text`` returns frames that conform to the schemas, a page date (if any) in
1949-01-01 … tomorrow and a coverage in [0, 1].  And a folder with one poisoned file (its parse
raises, its date is absurd, or it runs out of time) still loads every other file and reports
that one.  Fixed ``max_examples`` keep the whole module to well under a minute.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import synth
from pinghu_core.common import schemas
from pinghu_core.corpus import ingest
from pinghu_core.parse import pipeline
from pinghu_core.parse.model import DateResult

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "corpus"
SEEDS = sorted(SEED_DIR.glob("*.txt"))
POISON = "【测试毒丸】"  # the line that marks the poisoned file
TOKENS = (
    "■",
    "——",
    "《》",
    "“”",
    "【】",
    "本报讯",
    "新华社北京1月31日电",
    "（记者X）",
    "记者",
    "摄",
    "本报记者 王强 摄",
    "下转2版",
    "（下转2版）",
    "导读",
    "公益广告",
    "详见二版",
    "3021年6月",
    "计划3021年6月建成",
    "0月0日",
    "13月45日",
    "2035年",
    "2099年12月31日举行",
    "1900年1月1日",
    "星期八",
    "2020年2月30日",
    "一季度",
    "今天",
    "昨天",
    "**",
    "## ",
    "# ",
    "> ",
    "- ",
    "|",
    "  ",
    "\t",
    "\u3000",
    "\x0b",
    "\x0c",
    "\u200b",
    "\ufeff",
    "\r",
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def seed_texts() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in SEEDS)


@cache
def corpus_lines() -> tuple[str, ...]:
    """Distinct non-empty lines of the sample pages and of a few synth pages (every shape)."""
    texts = list(seed_texts())
    day = date(2019, 3, 1)
    for k, shape in enumerate(synth.SHAPES * 2):
        texts.append(synth.generate_page(day + timedelta(days=k), synth.page_rng(day, k), shape).text)
    return tuple(sorted({line for t in texts for line in t.split("\n") if line.strip()}))


def doubled(run: str, whole: bool) -> str:
    return run + run if whole else "".join(c + c for c in run)


line = st.one_of(
    st.sampled_from(corpus_lines()),
    st.sampled_from(TOKENS),
    st.just(""),
    st.builds(lambda a, b: a + b, st.sampled_from(corpus_lines()), st.sampled_from(TOKENS)),
    st.builds(
        lambda a, n: (a * (n // max(1, len(a)) + 1))[:n],
        st.sampled_from(corpus_lines()),
        st.integers(1, 40_000),
    ),
    st.builds(doubled, st.sampled_from(corpus_lines()), st.booleans()),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60),
    st.text(alphabet="平湖记者本报讯摄年月日版，。“”《》■—0123456789 \t", max_size=200),
)
generated_page = st.lists(line, max_size=40).map("\n".join)


@st.composite
def mutated_seed(draw) -> str:
    """A sample page with lines deleted, duplicated, swapped or given tokens."""
    lines = draw(st.sampled_from(seed_texts())).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        op = draw(st.sampled_from(("delete", "duplicate", "swap", "token", "join")))
        if op == "delete":
            del lines[i : i + draw(st.integers(1, 10))]
        elif op == "duplicate":
            lines[i:i] = lines[i : i + draw(st.integers(1, 10))] * draw(st.integers(1, 3))
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "token" and lines:
            lines[i] = draw(st.sampled_from(TOKENS)) + lines[i]
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
    return "\n".join(lines)


def assert_keeps_promises(text: str, shape: str, source: str) -> None:
    frames = pipeline.process_text(text, source, page_id="p", shape=shape)
    schemas.check(frames.articles, schemas.ARTICLES)
    schemas.check(frames.page, schemas.PAGES)
    schemas.check(frames.progress, schemas.PROGRESS)
    page = frames.page.iloc[0]
    if pd.notna(page["date"]):
        assert pd.Timestamp("1949-01-01") <= page["date"] <= pd.Timestamp(date.today() + timedelta(days=1))
    assert 0.0 <= page["coverage"] <= 1.0
    assert page["items"] == len(frames.articles)
    assert frames.progress["when_date"].dropna().between("1949-01-01", "2100-12-31").all()


SOURCES = st.sampled_from(("p.txt", "2020-07-21.txt", "30210601.txt", "19000101.txt"))


@SETTINGS
@given(text=generated_page, shape=st.sampled_from(("page", "article")), source=SOURCES)
def test_generated_pages_parse_and_keep_their_promises(text: str, shape: str, source: str) -> None:
    assert_keeps_promises(text, shape, source)


@SETTINGS
@given(text=mutated_seed(), shape=st.sampled_from(("page", "article")), source=SOURCES)
def test_mutated_sample_pages_parse_and_keep_their_promises(text: str, shape: str, source: str) -> None:
    assert_keeps_promises(text, shape, source)


# ---------------------------------------------------------------- one poisoned file among many


def poisoned(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the file holding ``POISON`` fail the way ``kind`` says (the others parse as usual)."""
    real_parse, real_date = pipeline.parse_page, pipeline.page_date

    def parse(text):
        if POISON in text and kind == "raise":
            raise RuntimeError("毒丸")
        if POISON in text and kind == "timeout":
            end = time.monotonic() + 30
            while time.monotonic() < end:  # never calls budget.check: only a hard stop ends it
                pass
        return real_parse(text)

    def page_date(path, text, entry=None):
        if POISON in text and kind == "date":
            return DateResult(date(3021, 6, 1), "inferred", 0.9, "计划3021年6月建成")
        return real_date(path, text, entry)

    monkeypatch.setattr(pipeline, "parse_page", parse)
    monkeypatch.setattr(pipeline, "page_date", page_date)
    monkeypatch.setenv("PINGHU_PARSE_TIMEOUT", "2")


EXPECTED = {
    "raise": ("error", "parse_failed"),
    "timeout": ("error", "timeout"),
    # a date pandas cannot hold (dates.page_date never gives one): that file alone is an error row
    "date": ("error", "parse_failed"),
}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(EXPECTED)),
    victim=st.integers(0, len(SEEDS) - 1),
    via=st.sampled_from(("load_corpus", "load_files")),
)
def test_one_poisoned_file_costs_only_itself(kind: str, victim: int, via: str) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        folder = Path(tmp) / "corpus"
        shutil.copytree(SEED_DIR, folder, copy_function=shutil.copyfile)
        bad = folder / SEEDS[victim].name
        bad.write_text(bad.read_text(encoding="utf-8") + f"\n{POISON}\n", encoding="utf-8")
        poisoned(kind, mp)
        mp.setenv("PINGHU_WORKERS", "1")
        if via == "load_corpus":
            c = ingest.load_corpus(folder, cache_dir=Path(tmp) / "cache")
            names = {p.name: p.name for p in SEEDS}
        else:
            c = ingest.load_files([folder / p.name for p in SEEDS])
            names = {p.name: str(folder / p.name) for p in SEEDS}
    report = c.report.set_index("source")
    victim_source = names[SEEDS[victim].name]
    assert tuple(report.loc[victim_source, ["status", "code"]]) == EXPECTED[kind]
    others = [s for n, s in names.items() if s != victim_source]
    assert (report.loc[others, "status"] != "error").all()
    loaded = set(c.pages["source"])
    assert set(others) <= loaded and victim_source not in loaded
    schemas.check(c.articles, schemas.ARTICLES)
    schemas.check(c.pages, schemas.PAGES)
