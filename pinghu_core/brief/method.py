"""The 方法与来源 rows of a brief: which corpus, dates and pages, which dictionaries (version and
digest, as 总览's 关于 table names them) and which version of the dashboard drafted it."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pandas as pd

from pinghu_core.common import settings
from pinghu_core.common.wording import format_date_zh
from pinghu_core.corpus import prominence as pr
from pinghu_core.events import model as ev
from pinghu_core.parse import progress as parse_progress
from pinghu_core.parse.projects import ProjectFile
from pinghu_core.search import places as pl
from pinghu_core.themes.dictionary import ThemeDict

DIST_NAME = "pinghu-dashboard"


def app_version() -> str:
    """The installed package's version (pyproject), else the source's own."""
    try:
        return importlib.metadata.version(DIST_NAME)
    except importlib.metadata.PackageNotFoundError:
        return settings.APP_VERSION


def places_row(gaz: pl.Gazetteer | None) -> str:
    """'版本 2026-11-23 · 摘要 …' of the place file ('' when it cannot be used)."""
    return f"版本 {gaz.version} · 摘要 {pl.gazetteer_digest(gaz)}" if gaz is not None else ""


def method_rows(
    corpus_dir: Path | None,
    pages: pd.DataFrame,
    themes: ThemeDict | None,
    places_version: str,
    projects: ProjectFile | None,
    events: ev.EventList,
) -> tuple[tuple[str, str], ...]:
    dates = pages["date"].dropna()
    span = f"{format_date_zh(dates.min())}至{format_date_zh(dates.max())}" if len(dates) else "无可确定日期"
    rules = pr.rules()
    return (
        (
            "语料",
            f"文件夹 {corpus_dir.name if corpus_dir else '（所给文件）'} · 版面文件 {len(pages):,} 个 · 日期 {span}",
        ),
        (
            "主题词典",
            f"版本 {themes.version} · 摘要 {themes.digest} · {len(themes.themes)} 个主题"
            if themes
            else "无法使用",
        ),
        ("地名词表", places_version or "无法使用"),
        (
            "项目名录",
            f"版本 {projects.version} · 摘要 {projects.digest} · {len(projects.projects)} 个项目"
            if projects
            else "无法使用",
        ),
        ("项目进度词表", f"版本 {parse_progress.RULES_FILE.get().version or '未标注'}"),
        ("显著度规则", f"版本 {rules.version or '未标注'} · 摘要 {pr.rules_digest()}"),
        (
            "事件列表",
            f"版本 {events.version or '未标注'} · 摘要 {events.digest} · {len(events.events)} 个事件",
        ),
        ("看板版本", app_version()),
        ("解析器版本", settings.PARSER_VERSION),
    )
