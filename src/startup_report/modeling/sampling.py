"""Label budgets: k examples per intent drawn stratified and reproducibly, and the check that they exist."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from startup_report.data.dataset import LABEL
from startup_report.engine.stage import InputError

FULL = "full"


class BudgetError(InputError):
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
            f"in the training split: {examples}. The largest budget every intent has is {int(counts.min())}: "
            "lower training.budgets to it or below, or raise data.sample_fraction."
        )


def sample_budget(train: pd.DataFrame, budget: int | str, seed: int) -> pd.DataFrame:
    """k examples per intent (stratified, reproducible by seed); the whole split for ``full``."""
    if str(budget) == FULL:
        return train
    check_budgets(train, [int(budget)])
    parts = [group.sample(n=int(budget), random_state=seed) for _, group in train.groupby(LABEL, sort=True)]
    return pd.concat(parts).sort_index()


def preflight(params, root: Path) -> None:
    """Before any stage runs: the dataset must read and split (DataError naming file, column and rows), and every
    few-shot budget must exist in its training split."""
    from startup_report.data.dataset import prepare

    training = params.training
    by_model = [b for m, bs in training.budgets_by_model.items() if m in training.models for b in bs if b != FULL]
    check_budgets(prepare(params.data, root, params.seed).train, [*training.budgets, *by_model])
