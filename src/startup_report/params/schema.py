"""The report's parameters: the sections, each declared beside its domain's code, composed into one schema.

Everything a user may tune is declared in a section, so a bad value is rejected before any notebook starts,
with a message that names the dotted key.
"""

from __future__ import annotations

from pydantic import Field

from startup_report.data.config import DataParams
from startup_report.evaluation.config import EvaluationParams
from startup_report.market.config import MarketParams
from startup_report.market.whatif_config import WhatIfParams
from startup_report.modeling.config import MODEL_NAMES, ModelParams, TrainingParams
from startup_report.privacy.config import PrivacyParams
from startup_report.section import Section

__all__ = ["MODEL_NAMES", "SECTIONS", "DataParams", "ModelParams", "Params", "TrainingParams"]


class Params(Section):
    """All parameters of the report. Sections map to chain stages."""

    seed: int = Field(42, ge=0, le=2**32 - 1, description="Seed for every random choice in the chain.")
    data: DataParams = DataParams()
    model: ModelParams = ModelParams()
    training: TrainingParams = TrainingParams()
    evaluation: EvaluationParams = EvaluationParams()
    market: MarketParams = MarketParams()
    privacy: PrivacyParams = PrivacyParams()
    whatif: WhatIfParams = WhatIfParams()


SECTIONS: tuple[str, ...] = ("data", "model", "training", "evaluation", "market", "privacy", "whatif")
