"""What a stage's results depend on besides its parameters and files: the code it imports and the environment.

A stage is keyed by the package modules its notebook imports, followed transitively through their own
imports (read with ``ast``, never executed), plus the installed distributions. Editing a plotting module
then reruns only the stages whose notebooks reach it, and upgrading a dependency reruns everything.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE = "startup_report"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _module_file(name: str) -> Path | None:
    """The source file of ``startup_report.x.y`` (a module or a package's __init__), if it exists."""
    parts = name.split(".")[1:]
    base = PACKAGE_DIR.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imports_in_source(source: str) -> set[str]:
    """Package modules named by the import statements of ``source`` (any depth, lazy imports included)."""
    found: set[str] = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == PACKAGE:
            found.add(node.module)
            # `from startup_report.report import plots` names a module; `import Layout` a symbol (ignored).
            found.update(
                f"{node.module}.{alias.name}" for alias in node.names if _module_file(f"{node.module}.{alias.name}")
            )
    return {name for name in found if _module_file(name)}


def _parents(name: str) -> set[str]:
    """Importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` too."""
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _imports_by_module() -> dict[str, list[str]]:
    """Each package module's direct package imports, parsed from its source (never executed), once per process."""
    files = {_module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}
    return {name: sorted(imports_in_source(path.read_text(encoding="utf-8"))) for name, path in files.items()}


@cache
def _direct(name: str) -> frozenset[str]:
    return frozenset(_imports_by_module().get(name, ())) if _module_file(name) else frozenset()


def closure(modules: Iterable[str]) -> set[str]:
    """Every package module reached from ``modules`` through imports (including package __init__ files)."""
    todo = list(modules)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_direct(name) | {p for p in _parents(name) if _module_file(p)})
    return seen


def notebook_source(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "code")


def module_hashes(modules: Iterable[str]) -> dict[str, str]:
    """SHA-256 of each module's source file, by dotted name."""
    out = {}
    for name in sorted(modules):
        path = _module_file(name)
        if path is not None:
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def notebook_code(path: Path) -> dict[str, str]:
    """The code a notebook runs: its package imports, transitively, each with its source hash."""
    return module_hashes(closure(imports_in_source(notebook_source(path))))


def digest(items: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()


@cache
def environment() -> dict[str, str]:
    """Installed distributions and their versions (this project itself excluded: its code is hashed), read once
    per process."""
    found = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name and name != "startup-report":
            found[name] = dist.version
    return dict(sorted(found.items()))


def environment_sha256() -> str:
    return digest(environment())


def changed(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Names whose hash differs, appeared or disappeared."""
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
