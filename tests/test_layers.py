"""The architecture, enforced: imports run one way, files -> documents -> tokens -> index.

Read with the standard library's ``ast``, no dependency: every ``import`` of a searchlib module
at module level (not inside a function, nor under ``if TYPE_CHECKING:``) must be allowed by
:data:`ALLOWED` for the importing module's layer; the module-level import graph has no cycle;
and every module imports on its own in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import searchlib

PACKAGE = Path(searchlib.__file__).parent

# Modules every layer may use: the exceptions, the version, the Whoosh adapter.
BASE = ("searchlib.errors", "searchlib._version", "searchlib._whoosh")

#: layer -> the searchlib modules (or packages, by prefix) its modules may import at load time.
ALLOWED: dict[str, tuple[str, ...]] = {
    "searchlib.errors": (),
    "searchlib._version": (),
    "searchlib._whoosh": (),
    "searchlib.documents": (*BASE, "searchlib.documents"),
    "searchlib.analysis": (*BASE, "searchlib.analysis"),
    "searchlib.index": (*BASE, "searchlib.analysis", "searchlib.documents", "searchlib.index"),
    # search reads the schema (field names, stored documents), never the Index class.
    "searchlib.search": (*BASE, "searchlib.analysis", "searchlib.index.schema", "searchlib.search"),
    "searchlib.seeds": (*BASE, "searchlib.analysis", "searchlib.documents", "searchlib.index"),
    # export sits on top of search: the analysis rebuilt for a cluster, the schema's fields, the
    # stored documents and the query parser, turned into what OpenSearch/Elasticsearch read.
    "searchlib.export": (
        *BASE,
        "searchlib.analysis",
        "searchlib.documents",
        "searchlib.index",
        "searchlib.search",
        "searchlib.export",
    ),
    # The CLI is a thin layer over the public API.
    "searchlib.cli": ("searchlib",),
    "searchlib.__main__": ("searchlib.cli",),
    # The package only re-exports the four stages' public names.
    "searchlib": (
        *BASE,
        "searchlib.analysis",
        "searchlib.documents",
        "searchlib.index",
        "searchlib.search",
        "searchlib.seeds",
        "searchlib.export",
    ),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py"))


def _layer(module: str) -> str:
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    raise AssertionError(f"{module} belongs to no layer: add it to ALLOWED")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def load_time_imports(module: str) -> set[str]:
    """The searchlib modules ``module`` imports when it is loaded."""
    path = PACKAGE.parent.joinpath(*module.split("."))
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    tree = ast.parse(source.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("searchlib"))
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.startswith("searchlib"):
                    # `from searchlib.analysis import resources` imports a submodule (its
                    # package is already loading); anything else imports names of the module.
                    submodules = {f"{node.module}.{a.name}" for a in node.names} & set(MODULES)
                    found.update(submodules or {node.module})
            elif isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{module}: use absolute imports")
            elif isinstance(node, ast.If) and not _is_type_checking(node):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)

    visit(tree.body)
    return found


def _allowed(layer: str, imported: str) -> bool:
    # "searchlib" allows the top-level package itself (the public API), not everything under it.
    return any(
        imported == a or (a != "searchlib" and imported.startswith(a + ".")) for a in ALLOWED[layer]
    )


@pytest.mark.parametrize("module", MODULES)
def test_imports_run_one_way(module: str) -> None:
    layer = _layer(module)
    wrong = sorted(m for m in load_time_imports(module) if not _allowed(layer, m))
    assert not wrong, f"{module} ({layer}) may not import {wrong} at load time"


def test_the_rules_catch_a_backward_import() -> None:
    assert not _allowed("searchlib.search", "searchlib.index.core")
    assert not _allowed("searchlib.documents", "searchlib.analysis")
    assert not _allowed("searchlib.cli", "searchlib.index")
    assert _allowed("searchlib.index", "searchlib.analysis.fingerprint")
    # Nothing below the export layer reaches up into it.
    for layer in ("searchlib.analysis", "searchlib.index", "searchlib.search"):
        assert not _allowed(layer, "searchlib.export.analysis")
    assert _allowed("searchlib.export", "searchlib.search.query")


def test_no_import_cycle() -> None:
    graph = {m: {i for i in load_time_imports(m) if i in MODULES and i != m} for m in MODULES}
    done: set[str] = set()

    def walk(node: str, path: list[str]) -> None:
        if node in path:
            cycle = [*path[path.index(node) :], node]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if node in done:
            return
        for child in sorted(graph[node]):
            # A package's __init__ importing its own submodules is not a cycle back.
            if not (child.startswith(node + ".") and node in path[:1]):
                walk(child, [*path, node])
        done.add(node)

    for module in MODULES:
        walk(module, [])


@pytest.mark.parametrize("module", [m for m in MODULES if m != "searchlib.__main__"])
def test_every_module_imports_on_its_own(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_public_names_are_the_packages_all() -> None:
    import searchlib.analysis
    import searchlib.documents
    import searchlib.index
    import searchlib.search

    for package in (searchlib, searchlib.analysis, searchlib.documents, searchlib.index):
        assert all(hasattr(package, name) for name in package.__all__), package.__name__
    for name in searchlib.search.__all__:
        assert hasattr(searchlib.search, name)
