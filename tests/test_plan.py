"""Which stages must run and why: each reason the plan gives, and how staleness flows down the chain."""

import json

import pytest

from startup_report.chain import chain_of
from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout
from startup_report.engine.plan import plan, stage_inputs
from startup_report.engine.stage import Stage
from startup_report.params import Params, section_values


def _raw(params, root):
    return [root / "data" / "raw.csv"]


FIRST = Stage(name="first", notebook="first.ipynb", keys=("seed",), outputs=("out.txt",), external_inputs=_raw)
SECOND = Stage(name="second", notebook="second.ipynb", keys=(), outputs=("done.txt",), upstream=("first",))
CHAIN = chain_of((FIRST, SECOND))


def _notebook(path, code):
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": code, "metadata": {}}]}))


def _record(stage, params, layout):
    """What the runner records after a good run of ``stage`` with everything as it is now."""
    def files(paths):
        return [mf.FileRecord(path=layout.rel(p), sha256=mf.sha256_path(p)) for p in paths]

    source = layout.root / stage.source
    return mf.StageRecord(
        name=stage.name, notebook=stage.source, executed_notebook=None, params=section_values(params, stage.keys),
        inputs=files(stage_inputs(stage, CHAIN, params, layout)),
        outputs=files([layout.stage_dir(stage.name) / name for name in stage.outputs]),
        notebook_sha256=mf.sha256_file(source), code=CHAIN.code.notebook_code(source),
        environment_sha256=CHAIN.code.environment_sha256(), started=None, duration_s=None, outcome="ran", reason="",
    )


@pytest.fixture
def project(tmp_path):
    layout = Layout(tmp_path.resolve())
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "raw.csv").write_text("text,label\nhi,greet\n")
    _notebook(tmp_path / "notebooks" / "first.ipynb", "x = 1")
    _notebook(tmp_path / "notebooks" / "second.ipynb", "y = 2")
    for stage in CHAIN:
        layout.stage_dir(stage.name).mkdir(parents=True)
        (layout.stage_dir(stage.name) / stage.outputs[0]).write_text(stage.name)
    params = Params()
    manifest = mf.Manifest(stages={s.name: _record(s, params, layout) for s in CHAIN})
    return layout, params, manifest


def _reasons(layout, params, manifest, force=False):
    return {d.stage.name: d.reason for d in plan(CHAIN, params, layout, manifest, force=force)}


def test_nothing_runs_when_nothing_changed(project):
    assert _reasons(*project) == {"first": "", "second": ""}


def test_a_stage_never_run_runs_and_so_does_everything_downstream(project):
    layout, params, _ = project
    assert _reasons(layout, params, mf.Manifest()) == {"first": "never run", "second": "never run"}
    assert _reasons(*project, force=True) == {"first": "forced", "second": "forced"}


def test_a_parameter_change_reruns_the_stage_that_sees_it_and_its_downstream(project):
    layout, _, manifest = project
    reasons = _reasons(layout, Params(seed=7), manifest)
    assert reasons == {"first": "parameters changed: seed", "second": "upstream reruns: first"}


def test_a_changed_raw_input_or_notebook_is_named(project):
    layout, params, manifest = project
    (layout.root / "data" / "raw.csv").write_text("text,label\nbye,leave\n")
    assert _reasons(layout, params, manifest)["first"] == "input changed: data/raw.csv"
    _notebook(layout.root / "notebooks" / "second.ipynb", "y = 3")
    assert _reasons(layout, params, manifest)["second"] == "notebook changed; upstream reruns: first"


def test_a_touched_output_reruns_only_its_stage(project):
    layout, params, manifest = project
    (layout.stage_dir("second") / "done.txt").write_text("edited by hand")
    assert _reasons(layout, params, manifest) == {"first": "", "second": "output modified: build/second/done.txt"}
    (layout.stage_dir("second") / "done.txt").unlink()
    assert _reasons(layout, params, manifest)["second"] == "output missing: build/second/done.txt"


def test_an_upstream_output_changed_outside_a_run_reruns_the_reader(project):
    layout, params, manifest = project
    (layout.stage_dir("first") / "out.txt").write_text("tampered")
    reasons = _reasons(layout, params, manifest)
    assert reasons["first"] == "output modified: build/first/out.txt"
    assert reasons["second"] == "upstream reruns: first"


def test_a_failed_last_attempt_runs_again(project):
    layout, params, manifest = project
    manifest.stages["second"] = manifest.stages["second"].model_copy(update={"outcome": "failed"})
    assert _reasons(layout, params, manifest) == {"first": "", "second": "last attempt failed"}
