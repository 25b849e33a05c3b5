"""The what-if page's model: the market model's own functions at every grid point, the summary's numbers at the
report's own values, and a rerun command the parameters accept at every position."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from startup_report.market import finance, montecarlo, segments, whatif, whatif_model
from startup_report.market.whatif_config import WhatIfParams
from startup_report.params import Params, Uncertain, load_params, parse_override
from startup_report.report import findings
from startup_report.site import whatif_page

ROOT = Path(__file__).resolve().parents[1]


def plan_basis(draws: int = 2000) -> whatif_model.Basis:
    config = Params().market
    base = finance.PlanInputs(
        months=60, starting_cash_usd=config.starting_cash_usd, initial_customers=1, new_customers_per_month=1.0,
        sales_growth_annual=0.5, churn_monthly=config.churn_monthly, contacts_per_customer_month=20000,
        automation_rate=0.4, automation_precision=0.95, price_per_resolution_usd=0.99, serving_usd_per_contact=0.001,
        fixed_cost_per_customer_usd=2000, opex_usd_per_month=180000, opex_growth_annual=0.1, cac_usd=config.cac_usd,
        discount_rate_annual=0.2, exit_revenue_multiple=4, round_premoney_usd=(48e6, 109.8e6),
        round_milestone_arr_usd=(0.5e6, 5e6),
    )  # fmt: skip
    return whatif_model.basis(config.model_copy(update={"draws": draws}), base, 42, 0.99, "plan", "The plan")


def test_the_grid_at_the_reports_values_is_the_summarys_monte_carlo():
    basis = plan_basis()
    at_defaults = {name: np.array([getattr(basis.base, name)] * 3) for name in ("cac_usd", "churn_monthly")}
    grid = whatif_model.evaluate(basis, at_defaults, basis.draws)  # three points stacked into one run
    own = whatif_model.at_report_values(basis)  # montecarlo.simulate + summary, as the market chapter calls them
    for name, value in own.items():
        assert grid[name] == [value] * 3, name
    assert own["verdict"].startswith(findings.verdict_label(own["verdict"]))


def test_value_falls_as_acquisition_gets_dearer():
    basis = plan_basis(500)
    cac = np.array([50_000.0, 150_000.0, 300_000.0])
    out = whatif_model.evaluate(basis, {"cac_usd": cac}, 500)
    p = out["p_no_exit_value"]
    assert p[0] >= p[1] >= p[2]


def test_controls_are_the_four_a_reader_asks_about_then_the_tornados_next(monkeypatch):
    basis = plan_basis()
    ranked = ["automation_rate", "exit_revenue_multiple", "cac_usd", "opex_usd_per_month", "churn_monthly",
              "contacts_per_customer_month", "price_per_resolution_usd", "new_customers_per_month"]  # fmt: skip
    names = [c.name for c in whatif_model.controls(basis, ranked, 6, 4)]
    # automation is measured, not a parameter: no control; the rest keep the tornado's order
    assert names == ["exit_revenue_multiple", "cac_usd", "opex_usd_per_month", "churn_monthly",
                     "contacts_per_customer_month", "price_per_resolution_usd"]  # fmt: skip
    assert [c.name for c in whatif_model.controls(basis, ranked, 4, 4)] == [
        "cac_usd", "churn_monthly", "contacts_per_customer_month", "price_per_resolution_usd"
    ]


def test_every_position_makes_a_rerun_command_the_parameters_accept():
    basis = plan_basis()
    controls = whatif_model.controls(basis, list(basis.uncertainty), 6, 5)
    for c in controls:
        assert c.values[c.default_index] == pytest.approx(float(np.asarray(getattr(basis.base, c.name))))
        for value in c.param_values:
            key, parsed = parse_override(f"{c.param_key}={value}")
            load_params(ROOT, [], [f"{c.param_key}={value}"])  # raises on a value the schema refuses
            assert ".".join(key) == c.param_key and parsed is not None


def test_break_even_cac_puts_the_odds_at_one_half_and_the_grid_gets_that_position():
    config = Params().market.model_copy(update={"draws": 1000})  # a plan whose odds cross one half inside the range
    base = plan_basis().base.with_values(
        contacts_per_customer_month=30_000, opex_usd_per_month=120_000.0, churn_monthly=0.01, automation_rate=0.5
    )
    good = whatif_model.basis(config, base, 42, 0.99, "plan", "The plan")  # ranges centred on this plan
    wide = {**good.uncertainty, "cac_usd": Uncertain(low=5_000.0, high=300_000.0)}
    basis = dataclasses.replace(good, uncertainty=wide)
    cac = whatif_page.break_even(basis, "cac_usd", 1000)
    assert cac is not None
    p = whatif_model.evaluate(basis, {"cac_usd": np.array([cac])}, 1000)["p_no_exit_value"][0]
    assert abs(p - 0.5) < 0.05
    page = whatif_page.build([basis], list(basis.uncertainty), WhatIfParams(resolution=3, draws=1000), "plan")
    cac_positions = page.data["segments"][0]["positions"][[c["name"] for c in page.data["controls"]].index("cac_usd")]
    assert f"{cac:.0f}" in cac_positions["param_values"]


def test_a_grid_over_its_limit_is_refused_up_front():
    with pytest.raises(ValueError, match="max_points"):
        WhatIfParams(controls=6, resolution=9)


def heavy_team(opex_usd: float, draws: int = 500) -> whatif_model.Basis:
    """The test plan with a dearer team, its ranges centred on it."""
    config = Params().market.model_copy(update={"draws": draws})
    base = plan_basis().base.with_values(opex_usd_per_month=opex_usd)
    return whatif_model.basis(config, base, 42, 0.99, "plan", "The plan")


def test_a_plan_whose_odds_never_reach_one_half_has_no_frontier_and_says_so():
    basis = heavy_team(600_000.0)  # below one half at every CAC from zero, and at every client size in range
    assert whatif_page.break_even(basis, "cac_usd", 500) is None
    assert whatif_page.frontier(basis, 500) is None
    assert "neither an acquisition cost" in whatif_page.frontier_sentence([basis], {"plan": None})


def test_where_no_cac_crosses_one_half_the_frontier_is_a_client_size():
    basis = heavy_team(600_000.0)  # under one half at every CAC; over it with big enough clients
    wide = {**basis.uncertainty, "contacts_per_customer_month": Uncertain(low=5_000.0, high=120_000.0)}
    basis = dataclasses.replace(basis, uncertainty=wide)
    point = whatif_page.frontier(basis, 500)
    assert point is not None and point.name == "contacts_per_customer_month"
    p = whatif_model.evaluate(basis, {point.name: np.array([point.value])}, 500)["p_no_exit_value"][0]
    assert abs(p - 0.5) < 0.06
    assert f"{point.value:,.0f} contacts a month" in whatif_page.frontier_sentence([basis], {"plan": point})


def test_a_moved_input_keeps_its_uncertainty_centred_on_the_new_value():
    basis = plan_basis(2000)
    drawn = whatif_model.montecarlo.draw_inputs(basis.base, basis.uncertainty, 2000, seed=basis.seed)
    moved = whatif_model.centred_draws(basis, basis.base.with_values(cac_usd=100_000.0), drawn)
    assert float(np.mean(moved.cac_usd)) == pytest.approx(100_000.0, rel=0.02)  # the mean follows the value
    assert np.array_equal(moved.churn_monthly, drawn.churn_monthly)  # what did not move keeps its draws


def test_positions_are_the_grid_the_page_indexes():
    controls = whatif_model.controls(plan_basis(), ["cac_usd"], 4, 3)
    assert len(whatif.points(controls)) == np.prod([len(c.values) for c in controls])


def test_each_segment_is_a_plan_whose_positions_rerun_through_its_own_parameters():
    import pandas as pd

    config = Params().market
    plan = plan_basis()
    table = pd.DataFrame({"segment": list(config.gtm), "recommended": [False, True, False]})

    def plan_for(c):
        keep = 1.0 - c.revenue_share  # as economics.plan_inputs prices a partner's segment
        return plan.base.with_values(
            cac_usd=c.cac_usd, contacts_per_customer_month=c.monthly_contacts, price_per_resolution_usd=0.99 * keep
        )

    plans = segments.plans(config, plan_for, lambda base: montecarlo.centred(base, config.uncertainty))
    bases = whatif_model.bases(plans, table, 42, 0.99)
    names = list(config.gtm)
    assert [b.segment for b in bases] == [names[1], names[0], names[2]] and "(recommended)" in bases[0].label
    for b in bases:
        option = config.gtm[b.segment]
        cac = option.cac_usd if option.cac_usd is not None else config.cac_usd  # unset: the market's value
        assert b.base.cac_usd == cac and b.uncertainty["cac_usd"].low == pytest.approx(0.4 * cac)
        controls = whatif_model.controls(b, list(b.uncertainty), 4, 3)
        keys = {c.name: c.param_key for c in controls}
        assert keys["cac_usd"] == ("market.cac_usd" if option.cac_usd is None else f"market.gtm.{b.segment}.cac_usd")
        for c in controls:
            assert c.values[c.default_index] == pytest.approx(float(np.asarray(getattr(b.base, c.name))))
            for value in c.param_values:
                load_params(ROOT, [], [f"{c.param_key}={value}"])  # segment keys hold spaces and commas
