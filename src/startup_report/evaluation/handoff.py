"""The evaluation -> market hand-off: ``metrics.json``, validated on write and on read.

The market stage reads only this file, so its schema is the contract between the two chapters:
the production model's measured quality, automation and serving cost, and the same per family.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from startup_report.evaluation.scores import Quality

Fraction = Field(ge=0.0, le=1.0)
FINETUNED = "minilm-finetuned"  # the run whose training cost the market chapter compares with an API


class ModelMetrics(BaseModel):
    """Measured on the test set and on this machine, for one model."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    model: str
    family: str
    accuracy: float = Fraction
    accuracy_ci: tuple[float, float] = Field(description="Bootstrap 95% interval of accuracy.")
    macro_f1: float = Fraction
    macro_f1_ci: tuple[float, float]
    ece: float = Field(ge=0.0, le=1.0, description="Expected calibration error after temperature scaling.")
    ece_before: float = Field(ge=0.0, le=1.0, description="ECE of the raw probabilities.")
    temperature: float = Field(gt=0.0)
    target_precision: float = Fraction
    threshold: float
    automation_rate: float = Field(ge=0.0, le=1.0, description="Share of test messages answered automatically.")
    automation_rate_ci: tuple[float, float]
    automation_precision: float = Field(ge=0.0, le=1.0, description="Accuracy of the auto-answered messages.")
    automation_precision_ci: tuple[float, float]
    out_of_scope_let_through: int | None = None
    latency_ms_p50: float = Field(gt=0.0)
    latency_ms_p95: float = Field(gt=0.0)
    throughput_per_s: float = Field(gt=0.0)
    peak_memory_mb: float = Field(gt=0.0)
    serving_cost_per_million_usd: float = Field(ge=0.0)

    @classmethod
    def from_parts(cls, quality: dict, serving: dict) -> ModelMetrics:
        """Join the quality figures and the serving measurement of one model (extra serving keys dropped)."""
        return cls(**quality, **{key: value for key, value in serving.items() if key in cls.model_fields})


class OpenWorld(BaseModel):
    """Automation when unknown intents are mixed in (the market's default), beside the same model's closed world.

    Measured with the frozen-encoder logistic regression trained on the known intents only; the threshold
    of the rejection rule is chosen on known-intent validation messages for the target precision.
    """

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    source: Literal["held-out intents", "out-of-scope label"]
    model: str
    rejection: str = Field(description="Rule that sends a message to a human: max_probability or centroid_distance.")
    known_share: float = Field(gt=0.0, le=1.0, description="Share of the intents known at training.")
    seeds: int = Field(ge=1, description="Draws of the known intents averaged.")
    automation_rate: float = Field(ge=0.0, le=1.0, description="Share of all test messages answered automatically.")
    automation_rate_sd: float = Field(ge=0.0, description="Standard deviation over the draws.")
    automation_precision: float = Field(ge=0.0, le=1.0, description="Right answers among them (unknown = wrong).")
    closed_automation_rate: float = Field(ge=0.0, le=1.0, description="The same model on known intents only.")
    closed_automation_precision: float = Fraction
    unknown_automated: float = Field(ge=0.0, le=1.0, description="Share of unknown-intent messages answered.")
    known_accuracy: float = Fraction
    open_f1: float = Fraction


class EvaluationMetrics(ModelMetrics):
    """The production model's figures at the top level, every family's best model under `families`."""

    dataset: str = Field(min_length=1, description="data.name of the run (the data card's): what was measured.")
    n_test: int = Field(gt=0)
    cpu_usd_per_hour: float = Field(gt=0.0)
    llm_tokens_per_message: float = Field(gt=0.0, description="Mean input tokens of an LLM classification call.")
    llm_prompt_tokens: float = Field(
        gt=0.0, description="Of those, the prompt with the intent list: the same on every call (cacheable)."
    )
    llm_output_tokens: float = Field(gt=0.0)
    finetune_train_seconds: float | None = Field(None, description="CPU seconds of the best fine-tuning run.")
    finetune_parameters: int | None = Field(None, description="Parameters trained end to end in that run.")
    families: dict[str, ModelMetrics]
    open_world: OpenWorld


def assemble(
    quality: Mapping[str, Quality],
    measured: Mapping[str, Mapping[str, float]],
    production: str,
    *,
    dataset: str,
    n_test: int,
    cpu_usd_per_hour: float,
    profile: Mapping[str, float],
    runs: pd.DataFrame,
    open_world: OpenWorld,
) -> EvaluationMetrics:
    """The hand-off: every family's quality joined with its serving measurement, the production family on top.

    ``profile`` is `llmcost.token_profile`'s result; ``runs`` the training stage's best runs, from which the
    fine-tuned encoder's training time and size are taken (None when it was not trained).
    """
    families = {family: ModelMetrics.from_parts(quality[family].figures, measured[family]) for family in quality}
    by_model = runs.set_index("model")
    return EvaluationMetrics(
        **families[production].model_dump(),
        dataset=dataset,
        n_test=n_test,
        cpu_usd_per_hour=cpu_usd_per_hour,
        llm_tokens_per_message=profile["input_tokens_mean"],
        llm_prompt_tokens=profile["prompt_tokens"],
        llm_output_tokens=profile["output_tokens_mean"],
        finetune_train_seconds=by_model["train_seconds"].get(FINETUNED),
        finetune_parameters=by_model["parameters"].get(FINETUNED),
        families=families,
        open_world=open_world,
    )


def write(metrics: EvaluationMetrics, path: Path) -> Path:
    path.write_text(metrics.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> EvaluationMetrics:
    return EvaluationMetrics.model_validate_json(Path(path).read_text(encoding="utf-8"))
