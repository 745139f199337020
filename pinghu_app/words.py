"""词云: the cached word index, term tables, cloud images, rising terms and keyword in context, and the page's callbacks."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from pinghu_app.corpus import CorpusKey, PlacesFileKey, gazetteer, load_corpus
from pinghu_app.search import article_places, places_in_articles
from pinghu_app.state import Keys
from pinghu_app.themes import theme_hits
from pinghu_core.common import exports, settings, url_params
from pinghu_core.search import places as pl
from pinghu_core.themes import dictionary as th
from pinghu_core.words import cloud as wr
from pinghu_core.words import index as wd
from pinghu_core.words import segment
from pinghu_core.words import view as wv


class LexiconKey(NamedTuple):
    segmentation: str  # words.lexicon_digest: user dictionary, theme terms, POS guesses
    stopwords: str  # digest of data/lexicon/stopwords.txt
    places: str  # digest of the place file and data/lexicon/not_places.txt


def lexicon_key(themes: th.ThemeDict | None) -> LexiconKey:
    """Digests of the files the word counts depend on (read on every run: small files)."""
    segmentation = wd.lexicon_digest(themes, wd.default_backend())
    return LexiconKey(segmentation, wd.stopwords_digest(), wd.place_filter_digest(pl.places_path()))


@st.cache_resource(show_spinner="正在分词（首次需要为全部文章分词，之后从缓存读取）…", max_entries=2)
def _word_index(key: CorpusKey, segmentation: str, _themes: th.ThemeDict | None) -> wd.WordIndex:
    return wd.build_index(
        load_corpus(key).articles,
        _themes,
        cache_dir=Path(key.cache_dir),
        corpus_dir=key.corpus_dir,
        workers=settings.get_settings().workers,
    )


@st.cache_data(show_spinner=False, max_entries=4)
def town_options(key: CorpusKey, file_key: PlacesFileKey) -> list[str]:
    """Towns, streets and zones of the place file that some article of the corpus names, in the
    file's order: a filter offers only places the corpus has (another paper's corpus, none)."""
    places, _, _ = places_in_articles(key, file_key)
    gaz, _ = gazetteer(file_key)
    return wv.towns_named(gaz.names, places) if gaz is not None else []


@st.cache_resource(max_entries=16)
def _countable(key: CorpusKey, lex: LexiconKey, pos: str, _themes: th.ThemeDict | None) -> object:
    gaz, _ = gazetteer() if pos == "place" else (None, None)
    places = gaz.canonical if gaz is not None else ()  # without a place file the ns tags still find them
    return wd.countable(_word_index(key, lex.segmentation, _themes), wd.load_stopwords(), pos, places)


def _filter(view: wv.WordView, start: object = None, end: object = None) -> tuple:
    """What an article filter depends on, as plain values."""
    dates = (view.start, view.end) if start is None else (start, end)
    return (*dates, view.themes, view.kinds, view.towns)


@st.cache_data(show_spinner=False, max_entries=32)
def _filtered_ids(
    key: CorpusKey, themes_digest: str, places_digest: str, flt: tuple, _themes: th.ThemeDict | None
) -> list[str]:
    start, end, themes, kinds, towns = flt
    view = wv.WordView(start=start, end=end, themes=themes, kinds=kinds, towns=towns)
    hits = theme_hits(key, themes_digest, _themes) if themes and _themes is not None else None
    places = article_places(key)[0] if towns else None  # places_digest: part of the cache key
    return wv.filtered_ids(load_corpus(key).articles, view, theme_hits=hits, places=places)


def _ids(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, flt: tuple) -> list[str]:
    return _filtered_ids(key, themes.digest if themes else "", lex.places, flt, themes)


@st.cache_data(show_spinner=False, max_entries=32)
def _term_table(
    key: CorpusKey,
    lex: LexiconKey,
    themes_digest: str,
    flt: tuple,
    pos: str,
    weight: str,
    _themes: th.ThemeDict | None,
) -> tuple[pd.DataFrame, int]:
    index = _word_index(key, lex.segmentation, _themes)
    ids = _ids(key, _themes, lex, flt)
    keep = _countable(key, lex, pos, _themes)
    return wd.term_table(index, index.doc_mask(ids), keep, top=wv.TABLE_TERMS, weight=weight), len(ids)


def term_table(
    key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView, start=None, end=None
) -> tuple[pd.DataFrame, int]:
    """(schemas.TERM_COUNTS of the filtered articles, ranked by the view's weight; how many articles).
    ``start``/``end`` replace the view's dates (a compared period)."""
    lex = lexicon_key(themes)
    return _term_table(
        key, lex, themes.digest if themes else "", _filter(view, start, end), view.pos, view.weight, themes
    )


@st.cache_data(show_spinner="正在绘制词云…", max_entries=32)
def cloud_png(
    key: CorpusKey, frequencies: dict[str, float], scale_max: float | None, rotate: bool = False
) -> bytes | None:
    """The PNG of a cloud (None when there is no word); ``rotate``: some words may be vertical."""
    image = wr.render(
        frequencies, font_path=wr.cjk_font(Path(key.cache_dir)), scale_max=scale_max, rotate=rotate
    )
    return wr.png_bytes(image) if image is not None else None


@st.cache_data(show_spinner="正在计算上升词…", max_entries=16)
def _rising(
    key: CorpusKey,
    lex: LexiconKey,
    themes_digest: str,
    a: tuple,
    b: tuple,
    pos: str,
    _themes: th.ThemeDict | None,
) -> pd.DataFrame:
    index = _word_index(key, lex.segmentation, _themes)
    earlier, later = (index.doc_mask(_ids(key, _themes, lex, f)) for f in (a, b))
    return wd.rising_terms(index, earlier, later, _countable(key, lex, pos, _themes))


def rising_terms(key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView) -> pd.DataFrame:
    """schemas.RISING_TERMS from the view's earlier period to its later one."""
    lex = lexicon_key(themes)
    a, b = _filter(view, view.a_start, view.a_end), _filter(view, view.b_start, view.b_end)
    return _rising(key, lex, themes.digest if themes else "", a, b, view.pos, themes)


@st.cache_data(show_spinner="正在查找上下文…", max_entries=16)
def _kwic(
    key: CorpusKey,
    lex: LexiconKey,
    themes_digest: str,
    flt: tuple,
    word: str,
    whole_word: bool,
    _themes: th.ThemeDict | None,
) -> pd.DataFrame:
    index = _word_index(key, lex.segmentation, _themes)
    return wd.kwic(
        load_corpus(key).articles,
        index,
        word,
        _ids(key, _themes, lex, flt),
        segment.Segmenter(_themes, wd.default_backend()),
        limit=wv.KWIC_LIMIT,
        whole_word=whole_word,
    )


def kwic(key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView) -> pd.DataFrame:
    """schemas.KWIC of the view's word in its filtered articles (at most word_views.KWIC_LIMIT lines)."""
    lex = lexicon_key(themes)
    return _kwic(key, lex, themes.digest if themes else "", _filter(view), view.word, view.whole_word, themes)


@st.cache_data(show_spinner=False, max_entries=16)
def _kwic_total(
    key: CorpusKey,
    lex: LexiconKey,
    themes_digest: str,
    flt: tuple,
    word: str,
    whole_word: bool,
    _themes: th.ThemeDict | None,
) -> int:
    index = _word_index(key, lex.segmentation, _themes)
    return wd.kwic_count(
        load_corpus(key).articles,
        index,
        word,
        _ids(key, _themes, lex, flt),
        segment.Segmenter(_themes, wd.default_backend()),
        whole_word=whole_word,
    )


def kwic_total(key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView) -> int:
    """How many KWIC lines the view's word has in all (the list shows at most KWIC_LIMIT)."""
    lex = lexicon_key(themes)
    return _kwic_total(
        key, lex, themes.digest if themes else "", _filter(view), view.word, view.whole_word, themes
    )


def kwic_csv_all(key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView) -> bytes:
    """Every KWIC line of the view's word as CSV (built when the download is clicked, not cached)."""
    lex = lexicon_key(themes)
    index = _word_index(key, lex.segmentation, themes)
    lines = wd.kwic(
        load_corpus(key).articles,
        index,
        view.word,
        _ids(key, themes, lex, _filter(view)),
        segment.Segmenter(themes, wd.default_backend()),
        whole_word=view.whole_word,
    )
    return exports.csv_bytes(wv.kwic_csv_frame(lines))


def fit_compare_periods() -> None:
    """on_change of the 词云 date range: the two compared periods are kept inside it (cut to it, or
    its halves when a period falls wholly outside), so the other filters apply to both."""
    ss = st.session_state
    start, end = url_params.widget_dates(ss.get(Keys.WORDS_DATES))
    if start is None or end is None:
        return  # one day picked so far: wait for the second
    a_start, a_end = url_params.widget_dates(ss.get(Keys.WORDS_PERIOD_A))
    b_start, b_end = url_params.widget_dates(ss.get(Keys.WORDS_PERIOD_B))
    fitted = wv.fit_periods(
        wv.WordView(start=start, end=end, a_start=a_start, a_end=a_end, b_start=b_start, b_end=b_end)
    )
    ss[Keys.WORDS_PERIOD_A] = (fitted.a_start, fitted.a_end)
    ss[Keys.WORDS_PERIOD_B] = (fitted.b_start, fitted.b_end)


def pick_word_from_bar() -> None:
    """on_select of the bar chart: a clicked bar becomes the picked word."""
    points = (st.session_state.get(Keys.WORDS_BAR) or {}).get("selection", {}).get("points", [])
    for point in points:
        word = point.get("customdata") or point.get("y")
        if isinstance(word, list | tuple):
            word = word[0] if word else None
        if word:
            st.session_state[Keys.WORDS_WORD] = str(word)
            st.session_state[Keys.WORDS_ARTICLE] = None
            return


def close_word_article() -> None:
    st.session_state[Keys.WORDS_ARTICLE] = None
