"""Which stages must run and why: the one decision that both `status` and `run` act on.

A stage is stale when it never ran, its last attempt failed, or anything its results depend on changed:
its notebook, its parameter slice, the package modules its notebook reaches, the installed packages, its
input files, or its outputs were touched. A stale stage makes every stage downstream of it stale too,
so what `status` prints is exactly what `run` will do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from startup_report.engine import fingerprint
from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout
from startup_report.engine.stage import Chain, Stage


@dataclass(frozen=True)
class Decision:
    """Whether a stage must run, and the human-readable reasons."""

    stage: Stage
    reasons: tuple[str, ...]

    @property
    def stale(self) -> bool:
        return bool(self.reasons)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def stage_inputs(stage: Stage, chain: Sequence[Stage], params: Any, layout: Layout) -> list[Path]:
    """Raw input files, then the declared outputs of its upstream stages."""
    by_name = {s.name: s for s in chain}
    files = list(stage.external_inputs(params, layout.root))
    for name in stage.upstream:
        files += [layout.stage_dir(name) / output for output in by_name[name].outputs]
    return files


def _short(names: list[str], package: str, limit: int = 3) -> str:
    shown = [name.removeprefix(package + ".") for name in names[:limit]]
    return ", ".join(shown) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def decide(
    stage: Stage,
    chain: Chain,
    params: Any,
    layout: Layout,
    manifest: mf.Manifest,
    rerunning: set[str] | frozenset[str] = frozenset(),
) -> Decision:
    """Compare the stage's current fingerprint with the one recorded for its last good outputs."""
    record = manifest.stages.get(stage.name)
    if record is None or (stage.outputs and not record.outputs):
        return Decision(stage, ("never run",))
    reasons: list[str] = []
    if record.outcome == "failed":
        reasons.append("last attempt failed")
    if mf.sha256_file(layout.root / stage.source) != record.notebook_sha256:
        reasons.append("notebook changed")
    keys = chain.parameters.changed(record.params, chain.parameters.values(params, stage.keys))
    if keys:
        reasons.append("parameters changed: " + ", ".join(keys))
    modules = fingerprint.changed(record.code, chain.code.notebook_code(layout.root / stage.source))
    if modules:
        reasons.append("code changed: " + _short(modules, chain.code.package))
    if record.environment_sha256 != chain.code.environment_sha256():
        reasons.append("installed packages changed")
    upstream = [name for name in stage.upstream if name in rerunning]
    if upstream:
        reasons.append("upstream reruns: " + ", ".join(upstream))
    else:
        recorded = {item.path: item.sha256 for item in record.inputs}
        external = set(stage.external_inputs(params, layout.root))
        for path in stage_inputs(stage, chain, params, layout):
            rel = layout.rel(path)
            if not path.exists():
                reasons.append(f"input missing: {rel}")
            elif path in external and not path.is_file():  # never hash a folder given as a file (/usr: 35 s)
                reasons.append(f"input is not a file: {rel}")
            elif recorded.get(rel) != mf.sha256_path(path):
                reasons.append(f"input changed: {rel}")
    for item in record.outputs:
        path = layout.root / item.path
        if not path.exists():
            reasons.append(f"output missing: {item.path}")
        elif mf.sha256_path(path) != item.sha256:
            reasons.append(f"output modified: {item.path}")
    return Decision(stage, tuple(reasons))


def plan(
    chain: Chain, params: Any, layout: Layout, manifest: mf.Manifest, force: bool = False
) -> list[Decision]:
    """Every stage with the reasons it must run, propagating down the chain."""
    rerunning: set[str] = set()
    decisions = []
    for stage in chain:
        decision = Decision(stage, ("forced",)) if force else decide(stage, chain, params, layout, manifest, rerunning)
        if decision.stale:
            rerunning.add(stage.name)
        decisions.append(decision)
    return decisions


# Whether ``build/`` holds what one run built: the check `book` makes before it publishes anything. A site claims
# that its chapters come from one set of parameters; after an interrupted or failed run, or with an output changed
# since it was written, some chapters would be the new run's and others an older one's (a reproduce page saying
# seed 7 above evaluation figures of seed 42).


def rerun_command(run: mf.RunRecord | None) -> str:
    """The `startup-report run` that finishes the recorded run (same parameter files and overrides)."""
    if run is None:
        return "startup-report run"
    args = [*(f"--params {p}" for p in run.param_files), *(f"-p {o}" for o in run.overrides)]
    return " ".join(["startup-report run", *args])


def _params_slice(params: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {key: params.get(key) for key in keys}


def publish_problems(chain: Chain, layout: Layout, manifest: mf.Manifest) -> list[str]:
    """Why the build folder is not one run's output (empty when it is): the run's outcome, stages that failed or
    were built with other parameters than the run's, and outputs missing or changed since the run wrote them."""
    run = manifest.run
    if run is None:
        return ["build/manifest.json records no run"]
    found: list[str] = []
    if run.outcome != "success":
        found.append(f"the last run (started {run.started}) did not finish: its outcome is '{run.outcome}'")
    for stage in chain:
        record = manifest.stages.get(stage.name)
        if record is None:
            found.append(f"stage {stage.name} never ran")
            continue
        if record.outcome == "failed":
            found.append(f"stage {stage.name} failed in its last attempt")
        elif record.params != _params_slice(manifest.params, stage.keys):
            keys = chain.parameters.changed(record.params, _params_slice(manifest.params, stage.keys))
            found.append(
                f"stage {stage.name} was built by another run (its {', '.join(keys[:4])} differ from the last run's)"
            )
        for item in record.outputs:
            path = layout.root / item.path
            if not path.exists():
                found.append(f"{item.path} is missing")
            elif path.is_file() and mf.sha256_file(path) != item.sha256:
                found.append(f"{item.path} changed after the run wrote it (damaged or edited)")
    return found
