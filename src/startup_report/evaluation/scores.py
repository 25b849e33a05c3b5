"""One model's business-facing quality: accuracy with intervals, calibration, automation at a target precision.

The notebook calls this per family; serving figures come from `serving` and the two are joined into
the `handoff.ModelMetrics` that the market chapter reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from startup_report.evaluation import calibration, metrics
from startup_report.evaluation.config import EvaluationParams


@dataclass(frozen=True)
class Quality:
    figures: dict[str, object]
    test_probs: np.ndarray  # after temperature scaling
    reliability_before: object
    reliability_after: object


def quality(
    model: str,
    family: str,
    val_probs: np.ndarray,
    test_probs: np.ndarray,
    y_val: np.ndarray,
    y_test: np.ndarray,
    config: EvaluationParams,
    seed: int,
    out_of_scope: int | None = None,
) -> Quality:
    """Test-set figures for one model; every choice (temperature, threshold) is fitted on validation."""
    n_classes = val_probs.shape[1]
    pred = test_probs.argmax(axis=1)
    ci = metrics.bootstrap_ci(y_test, pred, n_classes, samples=config.bootstrap_samples, seed=seed)
    temperature = calibration.fit_temperature(val_probs, y_val)
    val_cal = calibration.apply_temperature(val_probs, temperature)
    test_cal = calibration.apply_temperature(test_probs, temperature)
    correct = pred == y_test
    conf_before, conf_after = test_probs.max(axis=1), test_cal.max(axis=1)
    auto = metrics.automation(
        val_cal.max(axis=1), val_cal.argmax(axis=1) == y_val, conf_after, correct, config.target_precision
    )
    auto_ci = metrics.bootstrap_automation(
        conf_after, correct, auto.threshold, samples=config.bootstrap_samples, seed=seed
    )
    let_through = None
    if out_of_scope is not None:
        let_through = int(((y_test == out_of_scope) & (conf_after >= auto.threshold)).sum())
    figures = {
        "model": model,
        "family": family,
        "accuracy": metrics.accuracy(y_test, pred),
        "accuracy_ci": ci["accuracy"],
        "macro_f1": metrics.macro_f1(y_test, pred, labels=np.arange(n_classes)),
        "macro_f1_ci": ci["macro_f1"],
        "ece_before": calibration.expected_calibration_error(conf_before, correct, config.calibration_bins),
        "ece": calibration.expected_calibration_error(conf_after, correct, config.calibration_bins),
        "temperature": temperature,
        "target_precision": config.target_precision,
        "threshold": auto.threshold,
        "automation_rate": auto.coverage,
        "automation_rate_ci": auto_ci["coverage"],
        "automation_precision": auto.precision,
        "automation_precision_ci": auto_ci["precision"],
        "out_of_scope_let_through": let_through,
    }
    return Quality(
        figures,
        test_cal,
        calibration.reliability(conf_before, correct, config.calibration_bins),
        calibration.reliability(conf_after, correct, config.calibration_bins),
    )


def interval(pair: tuple[float, float]) -> str:
    """A 95% interval as table text."""
    return f"[{pair[0]:.3f}, {pair[1]:.3f}]"


def by_family(
    best: pd.DataFrame,
    probabilities: Mapping[str, Mapping[str, np.ndarray]],
    y_val: np.ndarray,
    y_test: np.ndarray,
    config: EvaluationParams,
    seed: int,
    out_of_scope: int | None = None,
) -> dict[str, Quality]:
    """`quality` of each family's best model (one row of ``best`` per family), in ``best``'s order."""
    return {
        row.family: quality(row.model, row.family, probabilities[row.model]["val"], probabilities[row.model]["test"],
                            y_val, y_test, config, seed, out_of_scope)
        for row in best.itertuples()
    }  # fmt: skip
