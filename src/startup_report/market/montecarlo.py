"""Uncertainty: a seeded, vectorized Monte Carlo over the plan's uncertain inputs, and a tornado chart.

Each uncertain input is drawn from its declared range (triangular around the base value, or uniform);
all draws run through `finance.run_plan` at once as arrays, so 10,000 draws take well under a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from startup_report.market.bounds import bounds
from startup_report.market.finance import PlanInputs, PlanResult, run_plan

if TYPE_CHECKING:  # for the annotations only
    from startup_report.market.config import Spread, Uncertain

SCALAR_ONLY = ("discount_rate_annual",)

#: The uncertain inputs in a reader's words (the tornado's, the summary's); others read with spaces for "_".
LABELS = {
    "price_per_resolution_usd": "the price per resolution",
    "contacts_per_customer_month": "the client's size (contacts a month)",
    "cac_usd": "the cost of winning a client (CAC)",
    "churn_monthly": "churn",
    "new_customers_per_month": "the number of clients won a month",
    "automation_rate": "the share of contacts the router resolves",
    "opex_usd_per_month": "the team's cost (opex)",
    "exit_revenue_multiple": "the exit multiple",
    "fixed_cost_per_customer_usd": "the fixed cost per client",
    "valuation_scale": "the round prices",
    "sales_cycle_months": "the sales cycle",
    "price_erosion_annual": "the yearly price erosion",
}


def label(name: str) -> str:
    """An uncertain input as a reader names it."""
    return LABELS.get(name, name.replace("_", " "))


def drawable() -> list[str]:
    """Plan inputs the Monte Carlo may draw (the discount rate is policy, not uncertainty)."""
    return [name for name in PlanInputs.field_names() if name not in SCALAR_ONLY]


def check_names(uncertainty: Mapping[str, object]) -> None:
    unknown = sorted(set(uncertainty) - set(drawable()))
    if unknown:
        raise ValueError(f"market.uncertainty: unknown plan inputs {unknown}; allowed: {drawable()}")


def centred(
    base: PlanInputs, spreads: Mapping[str, Spread], ceilings: Mapping[str, float] | None = None
) -> dict[str, Uncertain]:
    """Each input's range: base x (1 +/- spread), centred on the plan's base value so that the mean draw is the
    base. Where the range would pass the input's bounds or a ceiling it cannot physically pass (``ceilings``,
    e.g. automation above the share of messages a template can resolve), it narrows evenly on both sides, so it
    stays centred; a base already at or past a ceiling draws nothing there."""
    from startup_report.market.config import MarketParams, Uncertain

    check_names(spreads)
    ranges = {}
    for name, spec in spreads.items():
        value = float(np.asarray(getattr(base, name)))
        low, high = bounds(name, MarketParams.model_fields)
        high = min(high, (ceilings or {}).get(name, high))
        width = max(0.0, min(abs(value) * spec.spread, value - low, high - value))
        ranges[name] = Uncertain(low=value - width, high=value + width, dist=spec.dist)
    return ranges


def draw_inputs(base: PlanInputs, uncertainty: Mapping[str, Uncertain], draws: int, seed: int) -> PlanInputs:
    """The base plan with every uncertain input replaced by ``draws`` random values."""
    check_names(uncertainty)
    rng = np.random.default_rng(seed)
    changes = {}
    for name, spec in sorted(uncertainty.items()):
        mode = float(np.clip(getattr(base, name), spec.low, spec.high))
        if spec.dist == "uniform" or spec.low == spec.high:
            values = rng.uniform(spec.low, spec.high, draws)
        else:
            values = rng.triangular(spec.low, mode, spec.high, draws)
        changes[name] = values.reshape(-1, 1)
    return base.with_values(**changes)


def simulate(base: PlanInputs, uncertainty: Mapping[str, Uncertain], draws: int, seed: int) -> PlanResult:
    return run_plan(draw_inputs(base, uncertainty, draws, seed))


def summary(result: PlanResult, runway_alarm_months: int) -> dict[str, float]:
    """The answer to 'bubble or gold mine?' as probabilities, with and without the exit, money charged for."""
    need = result.funding_need_usd
    return {
        "p_npv_positive": float((result.npv_usd > 0).mean()),
        "p_npv_positive_no_exit": float((result.npv_no_exit_usd > 0).mean()),
        "p_npv_positive_free_money": float((result.npv_unfunded_usd > 0).mean()),
        "p_runway_short": float((result.runway_months < runway_alarm_months).mean()),
        "p_needs_raise": float((need > 0).mean()),
        "p_fail": float(result.failed.mean()),
        "funding_need_median": float(np.median(need)),
        "funding_need_p90": float(np.percentile(need, 90)),
        "npv_p10": float(np.percentile(result.npv_usd, 10)),
        "npv_median": float(np.median(result.npv_usd)),
        "npv_p90": float(np.percentile(result.npv_usd, 90)),
        "npv_no_exit_median": float(np.median(result.npv_no_exit_usd)),
    }


def fan(cash: np.ndarray, quantiles: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Quantiles of cash per month across draws, for the fan chart."""
    table = pd.DataFrame(np.quantile(cash, quantiles, axis=0).T, columns=[f"q{int(q * 100):02d}" for q in quantiles])
    table.insert(0, "month", np.arange(1, cash.shape[1] + 1))
    return table


def tornado(base: PlanInputs, uncertainty: Mapping[str, Uncertain]) -> pd.DataFrame:
    """NPV with each uncertain input at its low and at its high end, the others at base, sorted by swing."""
    check_names(uncertainty)
    base_npv = float(run_plan(base).npv_usd[0])
    rows = []
    for name, spec in uncertainty.items():
        low = float(run_plan(base.with_values(**{name: spec.low})).npv_usd[0])
        high = float(run_plan(base.with_values(**{name: spec.high})).npv_usd[0])
        rows.append(
            {
                "input": name,
                "low_value": spec.low,
                "high_value": spec.high,
                "npv_at_low": low,
                "npv_at_high": high,
                "swing": abs(high - low),
            }
        )
    frame = pd.DataFrame(rows).sort_values("swing", ascending=False).reset_index(drop=True)
    frame.attrs["base_npv"] = base_npv
    return frame
