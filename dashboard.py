"""平湖头版数据看板 — entry point: ``streamlit run dashboard.py``.

The page list lives in ``pinghu_app.shell.NAV`` (one line per page; re-exported here for the tests).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import state as app_state
from pinghu_app.shell import APP_TITLE, FAVICON, NAV, ROOT, NavPage, navigation, url_of  # noqa: F401 (NAV, url_of: tests)
from pinghu_core.common import access, settings
from pinghu_core.common import safe_markdown as md
from pinghu_core.corpus import ingest

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

    It answers each page's URL too, so that a shared link shows the sign-in without a "Page not found"."""
    pages = [st.Page(content, title=title, url_path="signin", default=True)]
    pages += [st.Page(content, title=title, url_path=p.url_path) for p in NAV[1:]]
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
    corpus (cached once for all sessions) is re-read once, re-parsing only the changed files."""
    try:
        changed = app_corpus.corpus_key().fingerprint != current.fingerprint
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
        st.code(shown_path(Path(key.corpus_dir)), language=None, wrap_lines=True)
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


def main() -> None:
    st.set_page_config(page_title=APP_TITLE, page_icon=str(FAVICON), layout="wide")
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
        corpus = app_corpus.get_corpus(key)
    except (ingest.CorpusError, OSError) as exc:
        corpus_problem(corpus_dir, exc)
        return
    app_corpus.remember_key(key)
    sidebar(key, corpus, who)
    page.run()


if __name__ == "__main__":  # streamlit runs this file as __main__; tests import it for NAV
    main()
