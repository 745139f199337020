"""Bytes → text: detect the encoding of one page file, or refuse it with a Chinese message.

Everything here is a small pure function except :func:`read_bytes`/:func:`read_page`, which
touch the file system.  Accepted: UTF-8 (with or without BOM), UTF-16 LE/BE (with BOM, or
without one when the NUL pattern makes it obvious), GB18030/GBK.  Refused, each with a code:
``empty``, ``binary``, ``html``, ``too_large``, ``unreadable``, ``not_regular``.  ``replaced`` is a warning:
the text was read, but a few undecodable bytes became U+FFFD.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

EMPTY, BINARY, HTML, TOO_LARGE, UNREADABLE, REPLACED = (
    "empty",
    "binary",
    "html",
    "too_large",
    "unreadable",
    "replaced",
)
NOT_REGULAR = "not_regular"  # a FIFO, device or socket where a page file was expected
REFUSALS: frozenset[str] = frozenset({EMPTY, BINARY, HTML, TOO_LARGE, UNREADABLE, NOT_REGULAR})

MSG_HTML = "这是网页(HTML)文件，不是版面文本，已跳过"
MSG_NUL = "这是二进制文件（含有NUL字节），不是版面文本，已跳过"
MSG_UNDECODABLE = "无法识别文件编码（不是UTF-8、UTF-16或GB18030），已跳过"
MSG_CONTROL = "文件大部分是控制字符，像是二进制文件，已跳过"

# Known binary formats people drop into folders by mistake: magic bytes → name shown.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF文件"),
    (b"\x89PNG", "PNG图片"),
    (b"\xff\xd8\xff", "JPEG图片"),
    (b"GIF8", "GIF图片"),
    (b"PK\x03\x04", "压缩包或Office文档"),
    (b"\xd0\xcf\x11\xe0", "旧版Office文档"),
    (b"\x1f\x8b", "gzip压缩文件"),
    (b"Rar!", "RAR压缩文件"),
    (b"7z\xbc\xaf", "7z压缩文件"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY_CODECS: tuple[str, ...] = ("gb18030", "big5")
_TAG = re.compile(r"<(?:!--.*?--|/?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?)>", re.S)
_HTML_START = ("<!doctype html", "<html", "<head", "<body")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Unicode blocks a Chinese newspaper page is made of (used to judge a guessed decoding).
_PLAUSIBLE_BLOCKS: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x2000, 0x2BFF),  # punctuation, letterlike, arrows, ①, box drawing, ■
    (0x3000, 0x303F),  # CJK punctuation (kana left out: mis-decoded text is full of it)
    (0x30FB, 0x30FB),  # katakana middle dot, used in Chinese names
    (0x3100, 0x33FF),  # bopomofo, enclosed CJK
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # fullwidth forms
)
_IMPLAUSIBLE = re.compile(r"[^\t-\r" + "".join(rf"\u{a:04x}-\u{b:04x}" for a, b in _PLAUSIBLE_BLOCKS) + "]")


@dataclass(frozen=True)
class Decoded:
    """The text of one file, or why it was refused.

    ``encoding`` is a Python codec name such that ``data.decode(encoding)`` gives ``text``
    up to newline normalisation ('' when refused).  ``problem_code`` is '' when all is well,
    one of :data:`REFUSALS` when refused (``text`` is then ''), or ``replaced`` (a warning).
    """

    text: str
    encoding: str
    problem_code: str = ""
    message_zh: str = ""

    @property
    def refused(self) -> bool:
        return self.problem_code in REFUSALS

    @property
    def ok(self) -> bool:
        return not self.refused


class ReadError(Exception):
    """A file that could not be read at all; carries a problem code and a Chinese message."""

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(message_zh)
        self.code = code
        self.message_zh = message_zh


def refuse(code: str, message_zh: str) -> Decoded:
    """A refused :class:`Decoded`."""
    return Decoded("", "", code, message_zh)


def format_size(n: int) -> str:
    """Bytes in words people read: 512 → '512 字节', 5_000_000 → '4.8 MB'."""
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR → LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_bom(text: str) -> str:
    """Drop one leading U+FEFF (a BOM that survived decoding)."""
    return text[1:] if text.startswith("\ufeff") else text


def plausibility(text: str) -> float:
    """Share of characters that belong to blocks a Chinese page is written in (1.0 for '')."""
    if not text:
        return 1.0
    return 1.0 - len(_IMPLAUSIBLE.findall(text)) / len(text)


def control_share(text: str) -> float:
    """Share of control characters other than ordinary whitespace (0.0 for '')."""
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


_SPACE = re.compile(r"\s")


def looks_like_html(text: str) -> bool:
    """True for an HTML page: starts with a doctype/<html>, or is mostly tags."""
    head = text.lstrip().lower()
    if head.startswith(_HTML_START) or (head.startswith("<?xml") and "<html" in head[:2000]):
        return True
    tags = _TAG.findall(text)
    if len(tags) < 3:
        return False  # most pages: no need to count characters
    visible = len(text) - len(_SPACE.findall(text))
    return visible > 0 and sum(len(t) for t in tags) >= 0.3 * visible


def binary_kind(data: bytes) -> str | None:
    """Name of a known binary format from its magic bytes, or None."""
    return next((name for magic, name in MAGIC if data.startswith(magic)), None)


def decode_bom(data: bytes) -> tuple[str, str] | None:
    """(text, codec) when ``data`` starts with a Unicode BOM; None otherwise or if it fails."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return None


def decode_utf16_nobom(data: bytes) -> tuple[str, str] | None:
    """(text, codec) for BOM-less UTF-16: many NULs, then the byte order that reads as Chinese."""
    sample = data[:65536]
    if len(data) % 2 or sample.count(0) < max(4, len(sample) // 100):
        return None
    best: tuple[float, str, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = plausibility(text[:20000])
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is None or best[0] < 0.9:
        return None
    return best[1], best[2]


def decode_utf8_lenient(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with replacement when only a few bytes are bad: (text, bad count), else None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(2, len(text) // 200) and plausibility(text[:20000]) >= 0.9:
        return text, bad
    return None


def decode_legacy(data: bytes) -> tuple[str, str] | None:
    """(text, codec) for the first Chinese legacy codec (GB18030, then Big5) that reads as Chinese."""
    for codec in LEGACY_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if plausibility(text[:20000]) >= 0.9:
            return text, codec
    return None


def decode_guess(data: bytes) -> tuple[str, str] | None:
    """Last resort: charset-normalizer's best guess, kept only if it reads as Chinese."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or not best.encoding:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return (text, best.encoding) if plausibility(text[:20000]) >= 0.9 else None


def decode_text(data: bytes) -> Decoded:
    """Decode bytes that are not empty and not an obvious binary format; no checks on the text."""
    found = decode_bom(data) or decode_utf16_nobom(data)
    if found:
        return Decoded(found[0], found[1])
    if 0 in data:
        return refuse(BINARY, MSG_NUL)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    lenient = decode_utf8_lenient(data)
    if lenient:
        return Decoded(
            lenient[0], "utf-8", REPLACED, f"有{lenient[1]}处字节不是有效的UTF-8，已替换为“\ufffd”"
        )
    legacy = decode_legacy(data)
    if legacy:
        return Decoded(legacy[0], legacy[1])
    guessed = decode_guess(data)
    return Decoded(guessed[0], guessed[1]) if guessed else refuse(BINARY, MSG_UNDECODABLE)


def check_text(decoded: Decoded) -> Decoded:
    """Normalise a decoded text (BOM, newlines) and refuse empty, binary-looking and HTML text."""
    if decoded.refused:
        return decoded
    text = normalize_newlines(strip_bom(decoded.text))
    if not text.strip():
        return refuse(EMPTY, "文件只有空白字符，没有内容")
    if control_share(text) > 0.05:
        return refuse(BINARY, MSG_CONTROL)
    if looks_like_html(text):
        return refuse(HTML, MSG_HTML)
    return Decoded(text, decoded.encoding, decoded.problem_code, decoded.message_zh)


def decode_bytes(data: bytes) -> Decoded:
    """Bytes of one page file → :class:`Decoded` (text with LF newlines and no BOM, or a refusal)."""
    if not data:
        return refuse(EMPTY, "文件为空")
    kind = binary_kind(data)
    if kind:
        return refuse(BINARY, f"这是{kind}，不是版面文本，已跳过")
    return check_text(decode_text(data))


def os_error_message(exc: OSError) -> str:
    """A Chinese reason for an OS error while opening/reading a file."""
    if isinstance(exc, PermissionError):
        return "无法读取文件：没有读取权限"
    if isinstance(exc, FileNotFoundError):
        return "无法读取文件：文件不存在（或是失效的链接）"
    if isinstance(exc, IsADirectoryError):
        return "无法读取文件：这是一个文件夹"
    if exc.errno == errno.ELOOP:
        return "无法读取文件：读取时已变成符号链接（扫描之后被替换），未跟随"
    return f"无法读取文件：{exc.strerror or exc}"


def too_large_message(size: int, max_bytes: int) -> str:
    """The message for a file over the size limit."""
    return f"文件过大（{format_size(size)}，上限 {format_size(max_bytes)}），已跳过"


_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
)


def read_bytes(path: Path, max_bytes: int, *, nofollow: bool = False) -> bytes:
    """The bytes of ``path``; raises :class:`ReadError` (too_large/unreadable/not_regular).

    Opened non-blocking (a FIFO or device never blocks the open) and checked with ``fstat``: only a
    regular file is read.  ``nofollow``: a symbolic link in the last part of ``path`` is refused, not
    followed.  The size is checked before reading, and at most ``max_bytes + 1`` bytes are ever
    read, so a huge file (or one growing while we read) never fills memory.
    """
    flags = _OPEN_FLAGS | (getattr(os, "O_NOFOLLOW", 0) if nofollow else 0)
    try:
        fd = os.open(path, flags)
        with open(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise ReadError(NOT_REGULAR, "这不是普通文件（可能是命名管道或设备），不读取，已跳过")
            size = st.st_size
            if size > max_bytes:
                raise ReadError(TOO_LARGE, too_large_message(size, max_bytes))
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise ReadError(UNREADABLE, os_error_message(exc)) from exc
    if len(data) > max_bytes:
        raise ReadError(TOO_LARGE, too_large_message(len(data), max_bytes))
    return data


def read_page(path: Path | str, max_bytes: int | None = None) -> Decoded:
    """Read and decode one page file; ``max_bytes`` defaults to ``Settings.max_file_bytes``."""
    if max_bytes is None:
        from pinghu_core.common.settings import get_settings

        max_bytes = get_settings().max_file_bytes
    try:
        data = read_bytes(Path(path), max_bytes)
    except ReadError as exc:
        return refuse(exc.code, exc.message_zh)
    return decode_bytes(data)
