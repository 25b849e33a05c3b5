"""The strategy chapter's tables against cases computed by hand."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from startup_report.market import finance, strategy
from startup_report.market.facts import load_facts
from startup_report.params import GtmOption, TeamRole

ROOT = Path(__file__).resolve().parents[1]
FACTS = load_facts(ROOT / "data/market")


def test_learning_curve_through_two_points():
    results = pd.DataFrame({"kind": "curve", "model": "m", "shots": ["10", "full"], "value": [80.0, 90.0]})
    a, b = strategy.learning_curve(results, "m")
    assert b == pytest.approx(0.10 / np.log(13.0)) and a + b * np.log(10) == pytest.approx(0.80)


def test_data_moat_by_hand():
    table = strategy.data_moat(
        a=0.5,
        b=0.05,
        examples_now=100,
        automation_now=0.3,
        contacts=10_000,
        usd_per_resolution=1.0,
        customers=10,
        n_intents=20,
        label_cost_usd=0.5,
        template_share=0.5,
        extra=(100,),
    )
    gain = 0.05 * np.log(2)
    row = table.iloc[0]
    assert row["automation (share)"] == pytest.approx(0.3 + 0.5 * gain)
    assert row["extra revenue per month (USD)"] == pytest.approx(0.5 * gain * 10_000 * 10)
    assert row["labelling cost (USD)"] == 100 * 20 * 0.5
    assert row["payback (months)"] == pytest.approx(1000 / (0.5 * gain * 100_000))


def test_gtm_payback_by_hand_and_partner_share():
    options = {
        "a": GtmOption(cac_usd=12_000, monthly_contacts=10_000, churn_monthly=0.02, revenue_share=0.0),
        "b": GtmOption(cac_usd=1_000, monthly_contacts=10_000, churn_monthly=0.02, revenue_share=0.5),
    }
    table = strategy.gtm_table(
        options, revenue_per_contact=0.3, serving_per_contact=0.0, fixed=2_000.0, benchmarks=FACTS["benchmarks"]
    ).set_index("option")
    # a: 10,000 x 0.3 - 2,000 = 1,000 a month -> 12 months; b: 10,000 x 0.15 - 2,000 < 0 -> never.
    assert table.loc["a", "CAC payback (months)"] == pytest.approx(12.0)
    assert np.isinf(table.loc["b", "CAC payback (months)"])
    assert table.loc["a", "within the SaaS median payback"]


def test_pricing_table_runs_the_same_plan_three_ways():
    base = finance.PlanInputs(
        months=24,
        starting_cash_usd=1e6,
        initial_customers=10.0,
        new_customers_per_month=0.0,
        sales_growth_annual=0.0,
        churn_monthly=0.0,
        contacts_per_customer_month=1000.0,
        automation_rate=0.5,
        automation_precision=1.0,
        price_per_resolution_usd=1.0,
        serving_usd_per_contact=0.0,
        fixed_cost_per_customer_usd=0.0,
        opex_usd_per_month=0.0,
        opex_growth_annual=0.0,
        cac_usd=0.0,
        discount_rate_annual=0.0,
        exit_revenue_multiple=0.0,
        seat_price_usd=100.0,
        contacts_per_seat=100.0,
        platform_fee_usd=200.0,
    )
    table = strategy.pricing_table(base).set_index("pricing")
    assert table.loc["per_resolution", "last-year revenue (USD m)"] == pytest.approx(12 * 10 * 500 / 1e6, abs=0.01)
    assert table.loc["per_seat", "operating NPV (USD m)"] == pytest.approx(24 * 10 * 1000 / 1e6, abs=0.01)
    assert table.loc["platform_fee", "operating NPV (USD m)"] == pytest.approx(24 * 10 * 200 / 1e6, abs=0.01)


def test_team_and_benchmark_checks():
    team = strategy.team_table({"eng": TeamRole(count=2, usd_per_year=120_000)}, opex_usd_per_month=40_000)
    assert team.attrs["total"] == 20_000 and team.attrs["share_of_opex"] == 0.5
    checks = strategy.benchmark_checks(30.0, 0.02, 10.0, FACTS["benchmarks"]).set_index("metric")
    assert checks.loc["gross margin, last plan year (%)", "outside"]  # below ICONIQ's 41%
    assert checks.loc["annual logo churn (%)", "ours"] == pytest.approx(21.5, abs=0.1)
    assert not checks.loc["CAC payback (months)", "outside"]


def test_competitor_table_places_us_among_sourced_prices():
    table = strategy.competitor_table(FACTS["competitors"], 0.3, 0.99)
    ours = table[table["vendor"] == "us"]
    assert len(ours) == 2 and set(table["vendor"]) >= {"Fin (ex-Intercom)", "Zendesk", "Salesforce"}
    assert (table["url"] != "").sum() == len(table) - 2  # every competitor row carries its source


def test_measured_learning_curve_fits_our_results_by_examples_per_intent():
    import numpy as np
    import pandas as pd

    from startup_report.market import strategy

    n = 4  # intents
    rows = [("m", "10", 0.70, 40), ("m", "10", 0.72, 40), ("m", "30", 0.80, 120), ("m", "full", 0.90, 520)]
    results = pd.DataFrame(rows, columns=["model", "budget", "accuracy", "train_examples"])
    a, b, full = strategy.measured_learning_curve(results, "m", n)
    assert full == 130  # 520 examples over 4 intents
    shots, acc = np.log([10, 30, 130]), np.array([0.71, 0.80, 0.90])
    expected_b, expected_a = np.polyfit(shots, acc, 1)
    assert (a, b) == (pytest.approx(expected_a), pytest.approx(expected_b))
    with pytest.raises(ValueError, match="measured_curve_model"):
        strategy.measured_learning_curve(results[results["budget"] == "full"], "m", n)
