"""What several pages share and no view changes, computed once per corpus and kept with its cache
(:mod:`pinghu_core.corpus.derived`): each article's places, its theme hits, the search texts, the
slogans, the titles in 《》 each article names (简报's 新提法与文件) and the prominence.

``pinghu ingest`` computes them after the parse; a server whose cache lacks them (a corpus never
ingested, an upload, an edited place or theme file) computes the missing ones once in a background
thread with a progress bar (``pinghu_app.shared``), not inside a page run.  The people and
organisations, the longest of these results, have their own build (:mod:`pinghu_core.people`).

This module sits with the search because the places are the search's; the others come from the
layers below it (themes, corpus).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from pinghu_core.corpus import derived, ingest
from pinghu_core.corpus import prominence as pr
from pinghu_core.corpus.ingest import ProgressFn
from pinghu_core.search import index as search_index
from pinghu_core.search import places as pl
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import slogans as sl

STAGE = "预先计算"


class Step(NamedTuple):
    """One shared result: its Chinese name, what it is stored as, and how to compute and store it
    (``run(progress)``; the progress of the places, the only step long enough to count)."""

    label: str
    stored: derived.Stored
    run: Callable[[ProgressFn | None], object]


def steps(
    corpus: ingest.Corpus,
    root: Path,
    *,
    gazetteer: pl.Gazetteer | None,
    themes: th.ThemeDict | None,
    rules: pr.Rules,
    workers: int = 1,
) -> list[Step]:
    """The shared results of ``corpus`` under the cache folder ``root``, in the order they are
    computed; without a usable place file no places, without a theme dictionary no theme hits (the
    pages explain those files' problems)."""
    articles, fp = corpus.articles, corpus.fingerprint
    digests = derived.text_digests(articles)  # one digest of each article's text for the three steps
    out: list[Step] = []
    if gazetteer is not None:
        gaz = gazetteer
        out.append(
            Step(
                "地点",
                pl.places_stored(gaz, fp),
                lambda progress: pl.stored_article_places(
                    articles, gaz, root, fp, workers=workers, progress=progress, digests=digests
                ),
            )
        )
    if themes is not None:
        tags = themes
        out.append(
            Step(
                "政策主题",
                th.tags_stored(tags, fp),
                lambda _: th.stored_tags(articles, tags, root, fp, digests),
            )
        )
    out += [
        Step(
            "检索文本",
            search_index.normalised_stored(fp),
            lambda _: search_index.stored_normalised(articles, root, fp),
        ),
        Step("口号", sl.slogans_stored(fp), lambda _: sl.stored_slogans(articles, root, fp, digests)),
        Step("文件名", sl.documents_stored(fp), lambda _: sl.stored_documents(articles, root, fp, digests)),
        Step(
            "显著度",
            pr.prominence_stored(rules, fp),
            lambda _: pr.stored_prominence(articles, corpus.pages, rules, root, fp),
        ),
    ]
    return out


def missing(todo: list[Step], root: Path | None) -> list[Step]:
    """The steps whose result is not stored under ``root`` yet."""
    return [s for s in todo if not derived.is_stored(root, s.stored)]


def compute(todo: list[Step], n_articles: int, progress: ProgressFn | None = None) -> list[str]:
    """Run ``todo`` (each computes and stores its result); ``progress(done, total, stage)`` counts
    the articles read by the current step (``地点`` article by article, the others as a whole).
    The labels of the steps run."""
    done: list[str] = []
    for i, step in enumerate(todo):
        stage = f"{STAGE}：{step.label}（第 {i + 1}/{len(todo)} 步）"

        def report(n: int, total: int, _stage: str, stage: str = stage) -> None:
            if progress is not None:
                progress(n, total, stage)

        report(0, n_articles, stage)
        step.run(report)
        report(n_articles, n_articles, stage)
        done.append(step.label)
    return done
