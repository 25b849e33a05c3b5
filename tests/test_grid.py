"""The experiment grid: budgets drawn per intent, runs keyed by content and reused, the same table every time."""

from pathlib import Path

import pandas as pd
import pytest

from startup_report.data.dataset import prepare
from startup_report.modeling import grid, persist, sampling
from startup_report.modeling.runcache import RunCache
from startup_report.modeling.runs import RunData
from startup_report.params import DataParams, ModelParams, TrainingParams

DATA = Path(__file__).parent / "data"
SCORES = ["family", "model", "budget", "seed", "accuracy", "macro_f1", "val_accuracy"]


@pytest.fixture(scope="module")
def splits():
    params = DataParams(train="travel_intents.csv", test=None, text_column="utterance", label_column="intent")
    return prepare(params, DATA, seed=0)


@pytest.fixture(scope="module")
def data(splits) -> RunData:
    return RunData(splits.train, splits.validation, splits.test, tuple(splits.labels))


MODEL = ModelParams(sequence_length=12, embedding_dim=16, hidden_units=16)


def _training(**changes) -> TrainingParams:
    base = {"models": ["tfidf-logreg", "embedding-pooling"], "budgets": [5], "n_seeds": 1, "epochs": 2}
    return TrainingParams(**{**base, **changes})


def test_budget_draws_k_per_intent_reproducibly(splits):
    a = sampling.sample_budget(splits.train, 5, seed=1)
    assert a["label"].value_counts().eq(5).all()
    pd.testing.assert_frame_equal(a, sampling.sample_budget(splits.train, 5, seed=1))
    assert not a.equals(sampling.sample_budget(splits.train, 5, seed=2))
    assert sampling.sample_budget(splits.train, "full", seed=1) is splits.train
    with pytest.raises(sampling.BudgetError, match="training.budgets asks for 500"):
        sampling.sample_budget(splits.train, 500, seed=1)


def test_plan_runs_deterministic_models_once_at_full_and_finetuning_at_its_budgets():
    training = TrainingParams(budgets=[10], n_seeds=3, budgets_by_model={"minilm-finetuned": ["full"]},
                              seeds_by_model={"minilm-finetuned": 1})  # fmt: skip
    specs = grid.plan_runs(ModelParams(), training, seed=7)
    runs = {(s.model, s.budget): [x.seed for x in specs if (x.model, x.budget) == (s.model, s.budget)] for s in specs}
    assert runs[("tfidf-logreg", "10")] == [7, 8, 9] and runs[("tfidf-logreg", "full")] == [7]
    assert runs[("transformer-encoder", "full")] == [7, 8, 9] and runs[("transformer-encoder", "10")] == [7, 8, 9]
    assert ("minilm-finetuned", "10") not in runs and runs[("minilm-finetuned", "full")] == [7]
    default = grid.plan_runs(ModelParams(), TrainingParams(), seed=7)
    assert {s.budget for s in default if s.model == "transformer-encoder"} == {"full"}
    assert [s.seed for s in default if s.model == "transformer-encoder"] == [7]  # one seed: its cost
    assert {s.budget for s in default if s.model == "minilm-setfit"} == {"10"}  # CPU cost: one few-shot budget
    assert {s.budget for s in default if s.model == "minilm-finetuned"} == {"10", "full"}
    assert [s.seed for s in default if s.model == "minilm-setfit"] == [7]
    finetune = next(s for s in specs if s.model == "minilm-finetuned")
    assert finetune.config["precision"] in ("fp32", "bf16") and finetune.config["max_epochs"] == 2
    assert finetune.config["train_word_embeddings"] is False  # the default keeps the embedding table pretrained


def test_same_parameters_and_seed_give_the_same_results_table(data):
    specs = grid.plan_runs(MODEL, _training(), seed=0)
    first = grid.run_grid(specs, data, log=lambda _: None).results
    assert len(first) == 2 * 2  # (5-shot, full) x 2 models, one seed
    pd.testing.assert_frame_equal(first[SCORES], grid.run_grid(specs, data, log=lambda _: None).results[SCORES])
    summary = grid.summarize(first)
    assert set(summary["budget"]) == {"5", "full"}


def test_run_cache_trains_only_what_is_new(data, tmp_path):
    cache = RunCache(tmp_path / "runs")
    lines: list[str] = []
    first = grid.run_grid(grid.plan_runs(MODEL, _training(), seed=0), data, cache, log=lines.append)
    assert first.trained == 4 and first.cached == 0
    again = grid.run_grid(grid.plan_runs(MODEL, _training(), seed=0), data, cache, log=lines.append)
    assert again.trained == 0 and again.cached == 4
    pd.testing.assert_frame_equal(first.results, again.results)  # the stored rows, timings included
    assert set(again.best) == {"tfidf-logreg", "embedding-pooling"}
    # The served models of a fully cached rerun are byte-identical to the first run's, so the stages
    # downstream of training see nothing new; each carries its run key (the serving measurements' key).
    grid.save_best_models(first.best, tmp_path / "first")
    grid.save_best_models(again.best, tmp_path / "again")
    fresh = grid.run_grid(grid.plan_runs(MODEL, _training(), seed=0), data, log=lines.append)  # no cache
    grid.save_best_models(fresh.best, tmp_path / "fresh")
    for name in again.best:
        saved = (tmp_path / "again" / f"{name}.pkl").read_bytes()
        assert saved == (tmp_path / "first" / f"{name}.pkl").read_bytes(), name
        key = (tmp_path / "first" / f"{name}.key").read_text()
        assert key == (tmp_path / "fresh" / f"{name}.key").read_text() and len(key.strip()) == 64, name
        assert persist.load_model(tmp_path / "again" / f"{name}.pkl").predict_proba(["card lost"]).shape[0] == 1
    more = grid.run_grid(grid.plan_runs(MODEL, _training(budgets=[5, 6]), seed=0), data, cache, log=lines.append)
    assert more.trained == 2 and more.cached == 4  # only the budget-6 runs of both models
    tuned = grid.run_grid(
        grid.plan_runs(MODEL.model_copy(update={"logreg_c": 1.0}), _training(), seed=0), data, cache, log=lines.append
    )
    assert tuned.trained == 2  # tf-idf's own runs; the pooling model's runs do not depend on logreg_c
    assert any(" cached " in line for line in lines) and any(" trained " in line for line in lines)


def test_ensembles_are_blended_from_the_runs_without_training_again(data, tmp_path):
    cache = RunCache(tmp_path / "runs")
    specs = grid.plan_runs(MODEL, _training(), seed=0)
    plain = grid.run_grid(specs, data, cache, log=lambda _: None)
    pairs = [("embedding-pooling", "tfidf-logreg"), ("tfidf-logreg", "minilm-logreg")]  # the second never ran
    mixed = grid.run_grid(specs, data, cache, log=lambda _: None, ensembles=pairs)
    assert mixed.trained == 0 and len(mixed.results) == len(plain.results) + 2  # one per budget
    blends = mixed.results[mixed.results["family"] == "ensemble"]
    assert set(blends["model"]) == {"embedding-pooling+tfidf-logreg"} and set(blends["budget"]) == {"5", "full"}
    members = plain.results.set_index(["model", "budget"])["val_accuracy"]
    for row in blends.itertuples():  # the validation-chosen weight is at least as good as either member alone
        assert row.val_accuracy >= max(
            members[("embedding-pooling", row.budget)], members[("tfidf-logreg", row.budget)]
        )
        weights = [float(w) for w in row.ensemble_weights.split("+")]
        assert len(weights) == 2 and sum(weights) == pytest.approx(1.0)
    assert plain.results["ensemble_weights"].isna().all()
