"""safe_markdown.escape: outside text is literal in Streamlit's Markdown (what it shows is checked
in a real browser by tests/test_browser_markdown.py)."""

from __future__ import annotations

import re

import pytest

from pinghu_core.common.safe_markdown import WORD_JOINER, escape

J = WORD_JOINER


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("平湖新闻", "平湖新闻"),
        (
            "[请重新登录](https://evil.example/login)",
            rf"\[请重新登录\]\(https\:{J}\/\/evil\.example\/login\)",
        ),
        ("![x](https://evil.example/p.png)", rf"\!\[x\]\(https\:{J}\/\/evil\.example\/p\.png\)"),
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\<\/script\>"),
        ("<https://evil.example>", rf"\<https\:{J}\/\/evil\.example\>"),
        ("www.evil.example WWW.x", rf"www{J}\.evil\.example WWW{J}\.x"),
        ("a@evil.example mailto:a", rf"a\@{J}evil\.example mailto\:{J}a"),
        ("**粗体** __下划__ _斜_ ~~删~~", r"\*\*粗体\*\* \_\_下划\_\_ \_斜\_ \~\~删\~\~"),
        ("`code` ```", r"\`code\` \`\`\`"),
        ("$x^2$ 与 $$y$$", r"\$x\^2\$ 与 \$\$y\$\$"),
        (":material/block: 图标", rf"\:{J}material\/block\:{J} 图标"),
        (":red[红字] :blue-background[底]", rf"\:{J}red\[红字\] \:{J}blue\-background\[底\]"),
        (":smile:", rf"\:{J}smile\:{J}"),
        ("&amp; &#60; &lt;", r"\&amp\; \&\#60\; \&lt\;"),
        ("# 标题\n> 引文\n- 列表\n1. 编号", "\\# 标题\n\\> 引文\n\\- 列表\n1\\. 编号"),
        ("a|b", r"a\|b"),
        ("已有反斜杠\\", "已有反斜杠\\\\"),
        ("时间 10:30", rf"时间 10\:{J}30"),
        ("全角：【】“”（）不变", "全角：【】“”（）不变"),
        (None, ""),
        (12, "12"),
    ],
)
def test_escape_table(text, escaped):
    assert escape(text) == escaped


@pytest.mark.parametrize("text", ["[a](b)", "![a](b)", "`x`", "**y**", ":red[z]", ":material/home:", "$m$"])
def test_no_unescaped_markup_char_is_left(text):
    """Every ASCII punctuation character is preceded by a backslash (order matters: the backslash
    itself is escaped in the same pass, never twice)."""
    out = escape(text).replace(J, "")
    assert re.fullmatch(r"(?:\\[!-/:-@\[-`{-~]|[^!-/:-@\[-`{-~])*", out), out
    assert re.sub(r"\\(.)", r"\1", out) == text
