"""Running a sweep: one Dask task per scenario, each a whole chain in its own build folder, then a tally.

A scenario task runs `run_chain` on the scenario's layout (``build/scenarios/<name>``) and logs to its
``run.log``; stages whose inputs another scenario (or the project's own run) already had are copied from
the stage cache, so what differs is all that runs. Workers read the project from a shared filesystem: the
project root is the same path on every worker (on one machine it trivially is). A kernel that fails to
start is retried; any other failure is the scenario's outcome, never the sweep's end: the tally names every
scenario once, as ok (something ran), reused (nothing had to run) or failed.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from startup_report.engine import manifest as mf
from startup_report.engine import tasks
from startup_report.engine.layout import Layout
from startup_report.engine.stage import Chain
from startup_report.sweep.spec import Scenario, Sweep

Status = Literal["ok", "reused", "failed"]
Echo = Callable[[str], None]

# What a kernel that never came up looks like (jupyter_client / nbclient), as opposed to a failing cell.
KERNEL_START_ERRORS = ("Kernel died before replying", "Kernel didn't respond", "kernel_info", "Kernel not running")


@dataclass
class Outcome:
    """What happened to one scenario."""

    name: str
    status: Status
    seconds: float = 0.0
    ran: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    attempts: int = 1
    error: str = ""
    log: str = ""


def kernel_start_failure(exc: BaseException) -> bool:
    """A kernel that did not start (worth one more try), not a notebook that raised."""
    return isinstance(exc, TimeoutError) or any(text in str(exc) for text in KERNEL_START_ERRORS)


def retrying(fn: Callable[[], bool], attempts: int, echo: Echo) -> tuple[bool, int]:
    """Call ``fn`` until it returns, retrying kernel start failures; (its result, attempts used)."""
    for attempt in range(1, attempts + 1):
        try:
            return fn(), attempt
        except Exception as exc:
            if attempt == attempts or not kernel_start_failure(exc):
                raise
            echo(f"a kernel failed to start ({type(exc).__name__}: {exc}); retrying ({attempt + 1} of {attempts})")
    raise AssertionError("unreachable")  # pragma: no cover


def run_scenario(
    root: str, scenario: Scenario, param_files: Sequence[str], stages: Chain, attempts: int = 2
) -> Outcome:
    """The Dask task: bring one scenario's chain up to date; never raises for a failing scenario."""
    from startup_report.engine.runner import run_chain

    for key in (tasks.SCHEDULER_ENV, tasks.WORKERS_ENV):
        os.environ.pop(key, None)  # training inside a scenario's kernel runs in the kernel, not on another cluster
    layout = Layout(Path(root)).scenario(scenario.name)
    layout.build.mkdir(parents=True, exist_ok=True)
    log_path = layout.build / "run.log"
    start = time.perf_counter()
    outcome = Outcome(scenario.name, "failed", log=layout.rel(log_path))
    with log_path.open("w", encoding="utf-8") as log:

        def echo(line: str) -> None:
            log.write(line + "\n")
            log.flush()

        echo(f"scenario {scenario.name}: {' '.join(scenario.overrides) or 'the base parameters'}")
        record = mf.new_run(
            ["startup-report", "sweep", f"scenario={scenario.name}"],
            list(param_files),
            list(scenario.overrides),
            layout.root,
            stages.run_facts(),
        )
        try:
            ok, outcome.attempts = retrying(
                lambda: run_chain(stages, scenario.params, layout, record, echo=echo, progress=False), attempts, echo
            )
        except Exception as exc:
            echo(traceback.format_exc())
            outcome.error, ok = f"{type(exc).__name__}: {exc}", False
    stages_done = mf.load(layout.manifest).stages
    this_run = {name: s for name, s in stages_done.items() if (s.started or "") >= record.started}
    outcome.ran = [name for name, s in this_run.items() if s.outcome == "ran"]
    outcome.reused = [
        name
        for name, s in stages_done.items()
        if s.outcome == "up to date" or name in this_run and s.outcome == "reused"
    ]
    failed = [s for s in this_run.values() if s.outcome == "failed"]
    if failed and not outcome.error:
        outcome.error = f"{failed[0].name}: {((failed[0].error or '').splitlines() or [''])[0]}"
    outcome.status = "failed" if not ok else ("ok" if outcome.ran else "reused")
    outcome.seconds = round(time.perf_counter() - start, 2)
    return outcome


def progress_line(outcome: Outcome, done: int, total: int, width: int) -> str:
    detail = (
        f"ran {', '.join(outcome.ran) or 'nothing'}; reused {len(outcome.reused)}"
        if outcome.status != "failed"
        else (outcome.error.splitlines() or ["no error recorded"])[0][:300]
    )
    retried = f" (after {outcome.attempts} attempts)" if outcome.attempts > 1 else ""
    return (
        f"[{done}/{total}] {outcome.name:<{width}}  {outcome.status:<6} {outcome.seconds:7.1f} s{retried}  "
        f"{detail}  log: {outcome.log}"
    )


def tally(outcomes: dict[str, Outcome], names: Sequence[str]) -> dict[str, int]:
    """Counts per status over exactly the sweep's scenarios: a scenario without an outcome counts as failed."""
    counts = {"ok": 0, "reused": 0, "failed": 0}
    for name in names:
        counts[outcomes[name].status if name in outcomes else "failed"] += 1
    return counts


def run_sweep(
    layout: Layout,
    sweep: Sweep,
    stages: Chain,
    scheduler: str | None = None,
    workers: int = 2,
    echo: Echo = print,
) -> dict[str, Outcome]:
    """Submit every scenario, print one line per scenario as it ends; every scenario gets an outcome."""
    names = [s.name for s in sweep.scenarios]
    width = max(len(name) for name in names)
    files = [layout.rel(path) for path in sweep.param_files]
    outcomes: dict[str, Outcome] = {}
    with tasks.task_pool(scheduler=scheduler, workers=None if scheduler else workers) as pool:
        from dask.distributed import as_completed

        echo(f"sweep {sweep.name}: {len(names)} scenarios on {pool.description}")
        client = pool.client  # type: ignore[attr-defined]
        futures = {
            client.submit(
                run_scenario,
                str(layout.root),
                scenario,
                files,
                stages,
                key=f"scenario-{sweep.name}-{scenario.name}",
                pure=False,
                retries=1,  # a worker lost mid-task: Dask resubmits it once
            ): scenario.name
            for scenario in sweep.scenarios
        }
        for future in as_completed(futures):
            name = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # the task itself was lost (worker died twice, pickling, ...)
                outcome = Outcome(
                    name, "failed", error=f"{type(exc).__name__}: {exc}", log="(no log: the task was lost)"
                )
            outcomes[name] = outcome
            echo(progress_line(outcome, len(outcomes), len(names), width))
    for name in names:
        outcomes.setdefault(name, Outcome(name, "failed", error="no result came back from the cluster"))
    counts = tally(outcomes, names)
    echo(
        f"sweep {sweep.name}: {counts['ok']} ok, {counts['reused']} reused, {counts['failed']} failed (of {len(names)})"
    )
    sys.stdout.flush()
    return {name: outcomes[name] for name in names}
