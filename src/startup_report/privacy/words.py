"""The privacy chapter's sentences, worded from its results (glued into the page, never typed by hand).

Each function returns ``{glue name: text}``; the wording (rises/falls, closes/keeps a gap) follows the
numbers, so a different dataset or seed cannot leave a stale claim on the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from startup_report.privacy.config import PrivacyParams


def pct(x: float) -> str:
    return f"{x:.1%}"


def points(x: float) -> str:
    """A difference of two fractions in percentage points."""
    return f"{abs(x) * 100:.1f} percentage points"


def usd(x: float) -> str:
    return f"${x:,.2f}" if abs(x) < 1000 else f"${x:,.0f}"


def musd(x: float) -> str:
    sign = "-" if x < 0 else ""
    return f"{sign}${abs(x) / 1e6:,.1f} million"


def eps(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:g}"


def skew_headlines(skew: pd.DataFrame, config: PrivacyParams) -> dict[str, str]:
    alphas = sorted({*config.alphas, config.alpha})
    low, high = skew.loc[f"α = {alphas[0]:g}"], skew.loc[f"α = {alphas[-1]:g}"]
    return {
        "skew_clients": str(config.clients),
        "skew_low_alpha": f"{alphas[0]:g}",
        "skew_high_alpha": f"{alphas[-1]:g}",
        "skew_low_tv": f"{low['tv_distance']:.2f}",
        "skew_high_tv": f"{high['tv_distance']:.2f}",
        "skew_low_covered": pct(low["intents_covered"]),
    }


def federation_headlines(federation: pd.DataFrame, central_accuracy: float, config: PrivacyParams) -> dict[str, str]:
    final = federation.groupby(["clients", "alpha"]).last()["accuracy"]
    at_k = final.xs(config.clients, level="clients").sort_index()
    low, high = at_k.index[0], at_k.index[-1]
    gap_low = central_accuracy - at_k[low]
    by_count = final.xs(config.alpha, level="alpha").sort_index()
    fewest, most = by_count.index[0], by_count.index[-1]
    change = by_count[most] - by_count[fewest]
    closes = "comes within one percentage point of" if abs(gap_low) <= 0.01 else "stays " + points(gap_low) + (
        " below" if gap_low > 0 else " above")  # fmt: skip
    rounds = (
        f"After {config.rounds} rounds, FedAvg with {config.clients} banks reaches {pct(at_k[high])} test accuracy "
        f"at α = {high:g} and {pct(at_k[low])} at α = {low:g}, against {pct(central_accuracy)} for central "
        f"training: the most skewed federation {closes} central training."
    )
    axes = (
        f"Going from {fewest} to {most} banks at α = {config.alpha:g} "
        f"{'raises' if change > 0 else 'lowers'} final accuracy by {points(change)} "
        f"({pct(by_count[fewest])} to {pct(by_count[most])}); skew moves it by {points(at_k[high] - at_k[low])} "
        f"between α = {high:g} and α = {low:g}."
    )
    return {
        "central_epochs": str(config.rounds * config.local_epochs),
        "fed_rounds": str(config.rounds),
        "fed_local_epochs": str(config.local_epochs),
        "fed_clients": str(config.clients),
        "fed_alpha": f"{config.alpha:g}",
        "fed_rounds_sentence": rounds,
        "fed_axes_sentence": axes,
        "summary_federated": f"Federated averaging over {config.clients} simulated banks reached "
        f"{pct(at_k[low])} test accuracy on the most skewed split (α = {low:g}) and {pct(at_k[high])} on the most "
        f"even (α = {high:g}), against {pct(central_accuracy)} for central training on the same messages.",
    }


def _row(sweep: pd.DataFrame, setting: str, epsilon: float) -> pd.Series:
    return sweep[(sweep["setting"] == setting) & (sweep["epsilon"] == epsilon)].iloc[0]


def privacy_headlines(sweep: pd.DataFrame, config: PrivacyParams) -> dict[str, str]:
    settings = list(dict.fromkeys(sweep["setting"]))
    smallest, largest = min(config.epsilons), max(config.epsilons)
    parts = []
    for setting in settings:
        none, lo, hi = (_row(sweep, setting, e) for e in (math.inf, smallest, largest))
        parts.append(
            f"{setting[0].upper() + setting[1:]} training goes from {pct(none['accuracy'])} test accuracy without "
            f"DP to {pct(hi['accuracy'])} at ε = {eps(largest)} and {pct(lo['accuracy'])} at ε = {eps(smallest)}."
        )
    central_lo, central_none = _row(sweep, settings[0], smallest), _row(sweep, settings[0], math.inf)
    return {
        "dp_clip": f"{config.max_grad_norm:g}",
        "dp_sentence": " ".join(parts),
        "summary_dp": f"Differential privacy at ε = {eps(smallest)} cost central training "
        f"{points(central_none['accuracy'] - central_lo['accuracy'])} of accuracy.",
    }


def automation_headlines(table: pd.DataFrame, config: PrivacyParams, target: float) -> dict[str, str]:
    smallest, largest = min(config.epsilons), max(config.epsilons)
    parts = []
    for setting in dict.fromkeys(table["setting"]):
        none, lo, hi = (_row(table, setting, e) for e in (math.inf, smallest, largest))
        parts.append(
            f"{setting[0].upper() + setting[1:]} training answers {pct(none['automation_rate'])} of test messages "
            f"alone without DP, {pct(hi['automation_rate'])} at ε = {eps(largest)} and "
            f"{pct(lo['automation_rate'])} at ε = {eps(smallest)}."
        )
    return {"dp_target": pct(target), "auto_sentence": " ".join(parts)}


def cost_headlines(cost: pd.DataFrame, monthly_contacts: int) -> dict[str, str]:
    setting = cost["setting"].iloc[0]
    smallest = min(e for e in cost["epsilon"] if not math.isinf(e))
    none, lo = _row(cost, setting, math.inf), _row(cost, setting, smallest)
    worst = cost.loc[cost["extra_usd_per_contact"].idxmax()]
    sentence = (
        f"For {setting} training, ε = {eps(smallest)} moves the cost per contact from {usd(none['usd_per_contact'])} "
        f"to {usd(lo['usd_per_contact'])} ({usd(lo['extra_usd_per_client_month'])} a month for a client with "
        f"{monthly_contacts:,} contacts) and the plan NPV from {musd(none['npv_usd'])} to {musd(lo['npv_usd'])}."
    )
    if (worst["setting"], worst["epsilon"]) != (setting, smallest):
        sentence += (
            f" The dearest setting, {worst['setting']} at ε = {eps(worst['epsilon'])}, adds "
            f"{usd(worst['extra_usd_per_contact'])} per contact."
        )
    return {
        "cost_sentence": sentence,
        "summary_money": f"In money, the strictest budget adds {usd(lo['extra_usd_per_contact'])} per contact to "
        f"{setting} training and changes the plan NPV by {musd(lo['npv_change_usd'])}.",
    }


def explanation_headlines(explained: Sequence, model: str) -> dict[str, str]:
    if not explained:
        return {"explained_n": "0", "explained_model": model, "explain_sentence": "The model made no mistakes."}
    first = explained[0]
    top = first.words.sort_values("change_predicted", ascending=False).iloc[0]
    sentence = (
        f"The most confident mistake, “{first.text}”, was read as {first.predicted} "
        f"(p = {first.p_predicted:.2f}) instead of {first.true_intent}; removing “{top['word']}” alone lowers "
        f"that probability by {top['change_predicted']:.2f}."
    )
    return {"explained_n": str(len(explained)), "explained_model": model, "explain_sentence": sentence}
