"""Open intent on contrastively tuned embeddings, beside the frozen encoder and the published line: the rows
measured by ``python -m startup_report.devtools.openlevers`` (the chapter's draws of known intents, tuning on
each draw's known intents only; committed as ``data/levers/openintent.csv``), shown by the evaluation chapter.
Every figure is at the literature's kind of threshold (95 % of known-intent validation messages kept)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from startup_report.evaluation.openexperiment import gap_sentence, gap_to_best
from startup_report.report.literature import verdict

COLUMNS = ("dataset", "encoder", "known_share", "seed", "method", "od_accuracy", "od_macro_f1", "cpu")
FIGURES = ("od_accuracy", "od_macro_f1")
TUNED = "SupCon-tuned"
GOAL = "DA-ADB"  # the published line the evidence issue set: above it at every share, on both figures


def load(path: Path, dataset: str) -> pd.DataFrame:
    """The CSV's rows of ``dataset``; the error names the missing columns."""
    frame = pd.read_csv(path)
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return frame[frame["dataset"] == dataset].reset_index(drop=True)


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per encoder, known share and rejection rule: mean and sd over draws of both figures, and the draws."""
    grouped = frame.groupby(["encoder", "known_share", "method"], sort=True)
    mean, sd = grouped[list(FIGURES)].mean(), grouped[list(FIGURES)].std(ddof=1).fillna(0.0)
    return mean.join(sd.add_suffix("_sd")).join(grouped["seed"].nunique().rename("draws")).reset_index()


def _best(part: pd.DataFrame, column: str) -> tuple[float, str]:
    row = part.loc[part[column].idxmax()]
    return float(row[column]), str(row["method"])


def comparison(table: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Per known share: the best rule on each encoder and the goal's and the best published method's figures,
    accuracy and macro-F1 each picked separately (so ours are an upper bound, like the chapter's)."""
    rows = []
    for share, ours in table.groupby("known_share"):
        theirs = published[published["known_share"] == share]
        row: dict[str, object] = {"known_share": share}
        for encoder, part in ours.groupby("encoder", sort=False):
            key = "tuned" if encoder == TUNED else "frozen"
            for figure in ("accuracy", "macro_f1"):
                row[f"{key}_{figure}"], row[f"{key}_{figure}_rule"] = _best(part, f"od_{figure}")
        goal = theirs[theirs["method"] == GOAL]
        for figure in ("accuracy", "macro_f1"):
            row[f"goal_{figure}"] = float(goal[figure].iloc[0]) if len(goal) else float("nan")
            if len(theirs):
                row[f"best_{figure}"], row[f"best_{figure}_method"] = _best(theirs, figure)
        rows.append(row)
    return pd.DataFrame(rows)


def shown(comparison_table: pd.DataFrame) -> pd.DataFrame:
    """``comparison`` as the page shows it: per share, "accuracy / macro-F1" in percent for each encoder, the
    goal and the best published method (named, one name when the same method is best on both)."""

    def pair(row: pd.Series, key: str) -> str:
        a, f = row.get(f"{key}_accuracy"), row.get(f"{key}_macro_f1")
        return "—" if pd.isna(a) or pd.isna(f) else f"{100 * a:.1f} / {100 * f:.1f}"

    rows = []
    for _, row in comparison_table.iterrows():
        methods = [str(row.get(f"best_{f}_method", "—")) for f in ("accuracy", "macro_f1")]
        by = methods[0] if methods[0] == methods[1] else " / ".join(methods)
        rows.append({"known": f"{row['known_share']:.0%}", "frozen": pair(row, "frozen"), "tuned": pair(row, "tuned"),
                     GOAL: pair(row, "goal"), "best": pair(row, "best"), "by": by})  # fmt: skip
    return pd.DataFrame(rows)


def _against_goal(part: pd.DataFrame, goal: pd.Series) -> str:
    """``above``, ``not above`` or ``not judged`` (one draw): the best rules of ``part`` (one encoder, one share)
    against ``goal`` on both figures, each judged by its spread over the share's draws."""
    said = []
    for figure in ("accuracy", "macro_f1"):
        best = part.loc[part[f"od_{figure}"].idxmax()]
        margin = float(best[f"od_{figure}"] - goal[figure])
        said.append(verdict(margin, float(best[f"od_{figure}_sd"]), int(best["draws"]), "draw"))
    if any(s.startswith("no verdict") for s in said):
        return "not judged"
    return "above" if all(s == "above" for s in said) else "not above"


def tuned_sentence(table: pd.DataFrame, published: pd.DataFrame) -> str:
    """The tuned encoder's best rules against the best published method per share (each share judged by the
    spread over its own draws), then against the goal, DA-ADB: at how many shares it is above on both figures."""
    tuned = table[table["encoder"] == TUNED]
    if tuned.empty:
        return "Open intent on tuned embeddings has not been measured for this dataset."
    draws = tuned.groupby("known_share")["draws"].min().to_dict()
    text = gap_sentence(gap_to_best(tuned, published), draws, f"{TUNED} embeddings")
    goal = published[published["method"] == GOAL].set_index("known_share")
    shares = [s for s in sorted(draws) if s in goal.index]
    if not shares:
        return text
    said = {s: _against_goal(tuned[tuned["known_share"] == s], goal.loc[s]) for s in shares}
    above = sum(v == "above" for v in said.values())
    unjudged = [f"{s:.0%}" for s, v in said.items() if v == "not judged"]
    text += (
        f" Against {GOAL}, the goal, the tuned encoder is above on both figures, outside its spread over draws, at "
        f"{above} of the {len(shares)} shares measured ({', '.join(f'{s:.0%}' for s in shares)} known)"
    )
    return text + (f"; not judged at {', '.join(unjudged)} (one draw)." if unjudged else ".")
