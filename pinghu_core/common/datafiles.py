"""The editable lists the parser reads from ``data/`` (columns.toml, anniversaries.toml, …): each is
read by the one dictionary-file store (:mod:`pinghu_core.common.dictfile`) — re-read when it
changes, a malformed edit keeps the last good version and says why in Chinese —
and together with the parser version they key the parse cache (:func:`parser_key`), so editing a
list re-parses the corpus."""

from __future__ import annotations

import hashlib
import logging
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from pinghu_core.common import settings
from pinghu_core.common.dictfile import DictFileError, LastGoodStore
from pinghu_core.common.settings import DATA_DIR

log = logging.getLogger(__name__)
T = TypeVar("T")


class DataFileError(DictFileError):
    """A list under ``data/`` cannot be used; the message is Chinese and names the file."""


class DataFile(Generic[T]):
    """One TOML file under ``data/`` read by ``build`` (a dict → the lists), through the one
    :class:`dictfile.LastGoodStore`; never raises: a file never good gives ``empty``.

    ``parses``: the parser reads it, so its content keys the parse cache (:func:`parser_key`); a
    list read only after parsing (data/prominence.toml) is False: editing it re-parses nothing."""

    def __init__(
        self, name: str, label_zh: str, build: Callable[[dict], T], empty: T, *, parses: bool = True
    ) -> None:
        self.name, self.label_zh, self.build, self.empty = name, label_zh, build, empty
        self._store: LastGoodStore[tuple[T, str]] = LastGoodStore(self._load, self.path, DataFileError)
        self._logged: DictFileError | None = None
        (FILES if parses else AFTER_PARSE).append(self)

    def path(self) -> Path:
        return DATA_DIR / self.name

    def _load(self, path: Path) -> tuple[T, str]:
        try:
            data = path.read_bytes()
            return self.build(tomllib.loads(data.decode("utf-8-sig"))), hashlib.sha256(data).hexdigest()[:8]
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, TypeError, ValueError, KeyError) as exc:
            raise DataFileError(f"{self.label_zh}文件 {path.name} 无法读取（{exc}）", path=path) from exc

    def _current(self) -> tuple[T, str, str]:
        """(the lists, their digest, the problem in Chinese) — checked against the file's stamp on
        every call: a stat."""
        try:
            (value, digest), error = self._store.get()
        except DataFileError as exc:
            value, digest, error, kept = self.empty, "", exc, "暂不使用"
        else:
            kept = "沿用上一次可用的内容"
        if error is None:
            return value, digest, ""
        problem = f"{error.message_zh}，{kept}"
        if error is not self._logged:
            self._logged = error
            log.warning("%s", problem)
        return value, digest, problem

    def get(self) -> T:
        return self._current()[0]

    def problem(self) -> str:
        """Why the file could not be used ("" when it was)."""
        return self._current()[2]

    def digest(self) -> str:
        """A short hash of the content in use ("none" when there is none)."""
        return self._current()[1] or "none"


FILES: list[DataFile] = []  # the lists the parser reads
AFTER_PARSE: list[DataFile] = []  # lists read after parsing (not part of the parse cache's key)


def parser_key() -> str:
    """The parser version and the content of every list it parses with: a change of any re-parses."""
    return "-".join([settings.PARSER_VERSION, *(f.digest() for f in FILES)])
