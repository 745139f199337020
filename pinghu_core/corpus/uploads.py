"""Adding page files to the corpus folder from the 上传 page: check, name, date, write atomically.

Steps for each uploaded file (all pure except :func:`write_page`):

1. :func:`safe_name` keeps only the last part of the name the browser sent (``../x.txt``,
   ``/etc/x.txt`` and ``..\\x.txt`` all become ``x.txt``), refuses control characters and names
   that are not ``.txt``, avoids Windows device names and shortens very long names;
2. :func:`check_upload` applies the size limit, detects the encoding with
   :func:`reading.decode_bytes` (the bytes are kept as sent), finds duplicates by content hash
   (the same hash the ingest uses as ``page_id``) and reads the date from the file name;
3. a file without a date in its name gets the date the user confirms (the default is the date
   inferred from the text); :func:`target_name` writes it into the file name (``2024-03-05_x.txt``),
   which is where the ingest reads it back;
4. :func:`write_page` writes into the corpus folder through a temporary file in the same folder
   and a hard link to the first free name (``os.link`` never replaces: two uploads of the same name
   at once are both kept, the second as ``name-2.txt``), never outside the folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pinghu_core.common import schemas
from pinghu_core.common.schemas import STATUS_LABELS_ZH
from pinghu_core.common.wording import format_date_zh
from pinghu_core.corpus import ingest
from pinghu_core.parse import dates, reading

SUFFIX = ".txt"
MAX_NAME_BYTES = 150  # bytes of UTF-8 for the whole file name (most file systems allow 255)
_FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f\x7f/\\]')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


class UploadError(Exception):
    """A file that cannot be added; the message is Chinese."""


def safe_name(name: str) -> str:
    """The file name to use inside the corpus folder; raises :class:`UploadError`.

    >>> safe_name("../x.txt"), safe_name("/etc/x.txt"), safe_name("..\\\\x.txt"), safe_name("CON.txt")
    ('x.txt', 'x.txt', 'x.txt', '_CON.txt')
    """
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UploadError("文件名含有控制字符（如 NUL），已拒绝")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise UploadError(
            "文件名含有无法编码的字符（不成对的代理字符，多见于编码错误的文件名），已拒绝；请重命名后再上传"
        )
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name))[-1].strip().strip(".").strip()
    base = _FORBIDDEN.sub("_", base)
    if not base.lower().endswith(SUFFIX) or not base[: -len(SUFFIX)].strip(" ._"):
        raise UploadError(f"“{name}”不是版面文本文件：只接受以 .txt 结尾、名称不为空的文件")
    stem = base[: -len(SUFFIX)].rstrip(" .")
    if stem.split(".")[0].lower() in _RESERVED:
        stem = "_" + stem
    while len((stem + SUFFIX).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem + SUFFIX


def upload_limit_mb(max_bytes: int) -> int:
    """The browser-side limit (whole MB, rounded up) for a per-file limit in bytes; the bytes are checked again."""
    return max(1, -(-max_bytes // (1024 * 1024)))


def content_id(data: bytes) -> str:
    """The ingest's ``page_id`` of these bytes (first 16 hex digits of SHA-256)."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Checked:
    """One uploaded file after the checks; ``problem`` is '' when it can be written."""

    original: str
    name: str  # sanitised ('' when the name itself was refused)
    data: bytes
    encoding: str = ""
    problem: str = ""
    warning: str = ""  # e.g. undecodable bytes replaced: written anyway, the ingest reports it
    duplicate_of: str = ""
    name_date: date | None = None  # the date written in the file name
    inferred: dates.DateResult | None = None  # the date the text suggests (when the name has none)

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def needs_date(self) -> bool:
        return self.ok and self.name_date is None


def check_upload(
    original: str, data: bytes, *, max_bytes: int, known: Mapping[str, str], batch: Mapping[str, str] = {}
) -> Checked:
    """Check one uploaded file.  ``known``/``batch``: content id → source of pages already in the
    corpus / earlier files of this upload."""
    try:
        name = safe_name(original)
    except UploadError as exc:
        return Checked(original, "", data, problem=str(exc))
    if len(data) > max_bytes:
        return Checked(original, name, data, problem=reading.too_large_message(len(data), max_bytes))
    decoded = reading.decode_bytes(data)
    if decoded.refused:
        return Checked(original, name, data, problem=decoded.message_zh)
    cid = content_id(data)
    for where, owners in (("语料中的", known), ("本次上传的", batch)):
        if cid in owners:
            return Checked(
                original,
                name,
                data,
                decoded.encoding,
                f"与{where}“{owners[cid]}”内容完全相同（重复），未写入",
                duplicate_of=owners[cid],
            )
    found = dates.date_from_path(name)
    inferred = None if found else dates.infer_date(decoded.text)
    warning = decoded.message_zh if decoded.problem_code else ""
    return Checked(original, name, data, decoded.encoding, "", warning, "", found, inferred)


def check_batch(files: list[tuple[str, bytes]], *, max_bytes: int, known: Mapping[str, str]) -> list[Checked]:
    """:func:`check_upload` for each file, in order; a file repeating an earlier one is a duplicate."""
    batch: dict[str, str] = {}
    out = []
    for original, data in files:
        checked = check_upload(original, data, max_bytes=max_bytes, known=known, batch=batch)
        if checked.ok:
            batch[content_id(data)] = checked.name
        out.append(checked)
    return out


def date_problem(day: date, today: date | None = None) -> str:
    """Why ``day`` cannot be a page's date ('' when it can): before 1949 or after tomorrow.

    >>> date_problem(date(1900, 1, 1), date(2026, 12, 1))
    '1900年1月1日 早于 1949年1月1日'
    >>> date_problem(date(2020, 7, 22), date(2026, 12, 1))
    ''
    """
    latest = dates.latest_allowed(today)
    if day < dates.EARLIEST:
        return f"{day.year}年{day.month}月{day.day}日 早于 {dates.EARLIEST.year}年{dates.EARLIEST.month}月{dates.EARLIEST.day}日"
    if day > latest:
        return f"{day.year}年{day.month}月{day.day}日 晚于 {latest.year}年{latest.month}月{latest.day}日"
    return ""


def target_name(checked: Checked, day: date | None) -> str:
    """The name to write: as sent when it carries a date, else prefixed with ``day`` (YYYY-MM-DD_)."""
    if checked.name_date is not None or day is None:
        return checked.name
    return safe_name(f"{day.isoformat()}_{checked.name}")


def candidate_names(name: str):
    """``name``, then ``name-2.txt``, ``name-3.txt`` … (the names tried, in order, for a new page)."""
    stem = name[: -len(SUFFIX)]
    yield name
    n = 2
    while True:
        yield f"{stem}-{n}{SUFFIX}"
        n += 1


MAX_NAME_TRIES = 10_000


def inside(folder: Path, path: Path) -> bool:
    """True when ``path`` is directly inside ``folder`` (after resolving links and ``..``)."""
    return path.resolve().parent == folder.resolve()


def write_page(folder: Path, name: str, data: bytes, settle_seconds: float = 0.0) -> Path:
    """Write ``data`` as a new page file in ``folder`` atomically; returns its path.

    The bytes go to a hidden temporary file in the same folder (the corpus scan reports such a name
    as being written and never reads it), are flushed to disk, then renamed into place.  The file is
    complete when it appears, so its modification time is set ``settle_seconds`` (+1) back: the
    corpus scan reads it at once instead of waiting for it to settle like a file copied in by hand.
    """
    name = safe_name(name)  # again: nothing else may reach the file system
    if not folder.is_dir():
        raise UploadError(f"语料文件夹不存在：{folder}")
    tmp = folder / f".upload-{uuid.uuid4().hex}.txt.tmp"
    try:
        with open(tmp, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if settle_seconds > 0:
            then = time.time() - settle_seconds - 1
            os.utime(tmp, (then, then))
        return _claim(folder, name, tmp)
    except OSError as exc:
        raise UploadError(f"无法写入 {folder / name}：{exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _claim(folder: Path, name: str, tmp: Path) -> Path:
    """Give the finished temporary file ``tmp`` the first free name of :func:`candidate_names`.

    ``os.link`` creates the name only if it does not exist (never replaces, never follows a link
    named like it), so two uploads of the same name at the same moment both keep their bytes:
    the one that loses the race takes the next name."""
    if Path(name).name != name or name in (".", ".."):
        raise UploadError(f"文件名“{name}”会写到语料文件夹之外，已拒绝")
    for tries, candidate in enumerate(candidate_names(name)):
        target = folder / candidate
        if tries >= MAX_NAME_TRIES:
            break
        try:
            os.link(tmp, target, follow_symlinks=False)
        except FileExistsError:
            continue
        return target
    raise UploadError(f"同名文件太多（“{name}”），未写入；请改名后再上传")


def stored_as_notes(written: list[tuple[str, Path]], wanted: list[str]) -> list[str]:
    """Notes for files stored under another name than ``wanted`` (their name was taken)."""
    return [
        f"“{original}”：同名文件“{want}”已存在，已另存为“{path.name}”"
        for (original, path), want in zip(written, wanted, strict=True)
        if path.name != want
    ]


def save_batch(
    folder: Path,
    checked: list[Checked],
    days: list[date | None],
    settle_seconds: float = 0.0,
    notes: list[str] | None = None,
) -> tuple[list[tuple[str, Path]], list[str]]:
    """Write each checked file (with its confirmed date); returns ((name sent, path) written, problems).

    A file whose name was taken is stored under the next free one; ``notes`` (if given) receives
    a Chinese line naming the stored name."""
    written, problems = [], []
    for c, day in zip(checked, days, strict=True):
        try:
            if not c.ok:
                raise UploadError(c.problem)
            wanted = target_name(c, day)
            written.append((c.original, write_page(folder, wanted, c.data, settle_seconds)))
            if notes is not None:
                notes.extend(stored_as_notes(written[-1:], [wanted]))
        except UploadError as exc:
            problems.append(f"{c.original}：{exc}")
    return written, problems


def upload_report(written: list[tuple[str, Path]], corpus_dir: Path) -> pd.DataFrame:
    """schemas.UPLOAD_REPORT of the written files ((name sent, path) each): the ingest's verdict,
    the page date it found and how many items it read, exactly as the corpus will load them."""
    if not written:
        return schemas.UPLOAD_REPORT.empty()
    loaded = ingest.load_files([str(path) for _, path in written], workers=1)
    pages = loaded.pages.set_index("source")
    original = {str(path): name for name, path in written}
    report = loaded.report[loaded.report["source"].isin(list(original))]
    rows = report.assign(
        original=report["source"].map(original),
        date=report["source"].map(pages["date"]),
        date_source=report["source"].map(pages["date_source"].astype("string")).fillna("unknown"),
        items=report["source"].map(pages["items"]).fillna(0),
        source=report["source"].map(lambda s: Path(s).relative_to(corpus_dir).as_posix()),
    )
    return schemas.conform(rows, schemas.UPLOAD_REPORT)


def report_table(report: pd.DataFrame) -> pd.DataFrame:
    """:func:`upload_report` for people: Chinese headers, status and date source in words."""
    rows = report.assign(
        status=report["status"].astype("string").map(lambda s: STATUS_LABELS_ZH.get(s, s)),
        date=report["date"].map(format_date_zh),
        date_source=report["date_source"]
        .astype("string")
        .map(lambda s: schemas.DATE_SOURCE_LABELS_ZH.get(s, s)),
    )
    return rows.rename(columns=schemas.labels_zh(schemas.UPLOAD_REPORT)).reset_index(drop=True)
