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
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from collections.abc import Mapping
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


def _scaled(frequencies: Mapping[str, float]) -> dict[str, float]:
    return {w: math.sqrt(v) for w, v in frequencies.items() if v > 0}


def build_cloud(
    frequencies: Mapping[str, float],
    *,
    font_path: Path | str | None = None,
    scale_max: float | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    max_font_size: int = MAX_FONT_SIZE,
    rotate: bool = False,
):
    """The laid-out ``WordCloud`` of ``frequencies`` (word → weight), or None when there is no word.

    ``scale_max``: the weight drawn at ``max_font_size`` (default: the largest weight given).
    ``font_path`` None: the Chinese face from :func:`cjk_font`.  ``rotate``: some words may be vertical.
    """
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
    return cloud.generate_from_frequencies(scaled)


def cloud_words(cloud) -> list[str]:
    """The words a laid-out cloud actually drew."""
    return [word for (word, _), *_ in cloud.layout_]


def render(frequencies: Mapping[str, float], **kwargs):
    """A PIL image of :func:`build_cloud` (None when there is no word)."""
    cloud = build_cloud(frequencies, **kwargs)
    return cloud.to_image() if cloud is not None else None


def png_bytes(image) -> bytes:
    """The image as PNG bytes (for a download button or st.image)."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
