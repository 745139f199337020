"""The app shell: the page list, the sign-in gate, the page registration, the sidebar and the
corpus key of a run.

``dashboard.py`` (the entry point) calls :func:`run`: settings, the sign-in gate (hosted mode),
the pages registered with :func:`navigation`, the run's corpus key kept for the pages
(``app_corpus.remember_key``), the sidebar, then the page; every page asks for the key first with
:func:`current_key`.  A page that Streamlit ran without the entry point — its URL opened first on
a freshly started server, before any session called ``st.navigation``, runs ``pages/<name>.py``
from Streamlit's automatic pages folder — registers the pages here and reruns, which sends the
same URL through the entry point.  This module never imports ``dashboard.py``: imports go from the
entry point and the pages to the shell, to the caching adapter (the other ``pinghu_app`` modules), to the core.

To add a page, add one line to ``NAV``; nothing else needs to change (the tests read ``NAV``).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import state as app_state
from pinghu_core.common import access, memory, settings
from pinghu_core.common import safe_markdown as md
from pinghu_core.corpus import ingest

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
    NavPage("分析", "pages/people.py", "人物", ":material/groups:", "people"),
    NavPage("分析", "pages/events.py", "事件", ":material/event:", "events"),
    NavPage("分析", "pages/brief.py", "简报", ":material/summarize:", "brief"),
)


def url_of(p: NavPage) -> str:
    """The page's URL path: Streamlit serves the first (default) page at the root."""
    return "" if p == NAV[0] else p.url_path


def navigation(*, editor: bool) -> st.Page:
    """Register the pages this visitor may open (``editors_only`` pages only for editors).

    An address that is none of them gets a hidden page of its own, in Chinese (:func:`missing_page`),
    instead of Streamlit's English "Page not found" notice over the first page — except on the very
    first run of a freshly started server, when Streamlit reads the pages/ folder itself and sends its
    notice before this runs."""
    sections: dict[str, list[st.Page]] = {}
    for i, p in enumerate(NAV):
        if p.editors_only and not editor:
            continue
        page = st.Page(ROOT / p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0)
        sections.setdefault(p.section, []).append(page)
    missing = missing_address([url_of(p) for p in NAV if editor or not p.editors_only], editor=editor)
    if missing is not None:
        asked, kind = missing
        home = sections[NAV[0].section][0]
        content = functools.partial(not_found_page, asked, kind, home)
        extra = st.Page(content, title=NOT_FOUND_TITLES[kind], url_path=asked, visibility="hidden")
        sections[NAV[0].section].append(extra)
    return st.navigation(sections)


# What an address that is no page of this visitor's is (missing_page).
EDITORS_ONLY, UNKNOWN = "editors_only", "unknown"
NOT_FOUND_TITLES = {EDITORS_ONLY: "仅限编辑", UNKNOWN: "找不到页面"}
SHOWN_NAME_MAX = 60  # characters of an unknown address shown back


def missing_page(asked: str | None, served: list[str], *, editor: bool) -> str | None:
    """``asked`` (the page name of the address, ``progress`` for ``/progress``) when it is none of
    the ``served`` URL paths: ``EDITORS_ONLY`` (a page this visitor may not open) or ``UNKNOWN``;
    None when it is served, when nothing was asked, or when Streamlit could not register it as a
    hidden page — a nested or padded name, or the first page's own url path (``/overview``: Streamlit
    serves that page at ``/`` and reserves the name), which keep Streamlit's notice."""
    if not asked or asked in served or asked != asked.strip().strip("/") or "/" in asked:
        return None
    if asked == NAV[0].url_path:
        return None
    if not editor and any(p.editors_only and p.url_path == asked for p in NAV):
        return EDITORS_ONLY
    return UNKNOWN


def missing_address(served: list[str], *, editor: bool) -> tuple[str, str] | None:
    """(the address of this run, its kind) when it is no page of ``served`` (:func:`missing_page`),
    else None.

    Kept in the session: the reruns of that page (a button on it, the sidebar) ask for it by its page
    hash, which only resolves while it is registered again — else Streamlit would run the first page
    instead, and the button's click would be lost (the sign-in button on a mistyped address)."""
    ss = st.session_state
    asked = requested_page_name()
    if asked is None:
        asked = ss.get(app_state.Keys.MISSING_ADDRESS)
    kind = missing_page(asked, served, editor=editor)
    if asked is None or kind is None:
        return None
    ss[app_state.Keys.MISSING_ADDRESS] = asked
    return asked, kind


def requested_page_name() -> str | None:
    """The page name this run's address asked for (None when the run asked by page hash, as a click
    in the sidebar does, or outside a Streamlit run).  Streamlit keeps it on the run's pages manager;
    without it the app falls back to Streamlit's own notice."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    if manager is None or getattr(manager, "intended_page_script_hash", None):
        return None
    name = getattr(manager, "intended_page_name", None)
    return name if isinstance(name, str) else None


def not_found_page(asked: str, kind: str, home: st.Page) -> None:
    """The page of an address that is no page of this visitor's (see :func:`missing_page`)."""
    st.title(NOT_FOUND_TITLES[kind])
    shown = asked if len(asked) <= SHOWN_NAME_MAX else asked[:SHOWN_NAME_MAX] + "…"
    if kind == EDITORS_ONLY:
        title = next(p.title for p in NAV if p.url_path == asked)
        st.info(f"“{md.escape(title)}”页面只对编辑开放。请从左侧目录选择其他页面。", icon=":material/lock:")
    else:
        st.warning(
            f"看板里没有地址为“/{md.escape(shown)}”的页面：链接可能有误，或页面已改名。请从左侧目录选择页面。",
            icon=":material/link_off:",
        )
    st.page_link(home, label=f"回到{NAV[0].title}", icon=":material/home:")


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


# ---------------------------------------------------------------- one run of the app

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- sign-in (hosted mode)


def sign_in_page() -> None:
    st.title(APP_TITLE)
    st.write("这是单位内部的数据看板，请先用单位账号登录。")
    if st.button("登录", type="primary", icon=":material/login:"):
        st.login()


def refusal_page(who: app_corpus.Viewer) -> None:
    st.title("无权访问")
    st.error(f"已登录的地址：**{md.escape(who.email) or '（没有电子邮件地址）'}**", icon=":material/block:")
    st.write(access.refusal_zh(who.email, settings.get_settings().allowed))
    if st.button("退出登录", icon=":material/logout:"):
        st.logout()


def only_page(content, title: str) -> None:
    """Serve one hidden page and nothing else: every URL of the app shows it, no other page runs.

    It answers each page's URL too — the first page's own name as well (``/overview``: free here, the
    default page being this one) — so that a shared link shows the sign-in without a "Page not found"."""
    paths = [p.url_path for p in NAV]
    missing = missing_address(["signin", *paths], editor=True)
    if missing is not None:
        paths.append(missing[0])  # any other address too
    pages = [st.Page(content, title=title, url_path="signin", default=True)]
    pages += [st.Page(content, title=title, url_path=path) for path in paths]
    st.navigation(pages, position="hidden").run()


def gate(who: app_corpus.Viewer) -> None:
    """Not signed in: the sign-in page; signed in but not allowed: the refusal page."""
    if who.signed_in:
        only_page(functools.partial(refusal_page, who), "无权访问")
    else:
        only_page(sign_in_page, "登录")


def settings_problem(exc: settings.SettingsError) -> None:
    log.warning("bad settings: %s", exc)
    st.title(APP_TITLE)
    st.error(
        f"**配置有误，看板无法启动：**\n\n{md.escape(exc)}\n\n请改正后刷新本页（各配置项见 docs/DEPLOY.md）。"
    )


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
        f"**{md.escape(headline)}**\n\n"
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


def corpus_watch(current: app_corpus.CorpusKey) -> None:
    """Compare the corpus folder with the data shown; rerun the whole app when a file changed.

    Runs as a fragment every ``refresh_seconds``: every open session notices the change, and the
    corpus (cached once for all sessions) is re-read once, re-parsing only the changed files.  The
    folder itself is scanned at most twice per interval for all sessions (``corpus_key``)."""
    try:
        # half the interval: a scan made just under one interval ago must not hide a change for two
        changed = app_corpus.corpus_key(max_age=settings.get_settings().refresh_seconds / 2).fingerprint != (
            current.fingerprint
        )
    except (ingest.CorpusError, OSError):
        changed = True  # the folder vanished: the full run explains it
    if changed:
        st.rerun(scope="app")
    st.caption(f"每 {settings.get_settings().refresh_seconds} 秒自动检查语料文件夹的变化")


def account(who: app_corpus.Viewer) -> None:
    if not who.hosted:
        return
    st.caption(f"已登录：**{md.escape(who.email)}**" + ("（可上传）" if who.editor else ""))
    if st.button("退出登录", key=app_state.Keys.SIGN_OUT, icon=":material/logout:", width="stretch"):
        st.logout()


def sidebar(key: app_corpus.CorpusKey, corpus: ingest.Corpus, who: app_corpus.Viewer) -> None:
    with st.sidebar:
        account(who)
        st.caption("语料文件夹")
        # st.text, not st.code: a code block loads the browser's syntax highlighter on every page
        # open (0.6–1 s of Chromium CPU here, bench/bench_pages.py); the path needs no highlighting
        st.text(shown_path(Path(key.corpus_dir)))
        st.caption(app_corpus.counts_zh(key))
        st.button(
            "刷新语料",
            key=app_state.Keys.REFRESH,
            on_click=app_corpus.clear_all,
            icon=":material/refresh:",
            help="重新读取语料文件夹。文件有改动时，看板在下一次操作时会自动读取新文件；这个按钮用于强制重新读取。",
            width="stretch",
        )
        writing = int(corpus.stats.get("writing", 0))
        if writing:
            st.caption(f"有 {writing:,} 个文件正在写入，写完后自动读取")
        seconds = settings.get_settings().refresh_seconds
        if seconds > 0:
            st.fragment(corpus_watch, run_every=seconds)(key)


# A table's own toolbar offers “Download as CSV”: written by the browser as the cells are, so a cell
# an article made start with = + - @ would run as a formula in Excel.  Hidden: every download of the
# dashboard goes through pinghu_core.common.exports (Chinese headers, formula-safe cells).
TABLE_TOOLBAR_CSS = """
[data-testid="stElementToolbarButton"]:has(button[aria-label="Download as CSV"]) { display: none; }
"""
# A multiselect keeps its chosen values on one line that scrolls sideways, so with two or three long
# theme names (长三角一体化与接轨上海（区域合作）) the first ones are cut off or hidden and the reader
# cannot see what the chart counts.  The chips wrap onto more lines instead, and a name longer than
# the box onto two lines of its chip: every one whole.
CHIPS_CSS = """
[data-testid="stMultiSelectTagsContainer"] {
  flex-wrap: wrap !important; height: auto !important; overflow: visible !important;
  row-gap: 4px; padding-top: 4px; padding-bottom: 4px;
}
[data-testid="stMultiSelect"] div[role="group"]:has(> [data-testid="stMultiSelectTagsContainer"]) {
  height: auto !important; max-height: none !important;
}
[data-testid="stMultiSelectTagsContainer"] [data-tag] { height: auto !important; min-height: 28px; }
[data-testid="stMultiSelectTagsContainer"] [data-tag] > span {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
"""
# Streamlit adds a full-screen button to every chart's Plotly tool bar, titled in English; the tool bar
# shows a button's title from CSS (``content: attr(data-title)``), so the Chinese is put there.
MODEBAR_CSS = """
.js-plotly-plot .modebar-btn[data-title="Fullscreen"]::after { content: "全屏" !important; }
.js-plotly-plot .modebar-btn[data-title="Close fullscreen"]::after { content: "退出全屏" !important; }
"""
APP_CSS = TABLE_TOOLBAR_CSS + CHIPS_CSS + MODEBAR_CSS


def run() -> None:
    """The whole app for one script run: settings, the sign-in gate, the corpus key, the sidebar,
    then the page (``dashboard.py`` calls this and nothing else)."""
    memory.use_system_allocator()  # Arrow's buffers from malloc (pinghu_core.common.memory): cheap to repeat
    st.set_page_config(page_title=APP_TITLE, page_icon=str(FAVICON), layout="wide")
    st.html(f"<style>{APP_CSS}</style>")  # style only: Streamlit draws nothing for it
    try:
        who = app_corpus.viewer()
        corpus_dir = settings.get_settings().corpus_dir
    except settings.SettingsError as exc:
        only_page(functools.partial(settings_problem, exc), "配置有误")
        return
    if who.role is access.Role.DENIED:
        gate(who)  # before any page or corpus work
        return
    page = navigation(editor=who.editor)
    try:
        key = app_corpus.corpus_key()
        corpus = app_corpus.wait_for_corpus(key)  # a cold parse of a large folder: its progress
    except (ingest.CorpusError, OSError) as exc:
        corpus_problem(corpus_dir, exc)
        return
    app_corpus.remember_key(key)
    sidebar(key, corpus, who)
    page.run()
