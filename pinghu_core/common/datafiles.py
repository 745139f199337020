"""The editable lists the parser reads from ``data/`` (columns.toml, anniversaries.toml): each is
re-read when it changes, a malformed edit keeps the last good version and says why in Chinese,
and together with the parser version they key the parse cache (:func:`parser_key`), so editing a
list re-parses the corpus."""

from __future__ import annotations

import hashlib
import logging
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from pinghu_core.common import settings
from pinghu_core.common.settings import DATA_DIR

log = logging.getLogger(__name__)
T = TypeVar("T")


class DataFile(Generic[T]):
    """One TOML file under ``data/`` read by ``build`` (a dict → the lists)."""

    def __init__(self, name: str, label_zh: str, build: Callable[[dict], T], empty: T) -> None:
        self.name, self.label_zh, self.build, self.empty = name, label_zh, build, empty
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None | str = "unread"
        self._good: T | None = None
        self._digest = ""
        self._problem = ""
        FILES.append(self)

    def path(self) -> Path:
        return DATA_DIR / self.name

    def get(self) -> T:
        """The lists (checked against the file's mtime and size on every call: a stat)."""
        path = self.path()
        try:
            st = path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp == self._stamp:
                return self._good if self._good is not None else self.empty
            self._stamp = stamp
            try:
                data = path.read_bytes()
                loaded = self.build(tomllib.loads(data.decode("utf-8-sig")))
            except (
                OSError,
                UnicodeDecodeError,
                tomllib.TOMLDecodeError,
                TypeError,
                ValueError,
                KeyError,
            ) as exc:
                kept = "沿用上一次可用的内容" if self._good is not None else "暂不使用"
                self._problem = f"{self.label_zh}文件 {path.name} 无法读取（{exc}），{kept}"
                log.warning("%s", self._problem)
                return self._good if self._good is not None else self.empty
            self._good, self._problem = loaded, ""
            self._digest = hashlib.sha256(data).hexdigest()[:8]
            return loaded

    def problem(self) -> str:
        """Why the file could not be used ("" when it was)."""
        self.get()
        return self._problem

    def digest(self) -> str:
        """A short hash of the content in use ("none" when there is none)."""
        self.get()
        return self._digest or "none"


FILES: list[DataFile] = []


def parser_key() -> str:
    """The parser version and the content of every list it parses with: a change of any re-parses."""
    return "-".join([settings.PARSER_VERSION, *(f.digest() for f in FILES)])
