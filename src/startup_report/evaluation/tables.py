"""The evaluation chapter's founder-facing tables and the frames its figures and hand-off files are drawn from.

Each table is one call from the notebook, with readable column names (units in the name where a value has
one), so the chapter's cells hold narrative, a call and a table; the numbers are the ones the hand-off holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import precision_recall_fscore_support

from startup_report.evaluation import metrics, scores
from startup_report.evaluation.families import best_per_family  # noqa: F401 (the notebook's tables.best_per_family)
from startup_report.evaluation.handoff import OpenWorld
from startup_report.evaluation.scores import Quality


def best_models(best: pd.DataFrame) -> pd.DataFrame:
    """The family winners as a reader sees them."""
    columns = {"family": "family", "model": "model", "seed": "seed", "val_accuracy": "validation accuracy"}
    return best[list(columns)].rename(columns=columns).reset_index(drop=True)


def per_intent(y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence[str]) -> pd.DataFrame:
    """Precision, recall, F1 and test messages per intent, worst F1 first (rounded to 3 places)."""
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=np.arange(len(labels)), zero_division=0
    )
    table = pd.DataFrame(
        {"intent": labels, "precision": precision, "recall": recall, "F1": f1, "test messages": support}
    ).round(3)
    return table.sort_values("F1")


def worst_intents(table: pd.DataFrame, top_k: int) -> list[str]:
    """The ``top_k`` intents with the lowest F1 in a `per_intent` table (all of them if there are fewer)."""
    return table["intent"].head(min(top_k, len(table))).tolist()


def per_family(results: Mapping[str, Quality], row: Callable[[Quality], dict[str, object]]) -> pd.DataFrame:
    """One row per family: its name and model, then the columns ``row`` reads from its quality figures."""
    return pd.DataFrame([{"family": family, "model": q.figures["model"], **row(q)} for family, q in results.items()])


def quality(results: Mapping[str, Quality]) -> pd.DataFrame:
    """Accuracy and macro-F1 with their bootstrap 95% intervals, one row per family."""
    return per_family(results, lambda q: {
        "accuracy": round(q.figures["accuracy"], 4),
        "95% interval": scores.interval(q.figures["accuracy_ci"]),
        "macro-F1": round(q.figures["macro_f1"], 4),
        "macro-F1 95% interval": scores.interval(q.figures["macro_f1_ci"]),
    })


def reliability(q: Quality) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """One model's reliability tables and ECE before and after temperature scaling (the diagram's two inputs)."""
    tables = {"before scaling": q.reliability_before, "after scaling": q.reliability_after}
    ece = {"before scaling": q.figures["ece_before"], "after scaling": q.figures["ece"]}
    return tables, ece


def calibration(results: Mapping[str, Quality]) -> pd.DataFrame:
    """The fitted temperature and the expected calibration error before and after it, one row per family."""
    return per_family(results, lambda q: {
        "temperature": round(q.figures["temperature"], 3),
        "ECE before": round(q.figures["ece_before"], 4),
        "ECE after": round(q.figures["ece"], 4),
    })


def risk_coverage_curves(
    results: Mapping[str, Quality], y_test: np.ndarray
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per family, the precision of the answered test messages against the share answered (calibrated)."""
    curves = {}
    for family, q in results.items():
        confidence, correct = q.test_probs.max(axis=1), q.test_probs.argmax(axis=1) == y_test
        curves[f"{family}: {q.figures['model']}"] = metrics.risk_coverage_curve(confidence, correct)
    return curves


def automation(results: Mapping[str, Quality]) -> pd.DataFrame:
    """Threshold, share answered alone and the precision reached, with 95% intervals, one row per family."""
    return per_family(results, lambda q: {
        "threshold": round(q.figures["threshold"], 4),
        "automation rate": round(q.figures["automation_rate"], 4),
        "95% interval": scores.interval(q.figures["automation_rate_ci"]),
        "precision reached": round(q.figures["automation_precision"], 4),
        "precision 95% interval": scores.interval(q.figures["automation_precision_ci"]),
        "out-of-scope let through": q.figures["out_of_scope_let_through"],
    })


def cost_comparison(
    results: Mapping[str, Quality], measured: Mapping[str, Mapping[str, float]], api: pd.DataFrame
) -> pd.DataFrame:
    """USD per million messages: each measured own model on a CPU, then each LLM API at list price."""
    own = pd.DataFrame({
        "route": [f"own: {results[family].figures['model']}" for family in measured],
        "usd_per_million_messages": [m["serving_cost_per_million_usd"] for m in measured.values()],
        "kind": "own model on a CPU",
    })
    apis = pd.DataFrame({
        "route": "API: " + api["model"],
        "usd_per_million_messages": api["usd_per_million_messages"],
        "kind": "LLM API (list price)",
    })
    return pd.concat([own, apis], ignore_index=True)


def api_prices(api: pd.DataFrame) -> pd.DataFrame:
    """The LLM API list prices and what a million classification calls cost, cheapest first (2 decimals)."""
    columns = {
        "vendor": "vendor",
        "model": "model",
        "input_usd_per_mtok": "input (USD per million tokens)",
        "output_usd_per_mtok": "output (USD per million tokens)",
        "published": "published",
        "usd_per_million_messages": "USD per million messages",
    }
    return api[list(columns)].rename(columns=columns).round(2)


def predictions(test: pd.DataFrame, labels: np.ndarray, predicted: np.ndarray, probs: np.ndarray) -> pd.DataFrame:
    """The production model's test predictions with their calibrated confidence (``predictions.parquet``)."""
    return pd.DataFrame(
        {"text": test["text"], "label": test["label"], "predicted": labels[predicted], "confidence": probs.max(axis=1)}
    )


def open_world(handed: OpenWorld) -> pd.DataFrame:
    """The open-world block of the hand-off, one figure per row (what the market chapter prices)."""
    return pd.DataFrame([handed.model_dump()]).T.rename(columns={0: "handed to the market"})
