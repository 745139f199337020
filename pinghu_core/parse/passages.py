"""Passages the extraction printed twice: the second copy of an *extraction artefact* is dropped
(and recorded); a sentence the paper itself printed twice is kept.

An artefact is a passage of at least ``MIN_REPEAT`` characters that repeats earlier text of the
same body and either

* follows its first copy directly (the same passage printed twice in a row), or
* is spliced into the middle of a clause (the character before the second copy is a letter or
  a Chinese character, not a sentence or clause boundary), holds a whole sentence and is not part
  of a longer passage the paper restates with a small change (:func:`restated`):
  overlapping PDF text runs, as in
  ``“最大的感受就是不住自己激动的心情，……`` where the extraction jumped back into a passage it
  had already printed.

A sentence that a deck, summary, caption or quote repeats starts at a boundary in both places
and is never dropped; nor is a passage the text holds three times or more other than in a row (a
formula the paper repeats, ``…第1次经济工作会议，部署…。平湖市召开第2次…``): an overlap of text
runs prints a passage twice, not over and over.  One pass over the text with a shingle index: linear in the text's length.
"""

from __future__ import annotations

from typing import overload

from pinghu_core.parse.tracked import TText, as_tracked, delete, same_kind

SHINGLE = 12
MIN_REPEAT = 30
MIN_SENTENCE = 6  # a whole sentence inside a spliced copy has at least this many characters
# A copy that starts right after one of these starts at a boundary (a sentence or clause).
TERMINAL = set("。！？!?")
BOUNDARY = set("。！？；，：、…\n“”‘’「」『』（）()《》【】—-·.!?;:, \t\u3000\xa0■●▲◆")


_SAMPLED_MAX = 20_000  # longer texts: the shingle set (linear) beats the sampled search (quadratic)


_STRIDE = MIN_REPEAT - SHINGLE + 1  # every repeat holds a whole shingle that starts at a multiple of this
_SLACK = MIN_REPEAT - SHINGLE  # how far before that shingle a repeat's first MIN_REPEAT characters may start
_WINDOW_CHECKS = 64  # window comparisons _may_repeat makes before it answers "look" (a crafted text)


def _may_repeat(text: str) -> bool:
    """A necessary condition for a repeat of MIN_REPEAT characters after its first copy, tested
    with scans in C.  Such a copy lies at least its length (≥ MIN_REPEAT) after its first copy
    (they do not overlap) and spans at least MIN_REPEAT = SHINGLE + _STRIDE - 1 characters, so:
    it holds a whole shingle that starts at a multiple of _STRIDE (``j``); that shingle occurs at
    least MIN_REPEAT characters earlier (``k``); and equal MIN_REPEAT-character windows start at
    most _SLACK characters before both places (:func:`_equal_windows`).
    False means no repeat; True means look (the bodies that pass nearly all have one).  A text whose
    shingles recur often without equal windows (made so: one phrase every 19 characters, the rest
    different) gets True after _WINDOW_CHECKS comparisons — then the linear shingle index looks —
    so this stays as cheap as the scans (20,000 such characters: 4 s without the limit)."""
    checks = 0
    for j in range(_STRIDE, len(text) - SHINGLE + 1, _STRIDE):
        piece = text[j : j + SHINGLE]
        k = text.find(piece, 0, j - _SLACK)  # the piece ends _SLACK before j: k <= j - MIN_REPEAT
        while k != -1:
            checks += 1
            if checks > _WINDOW_CHECKS or _equal_windows(text, k, j):
                return True
            k = text.find(piece, k + 1, j - _SLACK)
    return False


def _equal_windows(text: str, k: int, j: int) -> bool:
    """Are the MIN_REPEAT characters starting ``d`` before ``k`` and ``d`` before ``j`` the same,
    for some ``d`` up to _SLACK (both windows inside the text)?"""
    return any(
        text[k - d : k - d + MIN_REPEAT] == text[j - d : j - d + MIN_REPEAT]
        for d in range(max(0, j + MIN_REPEAT - len(text)), min(k, _SLACK) + 1)
    )


def repeated_spans(text: str) -> list[tuple[int, int, int]]:
    """Repeats of earlier text: (start, end, start of the first copy), at least MIN_REPEAT long,
    maximal and not overlapping their first copy.

    >>> a = "平湖市博物馆新馆项目含主体工程与陈列布展工程两部分，总投资50559万元。"
    >>> repeated_spans(a + "最大的感受就是" + a)
    [(44, 81, 0)]
    """
    n = len(text)
    if n < SHINGLE + MIN_REPEAT or (n <= _SAMPLED_MAX and not _may_repeat(text)):
        return []  # nothing repeats (most bodies): no index built
    shingles = [text[i : i + SHINGLE] for i in range(n - SHINGLE + 1)]
    if n > _SAMPLED_MAX and len(set(shingles)) == len(shingles):
        return []  # nothing repeats: no scan (shorter texts passed _may_repeat: a shingle repeats)
    # each shingle's first place (a dict built back to front keeps the smallest index)
    first = dict(zip(reversed(shingles), range(len(shingles) - 1, -1, -1), strict=True))
    candidates = [i for i, sh in enumerate(shingles) if first[sh] <= i - SHINGLE]
    spans: list[tuple[int, int, int]] = []
    free = 0  # positions before this are inside a copy already found
    for i in candidates:
        if i < free or text[i] in BOUNDARY:  # a copy starts with text, not a mark
            continue
        p = first[shingles[i]]
        length = SHINGLE
        while i + length < n and p + length < i and text[p + length] == text[i + length]:
            length += 1
        a, b, q = i, i + length, p
        # The index knows a shingle's first place only, so the scan may start a copy late: extend it
        # back (never into the previous copy nor into its own first copy).
        first_end, lo = p + length, spans[-1][1] if spans else 0
        while a > max(lo, first_end) and q > 0 and text[a - 1] == text[q - 1]:
            a, q = a - 1, q - 1
        while a < b and text[a] in BOUNDARY:  # a copy starts with text, not a mark
            a, q = a + 1, q + 1
        while b > a and text[b - 1].isspace():  # a paragraph break is not part of it
            b -= 1
        if len(_core(text, a, b)) >= MIN_REPEAT:
            spans.append((a, b, q))
            free = i + length
    return spans


def is_artefact(text: str, start: int, end: int, first: int, recurring: bool = False) -> bool:
    """Is the repeat ``text[start:end]`` (first printed at ``first``) an extraction artefact?

    Printed twice in a row, or spliced into a clause *and* running over a sentence end, unless the
    passage recurs (``recurring``: another repeat has the same first copy): a long name or phrase
    the paper repeats (``坚持和完善中国特色社会主义制度…``) stays in one clause."""
    between = text[first + (end - start) : start]
    if not between.strip():
        return True  # printed twice in a row
    if recurring or restated(text, start, end, first):
        return False
    # a copy never starts inside a number (第3|32项 is the number 332, not a jump back)
    in_number = start > 0 and text[start - 1].isdigit() and text[start].isdigit()
    spliced = start > 0 and text[start - 1] not in BOUNDARY and not in_number
    return spliced and holds_sentence(text[start:end])


def restated(text: str, start: int, end: int, first: int) -> bool:
    """Is the repeat part of a longer passage the paper states again with a small change — words
    shared just before both copies (``损失，也能…`` / ``损失也能…``; a summary's ``长期探索中形成…`` and
    the body's ``长期探索形成…``), or the same words again a few characters after both
    (``被告人赵正永享有…`` / ``被告人陈国强享有…``)?
    An overlap of text runs jumps into unrelated text at both seams.

    >>> t = "赵正永涉嫌受贿一案，由国家监察委员会调查终结，经最高人民检察院指定。检察机关告知了被告人赵正永享有的诉讼权利。"
    >>> u = t.replace("赵正永", "陈国强")
    >>> restated(t + u, len(t) + 3, len(t) + 44, 3)
    True
    """
    before = _context_before(text, start, 8), _context_before(text, first, 8)
    return _shared_run(*before) >= 3 or _resumes(text, first + (end - start), end)


def _shared_run(a: str, b: str) -> int:
    """The length of the longest run of characters ``a`` and ``b`` share (short strings)."""
    best = 0
    for i in range(len(a)):
        for j in range(len(b)):
            k = 0
            while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
                k += 1
            best = max(best, k)
    return best


def _context_before(text: str, k: int, size: int = 4) -> str:
    """Up to ``size`` letters before ``k`` in reading order, marks and spaces skipped (within a
    short reach)."""
    out: list[str] = []
    j = k - 1
    while j >= 0 and j >= k - 3 * size and len(out) < size:
        if text[j] not in BOUNDARY and not text[j].isspace():
            out.append(text[j])
        j -= 1
    return "".join(reversed(out))


def _resumes(text: str, first_end: int, end: int, reach: int = 8, run: int = 6) -> bool:
    """Do the texts after both copies share a ``run`` of letters that starts within ``reach``?"""
    after_first = set()
    for j in range(1, reach + 1):
        piece = text[first_end + j : first_end + j + run]
        if len(piece) == run and sum(ch not in BOUNDARY and not ch.isspace() for ch in piece) >= run - 2:
            after_first.add(piece)
    return any(text[end + k : end + k + run] in after_first for k in range(1, reach + 1))


def holds_sentence(segment: str, least: int = MIN_SENTENCE) -> bool:
    """Does ``segment`` hold a whole sentence: a sentence end, then at least ``least`` characters
    of text, then another?  An overlap of text runs prints whole sentences again; a formula that
    a law or a list repeats (``…并抄送人民检察院。人民法院…``) only runs into the next sentence.

    >>> holds_sentence("的心情。据了解，平湖市博物馆新馆项目总投资50559万元。项目")
    True
    >>> holds_sentence("三十日内作出决定，并抄送人民检察院。\\n人民法院")
    False
    """
    ends = [k for k, ch in enumerate(segment) if ch in TERMINAL]
    return any(
        len("".join(segment[a + 1 : b].split())) >= least for a, b in zip(ends, ends[1:], strict=False)
    )


def recurring(spans: list[tuple[int, int, int]]) -> set[int]:
    """Indexes of the repeats whose first copy overlaps another repeat's first copy: a passage
    the text holds three times or more.

    >>> sorted(recurring([(40, 80, 0), (90, 130, 5), (200, 240, 150)]))
    [0, 1]
    """
    order = sorted(range(len(spans)), key=lambda k: spans[k][2])
    found: set[int] = set()
    reach, owner = -1, -1  # the end of the first copies seen so far, and the repeat that reached it
    for k in order:
        a, b, p = spans[k]
        if p < reach:
            found.update((k, owner))
        if p + (b - a) > reach:
            reach, owner = p + (b - a), k
    return found


def _core(text: str, start: int, end: int) -> str:
    """The repeat without the marks it ends with."""
    while end > start and text[end - 1] in BOUNDARY:
        end -= 1
    return text[start:end]


@overload
def drop_repeated_passages(text: str) -> tuple[str, int]: ...
@overload
def drop_repeated_passages(text: TText) -> tuple[TText, int]: ...
def drop_repeated_passages(text: str | TText) -> tuple[str | TText, int]:
    """Remove the second copies of passages the extraction printed twice; returns the text and
    how many passages were dropped (each recorded as a ``duplicate`` repair)."""
    t, was_str = as_tracked(text)
    found = repeated_spans(t.text)
    again = recurring(found)
    spans = [(a, b) for k, (a, b, p) in enumerate(found) if is_artefact(t.text, a, b, p, k in again)]
    for a, b in reversed(spans):
        t = delete(t, a, b, "duplicate")
    return same_kind(t, was_str), len(spans)
