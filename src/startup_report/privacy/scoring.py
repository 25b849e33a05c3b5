"""What a trained privacy head is worth, without torch: the embedded splits, automation at the target
precision, and the sweep's saved probabilities.

The privacy chapter trains heads (experiment.py, with torch and Opacus); the cost chapter only scores what
it saved, so it imports this module and, when every message it explains is in the embedding cache, never
loads torch or the encoder at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from startup_report.data import artifacts
from startup_report.engine import files
from startup_report.evaluation import calibration, metrics


@dataclass(frozen=True)
class Embedded:
    """The data-prep splits as frozen sentence embeddings and integer labels."""

    labels: list[str]
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    train_texts: list[str]

    @property
    def n_classes(self) -> int:
        return len(self.labels)


def embed_splits(data_prep: Path | str, encoder) -> Embedded:
    """Read the splits and embed them with the (cached) sentence encoder of the model-building stage."""
    labels = files.read_json(Path(data_prep) / "labels.json")
    index = {label: i for i, label in enumerate(labels)}
    splits = {name: artifacts.load_split(data_prep, name) for name in ("train", "validation", "test")}
    x = {name: encoder.encode(frame["text"].tolist()) for name, frame in splits.items()}
    y = {name: frame["label"].map(index).to_numpy() for name, frame in splits.items()}
    return Embedded(labels, x["train"], y["train"], x["validation"], y["validation"], x["test"], y["test"],
                    splits["train"]["text"].tolist())  # fmt: skip


Heads = list[tuple[np.ndarray, np.ndarray]]  # (validation, test) probabilities, one pair per sweep row


def automation(
    val: np.ndarray, test: np.ndarray, y_val: np.ndarray, y_test: np.ndarray, target_precision: float
) -> dict[str, float]:
    """Accuracy, and automation at the target precision as the evaluation stage computes it.

    Temperature and threshold are fitted on validation; coverage and precision are measured on test.
    """
    temperature = calibration.fit_temperature(val, y_val)
    val_cal = calibration.apply_temperature(val, temperature)
    test_cal = calibration.apply_temperature(test, temperature)
    correct = test.argmax(axis=1) == y_test
    auto = metrics.automation(
        val_cal.max(axis=1), val_cal.argmax(axis=1) == y_val, test_cal.max(axis=1), correct, target_precision
    )
    return {
        "accuracy": float(correct.mean()),
        "automation_rate": auto.coverage,
        "automation_precision": auto.precision,
        "threshold": auto.threshold,
    }


def save_heads(path: Path, heads: Heads) -> Path:
    """The sweep's probabilities, row by row, as float32 (the cost chapter's input)."""
    arrays = {f"{split}_{i}": p.astype(np.float32) for i, pair in enumerate(heads) for split, p in zip(
        ("val", "test"), pair, strict=True)}  # fmt: skip
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)
    return path


def load_heads(path: Path) -> Heads:
    with np.load(path) as data:
        return [(data[f"val_{i}"].astype(np.float64), data[f"test_{i}"].astype(np.float64))
                for i in range(len(data.files) // 2)]  # fmt: skip


def split_labels(data_prep: Path | str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Intent names and the validation and test labels as integers (no embeddings needed)."""
    labels = files.read_json(Path(data_prep) / "labels.json")
    index = {label: i for i, label in enumerate(labels)}
    y = [artifacts.load_split(data_prep, name)["label"].map(index).to_numpy() for name in ("validation", "test")]
    return labels, y[0], y[1]


def automation_table(
    sweep: pd.DataFrame, heads: Heads, y_val: np.ndarray, y_test: np.ndarray, target_precision: float
) -> pd.DataFrame:
    """The sweep with automation and its precision at the target, from the saved probabilities."""
    scored = [automation(val, test, y_val, y_test, target_precision) for val, test in heads]
    extra = pd.DataFrame(scored).drop(columns="accuracy")
    return pd.concat([sweep.reset_index(drop=True), extra], axis=1)
