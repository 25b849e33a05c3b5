"""One plan per segment: the overrides, centred ranges, the recommending rule; and the LLM break-even accuracy."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from startup_report.market import economics, montecarlo, product, segments
from startup_report.market.product import Shares
from startup_report.params import MarketParams, Spread
from tests.test_finance import _inputs


def test_a_segment_overrides_the_client_and_keeps_the_rest():
    market = MarketParams()
    partner = segments.resolve(market, "helpdesk marketplace partner")
    assert (partner.monthly_contacts, partner.cac_usd, partner.sales_cycle_months) == (5_000, 10_000, 1)
    assert partner.opex_usd_per_month == market.opex_usd_per_month  # not set by the segment: the market's
    plan = economics.plan_inputs(partner, Shares(0.5, 0.9, 0.2, 0.8, 0.3), 0.001, 1.0, 85.0)
    assert plan.price_per_resolution_usd == pytest.approx(0.7)  # the partner keeps 30%
    assert plan.sales_cycle_months == 1 and plan.contacts_per_customer_month == 5_000


def test_a_segment_that_sets_nothing_takes_the_market_values():
    market = MarketParams().model_copy(update={"cac_usd": 60_000.0})
    assert segments.resolve(market, "banks, direct sales").cac_usd == 60_000  # market.cac_usd keeps its meaning
    assert segments.resolve(market, "fintechs, direct sales").cac_usd == 60_000.0
    assert segments.resolve(market.model_copy(update={"cac_usd": 1.0}), "fintechs, direct sales").cac_usd == 60_000


@settings(max_examples=200, deadline=None)
@given(
    base=st.floats(1.0, 1e6),
    spread=st.floats(0.01, 1.0),
)
def test_ranges_are_centred_on_whatever_the_base_is(base, spread):
    ranges = montecarlo.centred(_inputs(cac_usd=base), {"cac_usd": Spread(spread=spread)})
    low, high = ranges["cac_usd"].low, ranges["cac_usd"].high
    assert (low + high) / 2 == pytest.approx(base) and high - low == pytest.approx(2 * base * spread)


def test_a_ceiling_narrows_the_range_evenly_so_it_stays_centred():
    ranges = montecarlo.centred(
        _inputs(automation_rate=0.5), {"automation_rate": Spread(spread=0.3)}, {"automation_rate": 0.55}
    )
    assert (ranges["automation_rate"].low, ranges["automation_rate"].high) == pytest.approx((0.45, 0.55))
    drawn = montecarlo.draw_inputs(_inputs(automation_rate=0.5), ranges, 20_000, seed=1).automation_rate
    assert abs(float(drawn.mean()) - 0.5) < 0.002


def test_the_rule_picks_the_best_odds_without_the_exit_then_with_it_then_the_npv():
    frame = pd.DataFrame(
        {
            "segment": ["a", "b", "c"],
            "p_npv_positive_no_exit": [0.2, 0.4, 0.4],
            "p_npv_positive": [0.9, 0.5, 0.5],
            "npv_base_no_exit_usd": [9.0, 1.0, 2.0],
            "npv_base_usd": [0.0, 0.0, 0.0],
        }
    )
    assert segments.recommended(frame) == "c"
    # None pays for itself: the best odds with an exit decide before the least negative NPV does.
    none = frame.assign(p_npv_positive_no_exit=0.0, p_npv_positive=[0.0, 0.1, 0.0])
    assert segments.recommended(none) == "b"


def test_breakeven_accuracy_equals_the_two_routes():
    labels = pd.Series(["a", "b", "c", "d"])
    classes = pd.DataFrame({"intent": ["a", "b"], "resolution_class": ["template", "template"]})

    def cost(shares):  # a linear cost: wrong answers cost 4, right ones 1, per resolved share
        return shares.resolved * (shares.resolved_precision * 1 + (1 - shares.resolved_precision) * 4)

    accuracy = product.breakeven_accuracy(labels, classes, "agent_action", own_usd_per_contact=1.0,
                                          llm_fixed_per_contact=0.1, cost=cost)  # fmt: skip
    # 0.1 + 0.5 (4 - 3a) = 1 -> a = 1.1 / 1.5
    assert accuracy == pytest.approx(1.1 / 1.5)


def test_automation_is_capped_at_the_share_a_template_can_resolve():
    base = _inputs(automation_rate=0.6)  # more than the ceiling: nothing left to draw above or below
    ranges = montecarlo.centred(base, {"automation_rate": Spread(spread=0.3)}, {"automation_rate": 0.5})
    assert ranges["automation_rate"].high <= 0.6 and ranges["automation_rate"].low == ranges["automation_rate"].high
