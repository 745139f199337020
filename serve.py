"""The hosted server: ``streamlit run serve.py`` (what deploy/pinghu-dashboard.service runs).

It serves ``dashboard.py`` exactly as ``streamlit run dashboard.py`` does, through Streamlit's
documented ASGI entry point ``st.App``, with one middleware in front: ``SignInGate``.  Streamlit
answers ``/media/<hash>.csv|png`` (download buttons, images), ``/_stcore/upload_file/…`` and a few
other paths outside any session and without looking at the sign-in; in hosted mode the gate answers
401 (no valid sign-in cookie) or 403 (signed in, not on the allow-list) on those paths before
Streamlit sees the request.  Which paths, and the decision, are ``pinghu_core.common.access.request_status``
(pure, table-tested); this file only reads the request: its path and Streamlit's signed sign-in
cookie, checked with the same ``cookie_secret`` and the same code the websocket uses.

Local mode (no ``[auth]`` in secrets.toml): the gate lets everything through.
Why a middleware in the app and not a proxy rule: docs/DEPLOY.md, section 3.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import pkgutil
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlparse

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse

from pinghu_core.common import access, settings

log = logging.getLogger("pinghu.serve")
WARM_UP_THREAD = "pinghu-warm-up"


def _show_progress_log() -> None:
    """The warm-up's lines (logger ``pinghu`` and below: serve, warm) in the server's output, formatted
    and filtered like Streamlit's own."""
    from streamlit.logger import get_logger

    get_logger("pinghu")


class _NoContextNotice(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" notice for the warm-up thread: the caches it fills
    would show a spinner in a page run, and there is no page to show it on (meant, not a fault)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.threadName == WARM_UP_THREAD and "missing ScriptRunContext" in record.getMessage())


DASHBOARD = Path(__file__).resolve().parent / "dashboard.py"
REFUSALS = {
    401: "请先登录看板（Sign in first）。",
    403: "这个地址无权访问看板（Not on the allow-list）。",
}


def _auth_section() -> dict | None:
    """``[auth]`` of Streamlit's secrets, None in local mode.  Raises when the secrets cannot be read."""
    from streamlit.runtime.secrets import secrets_singleton

    if not secrets_singleton.load_if_toml_exists():
        return None
    auth = secrets_singleton.get("auth")
    return dict(auth) if auth else None


def _signed_in_user(conn: HTTPConnection, auth: dict) -> dict:
    """The payload of a valid sign-in cookie ({} when missing, forged, expired or for another origin)."""
    from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME
    from streamlit.web.server.starlette.starlette_websocket import _get_signed_cookie_with_chunks

    raw = _get_signed_cookie_with_chunks(dict(conn.cookies), USER_COOKIE_NAME)
    if not raw:
        return {}
    try:
        payload = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    redirect = urlparse(str(auth.get("redirect_uri", "")))
    if not isinstance(payload, dict) or payload.get("origin") != f"{redirect.scheme}://{redirect.netloc}":
        return {}
    return payload


def status_of(conn: HTTPConnection) -> int:
    """200, 401 or 403 for one request; any failure to decide refuses a guarded path (fails closed)."""
    from streamlit import config

    base = config.get_option("server.baseUrlPath") or ""
    if not access.is_guarded(conn.url.path, base):
        return 200
    try:
        auth = _auth_section()
        if auth is None:
            return 200
        user = _signed_in_user(conn, auth)
        s = settings.get_settings()
        return access.request_status(
            conn.url.path,
            hosted=True,
            email=user.get("email"),
            signed_in=bool(user.get("is_logged_in")),
            allowed=s.allowed,
            editors=s.editors,
            base=base,
        )
    except Exception:  # noqa: BLE001 - an unreadable secret or setting must not open the door
        log.exception("sign-in gate could not decide for %s; refusing", conn.url.path)
        return 403


class SignInGate:
    """Pure ASGI middleware (websockets pass through untouched unless their path is guarded)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        status = status_of(HTTPConnection(scope))
        if status == 200:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        else:
            log.info("refused %s %s: %s", scope.get("method"), scope.get("path"), status)
            response = PlainTextResponse(
                REFUSALS[status], status_code=status, headers={"Cache-Control": "no-store"}
            )
            await response(scope, receive, send)


# Imported by the core only when first needed (a first word cloud, a first 简报 chart or Word file):
# 0.4 s that the first such visitor of a freshly started process would wait for.
DRAWN_LATER = ("matplotlib.figure", "matplotlib.backends.backend_agg", "wordcloud", "docx")


def import_dashboard_modules() -> float:
    """Import what a page run imports — the entry point (its memory setting first), every module of
    the app adapter and what they import (pandas, pyarrow, plotly, jieba …), which the first visitor
    of a freshly started process waited for (0.8 s under serve.py here) — and the drawing libraries
    the core imports when first needed (``DRAWN_LATER``).  Seconds taken."""
    started = time.perf_counter()
    import pinghu_app

    importlib.import_module("dashboard")
    for module in pkgutil.iter_modules(pinghu_app.__path__):
        importlib.import_module(f"pinghu_app.{module.name}")
    for name in DRAWN_LATER:
        importlib.import_module(name)
    return time.perf_counter() - started


def _warm_up() -> None:
    try:
        log.info("dashboard modules imported in %.1f s, before any visit", import_dashboard_modules())
        from pinghu_app import corpus as app_corpus

        started = time.perf_counter()
        if app_corpus.read_ahead() is None:
            return  # the first page run reads it again and shows why it failed
        log.info("corpus read in %.1f s, before any visit", time.perf_counter() - started)
        from pinghu_app import warm

        warm.read_ahead_pages(app_corpus.corpus_key())  # each step logged as it is done
    except Exception:  # noqa: BLE001 - the first page run does it again and shows its own error
        log.exception("warming up at start failed")


@contextlib.asynccontextmanager
async def warm_up(_app: st.App) -> AsyncIterator[None]:
    """With the runtime started, in a background thread (the server answers at once): the dashboard's
    modules imported, the corpus read as a page run would (``pinghu_app.corpus.read_ahead``), then
    what the pages build once per corpus (``pinghu_app.warm``), so that the first visitor of a
    freshly started process waits for none of it."""
    _show_progress_log()
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_NoContextNotice())
    threading.Thread(target=_warm_up, name=WARM_UP_THREAD, daemon=True).start()
    yield


app = st.App(DASHBOARD, middleware=[Middleware(SignInGate)], lifespan=warm_up)
