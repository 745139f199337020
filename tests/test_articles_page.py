"""AppTest tests of the 文章检索 page: filters, query, reader, URL round trip, text-only articles, a broken
theme dictionary; and ``pinghu export`` giving the page's rows."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from conftest import open_app_page
from streamlit.testing.v1 import AppTest

from pinghu_app import corpus as app_corpus
from pinghu_app import search as app_search
from pinghu_app import state as app_state
from pinghu_app.state import Keys
from pinghu_core.cli import main as cli
from pinghu_core.common import viewspec
from pinghu_core.search.index import SearchView
from pinghu_core.themes import dictionary as themes

PAGE = "pages/articles.py"
CRAFTED_PAGE = """+平湖<script>alert(1)</script>项目**粗体**推进

■记者 张三

本报讯 =HYPERLINK("http://evil","点我") 乍浦镇的项目 [链接](javascript:alert(1)) 与 $x$ 公式，还有 <b>加粗</b> 和 :red[红字] 都要原样显示。平湖项目建设稳步推进。

@新仓镇开展项目推进会

■记者 李四

本报讯 新仓镇项目推进会召开，与会人员讨论了项目投资。
"""
INJECTIONS = (
    "<script>alert(1)</script>",
    "**粗体**",
    "[链接](javascript:alert(1))",
    "$x$",
    "<b>加粗</b>",
    ":red[红字]",
)


def url(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def count_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "篇文章符合条件" in m.value)


def matching(at: AppTest) -> int:
    """The articles (篇文章) found."""
    return int(count_line(at).split("**")[1].replace(",", ""))


def other_items(at: AppTest) -> int:
    """The other items (条目 of whole pages: guides, ads …) found besides the articles."""
    found = re.search(r"另有 ([\d,]+) 条其他条目 /", count_line(at))
    return int(found.group(1).replace(",", "")) if found else 0


def table_ids(at: AppTest) -> list[str]:
    return at.dataframe[0].value["标题"].tolist()


def test_default_view_lists_news_and_commentary_with_counts(corpus_env):
    at = open_app_page(PAGE)
    assert [t.value for t in at.title] == ["文章检索"]
    assert at.multiselect(key=Keys.ARTICLES_KINDS).value == ["news", "commentary"]
    n = matching(at)
    assert n > 0 and len(at.dataframe[0].value) == n
    assert "全部日期内共" in count_line(at)
    assert list(at.dataframe[0].value.columns) == [
        "日期",
        "位置",
        "标题",
        "摘要（命中处以【】标出）",
        "类型",
        "政策主题",
        "记者",
        "地点",
        "字数",
    ]
    assert url(at) == {"kinds": "news,commentary"}
    assert at.get("plotly_chart"), "the place chart is drawn"


def test_query_changes_the_count_and_is_read_back_in_chinese(corpus_env):
    at = open_app_page(PAGE)
    before = matching(at)
    at.text_input(key=Keys.ARTICLES_QUERY).set_value("平湖 -共同富裕").run()
    assert not at.exception
    after = matching(at)
    assert 0 < after < before
    assert any("包含“平湖”，不含“共同富裕”" in i.value for i in at.info)
    assert all("【平湖】" in s for s in at.dataframe[0].value["摘要（命中处以【】标出）"])
    assert url(at)["q"] == "平湖 -共同富裕"


def test_malformed_query_gets_a_message_not_an_exception(corpus_env):
    at = open_app_page(PAGE, {"q": "“平湖"})
    assert not at.exception
    assert any("引号没有配对" in e.value for e in at.error)
    assert matching(at) == 0 and not at.dataframe


def test_url_round_trip_restores_the_view(corpus_env):
    params = {
        "start": "2022-01-01",
        "end": "2025-08-17",
        "kinds": "news",
        "places": "当湖街道",
        "q": "平湖",
        "article": "93e7db1974070e90-02",
    }
    at = open_app_page(PAGE, params)
    assert at.text_input(key=Keys.ARTICLES_QUERY).value == "平湖"
    assert at.multiselect(key=Keys.ARTICLES_KINDS).value == ["news"]
    assert at.multiselect(key=Keys.ARTICLES_PLACES).value == ["当湖街道"]
    assert [str(d) for d in at.date_input(key=Keys.ARTICLES_DATES).value] == ["2022-01-01", "2025-08-17"]
    assert url(at) == params  # the page writes back exactly what it was opened with
    assert any(t.value.startswith("主题：") and "工会驿站" in t.value for t in at.text)  # the reader is open
    rows = at.dataframe[0].value
    assert len(rows) == matching(at) and all("当湖街道" in p for p in rows["地点"])


def test_opening_an_article_shows_the_reader_and_the_same_page_items(corpus_env):
    """What the table's on_select callback does (AppTest cannot click a table row; the browser test does)."""
    at = open_app_page(PAGE, {"q": "工会驿站"})
    first_title = table_ids(at)[0]
    first_id = _result_ids(at)[0]
    at.session_state[Keys.ARTICLES_ARTICLE] = first_id
    at.run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert any(
        t.startswith("主题：") and t.removeprefix("主题：").replace("【", "").replace("】", "") in first_title
        for t in texts
    )
    assert any(t.startswith("日期：") for t in texts) and any(t.startswith("版面文件：") for t in texts)
    assert any(t.startswith("记者：") for t in texts)
    assert any(t.startswith("署名原文：记者 胡佳英") for t in texts), "the byline as printed"
    assert any(t.startswith("解析置信度：") for t in texts), "how sure the parser is"
    assert any("【工会驿站】" in t for t in texts), "hits are marked in the reader"
    assert url(at)["article"] == first_id
    same_page = at.dataframe[1].value
    assert len(same_page) > 0 and list(same_page.columns) == ["顺序", "类型", "标题"]
    at.button(key=Keys.ARTICLES_CLOSE).click().run()
    assert "article" not in url(at)
    assert not [t for t in at.text if t.value.startswith("日期：")]


def _result_ids(at: AppTest) -> list[str]:
    """The ids of the table rows, from the same core call the page makes."""
    from pinghu_core.search import view as sv

    key = app_corpus.corpus_key()
    theme_dict = app_corpus.theme_dictionary()[0]
    view = sv.parse_view(
        url(at),
        theme_ids=theme_dict.ids if theme_dict else (),
        places=app_search.place_choices(key, app_corpus.places_file_key()),
        reporters=app_search.reporter_choices(key),
        page_nos=app_search.page_no_choices(key),
    )
    return app_search.search_results(key, theme_dict, view)["article_id"].tolist()


def test_article_text_cannot_inject_html_or_markdown(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "2020-07-22.txt").write_text(CRAFTED_PAGE, encoding="utf-8")
    os.utime(corpus / "2020-07-22.txt", (time.time() - 60, time.time() - 60))  # settled, not being written
    monkeypatch.setenv("PINGHU_DATA_DIR", str(corpus))
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    at = open_app_page(PAGE, {"q": "项目"})
    ids = _result_ids(at)
    assert len(ids) == 2
    at = open_app_page(PAGE, {"q": "项目", "article": ids[0]})
    texts = "\n".join(t.value for t in at.text)
    for raw in INJECTIONS:
        assert raw.replace("(", "（").replace(")", "）") in texts or raw in texts, raw
    assert "<script>alert（1）</script>" in texts or "<script>alert(1)</script>" in texts
    rendered_as_markdown = (
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    )
    for raw in ("<script>", "**粗体**", "javascript:", "$x$", ":red["):
        assert not any(raw in m for m in rendered_as_markdown), raw
    titles = at.dataframe[0].value["标题"].tolist()
    assert any("<script>" in t for t in titles)  # the table shows it as plain text too


def test_broken_theme_dictionary_keeps_the_page_working(corpus_env, monkeypatch, tmp_path):
    bad = tmp_path / "themes.toml"
    bad.write_text("version = \n[[theme]", encoding="utf-8")
    monkeypatch.setenv(themes.THEMES_ENV, str(bad))
    at = open_app_page(PAGE)
    assert not at.exception
    assert any("主题词典不可用" in i.value for i in at.info)
    assert at.multiselect(key=Keys.ARTICLES_THEMES).disabled
    assert matching(at) > 0


def test_a_broken_place_file_keeps_the_last_good_places(corpus_env, monkeypatch, tmp_path):
    """A malformed edit of places.toml keeps the places of the version before it (the page says so);
    the place filter keeps working."""
    from pinghu_core.search import places

    path = tmp_path / "places.toml"
    path.write_text(places.places_path().read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(places.PLACES_ENV, str(path))
    at = open_app_page(PAGE)
    offered = at.multiselect(key=Keys.ARTICLES_PLACES).options
    assert offered and not at.warning
    path.write_text(path.read_text(encoding="utf-8") + "\n[[place]]\nname = \n", encoding="utf-8")
    at = open_app_page(PAGE)  # a new session: the same process, the file changed
    assert not at.exception
    assert any("沿用上一次可用的地名词表" in w.value for w in at.warning)
    assert at.multiselect(key=Keys.ARTICLES_PLACES).options == offered


# ---------------------------------------------------------------- pinghu export gives the page's rows


@pytest.mark.parametrize(
    "params",
    [
        {"kinds": "news,commentary"},
        {"kinds": "news", "q": "平湖 -共同富裕", "start": "2022-01-01"},
        {"kinds": "", "places": "当湖街道"},
        {"kinds": "news,commentary", "themes": "major-projects,minsheng", "q": "项目|企业"},
    ],
)
def test_cli_export_gives_the_same_rows_as_the_page(corpus_env, tmp_path, capsys, params):
    at = open_app_page(PAGE, params)
    page_ids = _result_ids(at)
    assert len(page_ids) == matching(at) + other_items(at)
    assert (other_items(at) > 0) == (params["kinds"] == "")  # every kind: the ads and guides are items
    args = ["export", "--format", "jsonl", "-o", str(tmp_path / "out.jsonl")]
    args += ["--kind", params["kinds"] or "all"]
    for name, option in (("places", "--place"), ("themes", "--theme"), ("q", "--query"), ("start", "--from")):
        if params.get(name):
            args += [option, params[name]]
    assert cli.main(args) == 0
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == page_ids


def test_cli_export_to_stdout_and_refusals(corpus_env, capsys):
    assert cli.main(["export", "--query", "平湖", "-o", "-"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("\ufeff编号,日期,版次,类型")  # CSV with its BOM
    assert "包含“平湖”" in out.err
    assert cli.main(["export", "--query", "平湖", "--format", "jsonl", "-o", "-"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all(isinstance(r["reporters"], list) for r in records)
    assert all("【平湖】" in r["snippet"] for r in records)
    assert cli.main(["export", "--format", "xlsx", "-o", "-"]) == 2
    assert "不能写到标准输出" in capsys.readouterr().err
    assert cli.main(["export", "--query", "投资|", "-o", "-"]) == 2
    assert "检索式有误" in capsys.readouterr().err
    assert cli.main(["export", "--kind", "火星", "-o", "-"]) == 2
    assert "未知的类型" in capsys.readouterr().err


def test_cli_export_xlsx_has_the_conditions_sheet(corpus_env, tmp_path, capsys):
    import openpyxl

    target = tmp_path / "a.xlsx"
    assert cli.main(["export", "--query", "平湖", "--format", "xlsx", "--bodies", "-o", str(target)]) == 0
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["文章", "查询条件"]
    conditions = {r[0].value: r[1].value for r in wb["查询条件"].iter_rows(min_row=2)}
    assert conditions["检索式解读"] == "包含“平湖”" and conditions["含正文"] == "是"
    assert conditions["语料文件数"] == str(len(list(Path(corpus_env).glob("*.txt"))))
    assert [c.value for c in wb["文章"][1]][-1] == "正文"


def test_the_column_filter_reaches_page_url_cli_and_conditions(corpus_env, tmp_path, capsys):
    """The 栏目 filter was added as one field on SearchView, its test in filter_mask and its widget
    (issue 13's three places): the URL, the widget seeding, the cache key, the CLI flag and the
    查询条件 sheet follow from the declaration."""
    import openpyxl

    key = viewspec.widget_of(SearchView, "columns")
    at = open_app_page(PAGE, {"kinds": ""})
    offered = at.multiselect(key=key).options
    assert offered and all("篇）" in o for o in offered)  # '栏目名（N 篇）'
    everything = matching(at)
    column = "砥砺实干 镇在突破"  # printed with one article of the sample pages
    at.multiselect(key=key).set_value([column]).run()
    assert not at.exception
    assert matching(at) == 1 < everything
    assert url(at)["columns"] == column
    again = open_app_page(PAGE, {"kinds": "", "columns": f"{column},火星"})  # an unknown one is dropped
    assert again.multiselect(key=key).value == [column] and matching(again) == 1
    assert url(again)["columns"] == column

    target = tmp_path / "c.xlsx"
    assert (
        cli.main(["export", "--kind", "all", "--column", column, "--format", "xlsx", "-o", str(target)]) == 0
    )
    wb = openpyxl.load_workbook(target)
    assert wb["文章"].max_row == 2  # the header and the one article
    conditions = {r[0].value: r[1].value for r in wb["查询条件"].iter_rows(min_row=2)}
    assert conditions["栏目"] == column
    assert cli.main(["export", "--kind", "all", "--column", "没有这个栏目", "-o", "-"]) == 0
    assert "已导出 0 篇文章" in capsys.readouterr().err


class _FakeStreamlit:
    def __init__(self) -> None:
        self.session_state: dict = {}


def _click(st_fake: _FakeStreamlit, picker: dict, row: int) -> None:
    """What the browser does: the table's state gets the clicked row, then its callback runs."""
    st_fake.session_state[picker["key"]] = {"selection": {"rows": [row], "columns": []}}
    picker["on_select"]()


def test_a_tick_belongs_to_the_result_set_it_was_made_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12.1: open an article, change the query, click the first row → the new first row
    opens, at the first click; a new result set shows nothing ticked, the open item's row is ticked."""
    fake = _FakeStreamlit()
    monkeypatch.setattr(app_state, "st", fake)
    target = Keys.ARTICLES_ARTICLE
    fake.session_state[target] = None

    old = app_state.row_picker(Keys.ARTICLES_TABLE, ["a1", "a2", "a3"], target)
    assert old["selection_default"] is None
    _click(fake, old, 0)
    assert fake.session_state[target] == "a1"

    reopened = app_state.row_picker(
        Keys.ARTICLES_TABLE, ["a1", "a2", "a3"], target
    )  # the rerun after the click: the grid already shows the tick — the same table, not sent again
    assert (reopened["key"], reopened["selection_default"]) == (old["key"], None)
    fake.session_state[target] = "a2"  # opened elsewhere (a link, the URL): a new table ticked there
    elsewhere = app_state.row_picker(Keys.ARTICLES_TABLE, ["a1", "a2", "a3"], target)
    assert elsewhere["key"] != old["key"]
    assert elsewhere["selection_default"] == {"selection": {"rows": [1], "columns": []}}
    _click(fake, elsewhere, 0)
    assert fake.session_state[target] == "a1"
    assert app_state.row_picker(Keys.ARTICLES_TABLE, ["a1", "a2", "a3"], target)["key"] == elsewhere["key"]
    fake.session_state[target] = "a2"  # a2 again: that table's grid shows a1 now, so another table
    again = app_state.row_picker(Keys.ARTICLES_TABLE, ["a1", "a2", "a3"], target)
    assert again["key"] not in (old["key"], elsewhere["key"])
    assert again["selection_default"] == {"selection": {"rows": [1], "columns": []}}
    reopened = again

    new = app_state.row_picker(Keys.ARTICLES_TABLE, ["b1", "b2"], target)  # the query changed
    assert new["key"] not in (old["key"], reopened["key"])
    assert new["selection_default"] is None, "no row of the new results is ticked"
    assert new["key"] not in fake.session_state, "the old tick is not carried into the new table"
    _click(fake, new, 0)
    assert fake.session_state[target] == "b1"

    fake.session_state[target] = None  # 关闭全文
    closed = app_state.row_picker(Keys.ARTICLES_TABLE, ["b1", "b2"], target)
    assert closed["selection_default"] is None and closed["key"] not in fake.session_state


def test_picking_a_word_row_clears_the_open_article(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeStreamlit()
    monkeypatch.setattr(app_state, "st", fake)
    fake.session_state.update({Keys.WORDS_WORD: None, Keys.WORDS_ARTICLE: "x-1"})
    picker = app_state.row_picker(
        Keys.WORDS_TABLE, ["项目", "企业"], Keys.WORDS_WORD, clears=[Keys.WORDS_ARTICLE]
    )
    _click(fake, picker, 1)
    assert fake.session_state[Keys.WORDS_WORD] == "企业" and fake.session_state[Keys.WORDS_ARTICLE] is None
    picker = app_state.row_picker(Keys.WORDS_TABLE, ["项目", "企业"], Keys.WORDS_WORD)
    _click(fake, picker, 5)  # a row number outside the table changes nothing
    assert fake.session_state[Keys.WORDS_WORD] == "企业"


def test_lead_filter_and_sorts_reach_page_url_cli_and_conditions(corpus_env, tmp_path, capsys):
    """Issue 15.3: 只看头条 keeps one article per front page (the five sample pages: five 头条); the
    sorts order by hits of the query's words and by prominence; both travel in the URL, the CLI and the
    查询条件 sheet."""
    import openpyxl

    at = open_app_page(PAGE, {"kinds": "news,commentary"})
    at.toggle(key=Keys.ARTICLES_LEAD).set_value(True).run()
    assert not at.exception and matching(at) == 5
    table = at.dataframe[0].value
    assert set(table["位置"]) == {"头条"}
    assert url(at)["lead"] == "1"

    at = open_app_page(PAGE, {"kinds": "news,commentary", "q": "项目", "sort": "hits"})
    table = at.dataframe[0].value
    hits = table["命中次数"].tolist()
    assert hits == sorted(hits, reverse=True) and hits[0] > hits[-1] >= 1
    assert any("命中次数由多到少" in c.value for c in at.caption)
    # the count is the printed text's: every 项目 in the top article's headline and body
    from pinghu_core.corpus import ingest

    articles = ingest.load_corpus(Path(corpus_env), progress=False).articles
    top = articles[articles["title"] == table["标题"].iloc[0].split("｜")[0]].iloc[0]
    text = "".join(str(top[c] or "") for c in ("kicker", "title", "subtitle", "body"))
    assert text.count("项目") == hits[0]

    at = open_app_page(PAGE, {"kinds": "news,commentary", "sort": "prominence"})
    positions = at.dataframe[0].value["位置"].tolist()
    assert positions[:5] == ["头条"] * 5 and "头条" not in positions[5:]
    assert url(at)["sort"] == "prominence"

    target = tmp_path / "lead.xlsx"
    args = ["export", "--lead-only", "--sort", "prominence", "--format", "xlsx", "-o", str(target)]
    assert cli.main(args) == 0
    wb = openpyxl.load_workbook(target)
    header = [c.value for c in wb["文章"][1]]
    rows = list(wb["文章"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5 and {r[header.index("头条")] for r in rows} == {"是"}
    conditions = {r[0].value: r[1].value for r in wb["查询条件"].iter_rows(min_row=2)}
    assert conditions["头条"] == "只要头条" and conditions["排序"].startswith("按显著度")
    assert cli.main(["export", "--sort", "火星", "-o", "-"]) == 2
    assert "火星" in capsys.readouterr().err


def test_the_place_chart_downloads_every_place(corpus_env):
    """地点分布 draws the 20 most named places; its download has every place the matches name, with
    the articles and mentions behind each bar (Chinese headers, through the one exporter)."""
    from pinghu_app import widgets

    at = open_app_page(PAGE, {"kinds": ""})
    assert "下载地点分布（CSV，全部地点）" in [b.proto.label for b in at.get("download_button")]
    key = app_corpus.corpus_key()
    themes_dict, _ = app_corpus.theme_dictionary()
    view = SearchView(kinds=())
    table = app_search.place_table(key, themes_dict, view)
    assert list(table.columns) == ["地点", "地点类型", "文章数", "提及次数"]
    assert len(table) > 0 and table["文章数"].tolist() == sorted(table["文章数"], reverse=True)
    assert (table["提及次数"] >= table["文章数"]).all()
    data = widgets.table_bytes(table).decode("utf-8")
    assert data.startswith("\ufeff地点,地点类型,文章数,提及次数\r\n")
