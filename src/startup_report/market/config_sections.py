"""The small sections the market parameters are made of: an uncertain input's range, a go-to-market option,
a funding stage and a team role (each validated where it is declared)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from startup_report.section import Section as _Section


class Uncertain(_Section):
    """A range for one uncertain plan input; the Monte Carlo draws from it, the base value is the mode."""

    low: float = Field(description="Lowest plausible value.")
    high: float = Field(description="Highest plausible value.")
    dist: Literal["triangular", "uniform"] = Field("triangular", description="Shape of the draw.")

    @field_validator("high")
    @classmethod
    def _ordered(cls, high: float, info) -> float:
        if "low" in info.data and high < info.data["low"]:
            raise ValueError("high must be at least low")
        return high


class GtmOption(_Section):
    """One go-to-market option: who we sell to and what winning one client costs (assumptions)."""

    cac_usd: float = Field(ge=0.0, le=1e8, description="Assumption: sales and marketing cost to win one client.")
    monthly_contacts: float = Field(gt=0.0, le=1e10, description="Assumption: contacts per month of one client.")
    churn_monthly: float = Field(ge=0.0, le=1.0, description="Assumption: share of these clients lost per month.")
    revenue_share: float = Field(
        0.0, ge=0.0, lt=1.0, description="Assumption: share of revenue a channel partner keeps."
    )
    sales_cycle_months: float = Field(
        0.0, ge=0.0, le=36.0, description="Assumption: months from winning a client to its first revenue."
    )
    onboarding_months: float = Field(
        0.0, ge=0.0, le=36.0, description="Assumption: months over which a new client ramps to its full volume."
    )


class RoundStage(_Section):
    """One funding stage: its benchmark pre-money and the ARR milestone a round at that stage needs (sourced)."""

    name: str = Field(description="Name of the stage, shown in the book.")
    premoney_key: str = Field(description="Row key in benchmarks.csv: median pre-money of the stage (USD million).")
    milestone_key: str = Field(
        description="Row key in benchmarks.csv: ARR a company must have reached to raise at the stage (USD million)."
    )


class TeamRole(_Section):
    """One role of the team the operating budget pays for (assumptions)."""

    count: float = Field(ge=0.0, le=1000.0, description="Assumption: full-time people in this role.")
    usd_per_year: float = Field(ge=0.0, le=1e7, description="Assumption: loaded yearly cost of one person.")


def default_segments() -> dict[str, GtmOption]:
    """The go-to-market segments of the default plan (assumptions; the strategy chapter discusses each)."""
    return {
        "banks, direct sales": GtmOption(
            cac_usd=250_000, monthly_contacts=80_000, churn_monthly=0.01, sales_cycle_months=9, onboarding_months=3
        ),
        "fintechs, direct sales": GtmOption(
            cac_usd=60_000, monthly_contacts=15_000, churn_monthly=0.025, sales_cycle_months=4, onboarding_months=2
        ),
        "helpdesk marketplace partner": GtmOption(
            cac_usd=10_000,
            monthly_contacts=5_000,
            churn_monthly=0.03,
            revenue_share=0.3,
            sales_cycle_months=1,
            onboarding_months=1,
        ),
    }


def default_team() -> dict[str, TeamRole]:
    """The team the default year-one operating budget pays for (assumptions)."""
    return {
        "founders (CEO, CTO)": TeamRole(count=2, usd_per_year=160_000),
        "ML engineers": TeamRole(count=2, usd_per_year=170_000),
        "backend and integration engineers": TeamRole(count=2, usd_per_year=150_000),
        "sales (account executive)": TeamRole(count=1, usd_per_year=160_000),
        "customer success": TeamRole(count=1, usd_per_year=100_000),
        "security and compliance (part time)": TeamRole(count=0.5, usd_per_year=160_000),
    }
