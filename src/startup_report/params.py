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


ModelName = Literal[
    "tfidf-logreg", "embedding-pooling", "transformer-encoder", "minilm-logreg", "minilm-keras-head", "minilm-finetuned"
]
MODEL_NAMES: tuple[str, ...] = ModelName.__args__


class ModelParams(_Section):
    """Architectures of the model families (see the model-building chapter)."""

    max_tokens: int = Field(20000, ge=100, le=200000, description="Vocabulary size, most frequent tokens first.")
    sequence_length: int = Field(32, ge=4, le=512, description="Tokens per message after padding/truncation.")
    embedding_dim: int = Field(64, ge=4, le=1024, description="Width of the from-scratch token embedding.")
    hidden_units: int = Field(128, ge=0, le=4096, description="Hidden layer of the pooling model (0 = none).")
    dropout: float = Field(0.2, ge=0.0, lt=1.0, description="Dropout rate before the classifier.")
    transformer_heads: int = Field(2, ge=1, le=16, description="Attention heads of the from-scratch Transformer.")
    transformer_ff_units: int = Field(128, ge=8, le=4096, description="Feed-forward width of the Transformer.")
    head_hidden_units: int = Field(0, ge=0, le=4096, description="Hidden layer of the frozen-encoder head (0 = none).")
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
    finetune_budgets: list[int | Literal["full"]] = Field(
        ["full"], description="Budgets at which the encoder is fine-tuned (expensive on a CPU)."
    )
    finetune_time_budget_s: float = Field(
        300.0,
        gt=0.0,
        le=86400.0,
        description="Wall-clock seconds one fine-tuning run may train (a safety net: 3 epochs take ~160 s here).",
    )
    finetune_epochs: int = Field(3, ge=1, le=50, description="Maximum epochs of a fine-tuning run.")
    finetune_max_steps: int | None = Field(
        None, ge=1, le=10**7, description="Optional cap on optimiser steps: a machine-independent bound."
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


class Uncertain(_Section):
    """A range for one uncertain plan input; the Monte Carlo draws from it, the base value is the mode."""

    low: float = Field(description="Lowest plausible value.")
    high: float = Field(description="Highest plausible value.")
    dist: Literal["triangular", "uniform"] = Field("triangular", description="Shape of the draw.")

    @field_validator("high")
    @classmethod
    def _ordered(cls, high: float, info) -> float:
        if "low" in info.data and high < info.data["low"]:
            raise ValueError("high must be at least low")
        return high


class MarketParams(_Section):
    """The market model. Sourced figures come from ``data/market``; everything here without a source is
    an assumption, and the book labels it so."""

    facts_dir: str = Field("data/market", description="Folder of sourced market CSV files.")
    human_cost_key: str = Field(
        "human_cost_per_contact_live",
        description="Row key in contact_costs.csv giving the cost of a contact handled by a human agent.",
    )
    price_key: str = Field(
        "intercom_fin_price_per_resolution",
        description="Row key in contact_costs.csv of the competitor price per automated resolution we match.",
    )
    price_discount: float = Field(
        0.0, ge=0.0, lt=1.0, description="Assumption: discount on that market price we must give to win clients."
    )
    monthly_contacts: int = Field(
        20_000, ge=1, le=10**10, description="Assumption: customer contacts per month of one typical client."
    )
    error_cost_usd: float = Field(
        5.0, ge=0.0, le=10_000.0, description="Assumption: cost of a wrong automatic answer that reaches a customer."
    )
    llm_model: str = Field(
        "GPT-4.1 nano", description="API model of the 'LLM API with human fallback' route (llm_prices.csv `model`)."
    )
    llm_automation_rate: float = Field(
        0.85, ge=0.0, le=1.0, description="Assumption: share of contacts an LLM API route answers alone."
    )
    llm_precision: float = Field(0.95, ge=0.0, le=1.0, description="Assumption: precision of those LLM answers.")
    own_fixed_usd_per_month: float = Field(
        12_000.0, ge=0.0, le=1e8, description="Assumption: running our own model for one client (ML ops share)."
    )
    llm_fixed_usd_per_month: float = Field(
        3_000.0, ge=0.0, le=1e8, description="Assumption: integrating and monitoring an LLM API for one client."
    )
    tam_key: str = Field(
        "conv_ai_market_2026_grokipedia",
        description="Row key in market_size.csv used as the top-down total addressable market.",
    )
    sam_share: float = Field(
        0.3,
        gt=0.0,
        le=1.0,
        description="Assumption: share of that market that is "
        "customer-service intent routing and resolution (serviceable market).",
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
        description="Assumption: sales and marketing cost to win "
        "one client (about 12-20 months of its gross margin, the SaaS CAC-payback range in "
        "data/market/benchmarks.csv).",
    )
    discount_rate_annual: float = Field(0.3, ge=0.0, le=2.0, description="Assumption: venture discount rate.")
    exit_revenue_multiple: float = Field(
        4.0,
        ge=0.0,
        le=100.0,
        description="Assumption: value at the horizon as a multiple of the last twelve months' revenue.",
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
            "automation_rate": Uncertain(low=0.5, high=0.95),
            "contacts_per_customer_month": Uncertain(low=5_000, high=80_000),
            "opex_usd_per_month": Uncertain(low=120_000, high=280_000),
            "exit_revenue_multiple": Uncertain(low=1.0, high=10.0),
            "cac_usd": Uncertain(low=50_000, high=300_000),
        },
        description="Ranges of the uncertain plan inputs (names of finance.PlanInputs fields).",
    )
    gpu_hourly_key: str = Field("h100_rent_usd_per_gpu_hour", description="compute.csv key of the GPU rental price.")


class PrivacyParams(_Section):
    """The privacy chapter: simulated client banks, federated averaging and DP-SGD on the frozen-encoder head."""

    clients: int = Field(10, ge=2, le=200, description="Simulated client banks of the default federation.")
    alpha: float = Field(
        0.5,
        gt=0.0,
        le=1e4,
        description="Dirichlet concentration over intents of the default federation (low = skewed).",
    )
    alphas: list[float] = Field(
        [0.1, 1.0, 10.0], min_length=1, description="Concentrations compared on the skew axis (each > 0)."
    )
    client_counts: list[int] = Field(
        [5, 10, 20], min_length=1, description="Numbers of client banks compared (each >= 2)."
    )
    rounds: int = Field(
        30, ge=1, le=1000, description="FedAvg rounds; central training runs rounds x local_epochs epochs."
    )
    local_epochs: int = Field(1, ge=1, le=100, description="Epochs each client trains per round.")
    batch_size: int = Field(
        256, ge=1, le=4096, description="Messages per SGD step (expected size under Poisson sampling)."
    )
    learning_rate: float = Field(
        10.0, gt=0.0, le=1000.0, description="SGD learning rate of the head (embeddings have unit length)."
    )
    epsilons: list[float] = Field(
        [1.0, 3.0, 8.0],
        min_length=1,
        description="Privacy budgets compared; epsilon = infinity (no DP) is always added.",
    )
    delta: float | None = Field(None, gt=0.0, lt=1.0, description="DP delta; null means 1/n for n training messages.")
    max_grad_norm: float = Field(
        1.0, gt=0.0, le=100.0, description="DP-SGD clipping norm C of each per-example gradient."
    )
    min_client_size: int = Field(10, ge=1, le=10000, description="Fewest messages a simulated bank may hold.")
    explain_messages: int = Field(3, ge=1, le=20, description="Confident mistakes explained word by word.")
    neighbours: int = Field(3, ge=1, le=20, description="Nearest training messages shown per intent.")

    @field_validator("alphas")
    @classmethod
    def _positive(cls, value: list[float]) -> list[float]:
        if any(a <= 0 for a in value):
            raise ValueError("every concentration must be positive")
        return value

    @field_validator("client_counts")
    @classmethod
    def _at_least_two(cls, value: list[int]) -> list[int]:
        if any(k < 2 for k in value):
            raise ValueError("a federation needs at least 2 clients")
        return sorted(set(value))

    @field_validator("epsilons")
    @classmethod
    def _finite_positive(cls, value: list[float]) -> list[float]:
        if any(not 0 < e < float("inf") for e in value):
            raise ValueError("each epsilon must be positive and finite (infinity is always added)")
        return sorted(set(value))


class Params(_Section):
    """All parameters of the report. Sections map to chain stages."""

    seed: int = Field(42, ge=0, le=2**32 - 1, description="Seed for every random choice in the chain.")
    data: DataParams = DataParams()
    model: ModelParams = ModelParams()
    training: TrainingParams = TrainingParams()
    evaluation: EvaluationParams = EvaluationParams()
    market: MarketParams = MarketParams()
    privacy: PrivacyParams = PrivacyParams()

    @field_validator("data", "model", "training", "evaluation", "market", "privacy", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value


SECTIONS: tuple[str, ...] = ("data", "model", "training", "evaluation", "market", "privacy")


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
