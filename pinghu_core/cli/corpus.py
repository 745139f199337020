"""``pinghu articles``, ``pinghu pages`` and ``pinghu ingest``: the parsed items and pages as records, and building the cache."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO, cast

import pandas as pd

from pinghu_core.cli import people as people_cli
from pinghu_core.cli import words as words_cli
from pinghu_core.cli.common import (
    EXIT_OK,
    LIST_SEP,
    ProgressBar,
    check_paths,
    iso_date,
    load_targets,
    number_cell,
    problem_lines,
    report_problems,
    write_csv,
    write_jsonl,
)
from pinghu_core.cli.themes import theme_file_problem
from pinghu_core.common import jieba_dict, schemas, settings
from pinghu_core.corpus import ingest, shapes

ARTICLE_FIELDS: tuple[str, ...] = (
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
)


PAGE_FIELDS: tuple[str, ...] = (
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
)


REPAIR_FIELDS: tuple[str, ...] = ("source", "line", "column", "kind", "kind_zh", "before", "after")


def _strings(value: object) -> list[str]:
    """A list cell → list of str."""
    return [str(x) for x in value] if isinstance(value, list | tuple) else []


def article_records(articles: pd.DataFrame, pages: pd.DataFrame | None = None) -> Iterator[dict]:
    """Rows of the articles frame → export records with exactly :data:`ARTICLE_FIELDS` (``shape``: the
    shape of the item's file in ``pages``; ``page`` when not given)."""
    shape_of = (
        dict(zip(pages["page_id"], pages["shape"].astype(str), strict=True)) if pages is not None else {}
    )
    for row in articles.to_dict("records"):
        yield {
            "id": str(row["article_id"]),
            "source": str(row["source"]),
            "date": iso_date(row["date"]),
            "date_source": str(row["date_source"]),
            "date_confidence": number_cell(row["date_confidence"]),
            "page_no": str(row["page_no"]),
            "shape": shape_of.get(row["page_id"], shapes.PAGE),
            "kind": str(row["kind"]),
            "kicker": str(row["kicker"]),
            "title": str(row["title"]),
            "subtitle": str(row["subtitle"]),
            "reporters": _strings(row["reporters"]),
            "correspondents": _strings(row["correspondents"]),
            "photographers": _strings(row["photographers"]),
            "byline_text": str(row["byline_text"]),
            "column_name": str(row["column_name"]),
            "confidence": number_cell(row["confidence"]),
            "doubts": str(row["doubts"]).split(LIST_SEP) if str(row["doubts"]) else [],
            "body": str(row["body"]),
            "order": int(row["order"]),
            "chars": int(row["chars"]),
        }


def page_records(pages: pd.DataFrame) -> Iterator[dict]:
    """Rows of the pages frame → export records with exactly :data:`PAGE_FIELDS`."""
    for row in pages.to_dict("records"):
        problems = str(row["problems"])
        yield {
            "source": str(row["source"]),
            "date": iso_date(row["date"]),
            "date_source": str(row["date_source"]),
            "date_confidence": number_cell(row["date_confidence"]),
            "date_evidence": str(row["date_evidence"]),
            "page_no": str(row["page_no"]),
            "shape": str(row["shape"]),
            **{f"n_{k}": int(row[f"n_{k}"]) for k in schemas.KINDS},
            "items": int(row["items"]),
            "coverage": number_cell(row["coverage"]),
            "repair_count": int(row["repair_count"]),
            "repairs": str(row["repairs"]),
            "problems": problems.split(LIST_SEP) if problems else [],
        }


def repair_rows(corpus: ingest.Corpus) -> Iterator[dict]:
    """Every repair made to every file of the corpus (the files are read and parsed again)."""
    from pinghu_core.parse import pipeline, reading

    for row in corpus.pages.to_dict("records"):
        source = str(row["source"])
        path = Path(source)
        if not path.exists() and corpus.corpus_dir is not None:
            path = corpus.corpus_dir / source
        decoded = reading.read_page(path)
        if decoded.refused:
            continue
        for rec in pipeline.repair_records(decoded.text, str(row["shape"])):
            yield {"source": source, **rec}


def counts_line(corpus: ingest.Corpus) -> str:
    """'版面 5 个，条目 55 条'; with article files '版面 896 个（同一天同一版次的文章文件算一个版面），文章 4113 篇'."""
    paper = shapes.paper_pages(corpus.pages, corpus.articles)
    if paper.shape in ("", shapes.PAGE):
        return f"版面 {paper.pages} 个，条目 {paper.items} 条"
    which = "文章文件" if paper.shape == shapes.ARTICLE else "文件（文章文件与整版文件）"
    line = f"版面 {paper.pages} 个（同一天同一版次的{which}算一个版面），文章 {paper.articles} 篇"
    return line + (f"，条目 {paper.items} 条（含整版文件的全部条目）" if paper.shape == shapes.MIXED else "")


def copies_line(n: int) -> str:
    """The report's line on the articles counted once (:mod:`pinghu_core.corpus.copies`).

    >>> copies_line(392)
    '重复文章 392 篇：同一版面的另一个文件中有同样的正文，只计一次（文件见读取报告）'
    """
    return f"重复文章 {n:,} 篇：同一版面的另一个文件中有同样的正文，只计一次（文件见读取报告）"


def summary_lines(corpus: ingest.Corpus) -> list[str]:
    """The ingest report as text: counts, timing, one line per file that is not ok."""
    s = corpus.stats
    lines = [
        f"语料文件夹：{corpus.corpus_dir}",
        f"文件 {s['files']} 个：新解析 {s['parsed']}，来自缓存 {s['from_cache']}，"
        f"错误 {s['errors']}，警告 {s['warnings']}",
        counts_line(corpus),
        f"用时 {s['seconds']:.2f} 秒",
    ]
    if s.get("copies"):
        lines.insert(3, copies_line(s["copies"]))
    problems = problem_lines(corpus.report, include_page_problems=True)
    if problems:
        lines += ["有问题的文件：", *(f"  {p}" for p in problems)]
    return lines


def cmd_records(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``articles`` and ``pages``: write records of the loaded corpus."""
    corpus = load_targets(
        args.paths, workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    if args.command == "articles":
        records, fields = article_records(corpus.articles, corpus.pages), ARTICLE_FIELDS
    elif getattr(args, "repairs", False):
        records, fields = repair_rows(corpus), REPAIR_FIELDS
    else:
        records, fields = page_records(corpus.pages), PAGE_FIELDS
    if args.format == "csv":
        write_csv(records, fields, out)
    else:
        write_jsonl(records, out)
    out.flush()
    report_problems(corpus.report, err)
    return EXIT_OK


def precompute(corpus: ingest.Corpus, workers: int = 1, progress: ingest.ProgressFn | None = None) -> str:
    """Compute what the pages need once per corpus — each article's places and theme hits, the
    search texts, the slogans, the titles in 《》, the prominence (:mod:`pinghu_core.search.shared`),
    the people and organisations — and keep it with the corpus cache, so that no server process
    computes it on a page's first open (:mod:`pinghu_core.corpus.derived`).  The places and the
    people, the longest steps, in a pool of ``workers`` processes, each step with its progress.  A
    line for the report."""
    from pinghu_core.corpus import prominence
    from pinghu_core.search import places, shared

    started = time.perf_counter()
    s = settings.get_settings()
    root = ingest.cache_root(s.cache_dir, cast(Path, corpus.corpus_dir))
    try:
        gazetteer: places.Gazetteer | None = places.load_gazetteer()
    except places.PlacesFileError:
        gazetteer = None  # the page explains a broken place file; nothing to keep
    todo = shared.steps(
        corpus,
        root,
        gazetteer=gazetteer,
        themes=words_cli.theme_dict(),
        rules=prominence.rules(),
        workers=workers,
    )
    done = shared.compute(todo, len(corpus.articles), progress)
    people_cli.corpus_mentions(corpus, root, workers=workers, progress=progress)
    done.append("人物与机构")
    return f"预先计算：{'、'.join(done)}（{time.perf_counter() - started:.1f} 秒）"


def cmd_ingest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``ingest``: build or refresh the cache of a corpus folder and print the report.  Unless
    ``--no-words``, the 词云 page's tokens too: each parse worker segments the articles of the files
    it just parsed (parsing and segmentation overlap on every core), then the word cache is written."""
    from pinghu_core.words import index as words

    if args.path:
        check_paths([args.path])
    folder = Path(args.path) if args.path else None
    s = settings.get_settings()
    workers = args.workers or s.workers
    themes = None if args.no_words else words_cli.theme_dict()
    hook = None if args.no_words else words.article_tokenizer(themes, s.cache_dir)
    bar = ProgressBar(err)
    try:
        # while the workers parse, this process loads jieba's dictionary for the places and people
        # after the parse: once, and their forked workers share it (each loaded it for ~0.8 s)
        corpus = ingest.load_corpus(
            folder, workers=workers, progress=bar, hook=hook, meanwhile=jieba_dict.pos_tokenizer
        )
    finally:
        bar.close()
    print("\n".join(summary_lines(corpus)), file=out)
    theme_problem = theme_file_problem()
    if theme_problem:  # the 政策主题 page and the 词云 tokens use it: say so here, with its line
        print(theme_problem, file=out)
    try:
        print(precompute(corpus, workers, bar), file=out)
    finally:
        bar.close()
    if not args.no_words:  # the 词云 page's tokens, cached now instead of on its first open
        try:
            index = words.build_index(
                corpus.articles,
                themes,
                cache_dir=s.cache_dir,
                corpus_dir=cast(Path, corpus.corpus_dir),  # load_corpus always names its folder
                workers=workers,
                progress=bar,
                pretokenized=corpus.extras,
                fingerprint=corpus.fingerprint,  # the text digests kept with the cache
            )
        finally:
            bar.close()
        print(
            f"分词：{index.stats['tokenized']:,} 篇文章新分词，其余来自缓存（{index.stats['seconds']:.1f} 秒）",
            file=out,
        )
    return EXIT_OK


def add_corpus_commands(sub: argparse._SubParsersAction) -> None:
    """``articles``, ``pages`` and ``ingest``."""
    for name, help_zh in (
        ("articles", "导出条目（每条新闻/图片/广告…一条记录）"),
        ("pages", "导出版面（每个版面一条记录）"),
    ):
        p = sub.add_parser(name, help=help_zh, description=help_zh)
        p.add_argument(
            "paths", nargs="*", metavar="PATH", help="版面文件或文件夹；不给则使用默认语料（带缓存）"
        )
        p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="输出格式（默认 jsonl）")
        p.add_argument("--no-cache", action="store_true", help="不读写缓存（仅对默认语料有意义）")
        p.add_argument("--workers", type=int, default=None, help="解析进程数（默认：CPU 核数）")
        if name == "pages":
            p.add_argument(
                "--repairs",
                action="store_true",
                help="列出解析时对原文做的每一处修复（行、列、类型、修复前后），而不是每版一条记录",
            )
        p.set_defaults(func=cmd_records)
    p = sub.add_parser(
        "ingest", help="建立/更新缓存并打印读取报告", description="建立/更新解析缓存并打印读取报告"
    )
    p.add_argument("path", nargs="?", metavar="PATH", help="语料文件夹（默认使用配置的语料文件夹）")
    p.add_argument("--workers", type=int, default=None, help="解析进程数（默认：CPU 核数）")
    p.add_argument("--no-words", action="store_true", help="不为词云页分词（默认同时分词并缓存）")
    p.set_defaults(func=cmd_ingest)
