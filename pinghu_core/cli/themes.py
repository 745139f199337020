"""``pinghu themes``, ``pinghu slogans``, ``pinghu timeline`` and ``pinghu trends``: theme hits,
recurring slogans, the 政策主题 timeline, and what rose and fell between two periods, as records."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TextIO

import pandas as pd

from pinghu_core.cli.common import (
    EXIT_OK,
    UsageError,
    corpus_options,
    iso_date,
    load_targets,
    number_cell,
    report_problems,
    write_records,
)
from pinghu_core.common import schemas
from pinghu_core.corpus import prominence
from pinghu_core.search import index as se
from pinghu_core.search import series as qseries
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes import slogans, timeline, trends

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


TIMELINE_FIELDS: tuple[str, ...] = tuple(schemas.TIMELINE.names)


MEASURE_CHOICES: dict[str, str] = {
    "count": "count",
    "share": "share_news",
    "share_news": "share_news",
    "share_chars": "share_chars",
    "share_weighted": "share_weighted",
}


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
            "value": number_cell(row["value"]),
            "numerator": number_cell(row["numerator"]),
            "denominator": number_cell(row["denominator"]),
            "has_pages": bool(row["has_pages"]),
        }


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


def query_series(queries: Sequence[str] | None) -> list[str]:
    """The ``--query`` texts as series ids (``query:…``); an unusable query is a usage error."""
    out = []
    for text in queries or []:
        problem = qseries.check(text)
        if problem:
            raise UsageError(f"--query {text!r}：{problem}")
        out.append(qseries.series_id(text))
    return list(dict.fromkeys(out))


def with_query_hits(hits: pd.DataFrame, corpus, ids: Sequence[str]) -> pd.DataFrame:
    """``hits`` and the hits of every ``query:…`` series in ``ids`` (one search index for all)."""
    queries = [i for i in ids if qseries.is_query_series(i)]
    if not queries:
        return hits
    index = se.build_index(corpus.articles, schemas.ARTICLE_PLACES.empty(), None, corpus.pages)
    return pd.concat(
        [hits, *(qseries.query_hits(index, qseries.query_of(q)) for q in queries)], ignore_index=True
    )


def cmd_timeline(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``timeline``: one record per (series, period)."""
    themes_ids = [i.strip() for i in (args.themes or "").split(",") if i.strip()]
    ids = list(dict.fromkeys([*themes_ids, *query_series(args.query)]))
    if not ids:
        raise UsageError("需要 --themes（主题编号，逗号分隔）或 --query（检索式，可重复）")
    if len(ids) > qseries.MAX_SERIES:
        raise UsageError(f"一张时间线最多 {qseries.MAX_SERIES} 个序列（现有 {len(ids)} 个）")
    theme_dict = load_theme_dict(args.dict)
    corpus = load_targets(
        args.path or [], workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    hits = with_query_hits(
        series_hits(corpus.articles, theme_dict, [i for i in ids if not qseries.is_query_series(i)]),
        corpus,
        ids,
    )
    labels = {
        **theme_dict.labels,
        **{i: qseries.label(qseries.query_of(i)) for i in ids if qseries.is_query_series(i)},
    }
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
        scope=args.scope,
    )
    write_records(timeline_records(frame), TIMELINE_FIELDS, args.format, out)
    report_problems(corpus.report, err)
    return EXIT_OK


TREND_FIELDS: tuple[str, ...] = tuple(schemas.TRENDS.names)


def trend_records(frame: pd.DataFrame) -> Iterator[dict]:
    """Trend rows → records with exactly :data:`TREND_FIELDS` (NaN → empty/null)."""
    for row in frame.to_dict("records"):
        yield {
            name: (number_cell(row[name]) if isinstance(row[name], float) else row[name])
            for name in TREND_FIELDS
        } | {k: int(row[k]) for k in ("earlier_count", "later_count", "earlier_total", "later_total")}


def parse_day(text: str | None, flag: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{flag} 应是日期，如 2020-07-01（收到 {text!r}）") from None


def cmd_trends(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``trends``: every theme (and the slogans asked for) in two periods, the largest rise first."""
    later = (parse_day(args.start, "--from"), parse_day(args.end, "--to"))
    if later[0] is None or later[1] is None or later[0] > later[1]:
        raise UsageError("--from 与 --to 须是日期且 --from 不晚于 --to")
    vs = (parse_day(args.vs_start, "--vs-from"), parse_day(args.vs_end, "--vs-to"))
    if (vs[0] is None) != (vs[1] is None):
        raise UsageError("--vs-from 与 --vs-to 须同时给出（都不给：与之前同样长的时期比较）")
    earlier = (vs[0], vs[1]) if vs[0] is not None and vs[1] is not None else trends.previous_period(*later)  # type: ignore[arg-type]
    if earlier[0] > earlier[1]:
        raise UsageError("--vs-from 不能晚于 --vs-to")
    theme_dict = load_theme_dict(args.dict)
    ids = [
        *theme_dict.ids,
        *(timeline.SLOGAN_PREFIX + s for s in args.slogan or []),
        *query_series(args.query),
    ]
    corpus = load_targets(
        args.path or [], workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )
    hits = with_query_hits(
        series_hits(corpus.articles, theme_dict, [i for i in ids if not qseries.is_query_series(i)]),
        corpus,
        ids,
    )
    frame = trends.trends(
        corpus.articles,
        corpus.pages,
        hits,
        ids,
        (later[0], later[1]),
        earlier,
        labels={
            **theme_dict.labels,
            **{i: qseries.label(qseries.query_of(i)) for i in ids if qseries.is_query_series(i)},
        },
        measure=MEASURE_CHOICES[args.measure],
        scope=args.scope,
    )
    write_records(trend_records(frame), TREND_FIELDS, args.format, out)
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
    p.add_argument("--themes", default=None, metavar="ID,…", help="主题编号，逗号分隔；口号写作 slogan:口号")
    series_options(p, dict_help, "文章检索的检索式作为一个序列，如 '疫情 -防控'（可重复）")
    p.add_argument(
        "--granularity", choices=tuple(timeline.GRANULARITIES), default="month", help="时间粒度（默认 month）"
    )
    p.add_argument(
        "--measure",
        choices=tuple(MEASURE_CHOICES),
        default="count",
        help="count 文章数；share 占当期新闻数的比例；share_chars 占当期头版字数的比例；"
        "share_weighted 按显著度加权的比例（权重见 data/prominence.toml）",
    )
    p.add_argument("--start", default=None, help="起始日期（含），如 2020-01-01")
    p.add_argument("--end", default=None, help="结束日期（含），如 2020-12-31")
    p.set_defaults(func=cmd_timeline)
    help_zh = "比较两个时期：每个主题（和所给口号）的占比变化、G² 与新出现/消失，上升最多的在前"
    p = sub.add_parser("trends", help=help_zh, description=help_zh)
    p.add_argument("--from", dest="start", required=True, help="关注的时期：起始日期（含）")
    p.add_argument("--to", dest="end", required=True, help="关注的时期：结束日期（含）")
    p.add_argument(
        "--vs-from", dest="vs_start", default=None, help="对照时期的起始日期（默认：之前同样长的时期）"
    )
    p.add_argument("--vs-to", dest="vs_end", default=None, help="对照时期的结束日期")
    p.add_argument("--slogan", action="append", metavar="口号", help="也比较这个口号（可重复）")
    series_options(p, dict_help, "也比较这个检索式（可重复）")
    p.add_argument(
        "--measure",
        choices=("share", "share_news", "share_chars"),
        default="share",
        help="share 占新闻篇数；share_chars 占头版字数",
    )
    p.set_defaults(func=cmd_trends)


def series_options(p: argparse.ArgumentParser, dict_help: str, query_help: str) -> None:
    """What ``timeline`` and ``trends`` both take: queries as series, the scope, the corpus, the
    output format and the theme dictionary."""
    p.add_argument("--query", action="append", metavar="检索式", help=query_help)
    p.add_argument(
        "--scope",
        choices=tuple(prominence.SCOPES),
        default="all",
        help="all 全部版面（默认）；front 仅头版；lead 仅头条（规则见 data/prominence.toml）",
    )
    p.add_argument(
        "--path", action="append", metavar="PATH", help="版面文件或文件夹（可重复）；不给则使用默认语料"
    )
    p.add_argument("--format", choices=("jsonl", "csv"), default="csv", help="输出格式（默认 csv）")
    p.add_argument("--dict", metavar="FILE", default=None, help=dict_help)
    corpus_options(p)
