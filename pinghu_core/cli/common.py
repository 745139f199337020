"""What every ``pinghu`` command shares: exit codes, the usage error, reading the paths it is given,
reporting problem files, ISO dates and the corpus options.  Command modules import this one
(never each other's private parts), so the command modules form no cycle.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import SupportsFloat, TextIO

import pandas as pd

from pinghu_core.common import exports
from pinghu_core.corpus import ingest

LIST_SEP = "；"
EXIT_OK, EXIT_USAGE = 0, 2
STATUS_ZH = {"ok": "正常", "warning": "警告", "error": "错误"}


class UsageError(Exception):
    """A problem with what was asked (missing path …): message in Chinese, exit code 2."""


def iso_date(value: object) -> str | None:
    """A Timestamp → 'YYYY-MM-DD'; NaT/None → None."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def with_prefix(corpus: ingest.Corpus, prefix: str) -> ingest.Corpus:
    """Sources of a corpus loaded from folder ``prefix`` → prefix joined with them (as given)."""

    def fix(df: pd.DataFrame, columns: tuple[str, ...] = ("source",)) -> pd.DataFrame:
        out = df.copy()
        for column in columns:
            out[column] = pd.Series(
                [os.path.join(prefix, s) for s in df[column]], dtype="string", index=df.index
            )
        return out

    return ingest.Corpus(
        fix(corpus.articles),
        fix(corpus.pages),
        fix(corpus.report),
        corpus.corpus_dir,
        corpus.fingerprint,
        corpus.stats,
        fix(corpus.progress),
        corpus.extras,
        fix(corpus.copies, ("source", "kept_source")),
    )


class ProgressBar:
    """A ``(done, total, stage)`` progress callback for the core's cold builds, drawn on ``err``.

    On a terminal one line redrawn in place (at most ten times a second):
    ``解析版面 ▕██████░░░░░░▏  1,200/3,501  34%  12 秒``.  Elsewhere (a log, a pipe, a test) a plain line
    every ``every`` seconds and one when each stage ends, so a log shows what happened without noise.
    """

    WIDTH = 24

    def __init__(self, err: TextIO, *, every: float = 10.0, tty: bool | None = None) -> None:
        self.err = err
        self.tty = err.isatty() if tty is None else tty
        self.every = 0.1 if self.tty else every
        self.stage = ""
        self.done = self.total = 0
        self.started = self.shown = 0.0

    def __call__(self, done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if stage != self.stage:
            self.close()
            self.stage, self.started, self.shown = stage, now, now
        self.done, self.total = done, total
        if now - self.shown >= self.every:
            self.shown = now
            self._draw(now, final=False)

    def line(self, now: float | None = None) -> str:
        """The current state as one line."""
        elapsed = (now if now is not None else time.monotonic()) - self.started
        share = self.done / self.total if self.total else 1.0
        filled = round(share * self.WIDTH)
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        return f"{self.stage} ▕{bar}▏ {self.done:,}/{self.total:,}  {share:.0%}  {elapsed:.0f} 秒"

    def _draw(self, now: float, *, final: bool) -> None:
        if self.tty:
            self.err.write("\r" + self.line(now) + ("\n" if final else ""))
        else:
            self.err.write(self.line(now) + "\n")
        self.err.flush()

    def close(self) -> None:
        """End the current stage (its last line stays); nothing when no stage ran."""
        if self.stage:
            self._draw(time.monotonic(), final=True)
        self.stage = ""


def check_paths(paths: Sequence[str]) -> None:
    """Raise :class:`UsageError` naming every path that does not exist."""
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise UsageError("找不到路径：" + "、".join(missing))


def load_targets(
    paths: Sequence[str], *, workers: int | None, progress: bool, use_cache: bool
) -> ingest.Corpus:
    """The configured corpus (no paths), or the given files and folders, in the order given."""
    if not paths:
        return ingest.load_corpus(workers=workers, progress=progress, use_cache=use_cache)
    check_paths(paths)
    parts: list[ingest.Corpus] = []
    files: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            if files:
                parts.append(ingest.load_files(files, workers=workers, progress=progress))
                files = []
            parts.append(
                with_prefix(
                    ingest.load_corpus(Path(p), use_cache=False, workers=workers, progress=progress), p
                )
            )
        else:
            files.append(p)
    if files:
        parts.append(ingest.load_files(files, workers=workers, progress=progress))
    return parts[0] if len(parts) == 1 else ingest.combine(parts)


def problem_lines(report: pd.DataFrame, *, include_page_problems: bool) -> list[str]:
    """One line per file that is not ok: '[错误] a.txt（binary）：…'."""
    lines = []
    for row in report[report["status"] != "ok"].itertuples(index=False):
        if row.code == ingest.PAGE_PROBLEMS and not include_page_problems:
            continue
        lines.append(f"[{STATUS_ZH[str(row.status)]}] {row.source}（{row.code}）：{row.message}")
    return lines


def report_problems(report: pd.DataFrame, err: TextIO) -> None:
    """Tell stderr about skipped/odd files; page-level problems only as a count."""
    for line in problem_lines(report, include_page_problems=False):
        print(line, file=err)
    n = int((report["code"] == ingest.PAGE_PROBLEMS).sum())
    if n:
        print(f"另有{n}个版面有解析问题，详见 pinghu pages 输出的 problems 字段", file=err)


def corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-cache", action="store_true", help="不读写缓存（仅对默认语料有意义）")
    p.add_argument("--workers", type=int, default=None, help="解析进程数（默认：CPU 核数）")


def write_jsonl(records: Iterable[dict], out: TextIO) -> int:
    """One JSON object per line (UTF-8, not escaped); returns the number written."""
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(records: Iterable[dict], fields: Sequence[str], out: TextIO) -> int:
    """CSV with a header of machine names (exports.write_csv: lists joined with '；', formula-like text
    neutralised); returns the number of records written."""
    return exports.write_csv(records, fields, out, list_sep=LIST_SEP)


def write_records(records: Iterable[dict], fields: Sequence[str], fmt: str, out: TextIO) -> None:
    if fmt == "csv":
        write_csv(records, fields, out)
    else:
        write_jsonl(records, out)
    out.flush()


def write_bytes(data: bytes, output: str, out: TextIO) -> None:
    """A download's bytes to the file ``output``, or to ``out`` when it is ``-`` (its byte stream; a
    text stream without one — tests — gets the text, a CSV's BOM as U+FEFF)."""
    if output == "-":
        out.flush()
        stream = getattr(out, "buffer", None)
        if stream is not None:
            stream.write(data)
            stream.flush()
        else:
            out.write(data.decode("utf-8"))
    else:
        Path(output).write_bytes(data)


def number_cell(value: SupportsFloat) -> float | None:
    """A float for JSON: NaN → None."""
    number = float(value)
    return None if math.isnan(number) else number
