"""The word lists of ``data/people_rules.toml``: surnames, post titles, where a name ends, which
posts are officials', organisation suffixes.  Read through :class:`common.datafiles.DataFile`
(re-read when the file changes, a bad edit keeps the last good lists and says why in Chinese);
read after parsing, so an edit re-parses nothing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pinghu_core.common.datafiles import DataFile

RULES_FILE = "people_rules.toml"
CJK = "\u4e00-\u9fff"


def _words(table: dict, key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f'[{where}] {key} 应是一列非空文字，如 ["书记", "市长"]')
    return tuple(dict.fromkeys(v.strip() for v in value))


def _chars(table: dict, key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"[{where}] {key} 应是一串字")
    return value


def _table(data: dict, name: str) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ValueError(f"[{name}] 应是一个表")
    return table


def _longest_first(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class Rules:
    """The lists of data/people_rules.toml (see the file's comments and docs/PEOPLE.md)."""

    version: str
    single_surnames: frozenset[str]
    compound_surnames: tuple[str, ...]
    not_names: frozenset[str]
    not_first: str
    not_inside: str
    titles: tuple[str, ...]
    cut_before: tuple[str, ...]
    collective: tuple[str, ...]
    carry_bodies: tuple[str, ...]
    titles_after: tuple[str, ...]
    end_chars: str
    end_words: tuple[str, ...]
    person_titles: tuple[str, ...]
    company_markers: tuple[str, ...]
    official_markers: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    jurisdictions: tuple[str, ...]
    not_before_jurisdiction: str
    org_inner_stop: tuple[str, ...]
    org_not_endings: tuple[str, ...]
    suffix_not_words: tuple[str, ...]
    org_min_chars: int = 3
    org_max_chars: int = 24

    @functools.cached_property
    def title_re(self) -> re.Pattern[str]:
        """A post title at the end of a run (``…市长$``)."""
        return re.compile(f"(?:{_longest_first(self.titles)})$")

    @functools.cached_property
    def titles_any_re(self) -> re.Pattern[str]:
        """Every post title in a text (longest first)."""
        return re.compile(_longest_first(self.titles))

    @functools.cached_property
    def title_start_re(self) -> re.Pattern[str]:
        """A post title (with 常务/副) at the start of a text."""
        return re.compile(f"(?:常务)?副?(?:{_longest_first(self.titles)})")

    @functools.cached_property
    def after_re(self) -> re.Pattern[str]:
        """A title written after the name (``习近平总书记``)."""
        return re.compile(f"副?(?:{_longest_first(self.titles_after)})")

    @functools.cached_property
    def org_re(self) -> re.Pattern[str]:
        """Every organisation suffix (longest first)."""
        return re.compile(_longest_first(self.org_suffixes))

    @functools.cached_property
    def org_inner_stop_re(self) -> re.Pattern[str]:
        """Any word of ``org_inner_stop`` (one search instead of a test per word)."""
        return re.compile(_longest_first(self.org_inner_stop) or r"(?!)")

    @functools.cached_property
    def cut_re(self) -> re.Pattern[str]:
        return re.compile(_longest_first(self.cut_before))

    @functools.cached_property
    def end_words_sorted(self) -> tuple[str, ...]:
        return tuple(sorted(self.end_words, key=len, reverse=True))

    def ends_name(self, text: str, at: int) -> bool:
        """Whether a name may end at ``at``: the end of the text, a boundary character or word."""
        if at >= len(text):
            return True
        ch = text[at]
        return ch in self.end_chars or not ("\u4e00" <= ch <= "\u9fff") or text.startswith(self.end_words, at)

    def surname_at(self, text: str, at: int) -> int:
        """Length of the surname starting at ``at`` (2 compound, 1 single, 0 none)."""
        if text.startswith(self.compound_surnames, at):
            return 2
        return 1 if at < len(text) and text[at] in self.single_surnames else 0

    def key(self) -> str:
        """The lists as a stable string (part of a stored result's key)."""
        return repr(
            [
                sorted(self.single_surnames),
                self.compound_surnames,
                sorted(self.not_names),
                self.not_first,
                self.not_inside,
                self.titles,
                self.cut_before,
                self.collective,
                self.carry_bodies,
                self.titles_after,
                self.end_chars,
                self.end_words,
                self.person_titles,
                self.company_markers,
                self.official_markers,
                self.org_suffixes,
                self.jurisdictions,
                self.not_before_jurisdiction,
                self.org_inner_stop,
                self.org_not_endings,
                self.suffix_not_words,
                self.org_min_chars,
                self.org_max_chars,
            ]
        )


def build_rules(data: dict) -> Rules:
    """The rules from the parsed TOML; a ValueError in Chinese says what is wrong."""
    names, posts, bounds, kinds, orgs = (
        _table(data, t) for t in ("names", "posts", "boundaries", "kinds", "organisations")
    )
    single = frozenset(c for c in _chars(names, "single_surnames", "names") if "\u4e00" <= c <= "\u9fff")
    if not single:
        raise ValueError("[names] single_surnames 至少要有一个姓")
    compound = _words(names, "compound_surnames", "names")
    bad = [s for s in compound if len(s) != 2]
    if bad:
        raise ValueError(f"[names] compound_surnames 里的 {'、'.join(bad)} 不是两个字的复姓")
    titles = _words(posts, "titles", "posts")
    if not titles:
        raise ValueError("[posts] titles 至少要有一个职务")
    lo, hi = orgs.get("min_chars", 3), orgs.get("max_chars", 24)
    if not (isinstance(lo, int) and isinstance(hi, int) and 2 <= lo <= hi <= 60):
        raise ValueError("[organisations] min_chars、max_chars 应是 2 到 60 之间的整数，且前者不大于后者")
    return Rules(
        version=str(data.get("version", "")),
        single_surnames=single,
        compound_surnames=compound,
        not_names=frozenset(_words(names, "not_names", "names")),
        not_first=_chars(names, "not_first", "names"),
        not_inside=_chars(names, "not_inside", "names"),
        titles=titles,
        cut_before=_words(posts, "cut_before", "posts"),
        collective=_words(posts, "collective", "posts"),
        carry_bodies=_words(posts, "carry_bodies", "posts"),
        titles_after=_words(posts, "titles_after", "posts"),
        end_chars=_chars(bounds, "chars", "boundaries"),
        end_words=_words(bounds, "words", "boundaries"),
        person_titles=_words(kinds, "person_titles", "kinds"),
        company_markers=_words(kinds, "company_markers", "kinds"),
        official_markers=_words(kinds, "official_markers", "kinds"),
        org_suffixes=_words(orgs, "suffixes", "organisations"),
        jurisdictions=_words(orgs, "jurisdictions", "organisations"),
        not_before_jurisdiction=_chars(orgs, "not_before_jurisdiction", "organisations"),
        org_inner_stop=_words(orgs, "inner_stop", "organisations"),
        org_not_endings=_words(orgs, "not_endings", "organisations"),
        suffix_not_words=_words(orgs, "suffix_not_words", "organisations"),
        org_min_chars=lo,
        org_max_chars=hi,
    )


# When the file was never readable: nothing is recognised (a page says why).
EMPTY = Rules(
    "", frozenset(), (), frozenset(), "", "", (), (), (), (), (), "", (), (), (), (), (), (), "", (), (), ()
)
FILE = DataFile(RULES_FILE, "人物识别规则", build_rules, EMPTY, parses=False)


def rules() -> Rules:
    """The rules of data/people_rules.toml (re-read when the file changes; a bad edit keeps the last good)."""
    return FILE.get()


def rules_problem() -> str:
    return FILE.problem()
