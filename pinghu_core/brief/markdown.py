"""A brief as Markdown: every text from the data escaped (``common.safe_markdown``) and kept on one
line, so no headline can add a heading, a link, an image or HTML."""

from __future__ import annotations

from pinghu_core.brief.model import Brief, Name, Sentence, citation_date, citation_numbers, clean
from pinghu_core.common.safe_markdown import escape


def safe(text: object) -> str:
    return escape(clean(text))


def sentence_md(sentence: Sentence, numbers: dict[str, int]) -> str:
    """The sentence, then the numbers of the articles it cites: ``……。［1］［4］``.  Only text from the
    data (:class:`~pinghu_core.brief.model.Name`) is escaped: our own wording and numbers hold no
    Markdown, and stay readable in the file."""
    text = "".join(
        safe(s.text) if isinstance(s, Name) else s if isinstance(s, str) else s.text
        for s in sentence.segments
    )
    refs = sorted({numbers[c.article_id] for c in sentence.citations if c.article_id in numbers})
    return text + "".join(f"［{n}］" for n in refs)


def to_markdown(brief: Brief) -> str:
    numbers = citation_numbers(brief)
    lines = [
        f"# {safe(brief.title)}",
        "",
        f"**时期**：{safe(brief.period_label)}（对照：{safe(brief.previous_label)}）",
        "",
    ]
    for section in brief.sections:
        lines += [f"## {safe(section.title)}", ""]
        lines += [f"- {sentence_md(s, numbers)}" for s in section.sentences]
        lines.append("")
    if brief.citations:
        lines += ["## 引用文章", ""]
        for i, c in enumerate(brief.citations, start=1):
            where = f" · {safe(c.page)}" if c.page else ""
            lines.append(
                f"{i}. {safe(citation_date(c))}{where} · {safe(c.headline)}（编号 {safe(c.article_id)}）"
            )
        lines.append("")
    lines += ["## 方法与来源", "", "| 项目 | 内容 |", "| --- | --- |"]
    lines += [f"| {safe(k)} | {safe(v)} |" for k, v in brief.method]  # escape turns | into \\|
    return "\n".join(lines) + "\n"
