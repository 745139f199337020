"""Parser accuracy on generated pages (a script, not a test).

    .venv/bin/python bench/parser_accuracy.py [--n 30] [--shapes markdown,plain,pdf] [--show pdf]

For each shape, page ``k`` (k = 0 … n-1) is ``synth.generate_page(day_k, random.Random(k), shape)``
with ``day_k = 2016-01-01 + 37·k days``, so the figures are the same on every machine.  Each page
is parsed with ``layout.parse_page``; parsed items are aligned to the truth's items one to one,
order-insensitively, by the character bigrams their bodies share (title when there is no body).
Texts are compared with whitespace removed (the truth conventions in ``bench/synth.py``).
Two conventions differ between the generator and the parser (whose output the hand-checked
golden files fix) and are not counted as errors: the parser drops the ``——`` that ends a
kicker (``平湖建立“1+8”服务机制——``) and gives a 导读 item its heading as the kicker.

Per shape it prints:

* ``count``: pages whose parse has as many items as the truth;
* ``pages ok``: pages where every truth item is matched and right in every field below;
* ``kind``, ``headline`` (kicker, title and subtitle all right), ``body`` (exact), ``byline``
  (reporters, correspondents, photographers, interns and authors): shares of truth items,
  an unmatched truth item counting as wrong;
* ``ms/page``: parse time per page (best of three passes over the shape's pages).

``--show SHAPE`` prints each wrong item of that shape (truth vs parse) to help find the rule
that failed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synth import SHAPES, generate_page  # noqa: E402
from pinghu_core.parse.layout import parse_page  # noqa: E402
from pinghu_core.parse.model import Item  # noqa: E402

ROLES = ("reporters", "correspondents", "photographers", "interns", "authors")
MIN_SCORE = 0.3


def squash(text: str) -> str:
    return "".join(text.split())


def grams(text: str) -> set[str]:
    t = squash(text)
    return {t[i : i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def _key(body: str, title: str) -> set[str]:
    return grams(body) if squash(body) else grams(title)


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def align(truth: list[dict], parsed: list[Item]) -> list[Item | None]:
    """For each truth item, the parsed item it is paired with (greedy by similarity), or None."""
    tkeys = [_key(t["body"], t["title"]) for t in truth]
    pkeys = [_key(p.body, p.title) for p in parsed]
    pairs = sorted(
        ((similarity(tk, pk), ti, pi) for ti, tk in enumerate(tkeys) for pi, pk in enumerate(pkeys)),
        reverse=True,
    )
    out: list[Item | None] = [None] * len(truth)
    used: set[int] = set()
    for score, ti, pi in pairs:
        if score < MIN_SCORE:
            break
        if out[ti] is None and pi not in used:
            out[ti] = parsed[pi]
            used.add(pi)
    return out


def head_text(item: Item | dict, part: str) -> str:
    """A headline part as compared: whitespace and edge dashes removed; a guide has no kicker."""
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    if part == "kicker" and get("kind") == "guide":
        return ""
    return squash(get(part)).strip("—")


def field_checks(want: dict, got: Item | None) -> dict[str, bool]:
    if got is None:
        return {"kind": False, "headline": False, "body": False, "byline": False}
    heads = ("kicker", "title", "subtitle")
    return {
        "kind": got.kind == want["kind"],
        "headline": all(head_text(got, h) == head_text(want, h) for h in heads),
        "body": squash(got.body) == squash(want["body"]) and got.continued == want["continued"],
        "byline": all(list(getattr(got.byline, r)) == list(want[r]) for r in ROLES),
    }


@dataclass
class Tally:
    pages: int = 0
    count_ok: int = 0
    pages_ok: int = 0
    items: int = 0
    right: dict[str, int] = field(default_factory=lambda: {"kind": 0, "headline": 0, "body": 0, "byline": 0})
    seconds: float = 0.0

    def row(self, shape: str) -> str:
        def pct(n: int, d: int) -> str:
            return f"{100 * n / d:5.1f}%" if d else "   - "

        cells = [pct(self.count_ok, self.pages), pct(self.pages_ok, self.pages)]
        cells += [pct(self.right[k], self.items) for k in ("kind", "headline", "body", "byline")]
        ms = 1000 * self.seconds / self.pages if self.pages else 0.0
        return f"{shape:<9}{self.pages:>6}" + "".join(f"{c:>10}" for c in cells) + f"{ms:>10.2f}"


HEADER = f"{'shape':<9}{'pages':>6}" + "".join(
    f"{h:>10}" for h in ("count", "pages ok", "kind", "headline", "body", "byline", "ms/page")
)


def pages_for(shape: str, n: int):
    return [
        generate_page(date(2016, 1, 1) + timedelta(days=37 * k), random.Random(k), shape) for k in range(n)
    ]


def show(k: int, want: dict, got: Item | None, checks: dict[str, bool]) -> None:
    bad = [name for name, ok in checks.items() if not ok]
    print(
        f"--- page {k} truth {want['kind']} {want['kicker']!r} {want['title']!r} {want['subtitle']!r} wrong: {bad}"
    )
    print(f"    truth body: {squash(want['body'])[:80]!r}")
    if got is None:
        print("    (no parsed item)")
        return
    print(f"    parse {got.kind} {got.kicker!r} {got.title!r} {got.subtitle!r}")
    print(f"    parse body: {squash(got.body)[:80]!r}")
    if "body" in bad:
        print(f"    truth tail: {squash(want['body'])[-60:]!r}\n    parse tail: {squash(got.body)[-60:]!r}")
    if "byline" in bad:
        print(
            f"    truth byline: {[want[r] for r in ROLES]} parse: {[getattr(got.byline, r) for r in ROLES]}"
        )


def measure(shape: str, n: int, verbose: bool) -> Tally:
    pages = pages_for(shape, n)
    tally = Tally(pages=len(pages))
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        parses = [parse_page(p.text) for p in pages]
        best = min(best, time.perf_counter() - t0)
    tally.seconds = best
    for k, (page, parse) in enumerate(zip(pages, parses, strict=True)):
        truth = page.truth["items"]
        tally.count_ok += len(parse.items) == len(truth)
        page_ok = len(parse.items) == len(truth)
        for want, got in zip(truth, align(truth, parse.items), strict=True):
            checks = field_checks(want, got)
            tally.items += 1
            for name, ok in checks.items():
                tally.right[name] += ok
            page_ok = page_ok and all(checks.values())
            if verbose and not all(checks.values()):
                show(k, want, got, checks)
        tally.pages_ok += page_ok
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="parser accuracy on generated pages")
    parser.add_argument("--n", type=int, default=30, help="pages per shape (default 30)")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--show", default="", help="print the wrong items of this shape")
    args = parser.parse_args(argv)
    tallies = {shape: measure(shape, args.n, shape == args.show) for shape in args.shapes.split(",")}
    print(HEADER)
    for shape, tally in tallies.items():
        print(tally.row(shape))
    total = sum(t.seconds for t in tallies.values()) / max(1, sum(t.pages for t in tallies.values()))
    print(f"all shapes: {1000 * total:.2f} ms/page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
