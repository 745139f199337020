"""Projects across pages: one id for the many names of one project (``data/projects.toml``).

A name is first *normalised* (:func:`normalise`): quotation marks and spaces go, a leading
平湖市/平湖/我市/全市/市 and trailing 建设工程/建设项目/迁建项目/工程/项目/建设 are stripped, so
博物馆新馆, 平湖市博物馆新馆 and 博物馆新馆建设工程 all become 博物馆新馆.  A subject then takes
the id of the project whose normalised name or alias is equal to, or (longest first) contained
in, its own normalised name, unless the subject contains one of that project's exclusions.
A subject no project claims gets the automatic id ``auto:<normalised name>`` (so variants
still line up), or '' when nothing is left after normalising (a bare 项目).

``load_projects`` reads and checks the file; a bad file raises :class:`ProjectFileError` with
the line and a Chinese message.  :class:`ProjectStore` keeps the last good file per path.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pinghu_core.common import settings
from pinghu_core.common.dictfile import DictFileError, LastGoodStore, TomlLines

DEFAULT_PROJECTS_PATH: Path = settings.DATA_DIR / "projects.toml"
AUTO_PREFIX = "auto:"
PROJECT_KEYS = ("id", "name", "aliases", "exclusions")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PREFIX_RE = re.compile(r"^(?:浙江省|嘉兴市|平湖市|平湖|我市|全市|市)")
_SUFFIX_RE = re.compile(r"(?:建设工程|建设项目|迁建项目|工程项目|项目|工程|建设)+$")
_NOISE_RE = re.compile(r"[\s“”\"'‘’《》「」()（）·]")


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """Normalised name and aliases (each once, empty ones dropped)."""
        return tuple(dict.fromkeys(k for k in (normalise(n) for n in (self.name, *self.aliases)) if k))


@dataclass(frozen=True)
class ProjectFile:
    version: str
    projects: tuple[Project, ...]
    digest: str = field(default="")

    @property
    def by_id(self) -> dict[str, Project]:
        return {p.id: p for p in self.projects}

    def resolve(self, subject: str) -> str:
        """The project id of a subject (see module doc)."""
        return _resolve(self, subject)

    def label(self, project_id: str) -> str:
        """The display name of a project id (an automatic id shows its normalised name)."""
        project = self.by_id.get(project_id)
        return project.name if project else project_id.removeprefix(AUTO_PREFIX)


class ProjectFileError(DictFileError):
    """The project file cannot be used; ``message_zh`` says why, ``line`` where (1-based)."""


def normalise(name: str) -> str:
    """A project name without quotes, place prefix and 工程/项目 suffixes: 平湖市博物馆新馆项目 → 博物馆新馆."""
    text = _NOISE_RE.sub("", name or "")
    text = _PREFIX_RE.sub("", text)
    return _SUFFIX_RE.sub("", text)


@functools.lru_cache(maxsize=8)
def _claims(projects: tuple[Project, ...]) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(id, exclusions, normalised keys) of each project, normalised once per project file."""
    return tuple((p.id, p.exclusions, p.keys) for p in projects)


@functools.lru_cache(maxsize=4096)
def _resolve_cached(projects: tuple[Project, ...], subject: str) -> str:
    key = normalise(subject)
    if not key:
        return ""
    best, best_len = "", 0
    for project_id, exclusions, keys in _claims(projects):
        if any(x in subject for x in exclusions):
            continue
        for k in keys:
            if (k == key or k in key) and len(k) > best_len:
                best, best_len = project_id, len(k)
    return best or AUTO_PREFIX + key


def _resolve(store: ProjectFile, subject: str) -> str:
    return _resolve_cached(store.projects, subject)


def assign_ids(progress: pd.DataFrame, store: ProjectFile) -> pd.DataFrame:
    """``progress`` with ``project_id`` filled from its subjects (a new frame; one lookup per subject)."""
    out = progress.copy()
    ids = {s: store.resolve(s) for s in out["subject"].astype(str).unique()}
    out["project_id"] = out["subject"].astype(str).map(ids).astype("string")
    return out


# ---------------------------------------------------------------- loading


def projects_path() -> Path:
    """The file in use: setting ``projects_file`` (``$PINGHU_PROJECTS_FILE``, default ``data/projects.toml``)."""
    return settings.get_settings().projects_file


def _digest(version: str, projects: list[Project]) -> str:
    payload = json.dumps(
        [version, [[p.id, p.name, p.aliases, p.exclusions] for p in projects]], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _strings(entry: dict, key: str, where: str, line: int | None, path: Path) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ProjectFileError(
            f'第{line}行：{where}的 {key} 应是非空字符串列表，如 ["名称一", "名称二"]', line, path
        )
    return tuple(dict.fromkeys(v.strip() for v in value))


def _project(entry: object, index: int, lines: TomlLines, path: Path) -> Project:
    header = lines.entry(index)
    if not isinstance(entry, dict):
        raise ProjectFileError(f"第{header}行：第{index + 1}个项目应是 [[project]] 表", header, path)
    where = f"项目“{entry.get('id', index + 1)}”"
    unknown = sorted(set(entry) - set(PROJECT_KEYS))
    if unknown:
        line = lines.key(unknown[0], index)
        raise ProjectFileError(
            f"第{line}行：{where}有未知的字段 {'、'.join(unknown)}（可用：{'、'.join(PROJECT_KEYS)}）",
            line,
            path,
        )
    for key in ("id", "name"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            line = lines.key(key, index)
            raise ProjectFileError(f"第{line}行：{where}缺少 {key}（应是非空字符串）", line, path)
    if not ID_RE.match(entry["id"].strip()):
        line = lines.key("id", index)
        raise ProjectFileError(
            f"第{line}行：项目编号“{entry['id']}”只能用小写英文字母、数字、连字符和下划线", line, path
        )
    aliases = _strings(entry, "aliases", where, lines.key("aliases", index), path)
    exclusions = _strings(entry, "exclusions", where, lines.key("exclusions", index), path)
    return Project(entry["id"].strip(), entry["name"].strip(), aliases, exclusions)


def parse_projects(text: str, path: Path | str = "projects.toml") -> ProjectFile:
    """TOML text → :class:`ProjectFile`; raises :class:`ProjectFileError` naming the line."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        line = int(m.group(1)) if m else None
        raise ProjectFileError(
            f"项目文件 {path.name} 第{line}行格式错误（TOML）：{exc}", line, path
        ) from None
    lines = TomlLines(text, "project")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        line = lines.key("version") or 1
        raise ProjectFileError(f'第{line}行：项目文件须有版本号，如 version = "2025.1"', line, path)
    entries = data.get("project", [])
    if not isinstance(entries, list):
        raise ProjectFileError("项目应写作 [[project]] 表", lines.key("project") or 1, path)
    projects: list[Project] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        project = _project(entry, index, lines, path)
        if project.id in seen:
            line = lines.key("id", index)
            raise ProjectFileError(
                f"第{line}行：项目编号“{project.id}”重复（第{seen[project.id] + 1}个项目已用过）", line, path
            )
        seen[project.id] = index
        projects.append(project)
    return ProjectFile(version.strip(), tuple(projects), _digest(version.strip(), projects))


def load_projects(path: Path | str | None = None) -> ProjectFile:
    """Read and check a project file (default :func:`projects_path`)."""
    path = Path(path) if path is not None else projects_path()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ProjectFileError(f"找不到项目文件：{path}", None, path) from None
    except UnicodeDecodeError as exc:
        raise ProjectFileError(f"项目文件 {path.name} 不是 UTF-8 编码：{exc}", None, path) from None
    return parse_projects(text, path)


def file_stamp(path: Path | str | None = None) -> str:
    """A cheap key of the project file (mtime and size), for corpus fingerprints."""
    path = Path(path) if path is not None else projects_path()
    try:
        st = path.stat()
    except OSError:
        return "none"
    return f"{st.st_mtime_ns}:{st.st_size}"


class ProjectStore(LastGoodStore[ProjectFile]):
    """Loads project files and keeps the last good one per path (:class:`dictfile.LastGoodStore`)."""

    def __init__(self) -> None:
        super().__init__(load_projects, projects_path, ProjectFileError)


EMPTY = ProjectFile("0", ())


def default_projects() -> ProjectFile:
    """The configured project file, or an empty one (automatic ids only) when it is missing or bad."""
    try:
        return load_projects()
    except ProjectFileError:
        return EMPTY
