"""Once-per-corpus builds in a thread of the server (``pinghu_app.builds``): started once per key,
finished at once from a warm result, small ones inline, a failure retried, kept within ``keep``; and
the app reading a large cold corpus in the background with its progress."""

from __future__ import annotations

import threading

import pytest
from conftest import ROOT, hold
from streamlit.testing.v1 import AppTest

from pinghu_app import builds
from pinghu_app import corpus as app_corpus
from pinghu_core.corpus import ingest


def test_a_build_starts_once_and_reports_its_result():
    reg = builds.Builds("t", "试算")
    gate = threading.Event()
    calls: list[int] = []

    def work(b: builds.Build) -> str:
        calls.append(1)
        b.update(1, 2, "试算")
        assert gate.wait(10)
        return "done"

    first = reg.start("k", work)
    assert reg.start("k", work) is first and not first.finished and first.stage == "试算"
    gate.set()
    assert reg.join(10)
    assert first.finished and first.result == "done" and calls == [1]


def test_warm_results_and_small_work_need_no_thread():
    reg = builds.Builds("t", "试算")
    warm = reg.start("a", lambda b: pytest.fail("worked"), warm=lambda: "stored")
    assert warm.finished and warm.result == "stored" and warm.thread is None
    asked: list[int] = []
    small = reg.start("b", lambda b: "inline", inline=lambda: asked.append(1) or True)
    assert small.finished and small.result == "inline" and small.thread is None and asked == [1]
    reg.start("b", lambda b: "again", inline=lambda: asked.append(1) or True)
    assert asked == [1]  # asked only when a build starts


def test_a_failed_build_says_why_and_the_next_start_tries_again():
    reg = builds.Builds("t", "试算")

    def broken(b: builds.Build) -> str:
        raise OSError("磁盘已满")

    failed = reg.start("k", broken)
    reg.join(10)
    assert "磁盘已满" in failed.error and not failed.finished
    retried = reg.start("k", lambda b: "ok")
    reg.join(10)
    assert retried is not failed and retried.result == "ok"


def test_finished_builds_beyond_keep_are_dropped_and_clear_forgets_them():
    reg = builds.Builds("t", "试算", keep=2)
    for k in "abc":
        reg.start(k, lambda b, k=k: k, inline=True)
    assert reg.get("a") is None and reg.get("b").result == "b" and reg.get("c").result == "c"
    reg.clear()
    assert reg.get("b") is None and reg.get("c") is None


def test_a_large_cold_corpus_is_read_in_the_background_with_its_progress(corpus_env, monkeypatch):
    def report(*args, **kwargs):
        progress = kwargs.get("progress")
        if callable(progress):
            progress(2, 5, "解析版面")

    monkeypatch.setattr(app_corpus, "INLINE_FILES", 0)
    monkeypatch.setattr(app_corpus, "PATIENCE", 0.2)
    release = hold(monkeypatch, ingest, "load_corpus", before=report)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception
    bars = [b.proto.text for b in at.get("progress")]
    assert bars and "解析版面" in bars[0] and "2/5 个文件" in bars[0], bars
    assert not at.metric  # the run stopped before the page
    release.set()
    assert app_corpus._LOADS.join(60)
    at.run()
    assert not at.exception and not at.get("progress") and at.metric
    app_corpus._LOADS.clear()
