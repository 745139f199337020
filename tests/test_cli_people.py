"""``pinghu people``: the table, the mentions and the suggestions of the sample corpus through the one
exporter (Chinese headers, formula-safe), the date and kind filters, and the usage errors (in-process)."""

from __future__ import annotations

import csv
import io
import json
import sys
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pinghu_core.cli import main as cli_main
from pinghu_core.cli import people as cli_people
from pinghu_core.common import schemas
from pinghu_core.corpus import derived


def run(tmp_path: Path, *args: str) -> tuple[int, bytes, str]:
    """Run ``pinghu people`` writing to a file; (exit code, the file's bytes, stderr)."""
    out = tmp_path / "out.bin"
    err = io.StringIO()
    saved = sys.stderr
    sys.stderr = err
    try:
        code = cli_main.main(["people", *args, "-o", str(out)])
    finally:
        sys.stderr = saved
    return code, (out.read_bytes() if out.exists() else b""), err.getvalue()


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads the Chinese
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_people_table_csv_of_the_default_corpus(corpus_env: Path, tmp_path: Path):
    code, data, err = run(tmp_path)
    assert code == 0 and "个人物与机构" in err
    rows = rows_of(data)
    assert rows[0] == [c.label_zh for c in schemas.PEOPLE_TABLE.columns]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["仲旭东"][1:6] == ["官员", "13", "4", "2020-04-21", "2025-08-17"]
    assert by_name["市经信局"][1] == "机构" and by_name["朱琴勤"][1] == "人物"
    # computed once at the first run, kept with the corpus cache
    assert list((tmp_path / "cache").rglob(f"{derived.FOLDER}/people-*.parquet"))


def test_dates_and_kinds_filter(corpus_env: Path, tmp_path: Path):
    code, data, _ = run(tmp_path, "--from", "2025-01-01", "--to", "2025-12-31", "--kind", "official,人物")
    rows = rows_of(data)
    assert code == 0 and len(rows) > 5
    assert {r[1] for r in rows[1:]} == {"官员", "人物"}
    assert all(r[4] >= "2025-01-01" and r[5] <= "2025-12-31" for r in rows[1:])


def test_mentions_jsonl_keeps_machine_names_and_the_sentence(corpus_env: Path, tmp_path: Path):
    code, data, _ = run(tmp_path, "--mentions", "--kind", "official", "--format", "jsonl")
    records = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert code == 0 and list(records[0]) == schemas.PEOPLE_MENTION_ROWS.names
    zhao = [r for r in records if r["name"] == "赵中尤"][0]
    assert (zhao["kind"], zhao["post"], zhao["how"], zhao["date"]) == (
        "official",
        "市发改局节能行政执法队大队长",
        "printed",
        "2020-07-22",
    )
    assert "赵中尤说" in zhao["sentence"]


def test_xlsx_has_chinese_headers(corpus_env: Path, tmp_path: Path):
    code, data, _ = run(tmp_path, "--format", "xlsx")
    assert code == 0
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "人物与机构"
    assert [c.value for c in sheet[1]] == [c.label_zh for c in schemas.PEOPLE_TABLE.columns]


def test_suggest_as_toml_parses_as_a_people_file(corpus_env: Path, tmp_path: Path):
    code, data, err = run(tmp_path, "--suggest", "--format", "toml", "--kind", "official")
    assert code == 0 and "条名录建议" in err
    parsed = tomllib.loads(data.decode("utf-8"))
    names = {p["name"] for p in parsed["person"]}
    assert "赵中尤" in names and "仲旭东" not in names
    code, data, _ = run(tmp_path, "--suggest")
    assert rows_of(data)[0] == [c.label_zh for c in schemas.PEOPLE_SUGGESTIONS.columns]


def test_given_paths_are_read_without_the_cache(tmp_path: Path, corpus_env: Path):
    code, data, _ = run(tmp_path, str(corpus_env / "004_525199ea1aea63ef.txt"), "--kind", "official")
    assert code == 0
    assert {r[0] for r in rows_of(data)[1:]} >= {"仲旭东", "周军波", "何健", "王建坤", "陈王进"}
    assert not list((tmp_path / "cache").rglob("people-*.parquet"))


def test_formula_like_text_is_neutralised():
    frame = schemas.conform(
        cli_people.pd.DataFrame(
            {
                "name": ["=1+1"],
                "kind": ["person"],
                "appearances": [1],
                "articles": [1],
                "first_date": [None],
                "last_date": [None],
                "lead_appearances": [0],
                "posts_seen": ["+职务"],
            }
        ),
        schemas.PEOPLE_TABLE,
    )
    rows = rows_of(cli_people._bytes(frame, "csv", "table"))
    assert rows[1][0] == "'=1+1" and rows[1][7] == "'+职务"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "toml"], "只用于 --suggest"),
        (["--kind", "boss"], "未知的类别"),
        (["--from", "2020-13-01"], "日期应写成"),
    ],
)
def test_usage_errors(corpus_env: Path, tmp_path: Path, args, message):
    code, _, err = run(tmp_path, *args)
    assert code == 2 and message in err


def test_xlsx_needs_a_file(corpus_env: Path, capsys):
    assert cli_main.main(["people", "--format", "xlsx"]) == 2
    assert "不能写到标准输出" in capsys.readouterr().err


def test_ingest_precomputes_the_people(corpus_env: Path, tmp_path: Path):
    from pinghu_core.cli import corpus as cli_corpus
    from pinghu_core.corpus import ingest

    corpus = ingest.load_corpus(progress=False)
    line = cli_corpus.precompute(corpus)
    assert "人物与机构" in line
    assert list((tmp_path / "cache").rglob(f"{derived.FOLDER}/people-*.parquet"))
