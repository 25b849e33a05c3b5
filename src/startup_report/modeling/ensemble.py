"""Ensembles after the fact: two trained models' probabilities averaged, the weight chosen on validation.

Why: a fine-tuned encoder and TF-IDF with logistic regression make different mistakes (one reads meaning,
the other exact words such as "PIN" or "top-up"), and averaging their probabilities is the field's
cheapest gain. Both members' validation and test probabilities are already stored with every run, so an
ensemble costs no training: its row in ``results.csv`` sums the members' costs, because serving it runs both.

The weight ``w`` of the first member (``1 - w`` for the second) is the one of ``weights`` with the best
validation accuracy (ties: the smallest, so the choice is reproducible); the test set is scored once, with
that weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from startup_report.evaluation.metrics import accuracy, macro_f1
from startup_report.modeling.runs import RunOutcome

#: Candidate weights of the first member, 0 to 1 in steps of 0.05.
WEIGHTS = tuple(np.round(np.linspace(0.0, 1.0, 21), 2))
#: Costs that add up when both members serve every message.
SUMMED = ("train_seconds", "ms_per_message", "parameters", "size_bytes", "flops_per_message")


@dataclass(frozen=True)
class Blend:
    weight: float  # of the first member
    val_accuracy: float
    test_probs: np.ndarray


def choose_weight(
    val_a: np.ndarray, val_b: np.ndarray, y_val: np.ndarray, weights: Sequence[float] = WEIGHTS
) -> tuple[float, float]:
    """The weight of ``a`` with the best validation accuracy of ``w * a + (1 - w) * b``, and that accuracy."""
    if val_a.shape != val_b.shape:
        raise ValueError(f"members' probabilities differ in shape: {val_a.shape} and {val_b.shape}")
    if len(y_val) == 0:
        raise ValueError("no validation messages to choose the weight on")
    best_w, best_acc = float(weights[0]), -1.0
    for w in weights:
        acc = accuracy(y_val, (w * val_a + (1.0 - w) * val_b).argmax(axis=1))
        if acc > best_acc + 1e-12:
            best_w, best_acc = float(w), acc
    return best_w, best_acc


def blend(a: RunOutcome, b: RunOutcome, y_val: np.ndarray, weights: Sequence[float] = WEIGHTS) -> Blend:
    """Choose the weight on validation, then average the test probabilities with it."""
    w, val_acc = choose_weight(a.val_probs.astype(np.float64), b.val_probs.astype(np.float64), y_val, weights)
    return Blend(w, val_acc, w * a.test_probs.astype(np.float64) + (1.0 - w) * b.test_probs.astype(np.float64))


def ensemble_row(a: RunOutcome, b: RunOutcome, mixed: Blend, y_test: np.ndarray, n_classes: int) -> dict:
    """The ensemble's row of results.csv: its accuracy, and the two members' costs added up."""
    first, second = a.row, b.row
    if (first["budget"], first["seed"]) != (second["budget"], second["seed"]):
        raise ValueError("ensemble members must share budget and seed")
    y_pred = mixed.test_probs.argmax(axis=1)
    row = {
        "family": "ensemble",
        "model": f"{first['model']}+{second['model']}",
        "budget": first["budget"],
        "seed": first["seed"],
        "accuracy": accuracy(y_test, y_pred),
        "macro_f1": macro_f1(y_test, y_pred, labels=np.arange(n_classes)),
        "val_accuracy": mixed.val_accuracy,
        "train_examples": first["train_examples"],
        "precision": first["precision"],
        "ensemble_weight": mixed.weight,
    }
    row.update({key: first[key] + second[key] for key in SUMMED})
    return row


def ensemble_rows(
    outcomes: Sequence[RunOutcome],
    pairs: Sequence[tuple[str, str]],
    y_val: np.ndarray,
    y_test: np.ndarray,
    n_classes: int,
) -> list[dict]:
    """One row per pair and per (budget, seed) at which both members ran, in the order of ``outcomes``."""
    by_run = {(o.row["model"], str(o.row["budget"]), int(o.row["seed"])): o for o in outcomes}
    rows = []
    for first, second in pairs:
        for (model, budget, seed), a in by_run.items():
            b = by_run.get((second, budget, seed))
            if model == first and b is not None:
                rows.append(ensemble_row(a, b, blend(a, b, y_val), y_test, n_classes))
    return rows
