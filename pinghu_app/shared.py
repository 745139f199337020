"""What 文章检索, 政策主题, 词云 and 简报 share and no view changes — each article's places and theme
hits, the search texts, the slogans, the prominence (:mod:`pinghu_core.search.shared`): read from
the corpus cache when ``pinghu ingest`` stored them, else computed once in a background thread of the
server with its progress (:mod:`pinghu_app.builds`), not inside a page run.  The cached functions
that use them (:func:`pinghu_app.search.article_places`, :func:`pinghu_app.tags.theme_hits` …) then
read the stored results."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from pinghu_app import builds
from pinghu_app.corpus import (
    CorpusKey,
    PlacesFileKey,
    ThemesFileKey,
    derived_root,
    gazetteer,
    load_corpus,
    places_file_key,
    theme_dictionary,
    themes_file_key,
)
from pinghu_core.common import settings
from pinghu_core.corpus import ingest
from pinghu_core.corpus import prominence as pr
from pinghu_core.search import shared

_BUILDS = builds.Builds("shared", shared.STAGE)
WHY = "首次打开需要读一遍全部文章，之后从缓存读取；运行 pinghu ingest 可预先算好"
INLINE_ARTICLES = 2_000  # fewer articles (a second or two of work) are done in the page run


class SharedFiles(NamedTuple):
    """The editable files the shared results depend on (an edit of one computes its result again)."""

    places: PlacesFileKey
    themes: ThemesFileKey
    prominence: str  # the rules' digest


def shared_files() -> SharedFiles:
    return SharedFiles(places_file_key(), themes_file_key(), pr.rules_digest())


def _steps(corpus: ingest.Corpus, root: Path, files: SharedFiles) -> list[shared.Step]:
    gaz, _ = gazetteer(files.places)
    themes, _ = theme_dictionary()
    return shared.steps(
        corpus, root, gazetteer=gaz, themes=themes, rules=pr.rules(), workers=settings.get_settings().workers
    )


def _build(key: CorpusKey, files: SharedFiles) -> builds.Build:
    """The shared results of the corpus: stored already, else computed in a background thread.  A
    run that finds the build started pays for a lookup only (the steps are made when it starts)."""
    corpus = load_corpus(key)
    root = derived_root(key)
    todo: list[shared.Step] = []

    def warm() -> bool | None:  # asked first, in the page run, when the build is not there yet
        todo[:] = _steps(corpus, root, files)
        return True if not shared.missing(todo, root) else None

    def work(build: builds.Build) -> bool:
        shared.compute(shared.missing(todo, root), len(corpus.articles), build.update)
        return True

    return _BUILDS.start((key, files), work, warm, inline=lambda: len(corpus.articles) < INLINE_ARTICLES)


def wait_for_shared(key: CorpusKey) -> None:
    """Return when the corpus' shared results are stored; else show their background build's
    progress (started if needed) and stop this run — the page is shown again when they are."""
    files = shared_files()
    builds.wait(_BUILDS, (key, files), _build(key, files), shared.STAGE, WHY)


def read_ahead(key: CorpusKey) -> bool:
    """The shared results ready outside a page run (the hosted server's start): read, or computed by
    the same background build a page waits for; True when they are."""
    return builds.settle(_build(key, shared_files()))


def join_builds(timeout: float | None = None) -> bool:
    """Wait for the background builds still running (tests); True when none is left."""
    return _BUILDS.join(timeout)
