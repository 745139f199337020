"""Precision of the 人物与机构 extraction on the real development corpus (People's Daily articles,
``bench/real_corpus/articles``, built by ``bench/make_real_corpus.py``; git-ignored, never committed).

Extracts every person and organisation from every article, keeps one row per (article, name, kind,
post) — a name repeated in an article is one extraction —, and writes a reproducible random sample
(``--seed``) of ``--n`` rows to ``bench/out/people_sample.csv`` (git-ignored) with the sentence each
comes from.  A person then judges each row (correct = a real person, official or organisation, with
the right post when one is given) in a copy with a ``judgement`` column (1 correct, 0 wrong) and a
note; ``--score FILE`` prints precision overall and by kind from that file.

    python bench/people_precision.py [--corpus DIR] [--cache DIR] [--seed 16] [--n 100]
    python bench/people_precision.py --score bench/out/people_judged.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pinghu_core.corpus import ingest  # noqa: E402
from pinghu_core.people import directory, rules, tables  # noqa: E402
from pinghu_core.search import places  # noqa: E402

OUT = ROOT / "bench" / "out"
FIELDS = ("row", "article_id", "date", "name", "kind", "post", "how", "sentence")


def extracted(corpus_dir: Path, cache: Path):
    started = time.perf_counter()
    corpus = ingest.load_corpus(corpus_dir, cache_dir=cache, workers=1, progress=False)
    gaz = places.load_gazetteer()
    place_names = [f for p in gaz.places for f in (p.name, *p.aliases)]
    loaded = time.perf_counter()
    found = tables.mentions(corpus.articles, rules.rules(), directory.current()[0], place_names)
    seconds = time.perf_counter() - loaded
    chars = int(corpus.articles["chars"].sum())
    print(
        f"{len(corpus.articles):,} articles, {chars:,} characters: {len(found):,} mentions in {seconds:.1f} s "
        f"(load {loaded - started:.1f} s)",
        file=sys.stderr,
    )
    return found


def sample(found, n: int, seed: int):
    unique = found.drop_duplicates(["article_id", "name", "kind", "post"]).reset_index(drop=True)
    print(
        f"{len(unique):,} extractions (article, name, kind, post): "
        + ", ".join(f"{k} {v:,}" for k, v in Counter(unique["kind"].astype(str)).most_common()),
        file=sys.stderr,
    )
    return unique.sample(n=min(n, len(unique)), random_state=seed).reset_index(drop=True)


def write_sample(rows, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(FIELDS)
        for i, r in enumerate(rows.itertuples(index=False), start=1):
            date = "" if r.date is None or str(r.date) == "NaT" else str(r.date)[:10]
            w.writerow([i, r.article_id, date, r.name, r.kind, r.post, r.how, r.sentence])
    print(f"wrote {len(rows)} rows to {path}", file=sys.stderr)


def score(path: Path) -> None:
    with path.open(encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if r.get("judgement", "").strip() in ("0", "1")]
    by: dict[str, list[int]] = {}
    for r in rows:
        by.setdefault(r["kind"], []).append(int(r["judgement"]))
    total = [int(r["judgement"]) for r in rows]
    print(f"overall: {sum(total)}/{len(total)} = {sum(total) / max(1, len(total)):.1%}")
    for kind, values in sorted(by.items()):
        print(f"  {kind}: {sum(values)}/{len(values)} = {sum(values) / len(values):.1%}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=ROOT / "bench" / "real_corpus" / "articles")
    p.add_argument("--cache", type=Path, default=OUT / "cache-real")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--out", type=Path, default=OUT / "people_sample.csv")
    p.add_argument("--score", type=Path, default=None, help="a judged copy of the sample: print precision")
    args = p.parse_args()
    if args.score is not None:
        score(args.score)
        return
    write_sample(sample(extracted(args.corpus, args.cache), args.n, args.seed), args.out)


if __name__ == "__main__":
    main()
