from pathlib import Path

import pandas as pd
import pytest

from startup_report.market.facts import MarketDataError, fact, load_facts, read_facts

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_market_files_validate_and_hold_the_keys_code_uses():
    facts = load_facts(ROOT / "data/market")
    assert fact(facts, "contact_costs", "human_cost_per_contact_live")["unit"] == "USD per contact"
    assert fact(facts, "contact_costs", "human_cost_per_contact_chat")["value"] > 0


GOOD = {
    "key": "a",
    "metric": "m",
    "value": "1.5",
    "unit": "USD per contact",
    "year": "2024",
    "publisher": "P",
    "title": "T",
    "url": "https://example.org",
    "published": "2024-01-02",
    "secondary": "false",
    "note": "",
}


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"value": "-2"}, "value"),
        ({"unit": "EUR per parsec"}, "unit"),
        ({"publisher": ""}, "publisher"),
        ({"url": "not a url"}, "url"),
    ],
)
def test_bad_market_rows_name_file_row_and_column(tmp_path, change, column):
    path = tmp_path / "contact_costs.csv"
    pd.DataFrame([GOOD, {**GOOD, "key": "b", **change}]).to_csv(path, index=False)
    with pytest.raises(MarketDataError) as info:
        read_facts(path)
    text = str(info.value)
    assert "contact_costs.csv" in text and "row 3" in text and f"column '{column}'" in text


def test_duplicate_keys_are_rejected(tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame([GOOD, GOOD]).to_csv(path, index=False)
    with pytest.raises(MarketDataError, match="column 'key'"):
        read_facts(path)


def test_secondary_flag_is_read_from_its_text():
    facts = load_facts(ROOT / "data/market")
    flags = pd.concat([frame["secondary"] for frame in facts.values()])
    assert flags.dtype == bool and flags.any() and not flags.all()


def test_defaults_come_from_named_sources_only():
    from startup_report.market.economics import source_problem
    from startup_report.params import MarketParams

    facts = load_facts(ROOT / "data/market")
    config = MarketParams()
    sizes = facts["market_size"].set_index("key")
    for key in [config.tam_key, *config.tam_range_keys]:
        assert source_problem(sizes.loc[key].to_dict() | {"key": key}) is None, key
    assert source_problem(sizes.loc["conv_ai_market_2026_grokipedia"].to_dict() | {"key": "g"}) is not None
    assert fact(facts, "routing", config.transfer_rate_key)["source_kind"] == "research_firm"


def test_channel_matched_human_cost_is_the_newest_for_the_channel():
    from startup_report.market.economics import channel_costs, human_cost

    costs = load_facts(ROOT / "data/market")["channel_costs"]
    chat = human_cost(costs, "chat", None)
    assert chat["key"] == "chat_uk_2024" and chat["channel"] == "chat"
    assert human_cost(costs, "email", None)["value"] > chat["value"]
    assert list(channel_costs(costs, "chat")["year"]) == sorted(channel_costs(costs, "chat")["year"], reverse=True)
    with pytest.raises(MarketDataError, match="no sourced human cost for channel 'messaging'"):
        human_cost(costs, "messaging", None)


def test_sizing_range_by_hand():
    from startup_report.market.economics import sizing

    sizes = pd.DataFrame({"key": ["a", "b", "c"], "value": [10.0, 40.0, 20.0], "year": [2030] * 3})
    sized = sizing(sizes, "c", ["a", "b"], sam_share=0.5, som_share=0.1)
    assert sized["low"]["tam_usd"] == 10e9 and sized["high"]["tam_usd"] == 40e9
    assert sized["central"]["som_usd"] == pytest.approx(20e9 * 0.5 * 0.1)


def test_the_llm_accuracy_is_called_a_proxy_on_another_dataset():
    from startup_report.market import headline

    assert headline.llm_basis("banking77") == "the accuracy published for this dataset"
    other = headline.llm_basis("travel-intents")
    assert "as a proxy" in other and "assumption" in other and "travel-intents" in other


def test_a_file_read_again_unchanged_gives_an_equal_copy_and_a_changed_one_is_checked_again(tmp_path):
    path = tmp_path / "contact_costs.csv"
    pd.DataFrame([GOOD]).to_csv(path, index=False)
    first = read_facts(path)
    first.loc[0, "value"] = 99.0  # a caller changing its table must not change what the next caller reads
    again = read_facts(path)
    assert again.loc[0, "value"] == 1.5 and again.equals(read_facts(path))
    pd.DataFrame([GOOD, {**GOOD, "key": "b", "value": "-2"}]).to_csv(path, index=False)  # edited: larger
    with pytest.raises(MarketDataError, match="row 3"):
        read_facts(path)
