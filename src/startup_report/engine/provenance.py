"""Whether ``build/`` holds what one run built: the check `book` makes before it publishes anything.

A site is a claim that its chapters come from one set of parameters. After an interrupted or failed run, or
with an output changed since it was written, some chapters would be the new run's and others an older one's
(a reproduce page saying seed 7 above evaluation figures of seed 42). ``problems`` lists every such mismatch;
`book` refuses to build while there is one and says which command fixes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout
from startup_report.engine.stage import Stage


def rerun_command(run: mf.RunRecord | None) -> str:
    """The `startup-report run` that finishes the recorded run (same parameter files and overrides)."""
    if run is None:
        return "startup-report run"
    args = [*(f"--params {p}" for p in run.param_files), *(f"-p {o}" for o in run.overrides)]
    return " ".join(["startup-report run", *args])


def _slice(params: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {key: params.get(key) for key in keys}


def problems(chain: Sequence[Stage], layout: Layout, manifest: mf.Manifest) -> list[str]:
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
        elif record.params != _slice(manifest.params, stage.keys):
            from startup_report.params import changed_keys

            keys = changed_keys(record.params, _slice(manifest.params, stage.keys))
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
