"""The full-text query of the 文章检索 page and ``pinghu export``: parse, describe in Chinese, normalise.

Syntax (docs/SEARCH.md):

- a space means AND: ``项目 投资`` — both words;
- ``|`` means OR and binds tighter than the space: ``项目 投资|融资`` is 项目 AND (投资 OR 融资);
  spaces around ``|`` are allowed (``投资 | 融资``);
- ``-`` before a word or group excludes it: ``-疫情``, ``-疫情|新冠`` (neither word);
- ``"长三角 一体化"`` is one exact piece of text, spaces and symbols included.

Curly quotes (“” ‘’), corner brackets (「」『』) and straight quotes are the same quote; full-width
and half-width characters are the same (``＂｜－`` and the ideographic space).  Text and query
are both compared after :func:`normalise`: NFKC per character where it keeps one character, and
Latin letters lower-cased — so a position in the normalised text is the same position in the
original, which the snippets and the reader rely on.

A query that cannot be read raises :class:`QueryError` with a Chinese message.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import numpy as np

QUOTES = '"“”‘’「」『』＂'
OR, NOT = "|", "-"
MAX_QUERY_CHARS = 500


class QueryError(ValueError):
    """A query that cannot be read; ``str(exc)`` is a Chinese message saying what to fix."""


@dataclass(frozen=True)
class Clause:
    """Alternatives joined by ``|``; a negated clause excludes every one of them."""

    terms: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...] = ()

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)

    @property
    def hit_terms(self) -> tuple[str, ...]:
        """Terms to mark in a text (those of the positive clauses), longest first, no repeats."""
        terms = {t for c in self.positive for t in c.terms}
        return tuple(sorted(terms, key=lambda t: (-len(t), t)))

    def __bool__(self) -> bool:
        return bool(self.clauses)


# ---------------------------------------------------------------- normalisation


@functools.cache
def _table() -> dict[int, str]:
    """Character → its NFKC, lower-cased form, for every BMP character where that is one other character."""
    table: dict[int, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        c = chr(code)
        n = unicodedata.normalize("NFKC", c).lower()
        if len(n) == 1 and n != c:
            table[code] = n
    return table


@functools.cache
def _lookup() -> np.ndarray:
    """:func:`_table` as an array over every code point (the identity where the table has nothing)."""
    lut = np.arange(0x110000, dtype=np.uint32)
    for code, c in _table().items():
        lut[code] = ord(c)
    return lut


# Texts at least this long are mapped as an array of code points (one table lookup per character in
# numpy: ~20× faster than ``str.translate`` over a mapping, which looks up every character in a dict);
# shorter ones, where the array's set-up costs more than it saves, with ``str.translate``.
ARRAY_CHARS = 200


def normalise(text: str) -> str:
    """Full-width → half-width, compatibility forms → standard (NFKC), Latin lower-cased; same length as ``text``."""
    if len(text) < ARRAY_CHARS:
        return text.translate(_table())
    # UTF-32 holds one code point per unit, so the lookup maps characters one to one (a lone
    # surrogate, which a parsed text can hold, passes through unchanged as it does in translate).
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return _lookup()[points].astype("<u4", copy=False).tobytes().decode("utf-32-le", "surrogatepass")


# ---------------------------------------------------------------- parsing


def _read_phrase(text: str, i: int) -> tuple[str, int]:
    """The quoted text starting after the quote at ``i`` and the index after its closing quote."""
    end = text.find('"', i + 1)
    if end < 0:
        raise QueryError(f"引号没有配对：{text[i:]!s} 缺少后引号")
    phrase = text[i + 1 : end]
    if not phrase.strip():
        raise QueryError("引号里没有内容：请在引号中写上要查找的词句")
    return phrase, end + 1


def _tokens(text: str) -> list[tuple[str, str]]:
    """('space'|'or'|'not'|'term', text) in order; quotes already unified to '"'."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            out.append(("space", ""))
            i += 1
        elif c == OR:
            out.append(("or", c))
            i += 1
        elif c == NOT and (not out or out[-1][0] in ("space", "or")):
            out.append(("not", c))
            i += 1
        elif c == '"':
            phrase, i = _read_phrase(text, i)
            out.append(("term", phrase))
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in (OR, '"'):
                j += 1
            out.append(("term", text[i:j]))
            i = j
    return out


def _groups(tokens: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Tokens split at spaces, except that spaces next to ``|`` do not split."""
    groups: list[list[tuple[str, str]]] = [[]]
    for n, (kind, value) in enumerate(tokens):
        if kind != "space":
            groups[-1].append((kind, value))
            continue
        before = groups[-1][-1][0] if groups[-1] else ""
        after = next((k for k, _ in tokens[n + 1 :] if k != "space"), "")
        if before == "or" or after == "or" or not groups[-1]:
            continue
        groups.append([])
    return [g for g in groups if g]


def _clause(group: list[tuple[str, str]]) -> Clause:
    negated = group[0][0] == "not"
    body = group[1:] if negated else group
    if not body:
        raise QueryError("“-”后面缺少要排除的词：写成 -疫情（减号和词之间不空格）")
    terms: list[str] = []
    expect_term = True
    for kind, value in body:
        if kind == "not":
            raise QueryError("“-”只能写在一组词的最前面：-疫情|新冠 表示两个词都不含")
        if kind == "or":
            if expect_term:
                raise QueryError("“|”两边都需要有词：写成 投资|融资")
            expect_term = True
        elif expect_term:
            terms.append(value)
            expect_term = False
        else:  # two terms touching, e.g. 投资"融资": one term
            terms[-1] += value
    if expect_term:
        raise QueryError("“|”两边都需要有词：写成 投资|融资")
    return Clause(tuple(dict.fromkeys(terms)), negated)


def unify(text: str) -> str:
    """The query with every kind of quote made '"' and normalised like the text (:func:`normalise`)."""
    return normalise(text).translate({ord(q): '"' for q in QUOTES})


def parse(text: str) -> Query:
    """The query in ``text``; an empty or blank text is the empty query.  Raises :class:`QueryError`."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"检索式太长（{len(text)} 个字符），最多 {MAX_QUERY_CHARS} 个字符")
    clauses = tuple(_clause(g) for g in _groups(_tokens(unify(text))))
    return Query(tuple(dict.fromkeys(clauses)))


def try_parse(text: str) -> tuple[Query, str]:
    """(query, '') or (empty query, Chinese message): for callers that must never raise."""
    try:
        return parse(text), ""
    except QueryError as exc:
        return Query(), str(exc)


# ---------------------------------------------------------------- in Chinese


def _quoted(term: str) -> str:
    return f"“{term}”"


def _alternatives(clause: Clause) -> str:
    words = "或".join(_quoted(t) for t in clause.terms)
    return f"（{words}）" if len(clause.terms) > 1 else words


def describe(query: Query) -> str:
    """The query in plain Chinese: 包含“项目”且包含（“投资”或“融资”），不含“疫情”."""
    if not query:
        return "未输入检索词：不按文字筛选"
    parts = []
    if query.positive:
        parts.append("且".join(f"包含{_alternatives(c)}" for c in query.positive))
    for c in query.negative:
        if len(c.terms) == 1:
            parts.append(f"不含{_quoted(c.terms[0])}")
        else:
            parts.append(f"不含{'、'.join(_quoted(t) for t in c.terms)}中的任何一个")
    return "，".join(parts)
