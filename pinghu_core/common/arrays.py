"""Small numpy helpers the analyses share."""

from __future__ import annotations

import numpy as np


def unique_ints(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of an integer array (sorted, each value once), by sorting.

    numpy 2.4's ``np.unique`` hashes integer arrays: on 130,000 values it took 35–185 ms where a sort
    and a comparison of neighbours take 2–3 ms (bench/README.md, bench_series.py).

    >>> unique_ints(np.array([5, 1, 5, 3, 1])).tolist()
    [1, 3, 5]
    """
    out = np.sort(np.asarray(values), kind="stable")
    if len(out) < 2:
        return out
    return out[np.concatenate(([True], out[1:] != out[:-1]))]
