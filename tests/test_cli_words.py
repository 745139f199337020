"""``pinghu words`` and ``pinghu kwic`` through cli.main and in a subprocess."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pinghu_core.cli import main as cli
from pinghu_core.cli import words as words_cli
from pinghu_core.themes import dictionary as themes_dictionary
from pinghu_core.words import index as words

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "corpus"


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PINGHU_DATA_DIR": str(SEED_DIR),
        "PINGHU_CACHE_DIR": str(tmp_path / "cache"),
        "PINGHU_WORKERS": "1",
    }
    env.pop(themes_dictionary.THEMES_ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "pinghu_core", *args], cwd=tmp_path, env=env, capture_output=True, timeout=180
    )


def ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8")


def main(args: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_words_csv_default_corpus_cached(tmp_path):
    out = ok(run(tmp_path, "words", "--top", "20", "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(words_cli.WORD_FIELDS) == ["term", "count", "documents", "tfidf"]
    assert len(rows) == 20
    counts = [int(r["count"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    terms = {r["term"] for r in rows}
    assert "项目" in terms and not terms & words.load_stopwords()
    assert list((tmp_path / "cache" / "words").rglob("bags.parquet"))  # the tokens were cached
    assert ok(run(tmp_path, "words", "--top", "20", "--format", "csv")) == out  # warm: same answer


def test_words_paths_dates_and_table_format(tmp_path, capsys):
    one = str(SEED_DIR / "000_a298d888743d6040.txt")
    code, out, err = main(["words", one, "--top", "5", "--from", "2020-01-01", "--to", "2020-12-31"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["排名", "词语", "出现次数", "文章数", "TF-IDF"]
    assert len(lines) == 6
    # 建设 and 项目 both occur 21 times on this page: the one in more articles (建设, 5 > 4) ranks first
    assert [line.split()[1:4] for line in lines[1:3]] == [["建设", "21", "5"], ["项目", "21", "4"]]
    code, out, _ = main(["words", one, "--from", "2030-01-01", "--format", "csv"], capsys)
    assert code == 0 and out.strip() == "term,count,documents,tfidf"  # no article in range: header only


def test_words_bad_input_is_a_chinese_usage_error(tmp_path, capsys):
    code, _, err = main(["words", "--from", "2020-13-45"], capsys)
    assert code == cli.EXIT_USAGE and "--from 的日期格式不对" in err
    code, _, err = main(["words", str(tmp_path / "nope.txt")], capsys)
    assert code == cli.EXIT_USAGE and "找不到路径" in err
    code, _, err = main(["words", "--kinds", "news,blog"], capsys)
    assert code == cli.EXIT_USAGE and "未知的条目类型" in err


def test_kwic_csv(tmp_path):
    out = ok(run(tmp_path, "kwic", "独山港镇", str(SEED_DIR), "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert (
        list(rows[0])
        == list(words_cli.KWIC_FIELDS)
        == ["date", "title", "left", "word", "right", "article_id"]
    )
    assert len(rows) >= 3 and all(r["word"] == "独山港镇" for r in rows)
    assert any(r["right"].startswith("渡船桥工业集聚点") for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_kwic_matches_strings_unless_whole_word(tmp_path, capsys):
    code, out, _ = main(["kwic", "独山港", str(SEED_DIR), "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) >= 3 and all(r["word"] == "独山港" for r in rows)
    assert any(r["right"].startswith("镇渡船桥工业集聚点") for r in rows)  # the token is 独山港镇
    code, out, err = main(["kwic", "独山港", str(SEED_DIR), "--format", "csv", "--whole-word"], capsys)
    assert code == 0 and out.strip() == ",".join(words_cli.KWIC_FIELDS) and "作为完整词出现的“独山港”" in err


def test_kwic_table_and_missing_word(tmp_path, capsys):
    code, out, _ = main(["kwic", "民生共享工程", str(SEED_DIR)], capsys)
    assert code == 0 and "【民生共享工程】" in out
    code, out, err = main(["kwic", "不存在的词语", str(SEED_DIR)], capsys)
    assert code == 0 and "没有找到" in err


@pytest.mark.parametrize("command", ["words", "kwic"])
def test_help_in_chinese(command, capsys):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    assert "--from" in capsys.readouterr().out
