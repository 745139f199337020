"""``data/people.toml``: the people and organisations the editors know — names, aliases, posts
with dates, organisations (``PINGHU_PEOPLE_FILE`` overrides the path).

Used to (a) count an alias under its standard name, (b) give a name printed without a post the
post it held on the article's date, (c) find the organisations listed there wherever they are
written.  A malformed file is explained in Chinese with its line; the last good version is kept
(:class:`common.dictfile.LastGoodStore`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pinghu_core.common import settings
from pinghu_core.common.dictfile import DictFileError, LastGoodStore, TomlLines, toml_syntax_error

PERSON_KINDS: tuple[str, ...] = ("official", "person")


class PeopleFileError(DictFileError):
    """The people file cannot be used; the message is Chinese and names the file and line."""


@dataclass(frozen=True)
class Post:
    post: str
    start: dt.date | None = None
    end: dt.date | None = None

    def holds_on(self, day: dt.date | None) -> bool:
        if day is None:
            return self.start is None and self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    name: str
    kind: str = "official"
    aliases: tuple[str, ...] = ()
    posts: tuple[Post, ...] = ()
    orgs: tuple[str, ...] = ()

    def post_on(self, day: dt.date | None) -> str:
        """The post held on ``day`` ('' when none of the posts' dates covers it)."""
        return next((p.post for p in self.posts if p.holds_on(day)), "")


@dataclass(frozen=True)
class Organisation:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Directory:
    version: str
    people: tuple[Person, ...] = ()
    organisations: tuple[Organisation, ...] = ()

    @functools.cached_property
    def person_of(self) -> dict[str, Person]:
        """Every written form (name or alias) → its person."""
        return {form: p for p in self.people for form in (p.name, *p.aliases)}

    @functools.cached_property
    def organisation_of(self) -> dict[str, Organisation]:
        return {form: o for o in self.organisations for form in (o.name, *o.aliases)}

    @functools.cached_property
    def person_re(self) -> re.Pattern[str] | None:
        return _alternation(self.person_of)

    @functools.cached_property
    def organisation_re(self) -> re.Pattern[str] | None:
        return _alternation(self.organisation_of)

    def digest(self) -> str:
        """A digest of the content as read (the same in every process)."""
        text = repr((self.version, self.people, self.organisations))
        return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


def _alternation(forms: dict) -> re.Pattern[str] | None:
    if not forms:
        return None
    return re.compile("|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f))))


EMPTY = Directory("")


def people_path() -> Path:
    """The configured people file (setting ``people_file``, ``PINGHU_PEOPLE_FILE``)."""
    return settings.get_settings().people_file


def _strings(value: object, what: str, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PeopleFileError(f"人物名录第{line}行：{what} 应该是一组非空文字", line)
    return tuple(v.strip() for v in value)


def _day(value: object, what: str, line: int | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PeopleFileError(f"人物名录第{line}行：{what} 应写成日期，如 2020-07-22（现在是 {value!r}）", line)


def _posts(entry: dict, name: str, line: int | None) -> tuple[Post, ...]:
    raw = entry.get("post", [])
    if not isinstance(raw, list):
        raise PeopleFileError(f"人物名录第{line}行：“{name}”的职务应写成 [[person.post]]", line)
    posts = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("post"), str) or not item["post"].strip():
            raise PeopleFileError(
                f"人物名录第{line}行：“{name}”的一个 [[person.post]] 缺少 post（职务）", line
            )
        start = _day(item.get("from"), f"“{name}”的职务“{item['post']}”的 from", line)
        end = _day(item.get("to"), f"“{name}”的职务“{item['post']}”的 to", line)
        if start and end and start > end:
            raise PeopleFileError(f"人物名录第{line}行：“{name}”的职务“{item['post']}”的 from 晚于 to", line)
        posts.append(Post(item["post"].strip(), start, end))
    return tuple(posts)


def _person(entry: object, index: int, lines: TomlLines) -> Person:
    line = lines.entry(index)
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        raise PeopleFileError(f"人物名录第{line}行：第 {index + 1} 个 [[person]] 缺少 name（姓名）", line)
    name = entry["name"].strip()
    kind = entry.get("kind", "official")
    if kind not in PERSON_KINDS:
        raise PeopleFileError(
            f"人物名录第{lines.key('kind', index)}行：“{name}”的 kind 应是 official（官员）或 person（人物）",
            line,
        )
    return Person(
        name,
        kind,
        _strings(entry.get("aliases", []), f"“{name}”的 aliases", lines.key("aliases", index)),
        _posts(entry, name, line),
        _strings(entry.get("orgs", []), f"“{name}”的 orgs", lines.key("orgs", index)),
    )


def _organisation(entry: object, index: int, lines: TomlLines) -> Organisation:
    line = lines.entry(index)
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        raise PeopleFileError(f"人物名录第{line}行：第 {index + 1} 个 [[organisation]] 缺少 name", line)
    name = entry["name"].strip()
    return Organisation(name, _strings(entry.get("aliases", []), f"“{name}”的 aliases", line))


def _check_unique(forms: list[tuple[str, str]], what: str) -> None:
    seen: dict[str, str] = {}
    for form, owner in forms:
        if form in seen and seen[form] != owner:
            raise PeopleFileError(f"人物名录里“{form}”同时属于{what}“{seen[form]}”和“{owner}”")
        seen[form] = owner


def parse_directory(text: str, path: Path | str = "people.toml") -> Directory:
    """The directory in ``text``; raises :class:`PeopleFileError` with a Chinese message and line."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(exc, path, text, "人物名录", PeopleFileError) from exc
    people_raw, orgs_raw = data.get("person", []), data.get("organisation", [])
    if not isinstance(people_raw, list) or not isinstance(orgs_raw, list):
        raise PeopleFileError(f"人物名录 {path.name} 里应写成 [[person]] 和 [[organisation]]")
    people = tuple(_person(e, i, TomlLines(text, "person")) for i, e in enumerate(people_raw))
    orgs = tuple(_organisation(e, i, TomlLines(text, "organisation")) for i, e in enumerate(orgs_raw))
    _check_unique([(f, p.name) for p in people for f in (p.name, *p.aliases)], "两个人")
    _check_unique([(f, o.name) for o in orgs for f in (o.name, *o.aliases)], "两个机构")
    return Directory(str(data.get("version", "")), people, orgs)


@functools.lru_cache(maxsize=4)
def _parse_cached(text: str, path: str) -> Directory:
    return parse_directory(text, path)


def load_directory(path: Path | str | None = None) -> Directory:
    """Read ``data/people.toml`` (or ``path``); cached per file content."""
    path = Path(path) if path is not None else people_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PeopleFileError(f"无法读取人物名录 {path}：{exc}", path=path) from exc
    return _parse_cached(text, str(path))


class DirectoryStore(LastGoodStore[Directory]):
    """Loads people files and keeps the last good one per path: a malformed edit keeps the
    directory of the version before it, with the error to show."""

    def __init__(self) -> None:
        super().__init__(load_directory, people_path, PeopleFileError)


STORE = DirectoryStore()


def current() -> tuple[Directory, str]:
    """(the configured directory — the last good one after a bad edit, empty when never good —,
    the problem in Chinese or '')."""
    try:
        directory, error = STORE.get()
    except PeopleFileError as exc:
        return EMPTY, f"{exc.message_zh}，暂不使用人物名录"
    return directory, (f"{error.message_zh}，沿用上一次可用的人物名录" if error else "")
