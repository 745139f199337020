"""The stored texts of the search index (pinghu_core.corpus.derived.TextStore): a word is found in
exactly the texts where Python's ``in`` finds it — held in memory or read from its file a block at a
time, every row or a few — and the index built on it gives the same rows and snippets as one built
on Python strings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinghu_core.common import arrays, schemas
from pinghu_core.corpus import derived, ingest
from pinghu_core.search import index as se

# characters that make byte searches go wrong when they are not careful: CJK (two bytes in UTF-16, three in UTF-8),
# Latin, full-width forms, a line break, characters outside the BMP (surrogate pairs in UTF-16)
ALPHABET = "项目投资融资乡村振兴a1，。\n“”😀𠀀\u0100\u0001"
texts_st = st.lists(st.text(alphabet=ALPHABET, max_size=12), max_size=30)
term_st = st.text(alphabet=ALPHABET, min_size=1, max_size=3)


def stores(texts: list[str], tmp: Path) -> list[derived.TextStore]:
    """The texts held in memory (decoded as one string when none has a surrogate pair, and as bytes),
    opened from a file small enough to be read whole, and opened from a file read block by block
    (IN_MEMORY_BYTES below its size)."""
    path = tmp / "t.u16"
    derived.write_texts(path, iter(texts))
    held = derived.TextStore.open(path)
    saved, derived.IN_MEMORY_BYTES = derived.IN_MEMORY_BYTES, -1
    try:
        in_file = derived.TextStore.open(path)
    finally:
        derived.IN_MEMORY_BYTES = saved
    derived.HOLD_DECODED = False
    try:
        held_bytes = derived.TextStore.from_texts(texts)
    finally:
        derived.HOLD_DECODED = True
    no_pairs = all(ord(c) < 0x10000 for t in texts for c in t)
    # which path each takes
    assert (held._str is not None) == no_pairs and (held._data is not None) != no_pairs  # noqa: SLF001
    assert held_bytes._data is not None and in_file._data is None and in_file._str is None  # noqa: SLF001
    return [derived.TextStore.from_texts(texts), held, held_bytes, in_file]


def answer(store: derived.TextStore, term: str, rows: np.ndarray) -> dict[int, bool]:
    looked, hits = store.search(term, rows)
    assert set(rows.tolist()) <= set(looked.tolist())
    assert list(looked) == sorted(set(looked.tolist()))
    found = set(hits.tolist())
    assert found <= set(looked.tolist())
    return {int(r): r in found for r in looked}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=texts_st,
    term=term_st,
    pick=st.lists(st.booleans(), max_size=30),
    block=st.sampled_from([2, 6, 64, 1 << 20]),
)
def test_search_is_python_in(tmp_path_factory, monkeypatch, texts, term, pick, block) -> None:
    monkeypatch.setattr(derived, "BLOCK_BYTES", block)
    rows = np.flatnonzero(np.resize(np.asarray(pick or [True], dtype=bool), len(texts)))
    for store in stores(texts, tmp_path_factory.mktemp("s")):
        assert len(store) == len(texts) and list(store) == texts
        for r in (rows, np.arange(len(texts))):
            got = answer(store, term, r)
            assert got == {i: term in texts[i] for i in got}


def test_a_hit_across_two_texts_is_no_hit(tmp_path: Path) -> None:
    texts = ["乡村", "振兴", "乡村振兴", ""]
    for store in stores(texts, tmp_path):
        looked, hits = store.search("村振", np.arange(4))
        assert hits.tolist() == [2] and looked.tolist() == [0, 1, 2, 3]
        assert store.search("", np.asarray([1, 3]))[1].tolist() == [1, 3]


def test_a_damaged_file_is_computed_again(tmp_path: Path) -> None:
    calls: list[int] = []

    def build():
        calls.append(1)
        return iter(["一", "二"])

    first = derived.load_or_build_texts(tmp_path, "t", ("p",), build)
    [path] = (tmp_path / derived.FOLDER).glob("t-*")
    path.write_bytes(path.read_bytes()[:-3])
    again = derived.load_or_build_texts(tmp_path, "t", ("p",), build)
    assert list(first) == list(again) == ["一", "二"] and len(calls) == 2
    assert list(derived.load_or_build_texts(tmp_path, "t", ("p",), build)) == ["一", "二"] and len(calls) == 2


class StrTexts(list):
    """The texts as Python strings, scanned with ``in`` (how the index looked words up before)."""

    def search(self, term: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return rows, rows[np.fromiter((term in self[i] for i in rows), dtype=bool, count=len(rows))]

    def count(self, terms: list[str], rows: np.ndarray) -> np.ndarray:  # type: ignore[override]
        return np.fromiter(
            (sum(self[i].count(t) for t in terms) for i in rows), dtype=np.int64, count=len(rows)
        )


QUERIES = [
    "",
    "项目",
    "项目 投资|融资 -疫情",
    "“长三角一体化”",
    "-疫情",
    "平湖 乍浦",
    "ABC",
    "乡村振兴 -会议",
    "的",
]


@pytest.mark.parametrize("folder", [SAMPLE_CORPUS])
def test_the_index_gives_the_same_rows_and_snippets(folder: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(derived, "BLOCK_BYTES", 4096)  # many blocks even on the sample
    corpus = ingest.load_corpus(folder, use_cache=False, workers=1)
    places = schemas.ARTICLE_PLACES.empty()
    stored = se.stored_normalised(corpus.articles, tmp_path, corpus.fingerprint)
    assert list(stored) == se.normalised_texts(se.search_text(corpus.articles))
    new = se.build_index(corpus.articles, places, None, corpus.pages, stored)
    old = se.build_index(corpus.articles, places, None, corpus.pages, StrTexts(stored))  # type: ignore[arg-type]
    for q in QUERIES:
        for view in (
            se.SearchView(query=q),
            se.SearchView(query=q, kinds=()),
            se.SearchView(query=q, page_nos=("01",)),
            se.SearchView(query=q, sort="hits"),
            se.SearchView(query=q, sort="prominence", kinds=()),
        ):
            got, want = se.filter_articles(new, view), se.filter_articles(old, view)
            pd.testing.assert_frame_equal(got, want)


# a text column as Arrow chunks (missing values among them), and row numbers taken modulo its length
chunks_st = st.lists(
    st.lists(st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=4)), max_size=5), min_size=1, max_size=4
)
picks_st = st.lists(st.integers(min_value=0, max_value=10_000), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    chunks=chunks_st,
    picks=picks_st,
)
def test_take_rows_is_take_without_joining_chunks(chunks, picks) -> None:
    import pyarrow as pa

    column = pa.chunked_array([pa.array(c, type=pa.large_string()) for c in chunks], type=pa.large_string())
    n = len(column)
    rows = np.asarray([p % n for p in picks] if n else [], dtype=np.int64)
    assert (
        arrays.take_rows(column, rows).to_pylist() == column.take(pa.array(rows, type=pa.int64())).to_pylist()
    )


@settings(max_examples=200, deadline=None)
@given(
    chunks=chunks_st,
    picks=picks_st,
    storage=st.sampled_from(["arrow", "object"]),
)
def test_values_at_are_the_rows_as_to_dict_gives_them(chunks, picks, storage) -> None:
    """An Arrow-backed text column (chunked, as a big cache's is) or an object one: the rows' values,
    a missing one None, as ``to_dict`` gives them (a mention's offsets count on that)."""
    import pyarrow as pa

    values = [v for c in chunks for v in c]
    if storage == "arrow":
        chunked = pa.chunked_array(
            [pa.array(c, type=pa.large_string()) for c in chunks], type=pa.large_string()
        )
        column = pd.Series(pd.arrays.ArrowStringArray(chunked))
    else:
        column = pd.Series(values, dtype=object)
    rows = [p % len(values) for p in picks] if values else []
    expected = [r["v"] for r in pd.DataFrame({"v": column}).iloc[rows].to_dict("records")]
    assert arrays.values_at(column, rows) == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=texts_st,
    terms=st.lists(term_st, min_size=1, max_size=3),
    picks=st.lists(st.integers(min_value=0, max_value=1000), max_size=12),
    block=st.sampled_from([2, 6, 64, 1 << 20]),
)
def test_count_is_python_count(tmp_path_factory, monkeypatch, texts, terms, picks, block) -> None:
    monkeypatch.setattr(derived, "BLOCK_BYTES", block)
    rows = np.asarray([p % len(texts) for p in picks] if texts else [], dtype=np.int64)
    want = [sum(texts[r].count(t) for t in terms) for r in rows]
    for store in stores(texts, tmp_path_factory.mktemp("c")):
        assert store.count(terms, rows).tolist() == want


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=texts_st,
    pick=st.lists(st.booleans(), max_size=30),
    block=st.sampled_from([2, 6, 64, 1 << 20]),
)
def test_spans_slice_back_to_each_text(tmp_path_factory, monkeypatch, texts, pick, block) -> None:
    """Each span of a row is its text: ``string[first:last]``, in the rows' order — whether the
    texts are one decoded string, a decoded block or decoded one by one."""
    monkeypatch.setattr(derived, "BLOCK_BYTES", block)
    rows = np.flatnonzero(np.resize(np.asarray(pick or [True], dtype=bool), len(texts)))
    for store in stores(texts, tmp_path_factory.mktemp("p")):
        got = [text[first:last] for text, first, last in store.spans(rows)]
        assert got == [texts[r] for r in rows]
