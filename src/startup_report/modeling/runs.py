"""One training run (model, label budget, seed) as a pure task, and the key that identifies its result.

A run's outcome depends only on what its key covers: the rows it trains, validates and is tested on, its
hyperparameters, the code of its model (followed through imports), the encoder weights and the installed
packages. So a result computed once, here or on a Dask worker, can be reused by any later run, parameter
file or scenario that asks for the same thing.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from startup_report.data.dataset import LABEL, TEXT
from startup_report.engine import fingerprint
from startup_report.modeling.catalog import MODELS
from startup_report.modeling.sampling import FULL

# Modules every run executes besides its model's own (those are followed through their imports).
RUN_CODE = (
    "startup_report.modeling.runs",
    "startup_report.modeling.zoo",
    "startup_report.modeling.catalog",
    "startup_report.modeling.sampling",
    "startup_report.modeling.score",
)


@dataclass(frozen=True)
class RunSpec:
    """What to train: a model with its hyperparameters, a label budget and a seed."""

    model: str
    budget: str  # examples per intent ("10") or "full"
    seed: int
    config: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class RunData:
    """The splits every run draws from (sent to each Dask worker once)."""

    train: pd.DataFrame
    validation: pd.DataFrame
    test: pd.DataFrame
    labels: tuple[str, ...]


@dataclass
class RunOutcome:
    """A trained run's row of results.csv, its probabilities, its history and (full budget) the model."""

    row: dict[str, Any]
    val_probs: np.ndarray
    test_probs: np.ndarray
    history: Any = None
    model: Any = None
    wall_seconds: float | None = None  # the whole task here (fit, scoring, timing); None when read from the cache
    model_file: Path | None = None  # the run cache's pickle of ``model``, when it holds one
    key: str | None = None  # ``run_key``: what the model is, by content (its pickle's bytes are not stable)


def rows_sha256(frame: pd.DataFrame) -> str:
    """Hash of the (text, label) rows in order: what a model sees of a split."""
    digest = hashlib.sha256()
    for text, label in zip(frame[TEXT], frame[LABEL], strict=True):
        digest.update(f"{text}\t{label}\n".encode())
    return digest.hexdigest()


@cache
def encoder_sha256() -> str:
    """Hash of the shipped all-MiniLM-L6-v2 files: new weights must retrain every pretrained run."""
    from startup_report.modeling.minilm import default_model_path

    root = default_model_path()
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def code_sha256(model: str) -> str:
    code = fingerprint.Code.of(__name__.partition(".")[0])
    modules = code.closure([MODELS[model].module]) | set(RUN_CODE)
    return fingerprint.digest(code.module_hashes(modules))


def run_key(spec: RunSpec, subset_sha: str, validation_sha: str, test_sha: str, labels: Sequence[str]) -> str:
    """The content address of a run's outcome."""
    parts = {
        "model": spec.model,
        "budget": spec.budget,
        "seed": spec.seed,
        "config": spec.config,
        "labels": list(labels),
        "train": subset_sha,
        "validation": validation_sha,
        "test": test_sha,
        "code": code_sha256(spec.model),
        "environment": fingerprint.Code.of(__name__.partition(".")[0]).environment_sha256(),
        "encoder": encoder_sha256() if MODELS[spec.model].pretrained else None,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _ms_per_message(model: Any, texts: Sequence[str], extra_seconds: float) -> float:
    """Timed after the model predicted the test split, so every input shape is traced and compiled already
    (a first prediction of a Keras model on JAX includes compiling it for that shape)."""
    start = time.perf_counter()
    model.predict_proba(texts)
    seconds = time.perf_counter() - start
    return 1000.0 * (seconds / max(len(texts), 1) + extra_seconds)


def execute_run(spec: RunSpec, data: RunData, seconds_per_text: float = 0.0) -> RunOutcome:
    """Train and score one run. Pure: the same spec and data give the same scores on any worker."""
    from startup_report.modeling import zoo
    from startup_report.modeling.sampling import sample_budget
    from startup_report.modeling.score import accuracy, macro_f1

    wall_start = time.perf_counter()
    info = MODELS[spec.model]
    encoder = None
    if info.pretrained and not info.torch:
        from startup_report.modeling.encoder import EmbeddingCache, SentenceEncoder, cache_path

        encoder = SentenceEncoder(EmbeddingCache(cache_path()))
    label_id = {label: i for i, label in enumerate(data.labels)}
    subset = sample_budget(data.train, spec.budget, spec.seed)
    y_val = data.validation[LABEL].map(label_id).to_numpy()
    y_test = data.test[LABEL].map(label_id).to_numpy()
    model = zoo.build(spec.model, len(data.labels), spec.config, encoder)
    if encoder is not None:
        model.seconds_per_text = seconds_per_text
    extra = seconds_per_text if encoder is not None else 0.0  # encoder cost hidden by the embedding cache
    start = time.perf_counter()
    model.fit(
        subset[TEXT].tolist(), subset[LABEL].map(label_id).to_numpy(), data.validation[TEXT].tolist(), y_val, spec.seed
    )
    train_seconds = time.perf_counter() - start + len(subset) * extra
    val_probs = model.predict_proba(data.validation[TEXT].tolist())
    test_probs = model.predict_proba(data.test[TEXT].tolist())
    y_pred = test_probs.argmax(axis=1)
    row = {
        "family": info.family,
        "model": spec.model,
        "budget": spec.budget,
        "seed": spec.seed,
        "accuracy": accuracy(y_test, y_pred),
        "macro_f1": macro_f1(y_test, y_pred, labels=np.arange(len(data.labels))),
        "val_accuracy": accuracy(y_val, val_probs.argmax(axis=1)),
        "train_seconds": round(train_seconds, 3),
        "ms_per_message": round(_ms_per_message(model, data.test[TEXT].tolist()[:256], extra), 4),
        "parameters": model.n_parameters(),
        "size_bytes": model.size_bytes(),
        "flops_per_message": model.flops_per_message(),
        "train_examples": len(subset),
        "precision": spec.config.get("precision", "fp32"),
    }
    history = getattr(model, "history", None) or None
    keep = model if spec.budget == FULL else None  # only full-budget runs can become the served model
    outcome = RunOutcome(row, val_probs.astype(np.float32), test_probs.astype(np.float32), history, keep)
    outcome.wall_seconds = time.perf_counter() - wall_start
    return outcome
