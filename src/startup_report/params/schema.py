"""The report's parameter schema: one section per stage's domain, each value with its range and meaning.

Everything a user may tune is declared here (the market section in ``startup_report.market.config``), so a
bad value is rejected before any notebook starts, with a message that names the dotted key.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from startup_report.market.config import MarketParams
from startup_report.modeling.catalog import MODELS
from startup_report.params.section import Section
from startup_report.privacy.config import PrivacyParams


class DataParams(Section):
    """Which intent dataset to read and how to split it."""

    name: str = Field(
        "banking77",
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        description="Name of the dataset in `train` (lower case, digits, `_.-`): the report sets published results "
        "beside ours only from rows of data/literature/*.csv whose `dataset` column equals it, so set it when "
        "`train` is another dataset (a name without published rows shows none).",
    )
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
    drop_test_duplicates: bool = Field(False, description="Remove test texts that also occur in train instead of "
        "reporting them: off, as published results score the whole test set (3,080 on BANKING77).")  # fmt: skip


OpenWorldMethod = Literal["max_probability", "centroid_distance", "knn_similarity", "class_boundary"]
MODEL_NAMES: tuple[str, ...] = tuple(MODELS)
ModelName = Literal[MODEL_NAMES]  # type: ignore[valid-type]


class ModelParams(Section):
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


class TrainingParams(Section):
    """The experiment grid: which models, at which label budgets, with how many seeds."""

    models: list[ModelName] = Field(
        list(MODEL_NAMES), min_length=1, description="Models to train, from: " + ", ".join(MODEL_NAMES) + "."
    )
    budgets: list[int] = Field([10, 30], description="Few-shot budgets: training examples per intent (each >= 1).")
    include_full: bool = Field(True, description="Also train on the full training split.")
    n_seeds: int = Field(3, ge=1, le=50, description="Seeds per budget (different few-shot draws and inits).")
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
    budgets_by_model: dict[ModelName, list[int | Literal["full"]]] = Field(
        {"transformer-encoder": ["full"], "minilm-finetuned": [10, "full"], "minilm-setfit": [10]},
        description="Models trained at other budgets than `budgets` + full (CPU cost). Default: the from-scratch "
        "Transformer at the full budget only (at 10 and 30 per intent it matched the pooling model within 0.015 "
        "over 5 seeds, README); fine-tuning and SetFit at 10 per intent (and fine-tuning on full data), where "
        "both are set against the frozen encoder (a fine-tuning run at 30 cost 93 s for 0.877 against 0.896).",
    )
    seeds_by_model: dict[ModelName, int] = Field(
        {"transformer-encoder": 1, "minilm-keras-head": 2, "minilm-finetuned": 1, "minilm-setfit": 1},
        description="Models trained with fewer (or more) seeds than `n_seeds`, the first n of the grid's seeds.",
    )
    finetune_epochs: int = Field(2, ge=1, le=50, description="Epochs of a fine-tuning run.")
    finetune_max_steps: int | None = Field(
        None, ge=1, le=10**7, description="Optional cap on optimiser steps per fine-tuning run (smoke runs use it)."
    )
    finetune_learning_rate: float = Field(
        3e-4, gt=0.0, le=1.0, description="Peak AdamW learning rate of the encoder's layers."
    )
    finetune_head_learning_rate: float = Field(
        2e-3,
        gt=0.0,
        le=1.0,
        description="Peak AdamW learning rate of the new classification head, which starts from random weights "
        "and so takes a larger rate than the pretrained layers.",
    )
    finetune_warmup_ratio: float = Field(
        0.06, ge=0.0, lt=1.0, description="Share of the fine-tuning steps over which the learning rate warms up "
        "linearly from 0 (then it decays linearly to 0), so the new head's first large gradients do not disturb "
        "the pretrained layers.",
    )
    finetune_weight_decay: float = Field(
        0.01, ge=0.0, le=1.0, description="AdamW weight decay in fine-tuning (the usual BERT fine-tuning value)."
    )
    finetune_sequence_length: int = Field(
        64, ge=8, le=512, description="Tokens kept per message in fine-tuning (64 keeps 99.7 % of BANKING77 whole)."
    )
    finetune_train_embeddings: bool = Field(
        False,
        description="Fine-tuning also updates the word-embedding table (11.7 M of 22.7 M weights); off keeps it "
        "pretrained, which made a step 25 % faster here (test accuracy 0.928 either way, at learning rate 3e-4).",
    )
    setfit_iterations: int = Field(
        20, ge=1, le=1000, description="SetFit: positive and negative pairs drawn per training message (paper: 20)."
    )
    setfit_max_steps: int = Field(
        20,
        ge=1,
        le=10**6,
        description="SetFit: optimiser steps on pairs (batches of `batch_size`). At 10 per intent, seed 42: 85.1 % "
        "test accuracy with 20 steps and with 40 (twice the CPU time), against 85.2 ± 0.5 % for the frozen "
        "encoder + logistic regression (CPU cost, README).",
    )
    setfit_learning_rate: float = Field(
        2e-5, gt=0.0, le=1.0, description="SetFit: peak AdamW learning rate of the encoder on pairs (paper: 2e-5)."
    )
    ensembles: list[list[ModelName]] = Field(
        [
            ["minilm-finetuned", "tfidf-logreg"],
            ["minilm-finetuned", "tfidf-logreg", "minilm-keras-head"],
            ["minilm-setfit", "tfidf-logreg"],
            ["minilm-logreg", "tfidf-logreg"],
        ],
        description="Groups of 2 to 4 models whose test probabilities are averaged with weights chosen on "
        "validation (a 0.05 grid), wherever all ran at the same budget and seed (no training: read from stored "
        "probabilities). The trio adds the Keras head on frozen embeddings to fine-tuning + TF-IDF: of the four "
        "possible third members it had the best validation accuracy on the default data (seed 42, full budget: "
        "0.946 against 0.945 Transformer, 0.943 logistic regression, 0.942 pooling).",
    )
    precision: Literal["auto", "fp32", "bf16"] = Field("fp32", description="Float precision of fine-tuning: fp32 "
        "gives the same numbers on every CPU. bf16 (profile params/bf16.yaml) is 1.3x faster where the CPU has native "
        "bf16 (AVX512-BF16/AMX) and 17x slower where it is emulated, and its numbers differ (full-data trio 0.9375 in "
        "bf16 against 0.9424 in fp32); auto = bf16 only on CPUs with native bf16: two answers on two CPUs.")
    torch_threads: int = Field(2, ge=1, le=256, description="PyTorch threads of fine-tuning and SetFit, fixed (not "
                               "one per core): another count reorders float sums, hence the last digits.")  # fmt: skip

    @field_validator("seeds_by_model")
    @classmethod
    def _at_least_one_seed(cls, value: dict[str, int]) -> dict[str, int]:
        if any(n < 1 for n in value.values()):
            raise ValueError("every model needs at least 1 seed")
        return value

    @field_validator("ensembles")
    @classmethod
    def _groups(cls, value: list[list[str]]) -> list[list[str]]:
        for group in value:
            if not 2 <= len(group) <= 4 or len(set(group)) != len(group):
                raise ValueError(f"an ensemble is 2 to 4 different models, got {group}")
        return value

    @field_validator("budgets")
    @classmethod
    def _positive_sorted(cls, value: list[int]) -> list[int]:
        if any(b < 1 for b in value):
            raise ValueError("every budget must be at least 1 example per intent")
        return sorted(set(value))


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
    openworld_seeds: int = Field(5, ge=1, le=50, description="Open world: draws of the known intents per share "
                                 "(seeds: seed, seed + 1, ...); the literature averages several.")  # fmt: skip
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
        "after 60 one at a time for latency; each model is measured in a fresh process.",
    )
    llm_models: list[str] = Field(
        ["GPT-5.4 mini", "GPT-4.1 nano", "Claude Haiku 4.5", "Gemini 2.5 Flash-Lite", "deepseek-v4-flash"],
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


class Params(Section):
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


