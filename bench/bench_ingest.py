"""Ingest benchmark over a synthetic ten-year corpus (a script, not a test).

    .venv/bin/python bench/bench_ingest.py [--pages 3650] [--workers N] [--keep]

1. generates 3,650 daily pages from 2016-01-01 with seed 0 into bench/out/corpus (skipped
   when bench/out/corpus.json says the same parameters and generator made it);
2. waits for ``pinghu_core.corpus.ingest.load_corpus`` to be importable;
3. cold ingest in a fresh subprocess with an empty cache folder, then a warm load in a
   second fresh subprocess with that cache; the parent samples the memory of each child
   and its worker processes from /proc;
4. prints the figures against the targets and writes them to bench/out/ingest.json.
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
CACHE = OUT / "cache"
RESULT = OUT / "ingest.json"
INGEST = ROOT / "pinghu_core" / "corpus" / "ingest.py"
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")

# name → (limit, unit, what it is)
TARGETS: dict[str, tuple[float, str, str]] = {
    "generate_seconds": (30.0, "s", "generate the corpus"),
    "cold_seconds": (60.0, "s", "cold ingest (empty cache)"),
    "warm_seconds": (2.0, "s", "warm load (cache present)"),
    "peak_memory_mb": (1024.0, "MB", "peak memory, cold or warm"),
}

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


def wait_for_ingest(timeout: float) -> None:
    """Poll until pinghu_core/ingest.py exists and its load_corpus imports."""
    check = [sys.executable, "-c", "from pinghu_core.corpus.ingest import load_corpus"]
    deadline = time.monotonic() + timeout
    said = False
    while True:
        if INGEST.exists() and subprocess.run(check, cwd=ROOT, capture_output=True).returncode == 0:
            return
        if time.monotonic() > deadline:
            raise SystemExit(
                f"gave up after {timeout:.0f} s: pinghu_core.corpus.ingest.load_corpus is not importable"
            )
        if not said:
            print("waiting for pinghu_core/ingest.py (load_corpus) …", flush=True)
            said = True
        time.sleep(10)


# ------------------------------------------------------------------------------ memory sampling


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


def child(corpus: Path, cache: Path, workers: int | None) -> None:
    """Runs inside the fresh subprocess: one load_corpus call, figures as JSON on stdout."""
    t0 = time.perf_counter()
    from pinghu_core.corpus.ingest import load_corpus

    t1 = time.perf_counter()
    result = load_corpus(corpus, cache_dir=cache, workers=workers, progress=False, use_cache=True)
    t2 = time.perf_counter()
    report = result.report
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "import_seconds": t1 - t0,
        "seconds": t2 - t1,
        "pages": len(result.pages),
        "articles": len(result.articles),
        "files": len(report),
        "cached_files": int(report["cached"].sum()) if "cached" in report else None,
        "statuses": {str(k): int(v) for k, v in report["status"].value_counts().items()}
        if "status" in report
        else {},
        "maxrss_self_mb": own.ru_maxrss / 1024,
        "maxrss_children_mb": kids.ru_maxrss / 1024,
        "cpu_seconds": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
        "stats": result.stats,
    }
    print(json.dumps(figures, ensure_ascii=False, default=str))


def run_child(cache: Path, workers: int | None) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--corpus",
        str(CORPUS),
        "--cache",
        str(cache),
    ]
    if workers:
        cmd += ["--workers", str(workers)]
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"ingest subprocess failed ({proc.returncode}):\n{stderr[-4000:]}")
    figures = json.loads(stdout.strip().splitlines()[-1])
    figures["wall_seconds"] = time.perf_counter() - t0
    figures["load_average"] = [load_before, os.getloadavg()[0]]  # other work on the machine skews times
    figures["peak_tree_rss_mb"] = sampler.peak / 2**20
    figures["sampled_cpu_seconds"] = sampler.cpu_seconds  # includes workers the child never reaped
    # Conservative: the larger of the sampled tree and (own peak + largest worker's peak).
    figures["peak_memory_mb"] = max(
        figures["peak_tree_rss_mb"], figures["maxrss_self_mb"] + figures["maxrss_children_mb"]
    )
    return figures


# ------------------------------------------------------------------------------ report


def verdicts(values: dict[str, float]) -> dict[str, str]:
    return {name: ("PASS" if values[name] < limit else "MISS") for name, (limit, _, _) in TARGETS.items()}


def table(values: dict[str, float], result: dict[str, str], extra: list[tuple[str, str]]) -> str:
    rows = [("figure", "value", "target", "")]
    for name, (limit, unit, what) in TARGETS.items():
        rows.append((what, f"{values[name]:.2f} {unit}", f"< {limit:g} {unit}", result[name]))
    rows += [(label, value, "", "") for label, value in extra]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def run(args: argparse.Namespace) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    params = corpus_params(args.pages, args.seed, args.start)
    generate = ensure_corpus(params, args.regenerate)
    wait_for_ingest(args.wait)
    shutil.rmtree(CACHE, ignore_errors=True)
    print("cold ingest …", flush=True)
    cold = run_child(CACHE, args.workers)
    print("warm load …", flush=True)
    warm = run_child(CACHE, args.workers)
    if not args.keep:
        shutil.rmtree(CACHE, ignore_errors=True)
    mb = generate["bytes"] / 1e6
    values = {
        "generate_seconds": generate["seconds"],
        "cold_seconds": cold["seconds"],
        "warm_seconds": warm["seconds"],
        "peak_memory_mb": max(cold["peak_memory_mb"], warm["peak_memory_mb"]),
    }
    result = verdicts(values)
    extra = [
        ("pages / articles", f"{cold['pages']} / {cold['articles']}"),
        ("cold pages/s, MB/s", f"{generate['pages'] / cold['seconds']:.0f}, {mb / cold['seconds']:.2f}"),
        ("peak memory cold / warm", f"{cold['peak_memory_mb']:.0f} / {warm['peak_memory_mb']:.0f} MB"),
        ("warm files from cache", f"{warm['cached_files']} of {warm['files']}"),
        ("process wall time cold / warm", f"{cold['wall_seconds']:.1f} / {warm['wall_seconds']:.1f} s"),
        (
            "cold CPU time (sampled, all processes)",
            f"{cold['sampled_cpu_seconds']:.0f} s = {cold['sampled_cpu_seconds'] / cold['wall_seconds']:.1f} cores busy",
        ),
        (
            "load average before / after cold",
            "{:.1f} / {:.1f} on {} cores".format(*cold["load_average"], os.cpu_count()),
        ),
    ]
    if generate.get("skipped"):
        extra.append(("generation", "skipped (same parameters); time from its stamp"))
    print(table(values, result, extra))
    report = {
        "params": params,
        "workers": args.workers,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "corpus_mb": mb,
        "generate": generate,
        "cold": cold,
        "warm": warm,
        "cold_pages_per_s": generate["pages"] / cold["seconds"],
        "cold_mb_per_s": mb / cold["seconds"],
        "values": values,
        "targets": {k: v[0] for k, v in TARGETS.items()},
        "result": result,
    }
    RESULT.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"→ {RESULT.relative_to(ROOT)}")
    return 1 if args.strict and "MISS" in result.values() else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3650, help="daily pages to generate (default 3650)")
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes for load_corpus (default: its own)"
    )
    parser.add_argument("--keep", action="store_true", help="keep bench/out/cache after the run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2016, 1, 1))
    parser.add_argument(
        "--regenerate", action="store_true", help="generate the corpus even if it is up to date"
    )
    parser.add_argument("--wait", type=float, default=1800, help="seconds to wait for pinghu_core/ingest.py")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.corpus, args.cache, args.workers)
        return 0
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
