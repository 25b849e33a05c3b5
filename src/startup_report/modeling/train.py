"""Fit a Keras model deterministically, with early stopping on the validation split (never the test set)."""

from __future__ import annotations

import time

import keras
import numpy as np


def fit(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    epochs: int,
    batch_size: int,
    patience: int,
    seed: int,
    learning_rate: float,
    verbose: int = 2,
) -> tuple[dict[str, list[float]], float]:
    """Train in place; return the per-epoch history and the wall-clock training seconds."""
    keras.utils.set_random_seed(seed)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    start = time.perf_counter()
    history = model.fit(
        x,
        y,
        validation_data=(x_val, y_val),
        epochs=epochs,
        batch_size=batch_size,
        callbacks=[stop],
        shuffle=True,
        verbose=verbose,
    )
    seconds = time.perf_counter() - start
    clean = {key: [round(float(v), 6) for v in values] for key, values in history.history.items()}
    return clean, seconds
