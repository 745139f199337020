"""A page of text → its items, in two layouts.

* ``clean``: paragraphs on their own lines (Markdown or plain).  Items appear in reading
  order: headline, byline, body.
* ``pdf``: PDF extraction hard-wrapped at ~14 characters; bylines gathered at the top,
  headlines printed after their bodies.  Headlines are matched to bodies by shared words.

Every raw line ends up in exactly one item (blank lines go with the item above them).
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field
from typing import cast

from pinghu_core.parse import bylines, repair
from pinghu_core.parse.accounting import page_repairs
from pinghu_core.parse.columns import is_commentary
from pinghu_core.parse.headlines import from_units, has_label, headline_parts
from pinghu_core.parse.model import Byline, Item, PageParse
from pinghu_core.parse.passages import drop_repeated_passages
from pinghu_core.parse.patterns import LEAD, markers
from pinghu_core.parse.similarity import bigrams, containment
from pinghu_core.parse.tracked import TText, sub
from pinghu_core.parse.units import (
    AD,
    BANNER,
    BODY,
    BYLINE,
    CREDIT,
    GUIDE_HEAD,
    GUIDE_POINTER,
    GUIDE_TEASER,
    HEADLINE,
    MASTHEAD,
    PSA,
    VIDEO,
    Unit,
    headline_like,
    is_pen_name,
    is_weather,
    line_units,
)

PDF_MIN_LINES = 40


@dataclass
class Draft:
    """An item being assembled."""

    kind: str = "news"
    lines: set[int] = field(default_factory=set)
    heads: list[Unit] = field(default_factory=list)
    paragraphs: list[list[Unit]] = field(default_factory=list)  # each paragraph: its fragments
    byline: Byline = field(default_factory=Byline)
    byline_units: list[Unit] = field(default_factory=list)  # the byline lines as printed
    byline_inferred: bool = False
    author_unit: Unit | None = None  # a commentary's pen name
    column_units: list[Unit] = field(default_factory=list)  # 栏目 banner lines
    closed: bool = False
    byline_glued: bool = False  # the byline was printed on a headline's line (…经济大盘■记者 胡佳英)
    last_kind: str = ""  # kind of the unit added last
    doubts: list[str] = field(default_factory=list)  # why the parser is unsure of this item, in Chinese
    anchor: int = 10**9  # line that fixes its order on the page

    def add(self, unit: Unit) -> None:
        self.lines.update(unit.lines)
        self.last_kind = unit.kind

    def add_byline(self, unit: Unit, byline: Byline | None = None) -> None:
        """A byline line: its names join the item's, the line itself is kept as printed."""
        self.byline.merge(byline if byline is not None else bylines.parse_byline(unit.text))
        self.byline_units.append(unit)
        self.add(unit)

    @property
    def starts_with_lead(self) -> bool:
        return bool(self.paragraphs) and LEAD.match(self.paragraphs[0][0].text) is not None

    @property
    def author(self) -> str:
        return self.author_unit.text if self.author_unit is not None else ""

    @property
    def column_name(self) -> str:
        return " ".join(u.text for u in self.column_units)

    @property
    def has_body(self) -> bool:
        return bool(self.paragraphs)

    def body_text(self) -> str:
        return "".join(u.text for p in self.paragraphs for u in p)


# ---------------------------------------------------------------- layout detection


def detect_layout(lines: list[str]) -> str:
    """``pdf`` when most text lines are short hard-wrapped fragments, else ``clean``."""
    sizes = [len(x.strip()) for x in lines if x.strip()]
    if len(sizes) < PDF_MIN_LINES:
        return "clean"
    short = sum(1 for n in sizes if 6 <= n <= 20)
    return "pdf" if short / len(sizes) > 0.6 and statistics.median(sizes) <= 20 else "clean"


def raw_units(lines: list[str]) -> list[Unit]:
    mk = markers()
    out: list[Unit] = []
    offset = 0
    for i, raw in enumerate(lines):
        if raw.strip():
            out.extend(line_units(i, raw, mk, offset))
        offset += len(raw) + 1
    for u in out:
        if u.kind == BODY and (u.bold or " | " in u.text):
            u.kind = BANNER
    return out


# ---------------------------------------------------------------- clean layout


INDENTED_SHARE = 0.6  # a page whose paragraphs mostly start with an indent
DISPLAY_MAX = 100  # an unindented line on an indented page longer than this is still text


def indented_page(units: list[Unit]) -> bool:
    """Do the page's paragraphs start with an indent (全角空格 …)?  Then an unindented line is
    set apart from the text: a headline line, not a paragraph."""
    long = [u for u in units if u.kind == BODY and len(u.text) >= 30 and repair.ends_sentence(u.text)]
    indented = sum(u.indented for u in long)
    return (len(long) >= 3 and indented >= INDENTED_SHARE * len(long)) or (0 < len(long) == indented)


def _display_line(text: str, next_unit: Unit | None = None) -> bool:
    """An unindented line on an indented page reads as a headline line unless it ends a sentence
    or is a salutation (``同志们，朋友们：`` followed by the indented text); a line ending with a
    colon above another unindented line is a kicker (``国务院扶贫办：``)."""
    t = text.strip()
    if not 0 < len(t) <= DISPLAY_MAX or t.endswith(("。", "，", ",", "；")):
        return False
    if t.endswith(("：", ":")):
        return next_unit is not None and not next_unit.indented and next_unit.kind in (BODY, HEADLINE)
    return True


def _mark_headlines(units: list[Unit]) -> None:
    """Decide which ordinary lines are headlines (clean layout).

    A line with a mark (Markdown rank, bold doubling, a reporter's byline glued on) is a
    headline.  On a page whose paragraphs are indented, an unindented line is set apart: a
    headline line (``_display_line``); an indented one is text.  Otherwise an unmarked line is
    a headline when it reads like one (``headline_like``) and is not the first half of a
    paragraph the extraction split (``_paragraph_fragment``)."""
    indented = indented_page(units)
    packed = paragraphs_packed(units)
    prev: Unit | None = None
    before_prev: Unit | None = None
    for k, u in enumerate(units):
        nxt = units[k + 1] if k + 1 < len(units) else None
        glued = nxt is not None and nxt.kind == BYLINE and nxt.first == u.first and len(u.text) <= 40
        reporter_glued = glued and nxt is not None and bool(bylines.parse_byline(nxt.text).reporters)
        if u.kind == BODY and (u.level or u.doubled or reporter_glued):
            u.kind = HEADLINE
        elif u.kind == BODY and indented:
            display = not u.indented and _display_line(u.text, nxt) and not LEAD.match(u.text)
            u.kind = HEADLINE if display else BODY
        elif u.kind == BODY and headline_like(u.text, after_headline=_subtitle_may_follow(prev, before_prev)):
            u.kind = BODY if _paragraph_fragment(units, k, packed) else HEADLINE
        elif u.kind == BODY and (_above_dash_subtitle(u, nxt) or _deck_above_lead(u, prev, nxt)):
            u.kind = HEADLINE
        before_prev, prev = prev, u


def _above_dash_subtitle(u: Unit, nxt: Unit | None) -> bool:
    """A short line right above a ``——`` 副题 is its 主题, commas and all
    (``支部，如何在基层工作中唱主角`` / ``——对部分地区党支部建设的调研与思考``)."""
    if nxt is None or nxt.first != u.lines[-1] + 1 or not nxt.text.startswith("——"):
        return False
    t = u.text.strip()
    return 0 < len(t) <= 40 and not repair.ends_sentence(t) and headline_like(nxt.text, after_headline=True)


def _subtitle_may_follow(prev: Unit | None, before_prev: Unit | None) -> bool:
    """A 副题 (which may hold a comma) follows a headline line — but not a pen name: in a
    commentary the 2–4 character signature under the title is followed by the text."""
    if prev is None or prev.kind != HEADLINE:
        return False
    signature = is_pen_name(prev.text) and before_prev is not None and before_prev.kind == HEADLINE
    return not (signature and not prev.level and not prev.bold)


PACKED_SHARE = 0.2  # paragraphs run line to line when fewer than this share are blank-separated
DECK_MAX = 100  # a deck (提要) line above a lead is at most this long


def paragraphs_packed(units: list[Unit]) -> bool:
    """Do the page's text paragraphs (lines that could not be headings) follow each other line
    to line (few blank lines between them)?  Then blank lines are set around headings only, and
    mean something."""
    text = [u.kind == BODY and not headline_like(u.text) for u in units]
    gaps = [
        b.first - a.lines[-1]
        for (a, b), ok in zip(
            zip(units, units[1:], strict=False), zip(text, text[1:], strict=False), strict=True
        )
        if all(ok)
    ]
    return len(gaps) >= 5 and sum(g >= 2 for g in gaps) < PACKED_SHARE * len(gaps)


def _deck_above_lead(u: Unit, prev: Unit | None, nxt: Unit | None) -> bool:
    """An unfinished line between a headline line and a lead is the headline's deck (副题/提要):
    ``李克强主持召开国务院常务会议`` / ``部署……；决定……，多措并举稳企业稳就业`` / ``新华社北京…电``."""
    if prev is None or prev.kind != HEADLINE or nxt is None or not LEAD.match(nxt.text):
        return False
    t = u.text.strip()
    return 0 < len(t) <= DECK_MAX and not repair.ends_sentence(t) and not LEAD.match(t)


def _paragraph_fragment(units: list[Unit], k: int, packed: bool = False) -> bool:
    """Is unmarked line ``k`` the first half of a paragraph split across a blank line?

    On a page, a headline printed after a finished paragraph starts the next item: it is
    followed by its byline, its 本报讯 lead, a pen name, a deck and a lead, or a caption that ends
    with the photographer's credit; on a page whose paragraphs run line to line (``packed``) it
    may also simply stand apart, blank lines on both sides.  A short unpunctuated line between a
    finished paragraph and more ordinary text with no credit after it is the rest of the text,
    not a headline."""
    prev = units[k - 1] if k else None
    if prev is None or prev.kind != BODY or not repair.ends_sentence(prev.text):
        return False
    if has_label(units[k].text):  # a 栏目 label in brackets ends a title, never a sentence half
        return False
    rest = units[k + 1 : k + 3]
    if not rest or rest[0].kind != BODY or LEAD.match(rest[0].text) or is_weather(rest[0].text, markers()):
        return False
    u = units[k]
    if packed and u.first - prev.lines[-1] >= 2 and rest[0].first - u.lines[-1] >= 2:
        return False  # set apart by blank lines where paragraphs are not
    if len(rest) > 1 and LEAD.match(rest[1].text) and not repair.ends_sentence(rest[0].text.strip()):
        return False  # a deck, then the lead
    if headline_like(rest[0].text) or is_pen_name(rest[0].text):
        return False
    return not (len(rest) > 1 and rest[1].kind == BYLINE)


def _continues(prev: Unit, nxt: Unit) -> bool:
    """Is ``nxt`` the rest of paragraph ``prev`` (split by the extraction)?  Not when ``prev`` ends
    a sentence or is a box label (``核心阅读``), nor when ``nxt`` starts a lead or is indented (an
    indent starts a paragraph)."""
    t = prev.text.rstrip()
    if repair.ends_sentence(t) or t.endswith("——") or LEAD.match(nxt.text) or nxt.indented:
        return False
    return t.strip() not in markers().box_labels


class CleanAssembler:
    def __init__(self) -> None:
        self.items: list[Draft] = []
        self.current: Draft | None = None
        self.pending_banner: list[Unit] = []

    # -- helpers
    def _new(self, kind: str = "news") -> Draft:
        d = Draft(kind=kind)
        self.items.append(d)
        return d

    def _article(self) -> Draft:
        if self.current is None or self.current.closed:
            self.current = self._new()
            for b in self.pending_banner:
                self.current.add(b)
            self.current.column_units = list(self.pending_banner)
            self.pending_banner = []
        return self.current

    def _standalone(self, kind: str, unit: Unit, merge: bool = False) -> None:
        last = self.items[-1] if self.items else None
        if merge and last is not None and last.kind == kind and last is not self.current:
            last.add(unit)
            last.heads.append(unit)
            return
        d = self._new(kind)
        d.add(unit)
        d.heads.append(unit)

    # -- unit handlers
    def headline(self, u: Unit) -> None:
        cur = self.current
        lead_in = cur is not None and cur.has_body and cur.paragraphs[-1][-1].text.rstrip().endswith("——")
        glued_then_head = cur is not None and cur.byline_glued and not cur.has_body
        if (
            cur is None
            or cur.closed
            or (cur.has_body and not lead_in)
            or not (cur.byline.is_empty() or glued_then_head)
        ):
            self.current = None
        d = self._article()
        d.heads.append(u)
        d.add(u)

    def byline(self, u: Unit) -> None:
        b = bylines.parse_byline(u.text)
        cur = self.current
        photo_credit = b.photographers and not (b.reporters or b.correspondents)
        after_head = cur is not None and cur.last_kind == HEADLINE
        if cur is not None and not cur.closed and (not cur.has_body or after_head or photo_credit):
            cur.byline_glued = cur.byline_glued or bool(cur.heads and cur.heads[-1].first == u.first)
            cur.add_byline(u, b)
            if cur.has_body and photo_credit:
                cur.closed = True
            return
        self.current = None
        d = self._article()
        d.add_byline(u, b)

    def body(self, u: Unit, glued_byline: bool) -> None:
        cur = self.current
        starts_new = (
            cur is None
            or cur.closed
            or (cur.has_body and glued_byline)
            or (cur.has_body and not cur.heads and LEAD.match(u.text) is not None and cur.starts_with_lead)
        )
        if starts_new:
            self.current = None
        d = self._article()
        second_lead = LEAD.match(u.text) and any(LEAD.match(p[0].text) for p in d.paragraphs)
        if d.heads and second_lead and "正文中另有电头" not in " ".join(d.doubts):
            d.doubts.append("正文中另有电头或“本报讯”，可能是同一标题下的另一篇报道")
        if d.paragraphs and _continues(d.paragraphs[-1][-1], u):
            d.paragraphs[-1].append(u)
        else:
            d.paragraphs.append([u])
        d.add(u)


def _pen_name_fix(d: Draft) -> None:
    """A 2–4 character plain line after a headline, before the body, is a pen name (评论)."""
    if d.author or len(d.heads) < 2 or not d.has_body:
        return
    last = d.heads[-1]
    named = is_pen_name(last.text) and bylines.is_name(last.text.strip())
    if not last.level and not last.bold and named and d.byline.is_empty():
        d.heads.pop()
        d.author_unit = last


def _collect_psa(units: list[Unit], k: int, asm: CleanAssembler) -> int:
    """A 公益广告 block: the banner/headline lines right before the marker, the marker, and
    the headline lines after it up to the sponsor's sign-off (…宣).  Returns the next index."""
    mk = markers()
    d = Draft(kind="ad")
    cur = asm.current
    if cur is not None and not cur.has_body and cur.byline.is_empty() and not cur.closed:
        asm.items.remove(cur)
        d.lines |= cur.lines
        d.heads.extend(cur.column_units + cur.heads)
        d.byline_units.extend(cur.byline_units)
        d.paragraphs.extend(cur.paragraphs)
        asm.current = None
    for b in asm.pending_banner:
        d.add(b)
        d.heads.append(b)
    asm.pending_banner = []
    d.add(units[k])
    d.heads.append(units[k])
    j = k + 1
    while j < len(units) and units[j].kind in (HEADLINE, BANNER, BODY) and len(units[j].text) <= 40:
        d.add(units[j])
        d.heads.append(units[j])
        j += 1
        if units[j - 1].text.endswith(mk.psa_signoffs):
            break
    asm.items.append(d)
    return j


def _collect_guide(units: list[Unit], k: int, asm: CleanAssembler) -> int:
    """导读: the heading, the teaser lines, and the »»» 详见 pointer."""
    d = Draft(kind="guide")
    j = k
    while j < len(units):
        u = units[j]
        d.add(u)
        d.heads.append(u)
        j += 1
        if u.kind == GUIDE_POINTER:
            break
        if j < len(units) and units[j].kind in (GUIDE_HEAD, MASTHEAD, BYLINE):
            break
    asm.items.append(d)
    return j


def _collect_ad(units: list[Unit], k: int, asm: CleanAssembler) -> int:
    """An advertisement: consecutive ad lines and short lines sandwiched between them."""
    d = Draft(kind="ad")
    j = k
    while j < len(units):
        u = units[j]
        nxt_is_ad = j + 1 < len(units) and units[j + 1].kind == AD
        if u.kind == AD or (u.kind in (BODY, HEADLINE) and len(u.text) <= 30 and nxt_is_ad):
            d.add(u)
            d.heads.append(u)
            j += 1
        else:
            break
    asm.items.append(d)
    return j


SLOTS = 3  # 引题, 主题, 副题


def _headline_runs(units: list[Unit]) -> list[tuple[list[Unit], int, int]]:
    """Runs of headline units: (the units, first raw line of the gap they sit in, the line of
    what follows them).  The gap starts after the last line of whatever came before."""
    runs: list[tuple[list[Unit], int, int]] = []
    after = 0  # first raw line after the last non-headline unit
    current: list[Unit] = []
    start = 0
    for u in units:
        if u.kind == HEADLINE:
            if not current:
                start = after
            current.append(u)
            continue
        if current:  # a headline sharing its line with what follows (a glued byline) ends after it
            runs.append((current, start, max(u.first, current[-1].lines[-1] + 1)))
            current = []
        after = u.lines[-1] + 1
    return runs


def mark_slots(units: list[Unit]) -> None:
    """Crawls that write every headline as three fixed lines — 引题, 主题, 副题, an empty line
    where a part is missing — are recognised when every headline block on the page sits in
    exactly three lines before its text; each line's place then says which part it is."""
    runs = _headline_runs(units)
    fits = [(heads, start) for heads, start, end in runs if end - start == SLOTS]
    if not fits or 3 * len(fits) < 2 * len(runs):  # most blocks must sit in three lines
        return
    if len(fits) == 1 and fits[0][1] != 0:  # one block: only at the top of a file
        return
    for heads, start in fits:
        for u in heads:
            u.slot = u.first - start


def assemble_clean(units: list[Unit]) -> list[Draft]:
    _mark_headlines(units)
    mark_slots(units)
    asm = CleanAssembler()
    k = 0
    while k < len(units):
        u = units[k]
        if u.kind == PSA:
            k = _collect_psa(units, k, asm)
            continue
        if u.kind == GUIDE_HEAD or u.kind == GUIDE_POINTER:
            k = _collect_guide(units, k, asm)
            continue
        if u.kind == AD:
            k = _collect_ad(units, k, asm)
            continue
        glued = k + 1 < len(units) and units[k + 1].kind == BYLINE and units[k + 1].first == u.first
        _dispatch(asm, u, glued)
        k += 1
    if asm.pending_banner:  # a banner with nothing after it stays on the page as it is
        d = asm._new("other")
        for u in asm.pending_banner:
            d.add(u)
            d.heads.append(u)
    for d in asm.items:
        _pen_name_fix(d)
    return asm.items


def _dispatch(asm: CleanAssembler, u: Unit, glued_byline: bool) -> None:
    if u.kind == MASTHEAD:
        asm._standalone("masthead", u, merge=True)
    elif u.kind in (VIDEO, CREDIT):
        asm._standalone("other", u)
    elif u.kind == BANNER:
        asm.pending_banner.append(u)
    elif u.kind == HEADLINE:
        asm.headline(u)
    elif u.kind == BYLINE:
        asm.byline(u)
    elif is_weather(u.text, markers()):
        asm._standalone("weather", u)
    else:
        asm.body(u, glued_byline)


# ---------------------------------------------------------------- pdf layout


WIDE = 1.8  # a line this many times the column width is set across columns (a caption)


def wrap_width(units: list[Unit]) -> float:
    widths = sorted(repair.display_width(u.text) for u in units if u.kind == BODY)
    return widths[int(len(widths) * 0.9)] if widths else 14.0


def _blocks(units: list[Unit]) -> list[list[Unit]]:
    """Runs of units on consecutive raw lines (a blank line ends a block)."""
    out: list[list[Unit]] = []
    for u in units:
        if out and u.first - out[-1][-1].lines[-1] <= 1 and u.kind == out[-1][-1].kind:
            out[-1].append(u)
        else:
            out.append([u])
    return out


def _block_reads_as_headline(block: list[Unit]) -> bool:
    """At most three lines without sentence punctuation: one title wrapped over the lines, or
    a kicker, a title and a subtitle each on its own line."""
    if len(block) > 3:
        return False
    if headline_like("".join(u.text for u in block), after_headline=False):
        return True
    return len(block) > 1 and all(headline_like(u.text, after_headline=i > 0) for i, u in enumerate(block))


def _fills_column(u: Unit, width: float) -> bool:
    return width - 2.5 <= repair.display_width(u.text) <= width + 1


def _stands_alone(blocks: list[list[Unit]], i: int, width: float) -> bool:
    """Block ``i`` stands apart between a finished paragraph and the next block, blank lines
    on both sides, and does not run on: its last line does not fill the column, or what
    follows is set wider than the column (a caption).  Running text fills the column up to
    a paragraph's last line, so such a block is a heading."""
    if i == 0 or i + 1 >= len(blocks):
        return False
    prev, block, nxt = blocks[i - 1], blocks[i], blocks[i + 1]
    if prev[-1].kind != BODY or not repair.ends_sentence(prev[-1].text):
        return False
    if block[0].first - prev[-1].lines[-1] < 2 or nxt[0].first - block[-1].lines[-1] < 2:
        return False
    wide_next = nxt[0].kind == BODY and repair.display_width(nxt[0].text) > WIDE * width
    return wide_next or not _fills_column(block[-1], width)


def _pdf_headline_block(
    blocks: list[list[Unit]], i: int, next_kind: str | None, next_is_lead: bool, width: float
) -> bool:
    block = blocks[i]
    if block[0].kind != BODY:
        return False
    if any(u.doubled for u in block):
        return True
    if not _block_reads_as_headline(block):
        return False
    return (
        next_kind in (None, BYLINE, HEADLINE, AD, "weather")
        or next_is_lead
        or _stands_alone(blocks, i, width)
    )


def _mark_pdf_headlines(blocks: list[list[Unit]], width: float) -> None:
    next_kind: str | None = None
    next_is_lead = False
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if _pdf_headline_block(blocks, i, next_kind, next_is_lead, width):
            for u in block:
                u.kind = HEADLINE
        first = block[0]
        weather = first.kind == BODY and is_weather("".join(u.text for u in block), markers())
        next_kind = "weather" if weather else first.kind
        next_is_lead = first.kind == BODY and bool(LEAD.match(first.text))


BOX_LINES = 4  # a 导读 or 公益广告 box holds at most this many lines besides its marker
BOX_LINE_CHARS = 40


def _box_line(u: Unit) -> bool:
    return u.kind == BODY and len(u.text) <= BOX_LINE_CHARS and not LEAD.match(u.text)


def _mark_pdf_boxes(units: list[Unit]) -> None:
    """Boxes printed apart from the columns keep their lines (PDF layout).

    * 导读: the short lines between the heading and its ``»»» 详见X版`` pointer are its teasers;
    * 公益广告: a short line right above the marker is its banner, and the short lines after it
      up to the sponsor's sign-off (``…宣``) are its slogan and signature."""
    for k, u in enumerate(units):
        if u.kind == GUIDE_HEAD:
            _mark_guide_box(units, k)
        elif u.kind == PSA:
            _mark_psa_box(units, k)


def _mark_guide_box(units: list[Unit], k: int) -> None:
    inner = units[k + 1 : k + 2 + BOX_LINES]
    end = next((i for i, u in enumerate(inner) if u.kind == GUIDE_POINTER), None)
    if end and all(_box_line(u) for u in inner[:end]):
        for u in inner[:end]:
            u.kind = GUIDE_TEASER


def _mark_psa_box(units: list[Unit], k: int) -> None:
    signoffs = markers().psa_signoffs
    after = units[k + 1 : k + 1 + BOX_LINES]
    end = next((i for i, u in enumerate(after) if _box_line(u) and u.text.rstrip().endswith(signoffs)), None)
    if end is None or not all(_box_line(u) for u in after[:end]):
        return
    for u in after[: end + 1]:
        u.kind = AD
    above = units[k - 1] if k else None
    if (
        above is not None
        and _box_line(above)
        and headline_like(above.text)
        and units[k].first - above.lines[-1] <= 2
    ):
        above.kind = AD


@dataclass
class PdfPage:
    runs: list[Draft] = field(default_factory=list)
    groups: list[tuple[list[Unit], list[Unit]]] = field(
        default_factory=list
    )  # (headline units, byline units)
    follows: list[int | None] = field(default_factory=list)  # per group: the run printed right above it
    loose_bylines: list[Unit] = field(default_factory=list)
    others: list[Draft] = field(default_factory=list)


class _PdfSplitter:
    """Walks the units of a PDF page once, cutting body runs, headline groups and the rest."""

    def __init__(self, width: float) -> None:
        self.page = PdfPage()
        self.width = width
        self.run: Draft | None = None  # the body run still open
        self.last_run: Draft | None = None  # the run (or photo) printed right above the next unit
        self.group: tuple[list[Unit], list[Unit]] | None = None
        self.prev_body: Unit | None = None
        self.run_index: dict[int, int] = {}  # id(run) → its index in page.runs (no list.index: linear)

    def body(self, u: Unit) -> None:
        if self.run is None or LEAD.match(u.text):
            self.run = Draft(anchor=u.first)
            self.run_index[id(self.run)] = len(self.page.runs)
            self.page.runs.append(self.run)
            self.prev_body = None
        run = self.run
        if self.prev_body is not None and not _pdf_paragraph_end(self.prev_body, self.width):
            run.paragraphs[-1].append(u)
        else:
            run.paragraphs.append([u])
        run.add(u)
        self.prev_body, self.group, self.last_run = u, None, run

    def headline(self, u: Unit) -> None:
        if self.group is None or self.group[1]:
            self.group = ([], [])
            self.page.groups.append(self.group)
            above = self.last_run
            self.page.follows.append(self.run_index.get(id(above)) if above is not None else None)
        self.group[0].append(u)
        self.run = self.last_run = None

    def byline(self, u: Unit) -> None:
        photo = _pdf_byline(self.page, u, self.group, self.run)
        self.last_run = self.run if photo else None
        self.run = None

    def other(self, u: Unit) -> None:
        self.page.others.append(_pdf_other(self.page, u))
        self.run = self.group = self.last_run = None

    def add(self, u: Unit) -> None:
        if u.kind == BODY:
            self.body(u)
            return
        self.prev_body = None
        if u.kind == HEADLINE:
            self.headline(u)
        elif u.kind == BYLINE:
            self.byline(u)
        else:
            self.other(u)


def _split_pdf(units: list[Unit], width: float) -> PdfPage:
    splitter = _PdfSplitter(width)
    for u in units:
        splitter.add(u)
    return splitter.page


def _pdf_paragraph_end(line: Unit, width: float) -> bool:
    return repair.ends_sentence(line.text) and repair.display_width(line.text) < width - 1


def _pdf_byline(
    page: PdfPage, u: Unit, group: tuple[list[Unit], list[Unit]] | None, run: Draft | None
) -> bool:
    """A photographer's credit closes the photo above it; a byline right after a headline group
    belongs to it; any other byline is loose (printed away from its article).  Returns True
    when ``u`` was a photo credit."""
    b = bylines.parse_byline(u.text)
    # A role line without ■ under a ■ byline is its next line (``■记者 石晓晨`` / ``见习记者 韩胜超``).
    continues = not u.text.lstrip().startswith("■")
    if b.photographers and not b.reporters and run is not None:
        run.add_byline(u, b)
        run.kind = "photo"
        return True
    if group is not None and (not group[1] or continues):
        group[1].append(u)
    elif continues and page.loose_bylines and page.loose_bylines[-1].lines[-1] == u.first - 1:
        prev = page.loose_bylines[-1]
        page.loose_bylines[-1] = Unit(BYLINE, prev.lines + u.lines, TText.join(" ", [prev.t, u.t]))
    else:
        page.loose_bylines.append(u)
    return False


def _pdf_other(page: PdfPage, u: Unit) -> Draft:
    kinds = {MASTHEAD: "masthead", AD: "ad", PSA: "ad", VIDEO: "other", CREDIT: "other"}
    kind = kinds.get(u.kind, "guide" if u.kind in (GUIDE_HEAD, GUIDE_TEASER, GUIDE_POINTER) else "other")
    prev = page.others[-1] if page.others else None
    if (
        prev is not None
        and prev.kind == kind
        and kind in ("ad", "masthead", "guide")
        and min(u.lines) - max(prev.lines) <= 3
    ):
        page.others.pop()
        prev.add(u)
        prev.heads.append(u)
        return prev
    d = Draft(kind=kind, anchor=u.first)
    d.add(u)
    d.heads.append(u)
    return d


def _give_group(page: PdfPage, gi: int, ri: int) -> None:
    heads, group_bylines = page.groups[gi]
    run = page.runs[ri]
    run.heads.extend(heads)
    for u in heads:
        run.add(u)
    for b in group_bylines:
        run.add_byline(b)


MATCH_WINDOW = 60  # runs each side of a headline group that may be its body (a page has far fewer)


def match_headlines(page: PdfPage) -> list[tuple[list[Unit], list[Unit]]]:
    """Give each headline group its body.  Returns the unmatched groups.

    PDF extraction prints a headline below the text it heads, so a group printed right under
    a body (or under a photo's credit) heads that body.  The groups left (a headline at the
    top of the page, above its text) go to the body they share most words with."""
    used_g: set[int] = set()
    used_r: set[int] = set()
    for gi, ri in enumerate(page.follows):
        if ri is not None and ri not in used_r:
            used_g.add(gi)
            used_r.add(ri)
            _give_group(page, gi, ri)
    scores = []
    run_grams: dict[int, set[str]] = {}
    anchors = [run.anchor for run in page.runs]  # in page order
    for gi, (heads, _) in enumerate(page.groups):
        if gi in used_g:
            continue
        title = bigrams("".join(repair.repair_headline(h.text) for h in heads))
        # a headline heads a body near it on the page: look at MATCH_WINDOW runs each side
        at = bisect.bisect_left(anchors, heads[0].first) if heads else 0
        for ri in range(max(0, at - MATCH_WINDOW), min(len(page.runs), at + MATCH_WINDOW)):
            if ri not in used_r:
                grams = run_grams.get(ri)
                if grams is None:
                    grams = run_grams[ri] = bigrams(page.runs[ri].body_text())
                scores.append((len(title & grams) / len(title) if title else 0.0, gi, ri))
    for score, gi, ri in sorted(scores, reverse=True):
        if score < 0.2 or gi in used_g or ri in used_r:
            continue
        used_g.add(gi)
        used_r.add(ri)
        _give_group(page, gi, ri)
    return [g for i, g in enumerate(page.groups) if i not in used_g]


def _attach_loose_bylines(page: PdfPage) -> list[Draft]:
    """Bylines printed away from their articles go, in order, to the articles without one —
    only when the counts agree; otherwise they stay on the page as an unattributed item."""
    if not page.loose_bylines:
        return []
    orphans = [r for r in page.runs if r.kind == "news" and r.byline.is_empty() and LEAD.match(r.body_text())]
    if len(orphans) == len(page.loose_bylines):
        for run, u in zip(orphans, page.loose_bylines, strict=True):
            run.add_byline(u)
            run.byline_inferred = True
        return []
    d = Draft(kind="other", anchor=page.loose_bylines[0].first)
    for u in page.loose_bylines:
        d.add_byline(u)
    return [d]


def assemble_pdf(units: list[Unit]) -> list[Draft]:
    width = wrap_width(units)
    _mark_pdf_boxes(units)
    _mark_pdf_headlines(_blocks(units), width)
    page = _split_pdf(units, width)
    for run in page.runs:
        if is_weather(run.body_text(), markers()):
            run.kind = "weather"
    unmatched = match_headlines(page)
    drafts = page.runs + page.others + _attach_loose_bylines(page)
    for heads, group_bylines in unmatched:
        d = Draft(kind="other", anchor=heads[0].first)
        d.heads.extend(heads)
        for u in heads:
            d.add(u)
        for b in group_bylines:
            d.add_byline(b)
        drafts.append(d)
    return sorted(drafts, key=lambda d: d.anchor)


# ---------------------------------------------------------------- finishing


def merge_continuation_fragments(drafts: list[Draft]) -> list[Draft]:
    """A bylineless fragment that ends with 下转X版 under a banner-like title is the front-page
    tail of a neighbouring article: move it there, keeping its title as the column name."""
    out = list(drafts)
    for d in list(out):
        text = d.body_text()
        if (
            d.kind != "news"
            or not d.byline.is_empty()
            or d.byline_units  # a byline line printed, even one without a name: not a bylineless tail
            or not repair.strip_continuation(text)[1]
            or LEAD.match(text)
        ):
            continue
        k = next(i for i, x in enumerate(out) if x is d)  # by identity: equal drafts are not the same
        neighbours = [n for n in (out[k - 1] if k else None, out[k + 1] if k + 1 < len(out) else None) if n]
        scored = [
            (containment(text, n.body_text()), i, n) for i, n in enumerate(neighbours) if n.kind == "news"
        ]
        if not scored:
            continue
        scored.sort(reverse=True)
        score, _, target = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if score < 0.15 or score < 2 * runner_up:
            continue
        target.paragraphs.extend(d.paragraphs)
        target.lines |= d.lines
        target.column_units = target.column_units + d.column_units + d.heads
        if d.author_unit is not None:
            target.paragraphs.append([d.author_unit])
        out.remove(d)
    return out


def _kind(d: Draft, body: str, label: str = "") -> str:
    if d.kind != "news":
        return d.kind
    if d.author or is_commentary(label) or any(is_commentary(u.text) for u in d.column_units):
        return "commentary"
    b = d.byline
    if b.photographers and not (b.reporters or b.correspondents) and not LEAD.match(body):
        return "photo"
    if not body.strip():
        return "other"
    return "news"


_BLANK_LINES = re.compile(r"\n{2,}")


def _paragraph_text(frags: list[Unit]) -> tuple[TText, bool]:
    """One paragraph's fragments joined and repaired; and whether it ends with 下转X版."""
    # tracked: a paragraph has at least one fragment (only no lines at all join to the plain '')
    text = cast(TText, repair.join_wrapped([f.t for f in frags]))
    return repair.strip_continuation(repair.repair_text(text))


def _join_paragraphs(paragraphs: list[TText]) -> TText:
    """Paragraphs one a line; an emptied paragraph leaves no blank line (its records stay)."""
    return sub(TText.join("\n", paragraphs), _BLANK_LINES, "\n", "space", record=False).strip()


def _body(d: Draft) -> tuple[TText, bool, int]:
    paragraphs = []
    continued = False
    for frags in d.paragraphs:
        text, cont = _paragraph_text(frags)
        continued = continued or cont
        paragraphs.append(text)
    body, dropped = drop_repeated_passages(TText.join("\n", paragraphs))
    return _join_paragraphs([body]), continued, dropped


def _unit_text(u: Unit) -> TText:
    return repair.repair_text(repair.undouble(u.t))


def _non_article_text(d: Draft) -> tuple[TText, TText, TText]:
    """引题, title and body for masthead, ads, guides, weather and other items."""
    texts = [_unit_text(h) for h in d.heads]
    empty = TText("")
    if d.kind == "guide":
        heads = markers().guide_headings
        kicker = [t for t in texts if t.text in heads]
        teaser = [t for t in texts if t.text not in heads and not t.text.startswith("»")]
        pointer = [sub(t, _POINTER_MARK, "", "markup") for t in texts if t.text.startswith("»")]
        return TText.join(" ", kicker), TText.join(" ", teaser), TText.join(" ", pointer)
    if d.kind == "ad":
        names = [k for k, t in enumerate(texts) if "：" not in t.text and ":" not in t.text]
        k = names[0] if names else 0
        if not texts:
            return empty, empty, empty
        return empty, texts[k], TText.join("\n", texts[:k] + texts[k + 1 :])
    return empty, empty, TText.join("\n", texts)


_POINTER_MARK = re.compile(r"^[»\s]+")


def _byline_text(d: Draft) -> TText:
    return TText.join(" ", [u.t.strip() for u in d.byline_units])


def to_item(d: Draft, order: int, pdf: bool) -> Item:
    body, continued, dropped = _body(d)
    parts = headline_parts(from_units(d.heads), pdf=pdf)
    kind = _kind(d, body.text, parts.label)
    item = Item(
        kind=kind, lines=sorted(d.lines), order=order, byline=d.byline, byline_inferred=d.byline_inferred
    )
    # the names in the first lead, wherever it stands (under a 核心阅读 box or a deck, too)
    first_lead = next((p for p in body.text.split("\n") if LEAD.match(p)), "")
    item.byline.merge(bylines.lead_byline(first_lead))
    item.continued, item.duplicates_dropped = continued, dropped
    item.doubts = list(d.doubts)
    fields: dict[str, TText] = {
        "column_name": TText.join(" ", [repair.repair_headline(u.t) for u in d.column_units]),
        "byline_text": _byline_text(d),
    }
    headed = bool(d.heads) and all(h.kind == HEADLINE for h in d.heads)
    if kind in ("news", "photo", "commentary") or (kind in ("other", "weather") and (d.paragraphs or headed)):
        fields.update(kicker=parts.kicker_t, title=parts.title_t, subtitle=parts.subtitle_t, body=body)
        if parts.label:
            fields["column_name"] = TText.join(" ", [x for x in (fields["column_name"], parts.label_t) if x])
        if d.author_unit is not None:
            fields["author"] = d.author_unit.t.strip()
            item.byline.authors.append(d.author)
    else:
        kicker, title, rest = _non_article_text(d)
        fields.update(kicker=kicker, title=title, body=_join_paragraphs([rest, body]) if body else rest)
    item.sources = fields
    item.kicker, item.title, item.subtitle = (
        fields.get(k, TText("")).text for k in ("kicker", "title", "subtitle")
    )
    item.column_name, item.byline_text = fields["column_name"].text, fields["byline_text"].text
    item.body = fields.get("body", TText("")).text
    _judge(item, parts)
    return item


# How much each doubt lowers an item's confidence.
DOUBT_WEIGHTS = {
    "正文中另有电头": 0.25,
    "未识别出标题": 0.4,
    "引题、主题、副题仅按行长区分": 0.15,
    "署名为推断": 0.2,
    "删除了抽取重复段": 0.1,
}


def _judge(item: Item, parts) -> None:
    """Per-item doubts (in Chinese) and the confidence they leave."""
    if item.kind in ("news", "commentary") and not item.title:
        item.doubts.append("未识别出标题")
    if parts.guessed and item.kind in ("news", "photo", "commentary"):
        item.doubts.append("引题、主题、副题仅按行长区分")
    if item.byline_inferred:
        item.doubts.append("署名为推断（署名印在别处，按顺序对应）")
    if item.duplicates_dropped:
        item.doubts.append("删除了抽取重复段")
    penalty = sum(w for key, w in DOUBT_WEIGHTS.items() for d in item.doubts if d.startswith(key))
    item.confidence = round(max(0.1, 1.0 - penalty), 2)


def own_blank_lines(items: list[Item], n_lines: int) -> None:
    """Blank lines belong to the item that owns the nearest non-blank line above (or below)."""
    owner: dict[int, Item] = {}
    for it in items:
        for i in it.lines:
            owner.setdefault(i, it)
    last: Item | None = None
    first_owner = next((owner[i] for i in range(n_lines) if i in owner), None)
    for i in range(n_lines):
        if i in owner:
            last = owner[i]
        elif (holder := last or first_owner) is not None:
            holder.lines.append(i)
    for it in items:
        it.lines = sorted(set(it.lines))


def _one_owner_per_line(drafts: list[Draft]) -> None:
    """A line split into two units (a headline with a glued byline) stays with its first owner.
    A draft whose every line is shared keeps them: its text must not disappear with them."""
    seen: set[int] = set()
    for d in drafts:
        if d.lines - seen:
            d.lines -= seen
        seen |= d.lines


ARTICLE_HEAD_LINES = 4  # an article file's headline block: 引题, 主题, 副题 and one more at most


def _article_head(units: list[Unit], k: int, indented: bool) -> bool:
    """Is unit ``k`` (at the top of an article file) a headline line?"""
    u = units[k]
    if u.kind not in (BODY, BANNER, HEADLINE) or LEAD.match(u.text):
        return False
    if u.level or u.doubled:
        return True
    if indented:
        return not u.indented and _display_line(u.text, units[k + 1] if k + 1 < len(units) else None)
    return headline_like(u.text, after_headline=k > 0)


def _article_draft(units: list[Unit]) -> Draft:
    """One article a file: the headline lines at the top, then bylines and body paragraphs."""
    d = Draft(kind="news")
    indented = indented_page(units)
    k = 0
    while k < len(units) and k < ARTICLE_HEAD_LINES and _article_head(units, k, indented):
        units[k].kind = HEADLINE
        d.heads.append(units[k])
        d.add(units[k])
        k += 1
    mark_slots(units)
    for u in units[k:]:
        if u.kind == BYLINE:
            d.add_byline(u)
            continue
        d.add(u)
        if d.paragraphs and _continues(d.paragraphs[-1][-1], u):
            d.paragraphs[-1].append(u)
        else:
            d.paragraphs.append([u])
    return d


def parse_article(text: str) -> PageParse:
    """Parse a file that holds one article (an e-paper crawl) into exactly one item."""
    lines = text.split("\n")
    units = raw_units(lines)
    items = [to_item(_article_draft(units), 0, False)] if units else []
    own_blank_lines(items, len(lines))
    problems = [] if items or not text.strip() else ["没有识别出任何条目"]
    parse = PageParse(lines=lines, items=items, layout="clean", problems=problems)
    parse.repairs = page_repairs(parse)
    return parse


def parse_page(text: str) -> PageParse:
    """Parse one page of text into items that together own every line."""
    lines = text.split("\n")
    layout = detect_layout(lines)
    units = raw_units(lines)
    pdf = layout == "pdf"
    drafts = assemble_pdf(units) if pdf else assemble_clean(units)
    drafts = merge_continuation_fragments(drafts)
    _one_owner_per_line(drafts)
    items = [to_item(d, k, pdf) for k, d in enumerate(d for d in drafts if d.lines)]
    own_blank_lines(items, len(lines))
    problems = []
    dropped = sum(it.duplicates_dropped for it in items)
    if dropped:
        problems.append(f"删除了{dropped}段抽取时重复的文字")
    if not items and text.strip():
        problems.append("没有识别出任何条目")
    parse = PageParse(lines=lines, items=items, layout=layout, problems=problems)
    parse.repairs = page_repairs(parse)
    return parse
