"""The small sections the market parameters are made of: an uncertain input's spread (and the range it
resolves to), a go-to-market option, a funding stage and a team role (each validated where it is declared)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from startup_report.section import Section as _Section


class Uncertain(_Section):
    """A range for one uncertain plan input, in the input's own unit: the Monte Carlo draws from it, the base
    value is the mode. The parameters give a ``Spread``; ``montecarlo.centred`` turns it into this range around
    the plan's base value (the what-if page and the tornado read the same ranges)."""

    low: float = Field(description="Lowest plausible value.")
    high: float = Field(description="Highest plausible value.")
    dist: Literal["triangular", "uniform"] = Field("triangular", description="Shape of the draw.")

    @field_validator("high")
    @classmethod
    def _ordered(cls, high: float, info) -> float:
        if "low" in info.data and high < info.data["low"]:
            raise ValueError("high must be at least low")
        return high


class Spread(_Section):
    """How far one uncertain plan input may lie from its base value: the Monte Carlo draws it from
    base x (1 - spread) to base x (1 + spread), a range centred on the base whatever the base is (a segment's, or
    one a reader sets), narrowed evenly on both sides where a bound or a physical ceiling would cut it."""

    spread: float = Field(gt=0.0, le=1.0, description="Half-width of the range as a share of the base value.")
    basis: Literal["assumption", "sourced"] = Field(
        "assumption", description="Whether a published figure sets the spread (sourced) or it is our assumption."
    )
    why: str = Field("", max_length=300, description="What the spread rests on (the source when it is sourced).")
    dist: Literal["triangular", "uniform"] = Field("triangular", description="Shape of the draw.")

    @field_validator("why")
    @classmethod
    def _sourced_says_where(cls, why: str, info) -> str:
        if info.data.get("basis") == "sourced" and not why.strip():
            raise ValueError("a sourced spread names its source in `why` (publisher, title, year)")
        return why


class GtmOption(_Section):
    """One go-to-market segment: who we sell to and what winning one client costs (assumptions). A field left
    out takes the market section's value of the same name, so ``market.cac_usd`` and its neighbours set every
    segment that does not set its own."""

    cac_usd: float | None = Field(
        None, ge=0.0, le=1e8, description="Assumption: sales and marketing cost to win one client."
    )
    monthly_contacts: float | None = Field(
        None, gt=0.0, le=1e10, description="Assumption: contacts per month of one client."
    )
    churn_monthly: float | None = Field(
        None, ge=0.0, le=1.0, description="Assumption: share of these clients lost per month."
    )
    revenue_share: float | None = Field(
        None, ge=0.0, lt=1.0, description="Assumption: share of revenue a channel partner keeps."
    )
    sales_cycle_months: float | None = Field(
        None, ge=0.0, le=36.0, description="Assumption: months from winning a client to its first revenue."
    )
    onboarding_months: float | None = Field(
        None, ge=0.0, le=36.0, description="Assumption: months over which a new client ramps to its full volume."
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
    """The go-to-market segments of the default plan (assumptions; the strategy chapter discusses each). Banks
    take the market section's values: they are the client the market defaults describe."""
    return {
        "banks, direct sales": GtmOption(),
        "fintechs, direct sales": GtmOption(
            cac_usd=60_000,
            monthly_contacts=15_000,
            churn_monthly=0.025,
            revenue_share=0.0,
            sales_cycle_months=4,
            onboarding_months=2,
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


def default_spreads() -> dict[str, Spread]:
    """How uncertain each plan input is, as a share of its base value (assumptions, each saying why)."""
    return {
        "new_customers_per_month": Spread(spread=0.7, why="year-one sales pace of a two-person sales team"),
        "churn_monthly": Spread(spread=0.5, why="no churn figure for bank clients of a router is published"),
        "price_per_resolution_usd": Spread(spread=0.5, why="list prices per resolution vary by vendor and volume"),
        "automation_rate": Spread(
            spread=0.3, why="production traffic differs from the test set; capped at the template share"
        ),
        "contacts_per_customer_month": Spread(spread=0.5, why="client sizes within one segment vary"),
        "opex_usd_per_month": Spread(spread=0.3, why="salaries and hiring pace of the team table"),
        "exit_revenue_multiple": Spread(spread=0.75, why="revenue multiples of AI software swing with the market"),
        "cac_usd": Spread(spread=0.6, why="enterprise sales cost per won client is not published for this niche"),
        "fixed_cost_per_customer_usd": Spread(spread=0.75, why="integration and support effort per client"),
        "valuation_scale": Spread(spread=0.5, why="round prices around the Carta medians"),
        "sales_cycle_months": Spread(spread=0.33, why="bank procurement cycles"),
        "price_erosion_annual": Spread(spread=1.0, why="how fast competitors cut prices"),
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
