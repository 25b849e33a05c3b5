"""`startup-report`: run the chain, show what is stale, sweep scenarios, build the book, print the parameters.

A thin Typer layer: each command parses options and calls one function of the package.
Exit codes: 0 success, 1 a stage or the book build failed (or `book` found a build that is not one run's),
2 bad parameters or input files, 130 a run stopped by Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from startup_report.engine.layout import Layout, LayoutError, check_machine_cache, find_root
from startup_report.params import ParamsError, dump, load_params, schema_json

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

ParamFiles = Annotated[
    list[Path] | None,
    typer.Option("--params", help="YAML overlay on params/default.yaml; may repeat, later wins."),
]
Overrides = Annotated[
    list[str] | None,
    typer.Option("-p", "--set", help="Override one value: dotted.key=value (value read as YAML)."),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar="STARTUP_REPORT_SCHEDULER",
        help="Send training runs to this Dask scheduler (tcp://HOST:PORT); workers need this environment.",
    ),
]
Workers = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Run training runs on a local Dask cluster of N worker processes."),
]


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _setup(param_files: list[Path] | None, overrides: list[str] | None):
    try:
        layout = Layout(find_root())
        check_machine_cache()
        params = load_params(layout.root, param_files or [], overrides or [])
    except (ParamsError, LayoutError) as exc:
        raise _fail(f"error: {exc}", 2) from None
    return layout, params


@app.command()
def run(
    param_files: ParamFiles = None,
    overrides: Overrides = None,
    force: Annotated[bool, typer.Option("--force", help="Rerun every stage.")] = False,
    scheduler: Scheduler = None,
    workers: Workers = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            help="Stages at once, where none measures time (training and model-build run alone; evaluation too "
            "unless every serving figure is already stored). "
            "Default: 2, or 1 on a one-core machine.",
        ),
    ] = None,
) -> None:
    """Run the stages whose notebook, parameters, inputs, code or packages changed."""
    from startup_report.chain import CHAIN
    from startup_report.engine import manifest as mf
    from startup_report.engine import tasks
    from startup_report.engine.lock import Terminated, interruptible
    from startup_report.engine.runner import run_chain
    from startup_report.engine.stage import InputError

    layout, params = _setup(param_files, overrides)
    os.environ.pop(tasks.SCHEDULER_ENV, None)
    os.environ.pop(tasks.WORKERS_ENV, None)
    if scheduler:
        os.environ[tasks.SCHEDULER_ENV] = scheduler  # the kernels inherit it
    elif workers:
        os.environ[tasks.WORKERS_ENV] = str(workers)
    record = mf.new_run(
        ["startup-report", *sys.argv[1:]], [str(p) for p in param_files or []], list(overrides or []), layout.root,
        CHAIN.run_facts(),
    )
    record.task_pool = scheduler or (f"local Dask cluster, {workers} workers" if workers else "in-process")
    jobs = jobs or min(2, os.cpu_count() or 1)
    try:
        with interruptible():
            ok = run_chain(CHAIN, params, layout, record, force=force, echo=typer.echo, jobs=jobs)
    except InputError as exc:
        raise _fail(f"error: {exc}", 2) from None
    except KeyboardInterrupt as exc:
        how = "SIGTERM" if isinstance(exc, Terminated) else "Ctrl-C"
        raise _fail(
            f"interrupted ({how}): {layout.rel(layout.manifest)} says so; finished stages are kept, the stage that "
            "was running keeps its previous outputs. Run the same command again to finish.",
            130,
        ) from None
    if not ok:
        raise _fail("run failed: the previous outputs of the failed stage and the site are unchanged.", 1)
    typer.echo(f"manifest: {layout.rel(layout.manifest)}")


@app.command()
def status(param_files: ParamFiles = None, overrides: Overrides = None) -> None:
    """Show which stages would rerun and why (what `run` would do); runs nothing."""
    from startup_report.chain import CHAIN
    from startup_report.engine import manifest as mf
    from startup_report.engine.plan import plan

    layout, params = _setup(param_files, overrides)
    decisions = plan(CHAIN, params, layout, mf.load(layout.manifest))
    width = max(len(d.stage.name) for d in decisions)
    for decision in decisions:
        state = f"would run ({decision.reason})" if decision.stale else "up to date"
        typer.echo(f"{decision.stage.name:<{width}}  {state}")


@app.command()
def book() -> None:
    """Build the site from the executed notebooks into _build/html (only what one finished run built)."""
    from startup_report.chain import CHAIN
    from startup_report.engine import manifest as mf
    from startup_report.engine.lock import project_lock
    from startup_report.engine.plan import publish_problems, rerun_command
    from startup_report.site.book import BookError, build

    try:
        layout = Layout(find_root())
        with project_lock(layout.lock, typer.echo):
            manifest = mf.load(layout.manifest)
            found = publish_problems(CHAIN, layout, manifest)
            if found:
                raise BookError(
                    "the build folder is not the output of one finished run, so the site would mix runs; nothing "
                    "was published (the previous site is unchanged):\n"
                    + "\n".join(f"  - {line}" for line in found[:12])
                    + (f"\n  ... and {len(found) - 12} more" if len(found) > 12 else "")
                    + f"\nFix: `{rerun_command(manifest.run)}`, then `startup-report book`."
                )
            build(layout, echo=typer.echo)
    except LayoutError as exc:
        raise _fail(f"error: {exc}", 2) from None
    except BookError as exc:
        raise _fail(f"error: {exc}", 1) from None


@app.command()
def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep file: named scenarios or a grid (params/sweeps/*.yaml).")],
    param_files: ParamFiles = None,
    overrides: Overrides = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Run scenarios on this Dask scheduler (tcp://HOST:PORT).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local Dask workers (without --scheduler).")] = 2,
    max_scenarios: Annotated[
        int,
        typer.Option(
            "--max-scenarios",
            min=1,
            help="Refuse a sweep of more scenarios than this (each is a whole chain); raise it to confirm a large one.",
        ),
    ] = 500,
) -> None:
    """Run every scenario of a sweep as a whole chain on Dask, then write its comparison page for the book."""
    from startup_report.engine.layout import UnsafeName
    from startup_report.site.sweeps import SweepFailed, sweep_command
    from startup_report.sweep.spec import SweepError

    layout, _ = _setup(param_files, overrides)
    try:
        sweep_command(
            layout, sweep_file, param_files or [], overrides or [], scheduler, workers, typer.echo, max_scenarios
        )
    except (SweepError, UnsafeName) as exc:
        raise _fail(f"error: {exc}", 2) from None
    except SweepFailed as exc:
        raise _fail(str(exc), 1) from None


@app.command("params")
def show_params(
    param_files: ParamFiles = None,
    overrides: Overrides = None,
    schema: Annotated[bool, typer.Option("--schema", help="Print the JSON Schema instead.")] = False,
    json_format: Annotated[bool, typer.Option("--json", help="Print JSON instead of YAML.")] = False,
) -> None:
    """Print the effective parameters (defaults + overlays + overrides)."""
    if schema:
        typer.echo(schema_json())
        return
    _, params = _setup(param_files, overrides)
    typer.echo(dump(params, "json" if json_format else "yaml").rstrip())


if __name__ == "__main__":  # pragma: no cover
    app()
