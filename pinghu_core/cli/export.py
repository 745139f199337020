"""``pinghu export``: the 文章检索 page's rows for the same filters (its flags come from the view declaration, ``search.index.SearchView``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from typing import TextIO

from pinghu_core.cli.common import (
    EXIT_OK,
    UsageError,
    corpus_options,
    load_targets,
    report_problems,
    write_bytes,
)
from pinghu_core.common import schemas, viewspec
from pinghu_core.themes import dictionary as themes


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


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
    if view.sort not in search.SORTS:
        choices = "、".join(f"{k}（{v}）" for k, v in search.SORTS.items())
        raise UsageError(f"未知的排序：{view.sort}（可用：{choices}）")
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
    write_bytes(data, args.output, out)
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
    p.set_defaults(func=cmd_export)
