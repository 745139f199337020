"""人物: who the front pages name — officials with their posts, other people with their roles, and
organisations — how often, since when, as 头条; one name's timeline and sentences; who appears with whom."""

import functools

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import people as app_people
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_app import widgets
from pinghu_app.state import Keys
from pinghu_core.common import safe_markdown as md
from pinghu_core.common import schemas, wording
from pinghu_core.people import view as pv

key = app_shell.current_key()
st.title("人物")
st.caption(
    f"{app_corpus.pages_word(key)}文章里点名的官员（带职务）、其他人物（带身份）和机构：出现次数、文章数、"
    "首次与最近出现、头条次数、见过的职务。规则与准确率见 docs/PEOPLE.md；名录是 data/people.toml。"
)
for problem in app_people.problems():
    st.warning(md.escape(problem), icon=":material/warning:")
app_people.wait_for_mentions(key)  # cold: found in the background, progress shown
mentions = app_people.mentions(key)
first, last = pv.date_bounds(mentions)
if mentions.empty:
    st.info("语料中没有识别到人物或机构，这一页暂时没有可显示的内容。")
    st.stop()

names = app_people.names(key)
view = app_state.bind(pv.PeopleView, pv.context(names, first, last))
with st.container(border=True):
    c1, c2 = st.columns([3, 3])
    c1.multiselect(
        "类别",
        list(schemas.PEOPLE_KINDS),
        format_func=schemas.PEOPLE_KIND_LABELS_ZH.get,
        key=Keys.PEOPLE_KINDS,
        select_all=False,
        placeholder="全部类别",
    )
    if first:
        app_state.date_range_input(c2, "见报日期范围", Keys.PEOPLE_DATES, first, last)

span = wording.dates_zh(view.start, view.end)
table = app_people.people_table(key, view)
st.subheader("人物与机构")
if table.empty:
    st.info(f"{span}内没有{pv.filter_zh(view)}的人物或机构。")
else:
    st.caption(
        f"{span}，{pv.filter_zh(view)}：{len(table):,} 个，文章多的在前；选中一行，看这个名字的时间线和原句。"
        f"{wording.capped_zh(min(len(table), pv.TABLE_LIMIT), len(table), '个')}"
    )
    shown_rows = table.head(pv.TABLE_LIMIT)
    st.dataframe(
        pv.shown(shown_rows),
        hide_index=True,
        placeholder=wording.MISSING,
        **app_state.row_picker(Keys.PEOPLE_TABLE, shown_rows["name"].astype(str).tolist(), Keys.PEOPLE_NAME),
    )
    d1, d2 = st.columns([1, 3])
    with d1:
        widgets.table_download(
            "下载（CSV）", functools.partial(pv.shown, table), "人物与机构.csv", Keys.PEOPLE_CSV
        )
    widgets.table_download(
        "下载（Excel）",
        functools.partial(pv.shown, table),
        "人物与机构.xlsx",
        Keys.PEOPLE_XLSX,
        fmt="xlsx",
        sheet="人物与机构",
        where=d2,
    )

st.subheader("时间线与原句")
c1, c2 = st.columns([3, 2])
c1.selectbox("名称", names, key=Keys.PEOPLE_NAME, placeholder="选择一个人物或机构（或在上表中选中一行）")
c2.selectbox(
    "时间粒度",
    list(pv.GRANULARITY_LABELS_ZH),
    format_func=pv.GRANULARITY_LABELS_ZH.get,
    key=Keys.PEOPLE_GRANULARITY,
    placeholder="选择时间粒度",
)
if view.name:
    line, fig = app_people.timeline_figure(key, view.name, view.granularity)
    widgets.chart(fig, Keys.PEOPLE_TIMELINE_CHART)
    st.caption(
        "柱：每个时期提到这个名字的文章数；折线：提到它的头版占当期全部头版的比例（没有版面的时期不画）。"
        "时间线和下面的原句覆盖语料的全部日期，不受上方见报日期范围的限制。"
    )
    widgets.table_download("下载时间线（CSV）", line, "时间线.csv", Keys.PEOPLE_TIMELINE_CSV)
    total = app_people.sentence_count(key, view.name)
    if total > pv.TABLE_LIMIT:
        st.caption(f"原句，最近的在前：{wording.capped_zh(pv.TABLE_LIMIT, total, '句')}")
    st.dataframe(
        pv.sentence_table(app_people.sentences(key, view.name, pv.TABLE_LIMIT)),
        hide_index=True,
        placeholder=wording.MISSING,
        key=Keys.PEOPLE_SENTENCES,
        column_config={
            "原句": st.column_config.TextColumn(width="large"),
            "全文": st.column_config.LinkColumn("全文", display_text="打开全文"),
        },
    )
    widgets.table_download(
        "下载原句（CSV）",
        functools.partial(app_people.all_sentences, key, view.name),
        "原句.csv",
        Keys.PEOPLE_SENTENCES_CSV,
    )

st.subheader("谁和谁一起出现")
pairs, network = app_people.pairs(key, view)
if pairs.empty:
    st.info(f"{span}内没有两人同在一篇文章里出现。")
else:
    widgets.chart(network, Keys.PEOPLE_NETWORK)
    st.dataframe(
        pv.shown(pairs.head(pv.TABLE_LIMIT)),
        hide_index=True,
        placeholder=wording.MISSING,
        key=Keys.PEOPLE_PAIRS,
    )
    widgets.table_download(
        "下载共同出现（CSV）", functools.partial(pv.shown, pairs), "共同出现.csv", Keys.PEOPLE_PAIRS_CSV
    )
app_state.write_url(view)
