"""Headline lines → 引题 (kicker), 主题 (title), 副题 (subtitle), and a 栏目 label.

Rules, strongest first (documented in docs/PARSING.md):
1. Markdown marks: the line with the highest heading rank is the title; lines before it
   are the kicker, lines after it the subtitle.  A fixed three-line template (a crawl that
   writes 引题, 主题, 副题 on three lines, empty where missing) says it by position.
2. PDF bold: the doubled line is the title.
3. Hard-wrapped lines of one title are joined in PDF pages (a line ending in 暨/的/与…, a last
   line of at most four characters, three lines filling the column); two equal-length lines
   are one two-part title.
4. A line starting with ``——`` is a subtitle (and so is every line after it); a line ending
   with ``——`` or ``：`` is a kicker.
5. Of two lines (:func:`two_line_title_index`): the line carrying a 栏目 label ``（今日谈）`` is the
   title; a first line of parallel phrases (``入网定格 认亲串门 服务到家``) or ending with a
   speech or issuing verb (``…动员大会上强调``, ``…印发``) is a kicker; a short second line
   naming who attended or spoke (``王沪宁出席``), a second line stating the local fact
   (``我市…``), a much longer second line with a comma, or one reporting a percentage is a
   subtitle; otherwise a longer first line is a kicker and a longer second line a subtitle.
6. Of three lines or more: kicker, title, subtitle (the rest).

A trailing label in brackets that names a column (``国庆盛典激扬爱国热情（今日谈）``,
``…（人民论坛·70华诞）``, ``…（来自疫情防控一线的报道）``) is the item's 栏目, not part of the
title: :func:`split_label`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pinghu_core.parse import repair
from pinghu_core.parse.columns import is_label
from pinghu_core.parse.patterns import markers
from pinghu_core.parse.tracked import TText, as_tracked, delete
from pinghu_core.parse.units import Unit

_JOINING_TAIL = tuple("暨的与和及在为对把将向从让以")
_ISSUING_TAIL = ("印发", "通知", "批准", "以来", "之际", "发布", "发出", "签署", "提出")
_ISSUED_DOC = re.compile(r"(印发|发布|出台|公布)《[^》]{1,20}》$")
_ATTENDED = re.compile(r"(出席|主持|讲话|致辞|会见|宣读|看望|考察|调研|会谈|通电话)")
_LOCAL_FACT = re.compile(r"^(我市|我县|我区|我省|我镇|全市|全县|全区|本市)")
_PERCENT = re.compile(r"\d+(?:\.\d+)?%|同比|增长\d")
# A trailing label in brackets: （今日谈） （人民论坛·70华诞） (快评)
_TRAILING_LABEL = re.compile(r"[（(]([^（）()。，；！？,;!?]{1,30})[）)]\s*$")


@dataclass
class HeadLine:
    t: TText  # repaired
    level: int = 0
    doubled: bool = False
    slot: int | None = None  # 0 引题, 1 主题, 2 副题 when a fixed template says so

    def __init__(self, text: str | TText, level: int = 0, doubled: bool = False, slot: int | None = None):
        self.t = as_tracked(text)[0]
        self.level = level
        self.doubled = doubled
        self.slot = slot

    @property
    def text(self) -> str:
        return self.t.text


@dataclass(frozen=True)
class HeadlineParts:
    kicker_t: TText = field(default_factory=lambda: TText(""))
    title_t: TText = field(default_factory=lambda: TText(""))
    subtitle_t: TText = field(default_factory=lambda: TText(""))
    label_t: TText = field(default_factory=lambda: TText(""))  # a 栏目 label taken from the title
    guessed: bool = False  # the parts were told apart by line length alone (rule 5's last resort)

    @property
    def kicker(self) -> str:
        return self.kicker_t.text

    @property
    def title(self) -> str:
        return self.title_t.text

    @property
    def subtitle(self) -> str:
        return self.subtitle_t.text

    @property
    def label(self) -> str:
        return self.label_t.text


def from_units(units: list[Unit]) -> list[HeadLine]:
    """Repair headline units and join lines that end with a Markdown hard break."""
    out: list[HeadLine] = []
    glue = False
    for u in units:
        t = repair.repair_headline(u.t)
        if glue and out:
            out[-1].t = out[-1].t + t
            out[-1].doubled = out[-1].doubled or u.doubled
        else:
            out.append(HeadLine(t, u.level, u.doubled, u.slot))
        glue = u.hard_break and not t.text.endswith("——")
    return [h for h in out if h.text]


def is_parallel(text: str) -> bool:
    """Space-separated phrases of equal length: ``争先创优 追梦奔跑``."""
    parts = text.split()
    return len(parts) >= 2 and len({len(p) for p in parts}) == 1 and len(parts[0]) >= 3


def wraps_into_next(first: str, second: str) -> bool:
    """Is ``second`` the hard-wrapped rest of ``first`` (one title on two lines)?"""
    return " " not in first and (first.endswith(_JOINING_TAIL) or len(second) <= 4)


def join_wrapped_title(lines: list, pdf: bool) -> list:
    """In PDF pages, join headline lines that are one title broken over several lines.

    Two lines of equal length are a two-part title (``落实房租减免政策 激活市场发展活力``);
    with three or more, a line as long as the longest fills the column and wraps on.
    Takes and returns plain strings or tracked texts alike.
    """
    if not pdf or not lines:
        return lines
    was_str = isinstance(lines[0], str)
    ts = [as_tracked(x)[0] for x in lines]
    texts = [t.text for t in ts]
    if len(ts) == 2 and len(texts[0]) == len(texts[1]) and " " not in "".join(texts):
        out = [TText.join(" ", ts)]
    else:
        widest = max(len(x) for x in texts)
        out = []
        glue = False
        for t in ts:
            if out and (glue or wraps_into_next(out[-1].text, t.text)):
                out[-1] = out[-1] + t
            else:
                out.append(t)
            glue = len(ts) >= 3 and len(t.text) == widest and " " not in t.text
    return [t.text for t in out] if was_str else out


_DASHES = re.compile(r"^[\s—]+|[\s—]+$")


def strip_dashes(t: TText) -> TText:
    """``——副题`` → ``副题``; ``引题——`` → ``引题`` (the dashes are recorded)."""
    t = t.strip()
    m = re.search(r"[—]+\s*$", t.text)
    if m and m.start() > 0:
        t = delete(t, m.start(), len(t.text), "dash").rstrip()
    m = re.match(r"^\s*[—]+", t.text)
    if m and m.end() < len(t.text):
        t = delete(t, 0, m.end(), "dash").lstrip()
    return t


def split_label(t: TText) -> tuple[TText, TText]:
    """(title, label): a trailing bracketed column label is taken out of a title line.

    >>> [x.text for x in split_label(TText.plain("国庆盛典激扬爱国热情（今日谈）"))]
    ['国庆盛典激扬爱国热情', '今日谈']
    >>> [x.text for x in split_label(TText.plain("平湖经开生物技术（食品）产业产值同比增长8.7%"))]
    ['平湖经开生物技术（食品）产业产值同比增长8.7%', '']
    """
    m = _TRAILING_LABEL.search(t.text)
    if not m or m.start() < 2 or not is_label(m.group(1)):
        return t, TText("")
    a, b = m.start(1), m.end(1)
    label = t[a:b]
    closing = len(t.text.rstrip())
    # the brackets themselves are recorded on the label
    label = _with_bracket_record(label, t, m.start(), a, b, closing)
    return t[: m.start()].rstrip(), label


def _with_bracket_record(label: TText, t: TText, open_at: int, a: int, b: int, close_end: int) -> TText:
    """The label text, carrying the record of its two brackets (removed from the text)."""
    brackets = t[open_at:a] + t[b:close_end]
    stripped = delete(brackets, 0, len(brackets.text), "label")
    return TText(label.text, label.src, label.edits + tuple((0, r) for r in stripped.repairs()))


def _split_at(lines: list[TText], k: int, guessed: bool = False) -> HeadlineParts:
    kicker = TText.join(" ", [strip_dashes(x) for x in lines[:k]])
    title, label = split_label(strip_dashes(lines[k]))
    subtitle = TText.join(" ", [strip_dashes(x) for x in lines[k + 1 :]])
    return HeadlineParts(kicker, title, subtitle, label, guessed)


def _title_index(lines: list[HeadLine]) -> int | None:
    """Index of the title when marks (Markdown rank, PDF bold) say which line it is."""
    ranked = [(h.level, i) for i, h in enumerate(lines) if h.level]
    if ranked:
        return min(ranked)[1]
    doubled = [i for i, h in enumerate(lines) if h.doubled]
    return doubled[0] if doubled else None


def has_label(text: str) -> bool:
    """Does the line end with a bracketed 栏目 label (``…（今日谈）``)?"""
    m = _TRAILING_LABEL.search(text)
    return bool(m and m.start() >= 2 and is_label(m.group(1)))


def two_line_title_index(first: str, second: str) -> int:
    """Which of two headline lines is the 主题 (0 or 1); see rule 5 in the module doc."""
    return _two_line_rule(first, second)[0]


def _two_line_rule(first: str, second: str) -> tuple[int, bool]:
    """(index of the 主题, whether only the lines' lengths decided).

    >>> two_line_title_index("中央军委印发《通知》", "坚决贯彻习主席重要指示")
    1
    >>> two_line_title_index("第十届茅盾文学奖颁奖典礼举行", "黄坤明出席并会见获奖作家")
    0
    """
    verbs = markers().speech_verbs
    if second.startswith("——"):
        return 0, False
    if first.endswith(("——", "：", ":")):
        return 1, False
    if has_label(first) != has_label(second):
        return (0 if has_label(first) else 1), False
    if first.endswith(verbs + _ISSUING_TAIL) or _ISSUED_DOC.search(first):
        return 1, False
    if is_parallel(first) and not is_parallel(second):
        return 1, False
    if len(second) <= 16 and _ATTENDED.search(second) and not _ATTENDED.search(first):
        return 0, False
    if _LOCAL_FACT.search(second) and not _LOCAL_FACT.search(first):
        return 0, False
    if "，" in second and "，" not in first and len(second) > 1.3 * len(first):
        return 0, False
    if _PERCENT.search(second) and not _PERCENT.search(first):
        return 0, False
    return (1 if len(first) > len(second) else 0), True


def _dash_index(texts: list[str]) -> int | None:
    """With three lines or more: the title sits before the first ``——`` subtitle line, or after
    the last line ending with ``——``."""
    for i, t in enumerate(texts):
        if i and t.startswith("——"):
            return i - 1
    ends = [i for i, t in enumerate(texts[:-1]) if t.endswith("——")]
    return ends[-1] + 1 if ends else None


def headline_parts(lines: list[HeadLine], *, pdf: bool = False) -> HeadlineParts:
    if not lines:
        return HeadlineParts()
    k = _title_index(lines)
    if k is not None:
        return _split_at([h.t for h in lines], k)
    slots = [h.slot for h in lines if h.slot is not None]
    if len(slots) == len(lines) and slots == sorted(set(slots)) and all(0 <= s < 3 for s in slots):
        by_slot = {h.slot: h.t for h in lines}
        empty = TText("")
        parts = [by_slot.get(i, empty) for i in range(3)]
        if parts[1]:
            return _split_at(parts, 1)
    ts = join_wrapped_title([h.t for h in lines], pdf)
    texts = [t.text for t in ts]
    if len(ts) == 1:
        return _split_at(ts, 0)
    if len(ts) == 2:
        return _split_at(ts, *_two_line_rule(texts[0], texts[1]))
    k = _dash_index(texts)
    return _split_at(ts, 1 if k is None else k)
