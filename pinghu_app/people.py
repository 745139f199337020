"""人物与机构: the corpus' mentions (kept with the corpus cache), the table, a name's timeline and
sentences, who appears with whom — cached per corpus and per edit of the rule and people files."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app import builds
from pinghu_app.corpus import (
    CorpusKey,
    derived_root,
    gazetteer,
    load_corpus,
    long_lived,
    places_file_key,
    prominence,
    released,
)
from pinghu_core.common import chart_base, settings
from pinghu_core.common.dictfile import stamp
from pinghu_core.people import charts, directory, rules, tables
from pinghu_core.people import view as people_view


class PeopleFiles(NamedTuple):
    """The editable files the mentions come from: the rules' digest, the people file's stat, the
    place file's key (an edit of any gives new mentions)."""

    rules: str
    people: tuple[int, int] | None
    places: object


def people_files() -> PeopleFiles:
    return PeopleFiles(rules.FILE.digest(), stamp(directory.people_path()), places_file_key())


def problems() -> list[str]:
    """Why data/people_rules.toml or data/people.toml cannot be used as written (Chinese)."""
    return [p for p in (rules.rules_problem(), directory.current()[1]) if p]


# Finding every mention reads every article (a minute on ten years): built in the background
# (:mod:`pinghu_app.builds`) unless ``pinghu ingest`` stored them with the corpus cache.
_BUILDS = builds.Builds("people", tables.STAGE)
WHY = "首次打开需要读一遍全部文章，之后从缓存读取；运行 pinghu ingest 可预先算好"
INLINE_ARTICLES = 1_000  # fewer articles (about a second's work) are read in the page run


def _inputs(key: CorpusKey, files: PeopleFiles) -> tuple:
    gaz, _ = gazetteer(files.places)
    places = [form for p in gaz.places for form in (p.name, *p.aliases)] if gaz is not None else []
    return (prominence(key), rules.rules(), directory.current()[0], places, derived_root(key))


def _build(key: CorpusKey, files: PeopleFiles) -> builds.Build:
    """The mentions of the corpus: read from its cache, else found in a background thread."""
    corpus = load_corpus(key)

    def warm() -> pd.DataFrame | None:
        found = tables.stored_only(*_inputs(key, files), corpus.fingerprint)
        return long_lived(found) if found is not None else None

    def work(build: builds.Build) -> pd.DataFrame:
        found = tables.stored_mentions(
            corpus.articles,
            *_inputs(key, files),
            corpus.fingerprint,
            workers=settings.get_settings().workers,
            progress=build.update,
        )
        return long_lived(found)

    return _BUILDS.start((key, files), work, warm, inline=len(corpus.articles) < INLINE_ARTICLES)


def wait_for_mentions(key: CorpusKey) -> None:
    """Return when the corpus' mentions are ready; else show their background build's progress
    (started if needed) and stop this run — the page is shown again when they are."""
    files = people_files()
    builds.wait(_BUILDS, (key, files), _build(key, files), "识别人物与机构", WHY)


def read_ahead(key: CorpusKey) -> bool:
    """The mentions ready outside a page run (the hosted server's start): read, or found by the same
    background build 人物 and 简报 wait for; True when they are."""
    return builds.settle(_build(key, people_files()))


def join_builds(timeout: float | None = None) -> bool:
    """Wait for the background builds still running (tests); True when none is left."""
    return _BUILDS.join(timeout)


def mentions(key: CorpusKey) -> pd.DataFrame:
    """schemas.PEOPLE_MENTIONS of the corpus — shared: do not modify.  The finished background
    build, or (when no page waited for it, :func:`wait_for_mentions`) found here."""
    files = people_files()
    build = _BUILDS.get((key, files))
    if build is not None and build.finished:
        return build.result
    return _mentions_here(key, files)


@st.cache_resource(show_spinner="正在识别人物与机构（每个语料一次）…", max_entries=2)
def _mentions_here(key: CorpusKey, files: PeopleFiles) -> pd.DataFrame:
    corpus = load_corpus(key)
    found = tables.stored_mentions(
        corpus.articles, *_inputs(key, files), corpus.fingerprint, workers=settings.get_settings().workers
    )
    return long_lived(found)


HASH = {people_view.PeopleView: lambda v: (v.kinds, v.start, v.end)}


def people_table(key: CorpusKey, view: people_view.PeopleView) -> pd.DataFrame:
    """The table of the view (shared: do not modify); an edit of the people files gives a new one."""
    return _people_table(key, view, people_files())


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=HASH)
def _people_table(key: CorpusKey, view: people_view.PeopleView, files: PeopleFiles) -> pd.DataFrame:
    return released(people_view.table(mentions(key), view))


@st.cache_resource(show_spinner=False, max_entries=2)
def front_pages(key: CorpusKey) -> tuple[pd.DataFrame, dict[str, str]]:
    """(one row per 头版 版面 with its date, article → 版面)."""
    found = prominence(key)
    pages = tables.front_page_dates(load_corpus(key).articles, found)
    return pages, dict(zip(found["article_id"].astype(str), found["page_key"].astype(str), strict=True))


def names(key: CorpusKey) -> list[str]:
    """Every name of the corpus' mentions, in Unicode order (shared: do not modify)."""
    return _names(key, people_files())


@st.cache_resource(show_spinner=False, max_entries=2)
def _names(key: CorpusKey, files: PeopleFiles) -> list[str]:
    return released(people_view.name_list(mentions(key)))


def sentence_count(key: CorpusKey, name: str) -> int:
    """How many sentences name ``name`` (each read only when shown or downloaded)."""
    return _sentence_count(key, name, people_files())


@st.cache_resource(show_spinner=False, max_entries=32)
def _sentence_count(key: CorpusKey, name: str, files: PeopleFiles) -> int:
    return len(tables.sentence_rows(mentions(key), name))


def sentences(key: CorpusKey, name: str, limit: int | None) -> pd.DataFrame:
    """The newest ``limit`` sentences naming ``name`` (schemas.PEOPLE_SENTENCES; all for None;
    shared: do not modify)."""
    return _sentences(key, name, limit, people_files())


@st.cache_resource(show_spinner=False, max_entries=32)
def _sentences(key: CorpusKey, name: str, limit: int | None, files: PeopleFiles) -> pd.DataFrame:
    return released(tables.sentences(mentions(key), name, load_corpus(key).articles, limit))


def all_sentences(key: CorpusKey, name: str) -> pd.DataFrame:
    """Every sentence naming ``name``, as the page lists them: a download's, read when it is clicked
    and not kept (a name of a hundred thousand mentions is read once, for its file)."""
    return released(people_view.shown(tables.sentences(mentions(key), name, load_corpus(key).articles)))


def timeline_figure(key: CorpusKey, name: str, granularity: str) -> tuple[pd.DataFrame, go.Figure]:
    """A name's timeline and its chart (shared: do not modify), again after an edit of the people files."""
    return _timeline_figure(key, name, granularity, people_files())


@st.cache_resource(show_spinner=False, max_entries=32)
def _timeline_figure(
    key: CorpusKey, name: str, granularity: str, files: PeopleFiles
) -> tuple[pd.DataFrame, go.Figure]:
    pages, page_of = front_pages(key)
    line = tables.person_timeline(mentions(key), name, granularity, pages, page_of)
    return released((line, chart_base.for_browser(charts.timeline_figure(line, granularity))))


def pairs(key: CorpusKey, view: people_view.PeopleView) -> tuple[pd.DataFrame, go.Figure]:
    """Who appears with whom in the view (shared: do not modify), again after an edit of the people files."""
    return _pairs(key, view, people_files())


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=HASH)
def _pairs(
    key: CorpusKey, view: people_view.PeopleView, files: PeopleFiles
) -> tuple[pd.DataFrame, go.Figure]:
    rows = tables.select(mentions(key)[tables.PAIR_COLUMNS], view.start, view.end, view.kinds)
    found = tables.co_appearances(
        rows, [k for k in view.kinds if k != "organisation"] or ("official", "person")
    )
    return released((found, chart_base.for_browser(charts.network_figure(found))))
