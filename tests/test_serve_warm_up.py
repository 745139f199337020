"""serve.py (the hosted server) imports the dashboard's modules when it starts, before any visit."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

from conftest import ROOT, SAMPLE_CORPUS

PROBE = """
import json, sys
import serve
assert "pinghu_app.words" not in sys.modules and "pyarrow" not in sys.modules  # not at import
assert not any(m in sys.modules for m in serve.DRAWN_LATER)
seconds = serve.import_dashboard_modules()
import pyarrow as pa
print(json.dumps({
    "seconds": seconds,
    "modules": sorted(m for m in sys.modules if m == "dashboard" or m.startswith("pinghu_app.")),
    "drawing": [m in sys.modules for m in serve.DRAWN_LATER],
    "pool": pa.default_memory_pool().backend_name,
    "lifespan": serve.app._user_lifespan is serve.warm_up,
}))
"""


def test_the_hosted_server_imports_the_dashboards_modules_before_any_visit():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    app_modules = {f"pinghu_app.{p.stem}" for p in (ROOT / "pinghu_app").glob("*.py") if p.stem != "__init__"}
    assert app_modules | {"dashboard"} <= set(figures["modules"])
    assert figures["drawing"] == [True] * 4  # matplotlib, wordcloud, docx: before the first cloud or brief
    assert figures["pool"] == "system"  # the entry point's memory setting came before pyarrow
    assert figures["lifespan"]  # st.App runs it once the runtime has started
    assert figures["seconds"] > 0


READ_AHEAD = """
import json
import logging
from pinghu_app import corpus as app_corpus
first = app_corpus.read_ahead()
again = app_corpus.read_ahead()
key = app_corpus.corpus_key()
print(json.dumps({
    "pages": len(first.pages),
    "shared": again is first and app_corpus.load_corpus(key) is first,  # the build the page runs use
}))
"""


def test_reading_ahead_reads_the_corpus_once_for_the_page_runs(tmp_path):
    """What serve.warm_up reads at start is the very corpus the page runs then use (no second read)."""
    env = {**os.environ, "PINGHU_DATA_DIR": str(SAMPLE_CORPUS), "PINGHU_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", READ_AHEAD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures == {"pages": len(list(SAMPLE_CORPUS.glob("*.txt"))), "shared": True}


PAGES_AHEAD = """
import json
import logging
from pinghu_app import brief as app_brief
from pinghu_app import corpus as app_corpus
from pinghu_app import people as app_people
from pinghu_app import search as app_search
from pinghu_app import words as app_words
from pinghu_app import warm

app_corpus.read_ahead()
key = app_corpus.corpus_key()
themes, _ = app_corpus.theme_dictionary()
done = warm.read_ahead_pages(key)

def boom(*args, **kwargs):
    raise AssertionError("built again in a page run")

from pinghu_core.brief import build as brief_build
from pinghu_core.people import tables
from pinghu_core.search import index as se
from pinghu_core.words import index as wd
rows = app_brief.corpus_rows(key)
se.build_index = wd.build_index = wd.load_index = tables.stored_mentions = tables.stored_only = boom
brief_build.corpus_rows = boom
index = app_search.search_index(key, themes)
words = app_words.word_index(key, themes, app_words.lexicon_key(themes))
mentions = app_people.mentions(key)
again = warm.read_ahead_pages(key)
print(json.dumps({
    "steps": [[d.name, d.ok] for d in done],
    "same": [
        app_search.search_index(key, themes) is index,
        app_words.word_index(key, themes, app_words.lexicon_key(themes)) is words,
        app_people.mentions(key) is mentions,
        app_brief.corpus_rows(key) is rows,
    ],
    "documents": len(rows.documents),
    "mentions": len(mentions),
    "again_s": max(d.seconds for d in again),
}))
"""


def test_reading_ahead_fills_the_caches_the_pages_then_use(tmp_path):
    """serve.warm_up reads what 文章检索, 词云, 人物 and 简报 build once per corpus through their own caches
    and builds (a cold cache folder: the word index and the mentions are built, not just read): the
    page functions then find them with every builder made to fail, and a second read-ahead has
    nothing left to do."""
    env = {**os.environ, "PINGHU_DATA_DIR": str(SAMPLE_CORPUS), "PINGHU_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", PAGES_AHEAD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr[-2000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["steps"] == [
        ["shared results", True],
        ["search index", True],
        ["word index", True],
        ["people and organisations", True],
        ["brief rows", True],
    ]
    assert figures["same"] == [True, True, True, True]
    assert figures["documents"] > 0
    assert figures["mentions"] > 0
    assert figures["again_s"] < 0.5


def test_a_step_that_fails_is_logged_and_the_others_still_run(caplog):
    from pinghu_app import warm

    ran = []

    def broken(key):
        raise OSError("磁盘不可读")

    steps = (
        warm.Step("first", lambda key: ran.append(("first", key))),
        warm.Step("broken", broken),
        warm.Step("refused", lambda key: False),
        warm.Step("last", lambda key: ran.append(("last", key))),
    )
    with caplog.at_level(logging.INFO, logger="pinghu.warm"):
        done = warm.read_ahead_pages("KEY", steps)
    assert [(d.name, d.ok) for d in done] == [
        ("first", True),
        ("broken", False),
        ("refused", False),
        ("last", True),
    ]
    assert ran == [("first", "KEY"), ("last", "KEY")]
    assert "broken failed" in caplog.text and "磁盘不可读" in caplog.text


def test_only_the_warm_up_threads_missing_context_notice_is_dropped():
    import serve

    def record(thread: str, message: str) -> logging.LogRecord:
        r = logging.LogRecord("streamlit", logging.WARNING, __file__, 1, message, None, None)
        r.threadName = thread
        return r

    notice = "Thread 'x': missing ScriptRunContext! This warning can be ignored when running in bare mode."
    keep = serve._NoContextNotice().filter
    assert not keep(record(serve.WARM_UP_THREAD, notice))
    assert keep(record("ScriptRunner.scriptThread", notice))
    assert keep(record(serve.WARM_UP_THREAD, "something else went wrong"))
