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


def _day(value: dt.date | pd.Timestamp | str) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).normalize().to_datetime64(), "ns")


def dated(dates: pd.Series | np.ndarray) -> np.ndarray:
    """Which rows have a known date."""
    return ~np.isnat(np.asarray(dates, dtype="datetime64[ns]"))


def in_range(
    dates: pd.Series | np.ndarray, start: dt.date | str | None, end: dt.date | str | None
) -> np.ndarray:
    """Which rows the range ``start``..``end`` keeps (a boolean array in the rows' order).  Each end is
    a day: a date (or Timestamp), or an ISO string as the command line gives (``"2020-01-15"``).

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


# ---------------------------------------------------------------- the date boxes

# What a date box accepts: wide enough that nobody types outside it (the browser's own refusal is in
# English and silently keeps the old range).  The range is then fitted to the corpus by
# :func:`clamp_input`, which says in Chinese what it changed.
INPUT_MIN = dt.date(1900, 1, 1)
INPUT_MAX = dt.date(2099, 12, 31)


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def clamp_input(
    value: tuple | list | dt.date | None, first: dt.date | None, last: dt.date | None
) -> tuple[tuple[dt.date, ...], str]:
    """A date box's value fitted to ``first``..``last`` (the corpus' days) and what was changed, in
    Chinese ('' when nothing was).  One picked day so far stays one day; a range after the last day
    becomes the last day.

    >>> clamp_input((dt.date(2019, 1, 1), dt.date(2030, 1, 1)), dt.date(2020, 4, 21), dt.date(2022, 5, 28))[0]
    (datetime.date(2020, 4, 21), datetime.date(2022, 5, 28))
    >>> clamp_input((dt.date(2021, 1, 1),), dt.date(2020, 4, 21), dt.date(2022, 5, 28))
    ((datetime.date(2021, 1, 1),), '')
    """
    days = (value,) if isinstance(value, dt.date) else tuple(d for d in (value or ()) if d is not None)
    notes, out = [], []
    for which, day in zip(("开始日期", "结束日期") if len(days) > 1 else ("所选日期",), days, strict=False):
        if first is not None and day < first:
            notes.append(f"{which} {_zh(day)} 早于语料的第一天，已改为 {_zh(first)}")
            day = first
        elif last is not None and day > last:
            notes.append(f"{which} {_zh(day)} 晚于语料的最后一天，已改为 {_zh(last)}")
            day = last
        out.append(day)
    if len(out) == 2 and out[0] > out[1]:
        out = [out[1], out[0]]
    span = (
        f"（语料的日期范围是 {_zh(first)} – {_zh(last)}）" if first is not None and last is not None else ""
    )
    return tuple(out), ("；".join(notes) + span + "。" if notes else "")
