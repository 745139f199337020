"""Statistics shared by the analyses (pure numpy)."""

from __future__ import annotations

import numpy as np


def log_likelihood(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """Dunning's G² of a term seen ``a`` times in a corpus of ``c`` tokens and ``b`` times in one of ``d``.

    E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), G² = 2(a ln(a/E1) + b ln(b/E2)), with 0 ln 0 = 0.
    The same for articles: ``a`` of ``c`` articles in one period, ``b`` of ``d`` in another.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    total = c + d
    if total <= 0:
        return np.zeros_like(a)
    e1, e2 = c * (a + b) / total, d * (a + b) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


def log_likelihood_2x2_rows(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """:func:`log_likelihood_2x2` row by row: each row its own totals ``c`` and ``d`` (0 where either
    is 0 or less).

    >>> [round(float(x), 3) for x in log_likelihood_2x2_rows([3, 5], [1, 5], [10, 0], [10, 10])]
    [1.297, 0.0]
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    c, d = np.asarray(c, dtype=np.float64), np.asarray(d, dtype=np.float64)
    ok = (c > 0) & (d > 0)
    total = np.where(ok, c + d, 1.0)
    cells = [(a, c, a + b), (c - a, c, total - a - b), (b, d, a + b), (d - b, d, total - a - b)]
    out = np.zeros_like(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        for observed, row, column in cells:
            expected = row * column / total
            out += np.where(ok & (observed > 0), observed * np.log(observed / expected), 0.0)
    return 2 * out


def log_likelihood_2x2(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """G² of the 2×2 table (``a`` of ``c`` articles matched in one period, ``b`` of ``d`` in the other):
    2 Σ O ln(O/E) over the four cells (matched and not, in each period), with 0 ln 0 = 0.

    For shares of articles the unmatched articles count too (a theme in half of all articles is
    not a rare word); for rare series it equals :func:`log_likelihood`.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    total = c + d
    if c <= 0 or d <= 0:
        return np.zeros_like(a)
    cells = [(a, c, a + b), (c - a, c, total - a - b), (b, d, a + b), (d - b, d, total - a - b)]
    out = np.zeros_like(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        for observed, row, column in cells:
            expected = row * column / total
            out += np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    return 2 * out
