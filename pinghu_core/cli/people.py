"""``pinghu people``: the people and organisations of the corpus as a table (or every mention, or
what data/people.toml lacks), through the one exporter (:mod:`pinghu_core.common.exports`).

    pinghu people [PATH…] [--from D] [--to D] [--kind official,person,organisation]
                  [--mentions | --suggest] [--format csv|xlsx|jsonl|toml] [-o FILE|-]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TextIO, cast

import pandas as pd

from pinghu_core.cli.common import (
    EXIT_OK,
    ProgressBar,
    UsageError,
    corpus_options,
    iso_date,
    load_targets,
    report_problems,
    write_bytes,
)
from pinghu_core.common import exports, schemas, settings
from pinghu_core.corpus import ingest, prominence
from pinghu_core.people import directory, extract, rules, tables

KIND_BY_LABEL = {v: k for k, v in schemas.PEOPLE_KIND_LABELS_ZH.items()}
FORMATS = ("csv", "xlsx", "jsonl", "toml")
SHEETS = {"table": "人物与机构", "mentions": "出现记录", "suggest": "名录建议"}


def place_names() -> list[str]:
    """Names and aliases of the places of data/places.toml (never a person; may start an
    organisation's name); none when the place file cannot be used."""
    from pinghu_core.search import places

    try:
        gaz = places.load_gazetteer()
    except places.PlacesFileError:
        return []
    return [form for p in gaz.places for form in (p.name, *p.aliases)]


def corpus_mentions(
    corpus: ingest.Corpus, root: Path | None, *, workers: int = 1, progress: ingest.ProgressFn | None = None
) -> pd.DataFrame:
    """Every mention of the corpus (``schemas.PEOPLE_MENTIONS``), kept with its cache under ``root``
    (None: computed, not kept) — the rules and people file in use, the places of data/places.toml,
    the 头版/头条 of data/prominence.toml; when they are computed, in a pool of ``workers`` with
    ``progress``."""
    found = prominence.prominence(corpus.articles, corpus.pages, prominence.rules())
    return tables.stored_mentions(
        corpus.articles,
        found,
        rules.rules(),
        directory.current()[0],
        place_names(),
        root,
        corpus.fingerprint,
        workers=workers,
        progress=progress,
    )


def _day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} 的日期应写成 2020-07-22，收到：{value}") from None


def _kinds(value: str | None) -> tuple[str, ...]:
    asked = [k.strip() for k in (value or "").replace("，", ",").split(",") if k.strip()]
    kinds = tuple(dict.fromkeys(KIND_BY_LABEL.get(k, k) for k in asked))
    unknown = [k for k in kinds if k not in schemas.PEOPLE_KINDS]
    if unknown:
        choices = "、".join(f"{k}（{v}）" for k, v in schemas.PEOPLE_KIND_LABELS_ZH.items())
        raise UsageError(f"未知的类别：{'、'.join(unknown)}（可用：{choices}）")
    return kinds


def _check(args: argparse.Namespace) -> None:
    if args.format == "toml" and not args.suggest:
        raise UsageError("--format toml 只用于 --suggest（输出可粘贴到 data/people.toml 的条目）")
    if args.format == "xlsx" and args.output == "-":
        raise UsageError(
            "XLSX 是二进制文件，不能写到标准输出：请用 -o 文件名.xlsx，或改用 --format csv / jsonl"
        )
    if args.suggest and args.mentions:
        raise UsageError("--suggest 和 --mentions 只能选一个")


def _records(frame: pd.DataFrame) -> list[dict]:
    """JSON Lines records: machine names, dates ISO, text as printed."""
    out = []
    for row in frame.to_dict("records"):
        out.append(
            {
                k: iso_date(v) if isinstance(v, pd.Timestamp) or v is pd.NaT else _plain(v)
                for k, v in row.items()
            }
        )
    return out


def _plain(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return value


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a spreadsheet user reads it: 类别 in Chinese (官员, 人物, 机构), 识别方式 in words."""
    out = frame.copy()
    if "kind" in out:
        out["kind"] = out["kind"].astype(str).map(schemas.PEOPLE_KIND_LABELS_ZH)
    if "how" in out:
        out["how"] = out["how"].astype(str).map(extract.HOW_LABELS_ZH)
    return out


def _bytes(frame: pd.DataFrame, fmt: str, what: str) -> bytes:
    if fmt == "csv":
        return exports.csv_bytes(for_people(frame))
    if fmt == "xlsx":
        return exports.xlsx_bytes(for_people(frame), SHEETS[what])
    if fmt == "toml":
        return tables.suggestions_toml(frame).encode("utf-8")
    return exports.jsonl_bytes(_records(frame))


def cmd_people(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``people``: the table of people and organisations (``schemas.PEOPLE_TABLE``), every mention
    (``--mentions``) or the additions data/people.toml lacks (``--suggest``)."""
    _check(args)
    start, end, kinds = _day(args.start, "--from"), _day(args.end, "--to"), _kinds(args.kinds)
    for problem in (rules.rules_problem(), directory.current()[1]):
        if problem:
            print(f"提示：{problem}", file=err)
    corpus = load_targets(
        args.paths, workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    s = settings.get_settings()
    root = None
    if not args.paths and not args.no_cache and corpus.corpus_dir is not None:
        root = ingest.cache_root(s.cache_dir, cast(Path, corpus.corpus_dir))
    bar = ProgressBar(err)
    try:
        found = corpus_mentions(corpus, root, workers=args.workers or s.workers, progress=bar)
    finally:
        bar.close()
    if args.suggest:
        frame, what = (
            tables.suggestions(tables.select(found, start, end, kinds), directory.current()[0]),
            "suggest",
        )
    elif args.mentions:
        chosen = tables.select(found, start, end, kinds).reset_index(drop=True)
        frame, what = tables.mention_rows(chosen, corpus.articles), "mentions"
    else:
        frame, what = tables.people_table(found, start, end, kinds), "table"
    write_bytes(_bytes(frame, args.format, what), args.output, out)
    label = {"table": "个人物与机构", "mentions": "条出现记录", "suggest": "条名录建议"}[what]
    print(f"已导出 {len(frame):,} {label} → {args.output}", file=err)
    report_problems(corpus.report, err)
    return EXIT_OK


def add_people_command(sub: argparse._SubParsersAction) -> None:
    help_zh = "人物与机构：出现次数、文章数、首次与最近出现、头条次数、职务（或每次出现、名录建议）"
    p = sub.add_parser("people", help=help_zh, description=help_zh + "。规则见 docs/PEOPLE.md。")
    p.add_argument("paths", nargs="*", metavar="PATH", help="版面文件或文件夹；不给则使用默认语料（带缓存）")
    p.add_argument("--from", dest="start", default=None, metavar="DATE", help="起始日期（含），如 2020-01-01")
    p.add_argument("--to", dest="end", default=None, metavar="DATE", help="结束日期（含），如 2020-12-31")
    p.add_argument(
        "--kind",
        dest="kinds",
        default=None,
        metavar="KIND,…",
        help="类别，逗号分隔：official（官员）、person（人物）、organisation（机构）；默认全部",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument(
        "--mentions", action="store_true", help="每次出现一行（文章、职务、原句），而不是汇总表"
    )
    what.add_argument(
        "--suggest",
        action="store_true",
        help="列出带职务出现、但 data/people.toml 里还没有的人和职务（--format toml 输出可粘贴的条目）",
    )
    p.add_argument("--format", choices=FORMATS, default="csv", help="输出格式（默认 csv：中文表头，带 BOM）")
    p.add_argument(
        "-o", "--output", default="-", metavar="FILE", help="输出文件（默认 -：标准输出；xlsx 须给文件名）"
    )
    corpus_options(p)
    p.set_defaults(func=cmd_people)
