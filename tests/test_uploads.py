"""pinghu_core.corpus.uploads: file names that cannot escape the corpus folder, checks, dates, atomic writes."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_CORPUS

from pinghu_core.corpus import ingest, uploads
from pinghu_core.corpus.uploads import UploadError, safe_name

SEED = sorted(SAMPLE_CORPUS.glob("*.txt"))[0].read_bytes()

NAMES = [
    # (name sent by the browser, name written)
    ("2024-03-05.txt", "2024-03-05.txt"),
    ("../x.txt", "x.txt"),
    ("../../../../etc/x.txt", "x.txt"),
    ("/etc/x.txt", "x.txt"),
    ("..\\x.txt", "x.txt"),
    ("C:\\Windows\\x.txt", "x.txt"),
    ("..", None),
    ("../", None),
    ("", None),
    ("   ", None),
    (".txt", None),
    ("...txt", None),
    ("x.TXT", "x.txt"),
    ("x.txt.exe", None),
    ("x.exe", None),
    ("a\x00b.txt", None),
    ("a\nb.txt", None),
    (".hidden.txt", "hidden.txt"),
    ("CON.txt", "_CON.txt"),
    ("nul.txt", "_nul.txt"),
    ("com1.txt", "_com1.txt"),
    ("lpt9.backup.txt", "_lpt9.backup.txt"),
    ("console.txt", "console.txt"),
    ('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"),
    ("平湖版 2024年3月5日.txt", "平湖版 2024年3月5日.txt"),
    ("x .txt", "x.txt"),
]


@pytest.mark.parametrize(("sent", "expected"), NAMES, ids=[repr(n[0]) for n in NAMES])
def test_safe_name(sent, expected):
    if expected is None:
        with pytest.raises(UploadError):
            safe_name(sent)
    else:
        assert safe_name(sent) == expected


def test_very_long_names_are_shortened_to_whole_characters():
    name = safe_name("长" * 300 + ".txt")
    assert name.endswith("长.txt") and len(name.encode("utf-8")) <= uploads.MAX_NAME_BYTES
    name.encode("utf-8").decode("utf-8")  # no broken character


@pytest.mark.parametrize(
    "sent", ["../x.txt", "/etc/x.txt", "..\\x.txt", "../../outside/x.txt", "sub/../../x.txt"]
)
def test_write_never_leaves_the_corpus_folder(tmp_path, sent):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = uploads.write_page(corpus, sent, SEED)
    assert path.parent == corpus and path.read_bytes() == SEED
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["x.txt"]


def test_write_refuses_bad_names_and_never_overwrites(tmp_path):
    for bad in ["a\x00.txt", "..", "", "x.exe"]:
        with pytest.raises(UploadError):
            uploads.write_page(tmp_path, bad, SEED)
    first = uploads.write_page(tmp_path, "p.txt", SEED)
    second = uploads.write_page(tmp_path, "p.txt", b"other")
    assert (first.name, second.name) == ("p.txt", "p-2.txt") and first.read_bytes() == SEED
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_an_uploaded_page_is_read_at_once_not_held_as_being_written(tmp_path):
    from pinghu_core.corpus import ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    uploads.write_page(corpus, "2020-07-22.txt", SEED, settle_seconds=2)
    copied = corpus / "2020-07-23.txt"
    copied.write_bytes(SEED.replace("平湖".encode(), "嘉兴".encode()))  # copied in by hand, just now
    loaded = ingest.load_corpus(corpus, cache_dir=tmp_path / "cache", settle_seconds=2, progress=False)
    assert set(loaded.pages["source"]) == {"2020-07-22.txt"} and loaded.stats["writing"] == 1


def test_write_into_a_missing_folder_is_explained(tmp_path):
    with pytest.raises(UploadError, match="语料文件夹不存在"):
        uploads.write_page(tmp_path / "nope", "p.txt", SEED)


def test_a_symlinked_name_cannot_redirect_the_write(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    os.symlink(outside / "x.txt", corpus / "x.txt")  # a dangling link named like the upload
    path = uploads.write_page(corpus, "x.txt", SEED)
    assert path == corpus / "x-2.txt" and not (outside / "x.txt").exists()


def test_checks_size_encoding_duplicates_and_dates():
    gbk = "平湖新闻\n本报讯 今天上午，全市召开大会。\n".encode("gbk")
    known = {uploads.content_id(SEED): "000_seed.txt"}
    checked = uploads.check_batch(
        [
            ("2024-03-05_a.txt", gbk),
            ("b.txt", SEED),  # already in the corpus
            ("c.txt", gbk),  # same bytes as the first file of this upload
            ("d.txt", b"x" * (len(SEED) + 11)),
            ("e.txt", b"\x00\x01\x02binary" * 5),
            ("f.txt", b""),
            ("../g.exe", b"abc"),
            ("h.txt", "2020年7月21日 星期二\n昨天，市委召开会议。".encode()),
        ],
        max_bytes=len(SEED) + 10,
        known=known,
    )
    a, b, c, d, e, f, g, h = checked
    assert (
        a.ok and a.encoding.lower().replace("-", "") in ("gb18030", "gbk") and a.name_date == date(2024, 3, 5)
    )
    assert not a.needs_date and uploads.target_name(a, date(2000, 1, 1)) == "2024-03-05_a.txt"
    assert b.duplicate_of == "000_seed.txt" and "语料中的“000_seed.txt”" in b.problem
    assert c.duplicate_of == "2024-03-05_a.txt" and "本次上传的" in c.problem
    assert "文件过大" in d.problem
    assert "二进制" in e.problem
    assert "文件为空" in f.problem
    assert "只接受以 .txt 结尾" in g.problem
    assert h.ok and h.needs_date and h.inferred is not None
    assert uploads.target_name(h, date(2020, 7, 22)) == "2020-07-22_h.txt"


def test_saved_files_are_read_by_the_ingest_with_the_confirmed_date(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    checked = uploads.check_batch([("seed.txt", SEED), ("x.exe", b"abc")], max_bytes=10**6, known={})
    written, problems = uploads.save_batch(corpus, checked, [date(2019, 9, 9), None])
    assert [p.name for _, p in written] == ["2019-09-09_seed.txt"] and problems[0].startswith("x.exe：")
    report = uploads.upload_report(written, corpus)
    row = report.iloc[0]
    assert (row["source"], row["original"], row["status"]) == ("2019-09-09_seed.txt", "seed.txt", "ok")
    assert row["date"].date() == date(2019, 9, 9) and row["date_source"] == "filename" and row["items"] > 3
    table = uploads.report_table(report)
    assert (
        list(table.columns)[:3] == ["文件", "上传的文件名", "状态"] and table.iloc[0]["日期来源"] == "文件名"
    )
    loaded = ingest.load_corpus(corpus, cache_dir=tmp_path / "cache", workers=1)
    assert loaded.pages["date"].iloc[0].date() == date(2019, 9, 9)


def test_empty_report():
    assert uploads.upload_report([], Path("/nowhere")).empty


def test_same_name_saved_at_the_same_moment_keeps_every_file(tmp_path):
    """Issue 12 #17: uploads racing for one name never overwrite each other."""
    import threading

    n = 12
    barrier = threading.Barrier(n)
    paths: list[Path] = []
    errors: list[BaseException] = []

    def save(i: int) -> None:
        barrier.wait()
        try:
            paths.append(uploads.write_page(tmp_path, "同名.txt", f"第{i}份内容".encode() * 50))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({p.name for p in paths}) == n  # every upload got its own name …
    assert sorted(p.read_bytes() for p in paths) == sorted(f"第{i}份内容".encode() * 50 for i in range(n))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(  # … the ones it was told, no temp files
        ["同名.txt", *(f"同名-{k}.txt" for k in range(2, n + 1))]
    )


def test_a_taken_name_is_stored_under_a_new_one_and_the_user_told(tmp_path):
    (tmp_path / "2024-03-05.txt").write_bytes(b"old")
    checked = uploads.check_batch([("2024-03-05.txt", SEED)], max_bytes=10**7, known={})
    notes: list[str] = []
    written, problems = uploads.save_batch(tmp_path, checked, [None], notes=notes)
    assert not problems and written[0][1].name == "2024-03-05-2.txt"
    assert notes == ["“2024-03-05.txt”：同名文件“2024-03-05.txt”已存在，已另存为“2024-03-05-2.txt”"]
    assert (tmp_path / "2024-03-05.txt").read_bytes() == b"old"


@pytest.mark.parametrize("sent", ["\udcff.txt", "版面\ud800.txt"])
def test_a_name_with_a_lone_surrogate_is_refused_in_chinese(tmp_path, sent):
    with pytest.raises(UploadError, match="无法编码的字符"):
        safe_name(sent)
    checked = uploads.check_upload(sent, SEED, max_bytes=10**7, known={})
    assert not checked.ok and "无法编码" in checked.problem
    with pytest.raises(UploadError, match="无法编码"):
        uploads.write_page(tmp_path, sent, SEED)
    assert not list(tmp_path.iterdir())
