"""文章检索: filter and search the front-page articles, read one in full, share the view, download the rows."""

import functools

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import search as app_search
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_app import widgets
from pinghu_app.state import Keys
from pinghu_core.common import safe_markdown as md
from pinghu_core.common import viewspec, wording
from pinghu_core.search import index as se
from pinghu_core.search import query as qy
from pinghu_core.search import view as sv
from pinghu_core.themes import view as views

key = app_shell.current_key()
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

with st.container(border=True):
    st.text_input(
        "全文检索（引题、主题、副题和正文）",
        key=Keys.ARTICLES_QUERY,
        max_chars=qy.MAX_QUERY_CHARS,
        placeholder='例：项目 投资|融资 -疫情    或    "长三角一体化"',
        help='空格＝并且；| ＝或者（比空格优先结合）；-词＝不含；"短语"＝整段文字。'
        "中英文引号、全角半角符号都可以。按回车执行。",
    )
    with st.expander("检索语法"):
        st.markdown(sv.SYNTAX_HELP_MD)
    c1, c2, c6 = st.columns(3)
    if first:
        app_state.date_range_input(c1, "日期范围", Keys.ARTICLES_DATES, first, last)
    c2.multiselect(
        "类型",
        list(sv.KIND_CHOICES),
        format_func=sv.kind_label,
        key=Keys.ARTICLES_KINDS,
        select_all=False,
        placeholder="全部类型",
    )
    c6.multiselect(
        "版次（任一）",
        list(page_no_options),
        format_func=page_no_options.get,
        key=Keys.ARTICLES_PAGE_NOS,
        placeholder="不限" if page_no_options else "语料未标版次",
        disabled=not page_no_options,
        select_all=False,
        help="版次来自文件名（如 20200115-01-03.txt 的 01）或 manifest.csv",
    )
    s1, s2 = st.columns([1, 2])
    s1.toggle("只看头条", key=Keys.ARTICLES_LEAD, help=sv.LEAD_HELP)
    s2.radio("排序", list(se.SORTS), format_func=se.SORTS.get, horizontal=True, key=Keys.ARTICLES_SORT)
    c3, c4, c5, c7 = st.columns(4)
    c3.multiselect(
        "政策主题（任一）",
        list(theme_labels),
        format_func=theme_labels.get,
        key=Keys.ARTICLES_THEMES,
        select_all=False,
        placeholder="不限",
        disabled=themes is None,
    )
    c4.multiselect(
        "地点（任一）",
        list(place_options),
        format_func=place_options.get,
        key=Keys.ARTICLES_PLACES,
        select_all=False,
        placeholder="不限",
    )
    c7.multiselect(
        "栏目（任一）",
        list(column_options),
        format_func=column_options.get,
        key=viewspec.widget_of(se.SearchView, "columns"),
        placeholder="不限" if column_options else "语料未标栏目",
        disabled=not column_options,
        select_all=False,
    )
    c5.multiselect(
        "记者（任一）",
        list(reporter_options),
        format_func=reporter_options.get,
        select_all=False,
        key=Keys.ARTICLES_REPORTERS,
        placeholder="不限",
    )

parsed, query_problem = qy.try_parse(view.query)
if query_problem:
    st.error(f"检索式有误：{md.escape(query_problem)}。改正后再显示结果。", icon=":material/error:")
elif parsed:
    st.info(f"检索式解读：{md.escape(qy.describe(parsed))}", icon=":material/manage_search:")

found = app_search.search_positions(key, themes, view)
st.markdown(sv.counts_zh(se.counts_at(index, view, found), view))
if not len(found):
    st.info("没有符合条件的文章：请放宽日期范围、类型或其他筛选条件，或修改检索式。")
else:
    shown = app_search.search_results(key, themes, view)  # the first sv.TABLE_LIMIT
    st.caption(sv.order_zh(view) + "；选中一行即在下方打开全文。" + sv.table_limit_zh(len(found)))
    st.dataframe(
        sv.result_table(shown, page_no=bool(page_no_options), hits=bool(parsed)),
        hide_index=True,
        placeholder=wording.MISSING,
        **app_state.row_picker(Keys.ARTICLES_TABLE, shown["article_id"].tolist(), Keys.ARTICLES_ARTICLE),
        column_config={
            "标题": st.column_config.TextColumn(width="medium"),
            "摘要（命中处以【】标出）": st.column_config.TextColumn(width="large"),
            "政策主题": st.column_config.TextColumn(width="small"),
        },
    )
    bodies = st.toggle("下载文件包含正文", key=Keys.ARTICLES_BODIES)
    d1, d2, d3, _ = st.columns([1, 1, 1, 2])
    for col, fmt, label, widget_key in (
        (d1, "csv", "下载 CSV", Keys.ARTICLES_CSV),
        (d2, "xlsx", "下载 Excel", Keys.ARTICLES_XLSX),
        (d3, "jsonl", "下载 JSON Lines", Keys.ARTICLES_JSONL),
    ):
        data = functools.partial(app_search.search_download, key, themes, view, fmt, theme_labels, bodies)
        widgets.file_download(
            label, data, sv.file_stem(view) + sv.FORMATS[fmt][0], widget_key, fmt=fmt, where=col
        )

detail = app_search.article_detail(key, view) if view.article else None
if view.article and detail is None:
    st.warning(
        f"找不到编号为 {md.escape(view.article)} 的文章（语料可能已更新）。", icon=":material/warning:"
    )
if detail is not None:
    st.subheader("全文")
    lines = [f"{label}：{text}" for label, text in (*detail.headline, *detail.bylines)] + list(detail.meta)
    widgets.article_reader(lines, Keys.ARTICLES_CLOSE, app_search.close_reader, body=detail.body)
    if len(detail.same_page):
        st.caption(f"{detail.same_page_label}（选中一行即打开）")
        st.dataframe(
            detail.same_page,
            hide_index=True,
            placeholder=wording.MISSING,
            **app_state.row_picker(Keys.ARTICLES_SAME_PAGE, detail.same_page_ids, Keys.ARTICLES_ARTICLE),
        )

st.subheader("地点分布")
place_fig = app_search.place_figure(key, themes, view)
if place_fig is None:
    st.info("符合条件的文章中没有识别出地点。")
else:
    st.plotly_chart(place_fig, key=Keys.ARTICLES_PLACE_CHART)
    widgets.table_download(
        "下载地点分布（CSV，全部地点）",
        functools.partial(app_search.place_table, key, themes, view),
        "地点分布.csv",
        Keys.ARTICLES_PLACE_CSV,
    )
    st.caption(
        "地点按 data/places.toml 识别（镇、街道、开发区，以及文中写明的村、社区），口径见 docs/PLACES.md。"
    )
app_state.write_url(view)
