"""What the 事件 page shows: the events and the changes made from the app, as tables with Chinese
headers (pure; the links are relative to the dashboard)."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from pinghu_core.events import model as ev
from pinghu_core.events import store

EVENT_COLUMNS = ("编号", "开始日期", "结束日期", "事件", "类别", "说明", "出处", "报道", "网址")


def article_link(article_id: str) -> str:
    """文章检索 with the article open (a relative link from any page of the dashboard)."""
    return "articles?" + urlencode({"article": article_id}) if article_id else ""


def events_table(events: ev.EventList) -> pd.DataFrame:
    """One row per event, by date; dates as dates (a date cell in Excel), links only where known."""
    rows = events.chosen()
    return pd.DataFrame(
        {
            "编号": [e.id for e in rows],
            "开始日期": [e.start for e in rows],
            "结束日期": [e.end for e in rows],
            "事件": [e.label for e in rows],
            "类别": [e.category for e in rows],
            "说明": [e.note for e in rows],
            "出处": [e.source for e in rows],
            "报道": [article_link(e.article) for e in rows],
            "网址": [e.link for e in rows],
        },
        columns=list(EVENT_COLUMNS),
    )


def _summary(event: dict | None) -> str:
    if not event:
        return ""
    when = event["start"] + (f" – {event['end']}" if event.get("end") else "")
    return f"{when} {event.get('label', '')}（{event.get('category', '')}）"


def changes_table(records: list[dict]) -> pd.DataFrame:
    """The change log (newest first) for people: when (UTC), who, what, the event before and after."""
    return pd.DataFrame(
        {
            "时间（UTC）": [r.get("time", "") for r in records],
            "编辑": [r.get("who", "") for r in records],
            "操作": [store.ACTIONS_ZH.get(r.get("action", ""), r.get("action", "")) for r in records],
            "编号": [r.get("id", "") for r in records],
            "修改前": [_summary(r.get("before")) for r in records],
            "修改后": [_summary(r.get("after")) for r in records],
        },
        columns=["时间（UTC）", "编辑", "操作", "编号", "修改前", "修改后"],
    )


def event_choices(events: ev.EventList) -> dict[str, str]:
    """event id → '2020年11月9日 · 标题（类别）' for the 修改 select box."""
    return {e.id: f"{e.when_zh()} · {e.label}（{e.category}）" for e in events.chosen()}


def events_in_zh(events: ev.EventList, first, last, limit: int = 6) -> str:
    """这一时期的事件：2020年11月9日 平湖入选…；… — the events touching ``first`` … ``last`` in one line
    ('' when none; at most ``limit`` named, then how many more)."""
    found = events.chosen(None, first, last)
    if not found:
        return ""
    named = "；".join(f"{e.when_zh()} {e.label}" for e in found[:limit])
    more = f"；另有 {len(found) - limit} 个" if len(found) > limit else ""
    return f"这一时期的事件：{named}{more}"
