"""The open-world experiment of the evaluation chapter: every known share, seed and rejection rule, and its hand-off.

`openworld` holds the rules and metrics; this module runs them over the grid of the parameters, reads the
embeddings from the per-machine cache (the model-build stage filled it), and builds the table, the
figures' data and the open-world block of ``metrics.json`` with the predictions the market prices.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from startup_report.evaluation import openworld
from startup_report.evaluation.config import EvaluationParams
from startup_report.evaluation.handoff import OpenWorld

MODEL = "minilm-logreg"
HELD_OUT, OUT_OF_SCOPE = "held-out intents", "out-of-scope label"


def embeddings(splits: Mapping[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    """Sentence embeddings of each split's messages, read from the cache (only missing texts are encoded)."""
    from startup_report.modeling.encoder import EmbeddingCache, SentenceEncoder, cache_path

    encoder = SentenceEncoder(EmbeddingCache(cache_path()))
    return {name: encoder.encode(frame["text"].tolist()) for name, frame in splits.items()}


@dataclass(frozen=True)
class Experiment:
    source: str
    table: pd.DataFrame  # one row per (known share, seed, method)
    outcomes: dict[tuple[float, int, str], openworld.Outcome]
    seconds: float


def run(
    x: Mapping[str, np.ndarray],
    y: Mapping[str, np.ndarray],
    n_labels: int,
    config: EvaluationParams,
    c: float,
    seed: int,
    out_of_scope: int | None = None,
) -> Experiment:
    """Each known share x seed (held-out intents), or the one real out-of-scope split, each rejection rule."""
    start = time.perf_counter()
    methods = tuple(config.openworld_methods)
    if out_of_scope is not None:
        known = np.setdiff1d(np.arange(n_labels), [out_of_scope])
        splits = [(round(len(known) / n_labels, 4), seed, known)]
        source = OUT_OF_SCOPE
    else:
        splits = [
            (share, seed + i, openworld.choose_known(n_labels, share, seed + i))
            for share in config.openworld_known_shares
            for i in range(config.openworld_seeds)
        ]
        source = HELD_OUT
    rows, outcomes = [], {}
    for share, split_seed, known in splits:
        for method, outcome in openworld.evaluate_split(
            dict(x), dict(y), known, config.target_precision, c, split_seed, methods
        ).items():
            outcomes[(share, split_seed, method)] = outcome
            rows.append(
                {
                    "known_share": share,
                    "seed": split_seed,
                    "n_known": len(known),
                    "method": method,
                    "n_test": len(outcome.y_true_open),
                    "n_unknown": int(np.sum(outcome.y_true_open == openworld.OPEN)),
                    **outcome.figures,
                }
            )
    return Experiment(source, pd.DataFrame(rows), outcomes, time.perf_counter() - start)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds per known share and rule, the literature's columns first."""
    columns = [
        "accuracy",
        "macro_f1",
        "known_macro_f1",
        "open_f1",
        "known_accuracy",
        "closed_accuracy",
        "automation_rate",
        "automation_precision",
        "closed_automation_rate",
        "unknown_automated",
        "od_accuracy",
        "od_macro_f1",
        "od_open_f1",
        "od_known_macro_f1",
    ]
    grouped = table.groupby(["known_share", "method"], sort=True)[columns]
    mean, sd = grouped.mean(), grouped.std(ddof=1).fillna(0.0)
    return mean.join(sd.add_suffix("_sd")).reset_index()


def chosen_share(experiment: Experiment, share: float) -> float:
    """The hand-off's known share: the parameter, or the real out-of-scope split's (the only one)."""
    shares = sorted(experiment.table["known_share"].unique())
    return shares[0] if experiment.source == OUT_OF_SCOPE else share


def handoff(experiment: Experiment, share: float, method: str) -> OpenWorld:
    """The open-world block of metrics.json: the chosen share and rule, averaged over the seeds."""
    share = chosen_share(experiment, share)
    rows = experiment.table[(experiment.table["known_share"] == share) & (experiment.table["method"] == method)]
    return OpenWorld(
        source=experiment.source,
        model=MODEL,
        rejection=method,
        known_share=share,
        seeds=len(rows),
        automation_rate=float(rows["automation_rate"].mean()),
        automation_rate_sd=float(rows["automation_rate"].std(ddof=1)) if len(rows) > 1 else 0.0,
        automation_precision=float(rows["automation_precision"].mean()),
        closed_automation_rate=float(rows["closed_automation_rate"].mean()),
        closed_automation_precision=float(rows["closed_automation_precision"].mean()),
        unknown_automated=float(rows["unknown_automated"].mean()),
        known_accuracy=float(rows["known_accuracy"].mean()),
        open_f1=float(rows["open_f1"].mean()),
    )


def handoff_predictions(experiment: Experiment, labels: np.ndarray, share: float, method: str) -> pd.DataFrame:
    """Every test message of every seed at the hand-off's share and rule: true intent, predicted known intent,
    the rule's score and whether it was answered automatically. The market prices these rows."""
    share = chosen_share(experiment, share)
    labels = np.asarray(labels)
    frames = []
    for (s, seed, m), outcome in experiment.outcomes.items():
        if s == share and m == method:
            truth = outcome.y_true_open
            frames.append(
                pd.DataFrame(
                    {
                        "seed": seed,
                        "open": truth == openworld.OPEN,
                        "predicted": labels[outcome.predicted],
                        "confidence": outcome.score,
                        "automated": outcome.decided != openworld.OPEN,
                        "correct": openworld.automated_correct(truth, outcome.decided),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


LITERATURE_COLUMNS = ["known_share", "method", "accuracy", "macro_f1", "open_f1", "known_macro_f1"]


def against_literature(summary: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Ours per rule (mean over draws) at both operating points beside every published method at the same
    known shares, same columns: the literature's kind of threshold (95 % of known validation messages kept)
    is the like-for-like comparison; the target-precision one is what the market is sold."""
    detect = {f"od_{c}": c for c in ("accuracy", "macro_f1", "open_f1", "known_macro_f1")}
    ours_od = summary[["known_share", "method", *detect]].rename(columns=detect)
    ours_od = ours_od.assign(source="ours: MiniLM frozen + LR, threshold keeps 95 % of known validation")
    ours = summary[LITERATURE_COLUMNS].assign(source="ours: MiniLM frozen + LR, threshold for the target")
    theirs = published[published["known_share"].isin(summary["known_share"])][LITERATURE_COLUMNS]
    both = pd.concat([ours_od, ours, theirs.assign(source="published (BERT-base fine-tuned)")], ignore_index=True)
    return both.sort_values(["known_share", "source", "method"]).reset_index(drop=True)


def gap_to_best(summary: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Per known share: our best rule at the literature's kind of threshold against the best published method,
    on accuracy and on macro-F1 (each picked separately), and the gaps in points (negative: below)."""
    rows = []
    for share, ours in summary.groupby("known_share"):
        theirs = published[published["known_share"] == share]
        if theirs.empty:
            continue
        row: dict[str, object] = {"known_share": share}
        for figure in ("accuracy", "macro_f1"):
            best_ours = ours.loc[ours[f"od_{figure}"].idxmax()]
            best_theirs = theirs.loc[theirs[figure].idxmax()]
            row |= {
                f"our_{figure}": float(best_ours[f"od_{figure}"]),
                f"our_{figure}_sd": float(best_ours.get(f"od_{figure}_sd", 0.0)),
                f"our_{figure}_rule": best_ours["method"],
                f"published_{figure}": float(best_theirs[figure]),
                f"published_{figure}_method": best_theirs["method"],
                f"{figure}_gap_points": 100 * float(best_ours[f"od_{figure}"] - best_theirs[figure]),
            }
        rows.append(row)
    return pd.DataFrame(rows)


def gap_sentence(
    gaps: pd.DataFrame, draws: int | Mapping[float, int] | None = None, embeddings: str = "frozen embeddings"
) -> str:
    """The gap to the best published method per known share, worded from ``gap_to_best``; with the number of
    draws (one for all shares, or per share), each gap is judged by our spread over draws
    (``literature.verdict``). ``embeddings`` names what the rules ran on."""
    from startup_report.report.literature import verdict

    if gaps.empty:
        return "No published open-world result shares a known-intent ratio with this run."

    def judged(r, figure: str) -> str:
        gap = getattr(r, f"{figure}_gap_points")
        text = f"{gap:+.1f} points"
        if draws is not None:
            n = draws.get(r.known_share, 0) if isinstance(draws, Mapping) else draws
            text += f" ({verdict(gap / 100, getattr(r, f'our_{figure}_sd'), n, 'draw')})"
        return text

    parts = [
        f"at {r.known_share:.0%} known, {r.our_accuracy:.1%} accuracy and {r.our_macro_f1:.1%} macro-F1 against "
        f"{r.published_accuracy:.1%} ({r.published_accuracy_method}) and {r.published_macro_f1:.1%} "
        f"({r.published_macro_f1_method}): {judged(r, 'accuracy')} and {judged(r, 'macro_f1')}"
        for r in gaps.itertuples()
    ]
    lead = (
        f"With thresholds of the literature's kind, the best of our rules on {embeddings} (picked per figure "
        "on the test set, so an upper bound for us) reads "
    )
    return lead + "; ".join(parts) + "."


def sentences(summary: pd.DataFrame, world: OpenWorld, target: float, seconds: float) -> dict[str, str]:
    """The two figures' captions' last sentence and the summary's open-world values, worded from the numbers."""
    rows = summary[summary["known_share"] == world.known_share].set_index("method")
    rule = {
        "max_probability": "the top probability",
        "centroid_distance": "the distance to the class centre",
        "knn_similarity": "the distance to the nearest known message",
        "class_boundary": "a per-intent boundary",
    }
    tradeoff = "; ".join(
        f"rejection by {rule[m]} keeps a known-intent accuracy of {r.known_accuracy:.1%} at an open-class F1 of "
        f"{r.open_f1:.2f}"
        for m, r in rows.iterrows()
    )
    where = (
        f"with {world.known_share:.0%} of the intents known"
        if world.source == HELD_OUT
        else "with the out-of-scope messages mixed in"
    )
    automation = (
        f"{where.capitalize()}, the model answers {world.closed_automation_rate:.1%} of known-intent messages "
        f"(precision {world.closed_automation_precision:.1%}) but {world.automation_rate:.1%} of all messages at a "
        f"precision of {world.automation_precision:.1%} against a target of {target:.0%}: it answers "
        f"{world.unknown_automated:.1%} of the unknown-intent messages, each one wrongly"
    )
    return {
        "openworld_tradeoff": f"At the thresholds chosen on validation {where}, {tradeoff}.",
        "openworld_automation_text": automation + ".",
        "openworld_automation": f"{world.automation_rate:.1%}",
        "openworld_precision": f"{world.automation_precision:.1%}",
        "openworld_closed": f"{world.closed_automation_rate:.1%}",
        "openworld_seconds": f"{seconds:.0f} s",
        "openworld_setting": f"{world.known_share:.0%} of intents known"
        if world.source == HELD_OUT
        else "out-of-scope messages mixed in",
    }


def first_draw_curves(world: Experiment) -> dict[tuple[float, str], dict[str, np.ndarray]]:
    """The trade-off curve of each (known share, rule) in the first draw of the known intents (one figure)."""
    first = world.table["seed"].min()
    return {(share, method): o.curve for (share, s, method), o in world.outcomes.items() if s == first}


def first_draw_automation(world: Experiment, rejection: str) -> dict[float, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Per known share, closed- and open-world precision against share answered, first draw, one rejection rule."""
    first = world.table["seed"].min()
    return {
        share: openworld.precision_curves(o)
        for (share, s, method), o in world.outcomes.items()
        if s == first and method == rejection
    }
