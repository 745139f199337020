"""The period a brief covers — a month (``2020-07``), a quarter (``2020Q3``), a year (``2020``) or any
range of days — and the period it is compared with: the month, quarter or year before, or the same
number of days just before a range (``themes.trends.previous_period``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pinghu_core.themes.trends import previous_period

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
_MONTH_RE = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?$")
_YEAR_RE = re.compile(r"^(\d{4})\s*年?$")
_QUARTER_RE = re.compile(r"^(\d{4})\s*(?:-|年)?\s*(?:[Qq]|第)\s*([1-4])\s*(?:季度?)?$")
FIRST_YEAR, LAST_YEAR = 1949, 2100


class PeriodError(ValueError):
    """A period that cannot be read; the message is in Chinese."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str = RANGE  # MONTH, QUARTER, YEAR or RANGE

    @property
    def label(self) -> str:
        """'2020年7月', '2020年第3季度', '2020年7月1日至2020年7月15日'."""
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == QUARTER:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.kind == YEAR:
            return f"{self.start.year}年"
        return f"{day_zh(self.start)}至{day_zh(self.end)}"

    @property
    def this_zh(self) -> str:
        """How the brief calls its own period: 本月, 本季度, 本期."""
        return {MONTH: "本月", QUARTER: "本季度", YEAR: "本年"}.get(self.kind, "本期")

    @property
    def previous_zh(self) -> str:
        """How it calls the period compared with: 上月, 上季度, 前一时期."""
        return {MONTH: "上月", QUARTER: "上季度", YEAR: "上年"}.get(self.kind, "前一时期")

    @property
    def code(self) -> str:
        """'2020-07', '2020Q3', '2020-07-01_2020-07-15' (for file names and the URL)."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def day_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def month(year: int, number: int) -> Period:
    start = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1), MONTH)


def quarter(year: int, number: int) -> Period:
    first = month(year, 3 * number - 2)
    return Period(first.start, month(year, 3 * number).end, QUARTER)


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31), YEAR)


def _year(text: str, given: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"时期 {given!r} 的年份不在 {FIRST_YEAR}–{LAST_YEAR} 之间")
    return year


def parse_period(text: str) -> Period:
    """'2020-07', '2020年7月' → that month; '2020Q3', '2020年第3季度' → that quarter; '2020' → that year.

    >>> parse_period("2020-07").label, parse_period("2020Q3").code
    ('2020年7月', '2020Q3')
    """
    given = str(text).strip()
    if m := _YEAR_RE.match(given):
        return year(_year(m[1], given))
    if m := _QUARTER_RE.match(given):
        return quarter(_year(m[1], given), int(m[2]))
    if m := _MONTH_RE.match(given):
        number = int(m[2])
        if not 1 <= number <= 12:
            raise PeriodError(f"时期 {given!r} 的月份应在 1–12 之间")
        return month(_year(m[1], given), number)
    raise PeriodError(
        f"无法识别的时期 {given!r}：月份写作 2020-07，季度写作 2020Q3，年写作 2020，"
        "任意日期范围用 --from 与 --to（如 2020-07-01）"
    )


def parse_day(text: str, what: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise PeriodError(f"{what}应是日期，如 2020-07-01（收到 {text!r}）") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(f"{what} {text!r} 的年份不在 {FIRST_YEAR}–{LAST_YEAR} 之间")
    return day


def date_range(start: dt.date, end: dt.date) -> Period:
    """Any days ``start`` … ``end``; a whole month, quarter or year is named as one."""
    if start > end:
        raise PeriodError(f"起始日期 {start.isoformat()} 晚于结束日期 {end.isoformat()}")
    as_month = month(start.year, start.month)
    if (as_month.start, as_month.end) == (start, end):
        return as_month
    as_quarter = quarter(start.year, (start.month - 1) // 3 + 1)
    if (as_quarter.start, as_quarter.end) == (start, end):
        return as_quarter
    if (start, end) == (dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)):
        return year(start.year)
    return Period(start, end, RANGE)


def previous(period: Period) -> Period:
    """The month, quarter or year before, or the same number of days just before a range."""
    if period.kind == MONTH:
        before = period.start - dt.timedelta(days=1)
        return month(before.year, before.month)
    if period.kind == QUARTER:
        before = period.start - dt.timedelta(days=1)
        return quarter(before.year, (before.month - 1) // 3 + 1)
    if period.kind == YEAR:
        return year(period.start.year - 1)
    return Period(*previous_period(period.start, period.end), RANGE)


def from_text(code: str) -> Period:
    """:attr:`Period.code` (or any :func:`parse_period` text, or 'D_D') back to a period."""
    if "_" in code:
        first, _, last = code.partition("_")
        return date_range(parse_day(first, "起始日期"), parse_day(last, "结束日期"))
    return parse_period(code)
