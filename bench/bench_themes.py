"""Policy-theme benchmark over the synthetic ten-year corpus (a script, not a test).

    .venv/bin/python bench/bench_themes.py [--pages 3650] [--repeat 7] [--strict]

1. makes sure bench/out/corpus holds the ten-year corpus (``bench_ingest.ensure_corpus``:
   generated only when missing or made with other parameters);
2. loads it with ``load_corpus`` and its own cache folder bench/out/themes-cache (kept, so a
   second run loads warm; bench_ingest.py empties bench/out/cache for its cold run);
3. times, once per corpus and dictionary: tagging every article (``tag_articles``), slogan
   discovery (``find_slogans``), the 分词检查 report (``keyword_report``, tokenizer load apart);
4. times what the 政策主题 page computes after a filter change, ``--repeat`` times with
   different themes, measures and periods: the timeline of 3 themes by month, the article
   list of one period (with KWIC lines) and the co-occurrence of one year's articles;
5. prints the figures against the targets and writes bench/out/themes.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CACHE = OUT / "themes-cache"
RESULT = OUT / "themes.json"
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import bench_ingest  # noqa: E402

# name → (limit, unit, what it is)
TARGETS: dict[str, tuple[float, str, str]] = {
    "tag_seconds": (5.0, "s", "tag every article (once per corpus and dictionary)"),
    "slogans_seconds": (5.0, "s", "find slogans (once per corpus)"),
    "keyword_report_seconds": (2.0, "s", "分词检查 report, tokenizer loaded"),
    "filter_change_ms_median": (300.0, "ms", "after a filter change (median)"),
    "filter_change_ms_max": (300.0, "ms", "after a filter change (slowest run)"),
}
THEME_SETS = (
    ("civilized-city", "minsheng", "epidemic"),
    ("major-projects", "business-environment", "disanluan"),
    ("grassroots-governance", "party-building", "common-prosperity"),
    ("ecology", "rural-revitalization", "sci-tech"),
    ("yangtze-delta", "safety", "culture-tourism"),
)
MEASURES = ("count", "share_news", "share_chars")


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - t0


def filter_change(corpus, hits, series: list[str], measure: str, year: int) -> dict[str, float]:
    """What the page computes after a filter change; milliseconds per step."""
    from pinghu_core.themes import timeline as tl

    steps: dict[str, float] = {}
    t0 = time.perf_counter()
    frame = tl.timeline(corpus.articles, corpus.pages, hits, series, granularity="month", measure=measure)
    steps["timeline"] = time.perf_counter() - t0
    busiest = frame.loc[frame["value"].idxmax(), "period_start"] if frame["value"].notna().any() else None
    t1 = time.perf_counter()
    listed = (
        tl.period_articles(corpus.articles, hits, series, busiest, "month") if busiest is not None else None
    )
    steps["period_articles"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    dates = corpus.articles["date"]
    in_year = (dates >= f"{year}-01-01") & (dates < f"{year + 1}-01-01")
    tl.cooccurrence(hits, corpus.articles.loc[in_year.to_numpy(), "article_id"])
    steps["cooccurrence"] = time.perf_counter() - t2
    steps = {k: v * 1000 for k, v in steps.items()}
    steps["total"] = sum(steps.values())
    steps["rows"] = float(len(frame))
    steps["articles_listed"] = float(0 if listed is None else len(listed))
    return steps


def measure(args: argparse.Namespace) -> dict:
    from pinghu_core.corpus import ingest
    from pinghu_core.themes import dictionary as themes
    from pinghu_core.themes import slogans
    from pinghu_core.words import segment

    params = bench_ingest.corpus_params(args.pages, args.seed, date.fromisoformat(args.start))
    generate = bench_ingest.ensure_corpus(params, regenerate=False)
    corpus, load_s = timed(ingest.load_corpus, bench_ingest.CORPUS, cache_dir=CACHE, workers=args.workers)
    theme_dict = themes.load_themes(themes.DEFAULT_THEMES_PATH)
    tagged = themes.tagged(corpus.articles)
    text_mb = (
        sum(
            len((t or "").encode()) + len((b or "").encode())
            for t, b in zip(tagged["title"], tagged["body"], strict=True)
        )
        / 1e6
    )
    hits, tag_s = timed(themes.tag_articles, corpus.articles, theme_dict)
    found, slogans_s = timed(slogans.find_slogans, corpus.articles)
    _, slogan_hits_s = timed(slogans.slogan_hits, corpus.articles, list(found["slogan"].head(3)))
    _, tokenizer_s = timed(segment.get_tokenizer, theme_dict)
    _, report_s = timed(segment.keyword_report, corpus.articles, theme_dict)
    years = sorted({d.year for d in corpus.pages["date"].dropna()})
    runs = []
    for i in range(args.repeat):
        series = list(THEME_SETS[i % len(THEME_SETS)])
        runs.append(filter_change(corpus, hits, series, MEASURES[i % len(MEASURES)], years[i % len(years)]))
    totals = [r["total"] for r in runs]
    return {
        "corpus": {
            "pages": len(corpus.pages),
            "items": len(corpus.articles),
            "tagged_items": len(tagged),
            "tagged_text_mb": round(text_mb, 1),
            "generate": generate,
            "load_seconds": load_s,
            "load_from_cache": corpus.stats.get("from_cache"),
        },
        "dictionary": {
            "version": theme_dict.version,
            "themes": len(theme_dict.themes),
            "digest": theme_dict.digest,
        },
        "article_theme_rows": len(hits),
        "slogans_found": len(found),
        "tag_seconds": tag_s,
        "slogans_seconds": slogans_s,
        "slogan_hits_seconds_3": slogan_hits_s,
        "tokenizer_seconds": tokenizer_s,
        "keyword_report_seconds": report_s,
        "filter_change_runs_ms": runs,
        "filter_change_ms_median": statistics.median(totals),
        "filter_change_ms_max": max(totals),
    }


def table(result: dict) -> tuple[list[str], bool]:
    lines = [f"{'figure':<48} {'measured':>10}  {'target':>9}  verdict"]
    ok = True
    for name, (limit, unit, what) in TARGETS.items():
        value = result[name]
        passed = value < limit
        ok &= passed
        lines.append(
            f"{what:<48} {value:>8.2f}{unit:<2}  < {limit:g}{unit:<3}  {'PASS' if passed else 'MISS'}"
        )
    steps = ("timeline", "period_articles", "cooccurrence")
    per_step = {s: statistics.median(r[s] for r in result["filter_change_runs_ms"]) for s in steps}
    lines.append("  median per step: " + ", ".join(f"{s} {v:.0f} ms" for s, v in per_step.items()))
    c = result["corpus"]
    lines.append(
        f"  corpus: {c['pages']} pages, {c['tagged_items']} tagged items ({c['tagged_text_mb']} MB of text), "
        f"{result['article_theme_rows']} article–theme rows, {result['slogans_found']} slogans; "
        f"tokenizer load {result['tokenizer_seconds']:.2f} s"
    )
    return lines, ok


def finish(
    result: dict, table, result_path: Path, load_before: tuple[float, float, float], strict: bool
) -> int:
    """Print ``table(result)`` with the machine and its load, write the figures as JSON, return the exit status."""
    result["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }
    lines, ok = table(result)
    print("\n".join(lines))
    print(f"  load average before/after: {load_before[0]:.2f} / {result['machine']['load_after'][0]:.2f}")
    result_path.parent.mkdir(parents=True, exist_ok=True)
    result_path.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(f"figures written to {result_path.relative_to(ROOT)}")
    return 1 if strict and not ok else 0


def corpus_args(parser: argparse.ArgumentParser, repeat: int, repeat_help: str) -> argparse.ArgumentParser:
    """The options every filter benchmark takes: the generated corpus, repetitions, workers, --strict."""
    parser.add_argument("--pages", type=int, default=3650, help="daily pages to generate (default 3650)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", default="2016-01-01")
    parser.add_argument("--repeat", type=int, default=repeat, help=f"{repeat_help} (default {repeat})")
    parser.add_argument("--workers", type=int, default=None, help="processes for a cold load")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser


def main(argv: list[str] | None = None) -> int:
    from pinghu_core.common import memory

    memory.use_system_allocator()  # Arrow's allocator of the dashboard and the pinghu command; children inherit it
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args = corpus_args(parser, 7, "filter changes to time").parse_args(argv)
    load_before = os.getloadavg()
    return finish(measure(args), table, RESULT, load_before, args.strict)


if __name__ == "__main__":  # guard: the ingest pool may re-import this module
    raise SystemExit(main())
