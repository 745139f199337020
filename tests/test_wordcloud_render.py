"""The word-cloud image: Chinese glyphs drawn with the extracted Simplified Chinese face, stopwords
never drawn, the same scale for two periods, deterministic layout."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pinghu_core.corpus import ingest
from pinghu_core.themes import dictionary as themes
from pinghu_core.words import cloud as wr
from pinghu_core.words import index as words

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def font(tmp_path_factory) -> Path:
    return wr.cjk_font(tmp_path_factory.mktemp("cache"))


def gray(image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.int16)


def test_font_is_the_simplified_chinese_face(font):
    from fontTools.ttLib import TTFont

    names = {r.toUnicode() for r in TTFont(str(font))["name"].names if r.nameID in (1, 4)}
    assert any("CJK SC" in n for n in names), names
    assert wr.cjk_font(font.parent.parent) == font  # extracted once, then reused


def test_one_word_cloud_has_cjk_glyphs_and_differs_from_the_default_font(font):
    cjk = wr.render({"独山港镇": 1.0}, font_path=font)
    default = wr.render({"独山港镇": 1.0}, font_path=_default_font())
    a, b = gray(cjk), gray(default)
    ink = (a < 128).mean()
    assert ink > 0.02  # the Chinese word is drawn
    assert (np.abs(a - b) > 64).mean() > 0.02  # not the same picture as boxes from a font without CJK


def _default_font() -> str:
    import wordcloud

    return str(Path(wordcloud.__file__).parent / "DroidSansMono.ttf")


def test_default_font_draws_the_same_box_for_different_characters():
    """The control: wordcloud's own font has no CJK glyphs (two different words draw alike)."""
    a = gray(wr.render({"独山港镇": 1.0}, font_path=_default_font()))
    b = gray(wr.render({"民生工程": 1.0}, font_path=_default_font()))
    assert (np.abs(a - b) > 64).mean() < 0.01


def test_different_chinese_words_draw_differently(font):
    a = gray(wr.render({"独山港镇": 1.0}, font_path=font))
    b = gray(wr.render({"民生工程": 1.0}, font_path=font))
    assert (np.abs(a - b) > 64).mean() > 0.02


def test_stopwords_never_reach_the_cloud(font):
    corpus = ingest.load_files(sorted((ROOT / "data" / "corpus").glob("*.txt")), workers=1)
    index = words.build_index(corpus.articles, themes.load_themes(themes.DEFAULT_THEMES_PATH))
    stop = words.load_stopwords()
    table = words.term_table(index, index.doc_mask(None), words.countable(index, stop), top=150)
    cloud = wr.build_cloud(words.frequencies(table), font_path=font)
    drawn = set(wr.cloud_words(cloud))
    assert len(drawn) > 50
    assert not drawn & stop
    assert "我市" in set(index.vocab) and "本报讯" in set(index.vocab)  # they are in the text…
    assert "项目" in drawn  # …and the real words are drawn


def test_same_scale_for_two_periods(font):
    big = {"项目": 100.0, "企业": 25.0}
    small = {"项目": 25.0}
    scale = 100.0
    a = wr.build_cloud(big, font_path=font, scale_max=scale)
    b = wr.build_cloud(small, font_path=font, scale_max=scale)
    size = {w: s for (w, _), s, *_ in a.layout_}
    size_b = {w: s for (w, _), s, *_ in b.layout_}
    assert size_b["项目"] == pytest.approx(size["企业"], abs=1)  # the same weight, the same size
    assert size["项目"] == pytest.approx(2 * size["企业"], abs=2)  # size ∝ √weight


def test_deterministic_png(font):
    freqs = {"项目": 10.0, "企业": 8.0, "发展": 5.0, "平湖": 4.0}
    one, two = wr.png_bytes(wr.render(freqs, font_path=font)), wr.png_bytes(wr.render(freqs, font_path=font))
    assert one == two
    assert Image.open(io.BytesIO(one)).size == (wr.WIDTH, wr.HEIGHT)
    assert wr.render({}, font_path=font) is None


def _rotated(cloud) -> list[str]:
    return [word for (word, _), _size, _pos, orientation, _color in cloud.layout_ if orientation is not None]


def test_words_are_horizontal_unless_rotation_is_allowed(font):
    """Chinese words drawn vertically read badly: horizontal by default, rotation only when asked."""
    freqs = {f"词语{i:03d}": 1000 / (i + 1) for i in range(120)} | {"习近平": 2000.0}
    assert _rotated(wr.build_cloud(freqs, font_path=font)) == []
    assert len(_rotated(wr.build_cloud(freqs, font_path=font, rotate=True))) > 0


def _zipf_words(seed: int, n: int = 150) -> dict[str, float]:
    import random

    chars = "平湖市项目建设发展经济企业工作推进乡村振兴城市文明服务群众安全生产港口新区独山港镇gjpq“”（）"
    rnd = random.Random(seed)
    return {
        "".join(rnd.sample(chars, rnd.randint(1, 6))): 1000.0 / (i + 1) ** rnd.uniform(0.3, 1.5)
        for i in range(n)
    }


def _placed(cloud) -> list[tuple]:
    return [(w, f, s, (int(p[0]), int(p[1])), o, c) for (w, f), s, p, o, c in cloud.layout_]


@pytest.mark.parametrize(
    "freqs, rotate",
    [
        (_zipf_words(0), False),
        (_zipf_words(1), True),
        (_zipf_words(2, 20), False),
        ({"独山港镇": 1.0}, False),
    ],
)
def test_kept_fonts_give_wordclouds_own_picture(font, freqs, rotate):
    """build_cloud/render lay out and draw with fonts loaded once per size; WordCloud 1.9's own
    generate_from_frequencies and to_image, given the same settings, give the same layout and pixels."""
    own, scaled = wr.configured(freqs, font_path=font, rotate=rotate)
    own.generate_from_frequencies(scaled)
    ours = wr.build_cloud(freqs, font_path=font, rotate=rotate)
    assert _placed(ours) == _placed(own)
    assert len(ours.layout_) > min(len(freqs), 50) * 0.6  # a real cloud, not an empty one
    assert np.array_equal(
        np.asarray(wr.render(freqs, font_path=font, rotate=rotate)), np.asarray(own.to_image())
    )
