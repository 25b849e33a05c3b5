"""The notebooks' contract with the runner: clean sources, parameter cells equal to the schema."""

import ast
import json
from pathlib import Path

import pytest
import yaml

from startup_report.chain import STAGES
from startup_report.params import Params, flatten

ROOT = Path(__file__).resolve().parents[1]


def _cells(stage):
    return json.loads((ROOT / "notebooks" / stage.notebook).read_text())["cells"]


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_parameters_cell_equals_schema_defaults(stage):
    cells = [c for c in _cells(stage) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged `parameters`"
    values = {}
    for node in ast.parse("".join(cells[0]["source"])).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds assignments only"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    upstream, product, inputs = values.pop("upstream"), values.pop("product"), values.pop("inputs")
    assert values.pop("cache", None) == ("build/cache" if stage.cache else None)
    assert values == flatten(Params(), stage.keys)
    assert inputs == {p.name: p.relative_to(ROOT).as_posix() for p in stage.external_inputs(Params(), ROOT)}
    assert set(upstream) == set(stage.upstream)
    assert product == f"build/{stage.name}"


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
