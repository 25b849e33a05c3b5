"""The model card and the training grid's tables, checked against counts done by hand."""

import numpy as np
import pandas as pd
import pytest

from startup_report.modeling.encoder import DIM
from startup_report.report import training_tables


def test_model_card_counts_what_each_family_trains():
    card = training_tables.model_card(pooling=1_000, transformer=2_000, head=300, encoder=22_000_000, n_labels=77)
    assert card["model"].tolist() == [
        "embedding-pooling", "transformer-encoder", "minilm-keras-head", "minilm-finetuned", "minilm-setfit"
    ]
    rows = card.set_index("model")
    assert rows.loc["minilm-keras-head"].tolist() == ["frozen", 22_000_300, 300]  # the encoder stays frozen
    linear = (DIM + 1) * 77  # one weight per embedding dimension and a bias, per intent
    assert rows.loc["minilm-finetuned", "parameters"] == rows.loc["minilm-finetuned", "trained parameters"]
    assert rows.loc["minilm-setfit", "trained parameters"] == 22_000_000 + linear
    assert card.to_dict(orient="records")[0] == {
        "family": "scratch", "model": "embedding-pooling", "parameters": 1_000, "trained parameters": 1_000
    }


def _results() -> pd.DataFrame:
    return pd.DataFrame({
        "family": ["classical", "classical", "classical", "scratch", "scratch", "ensemble"],
        "model": ["tfidf", "tfidf", "tfidf", "pool", "pool", "blend"],
        "budget": ["10", "full", "full", "10", "30", "full"],
        "parameters": [100, 900, 900, 50, 50, 0],
        "flops_per_message": [1e9, 3e9, 3e9, 2e9, 4e9, 0.0],
        "size_bytes": [1e6, 5e6, 5e6, 2e6, 2e6, 0.0],
        "train_seconds": [1.0, 4.0, 6.0, 2.0, 8.0, 0.0],
        "ms_per_message": [0.1, 0.3, 0.5, 0.2, 0.4, 0.6],
    })


def test_costs_are_read_at_each_models_largest_budget():
    costs = training_tables.costs_at_largest_budget(_results())
    tfidf = costs.loc[("classical", "tfidf")]  # 'full' beats 10
    assert tfidf["training time (s, mean over seeds)"] == 5.0 and tfidf["GFLOPs per message"] == 3.0
    assert tfidf["size (MB)"] == 5.0 and tfidf["latency (ms per message)"] == pytest.approx(0.4)
    pool = costs.loc[("scratch", "pool")]  # 30 beats 10, compared as numbers
    assert pool["training time (s, mean over seeds)"] == 8.0 and pool["parameters"] == 50


def test_accuracy_table_has_one_column_per_budget_and_its_spread():
    summary = pd.DataFrame({"family": ["classical"] * 2, "model": ["tfidf"] * 2, "budget": ["10", "full"],
                            "accuracy_mean": [0.61234, 0.9], "accuracy_sd": [0.0123, 0.0]})
    table = training_tables.accuracy_by_budget(summary)
    assert table.columns.tolist() == ["accuracy @ 10", "accuracy @ full", "sd @ 10", "sd @ full"]
    assert np.allclose(table.loc[("classical", "tfidf")].to_numpy(), [0.612, 0.9, 0.012, 0.0])
    one_seed = training_tables.accuracy_by_budget(summary.assign(seeds=[3, 1]))
    assert one_seed.loc[("classical", "tfidf"), "sd @ 10"] == 0.012
    assert np.isnan(one_seed.loc[("classical", "tfidf"), "sd @ full"])  # one seed: no spread, not 0.0


def test_ensembles_are_not_counted_as_trained():
    trained = training_tables.trained_runs(_results())
    assert "ensemble" not in set(trained["family"]) and len(trained) == 5
