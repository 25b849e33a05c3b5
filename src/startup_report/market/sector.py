"""The sector question: what AI startups raise, at what multiples of revenue, how often rounds go down, and
where our firm's own rounds and exit sit among them.

The sector's figures are sourced rows of ``sector.csv`` (and the Carta rows of ``benchmarks.csv``); our firm's
points come from the base plan: each round's pre-money against the annualised revenue it had reached, and the
exit value against the last twelve months' revenue, so a reader sees which multiple the plan pays and asks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from startup_report.market import facts
from startup_report.market.freshness import dated

ROUND_BAND = ("finro_ai_round_multiple_median_2025_low", "finro_ai_round_multiple_median_2025_high")
PUBLIC_MULTIPLE = "saas_capital_public_saas_multiple_2026q1"
AI_SHARE = "pitchbook_ai_share_global_venture_2025h1"
DOWN_ROUNDS = "pitchbook_down_round_share_2025q1"
# What each kind of row measures, as the table names it.
KIND_LABELS = {
    "funding": "venture funding, all sectors",
    "ai_funding": "funding of AI companies",
    "ai_share": "AI's share of venture funding",
    "down_rounds": "down rounds",
    "round_multiple": "revenue multiple, AI rounds",
    "exit_multiple": "revenue multiple, AI acquisitions",
    "public_multiple": "revenue multiple, listed SaaS",
    "acquisition": "an acquisition in our market",
    "failures_premium": "shutdowns and the AI premium (Carta)",
}
# Rows of benchmarks.csv the section quotes beside sector.csv: failures and the AI premium at seed.
BENCHMARK_KEYS = ("carta_startup_shutdowns_2024", "carta_ai_seed_valuation_premium_2024")


def check(table: dict[str, pd.DataFrame]) -> None:
    """Before any stage runs: the rows the section reads exist (MarketDataError naming the file and the key)."""
    for key in (*ROUND_BAND, PUBLIC_MULTIPLE, AI_SHARE, DOWN_ROUNDS):
        facts.fact(table, "sector", key)
    for key in BENCHMARK_KEYS:
        facts.fact(table, "benchmarks", key)


def firm_points(plan: pd.DataFrame, rounds: pd.DataFrame, stages: Sequence[str], exit_multiple: float) -> pd.DataFrame:
    """Our rounds that closed and our exit, as (revenue, valuation) points with their multiple.

    ``plan`` is the plan's monthly table (``month``, ``revenue``); ``rounds`` its rounds table (``month``,
    ``pre-money (USD)``, ``stage``, ``failed``). A round's revenue is 12 x the best month so far (the ARR its
    stage milestone is checked against); the exit's is the last twelve months' revenue, valued at
    ``exit_multiple``. A failed round is left out: nobody paid its price.
    """
    revenue = plan.set_index("month")["revenue"].astype(float)
    arr = 12.0 * revenue.cummax()
    rows = [
        {
            "point": f"our {stages[int(r['stage'])] if 0 <= int(r['stage']) < len(stages) else 'round'}, "
            f"month {int(r['month'])}",
            "kind": "round",
            "month": int(r["month"]),
            "revenue_usd": float(arr.loc[int(r["month"])]),
            "valuation_usd": float(r["pre-money (USD)"]),
        }
        for _, r in rounds.iterrows()
        if not bool(r["failed"])
    ]
    trailing = float(revenue.iloc[-12:].sum())
    rows.append(
        {
            "point": f"our exit, month {int(revenue.index[-1])}",
            "kind": "exit",
            "month": int(revenue.index[-1]),
            "revenue_usd": trailing,
            "valuation_usd": exit_multiple * trailing,
        }
    )
    points = pd.DataFrame(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = points["valuation_usd"] / points["revenue_usd"]
    points["multiple"] = np.where(points["revenue_usd"] > 0, ratio, np.nan)
    return points


def references(table: dict[str, pd.DataFrame]) -> dict[str, float]:
    """The sector's multiples the figure draws as lines: the AI round median band and listed SaaS."""
    low, high = (facts.value(table, "sector", key) for key in ROUND_BAND)
    return {"ai_round_low": low, "ai_round_high": high, "public_saas": facts.value(table, "sector", PUBLIC_MULTIPLE)}


def sources(table: dict[str, pd.DataFrame], as_of: str) -> pd.DataFrame:
    """Every sector row and the Carta rows quoted beside them, with value as written, source and stale flag."""
    sector = table["sector"]
    bench = table["benchmarks"][table["benchmarks"]["key"].isin(BENCHMARK_KEYS)].assign(kind="failures_premium")
    rows = pd.concat([sector, bench], ignore_index=True)
    rows["shown"] = [facts.formatted(row) for _, row in rows.iterrows()]
    rows["kind"] = rows["kind"].map(KIND_LABELS)
    return dated(rows, as_of)[
        ["kind", "metric", "shown", "year", "publisher", "published", "secondary", "stale", "url"]
    ]


def _relation(value: float, low: float, high: float) -> str:
    """'above', 'within' or 'below' the range [low, high]."""
    return "above" if value > high else ("below" if value < low else "within")


def story(points: pd.DataFrame, table: dict[str, pd.DataFrame]) -> str:
    """Where our firm sits in the sector, worded from the numbers: its first round's and its exit's multiples
    against the sector's, then the funding, down-round and shutdown figures that frame them."""
    ref = references(table)
    band = f"{ref['ai_round_low']:g}-{ref['ai_round_high']:g}x"
    exit_row = points[points["kind"] == "exit"].iloc[0]
    rounds = points[(points["kind"] == "round") & np.isfinite(points["multiple"])]  # a round before any revenue
    first = rounds.head(1)
    if first.empty:
        buy = "Our base plan closes no funding round after its first revenue, so no investor prices it on revenue;"
    else:
        r, last = first.iloc[0], rounds.iloc[-1]
        where = _relation(r["multiple"], ref["ai_round_low"], ref["ai_round_high"])
        buy = (
            f"Our base plan's first round ({r['point'].removeprefix('our ')}) prices the company at "
            f"{r['multiple']:.0f} times its annualised revenue, {where} the {band} median of AI fundraising rounds "
            "in 2025"
        )
        if len(rounds) > 1:
            buy += f", and its last ({last['point'].removeprefix('our ')}) at {last['multiple']:.0f}x"
        buy += ";"
    if not np.isfinite(exit_row["multiple"]):
        exit_text = " it has no revenue to sell at the horizon, so its exit is worth nothing"
    else:
        exit_text = (
            f" its exit at {exit_row['multiple']:.1f} times trailing revenue is "
            f"{_relation(exit_row['multiple'], ref['public_saas'], ref['public_saas'])} the {ref['public_saas']:g}x "
            "median of listed SaaS companies"
        )
    gap = ""
    if not first.empty and np.isfinite(exit_row["multiple"]) and first.iloc[0]["multiple"] > exit_row["multiple"]:
        gap = (
            f", so investors who buy in at {first.iloc[0]['multiple']:.0f}x sell at {exit_row['multiple']:.1f}x: "
            "their return rests on revenue growth, not on the AI premium lasting"
        )
    share = facts.formatted(facts.fact(table, "sector", AI_SHARE))
    down = facts.formatted(facts.fact(table, "sector", DOWN_ROUNDS))
    shutdowns = facts.formatted(facts.fact(table, "benchmarks", BENCHMARK_KEYS[0]))
    return (
        f"{buy}{exit_text}{gap}. AI drew {share} of global venture dollars in the first half of 2025, while "
        f"{down} of US rounds in the first quarter of 2025 were down rounds and {shutdowns} startups on Carta "
        "shut down in 2024."
    )
