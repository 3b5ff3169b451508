"""The package layout shows the architecture: packages by role, no import cycles between them, nothing loose at
the top, and a docstring in every package saying what it holds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import REPO

SRC = REPO / "src" / "counterclaim"
TOP_LEVEL_ALLOWED = {"__init__.py", "__main__.py", "errors.py"}  # errors.py: the base of every package's errors
PACKAGES = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())


def _imports(path: Path) -> set[str]:
    """The counterclaim packages a module imports (at any depth of the file)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "counterclaim" and len(parts) > 1 and parts[1] in PACKAGES:
                found.add(parts[1])
    return found


def _graph() -> dict[str, set[str]]:
    graph = {package: set() for package in PACKAGES}
    for package in PACKAGES:
        for path in (SRC / package).rglob("*.py"):
            graph[package] |= _imports(path) - {package}
    return graph


def test_nothing_but_the_entry_points_and_errors_sits_at_the_top():
    loose = {p.name for p in SRC.glob("*.py")} - TOP_LEVEL_ALLOWED
    assert not loose, f"modules at the package top: {sorted(loose)}; move them into a package by role"


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_says_what_it_holds(package):
    doc = ast.get_docstring(ast.parse((SRC / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc) > 40, f"{package}/__init__.py needs a docstring saying what the package holds"


def test_packages_import_each_other_without_cycles():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for other in sorted(graph[node]):
            if state.get(other) == 1:
                raise AssertionError("import cycle: " + " -> ".join(trail + [node, other]))
            if other not in state:
                visit(other, trail + [node])
        state[node] = 2

    for package in PACKAGES:
        if package not in state:
            visit(package, [])


def test_pure_packages_do_no_http_and_start_no_processes():
    """labelstudio/ and model/ are pure: no HTTP client, no server, no subprocesses."""
    for package in ("labelstudio", "model", "validation"):
        for path in (SRC / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for word in ("import httpx", "import subprocess", "label_studio_sdk", "counterclaim.studio"):
                assert word not in text, f"{path.relative_to(SRC)} uses {word}"
