"""Rewrite each notebook's `parameters` cell from the schema defaults (a test requires them to be equal).

`python -m startup_report.devtools.paramcells` after adding or changing a parameter: the runner injects the
effective values at run time; the cell shows the defaults to a reader and lets a notebook run on its own.
"""

from __future__ import annotations

import pprint
from pathlib import Path

import nbformat

from startup_report.chain import ALL
from startup_report.engine.stage import Stage
from startup_report.params import Params, flatten

ROOT = Path(__file__).resolve().parents[3]
HEADER = "# Defaults: equal to params/default.yaml (the runner passes the effective values)."


def _assign(name: str, value: object, comment: str = "") -> str:
    text = pprint.pformat(value, width=118 - len(name) - 3, sort_dicts=False)
    text = text.replace("\n", "\n" + " " * (len(name) + 3))
    return f"{name} = {text}" + (f"  # {comment}" if comment else "")


def cell_source(stage: Stage, root: Path = ROOT) -> str:
    params = Params()
    lines = [HEADER] + [_assign(name, value) for name, value in flatten(params, stage.keys).items()]
    inputs = {p.name: p.relative_to(root).as_posix() for p in stage.external_inputs(params, root)}
    lines.append(_assign("inputs", inputs, "raw input files"))
    lines.append(
        _assign("upstream", {name: f"build/{name}" for name in stage.upstream}, "output folders of earlier stages")
    )
    lines.append(_assign("product", f"build/{stage.name}", "folder this stage writes its outputs to"))
    if stage.cache:
        lines.append(_assign("cache", "build/cache", "content-addressed results shared by every run"))
    return "\n".join(lines)


def rewrite(root: Path = ROOT) -> list[str]:
    changed = []
    for stage in ALL:
        path = root / stage.source
        notebook = nbformat.read(path, as_version=4)
        cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
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
