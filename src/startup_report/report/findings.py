"""Headline findings computed from the results tables, with the wording chosen by rules, not typed.

The notebooks glue these values into their prose, so a rerun with other parameters rewrites the
sentences along with the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
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


def bubble_or_gold_mine(p_npv_positive: float) -> str:
    """The report's one-line answer, worded by thresholds on P(NPV > 0)."""
    if p_npv_positive >= 0.6:
        return "more gold mine than bubble"
    if p_npv_positive < 0.4:
        return "more bubble than gold mine"
    return "a coin toss between bubble and gold mine"


def plan_verdict(p_npv_positive: float, p_runway_short: float, npv_base: float, hurdle: float = 0.6) -> str:
    """Whether the plan clears its hurdle: positive base NPV, P(NPV > 0) at least ``hurdle``, funding risk < 50%."""
    if npv_base <= 0 or p_npv_positive < hurdle:
        return "does not clear its hurdle: change the inputs that move NPV most before raising"
    if p_runway_short >= 0.5:
        return "creates value but runs out of cash in most draws: raise more or cut burn before scaling"
    return "clears its hurdle: raise on this plan"


def route_advice(volume: float, cheapest: str, own_wins_above: float, api_wins_above: float) -> str:
    """Which route to run at the assumed volume, and where the cheapest route changes."""
    parts = [f"At {volume:,.0f} contacts a month the cheapest route is {cheapest}"]
    if np.isfinite(own_wins_above):
        parts.append(f"our own model beats the LLM API above {own_wins_above:,.0f} contacts a month")
    else:
        parts.append("the LLM API stays cheaper than our own model at every volume")
    if np.isfinite(api_wins_above):
        parts.append(f"the LLM API beats human agents alone above {api_wins_above:,.0f}")
    return "; ".join(parts)


def money(usd: float) -> str:
    """USD in millions or billions, for prose."""
    if abs(usd) >= 1e9:
        return f"${usd / 1e9:.1f} billion"
    return f"${usd / 1e6:.1f} million"
