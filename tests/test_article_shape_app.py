"""AppTest of 总览 and 文章检索 on a corpus in the article-per-file shape (tests/fixtures/article_corpus:
10 articles of two sample pages, 4 版面 by date + 版次): counts say 篇文章, the 版次 filter works and
travels in the URL, the reader lists the other articles of the same 版面; ``pinghu export --page-no``."""

from __future__ import annotations

import json

from conftest import open_app_page
from streamlit.testing.v1 import AppTest
from test_app import figures, metrics, run
from test_articles_page import _result_ids, count_line, matching, url

from pinghu_app.state import Keys
from pinghu_core.cli import main as cli

OVERVIEW, ARTICLES = "pages/overview.py", "pages/articles.py"


def test_overview_counts_pages_by_date_and_page_number_and_says_articles(article_env):
    at = open_app_page(OVERVIEW)
    m = metrics(at)
    assert (m["版面数"], m["文章数"], m["新闻数"]) == ("4", "10", "10")
    assert "条目数" not in m and "待确认文章" in m
    helps = {x.label: x.proto.help for x in at.metric}
    assert "同一天、同一版次的文章文件合为一个版面" in helps["版面数"]
    assert [s.value for s in at.subheader][:2] == ["文章类型", "各版次的文章"]
    kinds, per_page_no = figures(at)[:2]
    assert kinds["layout"]["title"]["text"] == "文章数（按类型）"
    assert per_page_no["layout"]["title"]["text"] == "各版次的文章数"
    assert per_page_no["data"][0]["x"] == ["第01版", "第02版", "第03版"]
    assert per_page_no["data"][0]["y"] == [6, 2, 2]
    first_run = run()  # the sidebar is drawn by dashboard.py, which AppTest runs on the first run only
    assert any(c.value == "版面数：**4** · 文章数：**10**" for c in first_run.sidebar.caption)
    everything = " ".join([*(c.value for c in at.caption), *(s.value for s in at.subheader)])
    assert "条目" not in everything


def test_the_sample_pages_keep_counting_items(corpus_env):
    at = open_app_page(OVERVIEW)
    m = metrics(at)
    assert "条目数" in m and "文章数" not in m and "待确认版面" in m
    assert not any(s.value == "各版次的文章" for s in at.subheader)  # no 版次 in the sample names


def test_search_counts_articles_and_filters_by_page_number(article_env):
    at = open_app_page(ARTICLES)
    assert matching(at) == 10
    assert count_line(at) == "**10** 篇文章符合条件 / 全部日期内共 10 篇文章（新闻、评论）"
    box = at.multiselect(key=Keys.ARTICLES_PAGE_NOS)
    assert box.options == ["第01版（6 篇）", "第02版（2 篇）", "第03版（2 篇）"] and not box.disabled
    table = at.dataframe[0].value
    assert list(table.columns[:4]) == ["日期", "版次", "位置", "标题"]
    assert "头条" in set(table["位置"])  # article 01 of each day's 01版
    box.set_value(["02"]).run()
    assert not at.exception
    assert count_line(at) == "**2** 篇文章符合条件 / 全部日期、第02版内共 2 篇文章（新闻、评论）"
    assert set(at.dataframe[0].value["版次"]) == {"02"}
    assert all(p.startswith("第02版第") for p in at.dataframe[0].value["位置"])  # not a 头版: no 头条
    assert url(at) == {"kinds": "news,commentary", "page_no": "02"}
    at.text_input(key=Keys.ARTICLES_QUERY).set_value("城投").run()
    assert matching(at) == 1 and url(at)["q"] == "城投"
    # every kind: an article file is an article whatever its kind, so nothing is counted as 条目
    at.multiselect(key=Keys.ARTICLES_KINDS).set_value([]).run()
    assert "条目" not in count_line(at) and matching(at) == 1


def test_page_number_url_round_trip(article_env):
    at = open_app_page(ARTICLES, {"page_no": "1,3", "kinds": "news"})
    assert at.multiselect(key=Keys.ARTICLES_PAGE_NOS).value == ["01", "03"]  # 1 is how 01 may be written
    assert url(at) == {"kinds": "news", "page_no": "01,03"}
    assert matching(at) == 8 and set(at.dataframe[0].value["版次"]) == {"01", "03"}
    assert len(_result_ids(at)) == 8
    unknown = open_app_page(ARTICLES, {"page_no": "09"})
    assert unknown.multiselect(key=Keys.ARTICLES_PAGE_NOS).value == [] and matching(unknown) == 10


def test_reader_lists_the_other_articles_of_the_same_page(article_env):
    at = open_app_page(ARTICLES, {"page_no": "03"})
    first = _result_ids(at)[0]
    at = open_app_page(ARTICLES, {"page_no": "03", "article": first})
    texts = [t.value for t in at.text]
    assert any(t.startswith("文章文件：") and t.endswith("（第03版）") for t in texts), texts
    assert any(c.value.startswith("同一版面的其他文章") for c in at.caption)
    same_page = at.dataframe[1].value
    assert len(same_page) == 1  # the other file of 2025-08-17 第03版
    assert same_page["顺序"].tolist() in ([1], [2])


def test_cli_export_page_no_gives_the_page_rows(article_env, tmp_path, capsys):
    at = open_app_page(ARTICLES, {"page_no": "01"})
    page_ids = _result_ids(at)
    target = tmp_path / "out.jsonl"
    assert cli.main(["export", "--page-no", "1", "--format", "jsonl", "-o", str(target)]) == 0
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == page_ids and {r["page_no"] for r in records} == {"01"}
    assert "已导出 6 篇文章" in capsys.readouterr().err
    assert cli.main(["export", "--page-no", "02,03", "-o", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0]
        == "\ufeff编号,日期,版次,类型,引题,主题,副题,政策主题,记者,地点,字数,位置,头条,版面位次,显著度权重,命中次数,摘要,来源文件"
    )
    assert len(lines) == 1 + 4 and {line.split(",")[2] for line in lines[1:]} == {"02", "03"}


def test_every_count_on_the_two_pages_says_articles(article_env):
    for page in (OVERVIEW, ARTICLES):
        at: AppTest = open_app_page(page)
        shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [m.label for m in at.metric]
        assert not [s for s in shown if "条目" in s], page


CAPTIONED = ("pages/people.py", "pages/words.py", "pages/progress.py", "pages/themes.py")


def _assert_captions_say(word: str, never: str) -> None:
    for path in CAPTIONED:
        at = open_app_page(path)
        assert not at.exception, path
        caption = at.caption[0].value
        assert word in caption and never not in caption, (path, caption)


def test_captions_say_every_page_of_a_whole_paper(article_env):
    """A corpus with 第02版 and 第03版: the pages that count its articles do not call them 头版文章."""
    _assert_captions_say("各版", never="头版")


def test_captions_say_front_page_of_a_front_page_corpus(corpus_env):
    _assert_captions_say("头版", never="各版")


def test_the_brief_of_a_whole_paper_is_no_front_page_brief(article_env):
    at = open_app_page("pages/brief.py")
    assert not at.exception
    heading = at.header[0].value
    assert "简报 · " in heading and "头版" not in heading, heading


def test_the_brief_of_front_pages_is_a_front_page_brief(corpus_env):
    at = open_app_page("pages/brief.py")
    assert not at.exception
    assert "头版简报 · " in at.header[0].value, at.header[0].value
