"""What privacy costs in money: automation at each epsilon, fed through the market model.

This is the privacy chapter's only contact with ``startup_report.market``: one function that takes the
automation measured at each privacy budget and returns cost per contact and plan NPV. When the market
model's public functions change, this function is the one place to adapt.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from startup_report.evaluation.handoff import ModelMetrics
from startup_report.params import MarketParams


def cost_of_privacy(sweep: pd.DataFrame, config: MarketParams, measured: ModelMetrics) -> pd.DataFrame:
    """Cost per contact and five-year NPV at each (setting, epsilon) row of ``sweep``.

    ``sweep`` needs columns setting, epsilon, automation_rate, automation_precision. The route is the
    market chapter's "own model + human fallback": the model sees every contact at ``measured``'s serving
    cost, humans take the share it declines at the sourced human cost, its wrong answers cost
    ``market.error_cost_usd``; the plan is the market chapter's base plan with only the automation rate
    and precision replaced. Differences are against epsilon = infinity (no DP) in the same setting.
    """
    from startup_report.market import economics, facts, finance

    table = facts.load_facts(Path(config.facts_dir))
    human_usd = facts.value(table, "contact_costs", config.human_cost_key)
    price_usd = facts.value(table, "contact_costs", config.price_key) * (1 - config.price_discount)
    machine_usd = measured.serving_cost_per_million_usd / 1e6
    base = economics.plan_inputs(config, measured, price_usd)
    rows = []
    for row in sweep.itertuples():
        a, p = float(row.automation_rate), float(row.automation_precision)
        usd = float(finance.fallback_cost_per_contact(a, p, machine_usd, human_usd, config.error_cost_usd))
        npv = float(finance.run_plan(base.with_values(automation_rate=a, automation_precision=p)).npv_usd[0])
        rows.append({"setting": row.setting, "epsilon": row.epsilon, "automation_rate": a, "automation_precision": p,
                     "usd_per_contact": usd, "npv_usd": npv})  # fmt: skip
    out = pd.DataFrame(rows)
    reference = out[out["epsilon"].map(math.isinf)].set_index("setting")
    out["extra_usd_per_contact"] = out["usd_per_contact"] - out["setting"].map(reference["usd_per_contact"])
    out["extra_usd_per_client_month"] = out["extra_usd_per_contact"] * config.monthly_contacts
    out["npv_change_usd"] = out["npv_usd"] - out["setting"].map(reference["npv_usd"])
    out.attrs["human_usd_per_contact"] = human_usd
    out.attrs["price_usd_per_resolution"] = price_usd
    return out
