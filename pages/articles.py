"""文章检索: filter and search the front-page articles, read one in full, share the view, download the rows."""

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import search as app_search
from pinghu_app import shared as app_shared
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_core.common import safe_markdown as md
from pinghu_core.search import index as se
from pinghu_core.search import query as qy
from pinghu_core.search import view as sv
from pinghu_core.themes import view as views

key = app_shell.current_key()
app_shared.wait_for_shared(key)  # cold: places, theme hits … found in the background, progress shown
themes, theme_problem = app_corpus.theme_dictionary()
_, _, places_problem = app_search.article_places(key)
index = app_search.search_index(key, themes)
first, last = app_corpus.date_bounds(key)
theme_labels = themes.choice_labels if themes is not None else {}
place_options = app_search.place_choices(key, app_corpus.places_file_key())
reporter_options = app_search.reporter_choices(key)
page_no_options = app_search.page_no_choices(key)
column_options = se.column_choices(index)

st.title("文章检索")
st.caption(
    "按日期、类型、版次、头条、政策主题、地点、记者、栏目和全文检索式筛选文章，按日期、命中次数或显著度排序；"
    "选中一行即可阅读全文。"
    "筛选条件都在网址里，复制网址即可分享同一视图。"
)
if theme_problem is not None:
    st.warning(md.escape(views.theme_problem_zh(theme_problem, themes)), icon=":material/warning:")
if themes is None:
    st.info("主题词典不可用：政策主题筛选和主题列暂时为空，其他筛选照常使用。")
if places_problem:
    st.warning(md.escape(places_problem), icon=":material/warning:")

view = app_state.bind(
    se.SearchView,
    sv.context(
        theme_ids=theme_labels,
        places=place_options,
        reporters=reporter_options,
        page_nos=page_no_options,
        columns=column_options,
        first=first,
        last=last,
    ),
)

app_search.filter_form(
    themes, theme_labels, place_options, reporter_options, page_no_options, column_options, first, last
)
parsed, query_problem = qy.try_parse(view.query)
if query_problem:
    st.error(f"检索式有误：{md.escape(query_problem)}。改正后再显示结果。", icon=":material/error:")
elif parsed:
    st.info(f"检索式解读：{md.escape(qy.describe(parsed))}", icon=":material/manage_search:")

app_search.results_section(key, themes, index, view, parsed, page_no_options, theme_labels)
app_search.reader_section(key, view)
app_search.place_section(key, themes, view)
app_state.write_url(view)
