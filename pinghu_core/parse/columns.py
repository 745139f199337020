"""Column (栏目) labels: which bracketed title tails are labels, which columns are commentary.

The word lists live in ``data/columns.toml`` (editable); this module only reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pinghu_core.common.datafiles import DataFile

COLUMNS_FILE = "columns.toml"
_NUMBERING = re.compile(
    r"^(?:[0-9０-９]+|[一二三四五六七八九十百]+|之[一二三四五六七八九十]+|[①-⑳]|第.{1,3}[篇期部集])$"
)
_DATEISH = re.compile(r"\d{2,4}\s*[年月日—–-]")
_LABEL_CHARS = re.compile(r"^[\u3400-\u9fff·•・“”\"《》〈〉A-Za-z0-9０-９ ]+$")


@dataclass(frozen=True)
class Columns:
    version: str
    commentary: tuple[str, ...]
    commentary_endings: tuple[str, ...]
    not_labels: frozenset[str]
    max_chars: int


def build_columns(data: dict) -> Columns:
    labels = data.get("labels", {})
    return Columns(
        version=str(data.get("version", "")),
        commentary=tuple(data.get("commentary", {}).get("names", [])),
        commentary_endings=tuple(data.get("commentary", {}).get("endings", [])),
        not_labels=frozenset(labels.get("not_labels", [])),
        max_chars=int(labels.get("max_chars", 24)),
    )


EMPTY = Columns("", (), (), frozenset(), 24)
FILE = DataFile(COLUMNS_FILE, "栏目列表", build_columns, EMPTY)


def columns_path() -> Path:
    return FILE.path()


def columns() -> Columns:
    """The lists from data/columns.toml (re-read when the file changes)."""
    return FILE.get()


def columns_problem() -> str:
    """Why the column file could not be used ("" when it was)."""
    return FILE.problem()


def is_commentary(label: str) -> bool:
    """Does this 栏目 label name a commentary column (``今日谈``, ``人民论坛·70华诞``)?

    A label is one of the listed names, starts with one followed by ·, or its column's name ends
    with a listed ending (``金台锐评``, ``暖闻热评``: …评).

    >>> is_commentary("今日谈"), is_commentary("人民论坛·70华诞·倾听历史的回声"), is_commentary("健康焦点")
    (True, True, False)
    >>> is_commentary("暖闻热评"), is_commentary("国际时评·观潮"), is_commentary("评")
    (True, True, False)
    """
    label = label.strip()
    if not label:
        return False
    head = re.split(r"[·•・ ]", label, maxsplit=1)[0]
    cfg = columns()
    if label in cfg.commentary or head in cfg.commentary:
        return True
    return len(head) > 1 and any(head.endswith(e) and head != e for e in cfg.commentary_endings)


def is_label(text: str) -> bool:
    """Is a bracketed tail of a title a column label (not a document qualifier, number or date)?

    >>> is_label("今日谈"), is_label("来自疫情防控一线的报道"), is_label("草案"), is_label("2016—2020年"), is_label("二")
    (True, True, False, False, False)
    """
    t = text.strip()
    cfg = columns()
    if is_commentary(t):
        return True
    if len(t) < 2 or len(t) > cfg.max_chars or t in cfg.not_labels:
        return False
    if _NUMBERING.match(t) or _DATEISH.search(t) or not _LABEL_CHARS.match(t):
        return False
    return sum(1 for ch in t if "\u3400" <= ch <= "\u9fff") >= 2
