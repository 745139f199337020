"""The brief's charts as PNG images (matplotlib, Agg backend — no browser, no kaleido), drawn with
the Simplified Chinese face the word cloud extracts (``words.cloud.cjk_font``)."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import numpy as np
import pandas as pd

from pinghu_core.words.cloud import cjk_font

LATER_COLOR, EARLIER_COLOR, GAP_COLOR = "#b2182b", "#9e9e9e", "#eeeeee"
# the charts' wording, the same in the Word file's pictures and on the page (page_charts)
DAILY_TITLE = "每日文章篇数"
SHARES_TITLE = "主题占比：本期与对照时期"
SHARES_AXIS = "占当期新闻报道（新闻、图片新闻、评论）的比例（%）"
GAP_NAME, ARTICLES_NAME = "无版面", "文章篇数"
NO_NEWS = "（无新闻报道）"
DPI = 150


@functools.cache
def _font_name(path: str) -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def _figure(width: float, height: float, cache_dir: Path | None):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    family = _font_name(str(cjk_font(cache_dir)))
    fig = Figure(figsize=(width, height), dpi=DPI)
    return fig, {"family": family}


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _legend_below(ax, family: str, size: float, inches: float) -> None:
    """The legend under the axes, ``inches`` below their bottom edge (past the tick labels and the
    axis title), its entries side by side: inside the axes it covered the tallest bars."""
    from matplotlib.transforms import ScaledTranslation

    entries = len(ax.get_legend_handles_labels()[0])
    ax.legend(
        prop={"family": family, "size": size},
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        bbox_transform=ax.transAxes + ScaledTranslation(0, -inches, ax.figure.dpi_scale_trans),
        ncols=max(1, entries),
        frameon=False,
    )


def theme_shares_png(
    shares: pd.DataFrame, this_label: str, previous_label: str, cache_dir: Path | None = None
) -> bytes | None:
    """Grouped horizontal bars: each theme's share of the news reports in both periods (None without themes)."""
    fig = theme_shares_figure(shares, this_label, previous_label, cache_dir)
    return None if fig is None else _png(fig)


def theme_shares_figure(
    shares: pd.DataFrame, this_label: str, previous_label: str, cache_dir: Path | None = None
):
    """:func:`theme_shares_png`'s figure (a matplotlib ``Figure``; None without themes)."""
    if shares.empty:
        return None
    rows = shares.iloc[::-1]
    n = len(rows)
    fig, font = _figure(7.0, 0.45 * n + 1.4, cache_dir)
    ax = fig.add_subplot()
    y = np.arange(n)
    later = rows["later_share"].to_numpy(dtype=float) * 100
    raw = rows["earlier_share"].to_numpy(dtype=float) * 100
    earlier = np.nan_to_num(raw)
    ax.barh(y + 0.2, later, height=0.38, color=LATER_COLOR, label=this_label)
    gone = bool(np.isnan(raw).all())  # no news report at all then: say so, not bars of zero
    ax.barh(
        y - 0.2,
        earlier,
        height=0.38,
        color=EARLIER_COLOR,
        label=previous_label + (NO_NEWS if gone else ""),
    )
    for yy, v in zip(y + 0.2, later, strict=True):
        ax.text(v, yy, f" {v:.1f}%", va="center", fontsize=7, fontfamily=font["family"])
    ax.set_yticks(y, [str(s) for s in rows["label"]], fontfamily=font["family"], fontsize=8)
    ax.set_xlabel(SHARES_AXIS, fontfamily=font["family"], fontsize=8)
    ax.set_title(SHARES_TITLE, fontfamily=font["family"], fontsize=10)
    _legend_below(ax, font["family"], 8, 0.65)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=7)
    return fig


def daily_png(daily: pd.DataFrame, cache_dir: Path | None = None) -> bytes | None:
    """Articles a day; a day without pages is a grey band, never a zero bar (None without days)."""
    fig = daily_figure(daily, cache_dir)
    return None if fig is None else _png(fig)


def daily_figure(daily: pd.DataFrame, cache_dir: Path | None = None):
    """:func:`daily_png`'s figure (a matplotlib ``Figure``; None without days).  Each series and its
    legend entry only when it has days: an empty one drew a legend patch in matplotlib's default blue
    (“无版面” in a month with a page every day, under a caption that says grey)."""
    if daily.empty:
        return None
    fig, font = _figure(7.0, 2.6, cache_dir)
    ax = fig.add_subplot()
    days = pd.to_datetime(daily["date"])
    values = daily["articles"].to_numpy(dtype=float)
    x = np.arange(len(days))
    gap = np.isnan(values)
    top = np.nanmax(values) if (~gap).any() else 1.0
    if gap.any():
        ax.bar(x[gap], np.full(gap.sum(), top), color=GAP_COLOR, width=1.0, label=GAP_NAME)
    if (~gap).any():
        ax.bar(x[~gap], values[~gap], color=LATER_COLOR, width=0.7, label=ARTICLES_NAME)
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step], [f"{d.month}/{d.day}" for d in days[::step]], fontsize=7)
    ax.set_ylabel("篇", fontfamily=font["family"], fontsize=8, rotation=0, labelpad=10)
    ax.set_title(DAILY_TITLE, fontfamily=font["family"], fontsize=10)
    _legend_below(ax, font["family"], 7, 0.25)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=7)
    return fig
