"""Every shipped parameter file and sweep file passes the checks a run makes before any stage, on the default data:
an example the README or a file's own header tells users to run must not stop at exit 2."""

from pathlib import Path

import pytest

from startup_report.chain import ALL, STAGES
from startup_report.engine.preflight import check_inputs
from startup_report.params import load_params
from startup_report.sweep import spec
from tests.conftest import ROOT

PARAM_FILES = sorted((ROOT / "params").glob("*.yaml"))
SWEEP_FILES = sorted((ROOT / "params/sweeps").glob("*.yaml"))


def test_the_shipped_files_are_found():
    assert {p.name for p in PARAM_FILES} >= {"default.yaml", "smoke.yaml"} and len(SWEEP_FILES) >= 3


@pytest.mark.parametrize("path", PARAM_FILES, ids=[p.name for p in PARAM_FILES])
def test_every_shipped_parameter_file_passes_the_preflight(path: Path):
    check_inputs(ALL, load_params(ROOT, [path]), ROOT)


@pytest.mark.parametrize("path", SWEEP_FILES, ids=[p.name for p in SWEEP_FILES])
def test_every_shipped_sweep_passes_the_preflight_of_each_scenario(path: Path):
    sweep = spec.load(ROOT, spec.read(path))
    assert sweep.scenarios
    spec.preflight(sweep, ROOT, STAGES)
