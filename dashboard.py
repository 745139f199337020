"""平湖头版数据看板 — entry point: ``streamlit run dashboard.py``.

To add a page, add one line to ``NAV``; nothing else needs to change (the tests read ``NAV``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

import app_cache
from pinghu_core import ingest, settings

ROOT = Path(__file__).resolve().parent
APP_TITLE = "平湖头版数据看板"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavPage:
    section: str
    path: str  # relative to this file
    title: str
    icon: str
    url_path: str


# The dashboard's pages, in sidebar order; the first one is served at "/" (its url path is
# reserved but not used).  Each page's st.title contains its title here (tests check it).
NAV: tuple[NavPage, ...] = (
    # NavPage(section, file, title, icon, url path): one line per page
    NavPage("语料", "pages/overview.py", "总览", ":material/dashboard:", "overview"),
    NavPage("语料", "pages/articles.py", "文章检索", ":material/search:", "articles"),
    NavPage("分析", "pages/themes.py", "政策主题", ":material/campaign:", "themes"),
    NavPage("分析", "pages/progress.py", "项目进度", ":material/construction:", "progress"),
    NavPage("分析", "pages/words.py", "词云", ":material/cloud:", "words"),
)


def url_of(p: NavPage) -> str:
    """The page's URL path: Streamlit serves the first (default) page at the root."""
    return "" if p == NAV[0] else p.url_path


def navigation() -> st.Page:
    sections: dict[str, list[st.Page]] = {}
    for i, p in enumerate(NAV):
        page = st.Page(ROOT / p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0)
        sections.setdefault(p.section, []).append(page)
    return st.navigation(sections)


def corpus_problem(corpus_dir: Path, exc: Exception) -> None:
    """Explain a missing or unreadable corpus folder instead of showing a traceback."""
    log.warning("corpus not available at %s: %s", corpus_dir, exc)
    if isinstance(exc, ingest.CorpusError):
        headline = str(exc)  # Chinese, names the folder
    else:
        headline = f"无法读取语料文件夹：{corpus_dir}（{getattr(exc, 'strerror', None) or exc}）"
    if str(corpus_dir) not in headline:
        headline += f"：{corpus_dir}"
    st.title(APP_TITLE)
    st.error(
        f"**{headline}**\n\n"
        "请把头版文本文件（.txt）放进这个文件夹，或者用环境变量 **PINGHU_DATA_DIR** 指定语料文件夹后重新启动，例如：\n\n"
        "`PINGHU_DATA_DIR=/path/to/corpus streamlit run dashboard.py`",
        icon=":material/folder_off:",
    )


def shown_path(path: Path) -> str:
    """The corpus folder as people should read it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(settings.PROJECT_ROOT))
    except ValueError:
        return str(path)


def sidebar(key: app_cache.CorpusKey, corpus: ingest.Corpus) -> None:
    with st.sidebar:
        st.caption("语料文件夹")
        st.code(shown_path(Path(key.corpus_dir)), language=None, wrap_lines=True)
        st.caption(f"版面数：**{len(corpus.pages):,}**")
        st.button(
            "刷新语料",
            key=app_cache.Keys.REFRESH,
            on_click=app_cache.clear_all,
            icon=":material/refresh:",
            help="重新读取语料文件夹。文件有改动时，看板在下一次操作时会自动读取新文件；这个按钮用于强制重新读取。",
            width="stretch",
        )


def main() -> None:
    st.set_page_config(page_title=APP_TITLE, page_icon=":material/newspaper:", layout="wide")
    page = navigation()
    corpus_dir = settings.get_settings().corpus_dir
    try:
        key = app_cache.corpus_key()
        corpus = app_cache.get_corpus(key)
    except (ingest.CorpusError, OSError) as exc:
        corpus_problem(corpus_dir, exc)
        return
    app_cache.remember_key(key)
    sidebar(key, corpus)
    page.run()


if __name__ == "__main__":  # streamlit runs this file as __main__; tests import it for NAV
    main()
