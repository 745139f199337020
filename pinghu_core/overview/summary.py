"""The 总览 (overview) numbers: pure pandas over the ``pages``, ``articles`` and ``ingest_report`` frames.

Nothing here draws or imports streamlit; the page calls :func:`build_overview` (through the
cache adapter) and hands the pieces to ``pinghu_core.overview.charts`` and ``st.dataframe``.

Dates may be missing (``NaT``) on any page: every function works when none is known.

版面 are counted by ``shapes.paper_pages``: a whole-page file is one 版面, article files with the same
date and 版次 are one 版面.  What the counts are called follows the corpus' shape (:func:`metrics`):
a corpus of article files counts 篇文章 (articles), a corpus of whole pages counts 条目 (items of
every kind), a mixed one both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pinghu_core.common import schemas
from pinghu_core.common.schemas import STATUS_LABELS_ZH
from pinghu_core.common.wording import format_date_range_zh, format_date_zh
from pinghu_core.corpus import shapes
from pinghu_core.parse.dates import CONFIRM_BELOW

# A date the parser inferred from the text with less confidence than this needs a person.
LOW_CONFIDENCE = CONFIRM_BELOW

WEEKDAYS_ZH: tuple[str, ...] = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
# 读取报告's 代码 column in words (the machine codes stay in the CLI's and JSON outputs)
REPORT_CODE_LABELS_ZH: dict[str, str] = {
    "": "",
    "page_problems": "解析存疑",
    "duplicate": "重复文件",
    "copies": "重复文章",
    "parse_failed": "解析失败",
    "timeout": "解析超时",
    "writing": "正在写入",
    "cache": "解析缓存",
    "manifest": "清单文件",
    "empty": "空文件",
    "binary": "二进制文件",
    "html": "网页文件",
    "too_large": "文件过大",
    "unreadable": "无法读取",
    "replaced": "编码有误已替换",
    "not_regular": "不是普通文件",
    "outside_link": "链接指向文件夹外",
    "broken_link": "失效链接",
    "unreadable_folder": "无法读取的文件夹",
}

# Day status in the calendar.
DAY_PAGE = "page"  # at least one page carries this date
DAY_MISSING = "missing"  # inside the corpus' date range, but no page carries it
DAY_OUTSIDE = "outside"  # before the first or after the last dated page (drawn only to fill the year)
DAY_STATUS_LABELS_ZH: dict[str, str] = {
    DAY_PAGE: "有版面",
    DAY_MISSING: "无版面（缺失）",
    DAY_OUTSIDE: "不在语料日期范围内",
}

# ---------------------------------------------------------------- summary


@dataclass(frozen=True)
class CorpusSummary:
    pages: int  # 版面 (shapes.paper_pages)
    items: int  # items of every kind (条目)
    news: int
    dated_pages: int
    undated_pages: int  # date unknown (NaT): not in the calendar
    low_confidence_pages: int  # files dated by inference with confidence < LOW_CONFIDENCE, or unknown
    first_date: pd.Timestamp | None
    last_date: pd.Timestamp | None
    days_in_range: int  # calendar days from first_date to last_date, both included
    days_with_pages: int
    missing_days: int  # days in range that no page carries
    articles: int = 0  # 篇文章: article files, and news/photo/commentary items of whole-page files
    shape: str = shapes.PAGE  # shapes.PAGE, shapes.ARTICLE or shapes.MIXED (PAGE for an empty corpus)
    files: int = 0  # files read

    @property
    def date_range_zh(self) -> str:
        return format_date_range_zh(self.first_date, self.last_date)


def _dates(pages: pd.DataFrame) -> pd.Series:
    return pages["date"].dropna().dt.normalize()


def is_low_confidence(pages: pd.DataFrame) -> pd.Series:
    """Pages whose date a person should confirm: inferred with low confidence, or unknown."""
    source = pages["date_source"].astype("string")
    inferred_low = (source == "inferred") & (pages["date_confidence"] < LOW_CONFIDENCE)
    return (inferred_low | (source == "unknown") | pages["date"].isna()).fillna(True).astype(bool)


def summarize(
    pages: pd.DataFrame, articles: pd.DataFrame, paper: shapes.PaperPages | None = None
) -> CorpusSummary:
    """The corpus in numbers; ``paper``: ``shapes.paper_pages(pages, articles)`` if already made."""
    paper = paper if paper is not None else shapes.paper_pages(pages, articles)
    dates = _dates(paper.table)
    first = dates.min() if len(dates) else None
    last = dates.max() if len(dates) else None
    span = int((last - first).days) + 1 if first is not None else 0
    with_pages = int(dates.nunique())
    return CorpusSummary(
        pages=paper.pages,
        items=len(articles),
        news=int((articles["kind"].astype("string") == "news").sum()),
        dated_pages=len(dates),
        undated_pages=paper.pages - len(dates),
        low_confidence_pages=int(is_low_confidence(pages).sum()),
        first_date=first,
        last_date=last,
        days_in_range=span,
        days_with_pages=with_pages,
        missing_days=span - with_pages,
        articles=paper.articles,
        shape=paper.shape or shapes.PAGE,
        files=len(pages),
    )


@dataclass(frozen=True)
class Metric:
    """One number at the top of 总览: label, value, and what exactly it counts (help)."""

    label: str
    value: str
    help: str


_PAGES_HELP = {
    shapes.PAGE: "读取成功的头版文件数（每个文件是一个整版）",
    shapes.ARTICLE: "按日期和版次归并的版面数：同一天、同一版次的文章文件合为一个版面",
    shapes.MIXED: "单篇文章文件按日期和版次归并为版面，同一天同一版次的整版文件也并入其中；其余整版文件每个算一个版面",
}
_LOW_UNIT = {shapes.PAGE: "版面", shapes.ARTICLE: "文章", shapes.MIXED: "文件"}  # what is counted


def low_confidence_label(shape: str) -> str:
    """'待确认日期的版面' (whole pages), '待确认日期的文章' (article files) or '待确认日期的文件' (both)."""
    return "待确认日期的" + _LOW_UNIT.get(shape, _LOW_UNIT[shapes.PAGE])


def low_confidence_short_label(shape: str) -> str:
    """The count's label among five: '待确认版面', '待确认文章' or '待确认文件'."""
    return "待确认" + _LOW_UNIT.get(shape, _LOW_UNIT[shapes.PAGE])


def metrics(s: CorpusSummary) -> list[Metric]:
    """The numbers 总览 shows, named for what they count: 篇文章 for article files, 条目 for the items
    of whole pages (every kind), both in a mixed corpus."""
    out = [Metric("版面数", f"{s.pages:,}", _PAGES_HELP[s.shape])]
    if s.shape != shapes.PAGE:
        help_zh = (
            "每个文章文件一篇"
            if s.shape == shapes.ARTICLE
            else "文章文件每个一篇，加上整版文件中的新闻、图片新闻和评论"
        )
        out.append(Metric("文章数", f"{s.articles:,}", help_zh))
    if s.shape != shapes.ARTICLE:
        out.append(
            Metric(
                "条目数",
                f"{s.items:,}",
                "整版文件上识别出的全部条目（新闻、图片、导读、广告、天气等）"
                + ("，加上每个文章文件一条" if s.shape == shapes.MIXED else ""),
            )
        )
    unit = "文章" if s.shape == shapes.ARTICLE else "条目"
    out += [
        Metric("新闻数", f"{s.news:,}", f"类型为“新闻”的{unit}数"),
        Metric("缺失日期数", f"{s.missing_days:,}", "日期范围内没有任何版面的天数"),
        Metric(
            # short enough for one of five columns (the eight characters of the section's title were
            # cut to '待确认日期的…' on a laptop's page); the help and the section below say it in full
            low_confidence_short_label(s.shape),
            f"{s.low_confidence_pages:,}",
            f"{low_confidence_label(s.shape)}：日期由正文推断且置信度低，或无法确定（见下方同名一节）",
        ),
    ]
    return out


def counts_zh(s: CorpusSummary) -> str:
    """The sidebar's line: '版面数：**5**'; with article files '版面数：**896** · 文章数：**4,113**'."""
    line = f"版面数：**{s.pages:,}**"
    if s.shape != shapes.PAGE:
        line += f" · 文章数：**{s.articles:,}**"
    return line


def item_unit(shape: str) -> str:
    """What one item is called: '文章' in an article-file corpus, else '条目'."""
    return "文章" if shape == shapes.ARTICLE else "条目"


# ---------------------------------------------------------------- kinds


def kind_counts(articles: pd.DataFrame) -> pd.DataFrame:
    """Items per kind, every kind of ``schemas.KINDS`` in order (zero when absent).

    Columns: ``kind``, ``label`` (Chinese), ``items``.
    """
    counts = articles["kind"].astype("string").value_counts()
    return pd.DataFrame(
        {
            "kind": list(schemas.KINDS),
            "label": [schemas.KIND_LABELS_ZH[k] for k in schemas.KINDS],
            "items": [int(counts.get(k, 0)) for k in schemas.KINDS],
        }
    )


# ---------------------------------------------------------------- calendar


_CAL_DTYPES = ("datetime64[ns]", "int64", "string", "int64", "int64", "int64")


def calendar(pages: pd.DataFrame) -> pd.DataFrame:
    """One row per day of every year that has a dated page, each day's status explicit.

    Columns: ``date``, ``pages`` (pages carrying that date), ``status`` (DAY_PAGE, DAY_MISSING,
    DAY_OUTSIDE), ``year``, ``week`` (0-based column of the day in a GitHub-style grid of its
    year, weeks starting Monday), ``weekday`` (0 = Monday).  Empty when no page has a date.
    """
    dates = _dates(pages)
    columns = ["date", "pages", "status", "year", "week", "weekday"]
    if dates.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(columns, _CAL_DTYPES, strict=True)})
    first, last = dates.min(), dates.max()
    days = pd.date_range(pd.Timestamp(first.year, 1, 1), pd.Timestamp(last.year, 12, 31), freq="D")
    per_day = dates.value_counts().reindex(days, fill_value=0).astype("int64")
    inside = (days >= first) & (days <= last)
    status = pd.Series(DAY_OUTSIDE, index=days, dtype="string")
    status[inside & (per_day.to_numpy() == 0)] = DAY_MISSING
    status[per_day.to_numpy() > 0] = DAY_PAGE
    jan1_weekday = pd.DatetimeIndex([pd.Timestamp(y, 1, 1) for y in days.year]).day_of_week
    out = pd.DataFrame(
        {
            "date": days,
            "pages": per_day.to_numpy(),
            "status": status.to_numpy(),
            "year": days.year.astype("int64"),
            "week": ((days.day_of_year - 1 + jan1_weekday) // 7).astype("int64"),
            "weekday": days.day_of_week.astype("int64"),
        }
    )
    out["status"] = out["status"].astype("string")
    return out


def calendar_years(cal: pd.DataFrame) -> list[int]:
    """Years that have at least one day inside the corpus' date range."""
    inside = cal[cal["status"] != DAY_OUTSIDE]
    return sorted(int(y) for y in inside["year"].unique())


def default_years(cal: pd.DataFrame, limit: int = 3) -> list[int]:
    """The most recent ``limit`` years that have a page: what the daily calendar shows first."""
    with_pages = sorted(int(y) for y in cal.loc[cal["status"] == DAY_PAGE, "year"].unique())
    return with_pages[-limit:]


def month_coverage(cal: pd.DataFrame) -> pd.DataFrame:
    """Per month inside the corpus' date range: ``year``, ``month``, ``days_with_pages``,
    ``missing_days``, ``days`` (days in range), ``pages``, ``share`` (days_with_pages / days)."""
    inside = cal[cal["status"] != DAY_OUTSIDE]
    cols = ("year", "month", "days_with_pages", "missing_days", "days", "pages")
    if inside.empty:
        out = pd.DataFrame({c: pd.Series(dtype="int64") for c in cols})
        return out.assign(share=pd.Series(dtype="float64"))
    flags = inside.assign(
        month=inside["date"].dt.month.astype("int64"),
        with_page=(inside["status"] == DAY_PAGE).astype("int64"),
        missing=(inside["status"] == DAY_MISSING).astype("int64"),
    )
    out = flags.groupby(["year", "month"], as_index=False).agg(
        days_with_pages=("with_page", "sum"),
        missing_days=("missing", "sum"),
        days=("date", "size"),
        pages=("pages", "sum"),
    )
    out = out.astype({c: "int64" for c in cols})
    return out.assign(share=out["days_with_pages"] / out["days"])


def gaps(cal: pd.DataFrame) -> pd.DataFrame:
    """Runs of consecutive missing days: ``start``, ``end``, ``days``; longest first."""
    missing = cal.loc[cal["status"] == DAY_MISSING, "date"].reset_index(drop=True)
    if missing.empty:
        return pd.DataFrame(
            {
                "start": pd.Series(dtype="datetime64[ns]"),
                "end": pd.Series(dtype="datetime64[ns]"),
                "days": pd.Series(dtype="int64"),
            }
        )
    run = (missing.diff() != pd.Timedelta(days=1)).cumsum()
    out = (
        missing.groupby(run)
        .agg(["min", "max", "count"])
        .rename(columns={"min": "start", "max": "end", "count": "days"})
    )
    out["days"] = out["days"].astype("int64")
    return out.sort_values(["days", "start"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------- tables for people


def low_confidence_pages(pages: pd.DataFrame) -> pd.DataFrame:
    """Pages whose date needs a person, least certain first.

    Columns: ``source``, ``date``, ``date_source``, ``date_confidence``, ``date_evidence``.
    """
    cols = ["source", "date", "date_source", "date_confidence", "date_evidence"]
    rows = pages.loc[is_low_confidence(pages), cols]
    return rows.sort_values(["date_confidence", "source"], kind="stable").reset_index(drop=True)


def low_confidence_table(pages: pd.DataFrame) -> pd.DataFrame:
    """:func:`low_confidence_pages` with Chinese headers and values, ready for ``st.dataframe``."""
    rows = low_confidence_pages(pages)
    labels = schemas.labels_zh(schemas.PAGES)
    return pd.DataFrame(
        {
            labels["source"]: rows["source"].astype("string"),
            "推断日期": [format_date_zh(d) for d in rows["date"]],
            labels["date_source"]: [
                schemas.DATE_SOURCE_LABELS_ZH.get(str(s), str(s)) for s in rows["date_source"]
            ],
            "置信度": rows["date_confidence"].astype("float64"),
            "依据": [e if e else "（无）" for e in rows["date_evidence"].astype("string").fillna("")],
        }
    )


# An item the parser is less sure of than this is listed for a person to check.
DOUBTFUL_BELOW = 0.8
DOUBTFUL_LIMIT = 500  # rows shown on the page (the caption says how many there are; the download has all)
REPORT_LIMIT = 500  # rows of the 读取报告 shown (files with problems come first; the download has all)


def doubtful_items(articles: pd.DataFrame) -> pd.DataFrame:
    """Items whose boundaries or headline parts the parser is unsure of, least certain first."""
    rows = articles.loc[articles["confidence"] < DOUBTFUL_BELOW]
    return rows.sort_values(["confidence", "source", "order"], kind="stable").reset_index(drop=True)


def doubtful_table(articles: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """(:func:`doubtful_items` with Chinese headers, every one of them; how many in all).  The page
    shows the first ``DOUBTFUL_LIMIT`` and offers the whole table as a download."""
    rows = doubtful_items(articles)
    shown = rows
    table = pd.DataFrame(
        {
            "日期": [format_date_zh(d) for d in shown["date"]],
            "来源文件": shown["source"].astype("string"),
            "顺序": (shown["order"].astype("int64") + 1).to_numpy(),
            "类型": [schemas.KIND_LABELS_ZH.get(str(k), str(k)) for k in shown["kind"]],
            "标题": [
                " ".join(x for x in (k, t, st) if x) or "（无标题）"
                for k, t, st in zip(shown["kicker"], shown["title"], shown["subtitle"], strict=True)
            ],
            "解析置信度": shown["confidence"].astype("float64").to_numpy(),
            "疑点": shown["doubts"].astype("string").to_numpy(),
        }
    )
    return table, len(rows)


_STATUS_ORDER = {"error": 0, "warning": 1, "ok": 2}


def report_status_counts(report: pd.DataFrame) -> dict[str, int]:
    """{'ok': n, 'warning': n, 'error': n}, every status present."""
    counts = report["status"].astype("string").value_counts()
    return {s: int(counts.get(s, 0)) for s in schemas.STATUSES}


def report_table(report: pd.DataFrame) -> pd.DataFrame:
    """The ingest report with problems first (errors, then warnings), Chinese headers and status.

    A page's parsing problems are already in words in its message (说明).
    """
    order = report["status"].astype("string").map(_STATUS_ORDER).fillna(3)
    rows = report.assign(_order=order).sort_values(["_order", "source"], kind="stable").drop(columns="_order")
    rows = rows.assign(
        status=rows["status"].astype("string").map(lambda s: STATUS_LABELS_ZH.get(s, s)),
        code=rows["code"].astype("string").fillna("").map(lambda c: REPORT_CODE_LABELS_ZH.get(c, c)),
    )
    return rows.rename(columns=schemas.labels_zh(schemas.INGEST_REPORT)).reset_index(drop=True)


def gaps_table(gap_rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "开始": [format_date_zh(d) for d in gap_rows["start"]],
            "结束": [format_date_zh(d) for d in gap_rows["end"]],
            "缺失天数": gap_rows["days"].astype("int64"),
        }
    )


# ---------------------------------------------------------------- everything the page shows


@dataclass(frozen=True)
class Overview:
    summary: CorpusSummary
    metrics: list[Metric]
    kinds: pd.DataFrame
    calendar: pd.DataFrame
    years: list[int]  # years with at least one day in the corpus' date range
    default_years: list[int]  # shown first in the daily calendar
    months: pd.DataFrame  # month_coverage
    gaps: pd.DataFrame  # display table (Chinese headers)
    low_confidence: pd.DataFrame  # display table (Chinese headers)
    doubtful: pd.DataFrame  # items the parser is unsure of: display table (Chinese headers)
    doubtful_count: int  # all of them (the page shows at most DOUBTFUL_LIMIT)
    report: pd.DataFrame  # display table (Chinese headers)
    report_counts: dict[str, int]
    page_nos: pd.DataFrame  # shapes.page_no_counts when some file has a 版次, else empty
    copies_note: str = ""  # copies_note(copies): '' when no article was counted once for two files


def build_overview(
    pages: pd.DataFrame,
    articles: pd.DataFrame,
    report: pd.DataFrame,
    paper: shapes.PaperPages | None = None,
    copies: int = 0,
) -> Overview:
    """What 总览 shows; ``copies``: the articles left out as copies of another file's
    (``Corpus.copies``), said in ``copies_note``."""
    paper = paper if paper is not None else shapes.paper_pages(pages, articles)
    cal = calendar(paper.table)
    summary = summarize(pages, articles, paper)
    page_nos = (
        shapes.page_no_counts(paper) if shapes.has_page_no(pages) else shapes.page_no_counts(paper).head(0)
    )
    doubtful, doubtful_count = doubtful_table(articles)
    return Overview(
        summary=summary,
        metrics=metrics(summary),
        kinds=kind_counts(articles),
        calendar=cal,
        years=calendar_years(cal),
        default_years=default_years(cal),
        months=month_coverage(cal),
        gaps=gaps_table(gaps(cal)),
        low_confidence=low_confidence_table(pages),
        doubtful=doubtful,
        doubtful_count=doubtful_count,
        report=report_table(report),
        report_counts=report_status_counts(report),
        page_nos=page_nos,
        copies_note=copies_note(copies, summary.shape),
    )


def copies_note(n: int, shape: str = shapes.PAGE) -> str:
    """What 总览 says of the articles counted once although two files hold them ('' for none).

    >>> copies_note(0)
    ''
    >>> copies_note(392, shapes.MIXED)
    '有 392 篇文章在同一版面的另一个文件中也有（同一天、同一版次，正文一致），只计一次，上面的文章数与条目数都不含这些重复；它们的文件在下方“读取报告”中标为警告。'
    """
    if n <= 0:
        return ""
    counted = "文章数" if shape == shapes.ARTICLE else "文章数与条目数" if shape == shapes.MIXED else "条目数"
    return (
        f"有 {n:,} 篇文章在同一版面的另一个文件中也有（同一天、同一版次，正文一致），只计一次，"
        f"上面的{counted}都不含这些重复；它们的文件在下方“读取报告”中标为警告。"
    )


CHART_FILES = {
    "kinds": "条目类型",
    "page_nos": "各版次的文章",
    "months": "每月有版面的天数",
    "calendar": "逐日日历",
}


def chart_table(data: Overview, name: str, years: Sequence[int] = ()) -> pd.DataFrame:
    """The numbers a 总览 chart draws (``kinds``, ``page_nos``, ``months``, ``calendar`` of ``years``),
    Chinese headers, for its download.  The calendar: the days of the years inside the corpus' date
    range, with 有版面 / 缺版面 (the days before the first or after the last page are not listed)."""
    if name == "kinds":
        return pd.DataFrame(
            {"类型": data.kinds["label"].astype(str), "条目数": data.kinds["items"].astype("int64")}
        )
    if name == "page_nos":
        p = data.page_nos
        return pd.DataFrame(
            {
                "版次": p["label"].astype(str),
                "版面数": p["pages"].astype("int64"),
                "文章数": p["articles"].astype("int64"),
            }
        )
    if name == "months":
        m = data.months
        return pd.DataFrame(
            {
                "年": m["year"].astype("int64"),
                "月": m["month"].astype("int64"),
                "有版面的天数": m["days_with_pages"].astype("int64"),
                "缺版面的天数": m["missing_days"].astype("int64"),
                "范围内天数": m["days"].astype("int64"),
                "版面数": m["pages"].astype("int64"),
                "有版面天数占比": m["share"].astype("float64"),
            }
        )
    if name == "calendar":
        c = data.calendar
        rows = c[(c["status"] != DAY_OUTSIDE) & c["year"].isin(list(years))]
        return pd.DataFrame(
            {
                "日期": pd.to_datetime(rows["date"]).dt.date.to_numpy(),
                "版面数": rows["pages"].astype("int64").to_numpy(),
                "状态": ["有版面" if s == DAY_PAGE else "缺版面" for s in rows["status"]],
            }
        )
    raise ValueError(f"未知的图：{name}")
