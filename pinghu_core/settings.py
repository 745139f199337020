"""Paths and settings, each with a default that works on a laptop and an environment override."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

# Bump when the parser's output changes: cached frames from another version are re-parsed.
PARSER_VERSION = "5"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else default


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = field(default_factory=lambda: _env_path("PINGHU_DATA_DIR", DATA_DIR / "corpus"))
    cache_dir: Path = field(default_factory=lambda: _env_path("PINGHU_CACHE_DIR", PROJECT_ROOT / ".cache"))
    max_file_bytes: int = field(default_factory=lambda: int(os.environ.get("PINGHU_MAX_FILE_BYTES", 5_000_000)))
    workers: int = field(default_factory=lambda: int(os.environ.get("PINGHU_WORKERS", os.cpu_count() or 1)))

    @property
    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.csv"


def get_settings() -> Settings:
    return Settings()


APP_VERSION = __version__
