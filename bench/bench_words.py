"""词云 benchmark over the ten-year corpus (a script, not a test).

    .venv/bin/python bench/bench_words.py [--corpus DIR] [--cold] [--workers N] [--strict]

1. loads the corpus with ``load_corpus`` and its own cache folder bench/out/words-cache (the
   corpus: ``--corpus`` or bench/out/corpus made by ``bench_ingest.ensure_corpus``);
2. ``--cold``: deletes the word cache first and times the cold tokenization (process pool of
   ``--workers``); then times a warm load of the word index in a fresh state (cache read);
3. times what the 词云 page computes after a filter change, for several filters (whole corpus,
   one year, one theme, one month, commentary only, verbs): the term table (counts + TF-IDF),
   the cloud image (layout + PNG) and the rising terms of a two-period comparison;
4. prints the figures against the targets (cloud < 1.5 s, term table < 300 ms) and writes
   bench/out/words.json.  Peak memory is this process's ``ru_maxrss`` (the pool's workers apart).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CACHE = OUT / "words-cache"
RESULT = OUT / "words.json"
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import bench_ingest  # noqa: E402
from bench_themes import finish, timed  # noqa: E402

TARGETS: dict[str, tuple[float, str, str]] = {
    "cloud_seconds_max": (1.5, "s", "word cloud after a filter change (slowest filter)"),
    "table_ms_max": (300.0, "ms", "term table after a filter change (slowest filter)"),
}


def filters(corpus, hits) -> dict[str, dict]:
    """name → the arguments of one filter (article ids, part of speech)."""
    a = corpus.articles
    kinds = a["kind"].astype(str)
    news = kinds.isin(["news", "commentary"])
    years = sorted({d.year for d in a["date"].dropna()})
    mid = years[len(years) // 2]
    in_year = (a["date"].dt.year == mid) & news
    in_month = (a["date"].dt.year == mid) & (a["date"].dt.month == 6) & news
    theme = hits["theme_id"].value_counts().index[0] if len(hits) else None
    themed = a["article_id"].isin(hits.loc[hits["theme_id"] == theme, "article_id"]) & news
    ids = lambda m: a.loc[m.to_numpy(), "article_id"].astype(str).tolist()  # noqa: E731
    return {
        "all news+commentary": {"ids": ids(news), "pos": "all"},
        f"year {mid}": {"ids": ids(in_year), "pos": "all"},
        f"{mid}-06": {"ids": ids(in_month), "pos": "noun"},
        f"theme {theme}": {"ids": ids(themed), "pos": "all"},
        "commentary only": {"ids": ids(kinds == "commentary"), "pos": "verb"},
        "places, all kinds": {"ids": None, "pos": "place"},
    }


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (the pool's workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(args: argparse.Namespace) -> dict:
    from pinghu_core.corpus import ingest
    from pinghu_core.themes import dictionary as themes
    from pinghu_core.words import cloud as wr
    from pinghu_core.words import index as words

    corpus_dir = Path(args.corpus) if args.corpus else bench_ingest.CORPUS
    if not args.corpus:
        params = bench_ingest.corpus_params(3650, 0, date(2016, 1, 1))
        bench_ingest.ensure_corpus(params, regenerate=False)
    corpus, load_s = timed(ingest.load_corpus, corpus_dir, cache_dir=CACHE, workers=args.workers)
    theme_dict = themes.load_themes(themes.DEFAULT_THEMES_PATH)
    text_mb = sum(len(t.encode()) for t in words.article_texts(corpus.articles)) / 1e6
    result: dict = {
        "backend": args.backend,
        "workers": args.workers,
        "corpus": {
            "dir": str(corpus_dir),
            "articles": len(corpus.articles),
            "text_mb": round(text_mb, 1),
            "ingest_load_seconds": load_s,
        },
    }
    if args.cold:  # only this dictionary's and backend's store
        store = words.index_root(CACHE, corpus_dir) / words.lexicon_digest(theme_dict, args.backend)
        shutil.rmtree(store, ignore_errors=True)

    def build():
        return words.build_index(
            corpus.articles,
            theme_dict,
            cache_dir=CACHE,
            corpus_dir=corpus_dir,
            workers=args.workers,
            backend=args.backend,
        )

    cpu0 = _cpu()
    index, first_s = timed(build)
    result["first_build"] = {"seconds": first_s, "cpu_seconds": _cpu() - cpu0, **index.stats}
    index, warm_s = timed(build)
    result["warm_load_seconds"] = warm_s
    result["index"] = {
        "rows": int(len(index.bag_term)) if hasattr(index, "bag_term") else len(index.row_doc),  # per text
        "texts": getattr(index, "n_texts", index.n_docs),
        "vocab": len(index.vocab),
        "articles": index.n_docs,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    _, font_s = timed(wr.cjk_font, CACHE)
    result["font_seconds"] = font_s
    hits = themes.tag_articles(corpus.articles, theme_dict)
    stop = words.load_stopwords()
    runs = {}
    wr.render({"预热": 1.0}, font_path=wr.cjk_font(CACHE))  # first PIL/FreeType use
    for name, f in filters(corpus, hits).items():
        table_cpu = []
        for _ in range(3):  # the table alone, three times: its least CPU time is the steady figure
            c0 = time.process_time()
            keep = words.countable(index, stop, f["pos"])
            words.term_table(index, index.doc_mask(f["ids"]), keep, top=150, weight="count")
            table_cpu.append((time.process_time() - c0) * 1000)
        t0 = time.perf_counter()
        keep = words.countable(index, stop, f["pos"])
        mask = index.doc_mask(f["ids"])
        table = words.term_table(index, mask, keep, top=150, weight="count")
        t1 = time.perf_counter()
        image = wr.render(words.frequencies(table), font_path=wr.cjk_font(CACHE))
        png = wr.png_bytes(image) if image is not None else b""
        t2 = time.perf_counter()
        runs[name] = {
            "articles": int(mask.sum()),
            "table_ms": (t1 - t0) * 1000,
            "table_cpu_ms": min(table_cpu),
            "cloud_seconds": t2 - t0,
            "png_kb": len(png) / 1024,
        }
    a = corpus.articles
    early = index.doc_mask(a.loc[(a["date"] < "2021-01-01").to_numpy(), "article_id"].astype(str))
    late = index.doc_mask(a.loc[(a["date"] >= "2021-01-01").to_numpy(), "article_id"].astype(str))
    rising, rising_s = timed(words.rising_terms, index, early, late, words.countable(index, stop))
    result["rising_seconds"] = rising_s
    result["rising_top"] = rising["term"].head(10).tolist()
    result["runs"] = runs
    result["table_ms_max"] = max(r["table_ms"] for r in runs.values())
    result["cloud_seconds_max"] = max(r["cloud_seconds"] for r in runs.values())
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def table(result: dict) -> tuple[list[str], bool]:
    lines = [f"{'figure':<52} {'measured':>10}  {'target':>9}  verdict"]
    ok = True
    for name, (limit, unit, what) in TARGETS.items():
        value = result[name]
        ok &= value < limit
        lines.append(
            f"{what:<52} {value:>8.2f}{unit:<2}  < {limit:g}{unit:<3}  {'PASS' if value < limit else 'MISS'}"
        )
    for name, r in result["runs"].items():
        lines.append(
            f"  {name:<26} {r['articles']:>6} articles  table {r['table_ms']:6.0f} ms "
            f"({r.get('table_cpu_ms', float('nan')):.0f} CPU ms)  "
            f"cloud {r['cloud_seconds']:.2f} s"
        )
    fb = result["first_build"]
    lines.append(
        f"  first build {fb['seconds']:.1f} s, {fb['cpu_seconds']:.1f} CPU s ({result['backend']}, "
        f"{result['workers']} workers; from cache: {fb['from_cache']}, tokenized {fb['tokenized']} "
        f"texts), warm load {result['warm_load_seconds']:.2f} s, font {result['font_seconds']:.2f} s, "
        f"rising terms {result['rising_seconds'] * 1000:.0f} ms"
    )
    c, i = result["corpus"], result["index"]
    lines.append(
        f"  corpus {c['articles']} articles, {c['text_mb']} MB of text; index {i['rows']:,} rows "
        f"({i.get('texts', 0):,} distinct texts), {i['vocab']:,} terms; peak memory (this process) "
        f"{i.get('peak_mb', 0):.0f} MB after the index, {result['maxrss_mb']:.0f} MB at the end"
    )
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    from pinghu_core.common import memory

    memory.use_system_allocator()  # Arrow's allocator of the dashboard and the pinghu command; children inherit it
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=None, help="corpus folder (default bench/out/corpus)")
    parser.add_argument(
        "--cold", action="store_true", help="delete the word cache first (time the tokenization)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--backend", choices=("jieba", "rjieba"), default="jieba", help="segmentation backend"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    return finish(measure(args), table, RESULT, load_before, args.strict)


if __name__ == "__main__":  # guard: the pools may re-import this module
    raise SystemExit(main())
