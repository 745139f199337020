"""The house rules that keep imports going one way (read from the source, no imports run).

* ``pinghu_core`` never imports Streamlit, nor the app side (``pinghu_app``, ``dashboard``,
  ``serve``, ``pages``);
* no module imports another module's private name (``from .charts import _base_layout``, or
  ``layout._match_headlines`` from outside ``layout``): what is shared is public, so a reader
  sees from a name alone whether other modules depend on it;
* the app side has no cycle: entry point and pages → ``pinghu_app`` → core, and ``pinghu_app``
  never imports the entry point or a page (its own layers are an import-linter contract);
* pages never parse: no ``re`` import in ``pages/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

CORE = sorted((ROOT / "pinghu_core").rglob("*.py"))
APP = [
    *sorted((ROOT / "pinghu_app").glob("*.py")),
    ROOT / "dashboard.py",
    ROOT / "serve.py",
    *sorted((ROOT / "pages").glob("*.py")),
]
BENCH = sorted((ROOT / "bench").glob("*.py"))
PROJECT_MODULES = {p.stem for p in CORE} | {p.name for p in (ROOT / "pinghu_core").iterdir() if p.is_dir()}
PROJECT_MODULES |= {"pinghu_app", "dashboard", "serve", "pinghu_core"}


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(module: ast.Module) -> set[str]:
    out = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize("path", CORE, ids=lambda p: dotted(p))
def test_the_core_never_imports_streamlit_or_the_app(path: Path) -> None:
    bad = imported_modules(tree(path)) & {
        "streamlit",
        "pinghu_app",
        "dashboard",
        "serve",
        "pages",
    }
    assert not bad, f"{path.name} imports {sorted(bad)}"


def private_imports(path: Path) -> list[str]:
    """``from <project module> import _name`` and ``<alias of a project module>._name``."""
    module = tree(path)
    aliases: dict[str, str] = {}
    found = []
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom):
            source = (node.module or "").split(".")[-1] if node.module else ""
            project = node.level > 0 or (node.module or "").split(".")[0] in PROJECT_MODULES
            for a in node.names:
                if project and a.name.startswith("_") and not a.name.startswith("__"):
                    found.append(f"from {'.' * node.level}{node.module or ''} import {a.name}")
                if project and a.name in PROJECT_MODULES:  # from pinghu_core import layout (as L)
                    aliases[a.asname or a.name] = a.name
            del source
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[-1] in PROJECT_MODULES:
                    aliases[a.asname or a.name.split(".")[-1]] = a.name
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", CORE + APP + BENCH, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_is_used_across_modules(path: Path) -> None:
    assert private_imports(path) == []


def test_the_check_sees_a_private_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from .charts import _base_layout\nfrom pinghu_core import layout as L\nL._x()\n", encoding="utf-8"
    )
    assert private_imports(probe) == ["from .charts import _base_layout", "L._x"]


@pytest.mark.parametrize(
    "path",
    [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "pinghu_app").glob("*.py"))],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_pages_never_parse(path: Path) -> None:
    """Neither a page nor the app-side sections it calls: parsing belongs in pinghu_core."""
    assert "re" not in imported_modules(tree(path)), f"{path.name} imports re: parsing belongs in pinghu_core"


def all_imports(path: Path) -> set[str]:
    """Every module name imported anywhere in the file (also inside functions)."""
    return imported_modules(tree(path))


def test_the_app_side_imports_go_one_way() -> None:
    """dashboard.py and pages/ → pinghu_app → pinghu_core, never back (no import inside a function
    either: an old app_cache → dashboard cycle hid in one)."""
    for module in sorted((ROOT / "pinghu_app").glob("*.py")):
        assert all_imports(module) & {"dashboard", "serve", "pages"} == set(), module.name
    for page in sorted((ROOT / "pages").glob("*.py")):
        assert all_imports(page) & {"dashboard", "serve"} == set(), page.name


def dotted(path: Path) -> str:
    """pinghu_core/parse/layout.py → 'pinghu_core.parse.layout' (a package → its own name)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def core_graph() -> dict[str, set[str]]:
    """Module → the pinghu_core modules it imports (anywhere in the file, lazy imports included)."""
    names = {dotted(p) for p in CORE if p.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for path in CORE:
        if path.stem == "__init__":
            continue
        deps = set()
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{dotted(path)}: relative import (the core imports absolutely)")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pinghu_core"):
                deps.add(node.module)
                deps |= {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[dotted(path)] = (deps & names) - {dotted(path)}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_core_has_no_import_cycle() -> None:
    """Imports inside the core go one way too (the cli ↔ words_cli and progress ↔ pipeline cycles
    were broken by moving what both needed: cli_common, progress.plausible_milestones)."""
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]  # the check sees one
    graph = core_graph()
    assert len(graph) >= 50 and "pinghu_core.parse.layout" in graph["pinghu_core.parse.pipeline"]
    assert cycles(graph) == []
