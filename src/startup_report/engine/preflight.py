"""Input checks that run before any notebook: a bad dataset or market file costs seconds, not a run."""

from __future__ import annotations

from startup_report.engine.layout import Layout
from startup_report.params import Params


def validate_inputs(params: Params, layout: Layout, stages: set[str]) -> None:
    """Raise DataError / BudgetError / MarketDataError for the inputs of the stages about to run."""
    if stages & {"data-prep", "training"}:
        from startup_report.data.dataset import prepare
        from startup_report.modeling.grid import check_budgets

        splits = prepare(params.data, layout.root, params.seed)
        check_budgets(splits.train, params.training.budgets)
    if stages & {"evaluation", "market-analysis"}:
        from startup_report.market.facts import MarketDataError, load_facts

        facts = load_facts(layout.root / params.market.facts_dir)
        known = set(facts["llm_prices"]["model"]) if "llm_prices" in facts else set()
        unknown = [name for name in params.evaluation.llm_models if name not in known]
        if unknown:
            raise MarketDataError(
                f"evaluation.llm_models: {unknown} not found in the `model` column of llm_prices.csv; "
                f"choose from: {', '.join(sorted(known))}."
            )
    if "market-analysis" in stages:
        from startup_report.market.facts import MarketDataError, fact
        from startup_report.market.montecarlo import check_names

        market = params.market
        for field, table in (
            ("human_cost_key", "contact_costs"),
            ("price_key", "contact_costs"),
            ("tam_key", "market_size"),
            ("gpu_hourly_key", "compute"),
        ):
            try:
                fact(facts, table, getattr(market, field))
            except MarketDataError as exc:
                raise MarketDataError(f"market.{field}: {exc}") from None
        if market.llm_model not in known:
            raise MarketDataError(
                f"market.llm_model: {market.llm_model!r} is not in llm_prices.csv; "
                f"choose from: {', '.join(sorted(known))}."
            )
        try:
            check_names(market.uncertainty)
        except ValueError as exc:
            raise MarketDataError(str(exc)) from None
