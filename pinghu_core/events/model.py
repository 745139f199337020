"""Events on the time axis: ``data/events.toml`` read, checked and written (issue 15).

An event is a day or a span of days that an analyst wants to see on every time chart — a
policy launch, an award, a meeting — with a label, a category (the charts toggle events by
category), an optional note, an optional web link and the article that reports it::

    version = "2026.1"

    [[event]]
    id = "wenming-2020"                 # optional: made from the date and the label when missing
    date = 2020-11-09                   # one day …
    label = "平湖入选第六届全国文明城市"
    category = "荣誉"
    note = "中央文明办公布第六届全国文明城市入选名单"
    article = "568594838ed2d8a8-01"      # optional: the article_id of the report in the corpus
    source = "嘉兴日报·平湖版 2020年11月10日《平湖入选第六届 全国文明城市名单》"
    link = "https://…"                  # optional: http(s) only

    [[event]]
    start = 2025-08-15                  # … or a span (both ends included)
    end = 2025-11-23
    label = "四大百日攻坚行动"
    category = "专项行动"

A malformed file raises :class:`EventFileError` whose Chinese message names the line
(:class:`EventStore` then keeps serving the last good version, as every editable file does);
:func:`dump_events` writes a list back as TOML that :func:`parse_events` reads to the same list.
Pure functions; no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pinghu_core.common import settings
from pinghu_core.common.dictfile import DictFileError, LastGoodStore, TomlLines, toml_syntax_error

KEYS = ("id", "date", "start", "end", "label", "category", "note", "article", "source", "link")
LABEL_MAX = 40  # characters: a label is drawn on the chart
TEXT_MAX = 500  # a note or source
DEFAULT_CATEGORY = "其他"
FIRST_YEAR = 1949  # the parser's own bound for page dates
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_LINK_RE = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class EventFileError(DictFileError):
    """The events file cannot be used; ``message_zh`` says why and ``line`` where."""


def _at(line: int | None) -> str:
    """第5行： before a message about the file; nothing for an event typed into a form."""
    return f"第{line}行：" if line else ""


@dataclass(frozen=True)
class Event:
    """One event: the day ``start`` (``end`` is None) or the days ``start`` … ``end``."""

    id: str
    start: dt.date
    end: dt.date | None
    label: str
    category: str = DEFAULT_CATEGORY
    note: str = ""
    article: str = ""
    source: str = ""
    link: str = ""

    @property
    def last(self) -> dt.date:
        """The last day of the event (``start`` for a one-day event)."""
        return self.end or self.start

    def overlaps(self, first: dt.date | None, last: dt.date | None) -> bool:
        """Whether the event touches the days ``first`` … ``last`` (None: open)."""
        return (first is None or self.last >= first) and (last is None or self.start <= last)

    def when_zh(self) -> str:
        """2020年11月9日, or 2025年8月15日 – 2025年11月23日."""
        day = f"{self.start.year}年{self.start.month}月{self.start.day}日"
        if self.end is None:
            return day
        return f"{day} – {self.end.year}年{self.end.month}月{self.end.day}日"


@dataclass(frozen=True)
class EventList:
    version: str
    events: tuple[Event, ...]
    digest: str = field(default="")

    def categories(self) -> list[str]:
        """The categories in the order they first appear."""
        return list(dict.fromkeys(e.category for e in self.events))

    def chosen(
        self,
        categories: Iterable[str] | None = None,
        first: dt.date | None = None,
        last: dt.date | None = None,
    ) -> tuple[Event, ...]:
        """The events of ``categories`` (None: all) that touch ``first`` … ``last``, by date."""
        wanted = None if categories is None else set(categories)
        out = [e for e in self.events if (wanted is None or e.category in wanted) and e.overlaps(first, last)]
        return tuple(sorted(out, key=lambda e: (e.start, e.last, e.id)))

    def get(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)


EMPTY = EventList("", (), "none")


def digest_of(version: str, events: Sequence[Event]) -> str:
    """A digest of the content (comments and layout do not change it)."""
    payload = json.dumps(
        [
            version,
            [
                [e.id, str(e.start), str(e.end), e.label, e.category, e.note, e.article, e.source, e.link]
                for e in events
            ],
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


NO_FILE = EventList("1", (), digest_of("1", ()))  # no events file yet: the first event written creates it


def make_id(start: dt.date, label: str) -> str:
    """An id for an event written without one: its date and a short hash of its label."""
    return f"{start:%Y%m%d}-{hashlib.sha1(label.encode('utf-8')).hexdigest()[:6]}"


# ---------------------------------------------------------------- reading


def _day(value: object, key: str, where: str, line: int | None, path: Path) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise EventFileError(
            f"{_at(line)}{where}的 {key} 应是日期，如 {key} = 2020-11-09（不加引号）", line, path
        )
    if not FIRST_YEAR <= value.year <= dt.date.today().year + 1:
        raise EventFileError(
            f"{_at(line)}{where}的 {key} = {value} 不在 {FIRST_YEAR} 年至明年之间", line, path
        )
    return value


def _text(
    entry: dict, key: str, where: str, line: int | None, path: Path, *, required: bool, limit: int
) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise EventFileError(f'{_at(line)}{where}的 {key} 应是字符串，如 {key} = "…"', line, path)
    value = " ".join(value.split())  # one line: labels and notes are drawn and shown in tables
    if _CONTROL_RE.search(value):
        raise EventFileError(f"{_at(line)}{where}的 {key} 含有控制字符", line, path)
    if required and not value:
        raise EventFileError(f"{_at(line)}{where}须有 {key}（不能为空）", line, path)
    if len(value) > limit:
        raise EventFileError(f"{_at(line)}{where}的 {key} 超过 {limit} 个字符", line, path)
    return value


def _event(entry: object, index: int, lines: TomlLines, path: Path, where: str = "") -> Event:
    """One ``[[event]]`` table → :class:`Event`, or an :class:`EventFileError` naming its line."""
    where = where or f"第{index + 1}个事件"
    head = lines.entry(index)
    if not isinstance(entry, dict):
        raise EventFileError(f"{_at(head)}{where}应是一个表 [[event]]", head, path)
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        line = lines.key(unknown[0], index)
        raise EventFileError(
            f"{_at(line)}{where}有不认识的键 {unknown[0]}（可用的键：{'、'.join(KEYS)}）", line, path
        )
    if "date" in entry and ("start" in entry or "end" in entry):
        line = lines.key("date", index)
        raise EventFileError(
            f"{_at(line)}{where}写 date（一天）或 start 与 end（一段时间），不能同时写", line, path
        )
    if "date" in entry:
        start, end = _day(entry["date"], "date", where, lines.key("date", index), path), None
    elif "start" in entry and "end" in entry:
        start = _day(entry["start"], "start", where, lines.key("start", index), path)
        end = _day(entry["end"], "end", where, lines.key("end", index), path)
        if end < start:
            line = lines.key("end", index)
            raise EventFileError(f"{_at(line)}{where}的 end（{end}）早于 start（{start}）", line, path)
        end = None if end == start else end
    else:
        raise EventFileError(
            f"{_at(head)}{where}须有日期：date = 2020-11-09，或 start = … 与 end = …", head, path
        )
    label = _text(entry, "label", where, lines.key("label", index), path, required=True, limit=LABEL_MAX)
    category = (
        _text(entry, "category", where, lines.key("category", index), path, required=False, limit=LABEL_MAX)
        or DEFAULT_CATEGORY
    )
    texts = {
        k: _text(entry, k, where, lines.key(k, index), path, required=False, limit=TEXT_MAX)
        for k in ("note", "article", "source", "link")
    }
    if texts["link"] and not _LINK_RE.match(texts["link"]):
        line = lines.key("link", index)
        raise EventFileError(f"{_at(line)}{where}的 link 须是 http:// 或 https:// 开头的网址", line, path)
    event_id = entry.get("id")
    if event_id is None:
        event_id = make_id(start, label)
    elif not isinstance(event_id, str) or not _ID_RE.match(event_id):
        line = lines.key("id", index)
        raise EventFileError(
            f'{_at(line)}{where}的 id 只能用英文字母、数字和 _ . -（最多 64 个字符），如 id = "wenming-2020"',
            line,
            path,
        )
    return Event(event_id, start, end, label, category, **texts)


def check_event(fields: dict) -> Event:
    """An event typed into a form (the keys of a ``[[event]]`` table; empty texts left out) checked
    by the same rules as the file; raises :class:`EventFileError` with a message without a line."""
    entry = {k: v for k, v in fields.items() if v not in (None, "")}
    return _event(entry, 0, TomlLines("", "event"), Path("events.toml"), where="事件")


def parse_events(text: str, path: Path | str = "events.toml") -> EventList:
    """TOML text → :class:`EventList` (see the module docstring); raises :class:`EventFileError`."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(exc, path, text, "事件文件", EventFileError) from None
    lines = TomlLines(text, "event")
    unknown = sorted(set(data) - {"version", "event"})
    if unknown:
        line = lines.key(unknown[0]) or 1
        raise EventFileError(
            f"{_at(line)}不认识的键 {unknown[0]}（顶层只有 version 和 [[event]]）", line, path
        )
    version = data.get("version", "")
    if not isinstance(version, str):
        line = lines.key("version") or 1
        raise EventFileError(f'{_at(line)}version 应是字符串，如 version = "2026.1"', line, path)
    entries = data.get("event", [])
    if not isinstance(entries, list):
        line = lines.key("event") or 1
        raise EventFileError(f"{_at(line)}事件应写成一个个 [[event]] 表", line, path)
    events: list[Event] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        event = _event(entry, index, lines, path)
        if event.id in seen:
            at = lines.key("id", index)
            raise EventFileError(
                f"{_at(at)}事件编号“{event.id}”重复（第{seen[event.id] + 1}个事件已用过）", at, path
            )
        seen[event.id] = index
        events.append(event)
    return EventList(version.strip(), tuple(events), digest_of(version.strip(), events))


def events_path() -> Path:
    """The events file in use: setting ``events_file`` (``$PINGHU_EVENTS_FILE``, default ``data/events.toml``)."""
    return settings.get_settings().events_file


def load_events(path: Path | str | None = None) -> EventList:
    """Read and check an events file (default :func:`events_path`); a missing file is an empty list."""
    path = Path(path) if path is not None else events_path()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return NO_FILE
    except UnicodeDecodeError as exc:
        raise EventFileError(f"事件文件 {path.name} 不是 UTF-8 编码：{exc}", None, path) from None
    except OSError as exc:
        raise EventFileError(f"事件文件 {path.name} 无法读取：{exc}", None, path) from None
    return parse_events(text, path)


class EventStore(LastGoodStore[EventList]):
    """Loads events files and keeps the last good one per path (:class:`dictfile.LastGoodStore`)."""

    def __init__(self) -> None:
        super().__init__(load_events, events_path, EventFileError)


# ---------------------------------------------------------------- writing


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML for the characters allowed in a field)."""
    return json.dumps(text, ensure_ascii=False)


def dump_event(event: Event) -> str:
    """One ``[[event]]`` table (empty optional fields left out)."""
    out = ["[[event]]", f"id = {_quoted(event.id)}"]
    if event.end is None:
        out.append(f"date = {event.start.isoformat()}")
    else:
        out += [f"start = {event.start.isoformat()}", f"end = {event.end.isoformat()}"]
    out += [f"label = {_quoted(event.label)}", f"category = {_quoted(event.category)}"]
    out += [
        f"{k} = {_quoted(getattr(event, k))}"
        for k in ("note", "article", "source", "link")
        if getattr(event, k)
    ]
    return "\n".join(out) + "\n"


HEADER = (
    "# 时间轴上的事件：每个 [[event]] 是一天（date）或一段时间（start 与 end，含两端）。\n"
    "# 键：id、date 或 start/end、label（必填，最多 40 字）、category、note、article（报道它的文章编号）、\n"
    "# source（出处）、link（http/https 网址）。说明见 docs/EVENTS.md。\n"
)


def dump_events(events: EventList, header: str = HEADER) -> str:
    """The whole file as TOML text; :func:`parse_events` reads it back to the same events."""
    body = "\n".join(dump_event(e) for e in events.events)
    return f"{header}\nversion = {_quoted(events.version)}\n" + (f"\n{body}" if body else "")


def with_event(events: EventList, event: Event) -> EventList:
    """The list with ``event`` added, or replacing the event with its id (keeps the order)."""
    kept = [event if e.id == event.id else e for e in events.events]
    if not any(e.id == event.id for e in events.events):
        kept.append(event)
    return replace(events, events=tuple(kept), digest=digest_of(events.version, kept))


def without_event(events: EventList, event_id: str) -> EventList:
    kept = [e for e in events.events if e.id != event_id]
    return replace(events, events=tuple(kept), digest=digest_of(events.version, kept))
