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


def test_break_even_volume():
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


def _staged(**changes):
    # 24 months of -5700 from $57,000: cash goes below zero in month 11 (index 10). Rounds cover 6 months each.
    return _inputs(
        starting_cash_usd=57_000.0,
        exit_revenue_multiple=40.0,
        runway_target_months=6,
        round_premoney_usd=(1_000_000.0, 2_000_000.0),
        round_milestone_arr_usd=(0.0, 100_000.0),
        max_dilution=0.9,
    ).with_values(**changes)


def test_staged_rounds_by_hand():
    result = finance.run_plan(_staged())
    rounds = result.rounds_table()
    # Cash is -5700 x 1..6 over months 11-16: the first round raises 6 x 5700; the next opens in month 17,
    # the last in month 23 with two months left (2 x 5700). ARR stays at 54,000, short of the second stage's
    # 100,000 milestone, so every round is priced at the first stage.
    assert rounds["month"].tolist() == [11, 17, 23]
    assert rounds["amount (USD)"].tolist() == pytest.approx([34_200.0, 34_200.0, 11_400.0])
    assert rounds["pre-money (USD)"].tolist() == pytest.approx([1e6, 1e6, 1e6])
    d = [34_200 / 1_034_200, 34_200 / 1_034_200, 11_400 / 1_011_400]
    assert rounds["dilution"].tolist() == pytest.approx(d)
    assert not result.failed[0] and result.raised_usd[0] == pytest.approx(79_800.0)
    assert result.dilution[0] == pytest.approx(1 - (1 - d[0]) * (1 - d[1]) * (1 - d[2]))
    # Owners' value at a 0% rate, from the last round back: A = what follows the round; owners keep
    # (1 - d)(F + A) = A - [d(F + A) - F], the bracket floored at zero (no windfall from an overpriced round).
    exit_value = 40 * 12 * 4500

    def keep(a, f, dil):
        return a - max(0.0, dil * (f + a) - f)

    a3 = keep(-2 * 5700 + exit_value, 11_400, d[2])
    a2 = keep(-6 * 5700 + a3, 34_200, d[1])
    a1 = keep(-6 * 5700 + a2, 34_200, d[0])
    assert result.npv_usd[0] == pytest.approx(-10 * 5700 + a1)
    # Without the exit each A is negative, every round is priced above what follows: no transfer is booked.
    assert result.npv_no_exit_usd[0] == pytest.approx(-24 * 5700)
    assert result.npv_unfunded_usd[0] == pytest.approx(-24 * 5700 + exit_value)


def test_the_raised_cash_belongs_to_the_company():
    # One round of F = 34,200 at V = 100,000: today's owners keep (1 - d)(F + A), the cash included.
    p = _staged(months=16, round_premoney_usd=(100_000.0,), round_milestone_arr_usd=(0.0,), exit_revenue_multiple=10.0)
    result = finance.run_plan(p)
    f, v = 34_200.0, 100_000.0
    d = f / (v + f)
    a = -6 * 5700 + 10 * 12 * 4500
    assert result.npv_usd[0] == pytest.approx(-10 * 5700 + (1 - d) * (f + a))


def test_a_round_is_cut_to_the_dilution_cap_and_the_next_comes_sooner():
    # At V = 20,000 and a 50% cap a round raises at most 20,000 (d = 0.5), not the 34,200 of six months.
    result = finance.run_plan(_staged(round_premoney_usd=(20_000.0, 1e6), max_dilution=0.5))  # ARR < 100,000
    rounds = result.rounds_table()
    assert rounds["amount (USD)"].iloc[0] == pytest.approx(20_000.0) and rounds["dilution"].iloc[0] == 0.5
    assert rounds["month"].tolist()[:2] == [11, 14]  # 20,000 covers months 11-13 (3 x 5700 = 17,100)


def test_a_round_past_the_dilution_cap_fails_and_loses_the_exit():
    # At V = 5,000 the largest round within the 50% cap (5,000) cannot cover the month's 5,700 shortfall.
    result = finance.run_plan(_staged(round_premoney_usd=(5_000.0, 5_000.0), max_dilution=0.5))
    assert result.failed[0] and np.isnan(result.dilution[0])
    assert result.rounds_table()["failed"].tolist() == [True]
    # The company stops in month 11: the exit and any later profit are lost, the later losses (14 months of
    # -5700, the plan's commitments) still count.
    assert result.npv_usd[0] == pytest.approx(-10 * 5700 - 14 * 5700)
    assert result.npv_usd[0] < finance.run_plan(_staged()).npv_usd[0]


def test_a_missed_milestone_fails_the_round():
    result = finance.run_plan(_staged(round_milestone_arr_usd=(60_000.0, 100_000.0)))
    rounds = result.rounds_table()  # ARR 54,000 < 60,000: not even the first stage
    assert rounds["failed"].tolist() == [True] and rounds["missed milestone"].tolist() == [True]


def test_the_stage_follows_the_arr_reached():
    rounds = finance.run_plan(_staged(round_milestone_arr_usd=(0.0, 50_000.0))).rounds_table()
    assert rounds["pre-money (USD)"].tolist() == pytest.approx([2e6, 2e6, 2e6])  # ARR 54,000 >= 50,000


def test_stages_out_of_order_are_refused():
    with pytest.raises(ValueError, match="market.rounds"):
        finance.run_plan(_staged(round_milestone_arr_usd=(100_000.0, 0.0)))


def test_sales_cycle_and_onboarding_delay_revenue():
    p = _inputs(initial_customers=0.0, new_customers_per_month=1.0, months=6, sales_cycle_months=2, onboarding_months=2)
    revenue = finance.run_plan(p).table()["revenue"].to_numpy()
    per_client = 1000 * 0.5 * 0.9
    # The month-1 cohort pays nothing in months 1-2, half in month 3, in full from month 4; later cohorts follow.
    assert revenue == pytest.approx(per_client * np.array([0, 0, 0.5, 1.5, 2.5, 3.5]))


def test_price_erosion():
    p = _inputs(price_erosion_annual=0.2, months=24)
    revenue = finance.run_plan(p).table()["revenue"].to_numpy()
    assert revenue[12] == pytest.approx(4500 * 0.8)
