"""The report's parameters: one pydantic schema, defaults in ``params/default.yaml``, overlays on top."""

from startup_report.market.config import GtmOption, MarketParams, Spread, TeamRole, Uncertain
from startup_report.params.loading import (
    changed_keys,
    dump,
    flatten,
    from_namespace,
    load_params,
    parse_override,
    schema_json,
    section_values,
)
from startup_report.params.messages import ParamsError, format_validation_error
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
    "flatten",
    "format_validation_error",
    "from_namespace",
    "load_params",
    "parse_override",
    "schema_json",
    "section_values",
]
