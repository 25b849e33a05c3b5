"""Rewrite each notebook's `parameters` cell from its stage (a test requires them to be equal).

The cell names what the runner passes the notebook: ``seed`` with its default, each of the stage's sections
as ``{}`` (the notebook validates it into its section's object; ``{}`` is the defaults), and of the stage's
folders and files (``inputs``, ``upstream``, ``product``, ``cache``) those the notebook reads, with the values
a default build passes. `python -m startup_report.devtools.paramcells` after changing a stage's keys, inputs or
upstream stages.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import nbformat

from startup_report.chain import ALL
from startup_report.engine.stage import Stage
from startup_report.params import SECTIONS, Params

ROOT = Path(__file__).resolve().parents[3]
HEADER = "# Set by the runner (params/*.yaml, -p); a section left {} runs its defaults (docs/parameters.md)."
WIDTH = 118
#: What the runner passes every notebook besides the parameters, and what each is.
PASSED = {
    "inputs": "raw input files",
    "upstream": "output folders of earlier stages",
    "product": "folder this stage writes its outputs to",
    "cache": "content-addressed results shared by every run",
}


def _assign(name: str, value: Any, comment: str = "") -> list[str]:
    """``name = value`` as Python source, a dict's items packed several to a line, at most WIDTH wide."""
    head = f"{name} = {{"
    if not isinstance(value, dict) or not value:
        lines = [f"{name} = {value!r}"]
    else:
        items = [f"{key!r}: {item!r}" for key, item in value.items()]
        lines = [head]
        for i, item in enumerate(items):
            piece = item + ("}" if i == len(items) - 1 else ",")
            joined = lines[-1] + ("" if lines[-1] == head else " ") + piece
            if len(joined) <= WIDTH or lines[-1] == head:
                lines[-1] = joined
            else:
                lines.append(" " * len(head) + piece)
    if comment:
        if len(lines[-1]) + len(comment) + 4 <= WIDTH:
            lines[-1] += f"  # {comment}"
        else:
            lines.insert(0, f"# {name}: {comment}")
    return lines


def _tagged(cell: Any) -> bool:
    return "parameters" in cell.get("metadata", {}).get("tags", [])


def notebook_reads(path: Path) -> set[str]:
    """The names a notebook's code cells (the parameters cell aside) read."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    names: set[str] = set()
    for cell in cells:
        if cell["cell_type"] == "code" and not _tagged(cell):
            tree = ast.parse("".join(cell["source"]))
            names |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return names


def passed(stage: Stage, root: Path = ROOT) -> dict[str, Any]:
    """The folders and files a default build passes the stage, among those its notebook reads."""
    params = Params()
    values: dict[str, Any] = {
        "inputs": {p.name: p.relative_to(root).as_posix() for p in stage.external_inputs(params, root)},
        "upstream": {name: f"build/{name}" for name in stage.upstream},
        "product": f"build/{stage.name}",
    }
    if stage.cache:
        values["cache"] = "build/cache"
    reads = notebook_reads(root / stage.source)
    return {name: value for name, value in values.items() if name in reads}


def cell_values(stage: Stage, root: Path = ROOT) -> dict[str, Any]:
    """What the cell assigns: the stage's keys (a section as ``{}``, ``seed`` as its default), then ``passed``."""
    defaults = Params().model_dump(mode="json")
    keys = {key: {} if key in SECTIONS else defaults[key] for key in stage.keys}
    return keys | passed(stage, root)


def cell_source(stage: Stage, root: Path = ROOT) -> str:
    lines = [HEADER]
    for name, value in cell_values(stage, root).items():
        note = f"the {name} section, validated below" if name in SECTIONS else PASSED.get(name, "")
        lines += _assign(name, value, note)
    return "\n".join(lines)


def rewrite(root: Path = ROOT) -> list[str]:
    changed = []
    for stage in ALL:
        path = root / stage.source
        notebook = nbformat.read(path, as_version=4)
        cells = [c for c in notebook.cells if _tagged(c)]
        if not cells:
            continue
        source = cell_source(stage, root)
        if cells[0].source != source:
            cells[0].source = source
            nbformat.write(notebook, path)
            changed.append(stage.source)
    return changed


if __name__ == "__main__":
    for name in rewrite():
        print(f"rewrote the parameters cell of {name}")
