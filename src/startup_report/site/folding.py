"""Readers first: fold code in the site so narrative, tables and figures read top to bottom.

The executed notebooks in ``build/`` keep their code as it ran; only the copies the book is built from
are tagged. Jupyter Book shows a folded cell as a one-click "Show code cell source" toggle.
"""

from __future__ import annotations

import ast
import pprint
from pathlib import Path

FOLD = "hide-input"
PARAMETER_TAGS = {"parameters", "injected-parameters"}
KEEP = {FOLD, "remove-input", "remove-cell"}  # already hidden, or hidden more


def fold(cell: dict, every: bool) -> bool:
    """Tag one code cell as folded: every code cell when ``every``, else only the parameter cells.

    True when the cell changed.
    """
    tags = cell.get("metadata", {}).get("tags", [])
    if cell.get("cell_type") != "code" or KEEP & set(tags):
        return False
    if not every and not PARAMETER_TAGS & set(tags):
        return False
    cell.setdefault("metadata", {})["tags"] = [*tags, FOLD]
    return True


def readable_parameters(source: str) -> str:
    """The runner's parameters cell with each section's values one to a line, as a reader unfolds it.

    Papermill writes each parameter on one line, and a section arrives as one dict: the market's would be a
    line of some 3,000 characters. A cell that is not plain assignments of literals is returned unchanged.
    """
    try:
        body = ast.parse(source).body
        values = [(node.targets[0].id, ast.literal_eval(node.value)) for node in body]  # type: ignore[attr-defined]
    except (SyntaxError, ValueError, AttributeError, IndexError, TypeError):
        return source
    lines = [line for line in source.splitlines() if line.startswith("#")][:1]
    for name, value in values:
        text = pprint.pformat(value, width=116 - len(name), sort_dicts=False)
        lines.append(f"{name} = " + text.replace("\n", "\n" + " " * (len(name) + 3)))
    return "\n".join(lines)


def fold_notebook(path: Path, every: bool) -> int:
    """Fold the code cells of the notebook at ``path`` in place, its injected parameters laid out to read; the
    number of cells folded."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = readable_parameters(cell.source)
    folded = sum(fold(cell, every) for cell in notebook.cells)
    if folded:
        nbformat.write(notebook, path)
    return folded
