"""The package read as layers: each folder (or top-level module) stands above every one it imports.

Data flows one way: the engine at the bottom knows nothing of the report; the domains compute (data,
modeling, evaluation, market, privacy), using report's figures and wording helpers; the chain declares the
stages; sweep runs scenarios of it; site renders the book and its generated pages (a sweep's comparison, the
What if? page); the command line and the developer tools sit on top.
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
    "data",
    "modeling",
    "report",
    "evaluation",
    "market",
    "privacy",
    "params",
    "stages",
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


def _type_only(tree: ast.Module) -> set[int]:
    """Ids of the import nodes under ``if TYPE_CHECKING:``: names for annotations, never imported at run time."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return found


def imports(type_only: bool = True) -> dict[str, set[str]]:
    """Each package module's direct imports of package modules (any depth in the file, lazy ones too; those
    made for annotations only when ``type_only``)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name, found = _name(path), set()
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = set() if type_only else _type_only(tree)
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
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
    """At run time: a name imported for annotations only (under ``TYPE_CHECKING``) runs no import."""
    graph = imports(type_only=False)
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
