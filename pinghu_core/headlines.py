"""Headline lines → 引题 (kicker), 主题 (title), 副题 (subtitle).

Rules, strongest first (documented in docs/PARSING.md):
1. Markdown marks: the line with the highest heading rank is the title; lines before it
   are the kicker, lines after it the subtitle.
2. PDF bold: the doubled line is the title.
3. A line ending with ``——`` is a kicker; a line starting with ``——`` is a subtitle.
4. A first line of parallel phrases (``入网定格 认亲串门 服务到家``) or ending with a speech
   verb (``…动员大会上强调``) is a kicker.
5. Hard-wrapped lines of one title are joined (a line ending in 暨/的/与…, or a last line of
   at most four characters); two equal-length lines in a PDF page are one two-part title.
6. Otherwise, of two lines the longer one is the title's companion: a longer first line is
   a kicker, a longer second line a subtitle.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import repair
from .patterns import markers
from .units import Unit

_JOINING_TAIL = tuple("暨的与和及在为对把将向从让以")


@dataclass
class HeadLine:
    text: str  # repaired
    level: int = 0
    doubled: bool = False


@dataclass(frozen=True)
class HeadlineParts:
    kicker: str = ""
    title: str = ""
    subtitle: str = ""


def from_units(units: list[Unit]) -> list[HeadLine]:
    """Repair headline units and join lines that end with a Markdown hard break."""
    out: list[HeadLine] = []
    glue = False
    for u in units:
        text = repair.repair_headline(u.text)
        if glue and out:
            out[-1].text += text
            out[-1].doubled = out[-1].doubled or u.doubled
        else:
            out.append(HeadLine(text, u.level, u.doubled))
        glue = u.hard_break and not text.endswith("——")
    return [h for h in out if h.text]


def is_parallel(text: str) -> bool:
    """Space-separated phrases of equal length: ``争先创优 追梦奔跑``."""
    parts = text.split()
    return len(parts) >= 2 and len({len(p) for p in parts}) == 1 and len(parts[0]) >= 3


def wraps_into_next(first: str, second: str) -> bool:
    """Is ``second`` the hard-wrapped rest of ``first`` (one title on two lines)?"""
    return " " not in first and (first.endswith(_JOINING_TAIL) or len(second) <= 4)


def join_wrapped_title(lines: list[str], pdf: bool) -> list[str]:
    """In PDF pages, join headline lines that are one title broken over several lines.

    Two lines of equal length are a two-part title (``落实房租减免政策 激活市场发展活力``);
    with three or more, a line as long as the longest fills the column and wraps on.
    """
    if not pdf:
        return lines
    if len(lines) == 2 and len(lines[0]) == len(lines[1]) and " " not in "".join(lines):
        return [f"{lines[0]} {lines[1]}"]
    widest = max(len(x) for x in lines)
    out: list[str] = []
    glue = False
    for line in lines:
        if out and (glue or wraps_into_next(out[-1], line)):
            out[-1] += line
        else:
            out.append(line)
        glue = len(lines) >= 3 and len(line) == widest and " " not in line
    return out


def _strip_dashes(text: str) -> str:
    return text.strip().strip("—").strip()


def _split_at(lines: list[str], k: int) -> HeadlineParts:
    return HeadlineParts(
        kicker=" ".join(_strip_dashes(x) for x in lines[:k]),
        title=_strip_dashes(lines[k]),
        subtitle=" ".join(_strip_dashes(x) for x in lines[k + 1 :]),
    )


def _title_index(lines: list[HeadLine]) -> int | None:
    """Index of the title when marks (Markdown rank, PDF bold) say which line it is."""
    ranked = [(h.level, i) for i, h in enumerate(lines) if h.level]
    if ranked:
        return min(ranked)[1]
    doubled = [i for i, h in enumerate(lines) if h.doubled]
    return doubled[0] if doubled else None


def _two_line_title_index(first: str, second: str) -> int:
    verbs = markers().speech_verbs
    if first.endswith("——") or is_parallel(first) or first.endswith(verbs):
        return 1
    if second.startswith("——"):
        return 0
    return 1 if len(first) > len(second) else 0


def headline_parts(lines: list[HeadLine], *, pdf: bool = False) -> HeadlineParts:
    if not lines:
        return HeadlineParts()
    k = _title_index(lines)
    if k is not None:
        return _split_at([h.text for h in lines], k)
    texts = join_wrapped_title([h.text for h in lines], pdf)
    if len(texts) == 1:
        return HeadlineParts(title=_strip_dashes(texts[0]))
    if len(texts) == 2:
        return _split_at(texts, _two_line_title_index(texts[0], texts[1]))
    return _split_at(texts, 1)
