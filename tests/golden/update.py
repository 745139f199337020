"""Regenerate the golden files from the current parser: ``python tests/golden/update.py``.

Only do this after reading the diff (``git diff tests/golden``) against the pages by hand:
the golden files are what a careful reader sees on the five sample pages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pinghu_core.parse.pipeline import page_id_for, process_text  # noqa: E402

FIELDS = (
    "kind",
    "column_name",
    "kicker",
    "title",
    "subtitle",
    "reporters",
    "correspondents",
    "photographers",
    "interns",
    "authors",
    "byline_inferred",
    "continued",
    "duplicates_dropped",
    "lines",
    "body",
)


def golden_for(path: Path) -> dict:
    data = path.read_bytes()
    frames = process_text(data.decode("utf-8"), path.name, page_id=page_id_for(data))
    page = frames.page.iloc[0]
    items = []
    for row in frames.articles.to_dict("records"):
        item = {k: row[k] for k in FIELDS}
        item = {k: (list(v) if isinstance(v, list) else v) for k, v in item.items()}
        item["byline_inferred"] = bool(item["byline_inferred"])
        item["continued"] = bool(item["continued"])
        item["duplicates_dropped"] = int(item["duplicates_dropped"])
        items.append(item)
    return {
        "source": path.name,
        "date": page["date"].date().isoformat() if not str(page["date"]) == "NaT" else None,
        "date_source": str(page["date_source"]),
        "layout": str(page["layout"]),
        "items": items,
    }


def main() -> None:
    for path in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        out = Path(__file__).parent / (path.stem + ".json")
        out.write_text(json.dumps(golden_for(path), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("wrote", out.relative_to(ROOT))


if __name__ == "__main__":
    main()
