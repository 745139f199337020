"""AppTest of the 词云 page on the sample corpus: filters, period comparison, picking a word, the URL."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from conftest import open_app_page
from streamlit.testing.v1 import AppTest

from pinghu_app import words as app_words
from pinghu_app.state import Keys
from pinghu_core.words import index as words
from pinghu_core.words import view as wv

PAGE = "pages/words.py"


def open_page(params: dict[str, str] | None = None) -> AppTest:
    """The page, once its word index is ready (a fresh cache: built in the background first)."""
    at = open_app_page(PAGE, params)
    if at.get("progress"):
        assert app_words.join_builds(120)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    assert not at.get("progress")
    return at


def test_cold_index_is_built_in_the_background(corpus_env):
    """A fresh cache: the page shows the filters and a progress bar, segments nothing in the run,
    and shows the words once the background build is done (the cache is written)."""
    at = open_app_page(PAGE)
    assert [t.value for t in at.title] == ["词云"]
    assert at.multiselect(key=Keys.WORDS_KINDS).value == ["news", "commentary"]
    bars = at.get("progress")
    assert len(bars) == 1 and "分词" in bars[0].proto.text
    assert not images(at) and not at.get("plotly_chart")
    assert app_words.join_builds(120)
    at.run()
    assert not at.exception and not at.get("progress")
    assert len(images(at)) == 1
    assert any(Path(os.environ["PINGHU_CACHE_DIR"]).rglob("bags.parquet"))


def test_warm_index_shows_at_once(corpus_env):
    """The word cache already holds every article (e.g. after ``pinghu ingest``): no progress bar."""
    from pinghu_core.corpus import ingest
    from pinghu_core.themes import dictionary as th

    cache = Path(os.environ["PINGHU_CACHE_DIR"])
    corpus = ingest.load_corpus(corpus_env, cache_dir=cache)
    words.build_index(corpus.articles, th.load_themes(), cache_dir=cache, corpus_dir=corpus_env)
    at = open_app_page(PAGE)
    assert not at.get("progress")
    assert len(images(at)) == 1


def url(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def images(at: AppTest) -> list:
    return [e for e in at.main if type(e).__name__ == "Image"]


def bar(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def parse_qs_flat(link: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(link.lstrip("?")).items()}


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def test_default_view(corpus_env):
    at = open_page()
    assert [t.value for t in at.title] == ["词云"]
    assert at.multiselect(key=Keys.WORDS_KINDS).value == ["news", "commentary"]
    assert len(images(at)) == 1
    fig = bar(at)
    assert fig["layout"]["xaxis"]["title"]["text"] == "出现次数（次）"
    assert fig["layout"]["yaxis"]["title"]["text"] == "词语"
    assert "出现次数最高的" in fig["layout"]["title"]["text"]
    shown = set(fig["data"][0]["y"])
    assert shown and not shown & words.load_stopwords()
    table = frames(at)[0]
    assert list(table.columns[:4]) == ["排名", "词语", "词性", "出现次数"]
    assert url(at)["kinds"] == "news,commentary" and "start" in url(at)


def test_filters_change_the_counts_and_the_url(corpus_env):
    at = open_page()
    total = frames(at)[0]["出现次数"].sum()
    at.multiselect(key=Keys.WORDS_KINDS).set_value(["commentary"]).run()
    assert not at.exception
    assert frames(at)[0]["出现次数"].sum() < total
    assert url(at)["kinds"] == "commentary"
    at.multiselect(key=Keys.WORDS_KINDS).set_value(["news", "commentary"]).run()
    at.radio(key=Keys.WORDS_POS).set_value("place").run()
    at.radio(key=Keys.WORDS_WEIGHT).set_value("tfidf").run()
    assert not at.exception
    assert bar(at)["layout"]["xaxis"]["title"]["text"].startswith("TF-IDF")
    places = frames(at)[0]
    assert "独山港镇" in set(places["词语"]) and "项目" not in set(places["词语"])
    assert (url(at)["pos"], url(at)["weight"]) == ("place", "tfidf")


def test_theme_and_town_filters(corpus_env):
    at = open_page()
    all_articles = captions(at)
    towns = at.multiselect(key=Keys.WORDS_TOWNS).options
    assert "独山港镇" in towns
    at.multiselect(key=Keys.WORDS_TOWNS).set_value(["独山港镇"]).run()
    assert not at.exception
    assert url(at)["towns"] == "独山港镇"
    assert captions(at) != all_articles
    at.multiselect(key=Keys.WORDS_THEMES).set_value(["minsheng"]).run()
    assert not at.exception
    assert url(at)["themes"] == "minsheng"


def test_period_comparison(corpus_env):
    at = open_page()
    at.toggle(key=Keys.WORDS_COMPARE).set_value(True).run()
    assert not at.exception
    assert len(images(at)) == 2
    params = url(at)
    assert params["compare"] == "1" and {"a_start", "a_end", "b_start", "b_end"} <= set(params)
    rising = frames(at)[0]
    assert list(rising.columns) == [
        "排名",
        "词语",
        "词性",
        "前期次数",
        "后期次数",
        "前期每百万词",
        "后期每百万词",
        "每百万词变化",
        "倍数",
        "对数似然G²",
    ]
    assert (rising["后期每百万词"] > rising["前期每百万词"]).all()
    assert (rising["前期次数"] + rising["后期次数"] >= words.MIN_RISING).all()
    assert list(rising["对数似然G²"]) == sorted(rising["对数似然G²"], reverse=True)
    assert "同一比例尺" in captions(at)
    # the events of data/events.toml that fall in each period are named under it
    if params["a_start"] <= "2020-11-09" <= params["a_end"]:
        assert "这一时期的事件：" in captions(at) and "2020年11月9日 平湖入选第六届全国文明城市" in captions(
            at
        )
    narrow = open_page({"compare": "1", "a_start": "2020-11-01", "a_end": "2020-11-30",
                        "b_start": "2025-08-01", "b_end": "2025-08-31"})  # fmt: skip
    shown = captions(narrow)
    assert "这一时期的事件：2020年11月9日 平湖入选第六届全国文明城市" in shown
    assert "这一时期的事件：2025年8月15日 四大百日攻坚行动动员大会" in shown


def test_compared_periods_follow_the_date_range(corpus_env):
    """Issue 12.4: narrowing the top 日期范围 narrows both compared periods (the caption says the
    other filters apply to both)."""
    import datetime as dt

    at = open_page()
    at.toggle(key=Keys.WORDS_COMPARE).set_value(True).run()
    at.date_input(key=Keys.WORDS_DATES).set_value((dt.date(2022, 1, 1), dt.date(2025, 8, 17))).run()
    assert not at.exception
    a = at.date_input(key=Keys.WORDS_PERIOD_A).value
    b = at.date_input(key=Keys.WORDS_PERIOD_B).value
    assert a[0] == dt.date(2022, 1, 1) and b[1] == dt.date(2025, 8, 17) and a[1] < b[0]
    params = url(at)
    assert params["a_start"] == "2022-01-01" and params["start"] == "2022-01-01"


def test_pick_a_word_lists_its_contexts_and_opens_an_article(corpus_env):
    at = open_page()
    at.selectbox(key=Keys.WORDS_WORD).set_value("独山港镇").run()
    assert not at.exception
    assert url(at)["word"] == "独山港镇"
    kwic = frames(at)[-1]
    assert list(kwic.columns) == ["日期", "标题", "上下文", "全文"]
    assert len(kwic) >= 3 and all("【独山港镇】" in line for line in kwic["上下文"])
    assert all(link.startswith("?") and "article=" in link and "word=" in link for link in kwic["全文"])
    article = parse_qs(kwic["全文"].iloc[0].lstrip("?"))["article"][0]
    at.selectbox(key=Keys.WORDS_ARTICLE).set_value(article).run()
    assert not at.exception
    assert url(at)["article"] == article
    assert any("【独山港镇】" in t.value for t in at.text)  # the full text, the word marked
    linked = open_page(parse_qs_flat(kwic["全文"].iloc[0]))  # the link of a line opens the same article
    assert any("【独山港镇】" in t.value for t in linked.text)
    at.button(key=Keys.WORDS_CLOSE_ARTICLE).click().run()
    assert "article" not in url(at)


def test_kwic_matches_the_string_and_the_whole_word_box_keeps_tokens(corpus_env):
    at = open_page({"word": "独山港"})  # typed by the reader; the token is 独山港镇
    assert not at.exception
    kwic = frames(at)[-1]
    assert len(kwic) >= 3 and all("【独山港】" in line for line in kwic["上下文"])
    assert any("【独山港】镇" in line for line in kwic["上下文"])
    assert "whole_word" not in url(at)
    at.checkbox(key=Keys.WORDS_WHOLE_WORD).check().run()
    assert not at.exception
    assert url(at)["whole_word"] == "1"
    assert "作为完整的词出现 0 次" in captions(at)
    assert open_page({"word": "独山港", "whole_word": "1"}).checkbox(key=Keys.WORDS_WHOLE_WORD).value is True


def test_url_round_trip(corpus_env):
    at = open_page()
    at.multiselect(key=Keys.WORDS_KINDS).set_value(["news"]).run()
    at.selectbox(key=Keys.WORDS_TOP).set_value(50).run()
    at.toggle(key=Keys.WORDS_COMPARE).set_value(True).run()
    at.selectbox(key=Keys.WORDS_WORD).set_value("项目").run()
    params = url(at)
    again = open_page(params)
    assert url(again) == params
    assert again.multiselect(key=Keys.WORDS_KINDS).value == ["news"]
    assert again.selectbox(key=Keys.WORDS_TOP).value == 50
    assert again.toggle(key=Keys.WORDS_COMPARE).value is True
    assert again.selectbox(key=Keys.WORDS_WORD).value == "项目"
    assert len(images(again)) == 2


def test_bad_url_values_fall_back(corpus_env):
    at = open_page(
        {"kinds": "news,blog", "pos": "adjective", "top": "7", "weight": "x", "start": "2020-99-01"}
    )
    assert not at.exception
    assert at.multiselect(key=Keys.WORDS_KINDS).value == ["news"]
    assert (at.radio(key=Keys.WORDS_POS).value, at.selectbox(key=Keys.WORDS_TOP).value) == (
        "all",
        wv.TOP_DEFAULT,
    )


@pytest.mark.parametrize(
    ("tag", "label"),
    [("ns", "地名 ns"), ("nrt", "人名 nrt"), ("vn", "名动词 vn"), ("v", "动词 v"), ("zg", "zg")],
)
def test_pos_label(tag, label):
    assert wv.pos_label(tag) == label


def test_a_capped_kwic_list_says_how_many_of_how_many_and_downloads_them_all(corpus_env, monkeypatch):
    """The list shows KWIC_LIMIT lines; the caption says 显示前 N 处，共 M 处 and the download has all M."""
    monkeypatch.setattr(wv, "KWIC_LIMIT", 3)
    at = open_page({"word": "推进"})  # a word no other test opens: its capped list is not cached at 2,000
    assert not at.exception
    full = words.kwic(*kwic_inputs("推进"))
    assert len(full) > 3
    assert len(frames(at)[-1]) == 3
    assert f"显示前 3 处，共 {len(full)} 处；下载的文件包含全部 {len(full)} 处" in captions(
        at
    ) and f"出现 {len(full)} 次" in captions(at)
    button = [b for b in at.get("download_button") if "上下文" in b.proto.label][0]
    assert button.proto.label == f"下载全部 {len(full)} 处上下文（CSV）"


def kwic_inputs(word: str) -> tuple:
    """The arguments of words.kwic for ``word`` over the sample corpus with the page's default filters."""
    from pinghu_core.corpus import ingest
    from pinghu_core.themes import dictionary as themes
    from pinghu_core.words import segment

    corpus = ingest.load_files(sorted((ingest.settings.DATA_DIR / "corpus").glob("*.txt")), workers=1)
    theme_dict = themes.load_themes(themes.DEFAULT_THEMES_PATH)
    index = words.build_index(corpus.articles, theme_dict)
    kinds = corpus.articles["kind"].astype(str).isin(["news", "commentary"])
    ids = corpus.articles.loc[kinds, "article_id"].astype(str).tolist()
    return corpus.articles, index, word, ids, segment.Segmenter(theme_dict)
