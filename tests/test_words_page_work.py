"""What each 词云 interaction computes (issue 14): a run redoes only what the changed widget decides —
no cloud drawn again for a picked word, articles counted once per filter, no string filtering, the
picture shown as drawn — and shows the words the slower, independent path gives."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import open_app_page
from streamlit.testing.v1 import AppTest

from pinghu_app import words as app_words
from pinghu_app.state import Keys
from pinghu_core.words import cloud as wr
from pinghu_core.words import index as wd
from pinghu_core.words import view as wv

PAGE = "pages/words.py"


@pytest.fixture
def counted(monkeypatch):
    """Calls of the expensive steps, counted while the page runs in this process."""
    from streamlit.elements.lib import image_utils

    calls = {"render": 0, "totals": 0, "filtered_ids": 0, "reencode": 0}

    def count(name, fn):
        def wrapped(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(wr, "render", count("render", wr.render))
    monkeypatch.setattr(wd.WordIndex, "totals", count("totals", wd.WordIndex.totals))
    monkeypatch.setattr(wv, "filtered_ids", count("filtered_ids", wv.filtered_ids))
    monkeypatch.setattr(image_utils, "_pil_to_bytes", count("reencode", image_utils._pil_to_bytes))
    return calls


def open_page() -> AppTest:
    at = open_app_page(PAGE)
    if at.get("progress"):
        assert app_words.join_builds(120)
        at.run()
    assert not at.exception and not at.get("progress")
    return at


def step(at: AppTest, calls: dict, act) -> dict:
    """Run one interaction; what it computed."""
    before = dict(calls)
    act(at)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return {k: calls[k] - before[k] for k in calls}


def test_each_interaction_computes_only_what_it_changes(corpus_env, counted):
    at = open_page()
    assert counted["filtered_ids"] == 0  # the filter is arrays (wv.ArticleFilter), never strings
    assert counted["reencode"] == 0  # the PNG is shown as drawn, not decoded and made a JPEG

    word = at.selectbox(key=Keys.WORDS_WORD).options[1]
    picked = step(at, counted, lambda a: a.selectbox(key=Keys.WORDS_WORD).set_value(word))
    assert picked["render"] == 0 and picked["totals"] == 0

    whole = step(at, counted, lambda a: a.checkbox(key=Keys.WORDS_WHOLE_WORD).check())
    assert whole["render"] == 0 and whole["totals"] == 0

    weight = step(at, counted, lambda a: a.radio(key=Keys.WORDS_WEIGHT).set_value("tfidf"))
    assert weight["totals"] == 0  # the filter's counts serve both weights
    assert weight["render"] == 1

    pos = step(at, counted, lambda a: a.radio(key=Keys.WORDS_POS).set_value("noun"))
    assert pos["totals"] == 0 and pos["render"] == 1

    kinds = step(at, counted, lambda a: a.multiselect(key=Keys.WORDS_KINDS).set_value(["news"]))
    assert kinds["totals"] == 1 and kinds["render"] == 1

    compare = step(at, counted, lambda a: a.toggle(key=Keys.WORDS_COMPARE).set_value(True))
    assert compare["totals"] == 2 and compare["render"] == 2  # one count and one cloud a period

    back = step(at, counted, lambda a: a.radio(key=Keys.WORDS_WEIGHT).set_value("count"))
    assert back["totals"] == 0  # both periods' counts kept
    again = step(at, counted, lambda a: a.radio(key=Keys.WORDS_WEIGHT).set_value("tfidf"))
    assert again == {"render": 0, "totals": 0, "filtered_ids": 0, "reencode": 0}  # every picture cached
    assert counted["filtered_ids"] == 0 and counted["reencode"] == 0


def test_the_page_shows_the_words_of_the_independent_path(corpus_env):
    """The term table the page shows for a filtered view is the one of the plain path: ids by
    ``wv.filtered_ids`` (strings), their mask by ``index.doc_mask``, ``wd.term_table`` — and the
    cloud's words are its first ``top`` terms."""
    import os
    from pathlib import Path

    from pinghu_core.corpus import ingest
    from pinghu_core.search import places
    from pinghu_core.themes import dictionary as th

    at = open_page()
    at.date_input(key=Keys.WORDS_DATES).set_value((dt.date(2020, 1, 1), dt.date(2024, 12, 31)))
    at.multiselect(key=Keys.WORDS_THEMES).set_value(["minsheng", "major-projects"]).run()
    at.radio(key=Keys.WORDS_WEIGHT).set_value("tfidf").run()
    assert not at.exception
    shown = [d.value for d in at.dataframe][0]

    cache = Path(os.environ["PINGHU_CACHE_DIR"])
    corpus = ingest.load_corpus(corpus_env, cache_dir=cache)
    themes = th.load_themes()
    index = wd.build_index(corpus.articles, themes, cache_dir=cache, corpus_dir=corpus_env)
    view = wv.WordView(
        start=dt.date(2020, 1, 1),
        end=dt.date(2024, 12, 31),
        themes=("minsheng", "major-projects"),
        weight="tfidf",
    )
    hits = th.tag_articles(corpus.articles, themes)
    ids = wv.filtered_ids(
        corpus.articles, view, theme_hits=hits, places=places.article_places(corpus.articles)
    )
    keep = wd.countable(index, wd.load_stopwords(), "all")
    expected = wv.term_table_zh(
        wd.term_table(index, index.doc_mask(ids), keep, top=wv.TABLE_TERMS, weight="tfidf")
    )
    assert ids and len(shown) == len(expected)
    assert shown["词语"].tolist() == expected["词语"].tolist()
    assert shown["出现次数"].tolist() == expected["出现次数"].tolist()
    assert f"所选 {len(ids):,} 篇文章" in "\n".join(c.value for c in at.caption)
