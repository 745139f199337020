"""词云: the cached word index, term tables, cloud images, rising terms and keyword in context, and the page's callbacks."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app import builds, widgets
from pinghu_app import events as app_events
from pinghu_app import state as app_state
from pinghu_app import themes as app_themes
from pinghu_app.corpus import (
    CorpusKey,
    PlacesFileKey,
    gazetteer,
    load_corpus,
    long_lived,
    places_file_key,
    release_mapped,
    theme_digest,
)
from pinghu_app.search import places_in_articles
from pinghu_app.state import Keys
from pinghu_app.tags import theme_hits
from pinghu_core.common import chart_base, exports, schemas, settings, url_params, wording
from pinghu_core.common import safe_markdown as md
from pinghu_core.events import view as event_view
from pinghu_core.search import places as pl
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import view as views
from pinghu_core.words import charts as word_charts
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


# Cached functions take the dictionary, the lexicon key and the view themselves.  A view is hashed by
# the fields the function reads; the dictionary by its digest — except where ``lex.segmentation``
# already covers it (the word index, the countable terms), so a theme edit that changes no term does
# not segment the corpus again.
def _articles(v: wv.WordView) -> tuple:
    """The fields that choose the articles."""
    return (v.start, v.end, v.themes, v.kinds, v.towns)


IN_LEX = {th.ThemeDict: lambda themes: "in lex.segmentation"}
IDS_HASH = {th.ThemeDict: theme_digest, wv.WordView: _articles}
TERMS_HASH = {th.ThemeDict: theme_digest, wv.WordView: lambda v: (_articles(v), v.pos, v.weight)}
RISING_HASH = {
    th.ThemeDict: theme_digest,
    wv.WordView: lambda v: (_articles(v), v.pos, v.a_start, v.a_end, v.b_start, v.b_end),
}
KWIC_HASH = {th.ThemeDict: theme_digest, wv.WordView: lambda v: (_articles(v), v.word, v.whole_word)}


# ---------------------------------------------------------------- the word index, built in the background
#
# A cold word index segments every article (minutes with jieba, seconds with rjieba on ten years):
# never inside a page run — built once per corpus and lexicon in a thread of the server process
# (pinghu_app.builds: every session shares it, the page shows its progress and reruns when done).
_BUILDS = builds.Builds("word-index", "准备分词")
WHY = "首次打开需要为全部文章分词，之后从缓存读取"


def _build_key(key: CorpusKey, lex: LexiconKey) -> tuple[str, str, str, str]:
    return (key.corpus_dir, key.cache_dir, key.fingerprint, lex.segmentation)


def index_build(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey) -> builds.Build:
    """The build of this corpus's word index: finished at once when the word cache holds every
    article (a warm load), else started in a background thread (once per corpus and lexicon)."""
    corpus = load_corpus(key)

    def warm() -> wd.WordIndex | None:
        release_mapped()  # the peak of the load is the index's, not what other pages read before
        index = wd.load_index(
            corpus.articles,
            themes,
            cache_dir=Path(key.cache_dir),
            corpus_dir=key.corpus_dir,
            fingerprint=corpus.fingerprint,  # the text digests kept with the cache
        )
        return long_lived(index) if index is not None else None

    def work(build: builds.Build) -> wd.WordIndex:
        return long_lived(
            wd.build_index(
                corpus.articles,
                themes,
                cache_dir=Path(key.cache_dir),
                corpus_dir=key.corpus_dir,
                workers=settings.get_settings().workers,
                progress=build.update,
                fingerprint=corpus.fingerprint,
            )
        )

    return _BUILDS.start(_build_key(key, lex), work, warm)


def join_builds(timeout: float | None = None) -> bool:
    """Wait for the background builds still running (tests; a clean shutdown); True when none is left."""
    return _BUILDS.join(timeout)


def wait_for_word_index(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey) -> None:
    """Return when the word index is ready; else show the background build's progress (started if
    needed) and stop this run — the page is shown again when the build is done."""
    builds.wait(_BUILDS, _build_key(key, lex), index_build(key, themes, lex), "分词", WHY)


def read_ahead(key: CorpusKey, themes: th.ThemeDict | None) -> bool:
    """The word index ready outside a page run (the hosted server's start): read, or segmented by the
    same background build 词云 waits for, then kept as 词云's runs take it; True when it is."""
    lex = lexicon_key(themes)
    if not builds.settle(index_build(key, themes, lex)):
        return False
    word_index(key, themes, lex)
    return True


@st.cache_resource(show_spinner="正在读取分词缓存…", max_entries=2, hash_funcs=IN_LEX)
def word_index(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey) -> wd.WordIndex:
    """The tokens of every article (shared: do not modify): the finished background build or the
    warm cache; built here only when nobody waited for it (:func:`wait_for_word_index`)."""
    build = _BUILDS.get(_build_key(key, lex))
    if build is not None and build.finished:
        return build.result
    corpus = load_corpus(key)
    return wd.build_index(
        corpus.articles,
        themes,
        cache_dir=Path(key.cache_dir),
        corpus_dir=key.corpus_dir,
        workers=settings.get_settings().workers,
        fingerprint=corpus.fingerprint,
    )


@st.cache_resource(show_spinner=False, max_entries=2, hash_funcs=IN_LEX)
def kwic_segmenter(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey) -> segment.Segmenter:
    """The segmenter of the word index (whole-word KWIC), built once per lexicon."""
    return wd.segmenter(themes, Path(key.cache_dir))


@st.cache_data(show_spinner=False, max_entries=4)
def town_options(key: CorpusKey, file_key: PlacesFileKey) -> list[str]:
    """Towns, streets and zones of the place file that some article of the corpus names, in the
    file's order: a filter offers only places the corpus has (another paper's corpus, none)."""
    places, _, _ = places_in_articles(key, file_key)
    gaz, _ = gazetteer(file_key)
    return wv.towns_named(gaz.names, places) if gaz is not None else []


@st.cache_resource(max_entries=16, hash_funcs=IN_LEX)
def countable(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, pos: str) -> object:
    """The terms that count for this part of speech (stop words and non-places left out)."""
    gaz, _ = gazetteer() if pos == "place" else (None, None)
    places = gaz.canonical if gaz is not None else ()  # without a place file the ns tags still find them
    return wd.countable(word_index(key, themes, lex), wd.load_stopwords(), pos, places)


@st.cache_resource(show_spinner=False, max_entries=2, hash_funcs={th.ThemeDict: theme_digest})
def article_filter(key: CorpusKey, themes: th.ThemeDict | None, places: PlacesFileKey) -> wv.ArticleFilter:
    """The columns the filters read, as arrays (once per corpus, dictionary and place file; shared,
    read-only): a view's articles are then a mask made in a millisecond (``wv.ArticleFilter``)."""
    hits = theme_hits(key, themes) if themes is not None else None
    found = places_in_articles(key, places)[0]
    return long_lived(wv.ArticleFilter.build(load_corpus(key).articles, theme_hits=hits, places=found))


@st.cache_resource(show_spinner=False, max_entries=2, hash_funcs=IDS_HASH)
def _index_in_filter_order(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey) -> bool:
    """Whether the word index's articles are the filter's, in its order (both come from the corpus'
    articles frame): a filter's mask is then the index's mask, without looking ids up."""
    ids = article_filter(key, themes, places_file_key()).ids
    return bool(np.array_equal(word_index(key, themes, lex).article_ids, ids))


def filter_mask(
    key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView
) -> tuple[np.ndarray, int]:
    """(bool per article of the word index: the view's filtered articles; how many articles) —
    ``index.doc_mask(wv.filtered_ids(…))`` without comparing strings (``lex.places`` keys the place file)."""
    chosen = article_filter(key, themes, places_file_key())
    mask = chosen.mask(view)
    n = int(mask.sum())
    if not _index_in_filter_order(key, themes, lex):
        mask = word_index(key, themes, lex).doc_mask(chosen.ids_of(mask))
    return mask, n


def filtered_ids(
    key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView
) -> list[str]:
    """Ids of the articles the view's filters choose, in the corpus' order."""
    chosen = article_filter(key, themes, places_file_key())
    return chosen.ids_of(chosen.mask(view))


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=IDS_HASH)  # shared: read-only
def period_counts(
    key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView
) -> tuple[np.ndarray, np.ndarray, int]:
    """(occurrences, articles) of every vocab term in the view's filtered articles, and how many
    articles — counted once per article filter (a compared period: the view with its dates), for both
    weights, every part of speech, the words that rose and those that fell, and kept when only the
    other period moves."""
    index = word_index(key, themes, lex)
    mask, n = filter_mask(key, themes, lex, view)
    tf, docs = index.totals(mask)
    if tf is index.tf:  # every article: the index's own arrays
        tf, docs = tf.copy(), docs.copy()
    tf.flags.writeable = False
    docs.flags.writeable = False
    return tf, docs, n


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=TERMS_HASH)  # shared: do not modify
def term_table(
    key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView
) -> tuple[pd.DataFrame, int]:
    """(schemas.TERM_COUNTS of the filtered articles, ranked by the view's weight; how many articles).
    A compared period is the view with that period's dates (``word_view.period_view``)."""
    tf, docs, n = period_counts(key, themes, lex, view)
    keep = countable(key, themes, lex, view.pos)
    index = word_index(key, themes, lex)
    return wd.term_table_from_counts(index, tf, docs, keep, top=wv.TABLE_TERMS, weight=view.weight), n


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=TERMS_HASH)  # shared: do not modify
def terms_bar(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView) -> go.Figure:
    """词频's bar chart of the view (built once per view: picking a word reruns the 词频 part, and
    building a Plotly figure each time cost more than the rest of that run)."""
    table, n_articles = term_table(key, themes, lex, view)
    return chart_base.for_browser(
        word_charts.top_terms_bar(table, weight=view.weight, articles=n_articles, n=wv.BAR_TERMS),
        selectable=True,
    )


CLOUD_HASH = {wr.CloudWords: lambda w: w.digest}


def _cloud_image(key: CorpusKey, words: wr.CloudWords, scale_max: float | None, rotate: bool):
    font = wr.cjk_font(Path(key.cache_dir))
    return wr.render(words.frequencies, font_path=font, scale_max=scale_max, rotate=rotate)


@st.cache_data(show_spinner="正在绘制词云…", max_entries=32, hash_funcs=CLOUD_HASH)
def cloud_jpeg(
    key: CorpusKey, words: wr.CloudWords, scale_max: float | None, rotate: bool = False
) -> bytes | None:
    """The cloud as the page shows it (None when there is no word): the JPEG ``st.image`` made of
    the PNG on every run before, made once (``wr.jpeg_bytes``); ``rotate``: some words may be
    vertical.  Keyed by the words' digest (``wr.CloudWords``), not by the words themselves."""
    image = _cloud_image(key, words, scale_max, rotate)
    return wr.jpeg_bytes(image) if image is not None else None


def cloud_png(key: CorpusKey, words: wr.CloudWords, scale_max: float | None, rotate: bool = False) -> bytes:
    """The cloud's PNG, made when its download is clicked (drawn again: the boxes and glyphs of the
    cloud just shown are kept, so it costs less than the first drawing)."""
    image = _cloud_image(key, words, scale_max, rotate)
    return wr.png_bytes(image) if image is not None else b""


@st.cache_data(show_spinner="正在计算上升词…", max_entries=16, hash_funcs=RISING_HASH)
def rising_terms(
    key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView
) -> pd.DataFrame:
    """schemas.RISING_TERMS from the view's earlier period to its later one."""
    earlier, later = (period_counts(key, themes, lex, wv.period_view(view, which))[0] for which in ("a", "b"))
    return wd.rising_from_counts(
        word_index(key, themes, lex), earlier, later, countable(key, themes, lex, view.pos)
    )


def _kwic_args(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView) -> tuple:
    index = word_index(key, themes, lex)
    ids = filtered_ids(key, themes, lex, view)
    return load_corpus(key).articles, index, view.word, ids, kwic_segmenter(key, themes, lex)


@st.cache_data(show_spinner="正在查找上下文…", max_entries=16, hash_funcs=KWIC_HASH)
def kwic(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView) -> pd.DataFrame:
    """schemas.KWIC of the view's word in its filtered articles (at most word_views.KWIC_LIMIT lines)."""
    return wd.kwic(*_kwic_args(key, themes, lex, view), limit=wv.KWIC_LIMIT, whole_word=view.whole_word)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=KWIC_HASH)
def kwic_total(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView) -> int:
    """How many KWIC lines the view's word has in all (the list shows at most KWIC_LIMIT)."""
    return wd.kwic_count(*_kwic_args(key, themes, lex, view), whole_word=view.whole_word)


def kwic_csv_all(key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView) -> bytes:
    """Every KWIC line of the view's word as CSV (built when the download is clicked, not cached)."""
    lines = wd.kwic(*_kwic_args(key, themes, lex, view), whole_word=view.whole_word)
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


def trend_words(
    key: CorpusKey,
    themes: th.ThemeDict | None,
    later: tuple[dt.date, dt.date],
    earlier: tuple[dt.date, dt.date],
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(words that rose, words that fell) from ``earlier`` to ``later`` (schemas.RISING_TERMS each; the
    fallen computed the other way round), for 政策主题's 上升与下降 — None while the word index is
    being built: its progress is shown instead (the rest of that page is not held up)."""
    lex = lexicon_key(themes)
    if not builds.ready(_BUILDS, _build_key(key, lex), index_build(key, themes, lex), "分词", WHY):
        return None
    view = wv.WordView(compare=True, a_start=earlier[0], a_end=earlier[1], b_start=later[0], b_end=later[1])
    back = replace(view, a_start=later[0], a_end=later[1], b_start=earlier[0], b_end=earlier[1])
    return rising_terms(key, themes, lex, view), rising_terms(key, themes, lex, back)


def trend_words_section(
    key: CorpusKey,
    themes: th.ThemeDict | None,
    later: tuple[dt.date, dt.date],
    earlier: tuple[dt.date, dt.date],
    *,
    scope_note: str = "",
) -> None:
    """上升与下降's words: the 20 that rose and fell most (by G²) between the periods, side by side; a
    ticked word lists its sentences in both periods (whole words, as counted), and a link opens 词云
    comparing the same periods (the cloud, every word)."""
    st.markdown("**词语**（按对数似然 G² 排序的前 20 个；词频按每百万词计；选中一行即列出两个时期的原句）")
    if scope_note:
        st.caption(scope_note)
    found = trend_words(key, themes, later, earlier)
    if found is None:
        return
    rose, fell = found
    for table, fallen, label in ((rose, False, "上升"), (fell, True, "下降")):
        where = st.container()  # one above the other, each the page's width: every column in view
        where.caption(f"{label}的词语")
        if table.empty:
            where.info(f"没有明显{label}的词语。")
        else:
            shown = wv.trend_words_zh(table, fell=fallen)
            where.dataframe(
                shown,
                hide_index=True,
                placeholder=wording.MISSING,
                **app_state.row_picker(
                    f"themes.trend_words_{label}", shown["词语"].tolist(), Keys.THEMES_TREND_WORD
                ),
            )
    st.link_button(
        "在词云页比较这两个时期的词语（上下文、词云）",
        wv.compare_link(later, earlier),
        icon=":material/compare_arrows:",
    )
    word = st.session_state.get(Keys.THEMES_TREND_WORD)
    if word and word in set(rose["term"].head(20)) | set(fell["term"].head(20)):
        trend_word_sentences(key, themes, word, later, earlier)


def trend_word_sentences(
    key: CorpusKey,
    themes: th.ThemeDict | None,
    word: str,
    later: tuple[dt.date, dt.date],
    earlier: tuple[dt.date, dt.date],
) -> None:
    """The ticked word's sentences in the comparison period and in the period looked at, side by
    side: every whole-word occurrence the tables count (the first KWIC_LIMIT listed), each with a link
    to its article."""
    lex = lexicon_key(themes)
    st.markdown(f"**{md.escape(word)}** 在两个时期的原句（整词，与上表次数一致）")
    for where, (first, last) in zip(st.columns(2), (earlier, later), strict=True):
        view = wv.WordView(start=first, end=last, word=word, whole_word=True)
        total = kwic_total(key, themes, lex, view)
        where.caption(wv.trend_word_caption_zh(first, last, total))
        if total:
            where.dataframe(
                app_themes.context_first(wv.kwic_table(kwic(key, themes, lex, view), view)),
                hide_index=True,
                placeholder=wording.MISSING,
                row_height=60,
                column_config=app_themes.drill_columns(),
            )


# ---------------------------------------------------------------- the page's sections


def filter_form(
    first: dt.date | None, last: dt.date | None, labels: dict[str, str], towns: list[str]
) -> None:
    """词云's filters: dates, themes, kinds, towns; the cloud's weight, size, part of speech, the two
    periods' switch and vertical words (the widgets of WordView)."""
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns([4, 3, 3, 3])
        if first:
            app_state.date_range_input(
                c1, "日期范围", Keys.WORDS_DATES, first, last, then=fit_compare_periods
            )
        c2.multiselect(
            "主题（任一）",
            list(labels),
            format_func=labels.get,
            select_all=False,
            key=Keys.WORDS_THEMES,
            placeholder="全部文章",
        )
        c3.multiselect(
            "类型",
            schemas.KINDS,
            format_func=schemas.KIND_LABELS_ZH.get,
            key=Keys.WORDS_KINDS,
            select_all=False,
            placeholder="选择条目类型",
        )
        c4.multiselect(
            "镇街（任一）",
            towns,
            select_all=False,
            key=Keys.WORDS_TOWNS,
            placeholder="全部镇街" if towns else "语料中没有提到镇街",
            disabled=not towns,
        )
        c5, c6, c7, c8 = st.columns([3, 2, 5, 3])
        c5.radio(
            "字号依据", list(wd.WEIGHTS), format_func=wd.WEIGHTS.get, horizontal=True, key=Keys.WORDS_WEIGHT
        )
        c6.selectbox("词数", wv.TOP_CHOICES, key=Keys.WORDS_TOP, placeholder="选择词数")
        c7.radio(
            "词性",
            list(wd.POS_FILTERS),
            format_func=lambda p: wd.POS_FILTERS[p][0],
            horizontal=True,
            key=Keys.WORDS_POS,
        )
        c8.toggle("两个时期对比", key=Keys.WORDS_COMPARE)
        c8.toggle(
            "允许竖排的词", key=Keys.WORDS_ROTATE, help="默认每个词都横排；打开后少数词竖排，词云更紧凑。"
        )


def cloud_section(
    key: CorpusKey, themes: th.ThemeDict | None, view: wv.WordView, table: pd.DataFrame, n_articles: int
) -> None:
    """One word cloud of the filtered articles, with its picture and its words to download."""
    what = wd.WEIGHTS[view.weight]
    st.subheader("词云")
    st.caption(
        f"所选 {n_articles:,} 篇文章中{wd.POS_FILTERS[view.pos][0]}按{what}排列的前 {view.top} 个词；"
        "字号与权重的平方根成正比（面积与权重成正比）。"
    )
    rotate = bool(st.session_state.get(Keys.WORDS_ROTATE))
    cloud = (wr.CloudWords.of(wd.frequencies(table.head(view.top), view.weight)), None, rotate)
    shown = cloud_jpeg(key, *cloud)
    if shown is None:
        st.info("所选文章中没有可统计的词。请放宽筛选条件。")
    else:
        st.image(shown, width="stretch", output_format="JPEG")  # made once: not converted on every run
        d1, d2 = st.columns(2)
        png = functools.partial(cloud_png, key, *cloud)  # made when clicked
        widgets.file_download("下载词云图片（PNG）", png, "词云.png", Keys.WORDS_PNG, fmt="png", where=d1)
        widgets.table_download(
            "下载词频表（CSV）",
            functools.partial(wv.term_table_zh, table.head(view.top)),
            "词频.csv",
            Keys.WORDS_CSV,
            where=d2,
        )


def compare_section(
    key: CorpusKey, themes: th.ThemeDict | None, lex: LexiconKey, view: wv.WordView, first: dt.date | None
) -> None:
    """两个时期对比: the two periods' clouds on one scale (with the events of each), and the words that rose."""
    what = wd.WEIGHTS[view.weight]
    st.subheader("两个时期对比")
    p1, p2 = st.columns(2)
    if first:
        app_state.date_range_input(p1, "前期", Keys.WORDS_PERIOD_A, view.start, view.end)
        app_state.date_range_input(p2, "后期", Keys.WORDS_PERIOD_B, view.start, view.end)
    ta, na = term_table(key, themes, lex, wv.period_view(view, "a"))
    tb, nb = term_table(key, themes, lex, wv.period_view(view, "b"))
    fa, fb = wd.frequencies(ta.head(view.top), view.weight), wd.frequencies(tb.head(view.top), view.weight)
    scale = max([*fa.values(), *fb.values()], default=None)
    events, _ = app_events.event_list()  # data/events.toml: what happened in each period
    st.caption(
        f"两幅词云用同一比例尺：同样的{what}画成同样大的字（两期中最大的{what}对应最大字号）。"
        "其他筛选条件对两期都适用。"
    )
    for col, freqs, terms, n, (s0, s1), (k, k_csv) in (
        (p1, fa, ta, na, (view.a_start, view.a_end), (Keys.WORDS_PNG_A, Keys.WORDS_CSV_A)),
        (p2, fb, tb, nb, (view.b_start, view.b_end), (Keys.WORDS_PNG_B, Keys.WORDS_CSV_B)),
    ):
        col.markdown(f"**{wv.period_label(s0, s1)}**（{n:,} 篇文章）")
        during = event_view.events_in_zh(events, s0, s1)
        if during:
            col.caption(md.escape(during))
        cloud = (wr.CloudWords.of(freqs), scale, bool(st.session_state.get(Keys.WORDS_ROTATE)))
        shown = cloud_jpeg(key, *cloud)
        if shown is None:
            col.info("这一时期没有可统计的词。")
        else:
            col.image(shown, width="stretch", output_format="JPEG")
            png = functools.partial(cloud_png, key, *cloud)  # made when clicked
            widgets.file_download("下载这幅词云（PNG）", png, f"词云_{s0}_{s1}.png", k, fmt="png", where=col)
            widgets.table_download(
                "下载这幅词云的词频（CSV）",
                functools.partial(wv.term_table_zh, terms.head(view.top)),
                f"词频_{s0}_{s1}.csv",
                k_csv,
                where=col,
            )
    st.subheader("上升词")
    st.caption(
        f"后期比前期用得多的词，按对数似然 G² 排序（G² 越大，差别越不像偶然）；两期合计不足 {wd.MIN_RISING} 次的词不列出。"
        "“每百万词”= 该词次数 ÷ 该时期统计的总词数 × 100 万。"
    )
    rising = rising_terms(key, themes, lex, view)
    if rising.empty:
        st.info("两个时期之间没有明显上升的词（或其中一期没有文章）。")
    else:
        rows = wv.rising_table_zh(rising)
        st.dataframe(
            rows,
            hide_index=True,
            placeholder=wording.MISSING,
            **app_state.row_picker(
                Keys.WORDS_RISING_TABLE,
                rising["term"].astype(str).tolist(),
                Keys.WORDS_WORD,
                clears=[Keys.WORDS_ARTICLE],
            ),
        )
        widgets.table_download("下载上升词（CSV）", rows, "上升词.csv", Keys.WORDS_RISING_CSV)


@st.fragment
def terms_context_and_reader(
    key: CorpusKey,
    themes: th.ThemeDict | None,
    lex: LexiconKey,
    articles: pd.DataFrame,
    view: wv.WordView,
    table: pd.DataFrame,
    n_articles: int,
) -> None:
    """词频 (bars and table), 关键词上下文 and the article reader: picking a word (a bar, a row, the
    select box), 整词 or an article reruns this part only, not the clouds and rising terms above."""
    ss = st.session_state
    if not table.empty:
        st.subheader("词频")
        left, right = st.columns(2)
        widgets.chart(
            terms_bar(key, themes, lex, view), Keys.WORDS_BAR, where=left, on_select=pick_word_from_bar
        )
        widgets.table_download(
            "下载柱状图数据（CSV）",
            functools.partial(wv.bar_table_zh, table),
            "词频柱状图.csv",
            Keys.WORDS_BAR_CSV,
            where=left,
        )
        right.caption(
            f"前 {len(table):,} 个词（{wv.period_label(view.start, view.end)}）。点选一行，下方列出它的上下文。"
        )
        right.dataframe(
            wv.term_table_zh(table),
            hide_index=True,
            placeholder=wording.MISSING,
            height=520,
            **app_state.row_picker(
                Keys.WORDS_TABLE,
                table["term"].astype(str).tolist(),
                Keys.WORDS_WORD,
                clears=[Keys.WORDS_ARTICLE],
            ),
        )

    st.subheader("关键词上下文")
    terms = wv.word_choices(view.word, table)
    k1, k2 = st.columns([5, 1], vertical_alignment="bottom")
    k1.selectbox(
        "选择一个词（或在词频表、柱状图中点选；也可输入任意文字）",
        terms,
        key=Keys.WORDS_WORD,
        placeholder="未选择词语",
        accept_new_options=True,
    )
    k2.checkbox(
        "整词",
        key=Keys.WORDS_WHOLE_WORD,
        help="勾选：只列出分词结果中恰好是这个词的地方（“独山港”不匹配“独山港镇”）；不勾选：按字查找每一处",
    )
    view = replace(view, word=ss.get(Keys.WORDS_WORD) or "", whole_word=bool(ss.get(Keys.WORDS_WHOLE_WORD)))
    if view.word:
        lines = kwic(key, themes, lex, view)
        total = kwic_total(key, themes, lex, view) if len(lines) >= wv.KWIC_LIMIT else len(lines)
        st.caption(wv.kwic_caption_zh(md.escape(view.word), view.whole_word, n_articles, len(lines), total))
        if not lines.empty:
            st.dataframe(
                wv.kwic_table(lines, view),
                hide_index=True,
                placeholder=wording.MISSING,
                key=Keys.WORDS_KWIC_TABLE,
                column_config={
                    "全文": st.column_config.LinkColumn("全文", display_text="打开全文"),
                    "上下文": st.column_config.TextColumn("上下文", width="large"),
                },
            )
            widgets.file_download(
                f"下载全部 {total:,} 处上下文（CSV）",
                functools.partial(kwic_csv_all, key, themes, lex, view),
                f"上下文_{view.word}.csv",
                Keys.WORDS_KWIC_CSV,
                fmt="csv",
            )
            widgets.article_picker(Keys.WORDS_ARTICLE, wv.article_options(lines, view.article))
    view = replace(view, article=ss.get(Keys.WORDS_ARTICLE) or "")
    shown = views.article_text(articles, view.article) if view.article else None
    if shown is not None:
        lines = (shown[0], shown[1], wv.highlight(shown[2], view.word))
        widgets.article_reader(lines, Keys.WORDS_CLOSE_ARTICLE, close_word_article)
    app_state.write_url(view)
