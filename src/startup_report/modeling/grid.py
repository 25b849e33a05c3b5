"""The experiment: every model family at every label budget and seed, measured on the same test set.

Budgets are few-shot training sets of k examples per intent, drawn stratified and deterministically
from the training split, plus the full training split. Early stopping and model selection use the
validation split only; the test set is scored once per trained model.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from startup_report.data.dataset import LABEL, TEXT
from startup_report.evaluation.metrics import accuracy, macro_f1
from startup_report.modeling.base import IntentModel

FULL = "full"
RESULT_COLUMNS = (
    "family",
    "model",
    "budget",
    "seed",
    "accuracy",
    "macro_f1",
    "val_accuracy",
    "train_seconds",
    "ms_per_message",
    "parameters",
    "size_bytes",
    "flops_per_message",
    "train_examples",
)


class BudgetError(ValueError):
    """A label budget asks for more examples of an intent than the training split holds."""


def check_budgets(train: pd.DataFrame, budgets: Sequence[int]) -> None:
    if not budgets:
        return
    counts = train[LABEL].value_counts()
    short = counts[counts < max(budgets)]
    if not short.empty:
        examples = ", ".join(f"{label} ({count})" for label, count in short.head(5).items())
        raise BudgetError(
            f"training.budgets asks for {max(budgets)} examples per intent, but {len(short)} intents have fewer "
            f"in the training split: {examples}. Lower training.budgets or raise data.sample_fraction."
        )


def sample_budget(train: pd.DataFrame, budget: int | str, seed: int) -> pd.DataFrame:
    """k examples per intent (stratified, reproducible by seed); the whole split for ``full``."""
    if budget == FULL:
        return train
    check_budgets(train, [int(budget)])
    parts = [group.sample(n=int(budget), random_state=seed) for _, group in train.groupby(LABEL, sort=True)]
    return pd.concat(parts).sort_index()


@dataclass
class Run:
    """One trained model's scores, plus its probabilities for model selection and evaluation."""

    row: dict[str, object]
    val_probs: np.ndarray
    test_probs: np.ndarray
    model: IntentModel | None = None  # kept for the best runs only, to be saved for serving


@dataclass
class GridResult:
    results: pd.DataFrame
    best: dict[str, Run] = field(default_factory=dict)  # per model: best full-budget run by validation accuracy
    histories: dict[str, dict[str, list[float]]] = field(default_factory=dict)


ModelFactory = Callable[[], IntentModel]


def _ms_per_message(model: IntentModel, texts: Sequence[str]) -> float:
    start = time.perf_counter()
    model.predict_proba(texts)
    seconds = time.perf_counter() - start
    extra = getattr(model, "seconds_per_text", 0.0)  # encoder cost hidden by the embedding cache
    return 1000.0 * (seconds / max(len(texts), 1) + extra)


def run_grid(
    train: pd.DataFrame,
    validation: pd.DataFrame,
    test: pd.DataFrame,
    labels: Sequence[str],
    factories: dict[str, ModelFactory],
    budgets: Sequence[int],
    include_full: bool,
    seeds: Sequence[int],
    seeds_for: Callable[[str, int | str], Sequence[int]] | None = None,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True),
) -> GridResult:
    """Train and score every (budget, seed, model); ``seeds_for`` may thin the seeds of a model/budget."""
    label_id = {label: i for i, label in enumerate(labels)}
    y_val = validation[LABEL].map(label_id).to_numpy()
    y_test = test[LABEL].map(label_id).to_numpy()
    all_budgets: list[int | str] = [*budgets, *([FULL] if include_full else [])]
    plan = [
        (b, s, name)
        for b in all_budgets
        for s in seeds
        for name in factories
        if seeds_for is None or s in seeds_for(name, b)
    ]
    rows, best, histories = [], {}, {}
    for index, (budget, seed, name) in enumerate(plan, start=1):
        subset = sample_budget(train, budget, seed)
        model = factories[name]()
        start = time.perf_counter()
        model.fit(subset[TEXT].tolist(), subset[LABEL].map(label_id).to_numpy(), validation[TEXT].tolist(), y_val, seed)
        train_seconds = time.perf_counter() - start + len(subset) * getattr(model, "seconds_per_text", 0.0)
        val_probs = model.predict_proba(validation[TEXT].tolist())
        test_probs = model.predict_proba(test[TEXT].tolist())
        y_pred = test_probs.argmax(axis=1)
        row = {
            "family": model.family,
            "model": model.name,
            "budget": str(budget),
            "seed": seed,
            "accuracy": accuracy(y_test, y_pred),
            "macro_f1": macro_f1(y_test, y_pred, labels=np.arange(len(labels))),
            "val_accuracy": accuracy(y_val, val_probs.argmax(axis=1)),
            "train_seconds": round(train_seconds, 3),
            "ms_per_message": round(_ms_per_message(model, test[TEXT].tolist()[:256]), 4),
            "parameters": model.n_parameters(),
            "size_bytes": model.size_bytes(),
            "flops_per_message": model.flops_per_message(),
            "train_examples": len(subset),
        }
        rows.append(row)
        log(
            f"[{index}/{len(plan)}] {name:<20} budget={budget!s:<5} seed={seed}  "
            f"acc={row['accuracy']:.3f}  train {train_seconds:.1f}s"
        )
        if budget == FULL and (name not in best or row["val_accuracy"] > best[name].row["val_accuracy"]):
            best[name] = Run(row, val_probs, test_probs, model)
            if getattr(model, "history", None):
                histories[name] = model.history
    return GridResult(pd.DataFrame(rows, columns=list(RESULT_COLUMNS)), best, histories)


def summarize(results: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds, per model and budget (the scaling figure's bands)."""
    grouped = results.groupby(["family", "model", "budget"], sort=False)
    out = grouped.agg(
        accuracy_mean=("accuracy", "mean"),
        accuracy_sd=("accuracy", "std"),
        macro_f1_mean=("macro_f1", "mean"),
        seeds=("seed", "nunique"),
        train_seconds=("train_seconds", "mean"),
        ms_per_message=("ms_per_message", "mean"),
    ).reset_index()
    out["accuracy_sd"] = out["accuracy_sd"].fillna(0.0)
    return out
