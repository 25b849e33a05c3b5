"""The evidence the narrative chapters quote and the list of assumptions: sources and labels in one place.

Applications and trends glue these figures; each comes with its publisher, date and URL in a table, so
a reader can check every quoted number, and every input without a source is listed as an assumption.
"""

from __future__ import annotations

import pandas as pd

from startup_report.market import facts, freshness
from startup_report.market.analysis import Inputs
from startup_report.market.config import MarketParams

EVIDENCE = {
    "klarna_share": ("contact_costs", "klarna_ai_share_of_cs_chats"),
    "klarna_fte": ("contact_costs", "klarna_ai_fte_equivalent"),
    "klarna_cost_before": ("contact_costs", "klarna_cs_cost_per_transaction_2023q1"),
    "klarna_cost_after": ("contact_costs", "klarna_cs_cost_per_transaction_2025q1"),
    "agent_gain": ("contact_costs", "brynjolfsson_productivity_gain_qje"),
    "agent_gain_low_skill": ("contact_costs", "brynjolfsson_productivity_gain_low_skill_qje"),
    "self_service_resolution": ("contact_costs", "gartner_2019_self_service_full_resolution_rate"),
    "gartner_2029": ("contact_costs", "gartner_agentic_ai_common_issue_resolution_2029"),
    "gartner_cost_2030": ("contact_costs", "gartner_genai_cost_per_resolution_2030"),
    "savings_share": ("contact_costs", "ai_index_service_ops_cost_savings_share"),
    "llm_price_2021": ("compute", "llmflation_mmlu42_price_2021"),
    "llm_price_2024": ("compute", "llmflation_mmlu42_price_2024"),
    "gpu_2023": ("compute", "h100_rent_2023_peak_low"),
    "gpu_on_demand_2026": ("compute", "h100_rent_usd_per_gpu_hour"),
    "gpu_contract_2025": ("compute", "h100_1yr_contract_2025_10"),
    "gpu_contract_2026": ("compute", "h100_1yr_contract_2026_06"),
    "training_cost_growth": ("compute", "frontier_training_cost_growth_per_year"),
    "genai_spending_2025": ("market_size", "gartner_genai_spending_2025"),
    "webchats_with_bots": ("routing", "contactbabel_uk_webchats_with_bots"),
    "transfer_rate": ("routing", "sqm_transfer_rate"),
    "transfer_fcr_penalty": ("routing", "sqm_transfer_fcr_penalty"),
}


def evidence(inp: Inputs) -> tuple[dict[str, str], pd.DataFrame]:
    """Published figures the applications and trends chapters quote, each with its source and stale flag."""
    values, table = facts.evidence(inp.facts, EVIDENCE)
    return values, freshness.dated(table, inp.config.as_of)


STALE_NOTE = (
    f"stale: the figure is about a year more than {freshness.STALE_AFTER_YEARS} years before the report's date "
    "(market.as_of); shown for comparison, not as today's number."
)


def flagged(frame: pd.DataFrame, config: MarketParams) -> pd.DataFrame:
    """A table of sourced rows (with a ``year`` column) and its stale flag at the report's date, `market.as_of`."""
    if "secondary" in frame:  # a row joined from another file may hold it as object: shown as yes/no like the rest
        frame = frame.astype({"secondary": bool})
    return freshness.dated(frame, config.as_of)


def assumptions(config: MarketParams) -> pd.DataFrame:
    """Every market parameter without a source (its description starts with 'Assumption'), with its value; each
    uncertain input's spread and each go-to-market segment on a row of its own, in words."""
    dumped = config.model_dump(mode="json")
    rows = []
    for name, field in MarketParams.model_fields.items():
        if not (field.description or "").startswith("Assumption"):
            continue
        if name == "uncertainty":
            rows += [
                {
                    "parameter": f"market.uncertainty.{key}",
                    "value": f"base ± {spec.spread:.0%}",
                    "meaning": f"{spec.basis.capitalize()}: {spec.why or 'how far ' + key + ' may lie from its base'}.",
                }
                for key, spec in config.uncertainty.items()
            ]
        elif name == "gtm":
            rows += [
                {
                    "parameter": f"market.gtm.{segment}",
                    "value": "; ".join(f"{k} {v:g}" for k, v in option.model_dump().items() if v is not None)
                    or "the market section's values",
                    "meaning": "Assumption: a go-to-market segment; what it leaves out is the market section's.",
                }
                for segment, option in config.gtm.items()
            ]
        elif name == "team":
            value = "; ".join(f"{r.count:g} {role} at ${r.usd_per_year:,.0f} a year" for role, r in config.team.items())
            rows.append({"parameter": "market.team", "value": value, "meaning": field.description})
        else:
            rows.append({"parameter": f"market.{name}", "value": str(dumped[name]), "meaning": field.description})
    return pd.DataFrame(rows)
