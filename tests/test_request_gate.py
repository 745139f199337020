"""access.request_status: which HTTP requests the hosted dashboard answers without a sign-in."""

from __future__ import annotations

import pytest

from pinghu_core.common import access

ALLOWED, EDITORS = ["pinghu.gov.cn"], ["editor@example.com"]


@pytest.mark.parametrize(
    ("path", "guarded"),
    [
        ("/media/abc123.csv", True),
        ("/media/abc123.png", True),
        ("//media/abc.csv", True),
        ("/MEDIA/abc.csv", True),
        ("/media", True),
        ("/_stcore/upload_file/sess/file", True),
        ("/_stcore/metrics", True),
        ("/_stcore/agent/interact", True),
        ("/_stcore/agent/openapi.json", True),
        ("/_stcore/bidi-components/x.js", True),
        ("/_stcore/something-new", True),
        ("/app/static/x.png", True),
        ("/component/pkg/index.html", True),
        ("/_stcore/health", False),
        ("/_stcore/host-config", False),
        ("/_stcore/stream", False),
        ("/", False),
        ("/themes", False),
        ("/static/js/index.js", False),
        ("/auth/login", False),
        ("/oauth2callback", False),
        ("/favicon.png", False),
    ],
)
def test_which_paths_need_sign_in(path, guarded):
    assert access.is_guarded(path) is guarded


def test_base_url_path_is_stripped():
    assert access.is_guarded("/pinghu/media/a.csv", base="pinghu")
    assert not access.is_guarded("/pinghu/_stcore/health", base="/pinghu/")


@pytest.mark.parametrize(
    ("hosted", "signed_in", "email", "status"),
    [
        (False, False, None, 200),  # local mode: open, as on a laptop
        (True, False, None, 401),
        (True, True, "someone@example.com", 403),
        (True, True, None, 403),
        (True, True, "wang@pinghu.gov.cn", 200),
        (True, True, "Editor@Example.com", 200),
    ],
)
def test_request_status_for_a_download(hosted, signed_in, email, status):
    got = access.request_status(
        "/media/abc.csv", hosted=hosted, email=email, signed_in=signed_in, allowed=ALLOWED, editors=EDITORS
    )
    assert got == status


def test_open_paths_answer_without_sign_in():
    for path in ("/", "/themes", "/_stcore/health", "/_stcore/stream", "/static/js/a.js"):
        assert (
            access.request_status(
                path, hosted=True, email=None, signed_in=False, allowed=ALLOWED, editors=EDITORS
            )
            == 200
        )
