"""The date of a page: from the manifest, else the file name or folders, else the text.

Inference from the text works in two steps (docs/DATES.md says it in plain words):

1. the *day*: the latest dateline (``新华社北京1月31日电``, ``本报北京9月30日电``: a paper prints
   the wires of the day before, sometimes of the same day), a ``昨天（7月21日）`` phrase, the
   ``本报讯 X月X日`` lead, else the latest past ``X月X日`` event; the page is the day after;
2. the *year*: a ``今年（2019年）``-like statement, a weekday or a lunar festival named with the
   date (``9月30日（星期一）``, ``1月25日农历正月初一``), full dates ``2019年9月28日`` a few weeks
   before that day; else the latest year the text names in the past (never a plan, a target or
   an anniversary: ``到2035年``, ``计划2021年6月建成``, ``建党100周年``).

The confidence multiplies how sure each step is; below :data:`CONFIRM_BELOW` a person confirms
the date.  A date outside 1949-01-01 … today+1 is never used: it is ignored with a problem.
Every scan is one pass of a regular expression without nested repetition: linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from pinghu_core.common.datafiles import DataFile
from pinghu_core.parse.model import DateResult
from pinghu_core.parse.patterns import TEMPERATURE

# Below this confidence an inferred date is listed under 待确认日期 for a person to confirm.
CONFIRM_BELOW = 0.6
EARLIEST = date(1949, 1, 1)


@dataclass(frozen=True)
class ManifestEntry:
    date: date | None
    page: str = ""
    edition: str = ""
    article: int | None = None  # the article's number on its page (1 = first), article files only
    shape: str = ""  # 'page', 'article' or '' (decided by the name and the corpus_shape setting)


def latest_allowed(today: date | None = None) -> date:
    """The latest date a page may carry: tomorrow (a page is printed the night before)."""
    return (today or date.today()) + timedelta(days=1)


def in_range(d: date, today: date | None = None) -> bool:
    return EARLIEST <= d <= latest_allowed(today)


def out_of_range_zh(where: str, shown: str) -> str:
    return f"{where}的日期“{shown}”超出1949年至今的范围，已忽略"


# ---------------------------------------------------------------- file names

_PATH_PATTERNS = (
    re.compile(r"(?<![0-9A-Za-z])(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(?<![0-9A-Za-z])(\d{4})[-_.](\d{1,2})[-_.](\d{1,2})(?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])(\d{4})/(\d{1,2})/(\d{1,2})(?![0-9])"),
    re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(\d{2})(\d{2})(?![0-9A-Za-z])"),
)


def _valid(y: int | str, m: int | str, d: int | str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except (ValueError, OverflowError):
        return None


def date_from_path(path: str) -> date | None:
    """A date written in the file name, else in the folders (any year: check it with :func:`in_range`).

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


# ---------------------------------------------------------------- clues in the text

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_SPACE = r"[ \t\u3000\xa0]*"
# Every scan starts at a literal character (月, 年, 本报讯, 今年 …), which the regular-expression
# engine finds fast; the digits and the words around a hit are then read in a small window.
_MD_TAIL = re.compile(r"月(\d{1,2})[日号]")  # the 月X日 of X月X日; the month's digits are read backwards
_YEAR_MARK = re.compile(r"年")
_YEAR_TAIL = re.compile(
    rf"{_SPACE}(?:(?:(\d{{1,2}}){_SPACE}月{_SPACE}(?:(\d{{1,2}}){_SPACE}[日号])?)|(底|末|全年))?"
)
# 新华社北京1月31日电, （据新华社北京9月24日电 记者…）, 本报北京10月1日讯: 日电 followed by a CJK
# character is a word (10月1日电影), not a dateline.
_DATELINE_AFTER = re.compile(rf"[电讯](?![{_CJK}])")
_DATELINE_QUOTED = re.compile(r"据[^\n（(]{0,12}$")  # 据新华社北京…电: a wire quoted, may be older
# 本报讯（记者 张三 通讯员 李四）7月21日上午, 本报讯 8月15日下午
_LEAD_BEFORE = re.compile(rf"本报讯{_SPACE}(?:[（(][^）)\n]{{0,60}}[）)])?{_SPACE}$")
# 昨天（7月21日）, 7月21日（昨天）: the page's own day, counted back
_REL_WORDS = {"前天": 2, "昨天": 1, "昨日": 1, "今天": 0, "今日": 0, "明天": -1, "明日": -1}
_REL = "|".join(_REL_WORDS)
_OPEN, _CLOSE = rf"{_SPACE}[（(]{_SPACE}", rf"{_SPACE}[）)]"
_REL_AFTER = re.compile(rf"{_OPEN}({_REL}){_CLOSE}")
_REL_BEFORE = re.compile(rf"({_REL}){_OPEN}$")
# 9月30日（星期一）, 10月9日周三, 周三（10月9日）, 2019年10月1日 星期二
_WD = "一二三四五六日天"
_WD_AFTER = re.compile(rf"{_SPACE}[（(，,]?{_SPACE}(?:星期|周|礼拜)([{_WD}])")
_WD_BEFORE = re.compile(rf"(?:星期|周|礼拜)([{_WD}]){_OPEN}$")
# 1月25日农历正月初一, 1月24日除夕夜, 元宵节（2月8日）: the lunar calendar names the year.
_LUNAR_DAYS = (
    "除夕|大年三十|正月初[一二三四五六七八九十]|大年初[一二三四五六七八九十]|正月十五|元宵节?|春节当天"
)
_LUNAR_AFTER = re.compile(
    rf"{_SPACE}[（(，,]?{_SPACE}(?:是|即|为)?{_SPACE}(?:农历)?(?:[鼠牛虎兔龙蛇马羊猴鸡狗猪]年)?({_LUNAR_DAYS})"
)
_LUNAR_BEFORE = re.compile(rf"({_LUNAR_DAYS}){_OPEN}$")
_CLOSE_AT = re.compile(_CLOSE)
# 今年（2019年）, 今年是2019年: the year stated.  去年（2018年） and 明年（2020年） too.
THIS_YEAR = re.compile(rf"(今年|去年|明年)(?:{_OPEN}|是)(\d{{4}})年")
# 今年是……“十三五”规划收官之年: the five-year plans' years are known (十一五 = 2006–2010 …).
PLAN_YEAR = re.compile(
    r"今年是[^。；！？\n]{0,24}?“?十([一二三四五六七八九])五”?[^。；！？\n]{0,8}?(开局|起步|收官)之年"
)
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}

# A plan, a target, an anniversary, a range's end or a named future event: not a past date.
_FUTURE_BEFORE = re.compile(
    r"(计划|预计|将于|将在|将|定于|力争|争取|(?<!截)至|到|目标|预期|确保|要在|迎接|展望|面向|规划|远景|愿景|"
    r"有望|筹备|—|－|-|～|~|再过|距)[^。，；！？\n]{0,6}$"
)
_FUTURE_AFTER = re.compile(
    r"^(?:(?:年)?(?:底|末|内)?(?:前|以前|之前)(?![一二三四两\d])|计划|规划)"
    r"|^[^。，；！？\n]{0,12}?(起施行|起实施|起执行|起正式|目标|远景|愿景|议程|节点|将|要|力争|争取|有望|周年|百年|之际)"
)
_DONE_AFTER = re.compile(r"[^。，；！？\n]{0,10}?(建成|完工|竣工|投用|投运|投入|投产|通车|开通|交付)")
# 2019年中国北京世界园艺博览会, 2022年冬奥会: a named event of that year, past, present or to come.
_EVENT_AFTER = re.compile(
    r"^[^。，；！？、\n]{0,12}?(冬奥|奥运|世博|亚运|世界杯|峰会|博览会|运动会|锦标赛|论坛|大会|年会)"
)
_PLAN_WORDS = re.compile(r"将|要|计划|力争|争取|预计|预期|目标|确保|有望|规划")
_OBITUARY = re.compile(r"同志逝世|逝世|讣告|遗体")

_PERIODS: tuple[tuple[re.Pattern[str], int, str], ...] = (
    (re.compile(r"前三季度|1\s*[至到—-]\s*9\s*月"), 10, "前三季度"),
    (re.compile(r"上半年|1\s*[至到—-]\s*6\s*月"), 7, "上半年"),
    (re.compile(r"(?<![前第二三四])一季度|第一季度|1\s*[至到—-]\s*3\s*月"), 4, "一季度"),
    (re.compile(r"1\s*[至到—-]\s*4\s*月"), 5, "1至4月"),
    (re.compile(r"1\s*[至到—-]\s*5\s*月"), 6, "1至5月"),
)
_REPORT_LAG = timedelta(days=20)  # results for a finished period appear some weeks later
# Typical daily high by month in Pinghu (°C), to check printed forecasts against the month.
_NORMAL_HIGH = {1: 8, 2: 10, 3: 14, 4: 20, 5: 25, 6: 28, 7: 32, 8: 32, 9: 28, 10: 23, 11: 17, 12: 11}

# 春节 (正月初一) of 1949 … 2099, as MDD: the lunar calendar's new year.
_SPRING_FESTIVAL = (
    "129 217 206 127 214 203 124 212 131 218 208 128 215 205 125 213 202 121 209 130 217 206 127 215 203 "
    "123 211 131 218 207 128 216 205 125 213 202 220 209 129 217 206 127 215 204 123 210 131 219 207 128 "
    "216 205 124 212 201 122 209 129 218 207 126 214 203 123 210 131 219 208 128 216 205 125 212 201 122 "
    "210 129 217 206 126 213 203 123 211 131 219 208 128 215 204 124 212 201 122 210 130 217 206 126 214 "
    "202 123 211 201 219 208 128 215 204 124 212 202 121 209 129 217 205 126 214 203 123 211 131 219 207 "
    "127 215 205 124 212 202 122 209 129 217 206 126 214 203 124 210 130 218 207 127 215 205 125 212 201 121"
).split()
SPRING_FESTIVAL: dict[int, date] = {
    1949 + i: date(1949 + i, int(s[:-2]), int(s[-2:])) for i, s in enumerate(_SPRING_FESTIVAL)
}


def _lunar_offset(word: str) -> int:
    """Days after 正月初一: 除夕 −1, 正月初五 +4, 元宵 +14."""
    if word in ("除夕", "大年三十"):
        return -1
    if word.startswith(("元宵", "正月十五")):
        return 14
    if word[-1] in "一二三四五六七八九十" and word.startswith(("正月初", "大年初")):
        return "一二三四五六七八九十".index(word[-1])
    return 0


def _future(text: str, start: int, end: int) -> bool:
    return bool(
        _FUTURE_BEFORE.search(text, max(0, start - 8), start) or _FUTURE_AFTER.match(text[end : end + 14])
    )


@dataclass(frozen=True)
class MonthDay:
    """A month and day the text names, where, and what kind of clue it is."""

    month: int
    day: int
    pos: int
    kind: str  # dateline, quoted, lead, relative, event
    lag: int = 1  # the page is this many days after the clue


@dataclass
class YearClue:
    year: int
    month: int | None
    day: int | None
    pos: int
    shown: str
    future: bool
    end_of_year: bool = False
    finished: bool = False  # 2018年，全市… : a year told as done (no plan in the clause)
    event: bool = False  # the year in an event's name: 2019年世界园艺博览会
    since: bool = False  # 1949年以来: the start of a span up to now, not now


@dataclass
class Clues:
    """Everything the text says about its date, gathered in one pass per pattern."""

    datelines: list[MonthDay] = field(default_factory=list)
    leads: list[MonthDay] = field(default_factory=list)
    relatives: list[MonthDay] = field(default_factory=list)
    events: list[MonthDay] = field(default_factory=list)
    years: list[YearClue] = field(default_factory=list)
    weekdays: list[tuple[int | None, int, int, int]] = field(
        default_factory=list
    )  # year, month, day, weekday
    lunar: list[tuple[int, int, str]] = field(default_factory=list)  # month, day, 除夕/正月初一 …
    stated: list[tuple[int, str]] = field(default_factory=list)  # a year the text says is this year
    anniversaries: list[tuple[date, str]] = field(
        default_factory=list
    )  # the N-th anniversary's day, as written
    problems: list[str] = field(default_factory=list)


def _md_ok(m: int, d: int) -> bool:
    return _valid(2000, m, d) is not None  # 2000 is a leap year: 2月29日 passes


def _digits_before(text: str, end: int, most: int) -> int:
    """Where the run of at most ``most`` ASCII digits ending at ``end`` starts (``end`` if none);
    -1 when the run is longer or follows a decimal point (12.5月 and 123月 are not months)."""
    start = end
    while start > 0 and start > end - most and "0" <= text[start - 1] <= "9":
        start -= 1
    if start > 0 and ("0" <= text[start - 1] <= "9" or text[start - 1] == "."):
        return -1
    return start


def month_days(text: str):
    """Every ``X月X日``/``X月X号``: (start, end, month, day), month and day not yet checked."""
    for m in _MD_TAIL.finditer(text):
        start = _digits_before(text, m.start(), 2)
        if 0 <= start < m.start():
            yield start, m.end(), int(text[start : m.start()]), int(m.group(1))


def _years(text: str):
    """Every ``YYYY年`` (spaces allowed before 年), with what follows: (start, tail match)."""
    for m in _YEAR_MARK.finditer(text):
        end = m.start()
        while end > 0 and text[end - 1] in " \t\u3000\xa0":
            end -= 1
        start = _digits_before(text, end, 4)
        if start == end - 4:
            yield start, _YEAR_TAIL.match(text, m.end())


def _around(before: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """``before`` ends right before ``start`` and a closing bracket follows ``end``: 昨天（7月21日）."""
    found = before.search(text, max(0, start - 16), start)
    return found if found and _CLOSE_AT.match(text, end) else None


_AFTER_FIRST = "（(，,星周礼是即为农除大正元春鼠牛虎兔龙蛇马羊猴鸡狗猪"


def _bracketed(text: str, start: int, end: int, mo: int, d: int, year: int | None, clues: Clues) -> None:
    """昨天（7月21日）, 9月30日（星期一）, 1月25日农历正月初一 around one month-day."""
    rel = _REL_AFTER.match(text, end) or _around(_REL_BEFORE, text, start, end)
    if rel:
        clues.relatives.append(MonthDay(mo, d, start, rel.group(1), _REL_WORDS[rel.group(1)]))
    wd = _WD_AFTER.match(text, end) or _around(_WD_BEFORE, text, start, end)
    if wd:
        clues.weekdays.append((year, mo, d, _WD.index(wd.group(1)) if wd.group(1) != "天" else 6))
    lunar = _LUNAR_AFTER.match(text, end) or _around(_LUNAR_BEFORE, text, start, end)
    if lunar:
        clues.lunar.append((mo, d, lunar.group(1)))


# ---------------------------------------------------------------- anniversaries (data/anniversaries.toml)

ANNIVERSARY_WINDOW = 45  # days: a page this close to an anniversary's day is of that anniversary's year


@dataclass(frozen=True)
class Anniversaries:
    version: str
    events: tuple[tuple[tuple[str, ...], date], ...]  # (how it is written, the day it happened)
    pattern: re.Pattern[str] | None


def build_anniversaries(data: dict) -> Anniversaries:
    events = []
    for row in data.get("anniversary", []):
        day = row["date"]
        if not isinstance(day, date):
            raise ValueError(f"周年事件 {row.get('names')} 的 date 不是日期（应写成 1949-10-01）")
        events.append((tuple(str(n) for n in row["names"]), day))
    names = sorted({n for ns, _ in events for n in ns}, key=len, reverse=True)
    pattern = (
        re.compile(
            rf"({'|'.join(map(re.escape, names))})[ \u3000]*(\d{{1,3}}|[一二三四五六七八九十百零〇两]{{1,6}})[ \u3000]*周年"
        )
        if names
        else None
    )
    return Anniversaries(str(data.get("version", "")), tuple(events), pattern)


ANNIVERSARIES_FILE = DataFile(
    "anniversaries.toml", "周年事件", build_anniversaries, Anniversaries("", (), None)
)


def anniversary_days(text: str, last_year: int) -> list[tuple[date, str]]:
    """``<event>N周年`` in ``text`` → the day of that N-th anniversary, for events in
    data/anniversaries.toml (新中国成立70周年 → 2019-10-01)."""
    cfg = ANNIVERSARIES_FILE.get()
    if cfg.pattern is None:
        return []
    when = {n: d for ns, d in cfg.events for n in ns}
    found = []
    for m in cfg.pattern.finditer(text):
        n = _cn_number(m.group(2))
        base = when.get(m.group(1))
        if not n or base is None or not EARLIEST.year <= base.year + n <= last_year:
            continue
        day = _valid(base.year + n, base.month, base.day)
        if day is not None:
            found.append((day, m.group(0)))
    return found


# 2020年全面建成小康社会，2035年基本实现…: a year followed by a goal is a target, not a past date.
_GOAL_AFTER = re.compile(
    r"^(?:年)?(?:底|末)?[ \u3000]*(?:全面建成|基本建成|基本实现|全面实现|全面完成|如期实现|如期完成)"
)


def gather(text: str, today: date | None = None) -> Clues:
    """All date clues in ``text``."""
    clues = Clues()
    last_year = latest_allowed(today).year
    dated = _gather_years(text, last_year, clues)
    _gather_days(text, dated, clues)
    _gather_stated(text, last_year, clues)
    return clues


def _gather_years(text: str, last_year: int, clues: Clues) -> dict[int, int]:
    """Years the text names (``clues.years``, with out-of-range ones as problems); returns where
    a full date's month starts → its year."""
    seen_problems: set[str] = set()
    dated: dict[int, int] = {}
    for start, tail in _years(text):
        y = int(text[start : start + 4])
        mo = int(tail.group(1)) if tail.group(1) else None
        d = int(tail.group(2)) if tail.group(2) else None
        shown = text[start : tail.end()].replace(" ", "").replace("\u3000", "").replace("\xa0", "")
        if mo is not None and not (1 <= mo <= 12 and (d is None or _valid(2000, mo, d))):
            continue  # 2019年13月: not a date
        future = _future(text, start, tail.end()) or bool(
            _GOAL_AFTER.match(text[tail.end() : tail.end() + 8])
        )
        if (tail.group(1) or tail.group(3)) and _DONE_AFTER.match(text, tail.end()):
            future = True  # 2020年底投入运营: tense-less, and a month is where a year is deduced: not used
        if tail.group(1):
            dated[tail.start(1)] = y
        if y > last_year:
            msg = out_of_range_zh("正文中", shown)
            if (not future or y > last_year + 100) and msg not in seen_problems and len(seen_problems) < 5:
                seen_problems.add(msg)
                clues.problems.append(msg)
            continue
        if y >= EARLIEST.year:  # earlier: history, not evidence of the page's year, and no problem
            clues.years.append(_year_clue(text, start, tail, y, mo, d, shown, future))
    return dated


def _year_clue(
    text: str,
    start: int,
    tail: re.Match[str],
    y: int,
    mo: int | None,
    d: int | None,
    shown: str,
    future: bool,
) -> YearClue:
    end = tail.end()
    finished = mo is None and not tail.group(3) and text.startswith("，", end) and not future
    if finished and _PLAN_WORDS.search(text[end : end + 30].split("。", 1)[0]):
        finished, future = False, True  # 2020年，中华民族将彻底摆脱绝对贫困: a plan
    event = mo is None and not future and bool(_EVENT_AFTER.match(text[end : end + 14]))
    since = text.startswith(("以来", "来", "起", "至今", "开始"), end)
    end_of_year = tail.group(3) in ("底", "末", "全年")
    return YearClue(y, mo, d, start, shown, future, end_of_year, finished, event, since)


def _gather_days(text: str, dated: dict[int, int], clues: Clues) -> None:
    """Month-days: datelines, 本报讯 leads, bracketed days (昨天（7月21日）) and past events."""
    for start, end, mo, d in month_days(text):
        if not _md_ok(mo, d):
            continue
        nxt = text[end : end + 3].lstrip(" \t\u3000\xa0")[:1]  # cheap checks first: most hits are plain
        prev = text[max(0, start - 3) : start].rstrip(" \t\u3000\xa0")[-1:]
        if nxt in ("电", "讯") and text[end - 1] == "日" and _DATELINE_AFTER.match(text, end):
            quoted = bool(_DATELINE_QUOTED.search(text, max(0, start - 14), start))
            clues.datelines.append(MonthDay(mo, d, start, "quoted" if quoted else "dateline"))
        if "本报讯" in text[max(0, start - 80) : start] and _LEAD_BEFORE.search(
            text, max(0, start - 80), start
        ):
            clues.leads.append(MonthDay(mo, d, start, "lead"))
        if nxt and nxt in _AFTER_FIRST or prev and prev in "（(":
            _bracketed(text, start, end, mo, d, dated.get(start), clues)
        if start not in dated and not _future(text, start, end) and not text.endswith("今年", 0, start):
            # 今年2月18日 is any earlier day of the year, not a recent one: not an event for 'latest'
            clues.events.append(MonthDay(mo, d, start, "event"))


def _gather_stated(text: str, last_year: int, clues: Clues) -> None:
    """Years the text states as this year: 今年（2019年）, “十三五”收官之年; anniversaries near their day."""
    for m in THIS_YEAR.finditer(text):
        y = int(m.group(2)) + {"今年": 0, "去年": 1, "明年": -1}[m.group(1)]
        if EARLIEST.year <= y <= last_year:
            clues.stated.append((y, m.group(0)))
    clues.anniversaries.extend(anniversary_days(text, last_year))
    for m in PLAN_YEAR.finditer(text):
        n = _CN_DIGIT[m.group(1)] + 10  # 十一五 is the 11th five-year plan: 2006–2010
        first = 2006 + (n - 11) * 5
        y = first if m.group(2) in ("开局", "起步") else first + 4
        if EARLIEST.year <= y <= last_year:
            clues.stated.append((y, f"“十{m.group(1)}五”{m.group(2)}之年"))


# ---------------------------------------------------------------- the day


def _ordinal(m: int, d: int) -> int:
    return date(2000, m, d).timetuple().tm_yday


def latest(mds: list[MonthDay]) -> MonthDay:
    """The latest month-day of a set that spans at most a year: after the widest gap in the circle.

    >>> latest([MonthDay(12, 30, 0, "event"), MonthDay(2, 3, 1, "event"), MonthDay(1, 25, 2, "event")])
    MonthDay(month=2, day=3, pos=1, kind='event', lag=1)
    """
    days = sorted({_ordinal(x.month, x.day): x for x in mds}.items())
    if len(days) == 1:
        return days[0][1]
    best, gap = days[-1][1], days[0][0] + 366 - days[-1][0]
    for (a, x), (b, _) in zip(days, days[1:], strict=False):
        if b - a > gap:
            best, gap = x, b - a
    return best


@dataclass(frozen=True)
class Day:
    month: int
    day: int
    lag: int
    quality: float
    said: str  # the evidence, in Chinese
    kind: str = "dateline"  # relative, dateline, lead, event


def _span_days(mds: list[MonthDay], last: MonthDay) -> int:
    """How many days before ``last`` the earliest of ``mds`` is (within a year)."""
    end = _ordinal(last.month, last.day)
    return max((end - _ordinal(x.month, x.day)) % 366 for x in mds)


def _quoted(text: str, pos: int) -> bool:
    """Inside a quotation “…”: someone else's 今天, said on another day."""
    before = text[max(0, pos - 300) : pos]
    return before.rfind("“") > before.rfind("”")


def pick_day(clues: Clues, text: str) -> Day | None:
    """The month and day the page follows, with how sure that is (0..1) and why."""
    own_rel = [x for x in clues.relatives if not _quoted(text, x.pos)]
    if own_rel:
        r = own_rel[0]
        agree = sum(1 for x in own_rel if (x.month, x.day, x.lag) == (r.month, r.day, r.lag))
        said = f"正文写明“{r.kind}（{r.month}月{r.day}日）”"
        return Day(r.month, r.day, r.lag, 0.95 if agree == len(own_rel) else 0.8, said, "relative")
    own = [x for x in clues.datelines if x.kind == "dateline"]
    if own or clues.datelines:
        pool = own or clues.datelines
        last = latest(pool)
        n_last = sum(1 for x in pool if (x.month, x.day) == (last.month, last.day))
        quality = 0.92 if len(pool) >= 2 else 0.88
        if not own:
            quality = 0.6  # only quoted wires (据新华社…电): a reprint may be days old
        if len(pool) >= 2 and n_last == 1:
            runner = latest([x for x in pool if (x.month, x.day) != (last.month, last.day)])
            if (_ordinal(last.month, last.day) - _ordinal(runner.month, runner.day)) % 366 > 4:
                quality -= 0.2  # the latest stands far from the others: perhaps a typo
        if len(pool) == 1 and _OBITUARY.search(text):
            quality = 0.45  # obituaries are often printed weeks after the wire
        said = (
            f"电头日期最晚为“{last.month}月{last.day}日电”（共{len(pool)}处电头），"
            "报纸刊登前一天或当天的电讯，版面日期取其后一天"
        )
        return Day(last.month, last.day, 1, quality, said)
    if clues.leads:
        last = latest(clues.leads)
        said = f"“本报讯”导语写明{last.month}月{last.day}日（共{len(clues.leads)}处），版面日期取其后一天"
        return Day(last.month, last.day, 1, 0.8 if len(clues.leads) >= 2 else 0.75, said)
    if clues.events:
        last = latest(clues.events)
        quality = 0.55 if len(clues.events) >= 2 else 0.45
        if _span_days(clues.events, last) > 200:
            quality -= 0.1  # events spread over the year: the latest may be a plan missed
        said = f"正文最晚的事件日期为{last.month}月{last.day}日（共{len(clues.events)}处日期），版面日期取其后一天"
        if "昨天" in text or "昨日" in text:
            quality += 0.05
            said += "；含“昨天”，符合报道前一天的事件"
        return Day(last.month, last.day, 1, quality, said, "event")
    return None


# ---------------------------------------------------------------- the year


@dataclass(frozen=True)
class Year:
    year: int | None
    quality: float
    said: str


_ANNIVERSARY = re.compile(r"(\d{1,3}|[一二三四五六七八九十百]{1,4})\s*周年")


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}


def _cn_number(s: str) -> int:
    """一百 → 100, 七十 → 70, 二十五 → 25, 一百零五 → 105, 两百 → 200 (enough for anniversaries)."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch == "百":
            total, cur = total + (cur or 1) * 100, 0
        elif ch == "十":
            total, cur = total + (cur or 1) * 10, 0
        else:
            cur = _CN_DIGITS.get(ch, 0)
    return total + cur


def _anniversary_of(text: str, mention: YearClue, last_year: int) -> bool:
    """An ``N周年`` near the date, whose anniversary falls by now: 1949年10月1日 … 70周年."""
    near = text[max(0, mention.pos - 150) : mention.pos + 150]
    return any(mention.year + _cn_number(m.group(1)) <= last_year for m in _ANNIVERSARY.finditer(near))


def _weekday_years(month: int, day: int, weekday: int, lo: int, hi: int) -> list[int]:
    return [
        y for y in range(lo, hi + 1) if (x := _valid(y, month, day)) is not None and x.weekday() == weekday
    ]


def _year_near(seen: date, day: Day) -> int:
    """The year whose ``day`` is nearest to a date seen in the text (12月31日 near 1月1日 of the next)."""
    best = seen.year
    for y in (seen.year - 1, seen.year + 1):
        a, b = _anchor(y, day), _anchor(best, day)
        if a is not None and (b is None or abs((a - seen).days) < abs((b - seen).days)):
            best = y
    return best


def _anchor(year: int, day: Day) -> date | None:
    return _valid(year, day.month, day.day)


@dataclass
class _Bounds:
    """What the past years named say about the page's year."""

    past: list[YearClue]
    floor: int | None  # a past month well after the day: the page is at least this year
    floor_said: str
    named: Counter[int]  # past years named (events' years when not beyond the others)
    bound: int | None  # the latest of floor and the years named
    bound_said: str


def pick_year(clues: Clues, day: Day, text: str, today: date | None = None) -> Year:
    """The year of ``day``: stated, pinned by a weekday or the lunar calendar, or shown by recent full
    dates or an anniversary; else a guess from the past years named."""
    last_year = latest_allowed(today).year
    b = _bounds([c for c in clues.years if not c.future], day)
    return (
        _pinned_year(clues, day, b, last_year)
        or _recent_year(b, day, text, last_year)
        or anniversary_year(clues, day, b.floor, b.bound)
        or _guessed_year(b)
    )


def _bounds(past: list[YearClue], day: Day) -> _Bounds:
    # Lower bound: a past 2019年7月 on a page following 2月3日 means the page is in 2020 or later.
    floor, floor_said = None, ""
    for c in past:
        if c.end_of_year:
            month = 12
        elif c.month is not None:
            month = c.month
        else:
            continue
        # Only well after the day: a date a few weeks on is more likely an event announced ahead.
        after = (_ordinal(month, c.day or 1) - _ordinal(day.month, day.day)) > 31
        low = c.year + 1 if after else c.year
        if floor is None or low > floor:
            floor, floor_said = low, c.shown
    # Every past year named bounds the page from below; a year before that bound is not the page's.
    named = Counter(c.year for c in past if not c.event)
    # An event's year counts when it is not beyond the other years named: 2022年冬奥会 in 2019 does not.
    top_plain = max(named) if named else None
    for c in past:
        if c.event and (top_plain is None or c.year <= top_plain + 1):
            named[c.year] += 1
    bound, bound_said = floor, floor_said
    if named and (bound is None or max(named) > bound):
        bound = max(named)
        bound_said = next(c.shown for c in past if c.year == bound)
    return _Bounds(past, floor, floor_said, named, bound, bound_said)


def _pinned_year(clues: Clues, day: Day, b: _Bounds, last_year: int) -> Year | None:
    """A year stated (今年（2019年）, “十三五”收官之年) or pinned by a weekday or the lunar calendar."""
    pins: Counter[int] = Counter()
    pins_said: dict[int, str] = {}
    for y, said in clues.stated:
        pins[y] += 3
        pins_said.setdefault(y, f"正文写明“{said}”")
    lo = max(EARLIEST.year, (b.bound or EARLIEST.year) - 1)
    for wy, mo, d, wd in clues.weekdays:
        cands = [wy] if wy else _weekday_years(mo, d, wd, lo, last_year)
        cands = [y for y in cands if _valid(y, mo, d) and date(y, mo, d).weekday() == wd]
        if b.bound is not None:  # the page is in the latest year named or soon after: which one?
            cands = [y for y in cands if b.bound <= y <= b.bound + 2]
        if len(cands) == 1:
            y = _year_near(date(cands[0], mo, d), day)
            pins[y] += 2
            pins_said.setdefault(y, f"{mo}月{d}日是星期{_WD[wd]}，只有{cands[0]}年相符")
    for mo, d, word in clues.lunar:
        for y, sf in SPRING_FESTIVAL.items():
            if y <= last_year and sf + timedelta(days=_lunar_offset(word)) == _valid(y, mo, d):
                y2 = _year_near(date(y, mo, d), day)
                pins[y2] += 3
                pins_said.setdefault(y2, f"{mo}月{d}日是农历{word}，只有{y}年如此")
    if not pins:
        return None
    y, w = max(pins.items(), key=lambda kv: (kv[1], kv[0]))
    quality = 1.0 if w >= 3 and len(pins) == 1 else 0.9 if len(pins) == 1 else 0.7
    said = pins_said[y]
    if b.bound and y < b.bound:
        quality, said = 0.4, said + f"，但正文还有更晚的过去日期“{b.bound_said}”"
    return Year(y, quality, said)


def _recent_year(b: _Bounds, day: Day, text: str, last_year: int) -> Year | None:
    """Recent full dates: 2019年9月28日 a few weeks before 10月1日 says the year is 2019."""
    recent: Counter[int] = Counter()
    recent_dates: dict[int, set[tuple[int, int, int]]] = {}
    recent_said: dict[int, str] = {}
    for c in b.past:
        if c.day is None or c.month is None:  # (never a day without its month: _YEAR_TAIL nests them)
            continue
        for y in (c.year, c.year + 1):
            a = _anchor(y, day)
            seen = _valid(c.year, c.month, c.day)
            if a is None or seen is None:
                continue
            gap = (a - seen).days
            if -1 <= gap <= 45:
                recent[y] += 3 if gap <= 7 else 2 if gap <= 31 else 1
                recent_dates.setdefault(y, set()).add((c.year, c.month or 0, c.day))
                recent_said.setdefault(y, c.shown)
    # A recent-looking full date of an earlier year is an anniversary (1949年10月1日 on a 10月1日 page);
    # a single later bare year may be a plan not recognised as one (2020年全面建成…), so allow one year.
    top = max(b.named) if b.named else None
    recent = Counter(
        {
            y: w
            for y, w in recent.items()
            if (b.floor is None or y >= b.floor) and (top is None or y >= top - 1)
        }
    )
    if not recent:
        return None
    y, w = max(recent.items(), key=lambda kv: (kv[1], kv[0]))
    n = len(recent_dates[y])
    rivals = sum(v for k, v in recent.items() if k != y)
    # One date may be an old event that happens to fall near the day; two agreeing are the year.
    # Other mentions of that year: 2019年女排世界杯 beside 2019年9月28日.
    others = sum(1 for c in b.past if c.year == y and not c.since) - n
    if n >= 2:
        quality = 0.95 if w >= 4 else 0.9
    elif others >= 1:
        quality = 0.85 if w >= 3 else 0.75
    else:
        quality = 0.6
    quality -= 0.25 if rivals >= w / 2 else 0
    said = f"正文有该日之前不久的完整日期“{recent_said[y]}”（共{n}处，近期日期权重{w}）"
    mention = next(c for c in b.past if c.shown == recent_said[y])
    if _anniversary_of(text, mention, last_year):
        quality = min(quality, 0.5)
        said += "，但其旁提到周年纪念，该日期可能是被纪念的历史日期"
    elif n == 1 and others < 1:
        said += "，但该年份别处未再出现，也可能是历史日期（如周年纪念的1949年10月1日）"
    return Year(y, quality, said)


def _guessed_year(b: _Bounds) -> Year:
    """A guess (below the threshold): the year after one told as done, a floor, or the latest named."""
    done = [c for c in b.past if c.finished]
    told = max(done, key=lambda c: c.year) if done else None
    if told is not None and (b.bound is None or told.year + 1 > b.bound):
        said = f"正文以“{told.shown}，……”讲述已过去的一年，版面应在{told.year + 1}年或之后，年份取{told.year + 1}年（推测）"
        return Year(told.year + 1, 0.45, said)
    if b.floor is not None and b.floor >= (b.bound or b.floor):
        said = f"正文的过去日期“{b.floor_said}”说明版面不早于{b.floor}年，年份取{b.floor}年（推测）"
        return Year(b.floor, 0.55, said)
    if b.bound is not None:
        n = b.named[b.bound]
        said = (
            f"正文提到的过去年份最晚为{b.bound}年（“{b.bound_said}”，出现{n}次），年份取{b.bound}年（推测）"
        )
        return Year(b.bound, 0.45 if n >= 2 else 0.4, said)
    return Year(None, 0.0, "正文没有可信的年份（规划、目标、周年中的年份不算）")


def anniversary_year(clues: Clues, day: Day, floor: int | None, bound: int | None) -> Year | None:
    """The year of an anniversary whose day lies within ``ANNIVERSARY_WINDOW`` days of the page's
    day (新中国成立70周年 on a page of 10月2日 → 2019), unless a past year named in the text is
    later; two or more mentions agreeing make it likelier."""
    near: Counter[int] = Counter()
    said: dict[int, str] = {}
    for when, shown in clues.anniversaries:
        y = _year_near(when, day)
        a = _anchor(y, day)
        if a is None or abs((a - when).days) > ANNIVERSARY_WINDOW:
            continue
        near[y] += 1
        said.setdefault(
            y, f"正文提到“{shown}”，其纪念日为{when.year}年{when.month}月{when.day}日，与该日相近"
        )
    if not near:
        return None
    y, n = max(near.items(), key=lambda kv: (kv[1], kv[0]))
    if (floor is not None and y < floor) or (bound is not None and y < bound) or len(near) > 1:
        return None  # a later year named, or anniversaries of different years: not conclusive
    return Year(y, 0.8 if n >= 2 else 0.65, f"{said[y]}（共{n}处）")


# ---------------------------------------------------------------- inference


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


def infer_date(text: str, *, today: date | None = None) -> DateResult:
    """The page's date from its text alone, with a confidence (0..1) and the evidence in Chinese."""
    clues = gather(text, today)
    problems = tuple(clues.problems)
    day = pick_day(clues, text)
    if day is None:
        return _year_and_period_only(clues, text, problems, today)
    result = _infer_with_day(clues, day, text, problems, today)
    clue = f"{day.month:02d}-{day.day:02d}+{day.lag}"
    return replace(result, day_clue=clue) if result.source in ("inferred", "unknown") else result


def _infer_with_day(
    clues: Clues, day: Day, text: str, problems: tuple[str, ...], today: date | None
) -> DateResult:
    year = pick_year(clues, day, text, today)
    if year.year is None:
        said = f"{day.said}；{year.said}，无法确定年份"
        return DateResult(None, "unknown", 0.0, said, problems)
    anchor = _anchor(year.year, day)
    if anchor is None:  # 2月29日 in a common year
        said = f"{day.said}；{year.said}；但{year.year}年没有{day.month}月{day.day}日"
        return DateResult(None, "unknown", 0.0, said, problems)
    estimate = anchor + timedelta(days=day.lag)
    evidence = [day.said, f"年份{year.year}年：{year.said}"]
    confidence = day.quality * year.quality
    if day.kind == "event":
        floor = period_floor(text, year.year)
        if floor and estimate <= floor[0]:
            estimate = floor[0] + _REPORT_LAG
            evidence.append(f"报道了{floor[1]}数据，版面应在该时段结束之后，按约20天估计")
            confidence = min(confidence, 0.3)
    fits = temperature_fits(text, estimate.month)
    if fits is not None:
        evidence.append("天气预报气温与月份相符" if fits else "天气预报气温与推断月份不太相符")
        confidence += 0.03 if fits else -0.15
    return _finish(estimate, confidence, evidence, problems, today)


def _year_and_period_only(
    clues: Clues, text: str, problems: tuple[str, ...], today: date | None
) -> DateResult:
    """No month and day at all: a finished period (一季度) in a named year gives a rough date."""
    past = Counter(c.year for c in clues.years if not c.future)
    if not past:
        return DateResult(None, "unknown", 0.0, "正文没有日期，也没有可信的年份，无法推断", problems)
    year = max(past)
    floor = period_floor(text, year)
    said = f"正文提到的过去年份最晚为{year}年（出现{past[year]}次）"
    if floor is None:
        return DateResult(None, "unknown", 0.0, f"{said}，但正文没有具体日期", problems)
    evidence = [said, f"报道了{floor[1]}数据，版面应在该时段结束之后，按约20天估计"]
    return _finish(floor[0] + _REPORT_LAG, 0.25, evidence, problems, today)


def _finish(
    estimate: date, confidence: float, evidence: list[str], problems: tuple[str, ...], today: date | None
) -> DateResult:
    if not in_range(estimate, today):
        msg = out_of_range_zh("推断", estimate.isoformat())
        return DateResult(None, "unknown", 0.0, "；".join(evidence), (*problems, msg))
    confidence = round(max(0.05, min(confidence, 0.95)), 2)
    verdict = "可直接采用" if confidence >= CONFIRM_BELOW else "低于0.6，请人工确认"
    evidence.append(f"置信度{confidence:.2f}（{verdict}）")
    return DateResult(estimate, "inferred", confidence, "；".join(evidence), problems)


def page_date(
    path: str, text: str, manifest_entry: ManifestEntry | None = None, *, today: date | None = None
) -> DateResult:
    """Manifest first, then the file name or folders, then inference from the text.

    A manifest or file-name date outside 1949 … today+1 is ignored with a problem, and the next
    source is tried."""
    problems: list[str] = []
    if manifest_entry is not None and manifest_entry.date is not None:
        if in_range(manifest_entry.date, today):
            return DateResult(manifest_entry.date, "manifest", 1.0, "来自清单文件 manifest.csv")
        problems.append(out_of_range_zh("清单文件", manifest_entry.date.isoformat()))
    found = date_from_path(path)
    if found is not None:
        if in_range(found, today):
            return DateResult(found, "filename", 1.0, f"来自文件名或文件夹：{path}", tuple(problems))
        problems.append(out_of_range_zh("文件名", found.isoformat()))
    result = infer_date(text, today=today)
    if problems:
        result = DateResult(
            result.date, result.source, result.confidence, result.evidence, (*problems, *result.problems)
        )
    return result


# ---------------------------------------------------------------- the year from the corpus

CORPUS_YEAR_CONFIDENCE = 0.55  # a year from neighbouring pages: usually right, still for a person to confirm
NEIGHBOUR_DAYS = 7  # a page dated surely within this many days of the candidate supports its year


def parse_day_clue(clue: str) -> tuple[int, int, int] | None:
    """``"10-01+1"`` → (10, 1, 1); None for "" or anything else."""
    m = re.fullmatch(r"(\d{2})-(\d{2})\+(-?\d+)", clue or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def year_from_neighbours(clue: str, sure: list[int]) -> tuple[date, str] | None:
    """The one year in which the text's day (``clue``) falls within ``NEIGHBOUR_DAYS`` of a page
    dated surely (``sure``: sorted ordinals of pages dated by manifest, file name or text with
    confidence ≥ CONFIRM_BELOW), and the evidence; None when no year or several years fit.

    >>> sure = sorted(date(2020, 2, d).toordinal() for d in (4, 15, 29)) + [date(2019, 10, 5).toordinal()]
    >>> year_from_neighbours("02-02+1", sorted(sure))[0]
    datetime.date(2020, 2, 3)
    >>> year_from_neighbours("07-01+1", sorted(sure)) is None
    True
    """
    parsed = parse_day_clue(clue)
    if parsed is None or not sure:
        return None
    month, day, lag = parsed
    first, last = date.fromordinal(sure[0]).year - 1, date.fromordinal(sure[-1]).year + 1
    fits = []
    for y in range(first, last + 1):
        at = _valid(y, month, day)
        if at is None:
            continue
        when = at + timedelta(days=lag)
        k = bisect.bisect_left(sure, when.toordinal() - NEIGHBOUR_DAYS)
        if k < len(sure) and sure[k] <= when.toordinal() + NEIGHBOUR_DAYS:
            fits.append((when, abs(sure[k] - when.toordinal())))
    if len(fits) != 1:
        return None
    when, gap = fits[0]
    said = (
        f"年份{when.year}年：正文未写明年份，语料中只有{when.year}年在该日前后{NEIGHBOUR_DAYS}天内有日期确定的版面"
        f"（最近相差{gap}天），按语料推定；置信度{CORPUS_YEAR_CONFIDENCE:.2f}（低于0.6，请人工确认）"
    )
    return when, said
