"""Lines → units: what each line of a page is (masthead, byline, headline, body, ad …).

A *unit* is one or more raw lines read as one thing.  Units keep the indices of the raw
lines they came from, so every character can be traced to the item that owns it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TypedDict

from pinghu_core.parse import bylines, repair
from pinghu_core.parse.patterns import CJK, LEAD, SENTENCE_PUNCT, TEASER_POINTER, Markers, markers
from pinghu_core.parse.tracked import TText

# Unit kinds.
MASTHEAD, BYLINE, HEADLINE, BODY, AD, PSA, GUIDE_HEAD, GUIDE_POINTER = (
    "masthead",
    "byline",
    "headline",
    "body",
    "ad",
    "psa",
    "guide_head",
    "guide_pointer",
)
VIDEO, CREDIT, BANNER = "video", "credit", "banner"
GUIDE_TEASER = "guide_teaser"  # a teaser line between 导读 and its »»» 详见 pointer

_STRONG_PUNCT = re.compile(r"[。；！？;!?]")
_PEN_NAME = re.compile(rf"^[{CJK}]{{2,4}}$")


@dataclass
class Unit:
    kind: str
    lines: list[int]
    t: TText  # markdown stripped, not yet repaired; knows its raw offsets
    level: int = 0  # markdown heading level of the first line
    bold: bool = False
    doubled: bool = False
    hard_break: bool = False  # the (last) line ended with a Markdown hard break
    indented: bool = False  # the raw line starts with an indent (全角空格, spaces, a tab)
    slot: int | None = None  # in a fixed headline template: 0 引题, 1 主题, 2 副题
    parts: list[str] = field(default_factory=list)  # headline lines joined into this unit

    @property
    def first(self) -> int:
        return self.lines[0]

    @property
    def text(self) -> str:
        return self.t.text


def quotes_balanced(text: str) -> bool:
    return text.count("“") == text.count("”") and text.count("《") == text.count("》")


def is_masthead(text: str, mk: Markers) -> bool:
    """The line is a masthead line, or made only of masthead words (one regex match in C)."""
    return (text in mk.masthead_lines and bool(text.strip())) or bool(
        _masthead_tokens(mk.masthead_lines).match(text)
    )


@functools.cache
def _masthead_tokens(lines: frozenset[str]) -> re.Pattern[str]:
    """Whitespace-separated masthead words and nothing else."""
    words = sorted({w for w in lines if w and not any(ch.isspace() for ch in w)}, key=len, reverse=True)
    if not words:
        return re.compile(r"(?!)")
    word = "(?:" + "|".join(map(re.escape, words)) + ")"
    return re.compile(rf"\s*{word}(?:\s+{word})*\s*\Z")


def is_weather(text: str, mk: Markers) -> bool:
    """A weather report: starts with 今天/明天 and names the weather and temperatures."""
    t = text.lstrip()
    return (
        t.startswith(("今天", "明天")) and ("气温" in t or "℃" in t) and any(w in t for w in mk.weather_words)
    )


_BRACKETED_LINE = re.compile(r"^[（(][^（）()]*[）)]$")
# A date line (the end of a letter or speech), a section of a law or document (第一章 总则,
# 第三条), a photo credit (王鸿义 陈严雪摄影报道): never a headline.
_NOT_A_HEADLINE = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|第[一二三四五六七八九十百零〇\d]+[章节条编部分](?:[\s\u3000]*[^\s\u3000，。]{1,12}){0,3}"
    r"|(?:[\u4e00-\u9fff·]{2,5}[\s、]*){1,4}(?:摄影报道|摄影|摄))$"
)
MIN_HEADLINE_LETTERS = (
    2  # a headline has at least this many Chinese letters besides numerals (not 7亿多; 盐湖 is one)
)
_NUMERAL_CHARS = "一二三四五六七八九十百千万亿零〇两多余"
_CJK_LETTER = re.compile(f"(?![{_NUMERAL_CHARS}])[\u3400-\u9fff]")  # a Chinese letter, not a numeral


def _cjk_letters(t: str) -> int:
    return len(_CJK_LETTER.findall(t))


def headline_like(text: str, *, after_headline: bool = False) -> bool:
    """Could this line be (part of) a headline?  Short, no sentence punctuation, quotes balanced.

    A comma is allowed only right after another headline line (a 副题 may have one).  A line
    wholly in brackets is a note (``（相关报道见第十三版）``, ``（本报记者 …）``), never a headline.
    """
    t = text.strip()
    if not t or len(t) > 40:  # before normalising (which keeps the length): most lines stop here
        return False
    t = repair.normalize_punctuation(t)
    if LEAD.match(t) or repair.ends_sentence(t) or not quotes_balanced(t):
        return False
    if _BRACKETED_LINE.match(t) or _NOT_A_HEADLINE.match(t) or _cjk_letters(t) < MIN_HEADLINE_LETTERS:
        return False
    if t.endswith("——"):
        return True
    if _STRONG_PUNCT.search(t):
        return False
    if SENTENCE_PUNCT.search(t.replace("：", "", 1)):  # one colon is a headline style: 新仓镇：……进行时
        return after_headline
    return True


def is_pen_name(text: str) -> bool:
    return bool(_PEN_NAME.match(text.strip()))


@functools.cache
def _compact(words: frozenset[str]) -> frozenset[str]:
    return frozenset(v.replace(" ", "") for v in words)


def special_kind(text: str, mk: Markers) -> str | None:
    """The kind of a line that is recognisable on its own, or None for ordinary text."""
    if is_masthead(text, mk):
        return MASTHEAD
    if bylines.is_byline(text):
        return BYLINE
    if text.replace(" ", "") in _compact(mk.video):
        return VIDEO
    marked = _any_marker(mk.credits, mk.psa_markers, mk.ad_markers).search(
        text
    )  # one scan for all three lists
    if marked and any(c in text for c in mk.credits):
        return CREDIT
    if text.strip() in mk.guide_headings:
        return GUIDE_HEAD
    if TEASER_POINTER.match(text) or (len(text) < 12 and text.strip().startswith(mk.guide_pointer)):
        return GUIDE_POINTER
    if marked and any(m in text for m in mk.psa_markers):
        return PSA
    if (marked and any(m in text for m in mk.ad_markers)) or text.startswith(mk.ad_prefixes):
        return AD
    return None


@functools.cache
def _any_marker(*lists: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({w for words in lists for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else re.compile(r"(?!)")


class _LineFlags(TypedDict):
    """What a raw line's own markup says of its units (keyword arguments of :class:`Unit`)."""

    indented: bool
    level: int
    bold: bool
    hard_break: bool


def line_units(index: int, raw: str, mk: Markers | None = None, offset: int = 0) -> list[Unit]:
    """Classify one non-blank raw line (found at ``offset`` of the page).  A headline or caption
    with a byline glued to its end becomes two units that share the line."""
    mk = mk or markers()
    tracked = repair.strip_markdown(TText.at(raw, offset))
    text = tracked.text
    flags: _LineFlags = {  # a dict literal: calling the TypedDict class costs more than the checks
        "indented": is_indented(raw),
        "level": repair.heading_level(raw),
        "bold": repair.is_bold_line(raw),
        "hard_break": repair.ends_with_hard_break(raw),
    }
    kind = special_kind(text, mk)
    if kind:
        return [Unit(kind, [index], tracked, **flags)]
    head, byline, rest = bylines.split_line(tracked)
    units = []
    if head:
        doubled = repair.is_doubled(head.text)
        if byline:  # the line's hard break comes after the byline: the headline line is already ended
            flags["hard_break"] = False
        units.append(Unit(BODY, [index], head, doubled=doubled, **flags))
    if byline:
        units.append(Unit(BYLINE, [index], byline))
    if rest:
        units.append(Unit(special_kind(rest.text, mk) or BODY, [index], rest))
    return units


def is_indented(raw: str) -> bool:
    """Does a raw line start with a paragraph indent (全角空格, two spaces, a tab, NBSP)?"""
    return raw.startswith(("\u3000", "\t", "\xa0", "  ")) and bool(raw.strip())
