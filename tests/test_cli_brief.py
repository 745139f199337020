"""``pinghu brief``: Word and Markdown files of a month, a quarter or a range; Chinese errors."""

from __future__ import annotations

import io
import subprocess
import sys

import docx
import pytest
from conftest import ROOT

from pinghu_core.brief import build
from pinghu_core.cli import main as cli

CORPUS = str(ROOT / "data" / "corpus")


@pytest.fixture(autouse=True)
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PINGHU_WORKERS", "1")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = cli.main(list(argv))
    finally:
        sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def test_a_month_as_word(tmp_path):
    path = tmp_path / "2020年7月简报.docx"
    code, _, err = run("brief", "--path", CORPUS, "--period", "2020-07", "-o", str(path))
    assert code == 0, err
    assert f"已写入 {path}" in err
    doc = docx.Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [*build.SECTION_TITLES.values(), "引用文章", "方法与来源"]
    assert len(doc.inline_shapes) == 2


def test_a_quarter_as_markdown_on_stdout():
    code, out, _ = run("brief", "--path", CORPUS, "--period", "2020Q3")
    assert code == 0
    assert out.startswith("# 嘉兴日报·平湖版头版简报 · 2020年第3季度\n")
    assert "上季度（2020年第2季度）有版面 1 天" in out


def test_a_range_and_the_format_from_the_suffix(tmp_path):
    path = tmp_path / "brief.md"
    code, _, _ = run("brief", "--path", CORPUS, "--from", "2020-07-01", "--to", "2020-07-31", "-o", str(path))
    assert code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 嘉兴日报·平湖版头版简报 · 2020年7月\n")  # a whole month is named as one


def test_a_month_without_pages_says_so(tmp_path):
    code, out, err = run("brief", "--path", CORPUS, "--period", "2020-08", "--format", "md")
    assert code == 0 and "2020年8月没有版面" in out and "提示：2020年8月没有版面" in err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--period", "2020-13"], "错误：时期 '2020-13' 的月份应在 1–12 之间"),
        (["--period", "七月"], "错误：无法识别的时期 '七月'"),
        ([], "错误：需要 --period"),
        (["--from", "2020-07-01"], "错误：需要 --period"),
        (["--from", "2020-07-09", "--to", "2020-07-01"], "晚于结束日期"),
        (["--from", "2020/7/1", "--to", "2020-07-09"], "--from应是日期"),
        (["--period", "2020-07", "--from", "2020-07-01"], "只能给出一种"),
        (["--period", "2020-07", "-o", "x.pdf"], "无法从文件名"),
        (["--period", "2020-07", "--format", "docx"], "Word 格式须用 -o"),
    ],
)
def test_bad_requests_are_chinese_usage_errors(argv, says):
    code, _, err = run("brief", "--path", CORPUS, *argv)
    assert code == 2 and says in err


def test_the_installed_command_runs(tmp_path):
    path = tmp_path / "q.docx"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pinghu_core",
            "brief",
            "--path",
            CORPUS,
            "--period",
            "2020Q2",
            "-o",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert path.read_bytes()[:2] == b"PK"
