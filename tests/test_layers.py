"""The package read as layers: each folder (or top-level module) stands above every one it imports.

Data flows one way: the engine at the bottom knows nothing of the report; the domains (data, modeling,
evaluation, market, privacy) compute; report draws and words what they computed; the chain declares the
stages; sweep runs scenarios of it; site renders; the command line and the developer tools sit on top.
No module imports itself back through others (a circle), and the few imports that climb a floor are named
here, each with the reason it is allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "startup_report"

#: Floors from the ground up; a unit imports only units on its own floor or below.
FLOORS = (
    "engine",
    "section",
    "params",
    "data",
    "modeling",
    "evaluation",
    "market",
    "privacy",
    "report",
    "chain",
    "sweep",
    "site",
    "cli",
    "devtools",
)

#: Imports allowed to climb (importing module, imported module), at most two.
UPWARD: set[tuple[str, str]] = set()


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exists(name: str) -> bool:
    base = PACKAGE.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports() -> dict[str, set[str]]:
    """Each package module's direct imports of package modules (any depth in the file, lazy ones too)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name, found = _name(path), set()
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    module = ".".join([*base, module] if module else base)
                targets = [module, *(f"{module}.{alias.name}" for alias in node.names)]
            else:
                continue
            for target in targets:
                while target and not _exists(target):
                    target = target.rpartition(".")[0]
                if target.startswith("startup_report.") and target != name:
                    found.add(target)
        graph[name] = found
    return graph


def unit(module: str) -> str:
    """The folder (or top-level module) a module belongs to: its floor's name."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "startup_report"


def floor(module: str) -> int:
    return FLOORS.index(unit(module)) if unit(module) in FLOORS else len(FLOORS)


def test_every_folder_and_top_level_module_has_a_floor():
    units = {unit(name) for name in imports()} - {"startup_report"}
    assert units == set(FLOORS)


def test_the_engine_imports_nothing_else_from_the_package():
    found = {(name, target) for name, targets in imports().items() if unit(name) == "engine"
             for target in targets if unit(target) != "engine"}  # fmt: skip
    assert found == set()


def test_no_import_climbs_a_floor_but_the_named_ones():
    assert len(UPWARD) <= 2
    climbing = {(name, target) for name, targets in imports().items() for target in targets
                if floor(target) > floor(name)}  # fmt: skip
    assert climbing == UPWARD


def test_no_module_imports_itself_back():
    graph = imports()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                circles.append([*path[path.index(target):], target] if target in path else [name, target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []
