"""From-scratch Keras text classifiers: every weight learnt from our labelled messages alone.

Two architectures: token embedding + average pooling (fast, bag-of-words-like), and one Transformer
encoder block (self-attention over the message, the architecture the report explains).
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

from startup_report.modeling.text import Vocabulary
from startup_report.modeling.train import KerasFitted, seeded


def masked_mean(x, ids):
    """Average the vectors of the real tokens (id 0 is padding): (batch, L, d) -> (batch, d).

    Written out instead of Keras' ``mask_zero=True``: under JAX, Keras keeps the masks of traced tensors in
    a per-thread dict keyed by ``id(tensor)`` and clears an entry when the tensor is garbage-collected, but
    in the collecting thread's dict. On a Dask worker the event-loop thread often collects, the entry stays,
    and a later tensor with the same id inherits a stale (batch, L) mask: training failed with
    "Incompatible shapes for broadcasting: shapes=[(30,), (30, 12)]" in one CI run of three.
    """
    weights = keras.ops.cast(keras.ops.not_equal(ids, 0), x.dtype)[:, :, None]
    return keras.ops.sum(x * weights, axis=1) / keras.ops.maximum(keras.ops.sum(weights, axis=1), 1.0)


def build_pooling_model(
    vocab_size: int,
    sequence_length: int,
    n_classes: int,
    embedding_dim: int = 64,
    hidden_units: int = 128,
    dropout: float = 0.2,
) -> keras.Model:
    """(batch, sequence_length) int ids -> (batch, n_classes) probabilities."""
    ids = keras.Input(shape=(sequence_length,), dtype="int32", name="token_ids")
    x = masked_mean(layers.Embedding(vocab_size, embedding_dim, name="embedding")(ids), ids)
    if hidden_units:
        x = layers.Dense(hidden_units, activation="relu", name="hidden")(x)
    x = layers.Dropout(dropout, name="dropout")(x)
    probs = layers.Dense(n_classes, activation="softmax", name="intent")(x)
    return keras.Model(ids, probs, name="scratch_pooling")  # compiled by train.fit


@keras.saving.register_keras_serializable(package="startup_report")
class PositionEmbedding(layers.Layer):
    """Adds a learnt vector per position, so attention can tell 'card before pin' from 'pin before card'."""

    def __init__(self, sequence_length: int, dim: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sequence_length = sequence_length
        self.dim = dim
        self.positions = layers.Embedding(sequence_length, dim)

    def call(self, x):
        positions = keras.ops.arange(0, self.sequence_length)
        return x + self.positions(positions)[None, :, :]

    def get_config(self) -> dict:
        return {**super().get_config(), "sequence_length": self.sequence_length, "dim": self.dim}


def build_transformer_model(
    vocab_size: int,
    sequence_length: int,
    n_classes: int,
    embedding_dim: int = 64,
    heads: int = 2,
    ff_units: int = 128,
    dropout: float = 0.1,
) -> keras.Model:
    """One Transformer encoder block: (batch, L) ids -> (batch, L, d) -> self-attention -> pool -> softmax."""
    ids = keras.Input(shape=(sequence_length,), dtype="int32", name="token_ids")
    x = layers.Embedding(vocab_size, embedding_dim, name="embedding")(ids)
    x = PositionEmbedding(sequence_length, embedding_dim, name="positions")(x)
    padding = keras.ops.not_equal(ids, 0)
    attention_mask = keras.ops.logical_and(padding[:, :, None], padding[:, None, :])
    attended = layers.MultiHeadAttention(heads, embedding_dim // heads, name="self_attention")(
        x, x, attention_mask=attention_mask
    )
    x = layers.LayerNormalization(name="norm_1")(x + layers.Dropout(dropout)(attended))
    ff = layers.Dense(ff_units, activation="relu", name="ff_in")(x)
    ff = layers.Dense(embedding_dim, name="ff_out")(ff)
    x = layers.LayerNormalization(name="norm_2")(x + layers.Dropout(dropout)(ff))
    pooled = layers.Dropout(dropout, name="dropout")(masked_mean(x, ids))
    probs = layers.Dense(n_classes, activation="softmax", name="intent")(pooled)
    return keras.Model(ids, probs, name="scratch_transformer")  # compiled by train.fit


BUILDERS = {"embedding-pooling": build_pooling_model, "transformer-encoder": build_transformer_model}


class KerasScratch(KerasFitted):
    """A from-scratch Keras model behind the IntentModel interface; the vocabulary comes from its training set."""

    family = "scratch"

    def __init__(
        self,
        name: str,
        n_classes: int,
        max_tokens: int = 20000,
        sequence_length: int = 48,
        embedding_dim: int = 64,
        epochs: int = 30,
        batch_size: int = 32,
        learning_rate: float = 3e-3,
        patience: int = 3,
        **architecture,
    ) -> None:
        self.name = name
        self.n_classes = n_classes
        self.max_tokens = max_tokens
        self.sequence_length = sequence_length
        self.embedding_dim = embedding_dim
        self.epochs, self.batch_size, self.learning_rate, self.patience = epochs, batch_size, learning_rate, patience
        self.architecture = architecture
        self.model: keras.Model | None = None
        self.vocabulary: Vocabulary | None = None
        self.history: dict[str, list[float]] = {}

    def fit(
        self, texts: Sequence[str], labels: np.ndarray, val_texts: Sequence[str], val_labels: np.ndarray, seed: int
    ) -> None:
        with seeded(seed):
            self.vocabulary = Vocabulary.fit(texts, self.max_tokens)
            self.model = BUILDERS[self.name](
                len(self.vocabulary),
                self.sequence_length,
                self.n_classes,
                embedding_dim=self.embedding_dim,
                **self.architecture,
            )
        self.fit_model(self._encode(texts), labels, self._encode(val_texts), val_labels, seed)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.vocabulary.encode(list(texts), self.sequence_length)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.predict_model(self._encode(texts))

    def n_parameters(self) -> int:
        return int(self.model.count_params())

    def size_bytes(self) -> int:
        return int(sum(np.asarray(w).nbytes for w in self.model.get_weights()))

    def flops_per_message(self, tokens: int = 12) -> float:
        """~2 FLOPs per weight use: the pooling model applies its dense layers once per message, the
        Transformer applies its projections once per token (a typical message has ~12), plus attention scores.
        Embedding look-ups are free."""

        def matrix_weights(layer) -> int:
            return sum(int(np.prod(w.shape)) for w in layer.weights if len(w.shape) >= 2)

        body = [layer for layer in self.model.layers if not isinstance(layer, layers.Embedding | PositionEmbedding)]
        head = sum(matrix_weights(layer) for layer in body if layer.name == "intent")
        rest = sum(matrix_weights(layer) for layer in body if layer.name != "intent")
        if self.name != "transformer-encoder":
            return float(2 * (rest + head))
        attention = 2 * 2 * tokens * tokens * self.embedding_dim
        return float(2 * rest * tokens + 2 * head + attention)
