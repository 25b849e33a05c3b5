"""Both sides of the invoice and the LLM rival from evidence: numbers worked by hand, and properties an
investor expects of any price (hypothesis)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from startup_report.market import invoice, llm_evidence, product
from startup_report.market.finance import Route

EXAMPLES = settings(max_examples=300, deadline=None, derandomize=True, database=None)


def test_our_price_is_part_of_the_clients_cost_and_our_margin_by_hand():
    # 20,000 contacts; half resolved, 90 % of them right, at $1 per resolved conversation: $0.45 a contact.
    price = invoice.our_price("per_resolution", 0.5, 0.9, 1.0, 85.0, 800.0, 6000.0)
    assert price == invoice.OurPrice(0.0, 0.45)
    side = invoice.our_side(price, 20_000, serving_usd_per_contact=0.001, fixed_usd_per_month=2_000.0)
    assert side.revenue == pytest.approx(0.45) and side.cost == pytest.approx(0.101)
    assert side.margin == pytest.approx(0.349)
    # The flat fee is a fixed cost to the client and spread over its contacts on our side.
    fee = invoice.our_price("platform_fee", 0.5, 0.9, 1.0, 85.0, 800.0, 6000.0)
    assert invoice.our_side(fee, 20_000, 0.0, 0.0).revenue == pytest.approx(0.3)
    with pytest.raises(ValueError, match="market.pricing"):
        invoice.our_price("per_hug", 0.5, 0.9, 1.0, 85.0, 800.0, 6000.0)


def test_client_table_splits_the_cost_and_sums_to_the_route():
    human, api, own = Route("agents", 0, 4.0), Route("LLM", 3000, 3.0), Route("ours", 0, 2.5)
    table = invoice.client_table([human, api, own], 20_000, paid_to_us=0.45, api_usd=0.0002, api_fixed=3000)
    parts = table[["paid to us", "API calls and integration", "agents, wrong answers and transfers"]].sum(axis=1)
    assert parts.to_numpy() == pytest.approx(table["client's cost per contact"].to_numpy(), abs=1e-4)
    assert table["client's cost per contact"].tolist() == pytest.approx([4.0, 3.15, 2.5])
    assert table.loc[2, "paid to us"] == 0.45 and table.loc[2, "saving against agents only"] == pytest.approx(1.5)


def test_break_even_volumes_say_which_route_wins_above_them():
    low_fixed_high_variable = Route("ours", 0.0, 3.0)
    high_fixed_low_variable = Route("LLM", 3000.0, 2.9)
    # The LLM route wins above 30,000 contacts; ours never wins at high volume (it wins below).
    assert invoice.cheaper_above(low_fixed_high_variable, high_fixed_low_variable) == pytest.approx(30_000)
    assert invoice.cheaper_above(high_fixed_low_variable, low_fixed_high_variable) == math.inf
    assert invoice.crossing(low_fixed_high_variable, high_fixed_low_variable) == pytest.approx(30_000)
    assert invoice.cheaper_above(Route("a", 10, 1.0), Route("b", 0, 1.0)) == 0.0
    routes = [Route("agents", 0, 4.0), high_fixed_low_variable, low_fixed_high_variable]
    evens = invoice.break_evens(*routes)
    text = invoice.route_advice(20_000, routes, evens)
    assert "pays least on ours ($3.00 a contact)" in text and "less than ours above 30,000" in text


@st.composite
def markets(draw):
    resolved = draw(st.floats(0.05, 0.9))
    shares = product.Shares(resolved, draw(st.floats(0.5, 1.0)), 1 - resolved, draw(st.floats(0.5, 1.0)), 0.0)
    return shares, draw(st.floats(0.5, 10.0)), draw(st.floats(0.0, 20.0)), draw(st.floats(100.0, 1e6))


@EXAMPLES
@given(markets(), st.lists(st.floats(0.0, 3.0), min_size=2, max_size=6))
def test_a_higher_price_costs_the_client_more_and_earns_us_more(market, prices):
    shares, human, error, volume = market
    previous = None
    for price in sorted(prices):
        ours = invoice.our_price("per_resolution", shares.resolved, shares.resolved_precision, price, 0, 1, 0)
        client = product.cost_per_contact(shares, 0.0, human, error, 0.19, 0.5) + ours.usd_per_contact
        margin = invoice.our_side(ours, volume, 1e-6, 2000.0).margin
        if previous is not None:
            assert client >= previous[0] - 1e-12 and margin >= previous[1] - 1e-12
        previous = (client, margin)


@EXAMPLES
@given(markets(), st.floats(0.0, 2.0), st.floats(0.0, 2.0))
def test_the_llm_must_be_at_least_as_accurate_to_beat_a_cheaper_router(market, price_a, price_b):
    """The break-even LLM accuracy never rises when our price (so the client's cost on our route) rises."""
    shares, human, error, volume = market
    labels = pd.Series(["a", "b", "c", "d"] * 5)
    classes = pd.DataFrame({"intent": ["a", "b"], "resolution_class": ["template", "template"], "reason": ["x", "y"]})

    def breakeven(price: float) -> float:
        own = product.cost_per_contact(shares, 0.0, human, error, 0.19, 0.5) + shares.resolved * price
        return product.breakeven_accuracy(labels, classes, "agent_action", own, 3000 / volume,
                                          lambda s: product.cost_per_contact(s, 1e-4, human, error, 0.19, 0.5))

    low, high = sorted((price_a, price_b))
    assert breakeven(high) <= breakeven(low) + 1e-9


def _results() -> pd.DataFrame:
    rows = [("llm_a", "GPT-4", "3", "micro_f1", 87.7, "true"), ("llm_b", "GPT-4", "1", "micro_f1", 80.4, "true"),
            ("llm_c", "GPT-4", "3", "macro_f1", 82.7, "true"), ("hobby", "GPT-5-mini", "0", "accuracy", 60.4, "false")]
    return pd.DataFrame([{"key": k, "model": m, "labels_per_intent": n, "measure": ms, "value": v, "peer_reviewed": p,
                          "kind": "llm", "method": "in-context", "published": "2023-11-10", "publisher": "x",
                          "url": "https://x", "prompt_examples": "20", "retrieved": "true"}
                         for k, m, n, ms, v, p in rows])


def test_like_for_like_takes_the_best_peer_reviewed_llm_with_no_more_labels():
    ours = pd.DataFrame({"model": ["m", "m"], "labels": [1.0, 10.0], "accuracy": [0.5, 0.85]})
    table = llm_evidence.like_for_like(_results(), ours)
    assert table["LLM accuracy (%)"].tolist() == [80.4, 87.7]  # macro-F1 and the hobby row are never picked
    assert table["our accuracy (%)"].tolist() == [50.0, 85.0]


def test_breakeven_table_marks_which_published_figures_flip_the_recommendation():
    table = llm_evidence.breakeven_table(_results(), 0.85, "llm_a")
    verdicts = dict(zip(table["accuracy or micro-F1 (%)"], table["recommendation"], strict=True))
    assert verdicts[87.7].startswith("flips") and verdicts[80.4].startswith("holds")
    assert 82.7 not in verdicts  # macro-F1 is not an accuracy
    assert table.loc[table["used here"] == "yes", "accuracy or micro-F1 (%)"].tolist() == [87.7]
    sentence = llm_evidence.breakeven_sentence(table, 0.85, "GPT-6 Luna")
    assert "85.0%" in sentence and "1 of 2 peer-reviewed" in sentence
    assert "perfect LLM" in llm_evidence.breakeven_sentence(table, 1.2, "GPT-6 Luna")
    assert llm_evidence.prompt_of(_results(), "llm_a") == (20, True)
