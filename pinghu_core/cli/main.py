"""The ``pinghu`` command (also ``python -m pinghu_core``): export articles/pages, build the cache.

    pinghu articles [PATH…] --format jsonl|csv   one record per item
    pinghu pages [PATH…] --format jsonl|csv      one record per page
    pinghu ingest [PATH] [--no-words]            build/refresh the cache and the 词云 tokens, print the report
    pinghu themes [PATH…] --format jsonl|csv     one record per article–theme
    pinghu slogans [PATH…] --format jsonl|csv    recurring quoted slogans and document titles
    pinghu timeline --themes ID,… [--granularity month] [--measure count|share|share_chars]
    pinghu progress [PATH…] --format jsonl|csv   one record per progress figure or milestone
    pinghu export [PATH…] [--from D] [--to D] [--kind K] [--page-no 01,02] [--theme ID] [--place P]
                  [--reporter R] [--query Q] [--format csv|xlsx|jsonl] [--bodies] -o FILE|-
                                                 the 文章检索 page's rows for the same filters
    pinghu words [PATH…] --from DATE --to DATE --top N --format csv|table   term counts
    pinghu kwic WORD [PATH…] --from DATE --to DATE [--whole-word]   every line where WORD occurs
                                                 (as a string; --whole-word: as a whole token)

Records go to stdout as UTF-8; problems go to stderr.  Exit codes: 0 done (bad files are
reported, not fatal), 2 usage error or missing path/corpus.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import SupportsFloat, TextIO, cast

import pandas as pd

from pinghu_core.cli import words as words_cli
from pinghu_core.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    LIST_SEP,
    UsageError,
    check_paths,
    corpus_options,
    iso_date,
    load_targets,
    problem_lines,
    report_problems,
)
from pinghu_core.common import exports, schemas, settings, viewspec
from pinghu_core.corpus import ingest, shapes
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes import slogans, timeline

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
THEME_FIELDS: tuple[str, ...] = (
    "article_id",
    "source",
    "date",
    "theme_id",
    "theme_label",
    "hits",
    "in_title",
)
SLOGAN_FIELDS: tuple[str, ...] = ("slogan", "first_date", "last_date", "articles")
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
TIMELINE_FIELDS: tuple[str, ...] = tuple(schemas.TIMELINE.names)
MEASURE_CHOICES: dict[str, str] = {
    "count": "count",
    "share": "share_news",
    "share_news": "share_news",
    "share_chars": "share_chars",
}
# ---------------------------------------------------------------- records


def _number(value: SupportsFloat) -> float | None:
    """A float for JSON: NaN → None."""
    number = float(value)
    return None if math.isnan(number) else number


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
            "date_confidence": _number(row["date_confidence"]),
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
            "confidence": _number(row["confidence"]),
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
            "date_confidence": _number(row["date_confidence"]),
            "date_evidence": str(row["date_evidence"]),
            "page_no": str(row["page_no"]),
            "shape": str(row["shape"]),
            **{f"n_{k}": int(row[f"n_{k}"]) for k in schemas.KINDS},
            "items": int(row["items"]),
            "coverage": _number(row["coverage"]),
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


def write_jsonl(records: Iterable[dict], out: TextIO) -> int:
    """One JSON object per line (UTF-8, not escaped); returns the number written."""
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(records: Iterable[dict], fields: Sequence[str], out: TextIO) -> int:
    """CSV with a header of machine names (exports.write_csv: lists joined with '；', formula-like text
    neutralised); returns the number of records written."""
    return exports.write_csv(records, fields, out, list_sep=LIST_SEP)


# ---------------------------------------------------------------- loading


def counts_line(corpus: ingest.Corpus) -> str:
    """'版面 5 个，条目 55 条'; with article files '版面 896 个（同一天同一版次的文章文件算一个版面），文章 4113 篇'."""
    paper = shapes.paper_pages(corpus.pages, corpus.articles)
    if paper.shape in ("", shapes.PAGE):
        return f"版面 {paper.pages} 个，条目 {paper.items} 条"
    line = f"版面 {paper.pages} 个（同一天同一版次的文章文件算一个版面），文章 {paper.articles} 篇"
    return line + (f"，条目 {paper.items} 条（含整版文件的全部条目）" if paper.shape == shapes.MIXED else "")


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
    problems = problem_lines(corpus.report, include_page_problems=True)
    if problems:
        lines += ["有问题的文件：", *(f"  {p}" for p in problems)]
    return lines


# ---------------------------------------------------------------- commands


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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


def cmd_ingest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``ingest``: build or refresh the cache of a corpus folder and print the report."""
    if args.path:
        check_paths([args.path])
    folder = Path(args.path) if args.path else None
    corpus = ingest.load_corpus(folder, workers=args.workers, progress=True)
    print("\n".join(summary_lines(corpus)), file=out)
    theme_problem = theme_file_problem()
    if theme_problem:  # the 政策主题 page and the 词云 tokens use it: say so here, with its line
        print(theme_problem, file=out)
    if not args.no_words:  # the 词云 page's tokens, cached now instead of on its first open
        from pinghu_core.words import index as words

        s = settings.get_settings()
        index = words.build_index(
            corpus.articles,
            words_cli.theme_dict(),
            cache_dir=s.cache_dir,
            corpus_dir=cast(Path, corpus.corpus_dir),  # load_corpus always names its folder
            workers=args.workers or s.workers,
        )
        print(
            f"分词：{index.stats['tokenized']:,} 篇文章新分词，其余来自缓存（{index.stats['seconds']:.1f} 秒）",
            file=out,
        )
    return EXIT_OK


def theme_file_problem() -> str:
    """'' when the configured theme dictionary loads, else a Chinese line naming its problem (and line)."""
    try:
        themes.load_themes()
    except themes.ThemeFileError as exc:
        where = exc.path or themes.themes_path()
        return f"[错误] 主题词典不能使用（{where}）：{exc.message_zh}；政策主题与分词暂不使用它，请修正后重新运行"
    return ""


def load_theme_dict(path: str | None) -> themes.ThemeDict:
    """The theme dictionary (``--dict`` or the configured one); a bad file is a usage error."""
    try:
        return themes.load_themes(path)
    except themes.ThemeFileError as exc:
        raise UsageError(f"主题词典不能使用：{exc.message_zh}") from None


def theme_records(hits: pd.DataFrame, articles: pd.DataFrame) -> Iterator[dict]:
    """Article–theme rows → records with exactly :data:`THEME_FIELDS`."""
    info = articles[["article_id", "source", "date"]]
    for row in hits.merge(info, on="article_id", how="left").to_dict("records"):
        yield {
            "article_id": str(row["article_id"]),
            "source": str(row["source"]),
            "date": iso_date(row["date"]),
            "theme_id": str(row["theme_id"]),
            "theme_label": str(row["theme_label"]),
            "hits": int(row["hits"]),
            "in_title": bool(row["in_title"]),
        }


def slogan_records(found: pd.DataFrame) -> Iterator[dict]:
    """Slogans → records with exactly :data:`SLOGAN_FIELDS`."""
    for row in found.to_dict("records"):
        yield {
            "slogan": str(row["slogan"]),
            "first_date": iso_date(row["first_date"]),
            "last_date": iso_date(row["last_date"]),
            "articles": int(row["articles"]),
        }


def timeline_records(frame: pd.DataFrame) -> Iterator[dict]:
    """Timeline rows → records with exactly :data:`TIMELINE_FIELDS` (NaN → empty/null)."""
    for row in frame.to_dict("records"):
        yield {
            "series_id": str(row["series_id"]),
            "series_label": str(row["series_label"]),
            "period": str(row["period"]),
            "period_start": iso_date(row["period_start"]),
            "value": _number(row["value"]),
            "numerator": _number(row["numerator"]),
            "denominator": _number(row["denominator"]),
            "has_pages": bool(row["has_pages"]),
        }


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
            "value": _number(row["value"]),
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


def write_records(records: Iterable[dict], fields: Sequence[str], fmt: str, out: TextIO) -> None:
    if fmt == "csv":
        write_csv(records, fields, out)
    else:
        write_jsonl(records, out)
    out.flush()


def cmd_themes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``themes``: one record per article–theme."""
    theme_dict = load_theme_dict(args.dict)
    corpus = load_targets(
        args.paths, workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    hits = themes.tag_articles(corpus.articles, theme_dict)
    write_records(theme_records(hits, corpus.articles), THEME_FIELDS, args.format, out)
    report_problems(corpus.report, err)
    return EXIT_OK


def cmd_slogans(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``slogans``: recurring quoted terms and document titles."""
    if args.min_articles < 1:
        raise UsageError("--min-articles 至少为 1")
    corpus = load_targets(
        args.paths, workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    found = slogans.find_slogans(corpus.articles, min_articles=args.min_articles)
    write_records(slogan_records(found), SLOGAN_FIELDS, args.format, out)
    report_problems(corpus.report, err)
    return EXIT_OK


def series_hits(articles: pd.DataFrame, theme_dict: themes.ThemeDict, ids: Sequence[str]) -> pd.DataFrame:
    """Hits of the asked themes and 'slogan:…' series; unknown ids are a usage error."""
    by_id = theme_dict.by_id
    unknown = [i for i in ids if i not in by_id and not i.startswith(timeline.SLOGAN_PREFIX)]
    if unknown:
        raise UsageError(
            f"未知的主题编号：{'、'.join(unknown)}（可用：{'、'.join(theme_dict.ids)}，或 slogan:口号）"
        )
    theme_hits = themes.tag_with(articles, [by_id[i] for i in ids if i in by_id])
    return timeline.series_hits(theme_hits, slogans.slogan_hits(articles, timeline.slogan_series(ids)), ids)


def cmd_timeline(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``timeline``: one record per (series, period)."""
    ids = list(dict.fromkeys(i.strip() for i in args.themes.split(",") if i.strip()))
    if not ids:
        raise UsageError("--themes 需要至少一个主题编号，用逗号分隔")
    theme_dict = load_theme_dict(args.dict)
    corpus = load_targets(
        args.path or [], workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    hits = series_hits(corpus.articles, theme_dict, ids)
    labels = theme_dict.labels
    frame = timeline.timeline(
        corpus.articles,
        corpus.pages,
        hits,
        ids,
        granularity=args.granularity,
        measure=MEASURE_CHOICES[args.measure],
        start=args.start,
        end=args.end,
        labels=labels,
    )
    write_records(timeline_records(frame), TIMELINE_FIELDS, args.format, out)
    report_problems(corpus.report, err)
    return EXIT_OK


def add_theme_commands(sub: argparse._SubParsersAction) -> None:
    """``themes``, ``slogans`` and ``timeline``."""
    dict_help = (
        f"主题词典文件（默认 {themes.DEFAULT_THEMES_PATH.name}，可用环境变量 {themes.THEMES_ENV} 修改）"
    )
    for name, help_zh, func in (
        ("themes", "导出文章的政策主题（每篇文章每个主题一条记录）", cmd_themes),
        ("slogans", "导出反复出现的引号口号和《》文件名", cmd_slogans),
    ):
        p = sub.add_parser(name, help=help_zh, description=help_zh)
        p.add_argument(
            "paths", nargs="*", metavar="PATH", help="版面文件或文件夹；不给则使用默认语料（带缓存）"
        )
        p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="输出格式（默认 jsonl）")
        if name == "themes":
            p.add_argument("--dict", metavar="FILE", default=None, help=dict_help)
        else:
            p.add_argument("--min-articles", type=int, default=2, help="至少出现在几篇文章中（默认 2）")
        corpus_options(p)
        p.set_defaults(func=func)
    help_zh = "导出主题时间线（每个主题每个时期一条记录）"
    p = sub.add_parser("timeline", help=help_zh, description=help_zh)
    p.add_argument("--themes", required=True, metavar="ID,…", help="主题编号，逗号分隔；口号写作 slogan:口号")
    p.add_argument(
        "--granularity", choices=tuple(timeline.GRANULARITIES), default="month", help="时间粒度（默认 month）"
    )
    p.add_argument(
        "--measure",
        choices=tuple(MEASURE_CHOICES),
        default="count",
        help="count 文章数；share 占当期新闻数的比例；share_chars 占当期头版字数的比例",
    )
    p.add_argument("--start", default=None, help="起始日期（含），如 2020-01-01")
    p.add_argument("--end", default=None, help="结束日期（含），如 2020-12-31")
    p.add_argument(
        "--path", action="append", metavar="PATH", help="版面文件或文件夹（可重复）；不给则使用默认语料"
    )
    p.add_argument("--format", choices=("jsonl", "csv"), default="csv", help="输出格式（默认 csv）")
    p.add_argument("--dict", metavar="FILE", default=None, help=dict_help)
    corpus_options(p)
    p.set_defaults(func=cmd_timeline)


# ---------------------------------------------------------------- export (文章检索)


def _listed(values: Sequence[str] | None) -> list[str]:
    """Repeated options and comma-separated values → one list (order kept, no repeats)."""
    out = [v.strip() for value in values or () for v in value.replace("，", ",").split(",") if v.strip()]
    return list(dict.fromkeys(out))


def _kinds(values: Sequence[str] | None) -> tuple[str, ...]:
    """--kind news / 新闻 / all; default news and commentary (as on the page)."""
    from pinghu_core.search import index as search

    asked = _listed(values)
    if not asked:
        return search.DEFAULT_KINDS
    if asked == ["all"] or asked == ["全部"]:
        return ()
    by_label = {v: k for k, v in schemas.KIND_LABELS_ZH.items()}
    unknown = [k for k in asked if k not in schemas.KINDS and k not in by_label]
    if unknown:
        choices = "、".join(f"{k}（{v}）" for k, v in schemas.KIND_LABELS_ZH.items())
        raise UsageError(f"未知的类型：{'、'.join(unknown)}（可用：{choices}，或 all）")
    return tuple(dict.fromkeys(by_label.get(k, k) for k in asked))


def _day(value: str | None, option: str):
    import datetime as dt

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} 的日期应写成 2020-07-22，收到：{value}") from None


def _search_themes(args: argparse.Namespace) -> tuple[themes.ThemeDict | None, list[str]]:
    """The theme dictionary and the asked theme ids (labels accepted); a broken dictionary only
    matters when --theme is given."""
    asked = _listed(args.themes)
    try:
        theme_dict = themes.load_themes(args.dict)
    except themes.ThemeFileError as exc:
        if asked:
            raise UsageError(f"主题词典不能使用：{exc.message_zh}") from None
        return None, []
    by_label = {t.label: t.id for t in theme_dict.themes}
    ids = [by_label.get(a, a) for a in asked]
    unknown = [a for a, i in zip(asked, ids, strict=True) if i not in theme_dict.by_id]
    if unknown:
        raise UsageError(f"未知的主题：{'、'.join(unknown)}（可用：{'、'.join(theme_dict.ids)}）")
    return theme_dict, ids


def cmd_search_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``export``: the articles matching the filters, exactly the rows the 文章检索 page shows."""
    from pinghu_core.search import index as search
    from pinghu_core.search import places, query
    from pinghu_core.search import view as search_views

    if args.format == "xlsx" and args.output == "-":
        raise UsageError(
            "XLSX 是二进制文件，不能写到标准输出：请用 -o 文件名.xlsx，或改用 --format csv / jsonl"
        )
    problem = query.try_parse(args.query or "")[1]
    if problem:
        raise UsageError(f"检索式有误：{problem}")
    theme_dict, theme_ids = _search_themes(args)
    # The view the flags ask for (declared on SearchView, as the page's widgets are); the flags
    # with their own words and checks (dates, kinds, themes by label, 版次 and list commas) refined.
    view = replace(
        viewspec.from_args(search.SearchView, args),
        start=_day(args.start, "--from"),
        end=_day(args.end, "--to"),
        kinds=_kinds(args.kinds),
        page_nos=tuple(_listed(args.page_nos)),
        themes=tuple(theme_ids),
        places=tuple(_listed(args.places)),
        reporters=tuple(_listed(args.reporters)),
        query=(args.query or "").strip(),
    )
    try:
        gaz = places.load_gazetteer()
    except places.PlacesFileError as exc:
        if view.places:
            raise UsageError(str(exc)) from None
        gaz = None
    corpus = load_targets(
        args.paths, workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    found = places.article_places(corpus.articles, gaz) if gaz is not None else schemas.ARTICLE_PLACES.empty()
    hits = themes.tag_articles(corpus.articles, theme_dict) if theme_dict is not None else None
    index = search.build_index(corpus.articles, found, hits, corpus.pages)
    results = search.filter_articles(index, view)
    counted = search.counts(index, view, results)
    snap = search_views.snapshot(
        corpus.report, corpus.pages, theme_dict.version if theme_dict else "", gaz.version if gaz else ""
    )
    labels = theme_dict.labels if theme_dict else {}
    data = search_views.download_bytes(
        args.format, results, corpus.articles, view, snap, labels, bodies=args.bodies
    )
    if args.output == "-":
        out.flush()
        stream = getattr(out, "buffer", None)
        if stream is not None:
            stream.write(data)
            stream.flush()
        else:  # a text stream without bytes (tests): CSV keeps its BOM as U+FEFF
            out.write(data.decode("utf-8"))
    else:
        Path(args.output).write_bytes(data)
    print(
        f"已导出 {counted.articles:,} 篇文章"
        + (f"、{counted.others:,} 条其他条目" if counted.others else "")
        + f"（{query.describe(query.parse(view.query))}）→ {args.output}",
        file=err,
    )
    report_problems(corpus.report, err)
    return EXIT_OK


def add_export_command(sub: argparse._SubParsersAction) -> None:
    help_zh = "按文章检索页面的筛选条件导出文章（与页面的结果相同）"
    p = sub.add_parser("export", help=help_zh, description=help_zh + "。检索语法见 docs/SEARCH.md。")
    p.add_argument("paths", nargs="*", metavar="PATH", help="版面文件或文件夹；不给则使用默认语料（带缓存）")
    from pinghu_core.search.index import SearchView

    viewspec.add_arguments(p, SearchView)  # --from --to --kind --page-no --theme --place --reporter --query
    p.add_argument("--format", choices=("csv", "xlsx", "jsonl"), default="csv", help="输出格式（默认 csv）")
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="输出文件；- 表示标准输出（仅 csv、jsonl）"
    )
    p.add_argument("--bodies", action="store_true", help="包含正文全文")
    p.add_argument("--dict", metavar="FILE", default=None, help="主题词典文件（默认 data/themes.toml）")
    corpus_options(p)
    p.set_defaults(func=cmd_search_export)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (help texts in Chinese)."""
    parser = argparse.ArgumentParser(
        prog="pinghu",
        description="嘉兴日报·平湖版 头版文本：导出条目/版面，建立解析缓存。",
        epilog=f"默认语料文件夹：{settings.get_settings().corpus_dir}（可用环境变量 PINGHU_DATA_DIR 修改）",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="输出详细日志（含解析失败的堆栈）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
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
        p.set_defaults(func=cmd_export)
    p = sub.add_parser(
        "ingest", help="建立/更新缓存并打印读取报告", description="建立/更新解析缓存并打印读取报告"
    )
    p.add_argument("path", nargs="?", metavar="PATH", help="语料文件夹（默认使用配置的语料文件夹）")
    p.add_argument("--workers", type=int, default=None, help="解析进程数（默认：CPU 核数）")
    p.add_argument("--no-words", action="store_true", help="不为词云页分词（默认同时分词并缓存）")
    p.set_defaults(func=cmd_ingest)
    add_theme_commands(sub)
    help_zh = "导出项目进度数据（每个数字或节点一条记录）"
    p = sub.add_parser("progress", help=help_zh, description=help_zh)
    p.add_argument("paths", nargs="*", metavar="PATH", help="版面文件或文件夹；不给则使用默认语料（带缓存）")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="输出格式（默认 jsonl）")
    corpus_options(p)
    p.set_defaults(func=cmd_progress)
    add_export_command(sub)
    # ---- 词云: words, kwic

    words_cli.add_word_commands(sub)
    return parser


def _utf8(stream: TextIO) -> TextIO:
    """The stream switched to UTF-8 where possible (Windows consoles, C locale)."""
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
    return stream


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``pinghu``; returns the exit code."""
    out, err = _utf8(sys.stdout), _utf8(sys.stderr)
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
