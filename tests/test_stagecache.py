"""The stage cache on a two-notebook chain: scenarios reuse what they share, byte for byte, and compute the rest."""

import json
from pathlib import Path

import nbformat

from startup_report.chain import chain_of
from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout
from startup_report.engine.runner import run_chain
from startup_report.engine.stage import Stage
from startup_report.params import load_params
from tests.conftest import ROOT, tree_hash

FIRST = """from pathlib import Path
Path(product, "a.txt").write_text(f"seed {seed}")"""
SECOND = """from pathlib import Path
from startup_report.params import section
a = Path(upstream["first"], "a.txt").read_text()
Path(product, "b.txt").write_text(f"{a}, discount {section('market', market).price_discount}")"""
CHAIN = chain_of((
    Stage(name="first", notebook="first.ipynb", keys=("seed",), outputs=("a.txt",)),
    Stage(name="second", notebook="second.ipynb", keys=("seed", "market"), outputs=("b.txt",), upstream=("first",)),
))


def _notebook(path: Path, code: str, parameters: str) -> None:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    notebook.cells = [cell, nbformat.v4.new_code_cell(code)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


def _run(layout: Layout, overrides: list[str], force: bool = False) -> dict[str, str]:
    params = load_params(ROOT, [], overrides)
    record = mf.new_run(["test"], [], overrides, layout.root)
    assert run_chain(CHAIN, params, layout, record, force=force, echo=lambda _: None, progress=False)
    return {name: stage.outcome for name, stage in mf.load(layout.manifest).stages.items()}


def test_scenarios_reuse_shared_stages_and_compute_what_differs(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "params").mkdir()
    (tmp_path / "params/default.yaml").write_text((ROOT / "params/default.yaml").read_text())
    _notebook(tmp_path / "notebooks/first.ipynb", FIRST, 'seed = 0\nproduct = "build/first"')
    second = 'seed = 0\nmarket = {}\nupstream = {}\nproduct = "build/second"'
    _notebook(tmp_path / "notebooks/second.ipynb", SECOND, second)
    project = Layout(tmp_path)

    assert _run(project, []) == {"first": "ran", "second": "ran"}
    assert len(list((project.cache / "stages").glob("[0-9a-f]*"))) == 2
    assert _run(project.scenario("cheap"), ["market.price_discount=0.3"]) == {"first": "reused", "second": "ran"}
    assert (tmp_path / "build/scenarios/cheap/second/b.txt").read_text() == "seed 42, discount 0.3"
    same = project.scenario("same")
    assert _run(same, []) == {"first": "reused", "second": "reused"}
    assert tree_hash(same.stage_dir("second")) == tree_hash(project.stage_dir("second"))
    keys = {name: s.stage_key for name, s in mf.load(same.manifest).stages.items()}
    assert keys == {name: s.stage_key for name, s in mf.load(project.manifest).stages.items()}
    assert _run(same, []) == {"first": "up to date", "second": "up to date"}
    assert _run(project.scenario("forced"), [], force=True) == {"first": "ran", "second": "ran"}

    # A value set back after trying another is a copy, not a rerun.
    assert _run(project, ["market.price_discount=0.3"]) == {"first": "up to date", "second": "reused"}
    assert _run(project, []) == {"first": "up to date", "second": "reused"}
    record = json.loads(project.manifest.read_text())["stages"]["second"]
    assert record["stage_key"] and record["outcome"] == "reused"
