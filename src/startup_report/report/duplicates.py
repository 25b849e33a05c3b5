"""The test messages that also occur in the training data, and what our accuracy is without them.

The literature scores the whole standard test set (3,080 BANKING77 messages), and so does the report; six of
them are copies of training messages (after stripping and lower-casing), which can only flatter a model. This
robustness figure re-scores the best run of each model on the test set without those copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd


def _normal(texts: Iterable[str]) -> list[str]:
    return [str(t).strip().lower() for t in texts]


def duplicate_mask(test_texts: Sequence[str], train_texts: Iterable[str]) -> np.ndarray:
    """True where a test message equals a training message (ignoring case and surrounding spaces)."""
    seen = set(_normal(train_texts))
    return np.array([t in seen for t in _normal(test_texts)], dtype=bool)


def without_duplicates(test_probs: Mapping[str, np.ndarray], y_test: np.ndarray, mask: np.ndarray) -> pd.DataFrame:
    """Per model: accuracy on every test message, on those that are not copies of training messages, and the
    difference (positive: the copies flattered the model)."""
    y_test = np.asarray(y_test)
    keep = ~np.asarray(mask, dtype=bool)
    rows = []
    for model, probs in test_probs.items():
        right = np.asarray(probs).argmax(axis=1) == y_test
        all_, clean = float(right.mean()), float(right[keep].mean()) if keep.any() else float("nan")
        rows.append({"model": model, "accuracy_all": all_, "accuracy_without_duplicates": clean,
                     "difference": all_ - clean})  # fmt: skip
    return pd.DataFrame(rows)


def sentence(table: pd.DataFrame, n_test: int, n_duplicates: int) -> str:
    """One sentence for the chapter: the largest move any model's accuracy makes without the copies."""
    if n_duplicates == 0 or table.empty:
        return f"None of the {n_test:,} test messages is a copy of a training message."
    worst = table.loc[table["difference"].abs().idxmax()]
    return (
        f"{n_duplicates} of the {n_test:,} test messages are copies of training messages; without them the "
        f"largest change in any model's accuracy is {100 * -worst['difference']:+.2f} points "
        f"({worst['model']}: {worst['accuracy_all']:.2%} on all, {worst['accuracy_without_duplicates']:.2%} without)."
    )
