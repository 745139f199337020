"""Text that remembers where it came from.

A :class:`TText` is a string plus, for every character, its offset in the raw page (or
``INSERTED`` for a character the parser added, such as the space joining two headline
parts), plus the repairs made on the way to it (each attached to a position in the text).
Repair steps are ``TText -> TText`` functions built from :func:`sub`, so the text that reaches
an item's field carries with it both its provenance and the list of changes: nothing can be
dropped without a record.  ``pipeline.account`` checks at the end that every non-blank
character of the page is in exactly one field or one recorded repair.

Whitespace is layout: stripping or collapsing it is not recorded (a hard wrap joined inside a
paragraph is, as ``hard_wrap``).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable

from pinghu_core.parse.model import Repair

INSERTED = -1
_TYPE = "i"


_COUNTING = array(_TYPE)  # 0, 1, 2 … grown on demand: a slice of it is a memcpy, not a Python loop
_COUNTING_MAX = 1 << 23  # offsets past this (a page over 8M characters) are built one by one


def _offsets(start: int, end: int) -> array:
    global _COUNTING
    if end > len(_COUNTING) and end <= _COUNTING_MAX:
        _COUNTING = array(_TYPE, range(min(_COUNTING_MAX, max(end, 2 * len(_COUNTING), 4096))))
    if end <= len(_COUNTING):
        return _COUNTING[start:end] if start < end else array(_TYPE)
    return array(_TYPE, range(start, end))


_ONE_INSERTED = array(_TYPE, [INSERTED])


def _inserted(n: int) -> array:
    return _ONE_INSERTED * n


class TText:
    """A string with the raw offset of each character and the repairs made to it."""

    __slots__ = ("text", "src", "edits")

    def __init__(self, text: str, src: array | None = None, edits: tuple[tuple[int, Repair], ...] = ()):
        self.text = text
        self.src = _inserted(len(text)) if src is None else src
        self.edits = edits

    # -- construction
    @classmethod
    def raw(cls, page: str, start: int, end: int) -> TText:
        """The raw page's characters ``page[start:end]``."""
        return cls(page[start:end], _offsets(start, end))

    @classmethod
    def at(cls, text: str, offset: int) -> TText:
        """``text`` found at ``offset`` of the raw page."""
        return cls(text, _offsets(offset, offset + len(text)))

    @classmethod
    def plain(cls, text: str) -> TText:
        """A text that is its own raw page (for pure ``str -> str`` use of the repair steps)."""
        return cls(text, _offsets(0, len(text)))

    @classmethod
    def inserted(cls, text: str) -> TText:
        return cls(text)

    # -- the string side
    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"TText({self.text!r}, {len(self.edits)} edits)"

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    # -- slicing and joining
    def __getitem__(self, key: slice) -> TText:
        if not isinstance(key, slice):
            raise TypeError("TText supports slices only")
        i, j, _ = key.indices(len(self.text))
        j = max(i, j)
        last = j == len(self.text)
        edits = tuple((p - i, r) for p, r in self.edits if i <= p < j or (last and p == j))
        return TText(self.text[i:j], self.src[i:j], edits)

    def __add__(self, other: TText | str) -> TText:
        if isinstance(other, str):
            other = TText(other)
        n = len(self.text)
        return TText(
            self.text + other.text,
            self.src + other.src,
            self.edits + tuple((p + n, r) for p, r in other.edits),
        )

    @staticmethod
    def join(sep: str, parts: Iterable[TText]) -> TText:
        """Join tracked parts with an inserted separator."""
        texts: list[str] = []
        src = array(_TYPE)
        edits: list[tuple[int, Repair]] = []
        n = 0
        sep_src = _inserted(len(sep))
        for k, part in enumerate(parts):
            if k and sep:
                texts.append(sep)
                src += sep_src
                n += len(sep)
            texts.append(part.text)
            src += part.src
            if part.edits:
                edits.extend((p + n, r) for p, r in part.edits)
            n += len(part.text)
        return TText("".join(texts), src, tuple(edits))

    def trim(self, i: int, j: int) -> TText:
        """``self[i:j]`` keeping every edit (those outside move to the nearest end): for cutting
        off characters that are layout, never for splitting text into parts."""
        if (i, j) == (0, len(self.text)):
            return self
        edits = tuple((min(max(p, i), j) - i, r) for p, r in self.edits)
        return TText(self.text[i:j], self.src[i:j], edits)

    # -- whitespace (layout: not recorded)
    def strip(self) -> TText:
        t = self.text
        if not t or not (t[0].isspace() or t[-1].isspace()):
            return self  # nothing to strip (most texts): no copies made
        i = len(t) - len(t.lstrip())
        return self.trim(i, max(i, len(t.rstrip())))

    def lstrip(self) -> TText:
        t = self.text
        if not t or not t[0].isspace():
            return self
        return self.trim(len(t) - len(t.lstrip()), len(t))

    def rstrip(self) -> TText:
        t = self.text
        if not t or not t[-1].isspace():
            return self
        return self.trim(0, len(t.rstrip()))

    # -- accounting
    def repairs(self) -> list[Repair]:
        return [r for _, r in self.edits]


def as_tracked(text: str | TText) -> tuple[TText, bool]:
    """(tracked text, whether the caller gave a plain str)."""
    return (TText.plain(text), True) if isinstance(text, str) else (text, False)


def same_kind(result: TText, was_str: bool) -> str | TText:
    return result.text if was_str else result


def _repair(kind: str, t: TText, a: int, b: int, after: str) -> Repair:
    """A repair replacing ``t[a:b]`` with ``after``: the raw span and the removed characters."""
    if b - a == 1 and len(after) == 1:  # one character for another (most punctuation): nothing removed
        o = t.src[a]
        return (
            Repair(kind, o, o + 1, t.text[a], after, ())
            if o >= 0
            else Repair(kind, INSERTED, INSERTED, t.text[a], after, ())
        )
    real = [o for o in t.src[a:b] if o >= 0]
    removed = tuple(real[len(after) :]) if len(after) < b - a else ()
    start, end = (min(real), max(real) + 1) if real else (INSERTED, INSERTED)
    return Repair(kind, start, end, t.text[a:b], after, removed)


def sub(
    t: TText,
    pattern: re.Pattern[str],
    repl: str | Callable[[re.Match[str]], str],
    kind: str,
    *,
    record: bool = True,
) -> TText:
    """``pattern.sub(repl, t.text)`` on a tracked text.

    The replacement's characters take the offsets of the matched ones in order (extra ones are
    inserted, missing ones removed); each change is recorded as a repair of ``kind`` unless
    ``record`` is False (whitespace-only changes are layout and never recorded)."""
    text = t.text
    literal = repl if isinstance(repl, str) and "\\" not in repl else None  # no template to parse
    if literal is not None:
        spans = [m.span() for m in pattern.finditer(text)]  # one scan in C
        if not spans:
            return t  # most calls: nothing to change
        if all(b - a == len(literal) for a, b in spans):
            return _sub_in_place(t, spans, literal, kind, record)
    elif pattern.search(text) is None:  # most calls: nothing to change (one scan in C)
        return t
    parts: list[str] = []
    src = array(_TYPE)
    edits: list[tuple[int, Repair]] = []
    old = iter(sorted(t.edits, key=lambda e: e[0]))
    pending = next(old, None)
    last = 0
    n = 0  # length of the output so far

    def carry(upto: int, shift_to: int | None) -> None:
        """Move the edits before ``upto`` to the output (at ``shift_to`` when inside a match)."""
        nonlocal pending
        while pending is not None and pending[0] < upto:
            p, r = pending
            edits.append((shift_to if shift_to is not None else p - last + n, r))
            pending = next(old, None)

    for m in pattern.finditer(text):
        a, b = m.span()
        new = literal if literal is not None else repl(m) if callable(repl) else m.expand(repl)
        if new == text[a:b]:
            continue
        carry(a, None)
        parts.append(text[last:a])
        src += t.src[last:a]
        n += a - last
        last = a
        carry(b, n)
        if record and (text[a:b].strip() or new.strip()):
            edits.append((n, _repair(kind, t, a, b, new)))
        k = min(len(new), b - a)
        parts.append(new)
        src += t.src[a : a + k]
        if len(new) > k:
            src += _inserted(len(new) - k)
        n += len(new)
        last = b
    if last == 0 and not parts:
        return t
    carry(len(text) + 1, None)
    parts.append(text[last:])
    src += t.src[last:]
    return TText("".join(parts), src, tuple(edits))


def _sub_in_place(t: TText, spans: list[tuple[int, int]], literal: str, kind: str, record: bool) -> TText:
    """``sub`` where every match is replaced by a literal of its own length (``,`` → ``，``): no
    character moves, so the offsets stay as they are and each change is one new edit."""
    text = t.text
    parts: list[str] = []
    new_edits: list[tuple[int, Repair]] = []
    inside: dict[int, int] = {}  # an old edit inside a match moves to the match's start
    last = 0
    keep = record and bool(literal.strip())
    for a, b in spans:
        if text[a:b] == literal:
            continue
        parts.append(text[last:a])
        parts.append(literal)
        last = b
        for p in range(a + 1, b):
            inside[p] = a
        if keep or (record and text[a:b].strip()):
            new_edits.append((a, _repair(kind, t, a, b, literal)))
    if not parts:
        return t
    parts.append(text[last:])
    old = sorted(t.edits, key=lambda e: e[0])
    if inside:
        old = [(inside.get(p, p), r) for p, r in old]
    # old edits at a position come before the new one there (as ``sub`` orders them)
    edits = sorted(old + new_edits, key=lambda e: e[0]) if new_edits else old
    return TText("".join(parts), t.src[:], tuple(edits))


def delete(t: TText, a: int, b: int, kind: str) -> TText:
    """Remove ``t[a:b]`` and record it."""
    if a >= b:
        return t
    rep = _repair(kind, t, a, b, "")
    edits = [(p if p < a else max(a, p - (b - a)), r) for p, r in t.edits]
    edits.append((a, rep))
    return TText(t.text[:a] + t.text[b:], t.src[:a] + t.src[b:], tuple(edits))


def record(t: TText, kind: str, before: str, removed: Iterable[int], at: int = 0) -> TText:
    """Attach a repair for characters that are not in ``t`` any more (they were cut elsewhere)."""
    offs = tuple(o for o in removed if o >= 0)
    start, end = (min(offs), max(offs) + 1) if offs else (INSERTED, INSERTED)
    return TText(t.text, t.src, t.edits + ((at, Repair(kind, start, end, before, "", offs)),))
