"""Theme dictionary (loading, errors, last good copy) and tagging, on the seeds and small frames."""

from __future__ import annotations

import os
import textwrap
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pinghu_core.common import schemas
from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes.dictionary import Theme, ThemeDict, ThemeFileError, ThemeStore

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "corpus"


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    return ingest.load_corpus(SEEDS, use_cache=False, workers=1).articles


@pytest.fixture(scope="module")
def shipped() -> ThemeDict:
    return themes.load_themes(themes.DEFAULT_THEMES_PATH)


@pytest.fixture(scope="module")
def hits(seeds: pd.DataFrame, shipped: ThemeDict) -> pd.DataFrame:
    return themes.tag_articles(seeds, shipped)


def article_id(articles: pd.DataFrame, title: str) -> str:
    found = articles.loc[articles["title"] == title, "article_id"]
    assert len(found) == 1, title
    return str(found.iloc[0])


def row(hits: pd.DataFrame, aid: str, theme_id: str) -> pd.Series | None:
    found = hits[(hits["article_id"] == aid) & (hits["theme_id"] == theme_id)]
    return None if found.empty else found.iloc[0]


def frame(*rows: dict) -> pd.DataFrame:
    """A small articles frame: every ARTICLES column, defaults for the ones not given."""
    base = {c: None for c in schemas.ARTICLES.names} | {"kind": "news", "date_source": "filename"}
    records = [base | {"article_id": f"p-{i:02d}"} | r for i, r in enumerate(rows)]
    return schemas.conform(pd.DataFrame(records), schemas.ARTICLES)


# ---------------------------------------------------------------- the shipped dictionary

ISSUE_THEMES = [
    "重大项目与有效投资",
    "民生共享/民生优享工程",
    "全国文明城市创建",
    "低散乱整治与腾退",
    "助企纾困与营商环境",
    "基层治理与网格",
    "乡村振兴与强村",
    "共同富裕",
    "生态文明与环境整治",
    "科技创新与科普",
    "长三角一体化与接轨上海",
    "安全生产与除险保安",
    "党建与学习教育",
    "文化旅游与文化设施",
    "疫情防控",
]


def test_shipped_dictionary_covers_the_issue_themes(shipped: ThemeDict) -> None:
    assert [t.label for t in shipped.themes] == ISSUE_THEMES
    assert shipped.version and len(shipped.digest) == 16
    assert {"经济发展", "民生", "城乡建设", "社会治理", "党的建设", "生态环境", "文化"} <= set(shipped.groups)
    civ = shipped.by_id["civilized-city"]
    assert {"全国文明城市", "文明城市创建", "创文"} <= set(civ.terms)


# ---------------------------------------------------------------- tagging the seeds

SEED_CASES = [
    # (title of a seed article, theme id, tagged, hit in title)
    ("平湖入选第六届 全国文明城市名单", "civilized-city", True, True),
    ("全力助企纾困 稳住经济大盘", "business-environment", True, True),
    ("“低散乱”整治辟出高质量发展轨道", "disanluan", True, True),
    ("新埭让网格治理有精度更有温度", "grassroots-governance", True, True),
    ("民生共享工程半年度工作交流会召开", "minsheng", True, True),
    ("奋战百日 决胜全年 彰显“创新突破”新成效", "safety", True, False),  # 除险保安 in the body only
    ("“抱团”蹚出致富路", "rural-revitalization", True, False),
    ("共富路上澎湃科普力量", "sci-tech", True, True),
    ("我市组织收看国家生态文明建设示范市创建暨爱国卫生运动推进会", "ecology", True, True),
    # 长三角 only inside the project name 长三角·平湖润泽国际信息港: an exclusion
    ("平湖重点项目建设加速度", "yangtze-delta", False, False),
    ("平湖重点项目建设加速度", "major-projects", True, True),
    ("第八十一期 创新学堂举行", "sci-tech", False, False),
]


@pytest.mark.parametrize(("title", "theme_id", "tagged", "in_title"), SEED_CASES)
def test_seed_articles_are_tagged(seeds, hits, title, theme_id, tagged, in_title) -> None:
    got = row(hits, article_id(seeds, title), theme_id)
    assert (got is not None) == tagged
    if tagged:
        assert bool(got["in_title"]) == in_title
        assert (got["title_hits"] > 0) == in_title and got["hits"] == got["title_hits"] + got["body_hits"]


def test_only_coverage_is_tagged(seeds, hits) -> None:
    kinds = seeds.set_index("article_id").loc[hits["article_id"], "kind"].astype(str)
    assert set(kinds) <= {"news", "photo", "commentary"}
    # the 000 ad '再掀爱国卫生运动热潮 高分争创全国文明城市' names a theme but is not coverage
    ad = article_id(seeds, "再掀爱国卫生运动热潮 高分争创全国文明城市")
    assert ad not in set(hits["article_id"])


def test_tagged_frame_matches_its_schema(hits) -> None:
    schemas.check(hits, schemas.ARTICLE_THEMES)
    assert (hits["weight"] == themes.TITLE_WEIGHT * hits["title_hits"] + hits["body_hits"]).all()
    assert not hits.duplicated(["article_id", "theme_id"]).any()


def test_exclusion_phrases_in_the_shipped_dictionary(seeds, shipped) -> None:
    """帮助企业 is not 助企; 长三角·平湖润泽 is not 长三角 — remove the exclusions and they count."""
    aid = article_id(seeds, "广陈·廊下青创客联盟成立")
    biz = shipped.by_id["business-environment"]
    with_exclusions = themes.tag_with(seeds, [biz])
    terms = row(with_exclusions, aid, biz.id)["terms"].split(themes.TERM_SEP)
    assert "助企" not in terms and "扶企" in terms
    bare = themes.tag_with(seeds, [replace(biz, exclusions=())])
    assert "助企" in row(bare, aid, biz.id)["terms"].split(themes.TERM_SEP)
    delta = shipped.by_id["yangtze-delta"]
    project = article_id(seeds, "平湖重点项目建设加速度")
    assert row(themes.tag_with(seeds, [replace(delta, exclusions=())]), project, delta.id)["hits"] == 2


# ---------------------------------------------------------------- counting rules on small frames

CIVIL = Theme("civ", "全国文明城市创建", "社会治理", ("全国文明城市",), ("文明城市", "创文"), ("原创文",))
AUTONOMY = Theme("gov", "基层治理", "社会治理", ("自治",), (), ("自治区",))

COUNT_CASES = [
    # (theme, title, body, title_hits, body_hits, terms)
    (
        CIVIL,
        "平湖入选全国文明城市",
        "全国文明城市创建。",
        1,
        1,
        "全国文明城市",
    ),  # longest wins: not also 文明城市
    (CIVIL, "", "文明城市、创文和全国文明城市", 0, 3, "文明城市、创文、全国文明城市"),
    (CIVIL, "", "一篇原创文章", 0, 0, ""),  # 创文 inside the exclusion 原创文
    (AUTONOMY, "", "新疆维吾尔自治区的村民自治", 0, 1, "自治"),
    (AUTONOMY, "村民自治", "", 1, 0, "自治"),
]


@pytest.mark.parametrize(("theme", "title", "body", "title_hits", "body_hits", "terms"), COUNT_CASES)
def test_hit_counting(theme, title, body, title_hits, body_hits, terms) -> None:
    got = themes.tag_with(frame({"title": title, "body": body}), [theme])
    if not terms:
        assert got.empty
        return
    r = got.iloc[0]
    assert (r["title_hits"], r["body_hits"], r["terms"]) == (title_hits, body_hits, terms)
    assert r["weight"] == themes.TITLE_WEIGHT * title_hits + body_hits


def test_title_hits_weigh_more_than_body_hits() -> None:
    arts = frame(
        {"title": "全国文明城市创建推进会", "body": "会议召开。"},
        {"title": "会议召开", "body": "文明城市，文明城市。"},
        {"kicker": "争创全国文明城市", "title": "会议召开", "body": ""},
    )
    got = themes.tag_with(arts, [CIVIL]).set_index("article_id")
    assert got.loc["p-00", "weight"] == 3.0 and got.loc["p-00", "hits"] == 1
    assert got.loc["p-01", "weight"] == 2.0 and got.loc["p-01", "hits"] == 2
    assert got.loc["p-00", "weight"] > got.loc["p-01", "weight"]
    assert got.loc["p-02", "in_title"]  # the kicker is part of the title


def test_overlapping_terms_of_different_themes_both_count() -> None:
    """民生项目 (one theme) and 项目建设 (another) overlap in 民生项目建设: each theme sees its own hit."""
    a = Theme("a", "民生", "民生", ("民生项目",))
    b = Theme("b", "项目", "经济发展", ("项目建设",))
    got = themes.tag_with(frame({"body": "推动118个民生项目建设"}), [a, b])
    assert list(got["theme_id"]) == ["a", "b"] and list(got["hits"]) == [1, 1]


def test_texts_do_not_run_into_each_other() -> None:
    got = themes.tag_with(frame({"subtitle": "全国文明", "body": "城市"}), [CIVIL])
    assert got.empty


def test_empty_and_irrelevant_frames() -> None:
    assert themes.tag_with(schemas.ARTICLES.empty(), [CIVIL]).empty
    schemas.check(
        themes.tag_with(frame({"kind": "ad", "title": "全国文明城市"}), [CIVIL]), schemas.ARTICLE_THEMES
    )


# ---------------------------------------------------------------- loading and errors

GOOD = textwrap.dedent(
    """\
    version = "t1"

    [[theme]]
    id = "civ"
    label = "全国文明城市创建"
    group = "社会治理"
    keywords = ["全国文明城市"]
    aliases = ["创文"]
    exclusions = ["原创文"]

    [[theme]]
    id = "gov"
    label = "基层治理"
    group = "社会治理"
    keywords = ["基层治理", "网格"]
    """
)


def write(tmp_path: Path, text: str, name: str = "themes.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_a_good_file(tmp_path) -> None:
    td = themes.load_themes(write(tmp_path, GOOD))
    assert td.version == "t1" and td.ids == ("civ", "gov")
    assert td.by_id["civ"].terms == ("全国文明城市", "创文") and td.by_id["civ"].exclusions == ("原创文",)
    # comments and layout do not change the digest; content does
    assert themes.load_themes(write(tmp_path, "# 注释\n" + GOOD, "b.toml")).digest == td.digest
    assert themes.load_themes(write(tmp_path, GOOD.replace("t1", "t2"), "c.toml")).digest != td.digest


ERROR_CASES = [
    # (change to GOOD, line named, words in the message)
    (lambda t: t.replace('aliases = ["创文"]', 'aliases = ["创文"'), 9, ["格式错误"]),
    (lambda t: t.replace('label = "基层治理"\n', ""), 11, ["gov", "label"]),
    (
        lambda t: t.replace('keywords = ["基层治理", "网格"]', 'keywords = "基层治理"'),
        15,
        ["gov", "keywords"],
    ),
    (lambda t: t.replace('keywords = ["基层治理", "网格"]', "keywords = []"), 15, ["gov", "keywords"]),
    (lambda t: t.replace('id = "gov"', 'id = "civ"'), 12, ["civ", "重复"]),
    (lambda t: t.replace('id = "gov"', 'id = "基层"'), 12, ["基层"]),
    (lambda t: t.replace('exclusions = ["原创文"]', 'exclusions = ["自治区"]'), 9, ["自治区"]),
    (
        lambda t: t.replace('group = "社会治理"\nkeywords = ["基层', 'group = "社会治理"\nkeyword = ["基层'),
        15,
        ["keyword"],
    ),
    (lambda t: t.replace('version = "t1"', ""), 1, ["version"]),
]


@pytest.mark.parametrize(("change", "line", "words"), ERROR_CASES)
def test_errors_name_the_line(tmp_path, change, line, words) -> None:
    with pytest.raises(ThemeFileError) as caught:
        themes.load_themes(write(tmp_path, change(GOOD)))
    err = caught.value
    assert err.line == line, err.message_zh
    assert f"第{line}行" in err.message_zh and str(err) == err.message_zh
    for word in words:
        assert word in err.message_zh


def test_missing_file_is_a_theme_file_error(tmp_path) -> None:
    with pytest.raises(ThemeFileError, match="找不到"):
        themes.load_themes(tmp_path / "none.toml")


def test_environment_variable_chooses_the_file(tmp_path, monkeypatch) -> None:
    path = write(tmp_path, GOOD)
    monkeypatch.setenv(themes.THEMES_ENV, str(path))
    assert themes.themes_path() == path and themes.load_themes().ids == ("civ", "gov")
    monkeypatch.delenv(themes.THEMES_ENV)
    assert themes.themes_path() == themes.DEFAULT_THEMES_PATH


def bump(path: Path, text: str, step: int) -> None:
    """Rewrite the file with a new mtime (the store notices changes by mtime and size)."""
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + step * 1_000_000_000))


def test_store_keeps_the_last_good_dictionary(tmp_path) -> None:
    path = write(tmp_path, GOOD)
    store = ThemeStore()
    first, err = store.get(path)
    assert err is None and first.ids == ("civ", "gov")
    bump(path, GOOD.replace('id = "gov"', 'id = "civ"'), 1)
    kept, err = store.get(path)
    assert kept is first and isinstance(err, ThemeFileError) and err.line == 12
    bump(path, GOOD.replace('label = "基层治理"', 'label = "基层治理与网格"'), 2)
    fixed, err = store.get(path)
    assert err is None and fixed.by_id["gov"].label == "基层治理与网格"
    assert store.get(path)[0] is fixed  # unchanged file: same object


def test_store_raises_when_the_first_load_is_bad(tmp_path) -> None:
    path = write(tmp_path, "version = \n")
    with pytest.raises(ThemeFileError) as caught:
        ThemeStore().get(path)
    assert caught.value.line == 1
