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

import numpy as np
import pandas as pd

from pinghu_core.common import viewspec
from pinghu_core.common.daterange import in_range as dates_in_range
from pinghu_core.common.viewspec import CORPUS, DATE_END, DATE_START, MANY, param
from pinghu_core.common.wording import capped_zh, day_values, format_date_zh
from pinghu_core.events.overlay import EVENT_POINT
from pinghu_core.progress.figures import highlight

METRIC_LABELS_ZH: dict[str, str] = {
    "completion_pct": "完成进度",
    "investment_total": "总投资",
    "investment_planned": "计划投资",
    "investment_completed": "已完成投资",
    "count_done": "已完成项目数",
    "count_ahead": "进度超前项目数",
    "count_on_schedule": "进度正常项目数",
    "count_started": "开工项目数",
    "count_behind": "进度滞后项目数",
    "growth_pct": "增长率",
    "share_pct": "占比",
    "rate_pct": "比率",
    "reduction_pct": "降幅",
    "milestone": "节点（开工、封顶、竣工等）",
}
COUNT_METRICS = ("count_done", "count_ahead", "count_on_schedule", "count_started", "count_behind")
PCT_METRICS = ("completion_pct", "growth_pct", "share_pct", "rate_pct", "reduction_pct")
STATUS_ZH = {"done": "已完成", "planned": "计划中", "": ""}


@dataclass(frozen=True)
class ProgressView:
    """What the page shows; each field declares its URL parameter and widget
    (:mod:`pinghu_core.common.viewspec`).  Without a known ``project`` the first project is drawn
    (:func:`context`)."""

    project: str = param("", "project", widget="progress.project", options="projects", widget_none=True)
    metric: str = param(
        "", "metric", widget="progress.metric", options="metrics", widget_none=True
    )  # '' = every
    subject: str = param("", "subject", widget="progress.subject", options="subjects", widget_none=True)
    start: dt.date | None = param(None, "start", widget="progress.dates", kind=DATE_START, ends=CORPUS)
    end: dt.date | None = param(None, "end", widget="progress.dates", kind=DATE_END, ends=CORPUS)
    figure: str = param(
        "", "figure", widget="progress.figure", rows=False, widget_none=True
    )  # sentence shown
    hide_events: tuple[str, ...] = param(
        (), "hide_events", widget="progress.hide_events", kind=MANY, options="event_categories", rows=False
    )  # categories of data/events.toml not drawn on the trajectory


def metric_label(metric: str, unit: str = "") -> str:
    """'完成进度（%）', '已完成投资（亿元）', '已完成项目数（个）': what a number counts, with its unit."""
    label = METRIC_LABELS_ZH.get(metric, metric)
    if metric in PCT_METRICS:
        unit = "%"
    elif metric in COUNT_METRICS:
        unit = unit or "个"
    return f"{label}（{unit}）" if unit else label


# ---------------------------------------------------------------- URL ↔ view (declared on ProgressView)


def context(
    *,
    projects: Iterable[str],
    metrics: Iterable[str],
    subjects: Iterable[str],
    first: dt.date | None = None,
    last: dt.date | None = None,
    default_project: str = "",
    event_categories: Iterable[str] = (),
) -> viewspec.Context:
    """What the view's checks need, and the project drawn when the URL names none it knows."""
    options = {"projects": list(projects), "metrics": list(metrics), "subjects": list(subjects)}
    options["event_categories"] = list(event_categories)
    return viewspec.Context(options, first, last, {"project": default_project})


def parse_view(params: Mapping[str, str | Sequence[str]], **ctx) -> ProgressView:
    """The view a URL asks for, keeping only what exists (unknown names are dropped); dates clamped to the corpus."""
    return viewspec.from_url(ProgressView, params, context(**ctx))


def view_params(view: ProgressView) -> dict[str, str]:
    """The URL parameters of a view (empty ones left out)."""
    return viewspec.to_url(view)


def with_figure(view: ProgressView, figure: str | None) -> ProgressView:
    return replace(view, figure=figure or "")


# ---------------------------------------------------------------- figures


def marked_sentences(rows: pd.DataFrame) -> list[str]:
    starts = rows["value_start"].fillna(-1).astype("int64")
    ends = rows["value_end"].fillna(-1).astype("int64")
    texts = rows["sentence"].astype("string").fillna("")
    return [highlight(str(s), int(a), int(b)) for s, a, b in zip(texts, starts, ends, strict=True)]


def filter_figures(progress: pd.DataFrame, view: ProgressView) -> pd.DataFrame:
    """The figures of the view's metric, subject and date range (page dates, both ends included), newest first."""
    keep = pd.Series(True, index=progress.index)
    if view.metric:
        keep &= progress["metric"] == view.metric
    if view.subject:
        keep &= progress["subject"] == view.subject
    keep &= dates_in_range(progress["date"], view.start, view.end)
    rows = progress[keep.fillna(False).astype(bool)]
    return rows.sort_values(["date", "figure_id"], ascending=[False, True], kind="stable")


def newest_first(progress: pd.DataFrame) -> np.ndarray:
    """Row positions of every figure in :func:`filter_figures`'s order (newest first, then by
    figure_id): sorted once per corpus, a view's rows are then a mask over it
    (:func:`figure_positions`) — a stable sort of a subset keeps the order of the whole."""
    keys = pd.DataFrame({"date": progress["date"].to_numpy(), "figure_id": progress["figure_id"].to_numpy()})
    order = keys.sort_values(["date", "figure_id"], ascending=[False, True], kind="stable")
    return order.index.to_numpy(dtype="int64")


def figures_of(
    progress: pd.DataFrame, view: ProgressView, metrics: Iterable[str], order: np.ndarray
) -> pd.DataFrame:
    """:func:`filter_figures` of the view's subject and dates (every metric) cut to the rows of
    ``metrics``, given :func:`newest_first` of ``progress``: only those rows are copied.  What reads
    one metric of the scope (``figures.latest_completion``, ``figures.investment_pairs``, which keep
    only their metrics' rows, in order) gives the same frame from it — without a copy and a sort of
    every figure in the range (on ten times the corpus 478,382 figures, sentences too: +200 MB at
    项目进度's first open)."""
    rows = figure_positions(progress, replace(view, metric=""), order)
    wanted = progress["metric"].isin(list(metrics)).to_numpy(dtype=bool)
    return progress.iloc[rows[wanted[rows]]]


def figure_positions(progress: pd.DataFrame, view: ProgressView, order: np.ndarray) -> np.ndarray:
    """Row positions of :func:`filter_figures` (``progress.iloc`` of them is the same frame), given
    :func:`newest_first` of ``progress``: numpy masks instead of a copy and a sort per view."""
    keep = dates_in_range(progress["date"], view.start, view.end)
    if view.metric:
        keep &= (progress["metric"] == view.metric).fillna(False).to_numpy(dtype=bool)
    if view.subject:
        keep &= (progress["subject"] == view.subject).fillna(False).to_numpy(dtype=bool)
    return order[keep[order]]


def in_range(frame: pd.DataFrame, view: ProgressView, column: str = "date") -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` lies in the view's date range."""
    return frame[dates_in_range(frame[column], view.start, view.end)]


def value_text(value: float, metric: str, unit: str) -> str:
    """'86.4%', '3.74亿元', '15个'; milestones have no value."""
    if metric == "milestone" or pd.isna(value):
        return ""
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    if metric in PCT_METRICS:
        return f"{number}%"
    return f"{number}{unit or ('个' if metric in COUNT_METRICS else '')}"


def figure_table(rows: pd.DataFrame, project_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every figure with its evidence: Chinese headers, the value marked 【】 in its sentence."""
    names = project_names or {}
    return pd.DataFrame(
        {
            "日期": day_values(rows["date"]),
            "主体": rows["subject"].astype("string").fillna("").tolist(),
            "项目": [
                names.get(str(p), str(p)) if p else "" for p in rows["project_id"].astype("string").fillna("")
            ],
            "指标": [METRIC_LABELS_ZH.get(str(m), str(m)) for m in rows["metric"]],
            "数值": rows["value"].astype("float64").tolist(),
            "单位": [
                ("%" if m in PCT_METRICS else str(u))
                for m, u in zip(rows["metric"], rows["unit"].astype("string").fillna(""), strict=True)
            ],
            "时期": rows["period"].astype("string").fillna("").tolist(),
            "节点": rows["event"].astype("string").fillna("").tolist(),
            "状态": [STATUS_ZH.get(str(s), str(s)) for s in rows["status"].astype("string").fillna("")],
            "时间": rows["when"].astype("string").fillna("").tolist(),
            "句子（数值以【】标出）": marked_sentences(rows),
            "来源文件": rows["source"].astype("string").fillna("").tolist(),
            "编号": rows["figure_id"].astype("string").tolist(),
        }
    )


def with_evidence(latest: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``progress.latest_completion`` with their figure_id and value offsets (looked up in
    ``progress`` by article, subject and value) when they lack them."""
    need = [c for c in ("figure_id", "value_start", "value_end") if c not in latest.columns]
    if not need or latest.empty:
        return latest if not need else latest.assign(**{c: pd.Series(dtype="object") for c in need})
    keys = ["article_id", "subject", "value"]
    found = progress[progress["metric"] == "completion_pct"].drop_duplicates(keys)[[*keys, *need]]
    return latest.merge(found, on=keys, how="left")


def figure_label(row: Mapping) -> str:
    """'2020年7月22日 · 6个省重点建设项目 · 完成进度 86.4%' (a milestone: its event and status).

    Rows of ``progress.latest_completion`` have no metric column: they are completion figures."""
    metric = str(row.get("metric") or "completion_pct")
    if metric == "milestone":
        status = str(row.get("status") or "")
        what = f"{row.get('event')}（{STATUS_ZH.get(status, status) or '状态未注明'}）"
    else:
        what = f"{METRIC_LABELS_ZH.get(metric, metric)} {value_text(row['value'], metric, str(row.get('unit') or ''))}"
    return f"{format_date_zh(row['date'])} · {row['subject']} · {what}"


def recent_figures(rows: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """The ``limit`` (default CHOICE_LIMIT) most recently reported of ``rows`` (what a select box
    can sensibly list)."""
    return rows.sort_values("date", ascending=False, kind="stable").head(limit or CHOICE_LIMIT)


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


def trajectory_span(rows: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The first and last page date of a trajectory (None when it has no dated row)."""
    dates = pd.to_datetime(rows["date"]).dropna() if len(rows) else pd.Series([], dtype="datetime64[ns]")
    if dates.empty:
        return None
    return dates.min().date(), dates.max().date()


def figure_from_points(points: Sequence[Mapping]) -> str | None:
    """The figure_id of the first clicked point (its customdata), or None (an event's marker is not
    a figure)."""
    for point in points:
        custom = point.get("customdata")
        value = custom[0] if isinstance(custom, list | tuple) and custom else custom
        if isinstance(value, str) and value and value != EVENT_POINT:
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


# ---------------------------------------------------------------- chart data

LATEST_LIMIT = 30  # bars in the latest-completion chart (most recently reported first)
INVEST_LIMIT = 20  # subject–period rows in the investment chart (most recent first)
TABLE_LIMIT = 500  # rows of the figure table sent to the browser (downloads have every row)
TRAJECTORY_POINTS_MAX = 300  # a project's figures of one metric drawn on its trajectory: more are
# sampled evenly in date order, the first and the last kept (one project of the ten-year corpus has
# 1,715: drawing them all cost the browser three times the CPU of 300; the caption says so, the
# date range shows every figure of a shorter span, and the download has them all)
CHOICE_LIMIT = 200  # drawn figures offered in the 原句 select box, newest first (any point opens by a click)


def unique_labels(labels: Iterable[str]) -> list[str]:
    """Labels made distinct for a category axis: a repeated one gets （2）, （3）…"""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label}（{seen[label]}）")
    return out


def latest_shown(latest: pd.DataFrame) -> pd.DataFrame:
    """The bars drawn: the LATEST_LIMIT most recently reported subjects, newest first."""
    return latest.sort_values("date", ascending=False, kind="stable").head(LATEST_LIMIT)


def latest_table(latest: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Exactly the data of the latest-completion chart, for download."""
    names = names or {}
    return pd.DataFrame(
        {
            "主体": latest["subject"].astype("string").fillna("").tolist(),
            "项目": [names.get(str(p), "") for p in latest["project_id"].astype("string").fillna("")],
            "完成进度（%）": latest["value"].astype("float64").tolist(),
            "统计期": latest["period"].astype("string").fillna("").tolist(),
            "见报日期": day_values(latest["date"]),
            "原句（数值以【】标出）": marked_sentences(latest),
            "来源文件": latest["source"].astype("string").fillna("").tolist(),
        }
    )


def investment_shown(pairs: pd.DataFrame) -> pd.DataFrame:
    """The rows drawn: the INVEST_LIMIT most recent subject–period pairs in the main unit (亿元 when
    present: amounts in different currencies never share an axis), newest first."""
    rows = pairs[pairs["unit"].astype("string").fillna("") == investment_unit(pairs)]
    return rows.sort_values("date", ascending=False, kind="stable").head(INVEST_LIMIT).reset_index(drop=True)


def investment_unit(pairs: pd.DataFrame) -> str:
    """亿元 when any pair is in 亿元, else the most frequent unit ('' for no pairs)."""
    units = pairs["unit"].astype("string").fillna("")
    if (units == "亿元").any() or units.empty:
        return "亿元" if len(units) else ""
    return str(units.mode().iloc[0])


def other_unit_rows(pairs: pd.DataFrame) -> int:
    """Pairs left out of the chart because their unit differs (e.g. 亿美元)."""
    return int((pairs["unit"].astype("string").fillna("") != investment_unit(pairs)).sum())


def investment_caption(pairs: pd.DataFrame) -> str:
    """What the investment chart shows, and how many pairs in another currency it leaves out."""
    unit = investment_unit(pairs)
    same = len(pairs) - other_unit_rows(pairs)
    text = f"同一篇报道同时给出计划投资和已完成投资的主体，按见报日期由近及远（以{unit}计）。"
    capped = capped_zh(INVEST_LIMIT, same, "组", download=False)
    others = other_unit_rows(pairs)
    return (
        text
        + capped
        + (
            f"另有 {others:,} 组以其他货币单位计，不画在同一坐标轴上，见下载的文件和下方数据表。"
            if others
            else ""
        )
    )


def investment_labels(pairs: pd.DataFrame) -> list[str]:
    """'130个项目（1至6月份 · 2020年7月22日）' per row."""
    return unique_labels(
        f"{s}（{p + ' · ' if p else ''}{format_date_zh(d)}）"
        for s, p, d in zip(
            pairs["subject"], pairs["period"].astype("string").fillna(""), pairs["date"], strict=True
        )
    )


def investment_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Exactly the data of the investment chart, for download."""
    planned, completed = pairs["planned"].astype("float64"), pairs["completed"].astype("float64")
    return pd.DataFrame(
        {
            "主体": pairs["subject"].astype("string").fillna("").tolist(),
            "统计期": pairs["period"].astype("string").fillna("").tolist(),
            "见报日期": day_values(pairs["date"]),
            "计划投资": planned.tolist(),
            "已完成投资": completed.tolist(),
            "单位": pairs["unit"].astype("string").fillna("").tolist(),
            "完成计划的比例（%）": (completed / planned.where(planned > 0) * 100).round(1).tolist(),
        }
    )


def trajectory_metric(traj: pd.DataFrame, wanted: str = "") -> tuple[str, str]:
    """(metric, unit) the trajectory draws: ``wanted`` when the project has it, else completion_pct,
    else its most frequent numeric metric; ('', '') when it has milestones only."""
    numeric = traj[(traj["metric"] != "milestone") & traj["value"].notna()]
    present = numeric["metric"].astype(str)
    for choice in (wanted, "completion_pct"):
        if choice and (present == choice).any():
            break
    else:
        choice = present.value_counts().index[0] if len(present) else ""
    units = numeric.loc[present == choice, "unit"].astype(str)
    return choice, (units.mode().iloc[0] if len(units) else "")


def with_project(view: ProgressView, project: str | None) -> ProgressView:
    return replace(view, project=project or "")


def figure_rows(progress: pd.DataFrame, figure_id: str) -> pd.DataFrame:
    """The row of one figure (none when ``figure_id`` is empty or unknown)."""
    return progress[progress["figure_id"] == figure_id] if figure_id else progress.head(0)


def filter_zh(view: ProgressView) -> str:
    """'指标：完成进度 · 主体：全部' — what the table is filtered by."""
    metric = METRIC_LABELS_ZH.get(view.metric, view.metric) if view.metric else "全部"
    return f"指标：{metric} · 主体：{view.subject or '全部'}"


def trajectory_drawn(traj: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The rows the trajectory chart draws: the figures of ``metric`` and the milestones."""
    return traj[((traj["metric"] == metric) & traj["value"].notna()) | (traj["metric"] == "milestone")]


def trajectory_shown(traj: pd.DataFrame, metric: str, limit: int | None = None) -> pd.DataFrame:
    """``traj`` with at most ``limit`` (default TRAJECTORY_POINTS_MAX) figures of ``metric``, taken
    evenly in date order — the first and the last always — so the chart still spans the whole
    range; every milestone and other metric kept: what the chart draws."""
    limit = limit or TRAJECTORY_POINTS_MAX
    values = traj[(traj["metric"] == metric) & traj["value"].notna()] if metric else traj.head(0)
    if len(values) <= limit:
        return traj
    ordered = values.sort_values("date", kind="stable").index
    kept = ordered[np.unique(np.linspace(0, len(ordered) - 1, limit).round().astype(int))]
    return traj.drop(index=ordered.difference(kept))


def trajectory_caption(drawn: pd.DataFrame, metric: str, unit: str = "") -> str:
    """What the trajectory chart draws, said for what is there: the figures' line, the kinds of
    milestones drawn (solid, hollow, grey), figures of one day left unjoined; a sample of
    TRAJECTORY_POINTS_MAX figures when there are more; and how to open a sentence."""
    parts = []
    values = drawn[(drawn["metric"] == metric) & drawn["value"].notna()] if metric else drawn.head(0)
    if len(values):
        same_day = bool(values["date"].duplicated().any())
        parts.append(
            f"圆点是{metric_label(metric, unit)}，按见报日期画出"
            + ("；同一天见报的几个数值不连线、不标数，数值见悬停提示" if same_day else "")
        )
    if len(values) > TRAJECTORY_POINTS_MAX:
        parts.append(
            f"数值较多，图中按见报日期均匀抽取 {TRAJECTORY_POINTS_MAX:,} 个（共 {len(values):,} 个，"
            f"含最早和最近的；见报日期范围内不超过 {TRAJECTORY_POINTS_MAX:,} 个时全部画出），下载的轨迹数据包含全部"
        )
    statuses = set(drawn.loc[drawn["metric"] == "milestone", "status"].astype("string").fillna(""))
    shapes = {
        "done": "实心绿色菱形是已完成的节点",
        "planned": "空心橙色菱形是计划中的节点（画在其计划时间）",
        "": "灰色空心圆是报道没说完成与否的节点",
    }
    parts += [shapes[s] for s in ("done", "planned", "") if s in statuses]
    if not parts:
        return ""
    return "；".join(parts) + "。点击数据点或节点查看原句和文章。"


def table_label_zh(rows: int) -> str:
    """The label of the expander that holds the figure table.

    >>> table_label_zh(1623)
    '查看数据表（最近 500 条）'
    >>> table_label_zh(12)
    '查看数据表（12 条）'
    """
    return f"查看数据表（最近 {TABLE_LIMIT:,} 条）" if rows > TABLE_LIMIT else f"查看数据表（{rows:,} 条）"


def table_limit_zh(rows: int) -> str:
    """Says that the table shows the newest TABLE_LIMIT rows when there are more (downloads have all)."""
    return capped_zh(TABLE_LIMIT, rows, "条")


def project_problem_zh(problem: object) -> str:
    """A malformed project file, where, and what the page does meanwhile."""
    path = getattr(problem, "path", None)
    name = path.name if path is not None else "projects.toml"
    message = str(getattr(problem, "message_zh", problem))
    head = message if name in message else f"项目文件 {name} 有误：{message}"
    return f"{head}\n\n请改正这个文件；在此之前，项目按报道中的名称自动归并（同名项目合在一起，别名不合并）。"
