"""data/events.toml for the pages: the list in use and its problem in Chinese (the last good list
is kept while the file is malformed; a missing file is no events)."""

from __future__ import annotations

import functools

from pinghu_core.events import model as ev


@functools.cache  # one per process, never cleared: it keeps the last good list across edits
def event_store() -> ev.EventStore:
    return ev.EventStore()


def event_list() -> tuple[ev.EventList, str | None]:
    """(the events in use, the file's problem in Chinese or None); one stat per call."""
    try:
        events, error = event_store().get()
    except ev.EventFileError as exc:
        return ev.EMPTY, f"{exc.message_zh}。时间轴上暂不显示事件。"
    if error is not None:
        return events, f"{error.message_zh}。沿用上一次可用的事件列表。"
    return events, None


def event_digest(events: ev.EventList) -> str:
    """An event list in a cache key: its digest."""
    return events.digest
