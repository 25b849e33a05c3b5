"""What a stage's results depend on besides its parameters and files: the code it imports and the environment.

A stage is keyed by the modules of the project's package (a :class:`Code`, handed in by the chain) that its
notebook imports, followed transitively through their own imports (read with ``ast``, never executed), plus
the installed distributions. Editing a plotting module then reruns only the stages whose notebooks reach it,
and upgrading a dependency reruns everything.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path


@dataclass(frozen=True)
class Code:
    """One Python package read as source: its modules, the package modules each imports, their hashes."""

    package: str  # the import name, e.g. ``mypackage``
    folder: Path  # the folder of its ``__init__.py``

    @classmethod
    def of(cls, package: str) -> Code:
        """The installed (or importable) package ``package``, found without importing it."""
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError(f"no package {package!r} to fingerprint")
        return cls(package, Path(spec.origin).resolve().parent)

    def environment_sha256(self) -> str:
        """The installed distributions and their versions, but the one that ships this package: its code is
        hashed module by module, so a version bump alone reruns nothing."""
        return digest(environment(_distributions_of(self.package)))

    def module_file(self, name: str) -> Path | None:
        """The source file of ``package.x.y`` (a module or a package's __init__), if it exists."""
        parts = name.split(".")
        if parts[0] != self.package:
            return None
        base = self.folder.joinpath(*parts[1:])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None

    def imports_in_source(self, source: str) -> set[str]:
        """Package modules named by the import statements of ``source`` (any depth, lazy imports included)."""
        found: set[str] = set()
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return found
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.split(".")[0] == self.package)
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == self.package:
                found.add(node.module)
                # `from pkg.report import plots` names a module; `from pkg.layout import Layout` a symbol (ignored).
                named = (f"{node.module}.{alias.name}" for alias in node.names)
                found.update(name for name in named if self.module_file(name))
        return {name for name in found if self.module_file(name)}

    def imports(self, name: str) -> frozenset[str]:
        """The package modules that module ``name`` imports directly, parsed once per process."""
        return _imports(self, name)

    def closure(self, modules: Iterable[str]) -> set[str]:
        """Every package module reached from ``modules`` through imports (including package __init__ files)."""
        todo = list(modules)
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            todo.extend(self.imports(name) | {p for p in _parents(name) if self.module_file(p)})
        return seen

    def module_hashes(self, modules: Iterable[str]) -> dict[str, str]:
        """SHA-256 of each module's source file, by dotted name."""
        out = {}
        for name in sorted(modules):
            path = self.module_file(name)
            if path is not None:
                out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        return out

    def notebook_code(self, path: Path) -> dict[str, str]:
        """The code a notebook runs: its package imports, transitively, each with its source hash."""
        return self.module_hashes(self.closure(self.imports_in_source(notebook_source(path))))


@cache
def _imports(code: Code, name: str) -> frozenset[str]:
    path = code.module_file(name)
    return frozenset(code.imports_in_source(path.read_text(encoding="utf-8"))) if path else frozenset()


def _parents(name: str) -> set[str]:
    """Importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` too."""
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def notebook_source(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "code")


def digest(items: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()


@cache
def environment(exclude: frozenset[str] = frozenset()) -> dict[str, str]:
    """Installed distributions and their versions, but those named in ``exclude``; read once per process."""
    found = {}
    for dist in metadata.distributions():
        name = _normal(dist.metadata["Name"] or "")
        if name and name not in exclude:
            found[name] = dist.version
    return dict(sorted(found.items()))


@cache
def _distributions_of(package: str) -> frozenset[str]:
    return frozenset(_normal(name) for name in metadata.packages_distributions().get(package, ()))


def _normal(name: str) -> str:
    return name.lower().replace("_", "-")


def changed(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Names whose hash differs, appeared or disappeared."""
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
