"""The 项目进度 page's state and tables, as pure functions (no streamlit).

A view (:class:`ProgressView`) is what the page shows: the project whose trajectory is drawn, the
metric, subject and date range that filter the figures, and the figure whose sentence is open.
It travels in the page URL (:func:`view_params` / :func:`parse_view`).  Tables have Chinese
headers; every figure keeps its sentence with the value marked 【like this】.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from .overview import format_date_zh
from .views import _one, iso, parse_date  # noqa: F401  (iso re-exported for the page)

P_PROJECT, P_METRIC, P_SUBJECT, P_START, P_END, P_FIGURE = (
    "project",
    "metric",
    "subject",
    "start",
    "end",
    "figure",
)
PARAMS: tuple[str, ...] = (P_PROJECT, P_METRIC, P_SUBJECT, P_START, P_END, P_FIGURE)

METRIC_LABELS_ZH: dict[str, str] = {
    "completion_pct": "完成进度",
    "investment_total": "总投资",
    "investment_planned": "计划投资",
    "investment_completed": "已完成投资",
    "count_done": "已完成项目数",
    "count_ahead": "进度超前项目数",
    "count_on_schedule": "进度正常项目数",
    "count_started": "开工项目数",
    "milestone": "节点（开工、封顶、竣工等）",
}
COUNT_METRICS = ("count_done", "count_ahead", "count_on_schedule", "count_started")
STATUS_ZH = {"done": "已完成", "planned": "计划中", "": ""}
MARK_OPEN, MARK_CLOSE = "【", "】"


@dataclass(frozen=True)
class ProgressView:
    project: str = ""  # project_id whose trajectory is drawn
    metric: str = ""  # '' = every metric
    subject: str = ""  # '' = every subject
    start: dt.date | None = None
    end: dt.date | None = None
    figure: str = ""  # figure_id whose sentence and article are shown


def metric_label(metric: str, unit: str = "") -> str:
    """'完成进度（%）', '已完成投资（亿元）', '已完成项目数（个）': what a number counts, with its unit."""
    label = METRIC_LABELS_ZH.get(metric, metric)
    if metric == "completion_pct":
        unit = "%"
    elif metric in COUNT_METRICS:
        unit = unit or "个"
    return f"{label}（{unit}）" if unit else label


# ---------------------------------------------------------------- URL ↔ view


def parse_view(
    params: Mapping[str, str | Sequence[str]],
    *,
    projects: Iterable[str],
    metrics: Iterable[str],
    subjects: Iterable[str],
    first: dt.date | None = None,
    last: dt.date | None = None,
    default_project: str = "",
) -> ProgressView:
    """The view a URL asks for, keeping only what exists (unknown names are dropped); dates clamped to the corpus."""
    project = _one(params.get(P_PROJECT))
    metric = _one(params.get(P_METRIC))
    subject = _one(params.get(P_SUBJECT))
    start = _clamp(parse_date(params.get(P_START)), first, last) or first
    end = _clamp(parse_date(params.get(P_END)), first, last) or last
    if start is not None and end is not None and start > end:
        start, end = end, start
    projects = list(projects)
    return ProgressView(
        project=project if project in set(projects) else default_project,
        metric=metric if metric in set(metrics) else "",
        subject=subject if subject in set(subjects) else "",
        start=start,
        end=end,
        figure=_one(params.get(P_FIGURE)),
    )


def _clamp(day: dt.date | None, first: dt.date | None, last: dt.date | None) -> dt.date | None:
    if day is None:
        return None
    if first is not None and day < first:
        return first
    if last is not None and day > last:
        return last
    return day


def view_params(view: ProgressView) -> dict[str, str]:
    """The URL parameters of a view (empty ones left out)."""
    out = {
        P_PROJECT: view.project,
        P_METRIC: view.metric,
        P_SUBJECT: view.subject,
        P_START: iso(view.start) or "",
        P_END: iso(view.end) or "",
        P_FIGURE: view.figure,
    }
    return {k: v for k, v in out.items() if v}


def view_from_widgets(
    *,
    project: str | None,
    metric: str | None,
    subject: str | None,
    dates: Sequence[dt.date] | dt.date | None,
    figure: str | None,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> ProgressView:
    """The view the widgets show; open ends of the date range are the corpus' first and last day."""
    if isinstance(dates, dt.date):
        dates = (dates,)
    dates = tuple(dates or ())
    return ProgressView(
        project=project or "",
        metric=metric or "",
        subject=subject or "",
        start=dates[0] if dates else first,
        end=dates[1] if len(dates) > 1 else last,
        figure=figure or "",
    )


def with_figure(view: ProgressView, figure: str | None) -> ProgressView:
    return replace(view, figure=figure or "")


# ---------------------------------------------------------------- figures


def marked(sentence: str, start: int, end: int) -> str:
    """The sentence with characters ``start``..``end`` wrapped in 【】 (unchanged when the offsets do not fit)."""
    if not (0 <= start < end <= len(sentence)):
        return sentence
    return f"{sentence[:start]}{MARK_OPEN}{sentence[start:end]}{MARK_CLOSE}{sentence[end:]}"


def marked_sentences(rows: pd.DataFrame) -> list[str]:
    starts = rows["value_start"].fillna(-1).astype("int64")
    ends = rows["value_end"].fillna(-1).astype("int64")
    texts = rows["sentence"].astype("string").fillna("")
    return [marked(str(s), int(a), int(b)) for s, a, b in zip(texts, starts, ends, strict=True)]


def filter_figures(progress: pd.DataFrame, view: ProgressView) -> pd.DataFrame:
    """The figures of the view's metric, subject and date range (page dates, both ends included), newest first."""
    keep = pd.Series(True, index=progress.index)
    if view.metric:
        keep &= progress["metric"] == view.metric
    if view.subject:
        keep &= progress["subject"] == view.subject
    keep &= _between(progress["date"], view.start, view.end)
    rows = progress[keep.fillna(False).astype(bool)]
    return rows.sort_values(["date", "figure_id"], ascending=[False, True], kind="stable")


def _between(dates: pd.Series, start: dt.date | None, end: dt.date | None) -> pd.Series:
    keep = pd.Series(True, index=dates.index)
    if start is not None:
        keep &= dates >= pd.Timestamp(start)
    if end is not None:
        keep &= dates < pd.Timestamp(end) + pd.Timedelta(days=1)
    return keep


def in_range(frame: pd.DataFrame, view: ProgressView, column: str = "date") -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` lies in the view's date range."""
    return frame[_between(frame[column], view.start, view.end).fillna(False).astype(bool)]


def value_text(value: float, metric: str, unit: str) -> str:
    """'86.4%', '3.74亿元', '15个'; milestones have no value."""
    if metric == "milestone" or pd.isna(value):
        return ""
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    if metric == "completion_pct":
        return f"{number}%"
    return f"{number}{unit or ('个' if metric in COUNT_METRICS else '')}"


def figure_table(rows: pd.DataFrame, project_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every figure with its evidence: Chinese headers, the value marked 【】 in its sentence."""
    names = project_names or {}
    return pd.DataFrame(
        {
            "日期": [format_date_zh(d) for d in rows["date"]],
            "主体": rows["subject"].astype("string").fillna("").tolist(),
            "项目": [names.get(str(p), str(p)) if p else "" for p in rows["project_id"].astype("string").fillna("")],
            "指标": [METRIC_LABELS_ZH.get(str(m), str(m)) for m in rows["metric"]],
            "数值": rows["value"].astype("float64").tolist(),
            "单位": [("%" if m == "completion_pct" else str(u)) for m, u in
                   zip(rows["metric"], rows["unit"].astype("string").fillna(""), strict=True)],
            "时期": rows["period"].astype("string").fillna("").tolist(),
            "节点": rows["event"].astype("string").fillna("").tolist(),
            "状态": [STATUS_ZH.get(str(s), str(s)) for s in rows["status"].astype("string").fillna("")],
            "时间": rows["when"].astype("string").fillna("").tolist(),
            "句子（数值以【】标出）": marked_sentences(rows),
            "来源文件": rows["source"].astype("string").fillna("").tolist(),
            "编号": rows["figure_id"].astype("string").tolist(),
        }
    )  # fmt: skip


def figure_label(row: Mapping) -> str:
    """'2020年7月22日 · 6个省重点建设项目 · 完成进度 86.4%' (a milestone: its event and status)."""
    metric = str(row["metric"])
    if metric == "milestone":
        what = f"{row['event']}（{STATUS_ZH.get(str(row['status']), str(row['status']))}）"
    else:
        what = f"{METRIC_LABELS_ZH.get(metric, metric)} {value_text(row['value'], metric, str(row['unit'] or ''))}"
    return f"{format_date_zh(row['date'])} · {row['subject']} · {what}"


def figure_choices(*frames: pd.DataFrame) -> dict[str, str]:
    """figure_id → :func:`figure_label` for the select box, in the frames' order, each figure once."""
    out: dict[str, str] = {}
    for rows in frames:
        for row in rows.to_dict("records"):
            out.setdefault(str(row["figure_id"]), figure_label(row))
    return out


def evidence(progress: pd.DataFrame, figure_id: str) -> dict | None:
    """The figure's row with its marked sentence (``marked``), or None when there is no such figure."""
    rows = progress[progress["figure_id"] == figure_id]
    if rows.empty:
        return None
    row = rows.iloc[0].to_dict()
    row["marked"] = marked_sentences(rows.head(1))[0]
    row["label"] = figure_label(row)
    return row


def figure_from_points(points: Sequence[Mapping]) -> str | None:
    """The figure_id of the first clicked point (its customdata), or None."""
    for point in points:
        custom = point.get("customdata")
        value = custom[0] if isinstance(custom, list | tuple) and custom else custom
        if isinstance(value, str) and value:
            return value
    return None


def subject_options(progress: pd.DataFrame) -> list[str]:
    """Subjects with at least one figure, most figures first."""
    counts = progress["subject"].astype("string").dropna().value_counts(sort=False)
    counts = counts[counts.index != ""]
    return sorted(counts.index, key=lambda s: (-int(counts[s]), s))


def metric_options(progress: pd.DataFrame) -> list[str]:
    """Metrics present, in METRIC_LABELS_ZH order (unknown metrics after)."""
    present = set(progress["metric"].astype("string").dropna())
    return [m for m in METRIC_LABELS_ZH if m in present] + sorted(present - set(METRIC_LABELS_ZH))


def project_options(progress: pd.DataFrame, names: Mapping[str, str]) -> dict[str, str]:
    """project_id → '名称（N 条）' for projects with figures, most figures first."""
    ids = progress["project_id"].astype("string").dropna()
    counts = ids[ids != ""].value_counts(sort=False)
    order = sorted(counts.index, key=lambda p: (-int(counts[p]), names.get(p, p)))
    return {p: f"{names.get(p, p)}（{int(counts[p])} 条）" for p in order}


def date_bounds(progress: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    dates = progress["date"].dropna()
    return (dates.min().date(), dates.max().date()) if len(dates) else (None, None)
