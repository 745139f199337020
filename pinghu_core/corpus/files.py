"""The corpus folder: which page files it holds, and the optional ``manifest.csv``.

Page files are ``*.txt`` anywhere under the folder, except hidden files/folders and the
cache folder.  Only regular files are read: a symbolic link only when its target is a regular file
inside the folder; FIFOs, devices, links leading outside the folder or nowhere and folders that
cannot be listed are :class:`Skipped`, each a row of the ingest report (symlinked folders are not
followed).  The manifest has a header row and the columns ``file,date[,page,edition,article,shape]``
(Chinese headers 文件,日期,版次,版别,篇次,形态 work too); ``file`` is relative to the corpus folder.
``article`` is an article file's number on its page (1 = first); ``shape`` says whether the file is
a whole page (``page``/整版) or one article (``article``/单篇), see ``shapes.file_shape``.
A bad manifest row never stops loading: it becomes a problem message naming its line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from pinghu_core.parse import reading
from pinghu_core.parse.dates import ManifestEntry

MANIFEST_NAME = "manifest.csv"
PAGE_SUFFIX = ".txt"

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "file": ("file", "filename", "path", "文件", "文件名"),
    "date": ("date", "日期"),
    "page": ("page", "page_no", "版次", "版面"),
    "edition": ("edition", "版别", "版本"),
    "article": ("article", "article_no", "order", "篇", "篇次"),
    "shape": ("shape", "形态", "文件形态"),
}
SHAPE_VALUES: dict[str, str] = {
    "page": "page",
    "整版": "page",
    "版面": "page",
    "whole": "page",
    "article": "article",
    "单篇": "article",
    "文章": "article",
}
_DATE_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True)
class PageFile:
    """One page file found in the corpus folder; ``size`` is -1 when it could not be stat'ed.

    ``where`` is the file's path as the scan found it (a ``str``: making a ``Path`` per file was
    most of the cost of a folder scan); :attr:`path` gives it as a ``Path``."""

    rel: str  # posix path relative to the corpus folder
    where: str | Path
    size: int
    mtime_ns: int
    target: Path | None = None  # a symlink's real target (checked to be inside the folder): opened instead
    checked: bool = False  # found by the scan as a regular file: opened without following a link

    @property
    def path(self) -> Path:
        return self.where if isinstance(self.where, Path) else Path(self.where)

    @property
    def open_path(self) -> Path:
        """The path to open: the checked real target of a link, else the file itself (opened without
        following a link, so a file swapped for a link after the scan is refused, not followed)."""
        return self.target or self.path


@dataclass
class Manifest:
    """Parsed ``manifest.csv``: entries by relative path, their line numbers, and problems."""

    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def unmatched(self, found: Iterable[str]) -> list[str]:
        """Problems for manifest rows naming a file that is not in the corpus."""
        have = set(found)
        return [
            f"{MANIFEST_NAME} 第{line}行：找不到文件“{rel}”"
            for rel, line in sorted(self.lines.items(), key=lambda kv: kv[1])
            if rel not in have
        ]


_PARTIAL = re.compile(r"\.(?:part|partial|tmp|temp|crdownload|download)$|^\.~|~$", re.IGNORECASE)
WRITING_MESSAGE = "正在写入（{why}），暂不读取；写完后下一次检查时自动读取"


def is_partial_name(name: str) -> bool:
    """A file being written under a temporary name (``a.txt.part``, ``.a.txt.tmp``)."""
    return bool(_PARTIAL.search(name))


def is_hidden(name: str) -> bool:
    """Hidden files and folders (dot-names) are never part of the corpus."""
    return name.startswith(".")


def is_page_name(name: str) -> bool:
    """A page file: ``*.txt`` (any case), not hidden."""
    return not is_hidden(name) and name.lower().endswith(PAGE_SUFFIX)


# Report codes of things in the corpus folder that are never read (one report row each).
NOT_REGULAR = reading.NOT_REGULAR
OUTSIDE_LINK, BROKEN_LINK, UNREADABLE_FOLDER = (
    "outside_link",
    "broken_link",
    "unreadable_folder",
)
_KINDS_ZH = (
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISDIR, "文件夹"),
)


def kind_zh(mode: int) -> str:
    """What a non-regular file is, in Chinese ('特殊文件' when unknown)."""
    return next((name for test, name in _KINDS_ZH if test(mode)), "特殊文件")


def not_regular_message(mode: int, via_link: bool = False) -> str:
    """The report message of a page name that is not a regular file (a FIFO could block a read for ever)."""
    what = f"链接指向的是{kind_zh(mode)}" if via_link else f"这是{kind_zh(mode)}"
    return f"{what}，不是普通文件，不读取，已跳过"


OUTSIDE_LINK_MESSAGE = "符号链接指向语料文件夹之外（{target}），不读取，已跳过"
BROKEN_LINK_MESSAGE = "符号链接失效（指向的文件不存在），已跳过"


def unreadable_folder_message(exc: OSError) -> str:
    """The report message of a folder that cannot be listed."""
    why = "没有读取权限" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
    return f"无法读取文件夹（{why}），其中的文件都未读取"


@dataclass(frozen=True)
class Skipped:
    """Something in the corpus folder that is not read: its relative path, report code and Chinese message."""

    rel: str
    code: str
    message: str


@dataclass
class Scan:
    """One walk of the corpus folder: page files, temporary-named files, and what was skipped."""

    files: list[PageFile] = field(default_factory=list)
    partial: list[PageFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _stat_entry(entry: os.DirEntry, rel: str) -> PageFile:
    """A :class:`PageFile` from a directory entry (size -1 when stat fails, e.g. a dead link)."""
    try:
        st = entry.stat()
        return PageFile(rel, entry.path, st.st_size, st.st_mtime_ns)
    except OSError:
        return PageFile(rel, entry.path, -1, 0)


def within(root: str, path: str) -> bool:
    """True when the real path ``path`` lies inside the real folder ``root``."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _page_entry(entry: os.DirEntry, rel: str, root: str, scan: Scan) -> None:
    """Add a page-named entry to ``scan``: a regular file (or a link to one inside ``root``) is read,
    anything else is a :class:`Skipped` row.  Only ``lstat``/``stat`` are used: nothing is opened."""
    try:
        if not entry.is_symlink():
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode):
                scan.files.append(PageFile(rel, entry.path, st.st_size, st.st_mtime_ns, None, True))
            else:
                scan.skipped.append(Skipped(rel, NOT_REGULAR, not_regular_message(st.st_mode)))
            return
        target = os.path.realpath(entry.path)
        if not within(root, target):
            scan.skipped.append(Skipped(rel, OUTSIDE_LINK, OUTSIDE_LINK_MESSAGE.format(target=target)))
            return
        try:
            st = os.stat(target)
        except FileNotFoundError:
            scan.skipped.append(Skipped(rel, BROKEN_LINK, BROKEN_LINK_MESSAGE))
            return
        if not stat.S_ISREG(st.st_mode):
            scan.skipped.append(Skipped(rel, NOT_REGULAR, not_regular_message(st.st_mode, via_link=True)))
            return
        scan.files.append(PageFile(rel, entry.path, st.st_size, st.st_mtime_ns, Path(target), True))
    except OSError:
        scan.files.append(PageFile(rel, entry.path, -1, 0))  # read later: its error is reported then


def _walk(folder: str, prefix: str, root: str, skip: frozenset[str], scan: Scan, real: str) -> None:
    """Collect page files under ``folder`` (whose real path is ``real``) into ``scan`` (no symlinked
    folders, no ``skip``); a folder that cannot be listed is a :class:`Skipped` row."""
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        scan.skipped.append(Skipped(prefix or ".", UNREADABLE_FOLDER, unreadable_folder_message(exc)))
        return
    for entry in entries:
        rel = prefix + entry.name
        if is_partial_name(entry.name) and entry.is_file(follow_symlinks=False):
            scan.partial.append(_stat_entry(entry, rel))
        elif is_hidden(entry.name):
            continue
        elif entry.is_dir(follow_symlinks=False):
            sub = os.path.join(real, entry.name)  # not a link: its real path is its parent's + its name
            if sub not in skip:
                _walk(entry.path, rel + "/", root, skip, scan, sub)
        elif is_page_name(entry.name):
            _page_entry(entry, rel, root, scan)


def scan_folder(corpus_dir: Path, exclude: Iterable[Path] = ()) -> Scan:
    """Walk ``corpus_dir`` once: page files and temporary-named files (each sorted by relative path),
    and the things skipped (FIFOs, devices, links leading outside or nowhere, unreadable folders)."""
    skip = frozenset(os.path.realpath(p) for p in exclude)
    scan = Scan()
    root = os.path.realpath(corpus_dir)
    _walk(str(corpus_dir), "", root, skip, scan, root)
    scan.files.sort(key=lambda f: f.rel)
    scan.partial.sort(key=lambda f: f.rel)
    scan.skipped.sort(key=lambda s: s.rel)
    return scan


def scan_all(corpus_dir: Path, exclude: Iterable[Path] = ()) -> tuple[list[PageFile], list[PageFile]]:
    """(page files, files under a temporary name) under ``corpus_dir``, each sorted by relative path."""
    found = scan_folder(corpus_dir, exclude)
    return found.files, found.partial


def scan(corpus_dir: Path, exclude: Iterable[Path] = ()) -> list[PageFile]:
    """All page files under ``corpus_dir``, sorted by relative path; ``exclude`` folders skipped."""
    return scan_all(corpus_dir, exclude)[0]


def split_settled(
    files: list[PageFile], partial: list[PageFile], now_ns: int, settle_seconds: float
) -> tuple[list[PageFile], dict[str, str]]:
    """(page files to read now, {rel: why it is still being written}).

    A page file modified less than ``settle_seconds`` ago is probably still being written (it is
    read on a later check); files under a temporary name are listed as being written too.
    """
    writing = {f.rel: "临时文件名" for f in partial}
    if settle_seconds <= 0:
        return files, writing
    limit = now_ns - int(settle_seconds * 1e9)
    ready = []
    for f in files:
        if f.size >= 0 and f.mtime_ns > limit:
            writing[f.rel] = f"{settle_seconds:g} 秒内刚修改过"
        else:
            ready.append(f)
    return ready, writing


def stat_key(path: Path) -> str:
    """'size:mtime_ns' of a file, or '-' when it does not exist."""
    try:
        st = path.stat()
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"


def fingerprint(files: Iterable[PageFile], manifest_path: Path, extra: str = "") -> str:
    """Hash of relative paths, sizes and mtimes of the page files, the manifest's stat and ``extra``."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{extra}\0{stat_key(manifest_path)}\n".encode())
    for f in files:
        h.update(f"{f.rel}\0{f.size}\0{f.mtime_ns}\n".encode())
    return h.hexdigest()


def normalize_rel(value: str) -> str:
    """'.\\\\2020\\\\a.txt' → '2020/a.txt': the manifest's file column as a posix relative path."""
    text = value.strip().replace("\\", "/")
    parts = [p for p in PurePosixPath(text).parts if p not in (".", "/")]
    return "/".join(parts)


def parse_date(value: str) -> date | None:
    """'2020-07-21', '2020/7/21', '2020.07.21', '20200721', '2020年7月21日' → date; '' → None.

    Raises ValueError for anything else (including impossible dates such as 2020-02-30).
    """
    text = value.strip()
    if not text:
        return None
    m = _DATE_YMD.match(text) or _DATE_COMPACT.match(text)
    if not m:
        raise ValueError(text)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def header_columns(header: list[str]) -> dict[str, int]:
    """Map our column names to their index in the header row (aliases, any case)."""
    names = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for key, aliases in HEADER_ALIASES.items():
        for i, name in enumerate(names):
            if name in aliases and key not in found:
                found[key] = i
    return found


def _cell(row: list[str], cols: dict[str, int], key: str) -> str:
    """The stripped value of column ``key`` in ``row`` ('' when absent)."""
    i = cols.get(key)
    return row[i].strip() if i is not None and i < len(row) else ""


def _add_row(manifest: Manifest, row: list[str], cols: dict[str, int], line: int) -> None:
    """Add one data row of the manifest, or a problem naming ``line``."""
    where = f"{MANIFEST_NAME} 第{line}行"
    rel = normalize_rel(_cell(row, cols, "file"))
    if not rel:
        manifest.problems.append(f"{where}：缺少文件名，本行已忽略")
        return
    if rel in manifest.lines:
        manifest.problems.append(f"{where}：文件“{rel}”已在第{manifest.lines[rel]}行出现，本行已忽略")
        return
    raw_date = _cell(row, cols, "date")
    try:
        day = parse_date(raw_date)
    except ValueError:
        manifest.problems.append(
            f"{where}：无法识别日期“{raw_date}”（应为 YYYY-MM-DD），该文件的日期改由文件名或正文推断"
        )
        day = None
    manifest.entries[rel] = ManifestEntry(
        day, _cell(row, cols, "page"), _cell(row, cols, "edition"), *_shape_cells(manifest, row, cols, where)
    )
    manifest.lines[rel] = line


def _shape_cells(
    manifest: Manifest, row: list[str], cols: dict[str, int], where: str
) -> tuple[int | None, str]:
    """(article number, shape) of a row; a value that cannot be read is a problem and left out."""
    raw_number, raw_shape = _cell(row, cols, "article"), _cell(row, cols, "shape")
    number = int(raw_number) if raw_number.isdigit() and int(raw_number) > 0 else None
    if raw_number and number is None:
        manifest.problems.append(f"{where}：无法识别篇次“{raw_number}”（应为 1、2、3…），已忽略")
    shape = SHAPE_VALUES.get(raw_shape.lower(), "")
    if raw_shape and not shape:
        manifest.problems.append(
            f"{where}：无法识别文件形态“{raw_shape}”（应为 page/整版 或 article/单篇），改由文件名判断"
        )
    return number, shape


def parse_manifest(text: str) -> Manifest:
    """Parse the text of ``manifest.csv`` (pure; never raises for bad content)."""
    manifest = Manifest()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        cols = header_columns(header or [])
        if "file" not in cols or "date" not in cols:
            manifest.problems.append(
                f"{MANIFEST_NAME} 第1行：表头应包含 file 和 date 两列（可选 page、edition、article、shape），清单未使用"
            )
            return manifest
        for row in reader:
            if any(cell.strip() for cell in row):
                _add_row(manifest, row, cols, reader.line_num)
    except csv.Error as exc:
        manifest.problems.append(
            f"{MANIFEST_NAME} 第{reader.line_num}行：CSV格式错误（{exc}），其后各行未读取"
        )
    return manifest


def read_manifest(corpus_dir: Path, max_bytes: int = 50_000_000) -> Manifest:
    """Read ``corpus_dir/manifest.csv`` (any encoding :mod:`reading` accepts); empty if absent."""
    path = corpus_dir / MANIFEST_NAME
    if not path.exists():
        return Manifest()
    decoded = reading.read_page(path, max_bytes)
    if decoded.refused:
        return Manifest(problems=[f"{MANIFEST_NAME}：{decoded.message_zh}，清单未使用"])
    return parse_manifest(decoded.text)


def manifest_key(entry: ManifestEntry | None) -> str:
    """A stable string for a manifest entry (part of a page's cache key)."""
    if entry is None:
        return ""
    return f"{entry.date.isoformat() if entry.date else ''}|{entry.page}|{entry.edition}"
