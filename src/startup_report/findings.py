"""Headline findings computed from the results tables, with the wording chosen by rules, not typed.

The notebooks glue these values into their prose, so a rerun with other parameters rewrites the
sentences along with the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

PRETRAINED_FAMILIES = ("frozen", "finetuned")
BASELINE_FAMILIES = ("classical", "scratch")


def best_accuracy(summary: pd.DataFrame, models: Sequence[str], budget: str = "full") -> str:
    """Best mean accuracy among ``models`` at ``budget``, formatted; says so when none was trained."""
    rows = summary[summary["model"].isin(models) & (summary["budget"] == budget)]
    return f"{rows['accuracy_mean'].max():.1%}" if len(rows) else "(not trained in this run)"


def best_of(summary: pd.DataFrame, families: Sequence[str], budget: str) -> pd.Series | None:
    rows = summary[summary["family"].isin(families) & (summary["budget"] == budget)]
    return rows.loc[rows["accuracy_mean"].idxmax()] if len(rows) else None


def scaling_headlines(summary: pd.DataFrame, budgets: Sequence[int], n_models: int, train_seconds: float) -> dict:
    """The training chapter's summary: pretrained vs not at the smallest budget, and at full data."""
    low = str(min(budgets)) if budgets else "full"
    pre, base = best_of(summary, PRETRAINED_FAMILIES, low), best_of(summary, BASELINE_FAMILIES, low)
    values: dict[str, object] = {
        "low_budget": low,
        "frozen_full": best_accuracy(summary, ["minilm-keras-head", "minilm-logreg"]),
        "finetuned_full": best_accuracy(summary, ["minilm-finetuned"]),
        "tfidf_full": best_accuracy(summary, ["tfidf-logreg"]),
        "trained_models": n_models,
        "total_train_minutes": f"{train_seconds / 60:.1f}",
    }
    if pre is None or base is None:
        values.update(
            pretrained_low="n/a",
            pretrained_low_model="none trained",
            baseline_low="n/a",
            baseline_low_model="none trained",
            margin_low="n/a",
            spread_low="n/a",
            margin_verdict="not comparable with",
        )
        return values
    margin = pre["accuracy_mean"] - base["accuracy_mean"]
    noise = max(pre["accuracy_sd"], base["accuracy_sd"])
    values.update(
        pretrained_low=f"{pre['accuracy_mean']:.1%}",
        pretrained_low_model=pre["model"],
        baseline_low=f"{base['accuracy_mean']:.1%}",
        baseline_low_model=base["model"],
        margin_low=f"{100 * margin:+.1f} points",
        spread_low=f"{100 * noise:.1f} points",
        margin_verdict="larger than" if abs(margin) > noise else "within",
    )
    return values
