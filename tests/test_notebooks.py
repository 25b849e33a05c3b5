"""The notebooks' contract with the runner: clean sources, parameters cells naming the stage's sections."""

import ast
import json
from pathlib import Path

import pytest
import yaml

from startup_report.chain import ALL, STAGES
from startup_report.devtools import paramcells
from startup_report.params import SECTIONS, Params

ROOT = Path(__file__).resolve().parents[1]


def _cells(stage):
    return json.loads((ROOT / "notebooks" / stage.notebook).read_text())["cells"]


PARAMETERISED = [stage for stage in ALL if stage.keys]


def _parameters_cell(stage):
    cells = json.loads((ROOT / stage.source).read_text())["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    return "".join(tagged[0]["source"]), cells


@pytest.mark.parametrize("stage", PARAMETERISED, ids=lambda s: s.name)
def test_parameters_cell_names_the_stage_sections_and_validates_each(stage):
    source, cells = _parameters_cell(stage)
    values = {}
    for node in ast.parse(source).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds assignments only"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    assert len(source.splitlines()) <= 10
    sections = [key for key in stage.keys if key in SECTIONS]
    assert {key: values[key] for key in sections} == dict.fromkeys(sections, {})  # {}: the defaults
    assert values.get("seed") == (Params().seed if "seed" in stage.keys else None)
    assert set(values) <= {*stage.keys, "inputs", "upstream", "product", "cache"}, "a name the runner never passes"
    assert values.get("cache", "build/cache") == "build/cache" and ("cache" in values) <= stage.cache
    assert set(values.get("upstream", stage.upstream)) == set(stage.upstream)
    assert values.get("product", f"build/{stage.name}") == f"build/{stage.name}"
    expected = {p.name: p.relative_to(ROOT).as_posix() for p in stage.external_inputs(Params(), ROOT)}
    assert values.get("inputs", expected) == expected
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for key in sections:  # each section is read as its one validated object
        assert f'section("{key}", {key})' in code
    assert values == paramcells.cell_values(stage, ROOT)  # and the cell is the one the devtool writes


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_notebooks_are_committed_without_outputs(stage):
    for cell in _cells(stage):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_chain_order_agrees_with_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"] if c["file"].startswith("notebooks/")]
    assert files == [f"notebooks/{s.notebook.removesuffix('.ipynb')}" for s in STAGES]
    assert [s.notebook[:2] for s in STAGES] == ["01", "02", "03", "04", "05"]
