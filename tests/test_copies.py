"""copies: the same article in two files of one 版面 (a whole page and its article files, or a page
saved twice with other bytes) is counted once, everywhere the corpus' articles are counted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from conftest import SAMPLE_CORPUS, open_app_page
from hypothesis import given, settings
from hypothesis import strategies as st
from test_app import metrics

from pinghu_core.cli import corpus as corpus_cli
from pinghu_core.common import schemas
from pinghu_core.corpus import copies, ingest, shapes
from pinghu_core.overview import summary as ov
from pinghu_core.parse import pipeline
from pinghu_core.words import index as words_index

SEED = sorted(SAMPLE_CORPUS.glob("*.txt"))[0]


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (time.time() - 60, time.time() - 60))  # settled: not a file being written


def page_and_its_articles(folder: Path, page_name: str, article_stem: str) -> int:
    """A sample page as a whole-page file, and each of its articles as an article file (title, a
    blank line, the paragraphs a blank line apart: what an e-paper crawl writes); how many."""
    text = SEED.read_text(encoding="utf-8")
    _write(folder, page_name, text)
    items = pipeline.process_records(text, page_name, page_id="p").articles
    articles = [a for a in items if a["kind"] in schemas.ARTICLE_KINDS]
    for k, a in enumerate(articles, start=1):
        _write(folder, f"{article_stem}-{k:02d}.txt", a["title"] + "\n\n" + a["body"].replace("\n", "\n\n"))
    return len(articles)


@pytest.fixture
def corpus_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    monkeypatch.setenv("PINGHU_DATA_DIR", str(folder))
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PINGHU_WORKERS", "1")
    monkeypatch.delenv("PINGHU_CORPUS_SHAPE", raising=False)
    return folder


def test_a_page_and_its_article_files_count_each_article_once(corpus_dir: Path) -> None:
    n = page_and_its_articles(corpus_dir, "pages/20200721-01.txt", "articles/20200721/20200721-01")
    assert n >= 5
    for load in (1, 2):  # parsed, then from the cache: the same
        c = ingest.load_corpus()
        assert c.stats["copies"] == len(c.copies) == n, load
        paper = shapes.paper_pages(c.pages, c.articles)
        assert (paper.pages, paper.articles, paper.shape) == (1, n, "mixed")
        # the whole page keeps its articles (it has more items: their order, the 头条)
        assert set(c.copies["kept_source"]) == {"pages/20200721-01.txt"}
        assert set(c.copies["source"]) == {
            f"articles/20200721/20200721-01-{k:02d}.txt" for k in range(1, n + 1)
        }
        assert set(c.articles["source"]) == {"pages/20200721-01.txt"}
        kept = c.articles.set_index("article_id").loc[c.copies["kept_article_id"]]
        assert kept["kind"].astype(str).isin(schemas.ARTICLE_KINDS).all() and kept.index.is_unique
        report = c.report.set_index("source")
        for source in c.copies["source"]:
            assert (report.loc[source, "status"], report.loc[source, "code"]) == ("warning", copies.CODE)
            assert report.loc[source, "message"] == copies.message(1, ["pages/20200721-01.txt"])
        assert c.stats["warnings"] == n
    lines = corpus_cli.summary_lines(c)
    assert corpus_cli.copies_line(n) in lines
    assert "版面 1 个（同一天同一版次的文件（文章文件与整版文件）算一个版面）" in "\n".join(lines)
    overview = ov.build_overview(c.pages, c.articles, c.report, copies=len(c.copies))
    assert overview.copies_note == ov.copies_note(n, shapes.MIXED) != ""
    # the word index is of the counted articles: a word of the page is counted once
    index = words_index.build_index(c.articles, None, backend="jieba")
    assert index.n_docs == len(c.articles)


def test_the_cache_keeps_the_copies_last_and_a_load_drops_them_without_copying_text(corpus_dir: Path) -> None:
    n = page_and_its_articles(corpus_dir, "pages/20200721-01.txt", "articles/20200721/20200721-01")
    first = ingest.load_corpus()  # parsed: the cache is written with the copies last
    root = ingest.cache_root(Path(os.environ["PINGHU_CACHE_DIR"]), corpus_dir)
    state, _ = ingest.read_cache(root)
    assert state is not None
    assert set(state.articles["article_id"].iloc[-n:]) == set(first.copies["article_id"])
    tail = state.progress["article_id"].isin(first.copies["article_id"]).to_numpy()
    assert not tail[: len(tail) - int(tail.sum())].any()  # their figures last too
    # the next load drops them by a slice: the bodies it keeps are the cache's own buffers
    kept = copies.without(state.articles, first.copies)
    assert (
        len(kept) == len(state.articles) - n
        and kept["article_id"].tolist() == state.articles["article_id"].iloc[:-n].tolist()
    )
    cached, sliced = (_only_chunk(pa.array(f["body"].array)) for f in (state.articles, kept))
    assert sliced.buffers()[2].address == cached.buffers()[2].address  # the same text, not a copy of it
    again = ingest.load_corpus()
    assert again.articles["article_id"].tolist() == first.articles["article_id"].tolist()
    assert again.copies.equals(first.copies)


def _only_chunk(data: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(data, pa.ChunkedArray):
        assert data.num_chunks == 1
        return data.chunk(0)
    return data


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_last_moves_the_copies_to_the_end_and_keeps_the_order(where: str) -> None:
    frame = pd.DataFrame(
        {"article_id": pd.array([f"a{i}" for i in range(6)], dtype="string[pyarrow]"), "n": range(6)}
    )
    gone = {"first": ["a0", "a2"], "middle": ["a3"], "last": ["a4", "a5"]}[where]
    found = schemas.ARTICLE_COPIES.empty().reindex(range(len(gone)))
    found["article_id"] = pd.array(gone, dtype="string")
    moved = copies.last(frame, found)
    rest = [a for a in frame["article_id"] if a not in gone]
    assert moved["article_id"].tolist() == rest + gone
    assert (
        copies.without(moved, found)["article_id"].tolist()
        == rest
        == copies.without(frame, found)["article_id"].tolist()
    )


def test_the_same_text_on_another_day_or_page_or_twice_in_one_file_is_not_a_copy(corpus_dir: Path) -> None:
    n = page_and_its_articles(corpus_dir, "20200721-01.txt", "20200722-01")  # the articles a day later
    page_and_its_articles(corpus_dir / "b", "20200721-02.txt", "20200721-03")  # another 版次 each
    text = SEED.read_text(encoding="utf-8")
    _write(corpus_dir, "c/20200723-01.txt", text + "\n\n" + text)  # one file printing its page twice
    c = ingest.load_corpus()
    assert c.copies.empty and c.stats["copies"] == 0
    twice = c.articles[c.articles["source"] == "c/20200723-01.txt"]
    assert int(twice["kind"].astype(str).isin(schemas.ARTICLE_KINDS).sum()) == 2 * n
    assert not (c.report["code"] == copies.CODE).any()


def test_a_page_saved_again_with_other_line_ends_is_counted_once(corpus_dir: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    _write(corpus_dir, "20200721-01.txt", text)
    (corpus_dir / "again").mkdir()
    (corpus_dir / "again" / "20200721-01.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    os.utime(corpus_dir / "again" / "20200721-01.txt", (time.time() - 60, time.time() - 60))
    c = ingest.load_corpus()
    n = int(c.articles["kind"].astype(str).isin(schemas.ARTICLE_KINDS).sum())
    assert len(c.copies) == n > 0  # both files have as many items: the first by name keeps them
    assert set(c.copies["source"]) == {"again/20200721-01.txt"}
    assert set(c.copies["kept_source"]) == {"20200721-01.txt"}
    # each page keeps what is not an article (masthead, ads): only articles are compared
    assert set(c.articles["source"]) == {"20200721-01.txt", "again/20200721-01.txt"}


@pytest.mark.parametrize(
    ("body", "want"),
    [
        ("本报讯 记者 张三\n\n平湖市\u3000新仓镇", "本报讯记者张三平湖市新仓镇"),
        (" 7月20日下午，\r\n在长三角·平湖 ", "7月20日下午，在长三角·平湖"),
        ("\u3000\u3000", ""),
    ],
)
def test_compact_text(body: str, want: str) -> None:
    assert copies.compact(body) == want


# ---------------------------------------------------------------- properties over generated corpora

DAYS = [pd.Timestamp("2020-07-21"), pd.Timestamp("2020-07-22"), pd.NaT]
TEXTS = ["平湖新仓镇", "平湖 新仓镇", "平湖\n新仓镇\u3000", "乍浦港区", "", "  "]  # three ways of one text
KINDS = ["news", "photo", "commentary", "ad", "masthead"]

file_st = st.tuples(
    st.sampled_from(["page", "article"]),
    st.sampled_from(range(len(DAYS))),
    st.sampled_from(["01", "1", "02", ""]),
    st.sampled_from(["", "A"]),
    st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(TEXTS)), min_size=1, max_size=4),
)


_TEMPLATE = pipeline.process_records("本报讯 平湖新仓镇举行活动。", "t.txt", page_id="t")  # every field valid


def frames_of(files: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    pages, articles = [], []
    for i, (shape, day, page_no, edition, items) in enumerate(files):
        page_id, source = f"{i:016x}", f"f{i:02d}.txt"
        pages.append(
            _TEMPLATE.page
            | {"page_id": page_id, "source": source, "date": DAYS[day], "page_no": page_no}
            | {"edition": edition, "shape": shape, "items": len(items), "date_source": "filename"}
        )
        for k, (kind, body) in enumerate(items):
            articles.append(
                _TEMPLATE.articles[0]
                | {"article_id": f"{page_id}-{k:02d}", "page_id": page_id, "source": source}
                | {"date": DAYS[day], "kind": kind, "body": body, "page_no": page_no, "order": k}
                | {"chars": len(copies.compact(body)), "date_source": "filename"}
            )
    a = schemas.conform(pd.DataFrame(articles, columns=schemas.ARTICLES.names), schemas.ARTICLES)
    return a, schemas.conform(pd.DataFrame(pages, columns=schemas.PAGES.names), schemas.PAGES)


def keys(articles: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """Per article: its 版面 and compact text, and whether it is compared at all."""
    edition = articles["page_id"].map(pages.set_index("page_id")["edition"]).astype(str)
    return pd.DataFrame(
        {
            "article_id": articles["article_id"].astype(str),
            "source": articles["source"].astype(str),
            "key": articles["date"].astype(str)
            + "|"
            + edition
            + "|"
            + articles["page_no"].astype(str).map(shapes.page_no_norm)
            + "|"
            + articles["body"].astype(str).map(copies.compact),
            "compared": shapes.is_article(articles, pages).to_numpy()
            & articles["date"].notna().to_numpy()
            & (articles["chars"] > 0).to_numpy(),
        }
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(file_st, min_size=1, max_size=6))
def test_copies_properties(files: list[tuple]) -> None:
    articles, pages = frames_of(files)
    found = copies.find(articles, pages)
    schemas.check(found, schemas.ARTICLE_COPIES)
    k = keys(articles, pages).set_index("article_id")
    left = copies.without(articles, found)
    # a copy has the 版面 and text of the article that is counted for it, in another file
    assert (
        k.loc[found["article_id"], "key"].to_numpy() == k.loc[found["kept_article_id"], "key"].to_numpy()
    ).all()
    assert (found["source"] != found["kept_source"]).all()
    assert k.loc[found["article_id"], "compared"].all()
    assert found["kept_article_id"].isin(left["article_id"]).all()
    # nothing else leaves: the rest is every article but the copies, in order
    assert left["article_id"].tolist() == [
        a for a in articles["article_id"] if a not in set(found["article_id"])
    ]
    # afterwards no text of a 版面 is in two files, and looking again finds nothing
    kept = k.loc[left["article_id"].astype(str)]
    kept = kept[kept["compared"]]
    assert kept.drop_duplicates(["key", "source"])["key"].is_unique
    assert copies.find(left, pages).empty
    # one file keeps each text: the one with the most items (then the first by name)
    items = pages.set_index("source")["items"]
    for _, row in found.iterrows():
        assert items[row["kept_source"]] >= items[row["source"]]
        if items[row["kept_source"]] == items[row["source"]]:
            assert row["kept_source"] < row["source"]


@settings(max_examples=60, deadline=None)
@given(st.lists(file_st, min_size=1, max_size=6))
def test_report_says_each_file_that_lost_copies(files: list[tuple]) -> None:
    articles, pages = frames_of(files)
    found = copies.find(articles, pages)
    report = schemas.conform(
        pd.DataFrame(
            {"source": pages["source"], "status": "ok", "code": "", "message": "", "encoding": "utf-8"}
            | {"bytes": 1, "cached": False}
        ),
        schemas.INGEST_REPORT,
    )
    marked, newly = copies.mark_report(report, found)
    lost = set(found["source"])
    assert newly == len(lost)
    assert set(marked.loc[marked["code"] == copies.CODE, "source"]) == lost
    assert (marked.loc[~marked["source"].isin(lost), "status"] == "ok").all()
    for source, rows in found.groupby("source"):
        message = marked.set_index("source").loc[source, "message"]
        assert message.startswith(f"{len(rows)} 篇文章与“{min(rows['kept_source'])}”")


def test_overview_says_the_copies_were_counted_once(corpus_dir: Path) -> None:
    n = page_and_its_articles(corpus_dir, "pages/20200721-01.txt", "articles/20200721/20200721-01")
    at = open_app_page("pages/overview.py")
    m = metrics(at)
    assert (m["版面数"], m["文章数"]) == ("1", str(n))
    assert [i.value for i in at.info] == [ov.copies_note(n, shapes.MIXED)]
    shown = at.dataframe[-1].value  # the ingest report, files with problems first
    assert (shown["说明"] == copies.message(1, ["pages/20200721-01.txt"])).sum() == n
