"""Model factories built from the parameters: one callable per model name in ``training.models``."""

from __future__ import annotations

from collections.abc import Sequence

from startup_report.modeling.classical import TfidfLogReg
from startup_report.modeling.encoder import SentenceEncoder
from startup_report.modeling.frozen import FrozenKerasHead, FrozenLogReg
from startup_report.modeling.grid import FULL, ModelFactory
from startup_report.modeling.scratch import KerasScratch
from startup_report.params import ModelParams, TrainingParams

PRETRAINED = ("minilm-logreg", "minilm-keras-head", "minilm-finetuned")


def factories(
    model: ModelParams,
    training: TrainingParams,
    n_classes: int,
    encoder: SentenceEncoder | None,
    seconds_per_text: float = 0.0,
) -> dict[str, ModelFactory]:
    """Fresh, untrained models for every requested name; the encoder is shared by the frozen models."""
    keras_fit = {
        "epochs": training.epochs,
        "batch_size": training.batch_size,
        "learning_rate": training.learning_rate,
        "patience": training.patience,
    }
    scratch = {
        "max_tokens": model.max_tokens,
        "sequence_length": model.sequence_length,
        "embedding_dim": model.embedding_dim,
        **keras_fit,
    }

    def frozen(instance):
        instance.seconds_per_text = seconds_per_text
        return instance

    def finetuned():
        from startup_report.modeling.finetune import FineTunedEncoder

        return FineTunedEncoder(
            n_classes,
            time_budget_s=training.finetune_time_budget_s,
            max_epochs=training.finetune_epochs,
            max_steps=training.finetune_max_steps,
            batch_size=training.batch_size,
            log_every=0,  # the grid prints one line per run; per-step lines would flood the notebook
        )

    available: dict[str, ModelFactory] = {
        "tfidf-logreg": lambda: TfidfLogReg(n_classes, c=model.logreg_c),
        "embedding-pooling": lambda: KerasScratch(
            "embedding-pooling", n_classes, hidden_units=model.hidden_units, dropout=model.dropout, **scratch
        ),
        "transformer-encoder": lambda: KerasScratch(
            "transformer-encoder",
            n_classes,
            heads=model.transformer_heads,
            ff_units=model.transformer_ff_units,
            dropout=model.dropout / 2,
            **{**scratch, "learning_rate": min(training.learning_rate, 1e-3)},
        ),
        "minilm-logreg": lambda: frozen(FrozenLogReg(encoder, n_classes, c=model.logreg_c)),
        "minilm-keras-head": lambda: frozen(
            FrozenKerasHead(
                encoder,
                n_classes,
                hidden_units=model.head_hidden_units,
                dropout=model.dropout / 2,
                epochs=max(training.epochs, 50),
                batch_size=training.batch_size,
                learning_rate=training.learning_rate,
                patience=training.patience + 2,
            )
        ),
        "minilm-finetuned": finetuned,
    }
    return {name: available[name] for name in training.models}


DETERMINISTIC = ("tfidf-logreg", "minilm-logreg")


def seed_plan(training: TrainingParams, seed: int):
    """Seeds per (model, budget): the full budget of a deterministic model runs once, fine-tuning only
    at its budgets and once per budget (CPU cost); everything else at every seed."""
    seeds = [seed + i for i in range(training.n_seeds)]
    finetune_budgets = {str(b) for b in training.finetune_budgets}

    def seeds_for(name: str, budget: int | str) -> Sequence[int]:
        if name == "minilm-finetuned":
            return seeds[:1] if str(budget) in finetune_budgets else []
        if budget == FULL and name in DETERMINISTIC:
            return seeds[:1]
        return seeds

    return seeds, seeds_for
