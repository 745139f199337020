"""Once-per-corpus builds that take seconds to minutes — the word index, the people and
organisations — run in a thread of the server process, never inside a page run.

A page asks :func:`wait` for a build: when it is finished (or its result was already stored with
the corpus cache: a warm load) the run goes on; else the build is started (once per key: every
session shares it), its progress is shown in a fragment that reruns every second, and the run
stops; when the build is done the fragment reruns the page.  A failed build shows its error and is
tried again on the next run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st


@dataclass
class Build:
    """One background build (or a warm load, finished at once): its progress and result."""

    stage: str = ""
    done: int = 0
    total: int = 0
    result: Any = None
    finished: bool = False
    error: str = ""
    thread: threading.Thread | None = field(default=None, repr=False)

    def update(self, done: int, total: int, stage: str) -> None:
        """The ``(done, total, stage)`` progress callback of the core's builds."""
        self.done, self.total, self.stage = done, total, stage


class Builds:
    """The builds of one kind, by key; at most ``keep`` finished ones are kept.  ``stage``: what a
    build is shown doing before its first progress report (正在…); ``unit``: what it counts."""

    def __init__(self, name: str, stage: str, unit: str = "篇文章", keep: int = 2) -> None:
        self.name, self.stage, self.unit, self.keep = name, stage, unit, keep
        self._builds: dict[Hashable, Build] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Build | None:
        return self._builds.get(key)

    def start(
        self,
        key: Hashable,
        work: Callable[[Build], Any],
        warm: Callable[[], Any] | None = None,
        *,
        inline: bool | Callable[[], bool] = False,
    ) -> Build:
        """The build of ``key``: finished at once when ``warm()`` gives its result (not None), else
        ``work(build)`` started in a thread — once; a build that failed is started again.
        ``inline`` (or ``inline()``, asked only when a build starts): the work is small (a few
        hundred articles), done here rather than shown as progress."""
        with self._lock:
            build = self._builds.get(key)
            if build is not None and not build.error:
                return build
            result = warm() if warm is not None else None
            if result is not None:
                build = Build(stage="完成", result=result, finished=True)
                self._finished(key, build)
                return build
            build = Build(stage=self.stage)
            if inline if isinstance(inline, bool) else inline():
                build.result, build.finished = work(build), True
                self._finished(key, build)
                return build
            build.thread = threading.Thread(
                target=self._run, args=(key, build, work), name=f"pinghu-{self.name}", daemon=True
            )
            self._builds[key] = build
            build.thread.start()
            return build

    def _run(self, key: Hashable, build: Build, work: Callable[[Build], Any]) -> None:
        try:
            build.result = work(build)
        except Exception as exc:  # noqa: BLE001 - shown on the page, the next run tries again
            build.error = f"{type(exc).__name__}: {exc}"
            return
        with self._lock:
            build.finished = True
            self._finished(key, build)

    def _finished(self, key: Hashable, build: Build) -> None:
        """Record a finished build, dropping the oldest finished ones beyond ``keep``."""
        self._builds[key] = build
        done = [k for k, b in self._builds.items() if b.finished and k != key]
        for k in done[: max(0, len(done) - (self.keep - 1))]:
            del self._builds[k]

    def clear(self) -> None:
        """Forget the finished builds (刷新语料: the next run reads again)."""
        with self._lock:
            for k in [k for k, b in self._builds.items() if b.finished or b.error]:
                del self._builds[k]

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the builds still running (tests; a clean shutdown); True when none is left."""
        for build in list(self._builds.values()):
            if build.thread is not None:
                build.thread.join(timeout)
        return not any(b.thread is not None and b.thread.is_alive() for b in self._builds.values())


def settle(build: Build) -> bool:
    """Wait for ``build`` outside a page run (the hosted server's read-ahead); True when it finished
    (False: it failed — the next page run shows why and tries again)."""
    if build.thread is not None:
        build.thread.join()
    return build.finished


@st.fragment(run_every=1.0)
def _progress(builds: Builds, key: Hashable, what: str, why: str) -> None:
    """A build's progress, redrawn every second; the page reruns when it is done."""
    build = builds.get(key)
    if build is None or build.finished:
        st.rerun()
    assert build is not None
    if build.error:
        st.error(f"{what}失败：{build.error}。刷新页面会重试。", icon=":material/error:")
        return
    share = build.done / build.total if build.total else 0.0
    counts = f"：{build.done:,}/{build.total:,} {builds.unit}" if build.total else ""
    st.progress(min(share, 1.0), text=f"正在{build.stage}{counts}（{why}）")


def ready(builds: Builds, key: Hashable, build: Build, what: str, why: str, patience: float = 0.0) -> bool:
    """True when ``build`` is finished (within ``patience`` seconds: a warm load shows no progress);
    else its progress is drawn here (the page goes on; the progress reruns it when done).
    ``what``: the build in a sentence (分词, 识别人物与机构); ``why``: why it takes time and when it
    will not again."""
    if not build.finished and patience > 0 and build.thread is not None:
        build.thread.join(patience)
    if build.finished:
        return True
    with st.container(border=True):
        _progress(builds, key, what, why)
    return False


def wait(builds: Builds, key: Hashable, build: Build, what: str, why: str, patience: float = 0.0) -> Any:
    """``build``'s result when it is finished (:func:`ready`); else its progress, and this run stops
    (the page is shown again when it is done)."""
    if not ready(builds, key, build, what, why, patience):
        st.stop()
    return build.result
