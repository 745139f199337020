"""事件: the events drawn on the time charts (data/events.toml) — a table for everybody, and for
editors a form to add, change or delete one (checked, written atomically, versioned)."""

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import event_editor
from pinghu_app import events as app_events
from pinghu_app import shell as app_shell
from pinghu_app.state import Keys
from pinghu_core.common import safe_markdown as md
from pinghu_core.events import model as ev

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

event_editor.events_table(events, who.editor)
if who.editor:
    event_editor.editor(events, seen, app_events.who_label(who.email))
    event_editor.change_log(path)
else:
    st.caption("只有编辑可以在这里修改事件；如需权限，请联系管理员把你的地址加入 editors 名单。")
