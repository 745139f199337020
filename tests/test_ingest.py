"""ingest + corpus: loading a folder, bad files, the manifest, the cache, the fingerprint."""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing as mp
import os
import random
import shutil
import warnings
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pinghu_core.common import datafiles, schemas, settings
from pinghu_core.corpus import files as corpus_mod
from pinghu_core.corpus import ingest
from pinghu_core.corpus.ingest import CacheWarning, CorpusError, load_corpus
from pinghu_core.parse import columns, pipeline, reading

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "corpus"
SEEDS = sorted(p.name for p in SEED_DIR.glob("*.txt"))


def seed_text(name: str) -> str:
    return (SEED_DIR / name).read_text(encoding="utf-8")


def check_frames(c: ingest.Corpus) -> None:
    """All three frames match their specs; articles and pages agree."""
    schemas.check(c.articles, schemas.ARTICLES)
    schemas.check(c.pages, schemas.PAGES)
    schemas.check(c.report, schemas.INGEST_REPORT)
    schemas.check(c.copies, schemas.ARTICLE_COPIES)
    # every item of a file is in the frames, or left out as a copy of another file's (copies.py)
    per_page = c.articles.groupby("source", observed=True).size()
    left_out = c.copies.groupby("source", observed=True).size()
    items = c.pages.set_index("source")["items"]
    counted = per_page.reindex(items.index, fill_value=0) + left_out.reindex(items.index, fill_value=0)
    assert counted.tolist() == items.tolist()
    assert not c.articles["article_id"].isin(c.copies["article_id"]).any()
    assert c.copies["kept_article_id"].isin(c.articles["article_id"]).all()
    assert c.articles["article_id"].is_unique and c.pages["page_id"].is_unique


def report_of(c: ingest.Corpus) -> dict[str, tuple[str, str]]:
    """source → (status, code)."""
    return {r.source: (r.status, r.code) for r in c.report.itertuples()}


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "cache").rglob("*") if p.is_file())


# ---------------------------------------------------------------- loading the seeds


def test_load_seed_corpus(env: Path) -> None:
    c = load_corpus()
    check_frames(c)
    assert c.corpus_dir == env
    assert c.pages["source"].tolist() == SEEDS
    want_ids = [hashlib.sha256((env / s).read_bytes()).hexdigest()[:16] for s in SEEDS]
    assert c.pages["page_id"].tolist() == want_ids
    assert c.report["source"].tolist() == SEEDS
    assert not c.report["cached"].any()
    assert (c.report["encoding"] == "utf-8").all()
    assert c.report["bytes"].tolist() == [(env / s).stat().st_size for s in SEEDS]
    # a seed is a warning exactly when its page has problems, and only with code page_problems
    has_problems = (c.pages["problems"] != "").tolist()
    assert (c.report["status"] == "warning").tolist() == has_problems
    assert set(c.report["code"]) <= {"", "page_problems"}
    assert c.stats["files"] == 5 and c.stats["parsed"] == 5 and c.stats["from_cache"] == 0
    assert c.stats["errors"] == 0 and c.stats["warnings"] == sum(has_problems)
    assert c.articles["article_id"].str.startswith(tuple(want_ids)).all()


def test_missing_corpus_folder_raises_corpus_error(tmp_path: Path) -> None:
    missing = tmp_path / "没有这个文件夹"
    with pytest.raises(CorpusError, match="找不到语料文件夹") as info:
        load_corpus(missing, cache_dir=tmp_path / "cache")
    assert str(missing) in str(info.value)
    with pytest.raises(CorpusError):
        ingest.corpus_fingerprint(missing)
    a_file = tmp_path / "x.txt"
    a_file.write_text("x")
    with pytest.raises(CorpusError, match="不是文件夹"):
        load_corpus(a_file)


def test_discovery_is_recursive_sorted_and_skips_hidden_and_cache(env: Path, tmp_path: Path) -> None:
    (env / "2020" / "07").mkdir(parents=True)
    (env / "2020" / "07" / "21.txt").write_text(seed_text(SEEDS[0]) + "\n本期完\n", encoding="utf-8")
    (env / "B.TXT").write_text(seed_text(SEEDS[1]) + "\n大写扩展名\n", encoding="utf-8")
    (env / ".hidden").mkdir()
    (env / ".hidden" / "x.txt").write_text("隐藏", encoding="utf-8")
    (env / ".draft.txt").write_text("隐藏", encoding="utf-8")
    (env / "notes.md").write_text("不是版面", encoding="utf-8")
    cache_dir = env / "_cache"
    cache_dir.mkdir()
    (cache_dir / "stray.txt").write_text("缓存里的文件", encoding="utf-8")
    c = load_corpus(cache_dir=cache_dir)
    want = sorted([*SEEDS, "2020/07/21.txt", "B.TXT"])
    assert c.report["source"].tolist() == want
    assert c.pages["source"].tolist() == want
    assert [f.rel for f in corpus_mod.scan(env, exclude=[cache_dir])] == want


# ---------------------------------------------------------------- bad files


def write_bad_corpus(folder: Path) -> None:
    """Seeds plus re-encoded copies and files that must be refused."""
    t = [seed_text(s) for s in SEEDS]
    files = {
        "enc/gb18030.txt": t[0].encode("gb18030"),
        "enc/utf16.txt": t[1].encode("utf-16"),
        "enc/utf16be-nobom.txt": t[2].encode("utf-16-be"),
        "enc/bom-crlf.txt": b"\xef\xbb\xbf" + t[3].replace("\n", "\r\n").encode("utf-8"),
        "bad/empty.txt": b"",
        "bad/binary.txt": bytes(random.Random(1).randrange(256) for _ in range(3000)) + b"\x00" * 10,
        "bad/page.txt": b"<!DOCTYPE html><html><head><title>x</title></head><body><p>x</p></body></html>",
        "bad/huge.txt": (t[4] * 3).encode("utf-8"),
        "dup/copy.txt": (folder / SEEDS[0]).read_bytes(),
    }
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def test_bad_files_are_reported_and_good_ones_load(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINGHU_MAX_FILE_BYTES", "30000")  # seeds are ~15 KB, huge.txt ~45 KB
    write_bad_corpus(env)
    c = load_corpus()
    check_frames(c)
    rep = report_of(c)
    assert rep["bad/empty.txt"] == ("error", "empty")
    assert rep["bad/binary.txt"] == ("error", "binary")
    assert rep["bad/page.txt"] == ("error", "html")
    assert rep["bad/huge.txt"] == ("error", "too_large")
    assert rep["dup/copy.txt"] == ("warning", "duplicate")
    msg = c.report.set_index("source")["message"]
    assert msg["bad/page.txt"] == "这是网页(HTML)文件，不是版面文本，已跳过"
    assert "文件过大" in msg["bad/huge.txt"] and "文件为空" in msg["bad/empty.txt"]
    assert SEEDS[0] in msg["dup/copy.txt"]
    enc = c.report.set_index("source")["encoding"]
    assert enc["enc/gb18030.txt"] == "gb18030" and enc["enc/utf16.txt"] == "utf-16"
    assert enc["enc/utf16be-nobom.txt"] == "utf-16-be" and enc["enc/bom-crlf.txt"] == "utf-8-sig"
    loaded = set(c.pages["source"])
    assert loaded == {*SEEDS, "enc/gb18030.txt", "enc/utf16.txt", "enc/utf16be-nobom.txt", "enc/bom-crlf.txt"}
    assert c.stats["errors"] == 4 and c.stats["files"] == 14
    # re-encoded copies parse exactly like their UTF-8 originals: the same 版面 twice, so their
    # articles are counted once, in the original (the first by name of two files of as many items);
    # what the copy keeps (masthead, ads, guides) and the articles it left out are the original
    for rel, seed in [
        ("enc/gb18030.txt", 0),
        ("enc/utf16.txt", 1),
        ("enc/utf16be-nobom.txt", 2),
        ("enc/bom-crlf.txt", 3),
    ]:
        mine = c.articles[c.articles["source"] == rel]
        orig = c.articles[c.articles["source"] == SEEDS[seed]]
        gone = c.copies[c.copies["source"] == rel]
        assert len(mine) > 0 and len(gone) > 0
        assert set(gone["kept_source"]) == {SEEDS[seed]}
        assert not mine["kind"].astype(str).isin(schemas.ARTICLE_KINDS).any()
        kept = orig.set_index("article_id").loc[gone["kept_article_id"]].reset_index()
        both = pd.concat([mine, kept]).sort_values("order")
        assert both["body"].tolist() == orig["body"].tolist()
        assert both["title"].tolist() == orig["title"].tolist()
        assert rep[rel][0] == "warning"  # page_problems already (a date to confirm): the words are added
        assert f"篇文章与“{SEEDS[seed]}”中的相同" in msg[rel]
    assert c.stats["copies"] == len(c.copies) > 0


def test_bad_files_are_remembered_by_the_cache(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINGHU_MAX_FILE_BYTES", "30000")
    write_bad_corpus(env)
    first = load_corpus()
    second = load_corpus()
    assert second.stats["parsed"] == 0
    pd.testing.assert_frame_equal(first.report.drop(columns="cached"), second.report.drop(columns="cached"))
    cached = second.report.set_index("source")["cached"]
    assert cached["bad/binary.txt"] and cached["enc/utf16.txt"]  # content-determined outcomes
    assert not cached["bad/huge.txt"] and not cached["dup/copy.txt"]  # re-decided every load


def test_parser_exception_becomes_an_error_row(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.process_records

    def explode_on_second(text, source, **kw):
        if source == SEEDS[1]:
            raise ValueError("模拟的解析错误")
        return real(text, source, **kw)

    monkeypatch.setattr(pipeline, "process_records", explode_on_second)
    c = load_corpus(use_cache=False)
    row = c.report.set_index("source").loc[SEEDS[1]]
    assert (row["status"], row["code"]) == ("error", "parse_failed")
    assert row["message"].startswith("解析失败：ValueError") and "模拟的解析错误" in row["message"]
    assert row["encoding"] == "utf-8"
    assert c.pages["source"].tolist() == [s for s in SEEDS if s != SEEDS[1]]
    assert c.stats["errors"] == 1
    check_frames(c)


def test_process_pool_gives_the_same_frames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    texts = [seed_text(s) for s in SEEDS]
    for i in range(ingest.MIN_PARALLEL + 4):
        (folder / f"p{i:03d}.txt").write_text(texts[i % 5] + f"\n第{i}期\n", encoding="utf-8")
    (folder / "p005.txt").write_bytes(b"\x00\x01binary")  # an error inside a worker chunk
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    pooled = load_corpus(folder, workers=2, use_cache=False)
    single = load_corpus(folder, workers=1, use_cache=False)
    assert pooled.stats["processes"] == 2 and single.stats["processes"] == 1
    assert pooled.stats["parsed"] == single.stats["parsed"] == ingest.MIN_PARALLEL + 4
    pd.testing.assert_frame_equal(pooled.articles, single.articles)
    pd.testing.assert_frame_equal(pooled.pages, single.pages)
    pd.testing.assert_frame_equal(pooled.report, single.report)
    assert report_of(pooled)["p005.txt"] == ("error", "binary")
    check_frames(pooled)


def _many_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    texts = [seed_text(s) for s in SEEDS]
    for i in range(ingest.MIN_PARALLEL + 4):
        (folder / f"p{i:03d}.txt").write_text(texts[i % 5] + f"\n第{i}期\n", encoding="utf-8")
    return folder


def test_meanwhile_runs_once_here_while_the_pool_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pinghu ingest`` loads jieba's dictionary in ``meanwhile``: in the ingest's own process, once,
    while its parse workers are alive — so the pools forked after the parse share it."""
    folder = _many_pages(tmp_path)
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[tuple[int, int]] = []
    pooled = load_corpus(
        folder,
        workers=2,
        use_cache=False,
        meanwhile=lambda: seen.append((os.getpid(), len(mp.active_children()))),
    )
    assert pooled.stats["processes"] == 2
    assert seen == [(os.getpid(), 2)]  # here, once, the two parse workers running
    single = load_corpus(folder, workers=1, use_cache=False, meanwhile=lambda: seen.append((0, 0)))
    assert single.stats["processes"] == 1 and len(seen) == 1  # parsed here: there is no while
    pd.testing.assert_frame_equal(pooled.articles, single.articles)


def test_a_failing_meanwhile_costs_nothing_but_its_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _many_pages(tmp_path)
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))

    def boom() -> None:
        raise RuntimeError("no dictionary")

    with caplog.at_level(logging.ERROR, logger=ingest.__name__):
        failed = load_corpus(folder, workers=2, use_cache=False, meanwhile=boom)
    assert "the work done while the workers parse failed" in caplog.text
    fine = load_corpus(folder, workers=2, use_cache=False)
    assert failed.stats["parsed"] == fine.stats["parsed"] == ingest.MIN_PARALLEL + 4
    pd.testing.assert_frame_equal(failed.articles, fine.articles)


def test_pinghu_ingest_loads_jieba_while_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command hands the loading of jieba's dictionary to the parse (``meanwhile``)."""
    from pinghu_core.cli import corpus as corpus_cli
    from pinghu_core.cli.main import build_parser
    from pinghu_core.common import jieba_dict

    folder = _many_pages(tmp_path)
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(tmp_path / "cache"))
    given: list[object] = []
    real = ingest.load_corpus

    def spy(*args, **kwargs):
        given.append(kwargs.get("meanwhile"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "load_corpus", spy)
    args = build_parser().parse_args(["ingest", str(folder), "--no-words", "--workers", "2"])
    assert corpus_cli.cmd_ingest(args, io.StringIO(), io.StringIO()) == 0
    assert given == [jieba_dict.pos_tokenizer]


def test_chunks_cover_all_jobs_in_order() -> None:
    jobs = [ingest.Job(str(i), str(i), b"", "", None) for i in range(1000)]
    chunks = ingest.chunked(jobs, 2)
    assert [j.source for c in chunks for j in c] == [str(i) for i in range(1000)]
    assert max(len(c) for c in chunks) <= ingest.MAX_CHUNK and len(chunks) >= 8
    assert (
        ingest.processes_for(5, 2) == 1
        and ingest.processes_for(100, 2) == 2
        and ingest.processes_for(100, 1) == 1
    )


def test_progress_bar_goes_to_stderr(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_corpus(progress=True, use_cache=False)
    out, err = capsys.readouterr()
    assert out == ""
    assert "解析版面" in err and "5/5" in err


# ---------------------------------------------------------------- manifest


MANIFEST = """file,date,page,edition
{s0},2020-07-22,1,平湖版
{s1},2020/7/23,,
{s2},not-a-date,2,
missing.txt,2020-01-01,,
,2020-01-01,,
{s0},2021-01-01,,
"""


def test_manifest_dates_and_problems(env: Path) -> None:
    (env / "manifest.csv").write_text(
        MANIFEST.format(s0=SEEDS[0], s1=SEEDS[1], s2=SEEDS[2]), encoding="utf-8"
    )
    c = load_corpus()
    pages = c.pages.set_index("source")
    assert pages.loc[SEEDS[0], "date"] == pd.Timestamp("2020-07-22")
    assert pages.loc[SEEDS[0], "date_source"] == "manifest"
    assert (pages.loc[SEEDS[0], "page_no"], pages.loc[SEEDS[0], "edition"]) == ("1", "平湖版")
    assert pages.loc[SEEDS[1], "date"] == pd.Timestamp("2020-07-23")
    assert pages.loc[SEEDS[2], "date_source"] != "manifest" and pages.loc[SEEDS[2], "page_no"] == "2"
    arts = c.articles[c.articles["source"] == SEEDS[0]]
    assert (arts["date"] == pd.Timestamp("2020-07-22")).all() and (arts["date_source"] == "manifest").all()
    row = c.report.set_index("source").loc["manifest.csv"]
    assert (row["status"], row["code"]) == ("warning", "manifest")
    for piece in ["第4行", "not-a-date", "第5行", "missing.txt", "第6行", "缺少文件名", "第7行", "第2行出现"]:
        assert piece in row["message"], piece
    assert len(c.report) == 6 and c.stats["files"] == 5


def test_manifest_change_reparses_only_the_changed_entry(env: Path) -> None:
    (env / "manifest.csv").write_text(f"file,date\n{SEEDS[0]},2020-07-22\n", encoding="utf-8")
    load_corpus()
    (env / "manifest.csv").write_text(
        f"file,date\n{SEEDS[0]},2020-07-22\n{SEEDS[3]},2020-08-01\n", encoding="utf-8"
    )
    c = load_corpus()
    assert c.stats["parsed"] == 1 and c.stats["from_cache"] == 4
    assert c.pages.set_index("source").loc[SEEDS[3], "date"] == pd.Timestamp("2020-08-01")


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("2020-07-22", date(2020, 7, 22)),
        (" 2020/7/2 ", date(2020, 7, 2)),
        ("2020.07.22", date(2020, 7, 22)),
        ("20200722", date(2020, 7, 22)),
        ("2020年7月22日", date(2020, 7, 22)),
        ("2020-07-22 00:00:00", date(2020, 7, 22)),
        ("", None),
    ],
)
def test_parse_date(raw: str, want: date | None) -> None:
    assert corpus_mod.parse_date(raw) == want


@pytest.mark.parametrize("raw", ["2020-13-01", "2020-02-30", "22/07/2020", "July 22", "2020-07"])
def test_parse_date_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        corpus_mod.parse_date(raw)


def test_manifest_chinese_headers_gbk_and_paths(tmp_path: Path) -> None:
    text = "文件,日期,版次,版别\r\n.\\2020\\a.txt,2020-07-22,01,平湖版\r\n./b.txt,20200723,,\r\n"
    (tmp_path / "manifest.csv").write_bytes(text.encode("gbk"))
    m = corpus_mod.read_manifest(tmp_path)
    assert m.problems == []
    assert m.entries == {
        "2020/a.txt": corpus_mod.ManifestEntry(date(2020, 7, 22), "01", "平湖版"),
        "b.txt": corpus_mod.ManifestEntry(date(2020, 7, 23), "", ""),
    }
    assert m.unmatched(["b.txt"]) == ["manifest.csv 第2行：找不到文件“2020/a.txt”"]


def test_manifest_without_header_is_unused_with_a_problem() -> None:
    m = corpus_mod.parse_manifest("a.txt,2020-07-22\n")
    assert m.entries == {} and len(m.problems) == 1 and "第1行" in m.problems[0]


def test_missing_manifest_is_fine(tmp_path: Path) -> None:
    m = corpus_mod.read_manifest(tmp_path)
    assert (m.entries, m.problems) == ({}, [])


# ---------------------------------------------------------------- cache


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file ingest reads from now on."""
    seen: list[str] = []
    real = reading.read_bytes

    def counting(path, max_bytes, **kwargs):
        seen.append(Path(path).name)
        return real(path, max_bytes, **kwargs)

    monkeypatch.setattr(reading, "read_bytes", counting)
    return seen


def test_warm_load_reparses_and_rereads_nothing(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = load_corpus()
    reads = count_reads(monkeypatch)
    warm = load_corpus()
    assert reads == []  # the stat index spared even the hashing
    assert warm.stats["parsed"] == 0 and warm.stats["from_cache"] == 5 and warm.stats["processes"] == 0
    assert warm.report["cached"].all()
    check_frames(warm)
    pd.testing.assert_frame_equal(cold.articles, warm.articles)
    pd.testing.assert_frame_equal(cold.pages, warm.pages)
    pd.testing.assert_frame_equal(cold.progress, warm.progress)  # progress figures cached with the articles
    assert len(warm.progress) > 0
    schemas.check(warm.progress, schemas.PROGRESS)
    pd.testing.assert_frame_equal(cold.report.drop(columns="cached"), warm.report.drop(columns="cached"))
    assert cold.fingerprint == warm.fingerprint
    # lists come back as lists of str
    for col in ("reporters", "correspondents", "photographers", "interns", "authors"):
        assert all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in warm.articles[col])
    assert warm.articles["reporters"].map(len).sum() > 0
    # consolidated: one index and four Arrow files, nothing left half-written
    names = [p.name for p in cache_files(tmp_path)]
    assert len(names) == 5 and "index.json" in names
    assert sorted(n.split("-")[0] for n in names if n.endswith(".arrow")) == [
        "articles",
        "files",
        "pages",
        "progress",
    ]
    assert all(f"v{settings.PARSER_VERSION}" in str(p) for p in cache_files(tmp_path))


def test_touched_file_is_rehashed_not_reparsed(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_corpus()
    st = (env / SEEDS[2]).stat()
    os.utime(env / SEEDS[2], ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    reads = count_reads(monkeypatch)
    c = load_corpus()
    assert reads == [SEEDS[2]]
    assert c.stats["parsed"] == 0 and c.stats["from_cache"] == 5
    reads.clear()
    assert load_corpus().stats["from_cache"] == 5 and reads == []  # the new mtime was recorded


def test_changed_file_is_reparsed_alone(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = load_corpus()
    with open(env / SEEDS[1], "a", encoding="utf-8") as f:
        f.write("\n本报讯 新增的一段文字，用来改变这个版面。\n")
    reads = count_reads(monkeypatch)
    c = load_corpus()
    assert reads == [SEEDS[1]]
    assert c.stats["parsed"] == 1 and c.stats["from_cache"] == 4
    assert c.report.set_index("source")["cached"].to_dict() == {s: s != SEEDS[1] for s in SEEDS}
    new_id = hashlib.sha256((env / SEEDS[1]).read_bytes()).hexdigest()[:16]
    assert c.pages.set_index("source").loc[SEEDS[1], "page_id"] == new_id
    assert c.pages["source"].tolist() == SEEDS  # still in order
    assert before.fingerprint != c.fingerprint
    others = c.articles[c.articles["source"] != SEEDS[1]].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        others, before.articles[before.articles["source"] != SEEDS[1]].reset_index(drop=True)
    )
    check_frames(c)


def test_added_and_removed_files(env: Path) -> None:
    load_corpus()
    (env / "new.txt").write_text(seed_text(SEEDS[0]) + "\n新的一期\n", encoding="utf-8")
    added = load_corpus()
    assert added.stats["parsed"] == 1 and added.stats["from_cache"] == 5 and len(added.pages) == 6
    (env / SEEDS[0]).unlink()
    (env / "new.txt").unlink()
    removed = load_corpus()
    assert removed.stats["parsed"] == 0 and removed.stats["from_cache"] == 4
    assert removed.pages["source"].tolist() == SEEDS[1:]
    assert set(removed.articles["source"]) == set(SEEDS[1:])
    assert removed.report["source"].tolist() == SEEDS[1:]
    check_frames(removed)
    again = load_corpus()
    assert again.stats["from_cache"] == 4 and len(again.pages) == 4


def test_duplicate_takes_over_when_the_original_is_deleted(env: Path) -> None:
    shutil.copyfile(env / SEEDS[0], env / "zz_copy.txt")
    first = load_corpus()
    assert report_of(first)["zz_copy.txt"] == ("warning", "duplicate")
    (env / SEEDS[0]).unlink()
    c = load_corpus()
    assert (
        report_of(c)["zz_copy.txt"][0] in ("ok", "warning") and report_of(c)["zz_copy.txt"][1] != "duplicate"
    )
    assert "zz_copy.txt" in set(c.pages["source"]) and c.stats["parsed"] == 1


def corrupt(path: Path) -> None:
    path.write_bytes(b"this is not an Arrow file at all")


@pytest.mark.parametrize("victim", ["articles", "pages", "files", "index"])
def test_corrupt_cache_is_discarded_and_rebuilt(env: Path, tmp_path: Path, victim: str) -> None:
    cold = load_corpus()
    target = next(p for p in cache_files(tmp_path) if p.name.startswith(victim))
    corrupt(target)
    with pytest.warns(CacheWarning, match="缓存无法使用"):
        rebuilt = load_corpus()
    assert rebuilt.stats["parsed"] == 5 and rebuilt.stats["cache_problem"]
    pd.testing.assert_frame_equal(cold.articles, rebuilt.articles)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        assert load_corpus().stats["from_cache"] == 5


def test_cache_missing_a_generation_file_is_rebuilt(env: Path, tmp_path: Path) -> None:
    load_corpus()
    next(p for p in cache_files(tmp_path) if p.name.startswith("pages")).unlink()
    with pytest.warns(CacheWarning):
        assert load_corpus().stats["parsed"] == 5


def test_parser_version_change_invalidates(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_corpus()
    monkeypatch.setattr(settings, "PARSER_VERSION", "test-next")
    c = load_corpus()
    assert c.stats["parsed"] == 5 and c.stats["from_cache"] == 0
    assert c.fingerprint != first.fingerprint
    assert [p.name.startswith("vtest-next-") for p in (tmp_path / "cache").glob("vtest-next*")] == [True]
    assert load_corpus().stats["from_cache"] == 5


def test_a_changed_column_list_reparses_and_a_broken_one_keeps_the_last_good(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """data/columns.toml decides kinds: editing it re-parses; a malformed edit keeps the last good
    lists and says so in Chinese."""
    data = tmp_path / "data"
    data.mkdir()
    shipped = (ROOT / "data" / "columns.toml").read_text(encoding="utf-8")
    (data / "columns.toml").write_text(shipped, encoding="utf-8")
    monkeypatch.setattr(datafiles, "DATA_DIR", data)
    first = load_corpus()
    assert load_corpus().stats["from_cache"] == 5
    (data / "columns.toml").write_text(shipped.replace('"今日谈", ', ""), encoding="utf-8")
    again = load_corpus()
    assert again.stats["parsed"] == 5 and again.fingerprint != first.fingerprint
    (data / "columns.toml").write_text(shipped + "\n[broken\n", encoding="utf-8")
    assert load_corpus().stats["from_cache"] == 5  # the last good lists, unchanged
    assert "栏目列表文件 columns.toml 无法读取" in columns.columns_problem()
    assert columns.is_commentary("人民时评")


def test_unwritable_cache_warns_and_still_loads(env: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.warns(CacheWarning, match="无法写入缓存"):
        c = load_corpus(cache_dir=blocker / "cache")
    assert len(c.pages) == 5 and c.stats["cache_problem"]


def test_no_cache_writes_nothing(env: Path, tmp_path: Path) -> None:
    load_corpus()
    c = load_corpus(use_cache=False)
    assert c.stats["parsed"] == 5 and not c.report["cached"].any()
    shutil.rmtree(tmp_path / "cache")
    load_corpus(use_cache=False)
    assert not (tmp_path / "cache").exists()


def test_two_corpus_folders_do_not_share_a_cache(env: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copyfile(env / SEEDS[0], other / "only.txt")
    load_corpus()
    assert load_corpus(other).stats["parsed"] == 1
    assert load_corpus().stats["from_cache"] == 5
    assert load_corpus(other).stats["from_cache"] == 1


def test_frame_roundtrip_through_parquet() -> None:
    rows = pd.DataFrame(
        {
            **{c.name: ["x", "y"] for c in schemas.ARTICLES.columns if c.dtype == schemas.STR},
            "date": [pd.Timestamp("2020-07-22"), pd.NaT],
            "date_source": ["manifest", "unknown"],
            "date_confidence": [1.0, 0.0],
            "kind": ["news", "ad"],
            "reporters": [["冯思家", "李雨婷"], []],
            "correspondents": [[], ["张三"]],
            "photographers": [["王五"], []],
            "interns": [[], []],
            "authors": [["言成声"], []],
            "byline_inferred": [True, False],
            "order": [0, 1],
            "chars": [10, 0],
            "continued": [False, True],
            "duplicates_dropped": [0, 2],
            "raw_chars": [12, 3],
            "confidence": [1.0, 0.5],
        }
    )
    df = schemas.conform(rows, schemas.ARTICLES)
    back = ingest.table_to_frame(ingest.frame_to_table(df, schemas.ARTICLES), schemas.ARTICLES)
    pd.testing.assert_frame_equal(df, back)
    assert back.loc[0, "reporters"] == ["冯思家", "李雨婷"] and isinstance(back.loc[1, "reporters"], list)


# ---------------------------------------------------------------- fingerprint


def test_fingerprint_tracks_every_change(env: Path, tmp_path: Path) -> None:
    fp = ingest.corpus_fingerprint
    base = fp()
    assert fp() == base and fp(env) == base
    assert load_corpus().fingerprint == base
    (env / ".hidden.txt").write_text("x")
    assert fp() == base  # hidden files are not part of the corpus
    (env / "new.txt").write_text("新")
    added = fp()
    assert added != base
    st = (env / "new.txt").stat()
    (env / "new.txt").write_text("旧")  # same size, new content
    os.utime(env / "new.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 1000))
    assert fp() not in (base, added)
    (env / "new.txt").unlink()
    assert fp() == base
    (env / "manifest.csv").write_text(f"file,date\n{SEEDS[0]},2020-07-22\n")
    assert fp() != base


def test_fingerprint_reads_no_page_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprint is stat-based (that is what keeps it fast: ~30 ms for 3,650 files, measured
    in bench, not here): it must never open a page file."""
    folder = tmp_path / "big"
    for i in range(730):
        sub = folder / str(2010 + i // 365)
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:04d}.txt").write_bytes(b"x")
    real_open = open

    def guarded_open(file, *args, **kwargs):
        if str(file).endswith(".txt"):
            raise AssertionError(f"fingerprint opened {file}")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: guarded_open(self))
    first = ingest.corpus_fingerprint(folder, cache_dir=tmp_path / "cache")
    assert first == ingest.corpus_fingerprint(folder, cache_dir=tmp_path / "cache")


# ---------------------------------------------------------------- files given one by one


def test_load_files_keeps_sources_as_given_and_uses_a_manifest_next_to_them(env: Path) -> None:
    (env / "manifest.csv").write_text(f"file,date\n{SEEDS[1]},2020-07-23\n", encoding="utf-8")
    given = [str(env / SEEDS[1]), str(env / SEEDS[0])]
    c = ingest.load_files(given)
    assert c.pages["source"].tolist() == given  # in the order given
    assert c.report["source"].tolist() == given
    pages = c.pages.set_index("source")
    assert (
        pages.loc[given[0], "date"] == pd.Timestamp("2020-07-23")
        and pages.loc[given[0], "date_source"] == "manifest"
    )
    check_frames(c)


def test_combine_keeps_a_page_once(env: Path) -> None:
    a = ingest.load_files([str(env / SEEDS[0])])
    b = ingest.load_files([str(env / SEEDS[0]), str(env / SEEDS[1])])
    c = ingest.combine([a, b])
    assert len(c.pages) == 2 and c.articles["article_id"].is_unique
    assert c.report["code"].tolist().count("duplicate") == 1
    check_frames(c)


def test_a_parser_list_goes_through_the_one_dictionary_store(tmp_path, monkeypatch) -> None:
    """datafiles.DataFile reads through dictfile.LastGoodStore: a malformed edit keeps the last good
    lists with a Chinese problem; a file never good gives the empty lists."""
    from pinghu_core.common import datafiles

    monkeypatch.setattr(datafiles, "DATA_DIR", tmp_path)
    monkeypatch.setattr(datafiles, "FILES", list(datafiles.FILES))  # the probes do not key the parse cache
    (tmp_path / "probe.toml").write_text('words = ["甲", "乙"]\n', encoding="utf-8")
    probe = datafiles.DataFile("probe.toml", "测试词表", lambda d: tuple(d["words"]), ())
    assert probe.get() == ("甲", "乙") and probe.problem() == "" and probe.digest() != "none"
    digest = probe.digest()
    (tmp_path / "probe.toml").write_text('words = ["甲", \n', encoding="utf-8")
    assert probe.get() == ("甲", "乙") and probe.digest() == digest
    assert probe.problem().startswith("测试词表文件 probe.toml 无法读取") and probe.problem().endswith(
        "沿用上一次可用的内容"
    )
    never = datafiles.DataFile("missing.toml", "缺失词表", lambda d: tuple(d["words"]), ())
    assert never.get() == () and never.digest() == "none" and never.problem().endswith("暂不使用")
