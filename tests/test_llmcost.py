"""An LLM API's cost per message: tokens counted with the real tokenizer, list prices applied by hand."""

import pandas as pd
import pytest

from startup_report.evaluation import llmcost


def test_every_call_carries_the_intent_list_so_the_prompt_dominates(tmp_path):
    labels = [f"intent_number_{i}" for i in range(40)]
    profile = llmcost.token_profile(["my card is lost", "how do I top up?"], labels, tmp_path)
    message = [llmcost.count_tokens("my card is lost"), llmcost.count_tokens("how do I top up?")]
    assert profile["message_tokens_mean"] == pytest.approx(sum(message) / 2)
    assert profile["input_tokens_mean"] == pytest.approx(profile["prompt_tokens"] + sum(message) / 2)
    assert profile["prompt_tokens"] > 10 * profile["message_tokens_mean"]  # forty intents listed every time
    assert profile["output_tokens_mean"] == pytest.approx(
        sum(llmcost.count_tokens(label) for label in labels) / len(labels)
    )
    fewer = llmcost.token_profile(["my card is lost", "how do I top up?"], labels[:4], tmp_path)
    assert fewer["prompt_tokens"] < profile["prompt_tokens"]


def test_a_profile_is_counted_once_then_read_back(tmp_path, monkeypatch):
    texts, labels = ["my card is lost", "refund please"], ["card_lost", "refund"]
    first = llmcost.token_profile(texts, labels, tmp_path)
    monkeypatch.setattr(llmcost, "_count", lambda *args: pytest.fail("counted again"))
    assert llmcost.token_profile(texts, labels, tmp_path) == first
    with pytest.raises(pytest.fail.Exception, match="counted again"):  # other messages: counted afresh
        llmcost.token_profile([*texts, "pin blocked"], labels, tmp_path)


def test_the_tokenizer_counts_real_tokens():
    assert llmcost.count_tokens("") == 0
    assert 0 < llmcost.count_tokens("hello world") <= 3
    assert llmcost.count_tokens("hello world " * 10) > llmcost.count_tokens("hello world")


def _prices() -> pd.DataFrame:
    rows = [
        ("V1", "small", "input", 0.1, "2026-01-01"), ("V1", "small", "output", 0.4, "2026-02-01"),
        ("V2", "big", "input", 2.0, "2026-03-01"), ("V2", "big", "output", 8.0, "2026-03-01"),
        ("V2", "input-only", "input", 0.01, "2026-03-01"),  # no output price: cannot be costed
    ]
    return pd.DataFrame(rows, columns=["vendor", "model", "direction", "value", "published"])


def test_cost_per_million_messages_is_tokens_times_list_price_cheapest_first():
    profile = {"input_tokens_mean": 1000.0, "output_tokens_mean": 5.0}
    api = llmcost.api_costs(_prices(), profile)
    assert api["model"].tolist() == ["small", "big"]
    # USD per million tokens x tokens per message = USD per million messages.
    assert api["usd_per_million_messages"].tolist() == pytest.approx([0.1 * 1000 + 0.4 * 5, 2.0 * 1000 + 8.0 * 5])
    assert api.loc[0, "published"] == "2026-02-01"  # the latest date of its prices
    assert {"input_usd_per_mtok", "output_usd_per_mtok"} <= set(api.columns)


def test_only_the_chosen_models_are_kept():
    api = llmcost.api_costs(_prices(), {"input_tokens_mean": 10.0, "output_tokens_mean": 1.0}, ["big"])
    assert api["model"].tolist() == ["big"]
