"""The sector section and the market facts as of the report's date: sector rows, our firm's points among them,
duplicate keys, one year for the TAM, stale rows, the competitor rows."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from startup_report.market import economics, freshness, sector
from startup_report.market.facts import MarketDataError, load_facts, read_facts
from startup_report.market.preflight import preflight
from startup_report.params import MarketParams, Params

ROOT = Path(__file__).resolve().parents[1]
FACTS = load_facts(ROOT / "data/market")

ROW = {
    "key": "a",
    "metric": "m",
    "value": "1.5",
    "unit": "percent",
    "year": "2024",
    "publisher": "P",
    "title": "T",
    "url": "https://example.org",
    "published": "2024-01-02",
    "secondary": "false",
    "note": "",
    "kind": "down_rounds",
}


def _plan(revenue: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"month": np.arange(1, len(revenue) + 1), "revenue": revenue})


def _rounds(*rows: tuple[int, float, int, bool]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["month", "pre-money (USD)", "stage", "failed"])


def test_firm_points_by_hand():
    # Revenue dips in month 3, so the round in month 4 is priced on the best month so far (month 2: 200).
    revenue = [100.0, 200.0, 150.0, 180.0] + [300.0] * 20
    points = sector.firm_points(_plan(revenue), _rounds((4, 48_000.0, 0, False), (10, 1e9, 1, True)), ["A", "B"], 4.0)
    assert list(points["kind"]) == ["round", "exit"]  # the failed round is left out: nobody paid its price
    first, exit_row = points.iloc[0], points.iloc[1]
    assert first["point"] == "our A, month 4"
    assert first["revenue_usd"] == 12 * 200.0 and first["multiple"] == pytest.approx(48_000 / 2_400)
    assert exit_row["revenue_usd"] == 12 * 300.0  # the last twelve months
    assert exit_row["valuation_usd"] == 4.0 * 3_600.0 and exit_row["multiple"] == pytest.approx(4.0)


def test_story_places_the_firm_against_the_sector_band():
    ref = sector.references(FACTS)
    assert ref["ai_round_low"] < ref["ai_round_high"] and ref["public_saas"] > 0
    revenue = [1e5] * 24  # ARR 1.2 M
    inside = ref["ai_round_low"] * 1.2e6 + 1.0
    text = sector.story(sector.firm_points(_plan(revenue), _rounds((13, inside, 0, False)), ["Series A"], 4.0), FACTS)
    assert "Series A, month 13" in text and "within the" in text and "sell at 4.0x" in text
    above = sector.firm_points(_plan(revenue), _rounds((13, 1e9, 0, False)), ["Series A"], 4.0)
    assert "above the" in sector.story(above, FACTS)
    none = sector.story(sector.firm_points(_plan(revenue), _rounds(), ["Series A"], 10.0), FACTS)
    assert none.startswith("Our base plan closes no funding round") and "above the" in none  # 10x > listed SaaS
    assert "nan" not in none.lower()



def test_a_plan_without_revenue_is_told_and_drawn_without_nan():
    from startup_report.report.market_plots import sector_multiples

    points = sector.firm_points(_plan([0.0] * 24), _rounds((13, 48e6, 0, False)), ["Series A"], 4.0)
    text = sector.story(points, FACTS)  # another dataset whose intents no template resolves earns nothing
    assert "no revenue to sell" in text and "nan" not in text.lower() and "inf" not in text.lower()
    assert sector_multiples(points, sector.references(FACTS)).axes[0].get_xscale() == "log"


def test_sector_sources_carry_source_date_and_stale_flag():
    table = sector.sources(FACTS, "2026-11-26")
    assert len(table) == len(FACTS["sector"]) + len(sector.BENCHMARK_KEYS)
    assert table["kind"].notna().all() and table["url"].str.startswith("http").all()
    assert table["published"].notna().all() and set(table["secondary"]) == {True, False}
    assert (table["stale"] == "current").all()  # every sector figure is about 2023 or later
    assert (sector.sources(FACTS, "2031-01-01")["stale"] == "stale").any()


def test_a_sector_row_of_unknown_kind_names_file_row_and_column(tmp_path):
    path = tmp_path / "sector.csv"
    pd.DataFrame([ROW, {**ROW, "key": "b", "kind": "vibes"}]).to_csv(path, index=False)
    with pytest.raises(MarketDataError) as info:
        read_facts(path)
    text = str(info.value)
    assert "sector.csv" in text and "row 3" in text and "column 'kind'" in text and "'vibes'" in text


def test_a_duplicated_key_names_file_key_and_rows(tmp_path):
    path = tmp_path / "market_size.csv"
    pd.DataFrame([ROW, {**ROW, "key": "b"}, {**ROW, "value": "2"}]).to_csv(path, index=False)
    with pytest.raises(MarketDataError) as info:
        read_facts(path)
    text = str(info.value)
    assert "market_size.csv" in text and "duplicate values in column 'key'" in text and "'a' in rows 2, 4" in text


def test_shipped_files_hold_each_key_and_each_market_size_once():
    for frame in FACTS.values():
        assert not frame["key"].duplicated().any()
    sizes = FACTS["market_size"]
    assert not sizes.duplicated(["segment", "year", "value"]).any()
    assert "polaris_ai_customer_service_2024" not in set(sizes["key"])  # MarketsandMarkets' 2024 base, twice


def test_the_tam_range_compares_estimates_for_one_year():
    config = MarketParams()
    sizes = FACTS["market_size"]
    year = economics.one_year_basis(sizes, [config.tam_key, *config.tam_range_keys])
    assert set(sizes.set_index("key").loc[config.tam_range_keys, "year"]) == {year}
    sized = economics.sizing(sizes, config.tam_key, config.tam_range_keys, 0.1, 0.1)
    assert sized["low"]["tam_usd"] <= sized["central"]["tam_usd"] <= sized["high"]["tam_usd"]
    mixed = ["mnm_ai_customer_service_2030", "polaris_ai_customer_service_2026"]
    with pytest.raises(MarketDataError, match=r"polaris_ai_customer_service_2026 \(2026\)"):
        economics.sizing(sizes, config.tam_key, mixed, 0.1, 0.1)
    with pytest.raises(MarketDataError, match="market.tam_range_keys must be estimates for one year"):
        preflight(Params(market=MarketParams(tam_range_keys=mixed)), ROOT)


def test_stale_rows_are_flagged_by_their_year_against_as_of():
    rows = FACTS["contact_costs"].set_index("key")
    flagged = freshness.dated(rows, "2026-11-26")["stale"]
    assert flagged["human_cost_per_contact_live"] == "stale"  # Gartner's USD 8.01, 2019
    assert flagged["intercom_fin_price_per_resolution"] == "current"
    assert freshness.stale(2019, "2024-06-30") is False  # five years: not yet
    assert freshness.stale(2040, "2026-11-26") is False  # a forecast is never stale


def test_fin_is_priced_from_its_owner_page_and_the_sale_is_recorded():
    price = FACTS["contact_costs"].set_index("key").loc["intercom_fin_price_per_resolution"]
    assert price["value"] == 0.99 and not price["secondary"] and "intercom.com" in price["url"]
    assert "Salesforce" in price["note"] and price["published"].startswith("2026")
    competitors = FACTS["competitors"].set_index("key")
    assert competitors.loc["intercom_fin_per_resolution", "basis"] == "per resolution"
    assert competitors.loc["intercom_fin_per_resolution", "vendor"].startswith("Fin")
    sale = FACTS["sector"].set_index("key").loc["salesforce_fin_acquisition_2026"]
    assert sale["unit"] == "USD billion" and sale["secondary"]


def test_the_sector_figure_labels_axes_with_units_and_marks_our_points():
    from startup_report.report.market_plots import sector_multiples

    revenue = [1e5] * 24
    points = sector.firm_points(_plan(revenue), _rounds((13, 48e6, 0, False)), ["Series A"], 4.0)
    fig = sector_multiples(points, sector.references(FACTS))
    ax = fig.axes[0]
    assert "USD million" in ax.get_xlabel() and "USD million" in ax.get_ylabel()
    assert ax.get_xscale() == ax.get_yscale() == "log"
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert any("AI rounds" in label for label in labels) and "our exit" in labels and len(labels) == 4


def test_amounts_under_ten_keep_a_decimal_and_later_rounds_are_named():
    from startup_report.market.facts import formatted

    sale = FACTS["sector"].set_index("key").loc["salesforce_fin_acquisition_2026"]
    assert formatted(sale) == "$3.6 billion"
    assert formatted(pd.Series({"value": 643.86, "unit": "USD billion"})) == "$644 billion"
    assert formatted(pd.Series({"value": 0.5, "unit": "USD million"})) == "$0.5 million"
    two = sector.firm_points(_plan([1e5] * 24), _rounds((5, 48e6, 0, False), (20, 110e6, 1, False)), ["A", "B"], 4.0)
    assert "and its last (B, month 20) at 92x" in sector.story(two, FACTS)


def test_preflight_refuses_a_facts_folder_without_the_sector_rows(tmp_path):
    import shutil

    folder = tmp_path / "market"
    shutil.copytree(ROOT / "data/market", folder)
    (folder / "sector.csv").unlink()
    params = Params(market=MarketParams(facts_dir=str(folder)))
    with pytest.raises(MarketDataError, match="sector.csv is missing from market.facts_dir"):
        preflight(params, ROOT)
