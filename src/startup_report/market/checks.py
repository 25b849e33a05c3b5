"""Checks of the market inputs that run before any stage: every key the parameters name must exist."""

from __future__ import annotations

from pathlib import Path

from startup_report.engine.stage import InputError
from startup_report.market.facts import MarketDataError, fact, load_facts


def _facts(params, root: Path) -> dict:
    try:
        return load_facts(root / params.market.facts_dir)
    except MarketDataError as exc:
        raise InputError(str(exc)) from None


def known_llm_models(params, root: Path) -> set[str]:
    facts = _facts(params, root)
    return set(facts["llm_prices"]["model"]) if "llm_prices" in facts else set()


def check_llm_models(params, root: Path) -> None:
    """The evaluation stage prices these API models: each must be a row of llm_prices.csv."""
    known = known_llm_models(params, root)
    unknown = [name for name in params.evaluation.llm_models if name not in known]
    if unknown:
        raise InputError(
            f"evaluation.llm_models: {unknown} not found in the `model` column of llm_prices.csv; "
            f"choose from: {', '.join(sorted(known))}."
        )


def check_market_keys(params, root: Path) -> None:
    """Every fact key, the LLM route's model and the uncertain inputs the market parameters name."""
    from startup_report.market.montecarlo import check_names

    facts = _facts(params, root)
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
            raise InputError(f"market.{field}: {exc}") from None
    known = known_llm_models(params, root)
    if market.llm_model not in known:
        raise InputError(
            f"market.llm_model: {market.llm_model!r} is not in llm_prices.csv; choose from: {', '.join(sorted(known))}."
        )
    try:
        check_names(market.uncertainty)
    except ValueError as exc:
        raise InputError(str(exc)) from None
