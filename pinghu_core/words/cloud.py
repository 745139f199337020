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
    cloud without mask or repeated words and with ``max_font_size`` set: fills ``cloud.layout_``."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont
    from wordcloud.wordcloud import IntegralOccupancyMap

    ranked = sorted(frequencies.items(), key=lambda wf: wf[1], reverse=True)[: cloud.max_words]
    top = float(ranked[0][1])
    ranked = [(word, freq / top) for word, freq in ranked]
    rng, fonts = cloud.random_state, Fonts(cloud.font_path)
    occupancy = IntegralOccupancyMap(cloud.height, cloud.width, None)
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
            font = ImageFont.TransposedFont(fonts.at(font_size), orientation=orientation)
            box = pen.textbbox((0, 0), word, font=font, anchor="lt")
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
        pen.text((y, x), word, fill="white", font=font)
        _copy_ink(grey, ink, pen.textbbox((y, x), word, font=font))
        color = cloud.color_func(
            word,
            font_size=font_size,
            position=(x, y),
            orientation=orientation,
            random_state=rng,
            font_path=cloud.font_path,
        )
        placed.append(((word, freq), font_size, (x, y), orientation, color))
        occupancy.update(ink, x, y)
        last_freq = freq
    cloud.layout_ = placed
    return cloud


def _copy_ink(grey, ink, box: tuple[float, float, float, float], pad: int = 2) -> None:
    """Copy the part of ``grey`` a word was just drawn in (its box and ``pad`` pixels around) into
    ``ink``: WordCloud converts the whole picture to an array after every word (0.1 s a cloud)."""
    import numpy as np

    left, top = max(0, int(box[0]) - pad), max(0, int(box[1]) - pad)
    right, bottom = (
        min(grey.width, int(math.ceil(box[2])) + pad),
        min(grey.height, int(math.ceil(box[3])) + pad),
    )
    if right > left and bottom > top:
        ink[top:bottom, left:right] = np.asarray(grey.crop((left, top, right, bottom)))


def draw(cloud):
    """``cloud.to_image()`` (WordCloud 1.9, no mask) loading each font size once: the picture of the layout."""
    from PIL import Image, ImageDraw, ImageFont

    k, fonts = cloud.scale, Fonts(cloud.font_path)
    image = Image.new(cloud.mode, (int(cloud.width * k), int(cloud.height * k)), cloud.background_color)
    pen = ImageDraw.Draw(image)
    for (word, _), font_size, position, orientation, color in cloud.layout_:
        font = ImageFont.TransposedFont(fonts.at(int(font_size * k)), orientation=orientation)
        pen.text((int(position[1] * k), int(position[0] * k)), word, fill=color, font=font)
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
