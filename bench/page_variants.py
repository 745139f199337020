"""Whole front pages of the development corpus in other shapes: how the splitting holds up.

    .venv/bin/python bench/page_variants.py [--corpus bench/real_corpus] [--variant noindent] [-v]

Other crawls print the same articles differently.  Each whole page of ``bench/real_corpus`` is
rebuilt from its article files (``truth.jsonl``) in a variant shape and parsed as a page:

* ``asis``: the articles joined as ``make_real_corpus.py`` joins them (the page files);
* ``noindent``: every paragraph's leading indent (全角空格 …) removed;
* ``blankjoin``: a blank line between the articles;
* ``both``: both.

Prints, per variant, the share of true headlines (主题, with or without a trailing （label）)
found as a parsed item's 主题, and on how many pages the count of news + photo + commentary items
is exact, with the histogram of parsed − true; ``-v`` lists the misses.  Not a target of the
issue: a measure of how general the layout rules are.  The corpus is copyright: nothing here is
committed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pinghu_core.parse.pipeline import process_text  # noqa: E402

COUNTED = ("news", "photo", "commentary")
LABEL = re.compile(r"[（(][^（）()]{1,30}[）)]$")
VARIANTS = ("asis", "noindent", "blankjoin", "both")


def canon(s: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", s)).replace("—", "-")


def page_text(corpus: Path, files: list[str], variant: str) -> str:
    texts = [(corpus / f).read_text(encoding="utf-8") for f in files]
    if variant in ("noindent", "both"):
        texts = ["\n".join(line.lstrip("\u3000 \t\xa0") for line in t.split("\n")) for t in texts]
    return ("\n" if variant in ("blankjoin", "both") else "").join(texts)


def measure(corpus: Path, variant: str, verbose: bool) -> dict:
    truth = [json.loads(line) for line in (corpus / "truth.jsonl").open(encoding="utf-8")]
    titles = {t["file"]: t["title"] for t in truth if t["shape"] == "article"}
    found = total = exact = 0
    diffs: Counter[int] = Counter()
    for page in (t for t in truth if t["shape"] == "page"):
        frames = process_text(page_text(corpus, page["articles"], variant), page["file"], page_id="v")
        got = {canon(x) for x in frames.articles["title"]}
        want = [titles[f] for f in page["articles"]]
        for w in want:
            ok = canon(w) in got or canon(LABEL.sub("", w)) in got
            found, total = found + ok, total + 1
            if verbose and not ok:
                print(f"  miss {page['file']}: {w}")
        n = int(frames.articles["kind"].isin(COUNTED).sum())
        exact += n == len(want)
        diffs[n - len(want)] += 1
    return {
        "variant": variant,
        "headlines": found,
        "of": total,
        "count_exact": exact,
        "pages": sum(diffs.values()),
        "diffs": dict(sorted(diffs.items())),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "bench" / "real_corpus")
    ap.add_argument("--variant", choices=VARIANTS, action="append")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not (args.corpus / "truth.jsonl").exists():
        print(f"no corpus at {args.corpus}: build it with bench/make_real_corpus.py", file=sys.stderr)
        return 2
    import os

    print(f"load average {os.getloadavg()[0]:.2f}")
    for variant in args.variant or VARIANTS:
        started = time.perf_counter()
        r = measure(args.corpus, variant, args.verbose)
        print(
            f"{variant:10s} headlines {r['headlines'] / r['of']:.1%} ({r['headlines']}/{r['of']})  "
            f"count exact {r['count_exact']}/{r['pages']}  parsed−true {r['diffs']}  "
            f"({time.perf_counter() - started:.0f} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
