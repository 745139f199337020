"""事件: the events drawn on the time charts (data/events.toml) — a table for everybody, and for
editors a form to add, change or delete one (checked, written atomically, versioned)."""

import datetime as dt

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import events as app_events
from pinghu_app import shell as app_shell
from pinghu_app import widgets
from pinghu_app.state import Keys
from pinghu_core.common import safe_markdown as md
from pinghu_core.common import wording
from pinghu_core.events import model as ev
from pinghu_core.events import store
from pinghu_core.events import view as event_view

app_shell.current_key()
who = app_corpus.viewer()
events, problem = app_events.event_list()
path = ev.events_path()
seen = st.session_state.get(Keys.EVENTS_SEEN, events.digest)  # what the form was filled against
st.session_state[Keys.EVENTS_SEEN] = events.digest

st.title("事件")
st.caption(
    "政策主题时间线等时间图上画出的事件：一天画作竖虚线，一段时间画作浅色带，悬停在顶部的三角上可见说明和出处。"
    f"事件保存在 {md.escape(app_shell.shown_path(path))}（规则见 docs/EVENTS.md）。"
)
if problem:
    st.warning(md.escape(problem), icon=":material/event_busy:")

done = st.session_state.pop(Keys.EVENTS_RESULT, None)
if done is not None:
    (st.success if done[0] else st.error)(md.escape(done[1]))

table = event_view.events_table(events)
if table.empty:
    st.info("还没有事件。" + ("可在下方新增。" if who.editor else "请编辑事件文件加入事件。"))
else:
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

if not who.editor:
    st.caption("只有编辑可以在这里修改事件；如需权限，请联系管理员把你的地址加入 editors 名单。")
    st.stop()

st.subheader("新增、修改或删除事件")
mode = st.radio("操作", ["新增", "修改", "删除"], horizontal=True, key=Keys.EVENTS_MODE)
choices = event_view.event_choices(events)
picked = None
if mode != "新增":
    if not choices:
        st.info("还没有可修改的事件。")
        st.stop()
    # a new box whenever the file changed: a kept box went on showing an edited event's old label
    # (its value, the id, had not changed); the event last picked stays picked
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
    picked = events.get(pick)

if mode == "删除" and picked is not None:
    confirm = f"{Keys.EVENTS_CONFIRM}.{picked.id}"  # one per event: a tick never carries over to the next
    st.checkbox(f"确认删除“{picked.label}”（删除前的文件会保存在修改记录中，可以恢复）", key=confirm)
    if st.button("删除", type="primary", disabled=not st.session_state.get(confirm)):
        st.session_state[Keys.EVENTS_RESULT] = app_events.submit(
            store.DELETE,
            {"label": picked.label},
            event_id=picked.id,
            expected_digest=seen,
            who=app_events.who_label(who.email),
        )
        st.rerun()
elif mode in ("新增", "修改"):
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
            day = st.date_input(
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
        fields = app_events.form_fields(
            span, days if span else day, label, category, note, article, source, link, event_id
        )
        result = app_events.submit(
            store.ADD if mode == "新增" else store.EDIT,
            fields,
            event_id=seed.id,
            expected_digest=seen,
            who=app_events.who_label(who.email),
        )
        st.session_state[Keys.EVENTS_RESULT] = result
        st.session_state[Keys.EVENTS_ROUND] = st.session_state.get(Keys.EVENTS_ROUND, 0) + result[0]
        st.rerun()

log = store.changes(path)
if log:
    st.subheader("修改记录")
    st.caption("在这里做的每一次修改（最近的在前）；修改前的文件保存在事件文件旁的 events-history 文件夹。")
    changes = event_view.changes_table(log)
    st.dataframe(changes, hide_index=True, placeholder=wording.MISSING, key=Keys.EVENTS_CHANGES)
    widgets.table_download("下载修改记录（CSV）", changes, "事件修改记录.csv", Keys.EVENTS_CHANGES_CSV)
