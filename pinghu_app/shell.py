"""The app shell: the page list, the page registration and the corpus key of a run.

``dashboard.py`` (the entry point) registers the pages with :func:`navigation`, computes the run's
corpus key and keeps it (``app_corpus.remember_key``); every page asks for it first with
:func:`current_key`.  A page that Streamlit ran without the entry point — its URL opened first on
a freshly started server, before any session called ``st.navigation``, runs ``pages/<name>.py``
from Streamlit's automatic pages folder — registers the pages here and reruns, which sends the
same URL through the entry point.  This module never imports ``dashboard.py``: imports go from the
entry point and the pages to the shell, to the caching adapter (the other ``pinghu_app`` modules), to the core.

To add a page, add one line to ``NAV``; nothing else needs to change (the tests read ``NAV``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from pinghu_app import corpus as app_corpus

ROOT = Path(__file__).resolve().parents[1]
APP_TITLE = "平湖头版数据看板"
# The tab icon is a file the app serves itself: a ":material/…:" favicon is fetched from an outside
# font host, which an intranet browser cannot reach.
FAVICON = ROOT / "static" / "favicon.png"


@dataclass(frozen=True)
class NavPage:
    section: str
    path: str  # relative to this file
    title: str
    icon: str
    url_path: str
    editors_only: bool = False  # hosted mode: only addresses in the editors list see it


# The dashboard's pages, in sidebar order; the first one is served at "/" (its url path is
# reserved but not used).  Each page's st.title contains its title here (tests check it).
NAV: tuple[NavPage, ...] = (
    # NavPage(section, file, title, icon, url path): one line per page
    NavPage("语料", "pages/overview.py", "总览", ":material/dashboard:", "overview"),
    NavPage("语料", "pages/articles.py", "文章检索", ":material/search:", "articles"),
    NavPage("语料", "pages/upload.py", "上传", ":material/upload_file:", "upload", editors_only=True),
    NavPage("分析", "pages/themes.py", "政策主题", ":material/campaign:", "themes"),
    NavPage("分析", "pages/progress.py", "项目进度", ":material/construction:", "progress"),
    NavPage("分析", "pages/words.py", "词云", ":material/cloud:", "words"),
)


def url_of(p: NavPage) -> str:
    """The page's URL path: Streamlit serves the first (default) page at the root."""
    return "" if p == NAV[0] else p.url_path


def navigation(*, editor: bool) -> st.Page:
    """Register the pages this visitor may open (``editors_only`` pages only for editors)."""
    sections: dict[str, list[st.Page]] = {}
    for i, p in enumerate(NAV):
        if p.editors_only and not editor:
            continue
        page = st.Page(ROOT / p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0)
        sections.setdefault(p.section, []).append(page)
    return st.navigation(sections)


def current_key() -> app_corpus.CorpusKey:
    """The corpus key the entry point computed for this run; pages call this first (see the module
    docstring for a page run without the entry point)."""
    key = app_corpus.remembered_key()
    if key is None:
        # Every page, so that the rerun keeps the URL's page; dashboard.py then decides who may see it
        # (the sign-in page for a signed-out visitor, the default page for a page not theirs).
        navigation(editor=True)
        st.rerun()
    return key
