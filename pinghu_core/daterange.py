"""The one date-range filter every view uses (pure; no Streamlit).

A range is inclusive at both ends and covers whole days; ``None`` leaves that end open.  An item
whose date is unknown (日期不详) is in the corpus but on no day, so:

* a range that leaves out some dated item *narrows* the view: only items dated inside it are kept;
* a range that keeps every dated item (the default: the corpus' first to last day, or no range)
  narrows nothing, and the undated items are kept too — shown with 日期不详.

A time axis (the timeline's periods) places dated items only; it says so itself
(:func:`dated`), the filter does not decide it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def _day(value: dt.date | pd.Timestamp) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).normalize().to_datetime64(), "ns")


def dated(dates: pd.Series | np.ndarray) -> np.ndarray:
    """Which rows have a known date."""
    return ~np.isnat(np.asarray(dates, dtype="datetime64[ns]"))


def in_range(dates: pd.Series | np.ndarray, start: dt.date | None, end: dt.date | None) -> np.ndarray:
    """Which rows the range ``start``..``end`` keeps (a boolean array in the rows' order).

    >>> d = pd.Series(pd.to_datetime(["2020-01-01", "2020-06-30", None]))
    >>> in_range(d, None, None).tolist(), in_range(d, dt.date(2020, 1, 1), dt.date(2020, 6, 30)).tolist()
    ([True, True, True], [True, True, True])
    >>> in_range(d, dt.date(2020, 2, 1), None).tolist()
    [False, True, False]
    """
    values = np.asarray(dates, dtype="datetime64[ns]")
    known = ~np.isnat(values)
    keep = known.copy()
    if start is not None and not pd.isna(start):
        keep &= values >= _day(start)
    if end is not None and not pd.isna(end):
        keep &= values < _day(end) + np.timedelta64(1, "D")
    if int(keep.sum()) == int(known.sum()):
        return np.ones(len(values), dtype=bool)  # the range narrows nothing: undated items stay
    return keep
