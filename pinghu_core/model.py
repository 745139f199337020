"""Plain data objects passed between the parsing stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Byline:
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    interns: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.reporters or self.correspondents or self.photographers or self.interns or self.authors)

    def merge(self, other: Byline) -> None:
        for name in ("reporters", "correspondents", "photographers", "interns", "authors"):
            mine = getattr(self, name)
            mine.extend(x for x in getattr(other, name) if x not in mine)


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


@dataclass
class PageParse:
    lines: list[str]
    items: list[Item]
    layout: str  # "clean" or "pdf"
    problems: list[str] = field(default_factory=list)

    @property
    def raw_chars(self) -> int:
        return sum(len(x) for x in self.lines) + max(len(self.lines) - 1, 0)


@dataclass
class DateResult:
    date: date | None
    source: str  # manifest, filename, inferred, unknown
    confidence: float
    evidence: str  # in Chinese, for people
