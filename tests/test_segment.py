"""The private tokenizer (user dictionary + theme terms) and the 分词检查 keyword report."""

from __future__ import annotations

from pathlib import Path

import jieba
import pandas as pd
import pytest

from pinghu_core.common import schemas
from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.themes.dictionary import Theme, ThemeDict
from pinghu_core.words import segment

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    return ingest.load_corpus(ROOT / "data" / "corpus", use_cache=False, workers=1).articles


@pytest.fixture(scope="module")
def shipped() -> ThemeDict:
    return themes.load_themes(themes.DEFAULT_THEMES_PATH)


# A made-up theme whose keyword jieba's own dictionary splits (立功 / 竞赛…).
CONTEST = Theme("contest", "立功竞赛", "民生", ("立功竞赛",))
CUSTOM = ThemeDict("t", (CONTEST,), themes.digest_of("t", (CONTEST,)))


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("走进独山港镇渡船桥工业集聚点，这里原有的老旧厂房已全部被拆除", "独山港镇"),
        ("今年是我市实施民生共享工程的第四年", "民生共享工程"),
        ("记者从平湖经济技术开发区了解到", "平湖经济技术开发区"),
        ("钟埭街道沈家弄村一派忙碌", "钟埭街道"),
        ("我市整治“低散乱”企业（作坊）2306家", "低散乱"),
    ],
)
def test_user_dictionary_keeps_places_and_policy_terms_whole(sentence, word) -> None:
    assert word in segment.get_tokenizer().lcut(sentence)


def test_theme_terms_join_the_dictionary(shipped) -> None:
    sentence = "近日，我市启动了2020年民生共享工程全域立功竞赛活动"
    assert "立功竞赛" not in segment.get_tokenizer().lcut(sentence)
    assert "立功竞赛" in segment.get_tokenizer(CUSTOM).lcut(sentence)
    tokenizer = segment.get_tokenizer(shipped)
    for term in ("两稳一保", "除险保安", "五水共治", "毗邻党建"):
        assert term in tokenizer.lcut(f"推进{term}工作"), term


def test_tokenizers_are_private_and_cached(shipped) -> None:
    a = segment.get_tokenizer(shipped)
    assert a is segment.get_tokenizer(shipped)
    assert a is not segment.get_tokenizer() and a is not jieba.dt
    assert "民生共享工程" not in jieba.dt.FREQ  # jieba's module-level tokenizer is untouched


def test_report_flags_a_keyword_jieba_splits(seeds) -> None:
    plain = segment.keyword_report(seeds, CUSTOM, tokenizer=segment.get_tokenizer())
    schemas.check(plain, schemas.KEYWORD_REPORT)
    (row,) = plain.to_dict("records")
    assert row["keyword"] == "立功竞赛" and row["occurrences"] >= 1 and row["sampled"] == row["occurrences"]
    assert not row["survives"] and row["whole"] == 0
    assert row["split_example"].startswith("立功 / 竞赛")
    assert "【立功竞赛】" in row["sentence"]
    (kept,) = segment.keyword_report(seeds, CUSTOM).to_dict("records")  # theme terms added
    assert kept["survives"] and kept["whole"] == kept["sampled"] and kept["split_example"] == ""


def test_report_on_the_shipped_dictionary(seeds, shipped) -> None:
    report = segment.keyword_report(seeds, shipped, sample=3)
    terms = {t for theme in shipped.themes for t in theme.terms}
    assert set(report["keyword"]) == terms
    assert (report["sampled"] <= 3).all() and (report["sampled"] <= report["occurrences"]).all()
    found = report.set_index("keyword")
    # 旅游度假区 only occurs inside 九龙山旅游度假区, a user-dictionary word: jieba never keeps it whole
    assert (
        not found.loc["旅游度假区", "survives"]
        and "九龙山旅游度假区" in found.loc["旅游度假区", "split_example"]
    )
    assert found.loc["全国文明城市", "occurrences"] >= 3
    absent = found.loc["核酸检测"]
    assert absent["occurrences"] == 0 and absent["sampled"] == 0 and not absent["survives"]
