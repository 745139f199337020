"""简报: a draft an analyst can hand in — for a month, a quarter or any date range, from the data only;
every sentence says what its numbers count and cites its articles (Word and Markdown downloads)."""

import functools

import streamlit as st

from pinghu_app import brief as app_brief
from pinghu_app import corpus as app_corpus
from pinghu_app import events as app_events
from pinghu_app import people as app_people
from pinghu_app import shared as app_shared
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_app import widgets
from pinghu_app.state import Keys
from pinghu_core.brief import view as bv
from pinghu_core.brief.markdown import safe, sentence_md
from pinghu_core.brief.model import citation_numbers
from pinghu_core.common import wording

key = app_shell.current_key()
app_shared.wait_for_shared(key)  # cold: places, theme hits … found in the background, progress shown
themes, _ = app_corpus.theme_dictionary()
events, _ = app_events.event_list()
st.title("简报")
st.caption(
    "按月、季度或任意日期范围，由数据按模板和统计生成（不用语言模型）：每句话注明数字所计的对象，"
    "方括号里的序号是所依据的文章，见页末“引用文章”。可下载 Word 和 Markdown。"
)
ctx = app_brief.context(key)
if ctx.last is None:
    st.info("语料中没有可确定日期的版面，无法撰写简报。")
    st.stop()
view = app_state.bind(bv.BriefView, ctx)
app_brief.period_picker(ctx, view)

period = view.period()
if period is None:
    st.info("请选择时期。")
    app_state.write_url(view)
    st.stop()
app_people.wait_for_mentions(key)  # cold: found in the background, progress shown
brief = app_brief.brief(key, themes, period.code, events)
d1, d2, _ = st.columns([1, 1, 2])
widgets.file_download(
    "下载 Word", functools.partial(app_brief.docx_bytes, brief, key), bv.file_name(brief, "docx"),
    Keys.BRIEF_DOCX, fmt="docx", where=d1,
)  # fmt: skip
widgets.file_download(
    "下载 Markdown", functools.partial(app_brief.markdown_bytes, brief), bv.file_name(brief, "md"),
    Keys.BRIEF_MD, fmt="md", where=d2,
)  # fmt: skip

st.header(safe(brief.title), anchor=False)
st.caption(f"时期：{safe(brief.period_label)}　对照时期：{safe(brief.previous_label)}")
daily_chart, themes_chart = app_brief.charts(key, themes, period.code, events)
numbers = citation_numbers(brief)
for section in brief.sections:
    st.subheader(safe(section.title), anchor=False)
    st.markdown("\n".join(f"- {sentence_md(s, numbers)}" for s in section.sentences))
    if section.key == "overview" and brief.has_pages and daily_chart is not None:
        widgets.chart(daily_chart, Keys.BRIEF_DAILY_CHART)
        st.caption("每日文章篇数（灰色：当天没有版面）")
        widgets.table_download(
            "下载图表数据（CSV）", bv.daily_table(brief), "每日文章篇数.csv", Keys.BRIEF_DAILY_CSV
        )
    if section.key == "themes" and themes_chart is not None:
        widgets.chart(themes_chart, Keys.BRIEF_THEMES_CHART)
        st.caption("主题占比：本期与对照时期（新闻报道中命中该主题的篇数占比）")
        widgets.table_download(
            "下载图表数据（CSV）", bv.theme_shares_table(brief), "主题占比.csv", Keys.BRIEF_THEMES_CSV
        )

if brief.citations:
    st.subheader("引用文章", anchor=False)
    st.dataframe(
        bv.citation_table(brief),
        hide_index=True,
        placeholder=wording.MISSING,
        key=Keys.BRIEF_CITATIONS,
        column_config={"文章检索": st.column_config.LinkColumn("文章检索", display_text="在文章检索中打开")},
    )
    widgets.article_picker(Keys.BRIEF_ARTICLE, bv.citation_choices(brief))
    view = bv.with_article(view, st.session_state.get(Keys.BRIEF_ARTICLE))
    if (shown := app_brief.article_text(key, view)) is not None:
        widgets.article_reader(shown[:2], Keys.BRIEF_CLOSE_ARTICLE, app_brief.close_article, body=shown[2])

with st.expander("每个数字所计的对象"):
    st.dataframe(
        bv.numbers_table(brief), hide_index=True, placeholder=wording.MISSING, key=Keys.BRIEF_NUMBERS
    )
with st.expander("方法与来源"):
    st.table({"项目": [k for k, _ in brief.method], "内容": [v for _, v in brief.method]})
app_state.write_url(view)
