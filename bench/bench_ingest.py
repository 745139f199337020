"""Ingest benchmark: cold ``pinghu ingest`` (parse + words) against raw rjieba over the same texts,
and the warm load, in one run (a script, not a test).

    .venv/bin/python bench/bench_ingest.py [--corpus DIR] [--pages 3650] [--workers N] [--keep]

1. the corpus: ``--corpus DIR`` as it is, else 3,650 generated daily pages from 2016-01-01 with
   seed 0 in bench/out/corpus (generated again only when bench/out/corpus.json says other
   parameters or another generator made it);
2. cold ingest in a fresh subprocess with an empty cache folder (bench/out/ingest-cache): exactly
   what ``pinghu ingest DIR`` does — parse every file, each parse worker segmenting the articles of
   the files it parsed, compute the results the pages share (places, theme hits, search texts,
   slogans, prominence, people: ``precompute``, timed apart), then write the word cache; the parent
   samples wall time, CPU time and resident memory of the subprocess and all its workers from /proc;
3. warm load in a second fresh subprocess with that cache: the corpus (``load_corpus``) and the
   word index (``words.build_index``), timed apart;
4. a day's page added (the generated corpus only: a page generated for today in a folder
   ``_bench_added_day``, removed afterwards) and ``pinghu ingest`` again — what a daily update costs;
5. raw rjieba in a further subprocess, one core: ``rjieba.Jieba().cut(text, True)`` over exactly the
   texts the word index segments (every distinct article text), nothing else;
6. cold words alone (the parse cache warm, the word cache and lexicon deleted): ``build_index``;
7. prints the figures, the ratio of the cold ingest's parse + words (all of it but ``precompute``,
   the quantity the target names) to raw rjieba with PASS/MISS against ≤ 3×, the ratio of all of
   it, and the warm load against ≤ 1 s, with the load average before and after each step; writes bench/out/ingest.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CORPUS = OUT / "corpus"
STAMP = OUT / "corpus.json"
CACHE = OUT / "ingest-cache"
RESULT = OUT / "ingest.json"
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")

RATIO_LIMIT = 3.0  # cold ingest's parse + words wall time ≤ this × raw rjieba over the same texts
WARM_LIMIT = 1.0  # seconds: the warm word index load

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# ------------------------------------------------------------------------------ corpus


def corpus_params(pages: int, seed: int, start: date) -> dict:
    from bench import synth

    source = Path(synth.__file__).read_bytes()
    return {
        "pages": pages,
        "seed": seed,
        "start": start.isoformat(),
        "days": synth.days_for_pages(start, pages, seed),
        "synth_version": synth.SYNTH_VERSION,
        "synth_sha256": hashlib.sha256(source).hexdigest()[:16],
    }


def ensure_corpus(params: dict, regenerate: bool) -> dict:
    """Generate the corpus unless the stamp shows it was made with the same parameters."""
    from bench import synth

    if not regenerate and STAMP.exists() and CORPUS.exists():
        stamp = json.loads(STAMP.read_text(encoding="utf-8"))
        if stamp.get("params") == params:
            return {**stamp["generate"], "skipped": True}
    shutil.rmtree(CORPUS, ignore_errors=True)
    print(f"generating {params['pages']} pages into {CORPUS.relative_to(ROOT)} …", flush=True)
    t0 = time.perf_counter()
    pages = synth.generate_corpus(
        CORPUS, start=date.fromisoformat(params["start"]), days=params["days"], seed=params["seed"]
    )
    seconds = time.perf_counter() - t0
    size = sum(len(p.text.encode("utf-8")) for p in pages)
    generate = {"seconds": seconds, "pages": len(pages), "bytes": size, "pages_per_s": len(pages) / seconds}
    STAMP.write_text(json.dumps({"params": params, "generate": generate}, indent=2), encoding="utf-8")
    return {**generate, "skipped": False}


# ------------------------------------------------------------------------------ process tree sampling


def _proc_table() -> dict[int, tuple[int, int, int]]:
    """pid → (parent pid, resident bytes, CPU ticks so far) for every process we can read."""
    table = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            statm = (d / "statm").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        table[int(d.name)] = (int(fields[1]), int(statm.split()[1]) * PAGE_BYTES, ticks)
    return table


def tree(root: int, table: dict[int, tuple[int, int, int]]) -> set[int]:
    """``root`` and all its descendants."""
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        kids = [pid for pid, row in table.items() if row[0] == parent and pid not in members]
        members.update(kids)
        frontier += kids
    return members & set(table)


class MemorySampler(threading.Thread):
    """Samples a process tree every ``interval`` seconds: peak resident memory (shared pages
    counted in each process) and the last CPU time seen for each member."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.ticks: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            table = _proc_table()
            members = tree(self.pid, table)
            self.peak = max(self.peak, sum(table[p][1] for p in members))
            self.ticks.update({p: table[p][2] for p in members})
            self.done.wait(self.interval)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------ child runs


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _texts(corpus: Path, cache: Path) -> list[str]:
    """Every distinct article text, as the word index segments them (from the warm parse cache)."""
    from pinghu_core.corpus.ingest import load_corpus
    from pinghu_core.words import index as words

    articles = load_corpus(corpus, cache_dir=cache).articles
    return list(dict.fromkeys(words.article_texts(articles).tolist()))


def child_cold(corpus: Path, cache: Path, workers: int | None) -> dict:
    """``pinghu ingest CORPUS`` with the cache in ``cache`` (set by the parent's environment)."""
    import io

    from pinghu_core.cli import corpus as corpus_cli

    args = argparse.Namespace(path=str(corpus), workers=workers, no_words=False)
    out = io.StringIO()
    precompute = corpus_cli.precompute
    spent: list[float] = []

    def timed_precompute(*a, **k):  # the results the pages share: apart from parse + words
        t = time.perf_counter()
        try:
            return precompute(*a, **k)
        finally:
            spent.append(time.perf_counter() - t)

    corpus_cli.precompute = timed_precompute
    t0, c0 = time.perf_counter(), _cpu()
    corpus_cli.cmd_ingest(args, out, sys.stderr)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "cpu_seconds": _cpu() - c0,
        "precompute_seconds": sum(spent),
        "parse_words_seconds": seconds - sum(spent),
        "report": out.getvalue(),
    }


def child_warm(corpus: Path, cache: Path, workers: int | None) -> dict:
    """The warm load: the corpus from its cache, then the word index from its cache."""
    from pinghu_core.cli import words as words_cli
    from pinghu_core.corpus.ingest import load_corpus
    from pinghu_core.words import index as words

    themes = words_cli.theme_dict()
    t0 = time.perf_counter()
    loaded = load_corpus(corpus, cache_dir=cache, workers=workers)
    t1 = time.perf_counter()
    index = words.build_index(
        loaded.articles, themes, cache_dir=cache, corpus_dir=corpus, workers=workers or 1
    )
    t2 = time.perf_counter()
    return {
        "corpus_seconds": t1 - t0,
        "words_seconds": t2 - t1,
        "seconds": t2 - t0,
        "from_cache": bool(index.stats["from_cache"]) and loaded.stats["parsed"] == 0,
        "articles": len(loaded.articles),
        "pages": len(loaded.pages),
        "terms": len(index.vocab),
        "rows": len(index.row_term),
    }


def child_raw(corpus: Path, cache: Path, workers: int | None) -> dict:
    """Raw rjieba, one core, over every distinct article text (loading them is not timed)."""
    del workers
    texts = _texts(corpus, cache)
    import rjieba

    t0 = time.perf_counter()
    rj = rjieba.Jieba()
    t1, c1 = time.perf_counter(), time.process_time()
    tokens = sum(len(rj.cut(text, True)) for text in texts)
    return {
        "init_seconds": t1 - t0,
        "seconds": time.perf_counter() - t1,
        "cpu_seconds": time.process_time() - c1,
        "texts": len(texts),
        "mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6,
        "tokens": tokens,
    }


def child_words(corpus: Path, cache: Path, workers: int | None) -> dict:
    """Cold words alone: the parse cache warm, the word cache and the lexicon deleted first."""
    from pinghu_core.cli import words as words_cli
    from pinghu_core.common import settings
    from pinghu_core.corpus.ingest import load_corpus
    from pinghu_core.words import index as words

    shutil.rmtree(cache / "words", ignore_errors=True)
    shutil.rmtree(cache / "lexicons", ignore_errors=True)
    articles = load_corpus(corpus, cache_dir=cache).articles
    themes = words_cli.theme_dict()
    t0, c0 = time.perf_counter(), _cpu()
    index = words.build_index(
        articles,
        themes,
        cache_dir=cache,
        corpus_dir=corpus,
        workers=workers or settings.get_settings().workers,
    )
    return {
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": _cpu() - c0,
        "tokenized": index.stats["tokenized"],
        "backend": index.stats["backend"],
    }


ADDED = "_bench_added_day"  # the folder of the day's page added to the generated corpus, removed after


def child_day(corpus: Path, cache: Path, workers: int | None) -> dict:
    """A day's new page (generated for today) added to the ingested corpus, then ``pinghu ingest``
    again — what a daily update costs; the page is removed afterwards."""
    from bench import synth

    day = date.today()
    page = synth.generate_page(day, synth.page_rng(day, 1))
    path = corpus / ADDED / Path(page.filename).name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page.text.encode("utf-8"))
    try:
        figures = child_cold(corpus, cache, workers)
    finally:
        shutil.rmtree(corpus / ADDED, ignore_errors=True)
    return figures


CHILDREN = {"cold": child_cold, "warm": child_warm, "raw": child_raw, "words": child_words, "day": child_day}


def run_child(mode: str, corpus: Path, cache: Path, workers: int | None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--corpus", str(corpus)]
    cmd += ["--cache", str(cache)] + (["--workers", str(workers)] if workers else [])
    env = {**os.environ, "PINGHU_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{mode} subprocess failed ({proc.returncode}):\n{stderr[-4000:]}")
    figures = json.loads(stdout.strip().splitlines()[-1])
    figures["process_wall_seconds"] = time.perf_counter() - t0
    figures["load_average_before"] = list(load_before)
    figures["load_average_after"] = list(os.getloadavg())
    figures["peak_tree_rss_mb"] = sampler.peak / 2**20
    figures["tree_cpu_seconds"] = sampler.cpu_seconds
    return figures


# ------------------------------------------------------------------------------ report


def _load(figures: dict) -> str:
    return f"{figures['load_average_before'][0]:.1f} → {figures['load_average_after'][0]:.1f}"


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def run(args: argparse.Namespace) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    generate = None
    corpus = args.corpus
    if corpus is None:
        generate = ensure_corpus(corpus_params(args.pages, args.seed, args.start), args.regenerate)
        corpus = CORPUS
    cache = args.cache or CACHE
    shutil.rmtree(cache, ignore_errors=True)
    print(f"corpus {corpus}, cache {cache}; cold ingest …", flush=True)
    cold = run_child("cold", corpus, cache, args.workers)
    print("warm load …", flush=True)
    warm = run_child("warm", corpus, cache, args.workers)
    day = None
    if corpus == CORPUS:  # only the folder this bench generated gets a page added (and removed)
        print("a day's page added, ingest again …", flush=True)
        day = run_child("day", corpus, cache, args.workers)
    print("raw rjieba …", flush=True)
    raw = run_child("raw", corpus, cache, args.workers)
    print("cold words alone …", flush=True)
    words = run_child("words", corpus, cache, args.workers)
    if not args.keep:
        shutil.rmtree(cache, ignore_errors=True)
    ratio = cold["parse_words_seconds"] / raw["seconds"]  # the target's quantity: parse + words
    whole_ratio = cold["seconds"] / raw["seconds"]
    words_ratio = words["seconds"] / raw["seconds"]
    result = {
        "ratio": "PASS" if ratio <= RATIO_LIMIT else "MISS",
        "warm": "PASS" if warm["words_seconds"] <= WARM_LIMIT else "MISS",
    }
    rows = [
        ("figure", "value", "target", "", "load avg 1 min"),
        (
            "raw rjieba, one core",
            f"{raw['seconds']:.2f} s wall, {raw['cpu_seconds']:.2f} s CPU "
            f"({raw['texts']:,} texts, {raw['mb']:.1f} MB; init {raw['init_seconds']:.2f} s apart)",
            "",
            "",
            _load(raw),
        ),
        (
            "cold pinghu ingest, all of it",
            f"{cold['seconds']:.1f} s wall, {cold['tree_cpu_seconds']:.1f} s CPU (tree), "
            f"peak RSS {cold['peak_tree_rss_mb']:.0f} MB (tree)",
            "",
            "",
            _load(cold),
        ),
        (
            "  of which parse + words",
            f"{cold['parse_words_seconds']:.1f} s wall (start, parse with the words segmented, "
            "cache written, word cache)",
            "",
            "",
            "",
        ),
        (
            "  of which the shared results",
            f"{cold['precompute_seconds']:.1f} s wall (places, theme hits, search texts, slogans, "
            "prominence, people)",
            "",
            "",
            "",
        ),
        ("parse + words / raw rjieba", f"{ratio:.1f}×", f"≤ {RATIO_LIMIT:g}×", result["ratio"], ""),
        ("all of it / raw rjieba", f"{whole_ratio:.1f}×", "", "", ""),
        (
            "a day's page added: ingest again",
            "not run (--corpus given)"
            if day is None
            else f"{day['seconds']:.1f} s wall, {day['tree_cpu_seconds']:.1f} s CPU (tree), "
            f"peak RSS {day['peak_tree_rss_mb']:.0f} MB (tree)",
            "",
            "",
            "" if day is None else _load(day),
        ),
        (
            "cold words alone (parse cache warm)",
            f"{words['seconds']:.2f} s wall, {words['cpu_seconds']:.2f} s CPU, {words['backend']}",
            "",
            "",
            _load(words),
        ),
        ("cold words alone / raw rjieba", f"{words_ratio:.1f}×", "", "", ""),
        (
            "warm load: word index",
            f"{warm['words_seconds']:.2f} s (corpus {warm['corpus_seconds']:.2f} s, "
            f"both {warm['seconds']:.2f} s)",
            f"≤ {WARM_LIMIT:g} s",
            result["warm"],
            _load(warm),
        ),
        (
            "pages / articles / terms",
            f"{warm['pages']:,} / {warm['articles']:,} / {warm['terms']:,}",
            "",
            "",
            "",
        ),
    ]
    print(table(rows))
    print(f"os.getloadavg() now: {tuple(round(x, 2) for x in os.getloadavg())} on {os.cpu_count()} cores")
    report = {
        "corpus": str(corpus),
        "workers": args.workers,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "generate": generate,
        "cold": cold,
        "day": day,
        "warm": warm,
        "raw": raw,
        "words": words,
        "ratio": ratio,
        "whole_ratio": whole_ratio,
        "words_ratio": words_ratio,
        "limits": {"ratio": RATIO_LIMIT, "warm_seconds": WARM_LIMIT},
        "result": result,
    }
    RESULT.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"→ {RESULT.relative_to(ROOT)}")
    return 1 if args.strict and "MISS" in result.values() else 0


def main(argv: list[str] | None = None) -> int:
    from pinghu_core.common import memory

    memory.use_system_allocator()  # Arrow's allocator of the dashboard and the pinghu command; children inherit it
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus", type=Path, help="corpus folder to use as it is (default: a generated one)"
    )
    parser.add_argument("--pages", type=int, default=3650, help="daily pages to generate (default 3650)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: the setting)")
    parser.add_argument(
        "--cache", type=Path, help="cache folder, emptied first (default bench/out/ingest-cache)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the cache folder after the run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2016, 1, 1))
    parser.add_argument(
        "--regenerate", action="store_true", help="generate the corpus even if it is up to date"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        figures = CHILDREN[args.child](args.corpus, args.cache, args.workers)
        print(json.dumps(figures, ensure_ascii=False, default=str))
        return 0
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
