"""Text accounting: every non-blank character of a page is in exactly one place.

A character of the raw page is *accounted for* when it is in exactly one field of one item
(headline parts, 栏目, byline as printed, pen name, body …) or was removed by exactly one
recorded repair (a Markdown mark, the second copy of doubled characters, a duplicate passage,
a 下转 mark …).  Whitespace is layout and is not counted.  The page's coverage is the share of
its non-blank characters accounted for exactly once; anything else is reported as a problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pinghu_core.parse.model import PageParse, Repair

# Code points Python's str.isspace() accepts (the BMP is enough: no whitespace above it), as a
# table indexed by code point (one lookup per character instead of a sorted search).
_WS = np.array([c for c in range(0x10000) if chr(c).isspace()], dtype=np.uint32)
_IS_WS = np.zeros(0x110000, dtype=bool)
_IS_WS[_WS] = True


@dataclass(frozen=True)
class Account:
    total: int  # non-blank characters of the page
    once: int  # accounted for exactly once
    missing: tuple[int, ...]  # raw offsets of non-blank characters in no field and no repair
    twice: tuple[int, ...]  # raw offsets accounted for more than once

    @property
    def coverage(self) -> float:
        return 1.0 if self.total == 0 else self.once / self.total


def page_repairs(parse: PageParse) -> list[Repair]:
    """Every repair recorded in the page's item fields, in page order."""
    out = [r for item in parse.items for t in item.sources.values() for r in t.repairs()]
    return sorted(out, key=lambda r: (r.start, r.kind))


def account(parse: PageParse, text: str) -> Account:
    """Count, for each character of ``text``, the fields and repairs that hold it."""
    n = len(text)
    if n == 0:
        return Account(0, 0, (), ())
    # One bincount over every field's offsets and every removed character: linear in the page.
    parts = [
        np.frombuffer(t.src, dtype=np.int32)
        for item in parse.items
        for t in item.sources.values()
        if len(t.src)
    ]
    parts.append(np.fromiter((o for r in parse.repairs for o in r.removed), dtype=np.int32))
    held = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    held = held[(held >= 0) & (held < n)]
    counts = np.bincount(held, minlength=n)[:n]
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    visible = ~_IS_WS[codes]
    total = int(visible.sum())
    once = int((visible & (counts == 1)).sum())
    missing = tuple(int(i) for i in np.flatnonzero(visible & (counts == 0)))
    twice = tuple(int(i) for i in np.flatnonzero(visible & (counts > 1)))
    return Account(total, once, missing, twice)


def _where(text: str, offsets: tuple[int, ...]) -> str:
    """'第12行“……”' for the first run of offsets (people count lines from 1)."""
    first = offsets[0]
    line = text.count("\n", 0, first) + 1
    run_end = first
    for o in offsets[1:]:
        if o != run_end + 1:
            break
        run_end = o
    sample = text[first : min(run_end + 1, first + 20)]
    return f"第{line}行“{sample}”"


def problems(acc: Account, text: str) -> list[str]:
    """The accounting's findings in Chinese ('' problems when every character is in one place)."""
    out = []
    if acc.missing:
        out.append(f"有{len(acc.missing)}个字符未归入任何条目或修复记录（{_where(text, acc.missing)}）")
    if acc.twice:
        out.append(f"有{len(acc.twice)}个字符被重复计入（{_where(text, acc.twice)}）")
    return out
