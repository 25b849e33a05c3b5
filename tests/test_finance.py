"""The financial math against cases computed by hand."""

import numpy as np
import pytest

from startup_report.market import finance


def test_npv_by_hand():
    # Two yearly flows of 110 and 121 at 10%: 110/1.1 + 121/1.21 = 200.
    assert finance.npv(np.array([110.0, 121.0]), 0.10, periods_per_year=1) == pytest.approx(200.0)
    # Monthly discounting of one flow of 100 after 12 months at 20% a year: 100 / 1.2.
    flows = np.zeros(12)
    flows[-1] = 100.0
    assert finance.npv(flows, 0.20) == pytest.approx(100.0 / 1.2)


def test_npv_is_vectorized_over_draws():
    flows = np.array([[110.0, 121.0], [0.0, 121.0]])
    assert finance.npv(flows, 0.10, periods_per_year=1) == pytest.approx([200.0, 100.0])


def test_payback_period():
    assert finance.payback_period(np.array([-100.0, 30.0, 30.0, 50.0])) == 4
    assert np.isnan(finance.payback_period(np.array([-100.0, 10.0, 10.0])))


def test_contribution_margin_and_break_even():
    assert finance.contribution_margin(1.0, 0.25) == pytest.approx(0.75)
    # A: 0 fixed, 2 per unit; B: 1000 fixed, 0.5 per unit -> equal at 1000 / 1.5 units.
    assert finance.break_even_volume(0.0, 2.0, 1000.0, 0.5) == pytest.approx(666.6667, rel=1e-4)
    assert finance.break_even_volume(0.0, 0.5, 1000.0, 2.0) == float("inf")


def test_fallback_cost_per_contact_by_hand():
    # 0.01 + 0.4 * 8 + 0.6 * 0.1 * 5 = 3.51
    assert finance.fallback_cost_per_contact(0.6, 0.9, 0.01, 8.0, 5.0) == pytest.approx(3.51)
    # 60% automated at 90% precision: 0.05 + 0.4 * 8 + 0.6 * 0.1 * 5 = 3.55; saving (8 - 3.55) / 8.
    cost = finance.fallback_cost_per_contact(0.6, 0.9, 0.05, 8.0, 5.0)
    assert cost == pytest.approx(3.55)
    assert finance.contribution_margin(8.0, cost) == pytest.approx((8 - 3.55) / 8)
    # Nothing automated: every contact costs a human.
    assert finance.fallback_cost_per_contact(0.0, 1.0, 0.0, 8.0, 5.0) == pytest.approx(8.0)


def _inputs(**changes):
    base = finance.PlanInputs(
        months=24,
        starting_cash_usd=1_000_000.0,
        initial_customers=10.0,
        new_customers_per_month=0.0,
        sales_growth_annual=0.0,
        churn_monthly=0.0,
        contacts_per_customer_month=1000.0,
        automation_rate=0.5,
        automation_precision=0.9,
        price_per_resolution_usd=1.0,
        serving_usd_per_contact=0.01,
        error_cost_usd=2.0,
        opex_usd_per_month=10_000.0,
        opex_growth_annual=0.0,
        cac_usd=0.0,
        discount_rate_annual=0.0,
        exit_revenue_multiple=0.0,
    )
    return base.with_values(**changes)


def test_plan_by_hand():
    result = finance.run_plan(_inputs())
    table = result.table()
    # 10 customers x 1000 contacts; 5000 automated x $1 = $5000 revenue.
    assert table["revenue"].iloc[0] == pytest.approx(5000.0)
    # Cost of revenue: 10000 x 0.01 serving + 5000 x 0.1 x $2 credits = 100 + 1000.
    assert table["cost_of_revenue"].iloc[0] == pytest.approx(1100.0)
    # Cash flow: 3900 - 10000 = -6100 a month; 24 months from $1M.
    assert table["cash"].iloc[-1] == pytest.approx(1_000_000 - 24 * 6100)
    assert result.npv_usd[0] == pytest.approx(-24 * 6100)
    assert result.runway_months[0] == 25  # never runs out within the horizon


def test_runway_and_churn():
    result = finance.run_plan(
        _inputs(starting_cash_usd=61_000.0, churn_monthly=0.5, initial_customers=0.0, new_customers_per_month=2.0)
    )
    customers = result.table()["customers"].to_numpy()
    assert customers[:3] == pytest.approx([2.0, 3.0, 3.5])
    assert result.runway_months[0] < 24


def test_monte_carlo_shapes_broadcast():
    draws = np.array([0.2, 0.5, 0.8])
    result = finance.run_plan(_inputs(automation_rate=draws))
    assert result.npv_usd.shape == (3,)
    assert np.all(np.diff(result.npv_usd) > 0)  # more automation, more revenue, higher NPV


def test_acquisition_cost_is_paid_per_new_client():
    result = finance.run_plan(_inputs(new_customers_per_month=2.0, cac_usd=1000.0, months=12))
    assert result.table()["opex"].iloc[0] == pytest.approx(10_000.0 + 2 * 1000.0)
