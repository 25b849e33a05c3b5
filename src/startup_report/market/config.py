"""The market section of the parameters: the market model's sourced keys, assumptions and verdict thresholds.

It lives beside the market code (and `startup_report.params` re-exports it) so that params.py keeps one
screen per concern; every field carries its allowed range and a description, and a description that
starts with 'Assumption' marks an input without a source (the book lists those).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from startup_report.market.config_sections import (
    GtmOption,
    RoundStage,
    TeamRole,
    Uncertain,
    default_segments,
    default_team,
)
from startup_report.section import IsoDate, LabelKeyed
from startup_report.section import Section as _Section

__all__ = ["GtmOption", "MarketParams", "RoundStage", "TeamRole", "Uncertain"]


class MarketParams(_Section):
    """The market model. Sourced figures come from ``data/market`` (every row with its source); a field whose
    description starts with 'Assumption' has no source, and the book lists it as one."""

    facts_dir: str = Field("data/market", description="Folder of sourced market CSV files.")
    intent_classes_file: str = Field(
        "data/assumptions/banking77_intent_classes.csv",
        description="Assumption file: one row per intent with its resolution class "
        "(template / agent_action / escalate) and a one-line reason.",
    )
    default_intent_class: Literal["template", "agent_action", "escalate"] = Field(
        "agent_action",
        description="Assumption: class of an intent the file does not list (other datasets): "
        "a human acts on it unless the file says a template resolves it.",
    )
    automation_world: Literal["open", "closed"] = Field(
        "open",
        description="Which measured automation the business case prices: open = with messages of intents the "
        "model never saw mixed in (evaluation's open-world experiment, what real traffic does); closed = every "
        "message belongs to a known intent (the production model on the test set).",
    )
    channel: Literal["chat", "email", "phone", "messaging"] = Field(
        "chat", description="Channel the customer messages arrive on (BANKING77 is written text: chat)."
    )
    human_cost_channel_key: str | None = Field(
        None,
        description="Row key in channel_costs.csv to use as the human cost per contact; "
        "null takes the newest sourced row for market.channel.",
    )
    human_cost_key: str = Field(
        "human_cost_per_contact_live",
        description="Row key in contact_costs.csv of the older mixed-channel cost shown beside the channel's own.",
    )
    price_key: str = Field(
        "intercom_fin_price_per_resolution",
        description="Row key in contact_costs.csv of the competitor price per automated resolution we match.",
    )
    price_discount: float = Field(
        0.0, ge=0.0, lt=1.0, description="Assumption: discount on that market price we must give to win clients."
    )
    pricing: Literal["per_resolution", "per_seat", "platform_fee"] = Field(
        "per_resolution", description="How we charge in the plan; the strategy chapter compares all three."
    )
    seat_price_key: str = Field(
        "intercom_seat_advanced", description="Row key in competitors.csv of the price per agent seat a month."
    )
    contacts_per_seat: float = Field(
        800.0,
        gt=0.0,
        le=1e6,
        description="Assumption: contacts one agent seat handles a month (about 11-minute chats, 160 hours).",
    )
    platform_fee_usd_per_month: float = Field(
        6_000.0, ge=0.0, le=1e8, description="Assumption: flat monthly platform fee per client (platform pricing)."
    )
    monthly_contacts: int = Field(
        20_000, ge=1, le=10**10, description="Assumption: customer contacts per month of one typical client."
    )
    error_cost_usd: float = Field(
        5.0, ge=0.0, le=10_000.0, description="Assumption: cost of a wrong automatic answer that reaches a customer."
    )
    transfer_rate_key: str = Field(
        "sqm_transfer_rate", description="Row key in routing.csv: share of contacts transferred between agents."
    )
    transfer_cost_share: float = Field(
        0.5,
        ge=0.0,
        le=5.0,
        description="Assumption: extra cost of one transfer as a share of a contact (a second agent "
        "re-reads the case; SQM finds first-contact resolution 14% lower after a transfer).",
    )
    llm_model: str = Field(
        "GPT-6 Luna", description="API model of the 'LLM API with human fallback' route (llm_prices.csv `model`)."
    )
    llm_accuracy_key: str = Field(
        "dinesh0401_gpt_5_mini_zero_shot",
        description="Row key in banking77_results.csv: published BANKING77 accuracy used for the LLM route.",
    )
    llm_prompt_caching: bool = Field(
        True, description="Assumption: the intent-list prompt prefix is billed at the cached-input price."
    )
    llm_batch: bool = Field(False, description="Use batch prices (answers within hours: fits email, not live chat).")
    as_of: IsoDate = Field(
        "2026-11-26",
        description="Date the prices are read as of (YYYY-MM-DD): a model retired by then is refused.",
    )
    own_fixed_usd_per_month: float = Field(
        2_000.0,
        ge=0.0,
        le=1e8,
        description="Assumption: our cost of running the model for one client a month (instance, monitoring, "
        "retraining share; the ML team itself is in opex), in the route comparison and the plan alike.",
    )
    llm_fixed_usd_per_month: float = Field(
        3_000.0, ge=0.0, le=1e8, description="Assumption: integrating and monitoring an LLM API for one client."
    )
    tam_key: str = Field(
        "mnm_ai_customer_service_2030",
        description="Row key in market_size.csv of the central market estimate (a named research firm).",
    )
    tam_range_keys: list[str] = Field(
        ["mnm_contact_center_ai_2030", "mnm_ai_customer_service_2030", "polaris_ai_customer_service_2026"],
        min_length=1,
        description="Row keys in market_size.csv whose spread gives the TAM range (named research firms only).",
    )
    sam_share: float = Field(
        0.15,
        gt=0.0,
        le=1.0,
        description="Assumption: share of that market that is text-channel intent routing and resolution "
        "for banks and fintechs (serviceable market).",
    )
    som_share: float = Field(
        0.01, gt=0.0, le=1.0, description="Assumption: share of the serviceable market we could win in five years."
    )
    target_companies: int = Field(
        20_000,
        ge=1,
        le=10**8,
        description="Assumption: companies with a contact centre large enough to buy (bottom-up sizing).",
    )
    months: int = Field(60, ge=12, le=240, description="Plan horizon in months.")
    starting_cash_usd: float = Field(4_000_000.0, ge=0.0, le=1e11, description="Assumption: cash raised at month 0.")
    initial_customers: float = Field(2.0, ge=0.0, le=1e6, description="Assumption: paying clients at month 0.")
    new_customers_per_month: float = Field(
        1.0, ge=0.0, le=1e5, description="Assumption: clients won per month in year one."
    )
    sales_growth_annual: float = Field(
        0.5, ge=-0.9, le=10.0, description="Assumption: yearly growth of new clients won per month."
    )
    churn_monthly: float = Field(0.02, ge=0.0, le=1.0, description="Assumption: share of clients lost per month.")
    opex_usd_per_month: float = Field(
        180_000.0, ge=0.0, le=1e9, description="Assumption: team and overhead per month in year one."
    )
    opex_growth_annual: float = Field(0.3, ge=-0.9, le=10.0, description="Assumption: yearly growth of opex.")
    cac_usd: float = Field(
        150_000.0,
        ge=0.0,
        le=1e8,
        description="Assumption: sales and marketing cost to win one client.",
    )
    discount_rate_annual: float = Field(0.3, ge=0.0, le=2.0, description="Assumption: venture discount rate.")
    exit_revenue_multiple: float = Field(
        4.0,
        ge=0.0,
        le=100.0,
        description="Assumption: value at the horizon as a multiple of the last twelve months' revenue.",
    )
    runway_target_months: float = Field(
        18.0,
        ge=1.0,
        le=120.0,
        description="Assumption: a round raises enough cash to cover the plan's deficits for this many months "
        "(venture rounds are commonly sized for 18-24 months of runway).",
    )
    valuation_scale: float = Field(
        1.0,
        gt=0.0,
        le=100.0,
        description="Assumption: each round's pre-money as a multiple of its stage's sourced median (1 = the "
        "median; the Monte Carlo draws it from market.uncertainty).",
    )
    rounds: list[RoundStage] = Field(
        default_factory=lambda: [
            RoundStage(
                name="Series A",
                premoney_key="carta_series_a_premoney_median_2025q1",
                milestone_key="series_a_arr_lower_end_2025",
            ),
            RoundStage(
                name="Series B",
                premoney_key="carta_series_b_premoney_median_2024q4",
                milestone_key="series_b_arr_lower_end_2025",
            ),
        ],
        min_length=1,
        description="The stages of the rounds after the starting cash, in order (the last repeats), each priced "
        "and gated by rows of benchmarks.csv.",
    )
    max_dilution: float = Field(
        0.5,
        gt=0.0,
        lt=1.0,
        description="Assumption: largest share of the company new investors take in one round; a round that "
        "needs more fails (Carta's median Series A dilution is about 18%).",
    )
    gold_mine_probability: float = Field(
        0.6, gt=0.0, le=1.0, description="Verdict threshold: P(NPV > 0) without exit at or above this is a gold mine."
    )
    bubble_probability: float = Field(
        0.4, gt=0.0, le=1.0, description="Verdict threshold: P(NPV > 0) with exit below this is a bubble."
    )

    @field_validator("bubble_probability")
    @classmethod
    def _below_gold(cls, bubble: float, info) -> float:
        """A bubble line above the gold-mine line would let one plan be both (and the advice contradict it)."""
        if (gold := info.data.get("gold_mine_probability")) is not None and bubble > gold:
            raise ValueError(f"bubble_probability ({bubble}) must be at most gold_mine_probability ({gold})")
        return bubble

    max_failure_probability: float = Field(
        0.2, ge=0.0, le=1.0, description="Verdict threshold: the largest share of draws that may fail to raise."
    )
    draws: int = Field(10_000, ge=100, le=1_000_000, description="Monte Carlo draws.")
    runway_alarm_months: int = Field(
        18, ge=1, le=240, description="Runway below this many months counts as a funding risk."
    )
    uncertainty: dict[str, Uncertain] = Field(
        default_factory=lambda: {
            "new_customers_per_month": Uncertain(low=0.3, high=2.5),
            "churn_monthly": Uncertain(low=0.005, high=0.05),
            "price_per_resolution_usd": Uncertain(low=0.3, high=1.5),
            "automation_rate": Uncertain(low=0.2, high=0.6),
            "contacts_per_customer_month": Uncertain(low=5_000, high=80_000),
            "opex_usd_per_month": Uncertain(low=120_000, high=280_000),
            "exit_revenue_multiple": Uncertain(low=1.0, high=10.0),
            "cac_usd": Uncertain(low=50_000, high=300_000),
            "fixed_cost_per_customer_usd": Uncertain(low=500, high=12_000),
            "valuation_scale": Uncertain(low=0.5, high=1.5),
        },
        description="Assumption: ranges of the uncertain plan inputs (names of finance.PlanInputs fields).",
    )
    gtm: LabelKeyed(GtmOption) = Field(
        default_factory=default_segments,
        description="Assumption: go-to-market segments; the plan, the Monte Carlo and the verdict run for each, "
        "and the market chapter reports the one a rule picks from the numbers beside the others.",
    )
    team: LabelKeyed(TeamRole) = Field(
        default_factory=default_team,
        description="Assumption: the team the year-one operating budget pays for, shown against opex.",
    )
    label_cost_usd: float = Field(
        0.5, ge=0.0, le=1_000.0, description="Assumption: cost of one labelled customer message (data moat)."
    )
    learning_curve_source: Literal["measured", "published"] = Field(
        "measured",
        description="Which learning curve prices the data moat: ours (results.csv of the training stage, model "
        "`measured_curve_model`) or a published one (banking77_results.csv, model `learning_curve_model`).",
    )
    measured_curve_model: str = Field(
        "minilm-logreg",
        description="Our model whose mean test accuracy at each label budget gives the measured learning curve "
        "(trained at every budget; the from-scratch Transformer runs at the full budget only).",
    )
    learning_curve_model: str = Field(
        "BERT-TUNED",
        description="Model in banking77_results.csv whose published learning curve prices the data moat when "
        "learning_curve_source is published.",
    )
    examples_per_intent: float = Field(
        130.0,
        gt=0.0,
        le=1e6,
        description="Assumption for the published curve: labelled examples per intent the production model trained "
        "on (BANKING77's full training split has about 130); the measured curve counts them in results.csv.",
    )
    gpu_hourly_key: str = Field("h100_rent_usd_per_gpu_hour", description="compute.csv key of the GPU rental price.")

    @model_validator(mode="after")
    def _ranges_within_bounds(self) -> MarketParams:
        """An uncertainty range lies within the bounds of the value it varies (churn of 2 to 5: 200-500 % a month)."""
        from startup_report.market.bounds import bounds

        for name, spec in self.uncertainty.items():
            low, high = bounds(name, type(self).model_fields)
            if not low <= spec.low <= spec.high <= high:
                raise ValueError(
                    f"market.uncertainty.{name}: {spec.low:g} to {spec.high:g} is outside the bounds of {name}, "
                    f"{low:g} to {high:g}; give a range within them"
                )
        return self
