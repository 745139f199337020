"""Live corpus updates: changed files are re-parsed alone, files being written wait, all sessions see it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import ROOT, copy_corpus
from streamlit.testing.v1 import AppTest

from pinghu_app import corpus as app_corpus
from pinghu_core.corpus import ingest

APP = str(ROOT / "dashboard.py")


def age(path: Path, seconds: float) -> None:
    """Pretend ``path`` was last modified ``seconds`` ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    folder = copy_corpus(tmp_path / "corpus")
    monkeypatch.setenv("PINGHU_DATA_DIR", str(folder))
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PINGHU_WORKERS", "1")
    return folder


def load(folder: Path, settle: float = 5.0) -> ingest.Corpus:
    return ingest.load_corpus(folder, workers=1, settle_seconds=settle)


def test_a_file_being_written_is_not_read_until_it_settles(corpus):
    load(corpus)
    new = corpus / "zz_new.txt"
    new.write_bytes(sorted(corpus.glob("*.txt"))[0].read_bytes()[:2000])  # half a page, just written
    c = load(corpus)
    assert "zz_new.txt" not in set(c.pages["source"]) and c.stats["writing"] == 1
    row = c.report[c.report["source"] == "zz_new.txt"].iloc[0]
    assert (row["status"], row["code"]) == ("warning", ingest.WRITING) and "正在写入" in row["message"]
    assert ingest.corpus_fingerprint(corpus, settle_seconds=5) == c.fingerprint
    age(new, 60)  # the writer finished long ago (same size and mtime as before: only time passed)
    assert ingest.corpus_fingerprint(corpus, settle_seconds=5) != c.fingerprint  # so the app reloads
    settled = load(corpus)
    assert "zz_new.txt" in set(settled.pages["source"]) and settled.stats["writing"] == 0
    assert settled.stats["parsed"] == 1 and settled.stats["from_cache"] == 5


@pytest.mark.parametrize("name", ["zz.txt.part", ".zz.txt.tmp", "zz.txt.crdownload", "sub/zz.TXT.partial"])
def test_files_under_a_temporary_name_are_reported_as_being_written(corpus, name):
    before = load(corpus)
    temp = corpus / name
    temp.parent.mkdir(exist_ok=True)
    temp.write_bytes(b"half")
    age(temp, 600)  # old or not, a temporary name is never read as a page
    c = load(corpus)
    assert len(c.pages) == len(before.pages) and c.stats["parsed"] == 0
    assert c.report.set_index("source").loc[name, "code"] == ingest.WRITING
    assert c.fingerprint != before.fingerprint


def test_without_a_settle_window_files_are_read_at_once(corpus):
    new = corpus / "zz_new.txt"
    new.write_bytes(sorted(corpus.glob("*.txt"))[0].read_bytes() + "补一句。".encode())
    assert "zz_new.txt" in set(load(corpus, settle=0).pages["source"])


def test_the_app_reparses_only_the_changed_file_and_every_session_sees_it(corpus, monkeypatch):
    parsed: list[str] = []
    real = ingest.run_jobs

    def counting(jobs, *args, **kwargs):
        parsed.extend(j.source for j in jobs)
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(ingest, "run_jobs", counting)
    clock = [1000.0]
    monkeypatch.setattr(app_corpus, "monotonic", lambda: clock[0])
    first = AppTest.from_file(APP, default_timeout=120).run()
    assert {m.label: m.value for m in first.metric}["版面数"] == "5" and len(parsed) == 5
    changed = sorted(corpus.glob("*.txt"))[2]
    changed.write_bytes(changed.read_bytes() + "\n本报讯 补充报道。\n".encode())
    age(changed, 30)
    parsed.clear()
    clock[0] += 14  # the last scan is younger than half the check interval (refresh_seconds 30)
    assert [m.value for m in AppTest.from_file(APP, default_timeout=120).run().metric][:1] == ["5"]
    assert parsed == []  # the last scan (shared by the sessions) still stands: nothing re-read yet
    clock[0] += 2  # older than half the interval: the sidebar's folder check scans again
    sessions = [AppTest.from_file(APP, default_timeout=120).run() for _ in range(2)]
    assert parsed == [changed.name]  # one re-parse, shared by both sessions
    for at in sessions:
        assert not at.exception and {m.label: m.value for m in at.metric}["版面数"] == "5"


def test_sessions_share_one_scan_of_the_folder_per_interval(corpus, monkeypatch):
    """A script run does not stat the whole folder: one scan per ``refresh_seconds`` serves every
    session; 刷新语料 (``forget_scans``) scans at once; with ``refresh_seconds`` 0 every run scans."""
    scans: list[str] = []
    real = ingest.corpus_fingerprint

    def counting(*args, **kwargs):
        scans.append("scan")
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "corpus_fingerprint", counting)
    clock = [1000.0]
    monkeypatch.setattr(app_corpus, "monotonic", lambda: clock[0])
    app_corpus.forget_scans()
    first = app_corpus.corpus_key()
    clock[0] += 29
    assert [app_corpus.corpus_key() for _ in range(3)] == [first] * 3 and len(scans) == 1
    clock[0] += 2
    assert app_corpus.corpus_key() == first and len(scans) == 2  # the interval passed: scanned again
    app_corpus.forget_scans()
    app_corpus.corpus_key()
    assert len(scans) == 3
    monkeypatch.setenv("PINGHU_REFRESH_SECONDS", "0")
    app_corpus.corpus_key()
    app_corpus.corpus_key()
    assert len(scans) == 5


def test_the_sidebar_checks_the_folder_on_an_interval(corpus, monkeypatch):
    monkeypatch.setenv("PINGHU_REFRESH_SECONDS", "7")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert any("每 7 秒自动检查" in c.value for c in at.sidebar.caption)
    assert at.sidebar.button(key="sidebar.refresh_corpus").label == "刷新语料"
    monkeypatch.setenv("PINGHU_REFRESH_SECONDS", "0")  # off: no automatic check
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not any("自动检查" in c.value for c in at.sidebar.caption)
