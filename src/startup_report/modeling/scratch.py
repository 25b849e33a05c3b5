"""From-scratch Keras text classifier: token embedding, average pooling, a dense layer, softmax.

It learns every weight from our labelled messages alone, the baseline a pretrained encoder must beat.
"""

from __future__ import annotations

import keras
from keras import layers


def build_pooling_model(
    vocab_size: int,
    sequence_length: int,
    n_classes: int,
    embedding_dim: int = 64,
    hidden_units: int = 128,
    dropout: float = 0.2,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """(batch, sequence_length) int ids -> (batch, n_classes) probabilities."""
    ids = keras.Input(shape=(sequence_length,), dtype="int32", name="token_ids")
    x = layers.Embedding(vocab_size, embedding_dim, mask_zero=True, name="embedding")(ids)
    x = layers.GlobalAveragePooling1D(name="mean_pool")(x)
    if hidden_units:
        x = layers.Dense(hidden_units, activation="relu", name="hidden")(x)
    x = layers.Dropout(dropout, name="dropout")(x)
    probs = layers.Dense(n_classes, activation="softmax", name="intent")(x)
    model = keras.Model(ids, probs, name="scratch_pooling")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
