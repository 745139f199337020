"""Every ``--format csv`` of the command line, on pages whose file name, headline, body and quoted
slogan start with = + - @: no cell starts with those characters unless it is a real number."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pinghu_core.cli import main as cli
from pinghu_core.common import exports
from pinghu_core.themes import dictionary as themes_dictionary

PAGES = {  # file name → page text (headline, then a news item)
    "=1+1_20200722.txt": "=1+1项目投资完成率达到86%\n本报讯（记者 张三）=1+1今年我市重大项目完成投资5亿元，完成年度计划的86%。"
    "“-四大百日攻坚”持续推进。\n",
    "+2_20200723.txt": "+全市项目建设加速推进\n本报讯（记者 李四）+全市130个项目已完成投资3.74亿元，完成进度58.6%。"
    "“-四大百日攻坚”成效明显。\n",
    "-3_20200724.txt": "-民生共享工程全面开工\n本报讯（记者 王五）-民生共享工程今年完成投资2亿元，完成进度40%，"
    "增速-3.5%。“-四大百日攻坚”再发力。\n",
    "@4_20200725.txt": "@乡村振兴示范带建成\n本报讯（记者 赵六）@乡村振兴示范带项目完成进度达90%，计划今年8月竣工。"
    "=市长周军波到现场调研。\n",
}
COMMANDS = {  # every subcommand that accepts --format csv, with what it needs
    "articles": [],
    "pages": [],
    "themes": [],
    "slogans": ["--min-articles", "2"],
    "timeline": ["--themes", "major-projects,slogan:-四大百日攻坚", "--granularity", "month"],
    "trends": ["--from", "2020-07-24", "--to", "2020-07-25", "--slogan=-四大百日攻坚"],
    "progress": [],
    "export": ["-o", "-"],
    "words": ["--top", "50"],
    "kwic": ["项目"],
    "people": ["--mentions"],  # each mention's sentence, as printed
}
NO_HOSTILE_CELL = {
    "words",
    "timeline",
    "trends",
}  # jieba terms; series ids and labels (a slogan label is in “”)


def csv_commands() -> set[str]:
    sub = next(a for a in cli.build_parser()._actions if a.choices and "articles" in a.choices)
    return {
        name
        for name, p in sub.choices.items()
        if any(a.dest == "format" and "csv" in (a.choices or ()) for a in p._actions)
    }


def test_the_list_covers_every_csv_subcommand() -> None:
    assert csv_commands() == set(COMMANDS)


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    folder.mkdir()
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_csv_cell_runs_as_a_formula(command, hostile_corpus, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PINGHU_DATA_DIR", str(hostile_corpus))
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PINGHU_WORKERS", "1")
    monkeypatch.delenv(themes_dictionary.THEMES_ENV, raising=False)
    code = cli.main([command, *COMMANDS[command], "--format", "csv"])
    out = capsys.readouterr()
    assert code == 0, out.err
    rows = list(csv.reader(io.StringIO(out.out.removeprefix("\ufeff"), newline="")))
    cells = [c for r in rows[1:] for c in r]
    assert len(rows) > 1, out.err
    bad = [c for c in cells if c.startswith(exports.FORMULA_STARTS) and not is_number(c)]
    assert bad == []
    if command not in NO_HOSTILE_CELL:  # the corpus really reached this output, neutralised
        assert any(c.startswith(("'=", "'+", "'-", "'@")) for c in cells), rows[:3]
