"""The two scores every training run records, accuracy and macro-F1: the evaluation scores with the same ones."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score, f1_score


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(accuracy_score(y_true, y_pred))


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, labels: np.ndarray | None = None) -> float:
    return float(f1_score(y_true, y_pred, average="macro", labels=labels, zero_division=0))
