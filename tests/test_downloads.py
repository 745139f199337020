"""Every download button of the app gets its bytes from pinghu_core.common.exports (the one exporter),
and builds them only when clicked.

AppTest cannot read a download button's bytes, so this reads the source.  The pages draw their
buttons with ``pinghu_app.widgets``: ``table_download`` (a frame, or a function giving one, through
``widgets.table_bytes`` → exports) or ``file_download``, whose ``data`` must be built by
``exports.csv_bytes`` / ``xlsx_bytes`` / ``jsonl_bytes`` (wrapped in ``functools.partial``), by a
named delegate that itself ends in exports, or be a PNG image or a document (the 简报's Word and Markdown).  A ``download_button`` drawn directly
by a page is held to the same rule.  What exports does to every cell is tested in test_exports.py.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pandas as pd
import pytest

from pinghu_app import widgets
from pinghu_core.common import exports
from pinghu_core.search import view as search_views

ROOT = Path(__file__).resolve().parents[1]
# the pages and the sections they call (pinghu_app; widgets.py is where the button itself is drawn)
PAGES = sorted(
    [
        *(ROOT / "pages").glob("*.py"),
        *(p for p in (ROOT / "pinghu_app").glob("*.py") if p.name != "widgets.py"),
    ]
)
DIRECT = ("download_button", "widgets.file_download")  # (label, data, …): data checked
TABLES = "widgets.table_download"  # (label, table, …): the table goes through widgets.table_bytes
EXPORTERS = {"exports.csv_bytes", "exports.xlsx_bytes", "exports.jsonl_bytes"}
DELEGATES = {  # → exports (checked below); by their own module's name inside pinghu_app
    "app_search.search_download",
    "app_words.kwic_csv_all",
    "search_download",
    "kwic_csv_all",
}


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


def assignments(tree: ast.Module) -> dict[str, ast.AST]:
    """Name → the expression last assigned to it anywhere in the page."""
    found: dict[str, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
    return found


def built_by_exports(expr: ast.AST, names: dict[str, ast.AST], depth: int = 0) -> bool:
    if isinstance(expr, ast.Name) and expr.id in names and depth < 5:
        return built_by_exports(names[expr.id], names, depth + 1)
    if not isinstance(expr, ast.Call):
        return False
    func = dotted(expr.func)
    if func in ("functools.partial", "partial") and expr.args:
        func = dotted(expr.args[0])
    return func in EXPORTERS | DELEGATES


def download_calls() -> list[tuple[str, ast.Call, dict[str, ast.AST]]]:
    calls = []
    for path in PAGES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = assignments(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and dotted(node.func).endswith((*DIRECT, TABLES)):
                calls.append((f"{path.name}:{node.lineno}", node, names))
    return calls


def argument(call: ast.Call, position: int, name: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return call.args[position] if len(call.args) > position else None


def test_the_pages_have_download_buttons() -> None:
    assert len(download_calls()) >= 30  # the check below is not vacuous (36: pages and their sections)


@pytest.mark.parametrize(
    ("where", "call", "names"), download_calls(), ids=[w for w, _, _ in download_calls()]
)
def test_every_download_is_built_by_the_exporter(where: str, call: ast.Call, names: dict) -> None:
    if dotted(call.func).endswith(TABLES):
        return  # widgets.table_bytes → exports (checked below)
    data, mime, fmt = argument(call, 1, "data"), argument(call, 3, "mime"), argument(call, 99, "fmt")
    if any(isinstance(m, ast.Constant) and m.value in ("image/png", "png") for m in (mime, fmt)):
        return  # a word-cloud picture, not a table
    if any(isinstance(m, ast.Constant) and m.value in ("docx", "md") for m in (mime, fmt)):
        return  # the 简报 as a document (pinghu_core.brief renders it; tests/test_brief.py reads it back)
    assert data is not None and built_by_exports(data, names), (
        f"{where}: a table download must be made by pinghu_core.common.exports (csv_bytes/xlsx_bytes/jsonl_bytes), "
        f"not by {ast.unparse(data) if data is not None else 'nothing'}"
    )


def test_downloads_are_built_when_clicked_and_tables_go_through_the_exporter(monkeypatch) -> None:
    """The widgets give Streamlit a function (called when the file is asked for) and do not rerun the
    page on a click; a table — a frame or a function giving one — becomes bytes in exports only."""
    drawn: list[dict] = []

    class Where:
        def download_button(self, label, data, **kw):
            drawn.append({"label": label, "data": data, **kw})

    built: list[str] = []
    table = pd.DataFrame({"标题": ["=1+1"], "n": [1]})

    def later() -> pd.DataFrame:
        built.append("table")
        return table

    widgets.table_download("下载", later, "a.csv", "k1", where=Where())
    widgets.table_download("下载", table, "a.xlsx", "k2", fmt="xlsx", sheet="表", where=Where())
    assert built == [] and all(callable(d["data"]) and d["on_click"] == "ignore" for d in drawn)
    assert drawn[0]["data"]() == exports.csv_bytes(table) and built == ["table"]
    assert drawn[1]["mime"] == widgets.MIME["xlsx"] and drawn[1]["data"]()[:2] == b"PK"
    src = inspect.getsource(widgets.table_bytes)
    assert "exports.xlsx_bytes(" in src and "exports.csv_bytes(" in src and "to_csv" not in src
    src = inspect.getsource(widgets.file_download)
    assert 'on_click="ignore"' in src and src.count("download_button(") == 1


def test_no_page_draws_a_download_button_itself() -> None:
    """One way to draw a download: pinghu_app.widgets (built when clicked, the exporter's bytes)."""
    direct = [w for w, call, _ in download_calls() if dotted(call.func).endswith("download_button")]
    assert direct == []


def test_the_search_download_delegate_ends_in_the_exporter() -> None:
    app = PAGES[0].parents[1] / "pinghu_app"
    search_src = (app / "search.py").read_text(encoding="utf-8")
    delegate = search_src[search_src.index("def search_download(") :].split("\ndef ", 1)[0]
    assert "sv.download_bytes(" in delegate
    words_src = (app / "words.py").read_text(encoding="utf-8")
    delegate = words_src[words_src.index("def kwic_csv_all(") :].split("\ndef ", 1)[0]
    assert "return exports.csv_bytes(" in delegate
    src = inspect.getsource(search_views.download_bytes)
    assert src.count("return exports.") == 3 and "to_csv" not in src


def test_core_writes_csv_and_xlsx_only_in_exports() -> None:
    core = Path(exports.__file__).parents[1]
    writers = ("to_csv(", "to_excel(", "csv.writer(", "Workbook(")
    offenders = [
        p.name
        for p in core.rglob("*.py")
        if p.name != "exports.py" and any(w in p.read_text(encoding="utf-8") for w in writers)
    ]
    assert offenders == []
