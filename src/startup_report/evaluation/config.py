"""The evaluation section of the parameters: the operating point, the intervals, and the open-world experiment.

It lives beside the evaluation code; ``startup_report.params`` composes it with the other sections.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from startup_report.section import Section

OpenWorldMethod = Literal["max_probability", "centroid_distance", "knn_similarity", "class_boundary"]


class EvaluationParams(Section):
    """What the evaluation stage measures and at which operating point."""

    target_precision: float = Field(
        0.95, gt=0.0, le=1.0, description="Precision the auto-answered messages must reach."
    )
    confusion_top_k: int = Field(15, ge=2, le=200, description="Intents shown in the F1 figure and confusion heatmap.")
    bootstrap_samples: int = Field(1000, ge=50, le=100000, description="Resamples for the 95% intervals.")
    calibration_bins: int = Field(15, ge=2, le=100, description="Equal-width confidence bins of the ECE.")
    out_of_scope_label: str | None = Field(
        None, description="Label marking out-of-scope messages, if the dataset has one (BANKING77 has none)."
    )
    openworld_known_shares: list[float] = Field(
        [0.25, 0.5, 0.75],
        min_length=1,
        description="Open world: shares of the intents known at training, the rest held out as unknown "
        "(25/50/75 % as in Shu et al. 2017, Lin & Xu 2019, Zhang et al. 2021); ignored when "
        "`out_of_scope_label` is set.",
    )
    openworld_seeds: int = Field(
        5,
        ge=1,
        le=50,
        description="Open world: draws of the known intents per share (seeds: seed, seed + 1, ...); the "
        "literature averages several (10 in Zhang et al. 2021), 5 here.",
    )
    openworld_methods: list[OpenWorldMethod] = Field(
        ["max_probability", "centroid_distance", "knn_similarity", "class_boundary"],
        min_length=1,
        description="Open world: rejection rules, each measured at two thresholds chosen on known-intent "
        "validation messages: for `target_precision` (the market's) and keeping 95 % of them (the literature's "
        "open-detection kind). The top class probability; the cosine similarity of the message's embedding to "
        "the predicted intent's centre; to the nearest known training message; or that centre similarity in "
        "standard deviations of the intent's own training messages (a per-intent boundary).",
    )
    openworld_handoff_share: float = Field(
        0.75,
        gt=0.0,
        lt=1.0,
        description="Open world: the known share whose automation metrics.json hands to the market (one of "
        "`openworld_known_shares`; 75 % is the mildest setting of the literature).",
    )
    openworld_handoff_method: OpenWorldMethod = Field(
        "max_probability",
        description="Open world: the rejection rule handed to the market (one of `openworld_methods`); the top "
        "probability is the rule the closed-world automation uses, so the two differ only by the unknowns.",
    )
    cpu_price_key: str = Field(
        "aws_m7g_large_on_demand_usd_per_hour",
        min_length=1,
        description="Row of data/market/compute.csv whose value is the hourly price of the 2-vCPU serving "
        "machine (default: AWS m7g.large on-demand, us-east-1, 2026); the one source of that price.",
    )
    cpu_usd_per_hour: float | None = Field(
        None,
        gt=0.0,
        le=100.0,
        description="Override of the sourced serving-machine price, in USD per hour (an assumption, labelled as "
        "such in the chapter); null reads `cpu_price_key` from compute.csv.",
    )
    serving_messages: int = Field(
        512,
        ge=32,
        le=100000,
        description="Test messages each model classifies (in batches of 32) to measure its serving throughput, "
        "after `serving_singles` one at a time for latency; each model is measured in a fresh process.",
    )
    serving_singles: int = Field(
        60,
        ge=5,
        le=10000,
        description="Test messages classified one at a time in each of the three rounds, for the p50 and p95 latency.",
    )
    serving_attempts: int = Field(
        2,
        ge=1,
        le=5,
        description="Measurements of a model at most while its rounds disagree (the machine was busy); a busy "
        "measurement serves this build only, however many attempts it took.",
    )
    llm_models: list[str] = Field(
        ["GPT-5.4 mini", "GPT-6 Luna", "Claude Haiku 4.5", "Gemini 2.5 Flash-Lite", "deepseek-v4-flash"],
        description="API models (the `model` column of data/market/llm_prices.csv) priced against our own serving.",
    )

    @field_validator("openworld_known_shares")
    @classmethod
    def _shares_between_0_and_1(cls, value: list[float]) -> list[float]:
        if any(not 0.0 < share < 1.0 for share in value):
            raise ValueError("every known share must be between 0 and 1 (exclusive), e.g. [0.25, 0.5, 0.75]")
        return sorted(set(value))

    @model_validator(mode="after")
    def _handoff_is_measured(self) -> EvaluationParams:
        if self.openworld_handoff_share not in self.openworld_known_shares:
            raise ValueError(
                f"openworld_handoff_share {self.openworld_handoff_share} is not one of openworld_known_shares "
                f"{self.openworld_known_shares}; add it there or choose one of them"
            )
        if self.openworld_handoff_method not in self.openworld_methods:
            raise ValueError(
                f"openworld_handoff_method {self.openworld_handoff_method!r} is not one of openworld_methods "
                f"{self.openworld_methods}; add it there or choose one of them"
            )
        return self
