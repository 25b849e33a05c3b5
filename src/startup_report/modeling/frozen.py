"""Pretrained, frozen: sentence embeddings from all-MiniLM-L6-v2, then a small classifier on top.

Transfer learning in its cheapest form: the encoder's weights never change; only a head learns our
intents. Logistic regression on the same embeddings is the reference head. The Keras head lives in
frozenhead.py, so that loading or serving the logistic regression never imports Keras and its backend
(5 s and some 150 MB of a serving process's memory).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from startup_report.modeling.encoder import SentenceEncoder


class FrozenEncoderModel:
    """What both frozen-encoder heads share: the encoder, reattached after loading, and its costs."""

    family = "frozen"

    def __init__(self, encoder: SentenceEncoder, n_classes: int) -> None:
        self.encoder = encoder
        self.n_classes = n_classes
        self.seconds_per_text = 0.0

    def __getstate__(self) -> dict:
        # The encoder (weights from its package, a cache connection) is re-attached by persist.load_model.
        return {**self.__dict__, "encoder": None}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.encode(texts)

    def head_parameters(self) -> int:
        raise NotImplementedError

    def n_parameters(self) -> int:
        return self.encoder.n_parameters() + self.head_parameters()

    def size_bytes(self) -> int:
        return self.encoder.size_bytes() + 4 * self.head_parameters()

    def flops_per_message(self) -> float:
        return self.encoder.flops_per_message() + 2.0 * self.head_parameters()


class FrozenLogReg(FrozenEncoderModel):
    name = "minilm-logreg"

    def __init__(self, encoder: SentenceEncoder, n_classes: int, c: float = 10.0) -> None:
        super().__init__(encoder, n_classes)
        self.c = c

    def fit(self, texts, labels, val_texts, val_labels, seed: int) -> None:
        self.classifier = LogisticRegression(C=self.c, max_iter=2000, random_state=seed)
        self.classifier.fit(self.embed(texts), labels)

    def predict_proba(self, texts) -> np.ndarray:
        probs = self.classifier.predict_proba(self.embed(texts))
        full = np.zeros((len(probs), self.n_classes))
        full[:, self.classifier.classes_] = probs
        return full

    def head_parameters(self) -> int:
        return int(self.classifier.coef_.size + self.classifier.intercept_.size)
