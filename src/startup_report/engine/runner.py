"""The runner: bring a chain of notebook stages up to date, in order, some side by side.

`run_chain` holds the project lock, plans (the same plan `status` prints), checks the inputs of the
stages about to run, then brings the stale ones up to date (stagerun.py): a stage starts when its upstream
stages have finished, a stage that measures time runs alone, the others up to ``jobs`` at once. The
manifest is rewritten after every stage.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout
from startup_report.engine.lock import project_lock
from startup_report.engine.plan import Decision, plan
from startup_report.engine.preflight import check_inputs
from startup_report.engine.stage import Chain, Stage
from startup_report.engine.stagerun import Echo, StageFailed, bring_up_to_date, hash_files, keyed


def next_to_start(
    pending: list[Decision],
    running: list[Stage],
    finished: set[str],
    planned: set[str],
    jobs: int,
) -> Decision | None:
    """The next decision to start, in chain order, or None.

    A stage starts once its upstream stages in this plan have finished. A stage that measures time
    (``timed``) runs alone, so that its timings never share the CPU with another stage; while one waits for
    the others to finish, nothing else starts. Other stages run side by side, up to ``jobs`` at once.
    """
    for decision in pending:
        stage = decision.stage
        if any(name in planned and name not in finished for name in stage.upstream):
            continue
        if not decision.stale:
            return decision
        if stage.timed:
            return None if running else decision
        if any(other.timed for other in running) or len(running) >= jobs:
            return None
        return decision
    return None


Started = tuple[Decision, dict[str, Any], str, str, float]  # decision, fingerprint, stage key, started, t0


def execute_plan(
    decisions: Sequence[Decision],
    chain: Chain,
    params: Any,
    layout: Layout,
    manifest: mf.Manifest,
    echo: Echo,
    progress: bool,
    reuse: bool = True,
    jobs: int = 1,
) -> bool:
    """Run the stale stages, up to ``jobs`` at once where none of them measures time; True on success.

    After a failure no further stage starts (those running finish and are recorded). A stale stage whose key is
    in the stage cache is copied from it (outcome "reused") unless ``reuse`` is off (``--force``); every stage
    that runs, or is up to date, is stored there for later runs and scenarios. The manifest is written by this
    thread alone, after each stage.
    """
    width = max(len(d.stage.name) for d in decisions)
    lock = threading.Lock()

    def say(stage: Stage) -> Echo:
        """Lines about ``stage``, after its name, whole even when two stages report at once."""

        def line(text: str) -> None:
            with lock:
                echo(f"{stage.name:<{width}}  {text}")

        return line

    pending, planned = list(decisions), {d.stage.name for d in decisions}
    running: dict[Future, Started] = {}
    finished: set[str] = set()
    ok = True

    def busy() -> list[Stage]:
        return [entry[0].stage for entry in running.values()]

    def settle(entry: Started, future: Future) -> None:
        nonlocal ok
        decision, key, stage_key, started, t0 = entry
        line = say(decision.stage)
        try:
            executed, stored = future.result()
        except Exception as exc:  # a dead kernel too: the stage failed, and is recorded so
            failure = exc if isinstance(exc, StageFailed) else StageFailed(f"{type(exc).__name__}: {exc}")
            _record_failure(decision, key, failure, started, t0, layout, manifest, line)
            ok = False
            return
        _record_success(decision, key, stage_key, executed, stored, started, t0, layout, manifest, line)
        finished.add(decision.stage.name)

    # The pool closes (its threads end) before the working directory goes back: no kernel starts elsewhere.
    with _in_project(layout, chain.kernel_env), ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        try:
            while pending or running:
                while ok and (decision := next_to_start(pending, busy(), finished, planned, jobs)):
                    pending.remove(decision)
                    stage, record = decision.stage, manifest.stages.get(decision.stage.name)
                    if not decision.stale:
                        say(stage)("up to date")
                        if record is not None:
                            update = {"outcome": "up to date", "reason": ""}
                            manifest.stages[stage.name] = record.model_copy(update=update)
                        finished.add(stage.name)
                        continue
                    key, stage_key = keyed(stage, chain, params, layout)
                    entry = (decision, key, stage_key, mf.now_iso(), time.perf_counter())
                    alone = stage.timed or jobs == 1
                    # A stage that runs alone runs here, in the main thread, where Ctrl-C stops its kernel as
                    # it always did; the others in threads, without cell progress bars (they would interleave).
                    show = progress and alone
                    task = (stage, chain, decision.reason, stage_key, params, layout, say(stage), show, reuse)
                    if alone:
                        settle(entry, _done_here(bring_up_to_date, *task))
                    else:
                        running[pool.submit(bring_up_to_date, *task)] = entry
                if not ok:
                    for decision in pending:
                        say(decision.stage)("not run (an earlier stage failed)")
                    pending.clear()
                if not running:
                    if pending:
                        waiting = ", ".join(d.stage.name for d in pending)
                        raise RuntimeError(f"no stage can start: {waiting} wait for stages that never run")
                    continue
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    settle(running.pop(future), future)
        except BaseException:
            _stop_kernels()  # Ctrl-C: the threads' kernels die, so their stages end before the lock is released
            raise
    return ok


def _done_here(function: Callable[..., Any], *args: Any) -> Future:
    """``function(*args)`` run now, in this thread, as a completed future (an ``Exception`` is kept in it)."""
    future: Future = Future()
    try:
        future.set_result(function(*args))
    except Exception as exc:
        future.set_exception(exc)
    return future


@contextlib.contextmanager
def _in_project(layout: Layout, kernel_env: Mapping[str, str]) -> Iterator[None]:
    """Kernels start in the project root with the chain's kernel environment, set once here in the main thread:
    papermill's own ``cwd=`` changes the whole process's directory and back, which threads would race on."""
    previous = Path.cwd()
    os.environ.update(kernel_env)
    os.chdir(layout.root)
    try:
        yield
    finally:
        os.chdir(previous)


def _stop_kernels() -> None:
    """Kill this process's children (the kernels of stages running in threads; they run in sessions of their
    own, so Ctrl-C does not reach them): papermill then raises in each thread and the threads end."""
    import psutil  # installed with ipykernel and distributed (requirements.lock)

    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            child.kill()


def _record_failure(decision: Decision, key: dict[str, Any], exc: StageFailed, started: str, t0: float,
                    layout: Layout, manifest: mf.Manifest, say: Echo) -> None:  # fmt: skip
    stage, record = decision.stage, manifest.stages.get(decision.stage.name)
    duration = round(time.perf_counter() - t0, 2)
    say(f"FAILED after {duration} s: {exc}")
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
    mf.save(manifest, layout.manifest)


def _record_success(decision: Decision, key: dict[str, Any], stage_key: str, executed: Path, stored: Path | None,
                    started: str, t0: float, layout: Layout, manifest: mf.Manifest, say: Echo) -> None:  # fmt: skip
    stage = decision.stage
    duration = round(time.perf_counter() - t0, 2)
    # The executed notebook is an output too: the book publishes it, so a damaged copy must make the stage stale.
    files = [layout.stage_dir(stage.name) / name for name in stage.outputs]
    outputs = hash_files([*files, layout.stage_dir(stage.name) / stage.notebook], layout)
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
    say(f"{done} ({decision.reason}) in {duration} s")


def run_chain(
    chain: Chain,
    params: Any,
    layout: Layout,
    run_record: mf.RunRecord,
    force: bool = False,
    echo: Echo = print,
    progress: bool | None = None,
    jobs: int = 1,
) -> bool:
    """Lock the project, plan, check the inputs of the stale stages (InputError: nothing runs), execute
    (``jobs`` stages at once where none measures time).

    True when every stage is up to date at the end.
    """
    if progress is None:
        progress = sys.stderr.isatty()  # a cell progress bar helps at a terminal, floods a CI log
    with project_lock(layout.lock, echo):
        manifest = mf.load(layout.manifest)
        decisions = plan(chain, params, layout, manifest, force)
        check_inputs([d.stage for d in decisions if d.stale], params, layout.root)
        manifest.run = run_record
        manifest.params = chain.parameters.dump(params)
        started = time.perf_counter()
        try:
            ok = execute_plan(decisions, chain, params, layout, manifest, echo, progress, reuse=not force, jobs=jobs)
        except BaseException as exc:  # Ctrl-C, SIGTERM (Terminated) or a crash: the manifest says so
            run_record.outcome = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            raise
        else:
            run_record.outcome = "success" if ok else "failed"
        finally:
            run_record.finished = mf.now_iso()
            run_record.duration_s = round(time.perf_counter() - started, 2)
            mf.save(manifest, layout.manifest)
    return ok

