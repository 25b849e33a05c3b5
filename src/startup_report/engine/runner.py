"""The runner: decide which stages are stale, execute them with papermill, promote outputs atomically.

A stage reruns only when its notebook, its parameter slice, its input files or the package code
changed since its last good run (content hashes recorded in the manifest, never timestamps). Each
stage writes into a staging folder; only a complete, successful run replaces the previous outputs.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from startup_report.chain import ALL, STAGE_BY_NAME, Stage
from startup_report.engine import manifest as mf
from startup_report.engine.files import replace_dir
from startup_report.engine.layout import Layout
from startup_report.params import Params, changed_keys, flatten, section_values

Echo = Callable[[str], None]

# Environment every notebook kernel inherits: the Keras backend chosen by measurement (README),
# deterministic hashing, and no attempt to reach a model hub.
KERNEL_ENV = {
    "KERAS_BACKEND": "jax",
    "PYTHONHASHSEED": "0",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


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


def stage_inputs(stage: Stage, params: Params, layout: Layout) -> list[Path]:
    files = list(stage.external_inputs(params, layout.root))
    for name in stage.upstream:
        files += [layout.stage_dir(name) / output for output in STAGE_BY_NAME[name].outputs]
    return files


def _hash_files(files: list[Path], layout: Layout) -> list[mf.FileRecord]:
    return [mf.FileRecord(path=layout.rel(path), sha256=mf.sha256_path(path)) for path in files if path.exists()]


def decide(
    stage: Stage,
    params: Params,
    layout: Layout,
    manifest: mf.Manifest,
    code_sha: str,
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
    keys = changed_keys(record.params, section_values(params, stage.keys))
    if keys:
        reasons.append("parameters changed: " + ", ".join(keys))
    if code_sha != record.code_sha256:
        reasons.append("package code changed")
    upstream = [name for name in stage.upstream if name in rerunning]
    if upstream:
        reasons.append("upstream reruns: " + ", ".join(upstream))
    else:
        recorded = {item.path: item.sha256 for item in record.inputs}
        for path in stage_inputs(stage, params, layout):
            rel = layout.rel(path)
            if not path.exists():
                reasons.append(f"input missing: {rel}")
            elif recorded.get(rel) != mf.sha256_path(path):
                reasons.append(f"input changed: {rel}")
    for item in record.outputs:
        path = layout.root / item.path
        if not path.exists():
            reasons.append(f"output missing: {item.path}")
        elif mf.sha256_path(path) != item.sha256:
            reasons.append(f"output modified: {item.path}")
    return Decision(stage, tuple(reasons))


def plan(params: Params, layout: Layout, manifest: mf.Manifest, force: bool = False) -> list[Decision]:
    """What `status` shows: every stage with the reasons it would run, propagating down the chain."""
    code_sha = mf.code_hash()
    rerunning: set[str] = set()
    decisions = []
    for stage in ALL:
        if force:
            decision = Decision(stage, ("forced",))
        else:
            decision = decide(stage, params, layout, manifest, code_sha, rerunning)
        if decision.stale:
            rerunning.add(stage.name)
        decisions.append(decision)
    return decisions


class StageFailed(RuntimeError):
    """A notebook raised; the message holds the error and where the executed notebook is."""


def _notebook_parameters(stage: Stage, params: Params, layout: Layout, product: Path) -> dict[str, object]:
    values = flatten(params, stage.keys)
    values["inputs"] = {path.name: layout.rel(path) for path in stage.external_inputs(params, layout.root)}
    values["upstream"] = {name: layout.rel(layout.stage_dir(name)) for name in stage.upstream}
    values["product"] = layout.rel(product)
    return values


def _fold_parameter_cells(path: Path) -> None:
    """Collapse the defaults cell and papermill's injected cell in the book: one click shows the run's values."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if {"parameters", "injected-parameters"} & set(tags) and "hide-input" not in tags:
            cell.metadata["tags"] = [*tags, "hide-input"]
    nbformat.write(notebook, path)


def execute(stage: Stage, params: Params, layout: Layout, progress: bool = True) -> Path:
    """Run one notebook into staging and promote it; return the executed notebook's final path."""
    import papermill as pm  # imported here: `status` and `params` stay fast

    staging = layout.staging / stage.name
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    executed = staging / stage.notebook
    for key, value in KERNEL_ENV.items():
        os.environ.setdefault(key, value)
    # Glued figures need the inline backend's PNG formatter; an inherited MPLBACKEND=Agg would drop them.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        pm.execute_notebook(
            str(layout.root / stage.source),
            str(executed),
            parameters=_notebook_parameters(stage, params, layout, staging),
            cwd=str(layout.root),
            kernel_name="python3",
            progress_bar=progress,
            log_output=False,
        )
    except pm.PapermillExecutionError as exc:
        failed = layout.failed / stage.notebook
        failed.parent.mkdir(parents=True, exist_ok=True)
        if executed.is_file():
            shutil.copyfile(executed, failed)
        shutil.rmtree(staging, ignore_errors=True)
        raise StageFailed(
            f"{exc.ename}: {exc.evalue}\n  in cell {exc.exec_count} of {layout.rel(failed)} (full traceback there)"
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _fold_parameter_cells(executed)
    missing = [name for name in stage.outputs if not (staging / name).exists()]
    if missing:
        failed = layout.failed / stage.notebook
        failed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(executed, failed)
        shutil.rmtree(staging, ignore_errors=True)
        raise StageFailed(
            f"the notebook did not write its declared outputs {missing} into `product`; see {layout.rel(failed)}"
        )
    replace_dir(staging, layout.stage_dir(stage.name))
    (layout.failed / stage.notebook).unlink(missing_ok=True)
    return layout.stage_dir(stage.name) / stage.notebook


def run(
    params: Params,
    layout: Layout,
    run_record: mf.RunRecord,
    force: bool = False,
    echo: Echo = print,
    progress: bool = True,
) -> bool:
    """Bring every stage up to date, in chain order; stop at the first failure. True on success."""
    manifest = mf.load(layout.manifest)
    manifest.run = run_record
    manifest.params = params.model_dump(mode="json")
    code_sha = mf.code_hash()
    width = max(len(stage.name) for stage in ALL)
    started_run = time.perf_counter()
    ok = True
    for stage in ALL:
        decision = Decision(stage, ("forced",)) if force else decide(stage, params, layout, manifest, code_sha)
        record = manifest.stages.get(stage.name)
        if not ok:
            echo(f"{stage.name:<{width}}  not run (an earlier stage failed)")
            continue
        if not decision.stale:
            echo(f"{stage.name:<{width}}  up to date")
            if record is not None:
                manifest.stages[stage.name] = record.model_copy(update={"outcome": "up to date", "reason": ""})
            continue
        echo(f"{stage.name:<{width}}  running ({decision.reason}) ...")
        inputs = _hash_files(stage_inputs(stage, params, layout), layout)
        started = mf.now_iso()
        t0 = time.perf_counter()
        try:
            executed = execute(stage, params, layout, progress=progress)
        except StageFailed as exc:
            duration = round(time.perf_counter() - t0, 2)
            echo(f"{stage.name:<{width}}  FAILED after {duration} s: {exc}")
            failed_nb = layout.rel(layout.failed / stage.notebook)
            update = {
                "outcome": "failed",
                "reason": decision.reason,
                "error": str(exc),
                "started": started,
                "duration_s": duration,
                "executed_notebook": failed_nb,
            }
            manifest.stages[stage.name] = (
                record.model_copy(update=update)
                if record is not None
                else mf.StageRecord(
                    name=stage.name,
                    notebook=stage.source,
                    params=section_values(params, stage.keys),
                    inputs=inputs,
                    outputs=[],
                    notebook_sha256="",
                    code_sha256="",
                    **update,
                )
            )
            ok = False
            mf.save(manifest, layout.manifest)
            continue
        duration = round(time.perf_counter() - t0, 2)
        outputs = _hash_files([layout.stage_dir(stage.name) / name for name in stage.outputs], layout)
        manifest.stages[stage.name] = mf.StageRecord(
            name=stage.name,
            notebook=stage.source,
            executed_notebook=layout.rel(executed),
            params=section_values(params, stage.keys),
            inputs=inputs,
            outputs=outputs,
            notebook_sha256=mf.sha256_file(layout.root / stage.source),
            code_sha256=code_sha,
            started=started,
            duration_s=duration,
            outcome="ran",
            reason=decision.reason,
        )
        mf.save(manifest, layout.manifest)
        echo(f"{stage.name:<{width}}  ran ({decision.reason}) in {duration} s")
    run_record.finished = mf.now_iso()
    run_record.duration_s = round(time.perf_counter() - started_run, 2)
    run_record.outcome = "success" if ok else "failed"
    mf.save(manifest, layout.manifest)
    return ok
