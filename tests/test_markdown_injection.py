"""Text from the URL (and from the corpus) is never Markdown: AppTest opens each page with crafted
parameters and no element's Markdown holds a live link, image, autolink or directive (the browser's
view of the same: tests/test_browser_markdown.py)."""

from __future__ import annotations

import re

import pytest
from conftest import open_app_page

EVIL_LINK = "[请重新登录](https://evil.example/login)"
EVIL_IMAGE = "![x](https://evil.example/p.png)"
EVIL = f"{EVIL_LINK}{EVIL_IMAGE}<img src=https://evil.example/i.png>:red[红]**粗**"
PAGES = {
    "pages/articles.py": {"article": EVIL, "q": f"项目 {EVIL}"},
    "pages/articles.py#bad-query": {"q": f'"{EVIL}'},  # a malformed query: the message quotes it
    "pages/themes.py": {"article": EVIL, "slogans": EVIL, "period": EVIL},
    "pages/progress.py": {"project": EVIL, "subject": EVIL, "figure": EVIL},
    "pages/words.py": {"word": EVIL, "article": EVIL},
    "pages/overview.py": {"article": EVIL},
}


def markdown_texts(node) -> list[str]:
    """Every string of the rendered tree that Streamlit shows as Markdown: bodies, labels, help texts."""
    out = []
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "DESCRIPTOR"):
        for name in ("body", "label", "help", "caption"):
            if name in proto.DESCRIPTOR.fields_by_name:
                value = getattr(proto, name)
                if isinstance(value, str) and value:
                    out.append(value)
    for child in getattr(node, "children", {}).values():
        out += markdown_texts(child)
    return out


def live_markup(md: str) -> list[str]:
    """The pieces of ``md`` that Markdown would make live, once backslash-escaped characters are gone."""
    bare = re.sub(r"\\.", "", md)
    found = re.findall(r"!?\[[^\]]*\]\([^)]*\)|<\s*(?:a|img)\b|https?://|evil\.example|:red\[", bare)
    # GFM autolinks are found in the text after parsing, where backslashes are gone: they need the joiner
    return found + re.findall(r"https?\\?:(?!\u2060)|www(?!\u2060)\\?\.", md)


@pytest.mark.parametrize("page", list(PAGES))
def test_crafted_url_parameters_are_shown_as_text(corpus_env, page):
    at = open_app_page(page.split("#")[0], PAGES[page])
    texts = markdown_texts(at._tree)
    assert texts, "nothing rendered"
    bad = {t: live_markup(t) for t in texts if live_markup(t)}
    assert not bad, bad


def test_the_crafted_text_is_still_shown(corpus_env):
    """Escaped, not dropped: the warning names the article id as it was given."""
    at = open_app_page("pages/articles.py", {"article": EVIL_LINK})
    shown = [w.value for w in at.warning if "找不到编号为" in w.value]
    assert shown and "请重新登录" in shown[0] and "\\[" in shown[0], shown
