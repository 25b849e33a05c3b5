"""The what-if section of the parameters: how many inputs the reader moves, how finely, on how many draws."""

from __future__ import annotations

from pydantic import Field, model_validator

from startup_report.section import Section


class WhatIfParams(Section):
    """The what-if page: how many inputs a reader moves, how finely, and how many draws each answer rests on."""

    controls: int = Field(
        4,
        ge=4,
        le=6,
        description="Inputs the reader moves: client size, CAC, price and churn, then the tornado's next highest "
        "that a parameter sets. The grid grows as resolution ** controls per segment.",
    )
    resolution: int = Field(4, ge=2, le=9, description="Positions per control, the report's own value among them.")
    draws: int = Field(
        500,
        ge=100,
        le=100_000,
        description="Monte Carlo draws per grid point (same seed at every point); the report's own point uses "
        "market.draws, so it shows the summary's numbers exactly.",
    )
    max_points: int = Field(
        5_000, ge=1, le=1_000_000, description="Refuse a grid of more points than this (all segments together)."
    )

    @model_validator(mode="after")
    def _affordable(self) -> WhatIfParams:
        if self.resolution**self.controls > self.max_points:
            raise ValueError(
                f"a grid of resolution {self.resolution} over {self.controls} controls has "
                f"{self.resolution**self.controls:,} points a segment, over max_points {self.max_points:,}; "
                "lower whatif.resolution or whatif.controls (or raise whatif.max_points)"
            )
        return self
