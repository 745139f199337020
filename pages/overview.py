"""总览: what is in the corpus, which days it covers, and which pages need a person."""

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import overview as app_overview
from pinghu_app import shell as app_shell
from pinghu_app import widgets
from pinghu_app.state import Keys
from pinghu_core.common import safe_markdown as md
from pinghu_core.common import wording
from pinghu_core.overview import about as ab
from pinghu_core.overview import summary as ov

key = app_shell.current_key()
data = app_corpus.overview(key)
s = data.summary

unit = ov.item_unit(s.shape)
st.title("语料总览")
st.caption(f"{md.escape(app_corpus.corpus_title())}：版面、{unit}、出版日期与读取情况。")
about = app_corpus.about(key)
st.caption(ab.summary_zh(about) + "（详见页末“运行配置与版本”）")

for col, m in zip(st.columns(len(data.metrics)), data.metrics, strict=True):
    col.metric(m.label, m.value, help=m.help)
st.metric("日期范围", s.date_range_zh, help=f"共 {s.days_in_range:,} 天，其中 {s.days_with_pages:,} 天有版面")
if data.copies_note:
    st.info(data.copies_note)
if s.undated_pages:
    st.warning(
        f"有 {s.undated_pages:,} 个版面无法确定日期，未计入日期范围和日历；请在下方“待确认日期的版面”中核对。"
    )

st.subheader(f"{unit}类型")
widgets.chart(app_corpus.overview_figure(key, "kinds"), Keys.OVERVIEW_KIND_CHART)
app_overview.chart_download(data, "kinds")
if not data.page_nos.empty:
    st.subheader("各版次的文章")
    widgets.chart(app_corpus.overview_figure(key, "page_nos"), Keys.OVERVIEW_PAGE_NO_CHART)
    app_overview.chart_download(data, "page_nos")

st.subheader("出版日历")
app_overview.calendar_section(key, data)

st.subheader(ov.low_confidence_label(s.shape))
if data.low_confidence.empty:
    st.success("所有文件的日期都来自清单、文件名或高置信度推断，无需人工确认。")
else:
    st.caption(
        f"共 {len(data.low_confidence):,} 个文件的日期由正文推断且置信度低于 {ov.LOW_CONFIDENCE:.0%}，或无法确定，请人工核对。"
    )
    st.dataframe(
        data.low_confidence,
        hide_index=True,
        placeholder=wording.MISSING,
        key=Keys.OVERVIEW_LOW_CONFIDENCE,
        column_config={
            "置信度": st.column_config.ProgressColumn(
                "置信度", format="percent", min_value=0.0, max_value=1.0
            )
        },
    )

st.subheader(f"解析存疑的{unit}")
if not data.doubtful_count:
    st.success(f"所有{unit}的分篇、标题和署名都有把握（解析置信度不低于 {ov.DOUBTFUL_BELOW:.0%}）。")
else:
    shown = data.doubtful.head(ov.DOUBTFUL_LIMIT)
    st.caption(
        f"共 {data.doubtful_count:,} {'篇' if unit == '文章' else '个'}{unit}的解析置信度低于 {ov.DOUBTFUL_BELOW:.0%}，"
        "按置信度由低到高排列；“疑点”说明原因，可在文章检索中打开原文核对。"
        + wording.capped_zh(len(shown), data.doubtful_count, "条")
    )
    if len(shown) < data.doubtful_count:
        widgets.table_download(
            f"下载全部 {data.doubtful_count:,} 条（CSV）",
            data.doubtful,
            "解析存疑.csv",
            Keys.OVERVIEW_DOUBTFUL_CSV,
        )
    st.dataframe(
        shown,
        hide_index=True,
        placeholder=wording.MISSING,
        key=Keys.OVERVIEW_DOUBTFUL,
        column_config={
            "解析置信度": st.column_config.ProgressColumn(
                "解析置信度", format="percent", min_value=0.0, max_value=1.0
            )
        },
    )

config = st.expander(
    "运行配置与版本（语料、词典、设置从何而来）", key=Keys.OVERVIEW_ABOUT_OPEN, on_change="rerun"
)
if config.open:  # a collapsed expander draws its table all the same: built only when opened
    with config:
        st.dataframe(
            ab.table_zh(about), hide_index=True, placeholder=wording.MISSING, key=Keys.OVERVIEW_ABOUT
        )

st.subheader("读取报告")
c = data.report_counts
st.caption(
    f"正常 {c['ok']:,} 个文件 · 警告 {c['warning']:,} 个 · 错误 {c['error']:,} 个（有问题的文件排在前面）"
)
report = data.report.head(ov.REPORT_LIMIT)
if len(report) < len(data.report):
    st.caption(wording.capped_zh(len(report), len(data.report), "个文件"))
    widgets.table_download(
        f"下载全部 {len(data.report):,} 个文件的读取报告（CSV）",
        data.report,
        "读取报告.csv",
        Keys.OVERVIEW_REPORT_CSV,
    )
st.dataframe(report, hide_index=True, placeholder=wording.MISSING, key=Keys.OVERVIEW_REPORT)
