"""Text from outside (URL parameters, query text, headlines, bodies, file names, dictionary entries,
an address from the sign-in provider) made inert before it goes into a Markdown string.

Streamlit renders the body of ``st.markdown``/``st.warning``/``st.info``/``st.error``/``st.success``/
``st.caption``/``st.write``, widget labels and ``help=`` texts as Markdown: links ``[x](y)``, images
``![x](y)``, autolinks (``https://…``, ``www.…``, ``a@b.cn``), emphasis, code, ``$math$``, HTML
entities, the directives ``:red[…]`` and the shortcodes ``:material/…:`` and ``:smile:``.  ``escape``
makes every such character literal, so the text is shown exactly as written and nothing in it is a
link, an image, a style or an icon:

- every ASCII punctuation character gets a backslash (CommonMark: a backslash before ASCII
  punctuation always stands for the character itself, so this never changes what is shown);
- an invisible WORD JOINER (U+2060) goes after every ``:`` and ``@`` and between ``www`` and its
  dot: Streamlit finds ``:material/…:`` and emoji shortcodes in the raw string before Markdown
  parsing, and GFM finds autolinks (``https://…``, ``www.…``, ``mailto:``, ``a@b.cn``) in the text
  after it — a backslash stops neither (seen in Chromium: tests/test_browser_markdown.py).

Only for Markdown: text shown with ``st.text``, in a table or a download is never escaped.  Line
breaks are kept.  The function is pure and total: ``None`` becomes ``''``, anything else its ``str``.
"""

from __future__ import annotations

import re
import string

WORD_JOINER = "\u2060"
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_BREAK_AFTER = re.compile(r"(\\[:@]|(?i:www)(?=\\\.))")


def escape(text: object) -> str:
    """``[请重新登录](https://evil.example)`` → ``\\[请重新登录\\]\\(https\\:\\/\\/evil\\.example\\)``."""
    if text is None:
        return ""
    out = _PUNCTUATION.sub(r"\\\1", str(text))
    return _BREAK_AFTER.sub(lambda m: m.group(1) + WORD_JOINER, out)
