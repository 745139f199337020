"""How much two texts share, by Chinese character bigrams."""

from __future__ import annotations

import re

from pinghu_core.parse.patterns import CJK

_CJK_RUN = re.compile(f"[{CJK}]+")


def bigrams(text: str) -> set[str]:
    """Character bigrams inside runs of Chinese characters.

    >>> sorted(bigrams("智创园 主体"))
    ['主体', '创园', '智创']
    """
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def containment(small: str, large: str) -> float:
    """Share of ``small``'s bigrams that occur in ``large`` (0 when ``small`` has none).

    >>> containment("智创园主体完工", "平湖智创园一期主体项目已经完工")
    0.6666666666666666
    """
    a = bigrams(small)
    if not a:
        return 0.0
    b = bigrams(large)
    return len(a & b) / len(a)
