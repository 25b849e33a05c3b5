"""One plan per go-to-market segment, and the rule that picks the segment the report's plan is.

Each segment (``market.gtm``) sets who we sell to: a client's contacts, the cost of winning one, churn, the sales
cycle, the onboarding ramp and a partner's revenue share; what it leaves out comes from the market section. Its
Monte Carlo draws the same uncertain inputs, each from a range centred on the segment's own base value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from startup_report.market import finance, montecarlo
from startup_report.market.config import MarketParams, Uncertain
from startup_report.report import findings


@dataclass(frozen=True)
class SegmentPlan:
    """One segment's market parameters (the segment's values in place), its base plan and its ranges."""

    name: str
    config: MarketParams
    base: finance.PlanInputs
    ranges: dict[str, Uncertain]


def resolve(config: MarketParams, name: str) -> MarketParams:
    """The market parameters with segment ``name``'s values in place of the market section's."""
    set_here = {k: v for k, v in config.gtm[name].model_dump().items() if v is not None}
    return config.model_copy(update=set_here)


def plans(
    config: MarketParams,
    plan_for: Callable[[MarketParams], finance.PlanInputs],
    ranges_for: Callable[[finance.PlanInputs], dict[str, Uncertain]],
) -> dict[str, SegmentPlan]:
    """Every segment's plan: ``plan_for`` builds a plan from market parameters, ``ranges_for`` its ranges."""
    out = {}
    for name in config.gtm:
        resolved = resolve(config, name)
        base = plan_for(resolved)
        out[name] = SegmentPlan(name, resolved, base, ranges_for(base))
    return out


def run_segments(
    segment_plans: Mapping[str, SegmentPlan], draws: int, seed: int, runway_alarm: int, thresholds: findings.Thresholds
) -> pd.DataFrame:
    """Per segment: the base plan's NPV with and without the exit, the funding need, the odds and the verdict."""
    rows = []
    for name, sp in segment_plans.items():
        result = finance.run_plan(sp.base)
        odds = montecarlo.summary(montecarlo.simulate(sp.base, sp.ranges, draws, seed), runway_alarm)
        c = sp.config
        rows.append(
            {
                "segment": name,
                "contacts a month": float(c.monthly_contacts),
                "CAC (USD)": c.cac_usd,
                "churn a month": c.churn_monthly,
                "sales cycle (months)": c.sales_cycle_months,
                "npv_base_usd": float(result.npv_usd[0]),
                "npv_base_no_exit_usd": float(result.npv_no_exit_usd[0]),
                "funding_need_base_usd": float(result.funding_need_usd[0]),
                "p_npv_positive": odds["p_npv_positive"],
                "p_npv_positive_no_exit": odds["p_npv_positive_no_exit"],
                "p_fail": odds["p_fail"],
                "verdict": findings.verdict(
                    odds["p_npv_positive_no_exit"], odds["p_npv_positive"], odds["p_fail"], thresholds
                ),
            }
        )
    frame = pd.DataFrame(rows)
    frame["recommended"] = frame["segment"] == recommended(frame)
    return frame


def recommended(frame: pd.DataFrame) -> str:
    """The segment to sell to: the highest P(NPV > 0) without the exit (a business that pays for itself), then
    the highest P(NPV > 0) with it (where none pays for itself, the best odds an exit gives), then the highest
    base NPV without the exit, then with it."""
    keys = ["p_npv_positive_no_exit", "p_npv_positive", "npv_base_no_exit_usd", "npv_base_usd"]
    order = frame.sort_values(keys, ascending=False, kind="stable")
    return str(order.iloc[0]["segment"])


def segment_sentence(frame: pd.DataFrame) -> str:
    """The recommended segment and the others beside it, in words (the rule's numbers included)."""
    best = frame[frame["recommended"]].iloc[0]
    others = frame[~frame["recommended"]]
    beside = "; ".join(
        f"{r['segment']}: {r['p_npv_positive_no_exit']:.0%} without and {r['p_npv_positive']:.0%} with the exit"
        for _, r in others.iterrows()
    )
    why = (
        "the go-to-market segment with the best odds of a business that pays for itself"
        if best["p_npv_positive_no_exit"] > 0
        else "the go-to-market segment with the best odds once an exit is counted (none pays for itself without one)"
    )
    return (
        f"The plan this report prices sells to {best['segment']}, {why}: "
        f"P(NPV > 0) is {best['p_npv_positive_no_exit']:.0%} without the exit and {best['p_npv_positive']:.0%} with "
        f"it, base NPV {findings.money(best['npv_base_no_exit_usd'])} without the exit; "
        f"{findings.verdict_label(best['verdict'])}" + (f" (beside it, {beside})." if beside else ".")
    )
