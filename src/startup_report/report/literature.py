"""Published BANKING77 accuracies (Casanueva et al., 2020, and any later paper in the CSV) beside ours.

Every published cell is compared with our best model at the same label budget (mean over seeds), with the
margin and the spread of our seeds: a margin smaller than that spread is not a win, whatever its sign.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from startup_report.report.findings import spread

COLUMNS = ("dataset", "paper", "model", "budget", "accuracy", "source_title", "source_url", "table", "note")


def rows_for(path: Path, dataset: str) -> pd.DataFrame:
    """The rows of a published-results CSV measured on ``dataset`` (its ``dataset`` column): maybe none.

    Which dataset a published number belongs to is declared in the file, and which dataset the report runs
    on is declared by ``data.name``; nothing is inferred from file names.
    """
    frame = pd.read_csv(path, dtype={"budget": str, "dataset": str})
    if "dataset" not in frame.columns:
        raise ValueError(f"{path}: missing column 'dataset' (the data.name each published row was measured on)")
    return frame[frame["dataset"] == dataset].reset_index(drop=True)


def applies(path: Path, dataset: str) -> bool:
    """Whether a published-results CSV holds any row of ``dataset`` (a missing file counts, to be reported)."""
    return not Path(path).is_file() or not rows_for(path, dataset).empty


def load(path: Path, dataset: str) -> pd.DataFrame:
    """The cited CSV's rows of ``dataset``; budgets as strings ('10', '30', 'full') like our results table."""
    frame = rows_for(path, dataset)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    if not frame["accuracy"].between(0, 1).all():
        raise ValueError(f"{path}: accuracy must be a fraction between 0 and 1")
    return frame


def _verdict(margin: float, sd: float, seeds: int) -> str:
    """Above or below, unless the margin is within our spread over seeds; one seed has no spread to judge by."""
    side = "above" if margin > 0 else "below"
    if seeds < 2:
        return f"{side} (one seed: its spread is unknown)"
    if abs(margin) <= sd:
        return "within our seed spread"
    return side


def compare(summary: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """One row per published cell: our best model at its budget (mean and sd over seeds) and the margin.

    ``summary`` is ``grid.summarize``'s table; budgets we did not train are left out.
    """
    rows = []
    for _, cell in published.iterrows():
        ours = summary[summary["budget"] == cell["budget"]]
        if ours.empty:
            continue
        best = ours.loc[ours["accuracy_mean"].idxmax()]
        margin, seeds = float(best["accuracy_mean"] - cell["accuracy"]), int(best["seeds"])
        rows.append(
            {
                "budget": cell["budget"],
                "published_model": cell["model"],
                "published_accuracy": cell["accuracy"],
                "paper": cell["paper"],
                "our_best_model": best["model"],
                "our_accuracy": best["accuracy_mean"],
                "our_sd": best["accuracy_sd"],
                "seeds": seeds,
                "margin": margin,
                "verdict": _verdict(margin, float(best["accuracy_sd"]), seeds),
            }
        )
    return pd.DataFrame(rows)


def best_per_budget(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per budget, the row of ``compare`` against the best published cell: the line we must clear."""
    if comparison.empty:
        return comparison
    index = comparison.groupby("budget", sort=False)["published_accuracy"].idxmax()
    return comparison.loc[index].reset_index(drop=True)


def headline(comparison: pd.DataFrame | None) -> str:
    """One clause per budget: our best against the best published cell (``compare``'s table, or None)."""
    if comparison is None:
        return "No published results for this dataset."
    best = best_per_budget(comparison)
    if best.empty:
        return "No published result shares a budget with this run."
    parts = []
    for _, row in best.iterrows():
        budget = "the full training split" if row["budget"] == "full" else f"{row['budget']} examples per intent"
        parts.append(
            f"with {budget}, {row['our_best_model']} reaches {row['our_accuracy']:.1%} "
            f"({spread(row['our_sd'], row['seeds'])}) against "
            f"{row['published_accuracy']:.1%} for {row['published_model']} ({row['paper']}): "
            f"{100 * row['margin']:+.1f} points, {row['verdict']}"
        )
    return "; ".join(parts) + "."
