"""What this dashboard is running on: corpus, dictionary versions, settings and versions, as one table.

Shown on 总览 so that a number can always be traced to the data and the rules that produced it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from pinghu_core.common import schemas, settings
from pinghu_core.common.wording import format_date_zh
from pinghu_core.parse import columns, progress
from pinghu_core.parse.projects import ProjectFile
from pinghu_core.themes.dictionary import ThemeDict


def folder_digest(folder: Path, pattern: str = "*.txt") -> str:
    """A short digest of the names and contents of the files in ``folder`` ('' when there are none)."""
    h = hashlib.sha256()
    found = False
    for path in sorted(folder.glob(pattern)) if folder.is_dir() else []:
        try:
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
            found = True
        except OSError:
            continue
    return h.hexdigest()[:16] if found else ""


def _dictionary(obj: ThemeDict | ProjectFile | None, problem: str | None, count: str) -> str:
    if obj is None:
        return f"无法使用（{problem}）" if problem else "无法使用"
    text = f"版本 {obj.version} · 摘要 {obj.digest} · {count}"
    return text + (f" · 文件有误，沿用上次的正确内容：{problem}" if problem else "")


SHAPE_SETTING_ZH = {
    "auto": "自动：文件名含日期、版次和篇次（如 20200115-01-03.txt）的文件是单篇文章，其余是整版",
    "page": "每个文件是一个整版",
    "article": "每个文件是一篇文章",
}


def _shape_zh(pages: pd.DataFrame) -> str:
    """'整版 5 个' / '单篇文章 4,113 个' / '整版 2 个、单篇文章 10 个'."""
    counts = pages["shape"].astype(str).value_counts()
    parts = [
        f"{'整版' if s == 'page' else '单篇文章'} {int(counts[s]):,} 个"
        for s in ("page", "article")
        if s in counts
    ]
    return "、".join(parts) or "没有可用文件"


def about_table(
    cfg: settings.Settings,
    sources: dict[str, str],
    pages: pd.DataFrame,
    report: pd.DataFrame,
    themes: ThemeDict | None,
    themes_problem: str | None,
    projects: ProjectFile | None,
    projects_problem: str | None,
    hosted: bool,
    places_version: str = "",
) -> pd.DataFrame:
    """schemas.ABOUT: one row per thing in use (what, value, where it is or where the setting came from)."""
    files = report[report["code"].astype("string") != "manifest"]
    writing = int((report["code"].astype("string") == "writing").sum())
    dates = pages["date"].dropna()
    newest = format_date_zh(dates.max()) if len(dates) else "无可确定日期"
    lexicon = folder_digest(cfg.lexicon_dir)
    rows = [
        (
            "语料文件夹",
            f"{len(files) - writing:,} 个文件（{len(pages):,} 个可用，{_shape_zh(pages)}）· 最新版面日期 {newest}"
            + (f" · {writing:,} 个文件正在写入" if writing else ""),
            str(cfg.corpus_dir),
            sources["corpus_dir"],
        ),
        ("缓存文件夹", "解析结果缓存", str(cfg.cache_dir), sources["cache_dir"]),
        (
            "主题词典",
            _dictionary(themes, themes_problem, f"{len(themes.themes) if themes else 0} 个主题"),
            str(cfg.themes_file),
            sources["themes_file"],
        ),
        (
            "项目名录",
            _dictionary(projects, projects_problem, f"{len(projects.projects) if projects else 0} 个项目"),
            str(cfg.projects_file),
            sources["projects_file"],
        ),
        ("地名词表", places_version or "没有版本号", str(cfg.places_file), sources["places_file"]),
        (
            "词表（自定义词典、停用词）",
            f"摘要 {lexicon}" if lexicon else "没有词表文件",
            str(cfg.lexicon_dir),
            sources["lexicon_dir"],
        ),
        ("单个文件上限", f"{cfg.max_file_bytes:,} 字节", "", sources["max_file_bytes"]),
        ("文件形态", SHAPE_SETTING_ZH[cfg.corpus_shape], "", sources["corpus_shape"]),
        ("语料名称", cfg.corpus_title, "", sources["corpus_title"]),
        (
            "自动检查语料",
            f"每 {cfg.refresh_seconds} 秒" if cfg.refresh_seconds else "关闭",
            "",
            sources["refresh_seconds"],
        ),
        (
            "访问方式",
            "托管：需登录，按名单授权" if hosted else "本地：无需登录",
            "",
            "secrets.toml 的 [auth]",
        ),
        ("看板版本", settings.APP_VERSION, "", ""),
        ("解析器版本", settings.PARSER_VERSION, "", ""),
        ("栏目列表", columns_row(), str(columns.columns_path()), "data/columns.toml"),
        ("项目进度词表", progress_rules_row(), str(progress.RULES_FILE.path()), "data/progress.toml"),
    ]
    frame = pd.DataFrame(rows, columns=schemas.ABOUT.names)
    return schemas.conform(frame, schemas.ABOUT)


def columns_row() -> str:
    """The column list's version and size, or why it cannot be used."""
    cols = columns.columns()
    said = f"版本 {cols.version or '未标注'}，评论栏目 {len(cols.commentary)} 个"
    problem = columns.columns_problem()
    return f"{said}（{problem}）" if problem else said


def progress_rules_row() -> str:
    """The progress word lists' version, or why they cannot be used."""
    rules = progress.RULES_FILE.get()
    said = f"版本 {rules.version or '未标注'}"
    problem = progress.rules_problem()
    return f"{said}（{problem}）" if problem else said


def table_zh(about: pd.DataFrame) -> pd.DataFrame:
    """:func:`about_table` with Chinese headers."""
    return about.rename(columns=schemas.labels_zh(schemas.ABOUT))


def summary_zh(about: pd.DataFrame) -> str:
    """One line for the top of 总览: which corpus, which dictionaries, which versions."""
    value = dict(zip(about["item"], about["value"], strict=True))
    where = dict(zip(about["item"], about["location"], strict=True))
    themes = value["主题词典"].split(" · ")[0]
    projects = value["项目名录"].split(" · ")[0]
    return (
        f"语料 `{where['语料文件夹']}` · 主题词典{themes} · 项目名录{projects} · "
        f"看板 {value['看板版本']} · 解析器版本 {value['解析器版本']}"
    )
