"""The 简报 (pure): periods, the sentences drafted on the sample corpus and on small inline frames,
the empty period, a period with pages but no themes, the Word file read back, crafted headlines,
and the property that every number printed says what it counts and can be found in its data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import docx
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinghu_core.brief import build, markdown, word
from pinghu_core.brief import model as m
from pinghu_core.brief import period as bp
from pinghu_core.brief import view as bv
from pinghu_core.cli import brief as cli_brief
from pinghu_core.common import schemas
from pinghu_core.corpus import ingest, shapes
from pinghu_core.corpus import prominence as pr
from pinghu_core.events import model as ev
from pinghu_core.themes import slogans as sl
from pinghu_core.themes import timeline as tl

D = dt.date

# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "label", "previous"),
    [
        ("2020-07", D(2020, 7, 1), D(2020, 7, 31), bp.MONTH, "2020年7月", (D(2020, 6, 1), D(2020, 6, 30))),
        ("2020年2月", D(2020, 2, 1), D(2020, 2, 29), bp.MONTH, "2020年2月", (D(2020, 1, 1), D(2020, 1, 31))),
        ("2021-01", D(2021, 1, 1), D(2021, 1, 31), bp.MONTH, "2021年1月", (D(2020, 12, 1), D(2020, 12, 31))),
        (
            "2020Q3",
            D(2020, 7, 1),
            D(2020, 9, 30),
            bp.QUARTER,
            "2020年第3季度",
            (D(2020, 4, 1), D(2020, 6, 30)),
        ),
        (
            "2021q1",
            D(2021, 1, 1),
            D(2021, 3, 31),
            bp.QUARTER,
            "2021年第1季度",
            (D(2020, 10, 1), D(2020, 12, 31)),
        ),
        (
            "2020年第4季度",
            D(2020, 10, 1),
            D(2020, 12, 31),
            bp.QUARTER,
            "2020年第4季度",
            (D(2020, 7, 1), D(2020, 9, 30)),
        ),
    ],
)
def test_periods_and_the_one_before(text, start, end, kind, label, previous):
    p = bp.parse_period(text)
    assert (p.start, p.end, p.kind, p.label) == (start, end, kind, label)
    assert (bp.previous(p).start, bp.previous(p).end) == previous
    assert bp.from_text(p.code) == p


def test_a_range_is_compared_with_the_same_days_before_and_a_whole_month_is_a_month():
    r = bp.date_range(D(2020, 7, 1), D(2020, 7, 15))
    assert r.kind == bp.RANGE and r.label == "2020年7月1日至2020年7月15日"
    assert (bp.previous(r).start, bp.previous(r).end) == (D(2020, 6, 16), D(2020, 6, 30))
    assert bp.date_range(D(2020, 7, 1), D(2020, 7, 31)).kind == bp.MONTH
    assert bp.date_range(D(2020, 7, 1), D(2020, 9, 30)).kind == bp.QUARTER
    assert bp.date_range(D(2020, 1, 1), D(2020, 12, 31)).previous_zh == "上年"
    assert bp.from_text(r.code) == r


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2020-13", "月份应在 1–12 之间"),
        ("2020Q5", "无法识别"),
        ("七月", "无法识别"),
        ("1800-01", "年份不在"),
        ("", "无法识别"),
    ],
)
def test_a_bad_period_is_a_chinese_error(text, says):
    with pytest.raises(bp.PeriodError, match=says):
        bp.parse_period(text)


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(bp.PeriodError, match="晚于"):
        bp.date_range(D(2020, 7, 2), D(2020, 7, 1))


# ---------------------------------------------------------------- the sample corpus


@pytest.fixture(scope="module")
def sample_inputs(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("PINGHU_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    corpus = ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1)
    inputs = cli_brief.inputs_of(corpus, None, io.StringIO())
    yield inputs
    mp.undo()


@pytest.fixture(scope="module")
def july(sample_inputs):
    return build.build_brief(sample_inputs, bp.parse_period("2020-07"))


def texts(brief: m.Brief, key: str) -> list[str]:
    return [s.text for s in brief.section(key).sentences]


def test_every_section_in_order(july):
    assert [s.title for s in july.sections] == list(build.SECTION_TITLES.values())
    assert july.has_pages and july.title.endswith("2020年7月") and july.previous_label == "2020年6月"


@pytest.mark.parametrize(
    ("key", "index", "sentence"),
    [
        ("overview", 0, "2020年7月共有 1 天有版面（全期 31 天），计 1 个版面；有头版的 1 天。"),
        (
            "overview",
            2,
            "上月（2020年6月）没有版面（语料中此前最近的版面是2020年4月21日），下文不作升降比较。",
        ),
        ("themes", 1, "上月没有新闻报道，无法比较主题的升降。"),
        ("leads", 0, "本月共有头条 1 篇（按日期）。"),
        ("leads", 1, "7月22日：《平湖重点项目建设加速度》（1,142 字）。"),
        ("progress", None, "7月22日：省“4+1”重大项目（10个），完成进度 81.3%（统计期 1至6月份）。"),
        ("progress", None, "7月22日：民生共享工程（118个），完成进度 58.6%（统计期 截至6月底）。"),
        (
            "events",
            1,
            "2020年7月21日：民生共享工程半年度工作交流会（会议），“争先创优、追梦奔跑”2020年民生共享工程半年度工作交流会召开。",
        ),
    ],
)
def test_sentences_of_july_2020(july, key, index, sentence):
    if index is None:  # one of the section's sentences
        assert sentence in texts(july, key)
    else:
        assert texts(july, key)[index] == sentence


def test_the_overview_counts_are_the_corpus_own(july, sample_inputs):
    arts = sample_inputs.articles
    inside = arts[(arts["date"] >= "2020-07-01") & (arts["date"] <= "2020-07-31")]
    news = inside["kind"].astype(str).isin(["news", "photo", "commentary"])
    said = texts(july, "overview")[1]
    assert f"刊发文章 {int(news.sum())} 篇" in said
    assert f"{int(inside.loc[news, 'chars'].sum()):,} 字" in said


def test_citations_carry_date_headline_and_where_it_stood(july):
    lead = july.section("leads").sentences[1].citations[0]
    assert (lead.date, lead.headline, lead.page) == (D(2020, 7, 22), "平湖重点项目建设加速度", "头条")
    assert july.citations[0] == lead  # by date, the 头条 first of its day
    event = july.section("events").sentences[1].citations[0]
    assert event.article_id == "c45f6d5d838722f9-02"


def test_a_quarter_compares_themes_with_the_quarter_before(sample_inputs):
    q3 = build.build_brief(sample_inputs, bp.parse_period("2020Q3"))
    said = texts(q3, "themes")
    assert any(
        s.startswith("“疫情防控”下降：占本季度新闻报道的 14.3%（1/7 篇），上季度为 57.1%（4/7 篇）；G² = ")
        for s in said
    )
    assert q3.theme_shares["label"].iloc[0] in said[0]


def test_a_period_without_pages_says_so_in_one_sentence(sample_inputs):
    aug = build.build_brief(sample_inputs, bp.parse_period("2020-08"))
    assert not aug.has_pages and aug.citations == ()
    assert [(s.key, [x.text for x in s.sentences]) for s in aug.sections] == [
        (
            "overview",
            ["2020年8月没有版面：语料中没有日期落在2020年8月1日至2020年8月31日的版面，无法撰写简报。"],
        )
    ]
    assert "没有版面" in markdown.to_markdown(aug)
    doc = docx.Document(io.BytesIO(word.to_docx(aug)))
    assert len(doc.inline_shapes) == 0 and any("方法与来源" == p.text for p in doc.paragraphs)


def test_the_articles_marked_by_the_caller_are_the_ones_counted(sample_inputs, july):
    marked = shapes.is_article(sample_inputs.articles, sample_inputs.pages).to_numpy(dtype=bool)
    given = dataclasses.replace(sample_inputs, articles_marked=marked)
    same = build.build_brief(given, bp.parse_period("2020-07"))
    assert markdown.to_markdown(same) == markdown.to_markdown(july)  # as when worked out here
    none = dataclasses.replace(sample_inputs, articles_marked=np.zeros(len(marked), dtype=bool))
    assert "刊发文章 0 篇" in "".join(texts(build.build_brief(none, bp.parse_period("2020-07")), "overview"))


def test_pages_but_no_theme_hits(sample_inputs):
    bare = dataclasses.replace(sample_inputs, theme_hits=schemas.ARTICLE_THEMES.empty())
    said = texts(build.build_brief(bare, bp.parse_period("2020-07")), "themes")
    assert said == ["本月的新闻报道（新闻、图片新闻、评论）没有命中主题词典中的任何主题。"]
    no_dict = dataclasses.replace(sample_inputs, theme_labels={})
    assert texts(build.build_brief(no_dict, bp.parse_period("2020-07")), "themes") == [
        "主题词典不可用或没有主题，本节暂缺。"
    ]


def test_people_when_a_frame_is_given(sample_inputs):
    people = pd.DataFrame(
        {
            "name": ["周军波", "市发改局"],
            "kind": ["人物", "机构"],
            "appearances": [3, 5],
            "articles": [["c45f6d5d838722f9-01", "c45f6d5d838722f9-02"], 1],
        }
    )
    b = build.build_brief(dataclasses.replace(sample_inputs, people=people), bp.parse_period("2020-07"))
    said = b.section("people").sentences
    assert [s.text for s in said] == [
        "本月识别出人物 1 个：",
        "周军波（人物）：出现 3 次，见于 2 篇文章。",
        "本月识别出机构 1 个：",
        "市发改局（机构）：出现 5 次，见于 1 篇文章。",
    ]
    assert [c.article_id for c in said[1].citations] == ["c45f6d5d838722f9-01", "c45f6d5d838722f9-02"]
    empty = dataclasses.replace(sample_inputs, people=people.head(0))
    assert texts(build.build_brief(empty, bp.parse_period("2020-07")), "people") == [
        "本月没有识别出人物与机构。"
    ]


def test_people_from_the_people_pages_mentions(july, sample_inputs):
    """The 人物 page's own table of the period (people.tables), people first, then organisations."""
    said = july.section("people").sentences
    assert said[0].text.startswith("本月识别出人物 ") and any(
        s.text.startswith("本月识别出机构 ") for s in said
    )
    table = build.people_frame(sample_inputs.people_mentions, bp.parse_period("2020-07"))
    top = table[table["kind"] != "机构"].iloc[0]
    assert said[1].text.startswith(f"{top['name']}（{top['kind']}")
    assert {c.article_id for s in said for c in s.citations} <= set(top["articles"]) | {
        a for ids in table["articles"] for a in ids
    }
    missing = dataclasses.replace(sample_inputs, people_mentions=None)
    assert texts(build.build_brief(missing, bp.parse_period("2020-07")), "people") == [
        build.PEOPLE_MISSING_ZH
    ]


def test_document_titles():
    assert sl.document_titles("《平湖市志》和“两稳一保”《平湖市志》，《》《决定》") == ["《平湖市志》"]


def test_progress_lists_one_figure_per_project(july):
    said = texts(july, "progress")
    assert said[0].startswith("本月报道项目进度数据 16 条，涉及 7 个项目或项目组；每个项目取最近的一条")
    assert len(said) == 1 + 7
    assert sum("“百年百项”" in t for t in said) == 1 and "完成进度 111.8%" in next(
        t for t in said if "百年百项" in t
    )


# ---------------------------------------------------------------- the Word file and Markdown


def test_the_word_file_has_every_section_the_charts_and_the_cited_articles(july, tmp_path):
    doc = docx.Document(io.BytesIO(word.to_docx(july, tmp_path)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [*build.SECTION_TITLES.values(), "引用文章", "方法与来源"]
    assert doc.paragraphs[0].text == july.title
    assert len(doc.inline_shapes) == 2  # daily articles, theme shares
    cited, method = doc.tables
    assert [c.text for c in cited.rows[0].cells] == ["序号", "日期", "版面", "标题", "编号"]
    assert [r.cells[3].text for r in cited.rows[1:]] == [c.headline for c in july.citations]
    assert cited.rows[1].cells[1].text == "2020年7月22日" and cited.rows[1].cells[2].text == "头条"
    items = {r.cells[0].text: r.cells[1].text for r in method.rows[1:]}
    assert {"语料", "主题词典", "地名词表", "事件列表", "看板版本", "解析器版本"} <= set(items)
    assert items["语料"].startswith("文件夹 corpus · 版面文件 5 个")
    body = "\n".join(p.text for p in doc.paragraphs)
    for section in july.sections:
        for s in section.sentences:
            assert s.text in body


def test_markdown_numbers_the_citations(july):
    text = markdown.to_markdown(july)
    assert text.startswith(f"# {july.title}\n")
    assert "## 引用文章" in text and "## 方法与来源" in text
    assert "- 7月22日：《平湖重点项目建设加速度》（1,142 字）。［1］" in text
    assert "1. 2020年7月22日 · 头条 · 平湖重点项目建设加速度（编号 c45f6d5d838722f9\\-01）" in text


CRAFTED = [
    "标题\x00含\x07控制\x1b字符",  # (a lone surrogate cannot be in a frame: Arrow strings are UTF-8)
    "# 假标题\n## 二级",
    "[点我](javascript:alert(1)) ![图](http://x/a.png)",
    "<script>alert('x')</script><b>粗</b>",
    "**粗** _斜_ `代码` | 竖线 | \\ 反斜杠 :material/home: $x$",
    "\ufffe\uffff尾",
]


def crafted_inputs(headlines: list[str]) -> build.BriefInputs:
    days = [f"2020-07-{i + 1:02d}" for i in range(len(headlines))]
    pages = pages_frame(*days)
    rows = [
        {
            "article_id": f"p{i}-01",
            "page_id": f"p{i}",
            "date": d,
            "title": h,
            "chars": 100,
            "order": 0,
            "body": "正文",
        }
        for i, (d, h) in enumerate(zip(days, headlines, strict=True))
    ]
    arts = articles_frame(*rows)
    return build.BriefInputs(
        articles=arts,
        pages=pages,
        theme_hits=hits_frame(*[(r["article_id"], "t") for r in rows]),
        theme_labels={"t": "主题<b>"},
        prominence=pr.prominence(arts, pages, pr.FALLBACK),
        events=ev.EMPTY,
    )


def test_crafted_headlines_break_neither_markdown_nor_word(tmp_path):
    brief = build.build_brief(crafted_inputs(CRAFTED), bp.parse_period("2020-07"))
    assert len(brief.citations) == len(CRAFTED)
    text = markdown.to_markdown(brief)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", text)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        f"# {markdown.safe(brief.title)}",
        *(f"## {t}" for t in [*build.SECTION_TITLES.values(), "引用文章", "方法与来源"]),
    ]
    assert "<script>" not in text and "](" not in text.replace("\\](", "") and "\\<script\\>" in text
    data = word.to_docx(brief, tmp_path)
    doc = docx.Document(io.BytesIO(data))
    cells = [r.cells[3].text for r in doc.tables[0].rows[1:]]
    assert cells == [m.clean(h) for h in CRAFTED]
    assert "标题含控制字符" in cells and "# 假标题 ## 二级" in cells


def test_an_item_without_any_title_is_named_by_the_start_of_its_body():
    """A lead or a citation of an item with no title, subtitle or kicker shows the start of its body
    (``timeline.display_title``), the body read for that item alone — inside the period and cited from
    another."""
    body = "　　本报讯  市委书记昨天调研了城市更新项目的推进情况，并提出要求。"
    rows = [
        {"article_id": "p0-01", "page_id": "p0", "date": "2020-07-01", "title": "", "kicker": " ",
         "chars": 500, "order": 0, "body": body},
        {"article_id": "p1-01", "page_id": "p1", "date": "2020-06-01", "title": "六月的标题",
         "chars": 400, "order": 0, "body": "六月的正文。"},
    ]  # fmt: skip
    arts = articles_frame(*rows)
    pages = pages_frame("2020-07-01", "2020-06-01")
    inputs = build.BriefInputs(
        articles=arts,
        pages=pages,
        theme_hits=hits_frame(),
        theme_labels={},
        prominence=pr.prominence(arts, pages, pr.FALLBACK),
    )
    shown = tl.display_title(arts.iloc[0].to_dict())
    assert shown == "本报讯 市委书记昨天调研了城市更新项目的…"
    brief = build.build_brief(inputs, bp.parse_period("2020-07"))
    assert [c.headline for c in brief.citations] == [shown]
    assert any(f"《{shown}》" in sentence for sentence in texts(brief, "leads"))
    june = build._Slice(inputs, bp.parse_period("2020-06"))
    assert [c.headline for c in june.cite(["p0-01", "p1-01"])] == [shown, "六月的标题"]


# ---------------------------------------------------------------- numbers: printed = stated


def articles_frame(*rows: dict) -> pd.DataFrame:
    base = {c: None for c in schemas.ARTICLES.names} | {"kind": "news", "date_source": "filename", "order": 0}
    return schemas.conform(pd.DataFrame([base | r for r in rows]), schemas.ARTICLES)


def pages_frame(*dates: str) -> pd.DataFrame:
    base = {c: None for c in schemas.PAGES.names} | {
        "date_source": "filename",
        "layout": "clean",
        "page_no": "",
    }
    rows = [base | {"date": d, "page_id": f"p{i}", "source": f"p{i}.txt"} for i, d in enumerate(dates)]
    return schemas.conform(pd.DataFrame(rows), schemas.PAGES)


def hits_frame(*pairs: tuple[str, str]) -> pd.DataFrame:
    rows = [
        {"article_id": a, "theme_id": t, "theme_label": t.upper(), "theme_group": "", "title_hits": 0,
         "body_hits": 1, "hits": 1, "weight": 1.0, "in_title": False, "terms": "词"}
        for a, t in pairs
    ]  # fmt: skip
    return schemas.conform(pd.DataFrame(rows, columns=schemas.ARTICLE_THEMES.names), schemas.ARTICLE_THEMES)


DIGITS = re.compile(r"\d")


def check_numbers(brief: m.Brief) -> None:
    """Every digit printed is inside a number or a name from the data; every number prints its value;
    every share prints its numerator and denominator in the same sentence."""
    for section in brief.sections:
        for s in section.sentences:
            for seg in s.segments:
                if isinstance(seg, str):
                    assert not DIGITS.search(seg), (seg, s.text)
            for num in s.numbers:
                assert num.counts, num
                if num.text == "—":
                    continue
                assert abs(m.printed_value(num) - num.value) <= m.tolerance(num), num
                if num.numerator is not None:
                    assert num.value == pytest.approx(num.numerator / num.denominator)
                    values = [x.value for x in s.numbers]
                    assert num.numerator in values and num.denominator in values, s.text


@st.composite
def corpora(draw):
    n_days = draw(st.integers(1, 6))
    days = sorted(draw(st.sets(st.integers(1, 60), min_size=n_days, max_size=n_days)))
    dates = [(dt.date(2020, 6, 1) + dt.timedelta(days=d)).isoformat() for d in days]
    pages = pages_frame(*dates)
    rows, hits = [], []
    for i, d in enumerate(dates):
        for j in range(draw(st.integers(0, 4))):
            aid = f"p{i}-{j:02d}"
            kind = draw(st.sampled_from(["news", "news", "photo", "commentary", "ad"]))
            rows.append({"article_id": aid, "page_id": f"p{i}", "date": d, "kind": kind, "title": f"标题{i}{j}",
                         "chars": draw(st.integers(0, 30_000)), "order": j, "body": "正文"})  # fmt: skip
            hits += [(aid, t) for t in draw(st.sets(st.sampled_from(["a", "b", "c"]), max_size=2))]
    arts = articles_frame(*rows) if rows else schemas.ARTICLES.empty()
    places = schemas.conform(
        pd.DataFrame(
            [
                {
                    "article_id": r["article_id"],
                    "place": "当湖街道",
                    "place_kind": "街道",
                    "parent": "",
                    "mentions": 2,
                }
                for r in rows[::2]
            ],
            columns=schemas.ARTICLE_PLACES.names,
        ),
        schemas.ARTICLE_PLACES,
    )
    return build.BriefInputs(
        articles=arts,
        pages=pages,
        theme_hits=hits_frame(*hits),
        theme_labels={"a": "甲", "b": "乙", "c": "丙"},
        places=places,
        prominence=pr.prominence(arts, pages, pr.FALLBACK),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=corpora(), which=st.sampled_from(["2020-06", "2020-07", "2020Q3", "range"]))
def test_every_number_printed_is_in_its_stated_data(inputs, which):
    period = bp.date_range(D(2020, 6, 20), D(2020, 7, 10)) if which == "range" else bp.parse_period(which)
    brief = build.build_brief(inputs, period)
    check_numbers(brief)
    if not brief.has_pages:
        return
    arts = inputs.articles
    inside = arts[(arts["date"] >= pd.Timestamp(period.start)) & (arts["date"] <= pd.Timestamp(period.end))]
    articles = inside["kind"].astype(str).isin(["news", "photo", "commentary"])
    said = {n.counts: n.value for s in brief.section("overview").sentences for n in s.numbers}
    this = period.this_zh
    assert said[f"{this}的文章篇数"] == articles.sum()
    assert said[f"{this}文章正文字数"] == inside.loc[articles, "chars"].sum()
    days = inputs.pages[
        (inputs.pages["date"] >= pd.Timestamp(period.start))
        & (inputs.pages["date"] <= pd.Timestamp(period.end))
    ]
    assert said[f"{this}有版面的天数"] == days["date"].nunique() == said[f"{this}的版面数"]


def test_the_numbers_table_says_what_every_number_counts(july):
    from pinghu_core.brief import view as bv

    table = bv.numbers_table(july)
    assert list(table.columns) == list(bv.NUMBER_COLUMNS)
    assert len(table) == sum(len(s.numbers) for sec in july.sections for s in sec.sentences)
    assert table["所计的对象"].str.len().min() > 0
    row = table[table["所计的对象"] == "本月的文章篇数"].iloc[0]
    assert (row["章节"], row["数字"]) == ("概况", "7")


def test_the_charts_data_as_downloaded(july):
    """The 简报 page's two charts download their data: every day of the month (a day without pages
    empty, not zero) and each theme's share in both periods, in per cent."""
    daily, shares = bv.daily_table(july), bv.theme_shares_table(july)
    assert list(daily.columns) == ["日期", "文章篇数"] and len(daily) == 31
    assert daily["文章篇数"].notna().sum() == 1 and daily["文章篇数"].dropna().tolist() == [7]
    assert list(shares.columns) == ["主题", "2020年7月占比(%)", "2020年6月占比(%)"]
    assert shares["2020年7月占比(%)"].iloc[0] == 28.6 and shares["2020年6月占比(%)"].isna().all()


def test_the_daily_chart_has_a_legend_entry_only_for_what_it_draws(tmp_path):
    """Seen on a real month with a page every day: the legend showed 无版面 in matplotlib's default
    blue (an empty series), under a caption that says grey is a day without pages."""
    from matplotlib.colors import to_hex

    from pinghu_core.brief import charts

    days = pd.date_range("2020-02-01", periods=29)
    every_day = pd.DataFrame({"date": days, "articles": [7.0] * 29})
    legend = charts.daily_figure(every_day, tmp_path).axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["文章篇数"]
    some_gaps = every_day.assign(articles=[float("nan") if d.day % 7 == 0 else 7.0 for d in days])
    legend = charts.daily_figure(some_gaps, tmp_path).axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["无版面", "文章篇数"]
    colours = [to_hex(h.get_facecolor()) for h in legend.legend_handles]
    assert colours == [charts.GAP_COLOR, charts.LATER_COLOR]
    no_pages = every_day.assign(articles=float("nan"))
    legend = charts.daily_figure(no_pages, tmp_path).axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["无版面"]
    assert charts.daily_figure(every_day.head(0), tmp_path) is None
    assert charts.daily_png(every_day, tmp_path).startswith(b"\x89PNG")


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _legend_clear_of(fig) -> list[str]:
    """What the legend of ``fig``'s axes covers once drawn: the axes area, a tick label or the axis titles."""
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    covered = ["axes"] if _overlaps(legend, ax.get_window_extent()) else []
    labels = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label, ax.yaxis.label, ax.title]
    covered += [t.get_text() for t in labels if t.get_text() and _overlaps(legend, t.get_window_extent())]
    return covered


def test_the_charts_legends_cover_no_bar_and_no_label(tmp_path):
    """Seen on a real month (人民日报, 2020年2月): the daily chart's legend, top right inside the axes,
    sat on the last days' bars, the tallest of the month."""
    from pinghu_core.brief import charts

    days = pd.date_range("2020-02-01", periods=29)
    rising = pd.DataFrame({"date": days, "articles": [float(30 + 3 * i) for i in range(29)]})
    assert _legend_clear_of(charts.daily_figure(rising, tmp_path)) == []
    gaps = rising.assign(articles=[float("nan") if d.day % 7 == 0 else 90.0 for d in days])
    assert _legend_clear_of(charts.daily_figure(gaps, tmp_path)) == []
    even = pd.DataFrame(
        {
            "label": [f"主题{i}" for i in range(6)],
            "later_share": [0.3, 0.29, 0.28, 0.27, 0.26, 0.25],
            "earlier_share": [0.31, 0.3, 0.29, 0.28, 0.27, 0.26],
        }
    )
    fig = charts.theme_shares_figure(even, "2020年2月", "2020年1月", tmp_path)
    assert _legend_clear_of(fig) == []
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["2020年2月", "2020年1月"]


def _ranked_by_frames(s, article_ids) -> list[str]:
    """How a slice ranks articles, said with frames: 头条 first, then 头版, then more characters, then
    the earlier day (undated last), then the id."""
    rows = s.light[s.light["article_id"].isin(set(map(str, article_ids)))]
    p = s.prominence.loc[rows.index]
    order = pd.DataFrame(
        {
            "id": rows["article_id"].to_numpy(),
            "lead": p["lead"].to_numpy(dtype=bool),
            "front": p["front"].to_numpy(dtype=bool),
            "chars": rows["chars"].to_numpy(),
            "date": rows["date"].to_numpy(),
        }
    ).sort_values(["lead", "front", "chars", "date", "id"], ascending=[False, False, False, True, True])
    return order["id"].drop_duplicates().tolist()


@pytest.mark.parametrize("period", ["2020-07", "2020Q3", "2020", "2020-06-01_2020-12-31"])
def test_a_slice_ranks_cites_and_weighs_themes_as_the_frames_say(sample_inputs, period):
    """The slice's citations, ranking and theme weights (kept per slice, in plain Python) against the
    same said with frames, for every article of the period, each half and each theme."""
    s = build._Slice(sample_inputs, bp.from_text(period))
    ids = list(s.light["article_id"])
    assert ids, "the sample corpus has articles in this period"
    for chosen in (ids, ids[::2], ids[1::2], ids[:1], []):
        assert s.ranked(chosen) == _ranked_by_frames(s, chosen)
    cited = s.cite([*ids[:3], "no-such-article"])
    assert [c.article_id for c in cited] == ids[:3]
    assert [c.page for c in cited] == s.where(s.light.head(3))  # inside the period: where each stood
    assert any(c.page for c in cited)
    hits = sample_inputs.theme_hits
    inside = hits[hits["article_id"].astype(str).isin(s.ids)]
    expected = {
        theme: dict(rows.groupby(rows["article_id"].astype(str))["weight"].max())
        for theme, rows in inside.groupby(inside["theme_id"].astype(str))
    }
    assert s.theme_weights(hits) == expected and expected


# ---------------------------------------------------------------- the corpus' rows, taken once


@st.composite
def unordered_items(draw):
    """Items in no date order, under index labels that are not their positions, some sharing an id,
    their text naming documents in 《》 (short ones too) — what a brief's two slices are taken from."""
    titles = ["《平湖市村庄规划》", "《决定》", "《中华人民共和国民法典》", "《意见》", "《嘉兴日报》"]
    n = draw(st.integers(0, 14))
    shared_ids = draw(st.booleans())  # else each item has an id of its own (a corpus' stored titles apply)
    rows = []
    for i in range(n):
        day = dt.date(2020, 5, 1) + dt.timedelta(days=draw(st.integers(0, 100)))
        body = "".join(draw(st.lists(st.sampled_from([*titles, "正文。"]), max_size=4)))
        aid = f"a{draw(st.integers(0, max(n - 2, 0)))}" if shared_ids else f"a{i}"
        rows.append({"article_id": aid, "page_id": f"p{i}",
                     "date": None if draw(st.integers(0, 9)) == 0 else day.isoformat(),
                     "kind": draw(st.sampled_from(["news", "photo", "commentary", "ad", "guide"])),
                     "title": draw(st.sampled_from(["标题", "学习《平湖市村庄规划》", ""])), "chars": len(body),
                     "order": i, "body": body})  # fmt: skip
    arts = articles_frame(*rows) if rows else schemas.ARTICLES.empty()
    labels = draw(st.permutations(range(100, 100 + len(arts)))) if len(arts) else []
    return arts.set_axis(pd.Index(labels, dtype="int64"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    arts=unordered_items(),
    which=st.sampled_from(["2020-06", "2020-07", "2020Q2", "2020-05-15_2020-06-20"]),
    stored=st.booleans(),
)
def test_a_slice_of_the_corpus_rows_is_what_its_own_items_say(arts, which, stored):
    """The light rows, news flags and documents a slice takes from the corpus' (worked out once per
    corpus, the titles found in the texts or — ``stored`` — read from the corpus' stored titles by
    article) are exactly those its own items give, in their order and under their index labels."""
    dates = sorted({d.date().isoformat() for d in arts["date"].dropna()}) or ["2020-06-01"]
    pages = pages_frame(*dates)
    titles = sl.article_documents(arts) if stored else None
    rows = build.corpus_rows(arts, pages, pr.FALLBACK.front_page_nos, titles=titles)
    inputs = build.BriefInputs(
        articles=arts, pages=pages, theme_hits=hits_frame(), theme_labels={}, rows=rows
    )
    s = build._Slice(inputs, bp.from_text(which))
    assert list(s.items.columns) == build.ITEM_COLUMNS
    items = arts.loc[s.rows]  # every column of the period's items
    pd.testing.assert_frame_equal(s.items, items[build.ITEM_COLUMNS])
    expected_light = items[build.LIGHT_COLUMNS].assign(article_id=items["article_id"].astype(str))
    pd.testing.assert_frame_equal(s.light, expected_light)
    assert s.news.tolist() == items["kind"].astype(str).isin(["news", "photo", "commentary"]).tolist()
    got, want = build._slice_documents(inputs, s), build.period_documents(items)
    # the documents by their definition: the titles of every news item's text, none skipped
    news = items["kind"].astype(str).isin(["news", "photo", "commentary"])
    texts = ["\n".join(map(str, parts)) for parts in items.loc[news, ["kicker", "title", "subtitle", "body"]].fillna("").itertuples(index=False)]  # fmt: skip
    definition = [
        (t, str(a), None if pd.isna(d) else d)
        for a, d, text in zip(items.loc[news, "article_id"], items.loc[news, "date"], texts, strict=True)
        for t in sl.document_titles(text)
    ]
    said = [(t, a, None if pd.isna(d) else d) for t, a, d in want.itertuples(index=False)]
    assert said == definition
    assert list(got.columns) == list(want.columns) and got.index.equals(want.index)
    assert got.to_dict("records") == want.to_dict("records")  # (an empty one's text column: any dtype)


def test_a_brief_from_corpus_rows_kept_by_the_caller_is_the_same(sample_inputs, july):
    rows = build.corpus_rows(sample_inputs.articles, sample_inputs.pages, pr.rules().front_page_nos)
    again = build.build_brief(dataclasses.replace(sample_inputs, rows=rows), bp.parse_period("2020-07"))
    assert markdown.to_markdown(again) == markdown.to_markdown(july)
    assert again.citations == july.citations and again.title == july.title
    assert len(rows.documents) and set(rows.documents.columns) == {"title", "article_id", "date", "row"}
