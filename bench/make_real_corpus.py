"""Build the real development corpus (another Chinese daily) into a git-ignored folder.

The text is the newspaper's copyright: it is never committed.  The archives come from the
public repository ``caspiankexin/people-daily-crawler-date``, brought onto this machine with
the search tool's ``fetch`` (a bare git directory).  Only two months are used, pinned by blob
and commit; the other months are kept apart for independent evaluation and must not be read:

* ``2019年10月.7z`` — blob 3a9e6c1a5a6db27502d8b1a899a8e8fecb569061 (commit 0e607dd8…)
* ``2020年2月.7z``  — blob 0402890871c167ce2b7f76ba9dc9b0fea1bdd67e (commit d3f8f144…)

Each archive holds one file per article, ``YYYYMMDD/YYYYMMDD-PP-NN.txt`` (PP = 版次, NN = the
article's order on the page), written by the crawler as 引题 line, 主题 line, 副题 line (each
possibly empty), then the paragraphs.  The script writes, under ``--out`` (default
``bench/real_corpus``):

* ``articles/YYYYMMDD/YYYYMMDD-PP-NN.txt`` — the article files as they are (article-per-file
  shape, date and 版次 in the name);
* ``pages/YYYYMMDD-01.txt`` — whole front pages: for each day, the page-01 article files
  joined in order, byte for byte (each file already ends with a newline, so an article with
  an empty 引题 starts after a blank line and one with a 引题 starts on the next line);
* ``pages_undated/<id>.txt`` and ``articles_undated/<id>.txt`` — the same texts under names
  without dates, so that dates must come from the text;
* ``truth.jsonl`` — one record per article file and per whole page: date, 版次, order, the
  file's headline lines, and the undated name.

Usage::

    python bench/make_real_corpus.py [--git-dir DIR] [--out DIR]

``--git-dir`` defaults to where ``fetch github:caspiankexin/people-daily-crawler-date`` puts
the snapshot (``/work/.mirror/caspiankexin+people-daily-crawler-date/repo``).  Needs ``py7zr``
(``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GIT_DIR = Path("/work/.mirror/caspiankexin+people-daily-crawler-date/repo")
DEFAULT_OUT = ROOT / "bench" / "real_corpus"
ARCHIVES = (
    ("2019年10月", "3a9e6c1a5a6db27502d8b1a899a8e8fecb569061", "0e607dd825f0cf709bc751a575af426c30f5f67a"),
    ("2020年2月", "0402890871c167ce2b7f76ba9dc9b0fea1bdd67e", "d3f8f1444b45855502443207187996f858516c74"),
)
NAME = re.compile(r"(?P<date>\d{8})-(?P<page>\d{2})-(?P<order>\d{2})\.txt$")


def read_blob(git_dir: Path, blob: str) -> bytes:
    """The bytes of one blob of the fetched repository."""
    out = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "-p", blob], check=True, capture_output=True
    )
    return out.stdout


def article_texts(archive: bytes) -> dict[str, str]:
    """Every ``YYYYMMDD-PP-NN.txt`` in a 7z archive → its text (UTF-8, newlines normalised)."""
    import py7zr

    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp, py7zr.SevenZipFile(io.BytesIO(archive)) as z:
        z.extractall(path=tmp)
        for path in sorted(Path(tmp).rglob("*.txt")):
            m = NAME.search(path.name)
            if m:
                text = path.read_bytes().decode("utf-8", errors="replace")
                out[m.group(0)] = text.replace("\r\n", "\n").replace("\r", "\n")
    return out


def headline_lines(text: str) -> tuple[str, str, str]:
    """The crawler's first three lines: 引题, 主题, 副题 (stripped; '' when empty)."""
    lines = (text.split("\n") + ["", "", ""])[:3]
    return tuple(x.strip().replace("\xa0", " ") for x in lines)  # type: ignore[return-value]


def undated_name(text: str, prefix: str) -> str:
    return f"{prefix}{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}.txt"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def build(git_dir: Path, out: Path) -> dict[str, int]:
    if out.exists():
        shutil.rmtree(out)
    files: dict[str, str] = {}
    for label, blob, commit in ARCHIVES:
        print(f"读取 {label}.7z（blob {blob[:10]}，commit {commit[:10]}）", file=sys.stderr)
        files.update(article_texts(read_blob(git_dir, blob)))
    truth: list[dict] = []
    fronts: dict[str, list[str]] = {}
    for name in sorted(files):
        m = NAME.match(name)
        text = files[name]
        day, page, order = m.group("date"), m.group("page"), int(m.group("order"))
        write(out / "articles" / day / name, text)
        undated = undated_name(text, "a")
        write(out / "articles_undated" / undated, text)
        kicker, title, subtitle = headline_lines(text)
        truth.append(
            {
                "shape": "article",
                "file": f"articles/{day}/{name}",
                "undated": f"articles_undated/{undated}",
                "date": f"{day[:4]}-{day[4:6]}-{day[6:]}",
                "page_no": page,
                "order": order,
                "kicker": kicker,
                "title": title,
                "subtitle": subtitle,
            }
        )
        if page == "01":
            fronts.setdefault(day, []).append(name)
    for day, names in sorted(fronts.items()):
        text = "".join(files[n] if files[n].endswith("\n") else files[n] + "\n" for n in names)
        write(out / "pages" / f"{day}-01.txt", text)
        undated = undated_name(text, "p")
        write(out / "pages_undated" / undated, text)
        truth.append(
            {
                "shape": "page",
                "file": f"pages/{day}-01.txt",
                "undated": f"pages_undated/{undated}",
                "date": f"{day[:4]}-{day[4:6]}-{day[6:]}",
                "page_no": "01",
                "articles": [f"articles/{day}/{n}" for n in names],
            }
        )
    with open(out / "truth.jsonl", "w", encoding="utf-8") as f:
        for rec in truth:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return {"article_files": len(files), "front_pages": len(fronts)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--git-dir", type=Path, default=DEFAULT_GIT_DIR)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if not (args.git_dir / "objects").exists() and not (args.git_dir / "HEAD").exists():
        print(
            f"找不到仓库快照 {args.git_dir}：先用检索工具 fetch github:caspiankexin/people-daily-crawler-date",
            file=sys.stderr,
        )
        return 2
    counts = build(args.git_dir, args.out)
    print(
        f"article files: {counts['article_files']}, whole front pages: {counts['front_pages']} → {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
