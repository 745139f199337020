"""Repair steps: small functions, each undoing one extraction artefact.

Each step takes a plain ``str`` (and returns one: that is how the table tests call them) or a
:class:`~pinghu_core.parse.tracked.TText` (and returns one that carries the change as a recorded
repair, so the parser can account for every character).  Order matters where noted;
``repair_text`` and ``repair_headline`` compose them.
"""

from __future__ import annotations

import re
from typing import overload

from pinghu_core.parse.model import Repair
from pinghu_core.parse.patterns import (
    CJK,
    CJK_CHAR,
    CJK_OR_PUNCT,
    CONTINUATION,
    HARD_BREAK,
    MD_BOLD_LINE,
    MD_HEADING,
    TERMINAL,
)
from pinghu_core.parse.patterns import CJK_PUNCT as CJK_PUNCT_CHARS
from pinghu_core.parse.tracked import TText, as_tracked, delete, same_kind, sub

# Each half-width mark to convert: after or before Chinese (a comma also between two non-digits).
# The patterns start with the mark itself, so the engine finds candidates by a fast literal scan;
# the character before it is checked by a lookbehind that ends with the mark (``(?<=X,)``).
_COMMA = re.compile(rf",(?:(?<={CJK_OR_PUNCT},)|(?={CJK_OR_PUNCT})|(?<![\d\s],)(?![\d\s]))")
_COLON = re.compile(rf":(?:(?<={CJK_OR_PUNCT}:)|(?={CJK_OR_PUNCT}))")
_SEMI = re.compile(rf";(?:(?<={CJK_OR_PUNCT};)|(?={CJK_OR_PUNCT}))")
_BANG = re.compile(rf"!(?<=[{CJK}{CJK_PUNCT_CHARS}\d%]!)")
_QUESTION = re.compile(rf"\?(?<=[{CJK}{CJK_PUNCT_CHARS}\d%]\?)")
_PARENS = re.compile(r"\(([^()]*)\)")  # linear; the callback keeps brackets without Chinese
_UNITS = "年月日号时分秒个家户人名位项件条所座栋套台辆吨亩万亿千百元米平倍次期届批轮季周天多余至到"
# Spaces between Chinese and a number (not after 本报讯), or between a number and its unit.  Each
# branch starts with the space itself (its lookbehinds end with it), so the engine skips to spaces.
_CJK_SPACE_DIGIT = re.compile(
    rf"[ \u3000](?<=[{CJK}，。、；：（）“”][ \u3000])(?<!本报讯[ \u3000])[ \u3000]*(?=\d)"
    rf"|[ \u3000](?<=[\d%][ \u3000])[ \u3000]*(?=[{_UNITS}，。、；：）”])"
)
_MULTISPACE = re.compile(r"[ \t\u3000\xa0]{2,}")
_TRAILING_WS = re.compile(r"[ \t\u3000\xa0]+$")
_MD_MARK = re.compile(r"^\s*#{1,6}\s+")


@overload
def strip_markdown(line: str) -> str: ...
@overload
def strip_markdown(line: TText) -> TText: ...
def strip_markdown(line: str | TText) -> str | TText:
    """Remove Markdown heading marks, a bold wrapper and the two-space hard break.

    >>> strip_markdown("## 上半年交出亮眼成绩单")
    '上半年交出亮眼成绩单'
    >>> strip_markdown("**经济创新 | 追梦一体化 奔向高质量**")
    '经济创新 | 追梦一体化 奔向高质量'
    """
    if isinstance(line, TText) and line.text.lstrip()[:1] not in ("#", "*"):
        return line.strip()  # no markup can start here (most lines): only the layout spaces go
    t, was_str = as_tracked(line)
    t = t.rstrip()
    if MD_HEADING.match(t.text):
        t = sub(t, _MD_MARK, "", "markup")
    m = MD_BOLD_LINE.match(t.text)
    if m:
        t = delete(t, m.end(1), len(t.text.rstrip()), "markup")
        t = delete(t, 0, m.start(1), "markup")
    return same_kind(t.strip(), was_str)


def heading_level(line: str) -> int:
    """Markdown heading level of a raw line (0 when it is not a heading)."""
    if "#" not in line:
        return 0  # most lines: no scan
    m = MD_HEADING.match(line)
    return len(m.group(1)) if m else 0


def is_bold_line(line: str) -> bool:
    return "**" in line and bool(MD_BOLD_LINE.match(HARD_BREAK.sub("", line)))


def ends_with_hard_break(line: str) -> bool:
    return line.endswith(("  ", "  \n")) and bool(HARD_BREAK.search(line))


MAX_DOUBLED_RUN = 64  # bold doubling prints a phrase twice: runs longer than this are not undone
MAX_DOUBLED_LINE = 400  # longer lines are never bold headlines or captions: not examined
MAX_BACKTRACK_LINE = 200  # the exhaustive search runs only on lines up to this length


def _run_sizes(text: str, i: int, n: int):
    """Sizes of a run starting at ``i`` that could be printed twice, largest first."""
    hi = i + min((n - i) // 2, MAX_DOUBLED_RUN) + 1
    j = text.rfind(text[i], i + 1, hi)
    while j > i:
        if text[i:j] == text[j : 2 * j - i]:
            yield j - i
        j = text.rfind(text[i], i + 1, j)


def _greedy_split(text: str) -> list[str] | None:
    """Take the longest doubled run at each position; None when some position has none."""
    n, i, runs = len(text), 0, []
    while i < n:
        size = next(_run_sizes(text, i, n), 0)
        if not size:
            return None
        runs.append(text[i : i + size])
        i += 2 * size
    return runs


def _exhaustive_split(text: str) -> list[str] | None:
    """Dynamic programming from the end (no recursion): the split preferring longer runs."""
    n = len(text)
    step: dict[int, int] = {n: 0}  # position → size of the run chosen there (reachable to the end)
    for i in range(n - 1, -1, -1):
        size = next((s for s in _run_sizes(text, i, n) if i + 2 * s in step), 0)
        if size:
            step[i] = size
    if 0 not in step:
        return None
    runs, i = [], 0
    while i < n:
        runs.append(text[i : i + step[i]])
        i += 2 * step[i]
    return runs


def _doubled_split(text: str) -> list[str] | None:
    """Split ``text`` into runs that are each printed twice, or None if it is not doubled.

    Longest runs are tried first so that ``打一场打一场`` is one run, not three.  Linear in
    the line's length: the greedy split is tried first; only short lines on which it fails get
    the exhaustive search, and lines over ``MAX_DOUBLED_LINE`` are never examined.
    """
    if len(text) > MAX_DOUBLED_LINE:
        return None
    runs = _greedy_split(text)
    if runs is None and len(text) <= MAX_BACKTRACK_LINE and next(_run_sizes(text, 0, len(text)), 0):
        runs = _exhaustive_split(text)  # only when the line starts with a doubled run at all
    return runs


@overload
def undouble(text: str) -> str: ...
@overload
def undouble(text: TText) -> TText: ...
def undouble(text: str | TText) -> str | TText:
    """Undo PDF bold doubling, where every run of a bold line is printed twice.

    A line is changed only when it splits entirely into doubled runs and has at least
    two CJK characters, so ordinary text that merely contains a repeat is left alone.

    >>> undouble("打一场打一场““以人民为中心以人民为中心””的擂台赛的擂台赛")
    '打一场“以人民为中心”的擂台赛'
    >>> undouble("人人人人")
    '人人'
    >>> undouble("谢谢你")
    '谢谢你'
    """
    core = str(text).strip()
    if len(core) < 4 or len(core) > MAX_DOUBLED_LINE or not next(_run_sizes(core, 0, len(core)), 0):
        return text  # a doubled line starts with a doubled run: most lines stop here
    if len(CJK_CHAR.findall(core)) < 4:
        return text
    t, was_str = as_tracked(text)
    lead = len(t.text) - len(t.text.lstrip())
    runs = _doubled_split(core)
    if runs is None:
        return text
    # keep the first copy of each run, delete the second (back to front: positions stay valid)
    spans, i = [], lead
    for run in runs:
        spans.append((i + len(run), i + 2 * len(run)))
        i += 2 * len(run)
    for a, b in reversed(spans):
        t = delete(t, a, b, "undouble")
    return same_kind(t, was_str)


def is_doubled(text: str) -> bool:
    return undouble(str(text)) != str(text)


_WIDTH_TABLE = {
    **{
        code: code - 0xFEE0
        for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
    },
    0xFF05: ord("%"),
}
_FULLWIDTH_DOT = re.compile(r"(?<=\d)．(?=\d)")
_FULLWIDTH_RUN = re.compile("[" + "".join(re.escape(chr(c)) for c in _WIDTH_TABLE) + "]+")


@overload
def normalize_width(text: str) -> str: ...
@overload
def normalize_width(text: TText) -> TText: ...
def normalize_width(text: str | TText) -> str | TText:
    """Full-width ASCII letters, digits and ％ become half-width; ``．`` between digits becomes ``.``.

    >>> normalize_width("ＧＤＰ增长８．７％")
    'GDP增长8.7%'
    """
    if isinstance(text, str):  # untracked: the same substitutions without the bookkeeping
        return _FULLWIDTH_DOT.sub(".", text.translate(_WIDTH_TABLE))
    t, was_str = as_tracked(text)
    t = sub(t, _FULLWIDTH_RUN, lambda m: m.group(0).translate(_WIDTH_TABLE), "width")
    return same_kind(sub(t, _FULLWIDTH_DOT, ".", "width"), was_str)


_HALF_PUNCT = re.compile(r"[(),:;!?]")


def _chinese_parens(m: re.Match[str]) -> str:
    """Brackets holding Chinese become full-width; others stay as printed."""
    return f"（{m.group(1)}）" if CJK_CHAR.search(m.group(1)) else m.group(0)


_HALF_TO_FULL = ((_COMMA, "，"), (_COLON, "："), (_SEMI, "；"), (_BANG, "！"), (_QUESTION, "？"))


@overload
def normalize_punctuation(text: str) -> str: ...
@overload
def normalize_punctuation(text: TText) -> TText: ...
def normalize_punctuation(text: str | TText) -> str | TText:
    """Half-width ``, : ; ! ? ( )`` inside Chinese sentences become full-width.

    Numbers keep theirs: ``1,000``, ``12:30`` and ``81.3%`` are untouched.

    >>> normalize_punctuation("今年以来,我市10个项目(市、区)完成81.3%!")
    '今年以来，我市10个项目（市、区）完成81.3%！'
    """
    if not _HALF_PUNCT.search(str(text)):
        return text  # nothing half-width to convert (most Chinese lines): one scan
    if isinstance(text, str):  # a plain string needs no tracking: the same substitutions, in C
        out = _PARENS.sub(_chinese_parens, text) if "(" in text else text
        for (pattern, mark), char in zip(_HALF_TO_FULL, ",:;!?", strict=True):
            if char in out:
                out = pattern.sub(mark, out)
        return out
    t, was_str = as_tracked(text)
    if "(" in t.text:
        t = sub(t, _PARENS, _chinese_parens, "punctuation")
    for (pattern, mark), char in zip(_HALF_TO_FULL, ",:;!?", strict=True):
        if char in t.text:  # a membership test in C before the regex scans the paragraph
            t = sub(t, pattern, mark, "punctuation")
    return same_kind(t, was_str)


@overload
def tighten_number_spaces(text: str) -> str: ...
@overload
def tighten_number_spaces(text: TText) -> TText: ...
def tighten_number_spaces(text: str | TText) -> str | TText:
    """Drop the typographic spaces PDF extraction puts between Chinese and numbers.

    >>> tighten_number_spaces("裙房已完成 60%二层，计划在 9月中旬")
    '裙房已完成60%二层，计划在9月中旬'
    """
    if isinstance(text, str):
        return _CJK_SPACE_DIGIT.sub("", text)
    t, was_str = as_tracked(text)
    return same_kind(sub(t, _CJK_SPACE_DIGIT, "", "space", record=False), was_str)


@overload
def collapse_spaces(text: str) -> str: ...
@overload
def collapse_spaces(text: TText) -> TText: ...
def collapse_spaces(text: str | TText) -> str | TText:
    """Runs of spaces become one; trailing spaces go."""
    if isinstance(text, str):
        return _TRAILING_WS.sub("", _MULTISPACE.sub(" ", text))
    t, was_str = as_tracked(text)
    t = sub(sub(t, _MULTISPACE, " ", "space", record=False), _TRAILING_WS, "", "space", record=False)
    return same_kind(t, was_str)


@overload
def strip_continuation(text: str) -> tuple[str, bool]: ...
@overload
def strip_continuation(text: TText) -> tuple[TText, bool]: ...
def strip_continuation(text: str | TText) -> tuple[str | TText, bool]:
    """Remove a trailing ``(下转2版)`` mark and say whether there was one."""
    t, was_str = as_tracked(text)
    m = CONTINUATION.search(t.text)
    if not m:
        return text, False
    t = delete(t, m.start(), len(t.text), "continuation").rstrip()
    return same_kind(t, was_str), True


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends a sentence: 。！？… possibly followed by closing quotes/brackets.

    >>> ends_sentence("沈志凤要求。"), ends_sentence("他说：“好。”"), ends_sentence("通天桥换“筋骨”")
    (True, True, False)
    """
    t = text.rstrip().rstrip("”’」』）)】")
    return bool(t) and t[-1] in TERMINAL


_NARROW = re.compile("[\x00-\u2e7f]")


def display_width(text: str) -> float:
    """Width in CJK cells: ASCII (and anything below U+2E80) counts half."""
    return len(text) - 0.5 * len(_NARROW.findall(text))


def _wrap_repair(prev: TText, nxt: TText, glue: str) -> Repair:
    """The record of one hard wrap joined: the line break between ``prev`` and ``nxt``."""
    src_prev, src_next = prev.src, nxt.src
    # the last raw character of ``prev`` and the first of ``nxt`` (almost always the end ones)
    if src_prev and src_prev[-1] >= 0:
        end_prev = src_prev[-1] + 1
    else:
        end_prev = next((o for o in reversed(src_prev) if o >= 0), -2) + 1
    if src_next and src_next[0] >= 0:
        start_next = src_next[0]
    else:
        start_next = next((o for o in src_next if o >= 0), end_prev)
    return Repair("hard_wrap", end_prev, max(start_next, end_prev), "\n", glue)


@overload
def join_wrapped(lines: list[str]) -> str: ...
@overload
def join_wrapped(lines: list[TText]) -> str | TText: ...  # no lines: the plain ''
def join_wrapped(lines: list[str] | list[TText]) -> str | TText:
    """Join hard-wrapped lines of one paragraph; a space is kept only between two Latin words."""
    tracked = [as_tracked(x) for x in lines]
    was_str = all(w for _, w in tracked) if tracked else True
    parts: list[TText] = []
    wraps: list[tuple[int, Repair]] = []  # (position in the joined text, the wrap's record)
    n = 0
    for line in (t.strip() for t, _ in tracked):
        if not line:
            continue
        if parts:
            prev = parts[-1]
            a, b = prev.text[-1], line.text[0]
            glue = " " if a.isascii() and a.isalpha() and b.isascii() and b.isalpha() else ""
            wraps.append((n, _wrap_repair(prev, line, glue)))
            if glue:
                parts.append(TText.inserted(glue))
                n += len(glue)
        parts.append(line)
        n += len(line.text)
    if not parts:
        return same_kind(TText(""), was_str)
    joined = TText.join("", parts)  # linear in the paragraph (no repeated concatenation)
    edits = tuple(sorted(joined.edits + tuple(wraps), key=lambda e: e[0]))
    return same_kind(TText(joined.text, joined.src, edits), was_str)


_WIDTH_ANY = re.compile("[\uff0e" + "".join(re.escape(chr(c)) for c in _WIDTH_TABLE) + "]")
_SPACE_ANY = re.compile("[ \t\u3000\xa0]")


@overload
def repair_text(text: str) -> str: ...
@overload
def repair_text(text: TText) -> TText: ...
def repair_text(text: str | TText) -> str | TText:
    """The repair chain for body text and headlines: widths → punctuation → spaces.

    A step runs only when the text holds a character it could change (one scan for the two
    width steps, one for the three space steps): most paragraphs need none of them."""
    if _WIDTH_ANY.search(str(text)):
        text = normalize_width(text)
    text = normalize_punctuation(text)
    if _SPACE_ANY.search(str(text)):
        text = collapse_spaces(tighten_number_spaces(text))
    return text


@overload
def repair_headline(text: str) -> str: ...
@overload
def repair_headline(text: TText) -> TText: ...
def repair_headline(text: str | TText) -> str | TText:
    """Headlines: undo bold doubling first (order matters: doubling hides the punctuation)."""
    return repair_text(undouble(strip_markdown(text)))
