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
        fixed_cost_per_customer_usd=10.0,
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
    # 10 customers x 1000 contacts; 5000 resolved, 4500 of them right, billed at $1 = $4500 revenue.
    assert table["revenue"].iloc[0] == pytest.approx(4500.0)
    # Cost of revenue: 10000 x 0.01 serving + 10 clients x $10 fixed = 100 + 100.
    assert table["cost_of_revenue"].iloc[0] == pytest.approx(200.0)
    # Cash flow: 4300 - 10000 = -5700 a month; 24 months from $1M never runs out.
    assert table["cash"].iloc[-1] == pytest.approx(1_000_000 - 24 * 5700)
    assert result.npv_usd[0] == pytest.approx(-24 * 5700)
    assert result.npv_no_exit_usd[0] == pytest.approx(-24 * 5700)
    assert result.funding_need_usd[0] == 0 and not result.failed[0]
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


def test_exit_is_added_only_to_the_with_exit_npv():
    result = finance.run_plan(_inputs(exit_revenue_multiple=2.0))
    # Exit = 2 x last twelve months' revenue = 2 x 12 x 4500; no discounting at a 0% rate.
    assert result.npv_usd[0] - result.npv_no_exit_usd[0] == pytest.approx(2 * 12 * 4500)


def test_a_raise_dilutes_the_exit_by_hand():
    # 24 months of -5700 from $57,000: cash goes below zero in month 11 (index 10), need = 24 x 5700 - 57000.
    p = _inputs(starting_cash_usd=57_000.0, exit_revenue_multiple=2.0, raise_arr_multiple=1.0, max_dilution=0.9)
    result = finance.run_plan(p)
    need = 24 * 5700 - 57_000
    assert result.funding_need_usd[0] == pytest.approx(need)
    pre_money = 1.0 * 12 * 4500
    dilution = need / (pre_money + need)
    assert result.dilution[0] == pytest.approx(dilution)
    before, after = -10 * 5700, -14 * 5700
    assert result.npv_no_exit_usd[0] == pytest.approx(before + (1 - dilution) * after)
    assert result.npv_usd[0] == pytest.approx(before + (1 - dilution) * (after + 2 * 12 * 4500))
    assert result.npv_unfunded_usd[0] == pytest.approx(-24 * 5700 + 2 * 12 * 4500)


def test_a_raise_that_needs_too_much_dilution_fails_and_loses_the_exit():
    p = _inputs(starting_cash_usd=57_000.0, exit_revenue_multiple=2.0, raise_arr_multiple=1.0, max_dilution=0.5)
    result = finance.run_plan(p)
    assert result.failed[0] and np.isnan(result.dilution[0])
    # Only the flows before the failure count: ten months of -5700.
    assert result.npv_usd[0] == pytest.approx(-10 * 5700)
    assert result.npv_no_exit_usd[0] == pytest.approx(-10 * 5700)


def test_pricing_options_by_hand():
    seat = finance.run_plan(_inputs(pricing="per_seat", seat_price_usd=100.0, contacts_per_seat=500.0))
    assert seat.table()["revenue"].iloc[0] == pytest.approx(10 * 1000 / 500 * 100)
    fee = finance.run_plan(_inputs(pricing="platform_fee", platform_fee_usd=300.0))
    assert fee.table()["revenue"].iloc[0] == pytest.approx(10 * 300)
    with pytest.raises(ValueError, match="market.pricing"):
        finance.run_plan(_inputs(pricing="per_smile"))


def test_yearly_rollup_and_millions():
    yearly = finance.yearly(finance.run_plan(_inputs()).table())
    assert list(yearly.index) == [1, 2]
    assert yearly.loc[1, "revenue"] == pytest.approx(12 * 4500)
    assert yearly.loc[1, "gross_margin_pct"] == pytest.approx(100 * 4300 / 4500)
    shown = finance.in_millions(yearly)
    assert "revenue (USD m)" in shown and shown.loc[1, "revenue (USD m)"] == pytest.approx(0.05, abs=0.01)


def test_break_evens_of_three_routes():
    routes = [finance.Route("human", 0.0, 4.0), finance.Route("api", 3000.0, 3.0), finance.Route("own", 2000.0, 2.5)]
    found = finance.break_evens(routes)
    assert found["api_beats_human_above"] == pytest.approx(3000.0)
    assert found["own_beats_human_above"] == pytest.approx(2000.0 / 1.5)
    assert found["own_beats_api_above"] == 0.0  # own has the lower fixed and the lower variable cost


def test_no_revenue_means_no_margin_not_minus_infinity():
    yearly = finance.yearly(finance.run_plan(_inputs(automation_rate=0.0)).table())
    assert yearly["gross_margin_pct"].isna().all()
