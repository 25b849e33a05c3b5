"""The strategy chapter's recommendations, each worded by a rule from the numbers.

Every rule returns plain text (glued into prose, so no markup) that starts with the action, then states
the number that triggered it and what would change it, so a rerun with other inputs rewrites the advice
along with the figures. Each rule has a unit test (tests/test_recommend.py) for every branch.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from startup_report.report.findings import money


def route(volume: float, cheapest: str, own_above: float, own_cost: float, llm_cost: float) -> str:
    """Which router to run, from the cheapest route at the assumed volume and the break-even."""
    if cheapest.startswith("our router"):
        change = (
            f"it would change below {own_above:,.0f} contacts a month, where the LLM API router is cheaper"
            if math.isfinite(own_above) and own_above > 0
            else "no volume makes the LLM API router cheaper on these prices"
        )
        return (
            f"Run our own router. At {volume:,.0f} contacts a month a contact costs {own_cost:.2f} USD on our "
            f"router against {llm_cost:.2f} USD through an LLM API; {change}."
        )
    if cheapest.startswith("LLM"):
        return (
            f"Start on an LLM API router, switch later. At {volume:,.0f} contacts a month the API route costs "
            f"{llm_cost:.2f} USD a contact against {own_cost:.2f} USD on ours; ours wins above "
            f"{own_above:,.0f} contacts a month."
        )
    return (
        f"Do not automate this client yet. At {volume:,.0f} contacts a month human agents alone are cheapest "
        f"({own_cost:.2f} USD a contact on our router); a larger client or a cheaper fixed cost would change it."
    )


def pricing(table: pd.DataFrame, current: str) -> str:
    """Which pricing to offer: the option with the highest operating NPV on the same plan, and whether any of
    them earns money at all (a best option that still loses money is said to lose it)."""
    column = "operating NPV (USD m)"
    best = table.sort_values(column, ascending=False).iloc[0]
    now = table.set_index("pricing").loc[current]
    if best[column] < 0:
        return (
            f"Every pricing option loses money on this plan: the best, {best['pricing'].replace('_', ' ')}, still has "
            f"an operating NPV of {best[column]:.1f} USD m (now {current.replace('_', ' ')}, {now[column]:.1f}); "
            "pricing alone cannot fix it, a larger client, a higher resolved share or a lower acquisition cost must."
        )
    if best["pricing"] == current:
        return (
            f"Keep pricing {current.replace('_', ' ')}. It gives the highest operating NPV on the same plan "
            f"({best[column]:.1f} USD m); another option would win if it beat that figure."
        )
    return (
        f"Price {best['pricing'].replace('_', ' ')}, not {current.replace('_', ' ')}. On the same plan it adds "
        f"{best[column] - now[column]:.1f} USD m of operating NPV ({best[column]:.1f} against {now[column]:.1f}); "
        "a different seat price or platform fee would change the ranking."
    )


def go_to_market(table: pd.DataFrame) -> str:
    """Which customers to sell to first: the table's first row (the segment the report's plan sells to, picked by
    its odds), its CAC payback against the benchmark."""
    best = table.iloc[0]
    low, high = table.attrs.get("benchmark", (math.nan, math.nan))
    if not math.isfinite(best["CAC payback (months)"]):
        paying = table[np.isfinite(table["CAC payback (months)"].astype(float))]
        if paying.empty:
            return "No go-to-market option pays back its acquisition cost on these margins: fix unit economics first."
        other = paying.sort_values("CAC payback (months)").iloc[0]
        return (
            f"{best['option']} has the best odds, but one client there never pays back its acquisition cost on "
            f"these margins ({other['option']}: {other['CAC payback (months)']:.0f} months): fix unit economics "
            "before selling."
        )
    payback = best["CAC payback (months)"]
    verb = "faster than" if payback < low else ("within" if payback <= high else "slower than")
    return (
        f"Sell to {best['option']} first. One client pays back its acquisition cost in "
        f"{payback:.0f} months, {verb} the SaaS median of {low:.0f}-{high:.0f} months; "
        f"a CAC or client size that pushes payback past {high:.0f} months would change it."
    )


def data_moat(table: pd.DataFrame, horizon_months: float = 12.0) -> str:
    """Whether to buy more labels: payback of ten more labelled examples per intent against a horizon."""
    row = table.set_index("extra examples per intent").loc[10]
    payback = row["payback (months)"]
    if math.isfinite(payback) and payback <= horizon_months:
        return (
            "Label more data: it is the moat. Ten more examples per intent cost "
            f"{row['labelling cost (USD)']:,.0f} USD and pay back in {payback:.1f} months across today's clients; "
            f"it would stop paying above {horizon_months:.0f} months, with fewer clients or a flatter learning curve."
        )
    shown = f"pay back in {payback:.0f} months" if math.isfinite(payback) else "never pay back"
    return (
        f"Do not buy labels yet. Ten more examples per intent {shown}, beyond {horizon_months:.0f} months; "
        "more clients or cheaper labels would change it."
    )


def funding(odds: dict, base_need: float, months: int, max_failure: float = 0.2) -> str:
    """How much to raise: from the funding need of the base case and across draws, and the share of draws whose
    rounds fail (too much dilution or a missed milestone). Where most draws cannot raise, it says so first."""
    need = money(max(base_need, odds["funding_need_median"]))
    if base_need <= 0 and odds["p_needs_raise"] < 0.1:
        return (
            f"The starting cash is enough. Only {odds['p_needs_raise']:.0%} of draws need more money within "
            f"{months} months; a slower sales ramp or a larger team would change it."
        )
    if odds["p_fail"] >= 0.5:
        return (
            f"Do not count on raising: {odds['p_fail']:.0%} of draws fail a round (too much dilution or a missed "
            f"ARR milestone), so the {need} the plan needs is not there to be raised on these terms. Cut the burn or "
            "reach the next round's milestone sooner; a cheaper plan or faster revenue would change it."
        )
    caveat = (
        f"and {odds['p_fail']:.0%} fail a round, more than the {max_failure:.0%} the verdict accepts"
        if odds["p_fail"] > max_failure
        else f"and {odds['p_fail']:.0%} fail a round on the stated terms"
    )
    return (
        f"Raise {need} more, early. {odds['p_needs_raise']:.0%} of draws run out of cash (90th percentile need "
        f"{money(odds['funding_need_p90'])}), {caveat}; faster revenue would shrink the need."
    )


def margin(checks: pd.DataFrame) -> str:
    """Whether the cost of revenue needs work: last-year gross margin against the sourced AI and SaaS range."""
    row = checks.set_index("metric").loc["gross margin, last plan year (%)"]
    if math.isnan(row["ours"]):
        return (
            "Find something to bill before anything else. The plan earns no revenue in its last year, so it has "
            "no gross margin; resolvable intents, a seat price or a platform fee would change it."
        )
    if row["ours"] < row["benchmark low"]:
        return (
            f"Cut the cost to serve a client before scaling. The plan's last-year gross margin is "
            f"{row['ours']:.0f}%, below the {row['benchmark low']:.0f}% AI-product benchmark; a lower fixed cost "
            "per client or a higher price would lift it."
        )
    return (
        f"Gross margin is not the constraint. The plan's last-year gross margin is {row['ours']:.0f}%, "
        f"within or above the {row['benchmark low']:.0f}-{row['benchmark high']:.0f}% benchmark range; "
        "it would become one if the fixed cost per client rose."
    )


def exit_dependence(odds: dict, exit_multiple: float, stands: float = 0.5) -> str:
    """Whether the plan leans on the exit: the gap between P(NPV > 0) with and without it. `stands` is the
    verdict's gold-mine threshold, so this rule and the verdict draw the line in the same place."""
    without, with_exit = odds["p_npv_positive_no_exit"], odds["p_npv_positive"]
    gap = with_exit - without
    if without >= stands:
        return (
            f"The plan stands without the exit. P(NPV > 0) is {without:.0%} on operating cash flows alone; "
            f"the {exit_multiple:g}x revenue exit adds {gap:.0%}. Lower margins would make it lean on the exit."
        )
    if gap > 0.2:
        return (
            f"Do not pitch the exit as the plan. The {exit_multiple:g}x revenue exit adds {gap:.0%} to P(NPV > 0) "
            f"({without:.0%} without it, {with_exit:.0%} with it); operating profit by the last plan year would "
            "change this."
        )
    return (
        f"Fix the unit economics before pitching. Neither operations nor the {exit_multiple:g}x exit carry the "
        f"plan: P(NPV > 0) is {without:.0%} without the exit and {with_exit:.0%} with it; a larger client, a higher "
        "resolved share or a lower acquisition cost would change it."
    )


def conflicts(
    verdict_label: str, recs: list[str], odds: dict, base_need: float, best_operating_npv: float
) -> list[str]:
    """Every contradiction between the verdict, the numbers and the recommendations (empty when they agree):
    the pairs the summary must never hold together."""
    found = []
    starts = [r.split(".")[0] for r in recs]
    gold = verdict_label.startswith("more gold mine")
    if odds["p_fail"] >= 0.5 and any(r.startswith("Raise ") for r in recs):
        found.append("advises raising while most draws cannot raise")
    if base_need > 0 and any(r.startswith("The starting cash is enough") for r in recs):
        found.append("calls the starting cash enough while the base case runs out of it")
    if best_operating_npv < 0 and any(r.startswith(("Keep pricing", "Price ")) for r in recs):
        found.append("recommends a pricing option as if it earned money while every option loses money")
    if gold and any(s.startswith(("Do not pitch the exit", "Fix the unit economics")) for s in starts):
        found.append("calls the plan a gold mine and says it does not carry itself")
    if not gold and verdict_label.startswith("more bubble") and any(s.startswith("The plan stands") for s in starts):
        found.append("calls the plan a bubble and says it stands without the exit")
    return found
