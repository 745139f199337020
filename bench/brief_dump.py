"""Every month's and quarter's brief of a corpus, dumped for comparison before and after a change to
the brief or what it reads (a script, not a test).

    PINGHU_DATA_DIR=bench/out/corpus10y PINGHU_CACHE_DIR=bench/out/pages-cache \\
        .venv/bin/python bench/brief_dump.py OUT.pkl            # run on each checkout
    .venv/bin/python bench/brief_dump.py --compare A.pkl B.pkl  # which periods differ

The corpus cache should be warm (``pinghu ingest``).  Each period's Markdown, its sections as data
(sentences, numbers, citations) and both charts' data are kept, with the CPU seconds per brief; a
speed-up must leave every one of them as it was.
"""

from __future__ import annotations

import argparse
import logging
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def dump(out: Path) -> None:
    import streamlit  # noqa: F401 — its loggers exist from here on

    for name in list(logging.root.manager.loggerDict):  # bare mode: no runtime, no script run context
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    from pinghu_app import brief as app_brief
    from pinghu_app import corpus as app_corpus
    from pinghu_app import events as app_events
    from pinghu_core.brief import build
    from pinghu_core.brief import period as bp
    from pinghu_core.brief.markdown import to_markdown

    key = app_corpus.corpus_key()
    themes, _ = app_corpus.theme_dictionary()
    events, _ = app_events.event_list()
    inputs = app_brief.brief_inputs(key, themes, events)
    ctx = app_brief.context(key)
    codes = [*ctx.options["months"], *ctx.options["quarters"]]
    found = {}
    start = time.process_time()
    for code in codes:
        b = build.build_brief(inputs, bp.from_text(code))
        charts = [None if f is None else f.to_csv() for f in (b.theme_shares, b.daily)]
        found[code] = (to_markdown(b), repr(b.sections), *charts)
    seconds = time.process_time() - start
    out.write_bytes(pickle.dumps(found))
    print(f"{len(codes)} briefs, {1000 * seconds / max(len(codes), 1):.0f} ms of CPU each → {out}")


def compare(a: Path, b: Path) -> int:
    left, right = (pickle.loads(p.read_bytes()) for p in (a, b))
    differ = sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))
    print(
        f"{len(left)} and {len(right)} periods; {len(differ)} differ" + (f": {differ[:20]}" if differ else "")
    )
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--compare", action="store_true", help="compare two dumps")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.paths[:2])
    dump(args.paths[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
