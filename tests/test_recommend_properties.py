"""The summary never holds two contradictory statements, for any plan and any verdict thresholds.

Hypothesis draws a plan, a small seeded Monte Carlo around it and the verdict's thresholds; the verdict and
the rules that could contradict it (funding, pricing, the exit) are worded as the chapter words them, and
`recommend.conflicts` must find nothing.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from startup_report.market import finance, montecarlo, strategy
from startup_report.report import findings, recommend
from tests.test_market_properties import plans


@settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    plan=plans(pricing="per_resolution"),
    seed=st.integers(0, 2**16),
    gold=st.floats(0.05, 1.0),
    bubble_share=st.floats(0.0, 1.0),
    max_failure=st.floats(0.0, 1.0),
)
def test_the_summary_never_contradicts_itself(plan, seed, gold, bubble_share, max_failure):
    rng = np.random.default_rng(seed)
    draws = {
        "new_customers_per_month": rng.uniform(0.0, 4.0, 48),
        "cac_usd": rng.uniform(0.0, 400_000.0, 48),
        "exit_revenue_multiple": rng.uniform(0.0, 10.0, 48),
    }
    odds = montecarlo.summary(finance.run_plan(plan.with_values(**draws)), 18)
    base = finance.run_plan(plan)
    thresholds = findings.Thresholds(gold, max(1e-3, gold * bubble_share), max_failure)
    verdict = findings.verdict(odds["p_npv_positive_no_exit"], odds["p_npv_positive"], odds["p_fail"], thresholds)
    pricing = strategy.pricing_table(plan)
    need = float(base.funding_need_usd[0])
    recs = [
        recommend.funding(odds, need, plan.months, max_failure),
        recommend.pricing(pricing, plan.pricing),
        recommend.exit_dependence(odds, float(plan.exit_revenue_multiple), gold),
    ]
    best = float(pricing["operating NPV (USD m)"].max())
    assert recommend.conflicts(findings.verdict_label(verdict), recs, odds, need, best) == [], (verdict, recs)
