"""The runner's order: a stage starts after its upstream stages; a timed stage runs alone; the others side by side."""

import json

from startup_report.chain import chain_of
from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout
from startup_report.engine.plan import Decision
from startup_report.engine.runner import next_to_start, run_chain
from startup_report.engine.stage import Stage
from startup_report.params import load_params
from tests.conftest import ROOT
from tests.test_stagecache import _notebook

WINDOW = """import time
from pathlib import Path
start = time.time()
time.sleep(1.0)
Path(product, "window.json").write_text(f"[{start}, {time.time()}]")"""


def _stage(name: str, upstream: tuple[str, ...] = (), timed: bool = False) -> Stage:
    return Stage(name, f"{name}.ipynb", keys=("seed",), outputs=("window.json",), upstream=upstream, timed=timed)


CHAIN = chain_of(
    (_stage("prep"), _stage("timed", ("prep",), timed=True), _stage("after", ("timed",)), _stage("chapter"))
)


def test_untimed_stages_overlap_and_a_timed_stage_runs_alone(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "params").mkdir()
    (tmp_path / "params/default.yaml").write_text((ROOT / "params/default.yaml").read_text())
    for stage in CHAIN:
        upstream = "upstream = {}\n" if stage.upstream else ""
        _notebook(tmp_path / "notebooks" / stage.notebook, WINDOW, f'seed = 0\n{upstream}product = "build/x"')
    layout, lines = Layout(tmp_path), []
    record = mf.new_run(["test"], [], [], tmp_path)
    assert run_chain(CHAIN, load_params(ROOT, [], []), layout, record, echo=lines.append, progress=False, jobs=2)
    window = {s.name: json.loads((layout.stage_dir(s.name) / "window.json").read_text()) for s in CHAIN}

    def overlap(a: str, b: str) -> bool:
        return window[a][0] < window[b][1] and window[b][0] < window[a][1]

    assert overlap("prep", "chapter")  # no upstream between them: side by side
    assert not any(overlap("timed", other) for other in ("prep", "after", "chapter"))
    assert window["after"][0] >= window["timed"][1]  # after its upstream
    assert sorted(line.split()[0] for line in lines if "  ran (" in line) == sorted(s.name for s in CHAIN)


def _decision(stage: Stage) -> Decision:
    return Decision(stage=stage, reasons=("never run",))


def test_the_next_stage_waits_for_its_upstream_and_a_timed_stage_for_quiet():
    prep, timed, after, chapter = CHAIN
    pending = [_decision(s) for s in CHAIN]
    planned = {s.name for s in CHAIN}
    assert next_to_start(pending, [], set(), planned, jobs=2).stage == prep
    assert next_to_start(pending[1:], [prep], set(), planned, jobs=2).stage == chapter  # timed waits for prep
    assert next_to_start(pending[1:3], [chapter], {"prep"}, planned, jobs=2) is None  # ready, but not alone
    assert next_to_start(pending[1:3], [], {"prep"}, planned, jobs=2).stage == timed
    assert next_to_start(pending[2:], [timed], {"prep"}, planned, jobs=2) is None  # nothing beside a timed stage
    assert next_to_start(pending[3:], [prep], set(), planned, jobs=1) is None  # one at a time
    # A stage that is up to date needs no CPU: it is taken as soon as its upstream is done.
    fresh = Decision(stage=after, reasons=())
    assert next_to_start([fresh], [chapter], {"prep", "timed"}, planned, jobs=1) == fresh


def test_a_stage_failing_beside_another_stops_the_chain_and_both_are_recorded(tmp_path):
    """`chapter` fails while `prep` runs beside it: `prep` still finishes and is recorded, nothing else starts."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "params").mkdir()
    (tmp_path / "params/default.yaml").write_text((ROOT / "params/default.yaml").read_text())
    for stage in CHAIN:
        code = "raise RuntimeError('chapter broke')" if stage.name == "chapter" else WINDOW
        upstream = "upstream = {}\n" if stage.upstream else ""
        _notebook(tmp_path / "notebooks" / stage.notebook, code, f'seed = 0\n{upstream}product = "build/x"')
    layout, lines = Layout(tmp_path), []
    record = mf.new_run(["test"], [], [], tmp_path)
    assert not run_chain(CHAIN, load_params(ROOT, [], []), layout, record, echo=lines.append, progress=False, jobs=2)
    outcomes = {name: stage.outcome for name, stage in mf.load(layout.manifest).stages.items()}
    assert outcomes == {"prep": "ran", "chapter": "failed"}
    assert any("chapter" in line and "RuntimeError: chapter broke" in line for line in lines)
    assert [line.split()[0] for line in lines if "not run (an earlier stage failed)" in line] == ["timed", "after"]
