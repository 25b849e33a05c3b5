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
