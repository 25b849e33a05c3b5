"""The few-shot levers table of the training chapter: what each lever gave at 10 examples per intent, measured
by ``python -m startup_report.devtools.levers`` (3 seeds, the standard test set) and committed as a CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from startup_report.report import literature
from startup_report.report.findings import spread

BASELINE = "frozen + logistic regression (baseline)"


def load(path: Path, dataset: str) -> pd.DataFrame:
    """The CSV's rows of ``dataset``; the error names what is missing."""
    frame = pd.read_csv(path)
    missing = {"dataset", "lever", "seed", "accuracy", "seconds", "cpu"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return frame[frame["dataset"] == dataset].reset_index(drop=True)


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per lever: mean and sd of test accuracy over seeds, the change against the baseline's mean (points),
    the seeds and the mean CPU seconds per seed; in the order measured."""
    grouped = frame.groupby("lever", sort=False)
    out = grouped.agg(
        accuracy_mean=("accuracy", "mean"),
        accuracy_sd=("accuracy", "std"),
        seeds=("seed", "nunique"),
        seconds=("seconds", "mean"),
    ).reset_index()
    out["accuracy_sd"] = out["accuracy_sd"].fillna(0.0)
    base = out.loc[out["lever"] == BASELINE, "accuracy_mean"]
    out["vs_baseline_points"] = 100 * (out["accuracy_mean"] - (float(base.iloc[0]) if len(base) else float("nan")))
    return out


def sentence(table: pd.DataFrame, cpu: str) -> str:
    """The best lever and the baseline, worded from the table; a gain within the spread is said to be so."""
    if table.empty:
        return "No few-shot lever has been measured for this dataset."
    best = table.loc[table["accuracy_mean"].idxmax()]
    base = table[table["lever"] == BASELINE]
    text = (
        f"At 10 examples per intent the best lever is {best['lever']}: {best['accuracy_mean']:.1%} "
        f"({spread(best['accuracy_sd'], int(best['seeds']))}, "
        f"{best['seconds']:.0f} s per seed on {cpu})"
    )
    if len(base) and best["lever"] != BASELINE:
        b = base.iloc[0]
        gain = best["accuracy_mean"] - b["accuracy_mean"]
        widest = max(best["accuracy_sd"], b["accuracy_sd"])
        if best["seeds"] < 2:
            verdict = "one seed, so its spread is unknown"
        else:
            verdict = ("more than" if abs(gain) > widest else "within") + " the seed spread"
        text += f", {100 * gain:+.1f} points on the baseline's {b['accuracy_mean']:.1%}, {verdict}"
    return text + "."


def against_published(table: pd.DataFrame, published: pd.DataFrame | None, budget: str = "10") -> str:
    """Our best lever against the best published cell at ``budget`` (``literature.load``'s rows), judged by the
    lever's seed spread like every literature verdict; the gap is stated whichever way it goes."""
    if table.empty or published is None:
        return "No published result to set the levers against."
    cells = published[published["budget"].astype(str) == budget]
    if cells.empty:
        return f"No published result at {budget} examples per intent to set the levers against."
    top = cells.loc[cells["accuracy"].idxmax()]
    best = table.loc[table["accuracy_mean"].idxmax()]
    margin = float(best["accuracy_mean"] - top["accuracy"])
    said = literature.verdict(margin, float(best["accuracy_sd"]), int(best["seeds"]))
    return (
        f"The best published result at {budget} examples per intent is {top['model']} ({top['paper']}, "
        f"{top['encoder']}) at {top['accuracy']:.1%}: our best lever is {100 * margin:+.1f} points from it, "
        f"{said}."
    )
