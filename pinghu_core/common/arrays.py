"""Small numpy helpers the analyses share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


def take_rows(column: pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """``column[rows]`` taken from each chunk, without joining the chunks: pyarrow's ``take`` on a
    chunked array first copies every chunk into one (on ten times the corpus 450 MB of bodies for the
    500 rows a page shows)."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return pa.array([], type=column.type)
    if column.num_chunks == 1:
        return column.chunk(0).take(pa.array(rows))
    bounds = np.cumsum([0] + [len(c) for c in column.chunks])
    which = np.searchsorted(bounds, rows, side="right") - 1
    order = np.argsort(which, kind="stable")
    parts = [
        column.chunk(int(k)).take(pa.array(rows[order][which[order] == k] - bounds[k]))
        for k in np.unique(which)
    ]
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return pa.concat_arrays(parts).take(pa.array(inverse))


def values_at(column: pd.Series, rows: Sequence[int] | np.ndarray) -> list[object]:
    """``column.iloc[rows].tolist()`` with a missing text as None (as ``DataFrame.to_dict`` gives it),
    an Arrow-backed column's rows taken from each chunk (:func:`take_rows`, no copy of the column)."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        data = pa.array(column.array)  # the column's own chunked array (no copy)
        if isinstance(data, pa.Array):
            data = pa.chunked_array([data])
        return take_rows(data, np.asarray(rows, dtype=np.int64)).to_pylist()
    return [None if v is pd.NA else v for v in column.iloc[np.asarray(rows, dtype=np.int64)].tolist()]


# ---------------------------------------------------------------- groups counted with numpy
# A group-by of a few hundred rows (a month's mentions or places) costs pandas 5–20 ms in fixed
# overhead per aggregation; these count the same groups in a few numpy calls.


def group_codes(*columns: pd.Series | np.ndarray) -> tuple[np.ndarray, int]:
    """Per row, the number of its group of values across ``columns`` — 0, 1, … in the order the
    groups first appear, as ``groupby(sort=False)`` orders them — or -1 where a value is missing
    (dropped, as ``groupby`` drops it); and the number of groups.

    >>> codes, n = group_codes(pd.Series(["乙", "甲", "乙", None]), pd.Series([1, 2, 1, 1]))
    >>> codes.tolist(), n
    ([0, 1, 0, -1], 2)
    """
    if not columns:
        raise ValueError("group_codes needs at least one column")
    first, _ = pd.factorize(columns[0])  # -1: missing
    combined = np.asarray(first, dtype=np.int64)
    missing = combined < 0
    for column in columns[1:]:
        codes, uniques = pd.factorize(column)
        codes = np.asarray(codes, dtype=np.int64)
        # the groups so far numbered 0…k-1 first, so that the product cannot overflow
        combined = np.asarray(pd.factorize(combined)[0], dtype=np.int64)
        combined = combined * (len(uniques) + 1) + codes
        missing |= codes < 0
    combined[missing] = -1
    out, uniques = pd.factorize(combined[~missing])
    result = np.full(len(combined), -1, dtype=np.int64)
    result[~missing] = out
    return result, len(uniques)


def first_rows(codes: np.ndarray, n: int) -> np.ndarray:
    """The position of each group's first row (``codes`` from :func:`group_codes`).

    >>> first_rows(np.array([0, 1, -1, 0, 2]), 3).tolist()
    [0, 1, 4]
    """
    first = np.full(n, len(codes), dtype=np.int64)
    valid = np.flatnonzero(codes >= 0)
    np.minimum.at(first, codes[valid], valid)
    return first


def distinct_per_group(codes: np.ndarray, n: int, values: pd.Series | np.ndarray) -> np.ndarray:
    """How many distinct non-missing ``values`` each group has (``nunique``).

    >>> distinct_per_group(np.array([0, 0, 1, 0, -1]), 2, pd.Series(["a", "b", "a", "a", "c"])).tolist()
    [2, 1]
    """
    value_codes, uniques = pd.factorize(values)
    value_codes = np.asarray(value_codes, dtype=np.int64)
    keep = (codes >= 0) & (value_codes >= 0)
    pairs = unique_ints(codes[keep] * (len(uniques) + 1) + value_codes[keep])
    return np.bincount(pairs // (len(uniques) + 1), minlength=n).astype(np.int64)


def extreme_per_group(codes: np.ndarray, n: int, dates: pd.Series, *, largest: bool) -> np.ndarray:
    """The earliest (or latest) date of each group as ``datetime64[ns]``, missing dates skipped; NaT
    for a group with none (``min`` / ``max``)."""
    values = np.asarray(dates.to_numpy(dtype="datetime64[ns]")).view(np.int64)
    nat = np.iinfo(np.int64).min
    keep = (codes >= 0) & (values != nat)
    if largest:
        out = np.full(n, nat, dtype=np.int64)
        np.maximum.at(out, codes[keep], values[keep])
    else:
        out = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(out, codes[keep], values[keep])
        out[out == np.iinfo(np.int64).max] = nat
    return out.view("datetime64[ns]")
