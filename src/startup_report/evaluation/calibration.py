"""Is a model's confidence honest? Expected calibration error and temperature scaling.

The automation threshold trusts the model's top probability; a model that says 0.9 while right only
70% of the time would automate too much. Temperature scaling, fitted on the validation split, rescales
the logits by one number and leaves the ranking (hence accuracy) unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 15) -> pd.DataFrame:
    """Per equal-width confidence bin: mean confidence, accuracy and count (empty bins dropped)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    frame = pd.DataFrame({"bin": index, "confidence": confidence, "correct": correct.astype(float)})
    table = (
        frame.groupby("bin")
        .agg(confidence=("confidence", "mean"), accuracy=("correct", "mean"), count=("correct", "size"))
        .reset_index()
    )
    table["lower"], table["upper"] = edges[table["bin"]], edges[table["bin"] + 1]
    return table


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 15) -> float:
    """ECE = sum over bins of (share of messages in the bin) x |accuracy - mean confidence|."""
    table = reliability(confidence, correct, bins)
    weights = table["count"] / table["count"].sum()
    return float((weights * (table["accuracy"] - table["confidence"]).abs()).sum())


def _logits(probs: np.ndarray) -> np.ndarray:
    return np.log(np.clip(probs, 1e-12, 1.0))


def fit_temperature(val_probs: np.ndarray, val_labels: np.ndarray) -> float:
    """The temperature T minimising validation negative log-likelihood of softmax(log p / T)."""
    logits = _logits(val_probs)

    def nll(t: float) -> float:
        return float(-log_softmax(logits / t, axis=1)[np.arange(len(val_labels)), val_labels].mean())

    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


def apply_temperature(probs: np.ndarray, temperature: float) -> np.ndarray:
    return softmax(_logits(probs) / temperature, axis=1)
