"""The one way an editable file under ``data/`` is read (``themes.toml``, ``projects.toml``,
``places.toml``, and the parser's lists through :mod:`pinghu_core.common.datafiles`): an error
that names its line in Chinese, and a store that keeps the last good version of each file.

A loader raises a :class:`DictFileError` subclass (``message_zh``, 1-based ``line``, ``path``);
:class:`TomlLines` finds the line of a ``[[table]]`` entry or a ``key =`` for those messages;
:class:`LastGoodStore` re-reads a file when its stamp (mtime, size) changes and, when the new text
is malformed, keeps serving the last good version together with the error.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
E = TypeVar("E", bound="DictFileError")


class DictFileError(Exception):
    """A dictionary file cannot be used; ``message_zh`` says why, ``line`` where (1-based)."""

    def __init__(self, message_zh: str, line: int | None = None, path: Path | None = None):
        self.message_zh = message_zh
        self.line = line
        self.path = path
        super().__init__(message_zh)


class TomlLines:
    """Where things are in a TOML text, for messages: its ``[[table]]`` headers and ``key =`` lines.

    >>> lines = TomlLines('version = "1"\\n[[theme]]\\nid = "a"\\n[[theme]]\\nlabel = "b"\\n', "theme")
    >>> lines.key("version"), lines.entry(1), lines.key("id", 0), lines.key("id", 1)
    (1, 4, 3, 4)
    """

    def __init__(self, text: str, table: str):
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        self.lines = text.splitlines()
        self.headers = [i + 1 for i, line in enumerate(self.lines) if header.match(line)]

    def entry(self, index: int) -> int | None:
        """The header line of entry ``index`` (0-based)."""
        return self.headers[index] if index < len(self.headers) else None

    def key(self, key: str, index: int | None = None) -> int | None:
        """Line of ``key =`` inside entry ``index`` (at top level when index is None); the entry's
        header when the key is not written there."""
        if index is None:
            first, last = 1, (self.headers[0] - 1 if self.headers else len(self.lines))
        else:
            first = self.entry(index) or 1
            last = self.headers[index + 1] - 1 if index + 1 < len(self.headers) else len(self.lines)
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for n in range(first, last + 1):
            if pattern.match(self.lines[n - 1]):
                return n
        return None if index is None else self.entry(index)


def toml_syntax_error(exc: Exception, path: Path, text: str, what_zh: str, error: type[E]) -> E:
    """A ``tomllib.TOMLDecodeError`` as ``error`` naming the line and column in Chinese:
    ``主题词典 themes.toml 第3行第5列格式错误（TOML）：…`` (``what_zh`` names the file's kind)."""
    m = re.search(r"at line (\d+), column (\d+)", str(exc))
    line = int(m.group(1)) if m else len(text.splitlines()) or 1
    reason = re.sub(r"\s*\(at .*?\)\s*$", "", str(exc))
    where = f"第{line}行第{m.group(2)}列" if m else "文件末尾"
    return error(f"{what_zh} {path.name} {where}格式错误（TOML）：{reason}", line, path)


def stamp(path: Path) -> tuple[int, int] | None:
    """The file's (mtime in ns, size), None when it cannot be read: a cheap change test."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class LastGoodStore(Generic[T]):
    """Loads a dictionary file and keeps the last good version per path.

    ``get`` returns ``(value, None)`` normally and ``(last good value, error)`` when the file has
    become malformed; a file that was never good raises the error.  A file is read again only when
    its stamp changes — a broken file too, so asking again costs one stat, not one parse.
    """

    def __init__(
        self, load: Callable[[Path], T], default_path: Callable[[], Path], error: type[DictFileError]
    ):
        self._load, self._default_path, self._error = load, default_path, error
        self._good: dict[Path, T] = {}
        self._stamp: dict[Path, tuple[int, int] | None] = {}
        self._failed: dict[Path, tuple[tuple[int, int] | None, DictFileError]] = {}
        self._lock = threading.Lock()
        self._real: dict[Path, tuple[tuple[int, int], Path]] = {}  # given path → (file id, resolved)

    def _resolved(self, path: Path | str | None) -> Path:
        """``path`` (default: the store's) resolved — remembered per spelling while it names the same
        file (device and inode: one stat), as resolving costs a system call per folder."""
        given = Path(path) if path is not None else self._default_path()
        try:
            st = os.stat(given)
        except OSError:
            return given.resolve()
        known = self._real.get(given)
        if known is not None and known[0] == (st.st_dev, st.st_ino):
            return known[1]
        real = given.resolve()
        self._real[given] = ((st.st_dev, st.st_ino), real)
        return real

    def get(self, path: Path | str | None = None) -> tuple[T, DictFileError | None]:
        path = self._resolved(path)
        with self._lock:
            now = stamp(path)
            if now is not None and self._stamp.get(path) == now and path in self._good:
                return self._good[path], None
            failed = self._failed.get(path)
            if failed is not None and failed[0] == now:
                if path in self._good:
                    return self._good[path], failed[1]
                raise failed[1]
            try:
                loaded = self._load(path)
            except self._error as exc:
                self._failed[path] = (now, exc)
                if path in self._good:
                    return self._good[path], exc
                raise
            self._failed.pop(path, None)
            self._good[path] = loaded
            self._stamp[path] = now
            return loaded, None
