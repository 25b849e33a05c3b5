"""One plan per go-to-market segment, and the rule that picks the segment the report recommends.

Each segment (``market.gtm``) keeps the plan's other inputs and overrides who we sell to: a client's contacts,
the cost of winning one, churn, the sales cycle, the onboarding ramp and a partner's revenue share. Its
Monte Carlo draws the same uncertain inputs, with the ranges of client size, CAC and churn scaled to the
segment, so each range stays centred where the segment's base value is.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from startup_report.market import finance, montecarlo
from startup_report.market.config import Uncertain
from startup_report.report import findings

#: Plan inputs whose uncertainty range is scaled to a segment (base value of the plan -> the segment's).
SCALED = {"contacts_per_customer_month": "monthly_contacts", "cac_usd": "cac_usd", "churn_monthly": "churn_monthly"}


def segment_inputs(base: finance.PlanInputs, option) -> finance.PlanInputs:
    """The plan with a segment's client, acquisition cost, churn, cycle, ramp and partner share."""
    keep = 1.0 - option.revenue_share
    return base.with_values(
        contacts_per_customer_month=option.monthly_contacts,
        cac_usd=option.cac_usd,
        churn_monthly=option.churn_monthly,
        sales_cycle_months=option.sales_cycle_months,
        onboarding_months=option.onboarding_months,
        price_per_resolution_usd=np.asarray(base.price_per_resolution_usd) * keep,
        seat_price_usd=np.asarray(base.seat_price_usd) * keep,
        platform_fee_usd=np.asarray(base.platform_fee_usd) * keep,
    )


def segment_uncertainty(base: finance.PlanInputs, option, uncertainty: Mapping[str, Uncertain]) -> dict[str, Uncertain]:
    """The uncertainty ranges, with client size, CAC and churn scaled by segment value / plan value."""
    ranges = dict(uncertainty)
    for name, field in SCALED.items():
        if name in ranges and float(getattr(base, name)) > 0:
            ratio = float(getattr(option, field)) / float(getattr(base, name))
            spec = ranges[name]
            ranges[name] = spec.model_copy(update={"low": spec.low * ratio, "high": spec.high * ratio})
    return ranges


def run_segments(
    base: finance.PlanInputs,
    options: Mapping,
    uncertainty: Mapping[str, Uncertain],
    draws: int,
    seed: int,
    runway_alarm: int,
    thresholds: findings.Thresholds,
) -> pd.DataFrame:
    """Per segment: the base plan's NPV with and without the exit, the funding need, the odds and the verdict."""
    rows = []
    for name, option in options.items():
        plan = segment_inputs(base, option)
        result = finance.run_plan(plan)
        odds = montecarlo.summary(
            montecarlo.simulate(plan, segment_uncertainty(base, option, uncertainty), draws, seed), runway_alarm
        )
        rows.append(
            {
                "segment": name,
                "contacts a month": option.monthly_contacts,
                "CAC (USD)": option.cac_usd,
                "churn a month": option.churn_monthly,
                "sales cycle (months)": option.sales_cycle_months,
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
    the highest base NPV without the exit, then with it."""
    order = frame.sort_values(
        ["p_npv_positive_no_exit", "npv_base_no_exit_usd", "npv_base_usd"], ascending=False, kind="stable"
    )
    return str(order.iloc[0]["segment"])


def segment_sentence(frame: pd.DataFrame) -> str:
    """The recommended segment and the others beside it, in words (the rule's numbers included)."""
    best = frame[frame["recommended"]].iloc[0]
    others = frame[~frame["recommended"]]
    beside = "; ".join(
        f"{r['segment']}: {r['p_npv_positive_no_exit']:.0%} without and {r['p_npv_positive']:.0%} with the exit"
        for _, r in others.iterrows()
    )
    return (
        f"Of the go-to-market segments, {best['segment']} gives the best odds of a business that pays for itself: "
        f"P(NPV > 0) is {best['p_npv_positive_no_exit']:.0%} without the exit and {best['p_npv_positive']:.0%} with "
        f"it, base NPV {findings.money(best['npv_base_no_exit_usd'])} without the exit; "
        f"{findings.verdict_label(best['verdict'])}" + (f" (beside it, {beside})." if beside else ".")
    )
