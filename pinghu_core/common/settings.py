"""Every setting in one place: a default that works on a laptop, a config file, environment variables.

Sources, later ones win:

1. the default (``DEFAULTS`` below);
2. ``pinghu.toml`` in the project folder, or the file named by ``$PINGHU_CONFIG`` (keys at the top
   level or in a ``[pinghu]`` table; relative paths are relative to that file's folder);
3. the ``[pinghu]`` table of Streamlit's ``secrets.toml`` files (``~/.streamlit/``, then
   ``<working folder>/.streamlit/``, then the project's ``.streamlit/``, as Streamlit reads them);
4. environment variables (``PINGHU_DATA_DIR`` …; lists are comma-separated).

A file that cannot be read or a value of the wrong kind raises :class:`SettingsError` with a
Chinese message naming the file, line or variable.  Every field is documented in docs/DEPLOY.md
(a test checks it).  This module never imports streamlit.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, SupportsFloat, SupportsIndex, SupportsInt

from pinghu_core import __version__

# Bump when the parser's output changes: cached frames from another version are re-parsed.
PARSER_VERSION = "12"
APP_VERSION = __version__

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
CONFIG_ENV = "PINGHU_CONFIG"
DEFAULT_CONFIG = PROJECT_ROOT / "pinghu.toml"
SECRETS_TABLE = "pinghu"


class SettingsError(Exception):
    """A configuration file or variable is wrong; the message is Chinese and names where."""


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path
    cache_dir: Path
    themes_file: Path
    projects_file: Path
    events_file: Path
    places_file: Path
    people_file: Path
    lexicon_dir: Path
    max_file_bytes: int
    workers: int
    refresh_seconds: int
    settle_seconds: float
    parse_timeout_seconds: float
    allowed: tuple[str, ...]
    editors: tuple[str, ...]
    corpus_shape: str
    corpus_title: str

    @property
    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.csv"

    @property
    def userdict_path(self) -> Path:
        return self.lexicon_dir / "userdict.txt"

    @property
    def stopwords_path(self) -> Path:
        return self.lexicon_dir / "stopwords.txt"


@dataclass(frozen=True)
class Spec:
    """How one field is read: its environment variable, its kind and its default."""

    env: str
    kind: str  # path | int | float | list | choice | text
    default: Callable[[], object]
    minimum: float = 0
    choices: tuple[str, ...] = ()  # kind "choice": the allowed values


SPECS: dict[str, Spec] = {
    "corpus_dir": Spec("PINGHU_DATA_DIR", "path", lambda: DATA_DIR / "corpus"),
    "cache_dir": Spec("PINGHU_CACHE_DIR", "path", lambda: PROJECT_ROOT / ".cache"),
    "themes_file": Spec("PINGHU_THEMES_FILE", "path", lambda: DATA_DIR / "themes.toml"),
    "projects_file": Spec("PINGHU_PROJECTS_FILE", "path", lambda: DATA_DIR / "projects.toml"),
    "events_file": Spec("PINGHU_EVENTS_FILE", "path", lambda: DATA_DIR / "events.toml"),
    "places_file": Spec("PINGHU_PLACES_FILE", "path", lambda: DATA_DIR / "places.toml"),
    "people_file": Spec("PINGHU_PEOPLE_FILE", "path", lambda: DATA_DIR / "people.toml"),
    "lexicon_dir": Spec("PINGHU_LEXICON_DIR", "path", lambda: DATA_DIR / "lexicon"),
    "max_file_bytes": Spec("PINGHU_MAX_FILE_BYTES", "int", lambda: 5_000_000, 1),
    "workers": Spec("PINGHU_WORKERS", "int", lambda: os.cpu_count() or 1, 1),
    "refresh_seconds": Spec("PINGHU_REFRESH_SECONDS", "int", lambda: 30),
    "settle_seconds": Spec("PINGHU_SETTLE_SECONDS", "float", lambda: 2.0),
    "parse_timeout_seconds": Spec("PINGHU_PARSE_TIMEOUT", "float", lambda: 30.0),
    "allowed": Spec("PINGHU_ALLOWED", "list", lambda: ()),
    "editors": Spec("PINGHU_EDITORS", "list", lambda: ()),
    # auto: a file named YYYYMMDD-PP-NN.txt holds one article, any other file a whole page (shapes.py)
    "corpus_shape": Spec(
        "PINGHU_CORPUS_SHAPE", "choice", lambda: "auto", choices=("auto", "page", "article")
    ),
    # the paper the corpus holds, shown on the pages (another paper's corpus gets its own name)
    "corpus_title": Spec("PINGHU_CORPUS_TITLE", "text", lambda: "嘉兴日报·平湖版"),
}
assert list(SPECS) == [f.name for f in fields(Settings)], "every Settings field needs a Spec"

TEXT_MAX = 40  # a "text" setting (a title) is at most this many characters
KIND_ZH = {
    "path": "路径",
    "int": "整数",
    "float": "数字",
    "list": "字符串列表",
    "choice": "以下之一",
    "text": f"不超过 {TEXT_MAX} 个字的文字",
}
DEFAULT_SOURCE = "默认值"


# ---------------------------------------------------------------- converting one value


def _convert(name: str, value: object, where: str, base: Path | None) -> object:
    """A raw value (TOML value or environment string) → the field's type; SettingsError when wrong."""
    spec = SPECS[name]
    wrong = SettingsError(f"{where}：配置项 {name} 应为{_kind_zh(spec)}，实际是 {value!r}")
    if spec.kind == "path":
        if not isinstance(value, str) or not value.strip():
            raise wrong
        path = Path(value.strip()).expanduser()
        return path if path.is_absolute() or base is None else base / path
    if spec.kind == "text":
        if not isinstance(value, str) or not value.strip() or len(value.strip()) > TEXT_MAX:
            raise wrong
        return value.strip()
    if spec.kind == "choice":
        if not isinstance(value, str) or value.strip().lower() not in spec.choices:
            raise wrong
        return value.strip().lower()
    if spec.kind == "list":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
            raise wrong
        return tuple(i.strip() for i in items if i.strip())
    number = _number(spec.kind, value, wrong)
    if number < spec.minimum:
        raise SettingsError(f"{where}：配置项 {name} 不能小于 {spec.minimum:g}，实际是 {value!r}")
    return number


def _kind_zh(spec: Spec) -> str:
    kind = KIND_ZH[spec.kind]
    if spec.kind == "choice":
        return f"{kind} {'、'.join(spec.choices)}"
    return f"正{kind}" if spec.minimum >= 1 else f"非负{kind}" if spec.kind in ("int", "float") else kind


def _number(kind: str, value: object, wrong: SettingsError) -> int | float:
    if isinstance(value, bool):
        raise wrong
    try:
        if kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            if isinstance(value, str):
                return int(str(value).strip().replace("_", ""))
            if isinstance(value, SupportsInt | SupportsIndex):
                return int(value)
            raise TypeError  # what int() raises for anything else (a TOML date, list or table)
        if isinstance(value, str | SupportsFloat | SupportsIndex):
            return float(value)
        raise TypeError  # what float() raises for anything else
    except (TypeError, ValueError):
        raise wrong from None


# ---------------------------------------------------------------- reading the sources


def _read_toml(path: Path, what: str) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{what} {path} 不是 UTF-8 编码") from None
    except OSError as exc:
        raise SettingsError(f"无法读取{what} {path}（{exc.strerror or exc}）") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = f"第{found.group(1)}行" if found else ""
        raise SettingsError(f"{what} {path} {line}格式错误（不是合法的 TOML）：{exc}") from None


def _table_values(table: Mapping, where: str, base: Path) -> dict[str, object]:
    """Known keys of a config table, converted; an unknown key is an error (a typo must not pass)."""
    out = {}
    for key, value in table.items():
        if key not in SPECS:
            known = "、".join(SPECS)
            raise SettingsError(f"{where}：未知的配置项“{key}”（可用的配置项：{known}）")
        out[key] = _convert(key, value, where, base)
    return out


def config_path(env: Mapping[str, str]) -> Path | None:
    """The config file in use: ``$PINGHU_CONFIG`` (must exist), else ``pinghu.toml`` if present."""
    named = env.get(CONFIG_ENV, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise SettingsError(f"找不到配置文件 {path}（由环境变量 {CONFIG_ENV} 指定）")
        return path
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def secrets_paths(cwd: Path | None = None) -> list[Path]:
    """Streamlit's secrets.toml files, in the order Streamlit reads them (later ones win)."""
    return list(_secrets_paths(str(cwd or Path.cwd()), str(Path.home())))


@functools.lru_cache(maxsize=16)
def _secrets_paths(cwd: str, home: str) -> tuple[Path, ...]:
    # resolved once per folder pair: settings are looked up many times per script run, and
    # resolving three paths each time was a few per cent of a run's CPU
    paths = [Path(home) / ".streamlit" / "secrets.toml", Path(cwd) / ".streamlit" / "secrets.toml"]
    paths.append(PROJECT_ROOT / ".streamlit" / "secrets.toml")
    return tuple(dict.fromkeys(p.resolve() for p in paths))


def _from_config(path: Path) -> dict[str, object]:
    data = _read_toml(path, "配置文件")
    table = data[SECRETS_TABLE] if isinstance(data.get(SECRETS_TABLE), dict) else data
    return _table_values(table, f"配置文件 {path}", path.parent)


def _from_secrets(path: Path) -> dict[str, object]:
    table = _read_toml(path, "密钥文件").get(SECRETS_TABLE)
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise SettingsError(f"密钥文件 {path}：[{SECRETS_TABLE}] 应为表")
    return _table_values(table, f"密钥文件 {path} 的 [{SECRETS_TABLE}]", path.parent)


def _from_env(env: Mapping[str, str]) -> dict[str, object]:
    out = {}
    for name, spec in SPECS.items():
        raw = env.get(spec.env, "")
        if raw.strip() or (spec.kind == "list" and spec.env in env):
            out[name] = _convert(name, raw, f"环境变量 {spec.env}", None)
    return out


@dataclass(frozen=True)
class Resolved:
    """The settings and, for each field, where its value came from (in Chinese)."""

    settings: Settings
    sources: dict[str, str]
    config_file: Path | None


def resolve(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Resolved:
    """Read every source (see the module doc); raises :class:`SettingsError`."""
    env = os.environ if env is None else env
    # each value of its field's type (the defaults, and _convert's results): Settings' keyword arguments
    values: dict[str, Any] = {name: spec.default() for name, spec in SPECS.items()}
    sources = dict.fromkeys(SPECS, DEFAULT_SOURCE)
    layers: list[tuple[str, dict[str, object]]] = []
    config = config_path(env)
    if config is not None:
        layers.append((f"配置文件 {config}", _from_config(config)))
    for path in secrets_paths(cwd):
        if path.is_file():
            layers.append((f"{path} [{SECRETS_TABLE}]", _from_secrets(path)))
    layers.append(("环境变量", _from_env(env)))
    for label, layer in layers:
        for name, value in layer.items():
            values[name] = value
            sources[name] = f"环境变量 {SPECS[name].env}" if label == "环境变量" else label
    return Resolved(Settings(**values), sources, config)


def _stamp(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        st = path.stat()
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"


_cache: dict[tuple, Resolved] = {}


def resolved() -> Resolved:
    """:func:`resolve` for this process, re-read when a variable or a file's stat changes."""
    env = {k: v for k, v in os.environ.items() if k.startswith("PINGHU_")}
    cwd = Path.cwd()
    named = env.get(CONFIG_ENV, "").strip()
    files = [Path(named) if named else DEFAULT_CONFIG, *secrets_paths(cwd)]
    key = (tuple(sorted(env.items())), str(cwd), tuple(_stamp(p) for p in files))
    found = _cache.get(key)
    if found is None:
        found = resolve(env, cwd)
        _cache.clear()
        _cache[key] = found
    return found


def get_settings() -> Settings:
    """The settings in force (see the module doc); raises :class:`SettingsError`."""
    return resolved().settings
