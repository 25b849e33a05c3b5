"""Which intents get confused, and which mistakes would reach a customer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix


def confused_pairs(
    texts: pd.Series, y_true: np.ndarray, y_pred: np.ndarray, labels: np.ndarray, top: int = 10
) -> pd.DataFrame:
    """The most frequent (true, predicted) mistakes, each with one example message."""
    wrong = y_true != y_pred
    frame = pd.DataFrame(
        {"true": labels[y_true[wrong]], "predicted": labels[y_pred[wrong]], "example": texts.to_numpy()[wrong]}
    )
    counts = frame.groupby(["true", "predicted"]).agg(count=("example", "size"), example=("example", "first"))
    return counts.sort_values("count", ascending=False).head(top).reset_index()


def worst_confusion(y_true: np.ndarray, y_pred: np.ndarray, labels: np.ndarray, worst: list[str]) -> pd.DataFrame:
    """Confusion counts restricted to the given intents (rows: true, columns: predicted)."""
    ids = [int(np.flatnonzero(labels == name)[0]) for name in worst]
    matrix = confusion_matrix(y_true, y_pred, labels=np.arange(len(labels)))
    return pd.DataFrame(matrix[np.ix_(ids, ids)], index=worst, columns=worst)


def confident_mistakes(
    texts: pd.Series, y_true: np.ndarray, probs: np.ndarray, labels: np.ndarray, threshold: float, top: int = 15
) -> pd.DataFrame:
    """Auto-answered and wrong: the errors a customer would see, most confident first."""
    confidence = probs.max(axis=1)
    pred = probs.argmax(axis=1)
    mask = (confidence >= threshold) & (pred != y_true)
    frame = pd.DataFrame(
        {
            "message": texts.to_numpy()[mask],
            "true intent": labels[y_true[mask]],
            "answered as": labels[pred[mask]],
            "confidence": confidence[mask],
        }
    )
    return frame.sort_values("confidence", ascending=False).head(top).reset_index(drop=True)


def concentration(y_true: np.ndarray, y_pred: np.ndarray, top: int = 10) -> str:
    """How much of the test errors the ``top`` most frequent (true, predicted) pairs hold, as a clause."""
    wrong = y_true != y_pred
    if not wrong.any():
        return "the model made no test errors"
    pairs = pd.Series(list(zip(y_true[wrong], y_pred[wrong], strict=True))).value_counts()
    share = pairs.head(top).sum() / wrong.sum()
    return (
        f"the {min(top, len(pairs))} most frequent of {len(pairs)} confused pairs hold {share:.0%} of its "
        f"{int(wrong.sum()):,} test errors"
    )
