"""Which addresses get the app's own Chinese page instead of Streamlit's English "Page not found"
(``pinghu_app.shell.missing_page``): a table of real addresses → what the visitor sees."""

from __future__ import annotations

import pytest

from pinghu_app import shell

SERVED_ALL = [shell.url_of(p) for p in shell.NAV]  # an editor (or local mode): every page
SERVED_READER = [shell.url_of(p) for p in shell.NAV if not p.editors_only]


@pytest.mark.parametrize(
    ("asked", "editor", "expected"),
    [
        (None, True, None),  # asked by page hash (a click in the sidebar)
        ("", True, None),  # the root: the first page
        ("themes", True, None),  # a page: Streamlit serves it
        ("themes", False, None),
        ("upload", True, None),  # an editor's page, for an editor
        ("upload", False, shell.EDITORS_ONLY),  # …for a reader: says so in Chinese
        ("overview", True, None),  # the first page's own name: reserved by Streamlit, its notice
        ("overview", False, None),
        ("no-such-page", True, shell.UNKNOWN),
        ("旧页面", False, shell.UNKNOWN),
        ("Themes", True, shell.UNKNOWN),  # url paths are case-sensitive in Streamlit
        ("<img src=x onerror=alert(1)>", True, shell.UNKNOWN),  # shown back as text (the browser test)
        ("<b>x</b>", True, None),  # a slash: nested for Streamlit
        ("themes/2020", True, None),  # nested: Streamlit cannot register it, its own notice
        (" themes", True, None),  # padded: Streamlit would strip it and never match
        ("themes/", True, None),
    ],
)
def test_missing_page(asked, editor, expected):
    served = SERVED_ALL if editor else SERVED_READER
    assert shell.missing_page(asked, served, editor=editor) == expected


def test_every_kind_of_notice_has_a_title():
    assert set(shell.NOT_FOUND_TITLES) == {shell.EDITORS_ONLY, shell.UNKNOWN}


def test_outside_a_streamlit_run_nothing_was_asked():
    assert shell.requested_page_name() is None
