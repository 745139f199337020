"""Reading a page's URL parameters and date boxes: the small pieces every page's view shares
(pure; no Streamlit).

A URL value may come as a string or a list (``st.query_params``); lists are joined with
:data:`LIST_SEP`.  A date range in a URL is clamped to the corpus' days and put in order
(:func:`date_range`); a date box's value becomes a (start, end) pair (:func:`widget_dates`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

LIST_SEP = ","

Value = str | Sequence[str] | None


def one(value: Value) -> str:
    """A single value: the last one given, stripped ('' when none).

    >>> one(["a", " b "]), one(None)
    ('b', '')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return str(value[-1]).strip() if len(value) else ""


def many(value: Value) -> list[str]:
    """Every value, split at LIST_SEP, stripped, each once, in order.

    >>> many(["a,b", "b, c"])
    ['a', 'b', 'c']
    """
    parts = [value] if isinstance(value, str) else list(value or [])
    out: list[str] = []
    for part in parts:
        out.extend(p.strip() for p in str(part).split(LIST_SEP) if p.strip())
    return list(dict.fromkeys(out))


def parse_date(value: Value) -> dt.date | None:
    """'2020-07-22' → date; anything else → None."""
    try:
        return dt.date.fromisoformat(one(value))
    except ValueError:
        return None


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def clamp(day: dt.date | None, first: dt.date | None, last: dt.date | None) -> dt.date | None:
    """``day`` moved inside ``first``..``last`` (an open end does not move it)."""
    if day is None:
        return None
    if first is not None and day < first:
        return first
    if last is not None and day > last:
        return last
    return day


def date_range(
    params: Mapping[str, Value],
    start_key: str,
    end_key: str,
    first: dt.date | None,
    last: dt.date | None,
    default: tuple[dt.date | None, dt.date | None] = (None, None),
) -> tuple[dt.date | None, dt.date | None]:
    """The range a URL asks for: each end clamped to the corpus' days (``default`` when missing or
    unreadable), the two in order.

    >>> d = dt.date
    >>> date_range({"start": "2030-01-01", "end": "2019-05-01"}, "start", "end", d(2020, 1, 1), d(2021, 1, 1))
    (datetime.date(2020, 1, 1), datetime.date(2021, 1, 1))
    """
    start = clamp(parse_date(params.get(start_key)), first, last) or default[0]
    end = clamp(parse_date(params.get(end_key)), first, last) or default[1]
    if start is not None and end is not None and start > end:
        start, end = end, start
    return start, end


def widget_dates(value: Sequence[dt.date] | dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """A date box's value → (start, end); one picked day so far counts as that day onward.

    >>> widget_dates((dt.date(2020, 1, 1),))
    (datetime.date(2020, 1, 1), None)
    """
    if isinstance(value, dt.date):
        value = (value,)
    days = tuple(value or ())
    return (days[0] if days else None, days[1] if len(days) > 1 else None)
