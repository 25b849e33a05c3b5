"""The market parameters that say who we sell to and how sure we are: the client's sales cycle, onboarding ramp,
partner share and price erosion, the go-to-market segments and the spread of every uncertain input.

A segment (``gtm``) overrides only what it sets; the rest, and every field here, comes from the market section.
The report's plan is the segment a rule recommends (``segments.recommended``), so these defaults describe the
client the strategy recommends today (banks, direct sales), and ``market.cac_usd`` keeps its meaning for it.
"""

from __future__ import annotations

from pydantic import Field

from startup_report.market.config_sections import GtmOption, Spread, default_segments, default_spreads
from startup_report.section import LabelKeyed
from startup_report.section import Section as _Section


class SegmentTerms(_Section):
    """The client-side terms of the plan and the uncertainty around them (MarketParams inherits them)."""

    sales_cycle_months: float = Field(
        9.0, ge=0.0, le=36.0, description="Assumption: months from winning a client (CAC paid) to its first revenue."
    )
    onboarding_months: float = Field(
        3.0, ge=0.0, le=36.0, description="Assumption: months over which a new client ramps to its full volume."
    )
    revenue_share: float = Field(
        0.0, ge=0.0, lt=1.0, description="Assumption: share of revenue a channel partner keeps (0: direct sales)."
    )
    price_erosion_annual: float = Field(
        0.1,
        ge=0.0,
        lt=1.0,
        description="Assumption: share of our price lost each year to competition (API prices keep falling).",
    )
    uncertainty: dict[str, Spread] = Field(
        default_factory=default_spreads,
        description="Assumption: how far each uncertain plan input (a finance.PlanInputs field) may lie from its "
        "base value, as a share of it; the Monte Carlo draws from a range centred on the base.",
    )
    gtm: LabelKeyed(GtmOption) = Field(
        default_factory=default_segments,
        description="Assumption: go-to-market segments; the plan, the Monte Carlo and the verdict run for each, "
        "and the report's plan is the one a rule picks from the numbers (the others beside it).",
    )
