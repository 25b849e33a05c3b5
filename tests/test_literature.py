"""Published results beside ours: one row per published cell, with our seed spread deciding the verdict."""

import pandas as pd
import pytest

from startup_report.report import literature
from tests.conftest import ROOT

CSV = ROOT / "data/literature/banking77_published.csv"


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
    assert set(table["budget"]) <= {"5", "10", "30", "full"}
    assert table["source_url"].str.startswith("http").all() and table["table"].notna().all()
    assert not table.duplicated(["paper", "model", "budget"]).any()
    assert set(table["read_via"]) <= set(literature.READ_VIA) and (table["test_messages"] == 3080).all()
    best_ten = table[table["budget"] == "10"].sort_values("accuracy").iloc[-1]
    assert best_ten["model"] == "CPFT" and best_ten["accuracy"] == pytest.approx(0.8720)


def test_every_published_cell_gets_our_best_at_its_budget_and_the_margin():
    published = literature.load(CSV, "banking77")
    comparison = literature.compare(_summary(), published)
    assert len(comparison) == (published["budget"].isin(["10", "full"])).sum()  # no 5 or 30 in our run
    ten = comparison[comparison["budget"] == "10"]
    assert (ten["our_best_model"] == "m1").all() and (ten["our_sd"] == 0.005).all()
    assert ten["margin"].tolist() == pytest.approx((0.86 - ten["published_accuracy"]).tolist())
    full = comparison[comparison["budget"] == "full"]
    assert (full["our_best_model"] == "m3").all()


def _published(**columns) -> pd.DataFrame:
    n = len(columns["model"])
    base = {"paper": ["P"] * n, "encoder": ["e"] * n, "encoder_parameters_m": [125.0] * n, "read_via": ["paper"] * n}
    return pd.DataFrame({**base, **columns})


@pytest.mark.parametrize(
    ("margin", "sd", "seeds", "expected"),
    [
        (0.004, 0.005, 3, "within our seed spread"),  # inside the spread, above
        (-0.004, 0.005, 3, "within our seed spread"),  # inside the spread, below
        (0.005, 0.005, 3, "within our seed spread"),  # on the edge counts as inside
        (0.006, 0.005, 3, "above"),
        (-0.006, 0.005, 3, "below"),
        (0.05, 0.0, 1, "no verdict (one seed: its spread is unknown)"),  # one seed: never "above"
        (-0.05, 0.0, 1, "no verdict (one seed: its spread is unknown)"),
    ],
)
def test_the_verdict_rule(margin, sd, seeds, expected):
    assert literature.verdict(margin, sd, seeds) == expected


def test_a_margin_within_the_seed_spread_is_no_win():
    published = _published(model=["x", "y", "z"], budget=["10", "10", "full"], accuracy=[0.857, 0.84, 0.94])
    comparison = literature.compare(_summary(), published)
    one_seed = "no verdict (one seed: its spread is unknown)"  # m3 ran one seed
    assert comparison["verdict"].tolist() == ["within our seed spread", "above", one_seed]
    sentence = literature.headline(comparison)
    assert "86.00% (± 0.50% over 3 seeds) against 85.70% for the best published, x (P): +0.30 points, within" \
        in sentence
    assert "full training split, m3 reaches 93.50% (one seed) against 94.00%" in sentence
    assert literature.headline(None) == "No published results for this dataset."


def test_the_best_at_our_size_or_smaller_is_judged_apart_and_unknown_sizes_never_count_as_smaller():
    published = _published(
        model=["big", "small", "unknown"], budget=["10", "10", "10"], accuracy=[0.90, 0.80, 0.95],
        encoder_parameters_m=[125.0, 20.0, float("nan")],
    )  # fmt: skip
    comparison = literature.compare(_summary(), published)
    table = literature.budget_verdicts(comparison, our_parameters_m=22.7)
    row = table.iloc[0]
    assert row["best_model"] == "unknown" and row["best_verdict"] == "below"
    assert row["small_model"] == "small" and row["small_verdict"] == "above"
    sentence = literature.headline(comparison, 22.7)
    assert "size (23 M) or smaller the best published is small (P) at 80.00%: +6.00 points, above" in sentence
    none_small = literature.headline(literature.compare(_summary(), published.iloc[[0]]), 22.7)
    assert "no published result at this budget names an encoder of 23 M parameters or fewer" in none_small


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("read_via", "a blog", "read_via must be one of"),
        ("kind", "human", "kind must be one of"),
        ("budget", "ten", "budget must be"),
        ("encoder_parameters_m", "large", "encoder_parameters_m must be"),
        ("accuracy", "87.2", "accuracy must be a fraction"),
    ],
)
def test_a_row_that_does_not_say_what_it_is_is_rejected_by_column(tmp_path, column, value, message):
    bad = tmp_path / "bad.csv"
    table = pd.read_csv(CSV, dtype=str)
    table.loc[0, column] = value
    table.to_csv(bad, index=False)
    with pytest.raises(ValueError, match=message):
        literature.load(bad, "banking77")


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
