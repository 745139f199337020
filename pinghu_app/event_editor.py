"""事件's sections (``pages/events.py``): the table of events for everybody, and for editors the
form that adds, changes or deletes one and the log of changes made there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from pinghu_app import events as app_events
from pinghu_app import widgets
from pinghu_app.state import Keys
from pinghu_core.common import wording
from pinghu_core.events import model as ev
from pinghu_core.events import store
from pinghu_core.events import view as event_view

MODES = ("新增", "修改", "删除")


def events_table(events: ev.EventList, editor: bool) -> None:
    """The events with their reports, and the table's downloads (CSV, Excel)."""
    table = event_view.events_table(events)
    if table.empty:
        st.info("还没有事件。" + ("可在下方新增。" if editor else "请编辑事件文件加入事件。"))
        return
    st.dataframe(
        table,
        hide_index=True,
        placeholder=wording.MISSING,
        key=Keys.EVENTS_TABLE,
        column_config={
            "报道": st.column_config.LinkColumn("报道", display_text="打开报道"),
            "网址": st.column_config.LinkColumn("网址"),
            "说明": st.column_config.TextColumn(width="large"),
        },
    )
    d1, d2 = st.columns([1, 3])
    widgets.table_download("下载事件表（CSV）", table, "事件.csv", Keys.EVENTS_CSV, where=d1)
    widgets.table_download(
        "下载事件表（Excel）", table, "事件.xlsx", Keys.EVENTS_XLSX, fmt="xlsx", sheet="事件", where=d2
    )


def pick_event(events: ev.EventList) -> ev.Event | None:
    """The 选择事件 box; None when there is no event.  A new box whenever the file changed (its key
    carries the digest): a kept box went on showing an edited event's old label, its value (the id)
    being unchanged; the event last picked stays picked."""
    choices = event_view.event_choices(events)
    if not choices:
        st.info("还没有可修改的事件。")
        return None
    options = list(choices)
    last = st.session_state.get(Keys.EVENTS_PICKED)
    pick = st.selectbox(
        "选择事件",
        options,
        index=options.index(last) if last in choices else 0,
        format_func=choices.get,
        key=f"{Keys.EVENTS_PICK}.{events.digest}",
    )
    st.session_state[Keys.EVENTS_PICKED] = pick
    return events.get(pick)


def editor(events: ev.EventList, seen: str, who: str) -> None:
    """新增、修改或删除事件: each change checked against the file as it was when the form was filled
    (``seen``, its digest) and written with ``who`` in the log; the result is shown after a rerun."""
    st.subheader("新增、修改或删除事件")
    mode = st.radio("操作", MODES, horizontal=True, key=Keys.EVENTS_MODE)
    picked = None
    if mode != "新增":
        picked = pick_event(events)
        if picked is None:
            return
    if mode == "删除" and picked is not None:
        _delete(picked, seen, who)
    else:
        _form(mode, picked, seen, who)


def _delete(picked: ev.Event, seen: str, who: str) -> None:
    confirm = f"{Keys.EVENTS_CONFIRM}.{picked.id}"  # one per event: a tick never carries over to the next
    st.checkbox(f"确认删除“{picked.label}”（删除前的文件会保存在修改记录中，可以恢复）", key=confirm)
    if st.button("删除", type="primary", disabled=not st.session_state.get(confirm)):
        st.session_state[Keys.EVENTS_RESULT] = app_events.submit(
            store.DELETE, {"label": picked.label}, event_id=picked.id, expected_digest=seen, who=who
        )
        st.rerun()


def _form(mode: str, picked: ev.Event | None, seen: str, who: str) -> None:
    seed = picked or ev.Event("", dt.date.today(), None, "")
    # a new form for each event and after each change saved: 新增 is empty again and 修改 shows what
    # was saved (a second click cannot add the same event twice); a refused change keeps its input
    form = f"{mode}.{seed.id}.{st.session_state.get(Keys.EVENTS_ROUND, 0)}"
    span = st.toggle("一段时间（否则为一天）", value=seed.end is not None, key=f"{Keys.EVENTS_SPAN}.{form}")
    with st.form(f"{Keys.EVENTS_FORM}.{form}", border=True):
        if span:
            days = st.date_input(
                "起止日期（含两端）",
                value=(seed.start, seed.last),
                format="YYYY-MM-DD",
                key=f"{Keys.EVENTS_DAYS}.{form}",
            )
        else:
            days = st.date_input(
                "日期", value=seed.start, format="YYYY-MM-DD", key=f"{Keys.EVENTS_DAY}.{form}"
            )
        label = st.text_input("事件（必填，最多 40 字）", value=seed.label, max_chars=ev.LABEL_MAX)
        category = st.text_input(
            "类别（时间图按类别显示或隐藏事件）",
            value=seed.category if picked else "",
            placeholder="如 会议、专项行动、荣誉；不填为“其他”",
            max_chars=ev.LABEL_MAX,
        )
        note = st.text_area("说明", value=seed.note, max_chars=ev.TEXT_MAX)
        article = st.text_input(
            "报道它的文章编号（文章检索中“编号”一列）", value=seed.article, max_chars=ev.TEXT_MAX
        )
        source = st.text_input(
            "出处",
            value=seed.source,
            placeholder="如 嘉兴日报·平湖版 2020年11月10日《…》",
            max_chars=ev.TEXT_MAX,
        )
        link = st.text_input("网址（http:// 或 https://）", value=seed.link, max_chars=ev.TEXT_MAX)
        event_id = (
            st.text_input("编号（可不填：由日期和标题生成）", max_chars=64) if mode == "新增" else seed.id
        )
        sent = st.form_submit_button("保存", type="primary")
    if sent:
        fields = app_events.form_fields(span, days, label, category, note, article, source, link, event_id)
        result = app_events.submit(
            store.ADD if mode == "新增" else store.EDIT,
            fields,
            event_id=seed.id,
            expected_digest=seen,
            who=who,
        )
        st.session_state[Keys.EVENTS_RESULT] = result
        st.session_state[Keys.EVENTS_ROUND] = st.session_state.get(Keys.EVENTS_ROUND, 0) + result[0]
        st.rerun()


def change_log(path: Path) -> None:
    """修改记录: every change made on this page (newest first) and its download."""
    log = store.changes(path)
    if not log:
        return
    st.subheader("修改记录")
    st.caption("在这里做的每一次修改（最近的在前）；修改前的文件保存在事件文件旁的 events-history 文件夹。")
    changes = event_view.changes_table(log)
    st.dataframe(changes, hide_index=True, placeholder=wording.MISSING, key=Keys.EVENTS_CHANGES)
    widgets.table_download("下载修改记录（CSV）", changes, "事件修改记录.csv", Keys.EVENTS_CHANGES_CSV)
