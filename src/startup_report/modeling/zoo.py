"""Models built from the parameters: each model's hyperparameters, written out, and a fresh instance from them.

Every value a model trains with comes from a parameter (no hidden overrides), and the per-model
configuration is a plain dict, so it can key the run cache and travel to a Dask worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from startup_report.modeling import precision as precision_
from startup_report.modeling.catalog import MODELS
from startup_report.modeling.config import ModelParams, TrainingParams
from startup_report.modeling.sampling import FULL


def model_config(name: str, model: ModelParams, training: TrainingParams) -> dict[str, Any]:
    """The hyperparameters ``name`` trains with (fp32 unless the parameters ask for bf16; ``auto`` is resolved
    for this CPU, so only an explicit precision gives the same model everywhere)."""
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
    }
    configs: dict[str, dict[str, Any]] = {
        "tfidf-logreg": {"c": model.logreg_c},
        "embedding-pooling": {**scratch, **keras_fit, "hidden_units": model.hidden_units, "dropout": model.dropout},
        "transformer-encoder": {
            **scratch,
            **keras_fit,
            "learning_rate": training.transformer_learning_rate,
            "heads": model.transformer_heads,
            "ff_units": model.transformer_ff_units,
            "dropout": model.transformer_dropout,
        },
        "minilm-logreg": {"c": model.logreg_c},
        "minilm-keras-head": {
            "hidden_units": model.head_hidden_units,
            "dropout": model.head_dropout,
            "epochs": training.head_epochs,
            "batch_size": training.batch_size,
            "learning_rate": training.learning_rate,
            "patience": training.head_patience,
        },
        "minilm-finetuned": {
            "max_epochs": training.finetune_epochs,
            "max_steps": training.finetune_max_steps,
            "batch_size": training.batch_size,
            "learning_rate": training.finetune_learning_rate,
            "head_learning_rate": training.finetune_head_learning_rate,
            "warmup_ratio": training.finetune_warmup_ratio,
            "weight_decay": training.finetune_weight_decay,
            "max_seq_length": training.finetune_sequence_length,
            "precision": precision_.resolve(training.precision),
            "train_word_embeddings": training.finetune_train_embeddings,
            "threads": training.torch_threads,
        },
        "minilm-setfit": {
            "num_iterations": training.setfit_iterations,
            "max_steps": training.setfit_max_steps,
            "batch_size": training.batch_size,
            "learning_rate": training.setfit_learning_rate,
            "c": model.logreg_c,
            "max_seq_length": training.finetune_sequence_length,
            "threads": training.torch_threads,
        },
    }
    return configs[name]


def build(name: str, n_classes: int, config: dict[str, Any], encoder: Any = None) -> Any:
    """A fresh, untrained model; the pretrained families read ``encoder`` (a SentenceEncoder)."""
    if name == "tfidf-logreg":
        from startup_report.modeling.classical import TfidfLogReg

        return TfidfLogReg(n_classes, **config)
    if name in ("embedding-pooling", "transformer-encoder"):
        from startup_report.modeling.scratch import KerasScratch

        return KerasScratch(name, n_classes, **config)
    if name == "minilm-logreg":
        from startup_report.modeling.frozen import FrozenLogReg

        return FrozenLogReg(encoder, n_classes, **config)
    if name == "minilm-keras-head":
        from startup_report.modeling.frozenhead import FrozenKerasHead

        return FrozenKerasHead(encoder, n_classes, **config)
    if name == "minilm-finetuned":
        from startup_report.modeling.finetune import FineTunedEncoder

        # One progress line per run comes from the grid; per-step lines would flood the notebook.
        return FineTunedEncoder(n_classes, log_every=0, **config)
    if name == "minilm-setfit":
        from startup_report.modeling.contrastive import SetFitClassifier

        return SetFitClassifier(n_classes, **config)
    raise KeyError(f"unknown model {name!r}; known: {', '.join(MODELS)}")


def seeds_for(name: str, budget: int | str, training: TrainingParams, seed: int) -> list[int]:
    """Seeds of one (model, budget): none when the model skips the budget (``budgets_by_model``); its own seed
    count where set (``seeds_by_model``, CPU cost); one at the full budget for a deterministic model (every
    seed gives the same model); else ``n_seeds``."""
    if name in training.budgets_by_model and str(budget) not in {str(b) for b in training.budgets_by_model[name]}:
        return []
    count = training.seeds_by_model.get(name, training.n_seeds)
    if str(budget) == FULL and MODELS[name].deterministic:
        count = 1
    return [seed + i for i in range(count)]


def all_budgets(training: TrainingParams) -> list[int | str]:
    """The grid's budgets: the few-shot ones, full when included, and any a trained model asks for on its own."""
    asked = [training.budgets_by_model.get(name, []) for name in training.models]
    extra = {b for budgets in asked for b in budgets if b != FULL}
    few = sorted({*training.budgets, *extra})
    return [*few, *([FULL] if training.include_full else [])]


def uses_encoder(names: Sequence[str]) -> bool:
    return any(MODELS[name].pretrained for name in names)
