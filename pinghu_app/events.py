"""data/events.toml for the pages: the list in use and its problem in Chinese (the last good list
is kept while the file is malformed; a missing file is no events)."""

from __future__ import annotations

import dataclasses
import functools

from pinghu_core.events import model as ev
from pinghu_core.events import store


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


def who_label(email: str | None) -> str:
    """Who made a change, for the change log: the signed-in address, or 本机 on a laptop."""
    return email or "本机"


def submit(
    action: str, fields: dict, *, event_id: str = "", expected_digest: str, who: str
) -> tuple[bool, str]:
    """Apply one change typed into the 事件 page's form: (done, a message in Chinese)."""
    path = ev.events_path()
    try:
        event = ev.check_event(fields) if action != store.DELETE else None
        if event is not None and action == store.EDIT and event.id != event_id:
            event = dataclasses.replace(event, id=event_id)  # the id of an edited event never changes
        new = store.change(
            path, action, who=who, expected_digest=expected_digest, event=event, event_id=event_id
        )
    except ev.EventFileError as exc:
        return False, exc.message_zh
    except OSError as exc:
        return False, f"无法写入事件文件 {path}：{exc}"
    target = event.label if event is not None else str(fields.get("label") or event_id)  # deleted: its label
    return (
        True,
        f"已{store.ACTIONS_ZH[action]}事件“{target}”（现有 {len(new.events)} 个事件）。各页面的时间图随即更新。",
    )


def form_fields(
    span: bool,
    days,
    label: str,
    category: str,
    note: str,
    article: str,
    source: str,
    link: str,
    event_id: str,
) -> dict:
    """The 事件 form's values as the keys of an ``[[event]]`` table (``days``: one date, or the
    date box's pair for a span; a half-chosen pair is one day)."""
    fields: dict = {
        "label": label,
        "category": category,
        "note": note,
        "article": article,
        "source": source,
        "link": link,
    }
    if event_id:
        fields["id"] = event_id.strip()
    if span and isinstance(days, (tuple, list)) and len(days) == 2:
        fields["start"], fields["end"] = days
    elif span and isinstance(days, (tuple, list)) and days:
        fields["date"] = days[0]
    else:
        fields["date"] = days
    return fields
