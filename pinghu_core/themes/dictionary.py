"""Policy themes: the editable dictionary (``data/themes.toml``) and article tagging.

``load_themes`` reads and checks the dictionary; a bad file raises :class:`ThemeFileError`
with the line and a Chinese message.  :class:`ThemeStore` keeps the last good dictionary of
each file so the app keeps working while a user is half-way through an edit.

``tag_articles`` finds every keyword and alias in each article's title (引题 + 主题 + 副题)
and body.  One regular expression per theme (its terms and exclusions, longest first) runs
over all texts joined into one string, so a corpus of ten years is tagged in a fraction of
a second.  Within a theme the longest term wins (全国文明城市 is one hit, not also a
文明城市 hit) and a term inside one of the theme's exclusion phrases does not count.  Title
hits weigh :data:`TITLE_WEIGHT` times a body hit (``weight``; docs/THEMES.md).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pinghu_core.common import schemas, settings
from pinghu_core.common.dictfile import DictFileError, LastGoodStore, TomlLines, toml_syntax_error
from pinghu_core.corpus import derived

DEFAULT_THEMES_PATH: Path = settings.DATA_DIR / "themes.toml"
THEMES_ENV = "PINGHU_THEMES_FILE"
TITLE_WEIGHT = 3  # a hit in 引题/主题/副题 counts as three body hits in ``weight``
TAGGED_KINDS: tuple[str, ...] = ("news", "photo", "commentary")  # coverage; not ads, guides, mastheads
TERM_SEP = "、"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
THEME_KEYS = ("id", "label", "group", "keywords", "aliases", "exclusions")
REQUIRED_KEYS = ("id", "label", "group", "keywords")

# Separators in the joined corpus string: no term contains them, so no hit crosses texts.
_TITLE_END, _ARTICLE_END = "\x01", "\x00"


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    group: str
    keywords: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Keywords then aliases (each once)."""
        return tuple(dict.fromkeys((*self.keywords, *self.aliases)))


@dataclass(frozen=True)
class ThemeDict:
    version: str
    themes: tuple[Theme, ...]
    digest: str = field(default="")

    @property
    def by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    @property
    def groups(self) -> tuple[str, ...]:
        """Groups in the order they first appear in the file."""
        return tuple(dict.fromkeys(t.group for t in self.themes))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    @property
    def labels(self) -> dict[str, str]:
        """id → label (主题名称), in file order."""
        return {t.id: t.label for t in self.themes}

    @property
    def choice_labels(self) -> dict[str, str]:
        """id → '名称（组）', what a theme filter lists."""
        return {t.id: f"{t.label}（{t.group}）" for t in self.themes}


class ThemeFileError(DictFileError):
    """The theme dictionary cannot be used; ``message_zh`` says why, ``line`` where (1-based)."""


# ---------------------------------------------------------------- loading


def themes_path() -> Path:
    """The dictionary in use: setting ``themes_file`` (``$PINGHU_THEMES_FILE``, default ``data/themes.toml``)."""
    return settings.get_settings().themes_file


def digest_of(version: str, themes: Sequence[Theme]) -> str:
    """A digest of the dictionary's content (comments and layout do not change it)."""
    payload = json.dumps(
        [version, [[t.id, t.label, t.group, t.keywords, t.aliases, t.exclusions] for t in themes]],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _strings(value: object, key: str, where: str, line: int | None, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ThemeFileError(f'第{line}行：{where}的 {key} 应是字符串列表，如 ["词一", "词二"]', line, path)
    words = tuple(dict.fromkeys(v.strip() for v in value))
    if any(not w for w in words):
        raise ThemeFileError(f"第{line}行：{where}的 {key} 含有空字符串", line, path)
    return words


def _text(entry: dict, key: str, where: str, line: int | None, path: Path) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise ThemeFileError(f"第{line}行：{where}的 {key} 应是非空字符串", line, path)
    return value.strip()


def _theme(entry: object, index: int, lines: TomlLines, path: Path) -> Theme:
    """One ``[[theme]]`` table → :class:`Theme`, or a :class:`ThemeFileError` naming its line."""
    header = lines.entry(index)
    if not isinstance(entry, dict):
        raise ThemeFileError(f"第{header}行：第{index + 1}个主题应是 [[theme]] 表", header, path)
    name = entry.get("id") if isinstance(entry.get("id"), str) else f"第{index + 1}个主题"
    where = f"主题“{name}”"
    unknown = sorted(set(entry) - set(THEME_KEYS))
    if unknown:
        line = lines.key(unknown[0], index)
        raise ThemeFileError(
            f"第{line}行：{where}有未知的字段 {'、'.join(unknown)}（可用：{'、'.join(THEME_KEYS)}）",
            line,
            path,
        )
    for key in REQUIRED_KEYS:
        if key not in entry:
            raise ThemeFileError(f"第{header}行：{where}缺少 {key}", header, path)
    theme_id = _text(entry, "id", where, lines.key("id", index), path)
    if not ID_RE.match(theme_id):
        line = lines.key("id", index)
        raise ThemeFileError(
            f"第{line}行：主题编号“{theme_id}”只能用小写英文字母、数字、连字符和下划线", line, path
        )
    words = {
        key: _strings(entry.get(key, []), key, where, lines.key(key, index), path)
        for key in ("keywords", "aliases", "exclusions")
    }
    if not words["keywords"]:
        line = lines.key("keywords", index)
        raise ThemeFileError(f"第{line}行：{where}的 keywords 不能为空", line, path)
    theme = Theme(
        theme_id,
        _text(entry, "label", where, lines.key("label", index), path),
        _text(entry, "group", where, lines.key("group", index), path),
        words["keywords"],
        tuple(a for a in words["aliases"] if a not in words["keywords"]),
        words["exclusions"],
    )
    useless = [x for x in theme.exclusions if not any(t in x for t in theme.terms)]
    if useless:
        line = lines.key("exclusions", index)
        raise ThemeFileError(
            f"第{line}行：{where}的排除短语“{useless[0]}”不包含本主题的任何关键词或别名", line, path
        )
    return theme


def parse_themes(text: str, path: Path | str = "themes.toml") -> ThemeDict:
    """TOML text → :class:`ThemeDict` (see :func:`load_themes`)."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(exc, path, text, "主题词典", ThemeFileError) from None
    lines = TomlLines(text, "theme")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        line = lines.key("version") or 1
        raise ThemeFileError(f'第{line}行：词典须有版本号，如 version = "2025.1"', line, path)
    entries = data.get("theme", [])
    if not isinstance(entries, list) or not entries:
        raise ThemeFileError("词典里没有主题：每个主题以一行 [[theme]] 开始", lines.key("theme") or 1, path)
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        theme = _theme(entry, index, lines, path)
        if theme.id in seen:
            id_line = lines.key("id", index)
            raise ThemeFileError(
                f"第{id_line}行：主题编号“{theme.id}”重复（第{seen[theme.id] + 1}个主题已用过）",
                id_line,
                path,
            )
        seen[theme.id] = index
        themes.append(theme)
    return ThemeDict(version.strip(), tuple(themes), digest_of(version.strip(), themes))


def load_themes(path: Path | str | None = None) -> ThemeDict:
    """Read and check a theme dictionary (default :func:`themes_path`).

    Raises :class:`ThemeFileError` naming the line for TOML syntax errors and for schema
    errors (a theme without label or keywords, a duplicate id, a wrong type, an unknown key).
    """
    path = Path(path) if path is not None else themes_path()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ThemeFileError(f"找不到主题词典：{path}", None, path) from None
    except UnicodeDecodeError as exc:
        raise ThemeFileError(f"主题词典 {path.name} 不是 UTF-8 编码：{exc}", None, path) from None
    return parse_themes(text, path)


class ThemeStore(LastGoodStore[ThemeDict]):
    """Loads dictionaries and keeps the last good one per path (:class:`dictfile.LastGoodStore`)."""

    def __init__(self) -> None:
        super().__init__(load_themes, themes_path, ThemeFileError)


# ---------------------------------------------------------------- tagging


def title_text(articles: pd.DataFrame) -> pd.Series:
    """引题, 主题 and 副题 joined by newlines (so no keyword spans two of them)."""
    return (
        articles["kicker"].astype("string").fillna("")
        + "\n"
        + articles["title"].astype("string").fillna("")
        + "\n"
        + articles["subtitle"].astype("string").fillna("")
    )


def tagged(articles: pd.DataFrame) -> pd.DataFrame:
    """The items that count as coverage (news, photo, commentary)."""
    return articles[articles["kind"].astype("string").isin(TAGGED_KINDS)]


def arrow_strings(values: Iterable[object]) -> pa.Array:
    """Strings (a Series, Index, list …) as a pyarrow string array."""
    if isinstance(values, pd.Series | pd.Index):
        values = values.astype("string").array
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def isin_strings(series: pd.Series, values: Iterable[str]) -> np.ndarray:
    """``series.isin(values)`` for string columns, as a bool array (pyarrow: ~10× faster)."""
    if not isinstance(values, pd.Series | pd.Index | list | tuple | np.ndarray):
        values = list(values)
    mask = pc.is_in(arrow_strings(series), value_set=arrow_strings(values))
    return mask.fill_null(False).to_numpy(zero_copy_only=False)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so the longest match wins)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _overlap(a: str, b: str) -> bool:
    """Whether occurrences of ``a`` and ``b`` can overlap in a text."""
    if a in b or b in a:
        return True
    return any(a[-k:] == b[:k] or b[-k:] == a[:k] for k in range(1, min(len(a), len(b))))


def _conflict(x: Theme, y: Theme) -> bool:
    return any(_overlap(a, b) for a in (*x.terms, *x.exclusions) for b in (*y.terms, *y.exclusions))


@dataclass(frozen=True)
class Pass:
    """One regex over the strings of themes whose strings can never overlap each other."""

    pattern: re.Pattern[str]
    owner: dict[str, tuple[int, bool]]  # string → (theme index, is an exclusion)


@functools.lru_cache(maxsize=32)
def scan_plan(themes: tuple[Theme, ...]) -> tuple[Pass, ...]:
    """Themes split into as few passes as possible (greedy colouring of the overlap graph).

    Inside a pass no string of one theme can overlap a string of another, so scanning the
    union leftmost-longest gives each theme exactly the hits its own scan would give.
    """
    order = sorted(range(len(themes)), key=lambda i: -sum(_conflict(themes[i], t) for t in themes))
    passes: list[list[int]] = []
    for i in order:
        for members in passes:
            if not any(_conflict(themes[i], themes[j]) for j in members):
                members.append(i)
                break
        else:
            passes.append([i])
    plan = []
    for members in passes:
        owner: dict[str, tuple[int, bool]] = {}
        for i in members:
            owner.update({x: (i, True) for x in themes[i].exclusions})
            owner.update({t: (i, False) for t in themes[i].terms})
        plan.append(Pass(re.compile(alternation(owner)), owner))
    return tuple(plan)


@dataclass(frozen=True)
class Joined:
    """All titles and bodies in one string, with each article's offsets."""

    text: str
    starts: np.ndarray  # offset where article i's title starts
    body_starts: np.ndarray  # offset where article i's body starts
    ids: np.ndarray  # article_id of article i


def join_texts(articles: pd.DataFrame) -> Joined:
    titles = title_text(articles).tolist()
    bodies = articles["body"].astype("string").fillna("").tolist()
    title_lens = np.fromiter((len(t) + 1 for t in titles), dtype=np.int64, count=len(titles))
    body_lens = np.fromiter((len(b) + 1 for b in bodies), dtype=np.int64, count=len(bodies))
    ends = np.cumsum(title_lens + body_lens)
    starts = ends - title_lens - body_lens
    text = "".join(f"{t}{_TITLE_END}{b}{_ARTICLE_END}" for t, b in zip(titles, bodies, strict=True))
    ids = articles["article_id"].astype("string").to_numpy(dtype=object)
    return Joined(text, starts, starts + title_lens, ids)


def scan(joined: Joined, themes: tuple[Theme, ...]) -> dict[int, list[tuple[int, str]]]:
    """Theme index → its counted hits (offset in ``joined.text``, matched term), in text order."""
    found: dict[int, list[tuple[int, str]]] = {}
    for step in scan_plan(themes):
        owner = step.owner
        for m in step.pattern.finditer(joined.text):
            term = m.group()
            index, excluded = owner[term]
            if not excluded:
                found.setdefault(index, []).append((m.start(), term))
    return found


def _theme_rows(joined: Joined, found: list[tuple[int, str]], theme: Theme, group: str) -> pd.DataFrame:
    """Hits of one theme → one row per article (ARTICLE_THEMES columns, plus ``pos``)."""
    pos = np.fromiter((p for p, _ in found), dtype=np.int64, count=len(found))
    idx = np.searchsorted(joined.starts, pos, side="right") - 1
    in_title = pos < joined.body_starts[idx]
    articles, inverse = np.unique(idx, return_inverse=True)
    title_hits = np.bincount(inverse, weights=in_title, minlength=len(articles)).astype(np.int32)
    total = np.bincount(inverse, minlength=len(articles)).astype(np.int32)
    terms: dict[int, dict[str, None]] = {}
    for i, (_, term) in zip(inverse.tolist(), found, strict=True):
        terms.setdefault(i, {})[term] = None
    return pd.DataFrame(
        {
            "pos": articles,
            "article_id": joined.ids[articles],
            "theme_id": theme.id,
            "theme_label": theme.label,
            "theme_group": group,
            "title_hits": title_hits,
            "body_hits": total - title_hits,
            "terms": [TERM_SEP.join(terms[i]) for i in range(len(articles))],
        }
    )


def finish(rows: list[pd.DataFrame], order: dict[str, int]) -> pd.DataFrame:
    """Per-theme rows → the ARTICLE_THEMES frame, by article position then theme order."""
    if not rows:
        return schemas.ARTICLE_THEMES.empty()
    out = pd.concat(rows, ignore_index=True)
    out["hits"] = out["title_hits"] + out["body_hits"]
    out["weight"] = TITLE_WEIGHT * out["title_hits"].astype("float64") + out["body_hits"]
    out["in_title"] = out["title_hits"] > 0
    out["_order"] = out["theme_id"].map(order)
    out = out.sort_values(["pos", "_order"], kind="stable")
    return schemas.conform(out, schemas.ARTICLE_THEMES)


def tag_with(articles: pd.DataFrame, themes: Sequence[Theme], group: str | None = None) -> pd.DataFrame:
    """Tag coverage items with ``themes`` (``group`` overrides each theme's group)."""
    items = tagged(articles)
    if items.empty or not themes:
        return schemas.ARTICLE_THEMES.empty()
    joined = join_texts(items)
    themes = tuple(themes)
    found = scan(joined, themes)
    rows = [
        _theme_rows(joined, found[i], themes[i], group if group is not None else themes[i].group)
        for i in sorted(found)
    ]
    return finish(rows, {t.id: i for i, t in enumerate(themes)})


def stored_tags(
    articles: pd.DataFrame,
    themes: ThemeDict,
    root: Path | None,
    corpus_fingerprint: str,
    digests: Callable[[], np.ndarray] | None = None,
) -> pd.DataFrame:
    """:func:`tag_articles`, kept with the corpus cache under ``root`` (computed once per corpus,
    dictionary and version of the tagging code; see :mod:`pinghu_core.corpus.derived`; only the
    articles an earlier corpus lacked are tagged again; ``digests``: the articles'
    :func:`derived.text_digests` when known)."""
    key = tags_stored(themes, corpus_fingerprint)
    return derived.load_or_build_by_article(
        root,
        key.name,
        key.parts,
        [p for p in key.parts if p != corpus_fingerprint],
        lambda: articles[list(derived.ARTICLE_TEXT)],  # all that tag_articles reads
        lambda some: tag_articles(some, themes),
        schemas.ARTICLE_THEMES,
        digests,
    )


def tags_stored(themes: ThemeDict, corpus_fingerprint: str) -> derived.Stored:
    """What :func:`stored_tags` keeps: per corpus, dictionary and version of the tagging code."""
    parts = (
        "article_themes",
        corpus_fingerprint,
        themes.digest,
        derived.source_digest(sys.modules[__name__]),
    )
    return derived.Stored("themes", parts)


def tag_articles(articles: pd.DataFrame, themes: ThemeDict) -> pd.DataFrame:
    """One row per (article, theme) with at least one hit, conformed to ``schemas.ARTICLE_THEMES``.

    Only news, photo and commentary items are tagged.  ``title_hits`` count hits in
    引题 + 主题 + 副题, ``weight = TITLE_WEIGHT * title_hits + body_hits``.
    """
    return tag_with(articles, themes.themes)
