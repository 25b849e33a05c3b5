"""Published BANKING77 accuracies (Casanueva et al., 2020) beside ours, at the same label budgets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

COLUMNS = ("model", "budget", "accuracy", "source_title", "source_url", "table", "note")


def load(path: Path) -> pd.DataFrame:
    """The cited CSV; budgets as strings ('10', '30', 'full') like our results table."""
    frame = pd.read_csv(path, dtype={"budget": str})
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    if not frame["accuracy"].between(0, 1).all():
        raise ValueError(f"{path}: accuracy must be a fraction between 0 and 1")
    return frame


def compare(summary: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Per budget: our best model (mean over seeds) against the best published model, and the gap."""
    rows = []
    for budget, theirs in published.groupby("budget", sort=False):
        ours = summary[summary["budget"] == budget]
        if ours.empty:
            continue
        best_ours = ours.loc[ours["accuracy_mean"].idxmax()]
        best_theirs = theirs.loc[theirs["accuracy"].idxmax()]
        rows.append(
            {
                "budget": budget,
                "our_best_model": best_ours["model"],
                "our_accuracy": best_ours["accuracy_mean"],
                "published_best_model": best_theirs["model"],
                "published_accuracy": best_theirs["accuracy"],
                "gap": best_ours["accuracy_mean"] - best_theirs["accuracy"],
            }
        )
    return pd.DataFrame(rows)
