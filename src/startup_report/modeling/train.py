"""Fit a Keras model deterministically, with early stopping on the validation split (never the test set)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

import keras
import numpy as np
from keras.src.random import seed_generator


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Seed Keras for one model, with its default seeds drawn from a private generator.

    Keras draws the seed of every initializer and dropout layer built without one from Python's *global*
    ``random`` module. In a Dask worker another thread (the worker's event loop) draws from that module
    while a task runs, so the same run gave different models on different workers (measured: 0.33 vs
    0.23 test accuracy). A private ``random.Random(seed)`` for the block makes the draws depend on the
    seed alone, wherever the run executes.
    """
    keras.utils.set_random_seed(seed)
    shared = seed_generator.python_random
    seed_generator.python_random = random.Random(seed)
    try:
        yield
    finally:
        seed_generator.python_random = shared


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


class KerasFitted:
    """What the Keras families (from-scratch models, the frozen encoder's Keras head) share once their network
    is built: one way to train it with their settings (``fit``, quiet, history kept) and to predict."""

    model: keras.Model
    epochs: int
    batch_size: int
    learning_rate: float
    patience: int
    history: dict[str, list[float]]

    def fit_model(self, x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray, seed: int) -> None:
        """Train ``self.model`` in place with early stopping on (x_val, y_val); keep the per-epoch history."""
        self.history, _ = fit(
            self.model,
            x,
            y,
            x_val,
            y_val,
            epochs=self.epochs,
            batch_size=self.batch_size,
            patience=self.patience,
            seed=seed,
            learning_rate=self.learning_rate,
            verbose=0,
        )

    def predict_model(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities of ``self.model`` as float64, in batches of 256."""
        return np.asarray(self.model.predict(x, batch_size=256, verbose=0), dtype=np.float64)
