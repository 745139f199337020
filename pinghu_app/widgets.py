"""Blocks every page draws the same way: download buttons, the 查看全文 picker and the article reader.

Downloads are built when clicked, never on a script run: the button gets a function (Streamlit
calls it when the file is asked for) and ``on_click="ignore"`` (a click does not rerun the page).
Every table goes through :mod:`pinghu_core.common.exports` (Chinese headers, formula-safe cells);
``tests/test_downloads.py`` checks the pages and this module for it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app import state as app_state
from pinghu_core.common import chart_base, exports
from pinghu_core.events import model as ev
from pinghu_core.events import view as ev_view

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/jsonl",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
}

Table = pd.DataFrame | Callable[[], pd.DataFrame]
log = logging.getLogger(__name__)


def chart(
    fig: go.Figure,
    key: str,
    *,
    where=None,
    on_select: Callable[[], None] | None = None,
) -> None:
    """Every Plotly chart of the app: ``fig`` from :func:`chart_base.for_browser` (made where the figure
    is cached), drawn with ``theme=None`` so that the browser draws it once, not twice.  ``on_select``:
    clicking a point reruns with it (points selection; the figure made ``selectable``)."""
    selectable = on_select is not None
    if not chart_base.drawn_once(fig, selectable):  # not made for the browser (as drawn): made now, every run
        log.warning("chart %s: its figure was not made by chart_base.for_browser where it is cached", key)
        fig = chart_base.for_browser(fig, selectable=selectable)
    target = st if where is None else where
    if on_select is None:
        target.plotly_chart(fig, key=key, theme=None, config=chart_base.BROWSER_CONFIG)
    else:
        target.plotly_chart(
            fig,
            key=key,
            theme=None,
            config=chart_base.BROWSER_CONFIG,
            on_select=on_select,
            selection_mode="points",
        )


def table_bytes(table: Table, fmt: str = "csv", sheet: str = "数据") -> bytes:
    """The file of ``table`` (a frame, or a function giving it: computed only now) in ``fmt``."""
    frame = table() if callable(table) else table
    if fmt == "xlsx":
        return exports.xlsx_bytes(frame, sheet)
    return exports.csv_bytes(frame)


def table_download(
    label: str, table: Table, file_name: str, key: str, *, fmt: str = "csv", sheet: str = "数据", where=st
) -> None:
    """A button that downloads ``table`` as CSV (or Excel, ``fmt="xlsx"``), built when clicked."""
    file_download(
        label, functools.partial(table_bytes, table, fmt, sheet), file_name, key, fmt=fmt, where=where
    )


def file_download(
    label: str, build: Callable[[], bytes] | bytes, file_name: str, key: str, *, fmt: str, where=st
) -> None:
    """A button that downloads the bytes ``build`` returns (called when clicked), or ready bytes
    (a picture already drawn on the page).  Table bytes must come from ``exports``."""
    where.download_button(
        label,
        build,
        file_name=file_name,
        mime=MIME[fmt],
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def choice_box(key: str, choices: Mapping[str, str], label: str, placeholder: str) -> None:
    """A select box over ``choices`` (value → its line); a remembered value no longer listed is
    forgotten (the rows behind the box changed)."""
    app_state.seed_widgets({}, options={key: choices})
    st.selectbox(label, list(choices), format_func=choices.get, key=key, placeholder=placeholder)


def article_picker(key: str, choices: Mapping[str, str]) -> None:
    """The 查看全文 box: article id → its line."""
    choice_box(key, choices, "查看全文", "选择一篇文章")


def article_reader(
    lines: Sequence[str],
    close_key: str,
    on_close: Callable[[], None],
    *,
    body: str | None = None,
    close_label: str = "关闭全文",
) -> None:
    """Text in a bordered box (as text, never Markdown) — ``lines``, then ``body`` under a rule —
    with its close button."""
    with st.container(border=True):
        for line in lines:
            st.text(line)
        if body is not None:
            st.divider()
            st.text(body)
        st.button(close_label, key=close_key, on_click=on_close, icon=":material/close:")


def hidden_event_categories(categories: Sequence[str], key: str) -> None:
    """不显示的事件类别 for a time chart (nothing when data/events.toml has no event); the widget of a
    view's ``hide_events`` field."""
    if categories:
        st.multiselect(
            "不显示的事件类别（事件来自 data/events.toml）",
            list(categories),
            select_all=False,
            key=key,
            placeholder="全部显示",
        )


def event_card(event: ev.Event | None, close_key: str, on_close: Callable[[], None]) -> None:
    """The event clicked on a time chart: what, when, its note and source (as text, never Markdown),
    and buttons to its report in 文章检索 and its web page (http(s) only: the events file checks)."""
    if event is None:
        return
    with st.container(border=True):
        st.text(f"事件：{event.label}（{event.when_zh()}，{event.category}）")
        for line in (event.note, f"出处：{event.source}" if event.source else ""):
            if line:
                st.text(line)
        c1, c2, c3, _ = st.columns([1, 1, 1, 2])
        if event.article:
            c1.link_button("打开报道", ev_view.article_link(event.article), icon=":material/article:")
        if event.link:
            c2.link_button("打开网址", event.link, icon=":material/open_in_new:")
        c3.button("关闭", key=close_key, on_click=on_close, icon=":material/close:")
