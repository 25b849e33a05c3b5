"""Pretrained, contrastive few-shot family: SetFit (Tunstall et al., 2022) on all-MiniLM-L6-v2.

Why this family exists: with 10 or 30 labelled messages per intent, plain fine-tuning has few gradient
steps to learn from, while SetFit turns the same messages into many sentence pairs (same intent: cosine
target 1, different intents: 0), fine-tunes the encoder on them with a cosine-similarity loss, and then
fits a logistic regression on the tuned embeddings. The report compares it with the frozen encoder and with
plain fine-tuning at the same budgets, to say which way of using a pretrained encoder pays when labels are
scarce.

Design choices:

* The ``setfit`` package (1.2.0) runs the algorithm as published; it works with the locked transformers 5
  and sentence-transformers 6 and adds ``datasets``, ``evaluate`` and ``accelerate`` to the environment.
* Bounded by optimiser steps (``max_steps``) and pair iterations (``num_iterations``: pairs per message per
  side, SetFit's default 20), never by time; the pair sampler caps the pairs at ``max_steps * batch_size``.
* The head is scikit-learn's logistic regression with the report's ``C`` (the frozen family's head), so
  the difference to ``minilm-logreg`` is the contrastive tuning alone.
* Nothing is written to disk: the trainer's checkpoints go to a temporary folder with saving disabled.

What it gives is measured, not assumed: the grid runs it at the chain's step budget
(``training.setfit_max_steps``), and ``make levers`` with five times as many pair steps, 3 seeds, beside the
frozen encoder and supervised contrastive tuning (``data/levers/fewshot10.csv``, shown by the training
chapter). SetFit's paper setting (20 pair iterations a message, about 960 steps at 10 per intent) costs tens of
minutes a seed on two cores, so neither runs it.

Reproducibility: the trainer seeds Python, NumPy and torch from the run's seed (``transformers.set_seed``);
SetFit's pair order is a fixed permutation, so the same seed and subset give the same model (a test checks).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from startup_report.modeling import minilm

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _import_setfit() -> None:
    """Import setfit once with the warning filters saved and restored: its ``__init__`` turns every
    DeprecationWarning of the process back on, which then prints other libraries' notices into the book."""
    from tqdm import TqdmWarning

    with warnings.catch_warnings():
        # setfit imports tqdm.auto, which warns in a papermill kernel (no ipywidgets) that bars fall back to text
        warnings.filterwarnings("ignore", category=TqdmWarning)
        import setfit  # noqa: F401


class SetFitClassifier(minilm.PretrainedFamily):
    """SetFit: contrastive fine-tuning of all-MiniLM-L6-v2 on pairs, then a logistic-regression head.

    Args: ``num_iterations`` positive and negative pairs drawn per training message; ``max_steps`` caps the
    optimiser steps of the contrastive phase (batches of ``batch_size`` pairs); ``learning_rate`` is the
    encoder's peak AdamW rate (linear warm-up over 10 % of the steps, then linear decay); ``c`` the head's
    inverse L2 strength; ``max_seq_length`` tokens kept per message; ``threads`` torch's intra-op threads.
    """

    family = "setfit"
    name = "minilm-setfit"

    def __init__(
        self,
        n_classes: int,
        num_iterations: int = 20,
        max_steps: int = 100,
        batch_size: int = 32,
        learning_rate: float = 2e-5,
        c: float = 10.0,
        max_seq_length: int = 64,
        threads: int | None = None,
        model_path: str | Path | None = None,
    ) -> None:
        super().__init__(n_classes, batch_size, learning_rate, max_seq_length, threads, model_path)
        if num_iterations < 1 or max_steps < 1 or batch_size < 1:
            raise ValueError("num_iterations, max_steps and batch_size must be at least 1")
        self.num_iterations = int(num_iterations)
        self.max_steps = int(max_steps)
        self.c = float(c)
        self.steps = 0
        self.pairs = 0

    def _new_model(self, seed: int) -> Any:
        """The pretrained body with a fresh, seeded logistic-regression head."""
        from sentence_transformers import SentenceTransformer

        _import_setfit()
        from setfit import SetFitModel
        from sklearn.linear_model import LogisticRegression

        body = SentenceTransformer(str(self.model_path or minilm.default_model_path()), device="cpu")
        body.max_seq_length = self.max_seq_length
        head = LogisticRegression(C=self.c, max_iter=2000, random_state=seed)
        return SetFitModel(model_body=body, model_head=head)

    def fit(
        self,
        texts: Sequence[str],
        labels: np.ndarray,
        val_texts: Sequence[str],
        val_labels: np.ndarray,
        seed: int,
    ) -> None:
        """Contrastive phase on pairs of ``texts``, then the head; validation is not used (no early stopping)."""
        import datasets

        _import_setfit()
        from setfit import Trainer, TrainingArguments
        from setfit import logging as setfit_logging
        from transformers.utils import logging as hf_logging

        labels = np.asarray(labels, dtype=np.int64)
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        if len(set(labels.tolist())) < 2:
            raise ValueError("SetFit needs at least two intents to form negative pairs")
        datasets.disable_progress_bars()
        hf_logging.set_verbosity_error()  # one line per run comes from the grid, not the trainer's chatter
        hf_logging.disable_progress_bar()
        setfit_logging.set_verbosity_error()
        with minilm.torch_threads(self.threads), tempfile.TemporaryDirectory() as scratch:
            minilm.seed_everything(seed)
            self._model = self._new_model(seed)
            args = TrainingArguments(
                output_dir=scratch,
                batch_size=(self.batch_size, self.batch_size),
                num_epochs=(1, 1),
                max_steps=self.max_steps,
                num_iterations=self.num_iterations,
                body_learning_rate=(self.learning_rate, self.learning_rate),
                max_length=self.max_seq_length,
                seed=seed,
                report_to="none",
                save_strategy="no",
                logging_strategy="no",
                logging_first_step=False,
                show_progress_bar=False,
            )
            train = datasets.Dataset.from_dict({"text": list(texts), "label": labels.tolist()})
            trainer = Trainer(model=self._model, args=args, train_dataset=train)
            # The trainer asks for pinned memory, which a CPU has no use for, and prints its final metrics dict
            # (train_runtime, ...) to stdout, which would land in the training chapter; the grid logs the run.
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.filterwarnings("ignore", message=".*'pin_memory' argument is set as true")
                trainer.train()
            state = trainer.st_trainer.state
            self.steps = int(state.global_step)
            self.pairs = int(self.steps * self.batch_size)
        tokenizer = self._model.model_body.tokenizer
        ids = tokenizer(list(texts), truncation=True, max_length=self.max_seq_length)["input_ids"]
        self.typical_tokens = float(np.mean([len(x) for x in ids]))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), n_classes), rows summing to 1 (intents absent from training get 0)."""
        if self._model is None:
            raise RuntimeError("call fit() first")
        out = np.zeros((len(texts), self.n_classes))
        if len(texts) == 0:
            return out
        with minilm.torch_threads(self.threads):
            probs = np.asarray(self._model.predict_proba(list(texts), as_numpy=True), dtype=np.float64)
        out[:, self._model.model_head.classes_] = probs
        return out

    def _trained_config(self) -> Any:
        return self._model.model_body[0].auto_model.config
