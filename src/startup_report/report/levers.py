"""The few-shot levers table of the training chapter: what each lever gave at 10 and 30 examples per intent and
on the full training split, measured by ``python -m startup_report.devtools.levers --budget N`` (3 seeds, the
standard test set) and committed as one CSV a budget (``data/levers/fewshot{N}.csv``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from startup_report.report import literature
from startup_report.report.findings import spread

BASELINE = "frozen + logistic regression (baseline)"


def load(path: Path, dataset: str) -> pd.DataFrame:
    """The CSV's rows of ``dataset``; the error names what is missing."""
    frame = pd.read_csv(path)
    missing = {"dataset", "lever", "budget", "seed", "accuracy", "seconds", "cpu"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return frame[frame["dataset"] == dataset].assign(budget=lambda f: f["budget"].astype(str)).reset_index(drop=True)


def load_all(paths: list[Path], dataset: str) -> pd.DataFrame:
    """Every lever file's rows of ``dataset``, budgets in the files' order."""
    frames = [load(path, dataset) for path in paths]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per budget and lever: mean and sd of test accuracy over seeds, the change against that budget's baseline
    mean (points), the seeds and the mean CPU seconds per seed; in the order measured."""
    grouped = frame.groupby(["budget", "lever"], sort=False)
    out = grouped.agg(
        accuracy_mean=("accuracy", "mean"),
        accuracy_sd=("accuracy", "std"),
        seeds=("seed", "nunique"),
        seconds=("seconds", "mean"),
    ).reset_index()
    out["accuracy_sd"] = out["accuracy_sd"].fillna(0.0)
    base = out[out["lever"] == BASELINE].set_index("budget")["accuracy_mean"]
    out["vs_baseline_points"] = 100 * (out["accuracy_mean"] - out["budget"].map(base))
    return out


def _cell(mean: float, sd: float, seeds: int, points: float) -> str:
    """'86.4% ± 0.4 (+1.0)': accuracy, spread over seeds (none with one seed), points against the baseline."""
    spread_ = f" ± {100 * sd:.1f}" if seeds > 1 else ""
    change = f"{round(points, 1) + 0.0:+.1f}".replace("-", "\u2212")  # no "-0.0"; a typographic minus
    return f"{mean:.1%}{spread_} ({change})"


def side_by_side(table: pd.DataFrame) -> pd.DataFrame:
    """One row a lever: per budget one cell (``at_10``: "86.4% ± 0.4 (+1.0)": accuracy, its spread over seeds, none
    with one seed, and the change against that budget's baseline in points), then the CPU seconds a seed at each
    budget in one column ("176 / 190"; "—" where not measured); levers in the order measured."""
    budgets = list(table["budget"].unique())
    frames = []
    for budget in budgets:
        part = table[table["budget"] == budget].set_index("lever")
        cells = zip(part["accuracy_mean"], part["accuracy_sd"], part["seeds"], part["vs_baseline_points"], strict=True)
        frames.append(pd.DataFrame({f"at_{budget}": [_cell(*c) for c in cells], f"seconds_{budget}": part["seconds"]},
                                   index=part.index))  # fmt: skip
    wide = pd.concat(frames, axis=1) if frames else pd.DataFrame()
    seconds = wide[[f"seconds_{b}" for b in budgets]]
    wide["seconds"] = [" / ".join("—" if pd.isna(v) else f"{v:.0f}" for v in row) for row in seconds.to_numpy()]
    return wide.drop(columns=seconds.columns).rename_axis("lever").reset_index()


def _at(budget: str) -> str:
    return "on the full training split" if budget == "full" else f"at {budget} examples per intent"


def _one_budget(part: pd.DataFrame, budget: str, cpu: str) -> str:
    best = part.loc[part["accuracy_mean"].idxmax()]
    base = part[part["lever"] == BASELINE]
    text = (
        f"{_at(budget)[0].upper()}{_at(budget)[1:]} the best of {len(part)} levers on the test set (so an upper "
        f"bound) is {best['lever']}: {best['accuracy_mean']:.1%} "
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


def sentence(table: pd.DataFrame, cpu: str) -> str:
    """Per budget, the best lever and the baseline, worded from the table; a gain within the spread is said to
    be so."""
    if table.empty:
        return "No few-shot lever has been measured for this dataset."
    return " ".join(_one_budget(part, str(b), cpu) for b, part in table.groupby("budget", sort=False))


def _against(part: pd.DataFrame, published: pd.DataFrame, budget: str) -> str:
    cells = published[published["budget"].astype(str) == budget]
    top = cells.loc[cells["accuracy"].idxmax()]
    best = part.loc[part["accuracy_mean"].idxmax()]
    margin = float(best["accuracy_mean"] - top["accuracy"])
    said = literature.verdict(margin, float(best["accuracy_sd"]), int(best["seeds"]))
    return (
        f"The best published result {_at(budget)} is {top['model']} ({top['paper']}, "
        f"{top['encoder']}) at {top['accuracy']:.2%}: our best lever, {best['accuracy_mean']:.2%} "
        f"({spread(best['accuracy_sd'], int(best['seeds']), 2)}), is {100 * margin:+.2f} points from it, {said}."
    )


def against_published(table: pd.DataFrame, published: pd.DataFrame | None) -> str:
    """Per budget with a published cell, our best lever against the best published cell at that budget
    (``literature.load``'s rows), judged by the lever's seed spread like every literature verdict; the gap is
    stated whichever way it goes."""
    if table.empty or published is None:
        return "No published result to set the levers against."
    budgets = set(published["budget"].astype(str))
    said = [_against(part, published, str(b)) for b, part in table.groupby("budget", sort=False) if str(b) in budgets]
    return " ".join(said) if said else "No published result at the budgets the levers were measured at."
