"""The parameters cell of each notebook is rewritten from the schema defaults, and only when it differs."""

import ast
import shutil

import nbformat

from startup_report.chain import ALL, STAGE_BY_NAME
from startup_report.devtools import paramcells
from startup_report.params import Params, flatten
from tests.conftest import ROOT


def _copy(tmp_path):
    for stage in ALL:
        (tmp_path / stage.folder).mkdir(exist_ok=True)
        shutil.copy2(ROOT / stage.source, tmp_path / stage.source)
    shutil.copytree(ROOT / "data", tmp_path / "data")  # inputs are listed from the files present
    return tmp_path


def _parameters(path):
    cells = [c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", [])]
    return cells[0].source


def test_the_cell_holds_the_defaults_the_inputs_and_the_folders():
    stage = STAGE_BY_NAME["evaluation"]
    source = paramcells.cell_source(stage, ROOT)
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in ast.parse(source).body}
    assert values.pop("product") == "build/evaluation" and "cache" not in values  # serving: the machine's cache
    assert "cache = 'build/cache'" in paramcells.cell_source(STAGE_BY_NAME["training"], ROOT)  # the run cache
    assert values.pop("upstream") == {"data-prep": "build/data-prep", "training": "build/training"}
    assert values.pop("inputs")["open_intent_zhang2021.csv"] == "data/literature/open_intent_zhang2021.csv"
    assert values == flatten(Params(), stage.keys)
    assert all(len(line) <= 120 for line in source.splitlines())


def test_a_stale_cell_is_rewritten_and_a_current_one_left_alone(tmp_path):
    root = _copy(tmp_path)
    path = root / STAGE_BY_NAME["training"].source
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("seed = 42", "seed = 1")
    nbformat.write(notebook, path)
    assert paramcells.rewrite(root) == [STAGE_BY_NAME["training"].source]
    assert _parameters(path) == paramcells.cell_source(STAGE_BY_NAME["training"], root)
    assert paramcells.rewrite(root) == []
