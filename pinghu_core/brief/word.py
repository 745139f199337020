"""A brief as a Word document (python-docx): title, period, the sections with their sentences and
citation numbers, the charts as images, 引用文章 (date, 版面, headline, id) and 方法与来源.

Every text from the data goes through ``model.clean`` first: a control character or a lone
surrogate (which XML cannot hold) never reaches the document."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pinghu_core.brief import charts
from pinghu_core.brief.model import Brief, citation_date, citation_numbers, clean

CJK_FONT = "Noto Sans CJK SC"  # the face the charts use; Word falls back to its own CJK font without it
IMAGE_WIDTH_CM = 15.5
CITED_WIDTHS_CM = (1.3, 3.5, 2.6, 5.5, 3.6)  # 序号, 日期, 版面, 标题, 编号: 16.5 cm of an A4/Letter page
METHOD_WIDTHS_CM = (3.0, 13.5)


def _east_asian(style, name: str) -> None:
    from docx.oxml.ns import qn

    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _image(doc, png: bytes | None, caption: str) -> None:
    from docx.shared import Cm

    if png is None:
        return
    doc.add_picture(io.BytesIO(png), width=Cm(IMAGE_WIDTH_CM))
    doc.add_paragraph(clean(caption), style="Caption")


def _table(doc, header: Sequence[str], rows: Sequence[Sequence[str]], widths_cm: Sequence[float]) -> None:
    """A grid with a bold header row; column widths on the grid and on every cell (Word reads the cells)."""
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = clean(text)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the grid (LibreOffice reads this one)
        for cell in column.cells:
            cell.width = Cm(width)


def to_docx(brief: Brief, cache_dir: Path | None = None) -> bytes:
    import docx

    doc = docx.Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "List Bullet"):
        _east_asian(doc.styles[name], CJK_FONT)
    doc.core_properties.title = clean(brief.title)
    doc.core_properties.subject = clean(brief.period_label)
    doc.add_heading(clean(brief.title), level=0)
    doc.add_paragraph(f"时期：{clean(brief.period_label)}　对照时期：{clean(brief.previous_label)}")
    numbers = citation_numbers(brief)
    for section in brief.sections:
        doc.add_heading(clean(section.title), level=1)
        for sentence in section.sentences:
            par = doc.add_paragraph(style="List Bullet")
            par.add_run(clean(sentence.text))
            cited = sorted({numbers[c.article_id] for c in sentence.citations if c.article_id in numbers})
            refs = "".join(f"[{n}]" for n in cited)
            if refs:
                par.add_run(refs).font.superscript = True
        if section.key == "overview" and brief.has_pages:
            _image(doc, charts.daily_png(brief.daily, cache_dir), "图 1　每日文章篇数（灰色：当天没有版面）")
        if section.key == "themes" and brief.has_pages:
            png = charts.theme_shares_png(
                brief.theme_shares, brief.period_label, brief.previous_label, cache_dir
            )
            _image(doc, png, f"图 2　主题占比：{brief.period_label}与{brief.previous_label}")
    if brief.citations:
        doc.add_heading("引用文章", level=1)
        rows = [
            (str(i), citation_date(c), c.page or "—", c.headline, c.article_id)
            for i, c in enumerate(brief.citations, start=1)
        ]
        _table(doc, ("序号", "日期", "版面", "标题", "编号"), rows, CITED_WIDTHS_CM)
    doc.add_heading("方法与来源", level=1)
    _table(doc, ("项目", "内容"), [(k, v) for k, v in brief.method], METHOD_WIDTHS_CM)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
