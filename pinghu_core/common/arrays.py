"""Small numpy helpers the analyses share."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


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


def in_values(column: pd.Series, values: Iterable[object]) -> np.ndarray:
    """Per row of ``column``: whether its value is one of ``values`` (``Series.isin`` as a bool array,
    a missing value never in).  On Arrow-backed text the values become one Arrow array: pandas'
    ``isin`` there makes a pyarrow scalar of each value first (2 µs each; a brief looks up a few
    hundred article ids a dozen times).

    >>> in_values(pd.Series(["甲", None, "乙"], dtype="string[pyarrow]"), ["乙", "丙"]).tolist()
    [False, False, True]
    """
    wanted = list(values)
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        data = pa.array(column.array)
        text = [v for v in wanted if isinstance(v, str)]
        found = pc.is_in(data, value_set=pa.array(text, type=data.type))
        return np.asarray(found.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    return column.isin(wanted).to_numpy(dtype=bool)
