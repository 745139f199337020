"""The ``pinghu words`` and ``pinghu kwic`` subcommands (registered by :mod:`pinghu_core.cli.main`).

pinghu words [PATH…] --from DATE --to DATE --top N --format csv|table
pinghu kwic WORD [PATH…] --from DATE --to DATE --format csv|table [--whole-word]
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from pinghu_core.cli import common as cli_common
from pinghu_core.common import exports, schemas, settings, url_params
from pinghu_core.themes import dictionary as themes
from pinghu_core.words import index as words
from pinghu_core.words import segment
from pinghu_core.words import view as word_views

WORD_FIELDS: tuple[str, ...] = ("term", "count", "documents", "tfidf")
KWIC_FIELDS: tuple[str, ...] = ("date", "title", "left", "word", "right", "article_id")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def text_table(rows: list[list[str]], header: Sequence[str], numeric: Sequence[bool]) -> str:
    """Columns aligned for a terminal (Chinese characters count two cells)."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w, n) for h, w, n in zip(header, widths, numeric, strict=True))]
    lines += ["  ".join(_pad(c, w, n) for c, w, n in zip(r, widths, numeric, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _view(args: argparse.Namespace) -> word_views.WordView:
    start, end = url_params.parse_date(args.date_from), url_params.parse_date(args.date_to)
    for given, parsed, flag in ((args.date_from, start, "--from"), (args.date_to, end, "--to")):
        if given and parsed is None:
            raise cli_common.UsageError(f"{flag} 的日期格式不对：{given}（应为 2020-07-22 这样的格式）")
    kinds = tuple(k for k in (args.kinds or "").split(",") if k) or word_views.DEFAULT_KINDS
    unknown = [k for k in kinds if k not in schemas.KINDS]
    if unknown:
        raise cli_common.UsageError(
            f"未知的条目类型：{'、'.join(unknown)}（可用：{'、'.join(schemas.KINDS)}）"
        )
    return word_views.WordView(start=start, end=end, kinds=kinds)


def _index(args: argparse.Namespace, corpus) -> words.WordIndex:
    s = settings.get_settings()
    cache = None if args.paths or args.no_cache else s.cache_dir
    return words.build_index(
        corpus.articles,
        theme_dict(),
        cache_dir=cache,
        corpus_dir=s.corpus_dir,
        workers=args.workers or s.workers,
    )


def theme_dict() -> themes.ThemeDict | None:
    """The configured theme dictionary, or None when it cannot be used (words are then counted without its terms)."""
    try:
        return themes.load_themes()
    except themes.ThemeFileError:
        return None


def _load(args: argparse.Namespace, err: TextIO):
    return cli_common.load_targets(
        args.paths, workers=args.workers, progress=err.isatty(), use_cache=not args.no_cache
    )


def cmd_words(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``words``: the most frequent terms of the chosen articles (term, count, documents, tfidf)."""
    if args.top < 1:
        raise cli_common.UsageError("--top 至少为 1")
    view = _view(args)
    corpus = _load(args, err)
    index = _index(args, corpus)
    ids = word_views.filtered_ids(corpus.articles, view)
    keep = words.countable(index, words.load_stopwords(), args.pos)
    table = words.term_table(index, index.doc_mask(ids), keep, top=args.top, weight=args.weight)
    if args.format == "csv":
        records = ([r.term, r.count, r.documents, f"{r.tfidf:.3f}"] for r in table.itertuples(index=False))
        exports.write_csv((dict(zip(WORD_FIELDS, r, strict=True)) for r in records), WORD_FIELDS, out)
    else:
        rows: list[list[str]] = [
            [str(r.rank), r.term, f"{r.count:,}", f"{r.documents:,}", f"{r.tfidf:,.1f}"]
            for r in table.itertuples()
        ]
        out.write(
            text_table(
                rows, ["排名", "词语", "出现次数", "文章数", "TF-IDF"], [True, False, True, True, True]
            )
        )
        print(f"{len(ids):,} 篇文章（{'、'.join(schemas.KIND_LABELS_ZH[k] for k in view.kinds)}）", file=err)
    out.flush()
    cli_common.report_problems(corpus.report, err)
    return cli_common.EXIT_OK


def cmd_kwic(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``kwic``: every line where WORD occurs (as a string; ``--whole-word``: as a whole token), with its context."""
    word = args.word.strip()
    if not word:
        raise cli_common.UsageError("请给出要查找的词")
    view = _view(args)
    corpus = _load(args, err)
    index = _index(args, corpus)
    ids = word_views.filtered_ids(corpus.articles, view)
    lines = words.kwic(
        corpus.articles,
        index,
        word,
        ids,
        segment.Segmenter(theme_dict(), words.default_backend()),
        whole_word=args.whole_word,
    )
    records = [
        [cli_common.iso_date(r.date) or "", r.title, r.left, r.word, r.right, r.article_id]
        for r in lines.itertuples()
    ]
    if args.format == "csv":
        exports.write_csv((dict(zip(KWIC_FIELDS, r, strict=True)) for r in records), KWIC_FIELDS, out)
    else:
        rows = [[r[0], r[1][:20], r[2][-24:], f"【{r[3]}】", r[4][:24], r[5]] for r in records]
        out.write(
            text_table(
                rows,
                ["日期", "标题", "左侧", "词", "右侧", "文章编号"],
                [False, False, True, False, False, False],
            )
        )
    if not records:
        how = "作为完整词出现的" if args.whole_word else ""
        print(f"在所选文章中没有找到{how}“{word}”。", file=err)
    out.flush()
    cli_common.report_problems(corpus.report, err)
    return cli_common.EXIT_OK


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="版面文件或文件夹；不给则使用默认语料（带缓存）")
    p.add_argument(
        "--from", dest="date_from", default=None, metavar="DATE", help="起始日期（含），如 2020-01-01"
    )
    p.add_argument("--to", dest="date_to", default=None, metavar="DATE", help="结束日期（含），如 2020-12-31")
    p.add_argument(
        "--kinds",
        default=None,
        metavar="KIND,…",
        help=f"条目类型，逗号分隔（默认 {','.join(word_views.DEFAULT_KINDS)}；可用 {','.join(schemas.KINDS)}）",
    )
    p.add_argument(
        "--format", choices=("table", "csv"), default="table", help="输出格式（默认 table：对齐的文本表）"
    )
    cli_common.corpus_options(p)


def add_word_commands(sub: argparse._SubParsersAction) -> None:
    """``words`` and ``kwic``."""
    help_zh = "词频表：所选文章中出现最多的词（词语、出现次数、文章数、TF-IDF）"
    p = sub.add_parser("words", help=help_zh, description=help_zh)
    _common(p)
    p.add_argument("--top", type=int, default=50, help="输出前 N 个词（默认 50）")
    p.add_argument("--pos", choices=tuple(words.POS_FILTERS), default="all", help="词性：all noun verb place")
    p.add_argument("--weight", choices=tuple(words.WEIGHTS), default="count", help="排序依据：count 或 tfidf")
    p.set_defaults(func=cmd_words)
    help_zh = "关键词上下文：列出一个词在所选文章中的每一处出现"
    p = sub.add_parser("kwic", help=help_zh, description=help_zh)
    p.add_argument("word", metavar="WORD", help="要查找的文字（按字查找每一处：独山港 也找到 独山港镇）")
    _common(p)
    p.add_argument(
        "--whole-word",
        action="store_true",
        help="整词：只列出分词结果中恰好是这个词的地方（独山港 不匹配 独山港镇）",
    )
    p.set_defaults(func=cmd_kwic)
