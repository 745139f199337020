"""Places named in articles: towns/streets/zones from data/places.toml and villages/communities."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinghu_core.common import schemas
from pinghu_core.search import places

GAZ = places.load_gazetteer()


def test_gazetteer_lists_every_town_street_and_zone_of_the_issue():
    for name in (
        "当湖街道",
        "钟埭街道",
        "曹桥街道",
        "新埭镇",
        "新仓镇",
        "乍浦镇",
        "独山港镇",
        "广陈镇",
        "林埭镇",
        "平湖经济技术开发区",
        "农开区",
    ):
        assert name in GAZ.names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # real sentences from the seed pages
        ("新仓镇率先抱团发展", {"新仓镇": 1}),
        ("钟埭探索农村基层治理新模式", {"钟埭街道": 1}),
        ("平湖经开生物技术产业园", {"平湖经济技术开发区": 1}),
        ("广陈·廊下青年创新创业", {"广陈镇": 1}),
        # the longest written form wins: a zone is not also its town
        ("独山港经济开发区和独山港镇", {"独山港经济开发区": 1, "独山港镇": 1}),
        ("当湖街道当湖", {"当湖街道": 2}),
        # 经开 is not an alias: it hides in 已经开始
        ("项目已经开始施工", {}),
    ],
)
def test_town_mentions(text, expected):
    assert dict(places.town_mentions(text, GAZ)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after a town name: accepted at once, the town is its parent
        ("业经济。”新仓镇芦湾村", {("芦湾村", "村"): (1, "新仓镇")}),
        ("的汇报、曹桥街道石龙村关于", {("石龙村", "村"): (1, "曹桥街道")}),
        ("务驿站、钟埭街道西林社区零工", {("西林社区", "社区"): (1, "钟埭街道")}),
        # in a 、 list
        (
            "董家村、潮香村、丹桂村",
            {("董家村", "村"): (1, ""), ("潮香村", "村"): (1, ""), ("丹桂村", "村"): (1, "")},
        ),
        # twice after a boundary in one article
        ("在沈家弄村，村民说。沈家弄村作为示范", {("沈家弄村", "村"): (2, "")}),
        # once, without a town or list: not enough
        ("日前,记者跟随沈家弄村网格员", {}),
        # generic words are not places
        ("推进高标准农村垃圾分类，全村集体经济，重点村要由", {}),
        ("因地制宜划定11个村社区网格，微网格长与村社区党员", {}),
        ("钟埭街道将秉持先行先试", {}),
        ("桥、钟康相关村点全面", {}),
        # 强村 is policy, not a village; 村 followed by 计划/级/民 is not a place name
        ("。推进强村计划，。推进强村计划", {}),
        ("、以强村公司、", {}),
        ("。芦湾村级集体经济，。芦湾村民说", {}),
        ("是全市首家乡村博物馆，美丽乡村", {}),
    ],
)
def test_village_mentions(text, expected):
    assert places.village_mentions(text, GAZ) == expected


# Real sentences of the People's Daily development corpus (bench/real_corpus): words, slogans and
# famous non-villages that the rules used to list as villages (each written twice or in a 、 list,
# so the old rules accepted it), and real villages that must stay.
NOT_VILLAGES = [
    "“幸福的日子是干出来的，我们村已经脱贫。”我们村，",
    "在蔡奇和市长陈吉宁陪同下，深入社区、医院。又深入社区，",
    "更不能忘了大学生村官。鼓励大学生村官扎根基层，",
    "“万企帮万村”惠及千万贫困人口。“万企帮万村”行动",
    "做到小事不出村、大事不出乡、矛盾不上交。小事不出村，",
    "习近平向2019中关村论坛致贺信。2019中关村论坛",
    "保护好历史文化名镇（村）、传统村落、民族村寨、传统建筑",
    "3000余个社区、7000多个住宅小区。3000余个社区",
    "加强社区各项防控措施的落实，使所有社区成为堡垒。所有社区、村，",
    "约型机关、绿色家庭、绿色学校、绿色社区、绿色出行",
    "持续整顿软弱涣散村党组织，软弱涣散村，",
    "组织民警、辅警进村巡逻。民警、辅警进村，",
    "他们以对标奥运村、亚运村、全运村的标准。武汉军运村、延庆冬奥村、",
    "社区志愿者感谢社区，感谢社区。",
    "北京稻香村、苏州稻香村，",
    "从天安门广场到基层社区、万里边陲，基层社区，",
]

REAL_VILLAGES = [
    ("\n古生村\n回访云南大理市湾桥镇古生村李德昌家。在古生村，", "古生村"),
    ("富康新村、感恩新村、阳光新村、圆梦新村、富民新村", "阳光新村"),
    ("走进十八洞村。十八洞村，", "十八洞村"),
    ("\n八岔村\n回访黑龙江同江市八岔赫哲族乡八岔村尤桂兰家。在八岔村，", "八岔村"),
    ("走进石塘社区里。石塘社区，", "石塘社区"),
    ("在洪溪村、建新村、七都社区", "七都社区"),
]


@pytest.mark.parametrize("text", NOT_VILLAGES)
def test_words_slogans_and_famous_places_are_no_villages(text):
    assert places.village_mentions(text, GAZ) == {}


@pytest.mark.parametrize(("text", "village"), REAL_VILLAGES)
def test_real_villages_stay(text, village):
    assert village in {name for name, _ in places.village_mentions(text, GAZ)}


@pytest.mark.parametrize(
    ("name", "reads_as_words"),
    [
        ("我们", True),
        ("深入", True),
        ("大学生", True),
        ("推动街道", True),
        ("有疫情", True),
        ("部队回", True),
        ("感谢", True),
        ("火普", False),
        ("八岔", False),
        ("十八洞", False),
        ("石塘", False),
        ("建新", False),
    ],
)
def test_reads_as_words(name, reads_as_words):
    assert places.reads_as_words(name, GAZ.villages) is reads_as_words


def test_find_places_orders_towns_then_villages():
    text = "独山港镇全公亭社区党委书记说。全公亭社区将社区治理……独山港镇"
    assert places.find_places(text, GAZ) == [("独山港镇", "镇", "", 2), ("全公亭社区", "社区", "独山港镇", 2)]


def test_article_places_on_the_seed_pages(sample_corpus: Path, tmp_path: Path):
    from pinghu_core.corpus import ingest

    corpus = ingest.load_corpus(sample_corpus, cache_dir=tmp_path / "cache", progress=False)
    frame = places.article_places(corpus.articles, GAZ)
    schemas.check(frame, schemas.ARTICLE_PLACES)
    found = set(frame["place"])
    assert {"沈家弄村", "芦湾村", "全公亭社区", "凤凰社区", "石龙村", "西林社区"} <= found
    assert not {p for p in found if p.endswith(("相关村", "个村社区", "农村", "乡村"))}
    counts = places.place_counts(frame)
    schemas.check(counts, schemas.PLACE_COUNTS)
    assert counts["articles"].is_monotonic_decreasing
    assert counts.iloc[0]["place"] == "当湖街道"


def test_place_counts_of_a_subset_and_of_nothing():
    frame = schemas.conform(
        places.pd.DataFrame(
            {
                "article_id": ["a", "a", "b"],
                "place": ["新埭镇", "芦湾村", "新埭镇"],
                "place_kind": ["镇", "村", "镇"],
                "parent": ["", "新仓镇", ""],
                "mentions": [2, 1, 3],
            }
        ),
        schemas.ARTICLE_PLACES,
    )
    sub = places.place_counts(frame, ["b"])
    assert sub.to_dict("records") == [{"place": "新埭镇", "place_kind": "镇", "articles": 1, "mentions": 3}]
    assert places.place_counts(frame, []).empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[place]\nname=", "不是有效的 TOML"),
        ('[[place]]\nkind = "镇"', "缺少 name"),
        ('[[place]]\nname = "新埭镇"', "缺少 kind"),
        (
            '[[place]]\nname = "A镇"\nkind = "镇"\naliases = ["A"]\n[[place]]\nname = "B镇"\nkind = "镇"\naliases = ["A"]',
            "同时属于",
        ),
        ('[[place]]\nname = "A镇"\nkind = "镇"\naliases = "A"', "aliases"),
    ],
)
def test_bad_place_files_get_a_chinese_message(text, message):
    with pytest.raises(places.PlacesFileError, match=message):
        places.parse_places(text)


def test_places_file_can_be_moved_by_environment(tmp_path, monkeypatch):
    path = tmp_path / "p.toml"
    path.write_text('version = "t"\n[[place]]\nname = "测试镇"\nkind = "镇"\n', encoding="utf-8")
    monkeypatch.setenv(places.PLACES_ENV, str(path))
    assert places.load_gazetteer().names == ["测试镇"]
    with pytest.raises(places.PlacesFileError, match="无法读取"):
        places.load_gazetteer(tmp_path / "missing.toml")


GOOD_PLACES = 'version = "t1"\n[[place]]\nname = "测试镇"\nkind = "镇"\n'


def test_a_broken_edit_keeps_the_last_good_place_file(tmp_path):
    """places.toml is read by the one dictionary store: a malformed edit keeps the version before
    it (with the error to show); a file never good raises."""
    path = tmp_path / "places.toml"
    path.write_text(GOOD_PLACES, encoding="utf-8")
    store = places.GazetteerStore()
    gaz, error = store.get(path)
    assert (gaz.names, gaz.version, error) == (["测试镇"], "t1", None)
    path.write_text(GOOD_PLACES.replace('kind = "镇"', "kind = 镇"), encoding="utf-8")  # not TOML
    kept, error = store.get(path)
    assert kept is gaz and isinstance(error, places.PlacesFileError) and "不是有效的 TOML" in str(error)
    path.write_text(GOOD_PLACES.replace("测试镇", "新镇").replace("t1", "t2"), encoding="utf-8")
    assert store.get(path)[0].names == ["新镇"]  # mended: read again
    never = tmp_path / "never.toml"
    never.write_text("[[place]]\nname = 1\n", encoding="utf-8")
    with pytest.raises(places.PlacesFileError):
        store.get(never)


def test_a_broken_file_is_not_parsed_again_until_it_changes(tmp_path):
    from pinghu_core.common.dictfile import DictFileError, LastGoodStore

    loads = []

    def load(path: Path) -> str:
        loads.append(path)
        text = path.read_text(encoding="utf-8")
        if "坏" in text:
            raise DictFileError("坏了", 1, path)
        return text

    path = tmp_path / "d.toml"
    path.write_text("好", encoding="utf-8")
    store = LastGoodStore(load, lambda: path, DictFileError)
    assert store.get() == ("好", None) and store.get() == ("好", None) and len(loads) == 1
    path.write_text("坏坏", encoding="utf-8")
    for _ in range(3):
        value, error = store.get()
        assert value == "好" and error is not None and error.message_zh == "坏了"
    assert len(loads) == 2, "a broken file unchanged costs a stat, not a parse"
