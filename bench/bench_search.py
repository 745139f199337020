"""文章检索 benchmark over the synthetic ten-year corpus (a script, not a test).

    .venv/bin/python bench/bench_search.py [--corpus DIR] [--cache DIR] [--repeat 5] [--strict]

1. the corpus: ``--corpus``, else $PINGHU_DATA_DIR, else bench/out/corpus made by
   ``bench_ingest.ensure_corpus`` (generated only when missing or made with other parameters);
   loaded with ``load_corpus`` and the cache folder ``--cache`` (else $PINGHU_CACHE_DIR, else
   bench/out/search-cache);
2. times, once per corpus: places (``places.article_places``), themes (``themes.tag_articles``)
   and the search index (``search.build_index`` with the normalised texts stored with the cache,
   ``search.stored_normalised``, as the app builds it; stored first if missing, not timed);
3. times what the 文章检索 page computes after a filter or query change — the rows with the
   snippets of the shown rows (``search.filter_articles(…, snippets=1000)``), the counts, the place
   chart's counts (``search.place_counts``) and the shown table — for a
   sequence of ten typical changes, ``--repeat`` times.  Before every pass the index forgets the
   query words it has seen, so every query word is looked up anew (the worst case);
4. prints the figures against the target (< 200 ms per change) and writes bench/out/search.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULT = OUT / "search.json"
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import bench_ingest  # noqa: E402
from bench_themes import corpus_args, finish, timed  # noqa: E402

TARGET_MS = 200.0


def changes(top_reporter: str) -> list[tuple[str, dict]]:
    """(what the user did, SearchView fields) in the order a user might do them."""
    return [
        ("打开页面（新闻+评论，无检索词）", {}),
        ("检索 项目", {"query": "项目"}),
        ("检索 项目 投资|融资 -疫情", {"query": "项目 投资|融资 -疫情"}),
        (
            "加日期 2020 年",
            {"query": "项目 投资|融资 -疫情", "start": dt.date(2020, 1, 1), "end": dt.date(2020, 12, 31)},
        ),
        ("加地点 乍浦镇", {"query": "项目 投资|融资 -疫情", "places": ("乍浦镇",)}),
        ("主题 疫情防控，无检索词", {"themes": ("epidemic",)}),
        (f"记者 {top_reporter}", {"reporters": (top_reporter,)}),
        ("全部类型，无检索词", {"kinds": ()}),
        ("短语 “长三角一体化”", {"query": "“长三角一体化”"}),
        ("只排除 -疫情", {"query": "-疫情"}),
    ]


GC_PAUSES: list[float] = []  # seconds of each full (generation 2) garbage collection during the changes
_gc_start = [0.0]


def _gc_watch(phase: str, info: dict) -> None:
    if info.get("generation") != 2:
        return
    if phase == "start":
        _gc_start[0] = time.perf_counter()
    else:
        GC_PAUSES.append(time.perf_counter() - _gc_start[0])


def one_change(index, view) -> dict[str, float]:
    """What the page computes after one change; milliseconds per step."""
    from pinghu_core.search import index as search
    from pinghu_core.search import view as sv

    steps: dict[str, float] = {}
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    results = search.filter_articles(index, view, snippets=sv.TABLE_LIMIT)
    steps["filter_articles"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    search.counts(index, view, results)
    search.place_counts(index, results)
    sv.result_table(results.head(sv.TABLE_LIMIT))
    steps["counts_chart_table"] = time.perf_counter() - t1
    cpu = time.process_time() - cpu0
    steps = {k: v * 1000 for k, v in steps.items()}
    steps["total"] = sum(steps.values())
    steps["cpu"] = cpu * 1000  # this process's CPU time: less disturbed by other work on the machine
    steps["rows"] = float(len(results))
    return steps


def corpus_location(args: argparse.Namespace) -> tuple[Path, Path, dict | None]:
    cache = Path(args.cache or os.environ.get("PINGHU_CACHE_DIR") or OUT / "search-cache")
    folder = args.corpus or os.environ.get("PINGHU_DATA_DIR")
    if folder:
        return Path(folder), cache, None
    params = bench_ingest.corpus_params(args.pages, args.seed, dt.date.fromisoformat(args.start))
    return bench_ingest.CORPUS, cache, bench_ingest.ensure_corpus(params, regenerate=False)


def measure(args: argparse.Namespace) -> dict:
    from pinghu_core.corpus import ingest
    from pinghu_core.search import index as search
    from pinghu_core.search import places
    from pinghu_core.themes import dictionary as themes

    folder, cache, generate = corpus_location(args)
    corpus, load_s = timed(ingest.load_corpus, folder, cache_dir=cache, workers=args.workers, progress=False)
    found, places_s = timed(places.article_places, corpus.articles)
    hits, themes_s = timed(themes.tag_articles, corpus.articles, themes.load_themes())
    root = ingest.cache_root(cache, folder)

    def build():  # as the app builds it: the normalised texts from their file with the cache
        norm = search.stored_normalised(corpus.articles, root, corpus.fingerprint)
        return search.build_index(corpus.articles, found, hits, corpus.pages, norm)

    build()  # the first build stores the normalised texts with the cache: not what is timed
    index, index_s = timed(build)
    _, full_s = timed(
        search.filter_articles, index, search.SearchView(query="项目")
    )  # a download of 22k rows
    top_reporter = corpus.articles["reporters"].explode().dropna().value_counts().index[0]
    runs: list[dict] = []
    gc.callbacks.append(_gc_watch)
    for _ in range(args.repeat):
        index._masks.clear()  # every query word looked up anew: the worst case
        for label, fields in changes(top_reporter):
            runs.append({"change": label, **one_change(index, search.SearchView(**fields))})
    gc.callbacks.remove(_gc_watch)
    totals = [r["total"] for r in runs]
    return {
        "gc_full_collections_ms": [p * 1000 for p in GC_PAUSES],
        "corpus": {
            "folder": str(folder),
            "pages": len(corpus.pages),
            "items": len(corpus.articles),
            "text_chars": sum(len(t) for t in index.norm),  # the normalised text has the raw length
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "generate": generate,
            "load_seconds": load_s,
            "load_from_cache": corpus.stats.get("from_cache"),
        },
        "places_seconds": places_s,
        "themes_seconds": themes_s,
        "index_seconds": index_s,
        "download_rows_seconds": full_s,
        "runs_ms": runs,
        "change_ms_median": statistics.median(totals),
        "change_ms_p90": statistics.quantiles(totals, n=10)[-1] if len(totals) > 1 else totals[0],
        "change_ms_max": max(totals),
        "change_cpu_ms_median": statistics.median(r["cpu"] for r in runs),
        "change_cpu_ms_max": max(r["cpu"] for r in runs),
    }


def table(result: dict) -> tuple[list[str], bool]:
    c = result["corpus"]
    lines = [
        f"corpus: {c['pages']:,} pages, {c['items']:,} items, {c['text_chars'] / 1e6:.1f} M characters of text "
        f"(loaded in {c['load_seconds']:.2f} s; peak RSS {c['peak_rss_mb']:,.0f} MB)",
        f"once per corpus: places {result['places_seconds']:.2f} s, themes {result['themes_seconds']:.2f} s, "
        f"search index {result['index_seconds']:.2f} s; rows of a download (query 项目, every snippet) "
        f"{result['download_rows_seconds']:.2f} s",
        f"{'change':<34} {'rows':>7} {'median ms':>10} {'max ms':>8} {'cpu median':>11} {'cpu max':>8}",
    ]
    by_change: dict[str, list[dict]] = {}
    for r in result["runs_ms"]:
        by_change.setdefault(r["change"], []).append(r)
    for label, rs in by_change.items():
        totals, cpu = [r["total"] for r in rs], [r["cpu"] for r in rs]
        lines.append(
            f"{label:<34} {int(rs[0]['rows']):>7,} {statistics.median(totals):>10.1f} {max(totals):>8.1f} "
            f"{statistics.median(cpu):>11.1f} {max(cpu):>8.1f}"
        )
    pauses = result["gc_full_collections_ms"]
    if pauses:
        lines.append(
            f"full garbage collections during the changes: {len(pauses)}, longest {max(pauses):.0f} ms "
            "(a change that ran into one includes it)"
        )
    ok = result["change_ms_max"] < TARGET_MS
    lines.append(
        f"filter or query change: median {result['change_ms_median']:.1f} ms, p90 {result['change_ms_p90']:.1f} ms, "
        f"max {result['change_ms_max']:.1f} ms (target < {TARGET_MS:g} ms) {'PASS' if ok else 'MISS'}; "
        f"CPU time median {result['change_cpu_ms_median']:.1f} ms, max {result['change_cpu_ms_max']:.1f} ms"
    )
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    from pinghu_core.common import memory

    memory.use_system_allocator()  # Arrow's allocator of the dashboard and the pinghu command; children inherit it
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus", default=None, help="corpus folder (default $PINGHU_DATA_DIR or bench/out/corpus)"
    )
    parser.add_argument(
        "--cache", default=None, help="cache folder (default $PINGHU_CACHE_DIR or bench/out/search-cache)"
    )
    args = corpus_args(parser, 5, "passes over the ten changes").parse_args(argv)
    load_before = os.getloadavg()
    return finish(measure(args), table, RESULT, load_before, args.strict)


if __name__ == "__main__":  # guard: the ingest pool may re-import this module
    raise SystemExit(main())
