"""The experiment grid: budgets drawn per intent, deterministic by seed, one row per trained model."""

from pathlib import Path

import pandas as pd
import pytest

from startup_report.data.dataset import prepare
from startup_report.modeling import grid
from startup_report.modeling.classical import TfidfLogReg
from startup_report.modeling.scratch import KerasScratch
from startup_report.params import DataParams

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def splits():
    params = DataParams(train="travel_intents.csv", test=None, text_column="utterance", label_column="intent")
    return prepare(params, DATA, seed=0)


def test_budget_draws_k_per_intent_reproducibly(splits):
    a = grid.sample_budget(splits.train, 5, seed=1)
    assert a["label"].value_counts().eq(5).all()
    pd.testing.assert_frame_equal(a, grid.sample_budget(splits.train, 5, seed=1))
    assert not a.equals(grid.sample_budget(splits.train, 5, seed=2))
    assert grid.sample_budget(splits.train, "full", seed=1) is splits.train
    with pytest.raises(grid.BudgetError, match="training.budgets asks for 500"):
        grid.sample_budget(splits.train, 500, seed=1)


def test_same_parameters_and_seed_give_the_same_results_table(splits):
    factories = {
        "tfidf-logreg": lambda: TfidfLogReg(len(splits.labels)),
        "embedding-pooling": lambda: KerasScratch(
            "embedding-pooling", len(splits.labels), epochs=3, sequence_length=12
        ),
    }

    def once() -> pd.DataFrame:
        result = grid.run_grid(
            splits.train,
            splits.validation,
            splits.test,
            splits.labels,
            factories,
            budgets=[5],
            include_full=True,
            seeds=[0, 1],
            log=lambda _: None,
        )
        return result.results[["family", "model", "budget", "seed", "accuracy", "macro_f1", "val_accuracy"]]

    first = once()
    assert len(first) == 2 * 2 * 2  # (5-shot, full) x 2 seeds x 2 models
    pd.testing.assert_frame_equal(first, once())
    summary = grid.summarize(first.assign(train_seconds=0.0, ms_per_message=0.0))
    assert set(summary["budget"]) == {"5", "full"} and (summary["seeds"] == 2).all()
