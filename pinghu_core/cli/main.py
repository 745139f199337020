"""The ``pinghu`` command (also ``python -m pinghu_core``): export articles/pages, build the cache.

    pinghu articles [PATH…] --format jsonl|csv   one record per item
    pinghu pages [PATH…] --format jsonl|csv      one record per page
    pinghu ingest [PATH] [--no-words]            build/refresh the cache and the 词云 tokens, print the report
    pinghu themes [PATH…] --format jsonl|csv     one record per article–theme
    pinghu slogans [PATH…] --format jsonl|csv    recurring quoted slogans and document titles
    pinghu timeline [--themes ID,…] [--query Q …] [--granularity month] [--measure count|share|share_chars]
    pinghu trends --from D --to D [--vs-from D --vs-to D] [--slogan S] [--query Q]   what rose and fell
    pinghu progress [PATH…] --format jsonl|csv   one record per progress figure or milestone
    pinghu export [PATH…] [--from D] [--to D] [--kind K] [--page-no 01,02] [--theme ID] [--place P]
                  [--reporter R] [--column C] [--query Q] [--format csv|xlsx|jsonl] [--bodies] -o FILE|-
                                                 the 文章检索 page's rows for the same filters
    pinghu people [PATH…] [--from D] [--to D] [--kind official,person,organisation] [--mentions | --suggest]
                  [--format csv|xlsx|jsonl|toml] [-o FILE|-]
                                                 people and organisations (table, mentions, people.toml additions)
    pinghu words [PATH…] --from DATE --to DATE --top N --format csv|table   term counts
    pinghu kwic WORD [PATH…] --from DATE --to DATE [--whole-word]   every line where WORD occurs
                                                 (as a string; --whole-word: as a whole token)
    pinghu brief --period 2020-07|2020Q3 | --from D --to D [--format docx|md] -o FILE
                                                 the 简报 of a period (Word or Markdown)

Records go to stdout as UTF-8; problems go to stderr.  Exit codes: 0 done (bad files are
reported, not fatal), 2 usage error or missing path/corpus.

One module per command group, each registering its commands: :mod:`~pinghu_core.cli.corpus`
(articles, pages, ingest), :mod:`~pinghu_core.cli.themes` (themes, slogans, timeline),
:mod:`~pinghu_core.cli.progress`, :mod:`~pinghu_core.cli.export`, :mod:`~pinghu_core.cli.people`, :mod:`~pinghu_core.cli.words`
(words, kwic); what they share is :mod:`~pinghu_core.cli.common`.  This module builds the parser
and runs a command.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

from pinghu_core.cli import words as words_cli
from pinghu_core.cli.brief import add_brief_command
from pinghu_core.cli.common import (
    EXIT_USAGE,
    UsageError,
)
from pinghu_core.cli.corpus import add_corpus_commands
from pinghu_core.cli.export import add_export_command
from pinghu_core.cli.people import add_people_command
from pinghu_core.cli.progress import add_progress_command
from pinghu_core.cli.themes import add_theme_commands
from pinghu_core.common import memory, settings
from pinghu_core.corpus import ingest


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (help texts in Chinese)."""
    parser = argparse.ArgumentParser(
        prog="pinghu",
        description="嘉兴日报·平湖版 头版文本：导出条目/版面，建立解析缓存。",
        epilog=f"默认语料文件夹：{settings.get_settings().corpus_dir}（可用环境变量 PINGHU_DATA_DIR 修改）",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="输出详细日志（含解析失败的堆栈）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    add_corpus_commands(sub)
    add_theme_commands(sub)
    add_progress_command(sub)
    add_export_command(sub)
    add_people_command(sub)
    words_cli.add_word_commands(sub)
    add_brief_command(sub)
    return parser


def _utf8(stream: TextIO) -> TextIO:
    """The stream switched to UTF-8 where possible (Windows consoles, C locale)."""
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
    return stream


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``pinghu``; returns the exit code."""
    out, err = _utf8(sys.stdout), _utf8(sys.stderr)
    memory.use_system_allocator()  # before any table is built (pinghu_core.common.memory)
    try:
        settings.get_settings()
    except settings.SettingsError as exc:
        print(f"配置错误：{exc}", file=err)
        return EXIT_USAGE
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)s %(message)s"
    )
    # jieba logs its dictionary loading at DEBUG on its own handler: keep stderr for our messages
    logging.getLogger("jieba").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ingest.CacheWarning)
        try:
            code = args.func(args, out, err)
        except (UsageError, ingest.CorpusError) as exc:
            print(f"错误：{exc}", file=err)
            code = EXIT_USAGE
        except BrokenPipeError:  # e.g. `pinghu articles | head`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            code = 1
    for w in caught:
        if issubclass(w.category, ingest.CacheWarning):
            print(f"提示：{w.message}", file=err)
        else:
            print(warnings.formatwarning(w.message, w.category, w.filename, w.lineno).rstrip(), file=err)
    return code
