"""Chinese phrases several views share (pure; no Streamlit)."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def capped_zh(shown: int, total: int, unit: str = "篇", *, download: bool = True) -> str:
    """What a list cut to its first ``shown`` rows says about the rest: “显示前 N 篇，共 M 篇”
    (and that the download has every row).  Empty when nothing was cut.

    >>> capped_zh(200, 499)
    '显示前 200 篇，共 499 篇；下载的文件包含全部 499 篇。'
    >>> capped_zh(30, 30)
    ''
    """
    if total <= shown:
        return ""
    text = f"显示前 {shown:,} {unit}，共 {total:,} {unit}"
    return text + (f"；下载的文件包含全部 {total:,} {unit}。" if download else "。")


MISSING = "—"  # what a table shows where it has no value (st.dataframe's placeholder; Streamlit's is "None")


def wan(value: float) -> str:
    """A count the Chinese way: below 10,000 as digits (5,000), then 万 and 亿 (1.5万, 12万, 3亿).

    >>> [wan(v) for v in (0, 5000, 10000, 15000, 120000, 2.5e8)]
    ['0', '5,000', '1万', '1.5万', '12万', '2.5亿']
    """
    for size, unit in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            return f"{value / size:.2f}".rstrip("0").rstrip(".") + unit
    return f"{value:,.0f}"


UNKNOWN_DATE_ZH = "日期不详"
DATE_RANGE_SEP = " – "


# ---------------------------------------------------------------- dates


def day_values(values: object) -> list:
    """A column of dates as ``datetime.date`` (None where unknown): a table cell that shows as
    2020-07-22, sorts as a date and is exported as a real date (CSV: ISO; XLSX: a date cell)."""
    series = pd.Series(values)
    if not pd.api.types.is_datetime64_any_dtype(series):  # strings, dates, None: parse them (slower)
        series = pd.to_datetime(pd.Series(values, dtype=object))
    days = series.dt.date.to_numpy(dtype=object, copy=True)  # a datetime column: no per-row parsing
    days[series.isna().to_numpy()] = None
    return days.tolist()


def format_date_zh(value: object, missing: str = UNKNOWN_DATE_ZH) -> str:
    """2020-07-22 → '2020年7月22日'; NaT/None/'' → ``missing``."""
    if value is None or value == "":
        return missing
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        return missing
    return f"{ts.year}年{ts.month}月{ts.day}日"


def format_date_range_zh(first: object, last: object, missing: str = "无可确定日期") -> str:
    """'2020年7月22日 – 2022年5月6日'; one day → that day; no dates → ``missing``."""
    a, b = format_date_zh(first, ""), format_date_zh(last, "")
    if not a or not b:
        return missing
    return a if a == b else f"{a}{DATE_RANGE_SEP}{b}"


def dates_zh(start: dt.date | None, end: dt.date | None) -> str:
    """A view's date range in words; an open end says so, both open → 全部日期.

    >>> dates_zh(dt.date(2020, 1, 1), None), dates_zh(None, dt.date(2020, 3, 1)), dates_zh(None, None)
    ('2020年1月1日起', '至2020年3月1日', '全部日期')
    """
    if start is not None and end is not None:
        return format_date_range_zh(start, end)
    if start is not None:
        return f"{format_date_zh(start)}起"
    if end is not None:
        return f"至{format_date_zh(end)}"
    return "全部日期"
