"""Headline findings computed from the results tables, with the wording chosen by rules, not typed.

The notebooks glue these values into their prose, so a rerun with other parameters rewrites the
sentences along with the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

PRETRAINED_FAMILIES = ("frozen", "finetuned", "setfit", "ensemble")
#: The three ways of using the pretrained encoder that the few-shot comparison names.
ENCODER_ROUTES = {"minilm-logreg": "frozen encoder", "minilm-finetuned": "fine-tuning", "minilm-setfit": "SetFit"}
BASELINE_FAMILIES = ("classical", "scratch")


def best_accuracy(summary: pd.DataFrame, models: Sequence[str], budget: str = "full") -> str:
    """Best mean accuracy among ``models`` at ``budget``, formatted; says so when none was trained."""
    rows = summary[summary["model"].isin(models) & (summary["budget"] == budget)]
    return f"{rows['accuracy_mean'].max():.1%}" if len(rows) else "(not trained in this run)"


def best_of(summary: pd.DataFrame, families: Sequence[str], budget: str) -> pd.Series | None:
    rows = summary[summary["family"].isin(families) & (summary["budget"] == budget)]
    return rows.loc[rows["accuracy_mean"].idxmax()] if len(rows) else None


def spread(sd: float, seeds: int, digits: int = 1) -> str:
    """'± 0.4 % over 3 seeds' (``digits`` after the point), or 'one seed' where a spread cannot be measured (no
    "± 0.0 %")."""
    return f"± {sd:.{digits}%} over {seeds} seeds" if seeds > 1 else "one seed"


def encoder_routes(summary: pd.DataFrame, budgets: Sequence[int]) -> str:
    """Per few-shot budget, the routes of ``ENCODER_ROUTES`` ranked by mean accuracy, as one sentence."""
    parts = []
    for budget in budgets:
        rows = summary[summary["model"].isin(list(ENCODER_ROUTES)) & (summary["budget"] == str(budget))]
        rows = rows.sort_values("accuracy_mean", ascending=False)
        ranked = [f"{ENCODER_ROUTES[r.model]} {r.accuracy_mean:.1%} ({spread(r.accuracy_sd, r.seeds)})"
                  for r in rows.itertuples()]
        if ranked:
            parts.append(f"with {budget} examples per intent, " + ", then ".join(ranked))
    return ("; ".join(parts) + ".") if parts else "No pretrained route was trained at a few-shot budget."


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
    if min(pre.get("seeds", 2), base.get("seeds", 2)) < 2:  # one seed measures no spread: say so, not "0.0"
        values.update(spread_low="unknown with one seed", margin_verdict="not comparable with")
    return values


@dataclass(frozen=True)
class Thresholds:
    """The verdict's thresholds: parameters, printed in the book next to the verdict."""

    gold_mine: float  # P(NPV > 0) without exit at or above this, with funding risk in bounds: gold mine
    bubble: float  # P(NPV > 0) with exit below this: bubble
    max_failure: float  # largest acceptable share of draws that cannot raise the money they need


def verdict(p_no_exit: float, p_with_exit: float, p_fail: float, t: Thresholds) -> str:
    """'Bubble or gold mine?' from the no-exit probability and the funding risk together, with the numbers.

    Gold mine: the business pays for itself without an exit and rarely fails to raise. Bubble: even the exit
    does not make NPV positive in enough draws, or both the no-exit odds and the funding risk are bad.
    In between, the value rests on the exit: a bet on the exit, not a business yet.
    """
    numbers = (
        f"P(NPV > 0) is {p_no_exit:.0%} without the exit and {p_with_exit:.0%} with it; "
        f"{p_fail:.0%} of draws cannot raise the money they need"
    )
    if p_no_exit >= t.gold_mine and p_fail <= t.max_failure:
        label = "more gold mine than bubble"
    elif p_with_exit < t.bubble or (p_no_exit < t.bubble and p_fail > t.max_failure):
        label = "more bubble than gold mine"
    elif p_no_exit < t.gold_mine:
        label = "a bet on the exit rather than a business that pays for itself"
    else:
        label = "a business that pays for itself but may not survive its funding gaps"
    return f"{label} ({numbers})"


def base_case_story(
    runway_months: float,
    months: int,
    need: float,
    rounds: pd.DataFrame,
    stages: list[str],
    max_dilution: float,
    runway_target: float,
) -> str:
    """What happens to the base case's cash: enough, staged rounds at stated terms, or a stop at a failed round."""
    if need <= 0:
        return f"In the base case the starting cash lasts the whole {months}-month plan, so no raise is needed."
    start = (
        f"In the base case cash runs out in month {runway_months:.0f} and the plan's shortfall is {money(need)}; "
        f"it raises one round in each {runway_target:.0f}-month funding period that needs cash"
    )

    def stage(row: pd.Series) -> str:
        i = int(row.get("stage", 0))
        return f"a {stages[i]} round" if stages and 0 <= i < len(stages) else "a round"

    closed = rounds[~rounds["failed"]]
    parts = [
        f"{stage(r)} in month {r['month']:.0f}: {money(r['amount (USD)'])} at {money(r['pre-money (USD)'])} "
        f"pre-money, {r['dilution']:.0%} of the company"
        for _, r in closed.iterrows()
    ]
    done = f" ({'; '.join(parts)})" if parts else ""
    failed = rounds[rounds["failed"]]
    if failed.empty:
        kept = float(np.prod(1.0 - closed["dilution"]))
        return (
            f"{start}{done}. Today's owners keep {kept:.0%} of everything after, the raised cash included, "
            "and of the exit."
        )
    row = failed.iloc[0]
    name = stage(row)
    why = (
        f"the company has not reached the {stages[0] if stages else 'first'} ARR milestone"
        if row["missed milestone"]
        else f"it would sell {row['dilution']:.0%} of the company, above the {max_dilution:.0%} cap"
    )
    return (
        f"{start}{done}. The round in month {row['month']:.0f} ({name}) fails ({why}), so today's owners lose "
        "the company and never see the exit."
    )


def _figure(value: float) -> str:
    """A plan figure for prose: infinite where a payback never comes (no margin per client) reads as 'never'."""
    return f"{value:.1f}" if np.isfinite(value) else "never (no margin to pay it back)"


def benchmark_note(checks: pd.DataFrame) -> str:
    """A visible note naming every plan figure that lies outside its sourced benchmark range."""
    outside = checks[checks["outside"]]
    if outside.empty:
        return "Every checked figure lies within its sourced benchmark range."
    parts = [
        f"{r['metric']} is {_figure(r['ours'])} against {r['benchmark low']:g}-{r['benchmark high']:g} "
        f"({r['benchmark']})"
        for _, r in outside.iterrows()
    ]
    return "Outside the sourced benchmarks: " + "; ".join(parts) + "."


def verdict_label(text: str) -> str:
    """The verdict without its numbers, for a headline."""
    return text.split(" (")[0]


def route_advice(volume: float, cheapest: str, own_wins_above: float, api_wins_above: float) -> str:
    """Which route to run at the assumed volume, and where the cheapest route changes."""
    parts = [f"At {volume:,.0f} contacts a month the cheapest route is {cheapest}"]
    if own_wins_above == 0:
        parts.append("our own model is cheaper than the LLM API at every volume")
    elif np.isfinite(own_wins_above):
        parts.append(f"our own model beats the LLM API above {own_wins_above:,.0f} contacts a month")
    else:
        parts.append("the LLM API stays cheaper than our own model at every volume")
    if np.isfinite(api_wins_above):
        parts.append(f"the LLM API beats human agents alone above {api_wins_above:,.0f}")
    return "; ".join(parts)


def money(usd: float) -> str:
    """USD in millions or billions, for prose."""
    sign = "-" if usd < 0 else ""
    if abs(usd) >= 1e9:
        return f"{sign}${abs(usd) / 1e9:.1f} billion"
    return f"{sign}${abs(usd) / 1e6:.1f} million"


def balance_verdict(min_per_class: int, max_per_class: int) -> str:
    """The class-balance clause of the data chapter, from the smallest and largest training counts."""
    ratio = max_per_class / max(min_per_class, 1)
    if ratio <= 1.25:
        return f"so the classes are close to balanced (the largest has {ratio:.2f} times the smallest)"
    if ratio <= 2.0:
        return f"so the classes are roughly but not exactly balanced (the largest has {ratio:.1f} times the smallest)"
    return f"so the classes are imbalanced: the largest has {ratio:.1f} times the examples of the smallest"


def length_summary(texts: pd.Series) -> str:
    """Median and 95th-percentile message length in words: what a sequence length must cover."""
    words = texts.str.split().str.len()
    return (
        f"the median message has {words.median():.0f} words, 95 % have at most {words.quantile(0.95):.0f} "
        f"and the longest {words.max():.0f}"
    )


def finite(value: float | None) -> float | None:
    """A float for JSON, None where it is missing or infinite."""
    return float(value) if value is not None and np.isfinite(value) else None
