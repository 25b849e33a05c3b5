"""The base of every parameter section: unknown keys are errors, values cannot change after validation, and no
float may be NaN or infinite (in nested lists and ranges too: pydantic applies the setting to every float)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
