"""The report's parameters: the domains' sections composed into one schema, defaults in ``params/default.yaml``,
overlays on top, and what each notebook receives."""

from startup_report.market.config import GtmOption, MarketParams, Spread, TeamRole, Uncertain
from startup_report.params.loading import (
    changed_keys,
    dump,
    load_params,
    parse_override,
    schema_json,
    section_values,
)
from startup_report.params.messages import ParamsError, format_validation_error
from startup_report.params.notebook import notebook_values, section
from startup_report.params.schema import (
    MODEL_NAMES,
    SECTIONS,
    DataParams,
    EvaluationParams,
    ModelParams,
    Params,
    TrainingParams,
)
from startup_report.privacy.config import PrivacyParams

__all__ = [
    "MODEL_NAMES",
    "SECTIONS",
    "DataParams",
    "EvaluationParams",
    "GtmOption",
    "MarketParams",
    "ModelParams",
    "Params",
    "ParamsError",
    "PrivacyParams",
    "Spread",
    "TeamRole",
    "TrainingParams",
    "Uncertain",
    "changed_keys",
    "dump",
    "format_validation_error",
    "load_params",
    "notebook_values",
    "parse_override",
    "schema_json",
    "section",
    "section_values",
]
