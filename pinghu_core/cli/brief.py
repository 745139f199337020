"""``pinghu brief``: the 简报 of a month, a quarter or any date range, as Word (.docx) or Markdown.

pinghu brief --period 2020-07 -o 2020年7月简报.docx
pinghu brief --from 2020-07-01 --to 2020-07-15 --format md -o -
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO, cast

from pinghu_core.brief import build, method
from pinghu_core.brief import period as bp
from pinghu_core.brief.markdown import to_markdown
from pinghu_core.brief.word import to_docx
from pinghu_core.cli import people as people_cli
from pinghu_core.cli.common import EXIT_OK, UsageError, corpus_options
from pinghu_core.cli.themes import load_theme_dict
from pinghu_core.common import schemas, settings
from pinghu_core.corpus import ingest
from pinghu_core.corpus import prominence as pr
from pinghu_core.events import model as ev
from pinghu_core.parse import projects as pj
from pinghu_core.people import directory
from pinghu_core.people import rules as people_rules
from pinghu_core.people import tables as people_tables
from pinghu_core.search import places as pl
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import slogans as sl

FORMATS = ("docx", "md")


def chosen_period(args: argparse.Namespace) -> bp.Period:
    """``--period``, or ``--from``/``--to``; a Chinese usage error for anything else."""
    try:
        if args.period and (args.start or args.end):
            raise UsageError("--period 与 --from/--to 只能给出一种")
        if args.period:
            return bp.parse_period(args.period)
        if args.start and args.end:
            return bp.date_range(bp.parse_day(args.start, "--from"), bp.parse_day(args.end, "--to"))
    except bp.PeriodError as exc:
        raise UsageError(str(exc)) from None
    raise UsageError("需要 --period（如 2020-07 或 2020Q3），或同时给出 --from 与 --to（如 2020-07-01）")


def output_format(args: argparse.Namespace) -> str:
    """``--format``, else from the suffix of ``-o`` (.docx or .md); Markdown to the screen without ``-o``."""
    if args.format:
        return cast(str, args.format)
    if args.output in (None, "-"):
        return "md"
    suffix = Path(args.output).suffix.lower()
    if suffix == ".docx":
        return "docx"
    if suffix in (".md", ".markdown"):
        return "md"
    raise UsageError(f"无法从文件名 {args.output!r} 判断格式：请用 .docx 或 .md 结尾，或给出 --format")


def inputs_of(corpus: ingest.Corpus, theme_path: str | None, err: TextIO) -> build.BriefInputs:
    """Everything the brief needs, from the stored results of ``pinghu ingest`` where they exist."""
    s = settings.get_settings()
    root = ingest.cache_root(s.cache_dir, corpus.corpus_dir) if corpus.corpus_dir else None
    themes = load_theme_dict(theme_path)
    hits = th.stored_tags(corpus.articles, themes, root, corpus.fingerprint)
    try:
        gaz: pl.Gazetteer | None = pl.load_gazetteer()
    except pl.PlacesFileError as exc:
        print(f"提示：地名词表不能使用（{exc}），地点一节暂缺", file=err)
        gaz = None
    places = (
        pl.stored_article_places(corpus.articles, gaz, root, corpus.fingerprint)
        if gaz is not None
        else schemas.ARTICLE_PLACES.empty()
    )
    try:
        events = ev.load_events()
    except ev.EventFileError as exc:
        print(f"提示：事件文件不能使用（{exc}），事件一节暂缺", file=err)
        events = ev.EMPTY
    try:
        projects: pj.ProjectFile | None = pj.load_projects()
    except pj.ProjectFileError:
        projects = None
    names = (
        {p: projects.label(p) for p in corpus.progress["project_id"].astype(str).unique() if p}
        if projects
        else {}
    )
    prom = pr.stored_prominence(corpus.articles, corpus.pages, pr.rules(), root, corpus.fingerprint)
    people = people_tables.stored_mentions(
        corpus.articles, prom, people_rules.rules(), directory.current()[0], people_cli.place_names(), root,
        corpus.fingerprint,
    )  # fmt: skip
    return build.BriefInputs(
        articles=corpus.articles,
        pages=corpus.pages,
        theme_hits=hits,
        theme_labels=themes.labels,
        slogans=sl.stored_slogans(corpus.articles, root, corpus.fingerprint),
        places=places,
        progress=corpus.progress,
        prominence=prom,
        events=events,
        people_mentions=people,
        method=method.method_rows(
            corpus.corpus_dir, corpus.pages, themes, method.places_row(gaz), projects, events
        ),
        project_names=names,
        paper_title=s.corpus_title or "嘉兴日报·平湖版",
    )


def cmd_brief(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``brief``: draft the 简报 of the period and write it."""
    period = chosen_period(args)
    fmt = output_format(args)
    if fmt == "docx" and (args.output in (None, "-")):
        raise UsageError(
            "Word 格式须用 -o 指定文件名（如 -o 2020年7月简报.docx）；输出到屏幕请用 --format md"
        )
    folder = Path(args.path) if args.path else None
    if folder is not None and not folder.is_dir():
        raise UsageError(f"找不到语料文件夹：{folder}")
    corpus = ingest.load_corpus(
        folder, workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    brief = build.build_brief(inputs_of(corpus, args.dict, err), period)
    if fmt == "md":
        text = to_markdown(brief)
        if args.output in (None, "-"):
            out.write(text)
            out.flush()
        else:
            Path(args.output).write_text(text, encoding="utf-8")
    else:
        Path(args.output).write_bytes(to_docx(brief, settings.get_settings().cache_dir))
    if args.output not in (None, "-"):
        print(f"已写入 {args.output}（{brief.title}，引用文章 {len(brief.citations)} 篇）", file=err)
    if not brief.has_pages:
        print(f"提示：{period.label}没有版面", file=err)
    return EXIT_OK


def add_brief_command(sub: argparse._SubParsersAction) -> None:
    help_zh = "撰写一个月、一个季度或任意日期范围的简报（Word 或 Markdown）"
    p = sub.add_parser("brief", help=help_zh, description=help_zh)
    p.add_argument("--period", default=None, help="月份 2020-07、季度 2020Q3 或年 2020")
    p.add_argument("--from", dest="start", default=None, help="任意日期范围：起始日期（含），如 2020-07-01")
    p.add_argument("--to", dest="end", default=None, help="任意日期范围：结束日期（含）")
    p.add_argument("--format", choices=FORMATS, default=None, help="docx 或 md（默认按 -o 的后缀）")
    p.add_argument("-o", "--output", default=None, help="输出文件；- 或不给：Markdown 输出到屏幕")
    p.add_argument("--path", default=None, metavar="FOLDER", help="语料文件夹（默认：配置的语料）")
    p.add_argument("--dict", metavar="FILE", default=None, help="主题词典文件（默认 data/themes.toml）")
    corpus_options(p)
    p.set_defaults(func=cmd_brief)
