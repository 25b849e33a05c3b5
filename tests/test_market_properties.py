"""Properties of the market model that must hold for any plan, tested with hypothesis.

Each example draws a whole plan (any pricing, horizon, funding terms, sales cycle and erosion) and one input
at a sorted set of values; `finance.run_plan` runs them as one vectorized batch, so a property costs a few
hundred plans in well under a second. A failing example is a bug in the model: the property is what an
investor expects of any sound valuation, and is never loosened to make a test pass.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from startup_report.market import finance, funding

EXAMPLES = settings(
    max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
STEPS = 8  # values of the varied input per example


def _float(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def plans(draw, pricing: str | None = None, profitable_clients: bool = False) -> finance.PlanInputs:
    """Any plan in the parameters' ranges. `profitable_clients`: every deployed client earns more than it
    costs to serve in every month (the premise of 'losing clients loses value')."""
    stages = draw(st.integers(1, 3))
    p = finance.PlanInputs(
        months=draw(st.sampled_from([12, 24, 36, 60])),
        starting_cash_usd=draw(_float(0.0, 1e7)),
        initial_customers=draw(_float(0.0, 10.0)),
        new_customers_per_month=draw(_float(0.0, 4.0)),
        sales_growth_annual=draw(_float(-0.5, 2.0)),
        churn_monthly=draw(_float(0.0, 0.1)),
        contacts_per_customer_month=draw(_float(1_000.0, 200_000.0)),
        automation_rate=draw(_float(0.0, 1.0)),
        automation_precision=draw(_float(0.0, 1.0)),
        price_per_resolution_usd=draw(_float(0.05, 2.0)),
        serving_usd_per_contact=draw(_float(0.0, 0.01)),
        fixed_cost_per_customer_usd=draw(_float(0.0, 15_000.0)),
        opex_usd_per_month=draw(_float(0.0, 400_000.0)),
        opex_growth_annual=draw(_float(0.0, 1.0)),
        cac_usd=draw(_float(0.0, 400_000.0)),
        discount_rate_annual=draw(_float(0.0, 1.0)),
        exit_revenue_multiple=draw(_float(0.0, 20.0)),
        pricing=pricing or draw(st.sampled_from(finance.PRICING)),
        seat_price_usd=draw(_float(10.0, 200.0)),
        contacts_per_seat=draw(_float(100.0, 2_000.0)),
        platform_fee_usd=draw(_float(0.0, 20_000.0)),
        max_dilution=draw(_float(0.05, 0.95)),
        valuation_scale=draw(_float(0.1, 3.0)),
        runway_target_months=draw(_float(1.0, 36.0)),
        round_premoney_usd=tuple(sorted(draw(st.lists(_float(1e5, 2e8), min_size=stages, max_size=stages)))),  # noqa: E501
        round_milestone_arr_usd=tuple(sorted(draw(st.lists(_float(0.0, 1e7), min_size=stages, max_size=stages)))),
        sales_cycle_months=draw(_float(0.0, 12.0)),
        onboarding_months=draw(_float(0.0, 12.0)),
        price_erosion_annual=draw(_float(0.0, 0.5)),
    )
    if profitable_clients:
        lowest = float(finance.revenue_per_customer(p, np.array([[p.contacts_per_customer_month]]), np.asarray)[0, 0])
        lowest *= (1.0 - p.price_erosion_annual) ** (p.months / 12.0)
        cost = p.contacts_per_customer_month * p.serving_usd_per_contact + p.fixed_cost_per_customer_usd
        if lowest <= cost:  # scale the fixed cost down so that the worst month still earns a margin
            fixed = max(0.0, lowest - p.contacts_per_customer_month * p.serving_usd_per_contact) * 0.9
            p = p.with_values(fixed_cost_per_customer_usd=fixed)
            cost = p.contacts_per_customer_month * p.serving_usd_per_contact + fixed
        if lowest <= cost:
            p = p.with_values(serving_usd_per_contact=0.0, fixed_cost_per_customer_usd=0.0)
    return p


def _values(p: finance.PlanInputs, name: str, low: float, high: float, data) -> tuple[np.ndarray, ...]:
    """The plan's value at STEPS sorted values of one input (one batch of STEPS draws): the value to today's
    owners after the staged rounds, with and without the exit, and the operating and self-funded NPVs."""
    grid = np.sort(np.array(data.draw(st.lists(_float(low, high), min_size=STEPS, max_size=STEPS))))
    return _all_values(finance.run_plan(p.with_values(**{name: grid})))


def _all_values(result: finance.PlanResult) -> tuple[np.ndarray, ...]:
    return result.npv_usd, result.npv_no_exit_usd, result.npv_operating_usd, result.npv_unfunded_usd


def _non_increasing(values: np.ndarray) -> bool:
    return bool(np.all(np.diff(values) <= 1e-6 * (1.0 + np.abs(values[:-1]))))


def _non_decreasing(values: np.ndarray) -> bool:
    return _non_increasing(-values)


FALLING = {
    "cac_usd": (0.0, 500_000.0, False),
    "opex_usd_per_month": (0.0, 500_000.0, False),
    "sales_cycle_months": (0.0, 12.0, True),
    "churn_monthly": (0.0, 0.2, True),
}


@EXAMPLES
@given(plan=plans(), data=st.data())
def test_value_falls_as_acquisition_costs_rise(plan, data):
    for values in _values(plan, "cac_usd", *FALLING["cac_usd"][:2], data):
        assert _non_increasing(values), values


@EXAMPLES
@given(plan=plans(), data=st.data())
def test_value_falls_as_opex_rises(plan, data):
    for values in _values(plan, "opex_usd_per_month", *FALLING["opex_usd_per_month"][:2], data):
        assert _non_increasing(values), values


@EXAMPLES
@given(plan=plans(profitable_clients=True), data=st.data())
def test_value_falls_as_churn_rises(plan, data):
    for values in _values(plan, "churn_monthly", 0.0, 0.2, data):
        assert _non_increasing(values), values


@EXAMPLES
@given(plan=plans(profitable_clients=True), data=st.data())
def test_value_falls_as_the_sales_cycle_lengthens(plan, data):
    for values in _values(plan, "sales_cycle_months", 0.0, 12.0, data):
        assert _non_increasing(values), values


@EXAMPLES
@given(plan=plans(), data=st.data())
def test_value_falls_as_the_price_discount_rises(plan, data):
    # A discount d on the market price: price x (1 - d) in every pricing option.
    grid = np.sort(np.array(data.draw(st.lists(_float(0.0, 0.95), min_size=STEPS, max_size=STEPS))))
    result = finance.run_plan(
        plan.with_values(
            price_per_resolution_usd=plan.price_per_resolution_usd * (1 - grid),
            seat_price_usd=plan.seat_price_usd * (1 - grid),
            platform_fee_usd=plan.platform_fee_usd * (1 - grid),
        )
    )
    for values in _all_values(result):
        assert _non_increasing(values), values


@EXAMPLES
@given(plan=plans(pricing="per_resolution"), data=st.data())
def test_value_rises_with_the_price(plan, data):
    for values in _values(plan, "price_per_resolution_usd", 0.0, 3.0, data):
        assert _non_decreasing(values), values


@EXAMPLES
@given(plan=plans(pricing="per_resolution"), data=st.data())
def test_value_rises_with_the_resolved_share(plan, data):
    for values in _values(plan, "automation_rate", 0.0, 1.0, data):
        assert _non_decreasing(values), values


@EXAMPLES
@given(plan=plans(profitable_clients=True), data=st.data())
def test_value_rises_with_the_client_size(plan, data):
    low = plan.contacts_per_customer_month
    if plan.pricing == "platform_fee":  # a flat fee: a larger client only costs more to serve
        return
    for values in _values(plan, "contacts_per_customer_month", low, low * 4, data):
        assert _non_decreasing(values), values


@EXAMPLES
@given(plan=plans())
def test_the_exit_only_adds_and_free_money_is_worth_at_least_charged_money(plan):
    result = finance.run_plan(plan)
    assert result.npv_usd[0] >= result.npv_no_exit_usd[0] - 1e-6
    assert result.npv_unfunded_usd[0] >= result.npv_usd[0] - 1e-6
    assert result.npv_operating_usd[0] >= result.npv_no_exit_usd[0] - 1e-6


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(plan=plans(), seed=st.integers(0, 2**16))
def test_p_npv_positive_with_exit_is_at_least_without(plan, seed):
    rng = np.random.default_rng(seed)
    draws = {
        "exit_revenue_multiple": rng.uniform(0, 10, 64),
        "new_customers_per_month": rng.uniform(0, 4, 64),
        "valuation_scale": rng.uniform(0.2, 2.0, 64),
    }
    result = finance.run_plan(plan.with_values(**draws))
    assert (result.npv_usd > 0).mean() >= (result.npv_no_exit_usd > 0).mean()
    assert (result.npv_unfunded_usd > 0).mean() >= (result.npv_usd > 0).mean()


@EXAMPLES
@given(plan=plans(), data=st.data())
def test_better_round_terms_never_lower_the_value(plan, data):
    for name, low, high in (("valuation_scale", 0.1, 3.0), ("max_dilution", 0.05, 0.95)):
        for values in _values(plan, name, low, high, data)[:2]:
            assert _non_decreasing(values), (name, values)


@EXAMPLES
@given(plan=plans(), data=st.data())
def test_a_cheaper_plan_raises_no_more_no_earlier_and_fails_no_more(plan, data):
    # The steps of the monotonicity argument (docs/market-model-funding-and-segments.md), period by period:
    # rows run from the dearest CAC to the cheapest.
    grid = np.sort(np.array(data.draw(st.lists(_float(0.0, 500_000.0), min_size=STEPS, max_size=STEPS))))[::-1]
    result = finance.run_plan(plan.with_values(cac_usd=grid))
    r = result.rounds
    assert np.all(np.diff(r.amount_usd, axis=0) <= 1e-6 * (1.0 + r.amount_usd[:-1]))
    later = r.month[1:] >= 0
    assert np.all(r.month[1:][later] >= r.month[:-1][later])
    assert np.all(r.failed[:-1] | ~r.failed[1:])  # a cheaper plan fails only where the dearer one does
    # The rounds that close keep cash at or above zero until the first failure.
    funded = result.monthly["cash"] + np.cumsum(result.monthly["raised"], axis=1)
    stop = np.where(r.failed.any(axis=1), np.where(r.failed, r.month, np.iinfo(int).max).min(axis=1), plan.months)
    before = np.arange(plan.months)[None, :] < stop[:, None]
    assert np.all(funded[before] >= -funding.CENT * r.month.shape[1])
