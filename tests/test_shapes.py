"""shapes: what a file name says, a file's shape (name, manifest, setting), 版面 of article files;
ingest of the article-shape fixture (tests/fixtures/article_corpus, made from two sample pages)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time

import pandas as pd
import pytest
from conftest import ARTICLE_CORPUS as FIXTURE
from conftest import SAMPLE_CORPUS as SAMPLES

from pinghu_core.common import schemas
from pinghu_core.corpus import files as corpus_mod
from pinghu_core.corpus import ingest, shapes
from pinghu_core.parse import dates
from pinghu_core.parse.dates import ManifestEntry
from pinghu_core.search import query

D = dt.date


@pytest.mark.parametrize(
    ("name", "shape", "date", "page_no", "order"),
    [
        # date + 版次 + article number: one article a file
        ("20200115-01-03.txt", "article", D(2020, 1, 15), "01", 2),
        ("2020-01-15_01_03.txt", "article", D(2020, 1, 15), "01", 2),
        ("20200115_01_03.txt", "article", D(2020, 1, 15), "01", 2),
        ("20200115/20200115-01-03.txt", "article", D(2020, 1, 15), "01", 2),
        ("2020/01/20200115-12-01.txt", "article", D(2020, 1, 15), "12", 0),
        ("2020-1-5_2_10.txt", "article", D(2020, 1, 5), "2", 9),
        ("rmrb_20191001-01-02.txt", "article", D(2019, 10, 1), "01", 1),
        ("平湖日报20191001-01-02.txt", "article", D(2019, 10, 1), "01", 1),
        ("20200115-A01-03.TXT", "article", D(2020, 1, 15), "A01", 2),
        ("19491001-01-01.txt", "article", D(1949, 10, 1), "01", 0),
        # date + 版次 only: a whole page with its 版次
        ("20200115-01.txt", "page", D(2020, 1, 15), "01", None),
        ("2020-01-15_01.txt", "page", D(2020, 1, 15), "01", None),
        ("20200722_1.txt", "page", D(2020, 7, 22), "1", None),
        # no 版次 in the name: a whole page (the date still comes from the name when it has one)
        ("2020-01-15.txt", "page", D(2020, 1, 15), "", None),
        ("20200115.txt", "page", D(2020, 1, 15), "", None),
        ("page_12.txt", "page", None, "", None),
        ("000_a298d888743d6040.txt", "page", None, "", None),
        ("平湖版2020年7月22日.txt", "page", D(2020, 7, 22), "", None),
        ("2020/07/22/page1.txt", "page", D(2020, 7, 22), "", None),
        # numbers that are not dates: never an article file
        ("19000115-01-03.txt", "page", None, "", None),
        ("20991231-01-03.txt", "page", None, "", None),
        ("20200230-01-03.txt", "page", None, "", None),
        ("12345678-01-03.txt", "page", None, "", None),
        ("a298d888-01-03.txt", "page", None, "", None),
        ("rmrb20191001-01-02.txt", "page", None, "", None),  # a date glued to Latin letters is no date
        ("20200115-01-03-extra.txt", "page", D(2020, 1, 15), "", None),
        ("20200115-0001-03.txt", "page", D(2020, 1, 15), "", None),
    ],
)
def test_names_say_shape_date_page_and_order(name, shape, date, page_no, order):
    fs = shapes.file_shape(name)
    assert (fs.shape, fs.page_no, fs.order) == (shape, page_no, order)
    info = shapes.read_name(name)
    assert (info.date if info else None) == (date if page_no else None)
    if date is None or "1900" in name or "2099" in name:
        return
    assert dates.date_from_path(name) == date  # the page date (date_source filename) agrees with the name


def test_years_after_this_year_are_not_dates():
    assert shapes.read_name("20300101-01-01.txt", today=D(2029, 12, 31)) is None
    assert shapes.read_name("20300101-01-01.txt", today=D(2030, 1, 1)) is not None


@pytest.mark.parametrize(
    ("name", "entry", "setting", "want"),
    [
        # the manifest's shape wins over the name and the setting
        ("20200115-01-03.txt", ManifestEntry(None, shape="page"), "auto", ("page", "01", None)),
        ("page_12.txt", ManifestEntry(None, "02", article=4, shape="article"), "page", ("article", "02", 3)),
        # an article number in the manifest makes an article file (auto); its 版次 wins over the name's
        ("a.txt", ManifestEntry(None, "03", article=1), "auto", ("article", "03", 0)),
        ("20200115-01-03.txt", ManifestEntry(None, "05"), "auto", ("article", "05", 2)),
        # the setting forces a shape when the manifest says nothing
        ("20200115-01-03.txt", None, "page", ("page", "01", None)),
        ("2020-01-15.txt", None, "article", ("article", "", None)),
        ("20200115-02.txt", None, "article", ("article", "02", None)),
    ],
)
def test_manifest_then_setting_then_name(name, entry, setting, want):
    fs = shapes.file_shape(name, entry, setting)
    assert (fs.shape, fs.page_no, fs.order) == want


def test_manifest_article_and_shape_columns() -> None:
    text = (
        "文件,日期,版次,篇次,形态\n"
        "a.txt,2020-01-15,01,3,单篇\n"
        "b.txt,2020-01-15,01,,整版\n"
        "c.txt,2020-01-15,02,x,article\n"
        "d.txt,2020-01-15,02,1,半版\n"
    )
    m = corpus_mod.parse_manifest(text)
    assert m.entries["a.txt"] == ManifestEntry(D(2020, 1, 15), "01", "", 3, "article")
    assert m.entries["b.txt"] == ManifestEntry(D(2020, 1, 15), "01", "", None, "page")
    assert m.entries["c.txt"] == ManifestEntry(D(2020, 1, 15), "02", "", None, "article")
    assert m.entries["d.txt"] == ManifestEntry(D(2020, 1, 15), "02", "", 1, "")
    assert len(m.problems) == 2
    assert "第4行" in m.problems[0] and "篇次“x”" in m.problems[0]
    assert "第5行" in m.problems[1] and "文件形态“半版”" in m.problems[1]
    english = corpus_mod.parse_manifest("file,date,page,article,shape\na.txt,2020-01-15,1,2,page\n")
    assert english.entries["a.txt"] == ManifestEntry(D(2020, 1, 15), "1", "", 2, "page")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("01", "1", True), ("A01", "a1", True), ("01", "10", False), ("", "", True), ("二", "二", True)],
)
def test_page_numbers_written_differently(a, b, same):
    assert (shapes.page_no_norm(a) == shapes.page_no_norm(b)) is same


def test_page_number_order():
    ordered = sorted(["10", "2", "B1", "A02", "01"], key=shapes.page_no_sort_key)
    assert ordered == ["01", "2", "10", "A02", "B1"]
    assert shapes.page_no_label("03") == "第03版" and shapes.page_no_label("") == "未标版次"


# ---------------------------------------------------------------- the fixture corpus


def _flat(text: str) -> str:
    """Text compared across repairs: width folded, no spaces, no Markdown heading marks."""
    return re.sub(r"[\s#]", "", query.normalise(text)).replace(",", "，")


def test_fixture_is_made_only_of_sample_page_text():
    samples = "".join(_flat(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt")))
    files = sorted(FIXTURE.rglob("*.txt"))
    assert len(files) == 10
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line) > 8 and not line.startswith("■"):
                assert _flat(line)[:60] in samples, (path.name, line[:40])


def test_article_fixture_loads_one_article_a_file(article_env):
    c = ingest.load_corpus()
    schemas.check(c.pages, schemas.PAGES)
    assert (c.report["status"] != "error").all()
    pages = c.pages.set_index("source")
    assert set(pages["shape"]) == {"article"} and (pages["items"] == 1).all()
    row = pages.loc["20200722/20200722-02-01.txt"]
    assert (row["page_no"], row["date"], row["date_source"]) == ("02", pd.Timestamp("2020-07-22"), "filename")
    arts = c.articles.set_index("source")
    assert arts.loc["20200722/20200722-01-03.txt", "order"] == 2
    assert arts.loc["2025-08-17_03_02.txt", "page_no"] == "03"
    assert arts.loc["2025-08-17_03_02.txt", "article_id"].endswith("-01")
    assert arts.loc["20250817/20250817-01-01.txt", "title"] == "奋战百日 决胜全年 彰显“创新突破”新成效"


def test_article_files_are_grouped_into_pages_by_date_and_page_number(article_env):
    c = ingest.load_corpus()
    paper = shapes.paper_pages(c.pages, c.articles)
    assert (paper.pages, paper.articles, paper.items, paper.shape) == (4, 10, 10, "article")
    table = paper.table.set_index("key")
    assert table.loc["2020-07-22||1", ["files", "articles"]].tolist() == [3, 3]
    assert table.loc["2025-08-17||3", ["files", "articles"]].tolist() == [2, 2]
    by_source = dict(zip(c.articles["source"], paper.of_article, strict=True))
    assert by_source["2025-08-17_03_01.txt"] == by_source["2025-08-17_03_02.txt"] == "2025-08-17||3"
    counts = shapes.page_no_counts(paper)
    assert counts[["page_no", "pages", "articles"]].values.tolist() == [
        ["01", 2, 6],
        ["02", 1, 2],
        ["03", 1, 2],
    ]
    choices = shapes.page_no_choices(c.articles)
    assert choices == {"01": "第01版（6 篇）", "02": "第02版（2 篇）", "03": "第03版（2 篇）"}


def test_whole_pages_count_items_and_articles_apart(corpus_env):
    c = ingest.load_corpus()
    paper = shapes.paper_pages(c.pages, c.articles)
    assert (paper.pages, paper.items, paper.shape) == (5, len(c.articles), "page")
    kinds = c.articles["kind"].astype(str)
    assert paper.articles == int(kinds.isin(["news", "photo", "commentary"]).sum()) < paper.items
    assert (paper.table["files"] == 1).all()


def test_a_mixed_corpus_counts_both(article_env):
    for name in ("000_a298d888743d6040.txt", "001_9b8e91649bcfa4b4.txt"):
        shutil.copy(SAMPLES / name, article_env / name)
        os.utime(article_env / name, (time.time() - 60, time.time() - 60))
    c = ingest.load_corpus()
    paper = shapes.paper_pages(c.pages, c.articles)
    whole = c.pages[c.pages["shape"] == "page"]
    assert paper.shape == "mixed" and paper.pages == 4 + 2 == shapes.page_count(c.pages)
    page_articles = c.articles[c.articles["page_id"].isin(whole["page_id"])]
    assert paper.articles == 10 + int(page_articles["kind"].astype(str).isin(schemas.ARTICLE_KINDS).sum())
    assert paper.items == 10 + len(page_articles)


def test_undated_article_files_are_pages_of_their_own():
    def row(page_id: str, day: str | None, page_no: str) -> dict:
        source = "filename" if day else "unknown"
        return {
            "page_id": page_id,
            "date": day,
            "page_no": page_no,
            "shape": "article",
            "date_source": source,
            "layout": "clean",
        }

    rows = [
        row("a", "2020-01-15", "01"),
        row("b", "2020-01-15", "1"),
        row("c", None, "01"),
        row("d", None, "01"),
    ]
    empty = {c.name: [] for c in schemas.PAGES.columns}
    pages = schemas.conform(
        pd.concat([pd.DataFrame(empty), pd.DataFrame(rows)], ignore_index=True), schemas.PAGES
    )
    paper = shapes.paper_pages(pages, schemas.ARTICLES.empty())
    assert sorted(paper.table["key"]) == ["2020-01-15||1", "file:c", "file:d"]  # 01 and 1 are one 版次
    assert shapes.page_count(pages) == paper.pages == 3
    assert shapes.page_count(pages.iloc[:0]) == 0
    assert paper.table.set_index("key").loc["2020-01-15||1", "files"] == 2


def test_a_manifest_change_of_shape_reparses_that_file(article_env):
    ingest.load_corpus()
    (article_env / "manifest.csv").write_text(
        "file,date,shape\n20200722/20200722-01-01.txt,2020-07-22,page\n", encoding="utf-8"
    )
    c = ingest.load_corpus()
    assert c.stats["parsed"] == 1 and c.stats["from_cache"] == 9
    row = c.pages.set_index("source").loc["20200722/20200722-01-01.txt"]
    assert (row["shape"], row["page_no"]) == ("page", "01")
    assert ingest.load_corpus().stats["parsed"] == 0  # and the cache holds it


def test_the_setting_forces_a_shape_and_reparses(article_env, monkeypatch):
    before = ingest.corpus_fingerprint()
    ingest.load_corpus()
    monkeypatch.setenv("PINGHU_CORPUS_SHAPE", "page")
    assert ingest.corpus_fingerprint() != before  # the dashboard reloads
    c = ingest.load_corpus()
    assert c.stats["parsed"] == 10 and set(c.pages["shape"]) == {"page"}
    assert (c.pages["page_no"] != "").all()  # the 版次 still comes from the name


def test_cli_articles_and_pages_say_page_no_and_shape(article_env, capsys):
    import json

    from pinghu_core.cli import main as cli

    assert cli.main(["articles", "--no-cache"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 10 and {r["shape"] for r in records} == {"article"}
    assert sorted({r["page_no"] for r in records}) == ["01", "02", "03"]
    assert cli.main(["pages", "--format", "csv", "--no-cache"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split(",")
    assert header[5:7] == ["page_no", "shape"] and all(",article," in line for line in lines[1:])
    assert cli.main(["ingest", "--no-words"]) == 0
    out = capsys.readouterr().out
    assert "版面 4 个（同一天同一版次的文章文件算一个版面），文章 10 篇" in out
