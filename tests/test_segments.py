"""One plan per segment: the overrides, centred ranges, the recommending rule; and the LLM break-even accuracy."""

import pandas as pd
import pytest

from startup_report.market import product, segments
from startup_report.params import MarketParams, Uncertain
from tests.test_finance import _inputs


def test_a_segment_overrides_the_client_and_keeps_the_rest():
    option = MarketParams().gtm["helpdesk marketplace partner"]
    plan = segments.segment_inputs(_inputs(), option)
    assert plan.contacts_per_customer_month == 5_000 and plan.cac_usd == 10_000 and plan.sales_cycle_months == 1
    assert plan.price_per_resolution_usd == pytest.approx(0.7)  # the partner keeps 30%
    assert plan.opex_usd_per_month == _inputs().opex_usd_per_month


def test_ranges_are_scaled_to_stay_centred_on_the_segment():
    base = _inputs(contacts_per_customer_month=20_000.0)
    option = MarketParams().gtm["banks, direct sales"]  # 80,000 contacts: four times the plan's client
    ranges = segments.segment_uncertainty(base, option, {"contacts_per_customer_month": Uncertain(low=10e3, high=30e3)})
    assert (ranges["contacts_per_customer_month"].low, ranges["contacts_per_customer_month"].high) == (40e3, 120e3)


def test_the_rule_picks_the_best_odds_without_the_exit_then_the_npv():
    frame = pd.DataFrame(
        {
            "segment": ["a", "b", "c"],
            "p_npv_positive_no_exit": [0.2, 0.4, 0.4],
            "npv_base_no_exit_usd": [9.0, 1.0, 2.0],
            "npv_base_usd": [0.0, 0.0, 0.0],
        }
    )
    assert segments.recommended(frame) == "c"


def test_breakeven_accuracy_equals_the_two_routes():
    labels = pd.Series(["a", "b", "c", "d"])
    classes = pd.DataFrame({"intent": ["a", "b"], "resolution_class": ["template", "template"]})

    def cost(shares):  # a linear cost: wrong answers cost 4, right ones 1, per resolved share
        return shares.resolved * (shares.resolved_precision * 1 + (1 - shares.resolved_precision) * 4)

    accuracy = product.breakeven_accuracy(labels, classes, "agent_action", own_usd_per_contact=1.0,
                                          llm_fixed_per_contact=0.1, cost=cost)  # fmt: skip
    # 0.1 + 0.5 (4 - 3a) = 1 -> a = 1.1 / 1.5
    assert accuracy == pytest.approx(1.1 / 1.5)


def test_automation_is_capped_where_the_router_cannot_resolve_more():
    from startup_report.market import montecarlo

    ranges = montecarlo.cap({"automation_rate": Uncertain(low=0.2, high=0.6)}, "automation_rate", 0.5)
    assert (ranges["automation_rate"].low, ranges["automation_rate"].high) == (0.2, 0.5)
