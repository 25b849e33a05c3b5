"""What privacy costs in money: automation at each epsilon, fed through the market model.

This is the privacy chapter's only contact with ``startup_report.market``: one function that takes the
automation measured at each privacy budget and returns cost per contact and plan NPV, with the market
chapter's router economics (template intents resolved, the rest routed to an agent with the intent).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from startup_report.evaluation.handoff import ModelMetrics
from startup_report.market.config import MarketParams


def template_share(config: MarketParams, labels: pd.Series | None = None, root: Path = Path(".")) -> float:
    """Share of messages whose intent a template resolves: by the messages' true intents when given, else
    over the intents the assumption file lists (BANKING77's test set has the same count per intent)."""
    from startup_report.market import product

    classes = product.read_intent_classes(root / config.intent_classes_file)
    if labels is not None:
        return float(product.class_mix(labels, classes, config.default_intent_class)["template"])
    return float((classes["resolution_class"] == "template").mean())


def cost_of_privacy(
    sweep: pd.DataFrame,
    config: MarketParams,
    measured: ModelMetrics,
    labels: pd.Series | None = None,
    root: Path = Path("."),
) -> pd.DataFrame:
    """Cost per contact and five-year NPV (with and without the exit) at each (setting, epsilon) row.

    ``sweep`` needs columns setting, epsilon, automation_rate, automation_precision. The confident share
    splits between template intents (resolved) and the others (routed with the intent) in the traffic's
    class mix, both at the measured precision; the market chapter's cost per contact and base plan then
    price it, with only these shares replaced. Differences are against epsilon = infinity in the same setting.
    """
    from startup_report.market import economics, facts, finance, product

    table = facts.load_facts(root / config.facts_dir)
    human_usd = float(
        economics.human_cost(table["channel_costs"], config.channel, config.human_cost_channel_key)["value"]
    )
    price_usd = facts.value(table, "contact_costs", config.price_key) * (1 - config.price_discount)
    seat_usd = facts.value(table, "competitors", config.seat_price_key)
    transfer = facts.value(table, "routing", config.transfer_rate_key) / 100.0
    machine_usd = measured.serving_cost_per_million_usd / 1e6
    t = template_share(config, labels, root)
    rows = []
    for row in sweep.itertuples():
        a, p = float(row.automation_rate), float(row.automation_precision)
        shares = product.Shares(a * t, p, a * (1 - t), p, 1 - a)
        usd = product.cost_per_contact(shares, machine_usd, human_usd, config.error_cost_usd, transfer,
                                       config.transfer_cost_share)  # fmt: skip
        plan = finance.run_plan(economics.plan_inputs(config, shares, machine_usd, price_usd, seat_usd))
        rows.append({"setting": row.setting, "epsilon": row.epsilon, "automation_rate": a, "automation_precision": p,
                     "usd_per_contact": usd, "npv_usd": float(plan.npv_usd[0]),
                     "npv_no_exit_usd": float(plan.npv_no_exit_usd[0])})  # fmt: skip
    out = pd.DataFrame(rows)
    reference = out[out["epsilon"].map(math.isinf)].set_index("setting")
    out["extra_usd_per_contact"] = out["usd_per_contact"] - out["setting"].map(reference["usd_per_contact"])
    out["extra_usd_per_client_month"] = out["extra_usd_per_contact"] * config.monthly_contacts
    out["npv_change_usd"] = out["npv_usd"] - out["setting"].map(reference["npv_usd"])
    out.attrs.update(human_usd_per_contact=human_usd, price_usd_per_resolution=price_usd, template_share=t,
                     transfer_rate=transfer)  # fmt: skip
    return out
