"""AppTest tests of the 简报 page on the sample corpus: the period widgets and the URL, the sections,
the cited articles (table with links to 文章检索, the reader), a month without pages."""

from __future__ import annotations

import json

import pytest
from conftest import open_app_page, shown
from streamlit.testing.v1 import AppTest

from pinghu_app.state import Keys
from pinghu_core.brief import build
from pinghu_core.brief import view as bv

PAGE = "pages/brief.py"


def open_page(params: dict[str, str] | None = None) -> AppTest:
    return open_app_page(PAGE, params)


def url(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def subheaders(at: AppTest) -> list[str]:
    return [shown(h.value) for h in at.subheader]


def text_of(at: AppTest) -> str:
    return "\n".join(shown(m.value) for m in at.markdown)


@pytest.fixture
def env(corpus_env):
    return corpus_env


def test_default_is_the_newest_month_with_every_section(env):
    at = open_page()
    assert [t.value for t in at.title] == ["简报"]
    assert at.selectbox(key=Keys.BRIEF_MONTH).value == "2025-08"
    assert url(at)["kind"] == "month" and url(at)["month"] == "2025-08"
    assert subheaders(at)[: len(build.SECTION_TITLES)] == list(build.SECTION_TITLES.values())


def test_a_month_from_the_url_cites_its_articles_and_opens_one(env):
    at = open_page({"kind": "month", "month": "2020-07"})
    assert at.selectbox(key=Keys.BRIEF_MONTH).value == "2020-07"
    assert "2020年7月共有 1 天有版面" in text_of(at)
    assert "平湖重点项目建设加速度" in text_of(at)  # the 头条, in the 头条 section
    table = at.dataframe[0].value
    assert list(table.columns) == list(bv.CITATION_COLUMNS)
    assert table["文章检索"].iloc[0] == "articles?article=" + table["编号"].iloc[0]
    at.selectbox(key=Keys.BRIEF_ARTICLE).set_value(table["编号"].iloc[0]).run()
    assert not at.exception
    assert any("平湖重点项目建设加速度" in t.value for t in at.text)
    assert url(at)["article"] == table["编号"].iloc[0]
    at.button(key=Keys.BRIEF_CLOSE_ARTICLE).click().run()
    assert "article" not in url(at)


def test_quarter_and_range_from_the_widgets(env):
    at = open_page()
    at.radio(key=Keys.BRIEF_GRANULARITY).set_value("quarter").run()
    at.selectbox(key=Keys.BRIEF_QUARTER).set_value("2020Q3").run()
    assert not at.exception
    assert url(at)["kind"] == "quarter" and url(at)["quarter"] == "2020Q3"
    assert "2020年第3季度共有" in text_of(at)
    at.radio(key=Keys.BRIEF_GRANULARITY).set_value("range").run()
    import datetime as dt

    at.date_input(key=Keys.BRIEF_DATES).set_value((dt.date(2020, 8, 1), dt.date(2020, 8, 31))).run()
    assert not at.exception
    assert "没有版面" in text_of(at)  # a month without pages says so in one sentence
    assert subheaders(at) == ["概况"]


def test_a_bad_month_in_the_url_falls_back_to_the_newest(env):
    at = open_page({"kind": "month", "month": "2020-13"})
    assert at.selectbox(key=Keys.BRIEF_MONTH).value == "2025-08"


def test_the_page_offers_the_word_file_and_the_markdown(env):
    at = open_page({"kind": "month", "month": "2020-07"})
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["下载 Word", "下载 Markdown", "下载图表数据（CSV）", "下载图表数据（CSV）"]
    # the Word file's two charts, drawn on the page by the browser, each with its data
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles == ["每日文章篇数", "主题占比：本期与对照时期"]
    assert not at.get("image")  # not the Word file's pictures: drawing them was most of a run's work
