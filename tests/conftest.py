"""Shared fixtures: tmp copies of the sample corpus, env pointing at them, a fonts.conf for Chromium.

Tests never write into the repository: PINGHU_DATA_DIR and PINGHU_CACHE_DIR point at tmp folders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = ROOT / "data" / "corpus"
# The article-per-file shape: 10 articles of two sample pages as 20200722-01-01.txt … (make_article_corpus.py)
ARTICLE_CORPUS = ROOT / "tests" / "fixtures" / "article_corpus"
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots (gitignored)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # dashboard.py and pinghu_app/ live at the top level


def copy_corpus(dest: Path, source: Path = SAMPLE_CORPUS) -> Path:
    """A writable copy of ``source`` at ``dest`` (the sample files are read-only).

    Modification times are kept: a file modified seconds ago counts as still being written."""
    shutil.copytree(source, dest, copy_function=shutil.copy2)
    return dest


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Settings pointed at tmp: a copy of the sample corpus, an empty cache, one worker, the
    default file size limit and time budget; returns the corpus folder."""
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, folder, copy_function=shutil.copyfile)
    monkeypatch.setenv("PINGHU_DATA_DIR", str(folder))
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PINGHU_WORKERS", "1")
    monkeypatch.delenv("PINGHU_MAX_FILE_BYTES", raising=False)
    monkeypatch.delenv("PINGHU_PARSE_TIMEOUT", raising=False)
    return folder


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session-wide copy of data/corpus.  Do not modify it: use ``copy_corpus`` for that."""
    return copy_corpus(tmp_path_factory.mktemp("sample") / "corpus")


@pytest.fixture
def corpus_env(monkeypatch: pytest.MonkeyPatch, sample_corpus: Path, tmp_path: Path) -> Path:
    """Point the app at the sample corpus copy with a fresh cache folder; returns the corpus folder."""
    monkeypatch.setenv("PINGHU_DATA_DIR", str(sample_corpus))
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    return sample_corpus


def settled_copy(dest: Path, source: Path) -> Path:
    """A writable copy of ``source`` whose files were last modified a minute ago (not being written)."""
    shutil.copytree(source, dest)
    old = time.time() - 60
    for path in dest.rglob("*"):
        os.utime(path, (old, old))
    return dest


@pytest.fixture
def article_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the app at a copy of the article-shape fixture with a fresh cache; returns the corpus folder."""
    folder = settled_copy(tmp_path / "articles", ARTICLE_CORPUS)
    monkeypatch.setenv("PINGHU_DATA_DIR", str(folder))
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PINGHU_WORKERS", "1")
    monkeypatch.delenv("PINGHU_CORPUS_SHAPE", raising=False)
    return folder


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<!-- Written by tests/conftest.py: the system config plus the Noto Sans CJK from the noto-cjk package. -->
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{font_dir}</dir>
  <cachedir>{cache_dir}</cachedir>
</fontconfig>
"""


def outputs_under_hash_seeds(code: str, seeds: tuple[str, ...]) -> set[str]:
    """What ``python -c code`` prints in a fresh interpreter under each ``PYTHONHASHSEED`` (a set's
    order differs between them): one output means the printed value does not depend on it."""
    return {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in seeds
    }


def write_fonts_conf(dest_dir: Path) -> Path:
    """Write a fonts.conf that lets Debian's Chromium draw Chinese (it ships no CJK font).

    Pass the returned path as FONTCONFIG_FILE to the browser process.
    """
    import noto_cjk_sans_otc  # from the noto-cjk[sans] test dependency

    font_dir = Path(noto_cjk_sans_otc.__file__).resolve().parent
    dest_dir.mkdir(parents=True, exist_ok=True)
    conf = dest_dir / "fonts.conf"
    conf.write_text(FONTS_CONF.format(font_dir=font_dir, cache_dir=dest_dir / "fontcache"), encoding="utf-8")
    return conf


def hold(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, before=None) -> threading.Event:
    """Make ``owner.name`` (the work of a background build) wait until the returned event is set, so
    a test sees the build's progress bar; ``before(*args, **kwargs)`` runs first (to report progress)."""
    release = threading.Event()
    real = getattr(owner, name)

    def held(*args, **kwargs):
        if before is not None:
            before(*args, **kwargs)
        assert release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return release


def open_app_page(page: str, params: dict[str, str] | None = None):
    """Run dashboard.py in AppTest (with ``params`` as the URL's query), switch to ``page``, and
    fail on any exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """What a Markdown string shows on the page: the escapes ``safe_markdown.escape`` adds to outside
    text (a backslash before ASCII punctuation, a word joiner after : and @) undone, to assert on text."""
    import re as _re

    return _re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


# ---------------------------------------------------------------- markers

_SLOW_SIGNS = ("AppTest", "open_app_page", "subprocess", "start_streamlit", "pytest.mark.browser")
_slow_modules: dict[str, bool] = {}


def _is_slow_module(path: Path) -> bool:
    """A test module that runs the app (AppTest), a browser or a subprocess: all its tests are slow."""
    key = str(path)
    if key not in _slow_modules:
        text = path.read_text(encoding="utf-8") if path.suffix == ".py" else ""
        _slow_modules[key] = any(sign in text for sign in _SLOW_SIGNS)
    return _slow_modules[key]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test of a module that uses AppTest, a browser or a subprocess, so
    ``make test-fast`` (``-m "not slow"``) runs the unit and golden tests only."""
    for item in items:
        if _is_slow_module(Path(str(item.fspath))):
            item.add_marker(pytest.mark.slow)


def plotly_spec(text: str) -> dict:
    """A Plotly chart's JSON as Streamlit sends it, numpy arrays (sent as base64 typed arrays:
    ``{"dtype": "f8", "bdata": …}``) read back as lists, NaN as None (a gap)."""
    import base64
    import json

    import numpy as np

    def plain(node):
        if isinstance(node, dict):
            if set(node) >= {"dtype", "bdata"}:
                values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
                if "shape" in node:
                    values = values.reshape([int(n) for n in str(node["shape"]).split(",")])
                return [None if isinstance(v, float) and v != v else v for v in values.tolist()]
            return {k: plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node

    return plain(json.loads(text))
