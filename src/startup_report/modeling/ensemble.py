"""Ensembles after the fact: trained models' probabilities averaged, the weights chosen on validation.

Why: a fine-tuned encoder, TF-IDF with logistic regression and a head on frozen embeddings make different
mistakes (one reads meaning learnt on the task, one exact words such as "PIN" or "top-up", one meaning
learnt elsewhere), and averaging their probabilities is the field's cheapest gain. Every member's validation
and test probabilities are already stored with its run, so an ensemble costs no training: its row in
``results.csv`` sums the members' costs, because serving it runs them all.

The weights are the point of a grid on the simplex (steps of ``STEP``; each weight in [0, 1], summing to 1)
with the best validation accuracy; ties go to the first point in lexicographic order (the smallest weight of
the first member, then of the second...), so the choice is reproducible. The test set is scored once, with
those weights.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from startup_report.modeling.catalog import MODELS
from startup_report.modeling.runs import RunOutcome
from startup_report.modeling.sampling import FULL
from startup_report.modeling.score import accuracy, macro_f1

#: Grid step of the weights: 21 candidate points for two members, 231 for three, 1,771 for four.
STEP = 0.05
#: Costs that add up when every member serves every message.
SUMMED = ("train_seconds", "ms_per_message", "parameters", "size_bytes", "flops_per_message")


@dataclass(frozen=True)
class Blend:
    weights: tuple[float, ...]  # one per member, in the members' order
    val_accuracy: float
    test_probs: np.ndarray


def simplex(members: int, step: float = STEP) -> Iterator[tuple[float, ...]]:
    """Every weight vector of ``members`` multiples of ``step`` that sums to 1, in lexicographic order."""
    if members < 1:
        raise ValueError("an ensemble needs at least one member")
    units = round(1.0 / step)

    def points(left: int, remaining: int) -> Iterator[tuple[int, ...]]:
        if remaining == 1:
            yield (left,)
            return
        for first in range(left + 1):
            for rest in points(left - first, remaining - 1):
                yield (first, *rest)

    for point in points(units, members):
        yield tuple(round(k * step, 10) for k in point)


def choose_weights(
    vals: Sequence[np.ndarray], y_val: np.ndarray, step: float = STEP
) -> tuple[tuple[float, ...], float]:
    """The weights of ``vals`` (one probability matrix per member) with the best validation accuracy of
    their weighted sum, and that accuracy."""
    shapes = {v.shape for v in vals}
    if len(shapes) != 1:
        raise ValueError(f"members' probabilities differ in shape: {sorted(shapes)}")
    if len(y_val) == 0:
        raise ValueError("no validation messages to choose the weights on")
    stacked = np.stack([np.asarray(v, dtype=np.float64) for v in vals])
    best_w, best_acc = (), -1.0
    for weights in simplex(len(vals), step):
        acc = accuracy(y_val, np.tensordot(weights, stacked, axes=1).argmax(axis=1))
        if acc > best_acc + 1e-12:
            best_w, best_acc = weights, acc
    return best_w, best_acc


def blend(members: Sequence[RunOutcome], y_val: np.ndarray, step: float = STEP) -> Blend:
    """Choose the weights on validation, then average the test probabilities with them."""
    weights, val_acc = choose_weights([m.val_probs for m in members], y_val, step)
    tests = np.stack([m.test_probs.astype(np.float64) for m in members])
    return Blend(weights, val_acc, np.tensordot(weights, tests, axes=1))


def ensemble_row(members: Sequence[RunOutcome], mixed: Blend, y_test: np.ndarray, n_classes: int) -> dict:
    """The ensemble's row of results.csv: its accuracy, and the members' costs added up."""
    rows = [m.row for m in members]
    if len({(row["budget"], row["seed"]) for row in rows}) != 1:
        raise ValueError("ensemble members must share budget and seed")
    first = rows[0]
    y_pred = mixed.test_probs.argmax(axis=1)
    row = {
        "family": "ensemble",
        "model": "+".join(row["model"] for row in rows),
        "budget": first["budget"],
        "seed": first["seed"],
        "accuracy": accuracy(y_test, y_pred),
        "macro_f1": macro_f1(y_test, y_pred, labels=np.arange(n_classes)),
        "val_accuracy": mixed.val_accuracy,
        "train_examples": first["train_examples"],
        "precision": first["precision"],
        "ensemble_weights": "+".join(f"{w:g}" for w in mixed.weights),
    }
    row.update({key: sum(r[key] for r in rows) for key in SUMMED})
    return row


def ensemble_rows(
    outcomes: Sequence[RunOutcome],
    groups: Sequence[Sequence[str]],
    y_val: np.ndarray,
    y_test: np.ndarray,
    n_classes: int,
) -> list[dict]:
    """One row per group of models and per (budget, seed) at which every member ran, in the order of
    ``outcomes`` (the first member's runs). On the full split a deterministic model runs once (every seed gives
    the same model: ``zoo.seeds_for``), so its one run stands in at every seed of the others."""
    by_run = {(o.row["model"], str(o.row["budget"]), int(o.row["seed"])): o for o in outcomes}
    rows = []
    for group in groups:
        first, others = group[0], group[1:]
        for (model, budget, seed), a in by_run.items():
            rest = [_member(by_run, other, budget, seed) for other in others]
            if model == first and all(r is not None for r in rest):
                members = [a, *rest]
                rows.append(ensemble_row(members, blend(members, y_val), y_test, n_classes))
    return rows


def _member(by_run: dict[tuple[str, str, int], RunOutcome], model: str, budget: str, seed: int) -> RunOutcome | None:
    """``model``'s run at (``budget``, ``seed``), or on the full split a deterministic model's one run, carrying
    that seed; None when it did not run."""
    run = by_run.get((model, budget, seed))
    if run is None and budget == FULL and model in MODELS and MODELS[model].deterministic:
        once = [o for (m, b, _), o in by_run.items() if m == model and b == budget]
        run = replace(once[0], row={**once[0].row, "seed": seed}) if once else None
    return run
