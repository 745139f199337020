"""人物与机构: the rules on real snippets, the golden list of every official named with a post on the
five sample pages, data/people.toml, the frames, and properties over generated text."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinghu_core.common import schemas
from pinghu_core.corpus import derived, ingest, prominence
from pinghu_core.people import charts, extract, rules, tables
from pinghu_core.people import directory as people_directory

ROOT = Path(__file__).resolve().parent.parent
RULES = rules.rules()
DIRECTORY = people_directory.load_directory(ROOT / "data" / "people.toml")
EMPTY = people_directory.Directory("")


def people(text: str, directory=EMPTY, bylines=(), not_names=(), day=None) -> set[tuple[str, str]]:
    """(name, post) of every person ``text`` names."""
    found = extract.find_people(text, RULES, directory, day, bylines, not_names)
    return {(f.name, f.post) for f in found if f.kind != "organisation"}


def orgs(text: str, directory=EMPTY) -> list[str]:
    return [f.name for f in extract.find_people(text, RULES, directory) if f.kind == "organisation"]


# ---------------------------------------------------------------- snippets of the sample pages and of the issue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the examples
        ("市委书记仲旭东在会上强调", {("仲旭东", "市委书记")}),
        ("市长周军波说", {("周军波", "市长")}),
        ("市委副书记、市长周军波主持会议", {("周军波", "市委副书记、市长")}),
        (
            "市领导何健、王建坤、陈王进等出席会议。",
            {("何健", "市领导"), ("王建坤", "市领导"), ("陈王进", "市领导")},
        ),
        (
            "“我们在服务重大项目推进过程中着力做好。”市发改局节能行政执法队大队长赵中尤说，",
            {("赵中尤", "市发改局节能行政执法队大队长")},
        ),
        # a run of posts: a bare 副主任 takes the body of the post before it; 党组成员 too
        (
            "市人大常委会主任胡水良,副主任方向明、姚田宝,党组成员胡志梁参加。副市长沈志凤陪同。",
            {
                ("胡水良", "市人大常委会主任"),
                ("方向明", "市人大常委会副主任"),
                ("姚田宝", "市人大常委会副主任"),
                ("胡志梁", "市人大常委会党组成员"),
                ("沈志凤", "副市长"),
            },
        ),
        # names before 等 and a collective post
        ("11月9日晚，石云良、王道平等市领导出席，", {("石云良", "市领导"), ("王道平", "市领导")}),
        # words before the post are cut off (见到), quoted unit names kept
        ("……见到新埭镇综合文化站站长周建平时，她正戴着", {("周建平", "新埭镇综合文化站站长")}),
        ("独山港镇“退散进集”办工作人员江秋良说。", {("江秋良", "独山港镇“退散进集”办工作人员")}),
        # a two-character name; a name then a one-character stop
        ("公司负责人闫斌对今年公司的生产仍充满信心。", {("闫斌", "公司负责人")}),
        ("村民朱琴勤说。", {("朱琴勤", "村民")}),
        # a title after the name; a title of a name is no post for what follows it
        ("习近平总书记强调，", {("习近平", "总书记")}),
        ("继续贯彻落实习近平总书记贺信的重要指示", set()),
        ("负责讲授课的伍静副教授，即将开始", {("伍静", "副教授")}),
        # transliterated names; 和 closing a name before a comma
        (
            "查理大学捷克中国中心执行秘书长米洛斯·巴拉班表示，",
            {("米洛斯·巴拉班", "查理大学捷克中国中心执行秘书长")},
        ),
        ("国务委员兼国防部长魏凤和，中央军委委员", {("魏凤和", "国务委员兼国防部长")}),
        # brackets: a company's bracketed place is part of the post; a closed byline bracket is not
        ("招商局重工（江苏）有限公司总经理姚汝林说，", {("姚汝林", "招商局重工（江苏）有限公司总经理")}),
        ("（记者王迪）国务院总理李克强10月18日下午", {("李克强", "国务院总理")}),
        # never a person: bylines, places, slogans, common words, a surname with a title
        ("■记者 冯思家", set()),
        ("本报讯（记者 张三 通讯员 李四）昨天", set()),
        ("平湖市委、市政府坚决贯彻落实上级部署", set()),
        ("走进独山港镇渡船桥工业集聚点", set()),
        ("“凤凰筑巢来 民族一家亲”民族文化互融共享项目启动", set()),
        ("邓瑞甫1934年出生于重庆市长寿区，", set()),
        ("桃价涨了，村民富了，兰英自己", set()),
        ("熬糖稀的活，落在老师傅身上。", set()),
        ("主任医师高铁说，“当天上午", set()),
        ("乡镇的党委书记霍书记，也是", set()),
        ("并决定加强东盟成员国之间的合作", set()),
        ("南河头历史文化街区正吸引着游客和商家的目光", set()),
    ],
)
def test_people_in_snippets(text, expected):
    assert people(text) == expected


def test_a_byline_name_is_never_a_person():
    text = "市长李雨婷说，记者李雨婷报道。"
    assert people(text) == {("李雨婷", "市长")}
    assert people(text, bylines=["李雨婷"]) == set()


def test_a_place_name_is_never_a_person():
    assert people("主任林埭说") == {("林埭", "主任")}  # no place list: read as a name
    assert people("主任林埭说", not_names=["林埭"]) == set()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("市委书记仲旭东说", "official"),
        ("市重点项目管理服务中心主任翁辞渊告诉记者", "official"),  # a city body without 局/委 in its name
        ("当湖街道凤凰社区党委书记朱根华说", "official"),
        ("耦耕堂村书记邱安健介绍", "official"),
        ("市城投集团党委副书记、总经理陈慧刚说", "person"),  # a company's
        ("青海省互助土族自治县五十镇班彦村村民吕有荣，", "person"),  # a villager, wherever
        ("沈家弄村网格员戈建平说", "person"),
        ("万纬冷链物流总经理陈君城说道", "person"),
    ],
)
def test_kinds(text, kind):
    assert [f.kind for f in extract.find_people(text, RULES) if f.kind != "organisation"] == [kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昨天,记者从市经信局了解到,今年", ["市经信局"]),
        ("在具体机制方面,市重点项目管理服务中心除了继续实行", ["市重点项目管理服务中心"]),
        ("市发改局节能行政执法队大队长赵中尤说", ["市发改局节能行政执法队"]),
        ("市委宣传部常务副部长莫忠海说", ["市委宣传部"]),
        ("市民生共享工程指挥部办公室联合市总工会，在去年", ["市民生共享工程指挥部办公室", "市总工会"]),
        ("当湖街道经济发展办工业腾退工作组工作人员沈宇光说", ["当湖街道经济发展办"]),
        ("嘉兴市人大常委会副主任张永红率检查组", ["嘉兴市人大常委会"]),
        ("听说宁波市政府协调免费专列", ["宁波市政府"]),  # a city jieba knows as a place
        # towns, streets and villages are places, not organisations; meetings and campaigns are no organisations
        ("新仓镇率先抱团发展", []),
        ("昨天晚上，全市重大项目推进会召开", []),
        ("我市10个省“4+1”重大项目", []),
        ("国家生态文明建设示范市创建暨爱国卫生运动推进会", []),
        ("引领全市优美庭院创建水平", []),
        ("中央芭蕾舞团所有的年轻人", []),
        ("许多历史文化名城是我国古代的区域中心", []),
        ("安多县城只有一条街，“县城离车站远远的”", []),
        ("某些国家政府和媒体反应过度", []),
    ],
)
def test_organisations_in_snippets(text, expected):
    assert orgs(text) == expected


def test_the_directory_gives_standard_names_and_the_post_of_the_day():
    text = "仲旭东指出，要咬定目标。平湖城投加快转型。北京市委书记说"
    found = extract.find_people(text, RULES, DIRECTORY, dt.date(2025, 8, 17))
    assert [(f.name, f.post, f.how) for f in found if f.kind != "organisation"] == [
        ("仲旭东", "市委书记", "directory")
    ]
    assert [f.name for f in found if f.kind == "organisation"] == [
        "市城投集团",
        "北京市委",
    ]  # not Pinghu's 市委
    earlier = extract.find_people("仲旭东指出", RULES, DIRECTORY, dt.date(2020, 7, 22))
    assert earlier[0].post == "市委副书记、市长"
    assert extract.find_people("仲旭东指出", RULES, DIRECTORY, dt.date(2023, 1, 1))[0].post == ""


def test_a_name_again_in_the_article_keeps_its_printed_post():
    found = extract.find_people("市科协主席林士良告诉记者。……林士良说。", RULES)
    assert [(f.name, f.post, f.how) for f in found if f.kind != "organisation"] == [
        ("林士良", "市科协主席", "printed"),
        ("林士良", "市科协主席", "article"),
    ]


def test_sentence_span():
    text = "第一句。市长周军波说：好！第三句"
    s, e = extract.sentence_span(text, text.index("周"), text.index("周") + 3)
    assert text[s:e] == "市长周军波说：好！"


# ---------------------------------------------------------------- the five sample pages (golden)

# Every official named with a post on the five sample pages, read from the pages: (page date, name, post).
OFFICIALS = [
    ("2020-07-22", "蒋亚青", "新球镇经济发展办副主任"),
    ("2020-07-22", "赵中尤", "市发改局节能行政执法队大队长"),
    ("2020-07-22", "翁辞渊", "市重点项目管理服务中心主任"),
    ("2020-07-22", "仲旭东", "市领导"),
    ("2020-07-22", "蔡国平", "市领导"),
    ("2020-07-22", "柯卫明", "市领导"),
    ("2020-07-22", "方晓烈", "市领导"),
    ("2020-07-22", "仲旭东", "市委副书记、市长"),
    ("2020-07-22", "胡水良", "市人大常委会主任"),
    ("2020-07-22", "方向明", "市人大常委会副主任"),
    ("2020-07-22", "姚田宝", "市人大常委会副主任"),
    ("2020-07-22", "金玉珍", "市人大常委会副主任"),
    ("2020-07-22", "陶明方", "市人大常委会副主任"),
    ("2020-07-22", "徐锦连", "市人大常委会副主任"),
    ("2020-07-22", "胡志梁", "市人大常委会党组成员"),
    ("2020-07-22", "沈志凤", "副市长"),
    ("2020-07-22", "朱根华", "当湖街道凤凰社区党委书记"),
    ("2020-11-10", "沈宇光", "当湖街道经济发展办工业腾退工作组工作人员"),
    ("2020-11-10", "江秋良", "独山港镇“退散进集”办工作人员"),
    ("2020-11-10", "姚怡琴", "钟埭街道农业农村办主任"),
    ("2020-11-10", "石云良", "市领导"),
    ("2020-11-10", "王道平", "市领导"),
    ("2020-11-10", "徐峰", "市委常委、纪委书记、市监委主任"),
    ("2020-11-10", "徐峰", "市纪委书记、市委巡察办主任"),
    ("2020-11-10", "沈祥根", "市审计局局长"),
    ("2020-11-10", "石云良", "市政协主席"),
    ("2020-11-10", "许静", "市政协副主席"),
    ("2020-11-10", "徐煜薇", "广陈镇团委书记"),
    ("2022-05-28", "张永红", "嘉兴市人大常委会副主任"),
    ("2022-05-28", "吴金华", "市领导"),
    ("2022-05-28", "莫放路", "市领导"),
    ("2022-05-28", "胡泓恬", "市领导"),
    ("2022-05-28", "钱勇彪", "市领导"),
    ("2022-05-28", "胡泓恬", "市委常委、常务副市长"),
    ("2022-05-28", "沈志凤", "市委常委、宣传部长、市民生优享工程指挥长"),
    ("2022-05-28", "林士良", "市科协主席"),
    ("2020-04-21", "莫忠海", "市委宣传部常务副部长、市民生共享工程指挥部办公室主任"),
    ("2020-04-21", "周建平", "新埭镇综合文化站站长"),
    ("2020-04-21", "纪卫林", "新埭镇党委委员"),
    *(
        ("2020-04-21", name, "市领导")
        for name in (
            "祁海龙",
            "仲旭东",
            "胡水良",
            "石云良",
            "王道平",
            "蔡国平",
            "方晓烈",
            "沈志凤",
            "唐华荣",
            "汤建萍",
        )
    ),
    ("2020-04-21", "习近平", "总书记"),
    ("2020-04-21", "钱勇彪", "市委常委、常务副市长"),
    ("2025-08-17", "仲旭东", "市委书记"),
    ("2025-08-17", "周军波", "市委副书记、市长"),
    ("2025-08-17", "何健", "市领导"),
    ("2025-08-17", "王建坤", "市领导"),
    ("2025-08-17", "陈王进", "市领导"),
    ("2025-08-17", "仲旭东", "市领导"),
    ("2025-08-17", "金一", "市领导"),
    ("2025-08-17", "许静", "市领导"),
    ("2025-08-17", "沈志凤", "市委常委、宣传部部长"),
    ("2025-08-17", "徐晓萍", "全公亭社区党委书记"),
    ("2025-08-17", "肖忠华", "新仓镇芦湾村党委书记"),
    ("2025-08-17", "夏竟舟", "市农业农村局农村合作经济指导服务中心主任"),
]
# Everyone else the pages print with a role.
OTHERS = [
    ("2020-07-22", "夏红强", "市城投集团资产经营部主任"),
    ("2020-07-22", "顾敏明", "城投集团下属南河头街区开发建设有限公司经理"),
    ("2020-07-22", "陈慧刚", "市城投集团党委副书记、总经理"),
    ("2020-11-10", "戈建平", "沈家弄村网格员"),
    ("2020-11-10", "朱琴勤", "村民"),
    ("2020-04-21", "闫斌", "公司负责人"),
    ("2020-04-21", "陈君城", "万纬冷链物流总经理"),
    ("2025-08-17", "张喜妹", "快递员"),
]


@pytest.fixture(scope="module")
def sample(sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    corpus = ingest.load_corpus(sample_corpus, cache_dir=tmp_path_factory.mktemp("cache"), progress=False)
    found = prominence.prominence(corpus.articles, corpus.pages, prominence.rules())
    gaz_names = ["当湖街道", "当湖", "钟埭街道", "钟埭", "新埭镇", "新仓镇", "独山港镇", "广陈镇", "林埭镇"]
    return corpus, found, tables.mentions(corpus.articles, RULES, DIRECTORY, gaz_names, found)


def _printed(mentions: pd.DataFrame, kind: str) -> set[tuple[str, str, str]]:
    rows = mentions[mentions["how"].astype(str).isin(tables.PRINTED_HOWS) & (mentions["kind"] == kind)]
    return {
        (d.date().isoformat(), n, p) for d, n, p in zip(rows["date"], rows["name"], rows["post"], strict=True)
    }


def test_every_official_on_the_sample_pages_is_found_with_the_post_printed(sample):
    _, _, mentions = sample
    schemas.check(mentions, schemas.PEOPLE_MENTIONS)
    assert _printed(mentions, "official") == set(OFFICIALS)


def test_everyone_else_printed_with_a_role_is_a_person(sample):
    assert _printed(sample[2], "person") == set(OTHERS)


def test_no_byline_name_and_no_place_is_taken_for_a_person(sample):
    corpus, _, mentions = sample
    bylines = {n for row in corpus.articles.to_dict("records") for n in tables.byline_names(row)}
    assert bylines and not bylines & set(mentions.loc[mentions["kind"] != "organisation", "name"])
    assert not {"平湖市", "平湖", "新埭镇", "当湖街道"} & set(mentions["name"])


def test_offsets_slice_the_article_text(sample):
    corpus, _, mentions = sample
    texts = {r["article_id"]: tables.article_text(r) for r in corpus.articles.to_dict("records")}
    for row in mentions.itertuples():
        written = texts[row.article_id][row.start : row.end]
        assert (
            written == row.name
            or DIRECTORY.person_of.get(written, None) is not None
            or (DIRECTORY.organisation_of.get(written) is not None)
        )
        assert row.sentence_start <= row.start and row.end <= row.sentence_end
        sentence = texts[row.article_id][row.sentence_start : row.sentence_end]
        assert written in sentence and sentence == sentence.strip()


def test_the_summary_table_timeline_and_pairs(sample):
    corpus, found, mentions = sample
    table = tables.people_table(mentions, kinds=["official"])
    schemas.check(table, schemas.PEOPLE_TABLE)
    top = table.iloc[0]
    assert (top["name"], top["articles"], top["first_date"].date(), top["last_date"].date()) == (
        "仲旭东",
        4,
        dt.date(2020, 4, 21),
        dt.date(2025, 8, 17),
    )
    assert "市委书记" in top["posts_seen"].split("；") and top["lead_appearances"] == 1
    assert set(tables.people_table(mentions, "2025-01-01", "2025-12-31")["last_date"].dt.year) == {2025}
    orgs_table = tables.people_table(mentions, kinds=["organisation"])
    assert {"市经信局", "市重点项目管理服务中心", "市发改局节能行政执法队"} <= set(orgs_table["name"])
    pages = tables.front_page_dates(corpus.articles, found)
    line = tables.person_timeline(
        mentions, "仲旭东", "year", pages, dict(zip(found["article_id"], found["page_key"], strict=True))
    )
    schemas.check(line, schemas.PERSON_TIMELINE)
    assert line["period_start"].dt.year.tolist() == [2020, 2021, 2022, 2023, 2024, 2025]
    assert line["pages"].tolist() == [3, 0, 1, 0, 0, 1]
    assert line["front_pages"].tolist() == [2, 0, 0, 0, 0, 1]
    assert line["share"].isna().tolist() == [
        False,
        True,
        False,
        True,
        True,
        False,
    ]  # no pages: no share, not 0
    pairs = tables.co_appearances(mentions)
    schemas.check(pairs, schemas.CO_APPEARANCES)
    assert ("仲旭东", "方晓烈", 2) in set(pairs.itertuples(index=False, name=None))
    assert (pairs["name_a"] < pairs["name_b"]).all()


def test_suggestions_from_the_sample_pages(sample):
    _, _, mentions = sample
    suggested = tables.suggestions(mentions, DIRECTORY)
    schemas.check(suggested, schemas.PEOPLE_SUGGESTIONS)
    assert ("赵中尤", "市发改局节能行政执法队大队长", "新人物") in set(
        suggested[["name", "post", "status"]].itertuples(index=False, name=None)
    )
    assert "仲旭东" not in set(suggested["name"])  # every post of his on the pages is in the file
    new_people = suggested[suggested["status"] == "新人物"]
    parsed = people_directory.parse_directory(tables.suggestions_toml(new_people))
    assert {p.name for p in parsed.people} == set(new_people["name"])


def test_mentions_of_nothing():
    assert tables.mentions(schemas.ARTICLES.empty()).empty
    frame = schemas.PEOPLE_MENTIONS.empty()
    assert tables.people_table(frame).empty and tables.co_appearances(frame).empty
    assert tables.person_timeline(frame, "某人", "month", pd.DataFrame({"date": []})).empty


def test_stored_mentions_are_computed_once(sample, tmp_path, monkeypatch):
    corpus, found, mentions = sample
    args = (corpus.articles, found, RULES, DIRECTORY, ["当湖"], tmp_path, "fp")
    first = tables.stored_mentions(*args)
    assert list(tmp_path.glob(f"{derived.FOLDER}/people-*.parquet"))
    monkeypatch.setattr(tables, "mentions", lambda *a, **k: pytest.fail("computed again"))
    pd.testing.assert_frame_equal(tables.stored_mentions(*args), first)


def test_stored_mentions_keep_sentence_offsets_and_the_sentences_are_read_from_the_articles(sample, tmp_path):
    """The mentions keep where each sentence is, not its text (a real corpus' sentences are mostly
    distinct: a column of them copied most of the text of every article naming someone).  Read back
    from the store, every sentence is the one around the name, as the paper printed it."""
    corpus, found, mentions = sample
    first = tables.stored_mentions(corpus.articles, found, RULES, DIRECTORY, ["当湖"], tmp_path, "fp")
    (path,) = tmp_path.glob(f"{derived.FOLDER}/people-*.parquet")
    stored = pq.read_schema(path)
    assert "sentence" not in stored.names
    assert pa.types.is_int32(stored.field("sentence_start").type)
    again = tables.stored_mentions(corpus.articles, found, RULES, DIRECTORY, ["当湖"], tmp_path, "fp")
    pd.testing.assert_frame_equal(again, first)
    texts = {r["article_id"]: tables.article_text(r) for r in corpus.articles.to_dict("records")}
    expected = []
    for row in again.itertuples():
        s, e = extract.sentence_span(texts[row.article_id], row.start, row.end)
        expected.append(texts[row.article_id][s:e].strip())
    assert tables.mention_sentences(again, corpus.articles) == expected
    assert any("。" in x[:-1] or len(x) > 20 for x in expected)  # whole sentences, not just the names


def test_a_mention_whose_article_is_gone_has_an_empty_sentence(sample):
    corpus, _, mentions = sample
    gone = mentions.iloc[0]["article_id"]
    kept = corpus.articles[corpus.articles["article_id"] != gone]
    got = tables.mention_sentences(mentions, kept)
    assert [g for g, a in zip(got, mentions["article_id"], strict=True) if a == gone] == [""] * int(
        (mentions["article_id"] == gone).sum()
    )
    assert all(g for g, a in zip(got, mentions["article_id"], strict=True) if a != gone)
    assert tables.mention_sentences(mentions.iloc[:0], corpus.articles) == []


def test_mention_rows_give_the_sentence_as_text_in_place_of_its_offsets(sample):
    corpus, _, mentions = sample
    rows = tables.mention_rows(mentions, corpus.articles)
    schemas.check(rows, schemas.PEOPLE_MENTION_ROWS)
    assert "sentence_start" not in rows and rows["sentence"].tolist() == tables.mention_sentences(
        mentions, corpus.articles
    )
    pd.testing.assert_frame_equal(
        rows.drop(columns="sentence"),
        mentions.drop(columns=["sentence_start", "sentence_end", "first_in_sentence"]),
    )


def test_each_sentence_of_a_name_is_listed_once_per_article(sample):
    """``first_in_sentence`` keeps one row per name, article and sentence text: a name twice in a
    sentence, or a line printed twice (a schedule's), is listed once, as the paper's text."""
    corpus, _, mentions = sample
    texts = tables.mention_sentences(mentions, corpus.articles)
    keys = list(zip(mentions["article_id"], mentions["name"], texts, strict=True))
    firsts = [k for k, first in zip(keys, mentions["first_in_sentence"], strict=True) if first]
    assert len(firsts) == len(set(firsts)) and set(firsts) == set(keys)
    assert len(firsts) < len(keys)  # some name is named twice in one sentence of the sample
    for name in ("周军波", "仲旭东"):
        listed = tables.sentences(mentions, name, corpus.articles)
        assert not listed.duplicated(["article_id", "kwic"]).any()
        assert len(listed) == len({(a, t) for a, n, t in keys if n == name})


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="平湖。 \n\u3000\t好", max_size=12), st.data())
def test_stripped_span_is_the_stripped_text_inside_the_span(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    a, b = tables.stripped_span(text, start, end)
    assert start <= a <= b <= end and text[a:b] == text[start:end].strip()


def test_stored_only_reads_what_stored_mentions_kept_and_nothing_else(sample, tmp_path):
    corpus, found, _ = sample
    keys = (found, RULES, DIRECTORY, ["当湖"], tmp_path, "fp")
    assert tables.stored_only(*keys) is None  # not stored yet: the app builds it in the background
    first = tables.stored_mentions(corpus.articles, *keys)
    pd.testing.assert_frame_equal(tables.stored_only(*keys), first)
    assert tables.stored_only(found, RULES, DIRECTORY, ["钟埭"], tmp_path, "fp") is None  # other places


def test_mentions_in_a_pool_are_the_same_rows_in_the_same_order(sample, monkeypatch):
    corpus, found, mentions = sample
    monkeypatch.setattr(tables, "MIN_PARALLEL", 0)
    monkeypatch.setattr(tables, "CHUNK", 7)  # many tasks, finishing in any order
    seen: list[tuple[int, int, str]] = []
    gaz_names = ["当湖街道", "当湖", "钟埭街道", "钟埭", "新埭镇", "新仓镇", "独山港镇", "广陈镇", "林埭镇"]
    pooled = tables.mentions(
        corpus.articles, RULES, DIRECTORY, gaz_names, found, workers=2, progress=lambda *a: seen.append(a)
    )
    pd.testing.assert_frame_equal(pooled, mentions)
    assert mentions["front"].any() and mentions["lead"].any()  # the flags were joined, not left False
    total = int(corpus.articles["kind"].astype(str).isin(schemas.ARTICLE_KINDS).sum())
    assert seen[0] == (0, total, tables.STAGE) and seen[-1] == (total, total, tables.STAGE)
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)


# ---------------------------------------------------------------- data/people.toml and data/people_rules.toml


def test_the_shipped_files_load_without_a_problem():
    assert rules.rules_problem() == ""
    directory, problem = people_directory.current()
    assert problem == "" and len(directory.people) >= 30


def test_every_name_of_the_starter_directory_is_printed_on_a_sample_page():
    pages = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "data" / "corpus").glob("*.txt"))
    flat = pages.replace("\n", "")
    for person in DIRECTORY.people:
        assert person.name in flat, person.name
        for post in person.posts:
            assert post.start is not None and post.end is not None and post.start <= post.end
    for org in DIRECTORY.organisations:
        assert org.name in flat, org.name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[person]\nname=", "第1行"),
        ('version = "1"\n[[person]]\nkind = "official"\n', "第2行.*缺少 name"),
        ('[[person]]\nname = "张三"\nkind = "boss"\n', "第3行.*kind"),
        ('[[person]]\nname = "张三"\n[[person.post]]\npost = "市长"\nfrom = "2020-13-01"\n', "日期"),
        (
            '[[person]]\nname = "张三"\n[[person.post]]\npost = "市长"\nfrom = 2021-01-01\nto = 2020-01-01\n',
            "晚于",
        ),
        (
            '[[person]]\nname = "张三"\naliases = ["老张"]\n[[person]]\nname = "李四"\naliases = ["老张"]\n',
            "同时属于",
        ),
    ],
)
def test_bad_people_files_get_a_chinese_message_with_the_line(text, message):
    with pytest.raises(people_directory.PeopleFileError, match=message):
        people_directory.parse_directory(text)


def test_a_bad_edit_keeps_the_last_good_directory(tmp_path):
    path = tmp_path / "people.toml"
    path.write_text('[[person]]\nname = "张三"\n', encoding="utf-8")
    store = people_directory.DirectoryStore()
    assert store.get(path)[0].people[0].name == "张三"
    path.write_text('[[person]]\nname = "张三"\nkind = "x"\n', encoding="utf-8")
    kept, error = store.get(path)
    assert kept.people[0].name == "张三" and error is not None and "kind" in error.message_zh


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["names"].update(single_surnames=""), "至少要有一个姓"),
        (lambda d: d["names"].update(compound_surnames=["欧阳修"]), "不是两个字的复姓"),
        (lambda d: d["posts"].update(titles=[]), "至少要有一个职务"),
        (lambda d: d["organisations"].update(min_chars=1), "min_chars"),
        (lambda d: d.update(posts=[1]), r"\[posts\] 应是一个表"),
    ],
)
def test_bad_rules_get_a_chinese_message(change, message):
    data = tomllib.loads((ROOT / "data" / "people_rules.toml").read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(ValueError, match=message):
        rules.build_rules(data)


# ---------------------------------------------------------------- properties

SENTENCES = [
    "市委书记仲旭东在会上强调，要咬定目标。",
    "市委副书记、市长周军波主持会议，市领导何健、王建坤、陈王进等出席会议。",
    "市发改局节能行政执法队大队长赵中尤说，我市相关局领导多次前往嘉兴。",
    "记者从市经信局了解到，今年前三季度，我市整治企业2306家。",
    "石云良、王道平等市领导出席，市委常委、纪委书记、市监委主任徐峰主持。",
    "新仓镇芦湾村党委书记肖忠华回忆道。",
    "昨天，一幅幅描绘晚稻的书画作品在钟埭街道花园文化礼堂展出。",
]
FILLER = ["今天晴到少云。", "据悉，项目进展顺利。", "“这里太美了！”", "2020年以来，全市上下齐心协力。"]
settings_ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings_
@given(st.text(max_size=300))
def test_never_crashes_and_offsets_slice_the_text(text):
    for f in extract.find_people(text, RULES, DIRECTORY, dt.date(2020, 7, 22)):
        written = text[f.start : f.end]
        assert written == f.name or written in DIRECTORY.person_of or written in DIRECTORY.organisation_of
        assert 0 <= f.start < f.end <= len(text) and f.kind in schemas.PEOPLE_KINDS


@settings_
@given(st.lists(st.sampled_from(SENTENCES + FILLER), min_size=1, max_size=8), st.data())
def test_an_unrelated_sentence_removes_no_mention(parts, data):
    text = "".join(parts)
    at = data.draw(st.integers(0, len(parts)))
    filler = data.draw(st.sampled_from(FILLER))
    longer = "".join(parts[:at] + [filler] + parts[at:])
    assert people(text) <= people(longer)


@settings_
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5), st.data())
def test_a_byline_name_of_the_article_is_never_returned(parts, data):
    text = "".join(parts)
    named = sorted({n for n, _ in people(text)})
    if not named:
        return
    byline = data.draw(st.sampled_from(named))
    assert byline not in {n for n, _ in people(text, bylines=[byline])}


@settings_
@given(
    st.lists(st.sampled_from(SENTENCES + FILLER), min_size=1, max_size=6),
    st.text(alphabet="，。、的和 \n", max_size=3),
)
def test_each_mention_lies_in_its_sentence(parts, glue):
    text = glue.join(parts)
    for f in extract.find_people(text, RULES):
        s, e = extract.sentence_span(text, f.start, f.end)
        assert s <= f.start and f.end <= e


def test_sentences_and_charts(sample):
    from pinghu_core.people import charts

    corpus, found, mentions = sample
    lines = tables.sentences(mentions, "周军波", corpus.articles)
    schemas.check(lines, schemas.PEOPLE_SENTENCES)
    assert lines["kwic"].str.contains("【周军波】").all() and lines.iloc[0]["post"] == "市委副书记、市长"
    assert tables.sentences(mentions, "无此人", corpus.articles).empty
    line = tables.person_timeline(mentions, "仲旭东", "year", tables.front_page_dates(corpus.articles, found))
    fig = charts.timeline_figure(line, "year")
    bars, share = fig.data
    assert list(bars.y) == line["articles"].tolist()
    assert [v != v for v in share.y] == line["share"].isna().tolist()  # no pages: a gap, not 0
    pairs = tables.co_appearances(mentions)
    net = charts.network_figure(pairs, top=5)
    dots = net.data[-1]
    assert len(dots.text) == 5
    drawn = [t for line in net.data[:-1] for t in line.text[::3]]  # each segment: 2 points and a gap
    assert all(t.count("：") == 1 for t in drawn) and len(drawn) == len(set(drawn))
    top = set(dots.text)
    expected = pairs[pairs["name_a"].isin(top) & pairs["name_b"].isin(top)]
    assert sorted(drawn) == sorted(f"{a} — {b}：{n} 篇" for a, b, n in expected.itertuples(index=False))
    widths = [line.line.width for line in net.data[:-1]]
    assert widths == sorted(set(widths)) and widths[-1] == charts.LINE_WIDTHS  # the most shared: widest


@pytest.mark.parametrize(
    ("articles", "most", "width"),
    [(1, 1, 6), (1, 10, 2), (1, 20, 1), (5, 10, 4), (10, 10, 6), (0, 0, 1), (2, 100, 1)],
)
def test_network_line_widths(articles, most, width):
    assert charts.line_width(articles, most) == width


def _pairs_by_definition(frame: pd.DataFrame, kinds, minimum: int) -> list[tuple[str, str, int]]:
    """Co-appearances as the schema defines them: for every article, each pair of the distinct names
    of the chosen kinds (in Unicode order) counts once; most articles first, then the names."""
    from collections import Counter
    from itertools import combinations

    chosen = frame[frame["kind"].astype(str).isin(list(kinds))]
    counted: Counter = Counter()
    for _, names in chosen.groupby("article_id")["name"]:
        counted.update(combinations(sorted(set(map(str, names))), 2))
    rows = [(a, b, n) for (a, b), n in counted.items() if n >= minimum]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


NAMES = ["王五", "王五一", "李四", "张三", "平湖市政府", "Ａ公司", "A组", "仲旭东", "方晓烈", "𠀀先生"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from(NAMES), st.sampled_from(list(schemas.PEOPLE_KINDS))),
        max_size=40,
    ),
    kinds=st.sets(st.sampled_from(list(schemas.PEOPLE_KINDS)), min_size=1).map(sorted),
    minimum=st.integers(1, 3),
)
def test_co_appearances_count_each_pair_once_per_article(rows, kinds, minimum):
    frame = pd.DataFrame(
        {c: pd.Series([None] * len(rows), dtype=object) for c in schemas.PEOPLE_MENTIONS.names}
    )
    frame["article_id"] = [f"p-{a:02d}" for a, _, _ in rows]
    frame["name"] = [n for _, n, _ in rows]
    frame["kind"] = [k for _, _, k in rows]
    frame["how"] = "printed"
    frame = schemas.conform(frame, schemas.PEOPLE_MENTIONS)
    pairs = tables.co_appearances(frame, kinds, minimum)
    schemas.check(pairs, schemas.CO_APPEARANCES)
    assert list(pairs.itertuples(index=False, name=None)) == _pairs_by_definition(frame, kinds, minimum)


POSTS = ["", "", "市委书记", "市长", "副市长", "镇长"]


def posts_one_by_one(posts: pd.Series) -> str:
    """One name's posts, most often seen first (a tie: the first seen first), as the table's posts
    column is defined — counted mention by mention."""
    counted = Counter(p for p in posts.astype(str) if p)
    return tables.POSTS_SEP.join(p for p, _ in counted.most_common())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 6),
            st.sampled_from(NAMES),
            st.sampled_from(list(schemas.PEOPLE_KINDS)),
            st.sampled_from(POSTS),
            st.booleans(),
            st.integers(0, 40),
        ),
        max_size=40,
    ),
    kinds=st.sets(st.sampled_from(list(schemas.PEOPLE_KINDS))).map(sorted),
)
def test_people_table_counts_as_the_definition(rows, kinds):
    """Each name's row — its posts most often seen first (a tie: the first seen first), counted at once
    — as counting each name's mentions one by one gives (:func:`posts_one_by_one`)."""
    frame = pd.DataFrame(
        {c: pd.Series([None] * len(rows), dtype=object) for c in schemas.PEOPLE_MENTIONS.names}
    )
    frame["article_id"] = [f"p-{a:02d}" for a, *_ in rows]
    frame["name"] = [r[1] for r in rows]
    frame["kind"] = [r[2] for r in rows]
    frame["post"] = [r[3] for r in rows]
    frame["lead"] = [r[4] for r in rows]
    frame["date"] = [pd.Timestamp("2020-01-01") + pd.Timedelta(days=r[5]) for r in rows]
    frame["how"] = "printed"
    frame = schemas.conform(frame, schemas.PEOPLE_MENTIONS)
    table = tables.people_table(frame, kinds=kinds)
    schemas.check(table, schemas.PEOPLE_TABLE)
    chosen = frame[frame["kind"].astype(str).isin(kinds or list(schemas.PEOPLE_KINDS))]
    expected = {
        (str(name), str(kind)): (len(group), group["article_id"].nunique(), posts_one_by_one(group["post"]))
        for (name, kind), group in chosen.groupby(["name", "kind"], observed=True)
    }
    got = {
        (r.name, r.kind): (r.appearances, r.articles, r.posts_seen)
        for r in table.assign(kind=table["kind"].astype(str)).itertuples()
    }
    assert got == expected


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.sampled_from(["", "沈志凤", "钱勇彪", "市发改局", "a", "B", "陈"])),
        max_size=12,
    ),
    unused=st.lists(st.sampled_from(["未用", "周军波", "z"]), max_size=3),
    stored=st.sampled_from(["category", "string", "object"]),
)
def test_the_name_list_is_every_distinct_name_in_unicode_order(values, unused, stored):
    """The name list taken from the stored categories' codes is what every row's text says: each
    distinct name once ('' for a missing one), sorted — with categories no row uses left out."""
    from pinghu_core.people import view as people_view

    text = pd.Series(values, dtype="string")
    if stored == "category":
        present = sorted({v for v in values if v is not None})
        column = pd.Series(pd.Categorical(values, categories=sorted(set(present) | set(unused))))
    else:
        column = text if stored == "string" else pd.Series(values, dtype=object)
    expected = sorted(str(n) for n in text.fillna("").unique())
    assert people_view.name_list(pd.DataFrame({"name": column})) == expected
