"""`startup-report sweep`: validate every scenario, run them on Dask, write the comparison page, report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from startup_report.engine.layout import Layout
from startup_report.sweep import spec
from startup_report.sweep.execute import run_sweep


class SweepFailed(RuntimeError):
    """Some scenarios failed (exit 1); the others' results and the comparison page are kept."""


def sweep_command(
    layout: Layout,
    sweep_file: Path,
    param_files: Sequence[Path],
    overrides: Sequence[str],
    scheduler: str | None,
    workers: int,
    echo: Callable[[str], None] = print,
    max_scenarios: int = spec.MAX_SCENARIOS,
) -> Path:
    """Everything the command does, in order; return the comparison page (raise SweepFailed after writing it)."""
    from startup_report.chain import STAGES
    from startup_report.site.sweeps import write_page

    path = sweep_file if sweep_file.is_absolute() else Path.cwd() / sweep_file
    sweep = spec.load(layout.root, spec.read(path), list(param_files), list(overrides), max_scenarios)
    spec.preflight(sweep, layout.root, STAGES)
    outcomes = run_sweep(layout, sweep, STAGES, scheduler=scheduler, workers=workers, echo=echo)
    page = write_page(layout, sweep, outcomes, STAGES)
    echo(f"comparison page: {layout.rel(page)} (in the book after `startup-report book`)")
    failed = [name for name, outcome in outcomes.items() if outcome.status == "failed"]
    if failed:
        raise SweepFailed(f"sweep failed for {', '.join(failed)}: see each scenario's run.log; the others are kept.")
    return page
