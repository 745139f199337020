"""Changing ``data/events.toml`` from the app: one event added, edited or deleted at a time,
checked by the file's own rules, written atomically, and versioned with who and when.

* **Checked**: the new event goes through :func:`model.check_event`, the whole new list through
  :func:`model.parse_events` (what is written is exactly what will be read back).
* **Atomic**: the new text goes to a temporary file in the same folder, is flushed to disk and
  renamed over the old file, so a reader sees the old file or the new one, never half of one.
  Writers take an exclusive lock on ``<file>.lock`` for the read–check–write.
* **No lost update**: a change names the digest of the list the editor was looking at; when the
  file changed since (another editor, a hand edit), the change is refused with
  :class:`EventConflict` and nothing is written.  A file that is malformed right now is never
  overwritten from the app (its author is probably still editing it).
* **Versioned**: before each write the previous file is copied to
  ``<folder>/events-history/<UTC time>.toml`` and one JSON line is appended to
  ``events-history/changes.jsonl``: when (UTC), who, what (add / edit / delete), the event before
  and after, and both digests.  Restoring a version is copying its file back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pinghu_core.events import model as ev

ADD, EDIT, DELETE = "add", "edit", "delete"
ACTIONS_ZH = {ADD: "新增", EDIT: "修改", DELETE: "删除"}
HISTORY_DIR = "events-history"
LOG_NAME = "changes.jsonl"


class EventConflict(ev.EventFileError):
    """The file changed since the editor loaded it: nothing was written."""


def history_dir(path: Path) -> Path:
    return path.parent / HISTORY_DIR


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = path.with_name(path.name + ".lock")
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _event_json(event: ev.Event | None) -> dict | None:
    if event is None:
        return None
    data = dataclasses.asdict(event)
    data["start"] = event.start.isoformat()
    data["end"] = event.end.isoformat() if event.end else None
    return data


def _current(path: Path) -> tuple[ev.EventList, str | None]:
    """(the list in the file now, its text or None when there is no file); raises EventFileError."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return ev.NO_FILE, None
    except (OSError, UnicodeDecodeError) as exc:
        raise ev.EventFileError(f"事件文件 {path.name} 无法读取：{exc}", None, path) from None
    return ev.parse_events(text, path), text


def change(
    path: Path,
    action: str,
    *,
    who: str,
    expected_digest: str,
    event: ev.Event | None = None,
    event_id: str = "",
    now: dt.datetime | None = None,
) -> ev.EventList:
    """Apply one change (``ADD`` or ``EDIT`` an ``event``, ``DELETE`` the event ``event_id``) to the
    file at ``path`` and return the new list.  ``expected_digest``: the digest of the list the
    editor saw.  Raises :class:`EventConflict` (changed since), ``EventFileError`` (the file is
    malformed now, an added id exists, an edited or deleted id does not)."""
    if action not in ACTIONS_ZH:
        raise ValueError(action)
    now = now or dt.datetime.now(dt.UTC)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        try:
            current, old_text = _current(path)
        except ev.EventFileError as exc:
            raise ev.EventFileError(
                f"事件文件现在有错误，看板不会覆盖它，请先修正文件：{exc.message_zh}", exc.line, path
            ) from None
        if current.digest != expected_digest:
            raise EventConflict(
                "事件文件在你打开之后被修改过（其他编辑或手工修改），请刷新后再改。", None, path
            )
        target = event.id if event is not None else event_id
        before = current.get(target)
        if action == ADD and before is not None:
            raise ev.EventFileError(f"已有编号为“{target}”的事件，请换一个编号或改为修改。", None, path)
        if action in (EDIT, DELETE) and before is None:
            raise ev.EventFileError(f"找不到编号为“{target}”的事件（可能已被删除）。", None, path)
        if action == DELETE:
            new = ev.without_event(current, target)
            after = None
        else:
            assert event is not None
            new, after = ev.with_event(current, event), event
        text = ev.dump_events(new)
        new = ev.parse_events(text, path)  # what is written is what will be read
        history = history_dir(path)
        history.mkdir(exist_ok=True)
        stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")
        if old_text is not None:
            (history / f"{stamp}.toml").write_text(old_text, encoding="utf-8")
        _write_atomically(path, text)
        record = {
            "time": now.isoformat(timespec="seconds"),
            "who": who,
            "action": action,
            "id": target,
            "before": _event_json(before),
            "after": _event_json(after),
            "digest_before": current.digest,
            "digest_after": new.digest,
            "previous_file": f"{stamp}.toml" if old_text is not None else None,
        }
        with (history / LOG_NAME).open("a", encoding="utf-8") as log:
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
    return new


def changes(path: Path, limit: int = 50) -> list[dict]:
    """The latest changes made from the app, newest first (a line that cannot be read is skipped)."""
    log = history_dir(path) / LOG_NAME
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for line in reversed(lines):
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
        if len(out) >= limit:
            break
    return out
