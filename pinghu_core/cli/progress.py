"""``pinghu progress``: the 项目进度 figures and milestones as records."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import TextIO

import pandas as pd

from pinghu_core.cli.common import (
    EXIT_OK,
    corpus_options,
    iso_date,
    load_targets,
    number_cell,
    report_problems,
    write_records,
)

PROGRESS_FIELDS: tuple[str, ...] = (
    "article_id",
    "source",
    "date",
    "subject",
    "scope",
    "metric",
    "value",
    "unit",
    "period",
    "sentence",
)


MILESTONE_FIELDS: tuple[str, ...] = ("event", "status", "when")


def progress_records(figures: pd.DataFrame, fmt: str) -> Iterator[dict]:
    """Progress rows → records with :data:`PROGRESS_FIELDS`; milestones add :data:`MILESTONE_FIELDS`.

    CSV has one header, so there every record carries the milestone fields (empty for figures).
    """
    for row in figures.to_dict("records"):
        record = {
            "article_id": str(row["article_id"]),
            "source": str(row["source"]),
            "date": iso_date(row["date"]),
            "subject": str(row["subject"]),
            "scope": str(row["scope"]),
            "metric": str(row["metric"]),
            "value": number_cell(row["value"]),
            "unit": str(row["unit"]),
            "period": str(row["period"]),
            "sentence": str(row["sentence"]),
        }
        if fmt == "csv" or row["metric"] == "milestone":
            record.update({k: str(row[k]) for k in MILESTONE_FIELDS})
        yield record


def cmd_progress(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``progress``: one record per figure or milestone."""
    corpus = load_targets(
        args.paths, workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    fields = (*PROGRESS_FIELDS, *MILESTONE_FIELDS)
    write_records(progress_records(corpus.progress, args.format), fields, args.format, out)
    report_problems(corpus.report, err)
    return EXIT_OK


def add_progress_command(sub: argparse._SubParsersAction) -> None:
    help_zh = "导出项目进度数据（每个数字或节点一条记录）"
    p = sub.add_parser("progress", help=help_zh, description=help_zh)
    p.add_argument("paths", nargs="*", metavar="PATH", help="版面文件或文件夹；不给则使用默认语料（带缓存）")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="输出格式（默认 jsonl）")
    corpus_options(p)
    p.set_defaults(func=cmd_progress)
