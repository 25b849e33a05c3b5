"""The runner: bring a chain of notebook stages up to date with papermill, promoting outputs atomically.

`run_chain` holds the project lock, plans (the same plan `status` prints), checks the inputs of the
stages about to run, then executes them in order. Each stage writes into a staging folder; only a
complete, successful run replaces the previous outputs, and the manifest is rewritten after every stage.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from startup_report.engine import fingerprint, stagecache
from startup_report.engine import manifest as mf
from startup_report.engine.files import replace_dir
from startup_report.engine.layout import Layout
from startup_report.engine.lock import project_lock
from startup_report.engine.plan import Decision, plan, stage_inputs
from startup_report.engine.preflight import check_inputs
from startup_report.engine.stage import Stage
from startup_report.params import flatten, section_values

Echo = Callable[[str], None]

# Environment every notebook kernel inherits: deterministic hashing, no model hub, quiet tokenizers, and
# the inline backend whose PNG formatter glued figures need (an inherited MPLBACKEND=Agg would drop them).
# The Keras backend is set by the package itself (startup_report/__init__.py), before Keras loads.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
}


class StageFailed(RuntimeError):
    """A notebook raised; the message holds the error and where the executed notebook is."""


def _notebook_parameters(stage: Stage, params: Any, layout: Layout, product: Path) -> dict[str, object]:
    values = flatten(params, stage.keys)
    values["inputs"] = {path.name: layout.rel(path) for path in stage.external_inputs(params, layout.root)}
    values["upstream"] = {name: layout.rel(layout.stage_dir(name)) for name in stage.upstream}
    values["product"] = layout.rel(product)
    if stage.cache:
        values["cache"] = layout.rel(layout.cache)
    return values


def _keep_failed(executed: Path, layout: Layout, stage: Stage) -> Path:
    failed = layout.failed / stage.notebook
    failed.parent.mkdir(parents=True, exist_ok=True)
    if executed.is_file():
        shutil.copyfile(executed, failed)
    return failed


def execute(stage: Stage, params: Any, layout: Layout, progress: bool = True) -> Path:
    """Run one notebook into staging and promote it; return the executed notebook's final path."""
    import papermill as pm  # imported here: `status` and `params` stay fast

    logging.getLogger("papermill").setLevel(logging.ERROR)  # e.g. "Passed unknown parameter" for a chapter

    staging = layout.staging / stage.name
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    executed = staging / stage.notebook
    os.environ.update(KERNEL_ENV)
    try:
        pm.execute_notebook(
            str(layout.root / stage.source),
            str(executed),
            parameters=_notebook_parameters(stage, params, layout, staging),
            cwd=str(layout.root),
            kernel_name="python3",
            progress_bar=progress,
            log_output=False,
            # The kernel's own log is not ours to show: start-up notices ("running over TCP without encryption")
            # and the "KeyboardInterrupt caught in kernel" that jupyter_client's SIGINT at every shutdown can
            # cause. A failing cell still stops the stage through papermill, with its traceback.
            extra_arguments=["--IPKernelApp.log_level=50"],
        )
    except pm.PapermillExecutionError as exc:
        failed = _keep_failed(executed, layout, stage)
        shutil.rmtree(staging, ignore_errors=True)
        raise StageFailed(
            f"{exc.ename}: {exc.evalue}\n  in cell {exc.exec_count} of {layout.rel(failed)} (full traceback there)"
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    missing = [name for name in stage.outputs if not (staging / name).exists()]
    if missing:
        failed = _keep_failed(executed, layout, stage)
        shutil.rmtree(staging, ignore_errors=True)
        raise StageFailed(
            f"the notebook did not write its declared outputs {missing} into `product`; see {layout.rel(failed)}"
        )
    replace_dir(staging, layout.stage_dir(stage.name))
    (layout.failed / stage.notebook).unlink(missing_ok=True)
    return layout.stage_dir(stage.name) / stage.notebook


def _fingerprint(stage: Stage, params: Any, layout: Layout, inputs: list[mf.FileRecord]) -> dict[str, Any]:
    """What the stage is about to run with, taken before it starts (an edit during the run must not count)."""
    return {
        "name": stage.name,
        "notebook": stage.source,
        "params": section_values(params, stage.keys),
        "inputs": inputs,
        "code": fingerprint.notebook_code(layout.root / stage.source),
        "environment_sha256": fingerprint.environment_sha256(),
        "notebook_sha256": mf.sha256_file(layout.root / stage.source),
    }


def _hash_files(files: list[Path], layout: Layout) -> list[mf.FileRecord]:
    return [mf.FileRecord(path=layout.rel(path), sha256=mf.sha256_path(path)) for path in files if path.exists()]


def _keyed(stage: Stage, chain: Sequence[Stage], params: Any, layout: Layout) -> tuple[dict[str, Any], str]:
    """The stage's fingerprint and its stage-cache key, from one hashing of its inputs."""
    files = [path for path in stage_inputs(stage, chain, params, layout) if path.exists()]
    hashes = [mf.sha256_path(path) for path in files]
    inputs = [mf.FileRecord(path=layout.rel(path), sha256=sha) for path, sha in zip(files, hashes, strict=True)]
    key = _fingerprint(stage, params, layout, inputs)
    return key, stagecache.key(key, [(layout.portable(path), sha) for path, sha in zip(files, hashes, strict=True)])


def _reuse(stage: Stage, stored: Path, layout: Layout) -> Path:
    """Bring a stored result in as if the stage had run: staging, then the same atomic swap."""
    staging = layout.staging / stage.name
    staging.parent.mkdir(parents=True, exist_ok=True)
    stagecache.restore(stored, staging, stage.notebook)
    replace_dir(staging, layout.stage_dir(stage.name))
    (layout.failed / stage.notebook).unlink(missing_ok=True)
    return layout.stage_dir(stage.name) / stage.notebook


def _publish(stage: Stage, chain: Sequence[Stage], params: Any, layout: Layout) -> None:
    """Store an up-to-date stage's outputs under its key if missing (builds made before the stage cache)."""
    executed = layout.stage_dir(stage.name) / stage.notebook
    if executed.is_file():
        _, stage_key = _keyed(stage, chain, params, layout)
        if stagecache.entry(layout, stage_key) is None:
            stagecache.store(layout, stage_key, layout.stage_dir(stage.name), executed, stage.outputs)


def execute_plan(
    decisions: Sequence[Decision],
    chain: Sequence[Stage],
    params: Any,
    layout: Layout,
    manifest: mf.Manifest,
    echo: Echo,
    progress: bool,
    reuse: bool = True,
) -> bool:
    """Run the stale stages in chain order; stop at the first failure. True on success.

    A stale stage whose key is in the stage cache is copied from it (outcome "reused") unless ``reuse`` is
    off (``--force``); every stage that runs, or is up to date, is stored there for later runs and scenarios.
    """
    width = max(len(d.stage.name) for d in decisions)
    ok = True
    for decision in decisions:
        stage, record = decision.stage, manifest.stages.get(decision.stage.name)
        if not ok:
            echo(f"{stage.name:<{width}}  not run (an earlier stage failed)")
            continue
        if not decision.stale:
            echo(f"{stage.name:<{width}}  up to date")
            if record is not None:
                manifest.stages[stage.name] = record.model_copy(update={"outcome": "up to date", "reason": ""})
                _publish(stage, chain, params, layout)
            continue
        key, stage_key = _keyed(stage, chain, params, layout)
        started, t0 = mf.now_iso(), time.perf_counter()
        try:
            with stagecache.computing(layout, stage_key):
                stored = stagecache.entry(layout, stage_key) if reuse else None
                if stored is not None:
                    executed = _reuse(stage, stored, layout)
                else:
                    echo(f"{stage.name:<{width}}  running ({decision.reason}) ...")
                    executed = execute(stage, params, layout, progress=progress)
                    stagecache.store(layout, stage_key, layout.stage_dir(stage.name), executed, stage.outputs)
        except StageFailed as exc:
            duration = round(time.perf_counter() - t0, 2)
            echo(f"{stage.name:<{width}}  FAILED after {duration} s: {exc}")
            update = {
                "outcome": "failed",
                "reason": decision.reason,
                "error": str(exc),
                "started": started,
                "duration_s": duration,
                "executed_notebook": layout.rel(layout.failed / stage.notebook),
            }
            manifest.stages[stage.name] = (
                record.model_copy(update=update)
                if record is not None
                else mf.StageRecord(**{**key, "notebook_sha256": "", "code": {}}, outputs=[], **update)
            )
            ok = False
            mf.save(manifest, layout.manifest)
            continue
        duration = round(time.perf_counter() - t0, 2)
        outputs = _hash_files([layout.stage_dir(stage.name) / name for name in stage.outputs], layout)
        manifest.stages[stage.name] = mf.StageRecord(
            **key,
            executed_notebook=layout.rel(executed),
            outputs=outputs,
            started=started,
            duration_s=duration,
            outcome="reused" if stored is not None else "ran",
            reason=decision.reason,
            stage_key=stage_key,
        )
        mf.save(manifest, layout.manifest)
        done = f"reused from {layout.rel(stored)}" if stored is not None else "ran"
        echo(f"{stage.name:<{width}}  {done} ({decision.reason}) in {duration} s")
    return ok


def run_chain(
    chain: Sequence[Stage],
    params: Any,
    layout: Layout,
    run_record: mf.RunRecord,
    force: bool = False,
    echo: Echo = print,
    progress: bool | None = None,
) -> bool:
    """Lock the project, plan, check the inputs of the stale stages (InputError: nothing runs), execute.

    True when every stage is up to date at the end.
    """
    if progress is None:
        progress = sys.stderr.isatty()  # a cell progress bar helps at a terminal, floods a CI log
    with project_lock(layout.lock, echo):
        manifest = mf.load(layout.manifest)
        decisions = plan(chain, params, layout, manifest, force)
        check_inputs([d.stage for d in decisions if d.stale], params, layout.root)
        manifest.run = run_record
        manifest.params = params.model_dump(mode="json")
        started = time.perf_counter()
        ok = execute_plan(decisions, chain, params, layout, manifest, echo, progress, reuse=not force)
        run_record.finished = mf.now_iso()
        run_record.duration_s = round(time.perf_counter() - started, 2)
        run_record.outcome = "success" if ok else "failed"
        mf.save(manifest, layout.manifest)
    return ok
