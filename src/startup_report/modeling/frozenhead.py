"""The Keras head on frozen all-MiniLM-L6-v2 embeddings: a dropout, an optional hidden layer, a softmax.

Apart from frozen.py because it needs Keras, which the logistic-regression head does not.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from startup_report.modeling.encoder import DIM, SentenceEncoder
from startup_report.modeling.frozen import FrozenEncoderModel
from startup_report.modeling.train import KerasFitted, seeded


def build_head(n_classes: int, hidden_units: int = 0, dropout: float = 0.1) -> keras.Model:
    """(batch, 384) sentence embeddings -> (batch, n_classes) probabilities."""
    embeddings = keras.Input(shape=(DIM,), name="sentence_embedding")
    x = layers.Dropout(dropout, name="dropout")(embeddings)
    if hidden_units:
        x = layers.Dense(hidden_units, activation="relu", name="hidden")(x)
    probs = layers.Dense(n_classes, activation="softmax", name="intent")(x)
    return keras.Model(embeddings, probs, name="frozen_minilm_head")


class FrozenKerasHead(FrozenEncoderModel, KerasFitted):
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
