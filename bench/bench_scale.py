"""Ten times the corpus (issue 14, part 5): does a big corpus load warm in ≤ 3 s within ≤ 1.5 GB,
and does every page stay interactive?

Usage (a corpus folder already ingested into ``--cache``, e.g. by ``pinghu ingest``)::

    python bench/bench_scale.py CORPUS --cache CACHE [--json out.json] [--skip words]

Three parts, each in a fresh Python process so no part profits from another's caches:

* ``load``: ``ingest.load_corpus`` on the warm cache — wall and CPU seconds, peak RSS;
* ``builds``: the load, then what the pages build once per corpus on first open (theme hits, places,
  the search index with its stored normalised texts, the stored slogans, the warm word index, the
  overview) — time and memory after each, kept as the app keeps them, and a few searches on the index;
* ``app``: the dashboard in ``streamlit.testing.v1.AppTest`` with ``PINGHU_DATA_DIR`` and
  ``PINGHU_CACHE_DIR`` set: every page opened (first open, then a warm rerun) and one typical widget
  change per page, and the process's memory at the end (every page opened).

Memory is reported as peak RSS (``ru_maxrss``) and, at the end of each part, RSS split into private
(``RssAnon``) and file-backed (``RssFile``: the memory-mapped cache, shared between server
processes and evictable).  The machine is shared: every figure is printed with ``os.getloadavg()``
and CPU seconds next to wall seconds.  The table compares with the targets: warm load ≤ 3 s, peak
RSS ≤ 1.5 GB (the app process with every page opened), every warm rerun ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD_TARGET_S = 3.0
RSS_TARGET_MB = 1536.0
RERUN_TARGET_S = 1.0


def memory() -> dict:
    """RSS now (private and file-backed) and the peak, in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rss_mb": round(fields.get("VmRSS", 0), 1),
        "anon_mb": round(fields.get("RssAnon", 0), 1),
        "file_mb": round(fields.get("RssFile", 0), 1),
        "peak_mb": round(peak, 1),
    }


def timed(step, *args, **kwargs):
    """(result, {wall, cpu, load, memory after})."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step(*args, **kwargs)
    figures = {
        "wall_s": round(time.perf_counter() - wall, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
        "loadavg": round(os.getloadavg()[0], 2),
    }
    return result, {**figures, **memory()}


# ---------------------------------------------------------------- the parts (child processes)


def part_load(corpus: Path, cache: Path) -> dict:
    from pinghu_core.corpus import ingest

    corpus_obj, figures = timed(ingest.load_corpus, corpus, cache_dir=cache)
    stats = corpus_obj.stats
    return {
        "load": figures,
        "files": stats["files"],
        "parsed": stats["parsed"],
        "from_cache": stats["from_cache"],
        "pages": len(corpus_obj.pages),
        "articles": len(corpus_obj.articles),
        "figures": len(corpus_obj.progress),
    }


def part_builds(corpus: Path, cache: Path) -> dict:
    from pinghu_core.corpus import ingest, shapes
    from pinghu_core.overview import summary as ov
    from pinghu_core.search import index as se
    from pinghu_core.search import places as pl
    from pinghu_core.themes import dictionary as th
    from pinghu_core.themes import slogans as sl
    from pinghu_core.words import index as wd

    out: dict = {}
    c, out["load"] = timed(ingest.load_corpus, corpus, cache_dir=cache)
    root = ingest.cache_root(cache, corpus)
    themes, _ = th.ThemeStore().get(th.themes_path())
    hits, out["theme hits"] = timed(th.stored_tags, c.articles, themes, root, c.fingerprint)
    gaz, _ = pl.GazetteerStore().get(pl.places_path())
    places, out["places"] = timed(pl.stored_article_places, c.articles, gaz, root, c.fingerprint)

    def index():
        norm = se.stored_normalised(c.articles, root, c.fingerprint)
        return se.build_index(c.articles, places, hits, c.pages, norm)

    idx, out["search index"] = timed(index)
    _, out["slogans"] = timed(sl.stored_slogans, c.articles, root, c.fingerprint)
    word_index, out["word index (warm)"] = timed(
        wd.load_index, c.articles, themes, cache_dir=cache, corpus_dir=corpus, fingerprint=c.fingerprint
    )
    if word_index is not None:
        out["word index (warm)"]["structure"] = {
            "articles": word_index.n_docs,
            "texts": word_index.n_texts,
            "rows": int(len(word_index.bag_term)),
            "array_mb": round(sum(a.nbytes for a in (word_index.bag_term, word_index.bag_count)) / 2**20, 1),
        }

    def overview():
        return ov.build_overview(c.pages, c.articles, c.report, shapes.paper_pages(c.pages, c.articles))

    _, out["overview"] = timed(overview)
    for q in ("项目", "乡村振兴 -会议", '"共同富裕"'):
        _, out[f"search {q}"] = timed(se.filter_articles, idx, se.SearchView(query=q), snippets=200)
    return out


def second_metric(at) -> str:
    """The second metric of 项目进度's select box, as a value (its options are the Chinese labels:
    ``select_index`` would set a label, which the box's format function does not know)."""
    from pinghu_core.progress import view as pv

    value_of = {label: metric for metric, label in pv.METRIC_LABELS_ZH.items()}
    label = at.selectbox(key="progress.metric").options[1]
    return value_of.get(label, label)


def another_month(at) -> str:
    """The latest month before the one 简报 shows that its select box lists (its options are the
    Chinese labels and its values month codes: the code whose label is listed)."""
    box = at.selectbox(key="brief.month")
    year, month = map(int, str(box.value).split("-"))
    for _ in range(240):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        code = f"{year:04d}-{month:02d}"
        if box.format_func(code) in box.options:
            return code
    raise LookupError("no other month listed")


def pages() -> list[str]:
    """Every page of the navigation, in its order (上传 too: a laptop's dashboard shows it)."""
    from pinghu_app.shell import NAV

    return [Path(p.path).stem for p in NAV]


def part_app(corpus: Path, cache: Path, skip: list[str]) -> dict:
    os.environ["PINGHU_DATA_DIR"] = str(corpus)
    os.environ["PINGHU_CACHE_DIR"] = str(cache)
    from streamlit.testing.v1 import AppTest

    from pinghu_core.themes import timeline as tl

    changes = {  # one typical widget change per page: (what, how)
        "articles": ("检索式“项目”", lambda at: at.text_input(key="articles.query").set_value("项目")),
        "themes": (
            "时间粒度",
            lambda at: at.radio(key="themes.granularity").set_value(list(tl.GRANULARITIES)[-1]),
        ),
        "progress": ("指标", lambda at: at.selectbox(key="progress.metric").set_value(second_metric(at))),
        "people": ("类别“机构”", lambda at: at.multiselect(key="people.kinds").set_value(["organisation"])),
        "brief": ("另一个月", lambda at: at.selectbox(key="brief.month").set_value(another_month(at))),
    }
    out: dict = {}
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=3600)
    _, out["first run (总览, with the load)"] = timed(at.run)
    errors = [str(e.value) for e in at.exception]
    for page in pages():
        if page in skip:
            continue
        at.switch_page(f"pages/{page}.py")
        _, out[f"{page}: first open"] = timed(at.run)
        _, out[f"{page}: warm rerun"] = timed(at.run)
        if page in changes:
            what, change = changes[page]
            try:
                change(at)
                _, out[f"{page}: change {what}"] = timed(at.run)
            except Exception as exc:  # noqa: BLE001 - a widget not found is reported, not fatal
                out[f"{page}: change {what}"] = {"error": f"{type(exc).__name__}: {exc}"}
        errors += [f"{page}: {e.value}" for e in at.exception]
    out["end (every page opened)"] = {"loadavg": round(os.getloadavg()[0], 2), **memory()}
    out["exceptions"] = errors
    return out


# ---------------------------------------------------------------- driver


def run_child(part: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, str(args.corpus), "--cache", str(args.cache), "--child", part]
    cmd += [f"--skip={s}" for s in args.skip]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=os.environ.copy())
    if done.returncode != 0:
        return {"error": done.stderr[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def app_target(name: str, f: dict) -> str:
    """The target a row of the app part is held to, with its verdict."""
    if name.startswith("end"):
        return f"{verdict(f['peak_mb'] <= RSS_TARGET_MB)} (peak ≤ {RSS_TARGET_MB:g} MB)"
    if ("warm rerun" in name or "change" in name) and "wall_s" in f:
        return f"{verdict(f['wall_s'] <= RERUN_TARGET_S)} (≤ {RERUN_TARGET_S:g} s)"
    return ""


def table(results: dict) -> list[str]:
    lines = [
        f"{'step':44s} {'wall s':>7s} {'cpu s':>7s} {'rss MB':>7s} {'anon':>6s} {'file':>6s} {'peak':>6s} {'load':>5s}  target"
    ]

    def row(name: str, f: dict, target: str = "") -> None:
        if "error" in f:
            lines.append(f"{name:44s} ERROR {f['error'][:200]}")
            return
        lines.append(
            f"{name:44s} {f.get('wall_s', float('nan')):7.2f} {f.get('cpu_s', float('nan')):7.2f} "
            f"{f['rss_mb']:7.0f} {f['anon_mb']:6.0f} {f['file_mb']:6.0f} {f['peak_mb']:6.0f} {f['loadavg']:5.1f}  {target}"
        )

    load = results.get("load", {})
    if "load" in load:
        lines.append(
            f"[load] {load['files']:,} files, {load['pages']:,} pages, {load['articles']:,} articles, parsed {load['parsed']}"
        )
        f = load["load"]
        row("warm load_corpus", f, f"{verdict(f['wall_s'] <= LOAD_TARGET_S)} (≤ {LOAD_TARGET_S:g} s wall)")
    elif load:
        row("warm load_corpus", load)
    builds = results.get("builds", {})
    if builds:
        lines.append("[builds, one process, in order]")
        for name, f in builds.items():
            row(name, f, str(f.get("structure", "")))
    app = results.get("app", {})
    if app:
        lines.append("[app: AppTest, one process]")
        for name, f in app.items():
            if name != "exceptions" and isinstance(f, dict):
                row(name, f, app_target(name, f))
        if app.get("exceptions"):
            lines.append(f"exceptions: {app['exceptions']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    from pinghu_core.common import memory

    memory.use_system_allocator()  # Arrow's allocator of the dashboard and the pinghu command; children inherit it
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--parts", default="load,builds,app")
    parser.add_argument(
        "--skip", action="append", default=[], help="a page not to open in the app part (e.g. words)"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        parts = {"load": part_load, "builds": part_builds}
        result = (
            part_app(args.corpus, args.cache, args.skip)
            if args.child == "app"
            else parts[args.child](args.corpus, args.cache)
        )
        print(json.dumps(result, ensure_ascii=False))
        return 0
    results = {"corpus": str(args.corpus), "loadavg_start": os.getloadavg()}
    for part in args.parts.split(","):
        results[part] = run_child(part, args)
        print(f"{part} done, load {os.getloadavg()}", file=sys.stderr)
    results["loadavg_end"] = os.getloadavg()
    print("\n".join(table(results)))
    print(f"load average at start {results['loadavg_start']}, at end {results['loadavg_end']}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
