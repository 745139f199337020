"""search.filter_articles and the 文章检索 tables, downloads and reader on hand-made articles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest

from pinghu_core.common import schemas, settings, viewspec
from pinghu_core.search import index as search
from pinghu_core.search import places
from pinghu_core.search import view as sv

D = dt.date


def make_articles(rows: list[dict]) -> pd.DataFrame:
    """An ARTICLES frame: every row gets defaults for what it does not say."""
    full = []
    for i, r in enumerate(rows):
        base = {
            "article_id": f"p{r.get('page', 1)}-{i:02d}",
            "page_id": f"p{r.get('page', 1)}",
            "source": f"{r.get('date', '2020-07-22')}.txt",
            "date": r.get("date", "2020-07-22"),
            "date_source": "filename",
            "date_confidence": 1.0,
            "kind": "news",
            "column_name": "",
            "kicker": "",
            "title": "",
            "subtitle": "",
            "reporters": [],
            "correspondents": [],
            "photographers": [],
            "interns": [],
            "authors": [],
            "byline_inferred": False,
            "body": "",
            "order": i,
            "chars": len(r.get("body", "")),
            "continued": False,
            "duplicates_dropped": 0,
            "lines": "",
            "raw_chars": 0,
            "page_no": "",
            "byline_text": "",
            "confidence": 1.0,
            "doubts": "",
        }
        full.append({**base, **{k: v for k, v in r.items() if k != "page"}})
    return schemas.conform(pd.DataFrame(full), schemas.ARTICLES)


ARTICLES = make_articles(
    [
        {
            "title": "乍浦镇重大项目集中开工",
            "body": "本报讯 乍浦镇今天集中开工项目12个，总投资30亿元。",
            "reporters": ["张三"],
        },
        {
            "title": "新仓镇项目融资",
            "body": "本报讯 新仓镇通过融资推进项目，疫情期间不停工。",
            "reporters": ["李四"],
            "date": "2021-03-01",
            "page": 2,
        },
        {
            "title": "评论：长三角 一体化",
            "body": "长三角 一体化是大势。",
            "kind": "commentary",
            "authors": ["言成声"],
            "date": "2019-01-05",
            "page": 3,
        },
        {"title": "天气", "body": "晴，项目工地注意防暑。", "kind": "weather"},
        {
            "title": "COVID-19 防控",
            "body": "Covid-19 疫情防控常态化，项目复工。",
            "reporters": ["张三", "王五"],
            "date": "2020-02-01",
            "page": 4,
        },
        {
            "title": "无日期的项目新闻",
            "body": "项目推进。",
            "date": None,
            "date_source": "unknown",
            "page": 5,
        },
    ]
)
PLACES = places.article_places(ARTICLES)
THEMES = pd.DataFrame(
    {
        "article_id": ["p1-00", "p4-04"],
        "theme_id": ["major-projects", "epidemic"],
        "theme_label": ["重大项目", "疫情防控"],
        "theme_group": ["经济", "民生"],
        "title_hits": [1, 1],
        "body_hits": [1, 1],
        "hits": [2, 2],
        "weight": [4.0, 4.0],
        "in_title": [True, True],
        "terms": ["项目", "疫情"],
    }
)
INDEX = search.build_index(ARTICLES, PLACES, schemas.conform(THEMES, schemas.ARTICLE_THEMES))


def ids(view: search.SearchView) -> list[str]:
    return search.filter_articles(INDEX, view)["article_id"].tolist()


ALL = ("news", "commentary", "weather")
CASES = [
    # (view, expected ids newest first; undated last)
    (search.SearchView(), ["p2-01", "p1-00", "p4-04", "p3-02", "p5-05"]),  # default kinds: news + commentary
    (search.SearchView(kinds=()), ["p2-01", "p1-00", "p1-03", "p4-04", "p3-02", "p5-05"]),  # every kind
    (search.SearchView(kinds=("weather",)), ["p1-03"]),
    (search.SearchView(query="项目 融资"), ["p2-01"]),
    (search.SearchView(query="乍浦镇|新仓镇"), ["p2-01", "p1-00"]),
    (search.SearchView(query="项目 -疫情"), ["p1-00", "p5-05"]),
    (search.SearchView(query="-项目"), ["p3-02"]),
    (search.SearchView(query="“长三角 一体化”"), ["p3-02"]),
    (search.SearchView(query='"长三角一体化"'), []),  # a phrase is exact: the space matters
    (search.SearchView(query="covid－19"), ["p4-04"]),  # case and width do not matter
    (search.SearchView(query='"项目'), []),  # malformed: no rows (the page shows the message)
    (search.SearchView(start=D(2020, 1, 1), end=D(2020, 12, 31)), ["p1-00", "p4-04"]),  # dated only
    (search.SearchView(start=D(2020, 7, 22)), ["p2-01", "p1-00"]),
    (search.SearchView(end=D(2020, 2, 1)), ["p4-04", "p3-02"]),  # end day included
    (search.SearchView(places=("乍浦镇",)), ["p1-00"]),
    (search.SearchView(places=("乍浦镇", "新仓镇")), ["p2-01", "p1-00"]),  # any of the places
    (search.SearchView(reporters=("张三",)), ["p1-00", "p4-04"]),
    (search.SearchView(reporters=("张三",), query="疫情"), ["p4-04"]),  # filters combine with AND
    (search.SearchView(themes=("epidemic", "major-projects")), ["p1-00", "p4-04"]),
    (search.SearchView(themes=("no-such-theme",)), []),
]


@pytest.mark.parametrize(("view", "expected"), CASES)
def test_filter_articles(view: search.SearchView, expected: list[str]) -> None:
    assert ids(view) == expected


def test_results_frame_has_names_joined_and_a_snippet_with_the_hit() -> None:
    frame = search.filter_articles(INDEX, search.SearchView(query="COVID"))
    schemas.check(frame, schemas.SEARCH_RESULTS)
    row = frame.iloc[0]
    assert row["reporters"] == "张三、王五"
    assert row["themes"] == "疫情防控"
    assert row["snippet"] == "【COVID】-19 防控 Covid-19 疫情防控常态化，项目复工。"  # original case kept
    plain = search.filter_articles(INDEX, search.SearchView(places=("乍浦镇",))).iloc[0]
    assert plain["places"] == "乍浦镇"
    assert (
        plain["snippet"] == "本报讯 乍浦镇今天集中开工项目12个，总投资30亿元。"
    )  # no query: start of the body


def test_counts_are_matching_over_articles_of_the_kinds_in_range() -> None:
    view = search.SearchView(start=D(2020, 1, 1), end=D(2020, 12, 31), query="乍浦镇")
    assert search.counts(INDEX, view, search.filter_articles(INDEX, view)) == search.SearchCounts(1, 0, 2, 0)


def test_counts_say_articles_and_other_items_apart() -> None:
    """Of every kind, the weather item of a whole page is an item (条目), not an article (篇文章)."""
    view = search.SearchView(kinds=())
    counted = search.counts(INDEX, view, search.filter_articles(INDEX, view))
    assert counted == search.SearchCounts(5, 1, 5, 1)
    assert (
        sv.counts_zh(counted, view)
        == "**5** 篇文章符合条件，另有 1 条其他条目 / 全部日期内共 5 篇文章、1 条其他条目（全部类型）"
    )
    news = search.SearchView()
    assert sv.counts_zh(search.counts(INDEX, news, search.filter_articles(INDEX, news)), news) == (
        "**5** 篇文章符合条件 / 全部日期内共 5 篇文章（新闻、评论）"
    )


@pytest.mark.parametrize(
    ("text", "terms", "marked"),
    [
        ("项目建设项目", ("项目建设", "项目"), "【项目建设】【项目】"),
        ("Covid-19 与 COVID-19", ("covid-19",), "【Covid-19】 与 【COVID-19】"),
        ("ＡＢＣ公司", ("abc",), "【ＡＢＣ】公司"),  # full-width text, half-width query
        ("没有命中", ("项目",), "没有命中"),
        ("没有检索词", (), "没有检索词"),
    ],
)
def test_mark_hits(text: str, terms: tuple[str, ...], marked: str) -> None:
    assert search.mark_hits(text, terms) == marked


def test_snippet_is_cut_around_the_first_hit() -> None:
    raw = "\n标题\n\n" + "甲" * 50 + "项目" + "乙" * 50
    got = search.snippet(raw, raw, search.hit_pattern(["项目"]), 5)
    assert got == "…" + "甲" * 30 + "【项目】" + "乙" * 30 + "…"


# ---------------------------------------------------------------- URL


def test_view_params_round_trip() -> None:
    view = search.SearchView(
        start=D(2020, 1, 1),
        end=D(2020, 12, 31),
        kinds=("news",),
        themes=("epidemic",),
        places=("乍浦镇",),
        reporters=("张三",),
        query="项目 -疫情",
        article="p1-00",
    )
    back = sv.parse_view(
        sv.view_params(view),
        theme_ids=["epidemic"],
        places=["乍浦镇"],
        reporters=["张三"],
        first=D(2019, 1, 1),
        last=D(2021, 12, 31),
    )
    assert back == view


def test_parse_view_drops_unknown_values_and_defaults_kinds() -> None:
    view = sv.parse_view(
        {"themes": "x,epidemic", "places": "火星", "kinds": "news,bogus", "start": "1990-01-01"},
        theme_ids=["epidemic"],
        places=["乍浦镇"],
        first=D(2019, 1, 1),
        last=D(2021, 1, 1),
    )
    assert (view.themes, view.places, view.kinds, view.start) == (("epidemic",), (), ("news",), D(2019, 1, 1))
    assert sv.parse_view({}).kinds == search.DEFAULT_KINDS
    assert sv.parse_view({"kinds": ""}).kinds == ()  # empty: every kind
    assert sv.view_params(search.SearchView(kinds=()))["kinds"] == ""


def test_whole_range_in_the_widget_means_no_date_filter() -> None:
    first, last = D(2019, 1, 1), D(2021, 1, 1)
    ctx = sv.context(first=first, last=last)
    dates, kinds = (
        viewspec.widget_of(search.SearchView, "start"),
        viewspec.widget_of(search.SearchView, "kinds"),
    )
    view = viewspec.from_widgets(search.SearchView, {dates: (first, last), kinds: ["news"]}, ctx)
    assert (view.start, view.end, view.kinds) == (None, None, ("news",))
    assert viewspec.widget_values(view, ctx)[dates] == (first, last)
    picking = viewspec.from_widgets(search.SearchView, {dates: (D(2020, 1, 1),), kinds: []}, ctx)
    assert (picking.start, picking.end, picking.kinds) == (D(2020, 1, 1), None, ())


def test_one_declaration_drives_url_widgets_cli_and_cache_key() -> None:
    """Every field of SearchView is read from and written to the URL the same way, its widget key
    is the page's, its flag is ``pinghu export``'s, and only the opened article stays out of the
    cache key."""
    import argparse

    fields = {n for n, _, _ in viewspec.params_of(search.SearchView)}
    assert fields == {f.name for f in dataclasses.fields(search.SearchView)}
    view = search.SearchView(query="项目", article="a1", page_nos=("01",))
    assert "a1" not in view.filters and "项目" in view.filters
    parser = argparse.ArgumentParser()
    viewspec.add_arguments(parser, search.SearchView)
    args = parser.parse_args(["--place", "乍浦镇,新仓镇", "--query", "项目", "--page-no", "01"])
    got = viewspec.from_args(search.SearchView, args)
    assert (got.places, got.query, got.page_nos, got.kinds) == (
        ("乍浦镇", "新仓镇"),
        "项目",
        ("01",),
        search.DEFAULT_KINDS,
    )
    ctx = sv.context(page_nos=["01"], places=["乍浦镇"])
    assert viewspec.from_url(
        search.SearchView, {"page_no": "1", "places": "乍浦镇,火星"}, ctx
    ) == search.SearchView(page_nos=("01",), places=("乍浦镇",))


# ---------------------------------------------------------------- downloads: neutralisation and encoding

FORMULAS = ['=HYPERLINK("http://evil","点我")', "+平湖", "-5%的降幅", "@新仓镇", "\t制表符开头", "\r回车开头"]
CRAFTED = make_articles([{"title": f, "body": f, "reporters": ["张三"]} for f in FORMULAS])
CRAFTED_INDEX = search.build_index(CRAFTED, places.article_places(CRAFTED), None)
SNAP = sv.Snapshot(files=3, newest=D(2020, 7, 22), themes_version="2025.1", places_version="2026-11-22")


def crafted_bytes(fmt: str) -> bytes:
    view = search.SearchView()
    results = search.filter_articles(CRAFTED_INDEX, view)
    assert len(results) == len(FORMULAS)
    return sv.download_bytes(fmt, results, CRAFTED, view, SNAP, bodies=True)


def test_csv_download_has_bom_header_and_neutralised_cells() -> None:
    data = crafted_bytes("csv")
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns) == [*sv.download_table(schemas.SEARCH_RESULTS.empty()).columns, "正文"]
    assert len(table) == len(FORMULAS)  # the cell with a carriage return is quoted: no broken row
    assert sorted(table["主题"]) == sorted("'" + f for f in FORMULAS)
    assert sorted(table["正文"]) == sorted("'" + f for f in FORMULAS)
    assert all(s.startswith("'") for s in table["摘要"])


def test_xlsx_download_cells_are_text_and_conditions_sheet_is_there() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(crafted_bytes("xlsx")))
    assert wb.sheetnames == ["文章", "查询条件"]
    ws = wb["文章"]
    header = [c.value for c in ws[1]]
    col = header.index("主题") + 1
    titles = [ws.cell(r, col) for r in range(2, ws.max_row + 1)]
    # the text exactly, a carriage return too (openpyxl writes it as &#13; through lxml, which python-docx
    # brings; the standard library's writer left a bare one that XML reads back as a line feed)
    assert sorted(c.value for c in titles) == sorted("'" + f for f in FORMULAS)
    assert all(c.data_type == "s" for c in titles)  # text, never a formula
    body_col = header.index("正文") + 1
    assert all(ws.cell(r, body_col).data_type == "s" for r in range(2, ws.max_row + 1))
    conditions = {r[0].value: r[1].value for r in wb["查询条件"].iter_rows(min_row=2)}
    assert conditions["类型"] == "新闻、评论"
    assert conditions["检索式解读"] == "未输入检索词：不按文字筛选"
    assert conditions["语料文件数"] == "3" and conditions["语料最新日期"] == "2020年7月22日"
    assert conditions["主题词典版本"] == "2025.1" and conditions["地名词表版本"] == "2026-11-22"
    assert conditions["看板版本"] == settings.APP_VERSION
    assert conditions["结果篇数"] == "6" and conditions["含正文"] == "是"


def test_jsonl_keeps_the_text_raw() -> None:
    lines = crafted_bytes("jsonl").decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted(r["title"] for r in records) == sorted(FORMULAS)  # JSON is data: no apostrophe
    assert sorted(r["body"] for r in records) == sorted(FORMULAS)
    assert all(r["reporters"] == ["张三"] for r in records)
    assert not crafted_bytes("jsonl").startswith(b"\xef\xbb\xbf")


def test_conditions_sheet_says_when_the_query_is_malformed() -> None:
    table = sv.conditions_table(search.SearchView(query='"项目'), 0, SNAP)
    reading = dict(zip(table["项目"], table["内容"], strict=True))["检索式解读"]
    assert reading.startswith("检索式有误：引号没有配对")


def test_place_counts_on_the_index_match_places_place_counts() -> None:
    for view in (search.SearchView(), search.SearchView(query="项目"), search.SearchView(kinds=())):
        results = search.filter_articles(INDEX, view)
        got = search.place_counts(INDEX, results)
        want = places.place_counts(PLACES, results["article_id"])
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
    assert search.place_counts(INDEX, search.filter_articles(INDEX, search.SearchView(query="无此词"))).empty


def test_positions_give_the_rows_counts_and_places_of_the_results() -> None:
    """The page takes counts, the place chart and the rows shown from row positions."""
    for view in (search.SearchView(), search.SearchView(query="项目"), search.SearchView(kinds=())):
        results = search.filter_articles(INDEX, view)
        pos = search.filter_positions(INDEX, view)
        assert INDEX.ids[pos].tolist() == results["article_id"].tolist()
        assert search.counts_at(INDEX, view, pos) == search.counts(INDEX, view, results)
        pd.testing.assert_frame_equal(search.place_counts_at(INDEX, pos), search.place_counts(INDEX, results))
        pd.testing.assert_frame_equal(search.results_at(INDEX, view, pos[:2]), results.head(2))
    assert not len(search.filter_positions(INDEX, search.SearchView(query='"项目')))


def test_snippets_limited_to_the_shown_rows_keep_the_same_rows() -> None:
    view = search.SearchView(kinds=(), query="项目")
    full = search.filter_articles(INDEX, view)
    shown = search.filter_articles(INDEX, view, snippets=2)
    assert shown["article_id"].tolist() == full["article_id"].tolist()
    assert shown["snippet"].tolist()[:2] == full["snippet"].tolist()[:2]
    assert all("【" not in s for s in shown["snippet"].tolist()[2:])


def test_dates_zh_column_matches_format_date_zh() -> None:
    from pinghu_core.common.wording import format_date_zh

    dates = pd.Series(pd.to_datetime(["2020-07-22", None, "2021-01-05"]))
    assert sv.dates_zh_column(dates) == [format_date_zh(d) for d in dates]


def test_words_looked_up_in_part_give_the_same_rows_later() -> None:
    index = search.build_index(ARTICLES, PLACES, None)
    narrow = search.SearchView(query="项目", start=D(2020, 7, 22), end=D(2020, 7, 22))
    assert search.filter_articles(index, narrow)["article_id"].tolist() == ["p1-00"]
    wide = search.SearchView(query="项目")  # the word was looked up in one day's articles only so far
    assert search.filter_articles(index, wide)["article_id"].tolist() == ids(wide)
    assert search.filter_articles(index, search.SearchView(query="-项目"))["article_id"].tolist() == ["p3-02"]


def test_an_open_ended_range_is_named_in_the_conditions() -> None:
    """``pinghu export --from 2020-01-01`` (no --to) must not be described as 全部日期."""
    conditions = dict(sv.filters_zh(search.SearchView(start=D(2020, 1, 1))))
    assert conditions["日期范围"] == "2020年1月1日起"
    assert dict(sv.filters_zh(search.SearchView(end=D(2020, 3, 1))))["日期范围"] == "至2020年3月1日"
    assert dict(sv.filters_zh(search.SearchView()))["日期范围"] == "全部日期（含日期未知的文章）"
