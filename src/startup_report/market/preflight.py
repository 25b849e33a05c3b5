"""Checks of the market stage's inputs that run before any notebook: seconds, not a failed run.

Each error names the parameter or the file and row, and says how to fix it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Protocol

from startup_report.market import economics, llm, product, sector, strategy
from startup_report.market.config import MarketParams
from startup_report.market.facts import MarketDataError, fact, load_facts
from startup_report.market.montecarlo import check_names
from startup_report.modeling.config import TrainingParams


class Params(Protocol):
    """The sections this check reads (the report's parameters, which compose them, have both)."""

    @property
    def market(self) -> MarketParams: ...

    @property
    def training(self) -> TrainingParams: ...


@dataclasses.dataclass(frozen=True)
class Sections:
    """The sections a market notebook run on its own checks: its market section and the default training."""

    market: MarketParams
    training: TrainingParams = dataclasses.field(default_factory=TrainingParams)


def _row(facts, table: str, key: str, field: str):
    try:
        return fact(facts, table, key)
    except MarketDataError as exc:
        raise MarketDataError(f"market.{field}: {exc}") from None


def _default_source(row, field: str) -> None:
    problem = economics.source_problem(row)
    if problem:
        raise MarketDataError(
            f"market.{field}: row {row['key']!r} cannot be a default input: {problem}. "
            "Choose a row attributed to a named research firm (see data/market/README.md)."
        )


def preflight(params: Params, root: Path) -> None:
    """Raise MarketDataError / AssumptionError / RetiredModelError for bad market inputs."""
    market = params.market
    facts = load_facts(root / market.facts_dir)
    for field, table in (
        ("human_cost_key", "contact_costs"),
        ("price_key", "contact_costs"),
        ("gpu_hourly_key", "compute"),
        ("seat_price_key", "competitors"),
        ("transfer_rate_key", "routing"),
        ("llm_accuracy_key", "banking77_results"),
    ):
        _row(facts, table, getattr(market, field), field)
    _default_source(_row(facts, "routing", market.transfer_rate_key, "transfer_rate_key"), "transfer_rate_key")
    for key in [market.tam_key, *market.tam_range_keys]:
        _default_source(_row(facts, "market_size", key, "tam_range_keys"), "tam_range_keys")
    economics.one_year_basis(facts["market_size"], [market.tam_key, *market.tam_range_keys])
    sector.check(facts)
    human = economics.human_cost(facts["channel_costs"], market.channel, market.human_cost_channel_key)
    if human["channel"] != market.channel:
        raise MarketDataError(
            f"market.human_cost_channel_key: row {human['key']!r} is a {human['channel']} cost but market.channel "
            f"is {market.channel!r}; pick a row of that channel or leave the key null."
        )
    prices = facts["llm_prices"]
    if market.llm_model not in set(prices["model"]):
        raise MarketDataError(
            f"market.llm_model: {market.llm_model!r} is not in llm_prices.csv; "
            f"choose from: {', '.join(sorted(set(prices['model'])))}."
        )
    llm.check_not_retired(prices, market.llm_model, market.as_of)
    product.read_intent_classes(root / market.intent_classes_file)
    if market.learning_curve_source == "published":
        try:
            strategy.learning_curve(facts["banking77_results"], market.learning_curve_model)
        except ValueError as exc:
            raise MarketDataError(f"market.learning_curve_model: {exc}") from None
    elif market.measured_curve_model not in params.training.models:
        raise MarketDataError(
            f"market.measured_curve_model: {market.measured_curve_model!r} is not in training.models; "
            f"choose one of {', '.join(params.training.models)}."
        )
    try:
        check_names(market.uncertainty)
    except ValueError as exc:
        raise MarketDataError(str(exc)) from None
