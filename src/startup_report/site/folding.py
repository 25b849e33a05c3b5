"""Readers first: fold code in the site so narrative, tables and figures read top to bottom.

The executed notebooks in ``build/`` keep their code as it ran; only the copies the book is built from
are tagged. Jupyter Book shows a folded cell as a one-click "Show code cell source" toggle.
"""

from __future__ import annotations

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


def fold_notebook(path: Path, every: bool) -> int:
    """Fold the code cells of the notebook at ``path`` in place; the number of cells folded."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    folded = sum(fold(cell, every) for cell in notebook.cells)
    if folded:
        nbformat.write(notebook, path)
    return folded
