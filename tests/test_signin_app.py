"""Hosted mode in AppTest: the gate in dashboard.py before any page or corpus work (users faked).

The real sign-in against an OpenID Connect provider is in tests/test_browser_signin.py.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, shown
from streamlit.testing.v1 import AppTest

import dashboard
from pinghu_core.corpus import ingest

APP = str(ROOT / "dashboard.py")
AUTH = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "test-secret",
        "client_id": "pinghu",
        "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration",
    }
}


@pytest.fixture
def hosted(corpus_env, monkeypatch):
    monkeypatch.setenv("PINGHU_ALLOWED", "pinghu.gov.cn")
    monkeypatch.setenv("PINGHU_EDITORS", "editor@pinghu.gov.cn")


def app(user: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets.update(AUTH)
    if user is not None:
        at.user = user
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def everything(at: AppTest) -> str:
    kinds = ("title", "markdown", "error", "caption", "metric", "code")
    return "\n".join(str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind))


def test_signed_out_sees_only_the_sign_in_and_the_corpus_is_not_touched(hosted, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("the corpus was read before sign-in")

    monkeypatch.setattr(ingest, "load_corpus", refuse)
    monkeypatch.setattr(ingest, "corpus_fingerprint", refuse)
    at = app()
    assert [t.value for t in at.title] == [dashboard.APP_TITLE]
    assert [b.label for b in at.button] == ["登录"]
    assert not at.metric and not at.sidebar.button and not at.get("plotly_chart") and not at.dataframe


@pytest.mark.parametrize("nav", dashboard.NAV, ids=[p.url_path for p in dashboard.NAV])
def test_signed_out_no_page_is_registered(hosted, nav):
    """Signed out, no page file is registered: every URL (each page's too) runs the sign-in page."""
    at = app()
    with pytest.raises(ValueError, match="Could not find a navigation page") as err:
        at.switch_page(nav.path)
    assert "Known pages: ['登录'" in str(err.value)


def test_an_address_outside_the_allow_list_is_refused(hosted):
    at = app({"is_logged_in": True, "email": "someone@news.pinghu.gov.cn"})
    assert [t.value for t in at.title] == ["无权访问"]
    assert "someone@news.pinghu.gov.cn" in shown(at.error[0].value)
    assert "不在允许访问的名单" in everything(at)
    assert [b.label for b in at.button] == ["退出登录"]
    assert not at.metric and not at.dataframe


def test_a_reader_sees_the_dashboard_and_sign_out_but_not_the_upload(hosted):
    at = app({"is_logged_in": True, "email": " Wang@Pinghu.gov.cn "})
    assert {m.label for m in at.metric} >= {"版面数", "条目数"}
    assert any("Wang@Pinghu.gov.cn" in shown(c.value) for c in at.sidebar.caption)
    assert at.sidebar.button(key="sidebar.sign_out").label == "退出登录"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/upload.py")  # not registered for a reader


def test_the_upload_page_checks_the_role_itself(hosted):
    """Run pages/upload.py for a reader as Streamlit would for a page file opened directly."""
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=120)
    at.secrets.update(AUTH)
    at.user = {"is_logged_in": True, "email": "wang@pinghu.gov.cn"}
    at.run()
    assert "只有编辑可以上传" in at.error[0].value and not at.get("file_uploader")


def test_an_editor_gets_the_upload_page(hosted):
    at = app({"is_logged_in": True, "email": "editor@pinghu.gov.cn"})
    assert any("可上传" in c.value for c in at.sidebar.caption)
    at.switch_page("pages/upload.py").run()
    assert "上传版面" in [t.value for t in at.title]
    assert at.get("file_uploader")


def test_local_mode_is_open_with_upload_and_no_sign_out(corpus_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert {m.label for m in at.metric} >= {"版面数"} and not any(
        b.label == "退出登录" for b in at.sidebar.button
    )
    at.switch_page("pages/upload.py").run()
    assert "上传版面" in [t.value for t in at.title] and at.get("file_uploader")


def test_a_bad_config_file_gives_a_clear_page(corpus_env, monkeypatch, tmp_path):
    bad = tmp_path / "pinghu.toml"
    bad.write_text("max_file_bytes = 'many'\n", encoding="utf-8")
    monkeypatch.setenv("PINGHU_CONFIG", str(bad))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert (
        "配置有误" in at.error[0].value
        and "max_file_bytes" in shown(at.error[0].value)
        and str(bad) in shown(at.error[0].value)
    )


def test_a_missing_corpus_is_explained_after_sign_in_only(hosted, monkeypatch, tmp_path):
    missing = tmp_path / "nowhere"
    monkeypatch.setenv("PINGHU_DATA_DIR", str(missing))
    at = app()
    assert str(missing) not in shown(everything(at)) and [b.label for b in at.button] == ["登录"]
    at = app({"is_logged_in": True, "email": "wang@pinghu.gov.cn"})
    assert "找不到语料文件夹" in at.error[0].value and str(missing) in shown(at.error[0].value)


def test_a_reader_sees_the_events_but_not_their_form(hosted):
    at = app({"is_logged_in": True, "email": "reader@pinghu.gov.cn"}, page="pages/events.py")
    assert any("事件" in d.value.columns for d in at.dataframe)
    assert "只有编辑可以在这里修改事件" in everything(at)
    assert not at.radio and not at.text_input and not [b for b in at.button if b.label in ("保存", "删除")]


def test_an_editor_gets_the_events_form(hosted):
    at = app({"is_logged_in": True, "email": "editor@pinghu.gov.cn"}, page="pages/events.py")
    assert [r.label for r in at.radio] == ["操作"] and "只有编辑" not in everything(at)
    assert any(b.label == "保存" for b in at.button)
