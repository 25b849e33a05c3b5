"""The evaluation chapter's tables, its hand-off assembly and its summary wording, on a small known case."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_recall_fscore_support

from startup_report.evaluation import handoff, scores, summary, tables
from startup_report.params import EvaluationParams

LABELS = np.array(["card_lost", "refund", "top_up"])
CONFIG = EvaluationParams(bootstrap_samples=50, calibration_bins=5)


def _probs(y: np.ndarray, accuracy: float, rng: np.random.Generator) -> np.ndarray:
    """Probabilities whose argmax is right on about ``accuracy`` of the messages."""
    wrong = rng.random(len(y)) > accuracy
    predicted = np.where(wrong, (y + 1) % 3, y)
    probs = np.full((len(y), 3), 0.1) + 0.05 * rng.random((len(y), 3))
    probs[np.arange(len(y)), predicted] += 0.8
    return probs / probs.sum(axis=1, keepdims=True)


@pytest.fixture(scope="module")
def case():
    rng = np.random.default_rng(0)
    y_val, y_test = np.tile([0, 1, 2], 40), np.tile([0, 1, 2], 50)
    probabilities = {
        "tfidf-logreg": {"val": _probs(y_val, 0.7, rng), "test": _probs(y_test, 0.7, rng)},
        "minilm-logreg": {"val": _probs(y_val, 0.9, rng), "test": _probs(y_test, 0.9, rng)},
        "embedding-pooling": {"val": _probs(y_val, 0.5, rng), "test": _probs(y_test, 0.5, rng)},
    }
    runs = pd.DataFrame({
        "family": ["classical", "frozen", "scratch", "frozen"],
        "model": ["tfidf-logreg", "minilm-logreg", "embedding-pooling", "minilm-keras-head"],
        "seed": [42, 43, 42, 42],
        "val_accuracy": [0.7, 0.9, 0.5, 0.85],
        "train_seconds": [1.0, 2.0, 3.0, 4.0],
        "parameters": [10, 20, 30, 40],
    })
    best = tables.best_per_family(runs)
    quality = scores.by_family(best, probabilities, y_val, y_test, CONFIG, seed=1)
    return runs, best, quality, y_test


def test_each_family_is_represented_by_its_best_validation_run(case):
    _, best, quality, _ = case
    assert best["model"].tolist() == ["minilm-logreg", "tfidf-logreg", "embedding-pooling"]  # production first
    shown = tables.best_models(best)
    assert shown.columns.tolist() == ["family", "model", "seed", "validation accuracy"]
    assert list(quality) == ["frozen", "classical", "scratch"]
    assert quality["frozen"].figures["model"] == "minilm-logreg"
    assert quality["frozen"].figures["accuracy"] > quality["scratch"].figures["accuracy"]


def test_per_intent_table_matches_scikit_learn_worst_first():
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2])
    y_pred = np.array([0, 0, 1, 1, 1, 2, 0, 0])
    table = tables.per_intent(y_true, y_pred, LABELS)
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    assert table.columns.tolist() == ["intent", "precision", "recall", "F1", "test messages"]
    assert table["F1"].is_monotonic_increasing
    by_intent = table.set_index("intent")
    assert by_intent.loc["top_up", "F1"] == pytest.approx(round(f1[2], 3))  # 1 of 3 found, 1 of 1 right: 0.5
    assert by_intent.loc["refund", "precision"] == pytest.approx(round(precision[1], 3))
    assert by_intent.loc[LABELS, "test messages"].tolist() == support.tolist()
    assert tables.worst_intents(table, 2) == ["top_up", "card_lost"]  # F1 0.5, then 4/7; refund 0.8
    assert len(tables.worst_intents(table, 15)) == 3  # never more than there are


def test_an_intent_never_predicted_gets_zero_not_an_error():
    table = tables.per_intent(np.array([0, 1, 2]), np.array([0, 1, 1]), LABELS).set_index("intent")
    assert table.loc["top_up", ["precision", "recall", "F1"]].tolist() == [0.0, 0.0, 0.0]


def test_quality_calibration_and_automation_tables_round_the_handed_figures(case):
    _, _, quality, _ = case
    frozen = quality["frozen"].figures
    row = tables.quality(quality).set_index("family").loc["frozen"]
    assert row["accuracy"] == round(frozen["accuracy"], 4)
    assert row["95% interval"] == scores.interval(frozen["accuracy_ci"])
    calibration = tables.calibration(quality).set_index("family").loc["frozen"]
    assert calibration["ECE after"] == round(frozen["ece"], 4) and calibration["temperature"] > 0
    automation = tables.automation(quality).set_index("family")
    assert automation.loc["frozen", "automation rate"] == round(frozen["automation_rate"], 4)
    assert automation.index.tolist() == ["frozen", "classical", "scratch"]
    assert tables.calibration(quality).columns.tolist() == ["family", "model", "temperature", "ECE before", "ECE after"]
    assert tables.quality(quality).columns.tolist()[:3] == ["family", "model", "accuracy"]
    assert tables.automation(quality)["model"].tolist() == [q.figures["model"] for q in quality.values()]
    reliability, ece = tables.reliability(quality["frozen"])
    assert set(reliability) == set(ece) == {"before scaling", "after scaling"}
    assert ece["after scaling"] == frozen["ece"]


def test_risk_coverage_curve_ends_at_the_accuracy_of_all_messages(case):
    _, _, quality, y_test = case
    curves = tables.risk_coverage_curves(quality, y_test)
    assert set(curves) == {"frozen: minilm-logreg", "classical: tfidf-logreg", "scratch: embedding-pooling"}
    coverage, precision = curves["frozen: minilm-logreg"]
    assert coverage[-1] == pytest.approx(1.0)
    assert precision[-1] == pytest.approx(quality["frozen"].figures["accuracy"])  # scaling keeps every argmax


def test_costs_put_own_models_before_the_apis(case):
    _, _, quality, _ = case
    measured = {"frozen": {"serving_cost_per_million_usd": 1.5}, "classical": {"serving_cost_per_million_usd": 0.2}}
    api = pd.DataFrame({"vendor": ["V"], "model": ["big-llm"], "input_usd_per_mtok": [0.1],
                        "output_usd_per_mtok": [0.4], "published": ["2026-11"], "usd_per_million_messages": [123.456]})
    compare = tables.cost_comparison(quality, measured, api)
    assert compare["route"].tolist() == ["own: minilm-logreg", "own: tfidf-logreg", "API: big-llm"]
    assert compare["usd_per_million_messages"].tolist() == [1.5, 0.2, 123.456]
    assert compare["kind"].tolist() == ["own model on a CPU"] * 2 + ["LLM API (list price)"]
    prices = tables.api_prices(api)
    assert prices.loc[0, "USD per million messages"] == 123.46
    assert "input (USD per million tokens)" in prices.columns


def test_predictions_name_the_intent_and_carry_the_confidence():
    test = pd.DataFrame({"text": ["a", "b"], "label": ["refund", "top_up"]})
    probs = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    frame = tables.predictions(test, LABELS, probs.argmax(axis=1), probs)
    assert frame["predicted"].tolist() == ["refund", "card_lost"]
    assert frame["confidence"].tolist() == [0.7, 0.5]


def _serving(cost: float) -> dict:
    return {"latency_ms_p50": 2.0, "latency_ms_p95": 3.5, "throughput_per_s": 250.0, "peak_memory_mb": 300.0,
            "serving_cost_per_million_usd": cost, "rss_samples": 7}  # not a hand-off field: dropped


def _open_world():
    return handoff.OpenWorld(
        source="held-out intents", model="minilm-logreg", rejection="max_probability", known_share=0.75, seeds=3,
        automation_rate=0.5, automation_rate_sd=0.01, automation_precision=0.9, closed_automation_rate=0.7,
        closed_automation_precision=0.95, unknown_automated=0.2, known_accuracy=0.8, open_f1=0.6,
    )


def test_handoff_puts_the_production_family_on_top_and_round_trips(case, tmp_path):
    runs, best, quality, _ = case
    measured = {"frozen": _serving(0.5), "classical": _serving(0.1), "scratch": _serving(0.2)}
    profile = {"input_tokens_mean": 900.0, "prompt_tokens": 850.0, "output_tokens_mean": 4.0}
    result = handoff.assemble(quality, measured, "frozen", dataset="banking77", n_test=150, cpu_usd_per_hour=0.08,
                              profile=profile, runs=runs, open_world=_open_world())
    assert result.model == "minilm-logreg" and result.serving_cost_per_million_usd == 0.5
    assert result.accuracy == quality["frozen"].figures["accuracy"]
    assert set(result.families) == {"frozen", "classical", "scratch"}
    assert result.families["classical"].serving_cost_per_million_usd == 0.1
    assert result.llm_tokens_per_message == 900.0 and result.llm_prompt_tokens == 850.0
    assert result.finetune_train_seconds is None and result.finetune_parameters is None  # not trained here
    with_finetuned = pd.concat([runs, pd.DataFrame([{"family": "finetuned", "model": "minilm-finetuned",
                                                     "train_seconds": 99.0, "parameters": 22_000_000}])])
    again = handoff.assemble(quality, measured, "frozen", dataset="banking77", n_test=150, cpu_usd_per_hour=0.08,
                             profile=profile, runs=with_finetuned, open_world=_open_world())
    assert again.finetune_train_seconds == 99.0 and again.finetune_parameters == 22_000_000
    assert handoff.read(handoff.write(again, tmp_path / "metrics.json")) == again


def test_summary_values_word_the_handoff(case):
    runs, _, quality, _ = case
    measured = {f: _serving(0.5) for f in quality}
    result = handoff.assemble(quality, measured, "frozen", dataset="banking77", n_test=150, cpu_usd_per_hour=0.0832,
                              profile={"input_tokens_mean": 912.4, "prompt_tokens": 900.0, "output_tokens_mean": 4.0},
                              runs=runs,
                              open_world=_open_world())
    api = pd.DataFrame({"model": ["nano", "big"], "usd_per_million_messages": [41.6, 900.0]})
    values = summary.values(result, "AWS price list", 77, api)
    assert values["production_model"] == "minilm-logreg"
    assert values["accuracy"] == f"{result.accuracy:.1%}"
    low, high = result.accuracy_ci
    assert values["accuracy_ci"] == f"{low:.1%} to {high:.1%}"
    assert values["cpu_price"] == "$0.0832" and values["prompt_tokens"] == "912"
    assert values["latency_p95"] == "3.5 ms" and values["serving_cost"] == "$0.50"
    assert values["cheapest_api"] == "nano" and values["cheapest_api_cost"] == "$42"
    empty = summary.values(result, "AWS price list", 77, api.iloc[:0])
    assert empty["cheapest_api"] == "none listed" and empty["cheapest_api_cost"] == "n/a"
