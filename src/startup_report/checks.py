"""Input checks that run before any notebook: a bad dataset or market file costs seconds, not a run."""

from __future__ import annotations

from startup_report.params import Params
from startup_report.project import Layout


def validate_inputs(params: Params, layout: Layout, stages: set[str]) -> None:
    """Raise DataError / BudgetError / MarketDataError for the inputs of the stages about to run."""
    if stages & {"data-prep", "training"}:
        from startup_report.dataset import prepare
        from startup_report.modeling.grid import check_budgets

        splits = prepare(params.data, layout.root, params.seed)
        check_budgets(splits.train, params.training.budgets)
    if "market-analysis" in stages:
        from startup_report.marketdata import load_facts

        load_facts(layout.root / params.market.facts_dir)
