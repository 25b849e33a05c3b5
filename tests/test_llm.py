"""The LLM route from evidence: cached and batch prices by hand, retired models refused."""

from pathlib import Path

import pandas as pd
import pytest

from startup_report.evaluation import llmcost
from startup_report.market import llm
from startup_report.market.facts import MarketDataError, load_facts

ROOT = Path(__file__).resolve().parents[1]


def _prices():
    rows = []
    for model, vendor, prices, retires in (
        ("cheap", "OpenAI", {"input": 0.1, "cached_input": 0.01, "output": 0.5}, ""),
        ("old", "OpenAI", {"input": 0.05, "output": 0.4}, "2026-10-23"),
    ):
        for direction, value in prices.items():
            rows.append(
                {
                    "key": f"{model}_{direction}",
                    "vendor": vendor,
                    "model": model,
                    "direction": direction,
                    "value": value,
                    "published": "2026",
                    "read": "2026-11-26",
                    "retires": retires,
                }
            )
    discounts = pd.DataFrame([{"vendor": "OpenAI", "discount": "batch", "value": 50.0}])
    return pd.DataFrame(rows), discounts


def test_price_per_message_with_caching_and_batch_by_hand():
    prices, discounts = _prices()
    table = llm.price_table(prices, discounts).set_index("model")
    tokens = llm.Tokens(prefix=400, rest=100, output=10)
    row = table.loc["cheap"]
    assert llm.usd_per_message(row, tokens, caching=False, batch=False) == pytest.approx((500 * 0.1 + 10 * 0.5) / 1e6)
    cached = (400 * 0.01 + 100 * 0.1 + 10 * 0.5) / 1e6
    assert llm.usd_per_message(row, tokens, caching=True, batch=False) == pytest.approx(cached)
    assert llm.usd_per_message(row, tokens, caching=True, batch=True) == pytest.approx(cached / 2)
    # A model without a listed cached price pays the input price for the prefix.
    assert table.loc["old", "cached_input"] == 0.05 and not table.loc["old", "cache_listed"]


def test_retired_models_are_refused_with_their_row_and_left_out_of_the_table():
    prices, discounts = _prices()
    with pytest.raises(MarketDataError) as info:
        llm.check_not_retired(prices, "old", "2026-11-26")
    assert "'old' retires on 2026-10-23" in str(info.value) and "old_input" in str(info.value)
    assert "cheap" in str(info.value)  # names a current model to use instead
    llm.check_not_retired(prices, "old", "2026-10-01")  # not yet retired then
    priced = llm.priced(llm.price_table(prices, discounts), llm.Tokens(400, 100, 10), "2026-11-26")
    assert list(priced["model"]) == ["cheap"]


def test_shipped_prices_refuse_gpt_4_1_nano_and_accept_the_default():
    facts = load_facts(ROOT / "data/market")
    with pytest.raises(MarketDataError, match="GPT-4.1 nano"):
        llm.check_not_retired(facts["llm_prices"], "GPT-4.1 nano", "2026-11-26")
    llm.check_not_retired(facts["llm_prices"], "GPT-6 Luna", "2026-11-26")


def test_published_accuracy_and_evidence_table():
    facts = load_facts(ROOT / "data/market")
    results = facts["banking77_results"]
    assert llm.accuracy(results, "dinesh0401_gpt_5_mini_zero_shot") == pytest.approx(0.604)
    with pytest.raises(MarketDataError, match="llm_accuracy_key"):
        llm.accuracy(results, "nope")
    table = llm.evidence_table(results, {"minilm": 0.9})
    assert table.iloc[0]["model"] == "ours: minilm" and table.iloc[0]["accuracy (%)"] == 90.0
    assert {"shots", "method", "published"} <= set(table.columns)


def test_prompt_prefix_is_split_from_the_message():
    prompt = llmcost.token_profile(["where is my card"], ["card_arrival", "exchange_rate"])["prompt_tokens"]
    tokens = llm.tokens(700.0, 5.0, prompt)
    assert 0 < tokens.prefix == prompt < 700 and tokens.prefix + tokens.rest == 700.0
    assert llm.tokens(100.0, 5.0, 600.0).rest == 0.0  # a prefix never exceeds the measured input
