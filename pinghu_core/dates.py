"""TEMPORARY placeholder: the real date logic is being written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import DateResult


@dataclass(frozen=True)
class ManifestEntry:
    date: date | None
    page: str = ""
    edition: str = ""


def page_date(path: str, text: str, manifest_entry: ManifestEntry | None = None) -> DateResult:
    if manifest_entry and manifest_entry.date:
        return DateResult(manifest_entry.date, "manifest", 1.0, "清单文件")
    return DateResult(None, "unknown", 0.0, "")
