"""What the 简报 page shows: its view (the period, in the URL), the periods offered, the cited
articles as a table with links to 文章检索, and the file names of the downloads (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from pinghu_core.brief import period as bp
from pinghu_core.brief.model import Brief, citation_date
from pinghu_core.common.viewspec import CORPUS, DATE_END, DATE_START, Context, param
from pinghu_core.events.view import article_link

GRANULARITIES: dict[str, str] = {bp.MONTH: "月", bp.QUARTER: "季度", bp.RANGE: "日期范围"}


@dataclass(frozen=True)
class BriefView:
    """The period of the brief: a month, a quarter or a date range (and the cited article open)."""

    granularity: str = param(bp.MONTH, "kind", widget="brief.granularity", options="granularities")
    month: str = param("", "month", widget="brief.month", options="months")
    quarter: str = param("", "quarter", widget="brief.quarter", options="quarters")
    start: dt.date | None = param(None, "start", widget="brief.dates", kind=DATE_START, ends=CORPUS)
    end: dt.date | None = param(None, "end", widget="brief.dates", kind=DATE_END, ends=CORPUS)
    article: str = param("", "article", widget="brief.article", rows=False, widget_none=True)

    def period(self) -> bp.Period | None:
        """The period asked for (None while a month, quarter or range is not chosen)."""
        try:
            if self.granularity == bp.QUARTER:
                return bp.parse_period(self.quarter) if self.quarter else None
            if self.granularity == bp.RANGE:
                return bp.date_range(self.start, self.end) if self.start and self.end else None
            return bp.parse_period(self.month) if self.month else None
        except bp.PeriodError:
            return None


def month_options(dates: pd.Series) -> dict[str, str]:
    """'2020-07' → '2020年7月（12 天有版面）' for every month with pages, newest first."""
    days = pd.Series(pd.to_datetime(dates).dropna().dt.normalize().unique())
    if days.empty:
        return {}
    counts = days.dt.strftime("%Y-%m").value_counts().sort_index(ascending=False)
    return {code: f"{bp.parse_period(code).label}（{n} 天有版面）" for code, n in counts.items()}


def quarter_options(dates: pd.Series) -> dict[str, str]:
    """'2020Q3' → '2020年第3季度（40 天有版面）', newest first."""
    days = pd.Series(pd.to_datetime(dates).dropna().dt.normalize().unique())
    if days.empty:
        return {}
    codes = days.dt.year.astype(str) + "Q" + ((days.dt.month - 1) // 3 + 1).astype(str)
    counts = codes.value_counts().sort_index(ascending=False)
    return {code: f"{bp.parse_period(code).label}（{n} 天有版面）" for code, n in counts.items()}


def context(dates: pd.Series, first: dt.date | None, last: dt.date | None) -> Context:
    """The choices and defaults of the page: the newest month and quarter with pages."""
    months, quarters = month_options(dates), quarter_options(dates)
    defaults = {"month": next(iter(months), ""), "quarter": next(iter(quarters), "")}
    return Context(
        options={"granularities": GRANULARITIES, "months": months, "quarters": quarters},
        first=first,
        last=last,
        defaults=defaults,
    )


def with_article(view: BriefView, article: str | None) -> BriefView:
    return replace(view, article=article or "")


CITATION_COLUMNS = ("序号", "日期", "版面", "标题", "编号", "文章检索")


def citation_table(brief: Brief) -> pd.DataFrame:
    """The cited articles, numbered as in the sentences, each with its link to 文章检索."""
    rows = brief.citations
    return pd.DataFrame(
        {
            "序号": range(1, len(rows) + 1),
            "日期": [citation_date(c) for c in rows],
            "版面": [c.page for c in rows],
            "标题": [c.headline for c in rows],
            "编号": [c.article_id for c in rows],
            "文章检索": [article_link(c.article_id) for c in rows],
        },
        columns=list(CITATION_COLUMNS),
    )


NUMBER_COLUMNS = ("章节", "数字", "所计的对象", "分子", "分母")


def numbers_table(brief: Brief) -> pd.DataFrame:
    """Every number printed, with what it counts (and a share's numerator and denominator)."""
    rows = [
        (section.title, num.text, num.counts, num.numerator, num.denominator)
        for section in brief.sections
        for sentence in section.sentences
        for num in sentence.numbers
    ]
    return pd.DataFrame(rows, columns=list(NUMBER_COLUMNS))


def daily_table(brief: Brief) -> pd.DataFrame:
    """The data of the 每日文章篇数 chart: each day of the period and its articles (empty on a day
    without pages — a gap, not zero)."""
    return pd.DataFrame(
        {
            "日期": pd.to_datetime(brief.daily["date"]).dt.date.tolist(),
            "文章篇数": brief.daily["articles"].astype("Int64").tolist(),
        }
    )


def theme_shares_table(brief: Brief) -> pd.DataFrame:
    """The data of the 主题占比 chart: each theme's share of the news reports in both periods (%)."""
    shares = brief.theme_shares
    return pd.DataFrame(
        {
            "主题": shares["label"].astype(str).tolist(),
            f"{brief.period_label}占比(%)": (shares["later_share"] * 100).round(1).tolist(),
            f"{brief.previous_label}占比(%)": (shares["earlier_share"] * 100).round(1).tolist(),
        }
    )


def citation_choices(brief: Brief) -> dict[str, str]:
    """article_id → '［3］2020年7月22日 · 标题' for the 查看全文 box."""
    return {
        c.article_id: f"［{i}］{citation_date(c)} · {c.headline}"
        for i, c in enumerate(brief.citations, start=1)
    }


def file_name(brief: Brief, suffix: str) -> str:
    """'2020年7月简报.docx'."""
    return f"{brief.period_label}简报.{suffix}"
