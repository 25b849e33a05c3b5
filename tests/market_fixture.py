"""A synthetic evaluation hand-off (metrics.json + predictions.parquet) for testing the market stage alone."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from startup_report.evaluation import handoff

ROOT = Path(__file__).resolve().parents[1]


def write_evaluation(folder: Path, seed: int = 0, n_per_intent: int = 20) -> Path:
    """Predictions with ~90% accuracy and confidences, and metrics.json consistent with them."""
    labels = json.loads((ROOT / "data/raw/banking77/categories.json").read_text())
    rng = np.random.default_rng(seed)
    true = np.repeat(labels, n_per_intent)
    wrong = rng.random(len(true)) < 0.1
    predicted = np.where(wrong, rng.choice(labels, len(true)), true)
    confidence = np.where(predicted == true, rng.uniform(0.5, 1.0, len(true)), rng.uniform(0.2, 0.8, len(true)))
    frame = pd.DataFrame({"text": "msg", "label": true, "predicted": predicted, "confidence": confidence})
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / "predictions.parquet", index=False)
    threshold = 0.7
    confident = confidence >= threshold
    figures = {
        "model": "minilm-logreg",
        "family": "frozen",
        "accuracy": float((predicted == true).mean()),
        "accuracy_ci": (0.88, 0.92),
        "macro_f1": 0.9,
        "macro_f1_ci": (0.88, 0.92),
        "ece": 0.02,
        "ece_before": 0.05,
        "temperature": 1.2,
        "target_precision": 0.95,
        "threshold": threshold,
        "automation_rate": float(confident.mean()),
        "automation_rate_ci": (0.5, 0.7),
        "automation_precision": float((predicted == true)[confident].mean()),
        "automation_precision_ci": (0.9, 1.0),
        "latency_ms_p50": 10.0,
        "latency_ms_p95": 20.0,
        "throughput_per_s": 200.0,
        "peak_memory_mb": 500.0,
        "serving_cost_per_million_usd": 0.11,
    }
    model = handoff.ModelMetrics(**figures)
    metrics = handoff.EvaluationMetrics(
        **figures,
        n_test=len(true),
        cpu_usd_per_hour=0.0816,
        llm_tokens_per_message=700.0,
        llm_output_tokens=5.0,
        finetune_train_seconds=None,
        finetune_parameters=None,
        families={"frozen": model},
    )
    handoff.write(metrics, folder / "metrics.json")
    return folder
