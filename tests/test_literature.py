"""Published results beside ours: one row per published cell, with our seed spread deciding the verdict."""

import pandas as pd
import pytest

from startup_report.report import literature
from tests.conftest import ROOT

CSV = ROOT / "data/literature/banking77_casanueva2020.csv"


def _summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model": ["m1", "m2", "m1", "m3"],
            "budget": ["10", "10", "full", "full"],
            "accuracy_mean": [0.86, 0.80, 0.930, 0.935],
            "accuracy_sd": [0.005, 0.01, 0.0, 0.002],
            "seeds": [3, 3, 1, 1],
        }
    )


def test_the_shipped_table_loads_with_sources_for_every_cell():
    table = literature.load(CSV, "banking77")
    assert set(table["budget"]) <= {"10", "30", "full"}
    assert table["source_url"].str.startswith("http").all() and table["table"].notna().all()
    assert not table.duplicated(["paper", "model", "budget"]).any()


def test_every_published_cell_gets_our_best_at_its_budget_and_the_margin():
    published = literature.load(CSV, "banking77")
    comparison = literature.compare(_summary(), published)
    assert len(comparison) == (published["budget"].isin(["10", "full"])).sum()  # no 30 in our run
    ten = comparison[comparison["budget"] == "10"]
    assert (ten["our_best_model"] == "m1").all() and (ten["our_sd"] == 0.005).all()
    assert ten["margin"].tolist() == pytest.approx((0.86 - ten["published_accuracy"]).tolist())
    full = comparison[comparison["budget"] == "full"]
    assert (full["our_best_model"] == "m3").all()


def test_a_margin_within_the_seed_spread_is_no_win():
    published = pd.DataFrame({"paper": ["P"] * 3, "model": ["x", "y", "z"], "budget": ["10", "10", "full"],
                              "accuracy": [0.857, 0.84, 0.94]})  # fmt: skip
    comparison = literature.compare(_summary(), published)
    one_seed = "below (one seed: its spread is unknown)"  # m3 ran one seed
    assert comparison["verdict"].tolist() == ["within our seed spread", "above", one_seed]
    best = literature.best_per_budget(comparison)
    assert best["published_model"].tolist() == ["x", "z"]
    sentence = literature.headline(comparison)
    assert "86.0% (± 0.5% over 3 seeds) against 85.7% for x (P): +0.3 points, within our seed spread" in sentence
    assert "full training split, m3 reaches 93.5% (one seed) against 94.0%" in sentence
    assert literature.headline(None) == "No published results for this dataset."


def test_a_table_without_its_sources_is_rejected(tmp_path):
    bad = tmp_path / "bad.csv"
    pd.read_csv(CSV).drop(columns=["source_url"]).to_csv(bad, index=False)
    with pytest.raises(ValueError, match="source_url"):
        literature.load(bad, "banking77")


def _two_datasets(tmp_path):
    table = pd.read_csv(CSV)
    other = table.head(2).assign(dataset="clinc150", accuracy=0.5)
    path = tmp_path / "mixed.csv"
    pd.concat([table, other]).to_csv(path, index=False)
    return path, len(table)


def test_only_the_rows_of_the_declared_dataset_are_used(tmp_path):
    path, n_banking = _two_datasets(tmp_path)
    assert len(literature.load(path, "banking77")) == n_banking
    clinc = literature.load(path, "clinc150")
    assert len(clinc) == 2 and (clinc["accuracy"] == 0.5).all()
    assert literature.load(path, "travel-intents").empty
    assert literature.applies(path, "clinc150") and not literature.applies(path, "travel-intents")


def test_a_table_that_does_not_say_its_dataset_is_rejected(tmp_path):
    bad = tmp_path / "bad.csv"
    pd.read_csv(CSV).drop(columns=["dataset"]).to_csv(bad, index=False)
    with pytest.raises(ValueError, match="dataset"):
        literature.rows_for(bad, "banking77")
