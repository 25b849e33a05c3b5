"""Quality metrics and the automation threshold: how much of the traffic a model can answer alone.

Plain scikit-learn where it has the metric; our own code only for selective prediction, which it lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from startup_report.modeling.score import accuracy as accuracy  # the training runs' scores, one definition
from startup_report.modeling.score import macro_f1 as macro_f1


def coverage_at(confidence: np.ndarray, threshold: float) -> float:
    """Share of messages whose top-class probability reaches the threshold (answered automatically)."""
    return float(np.mean(confidence >= threshold)) if len(confidence) else 0.0


def precision_at(confidence: np.ndarray, correct: np.ndarray, threshold: float) -> float:
    """Accuracy among the messages answered automatically; 1.0 when none are (no wrong answers sent)."""
    answered = confidence >= threshold
    return float(np.mean(correct[answered])) if answered.any() else 1.0


def threshold_for_precision(confidence: np.ndarray, correct: np.ndarray, target: float) -> float:
    """Lowest confidence threshold whose auto-answered messages reach ``target`` precision.

    Sorting by confidence makes every candidate threshold's precision one cumulative mean, so the
    search is O(n log n). Returns a threshold above every confidence (nothing automated) when no
    threshold reaches the target.
    """
    order = np.argsort(-confidence, kind="stable")
    conf_sorted = confidence[order]
    running = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    # Only cut between distinct confidence values: ties are answered together.
    last_of_tie = np.r_[conf_sorted[1:] != conf_sorted[:-1], True]
    ok = (running >= target) & last_of_tie
    if not ok.any():
        return float(np.nextafter(conf_sorted.max(initial=1.0), np.inf))
    return float(conf_sorted[np.flatnonzero(ok).max()])


@dataclass(frozen=True)
class Automation:
    target_precision: float
    threshold: float
    coverage: float
    precision: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def automation(
    val_conf: np.ndarray, val_correct: np.ndarray, test_conf: np.ndarray, test_correct: np.ndarray, target: float
) -> Automation:
    """Choose the threshold on validation, report coverage and precision on test."""
    threshold = threshold_for_precision(val_conf, val_correct, target)
    return Automation(
        target_precision=target,
        threshold=threshold,
        coverage=coverage_at(test_conf, threshold),
        precision=precision_at(test_conf, test_correct, threshold),
    )


def risk_coverage_curve(
    confidence: np.ndarray, correct: np.ndarray, points: int = 101
) -> tuple[np.ndarray, np.ndarray]:
    """Precision of the answered messages when the most confident share ``c`` is answered, for c in (0, 1]."""
    order = np.argsort(-confidence, kind="stable")
    running = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    coverage = np.linspace(1 / len(order), 1.0, min(points, len(order)))
    index = np.clip(np.ceil(coverage * len(order)).astype(int) - 1, 0, len(order) - 1)
    return coverage, running[index]


def _macro_f1_from_counts(tp: np.ndarray, pred: np.ndarray, true: np.ndarray) -> float:
    denom = pred + true
    f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp, dtype=float), where=denom > 0)
    return float(f1.mean())


def _bootstrap(
    n: int, statistics: dict[str, Callable[[np.ndarray], float]], samples: int, seed: int, level: float
) -> dict[str, tuple[float, float]]:
    """Percentile intervals of each statistic over ``samples`` resamples (with replacement) of n rows."""
    rng = np.random.default_rng(seed)
    values = {name: np.empty(samples) for name in statistics}
    for i in range(samples):
        idx = rng.integers(0, n, n)
        for name, statistic in statistics.items():
            values[name][i] = statistic(idx)
    tail = 100 * (1 - level) / 2
    return {name: (float(np.percentile(v, tail)), float(np.percentile(v, 100 - tail))) for name, v in values.items()}


def bootstrap_ci(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int, samples: int = 1000, seed: int = 0, level: float = 0.95
) -> dict[str, tuple[float, float]]:
    """Intervals of accuracy and macro-F1 over resampled test messages (macro-F1 from bincounts: fast)."""

    def macro(idx: np.ndarray) -> float:
        t, p = y_true[idx], y_pred[idx]
        return _macro_f1_from_counts(
            np.bincount(t[t == p], minlength=n_classes),
            np.bincount(p, minlength=n_classes),
            np.bincount(t, minlength=n_classes),
        )

    return _bootstrap(
        len(y_true),
        {"accuracy": lambda idx: float(np.mean(y_true[idx] == y_pred[idx])), "macro_f1": macro},
        samples,
        seed,
        level,
    )


def bootstrap_automation(
    confidence: np.ndarray,
    correct: np.ndarray,
    threshold: float,
    samples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> dict[str, tuple[float, float]]:
    """Intervals of coverage and precision at a fixed threshold, resampling test messages."""
    return _bootstrap(
        len(confidence),
        {
            "coverage": lambda idx: coverage_at(confidence[idx], threshold),
            "precision": lambda idx: precision_at(confidence[idx], correct[idx], threshold),
        },
        samples,
        seed,
        level,
    )
