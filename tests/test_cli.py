"""The ``pinghu`` command, run as ``python -m pinghu_core`` in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pinghu_core.cli import common as cli_common
from pinghu_core.cli import corpus as cli_corpus
from pinghu_core.common import schemas

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "corpus"
SEEDS = sorted(p.name for p in SEED_DIR.glob("*.txt"))
ARTICLE_FIELDS = [
    "id",
    "source",
    "date",
    "date_source",
    "date_confidence",
    "page_no",
    "shape",
    "kind",
    "kicker",
    "title",
    "subtitle",
    "reporters",
    "correspondents",
    "photographers",
    "byline_text",
    "column_name",
    "confidence",
    "doubts",
    "body",
    "order",
    "chars",
]
PAGE_FIELDS = [
    "source",
    "date",
    "date_source",
    "date_confidence",
    "date_evidence",
    "page_no",
    "shape",
    *(f"n_{k}" for k in schemas.KINDS),
    "items",
    "coverage",
    "repair_count",
    "repairs",
    "problems",
]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """tmp/corpus (copy of the seeds) and tmp/cache; commands run with cwd=tmp."""
    shutil.copytree(SEED_DIR, tmp_path / "corpus", copy_function=shutil.copyfile)
    return tmp_path


def run(work: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m pinghu_core ARGS`` in ``work`` with settings pointing into it; bytes out."""
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PINGHU_DATA_DIR": str(work / "corpus"),
        "PINGHU_CACHE_DIR": str(work / "cache"),
        "PINGHU_WORKERS": "1",
        **(env or {}),
    }
    full_env.pop("PINGHU_MAX_FILE_BYTES", None)
    return subprocess.run(
        [sys.executable, "-m", "pinghu_core", *args], cwd=work, env=full_env, capture_output=True, timeout=120
    )


def jsonl(proc: subprocess.CompletedProcess) -> list[dict]:
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


def csv_rows(proc: subprocess.CompletedProcess) -> list[list[str]]:
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return list(csv.reader(io.StringIO(proc.stdout.decode("utf-8"), newline="")))


def test_field_lists_match_the_cli_module() -> None:
    assert list(cli_corpus.ARTICLE_FIELDS) == ARTICLE_FIELDS and list(cli_corpus.PAGE_FIELDS) == PAGE_FIELDS


def test_articles_jsonl_from_the_configured_corpus(work: Path) -> None:
    records = jsonl(run(work, "articles"))
    pages = jsonl(run(work, "pages"))
    assert len(records) == sum(p["items"] for p in pages) > 5
    for rec in records:
        assert list(rec) == ARTICLE_FIELDS
        assert re.fullmatch(r"[0-9a-f]{16}-\d{2}", rec["id"])
        assert rec["source"] in SEEDS
        assert rec["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec["date"])
        assert rec["date_source"] in schemas.DATE_SOURCES and rec["kind"] in schemas.KINDS
        assert all(isinstance(rec[k], list) for k in ("reporters", "correspondents", "photographers"))
        assert isinstance(rec["order"], int) and rec["chars"] == sum(
            1 for ch in rec["body"] if not ch.isspace()
        )
    assert len({r["id"] for r in records}) == len(records)
    assert {r["source"] for r in records} == set(SEEDS)
    assert any(r["reporters"] for r in records)
    assert any("平湖" in r["body"] for r in records)  # UTF-8, not \\u escapes
    assert "\\u" not in run(work, "articles").stdout.decode("utf-8")


def test_articles_csv_matches_jsonl(work: Path) -> None:
    records = jsonl(run(work, "articles"))
    rows = csv_rows(run(work, "articles", "--format", "csv"))
    assert rows[0] == ARTICLE_FIELDS
    assert len(rows) - 1 == len(records)
    for row, rec in zip(rows[1:], records, strict=True):
        got = dict(zip(ARTICLE_FIELDS, row, strict=True))
        assert got["id"] == rec["id"] and got["body"] == rec["body"] and got["title"] == rec["title"]
        assert got["reporters"] == "；".join(rec["reporters"])
        assert got["date"] == (rec["date"] or "")
        assert int(got["order"]) == rec["order"] and int(got["chars"]) == rec["chars"]


def test_pages_jsonl_and_csv(work: Path) -> None:
    pages = jsonl(run(work, "pages"))
    assert [p["source"] for p in pages] == SEEDS
    for p in pages:
        assert list(p) == PAGE_FIELDS
        assert sum(p[f"n_{k}"] for k in schemas.KINDS) == p["items"]
        assert 0.0 <= p["coverage"] <= 1.0 and isinstance(p["problems"], list)
    rows = csv_rows(run(work, "pages", "--format", "csv"))
    assert rows[0] == PAGE_FIELDS and [r[0] for r in rows[1:]] == SEEDS
    assert [int(r[PAGE_FIELDS.index("items")]) for r in rows[1:]] == [p["items"] for p in pages]


def test_source_is_the_path_as_given(work: Path) -> None:
    by_folder = jsonl(run(work, "pages", "corpus"))
    assert [p["source"] for p in by_folder] == [f"corpus/{s}" for s in SEEDS]
    by_slash = jsonl(run(work, "pages", "./corpus/"))
    assert [p["source"] for p in by_slash] == [f"./corpus/{s}" for s in SEEDS]
    absolute = str(work / "corpus")
    assert [p["source"] for p in jsonl(run(work, "pages", absolute))] == [f"{absolute}/{s}" for s in SEEDS]
    one = f"corpus/{SEEDS[2]}"
    arts = jsonl(run(work, "articles", one, f"./corpus/{SEEDS[0]}"))
    assert {a["source"] for a in arts} == {one, f"./corpus/{SEEDS[0]}"}
    assert [a["source"] for a in arts][0] == one  # in the order given
    assert not (work / "cache").exists()  # explicit paths do not touch the cache


def test_same_page_given_twice_is_output_once(work: Path) -> None:
    proc = run(work, "pages", f"corpus/{SEEDS[0]}", "corpus")
    pages = jsonl(proc)
    assert [p["source"] for p in pages] == [f"corpus/{SEEDS[0]}", *(f"corpus/{s}" for s in SEEDS[1:])]
    assert "内容完全相同" in proc.stderr.decode("utf-8")


def test_manifest_date_in_output(work: Path) -> None:
    (work / "corpus" / "manifest.csv").write_text(f"file,date\n{SEEDS[0]},2020-07-22\n", encoding="utf-8")
    pages = {p["source"]: p for p in jsonl(run(work, "pages"))}
    assert pages[SEEDS[0]]["date"] == "2020-07-22" and pages[SEEDS[0]]["date_source"] == "manifest"
    rows = csv_rows(run(work, "articles", "--format", "csv", f"corpus/{SEEDS[0]}"))
    assert {r[2] for r in rows[1:]} == {"2020-07-22"}


def test_missing_path_exits_2_with_a_chinese_message(work: Path) -> None:
    proc = run(work, "articles", "corpus", "no/such/folder")
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert "找不到路径" in proc.stderr.decode("utf-8") and "no/such/folder" in proc.stderr.decode("utf-8")


def test_missing_configured_corpus_exits_2(work: Path) -> None:
    proc = run(work, "pages", env={"PINGHU_DATA_DIR": str(work / "nowhere")})
    assert proc.returncode == 2
    assert "找不到语料文件夹" in proc.stderr.decode("utf-8")
    assert run(work, "ingest", env={"PINGHU_DATA_DIR": str(work / "nowhere")}).returncode == 2


def test_bad_file_is_reported_on_stderr_not_fatal(work: Path) -> None:
    (work / "corpus" / "page.txt").write_text(
        "<!DOCTYPE html><html><body>网页</body></html>", encoding="utf-8"
    )
    (work / "corpus" / "empty.txt").write_bytes(b"")
    proc = run(work, "articles", "corpus")
    records = jsonl(proc)
    assert {r["source"] for r in records} == {f"corpus/{s}" for s in SEEDS}
    err = proc.stderr.decode("utf-8")
    assert "corpus/page.txt" in err and "网页(HTML)" in err
    assert "corpus/empty.txt" in err and "文件为空" in err


def test_ingest_builds_then_reuses_the_cache(work: Path) -> None:
    first = run(work, "ingest")
    assert first.returncode == 0, first.stderr.decode("utf-8")
    out = first.stdout.decode("utf-8")
    assert "文件 5 个：新解析 5，来自缓存 0，错误 0" in out and "用时" in out
    assert "解析版面" in first.stderr.decode("utf-8")  # the progress bar
    # and the once-per-corpus results' (the people, found article by article, their own bar)
    err = first.stderr.decode("utf-8")
    assert (
        "预先计算：地点（第 1/6 步） ▕" in err
        and "预先计算：显著度（第 6/6 步） ▕" in err
        and "识别人物与机构 ▕" in err
    )
    assert (work / "cache").is_dir()
    (work / "corpus" / "bad.txt").write_bytes(b"\x00\x01\x02")
    second = run(work, "ingest", "corpus")
    out = second.stdout.decode("utf-8")
    assert second.returncode == 0
    assert "文件 6 个：新解析 1，来自缓存 5，错误 1" in out  # only bad.txt was new
    assert "[错误] bad.txt（binary）" in out
    # the 词云 page's tokens are cached by ingest too: the first run segmented every article, this one none
    assert "分词：0 篇文章新分词" in out
    assert "篇文章新分词" in first.stdout.decode("utf-8") and "分词：0 " not in first.stdout.decode("utf-8")
    assert any((work / "cache" / "words").rglob("*.parquet"))
    skipped = run(work, "ingest", "--no-words")
    assert skipped.returncode == 0 and "分词" not in skipped.stdout.decode("utf-8")


def test_output_is_utf8_whatever_the_locale(work: Path) -> None:
    proc = run(work, "pages", "--format", "csv", env={"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"})
    text = proc.stdout.decode("utf-8")
    assert proc.returncode == 0 and "年" in text


def test_help_and_usage_errors(work: Path) -> None:
    helped = run(work, "--help")
    assert helped.returncode == 0 and "导出条目" in helped.stdout.decode("utf-8")
    assert run(work).returncode == 2  # no command
    assert run(work, "articles", "--format", "xml").returncode == 2


def test_records_helpers_without_a_subprocess() -> None:
    import pandas as pd

    row = {c.name: "" for c in schemas.ARTICLES.columns if c.dtype == schemas.STR}
    row.update(article_id="abc-00", date=pd.NaT, date_source="unknown", date_confidence=0.0, kind="news")
    row.update(reporters=["甲", "乙"], correspondents=[], photographers=[], interns=[], authors=[])
    row.update(
        byline_inferred=False,
        order=0,
        chars=0,
        continued=False,
        duplicates_dropped=0,
        raw_chars=0,
        confidence=1.0,
    )
    df = schemas.conform(pd.DataFrame([row]), schemas.ARTICLES)
    rec = next(cli_corpus.article_records(df))
    assert rec["date"] is None and rec["reporters"] == ["甲", "乙"] and rec["id"] == "abc-00"
    buf = io.StringIO()
    cli_common.write_csv([rec], cli_corpus.ARTICLE_FIELDS, buf)
    assert buf.getvalue().splitlines()[1].startswith("abc-00,,,unknown,0.0,,page,news,,,,甲；乙,,")


def test_pages_repairs_lists_every_repair_with_its_place(work: Path) -> None:
    rows = jsonl(run(work, "pages", "--repairs"))
    assert {r["kind"] for r in rows} >= {"punctuation", "hard_wrap", "duplicate"}
    dup = next(r for r in rows if r["kind"] == "duplicate")
    assert dup["source"].startswith("002") and dup["line"] == 94 and dup["kind_zh"] == "删除抽取重复段"
    assert dup["before"].startswith("不住自己激动的心情")
    raw = (work / "corpus" / dup["source"]).read_text(encoding="utf-8").split("\n")[dup["line"] - 1]
    assert raw[dup["column"] - 1 :].startswith("不住自己")
    pages = jsonl(run(work, "pages"))
    assert sum(p["repair_count"] for p in pages) == len(rows)
