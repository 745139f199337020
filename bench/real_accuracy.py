"""Parser accuracy on real pages it was not written from (issue 11), a script, not a test.

    PYTHONPATH=/work/main /work/main/.venv/bin/python bench/real_accuracy.py --corpus /work/main/bench/real_corpus
    … --limit 10 --shape page        # a quick run
    … --list headlines               # the failures of one figure (see LIST_KINDS)

It measures whichever ``pinghu_core`` is first on the path (the header prints its file and the git
commit of that checkout), through the public API only: ``pipeline.process_text(text, source,
page_id=…, shape=…)``.  The corpus is the one ``bench/make_real_corpus.py`` builds (People's Daily,
Oct 2019 + Feb 2020): whole front pages and single article files, with ``truth.jsonl``.  Every
file is parsed once, from its *undated* copy (``pages_undated/``, ``articles_undated/``, the name
given as ``source``), so dates must come from the text; the other figures do not depend on the
name.  The five sample pages of ``data/corpus`` are measured the same way against
``tests/golden/*.json`` and the dates in ``tests/test_seeds_golden.py`` (both read from the
measured checkout when it has them).

Texts are compared in a canonical form (``canon``): NFKC (full-width → half-width), whitespace
dropped, quotes “”‘’「」『』 → ", dashes —–－ (runs too) → -, ・•‧ → ·, runs of dots → …; the parser
repairs punctuation and that is no miss.

Figures (page = whole front pages, article = single article files, sample = the five golden pages):

1. Headlines.  A true article is *found* when a parsed item (1:1, in page order, any kind) has its
   主题, or its 主题 without a trailing ``（label）`` — any label: People's Daily prints column and
   series labels there (人民时评, 今日谈, 一线抗疫群英谱 …) and the parser may move them to
   ``column_name``.  *Parts exact*: 引题, 主题 and 副题 all equal (edge dashes of 引题/副题 ignored).
2. Article count (pages): parsed items of kinds news, photo, commentary (``COUNTED``) vs the page's
   article files; also with ``other`` counted; mean |difference|; histogram of parsed − true.
3. Reporters.  Truth is a narrow reading of each article file, independent of the parser
   (``truth_reporters``): names in ``（记者X、Y）``/``(记者X Y)`` in the first body paragraph, and
   whole lines ``本报记者 X`` / ``记者 X`` (lines ending 摄 or 整理 are not reporters).  Recall: share of
   those names in the ``reporters`` of the item matched by headline, and anywhere on the page.
   Implausible names (``implausible_name``): any parsed reporter containing 摄/出席/阅读/核心/等, a
   character that is not Chinese or ·, longer than 4 characters (unless it has ·), or one
   character.
4. Commentary.  Of true articles whose title ends with a commentary label (``COMMENTARY_LABELS``,
   or ``label·…``), the share parsed as ``commentary``, and with the label in ``column_name``.
   False positives: ``commentary`` items matched to a truth without such a label (items with no
   match are counted apart).
5. Sentences lost.  Each true body (the file after its three headline lines; golden bodies for
   the samples) is split after 。！？!? (and closing quotes) and at line ends; a sentence (canonical,
   ≥ 2 characters) is lost when it does not occur in the canonical fields of the parsed page
   (kicker, title, subtitle, column_name, byline_text, body of every item, joined by a separator
   that cannot match).  A sentence whose ``（记者…）``-like group was moved to the byline counts as
   kept when the rest and the group's names are both there.  Target 0.
6. Dates from text alone: within 3 days of truth; confidently wrong (confidence ≥ 0.6 and > 3
   days off); no date; a table by confidence.  Judged for pages only; for article files the
   figures are reported (many single articles carry no date clue).
7. Speed: files/s of ``process_text`` (time summed inside the workers), wall time, slowest file.

A file whose parse raises (or runs past ``--timeout``) is counted under ``errors`` and listed.
Figures and failures go to ``bench/out/real_accuracy.json``.  The corpus text is copyright:
never commit it or quote it in tests.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
import traceback
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "bench" / "real_corpus"
OUT = ROOT / "bench" / "out" / "real_accuracy.json"

COUNTED = ("news", "photo", "commentary")
# People's Daily commentary columns, as printed at the end of a title: （今日谈）, （人民论坛·…）.
COMMENTARY_LABELS = (
    "今日谈",
    "人民时评",
    "评论员观察",
    "钟声",
    "和音",
    "快评",
    "短评",
    "锐评",
    "现场评论",
    "国际时评",
    "人民论坛",
    "人民观点",
    "新论",
    "新语",
    "社论",
    "大家手笔",
    "民生观",
    "金台锐评",
    "暖闻热评",
    "评论员随笔",
)
NAME_STOPS = ("摄", "出席", "阅读", "核心", "等")
TARGETS = {
    "sentences_lost": "= 0",
    "page.headline_found": "≥ 90%",
    "page.count_exact": "≥ 80%",
    "article.headline_found": "≥ 95%",
    "page.dates_within3": "≥ 90%",
    "page.dates_confident_wrong": "= 0",
}
LIST_KINDS = (
    "headlines",
    "parts",
    "count",
    "kinds",
    "reporters",
    "names",
    "commentary",
    "commentary-fp",
    "sentences",
    "dates",
    "errors",
    "slow",
)

# ---------------------------------------------------------------- canonical text

_TRANS = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»「」『』＂‘’‚‛′″", '"'),
        **dict.fromkeys("—–‒―‐‑−－─", "-"),
        **dict.fromkeys("・•‧･∙", "·"),
    }
)
_SPACE = re.compile(r"\s+")
_DASHES = re.compile(r"-{2,}")
_DOTS = re.compile(r"(?:\.{2,}|…+)")


def canon(text: str) -> str:
    """The form texts are compared in: NFKC, no whitespace, one quote, one dash, one ellipsis."""
    t = unicodedata.normalize("NFKC", text or "").translate(_TRANS)
    t = _SPACE.sub("", t)
    return _DOTS.sub("…", _DASHES.sub("-", t))


def canon_part(text: str) -> str:
    """A 引题 or 副题 as compared: canonical, without dashes at its ends (——记… vs 记…)."""
    return canon(text).strip("-")


_LABEL = re.compile(r"^(?P<base>.*?)\s*[（(](?P<label>[^（）()]+)[）)]\s*$")


def split_label(title: str) -> tuple[str, str]:
    """'标题（人民时评）' → ('标题', '人民时评'); a title without a trailing label → (title, '')."""
    m = _LABEL.match(title.strip())
    if not m or not m.group("base").strip():
        return title.strip(), ""
    return m.group("base").strip(), m.group("label").strip()


def title_variants(title: str) -> set[str]:
    """The canonical titles a parsed 主题 may equal: with and without the trailing label."""
    base, label = split_label(title)
    return {canon(title), canon(base)} if label else {canon(title)}


def is_commentary_label(label: str) -> bool:
    """A commentary column label: one of COMMENTARY_LABELS, alone or before ·（人民论坛·…）."""
    head = canon(label).split("·")[0]
    return head in COMMENTARY_LABELS


# ---------------------------------------------------------------- truth readings of an article file


def headline_lines(text: str) -> tuple[str, str, str]:
    """The crawler's first three lines: 引题, 主题, 副题 ('' when empty)."""
    lines = (text.split("\n") + ["", "", ""])[:3]
    return tuple(x.strip() for x in lines)  # type: ignore[return-value]


def body_lines(text: str) -> list[str]:
    """The article's paragraphs: the lines after the three headline lines, non-blank."""
    return [line for line in text.split("\n")[3:] if line.strip()]


_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)\"']*)?")


_END = re.compile(r"[。!?\"')）」』-]+$|^-+")


def split_sentences(text: str) -> list[str]:
    """Canonical sentences of a text, split after 。！？!? (closing quotes stay) and at line ends,
    without their final punctuation (a sentence may end with ■ or ； in another copy) and edge
    dashes (a line ``——记…`` or ``…——`` may become a 副题 or 引题, whose dashes the parser drops)."""
    out = []
    for m in _SENTENCE.finditer(text):
        s = _END.sub("", _END.sub("", canon(m.group(0))))
        if len(s) >= 2:
            out.append(s)
    return out


_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]+$")
_PAREN_BYLINE = re.compile(r"[（(]记者(?P<names>[^（）()]{2,60})[）)]")
_LINE_BYLINE = re.compile(r"^(?:本报)?记者(?P<names>[\u4e00-\u9fff·、\s]{2,40})$")


def split_names(text: str) -> list[str]:
    """'甲乙、丙 丁' → ['甲乙', '丙丁']; without 、: names split at spaces, single characters paired
    ('李  舸' is one name printed wide, '王小明 张三' two names)."""
    text = text.strip()
    if re.search(r"[、，,]", text):
        parts = ["".join(p.split()) for p in re.split(r"[、，,]", text)]
    else:
        parts, tokens = [], text.split()
        k = 0
        while k < len(tokens):
            if len(tokens[k]) == 1 and k + 1 < len(tokens) and len(tokens[k + 1]) == 1:
                parts.append(tokens[k] + tokens[k + 1])
                k += 2
            else:
                parts.append(tokens[k])
                k += 1
    return [p for p in parts if _CJK_NAME.match(p) and (2 <= len(p) <= 4 or "·" in p)]


def truth_reporters(text: str) -> list[str]:
    """Reporters an attentive reader is sure of, read narrowly from an article file.

    ``（记者X、Y）`` or ``(记者X Y)`` in the first body paragraph (the part before 通讯员/实习生),
    and lines that are only ``本报记者 X`` or ``记者 X`` (not ending 摄 or 整理)."""
    names: list[str] = []
    paras = body_lines(text)
    if paras:
        m = _PAREN_BYLINE.search(paras[0])
        if m:
            inner = re.split(r"通讯员|实习生|见习", m.group("names"))[0]
            if re.fullmatch(r"[\u4e00-\u9fff·、，,\s]+", inner):
                names += split_names(inner)
    for line in paras:
        m = _LINE_BYLINE.match(line.strip())
        if m and not re.search(r"(摄|整理)\s*$", m.group("names")):
            names += split_names(m.group("names"))
    return list(dict.fromkeys(names))


def implausible_name(name: str) -> str:
    """Why a parsed reporter name is not a plausible name ('' when it is)."""
    n = "".join(name.split())
    for stop in NAME_STOPS:
        if stop in n:
            return f"含“{stop}”"
    if len(n) <= 1:
        return "一个字"
    if not _CJK_NAME.match(n):
        return "非汉字"
    if len(n) > 4 and "·" not in n:
        return "超过4字"
    return ""


# ---------------------------------------------------------------- matching parsed items to truth


def match_headlines(truths: list[dict], items: list[dict]) -> list[int | None]:
    """For each true article (in order), the index of the parsed item holding its 主题, 1:1."""
    used: set[int] = set()
    out: list[int | None] = []
    keys = [canon(it["title"]) for it in items]
    for t in truths:
        want = title_variants(t["title"])
        hit = next((j for j, k in enumerate(keys) if j not in used and k and k in want), None)
        if hit is not None:
            used.add(hit)
        out.append(hit)
    return out


def parts_exact(truth: dict, item: dict) -> bool:
    return (
        canon(item["title"]) in title_variants(truth["title"])
        and canon_part(item["kicker"]) == canon_part(truth["kicker"])
        and canon_part(item["subtitle"]) == canon_part(truth["subtitle"])
    )


FIELDS = ("kicker", "title", "subtitle", "column_name", "byline_text", "body")


def haystack(items: list[dict]) -> str:
    """The canonical text of every parsed field of a page, fields kept apart by a NUL."""
    return "\0".join(canon(it.get(f, "")) for it in items for f in FIELDS)


_GROUP = re.compile(r"[（(][^（）()]*(?:记者|通讯员|摄|电)[^（）()]*[）)]")


def sentence_kept(sentence: str, hay: str) -> bool:
    """The sentence is in the parsed text, or is once its byline group moved to the byline."""
    if sentence in hay:
        return True
    group = _GROUP.search(sentence)
    if not group:
        return False
    rest = [p for p in (sentence[: group.start()], sentence[group.end() :]) if p]
    names = re.sub(r"^[(（]|[)）]$", "", group.group(0))
    names = re.sub(r"^.*?(?:记者|通讯员)", "", names)
    return all(p in hay for p in rest) and (not names or names in hay)


def diff_days(got: str | None, want: str) -> int | None:
    if not got:
        return None
    return abs((date.fromisoformat(got) - date.fromisoformat(want)).days)


def year_only_wrong(got: str | None, want: str) -> bool:
    """More than 3 days off, but within 3 days once given the true year (the year was misread)."""
    off = diff_days(got, want)
    if off is None or off <= 3:
        return False
    try:
        fixed = date.fromisoformat(got).replace(year=int(want[:4]))
    except ValueError:  # 29 February in another year
        return False
    return diff_days(fixed.isoformat(), want) <= 3


BUCKETS = ((0.0, 0.3), (0.3, 0.5), (0.5, 0.6), (0.6, 0.8), (0.8, 1.01))


def bucket(conf: float) -> str:
    for lo, hi in BUCKETS:
        if lo <= conf < hi:
            return f"{lo:.1f}–{min(hi, 1.0):.1f}"
    return "?"


def share(n: int, d: int) -> dict:
    return {"n": n, "d": d, "pct": round(100 * n / d, 1) if d else None}


# ---------------------------------------------------------------- parsing (in worker processes)


def _alarm(signum, frame):  # noqa: ARG001
    raise TimeoutError("parse took longer than --timeout")


def parse_file(job: tuple[str, str, str, float]) -> dict:
    """Parse one file with the measured pinghu_core; never raises (errors are returned)."""
    path, source, shape, timeout = job
    from pinghu_core.parse.pipeline import page_id_for, process_text

    data = Path(path).read_bytes()
    out: dict = {"path": path, "source": source, "shape": shape}
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        frames = process_text(data.decode("utf-8"), source, page_id=page_id_for(data), shape=shape)
    except Exception as exc:  # noqa: BLE001 — counted and listed, never stops the bench
        out["seconds"], out["cpu"] = time.perf_counter() - t0, time.process_time() - c0
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc(limit=-4)
        return out
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    out["seconds"], out["cpu"] = time.perf_counter() - t0, time.process_time() - c0
    out["items"] = [_item(r) for r in frames.articles.to_dict("records")]
    out["page"] = _page(frames.page.iloc[0].to_dict())
    return out


def _item(row: dict) -> dict:
    keep = ("kind", "column_name", "kicker", "title", "subtitle", "byline_text", "body", "lines", "doubts")
    item = {k: str(row.get(k) or "") for k in keep}
    item["reporters"] = [str(x) for x in (row.get("reporters") if row.get("reporters") is not None else [])]
    item["authors"] = [str(x) for x in (row.get("authors") if row.get("authors") is not None else [])]
    item["confidence"] = float(row.get("confidence") or 0.0)
    return item


def _page(row: dict) -> dict:
    d = row.get("date")
    return {
        "date": None if d is None or str(d) == "NaT" else d.date().isoformat(),
        "date_confidence": float(row.get("date_confidence") or 0.0),
        "date_source": str(row.get("date_source")),
        "date_evidence": str(row.get("date_evidence") or ""),
        "date_day": str(row.get("date_day") or ""),
        "layout": str(row.get("layout")),
        "coverage": float(row.get("coverage") or 0.0),
        "problems": str(row.get("problems") or ""),
    }


def _warm() -> None:
    """Load the parser's lazy resources in a worker, so the first file's time is its own."""
    from pinghu_core.parse.pipeline import process_text

    for shape in ("page", "article"):
        try:
            process_text(
                "\n标题\n\n\u3000\u30002019年10月1日，正文。\n", "warm.txt", page_id="warm", shape=shape
            )
        except Exception:  # noqa: BLE001, S110 — a parser that fails here fails (and is listed) on the files
            pass


def parse_all(jobs: list[tuple[str, str, str, float]], workers: int) -> tuple[list[dict], float]:
    """Every job parsed (largest files first, so the pool ends together); results in job order."""
    order = sorted(range(len(jobs)), key=lambda k: -os.path.getsize(jobs[k][0]))
    t0 = time.perf_counter()
    results: list[dict | None] = [None] * len(jobs)
    if workers <= 1:
        _warm()
        for k in order:
            results[k] = parse_file(jobs[k])
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_warm) as pool:
            for k, res in zip(
                order, pool.map(parse_file, [jobs[k] for k in order], chunksize=4), strict=True
            ):
                results[k] = res
    return results, time.perf_counter() - t0  # type: ignore[return-value]


# ---------------------------------------------------------------- the corpus and its truth


def load_truth(corpus: Path) -> tuple[list[dict], list[dict]]:
    recs = [
        json.loads(line) for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line
    ]
    return [r for r in recs if r["shape"] == "page"], [r for r in recs if r["shape"] == "article"]


def true_article(corpus: Path, rec_file: str) -> dict:
    """One article file as truth: its headline lines, body, sentences, reporters, label."""
    text = (corpus / rec_file).read_text(encoding="utf-8")
    kicker, title, subtitle = headline_lines(text)
    _, label = split_label(title)
    return {
        "file": rec_file,
        "kicker": kicker,
        "title": title,
        "subtitle": subtitle,
        "label": label,
        "commentary": bool(label) and is_commentary_label(label),
        "reporters": truth_reporters(text),
        "sentences": split_sentences("\n".join(body_lines(text))),
        "first": next(iter(split_sentences("\n".join(body_lines(text)))), ""),
    }


def golden_truths(golden: dict) -> list[dict]:
    """The items of a golden file as truth records (every item; titles may be empty)."""
    out = []
    for it in golden["items"]:
        out.append(
            {
                "file": golden["source"],
                "kind": it["kind"],
                "kicker": it["kicker"],
                "title": it["title"],
                "subtitle": it["subtitle"],
                "label": it["column_name"],
                "commentary": it["kind"] == "commentary",
                "reporters": list(it["reporters"]),
                "sentences": split_sentences(it["body"]),
                "first": next(iter(split_sentences(it["body"])), ""),
            }
        )
    return out


def seed_dates(checkout: Path) -> dict[str, str]:
    """TRUTH from tests/test_seeds_golden.py (read, not imported): '000' → '2020-07-22'."""
    tree = ast.parse((checkout / "tests" / "test_seeds_golden.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "TRUTH" for t in node.targets):
            return ast.literal_eval(node.value)
    return {}


# ---------------------------------------------------------------- figures


class Tally:
    """The figures of one column (page, article or sample) and the failures behind them."""

    def __init__(self, shape: str):
        self.shape = shape
        self.c: Counter = Counter()
        self.hist: Counter = Counter()
        self.abs_diff: list[int] = []
        self.buckets: dict[str, Counter] = {}
        self.reasons: Counter = Counter()
        self.missed_where: Counter = Counter()
        self.fail: dict[str, list] = {k: [] for k in LIST_KINDS}
        self.times: list[tuple[float, str]] = []
        self.cpu = 0.0

    def add(self, key: str, ok: bool) -> None:
        self.c[key + ".d"] += 1
        self.c[key + ".n"] += bool(ok)

    def share(self, key: str) -> dict:
        return share(self.c[key + ".n"], self.c[key + ".d"])


def page_items_summary(items: list[dict]) -> list[str]:
    out = []
    for j, it in enumerate(items):
        head = _head(it)
        col = f" [栏目 {it['column_name']}]" if it["column_name"] else ""
        out.append(
            f"#{j} {it['kind']}{col}: {head[:70]} | 正文 {canon(it['body'])[:30]}… ({len(it['body'])}字)"
        )
    return out


def where_is(truth: dict, items: list[dict]) -> str:
    """Where a missed article went: the item holding its title text and its first sentence."""
    notes = []
    t = canon(split_label(truth["title"])[0])
    for j, it in enumerate(items):
        for f in ("kicker", "title", "subtitle", "column_name", "body"):
            if t and t in canon(it[f]):
                notes.append(f"主题在 #{j}.{f}")
                break
    first = truth.get("first", "")
    holder = next((j for j, it in enumerate(items) if first and first in canon(it["body"])), None)
    notes.append(f"首句在 #{holder} 正文" if holder is not None else "首句不在任何正文")
    return "；".join(notes) if notes else "主题不在任何字段"


def score_articles(tally: Tally, truths: list[dict], items: list[dict], res: dict) -> None:
    """Headline, reporter, commentary and sentence figures of one parsed file against its truths."""
    matched = match_headlines(truths, items) if tally.shape != "article" else [0 if items else None]
    on_page = {canon(n) for it in items for n in it["reporters"]}
    hay = haystack(items)
    label_of = {}
    for t, j in zip(truths, matched, strict=True):
        item = items[j] if j is not None else None
        if j is not None:
            label_of[j] = t
        if t["title"]:
            _score_headline(tally, t, item, items, res)
        _score_reporters(tally, t, item, on_page, res)
        _score_commentary(tally, t, item, res)
        _score_sentences(tally, t, hay, res)
    for j, it in enumerate(items):
        if it["kind"] == "commentary":
            t = label_of.get(j)
            if t is None and tally.shape != "article":
                tally.c["commentary_unmatched"] += 1
                tally.fail["commentary-fp"].append(
                    {"file": res["source"], "item": f"#{j}", "truth": None, "parsed": _head(it)}
                )
            elif t is not None and not t["commentary"]:
                tally.c["commentary_fp" if not t["label"] else "commentary_other_label"] += 1
                tally.fail["commentary-fp"].append(
                    {"file": t["file"], "item": f"#{j}", "truth": _head(t), "parsed": _head(it)}
                )
        for name in it["reporters"]:
            why = implausible_name(name)
            tally.add("names_plausible", not why)
            if why:
                tally.reasons[why] += 1
                tally.fail["names"].append(
                    {
                        "file": res["source"],
                        "name": name,
                        "why": why,
                        "byline_text": it["byline_text"],
                        "title": it["title"],
                    }
                )


def _head(it: dict) -> str:
    return " / ".join(x or "—" for x in (it["kicker"], it["title"], it["subtitle"]))


def _score_headline(tally: Tally, t: dict, item: dict | None, items: list[dict], res: dict) -> None:
    found = item is not None and canon(item["title"]) in title_variants(t["title"])
    tally.add("headline_found", found)
    exact = found and parts_exact(t, item)
    tally.add("headline_exact", exact)
    if found and t["label"] and canon(item["title"]) != canon(t["title"]):
        tally.c["label_stripped"] += 1
    parsed = f"{item['kind']} [栏目 {item['column_name'] or '—'}] {_head(item)}" if item else None
    rec = {"file": t["file"], "page": res["source"], "truth": _head(t), "parsed": parsed}
    if not found:
        rec["where"] = where_is(t, items)
        first = rec["where"].split("；")[0]
        tally.missed_where[
            re.sub(r"#\d+\.", "", first) if first.startswith("主题在") else "主题不在任何字段"
        ] += 1
        tally.fail["headlines"].append(rec)
    elif not exact:
        tally.fail["parts"].append(rec)


def _score_reporters(tally: Tally, t: dict, item: dict | None, on_page: set[str], res: dict) -> None:
    got = {canon(n) for n in item["reporters"]} if item else set()
    for name in t["reporters"]:
        tally.add("reporters_item", canon(name) in got)
        tally.add("reporters_page", canon(name) in on_page)
        if canon(name) not in got:
            tally.fail["reporters"].append(
                {
                    "file": t["file"],
                    "name": name,
                    "on_page": canon(name) in on_page,
                    "parsed": sorted(got),
                    "byline_text": item["byline_text"] if item else None,
                    "title": t["title"],
                }
            )


def _score_commentary(tally: Tally, t: dict, item: dict | None, res: dict) -> None:
    if not t["commentary"]:
        return
    kind_ok = item is not None and item["kind"] == "commentary"
    label_ok = kind_ok and canon(t["label"]).split("·")[0] in canon(item["column_name"])
    tally.add("commentary_found", kind_ok)
    tally.add("commentary_label", label_ok)
    if not label_ok:
        parsed = f"{item['kind']} [栏目 {item['column_name'] or '—'}] {_head(item)}" if item else None
        tally.fail["commentary"].append(
            {"file": t["file"], "truth": _head(t), "label": t["label"], "parsed": parsed}
        )


def _score_sentences(tally: Tally, t: dict, hay: str, res: dict) -> None:
    lost = [s for s in t["sentences"] if not sentence_kept(s, hay)]
    tally.c["sentences"] += len(t["sentences"])
    tally.c["sentences_lost"] += len(lost)
    if lost:
        tally.fail["sentences"].append(
            {"file": t["file"], "page": res["source"], "title": t["title"], "lost": lost}
        )


def score_count(tally: Tally, n_true: int, items: list[dict], res: dict, truths: list[dict]) -> None:
    counted = sum(it["kind"] in COUNTED for it in items)
    with_other = counted + sum(it["kind"] == "other" for it in items)
    tally.add("count_exact", counted == n_true)
    tally.add("count_exact_other", with_other == n_true)
    tally.hist[counted - n_true] += 1
    tally.abs_diff.append(abs(counted - n_true))
    if counted != n_true:
        tally.fail["count"].append(
            {
                "file": res["source"],
                "true": n_true,
                "parsed": counted,
                "truth_titles": [_head(t) for t in truths if t.get("kind", "news") in COUNTED],
                "items": page_items_summary(items),
            }
        )


def score_date(tally: Tally, page: dict, want: str | None, res: dict, judge_file: str) -> None:
    if not want:
        return
    got = page["date"]
    off = diff_days(got, want)
    conf = page["date_confidence"]
    ok = off is not None and off <= 3
    tally.add("dates_within3", ok)
    alone = diff_days(page.get("date_alone", got), want)
    tally.add("dates_within3_alone", alone is not None and alone <= 3)
    tally.c["dates_none"] += got is None
    wrong = off is not None and off > 3 and conf >= 0.6
    tally.c["dates_confident_wrong"] += wrong
    tally.c["dates_year_only"] += year_only_wrong(got, want)
    b = tally.buckets.setdefault(bucket(conf) if got else "无日期", Counter())
    b["n"] += 1
    b["within3"] += ok
    if not ok:
        tally.fail["dates"].append(
            {
                "file": judge_file,
                "source": res["source"],
                "truth": want,
                "parsed": got,
                "days_off": off,
                "confidence": conf,
                "confident_wrong": wrong,
                "date_source": page["date_source"],
                "evidence": page["date_evidence"],
            }
        )


def score_result(tally: Tally, res: dict, truths: list[dict], want_date: str | None, judge_file: str) -> None:
    """Every figure of one parsed file (or its error)."""
    tally.c["files"] += 1
    tally.times.append((res["seconds"], judge_file))
    tally.cpu += res["cpu"]
    if "error" in res:
        tally.c["errors"] += 1
        tally.fail["errors"].append(
            {
                "file": judge_file,
                "source": res["source"],
                "error": res["error"],
                "traceback": res["traceback"],
            }
        )
        items: list[dict] = []
        page = {"date": None, "date_confidence": 0.0, "date_source": "error", "date_evidence": ""}
    else:
        items, page = res["items"], res["page"]
    if tally.shape == "article":
        tally.add("kind_counted", bool(items) and items[0]["kind"] in COUNTED)
        if items and items[0]["kind"] not in COUNTED:
            tally.fail["kinds"].append(
                {"file": judge_file, "parsed_kind": items[0]["kind"], "head": _head(items[0])}
            )
    else:
        score_count(tally, sum(t.get("kind", "news") in COUNTED for t in truths), items, res, truths)
        if tally.shape == "sample":
            _score_kinds(tally, truths, items, res)
    score_articles(tally, truths, items, res)
    score_date(tally, page, want_date, res, judge_file)


def _score_kinds(tally: Tally, truths: list[dict], items: list[dict], res: dict) -> None:
    want, got = Counter(t["kind"] for t in truths), Counter(it["kind"] for it in items)
    tally.add("kinds_exact", want == got)
    if want != got:
        tally.fail["kinds"].append({"file": res["source"], "golden": dict(want), "parsed": dict(got)})


def summarise(tally: Tally) -> dict:
    """A tally as plain figures (JSON)."""
    keys = sorted({k.rsplit(".", 1)[0] for k in tally.c if k.endswith(".d")})
    fig: dict = {k: tally.share(k) for k in keys}
    for k in (
        "files",
        "errors",
        "sentences",
        "sentences_lost",
        "dates_none",
        "dates_confident_wrong",
        "commentary_fp",
        "commentary_other_label",
        "commentary_unmatched",
        "label_stripped",
        "dates_year_only",
    ):
        fig[k] = tally.c[k]
    fig["files_with_loss"] = len({f["page"] for f in tally.fail["sentences"]})
    fig["articles_with_loss"] = len(tally.fail["sentences"])
    if tally.abs_diff:
        fig["count_mean_abs_diff"] = round(sum(tally.abs_diff) / len(tally.abs_diff), 2)
        fig["count_hist"] = {f"{k:+d}": v for k, v in sorted(tally.hist.items())}
    fig["date_buckets"] = {k: dict(v) for k, v in sorted(tally.buckets.items())}
    fig["name_reasons"] = dict(tally.reasons)
    fig["headline_missed_where"] = dict(tally.missed_where.most_common())
    total = sum(s for s, _ in tally.times)
    slow = max(tally.times, default=(0.0, ""))
    fig["speed"] = {
        "parse_seconds": round(total, 2),
        "files_per_s": round(len(tally.times) / total, 1) if total else None,
        "cpu_seconds": round(tally.cpu, 2),
        "files_per_cpu_s": round(len(tally.times) / tally.cpu, 1) if tally.cpu else None,
        "slowest_file": slow[1],
        "slowest_s": round(slow[0], 3),
    }
    tally.fail["slow"] = [
        {"file": f, "seconds": round(s, 3)} for s, f in sorted(tally.times, reverse=True)[:20]
    ]
    return fig


# ---------------------------------------------------------------- output


def cell(fig: dict | None, key: str) -> str:
    if fig is None:
        return "—"
    v = fig.get(key)
    if isinstance(v, dict) and "d" in v:
        return f"{v['pct']:.1f}% ({v['n']}/{v['d']})" if v["d"] else "—"
    return "—" if v is None else str(v)


ROWS = (
    ("files parsed", "files"),
    ("parser errors (raised / timeout)", "errors"),
    ("1 articles found by headline", "headline_found"),
    ("  headline parts exact (引题+主题+副题)", "headline_exact"),
    ("  found with the trailing label dropped", "label_stripped"),
    ("2 article count exact (news+photo+commentary)", "count_exact"),
    ("  … counting other as well", "count_exact_other"),
    ("  mean |parsed − true|", "count_mean_abs_diff"),
    ("  the item is news/photo/commentary", "kind_counted"),
    ("  item kinds exact (golden)", "kinds_exact"),
    ("3 reporters in the item matched by headline", "reporters_item"),
    ("  reporters anywhere on the page", "reporters_page"),
    ("  parsed reporter names plausible", "names_plausible"),
    ("4 commentary labels → kind commentary", "commentary_found"),
    ("  … and the label in column_name", "commentary_label"),
    ("  commentary items, truth without a label", "commentary_fp"),
    ("  … truth with another label (思想纵横 …)", "commentary_other_label"),
    ("  commentary items with no true match", "commentary_unmatched"),
    ("5 sentences lost", "sentences_lost"),
    ("  sentences checked", "sentences"),
    ("  files with a lost sentence", "files_with_loss"),
    ("6 dates within 3 days (text only)", "dates_within3"),
    ("  … each file alone (no neighbours' years)", "dates_within3_alone"),
    ("  > 3 days off with confidence ≥ 0.6", "dates_confident_wrong"),
    ("  > 3 days off, right once given the true year", "dates_year_only"),
    ("  no date (errors included)", "dates_none"),
)


def verdict(shape: str, key: str, fig: dict) -> str:
    """'≥ 90% PASS' for a figure with a target in this column ('' otherwise)."""
    target = TARGETS.get(key) or TARGETS.get(f"{shape}.{key}")
    if not target or shape == "sample" and key != "sentences_lost":
        return ""
    v = fig.get(key)
    if isinstance(v, dict):
        ok = v["d"] and v["pct"] >= float(target.split()[1].rstrip("%"))
    else:
        ok = v == 0
    return f"{target} {'PASS' if ok else 'MISS'}"


def width(text: str) -> int:
    """Columns a text takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ljust(text: str, n: int) -> str:
    return text + " " * max(0, n - width(text))


def rjust(text: str, n: int) -> str:
    return " " * max(0, n - width(text)) + text


def print_table(figs: dict[str, dict]) -> None:
    shapes = [s for s in ("page", "article", "sample") if s in figs]
    heads = {"page": "whole pages", "article": "article files", "sample": "sample pages (golden)"}
    w, cw = 46, 24
    print(ljust("figure", w) + "".join(rjust(heads[s], cw) for s in shapes) + "   target page / article")
    optional = ("kind_counted", "kinds_exact", "count_mean_abs_diff")
    for label, key in ROWS:
        cells = [cell(figs[s], key) for s in shapes]
        if key in optional and all(c == "—" for c in cells):
            continue
        verdicts = [verdict(s, key, figs[s]) or "·" for s in shapes if s != "sample"]
        target = " / ".join(verdicts) if any(v != "·" for v in verdicts) else ""
        print(ljust(label, w) + "".join(rjust(c, cw) for c in cells) + "   " + target)
    for s in shapes:
        f = figs[s]
        if f.get("count_hist"):
            print(f"  {heads[s]}: parsed − true histogram {f['count_hist']}")
        if f.get("headline_missed_where"):
            print(f"  {heads[s]}: where the missed titles are {f['headline_missed_where']}")
        if f.get("name_reasons"):
            print(f"  {heads[s]}: implausible reporter names {f['name_reasons']}")
        if f.get("date_buckets"):
            rows = ", ".join(f"{k}: {v.get('within3', 0)}/{v['n']} ok" for k, v in f["date_buckets"].items())
            print(f"  {heads[s]}: dates by confidence {rows}")
    print("7 speed (process_text, summed in the workers)")
    for s in shapes:
        sp = figs[s]["speed"]
        print(
            f"  {heads[s]:<22} {sp['files_per_s']} files/s ({sp['parse_seconds']} s of parsing),"
            f" {sp['files_per_cpu_s']} files per CPU second;"
            f" slowest {sp['slowest_file']} {sp['slowest_s']} s"
        )


def print_list(kind: str, tallies: dict[str, Tally]) -> None:
    for shape, tally in tallies.items():
        fails = tally.fail.get(kind, [])
        print(f"==== {kind} · {shape}: {len(fails)}")
        printer = LIST_PRINTERS.get(kind, _print_generic)
        printer(fails, tally)


def _print_generic(fails: list, tally: Tally) -> None:
    for f in fails:
        print("  " + json.dumps(f, ensure_ascii=False))


def _print_headlines(fails: list, tally: Tally) -> None:
    by_page: dict[str, list] = {}
    for f in fails:
        by_page.setdefault(f["page"], []).append(f)
    for page, rows in by_page.items():
        print(f"-- {page}")
        for f in rows:
            print(f"   missed {f['file']}: {f['truth']}\n          {f.get('where') or ''}")
            if f.get("parsed"):
                print(f"          parsed: {f['parsed']}")
        if tally.shape != "article":
            for line in tally.fail.get("_items", {}).get(page, []):
                print(f"      {line}")


def _print_parts(fails: list, tally: Tally) -> None:
    for f in fails:
        print(f"-- {f['file']}\n   truth : {f['truth']}\n   parsed: {f['parsed']}")


def _print_count(fails: list, tally: Tally) -> None:
    for f in fails:
        print(f"-- {f['file']}: true {f['true']}, parsed {f['parsed']}")
        for t in f["truth_titles"]:
            print(f"   truth  {t[:80]}")
        for line in f["items"]:
            print(f"   parsed {line}")


def _print_sentences(fails: list, tally: Tally) -> None:
    for f in fails:
        print(f"-- {f['file']} (in {f['page']}) {f['title']}: {len(f['lost'])} lost")
        for s in f["lost"]:
            print(f"   {s[:100]}")


def _print_dates(fails: list, tally: Tally) -> None:
    for f in fails:
        flag = " CONFIDENTLY WRONG" if f["confident_wrong"] else ""
        print(
            f"-- {f['file']} ({f['source']}): truth {f['truth']}, parsed {f['parsed']} ({f['date_source']},"
            f" confidence {f['confidence']:.2f}, {f['days_off']} days off){flag}\n   {f['evidence']}"
        )


def _print_errors(fails: list, tally: Tally) -> None:
    for f in fails:
        print(f"-- {f['file']} ({f['source']}): {f['error']}\n{f['traceback']}")


LIST_PRINTERS = {
    "headlines": _print_headlines,
    "parts": _print_parts,
    "count": _print_count,
    "sentences": _print_sentences,
    "dates": _print_dates,
    "errors": _print_errors,
}


# ---------------------------------------------------------------- main


def checkout_info() -> dict:
    """Which pinghu_core is measured: its file, the checkout's commit, uncommitted changes."""
    import pinghu_core

    checkout = Path(pinghu_core.__file__).resolve().parents[1]

    def git(*args: str) -> str:
        try:
            run = subprocess.run(
                ["git", "-C", str(checkout), *args], capture_output=True, text=True, check=True
            )
        except (OSError, subprocess.CalledProcessError):
            return ""
        return run.stdout

    dirty = git("status", "--porcelain", "--", "pinghu_core")
    return {
        "pinghu_core": pinghu_core.__file__,
        "checkout": str(checkout),
        "commit": git("rev-parse", "HEAD").strip() or "unknown",
        "subject": git("log", "-1", "--format=%s").strip()[:70],
        "uncommitted": [line[3:] for line in dirty.splitlines() if line.strip()],
    }


def build_jobs(args, pages: list[dict], articles: list[dict], checkout: Path) -> list[tuple]:
    jobs: list[tuple] = []
    if args.shape in ("all", "page"):
        jobs += [
            (str(args.corpus / p["undated"]), p["undated"], "page", args.timeout, ("page", p)) for p in pages
        ]
    if args.shape in ("all", "article"):
        jobs += [
            (str(args.corpus / a["undated"]), a["undated"], "article", args.timeout, ("article", a))
            for a in articles
        ]
    seeds = sorted((checkout / "data" / "corpus").glob("*.txt"))
    jobs += [(str(p), p.name, "page", args.timeout, ("sample", p)) for p in seeds]
    return jobs


def settle_shape_years(results: list[dict]) -> int:
    """Settle years across the files of one shape as the ingest does for a corpus
    (``pipeline.settle_years``): a file's text gives the day, its neighbours the year.  Each
    result's per-file date stays in ``page['date_alone']``; returns how many changed."""
    from pinghu_core.common import schemas
    from pinghu_core.parse import pipeline

    rows = []
    for k, res in enumerate(results):
        page = res.get("page")
        if not page:
            continue
        page["date_alone"] = page["date"]
        rows.append(
            {
                "page_id": str(k),
                "date": pd.Timestamp(page["date"]) if page["date"] else pd.NaT,
                "date_source": page["date_source"]
                if page["date_source"] in schemas.DATE_SOURCES
                else "unknown",
                "date_confidence": page["date_confidence"],
                "date_evidence": page["date_evidence"],
                "date_day": page.get("date_day", ""),
            }
        )
    if not rows:
        return 0
    frame = pd.DataFrame(rows)
    for col in schemas.PAGES.columns:  # the columns settle_years does not read: empty values
        if col.name not in frame:
            empty = col.categories[0] if col.categories else ""
            frame[col.name] = 0 if col.dtype.startswith(("int", "float")) else (col.default or empty)
    frame = schemas.conform(frame, schemas.PAGES)
    empty = pipeline.PageFrames(schemas.ARTICLES.empty(), frame, schemas.PROGRESS.empty())
    settled, n = pipeline.settle_years(empty)
    for row in settled.page.itertuples(index=False):
        page = results[int(row.page_id)]["page"]
        page["date"] = None if pd.isna(row.date) else row.date.date().isoformat()
        page["date_source"], page["date_confidence"] = str(row.date_source), float(row.date_confidence)
        page["date_evidence"] = str(row.date_evidence)
    return n


def evaluate(args, jobs: list[tuple], results: list[dict], checkout: Path) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    golden_dir, dates = checkout / "tests" / "golden", seed_dates(checkout)
    for job, res in zip(jobs, results, strict=True):
        shape, rec = job[4]
        tally = tallies.setdefault(shape, Tally(shape))
        if shape == "page":
            truths = [true_article(args.corpus, f) for f in rec["articles"]]
            score_result(tally, res, truths, rec["date"], rec["file"])
        elif shape == "article":
            score_result(tally, res, [true_article(args.corpus, rec["file"])], rec["date"], rec["file"])
        else:
            golden = json.loads((golden_dir / f"{rec.stem}.json").read_text(encoding="utf-8"))
            score_result(tally, res, golden_truths(golden), dates.get(rec.stem[:3]), rec.name)
        if shape != "article" and "items" in res:
            tally.fail.setdefault("_items", {})[res["source"]] = page_items_summary(res["items"])
    return tallies


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="parser accuracy on real pages (issue 11)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--shape", choices=("all", "page", "article"), default="all")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages and N article files")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--timeout", type=float, default=60.0, help="seconds a file may take before it counts as an error"
    )
    ap.add_argument(
        "--list", choices=LIST_KINDS, action="append", default=[], help="print the failures of a figure"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not (args.corpus / "truth.jsonl").exists():
        print(f"no corpus at {args.corpus}: build it with bench/make_real_corpus.py", file=sys.stderr)
        return 2
    info = checkout_info()
    checkout = Path(info["checkout"])
    if not (checkout / "tests" / "golden").exists():
        checkout = ROOT
    pages, articles = load_truth(args.corpus)
    if args.limit:
        pages, articles = pages[: args.limit], articles[: args.limit]
    jobs = build_jobs(args, pages, articles, checkout)
    load_before = os.getloadavg()
    results, wall = parse_all([j[:4] for j in jobs], args.workers)
    load_after = os.getloadavg()
    for shape in ("page", "article", "sample"):
        settle_shape_years([r for j, r in zip(jobs, results, strict=True) if j[4][0] == shape])
    tallies = evaluate(args, jobs, results, checkout)
    figs = {s: summarise(t) for s, t in tallies.items()}
    header = {
        **info,
        "corpus": str(args.corpus.resolve()),
        "run_at": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "workers": args.workers,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "wall_s": round(wall, 1),
    }
    print(f"pinghu_core: {info['pinghu_core']}")
    dirty = f" + uncommitted {', '.join(info['uncommitted'])}" if info["uncommitted"] else ""
    print(f"commit: {info['commit'][:12]} {info['subject']}{dirty}")
    print(
        f"corpus: {header['corpus']}  workers {args.workers}, wall {header['wall_s']} s (all files),"
        f" load average {header['load_before'][0]} → {header['load_after'][0]}"
    )
    print(f"counted kinds: {', '.join(COUNTED)}; golden pages from {checkout}")
    print()
    print_table(figs)
    for kind in args.list:
        print()
        print_list(kind, tallies)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    failures = {s: {k: v for k, v in t.fail.items()} for s, t in tallies.items()}
    args.out.write_text(
        json.dumps({"header": header, "figures": figs, "failures": failures}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print(f"\nfigures and failures: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
