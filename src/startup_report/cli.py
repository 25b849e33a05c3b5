"""`startup-report`: run the chain, show what is stale, build the book, print the parameters.

A thin Typer layer: each command parses options and calls one function of the package.
Exit codes: 0 success, 1 a stage or the book build failed, 2 bad parameters or input files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout, ProjectNotFound, find_root
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


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _setup(param_files: list[Path] | None, overrides: list[str] | None):
    try:
        layout = Layout(find_root())
        params = load_params(layout.root, param_files or [], overrides or [])
    except (ParamsError, ProjectNotFound) as exc:
        raise _fail(f"error: {exc}", 2) from None
    return layout, params


@app.command()
def run(
    param_files: ParamFiles = None,
    overrides: Overrides = None,
    force: Annotated[bool, typer.Option("--force", help="Rerun every stage.")] = False,
) -> None:
    """Run the stages whose notebook, parameters, inputs or code changed."""
    from startup_report.data.dataset import DataError
    from startup_report.engine import runner
    from startup_report.engine.preflight import validate_inputs
    from startup_report.market.facts import MarketDataError
    from startup_report.modeling.grid import BudgetError

    layout, params = _setup(param_files, overrides)
    stale = {d.stage.name for d in runner.plan(params, layout, mf.load(layout.manifest), force) if d.stale}
    try:
        validate_inputs(params, layout, stale)
    except (DataError, BudgetError, MarketDataError) as exc:
        raise _fail(f"error: {exc}", 2) from None
    record = mf.new_run(
        ["startup-report", *sys.argv[1:]],
        [str(p) for p in param_files or []],
        list(overrides or []),
        layout.root,
    )
    ok = runner.run(params, layout, record, force=force, echo=typer.echo)
    if not ok:
        raise _fail("run failed: the previous outputs of the failed stage and the site are unchanged.", 1)
    typer.echo(f"manifest: {layout.rel(layout.manifest)}")


@app.command()
def status(param_files: ParamFiles = None, overrides: Overrides = None) -> None:
    """Show which stages would rerun and why; runs nothing."""
    from startup_report.engine import runner

    layout, params = _setup(param_files, overrides)
    decisions = runner.plan(params, layout, mf.load(layout.manifest))
    width = max(len(d.stage.name) for d in decisions)
    for decision in decisions:
        state = f"would run ({decision.reason})" if decision.stale else "up to date"
        typer.echo(f"{decision.stage.name:<{width}}  {state}")


@app.command()
def book() -> None:
    """Build the site from the executed notebooks into _build/html."""
    from startup_report.site.book import BookError, build

    try:
        layout = Layout(find_root())
        build(layout, echo=typer.echo)
    except ProjectNotFound as exc:
        raise _fail(f"error: {exc}", 2) from None
    except BookError as exc:
        raise _fail(f"error: {exc}", 1) from None


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
