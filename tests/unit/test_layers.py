"""Imports point down the layers declared in ``app/layers.py``, with no exceptions."""

import ast
from pathlib import Path

import pytest

from app.layers import LAYERS

APP = Path(__file__).resolve().parents[2] / "app"
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def unit(module: str) -> str:
    """The package (or top-level module) of ``app`` a dotted module name belongs to."""
    return module.split(".")[1]


def imported(tree: ast.AST, module: str) -> set[str]:
    """Every ``app`` module the code imports, at module level or inside functions, absolute or relative."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")[: -node.level]
                base = ".".join([*parent, base] if base else parent)
            found.update([f"app.{alias.name}" for alias in node.names] if base == "app" else [base])
    return {name for name in found if name.startswith("app.")}


def violations(source: str, module: str) -> list[str]:
    """What is wrong with one module's imports: a package not in the layers, or an import up or sideways."""
    here = unit(module)
    if here not in RANK:
        return [f"{module}: {here} is in no layer of app/layers.py"]
    problems = []
    for name in sorted(imported(ast.parse(source), module)):
        there = unit(name)
        if there == here:
            continue
        if there not in RANK:
            problems.append(f"{module} imports {name}: {there} is in no layer of app/layers.py")
        elif RANK[there] > RANK[here]:
            problems.append(f"{module} imports {name}: up from {here} to {there}")
        elif RANK[there] == RANK[here]:
            problems.append(f"{module} imports {name}: sideways from {here} to {there}")
    return problems


def modules() -> dict[str, Path]:
    """Every module of ``app`` but Alembic's scripts (run, never imported) and this declaration."""
    found = {}
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(APP.parent).with_suffix("").parts
        if "migrations" in parts or parts in {("app", "__init__"), ("app", "layers")}:
            continue
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = modules()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_it_imports_only_down_the_layers(module):
    assert violations(MODULES[module].read_text(), module) == []


def test_it_refuses_an_import_up_the_layers():
    assert violations("from app.visits.service import sign\n", "app.jobs.lifecycle") == [
        "app.jobs.lifecycle imports app.visits.service: up from jobs to visits"
    ]


def test_it_refuses_an_import_inside_a_function():
    source = "def load():\n    from app.sync import idempotency\n"
    assert violations(source, "app.core.database") == ["app.core.database imports app.sync: up from core to sync"]


def test_it_refuses_an_import_sideways_within_a_layer():
    assert violations("import app.carryin.service\n", "app.followups.routes") == [
        "app.followups.routes imports app.carryin.service: sideways from followups to carryin"
    ]


def test_it_resolves_relative_imports():
    assert violations("from ..reports import kpis\n", "app.parts.stats") == [
        "app.parts.stats imports app.reports: up from parts to reports"
    ]


def test_it_allows_imports_down_and_within_a_package():
    source = "from app.core.web import DomainError\nfrom app.jobs import board_log\nfrom app.visits import engine\n"
    assert violations(source, "app.visits.service") == []


def test_it_refuses_a_package_in_no_layer():
    assert violations("", "app.gadgets.routes") == ["app.gadgets.routes: gadgets is in no layer of app/layers.py"]
    assert violations("from app import gadgets\n", "app.main") == [
        "app.main imports app.gadgets: gadgets is in no layer of app/layers.py"
    ]
