"""Plain data objects passed between the parsing stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple


@dataclass
class Byline:
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    interns: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.reporters or self.correspondents or self.photographers or self.interns or self.authors
        )

    def merge(self, other: Byline) -> None:
        for name in ("reporters", "correspondents", "photographers", "interns", "authors"):
            theirs = getattr(other, name)
            if theirs:  # most fields of most bylines are empty
                mine = getattr(self, name)
                mine.extend(x for x in theirs if x not in mine)


# Kinds of repair made to extracted text, with the words people read.
REPAIR_LABELS_ZH: dict[str, str] = {
    "hard_wrap": "合并硬换行",
    "undouble": "还原重复字（粗体重印）",
    "punctuation": "标点规范",
    "width": "全角转半角",
    "space": "删除多余空格",
    "markup": "删除排版标记",
    "duplicate": "删除抽取重复段",
    "continuation": "转版标记",
    "label": "栏目标记括号",
    "dash": "题内破折号",
}


class Repair(NamedTuple):
    """One change made to the extracted text.

    ``start``/``end`` are offsets into the raw page text (-1 when the text was inserted);
    ``before`` is the text as it was, ``after`` as it became; ``removed`` lists the raw offsets
    of the characters the change removed (they are in no field any more, and this record is
    where they are accounted for).

    Immutable and hashable; a named tuple rather than a frozen dataclass because a page makes
    tens of thousands of them (each comma, each hard wrap) and a frozen dataclass costs about
    four times as much to make."""

    kind: str
    start: int
    end: int
    before: str
    after: str
    removed: tuple[int, ...] = ()


@dataclass
class Item:
    """One thing printed on a page: an article, a photo, an ad, the weather …"""

    kind: str
    lines: list[int]  # 0-based indices of the raw lines this item owns
    kicker: str = ""
    title: str = ""
    subtitle: str = ""
    column_name: str = ""
    byline: Byline = field(default_factory=Byline)
    byline_inferred: bool = False
    body: str = ""
    continued: bool = False
    duplicates_dropped: int = 0
    order: int = 0
    byline_text: str = ""  # the byline lines as printed
    confidence: float = 1.0  # how sure the parser is of this item's boundaries and parts
    doubts: list[str] = field(default_factory=list)  # why it is unsure, in Chinese
    sources: dict = field(default_factory=dict, repr=False)  # field name → TText (provenance, repairs)


@dataclass
class PageParse:
    lines: list[str]
    items: list[Item]
    layout: str  # "clean" or "pdf"
    problems: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)

    @property
    def raw_chars(self) -> int:
        return sum(len(x) for x in self.lines) + max(len(self.lines) - 1, 0)


@dataclass
class DateResult:
    date: date | None
    source: str  # manifest, filename, inferred, unknown
    confidence: float
    evidence: str  # in Chinese, for people
    problems: tuple[str, ...] = ()  # e.g. a date outside 1949…today+1 that was ignored, in Chinese
    day_clue: str = ""  # inferred: the month and day the text gives and the lag, "10-01+1" (year aside)
