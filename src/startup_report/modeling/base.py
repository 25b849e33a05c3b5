"""The one interface every model family implements, so the training grid treats them alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from startup_report.modeling.catalog import FAMILIES  # noqa: F401  (re-exported: one list of families)


class IntentModel(Protocol):
    """A text classifier over ``n_classes`` intents, trained from integer labels 0..n_classes-1."""

    family: str  # one of FAMILIES
    name: str  # short model id, e.g. "tfidf-logreg"

    def fit(
        self,
        texts: Sequence[str],
        labels: np.ndarray,
        val_texts: Sequence[str],
        val_labels: np.ndarray,
        seed: int,
    ) -> None:
        """Train from scratch (any previous state is discarded); validation only for early stopping."""

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), n_classes), rows summing to 1."""

    def n_parameters(self) -> int:
        """Parameters used at prediction time (for a frozen encoder: encoder + head)."""

    def size_bytes(self) -> int:
        """Bytes needed to store the model for serving."""

    def flops_per_message(self) -> float:
        """Estimated floating-point operations to classify one typical message (about 2 per weight used)."""
