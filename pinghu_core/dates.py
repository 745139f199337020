"""The date of a page: from the manifest, else the file name or folders, else the text.

Inference from the text weighs, in order: explicit ``X月X日`` events (the paper reports
yesterday's events, so the page is the day after the latest one), reports on a finished
period (``一季度`` results appear after the quarter), the years the text names (ignoring
those in plans: ``计划2021年6月建成``), ``昨天``/``今天`` phrasing and whether the printed
temperatures fit the month.  The result says how sure it is and why, in Chinese.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from .model import DateResult
from .patterns import MONTH_DAY, TEMPERATURE, YEAR


@dataclass(frozen=True)
class ManifestEntry:
    date: date | None
    page: str = ""
    edition: str = ""
    article: int | None = None  # the article's number on its page (1 = first), article files only
    shape: str = ""  # 'page', 'article' or '' (decided by the name and the corpus_shape setting)


# ---------------------------------------------------------------- file names

_PATH_PATTERNS = (
    re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})[-_.](\d{1,2})[-_.](\d{1,2})(?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?![0-9])"),
    re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(\d{2})(\d{2})(?![0-9A-Za-z])"),
)


def _valid(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def date_from_path(path: str) -> date | None:
    """A date written in the file name, else in the folders.

    >>> date_from_path("2020/07/22/page1.txt"), date_from_path("平湖版2020年7月22日.txt")
    (datetime.date(2020, 7, 22), datetime.date(2020, 7, 22))
    >>> date_from_path("20200722_1.txt"), date_from_path("000_a298d888743d6040.txt")
    (datetime.date(2020, 7, 22), None)
    """
    path = path.replace("\\", "/")
    name = path.rsplit("/", 1)[-1]
    for target in (name, path):
        for pattern in _PATH_PATTERNS:
            for m in pattern.finditer(target):
                found = _valid(*m.groups())
                if found:
                    return found
    return None


# ---------------------------------------------------------------- inference from text

_FUTURE_BEFORE = re.compile(r"(计划|预计|将于|将在|将|定于|力争|争取|到|至|目标|预期|按照)[^。，；]{0,6}$")
_FUTURE_AFTER = re.compile(r"^[^。，；]{0,8}(节点|目标|前建成|前完成|底前|将建成|建成投用)")
_PERIODS: tuple[tuple[re.Pattern[str], int, str], ...] = (
    (re.compile(r"前三季度|1\s*[至到-]\s*9\s*月"), 10, "前三季度"),
    (re.compile(r"上半年|1\s*[至到-]\s*6\s*月"), 7, "上半年"),
    (re.compile(r"(?<![前第二三四])一季度|第一季度|1\s*[至到-]\s*3\s*月"), 4, "一季度"),
    (re.compile(r"1\s*[至到-]\s*4\s*月"), 5, "1至4月"),
    (re.compile(r"1\s*[至到-]\s*5\s*月"), 6, "1至5月"),
)
_REPORT_LAG = timedelta(days=20)  # results for a finished period appear some weeks later
# Typical daily high by month in Pinghu (°C), to check printed forecasts against the month.
_NORMAL_HIGH = {1: 8, 2: 10, 3: 14, 4: 20, 5: 25, 6: 28, 7: 32, 8: 32, 9: 28, 10: 23, 11: 17, 12: 11}


def _future_context(text: str, start: int, end: int) -> bool:
    return bool(_FUTURE_BEFORE.search(text[max(0, start - 8) : start]) or _FUTURE_AFTER.match(text[end : end + 10]))


def years_named(text: str) -> Counter[int]:
    """Years the text names outside plans and targets.

    >>> sorted(years_named("2022年全国科技日，按照8月底、2025年三个重要节点推进").items())
    [(2022, 1)]
    """
    out: Counter[int] = Counter()
    for m in YEAR.finditer(text):
        if not _future_context(text, m.start(), m.end()):
            out[int(m.group(1))] += 1
    return out


def month_days(text: str, year: int) -> list[tuple[int, int]]:
    """``X月X日`` mentions that are past events of ``year`` (other years and plans left out).

    >>> month_days("1937年11月5日登陆。8月15日下午，计划9月1日完工", 2025)
    [(8, 15)]
    """
    out = []
    for m in MONTH_DAY.finditer(text):
        before = text[max(0, m.start() - 5) : m.start()]
        named = YEAR.search(before)
        if named and int(named.group(1)) != year:
            continue
        if _future_context(text, m.start(), m.end()):
            continue
        month, day = int(m.group(1)), int(m.group(2))
        if _valid(str(year), str(month), str(day)):
            out.append((month, day))
    return out


def period_floor(text: str, year: int) -> tuple[date, str] | None:
    """The latest 'period finished' bound: a page reporting 一季度 results is after 3月31日."""
    best: tuple[date, str] | None = None
    for pattern, month, label in _PERIODS:
        if pattern.search(text):
            floor = date(year, month, 1)
            if best is None or floor > best[0]:
                best = (floor, label)
    return best


def temperature_fits(text: str, month: int) -> bool | None:
    highs = [int(v) for kind, v in TEMPERATURE.findall(text) if kind == "最高"]
    if not highs:
        return None
    return abs(highs[0] - _NORMAL_HIGH[month]) <= 7


def infer_date(text: str) -> DateResult:
    years = years_named(text)
    if not years:
        return DateResult(None, "unknown", 0.0, "正文中没有年份，无法推断日期")
    year = max(years)
    evidence = [f"年份取正文中未来规划之外最晚的{year}年（出现{years[year]}次）"]
    confidence = 0.45 if years[year] >= 2 else 0.35
    mds = month_days(text, year)
    estimate: date | None = None
    if mds:
        m, d = max(mds)
        estimate = date(year, m, d) + timedelta(days=1)
        evidence.append(f"正文最晚的事件日期为{m}月{d}日（共{len(mds)}处日期），版面日期取其后一天")
        confidence += 0.3
    floor = period_floor(text, year)
    if floor and (estimate is None or estimate <= floor[0]):
        estimate = floor[0] + _REPORT_LAG
        evidence.append(f"报道了{floor[1]}数据，版面应在该时段结束之后，按约20天估计")
        confidence = min(confidence, 0.3)
    if estimate is None:
        return DateResult(None, "unknown", 0.0, "；".join([*evidence, "正文没有具体日期"]))
    if "昨天" in text or "昨日" in text:
        evidence.append("含“昨天”，符合报道前一天的事件")
        confidence += 0.05
    fits = temperature_fits(text, estimate.month)
    if fits is not None:
        evidence.append("天气预报气温与月份相符" if fits else "天气预报气温与推断月份不太相符")
        confidence += 0.05 if fits else -0.15
    return DateResult(estimate, "inferred", round(max(0.05, min(confidence, 0.9)), 2), "；".join(evidence))


def page_date(path: str, text: str, manifest_entry: ManifestEntry | None = None) -> DateResult:
    """Manifest first, then the file name or folders, then inference from the text."""
    if manifest_entry is not None and manifest_entry.date is not None:
        return DateResult(manifest_entry.date, "manifest", 1.0, "来自清单文件 manifest.csv")
    found = date_from_path(path)
    if found is not None:
        return DateResult(found, "filename", 1.0, f"来自文件名或文件夹：{path}")
    return infer_date(text)
