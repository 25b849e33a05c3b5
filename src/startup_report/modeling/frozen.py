"""Pretrained, frozen: sentence embeddings from all-MiniLM-L6-v2, then a small classifier on top.

Transfer learning in its cheapest form: the encoder's weights never change; only a head learns our
intents. Logistic regression on the same embeddings is the reference head.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers
from sklearn.linear_model import LogisticRegression

from startup_report.modeling.encoder import DIM, SentenceEncoder
from startup_report.modeling.train import KerasFitted, seeded


def build_head(n_classes: int, hidden_units: int = 0, dropout: float = 0.1) -> keras.Model:
    """(batch, 384) sentence embeddings -> (batch, n_classes) probabilities."""
    embeddings = keras.Input(shape=(DIM,), name="sentence_embedding")
    x = layers.Dropout(dropout, name="dropout")(embeddings)
    if hidden_units:
        x = layers.Dense(hidden_units, activation="relu", name="hidden")(x)
    probs = layers.Dense(n_classes, activation="softmax", name="intent")(x)
    return keras.Model(embeddings, probs, name="frozen_minilm_head")


class _Frozen:
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


class FrozenLogReg(_Frozen):
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


class FrozenKerasHead(_Frozen, KerasFitted):
    name = "minilm-keras-head"

    def __init__(
        self,
        encoder: SentenceEncoder,
        n_classes: int,
        hidden_units: int = 0,
        dropout: float = 0.1,
        epochs: int = 100,
        batch_size: int = 32,
        learning_rate: float = 3e-3,
        patience: int = 5,
    ) -> None:
        super().__init__(encoder, n_classes)
        self.hidden_units, self.dropout = hidden_units, dropout
        self.epochs, self.batch_size, self.learning_rate, self.patience = epochs, batch_size, learning_rate, patience

    def fit(self, texts, labels, val_texts, val_labels, seed: int) -> None:
        with seeded(seed):
            self.model = build_head(self.n_classes, self.hidden_units, self.dropout)
            self.fit_model(self.embed(texts), labels, self.embed(val_texts), val_labels, seed)

    def predict_proba(self, texts) -> np.ndarray:
        return self.predict_model(self.embed(texts))

    def head_parameters(self) -> int:
        return int(self.model.count_params())
