"""The model-building and training chapters' tables: the model card and the grid's results as a reader sees them.

Each is one call from a notebook; the model card is also the ``model_card.json`` hand-off, so its keys stay.
"""

from __future__ import annotations

import pandas as pd

from startup_report.modeling.encoder import DIM


def model_card(pooling: int, transformer: int, head: int, encoder: int, n_labels: int) -> pd.DataFrame:
    """Parameters of each model family, in total and trained, from the built models' counts.

    The fine-tuned encoder and SetFit train the whole encoder plus a linear layer of ``DIM + 1`` weights
    per intent; the frozen route trains only its Keras head.
    """
    linear = (DIM + 1) * n_labels
    rows = [
        ("scratch", "embedding-pooling", pooling, pooling),
        ("scratch", "transformer-encoder", transformer, transformer),
        ("frozen", "minilm-keras-head", encoder + head, head),
        ("finetuned", "minilm-finetuned", encoder + linear, encoder + linear),
        ("setfit", "minilm-setfit", encoder + linear, encoder + linear),  # pairs tune the encoder, then a LR
    ]
    return pd.DataFrame(rows, columns=["family", "model", "parameters", "trained parameters"])


def accuracy_by_budget(summary: pd.DataFrame) -> pd.DataFrame:
    """Mean test accuracy and its spread over seeds, one column per label budget (``grid.summarize``'s table).

    A cell that ran one seed has no spread (NaN, not 0.0: one seed says nothing about the spread).
    """
    table = summary.pivot_table(index=["family", "model"], columns="budget", values="accuracy_mean", sort=False)
    table.columns = [f"accuracy @ {c}" for c in table.columns]
    seeds = summary["seeds"] if "seeds" in summary else pd.Series(2, index=summary.index)
    measured = summary.assign(accuracy_sd=summary["accuracy_sd"].where(seeds > 1))
    spread = measured.pivot_table(index=["family", "model"], columns="budget", values="accuracy_sd", sort=False,
                                  dropna=False)
    spread.columns = [f"sd @ {c}" for c in spread.columns]
    return table.join(spread).round(3)


def costs_at_largest_budget(results: pd.DataFrame) -> pd.DataFrame:
    """Per model at the largest budget it trained on: size, compute per message and training time.

    ``results`` is the grid's ``results.csv``; budgets are strings, 'full' counting as the largest.
    """
    order = results["budget"].map(lambda b: float("inf") if b == "full" else float(b))
    largest = results[order == order.groupby(results["model"]).transform("max")]
    costs = largest.groupby(["family", "model"], sort=False).agg(
        parameters=("parameters", "max"),
        gflops_per_message=("flops_per_message", lambda s: s.max() / 1e9),
        size_mb=("size_bytes", lambda s: s.max() / 1e6),
        train_seconds=("train_seconds", "mean"),
        ms_per_message=("ms_per_message", "mean"),
    )
    readable = {
        "gflops_per_message": "GFLOPs per message",
        "size_mb": "size (MB)",
        "train_seconds": "training time (s, mean over seeds)",
        "ms_per_message": "latency (ms per message)",
    }
    return costs.rename(columns=readable).round(4)


def trained_runs(results: pd.DataFrame) -> pd.DataFrame:
    """The runs that were trained: ensembles are blended from stored runs, so they cost no training time."""
    return results[results["family"] != "ensemble"]
