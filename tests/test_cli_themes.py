"""``pinghu themes``, ``pinghu slogans`` and ``pinghu timeline`` in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pinghu_core.cli import themes as cli_themes
from pinghu_core.themes import dictionary as themes_dictionary

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "corpus"
THEME_FIELDS = ["article_id", "source", "date", "theme_id", "theme_label", "hits", "in_title"]
SLOGAN_FIELDS = ["slogan", "first_date", "last_date", "articles"]
TIMELINE_FIELDS = [
    "series_id",
    "series_label",
    "period",
    "period_start",
    "value",
    "numerator",
    "denominator",
    "has_pages",
]


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PINGHU_DATA_DIR": str(SEED_DIR),
        "PINGHU_CACHE_DIR": str(tmp_path / "cache"),
        "PINGHU_WORKERS": "1",
    }
    full_env.pop(themes_dictionary.THEMES_ENV, None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pinghu_core", *args],
        cwd=tmp_path,
        env=full_env,
        capture_output=True,
        timeout=120,
    )


def ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8")


def test_field_lists_match_the_cli_module() -> None:
    assert list(cli_themes.THEME_FIELDS) == THEME_FIELDS
    assert list(cli_themes.SLOGAN_FIELDS) == SLOGAN_FIELDS
    assert list(cli_themes.TIMELINE_FIELDS) == TIMELINE_FIELDS


def test_themes_jsonl_and_csv(tmp_path) -> None:
    records = [json.loads(line) for line in ok(run(tmp_path, "themes", str(SEED_DIR))).splitlines()]
    assert records and all(list(r) == THEME_FIELDS for r in records)
    civ = [r for r in records if r["theme_id"] == "civilized-city" and r["in_title"]]
    assert civ and civ[0]["theme_label"] == "全国文明城市创建" and civ[0]["date"] == "2020-11-10"
    assert civ[0]["source"].endswith("001_9b8e91649bcfa4b4.txt") and isinstance(civ[0]["hits"], int)
    rows = list(csv.reader(io.StringIO(ok(run(tmp_path, "themes", "--format", "csv")))))
    assert rows[0] == THEME_FIELDS and len(rows) == len(records) + 1


def test_slogans_jsonl_and_csv(tmp_path) -> None:
    records = [json.loads(line) for line in ok(run(tmp_path, "slogans", str(SEED_DIR))).splitlines()]
    assert all(list(r) == SLOGAN_FIELDS for r in records) and all(r["articles"] >= 2 for r in records)
    assert {"slogan": "4+1", "first_date": "2020-07-22", "last_date": "2022-05-28", "articles": 2} in records
    rows = list(
        csv.reader(io.StringIO(ok(run(tmp_path, "slogans", "--min-articles", "1", "--format", "csv"))))
    )
    assert rows[0] == SLOGAN_FIELDS and ["四大百日攻坚", "2025-08-17", "2025-08-17", "1"] in rows


def test_timeline_csv(tmp_path) -> None:
    out = ok(
        run(
            tmp_path,
            "timeline",
            "--themes",
            "civilized-city,slogan:4+1",
            "--granularity",
            "quarter",
            "--measure",
            "share",
            "--format",
            "csv",
        )
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == TIMELINE_FIELDS
    assert {r["series_id"] for r in rows} == {"civilized-city", "slogan:4+1"}
    q4 = next(r for r in rows if r["series_id"] == "civilized-city" and r["period"] == "2020年第4季度")
    assert float(q4["numerator"]) == 2 and float(q4["value"]) == pytest.approx(2 / float(q4["denominator"]))
    gap = next(r for r in rows if r["period"] == "2021年第1季度")
    assert gap["has_pages"] == "False" and gap["value"] == "" and gap["denominator"] == ""


def test_timeline_with_path_and_jsonl(tmp_path) -> None:
    out = ok(
        run(
            tmp_path,
            "timeline",
            "--path",
            str(SEED_DIR),
            "--themes",
            "minsheng",
            "--granularity",
            "year",
            "--format",
            "jsonl",
        )
    )
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["period"] for r in records] == [f"{y}年" for y in range(2020, 2026)]
    assert [r["has_pages"] for r in records] == [True, False, True, False, False, True]
    assert records[1]["value"] is None and records[0]["value"] == 2.0


def test_usage_errors(tmp_path) -> None:
    proc = run(tmp_path, "timeline", "--themes", "no-such-theme")
    assert proc.returncode == 2 and "no-such-theme" in proc.stderr.decode("utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('version = "x"\n[[theme]]\nid = "a"\n', encoding="utf-8")
    proc = run(tmp_path, "themes", "--dict", str(bad))
    assert proc.returncode == 2 and "第2行" in proc.stderr.decode("utf-8")
    proc = run(tmp_path, "themes", env={themes_dictionary.THEMES_ENV: str(bad)})
    assert proc.returncode == 2 and "label" in proc.stderr.decode("utf-8")


def test_timeline_and_trends_in_a_scope(corpus_env, capsys):
    """``--scope lead`` counts the 头条 only and ``--measure share_weighted`` weighs by prominence;
    the numbers are the timeline's (the sample: one 头条 a page, five pages)."""
    from pinghu_core.cli import main as cli

    def rows(args: list[str]) -> list[dict]:
        assert cli.main(args) == 0
        return list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))

    lead = rows(["timeline", "--themes", "major-projects", "--granularity", "year", "--scope", "lead"])
    assert sum(float(r["denominator"] or 0) for r in lead) == 5  # five front pages, five leads
    every = rows(["timeline", "--themes", "major-projects", "--granularity", "year"])
    assert sum(float(r["numerator"] or 0) for r in lead) < sum(float(r["numerator"] or 0) for r in every)
    weighted = rows(
        ["timeline", "--themes", "major-projects", "--granularity", "year", "--measure", "share_weighted"]
    )
    assert all(0 <= float(r["value"]) <= 1 for r in weighted if r["value"])
    trend = rows(
        [
            "trends",
            "--from",
            "2022-01-01",
            "--to",
            "2025-12-31",
            "--vs-from",
            "2020-01-01",
            "--vs-to",
            "2021-12-31",
            "--scope",
            "lead",
        ]
    )
    assert {int(r["later_total"]) for r in trend} == {2} and {int(r["earlier_total"]) for r in trend} == {3}
    with pytest.raises(SystemExit) as stop:
        cli.main(["timeline", "--themes", "major-projects", "--scope", "top"])
    assert stop.value.code == 2
