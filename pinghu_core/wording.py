"""Chinese phrases several views share (pure; no Streamlit)."""

from __future__ import annotations


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
