"""The financial math against cases computed by hand."""

import numpy as np
import pytest

from startup_report.market import finance, funding


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
    # 24 months of -5700 from $57,000: cash is 0 after month 10 and each later month needs 5700 of new cash.
    # Funding periods of 6 months: months 1-6, 7-12, 13-18, 19-24.
    return _inputs(
        starting_cash_usd=57_000.0,
        exit_revenue_multiple=40.0,
        runway_target_months=6,
        round_premoney_usd=(1_000_000.0, 2_000_000.0),
        round_milestone_arr_usd=(0.0, 100_000.0),
        max_dilution=0.9,
    ).with_values(**changes)


def test_new_cash_needed_each_month_by_hand():
    # Cash 5, -2, 1, -4, -3: the deficit's running maximum is 0, 2, 2, 4, 4, so months 2 and 4 need 2 each.
    assert funding.new_need(np.array([[5.0, -2.0, 1.0, -4.0, -3.0]]))[0].tolist() == [0, 2, 0, 2, 0]


def test_staged_rounds_by_hand():
    result = finance.run_plan(_staged())
    rounds = result.rounds_table()
    # Periods 1 (months 1-6) needs nothing; period 2 needs months 11-12 (2 x 5700) and opens in month 11;
    # periods 3 and 4 need 6 x 5700 each from their first month. ARR stays at 54,000, short of the second
    # stage's 100,000 milestone, so every round is priced at the first stage.
    assert rounds["month"].tolist() == [11, 13, 19]
    assert rounds["amount (USD)"].tolist() == pytest.approx([11_400.0, 34_200.0, 34_200.0])
    assert rounds["pre-money (USD)"].tolist() == pytest.approx([1e6, 1e6, 1e6])
    d = [11_400 / 1_011_400, 34_200 / 1_034_200, 34_200 / 1_034_200]
    assert rounds["dilution"].tolist() == pytest.approx(d)
    assert not result.failed[0] and result.raised_usd[0] == pytest.approx(79_800.0)
    assert result.dilution[0] == pytest.approx(1 - (1 - d[0]) * (1 - d[1]) * (1 - d[2]))
    assert result.table()["raised"].iloc[[10, 12, 18]].tolist() == pytest.approx([11_400.0, 34_200.0, 34_200.0])
    # Owners' value at a 0% rate. The company's worth: starting cash + flows + raised cash + exit
    # = 57,000 - 24 x 5700 + 79,800 + 40 x 12 x 4500 = 2,160,000. From the last round back, the holders before
    # a round keep min(w - F, (1 - d) w): every round here is priced below what the company is worth, so today's
    # owners keep (1 - d1)(1 - d2)(1 - d3) of it, and their value is that less the starting cash.
    worth = 57_000 - 24 * 5700 + 79_800 + 40 * 12 * 4500
    assert worth == 2_160_000
    w = worth
    for f, dil in zip([34_200, 34_200, 11_400], d[::-1], strict=True):
        w = min(w - f, (1 - dil) * w)
    assert w == pytest.approx(worth * (1 - d[0]) * (1 - d[1]) * (1 - d[2]))
    assert result.npv_usd[0] == pytest.approx(w - 57_000)
    assert result.npv_usd[0] == pytest.approx(1_939_740.3, abs=1.0)
    # Without the exit the company is worth 0: every round costs the holders its cash (no investor overpays),
    # so the owners bear every loss: -57,000 - 79,800 = -24 x 5700.
    assert result.npv_no_exit_usd[0] == pytest.approx(-24 * 5700)
    assert result.npv_unfunded_usd[0] == pytest.approx(-24 * 5700 + 40 * 12 * 4500)


def test_the_raised_cash_belongs_to_the_company():
    # One round (8-month periods: months 11-16 need 6 x 5700 in the second) of F = 34,200 at V = 100,000, opened
    # as cash runs out: today's owners keep (1 - d)(F + A) with A = what follows, the cash included.
    p = _staged(
        months=16, runway_target_months=8, round_premoney_usd=(100_000.0,), round_milestone_arr_usd=(0.0,),
        exit_revenue_multiple=10.0,
    )  # fmt: skip
    result = finance.run_plan(p)
    assert result.rounds_table()["month"].tolist() == [11]
    f, v = 34_200.0, 100_000.0
    d = f / (v + f)
    a = -6 * 5700 + 10 * 12 * 4500
    assert result.npv_usd[0] == pytest.approx(-10 * 5700 + (1 - d) * (f + a))


def test_a_round_past_the_dilution_cap_fails_and_the_owners_lose_the_company():
    # At V = 20,000 the first round (11,400: d = 0.36) closes, the second (34,200: d = 0.63) passes the 50% cap.
    result = finance.run_plan(_staged(round_premoney_usd=(20_000.0, 1e6), max_dilution=0.5))  # ARR < 100,000
    rounds = result.rounds_table()  # the rounds up to the first that fails
    assert rounds["month"].tolist() == [11, 13] and rounds["failed"].tolist() == [False, True]
    assert result.failed[0] and np.isnan(result.dilution[0]) and result.raised_usd[0] == pytest.approx(11_400.0)
    # A failed round is a round at zero pre-money: the holders before it keep min(w - F, 0). From the back
    # (worth 2,160,000; the third round fails too): min(2,160,000 - 34,200, 0) = 0; min(0 - 34,200, 0) =
    # -34,200; the first round closes on a company worth less than its post-money: -34,200 - 11,400.
    assert result.npv_usd[0] == pytest.approx(-34_200 - 11_400 - 57_000)
    assert result.npv_usd[0] < finance.run_plan(_staged()).npv_usd[0]


def test_a_round_past_the_dilution_cap_from_the_start():
    # At V = 5,000 even the first round (11,400: d = 0.70) passes the 50% cap.
    result = finance.run_plan(_staged(round_premoney_usd=(5_000.0, 5_000.0), max_dilution=0.5))
    assert result.failed[0] and np.isnan(result.dilution[0]) and result.raised_usd[0] == 0
    assert result.rounds_table()["failed"].tolist() == [True]
    assert result.npv_usd[0] == pytest.approx(-34_200 - 11_400 - 57_000)


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
