"""How often the date inferred from a page's text is right, by confidence (a script, not a test).

    .venv/bin/python bench/date_calibration.py [--corpus bench/real_corpus] [--raw] [--shape page|article]
                                              [--worst 15] [--threshold 0.6] [--json OUT]

The corpus is the one ``bench/make_real_corpus.py`` builds (git-ignored): ``truth.jsonl`` gives
each undated copy's true date.  Each file is read as the system reads it:
``pipeline.process_text(text, source, page_id="x", shape=…)`` and the ``pages`` frame's
``date``, ``date_confidence`` and ``date_evidence``; with ``--raw``, ``dates.infer_date`` on the
file's text as it is (useful while the parser is changing).  The sample pages in
``data/corpus`` (truth in ``tests/test_seeds_golden.py``) are reported too.

Per shape it prints: how many files, the share dated within 3 days of the truth, the
*confidently wrong* count (confidence ≥ threshold and more than 3 days off, the figure that must
stay 0), how many go to 待确认 (inferred below the threshold, or no date), a table of confidence
buckets → share within 3 days, and the worst misses (file, truth, guess, confidence, evidence)
so the next person can see which rule to change.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pinghu_core.parse import dates  # noqa: E402

BUCKETS = ((0.0, 0.3), (0.3, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))
SEED_TRUTH = {  # tests/test_seeds_golden.py
    "000": "2020-07-22",
    "001": "2020-11-11",
    "002": "2022-05-28",
    "003": "2020-04-21",
    "004": "2025-08-17",
}


@dataclass
class Row:
    file: str
    truth: date
    guess: date | None
    confidence: float
    evidence: str

    @property
    def off(self) -> int | None:
        return None if self.guess is None else abs((self.guess - self.truth).days)

    @property
    def within(self) -> bool:
        return self.off is not None and self.off <= 3


def infer(text: str, source: str, shape: str, raw: bool) -> tuple[date | None, float, str]:
    if raw:
        r = dates.infer_date(text)
        return r.date, r.confidence, r.evidence
    from pinghu_core.parse.pipeline import process_text

    page = process_text(text, source, page_id="x", shape=shape).page.iloc[0]
    guess = None if page["date"] is None or str(page["date"]) == "NaT" else page["date"].date()
    return guess, float(page["date_confidence"]), str(page["date_evidence"])


def run(records: list[dict], root: Path, shape: str, raw: bool) -> list[Row]:
    rows = []
    for rec in records:
        text = (root / rec["undated"]).read_text(encoding="utf-8")
        guess, conf, evidence = infer(text, Path(rec["undated"]).name, shape, raw)
        rows.append(Row(rec["undated"], date.fromisoformat(rec["date"]), guess, conf, evidence))
    return rows


def summary(rows: list[Row], threshold: float) -> dict:
    n = len(rows)
    confident = [r for r in rows if r.guess is not None and r.confidence >= threshold]
    return {
        "files": n,
        "within_3_days": sum(r.within for r in rows),
        "within_share": round(sum(r.within for r in rows) / n, 3) if n else 0.0,
        "confident": len(confident),
        "confident_within": sum(r.within for r in confident),
        "confidently_wrong": sum(not r.within for r in confident),
        "to_confirm": n - len(confident),
        "no_date": sum(r.guess is None for r in rows),
    }


def report(name: str, rows: list[Row], threshold: float, worst: int) -> dict:
    s = summary(rows, threshold)
    share_conf = s["confident_within"] / s["confident"] if s["confident"] else 0.0
    print(f"\n## {name}: {s['files']} files")
    print(f"within 3 days        {s['within_3_days']} ({s['within_share']:.1%})")
    print(f"confidence >= {threshold:.2f}    {s['confident']} files, {share_conf:.1%} of them within 3 days")
    print(f"confidently wrong    {s['confidently_wrong']}   (>= {threshold:.2f} and more than 3 days off)")
    print(
        f"to confirm (待确认)  {s['to_confirm']}   (below {threshold:.2f}: {s['to_confirm'] - s['no_date']}, no date: {s['no_date']})"
    )
    print("\n| confidence | files | within 3 days |")
    print("| --- | ---: | ---: |")
    for lo, hi in BUCKETS:
        inb = [r for r in rows if r.guess is not None and lo <= r.confidence < hi]
        if inb:
            print(
                f"| {lo:.1f}–{min(hi, 1.0):.1f} | {len(inb)} | {sum(r.within for r in inb) / len(inb):.0%} |"
            )
    print(f"| no date | {s['no_date']} | – |")
    misses = sorted((r for r in rows if r.guess is not None and not r.within), key=lambda r: -r.confidence)
    if misses and worst:
        print(f"\nworst misses (highest confidence first, {min(worst, len(misses))} of {len(misses)}):")
        for r in misses[:worst]:
            print(
                f"  {r.file}  truth {r.truth}  guess {r.guess}  conf {r.confidence:.2f}  {r.evidence[:160]}"
            )
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "bench" / "real_corpus")
    ap.add_argument("--raw", action="store_true", help="dates.infer_date on the file text, not the pipeline")
    ap.add_argument("--shape", choices=("page", "article"), action="append")
    ap.add_argument("--worst", type=int, default=15)
    ap.add_argument("--threshold", type=float, default=dates.CONFIRM_BELOW)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    shapes = args.shape or ["page", "article"]
    figures: dict[str, dict] = {}
    truth = args.corpus / "truth.jsonl"
    if truth.exists():
        records = [
            json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        for shape in shapes:
            t0 = time.perf_counter()
            rows = run([r for r in records if r["shape"] == shape], args.corpus, shape, args.raw)
            figures[shape] = report(
                f"{shape} ({'raw text' if args.raw else 'pipeline'})", rows, args.threshold, args.worst
            )
            print(f"({time.perf_counter() - t0:.1f} s)")
    else:
        print(f"no {truth}: build it with bench/make_real_corpus.py; only the sample pages are checked")
    seeds = []
    for path in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        if path.stem[:3] in SEED_TRUTH:
            text = path.read_text(encoding="utf-8")
            guess, conf, evidence = infer(text, path.name, "page", args.raw)
            seeds.append(Row(path.name, date.fromisoformat(SEED_TRUTH[path.stem[:3]]), guess, conf, evidence))
    figures["samples"] = report("sample pages (data/corpus)", seeds, args.threshold, 5)
    for r in seeds:
        print(f"  {r.file[:3]}  truth {r.truth}  guess {r.guess}  conf {r.confidence:.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
