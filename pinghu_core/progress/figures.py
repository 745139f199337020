"""Project progress across pages: the latest completion per project, one project's trajectory, and
planned vs completed investment side by side (pure pandas over the ``progress`` frame that
:mod:`pinghu_core.parse.progress` extracts)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pinghu_core.parse.progress import COMPLETION

PAIR_METRICS = ("investment_planned", "investment_completed")  # what investment_pairs reads


def _key(progress: pd.DataFrame) -> pd.Series:
    return progress["project_id"].where(progress["project_id"] != "", progress["subject"])


def latest_completion(progress: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
    """The latest ``completion_pct`` per project (or subject when it has no id), with its period and date.

    ``rows``: the positions of ``progress`` to look at, in order (None: every row) — the figures
    of a view, without a copy of them.  The latest figure of each project is found on the key
    columns alone; only the rows kept are taken whole (sentences too), not every figure in range."""
    cols = [
        "subject",
        "project_id",
        "scope",
        "metric",
        "value",
        "unit",
        "period",
        "date",
        "figure_id",
        "article_id",
        "source",
        "sentence",
        "value_start",
        "value_end",
    ]
    pos = np.arange(len(progress), dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
    completion = (progress["metric"] == COMPLETION).to_numpy(dtype=bool, na_value=False)
    pos = pos[completion[pos]]
    if not len(pos):
        return progress[cols].iloc[pos].reset_index(drop=True)
    done = progress[["project_id", "subject", "date", "figure_id"]].iloc[pos].assign(_pos=pos)
    done = done.assign(_key=_key(done)).sort_values(["date", "figure_id"], kind="stable", na_position="first")
    latest = done.groupby("_key", sort=False).tail(1)
    chosen = latest.sort_values("date", ascending=False, kind="stable")["_pos"].to_numpy()
    return progress[cols].iloc[chosen].reset_index(drop=True)


def trajectory(progress: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """Figures and milestones of one project, ordered by page date (then by position)."""
    rows = progress[progress["project_id"] == project_id]
    return rows.sort_values(["date", "figure_id"], kind="stable").reset_index(drop=True)


def investment_pairs(progress: pd.DataFrame) -> pd.DataFrame:
    """Planned and completed investment of a subject given in the same article, side by side."""
    cols = ["subject", "project_id", "date", "period", "planned", "completed", "unit"]
    inv = progress[progress["metric"].isin(list(PAIR_METRICS))]
    if inv.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="float64" if c in ("planned", "completed") else "object") for c in cols}
        )
    keys = ["article_id", "subject", "project_id", "unit"]
    first = (
        inv.groupby([*keys, "metric"], sort=False)
        .agg(value=("value", "first"), date=("date", "first"), period=("period", "last"))
        .reset_index()
    )
    wide = first.pivot_table(index=keys, columns="metric", values="value", aggfunc="first").reset_index()
    if not {"investment_planned", "investment_completed"} <= set(wide.columns):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    wide = wide.dropna(subset=["investment_planned", "investment_completed"])
    meta = first[first["metric"] == "investment_completed"][[*keys, "date", "period"]]
    out = wide.merge(meta, on=keys, how="left").rename(
        columns={"investment_planned": "planned", "investment_completed": "completed"}
    )
    return out.sort_values("date", kind="stable")[cols].reset_index(drop=True)


_PRINTED_UNITS = ("%", "％", "亿美元", "万美元", "亿元", "万元", "个")


def highlight(sentence: str, start: int, end: int) -> str:
    """The sentence with the value ``sentence[start:end]`` and the unit printed right after it
    wrapped in 【】 (unchanged when the span is empty).

    >>> highlight("施工量已完成约85%，预计", 7, 9)
    '施工量已完成约【85%】，预计'
    """
    if not (0 <= start < end <= len(sentence)):
        return sentence
    end += next((len(u) for u in _PRINTED_UNITS if sentence.startswith(u, end)), 0)
    return f"{sentence[:start]}【{sentence[start:end]}】{sentence[end:]}"
