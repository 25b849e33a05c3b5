"""The parameters cell of each notebook is rewritten from its stage, and only when it differs."""

import ast
import shutil

import nbformat

from startup_report.chain import ALL, STAGE_BY_NAME
from startup_report.devtools import paramcells
from startup_report.params import Params
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


def test_the_cell_holds_the_sections_and_the_folders_the_notebook_reads():
    stage = STAGE_BY_NAME["evaluation"]
    source = paramcells.cell_source(stage, ROOT)
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in ast.parse(source).body}
    assert values.pop("product") == "build/evaluation" and "cache" not in values  # serving: the machine's cache
    assert "cache = 'build/cache'" in paramcells.cell_source(STAGE_BY_NAME["training"], ROOT)  # the run cache
    assert values.pop("upstream") == {"data-prep": "build/data-prep", "training": "build/training"}
    assert values.pop("inputs")["open_intent_zhang2021.csv"] == "data/literature/open_intent_zhang2021.csv"
    assert values == {"seed": Params().seed, "model": {}, "evaluation": {}}  # each section one object
    assert all(len(line) <= 120 for line in source.splitlines())


def test_a_folder_the_notebook_never_reads_is_left_out(tmp_path):
    market = STAGE_BY_NAME["market-analysis"]  # reads the facts through its section, not `inputs`
    assert "inputs" not in paramcells.cell_values(market, ROOT)
    root = _copy(tmp_path)
    notebook = nbformat.read(root / market.source, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('facts = inputs["compute.csv"]'))
    nbformat.write(notebook, root / market.source)
    assert paramcells.cell_values(market, root)["inputs"]["compute.csv"] == "data/market/compute.csv"


def test_a_long_mapping_is_packed_within_the_width():
    lines = paramcells._assign("upstream", {f"stage-{i}": f"build/stage-{i}" for i in range(12)}, "folders")
    assert len(lines) < 12 and all(len(line) <= paramcells.WIDTH for line in lines)
    assert ast.literal_eval("\n".join(lines).split(" = ", 1)[1].split("  #")[0]) == {
        f"stage-{i}": f"build/stage-{i}" for i in range(12)
    }


def test_a_stale_cell_is_rewritten_and_a_current_one_left_alone(tmp_path):
    root = _copy(tmp_path)
    path = root / STAGE_BY_NAME["training"].source
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("training = {}", "training = {'epochs': 2}")
    nbformat.write(notebook, path)
    assert paramcells.rewrite(root) == [STAGE_BY_NAME["training"].source]
    assert _parameters(path) == paramcells.cell_source(STAGE_BY_NAME["training"], root)
    assert paramcells.rewrite(root) == []
