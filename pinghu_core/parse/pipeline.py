"""One page of text → its rows in the ``articles`` and ``pages`` frames."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field

import pandas as pd

from pinghu_core.common import schemas
from pinghu_core.parse import accounting
from pinghu_core.parse import progress as progress_mod
from pinghu_core.parse.dates import (
    CONFIRM_BELOW,
    CORPUS_YEAR_CONFIDENCE,
    ManifestEntry,
    page_date,
    year_from_neighbours,
)
from pinghu_core.parse.layout import parse_article, parse_page
from pinghu_core.parse.model import PageParse


@dataclass
class PageFrames:
    articles: pd.DataFrame
    page: pd.DataFrame  # one row
    progress: pd.DataFrame = field(default_factory=schemas.PROGRESS.empty)


@dataclass
class PageRecords:
    """A page's rows before they become frames: ingest conforms many pages at once (cheaper)."""

    articles: list[dict]
    page: dict
    progress: list[dict] = field(default_factory=list)  # PROGRESS rows (project_id '')

    def frames(self) -> PageFrames:
        return records_to_frames([self])


def records_to_frames(pages: list[PageRecords]) -> PageFrames:
    """Rows of many pages → the conformed articles, pages and progress frames."""
    rows = [row for p in pages for row in p.articles]
    articles = schemas.conform(pd.DataFrame(rows, columns=schemas.ARTICLES.names), schemas.ARTICLES)
    page_rows = pd.DataFrame([p.page for p in pages], columns=schemas.PAGES.names)
    figures = pd.DataFrame([row for p in pages for row in p.progress], columns=schemas.PROGRESS.names)
    return PageFrames(
        articles, schemas.conform(page_rows, schemas.PAGES), schemas.conform(figures, schemas.PROGRESS)
    )


def settle_years(frames: PageFrames) -> tuple[PageFrames, int]:
    """Pages whose text gives a day but no sure year (no date, or one below CONFIRM_BELOW) take the
    one year in which that day lies near pages of the same corpus dated surely
    (:func:`dates.year_from_neighbours`); their articles and progress rows follow.  Returns the
    frames and how many pages changed.  A page whose estimate was moved by another rule (a
    finished period) keeps it."""
    pages = frames.page
    if pages.empty or "date_day" not in pages:
        return frames, 0
    sure_mask = pages["date"].notna() & (
        pages["date_source"].isin(["manifest", "filename"]) | (pages["date_confidence"] >= CONFIRM_BELOW)
    )
    sure = sorted(int(d.toordinal()) for d in pages.loc[sure_mask, "date"].dt.date)
    open_mask = ~sure_mask & pages["date_source"].isin(["inferred", "unknown"]) & (pages["date_day"] != "")
    if not sure or not open_mask.any():
        return frames, 0
    changes: dict[str, tuple[pd.Timestamp, str]] = {}
    for row in pages.loc[open_mask, ["page_id", "date", "date_day", "date_evidence"]].itertuples(index=False):
        found = year_from_neighbours(row.date_day, sure)
        if found is None:
            continue
        when, said = found
        if pd.notna(row.date) and (row.date.month, row.date.day) != (when.month, when.day):
            continue  # moved by another rule: not the day clue's date
        if pd.notna(row.date) and row.date.date() == when:
            continue
        kept = str(row.date_evidence).split("；年份")[0]
        changes[row.page_id] = (pd.Timestamp(when), f"{kept}；{said}")
    if not changes:
        return frames, 0
    pages = pages.copy()
    hit = pages["page_id"].isin(changes)
    keys = list(pages.loc[hit, "page_id"])
    pages.loc[hit, "date"] = pd.to_datetime([changes[k][0] for k in keys]).to_numpy()
    pages.loc[hit, "date_evidence"] = [changes[k][1] for k in keys]
    pages.loc[hit, "date_source"] = "inferred"
    pages.loc[hit, "date_confidence"] = CORPUS_YEAR_CONFIDENCE
    out = [schemas.conform(pages, schemas.PAGES)]
    for frame, spec in ((frames.articles, schemas.ARTICLES), (frames.progress, schemas.PROGRESS)):
        frame = frame.copy()
        rows = frame["page_id"].isin(changes)
        if rows.any():
            frame.loc[rows, "date"] = pd.to_datetime(
                [changes[k][0] for k in frame.loc[rows, "page_id"]]
            ).to_numpy()
            if "date_source" in frame:
                frame.loc[rows, "date_source"] = "inferred"
            if "date_confidence" in frame:
                frame.loc[rows, "date_confidence"] = CORPUS_YEAR_CONFIDENCE
        out.append(schemas.conform(frame, spec))
    return PageFrames(out[1], out[0], out[2]), len(changes)


def page_id_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def line_spans(indices: list[int]) -> str:
    """[2,3,4,8] → '3-5,9' (1-based, as people count lines)."""
    out: list[tuple[int, int]] = []
    for i in sorted(set(indices)):
        n = i + 1
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in out)


def repaired_text(parse: PageParse) -> str:
    """The page's repaired text (titles and bodies), for date inference: hard wraps joined."""
    return "\n".join(f"{it.kicker}\n{it.title}\n{it.subtitle}\n{it.body}" for it in parse.items)


def repairs_summary(repairs: list) -> str:
    """Repairs by kind with counts, in Chinese: '合并硬换行12处；标点规范40处'."""
    from collections import Counter

    from pinghu_core.parse.model import REPAIR_LABELS_ZH

    counts = Counter(r.kind for r in repairs)
    return "；".join(
        f"{REPAIR_LABELS_ZH.get(k, k)}{n}处" for k, n in sorted(counts.items(), key=lambda kv: -kv[1])
    )


def parse_file_text(text: str, shape: str = "page") -> PageParse:
    """The parse of one file's text in its shape (a whole page, or one article)."""
    return parse_article(text) if shape == "article" else parse_page(text)


def repair_records(text: str, shape: str = "page") -> list[dict]:
    """Every repair the parser made to one file, one record each: where (1-based line and
    column of the raw file), what kind (with its Chinese label), the text before and after."""
    from pinghu_core.parse.model import REPAIR_LABELS_ZH

    parse = parse_file_text(text, shape)
    starts = [0]
    for raw in parse.lines:
        starts.append(starts[-1] + len(raw) + 1)
    out = []
    for r in parse.repairs:
        line = max(0, bisect.bisect_right(starts, r.start) - 1) if r.start >= 0 else -1
        out.append(
            {
                "line": line + 1 if line >= 0 else None,
                "column": r.start - starts[line] + 1 if line >= 0 else None,
                "kind": r.kind,
                "kind_zh": REPAIR_LABELS_ZH.get(r.kind, r.kind),
                "before": r.before,
                "after": r.after,
            }
        )
    return out


def process_text(text: str, source: str, **options) -> PageFrames:
    """Parse one page into its conformed frames (options as for ``process_records``)."""
    return process_records(text, source, **options).frames()


def process_records(
    text: str,
    source: str,
    *,
    page_id: str,
    encoding: str = "utf-8",
    manifest_entry: ManifestEntry | None = None,
    path_hint: str | None = None,
    shape: str = "page",
    page_no: str = "",
    order: int | None = None,
) -> PageRecords:
    """Parse one file into plain rows.  ``path_hint`` is the path whose name/folders may carry the date.

    ``shape`` is ``page`` (the file is a whole page: many items) or ``article`` (the file is one
    article of an e-paper crawl).  ``page_no`` is the 版次 when the file name says it (the
    manifest's wins).  ``order``: an article file's 0-based order on its page (from its name or the
    manifest), used as the item's ``order`` (and in its ``article_id``)."""
    parse = parse_file_text(text, shape)
    acc = accounting.account(parse, text)
    page_no = (manifest_entry.page if manifest_entry and manifest_entry.page else "") or page_no
    dres = page_date(path_hint or source, repaired_text(parse), manifest_entry)  # never outside 1949…tomorrow
    cov = acc.coverage
    problems = list(parse.problems) + accounting.problems(acc, text)
    problems.extend(dres.problems)
    if dres.source == "inferred" and dres.confidence < CONFIRM_BELOW:
        problems.append("日期由正文推断且置信度低，请人工确认")
    if dres.source == "unknown":
        problems.append("无法确定日期")
    date = pd.Timestamp(dres.date) if dres.date else pd.NaT
    rows = []
    for item in parse.items:
        b = item.byline
        item_order = order if shape == "article" and order is not None else item.order
        rows.append(
            {
                "article_id": f"{page_id}-{item_order:02d}",
                "page_id": page_id,
                "source": source,
                "date": date,
                "date_source": dres.source,
                "date_confidence": dres.confidence,
                "kind": item.kind,
                "column_name": item.column_name,
                "kicker": item.kicker,
                "title": item.title,
                "subtitle": item.subtitle,
                "reporters": b.reporters,
                "correspondents": b.correspondents,
                "photographers": b.photographers,
                "interns": b.interns,
                "authors": b.authors,
                "byline_inferred": item.byline_inferred,
                "body": item.body,
                "page_no": page_no,
                "byline_text": item.byline_text,
                "confidence": item.confidence,
                "doubts": "；".join(item.doubts),
                "order": item_order,
                "chars": len("".join(item.body.split())),
                "continued": item.continued,
                "duplicates_dropped": item.duplicates_dropped,
                "lines": line_spans(item.lines),
                "raw_chars": sum(len(parse.lines[i]) for i in item.lines),
            }
        )
    figures, figure_problems = progress_mod.plausible_milestones(progress_mod.page_rows(rows, date))
    problems += figure_problems
    counts = {f"n_{k}": sum(1 for it in parse.items if it.kind == k) for k in schemas.KINDS}
    page = {
        "page_id": page_id,
        "source": source,
        "date": date,
        "date_source": dres.source,
        "date_confidence": dres.confidence,
        "date_evidence": dres.evidence,
        "date_day": dres.day_clue,
        "page_no": page_no,
        "edition": manifest_entry.edition if manifest_entry else "",
        "encoding": encoding,
        "shape": shape,
        "layout": parse.layout,
        "items": len(parse.items),
        **counts,
        "raw_chars": parse.raw_chars,
        "coverage": cov,
        "repair_count": len(parse.repairs),
        "repairs": repairs_summary(parse.repairs),
        "problems": "；".join(problems),
    }
    return PageRecords(rows, page, figures)
