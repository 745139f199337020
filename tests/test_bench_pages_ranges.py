"""The date ranges bench/bench_pages.py types into the date boxes: parts of the corpus' own dated
days, so that the bench runs on any corpus (the real development corpus has two months five months
apart, the generated one ten years).  No server is started."""

import datetime as dt
import doctest
import importlib.util
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("page_ranges", ROOT / "bench" / "page_ranges.py")
pr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pr)

TEN_YEARS = [
    ("2019-01-01", "2019-12-31"),
    ("2021-03-01", "2021-08-31"),
    ("2024-01-01", "2024-06-30"),
    ("2017-01-01", "2018-12-31"),
]


def test_the_ten_year_corpus_keeps_the_ranges_of_the_earlier_runs():
    every_day = [dt.date(2016, 1, 2) + dt.timedelta(days=n) for n in range(3652)]
    assert pr.date_ranges(every_day) == TEN_YEARS
    # bench/synth.py's corpus leaves about one day in twenty without a page: the same ranges
    some_days = [d for n, d in enumerate(every_day) if n % 23 not in (3, 11)]
    assert pr.date_ranges(some_days) == TEN_YEARS


def test_two_months_apart_get_ranges_of_days_that_hold_pages():
    october = [dt.date(2019, 10, d) for d in range(1, 32)]
    february = [dt.date(2020, 2, d) for d in range(1, 30)]
    ranges = pr.date_ranges(october + february)
    assert ranges[0] == ("2019-10-19", "2019-10-24")
    for a, b in ranges:
        assert any(a <= d.isoformat() <= b for d in october + february), (a, b)


def test_no_days_no_ranges():
    assert pr.date_ranges([]) == []


@given(st.lists(st.dates(dt.date(1949, 10, 1), dt.date(2030, 12, 31)), min_size=1, max_size=300))
def test_every_range_lies_inside_the_corpus_and_holds_a_day_with_pages(days):
    for a, b in pr.date_ranges(days):
        start, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        assert min(days) <= start <= end <= max(days)
        assert any(start <= d <= end for d in days), (a, b)


def test_docstring_examples():
    assert doctest.testmod(pr).failed == 0
