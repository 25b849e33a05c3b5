"""The market stage's hand-off: ``market.json``, validated on write and on read.

The executive summary, the benchmark script and the tests read this file; its schema is the contract,
so a renamed or missing figure fails loudly at the stage that wrote it, not in a reader.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

Probability = Field(ge=0.0, le=1.0)


class SegmentResult(BaseModel):
    """One go-to-market segment's plan: the headline figures, as at the top level for the reported segment."""

    model_config = ConfigDict(extra="forbid")

    name: str
    recommended: bool = Field(description="The segment the report's rule recommends.")
    npv_base_usd: float
    npv_base_no_exit_usd: float
    p_npv_positive: float = Probability
    p_npv_positive_no_exit: float = Probability
    funding_need_base_usd: float = Field(ge=0.0)
    verdict: str


class MarketResult(BaseModel):
    """Headline figures of the market analysis for one run."""

    model_config = ConfigDict(extra="forbid")

    seed: int = Field(ge=0, description="Seed of the Monte Carlo (the chain's global seed).")
    channel: str
    human_usd_per_contact: float = Field(ge=0.0, description="Channel-matched human cost per contact.")
    own_usd_per_contact: float = Field(
        description="What a contact costs the client on our router + humans, our price included, at the assumed volume."
    )
    our_margin_usd_per_contact: float | None = Field(
        None, description="Our side of that contact: our price less serving and our fixed cost per contact."
    )
    llm_usd_per_contact: float = Field(description="LLM API router + humans, per contact at the assumed volume.")
    llm_usd_per_message: float = Field(ge=0.0, description="API price of one routing call (caching as set).")
    llm_accuracy: float = Probability
    automation_world: str = Field(description="Automation priced: open (unknown intents mixed in) or closed.")
    resolved_share: float = Probability
    resolved_precision: float = Probability
    routed_share: float = Probability
    cheapest_route: str
    own_beats_api_above: float | None = Field(description="Volume above which our route costs the client less than "
                                              "the LLM route (None: at no high volume).")
    api_beats_own_above: float | None = Field(None, description="Volume above which the LLM route costs the client "
                                              "less than ours (None: at no high volume).")
    api_beats_human_above: float | None
    npv_base_usd: float = Field(description="Base case, with exit, money charged for.")
    npv_base_no_exit_usd: float
    funding_need_base_usd: float = Field(ge=0.0)
    runway_base_months: float
    gross_margin_last_year_pct: float
    p_npv_positive: float = Probability
    p_npv_positive_no_exit: float = Probability
    p_npv_positive_free_money: float = Probability
    p_runway_short: float = Probability
    p_needs_raise: float = Probability
    p_fail: float = Probability
    funding_need_median: float
    funding_need_p90: float
    npv_p10: float
    npv_median: float
    npv_p90: float
    npv_no_exit_median: float
    verdict: str
    monte_carlo_seconds: float = Field(ge=0.0)
    sources: dict[str, str]
    segments: list[SegmentResult] = Field(
        default_factory=list, description="Each go-to-market segment's plan (market.gtm), the recommended one marked."
    )
    llm_breakeven_accuracy: float | None = Field(
        None,
        description="Published LLM accuracy (closed world, as papers report it) at which the LLM route costs the "
        "client what ours does, our price included (above 1: never; below 0: the LLM is cheaper even when always "
        "wrong).",
    )


def write(result: MarketResult, path: Path) -> Path:
    path.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> MarketResult:
    return MarketResult.model_validate_json(Path(path).read_text(encoding="utf-8"))
