"""TEMPORARY placeholder: the real parser is being written.  One 'other' item per page."""

from __future__ import annotations

from .model import Item, PageParse


def parse_page(text: str) -> PageParse:
    lines = text.split("\n")
    return PageParse(lines=lines, items=[Item(kind="other", lines=list(range(len(lines))), body=text)], layout="clean")
