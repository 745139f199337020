"""What a brief is made of: sections of sentences; a sentence is text, numbers and names, and the
articles it rests on.

A sentence is a tuple of segments — our own wording (``str``, never a digit), a :class:`Num` (a
number with what it counts, as printed) or a :class:`Name` (text from the data shown as written: a
headline, a theme, a slogan, a place, a date) — so every number printed can be traced: its value,
what it counts, and for a share its numerator and denominator (printed in the same sentence).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Num:
    """A number as printed (``text``), its value and what it counts (``counts``, in Chinese).  A
    share (``value`` a fraction, printed as a percentage) names its numerator and denominator."""

    value: float
    text: str
    counts: str
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Name:
    """Text from the data, shown as written (made safe by each renderer)."""

    text: str


Segment = str | Num | Name


@dataclass(frozen=True)
class Citation:
    """An article a sentence rests on: its id (the app opens it), date, headline and where it stood."""

    article_id: str
    date: dt.date | None
    headline: str
    page: str = ""  # 头条, 头版第3篇, 第02版第1篇 (search.view.prominence_zh)


@dataclass(frozen=True)
class Sentence:
    segments: tuple[Segment, ...]
    citations: tuple[Citation, ...] = ()

    @property
    def text(self) -> str:
        return "".join(s if isinstance(s, str) else s.text for s in self.segments)

    @property
    def numbers(self) -> tuple[Num, ...]:
        return tuple(s for s in self.segments if isinstance(s, Num))


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Brief:
    """A drafted brief: title, the period and the one compared with, sections, the charts' data,
    the 方法与来源 rows and every article cited (by date)."""

    title: str
    period_label: str
    previous_label: str
    period_code: str
    sections: tuple[Section, ...]
    method: tuple[tuple[str, str], ...]
    citations: tuple[Citation, ...]
    has_pages: bool
    # charts' data: theme shares of both periods (label, later_share, earlier_share); articles a day
    theme_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    daily: pd.DataFrame = field(default_factory=pd.DataFrame)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


# ---------------------------------------------------------------- numbers as printed


def count(value: float, counts: str) -> Num:
    """A whole number: 1,234."""
    return Num(float(value), f"{int(value):,}", counts)


def share(numerator: float, denominator: float, counts: str) -> Num:
    """numerator / denominator as a percentage with one decimal: 12.3%."""
    value = numerator / denominator if denominator else math.nan
    places = 2 if 0 < value < 0.001 else 1  # 1/2,162 is 0.05%, not 0.0%
    text = "—" if math.isnan(value) else f"{value * 100:.{places}f}%"
    return Num(value, text, counts, float(numerator), float(denominator))


def decimal(value: float, counts: str, places: int = 1) -> Num:
    return Num(float(value), f"{value:,.{places}f}", counts)


def wan_chars(value: float, counts: str) -> Num:
    """A count of characters, in 万 from ten thousand: 12.3万."""
    if abs(value) >= 1e4:
        return Num(float(value), f"{value / 1e4:.1f}万", counts)
    return count(value, counts)


def printed_value(num: Num) -> float:
    """The value the printed text says (to check it against ``num.value``)."""
    text = num.text.replace(",", "")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    if text.endswith("万"):
        return float(text[:-1]) * 1e4
    return float(text)


def tolerance(num: Num) -> float:
    """How far :func:`printed_value` may be from the value by rounding alone."""
    text = num.text.replace(",", "").rstrip("%万")
    places = len(text.partition(".")[2])
    scale = 0.01 if num.text.endswith("%") else 1e4 if num.text.endswith("万") else 1.0
    return 0.5 * 10**-places * scale + 1e-9


def date_name(value: object) -> Name:
    ts = pd.Timestamp(value) if value is not None else pd.NaT
    return Name("日期不详" if pd.isna(ts) else f"{ts.month}月{ts.day}日")


def full_date_name(value: object) -> Name:
    ts = pd.Timestamp(value) if value is not None else pd.NaT
    return Name("日期不详" if pd.isna(ts) else f"{ts.year}年{ts.month}月{ts.day}日")


# ---------------------------------------------------------------- text from outside, made safe

_ILLEGAL = str.maketrans(
    {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF]}
)


def clean(text: object) -> str:
    """One line of text any document can hold: characters XML 1.0 forbids (control characters,
    lone surrogates, U+FFFE/U+FFFF) dropped, line breaks and tabs made spaces, runs of spaces one.

    >>> clean("头条\\x00标题\\n# 二级\\t标题\\ud800")
    '头条标题 # 二级 标题'
    """
    out = str(text if text is not None else "").translate(_ILLEGAL)
    out = "".join(c for c in out if not 0xD800 <= ord(c) <= 0xDFFF)
    return " ".join(out.split())


def citation_numbers(brief: Brief) -> dict[str, int]:
    """Article id → its number in the brief's list of cited articles (1, 2, …)."""
    return {c.article_id: i for i, c in enumerate(brief.citations, start=1)}


def citation_date(c: Citation) -> str:
    return f"{c.date.year}年{c.date.month}月{c.date.day}日" if c.date else "日期不详"
