"""One stage brought up to date: its notebook run by papermill into a staging folder and promoted only when
complete, or its outputs copied from the stage cache; and the key that says which.

The runner (runner.py) decides which stages to bring up to date, in which order and how many at once.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from startup_report.engine import manifest as mf
from startup_report.engine import stagecache
from startup_report.engine.files import replace_dir
from startup_report.engine.layout import Layout
from startup_report.engine.plan import stage_inputs
from startup_report.engine.stage import Chain, Stage

Echo = Callable[[str], None]


class StageFailed(RuntimeError):
    """A notebook raised; the message holds the error and where the executed notebook is."""


def _notebook_parameters(
    stage: Stage, chain: Chain, params: Any, layout: Layout, product: Path
) -> dict[str, object]:
    values = chain.parameters.notebook(stage, params)
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


def kernel_config(sockets: Path) -> Any:
    """Kernels talk to the runner over Unix sockets in ``sockets``, a folder of their own, not over TCP: with TCP
    the runner picks free ports and the kernel binds them moments later, so two kernels starting at once (two
    chains, or two stages side by side) could pick the same port; the kernel then dies with "Address already in
    use" and the stage fails after a minute ("Kernel didn't respond"), as a CI run here did."""
    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc", "ip": str(sockets / "kernel")}})


def execute(stage: Stage, chain: Chain, params: Any, layout: Layout, progress: bool = True) -> Path:
    """Run one notebook into staging and promote it; return the executed notebook's final path."""
    import papermill as pm  # imported here: `status` and `params` stay fast

    logging.getLogger("papermill").setLevel(logging.ERROR)  # e.g. "Passed unknown parameter" for a chapter

    staging = layout.staging / stage.name
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    executed = staging / stage.notebook
    try:
        sockets = tempfile.TemporaryDirectory(prefix="startup-report-kernel-")  # short: a socket path has 107 bytes
        with sockets:
            pm.execute_notebook(
                str(layout.root / stage.source),
                str(executed),
                parameters=_notebook_parameters(stage, chain, params, layout, staging),
                cwd=None,  # the runner starts kernels from the project root (runner._in_project)
                kernel_name="python3",
                progress_bar=progress,
                log_output=False,
                # Written once at the end (or at the failing cell) instead of after every cell: the runner
                # prints the progress, and each save would re-validate and rewrite a notebook of figures.
                request_save_on_cell_execute=False,
                # The kernel's own log is not ours to show: start-up notices and the "KeyboardInterrupt caught
                # in kernel" that jupyter_client's SIGINT at every shutdown can cause. A failing cell still
                # stops the stage through papermill, with its traceback.
                extra_arguments=["--IPKernelApp.log_level=50"],
                config=kernel_config(Path(sockets.name)),
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


def _fingerprint(
    stage: Stage, chain: Chain, params: Any, layout: Layout, inputs: list[mf.FileRecord]
) -> dict[str, Any]:
    """What the stage is about to run with, taken before it starts (an edit during the run must not count)."""
    return {
        "name": stage.name,
        "notebook": stage.source,
        "params": chain.parameters.values(params, stage.keys),
        "inputs": inputs,
        "code": chain.code.notebook_code(layout.root / stage.source),
        "environment_sha256": chain.code.environment_sha256(),
        "notebook_sha256": mf.sha256_file(layout.root / stage.source),
    }


def hash_files(files: list[Path], layout: Layout) -> list[mf.FileRecord]:
    return [mf.FileRecord(path=layout.rel(path), sha256=mf.sha256_path(path)) for path in files if path.exists()]


def keyed(stage: Stage, chain: Chain, params: Any, layout: Layout) -> tuple[dict[str, Any], str]:
    """The stage's fingerprint and its stage-cache key, from one hashing of its inputs."""
    files = [path for path in stage_inputs(stage, chain, params, layout) if path.exists()]
    hashes = [mf.sha256_path(path) for path in files]
    inputs = [mf.FileRecord(path=layout.rel(path), sha256=sha) for path, sha in zip(files, hashes, strict=True)]
    key = _fingerprint(stage, chain, params, layout, inputs)
    return key, stagecache.key(key, [(layout.portable(path), sha) for path, sha in zip(files, hashes, strict=True)])


def _reuse(stage: Stage, stored: Path, layout: Layout) -> Path:
    """Bring a stored result in as if the stage had run: staging, then the same atomic swap."""
    staging = layout.staging / stage.name
    staging.parent.mkdir(parents=True, exist_ok=True)
    stagecache.restore(stored, staging, stage.notebook)
    replace_dir(staging, layout.stage_dir(stage.name))
    (layout.failed / stage.notebook).unlink(missing_ok=True)
    return layout.stage_dir(stage.name) / stage.notebook


def bring_up_to_date(
    stage: Stage,
    chain: Chain,
    reason: str,
    stage_key: str,
    params: Any,
    layout: Layout,
    say: Echo,
    progress: bool,
    reuse: bool,
) -> tuple[Path, Path | None]:
    """Copy the stage from the stage cache, or run it and store it there; (executed notebook, entry or None)."""
    with stagecache.computing(layout, stage_key):
        stored = stagecache.entry(layout, stage_key) if reuse else None
        if stored is not None:
            return _reuse(stage, stored, layout), stored
        say(f"running ({reason}) ...")
        executed = execute(stage, chain, params, layout, progress=progress)
        stagecache.store(layout, stage_key, layout.stage_dir(stage.name), executed, stage.outputs)
        return executed, None
