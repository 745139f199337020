"""What the pages build once per corpus, read ahead when the hosted server starts (``serve.warm_up``),
so that the first visitor of 文章检索, 词云, 人物 or 简报 after a restart does not wait for it.

Each step goes through the very cache or background build a page run uses (nothing is built twice,
and a page opened meanwhile shows the build's progress as usual).  Only what does not depend on a
view is read here: the shared results (places, theme hits, search texts, slogans, 《》 titles,
prominence), the search index, the word index, the people and organisations and what every 简报
reads.  On the ten-year generated corpus these were 1.3 s (文章检索), 0.3 s (词云), the mentions of
人物 and 简报 and 0.09 s more of 简报 (the rows every brief slices, the titles read from the store)
of a first open; on ten papers over ten years 9.4 s for 文章检索 alone (bench/bench_scale.py).  A
step that fails is logged and skipped: the page run does it again and shows its own error."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import NamedTuple

from pinghu_app import brief as app_brief
from pinghu_app import people as app_people
from pinghu_app import search as app_search
from pinghu_app import shared as app_shared
from pinghu_app import words as app_words
from pinghu_app.corpus import CorpusKey, theme_dictionary

log = logging.getLogger("pinghu.warm")


class Step(NamedTuple):
    name: str
    run: Callable[[CorpusKey], object]


def _search_index(key: CorpusKey) -> bool:
    app_search.search_index(key, theme_dictionary()[0])
    return True


STEPS = (
    Step("shared results", app_shared.read_ahead),  # first: the search index reads them
    Step("search index", _search_index),
    Step("word index", lambda key: app_words.read_ahead(key, theme_dictionary()[0])),
    Step("people and organisations", app_people.read_ahead),
    # what every 简报 slices (0.09 s on ten years, 0.7 s on ten papers)
    Step("brief rows", app_brief.corpus_rows),
)


class Done(NamedTuple):
    name: str
    seconds: float
    ok: bool


def read_ahead_pages(key: CorpusKey, steps: tuple[Step, ...] = STEPS) -> list[Done]:
    """Run every step for the corpus of ``key``, in order; what each took and whether it succeeded."""
    done = []
    for step in steps:
        started = time.perf_counter()
        try:
            ok = step.run(key) is not False
        except Exception:  # noqa: BLE001 - the page run does it again and shows its own error
            log.exception("reading ahead: %s failed", step.name)
            ok = False
        done.append(Done(step.name, time.perf_counter() - started, ok))
        log.info(
            "%s %s in %.1f s, before any visit", step.name, "ready" if ok else "failed", done[-1].seconds
        )
    return done
