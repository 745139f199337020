"""``pinghu progress`` in a subprocess: exactly the issue's fields, jsonl and csv."""

from __future__ import annotations

import csv
import io
import json

from test_cli_themes import SEED_DIR, ok, run

from pinghu_core.cli import progress as cli_progress

FIELDS = ["article_id", "source", "date", "subject", "scope", "metric", "value", "unit", "period", "sentence"]
MILESTONE = ["event", "status", "when"]


def test_field_lists_match_the_cli_module() -> None:
    assert list(cli_progress.PROGRESS_FIELDS) == FIELDS and list(cli_progress.MILESTONE_FIELDS) == MILESTONE


def test_progress_jsonl(tmp_path) -> None:
    records = [json.loads(line) for line in ok(run(tmp_path, "progress", str(SEED_DIR))).splitlines()]
    assert records
    for r in records:
        assert list(r) == (FIELDS + MILESTONE if r["metric"] == "milestone" else FIELDS)
    first = [r for r in records if r["metric"] == "completion_pct" and r["scope"] == "10个"][0]
    assert (first["subject"], first["value"], first["unit"], first["period"], first["date"]) == (
        "省“4+1”重大项目",
        81.3,
        "%",
        "1至6月份",
        "2020-07-22",
    )
    assert first["source"].endswith("000_a298d888743d6040.txt")
    opening = [r for r in records if r.get("event") == "开馆"][0]
    assert (opening["status"], opening["when"], opening["value"]) == ("planned", "今年8月", None)
    assert not [r for r in records if r["metric"] == "completion_pct" and "增长" in r["sentence"][:20]]


def test_progress_csv_default_corpus(tmp_path) -> None:
    rows = list(csv.reader(io.StringIO(ok(run(tmp_path, "progress", "--format", "csv")))))
    assert rows[0] == FIELDS + MILESTONE and len(rows) > 10
    museum = [r for r in rows[1:] if r[5] == "investment_total" and "博物馆新馆" in r[3]]
    assert museum and museum[0][6] == "5.0559" and museum[0][7] == "亿元"
