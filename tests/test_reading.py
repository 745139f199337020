"""reading: every accepted encoding gives back the UTF-8 original; every refusal has its code."""

from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

import pytest

from pinghu_core.parse import reading
from pinghu_core.parse.reading import decode_bytes, read_page

SEEDS = sorted((Path(__file__).resolve().parent.parent / "data" / "corpus").glob("*.txt"))


def seed_text(i: int) -> str:
    """The UTF-8 text of seed ``i`` (LF newlines, no BOM)."""
    return SEEDS[i].read_bytes().decode("utf-8")


def test_seeds_are_plain_utf8() -> None:
    assert len(SEEDS) == 5
    for i in range(5):
        text = seed_text(i)
        assert "\r" not in text and not text.startswith("\ufeff")


# (case id, seed index, encode text → bytes, expected codec)
ENCODINGS = [
    ("utf8", 0, lambda t: t.encode("utf-8"), "utf-8"),
    ("utf8-bom", 1, lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ("utf8-crlf", 2, lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ("utf8-cr", 3, lambda t: t.replace("\n", "\r").encode("utf-8"), "utf-8"),
    ("utf8-bom-crlf", 4, lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode("utf-8"), "utf-8-sig"),
    ("utf16-python", 0, lambda t: t.encode("utf-16"), "utf-16"),
    ("utf16le-bom", 1, lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    ("utf16be-bom", 2, lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    ("utf16le-nobom", 3, lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf16be-nobom", 4, lambda t: t.encode("utf-16-be"), "utf-16-be"),
    ("utf16le-nobom-crlf", 0, lambda t: t.replace("\n", "\r\n").encode("utf-16-le"), "utf-16-le"),
    ("utf32-bom", 1, lambda t: t.encode("utf-32"), "utf-32"),
    ("gb18030", 0, lambda t: t.encode("gb18030"), "gb18030"),  # has '»', which GBK lacks
    ("gb18030-crlf", 2, lambda t: t.replace("\n", "\r\n").encode("gb18030"), "gb18030"),
    ("gbk", 1, lambda t: t.encode("gbk"), "gb18030"),
    ("gbk-cr", 3, lambda t: t.replace("\n", "\r").encode("gbk"), "gb18030"),
]


@pytest.mark.parametrize(
    ("seed", "encode", "codec"), [c[1:] for c in ENCODINGS], ids=[c[0] for c in ENCODINGS]
)
def test_read_page_gives_back_the_utf8_original(tmp_path: Path, seed: int, encode, codec: str) -> None:
    original = seed_text(seed)
    data = encode(original)
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    got = read_page(path, max_bytes=10_000_000)
    assert got.problem_code == "" and got.message_zh == ""
    assert got.encoding == codec
    assert got.text == original
    # the codec name is usable: decoding with it gives the same text up to newlines and BOM
    assert reading.normalize_newlines(reading.strip_bom(data.decode(got.encoding))) == original


def test_big5_page_reads_as_traditional_chinese() -> None:
    text = "嘉興日報·平湖版\n本報訊 記者 馮思家\n平湖重點項目建設加速度，上半年交出亮眼成績單。\n" * 20
    got = decode_bytes(text.encode("big5"))
    assert (got.encoding, got.text, got.problem_code) == ("big5", text, "")


def test_utf8_with_a_few_bad_bytes_is_read_with_a_warning() -> None:
    original = seed_text(0)
    data = original.encode("utf-8")
    cut = data.index("本报讯".encode()) - 1  # an ASCII byte between characters
    got = decode_bytes(data[:cut] + b"\xff" + data[cut:])
    assert got.ok and not got.refused
    assert got.problem_code == reading.REPLACED and "1处" in got.message_zh
    assert got.text.replace("\ufffd", "", 1) == original


def test_gb18030_is_not_mistaken_for_damaged_utf8() -> None:
    got = decode_bytes(seed_text(3).encode("gb18030"))
    assert got.encoding == "gb18030" and "\ufffd" not in got.text and got.problem_code == ""


HTML_PAGE = (
    "<!DOCTYPE html>\n<html lang='zh'><head><meta charset='utf-8'><title>平湖新闻</title></head>\n"
    "<body><h1>平湖重点项目建设加速度</h1><p>本报讯 继科莱恩项目成为我市首个项目后。</p></body></html>\n"
)
TAGS_ONLY = "<div class='x'><p>平湖</p><span>新闻</span><br/></div>\n" * 40
RNG = random.Random(20200722)
RANDOM_WITH_NULS = bytes(RNG.randrange(256) for _ in range(4000)) + b"\x00\x00\x01"
CONTROL_CHARS = (
    bytes(RNG.choice([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 27]) for _ in range(500)) + "平湖".encode()
)

# (case id, bytes, code, a piece of the Chinese message)
REFUSALS = [
    ("empty", b"", "empty", "文件为空"),
    ("whitespace", b" \r\n\t\n  \n", "empty", "空白"),
    ("bom-only", codecs.BOM_UTF8, "empty", "空白"),
    ("utf16-bom-only", codecs.BOM_UTF16_LE, "empty", "空白"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "binary", "PDF"),
    ("png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary", "PNG"),
    ("zip", b"PK\x03\x04" + bytes(100), "binary", "压缩包"),
    ("random-with-nuls", RANDOM_WITH_NULS, "binary", "二进制"),
    ("control-chars", CONTROL_CHARS, "binary", "控制字符"),
    ("undecodable", bytes([0x80, 0xFF, 0xFE, 0x81]) * 300, "binary", "编码"),
    ("html-doctype", HTML_PAGE.encode("utf-8"), "html", "网页(HTML)"),
    ("html-tag-first", b"  \n<html><body><p>hi</p></body></html>", "html", "网页(HTML)"),
    ("html-gbk", HTML_PAGE.replace("utf-8", "gbk").encode("gbk"), "html", "网页(HTML)"),
    ("html-utf16", HTML_PAGE.encode("utf-16"), "html", "网页(HTML)"),
    ("mostly-tags", TAGS_ONLY.encode("utf-8"), "html", "网页(HTML)"),
]


@pytest.mark.parametrize(("data", "code", "words"), [c[1:] for c in REFUSALS], ids=[c[0] for c in REFUSALS])
def test_refusals(tmp_path: Path, data: bytes, code: str, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    got = read_page(path, max_bytes=1_000_000)
    assert got.refused and not got.ok
    assert got.problem_code == code
    assert words in got.message_zh
    assert got.text == "" and got.encoding == ""


def test_a_few_tags_in_a_real_page_are_not_html() -> None:
    text = seed_text(1) + "\n<br>\n图片<b>说明</b>\n"
    got = decode_bytes(text.encode("utf-8"))
    assert got.problem_code == "" and got.text == text


class CountingFile:
    """Wraps a real file object and records every read() call."""

    def __init__(self, f, reads: list) -> None:
        self._f, self._reads = f, reads

    def read(self, n: int = -1) -> bytes:
        self._reads.append(n)
        return self._f.read(n)

    def fileno(self) -> int:
        return self._f.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._f.close()


def test_too_large_is_refused_by_stat_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(seed_text(0).encode("utf-8") * 4)
    reads: list = []
    monkeypatch.setattr(reading, "open", lambda p, mode: CountingFile(open(p, mode), reads), raising=False)
    got = read_page(path, max_bytes=20_000)
    assert got.problem_code == "too_large"
    assert "文件过大" in got.message_zh and "19.5 KB" in got.message_zh  # the limit, in words
    assert reads == []  # refused from the size alone
    ok = read_page(tmp_path / "huge.txt", max_bytes=100_000)
    assert ok.problem_code == "" and reads == [100_001]  # never more than the limit + 1


def test_max_bytes_defaults_to_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(seed_text(0).encode("utf-8"))
    monkeypatch.setenv("PINGHU_MAX_FILE_BYTES", "1000")
    assert read_page(path).problem_code == "too_large"
    monkeypatch.setenv("PINGHU_MAX_FILE_BYTES", "1000000")
    assert read_page(path).text == seed_text(0)


def test_unreadable(tmp_path: Path) -> None:
    missing = read_page(tmp_path / "missing.txt", max_bytes=1000)
    assert (missing.problem_code, missing.refused) == ("unreadable", True)
    assert "不存在" in missing.message_zh
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    got = read_page(folder, max_bytes=1000)
    assert got.problem_code == "unreadable" and "文件夹" in got.message_zh


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_without_permission(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes(b"abc")
    path.chmod(0)
    got = read_page(path, max_bytes=1000)
    assert got.problem_code == "unreadable" and "权限" in got.message_zh


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\r\nb", "a\n\nb"),  # order matters: CRLF first, then lone CR
        ("a\n\rb", "a\n\nb"),
        ("no newline", "no newline"),
    ],
)
def test_normalize_newlines(raw: str, want: str) -> None:
    assert reading.normalize_newlines(raw) == want


@pytest.mark.parametrize(
    ("raw", "want"), [("\ufeff平湖", "平湖"), ("平湖\ufeff", "平湖\ufeff"), ("\ufeff\ufeffa", "\ufeffa")]
)
def test_strip_bom(raw: str, want: str) -> None:
    assert reading.strip_bom(raw) == want


@pytest.mark.parametrize(
    ("n", "want"), [(0, "0 字节"), (1023, "1023 字节"), (1536, "1.5 KB"), (5_000_000, "4.8 MB")]
)
def test_format_size(n: int, want: str) -> None:
    assert reading.format_size(n) == want


def test_plausibility_separates_chinese_from_mojibake() -> None:
    text = seed_text(0)
    assert reading.plausibility(text) > 0.99
    mojibake = text.encode("utf-8").decode("utf-16-le", errors="replace")
    assert reading.plausibility(mojibake) < 0.6
