"""The model and training sections of the parameters: the families' architectures and the experiment grid.

They live beside the modeling code; ``startup_report.params`` composes them with the other sections.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from startup_report.modeling.catalog import MODELS
from startup_report.section import Section

MODEL_NAMES: tuple[str, ...] = tuple(MODELS)
ModelName = Literal[MODEL_NAMES]  # type: ignore[valid-type]
Seeds = Annotated[int, Field(ge=1, le=50)]  # training.n_seeds and every count of seeds: the same cap
Budget = Annotated[int, Field(ge=1, le=10_000)]  # examples per intent, in budgets and budgets_by_model


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
    budgets: list[Budget] = Field(
        [10, 30], max_length=20, description="Few-shot budgets: training examples per intent (each 1 to 10,000)."
    )
    include_full: bool = Field(True, description="Also train on the full training split.")
    n_seeds: Seeds = Field(3, description="Seeds per budget (different few-shot draws and inits).")
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
    budgets_by_model: dict[ModelName, Annotated[list[Budget | Literal["full"]], Field(max_length=20)]] = Field(
        {"transformer-encoder": ["full"], "minilm-finetuned": [10, "full"], "minilm-setfit": [10]},
        description="Models trained at other budgets than `budgets` + full (CPU cost). Default: the from-scratch "
        "Transformer at the full budget only (at 10 and 30 per intent it matched the pooling model within 0.015 "
        "over 5 seeds, README); fine-tuning and SetFit at 10 per intent (and fine-tuning on full data), where "
        "both are set against the frozen encoder (a fine-tuning run at 30 cost 93 s for 0.877 against 0.896).",
    )
    seeds_by_model: dict[ModelName, Seeds] = Field(
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
        0.06,
        ge=0.0,
        lt=1.0,
        description="Share of the fine-tuning steps over which the learning rate warms up "
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
        description="SetFit: optimiser steps on pairs (batches of `batch_size`). The chain's default is small: "
        "five times as many steps gave +0.2 points over the frozen encoder + logistic regression, within the seed "
        "spread (`make levers`, data/levers/fewshot10.csv).",
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
    precision: Literal["auto", "fp32", "bf16"] = Field(
        "fp32",
        description="Float precision of the PyTorch training (fine-tuning): fp32 gives the same numbers on every "
        "CPU. bf16 (profile params/bf16.yaml) is 1.3x faster where the CPU has native bf16 (AVX512-BF16/AMX) and "
        "17x slower where it is emulated, and its numbers differ (full-data trio 0.9375 in bf16 against 0.9424 in "
        "fp32); auto = bf16 only on CPUs with native bf16, so one parameter file gives two answers on two CPUs.",
    )
    torch_threads: int = Field(
        2,
        ge=1,
        le=256,
        description="Intra-op threads of the PyTorch training and scoring (fine-tuning, SetFit), fixed rather "
        "than one per core: another thread count changes the order of float sums, hence the last digits.",
    )

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
