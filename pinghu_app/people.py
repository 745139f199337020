"""人物与机构: the corpus' mentions (kept with the corpus cache), the table, a name's timeline and
sentences, who appears with whom — cached per corpus and per edit of the rule and people files."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pinghu_app.corpus import (
    CorpusKey,
    derived_root,
    gazetteer,
    load_corpus,
    long_lived,
    places_file_key,
    prominence,
)
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


@st.cache_resource(show_spinner="正在识别人物与机构（每个语料一次）…", max_entries=2)
def _mentions(key: CorpusKey, files: PeopleFiles) -> pd.DataFrame:
    corpus = load_corpus(key)
    gaz, _ = gazetteer(files.places)
    places = [form for p in gaz.places for form in (p.name, *p.aliases)] if gaz is not None else []
    found = tables.stored_mentions(
        corpus.articles,
        prominence(key),
        rules.rules(),
        directory.current()[0],
        places,
        derived_root(key),
        corpus.fingerprint,
    )
    return long_lived(found)


def mentions(key: CorpusKey) -> pd.DataFrame:
    """schemas.PEOPLE_MENTIONS of the corpus — shared: do not modify."""
    return _mentions(key, people_files())


HASH = {people_view.PeopleView: lambda v: (v.kinds, v.start, v.end)}


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=HASH)  # shared: do not modify
def people_table(key: CorpusKey, view: people_view.PeopleView) -> pd.DataFrame:
    return people_view.table(mentions(key), view)


@st.cache_resource(show_spinner=False, max_entries=2)
def front_pages(key: CorpusKey) -> tuple[pd.DataFrame, dict[str, str]]:
    """(one row per 头版 版面 with its date, article → 版面)."""
    found = prominence(key)
    pages = tables.front_page_dates(load_corpus(key).articles, found)
    return pages, dict(zip(found["article_id"].astype(str), found["page_key"].astype(str), strict=True))


@st.cache_resource(show_spinner=False, max_entries=32)  # shared: do not modify
def timeline_figure(key: CorpusKey, name: str, granularity: str) -> tuple[pd.DataFrame, go.Figure]:
    pages, page_of = front_pages(key)
    line = tables.person_timeline(mentions(key), name, granularity, pages, page_of)
    return line, charts.timeline_figure(line, granularity)


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=HASH)  # shared: do not modify
def pairs(key: CorpusKey, view: people_view.PeopleView) -> tuple[pd.DataFrame, go.Figure]:
    rows = tables.select(mentions(key), view.start, view.end, view.kinds)
    found = tables.co_appearances(
        rows, [k for k in view.kinds if k != "organisation"] or ("official", "person")
    )
    return found, charts.network_figure(found)
