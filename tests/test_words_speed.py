"""词云's faster paths give what the slower ones gave (issue 14): the article filter as arrays against
``filtered_ids``, the KWIC links built once against ``article_url``, term tables from kept counts
against ``term_table``, the cloud's cache key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinghu_core.corpus import ingest
from pinghu_core.search import places
from pinghu_core.themes import dictionary as themes
from pinghu_core.words import cloud as wr
from pinghu_core.words import index as words
from pinghu_core.words import view as wv

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample():
    """The sample corpus' articles, their theme hits and places (schemas.ARTICLE_THEMES / ARTICLE_PLACES)."""
    corpus = ingest.load_files(sorted((ROOT / "data" / "corpus").glob("*.txt")), workers=1)
    a = corpus.articles
    return a, themes.tag_articles(a, themes.load_themes(themes.DEFAULT_THEMES_PATH)), places.article_places(a)


def _same(chosen: wv.ArticleFilter, a: pd.DataFrame, view: wv.WordView, hits, found) -> bool:
    """The filter's mask gives the ids filtered_ids gives (the same articles, in the same order)."""
    mask = chosen.mask(view)
    assert mask.dtype == bool and len(mask) == len(a)
    return chosen.ids_of(mask) == wv.filtered_ids(a, view, theme_hits=hits, places=found)


VIEWS = [
    wv.WordView(),
    wv.WordView(kinds=()),
    wv.WordView(kinds=("news", "photo", "ad", "masthead", "guide", "other", "weather", "commentary")),
    wv.WordView(kinds=("news", "no-such-kind")),
    wv.WordView(start=dt.date(2020, 4, 21), end=dt.date(2020, 4, 21)),
    wv.WordView(start=dt.date(2030, 1, 1), end=dt.date(2031, 1, 1)),
    wv.WordView(start=dt.date(2000, 1, 1), end=dt.date(2040, 1, 1)),
    wv.WordView(themes=("minsheng",)),
    wv.WordView(themes=("minsheng", "epidemic"), kinds=("news",)),
    wv.WordView(themes=("no-such-theme",)),
    wv.WordView(towns=("独山港镇",)),
    wv.WordView(towns=("独山港镇", "新埭镇"), themes=("major-projects",)),
    wv.WordView(towns=("火星镇",)),
]


@pytest.mark.parametrize("view", VIEWS, ids=range(len(VIEWS)))
def test_article_filter_mask_is_filtered_ids(sample, view):
    a, hits, found = sample
    chosen = wv.ArticleFilter.build(a, theme_hits=hits, places=found)
    assert _same(chosen, a, view, hits, found)
    # the sample's ids are unique: the mask is the rows of those ids
    ids = wv.filtered_ids(a, view, theme_hits=hits, places=found)
    assert chosen.mask(view).tolist() == a["article_id"].astype(str).isin(ids).tolist()


def test_article_filter_without_hits_or_places_ignores_those_filters(sample):
    """No dictionary (or no place file): the theme and town filters narrow nothing, as before."""
    a, _, _ = sample
    chosen = wv.ArticleFilter.build(a)
    view = wv.WordView(themes=("minsheng",), towns=("独山港镇",))
    assert chosen.ids_of(chosen.mask(view)) == wv.filtered_ids(a, view)


def test_article_filter_on_odd_rows():
    """A missing kind and date, an id printed twice, a hit for an article that is not in the frame."""
    a = pd.DataFrame(
        {
            "article_id": ["a", "b", "a", "c", "d"],
            "date": pd.to_datetime(["2020-01-01", None, "2020-03-01", "2021-01-01", "2020-02-01"]),
            "kind": pd.array(["news", "news", None, "commentary", "photo"], dtype="string"),
        }
    )
    hits = pd.DataFrame({"article_id": ["a", "zz", "d"], "theme_id": ["t1", "t1", "t2"]})
    found = pd.DataFrame({"article_id": ["c", "a"], "place": ["新埭镇", "新埭镇"]})
    chosen = wv.ArticleFilter.build(a, theme_hits=hits, places=found)
    for view in [
        wv.WordView(),
        wv.WordView(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)),
        wv.WordView(themes=("t1",), kinds=("news", "photo")),
        wv.WordView(themes=("t1", "t2"), kinds=("news", "photo", "commentary")),
        wv.WordView(towns=("新埭镇",), kinds=("news", "commentary")),
    ]:
        assert _same(chosen, a, view, hits, found), view


DATES = st.one_of(st.none(), st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=DATES,
    end=DATES,
    kinds=st.lists(st.sampled_from(["news", "commentary", "photo", "ad", "guide", "x"]), unique=True),
    theme_ids=st.lists(st.sampled_from(["minsheng", "epidemic", "major-projects", "nope"]), unique=True),
    towns=st.lists(st.sampled_from(["独山港镇", "新埭镇", "当湖街道", "火星镇"]), unique=True, max_size=2),
)
def test_article_filter_agrees_with_filtered_ids_on_any_view(sample, start, end, kinds, theme_ids, towns):
    a, hits, found = sample
    chosen = _built(sample)
    view = wv.WordView(start=start, end=end, kinds=tuple(kinds), themes=tuple(theme_ids), towns=tuple(towns))
    assert _same(chosen, a, view, hits, found)


_BUILT: dict = {}


def _built(sample) -> wv.ArticleFilter:
    if "f" not in _BUILT:
        a, hits, found = sample
        _BUILT["f"] = wv.ArticleFilter.build(a, theme_hits=hits, places=found)
    return _BUILT["f"]


# ---------------------------------------------------------------- KWIC links

ID_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    ids=st.lists(ID_TEXT, max_size=6),
    word=ID_TEXT,
    compare=st.booleans(),
    weight=st.sampled_from(["count", "tfidf"]),
    theme_ids=st.lists(st.sampled_from(["minsheng", "epidemic"]), unique=True),
    article=ID_TEXT,
    start=DATES,
)
def test_article_urls_are_article_url(ids, word, compare, weight, theme_ids, article, start):
    view = wv.WordView(
        start=start,
        end=dt.date(2025, 1, 1),
        word=word,
        compare=compare,
        weight=weight,
        themes=tuple(theme_ids),
        article=article,
        a_start=dt.date(2020, 1, 1),
        a_end=dt.date(2021, 1, 1),
        b_start=dt.date(2022, 1, 1),
        b_end=dt.date(2023, 1, 1),
    )
    assert wv.article_urls(view, ids) == [wv.article_url(view, i) for i in ids]


def test_article_urls_table():
    view = wv.WordView(word="独山港", themes=("minsheng",), whole_word=True)
    assert wv.article_urls(view, ["2020-04-21-01-03", "a&b=c d"]) == [
        "?themes=minsheng&kinds=news%2Ccommentary&word=%E7%8B%AC%E5%B1%B1%E6%B8%AF&whole_word=1"
        "&article=2020-04-21-01-03",
        "?themes=minsheng&kinds=news%2Ccommentary&word=%E7%8B%AC%E5%B1%B1%E6%B8%AF&whole_word=1"
        "&article=a%26b%3Dc+d",
    ]
    assert wv.article_urls(view, ["x"]) == [wv.article_url(view, "x")]


# ---------------------------------------------------------------- term tables from kept counts


def test_term_table_from_counts_is_term_table(sample):
    a, _, _ = sample
    index = words.build_index(a, themes.load_themes(themes.DEFAULT_THEMES_PATH))
    stop = words.load_stopwords()
    chosen = wv.ArticleFilter.build(a)
    for view in (wv.WordView(), wv.WordView(start=dt.date(2020, 4, 21), end=dt.date(2020, 4, 21))):
        mask = index.doc_mask(chosen.ids_of(chosen.mask(view)))
        tf, docs = index.totals(mask)
        for pos in words.POS_FILTERS:
            keep = words.countable(index, stop, pos)
            for weight in words.WEIGHTS:
                for top in (None, 5, 500):
                    pd.testing.assert_frame_equal(
                        words.term_table_from_counts(index, tf, docs, keep, top=top, weight=weight),
                        words.term_table(index, mask, keep, top=top, weight=weight),
                    )


# ---------------------------------------------------------------- the cloud's cache key


def test_cloud_words_digest_follows_words_weights_and_order():
    one = wr.CloudWords.of({"平湖": 3.0, "独山港": 2.5})
    assert one == wr.CloudWords.of({"平湖": 3, "独山港": 2.5})  # the same weights as floats
    assert one.frequencies == {"平湖": 3.0, "独山港": 2.5}
    others = [
        {"平湖": 3.0, "独山港": 2.4999999999},
        {"平湖": 3.0},
        {"独山港": 2.5, "平湖": 3.0},  # order decides ties in the layout
        {"平湖": 3.0, "独山港镇": 2.5},
    ]
    assert len({one.digest, *(wr.CloudWords.of(f).digest for f in others)}) == 1 + len(others)


# ---------------------------------------------------------------- the cloud's picture


@pytest.fixture(scope="module")
def font(tmp_path_factory) -> Path:
    return wr.cjk_font(tmp_path_factory.mktemp("cache"))


def _table_words(seed: int, n: int = 100) -> dict[str, float]:
    """A cloud's words as a term table gives them: words of the user dictionary and common words,
    weights falling off as counts do."""
    import random

    rnd = random.Random(seed)
    vocab = [
        line.split()[0]
        for line in (ROOT / "data" / "lexicon" / "userdict.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ] + ["平湖", "发展", "建设", "企业", "项目", "工作", "推进", "经济", "群众", "服务", "乡村振兴"]
    chosen = rnd.sample(vocab, min(n, len(vocab)))
    return {w: float(round(5000 / (i + 1) ** rnd.uniform(0.4, 1.1))) for i, w in enumerate(chosen)}


def _wordclouds_own(freqs, font, **kwargs):
    own, scaled = wr.configured(freqs, font_path=font, **kwargs)
    own.generate_from_frequencies(scaled)
    return own


def _placed(cloud) -> list[tuple]:
    return [(w, f, s, (int(p[0]), int(p[1])), o, c) for (w, f), s, p, o, c in cloud.layout_]


@pytest.mark.parametrize("boxes", ["cold", "warm"])  # boxes, colours and glyph masks of earlier clouds
def test_clouds_one_after_another_are_wordclouds_own_picture(font, boxes):
    """Clouds laid out one after another — word boxes measured by earlier clouds, colours formatted
    by earlier clouds, the occupancy table updated by what each word changed — are WordCloud 1.9's
    own layout and pixels (generate_from_frequencies, to_image), word for word and pixel for pixel."""
    cases = [
        (_table_words(0), {}),
        (_table_words(1), {"rotate": True}),
        (_table_words(2, 150), {"scale_max": 9000.0}),
        (_table_words(0), {"scale_max": 20000.0}),
        ({"独山港镇": 1.0}, {}),
        (_table_words(3, 20), {"rotate": True}),
    ]
    for freqs, kwargs in cases:
        if boxes == "cold":
            wr._BOXES.clear()
            wr._COLOURS.clear()
            wr._MASKS.clear()
        own = _wordclouds_own(freqs, font, **kwargs)
        ours = wr.build_cloud(freqs, font_path=font, **kwargs)
        assert _placed(ours) == _placed(own)
        assert np.array_equal(np.asarray(wr.draw(ours)), np.asarray(own.to_image()))


def test_the_picture_shown_is_what_streamlit_made_of_the_png(font):
    """The page shows the JPEG st.image made of the PNG on every run before (decoded, saved as JPEG at
    quality 90), byte for byte; the PNG is the one png_bytes wrote before (zlib's default level)."""
    import io

    from streamlit.elements.lib import image_utils
    from streamlit.elements.lib.layout_utils import LayoutConfig

    image = wr.render(_table_words(4), font_path=font)
    png = wr.png_bytes(image)
    old = io.BytesIO()
    image.save(old, format="PNG", optimize=False)
    assert png == old.getvalue()
    before = image_utils._ensure_image_size_and_format(png, LayoutConfig(width="stretch"), "JPEG")
    assert image_utils._validate_image_format_string(png, "auto") == "JPEG"  # what "auto" chose
    assert wr.jpeg_bytes(image) == before


@settings(max_examples=200, deadline=None)
@given(x=st.floats(0, 1, exclude_max=True), name=st.sampled_from(["viridis", "magma", "tab10"]))
def test_colour_is_wordclouds_colormap_colour(x, name):
    from wordcloud.wordcloud import colormap_color_func

    class Fixed:
        def uniform(self, a, b):
            return a + (b - a) * x

    func = colormap_color_func(name)
    args = {"font_size": 10, "position": (0, 0), "orientation": None, "font_path": ""}
    assert wr.colour(func, "词", random_state=Fixed(), **args) == func("词", random_state=Fixed(), **args)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_occupancy_add_is_wordclouds_update(data):
    """Ink added in boxes (the usual case: below and right of the word's corner; sometimes above or
    left of it, where WordCloud's update does not sum again): the table after every word is the
    table WordCloud's IntegralOccupancyMap.update gives."""
    from wordcloud.wordcloud import IntegralOccupancyMap

    height, width = data.draw(st.integers(3, 40)), data.draw(st.integers(3, 40))
    ink = np.zeros((height, width), dtype=np.uint8)
    own, ours = IntegralOccupancyMap(height, width, None), wr.Occupancy(height, width)
    for _ in range(data.draw(st.integers(1, 8))):
        top, left = data.draw(st.integers(0, height - 1)), data.draw(st.integers(0, width - 1))
        bottom, right = data.draw(st.integers(top + 1, height)), data.draw(st.integers(left + 1, width))
        before = ink[top:bottom, left:right].astype(np.int64)
        seed = data.draw(st.integers(0, 2**32 - 1))
        more = np.random.default_rng(seed).integers(0, 256, size=before.shape)
        ink[top:bottom, left:right] = np.maximum(before, np.where(more > 128, more, 0)).astype(np.uint8)
        pos_x = data.draw(st.integers(max(0, top - 2), min(height - 1, top + 2)))
        pos_y = data.draw(st.integers(max(0, left - 2), min(width - 1, left + 2)))
        own.update(ink, pos_x, pos_y)
        ours.add(ink, (top, left, before), pos_x, pos_y)
        assert np.array_equal(ours.integral, own.integral)


def test_a_cloud_drawn_again_measures_no_box(font, monkeypatch):
    """Word boxes are measured once per process: laying out the same words again calls no textbbox."""
    from PIL import ImageDraw

    freqs = _table_words(5)
    wr._BOXES.clear()
    calls = {"n": 0}
    measure = ImageDraw.ImageDraw.textbbox

    def counted(self, *args, **kwargs):
        calls["n"] += 1
        return measure(self, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "textbbox", counted)
    first = wr.build_cloud(freqs, font_path=font)
    measured = calls["n"]
    again = wr.build_cloud(freqs, font_path=font)
    assert measured > len(first.layout_) and calls["n"] == measured
    assert _placed(first) == _placed(again)


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_draw_word_is_pillows_text(font, mode):
    """A word drawn from a kept glyph mask — kept by a word drawn in another colour, turned or not —
    gives the pixels Pillow's ImageDraw.text gives; a position between pixels is left to Pillow."""
    from PIL import Image, ImageDraw, ImageFont

    fills = ["white", 128] if mode == "L" else ["rgb(68, 1, 84)", "rgb(253, 231, 37)", "rgb(33, 145, 140)"]
    fonts = wr.Fonts(str(font))
    wr._MASKS.clear()
    for size in (5, 23, 110):
        for orientation in (None, Image.Transpose.ROTATE_90):
            for fill, at in zip(fills, [(37, 11), (0, 0), (301, 5.5)], strict=False):
                ours, theirs = (Image.new(mode, (600, 300), "black") for _ in range(2))
                ImageDraw.Draw(theirs).text(
                    at,
                    "独山港镇gjÅ",
                    fill=fill,
                    font=ImageFont.TransposedFont(fonts.at(size), orientation=orientation),
                )
                wr.draw_word(ImageDraw.Draw(ours), fonts, size, orientation, "独山港镇gjÅ", at, fill)
                assert ours.tobytes() == theirs.tobytes(), (size, orientation, fill)
    assert len(wr._MASKS) == 6  # one mask per size and turn, whatever the colour


# ---------------------------------------------------------------- the bar chart, made once


def _bar_step_by_step(table: pd.DataFrame, *, weight: str, articles: int, n: int = 30):
    """words.charts.top_terms_bar as it was: a figure, then base_layout and three updates."""
    import html

    import plotly.graph_objects as go

    from pinghu_core.common.chart_base import ACCENT, base_layout, wan_axis
    from pinghu_core.words import charts

    rows = table.head(n).iloc[::-1]
    axis, unit = charts.MEASURE_ZH[weight]
    values = rows["tfidf"] if weight == "tfidf" else rows["count"]
    hover = [
        f"<b>{html.escape(str(t))}</b><br>出现 {c:,} 次，见于 {d:,} 篇文章<br>TF-IDF {w:,.1f}"
        for t, c, d, w in zip(rows["term"], rows["count"], rows["documents"], rows["tfidf"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=rows["term"].astype(str),
            orientation="h",
            marker_color=ACCENT,
            text=[f"{v:,.0f}{unit}" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
            customdata=rows["term"].astype(str),
        )
    )
    what = "出现次数" if weight == "count" else "TF-IDF 权重"
    base_layout(
        fig,
        f"{what}最高的 {len(rows)} 个词（所选 {articles:,} 篇文章）",
        height=max(320, 24 * len(rows) + 110),
    )
    fig.update_layout(margin={"l": 110, "r": 60, "t": 64, "b": 56}, showlegend=False)
    fig.update_xaxes(title_text=axis, gridcolor="#eeeeee", rangemode="tozero")
    fig.update_yaxes(title_text="词语", automargin=True)
    return wan_axis(fig, "x", float(max(values, default=0)))


def _json(fig) -> dict:
    import json

    import plotly.io as pio

    return json.loads(pio.to_json(fig, validate=False))


@pytest.mark.parametrize("weight", ["count", "tfidf"])
@pytest.mark.parametrize("n", [30, 3, 0])
def test_top_terms_bar_is_the_step_by_step_figure(sample, weight, n):
    """The bar chart made from one layout is the figure the step-by-step builder made (its JSON), on
    the sample corpus' term table — including a count axis in 万 and an empty table."""
    from pinghu_core.words import charts

    a, _, _ = sample
    index = words.build_index(a, themes.load_themes(themes.DEFAULT_THEMES_PATH))
    table = words.term_table(index, index.doc_mask(None), words.countable(index, words.load_stopwords()))
    table = table.head(n)
    for t in (table, table.assign(count=table["count"] * 1000, tfidf=table["tfidf"] * 1000)):
        assert _json(charts.top_terms_bar(t, weight=weight, articles=1234, n=30)) == _json(
            _bar_step_by_step(t, weight=weight, articles=1234, n=30)
        )


@pytest.mark.parametrize("dtype", [object, "string[python]", "string[pyarrow]", pd.ArrowDtype(pa.string())])
def test_article_filter_groups_the_same_from_any_string_storage(dtype):
    """The theme and town codes are found by Arrow's hash lookup whatever the frames' string storage:
    a hit for an id not in the frame, a missing id or key and an id printed twice change nothing."""
    a = pd.DataFrame(
        {
            "article_id": pd.array(["a", "b", "a", "c"], dtype=dtype),
            "date": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01", "2021-01-01"]),
            "kind": pd.array(["news", "news", "photo", "commentary"], dtype="string"),
        }
    )
    hits = pd.DataFrame(
        {
            "article_id": pd.array(["c", "zz", "a", None, "b", "c"], dtype=dtype),
            "theme_id": pd.array(["t1", "t1", "t2", "t2", None, "t1"], dtype=dtype),
        }
    )
    chosen = wv.ArticleFilter.build(a, theme_hits=hits, places=hits.rename(columns={"theme_id": "place"}))
    # codes: a → 0, b → 1, c → 2 (first appearance); "zz", the missing id and the missing key tag nothing
    expected = {"t1": [2], "t2": [0]}
    assert {k: v.tolist() for k, v in chosen.theme_codes.items()} == expected
    assert {k: v.tolist() for k, v in chosen.town_codes.items()} == expected
    assert all(v.dtype == np.int64 for v in chosen.theme_codes.values())
    assert chosen.ids_of(chosen.mask(wv.WordView(themes=("t2",), kinds=("news", "photo")))) == ["a", "a"]


@pytest.mark.parametrize(
    "hits",
    [
        pd.DataFrame({"article_id": pd.array([], dtype="string"), "theme_id": pd.array([], dtype="string")}),
        pd.DataFrame({"article_id": ["a", "b"], "theme_id": [None, None]}),  # no key
        pd.DataFrame({"article_id": ["zz", None], "theme_id": ["t1", "t2"]}),  # no known article
    ],
    ids=["no rows", "no key", "no known article"],
)
def test_article_filter_with_hits_that_tag_nothing(hits):
    """Theme hits (or places) that tag no article of the frame: no groups, and a theme filter keeps
    nothing — as filtered_ids does (a dictionary without hits, a corpus no theme matches)."""
    a = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "date": pd.to_datetime(["2020-01-01", "2020-02-01"]),
            "kind": pd.array(["news", "news"], dtype="string"),
        }
    )
    chosen = wv.ArticleFilter.build(a, theme_hits=hits, places=hits.rename(columns={"theme_id": "place"}))
    assert chosen.theme_codes == {} and chosen.town_codes == {}
    view = wv.WordView(themes=("t1",), kinds=("news",))
    assert chosen.ids_of(chosen.mask(view)) == wv.filtered_ids(a, view, theme_hits=hits) == []
