"""The report's parameters: one pydantic schema, defaults in ``params/default.yaml``, overlays on top.

Everything a user may tune is declared here with its allowed range, so that a bad value is rejected
before any notebook starts, with a message that names the dotted key and says what is allowed.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from startup_report.market.config import GtmOption, MarketParams, TeamRole, Uncertain  # noqa: F401 (re-exported)
from startup_report.modeling.catalog import MODELS


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataParams(_Section):
    """Which intent dataset to read and how to split it."""

    train: str = Field(
        "data/raw/banking77/train.csv", description="Training file (CSV or Parquet), relative to the project root."
    )
    test: str | None = Field(
        "data/raw/banking77/test.csv",
        description="Test file; null makes a stratified test split of `train` by seed.",
    )
    text_column: str = Field("text", min_length=1, description="Column holding the message text.")
    label_column: str = Field("category", min_length=1, description="Column holding the intent label.")
    sample_fraction: float = Field(
        1.0, gt=0.0, le=1.0, description="Stratified fraction of train and test to keep (smoke runs use less)."
    )
    test_fraction: float = Field(0.2, gt=0.0, lt=0.5, description="Test share when `test` is null.")
    validation_fraction: float = Field(
        0.1, gt=0.0, lt=0.5, description="Share of the training data held out for early stopping."
    )
    drop_test_duplicates: bool = Field(
        True, description="Remove test texts that also occur in train (leakage) instead of only reporting them."
    )


MODEL_NAMES: tuple[str, ...] = tuple(MODELS)
ModelName = Literal[MODEL_NAMES]  # type: ignore[valid-type]


class ModelParams(_Section):
    """Architectures of the model families (see the model-building chapter)."""

    max_tokens: int = Field(20000, ge=100, le=200000, description="Vocabulary size, most frequent tokens first.")
    sequence_length: int = Field(32, ge=4, le=512, description="Tokens per message after padding/truncation.")
    embedding_dim: int = Field(64, ge=4, le=1024, description="Width of the from-scratch token embedding.")
    hidden_units: int = Field(128, ge=0, le=4096, description="Hidden layer of the pooling model (0 = none).")
    dropout: float = Field(0.2, ge=0.0, lt=1.0, description="Dropout rate before the pooling model's classifier.")
    transformer_dropout: float = Field(0.1, ge=0.0, lt=1.0, description="Dropout rate inside the Transformer.")
    transformer_heads: int = Field(2, ge=1, le=16, description="Attention heads of the from-scratch Transformer.")
    transformer_ff_units: int = Field(128, ge=8, le=4096, description="Feed-forward width of the Transformer.")
    head_hidden_units: int = Field(0, ge=0, le=4096, description="Hidden layer of the frozen-encoder head (0 = none).")
    head_dropout: float = Field(0.1, ge=0.0, lt=1.0, description="Dropout rate of the frozen-encoder head.")
    logreg_c: float = Field(10.0, gt=0.0, le=1e6, description="Inverse L2 strength of the logistic regressions.")


class TrainingParams(_Section):
    """The experiment grid: which models, at which label budgets, with how many seeds."""

    models: list[ModelName] = Field(
        list(MODEL_NAMES), min_length=1, description="Models to train, from: " + ", ".join(MODEL_NAMES) + "."
    )
    budgets: list[int] = Field([10, 30], description="Few-shot budgets: training examples per intent (each >= 1).")
    include_full: bool = Field(True, description="Also train on the full training split.")
    n_seeds: int = Field(5, ge=1, le=50, description="Seeds per budget (different few-shot draws and inits).")
    epochs: int = Field(30, ge=1, le=1000, description="Maximum epochs of the Keras models.")
    batch_size: int = Field(32, ge=1, le=4096, description="Messages per gradient step.")
    learning_rate: float = Field(0.003, gt=0.0, le=1.0, description="Adam learning rate of the Keras models.")
    patience: int = Field(3, ge=1, le=100, description="Epochs without validation improvement before stopping.")
    transformer_learning_rate: float = Field(
        0.001, gt=0.0, le=1.0, description="Adam learning rate of the from-scratch Transformer (attention needs less)."
    )
    head_epochs: int = Field(
        50, ge=1, le=1000, description="Maximum epochs of the Keras head on frozen embeddings (an epoch is cheap)."
    )
    head_patience: int = Field(5, ge=1, le=100, description="Early-stopping patience of the frozen-encoder head.")
    finetune_budgets: list[int | Literal["full"]] = Field(
        ["full"], description="Budgets at which the encoder is fine-tuned (expensive on a CPU)."
    )
    finetune_n_seeds: int = Field(
        1, ge=1, le=50, description="Seeds per fine-tuning budget (the first n of the grid's seeds; CPU cost)."
    )
    finetune_epochs: int = Field(2, ge=1, le=50, description="Epochs of a fine-tuning run.")
    finetune_max_steps: int | None = Field(
        None, ge=1, le=10**7, description="Optional cap on optimiser steps per fine-tuning run (smoke runs use it)."
    )
    finetune_learning_rate: float = Field(
        2e-4, gt=0.0, le=1.0, description="Peak AdamW learning rate of the encoder (the new head uses 10x)."
    )
    finetune_sequence_length: int = Field(
        64, ge=8, le=512, description="Tokens kept per message in fine-tuning (64 keeps 99.7 % of BANKING77 whole)."
    )
    precision: Literal["auto", "fp32", "bf16"] = Field(
        "auto",
        description="Float precision of fine-tuning: auto = bf16 only on CPUs with native bf16 (AVX512-BF16/AMX), "
        "else fp32 (emulated bf16 ran 17x slower).",
    )

    @field_validator("budgets")
    @classmethod
    def _positive_sorted(cls, value: list[int]) -> list[int]:
        if any(b < 1 for b in value):
            raise ValueError("every budget must be at least 1 example per intent")
        return sorted(set(value))


class EvaluationParams(_Section):
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
    cpu_usd_per_hour: float = Field(
        0.0816,
        gt=0.0,
        le=100.0,
        description="Price of the 2-vCPU serving machine: AWS m7g.large on-demand, us-east-1, 2026 "
        "(data/market/compute.csv, key aws_m7g_large_on_demand_usd_per_hour).",
    )
    llm_models: list[str] = Field(
        ["GPT-5.4 mini", "GPT-4.1 nano", "Claude Haiku 4.5", "Gemini 2.5 Flash-Lite", "deepseek-v4-flash"],
        description="API models (the `model` column of data/market/llm_prices.csv) priced against our own serving.",
    )


class Params(_Section):
    """All parameters of the report. Sections map to chain stages."""

    seed: int = Field(42, ge=0, le=2**32 - 1, description="Seed for every random choice in the chain.")
    data: DataParams = DataParams()
    model: ModelParams = ModelParams()
    training: TrainingParams = TrainingParams()
    evaluation: EvaluationParams = EvaluationParams()
    market: MarketParams = MarketParams()

    @field_validator("data", "model", "training", "evaluation", "market", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value


SECTIONS: tuple[str, ...] = ("data", "model", "training", "evaluation", "market")


class ParamsError(ValueError):
    """Bad parameters: the message names the dotted key, what is allowed and how to fix it."""


def _dotted(loc: Iterable[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """Keys valid at the level where an unknown key ``loc`` appeared."""
    model: type[BaseModel] = Params
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        annotation = getattr(field, "annotation", None)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def _describe(error: Mapping[str, Any]) -> str:
    loc = tuple(error["loc"])
    key = _dotted(loc)
    if error["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc)
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f" Did you mean '{_dotted((*loc[:-1], near[0]))}'?" if near else ""
        where = f"in '{_dotted(loc[:-1])}'" if len(loc) > 1 else "at the top level"
        return f"{key}: unknown key.{hint} Allowed {where}: {', '.join(allowed)}."
    got = error.get("input")
    return f"{key}: {got!r} is not allowed: {error['msg']}. {_field_help(loc)}"


def _field_help(loc: tuple[Any, ...]) -> str:
    model: type[BaseModel] = Params
    field = None
    for part in loc:
        field = model.model_fields.get(str(part))
        if field is None:
            return ""
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
    if field is None:
        return ""
    return f"({field.description} Default: {field.default!r}.)"


def format_validation_error(exc: ValidationError, origin: str) -> str:
    lines = [f"Invalid parameters ({origin}):"]
    lines += [f"  - {_describe(err)}" for err in exc.errors()]
    lines.append(
        "Fix the value in the parameter file or with -p key=value; `startup-report params --schema` lists all."
    )
    return "\n".join(lines)


def _deep_merge(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ParamsError(f"Parameter file not found: {path}. Pass an existing YAML file to --params.")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParamsError(f"Parameter file {path} is not valid YAML: {exc}") from exc
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ParamsError(f"Parameter file {path} must hold a mapping of sections, not {type(content).__name__}.")
    return content


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``dotted.key=value``; the value is read as a YAML scalar (``3`` is an int, ``null`` is None)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise ParamsError(f"Override {text!r} must look like dotted.key=value, e.g. -p training.epochs=5.")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ParamsError(f"Override {text!r}: the value is not a YAML scalar ({exc}).") from exc
    return key.split("."), value


def load_params(root: Path, param_files: Iterable[Path] = (), overrides: Iterable[str] = ()) -> Params:
    """Defaults, then each ``--params`` file (later wins), then each ``-p`` override; then validate."""
    merged = _read_yaml(root / "params" / "default.yaml")
    origin = ["params/default.yaml"]
    for path in param_files:
        merged = _deep_merge(merged, _read_yaml(path))
        origin.append(str(path))
    for text in overrides:
        parts, value = parse_override(text)
        overlay: dict[str, Any] = {parts[-1]: value}
        for part in reversed(parts[:-1]):
            overlay = {part: overlay}
        merged = _deep_merge(merged, overlay)
        origin.append(f"-p {text}")
    try:
        return Params.model_validate(merged)
    except ValidationError as exc:
        raise ParamsError(format_validation_error(exc, " + ".join(origin))) from exc


def flatten(params: Params, keys: Iterable[str]) -> dict[str, Any]:
    """Notebook variables for the given top-level keys: ``seed`` and ``<section>_<field>``."""
    dumped = params.model_dump(mode="json")
    flat: dict[str, Any] = {}
    for key in keys:
        value = dumped[key]
        if key in SECTIONS:
            flat.update({f"{key}_{name}": item for name, item in value.items()})
        else:
            flat[key] = value
    return flat


def section_values(params: Params, keys: Iterable[str]) -> dict[str, Any]:
    """The stage's slice of the parameters, as plain JSON-ready data (for hashing and the manifest)."""
    dumped = params.model_dump(mode="json")
    return {key: dumped[key] for key in keys}


def changed_keys(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Dotted keys whose values differ between two parameter slices."""
    changed: list[str] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        dotted = f"{prefix}{key}"
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            changed += changed_keys(a, b, prefix=f"{dotted}.")
        elif a != b:
            changed.append(dotted)
    return changed


def schema_json() -> str:
    return json.dumps(Params.model_json_schema(), indent=2)


ParamsFormat = Literal["yaml", "json"]


def dump(params: Params, fmt: ParamsFormat = "yaml") -> str:
    data = params.model_dump(mode="json")
    if fmt == "json":
        return json.dumps(data, indent=2)
    return yaml.safe_dump(data, sort_keys=False)


def from_namespace(model: type[_Section], prefix: str, namespace: dict[str, Any]) -> Any:
    """Rebuild (and re-validate) a section from a notebook's ``<prefix>_<field>`` variables."""
    return model(**{name: namespace[f"{prefix}_{name}"] for name in model.model_fields})
