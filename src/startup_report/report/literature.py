"""Published BANKING77 accuracies (every paper in the CSV) beside ours, and the verdicts the chapter prints.

Every published cell is compared with our best model at the same label budget (mean over seeds), with the
margin and the spread of our seeds. The chapter's sentences follow fixed rules (``verdict``, ``budget_verdicts``):

* "above" or "below" only when the margin is larger than our standard deviation over seeds;
* "within our seed spread" when it is not;
* "no verdict" when we ran one seed (its spread is unknown), whatever the sign of the margin;
* per budget, against the best published cell and, separately, against the best published cell whose encoder
  is no larger than ours (a published row without a stated encoder size is never counted as smaller).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from startup_report.report.findings import spread

COLUMNS = (
    "dataset",
    "paper",
    "model",
    "kind",
    "encoder",
    "encoder_parameters_m",
    "budget",
    "accuracy",
    "test_messages",
    "read_via",
    "source_title",
    "source_url",
    "table",
    "note",
)
KINDS = ("encoder", "llm")
#: How a number was read: in the paper's own table, in its authors' repository, or through someone else.
READ_VIA = ("paper", "author repository", "secondary")


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


def _check(frame: pd.DataFrame, path: Path) -> None:
    """Every row says what it is and where it was read; the error names the column and the fix."""
    budgets = frame["budget"].astype(str)
    if not (budgets.str.fullmatch(r"[1-9][0-9]*") | (budgets == "full")).all():
        raise ValueError(f"{path}: budget must be examples per intent (a whole number) or 'full'")
    if not frame["accuracy"].between(0, 1).all():
        raise ValueError(f"{path}: accuracy must be a fraction between 0 and 1")
    if not frame["kind"].isin(KINDS).all():
        raise ValueError(f"{path}: kind must be one of {', '.join(KINDS)}")
    if not frame["read_via"].isin(READ_VIA).all():
        raise ValueError(f"{path}: read_via must be one of {', '.join(READ_VIA)} (where the number was read)")
    sizes = pd.to_numeric(frame["encoder_parameters_m"], errors="coerce")
    if (sizes[frame["encoder_parameters_m"].notna()].isna()).any() or (sizes <= 0).any():
        raise ValueError(f"{path}: encoder_parameters_m must be millions of parameters (> 0) or empty if unknown")
    if frame["source_url"].isna().any() or not frame["source_url"].str.startswith("http").all():
        raise ValueError(f"{path}: every row needs a source_url (http...) where its number was read")
    if frame.duplicated(["paper", "model", "budget"]).any():
        raise ValueError(f"{path}: a (paper, model, budget) appears twice")


def load(path: Path, dataset: str) -> pd.DataFrame:
    """The cited CSV's rows of ``dataset``, checked; budgets as strings ('10', '30', 'full') like our results."""
    frame = rows_for(path, dataset)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    _check(frame, path)
    frame = frame.copy()
    frame["encoder_parameters_m"] = pd.to_numeric(frame["encoder_parameters_m"], errors="coerce")
    return frame


def verdict(margin: float, sd: float, seeds: int, unit: str = "seed") -> str:
    """Our mean minus a published figure, judged by our spread over seeds (the rules in the module docstring);
    ``unit`` names what was repeated (``draw`` for draws of known intents)."""
    if seeds < 2:
        return f"no verdict (one {unit}: its spread is unknown)"
    if abs(margin) <= sd:
        return f"within our {unit} spread"
    return "above" if margin > 0 else "below"


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
                "encoder": cell["encoder"],
                "encoder_parameters_m": cell["encoder_parameters_m"],
                "read_via": cell["read_via"],
                "our_best_model": best["model"],
                "our_accuracy": best["accuracy_mean"],
                "our_sd": best["accuracy_sd"],
                "seeds": seeds,
                "margin": margin,
                "verdict": verdict(margin, float(best["accuracy_sd"]), seeds),
            }
        )
    return pd.DataFrame(rows)


def budget_verdicts(comparison: pd.DataFrame, our_parameters_m: float) -> pd.DataFrame:
    """Per budget we trained: our best against the best published cell, and against the best published cell
    of an encoder no larger than ours (``our_parameters_m`` millions; unknown sizes never count as smaller).

    Columns: budget, our figures, ``best_*`` (the best published cell and its verdict) and ``small_*`` (the
    best at our size or smaller, NaN/None when there is none).
    """
    columns = ["budget", "our_best_model", "our_accuracy", "our_sd", "seeds"]
    if comparison.empty:
        return pd.DataFrame(columns=[*columns, "best_model", "best_paper", "best_accuracy", "best_verdict",
                                     "small_model", "small_paper", "small_accuracy", "small_verdict"])  # fmt: skip
    rows = []
    for _, cells in comparison.groupby("budget", sort=False):
        top = cells.loc[cells["published_accuracy"].idxmax()]
        row = {c: top[c] for c in columns}
        row.update(best_model=top["published_model"], best_paper=top["paper"], best_accuracy=top["published_accuracy"],
                   best_verdict=top["verdict"])  # fmt: skip
        small = cells[cells["encoder_parameters_m"].notna() & (cells["encoder_parameters_m"] <= our_parameters_m)]
        if small.empty:
            row.update(small_model=None, small_paper=None, small_accuracy=float("nan"), small_verdict=None)
        else:
            s = small.loc[small["published_accuracy"].idxmax()]
            row.update(small_model=s["published_model"], small_paper=s["paper"], small_accuracy=s["published_accuracy"],
                       small_verdict=s["verdict"])  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def _budget_words(budget: str) -> str:
    return "the full training split" if budget == "full" else f"{budget} examples per intent"


def headline(comparison: pd.DataFrame | None, our_parameters_m: float | None = None) -> str:
    """One clause per budget: our best against the best published cell and (given our encoder's size in
    millions) against the best published cell at our size or smaller; ``compare``'s table, or None."""
    if comparison is None:
        return "No published results for this dataset."
    if comparison.empty:
        return "No published result shares a budget with this run."
    size = float("inf") if our_parameters_m is None else our_parameters_m
    parts = []
    for _, row in budget_verdicts(comparison, size).iterrows():
        margin = 100 * (row["our_accuracy"] - row["best_accuracy"])
        # Two decimals, as the papers print them: a verdict on a margin of 0.06 points must show that margin.
        clause = (
            f"with {_budget_words(row['budget'])}, {row['our_best_model']} reaches {row['our_accuracy']:.2%} "
            f"({spread(row['our_sd'], row['seeds'], 2)}) against {row['best_accuracy']:.2%} for the best "
            f"published, {row['best_model']} ({row['best_paper']}): {margin:+.2f} points, {row['best_verdict']}"
        )
        if our_parameters_m is not None:
            if row["small_model"] is None:
                clause += f"; no published result at this budget names an encoder of {size:.0f} M parameters or fewer"
            else:
                small_margin = 100 * (row["our_accuracy"] - row["small_accuracy"])
                clause += (
                    f"; at our encoder's size ({size:.0f} M) or smaller the best published is {row['small_model']} "
                    f"({row['small_paper']}) at {row['small_accuracy']:.2%}: {small_margin:+.2f} points, "
                    f"{row['small_verdict']}"
                )
        parts.append(clause)
    return "; ".join(parts) + "."
