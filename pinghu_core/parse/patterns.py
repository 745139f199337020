"""Regular expressions and marker lists, compiled once.

Word lists live in ``data/layout_markers.toml``; this module only compiles them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pinghu_core.common.settings import DATA_DIR

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")
# Chinese punctuation that may sit next to a half-width mark we normalise.
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·「」『』"
CJK_OR_PUNCT = f"[{CJK}{CJK_PUNCT}]"

# Sentence-final marks: a paragraph ending in one of these is complete.
TERMINAL = "。！？!?…"
# Marks that make a line read as a sentence rather than a headline.
SENTENCE_PUNCT = re.compile(r"[，。；：！？,;:!?]")

MD_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*)$")
MD_BOLD_LINE = re.compile(r"^\s*\*\*(.+?)\*\*\s*$")
HARD_BREAK = re.compile(r" {2,}$")

# The lead of a news story: 本报讯, or a dateline (本报北京1月31日电, 新华社北京9月30日电,
# 中新社上海…电, 据新华社电).  A paragraph starting with one begins a new story.  (据…报道 is
# not one: foreign news quote other media that way in the middle of a story.)
LEAD = re.compile(
    r"^[\s\u3000\xa0]*(?:本报讯|(?:本报|新华社|中新社|人民日报|央视新闻|据新华社|据中新社)"
    r"[^\s，。、：；“”（）()]{0,12}?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日(?:[^\s，。、]{0,6}?)电|据新华社电|据中新社电)"
)
CONTINUATION = re.compile(r"[(（]\s*下转\s*(\d+|[一二三四五六七八九十]+)\s*版\s*[)）]\s*$")
TEASER_POINTER = re.compile(r"^\s*»+\s*详见")

# Byline roles.  Roles may be printed with spaces between their characters (记 者).
ROLE_PATTERNS: dict[str, str] = {
    "见习记者": r"见\s*习\s*记\s*者",
    "本报记者": r"本\s*报\s*记\s*者",
    "记者": r"记\s*者",
    "通讯员": r"通\s*讯\s*员",
    "摄影": r"摄\s*影",
    "实习生": r"实\s*习\s*生",
}

# A weather line's temperatures: the date parser checks a guessed month against the day's high.
TEMPERATURE = re.compile(r"(最高|最低)气温\s*(-?\d{1,2})\s*℃")


@dataclass(frozen=True)
class Markers:
    version: str
    masthead_lines: frozenset[str]
    ad_markers: tuple[str, ...]
    ad_prefixes: tuple[str, ...]
    psa_markers: tuple[str, ...]
    psa_signoffs: tuple[str, ...]
    guide_headings: frozenset[str]
    guide_pointer: str
    weather_words: tuple[str, ...]
    video: frozenset[str]
    credits: tuple[str, ...]
    speech_verbs: tuple[str, ...]
    box_labels: frozenset[str] = frozenset()


def load_markers(path: Path) -> Markers:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Markers(
        version=str(data.get("version", "")),
        masthead_lines=frozenset(data["masthead"]["lines"]),
        ad_markers=tuple(data["ad"]["markers"]),
        ad_prefixes=tuple(data["ad"]["prefixes"]),
        psa_markers=tuple(data["psa"]["markers"]),
        psa_signoffs=tuple(data["psa"]["signoffs"]),
        guide_headings=frozenset(data["guide"]["headings"]),
        guide_pointer=data["guide"]["pointer"],
        weather_words=tuple(data["weather"]["words"]),
        video=frozenset(data["other"]["video"]),
        credits=tuple(data["other"]["credits"]),
        speech_verbs=tuple(data["kicker"]["speech_verbs"]),
        box_labels=frozenset(data.get("box", {}).get("labels", [])),
    )


@cache
def markers() -> Markers:
    """The marker lists from data/layout_markers.toml, loaded once per process."""
    return load_markers(DATA_DIR / "layout_markers.toml")
