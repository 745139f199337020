"""Hosted mode end to end: a local OpenID Connect provider, the dashboard with [auth], Debian's Chromium.

The provider is ``oidc-provider-mock`` (a test dependency) on 127.0.0.1: its form signs in any
address typed into it.  The dashboard runs with its working folder in a temporary folder holding
``.streamlit/secrets.toml`` (``[auth]`` for st.login, ``[pinghu]`` with the allow-list and the
editors), which is where Streamlit and pinghu_core.common.settings both look for secrets.

Screenshots go to tests/artifacts/signin-*.png.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import test_browser
from conftest import ARTIFACTS, SAMPLE_CORPUS, copy_corpus
from test_browser import (
    RENDER_TIMEOUT_MS,
    VIEWPORT,
    free_port,
    start_streamlit,
    stop,
    wait_healthy,
    wait_settled,
)

import dashboard
from pinghu_core.corpus import ingest

pytestmark = pytest.mark.browser

ALLOWED, EDITOR, OUTSIDER = "wang@pinghu.gov.cn", "editor@pinghu.gov.cn", "someone@example.com"


def visible(text: str) -> str:
    """Page text as read: without the invisible word joiners safe_markdown puts after @ and : (they
    keep an address from becoming a live link)."""
    return text.replace("\u2060", "")


SECRETS = """
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "pinghu-test-cookie-secret-0123456789"
client_id = "pinghu-dashboard"
client_secret = "pinghu-test-client-secret"
server_metadata_url = "http://127.0.0.1:{op_port}/.well-known/openid-configuration"

[pinghu]
allowed = ["pinghu.gov.cn"]
editors = ["{editor}"]
"""


@contextmanager
def provider(tmp: Path) -> Iterator[tuple[int, Path]]:
    """oidc-provider-mock on a free port of 127.0.0.1; yields (port, log file)."""
    port = free_port()
    log = tmp / "oidc.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "AUTHLIB_INSECURE_TRANSPORT": "1"},
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=2
                ):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"OIDC provider did not start:\n{log.read_text(errors='replace')}"
                    ) from None
                time.sleep(0.3)
        yield port, log
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def hosted(tmp_path_factory) -> Iterator[dict]:
    """The dashboard in hosted mode on a writable corpus copy, and its provider; never visited before."""
    tmp = tmp_path_factory.mktemp("hosted")
    corpus = copy_corpus(tmp / "corpus")
    with provider(tmp) as (op_port, op_log):
        port = free_port()
        site = tmp / "site"
        (site / ".streamlit").mkdir(parents=True)
        (site / ".streamlit" / "secrets.toml").write_text(
            SECRETS.format(port=port, op_port=op_port, editor=EDITOR), encoding="utf-8"
        )
        env = {**os.environ, "PINGHU_DATA_DIR": str(corpus), "PINGHU_CACHE_DIR": str(tmp / "cache")}
        log = tmp / "streamlit.log"
        proc = start_streamlit(port, env, log, cwd=site, script="serve.py")  # as deploy/ runs it
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, proc, log)
            yield {"url": url, "corpus": corpus, "log": log, "op_log": op_log}
        finally:
            stop(proc)


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    """Text that only a signed-in reader may see: headlines of the sample corpus."""
    articles = ingest.load_files(sorted(SAMPLE_CORPUS.glob("*.txt")), workers=1).articles
    titles = [t for t in articles["title"].astype(str) if len(t) >= 6]
    return titles[:20]


browser = test_browser.browser  # the module's Chromium (a fixture; skipped without chromium)


@pytest.fixture
def context(request):
    ctx = request.getfixturevalue("browser").new_context(
        viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    yield ctx
    ctx.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"signin-{name}.png")


def assert_only_sign_in(page, corpus_texts: list[str]) -> None:
    page.get_by_role("button", name="登录", exact=True).wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    html = page.content()
    for text in [*corpus_texts, "版面数", "刷新语料", "语料总览", *(p.title for p in dashboard.NAV)]:
        assert text not in html, f"{text!r} is in the page before sign-in"
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.get_by_role("heading", name=dashboard.APP_TITLE).count() == 1


def sign_in(page, url: str, email: str) -> None:
    """From the sign-in page: the button, the provider's form, back to the dashboard."""
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url("**/oauth2/authorize**", timeout=RENDER_TIMEOUT_MS)
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=RENDER_TIMEOUT_MS)


def sign_out(page, url: str) -> None:
    page.get_by_role("button", name="退出登录").click()
    end = page.get_by_role("button", name="End session")  # the provider's logout page, when it has one
    end.or_(page.get_by_role("button", name="登录", exact=True)).first.wait_for(timeout=RENDER_TIMEOUT_MS)
    if end.count():
        end.click()


def test_sign_in_flow(context, hosted, corpus_texts):
    url = hosted["url"]
    page = context.new_page()
    # 1. A page URL opened first, on a server no session has visited, while signed out.
    page.goto(f"{url}/themes", wait_until="domcontentloaded")
    assert_only_sign_in(page, corpus_texts)
    shot(page, "1-signed-out-themes-url")
    for path in ("", "/upload", "/progress?project=museum-new", "/no-such-page", "/overview"):
        page.goto(f"{url}{path}", wait_until="domcontentloaded")
        assert_only_sign_in(page, corpus_texts)
        assert "Page not found" not in page.locator("body").inner_text(), path
        assert page.get_by_role("dialog").count() == 0, path  # Streamlit's English notice is a dialog
    # 2. An allowed reader signs in: the dashboard, the address and sign-out in the sidebar, no 上传.
    sign_in(page, url, ALLOWED)
    page.get_by_role("heading", name="语料总览").wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    sidebar = visible(page.locator('[data-testid="stSidebar"]').inner_text())
    assert ALLOWED in sidebar and "退出登录" in sidebar and "刷新语料" in sidebar
    links = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "政策主题" in links and "上传" not in links
    shot(page, "2-reader-dashboard")
    page.goto(f"{url}/upload", wait_until="domcontentloaded")  # not a page for a reader: says so
    page.get_by_role("heading", name="仅限编辑").wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    assert page.get_by_role("heading", name="上传版面").count() == 0
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "“上传”页面只对编辑开放" in main and "Page not found" not in main, main
    assert page.get_by_role("dialog").count() == 0
    shot(page, "2b-reader-upload-url")
    # 3. Sign out: back to the sign-in page; page URLs show only the sign-in again.
    sign_out(page, url)
    page.goto(f"{url}/themes", wait_until="domcontentloaded")
    assert_only_sign_in(page, corpus_texts)
    shot(page, "3-signed-out-again")


def test_an_address_outside_the_allow_list_is_refused(context, hosted, corpus_texts):
    url = hosted["url"]
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    assert_only_sign_in(page, corpus_texts)
    sign_in(page, url, OUTSIDER)
    page.get_by_role("heading", name="无权访问").wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    body = visible(page.locator("body").inner_text())
    assert OUTSIDER in body and "不在允许访问的名单" in body
    html = page.content()
    assert not any(t in html for t in [*corpus_texts, "版面数", "刷新语料"])
    shot(page, "4-refused")
    sign_out(page, url)
    page.goto(url, wait_until="domcontentloaded")
    assert_only_sign_in(page, corpus_texts)


def test_an_editor_uploads_a_page(context, hosted, tmp_path):
    """上传 end to end: choose a file without a date in its name, confirm the date, write, see the report."""
    url = hosted["url"]
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("button", name="登录", exact=True).wait_for(timeout=RENDER_TIMEOUT_MS)
    sign_in(page, url, EDITOR)
    page.get_by_role("heading", name="语料总览").wait_for(timeout=RENDER_TIMEOUT_MS)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("上传").click()
    page.get_by_role("heading", name="上传版面").wait_for(timeout=RENDER_TIMEOUT_MS)
    seed = sorted(SAMPLE_CORPUS.glob("*.txt"))[0]
    new = tmp_path / "新到版面.txt"
    new.write_text(seed.read_text(encoding="utf-8") + "\n本报讯 上传测试补充的一句。\n", encoding="gb18030")
    dup = tmp_path / "重复.txt"
    dup.write_bytes(seed.read_bytes())
    page.locator('input[type="file"]').set_input_files([str(new), str(dup)])
    page.get_by_text("的版面日期（文件名中没有日期）").wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    body = page.locator("body").inner_text()
    assert "内容完全相同（重复），未写入" in body and "编码 gb18030" in body
    shot(page, "5-upload-check")
    page.get_by_role("button", name="写入语料文件夹（1 个文件）").click()
    page.get_by_text("上传结果").wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    written = [p for p in hosted["corpus"].glob("*新到版面.txt")]
    assert len(written) == 1 and written[0].name[:4].isdigit(), written  # the confirmed date leads the name
    assert written[0].read_bytes() == new.read_bytes()  # the bytes as sent
    grid = page.locator('[data-testid="stDataFrame"]').inner_text()
    assert written[0].name in grid or "已写入 1 个文件" in page.locator("body").inner_text()
    shot(page, "6-upload-done")
    assert not [p for p in hosted["corpus"].iterdir() if p.name.startswith(".upload-")]
    # the uploaded page is read at once (complete when it appears), not held as being written
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "版面数：6" in sidebar.replace(" ", "") and "正在写入" not in sidebar, sidebar


def fetch_status(url: str, cookie: str | None = None) -> int:
    """The HTTP status of a GET, with no cookie at all (or only ``cookie``), following no redirect."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_downloads_need_a_signed_in_allowed_session(context, hosted):
    """A /media/ URL made in a signed-in session: the session gets it, nobody without the cookie does,
    and neither does the same browser after sign-out."""
    url = hosted["url"]
    page = context.new_page()
    page.goto(f"{url}/words?word=项目", wait_until="domcontentloaded")
    sign_in(page, url, ALLOWED)
    page.goto(f"{url}/words?word=项目", wait_until="domcontentloaded")
    button = page.get_by_role("button", name=re.compile(r"^下载全部 [\d,]+ 处上下文（CSV）$"))
    button.wait_for(timeout=RENDER_TIMEOUT_MS)
    wait_settled(page)
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
        button.click()
    media = info.value.url
    assert "/media/" in media and media.endswith(".csv"), media
    shot(page, "7-download-signed-in")
    signed_in = context.request.get(media)
    assert signed_in.status == 200 and "项目" in signed_in.body().decode("utf-8-sig")
    assert fetch_status(media) == 401  # the URL copied to a client with no cookie
    assert fetch_status(media, "_streamlit_user=forged") == 401
    assert fetch_status(media.replace("/media/", "//MEDIA/")) == 401
    assert fetch_status(f"{url}/_stcore/health") == 200  # the open paths stay open
    assert fetch_status(f"{url}/themes") == 200
    sign_out(page, url)
    page.goto(f"{url}/words", wait_until="domcontentloaded")
    page.get_by_role("button", name="登录", exact=True).wait_for(timeout=RENDER_TIMEOUT_MS)
    assert context.request.get(media).status == 401  # the same browser after sign-out


def test_downloads_refused_to_an_address_outside_the_allow_list(context, hosted):
    url = hosted["url"]
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    sign_in(page, url, OUTSIDER)
    page.get_by_role("heading", name="无权访问").wait_for(timeout=RENDER_TIMEOUT_MS)
    assert context.request.get(f"{url}/media/0123456789abcdef.csv").status == 403
