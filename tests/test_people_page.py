"""AppTest tests of the 人物 page on the sample corpus: the table, a name's timeline and sentences
(by the select box and by the URL), the kind filter, the co-appearance network."""

from __future__ import annotations

import json

from conftest import open_app_page
from streamlit.testing.v1 import AppTest

from pinghu_app.state import Keys

PAGE = "pages/people.py"


def open_page(params: dict[str, str] | None = None) -> AppTest:
    return open_app_page(PAGE, params)


def charts(at: AppTest) -> dict[str, dict]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"].split("：")[0]: s for s in specs}


def frame(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_table_lists_officials_people_and_organisations(corpus_env):
    at = open_page()
    assert [t.value for t in at.title] == ["人物"]
    table = frame(at, "头条次数")
    top = table.set_index("名称")
    assert top.loc["仲旭东", "类别"] == "官员" and top.loc["仲旭东", "文章数"] == 4
    assert top.loc["市经信局", "类别"] == "机构" and top.loc["朱琴勤", "类别"] == "人物"
    assert "谁和谁一起出现（共同文章数）" in charts(at)


def test_a_name_opens_its_timeline_and_sentences_and_goes_into_the_url(corpus_env):
    at = open_page()
    at.selectbox(key=Keys.PEOPLE_NAME).set_value("周军波").run()
    assert not at.exception
    assert "周军波" in charts(at)
    sentences = frame(at, "原句")
    assert sentences["原句"].str.contains("【周军波】").all()
    assert list(sentences.columns)[0] == "原句"  # the sentence first: read without scrolling
    assert (
        sentences["全文"].str.match(r"articles\?article=[0-9a-f]+-\d+$").all()
    )  # 文章检索, the article open
    assert at.query_params["name"] in ("周军波", ["周军波"])
    captions = " ".join(c.value for c in at.caption)
    assert "覆盖语料的全部日期，不受上方见报日期范围的限制" in captions  # says what the timeline counts
    at.selectbox(key=Keys.PEOPLE_GRANULARITY).set_value("year").run()
    fig = charts(at)["周军波"]
    assert fig["data"][0]["type"] == "bar" and fig["layout"]["title"]["text"].startswith("周军波：每年")


def test_the_url_restores_the_view_and_the_kind_filters(corpus_env):
    at = open_page({"name": "仲旭东", "kind": "organisation", "granularity": "quarter"})
    assert at.selectbox(key=Keys.PEOPLE_NAME).value == "仲旭东"
    assert set(frame(at, "头条次数")["类别"]) == {"机构"}
    assert charts(at)["仲旭东"]["layout"]["title"]["text"].startswith("仲旭东：每季度")


def test_a_large_corpus_finds_its_people_in_the_background_with_progress(corpus_env, monkeypatch):
    """Above INLINE_ARTICLES the mentions are found in a thread of the server, never in a page run:
    the page shows the progress and stops; once they are found, the page shows them."""
    from conftest import hold

    from pinghu_app import people as app_people
    from pinghu_core.people import tables

    monkeypatch.setattr(app_people, "INLINE_ARTICLES", 0)
    release = hold(monkeypatch, tables, "stored_mentions")
    at = open_page()
    bars = at.get("progress")
    assert bars and "识别人物与机构" in bars[0].proto.text, [b.proto.text for b in bars]
    assert not at.dataframe  # the run stopped: no table yet
    release.set()
    assert app_people.join_builds(60)
    at.run()
    assert not at.exception
    assert frame(at, "头条次数").set_index("名称").loc["仲旭东", "文章数"] == 4


def test_an_edit_of_the_people_file_shows_at_once(corpus_env, monkeypatch, tmp_path):
    """The table, a name's timeline and the network are kept per edit of data/people.toml: an alias
    added makes the name the standard one everywhere on the next run."""
    from conftest import ROOT

    people = tmp_path / "people.toml"
    people.write_text((ROOT / "data" / "people.toml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("PINGHU_PEOPLE_FILE", str(people))
    at = open_page({"name": "周军波"})
    assert "周军波" in set(frame(at, "头条次数")["名称"])
    text = people.read_text(encoding="utf-8").replace(
        'name = "周军波"', 'name = "周军波市长"\naliases = ["周军波"]'
    )
    people.write_text(text, encoding="utf-8")
    at.run()
    assert not at.exception
    names = set(frame(at, "头条次数")["名称"])
    assert "周军波市长" in names and "周军波" not in names


def test_a_name_with_more_sentences_than_shown_says_the_download_has_them_all(corpus_env, monkeypatch):
    """The page sends a name's newest TABLE_LIMIT sentences (a name of ten years has over 800: 0.8 MB
    a run) and says how many there are; the download keeps every one."""
    from pinghu_core.people import view as pv

    monkeypatch.setattr(pv, "TABLE_LIMIT", 2)
    at = open_page({"name": "仲旭东"})
    assert not at.exception
    sentences = frame(at, "原句")
    assert len(sentences) == 2
    captions = " ".join(c.value for c in at.caption)
    assert "原句，最近的在前：显示前 2 句，共" in captions and "下载的文件包含全部" in captions
