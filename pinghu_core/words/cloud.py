"""Word-cloud images (the ``wordcloud`` package) with a Simplified Chinese font from PyPI.

``noto-cjk[sans]`` installs Noto Sans CJK as one collection file whose first face is Japanese;
``wordcloud`` always draws with the first face of a collection, so :func:`cjk_font` extracts the
Simplified Chinese face (index 2) once into the cache folder with fontTools (written to a
temporary file, then renamed: two processes never see half a font).

Sizes: the font size of a word is proportional to the square root of its weight (so a word's
area follows its weight), ``max_font_size`` for the heaviest weight of the *scale*.  Two clouds
drawn with the same ``scale_max`` are on the same scale (the period comparison).  The layout is
deterministic (fixed ``random_state``).  The layout is searched on a grid of half the picture's
size (``LAYOUT_SCALE``) and drawn at full size: the search (an integral image updated after every
word) is most of a cloud's CPU, and at half size it costs half (0.97 → 0.5 CPU s for 150 words on
this machine); font sizes are then even numbers of pixels.  Words are drawn horizontally (a vertical Chinese word such
as 习近平 reads badly); ``rotate=True`` lets the layout turn some words by 90° to fill the picture.

Fonts are loaded once per size for each cloud (:class:`Fonts`): ``WordCloud`` loads the font file
again for every word it tries and again for every word it draws (about 300 loads, 0.9 ms each, for
a cloud of 150 words).  A loaded face of this CJK font holds 3–4 MB, so they are not kept across
clouds: the layout visits sizes from large to small (a word's size follows the last one placed), and
the drawing in the same order, so keeping the last few sizes loads each size once.
:func:`layout` and :func:`draw` are WordCloud 1.9's ``generate_from_frequencies`` and ``to_image``
for the clouds drawn here (no mask, no repeated words, a given largest font size) with those fonts:
the same steps and random draws, so the same picture (tests compare them with WordCloud's own,
pixel for pixel).

What one cloud measures and renders is kept for the next, per process (issue 14: a new filter drew
a cloud in 0.2–0.3 s of CPU, two when comparing periods): a word's box at a size
(:func:`text_box`, at most BOXES_KEPT), a word's glyph mask at a size (:func:`draw_word`, at most
MASK_PIXELS_KEPT bytes) and the colormap's entries (:func:`colour`) — half the words of a cloud come
back in the next at the size they had; a font is loaded only for what is not kept.  The occupancy
table is updated by the pixels a word changed (:class:`Occupancy`).  The page shows the picture as
a JPEG (:func:`jpeg_bytes`, what Streamlit showed of the PNG before); the PNG is made for a download.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import tempfile
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pinghu_core.common import settings

FONT_FACE = 2  # Simplified Chinese face of NotoSansCJK-Regular.ttc
FONT_NAME = "NotoSansCJKsc-Regular.otf"
RANDOM_STATE = 7
WIDTH, HEIGHT = 900, 520
MAX_FONT_SIZE = 110
MIN_FONT_SIZE = 10
BACKGROUND = "white"
COLORMAP = "viridis"
LAYOUT_SCALE = 2  # the layout grid is WIDTH/2 × HEIGHT/2; the picture is drawn at WIDTH × HEIGHT
MARGIN = 4  # pixels around every word in the picture
ROTATED_SHARE = 0.1  # with rotate=True: about this share of the words is drawn vertically
JPEG_QUALITY = 90  # the picture shown on the page (Streamlit's own choice for an opaque picture)


def collection_path() -> Path:
    """The Noto Sans CJK collection installed by ``noto-cjk[sans]``."""
    import noto_cjk

    return Path(noto_cjk.otc_path("sans"))


def cjk_font(cache_dir: Path | None = None) -> Path:
    """The Simplified Chinese face as a font file in ``<cache dir>/fonts`` (extracted once, about 0.5 s)."""
    folder = Path(cache_dir or settings.get_settings().cache_dir) / "fonts"
    out = folder / FONT_NAME
    if out.exists() and out.stat().st_size > 0:
        return out
    from fontTools.ttLib import TTCollection

    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".font-", suffix=".otf", dir=folder)
    os.close(fd)
    try:
        TTCollection(str(collection_path())).fonts[FONT_FACE].save(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


@dataclass(frozen=True)
class CloudWords:
    """The words of one cloud (word → weight, in order) and a digest of them: what a cache of
    pictures is keyed on — hashing the mapping itself cost a cache 20–30 ms a lookup (a cloud of 150
    words), on every run that shows the cloud."""

    items: tuple[tuple[str, float], ...]
    digest: str

    @classmethod
    def of(cls, frequencies: Mapping[str, float]) -> CloudWords:
        items = tuple((str(w), float(v)) for w, v in frequencies.items())
        return cls(items, hashlib.blake2b(repr(items).encode("utf-8"), digest_size=16).hexdigest())

    @property
    def frequencies(self) -> dict[str, float]:
        return dict(self.items)


def _scaled(frequencies: Mapping[str, float]) -> dict[str, float]:
    return {w: math.sqrt(v) for w, v in frequencies.items() if v > 0}


class Fonts:
    """One font file at the sizes asked for, the last ``keep`` sizes loaded kept (one per cloud;
    never shared between threads)."""

    def __init__(self, path: str, keep: int = 4) -> None:
        self.path, self.keep = path, keep
        self.loaded: OrderedDict[int, object] = OrderedDict()
        self.loads = 0

    def at(self, size: int):
        from PIL import ImageFont

        font = self.loaded.pop(size, None)
        if font is None:
            font = ImageFont.truetype(self.path, size)
            self.loads += 1
            if len(self.loaded) >= self.keep:
                self.loaded.popitem(last=False)
        self.loaded[size] = font
        return font


def configured(
    frequencies: Mapping[str, float],
    *,
    font_path: Path | str | None = None,
    scale_max: float | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    max_font_size: int = MAX_FONT_SIZE,
    rotate: bool = False,
):
    """(a ``WordCloud`` set up for ``frequencies`` and not yet laid out, the square-rooted weights),
    or None when there is no word.  See :func:`build_cloud`."""
    from wordcloud import WordCloud

    scaled = _scaled(frequencies)
    if not scaled:
        return None
    top = max(scaled.values())
    scale = math.sqrt(scale_max) if scale_max else top
    size = max(MIN_FONT_SIZE + 1, round(max_font_size * min(1.0, top / scale)))
    k = LAYOUT_SCALE
    cloud = WordCloud(
        font_path=str(font_path or cjk_font()),
        width=max(1, width // k),
        height=max(1, height // k),
        scale=k,
        background_color=BACKGROUND,
        colormap=COLORMAP,
        random_state=RANDOM_STATE,
        max_words=len(scaled),
        max_font_size=max(1, size // k),
        min_font_size=max(1, MIN_FONT_SIZE // k),
        relative_scaling=1.0,  # font size proportional to the (square-rooted) weight
        prefer_horizontal=1.0 - ROTATED_SHARE if rotate else 1.0,
        collocations=False,
        margin=max(1, MARGIN // k),
    )
    return cloud, scaled


def build_cloud(frequencies: Mapping[str, float], **kwargs):
    """The laid-out ``WordCloud`` of ``frequencies`` (word → weight), or None when there is no word.

    ``scale_max``: the weight drawn at ``max_font_size`` (default: the largest weight given).
    ``font_path`` None: the Chinese face from :func:`cjk_font`.  ``rotate``: some words may be vertical.
    ``width``, ``height``, ``max_font_size``: the picture's size and its largest letters.
    """
    made = configured(frequencies, **kwargs)
    if made is None:
        return None
    cloud, scaled = made
    return layout(cloud, scaled)


def layout(cloud, frequencies: Mapping[str, float]):
    """``cloud.generate_from_frequencies(frequencies)`` (WordCloud 1.9) loading each font size once, for a
    cloud without mask or repeated words and with ``max_font_size`` set: fills ``cloud.layout_``.

    Two more savings, the same steps and random draws: a word's box at a size is measured once per
    process (:func:`text_box`; most words of one corpus come back in the next cloud at the sizes
    they had), and a font is loaded only for a box not measured yet or a word drawn; the occupancy
    image is updated by what the word changed (:class:`Occupancy`), not summed again over the part
    of the picture below and right of it."""
    import numpy as np
    from PIL import Image, ImageDraw

    ranked = sorted(frequencies.items(), key=lambda wf: wf[1], reverse=True)[: cloud.max_words]
    top = float(ranked[0][1])
    ranked = [(word, freq / top) for word, freq in ranked]
    rng, fonts = cloud.random_state, Fonts(cloud.font_path)
    occupancy = Occupancy(cloud.height, cloud.width)
    grey = Image.new("L", (cloud.width, cloud.height))
    pen = ImageDraw.Draw(grey)
    ink = np.zeros((cloud.height, cloud.width), dtype=np.uint8)  # np.asarray(grey), kept up to date
    font_size, last_freq, placed = cloud.max_font_size, 1.0, []
    cloud.words_ = dict(ranked)
    for word, freq in ranked:
        if freq == 0:
            continue
        rs = cloud.relative_scaling
        if rs != 0:
            font_size = int(round((rs * (freq / float(last_freq)) + (1 - rs)) * font_size))
        orientation = None if rng.random() < cloud.prefer_horizontal else Image.Transpose.ROTATE_90
        tried_other = False
        while font_size >= cloud.min_font_size:
            box = text_box(pen, fonts, font_size, orientation, word, "lt")
            result = occupancy.sample_position(box[3] + cloud.margin, box[2] + cloud.margin, rng)
            if result is not None:
                break
            if not tried_other and cloud.prefer_horizontal < 1:  # try the other way first
                orientation, tried_other = Image.Transpose.ROTATE_90, True
            else:
                font_size -= cloud.font_step
                orientation = None
        if font_size < cloud.min_font_size:
            break
        x, y = np.array(result) + cloud.margin // 2
        draw_word(pen, fonts, font_size, orientation, word, (y, x), "white")
        drawn = text_box(pen, fonts, font_size, orientation, word, None)
        changed = _copy_ink(grey, ink, (drawn[0] + y, drawn[1] + x, drawn[2] + y, drawn[3] + x))
        color = colour(
            cloud.color_func,
            word,
            font_size=font_size,
            position=(x, y),
            orientation=orientation,
            random_state=rng,
            font_path=cloud.font_path,
        )
        placed.append(((word, freq), font_size, (x, y), orientation, color))
        occupancy.add(ink, changed, int(x), int(y))
        last_freq = freq
    cloud.layout_ = placed
    return cloud


_COLOURS: dict[tuple[str, int, int], str] = {}  # (colormap, its size, entry) → "rgb(r, g, b)"


def colour(color_func, word: str, **kwargs) -> str:
    """``color_func(word, **kwargs)``; for WordCloud's ``colormap_color_func`` (a colormap at a uniform
    draw) the same draw, and each entry of the colormap formatted once per process (matplotlib
    takes entry ``int(x * N)`` for a draw ``x`` in [0, 1), and converting it cost 0.1 ms a word)."""
    import numpy as np
    from wordcloud.wordcloud import colormap_color_func

    if type(color_func) is not colormap_color_func:
        return color_func(word, **kwargs)
    cmap = color_func.colormap
    x = kwargs["random_state"].uniform(0, 1)
    key = (cmap.name, cmap.N, int(x * cmap.N))
    found = _COLOURS.get(key)
    if found is None:
        r, g, b, _ = np.maximum(0, 255 * np.array(cmap(x)))
        found = _COLOURS[key] = f"rgb({r:.0f}, {g:.0f}, {b:.0f})"
    return found


MASK_PIXELS_KEPT = 48 << 20  # glyph masks kept per process (one byte a pixel), forgotten all at once beyond
_MASKS: dict[tuple, object] = {}
_MASK_PIXELS = [0]


def draw_word(pen, fonts: Fonts, size: int, orientation, word: str, xy: tuple, fill) -> None:
    """``pen.text(xy, word, fill=fill, font=<fonts at size, turned by orientation>)`` with the word's
    glyph mask rendered once per process for each font file, size, turn and font mode: Pillow's
    ``ImageDraw.text`` for one line at whole pixels is the mask of ``getmask(…, anchor "la", start
    (0, 0))`` drawn with ``draw_bitmap`` in the fill's ink, and the mask does not depend on the ink
    (tests compare both, and whole clouds with WordCloud's own).  Rendering the glyphs was a third of
    a cloud's CPU; half the words of a cloud come back in the next at the size they had."""
    from PIL import ImageFont

    x, y = xy
    if "\n" in word or int(x) != x or int(y) != y or not hasattr(pen, "draw"):
        pen.text(xy, word, fill=fill, font=ImageFont.TransposedFont(fonts.at(size), orientation=orientation))
        return
    ink = pen._getink(fill)[0]
    key = (fonts.path, pen.fontmode, size, orientation, word)
    mask = _MASKS.get(key)
    if mask is None:
        font = ImageFont.TransposedFont(fonts.at(size), orientation=orientation)
        mask = font.getmask(word, pen.fontmode, None, None, None, 0, "la", ink, start=(0.0, 0.0))
        pixels = mask.size[0] * mask.size[1]
        if _MASK_PIXELS[0] + pixels > MASK_PIXELS_KEPT:
            _MASKS.clear()
            _MASK_PIXELS[0] = 0
        _MASKS[key] = mask
        _MASK_PIXELS[0] += pixels
    pen.draw.draw_bitmap((int(x), int(y)), mask, ink)


BOXES_KEPT = 50_000  # measured boxes kept per process (a few MB), forgotten all at once beyond
_BOXES: dict[tuple, tuple[float, float, float, float]] = {}


def text_box(pen, fonts: Fonts, size: int, orientation, word: str, anchor: str | None) -> tuple:
    """``pen.textbbox((0, 0), word, font=<fonts at size, turned by orientation>, anchor=anchor)``,
    measured once per process for each font file, size, turn, word, anchor and image mode (a box at
    another point is this one moved there: one line of text, whole pixels)."""
    from PIL import ImageFont

    key = (fonts.path, pen.mode, size, orientation, word, anchor)
    box = _BOXES.get(key)
    if box is None:
        font = ImageFont.TransposedFont(fonts.at(size), orientation=orientation)
        box = pen.textbbox((0, 0), word, font=font, anchor=anchor)
        if "\n" in word:  # several lines: not moved as one box, not kept
            return box
        if len(_BOXES) >= BOXES_KEPT:
            _BOXES.clear()
        _BOXES[key] = box
    return box


class Occupancy:
    """WordCloud's ``IntegralOccupancyMap`` (no mask): the summed-area table of the ink laid so far,
    where a word's place is searched (``sample_position``, WordCloud's own).  :meth:`add` updates it by
    the pixels a word changed — the table of that small box added to everything below and right of
    it — which gives the table WordCloud's ``update`` gives (its sums over the part of the picture
    below and right of the word's corner) whenever the word changed nothing above or left of that
    corner; otherwise, and from then on, WordCloud's own ``update`` is used."""

    def __init__(self, height: int, width: int) -> None:
        from wordcloud.wordcloud import IntegralOccupancyMap

        self.own = IntegralOccupancyMap(height, width, None)
        self.exact = True  # the table is the summed-area table of the ink (what add relies on)

    @property
    def integral(self):
        return self.own.integral

    def sample_position(self, size_x: int, size_y: int, random_state):
        return self.own.sample_position(size_x, size_y, random_state)

    def add(self, ink, changed: tuple | None, pos_x: int, pos_y: int) -> None:
        """The word placed at ``pos_x, pos_y`` changed ``ink`` in ``changed`` (top, left, the box's
        pixels before) — None: nothing was copied."""
        import numpy as np

        if changed is None:
            return
        top, left, before = changed
        if not self.exact:
            self.own.update(ink, pos_x, pos_y)
            return
        delta = ink[top : top + before.shape[0], left : left + before.shape[1]].astype(np.int64) - before
        rows, cols = np.flatnonzero(delta.any(axis=1)), np.flatnonzero(delta.any(axis=0))
        if not len(rows):
            return  # nothing changed: WordCloud's update sums the same values again
        if (delta < 0).any() or top + rows[0] < pos_x or left + cols[0] < pos_y:
            self.exact = False  # changed pixels the update does not sum again: WordCloud's way on
            self.own.update(ink, pos_x, pos_y)
            return
        box = delta[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        sums = box.cumsum(axis=0).cumsum(axis=1).astype(np.uint32)
        r0, r1 = top + int(rows[0]), top + int(rows[-1]) + 1
        c0, c1 = left + int(cols[0]), left + int(cols[-1]) + 1
        table = self.own.integral
        table[r0:r1, c0:c1] += sums
        table[r0:r1, c1:] += sums[:, -1:]
        table[r1:, c0:c1] += sums[-1:, :]
        table[r1:, c1:] += sums[-1, -1]


def _copy_ink(grey, ink, box: tuple[float, float, float, float], pad: int = 2) -> tuple | None:
    """Copy the part of ``grey`` a word was just drawn in (its box and ``pad`` pixels around) into
    ``ink``: WordCloud converts the whole picture to an array after every word (0.1 s a cloud).
    Returns (top, left, what that part of ``ink`` held before), or None when the box is empty."""
    import numpy as np

    left, top = max(0, int(box[0]) - pad), max(0, int(box[1]) - pad)
    right, bottom = (
        min(grey.width, int(math.ceil(box[2])) + pad),
        min(grey.height, int(math.ceil(box[3])) + pad),
    )
    if right > left and bottom > top:
        before = ink[top:bottom, left:right].astype(np.int64)
        ink[top:bottom, left:right] = np.asarray(grey.crop((left, top, right, bottom)))
        return top, left, before
    return None


def draw(cloud):
    """``cloud.to_image()`` (WordCloud 1.9, no mask) loading each font size once: the picture of the layout."""
    from PIL import Image, ImageDraw

    k, fonts = cloud.scale, Fonts(cloud.font_path)
    image = Image.new(cloud.mode, (int(cloud.width * k), int(cloud.height * k)), cloud.background_color)
    pen = ImageDraw.Draw(image)
    for (word, _), font_size, position, orientation, color in cloud.layout_:
        at = (int(position[1] * k), int(position[0] * k))
        draw_word(pen, fonts, int(font_size * k), orientation, word, at, color)
    return image


def cloud_words(cloud) -> list[str]:
    """The words a laid-out cloud actually drew."""
    return [word for (word, _), *_ in cloud.layout_]


def render(frequencies: Mapping[str, float], **kwargs):
    """A PIL image of :func:`build_cloud` (None when there is no word)."""
    cloud = build_cloud(frequencies, **kwargs)
    if cloud is None:
        return None
    return draw(cloud)


def png_bytes(image) -> bytes:
    """The image as PNG bytes (for a download button or st.image)."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def jpeg_bytes(image) -> bytes:
    """The image as shown on the page: JPEG at JPEG_QUALITY — what ``st.image`` made of the PNG
    (decoded, then saved as JPEG at quality 90) on every run, byte for byte, in a tenth of the PNG's
    time (a test compares them)."""
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=JPEG_QUALITY)
    return buf.getvalue()
