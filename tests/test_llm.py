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


def test_every_shipped_price_row_is_dated_and_no_retired_model_is_priced():
    facts = load_facts(ROOT / "data/market")
    prices = facts["llm_prices"]
    assert prices["read"].notna().all() and prices["retires"].notna().all()
    assert (prices["retires"].eq("none announced") | prices["retires"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")).all()
    table = llm.price_table(prices, facts["llm_discounts"])
    for as_of in ("2026-11-26", "2026-12-11", "2027-02-01"):
        priced = llm.priced(table, llm.Tokens(400, 100, 10), as_of)
        dates = llm.retirement_dates(priced)
        assert all(d is None or d > llm.parse_date(as_of) for d in dates)
    later = set(llm.priced(table, llm.Tokens(400, 100, 10), "2026-12-11")["model"])
    assert "GPT-5 mini" in set(llm.priced(table, llm.Tokens(400, 100, 10), "2026-12-10")["model"])
    assert not {"GPT-5", "GPT-5 mini", "GPT-4.1 nano", "gpt-4-0613"} & later  # shut down by then
    with pytest.raises(MarketDataError, match="GPT-5 mini"):
        llm.check_not_retired(prices, "GPT-5 mini", "2026-12-11")


def test_reasoning_tokens_are_billed_as_output_only_for_a_model_that_reasons():
    prices, discounts = _prices()
    table = llm.price_table(prices.assign(reasoning=prices["model"].map({"cheap": "yes", "old": "not stated"})),
                            discounts).set_index("model")
    thinking = llm.Tokens(prefix=400, rest=100, output=10, reasoning=200)
    plain = llm.Tokens(prefix=400, rest=100, output=10)
    extra = llm.usd_per_message(table.loc["cheap"], thinking, False, False) - llm.usd_per_message(
        table.loc["cheap"], plain, False, False)
    assert extra == pytest.approx(200 * 0.5 / 1e6)
    assert llm.usd_per_message(table.loc["old"], thinking, False, False) == llm.usd_per_message(
        table.loc["old"], plain, False, False)


def test_examples_in_the_prompt_are_cached_unless_retrieved_per_message():
    static = llm.tokens(428.0, 4.0, 416.0, examples=231)
    retrieved = llm.tokens(428.0, 4.0, 416.0, examples=20, retrieved=True)
    assert static.prefix == pytest.approx(416 + 231 * 16) and static.rest == pytest.approx(12)
    assert retrieved.prefix == 416 and retrieved.rest == pytest.approx(12 + 20 * 16)


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
    assert {"labels_per_intent", "method", "measure", "peer_reviewed", "published"} <= set(table.columns)
    assert set(table["measure"]) == {"accuracy", "micro_f1"}  # macro-F1 is never set beside an accuracy


def test_default_llm_accuracy_is_peer_reviewed_few_shot_and_the_hobby_rows_are_marked():
    from startup_report.market.config import MarketParams

    results = load_facts(ROOT / "data/market")["banking77_results"].set_index("key")
    default = results.loc[MarketParams().llm_accuracy_key]
    assert default["peer_reviewed"] == "true" and default["kind"] == "llm" and default["measure"] == "micro_f1"
    assert float(default["labels_per_intent"]) > 0 and default["published"] == "2023-11-10"  # few-shot, dated
    assert (results[results.index.str.startswith("dinesh0401")]["peer_reviewed"] == "false").all()
    # Table 5 of the paper, read off the authors' PDF: GPT-4 with the 20 most similar of 3 examples per intent.
    assert float(default["value"]) == 87.7 and default["retrieved"] == "true" and default["prompt_examples"] == "20"


def test_prompt_prefix_is_split_from_the_message():
    prompt = llmcost.token_profile(["where is my card"], ["card_arrival", "exchange_rate"])["prompt_tokens"]
    tokens = llm.tokens(700.0, 5.0, prompt)
    assert 0 < tokens.prefix == prompt < 700 and tokens.prefix + tokens.rest == 700.0
    assert llm.tokens(100.0, 5.0, 600.0).rest == 0.0  # a prefix never exceeds the measured input
