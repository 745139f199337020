"""The date ranges bench/bench_pages.py types into the date boxes (standard library only, so that
the test suite checks them without the bench's own dependencies)."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt

# The date ranges typed into the date boxes, as parts of the corpus' dated pages (their days in
# order): on the ten-year generated corpus they are 2019, 2021-03…08, 2024-01…06 and 2017–2018, as in
# the runs before 2026-12-03; on any other corpus the same parts of its own days, so that each range
# holds pages (the real development corpus has October 2019 and February 2020, nothing between).
RANGE_PARTS = [(0.3, 0.4), (0.52, 0.567), (0.8, 0.85), (0.1, 0.3)]


def date_ranges(days: list[dt.date]) -> list[tuple[str, str]]:
    """The bench's date ranges over the corpus' ``days`` (the dates it has pages for): whole months
    when they span two years or more (the nearest month boundaries), days otherwise.

    >>> ten_years = [dt.date(2016, 1, 2) + dt.timedelta(days=n) for n in range(3652)]
    >>> date_ranges(ten_years)[:2]
    [('2019-01-01', '2019-12-31'), ('2021-03-01', '2021-08-31')]
    >>> october = [dt.date(2019, 10, d) for d in range(1, 32)]
    >>> date_ranges(october + [dt.date(2020, 2, d) for d in range(1, 30)])[:2]
    [('2019-10-19', '2019-10-24'), ('2020-02-01', '2020-02-02')]
    """
    days = sorted(set(days))
    if not days:
        return []
    n, first, last = len(days), days[0], days[-1]
    out = []
    for a, b in RANGE_PARTS:
        i = round(a * (n - 1))
        start, end = days[i], days[max(i, round(b * (n - 1)) - 1)]
        if (last - first).days >= 730:
            a_, b_ = max(first, _nearest_month_start(start)), min(last, _nearest_month_end(end))
            k = bisect.bisect_left(days, a_)
            if a_ <= b_ and k < n and days[k] <= b_:  # whole months that still hold pages
                start, end = a_, b_
        out.append((start.isoformat(), end.isoformat()))
    return out


def _nearest_month_start(day: dt.date) -> dt.date:
    """The first of ``day``'s month, or of the next month after the 15th."""
    if day.day <= 15:
        return day.replace(day=1)
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _nearest_month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month, or of the month before up to the 15th."""
    if day.day <= 15:
        return day.replace(day=1) - dt.timedelta(days=1)
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
