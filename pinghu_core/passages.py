"""Passages the extraction printed twice: keep the first copy, count the dropped one."""

from __future__ import annotations

SHINGLE = 12
MIN_REPEAT = 30


def _shingles(text: str) -> set[str]:
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def repeated_spans(seen: str, text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` (start, end) of at least MIN_REPEAT characters that already occur in ``seen``.

    >>> a = "平湖市博物馆新馆项目含主体工程与陈列布展工程两部分，总投资50559万元。"
    >>> repeated_spans(a, "最大的感受就是" + a)
    [(7, 44)]
    """
    known = _shingles(seen)
    spans: list[tuple[int, int]] = []
    i = 0
    while i <= len(text) - SHINGLE:
        if text[i : i + SHINGLE] in known:
            j = i
            while j <= len(text) - SHINGLE and text[j : j + SHINGLE] in known:
                j += 1
            end = j - 1 + SHINGLE
            if end - i >= MIN_REPEAT and text[i:end] in seen:
                spans.append((i, end))
            i = j
        else:
            i += 1
    return spans


def drop_repeated_passages(paragraphs: list[str]) -> tuple[list[str], int]:
    """Remove, from each paragraph, passages that repeat earlier text of the same item.

    Returns the cleaned paragraphs (empty ones removed) and how many passages were dropped.
    """
    seen = ""
    out: list[str] = []
    dropped = 0
    for para in paragraphs:
        spans = repeated_spans(seen, para)
        cleaned = para
        for start, end in reversed(spans):
            cleaned = cleaned[:start] + cleaned[end:]
        dropped += len(spans)
        seen += "\n" + para
        if cleaned.strip():
            out.append(cleaned)
    return out, dropped
