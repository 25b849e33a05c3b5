"""Supervised contrastive fine-tuning of all-MiniLM-L6-v2 on the labelled messages (the second stage of CPFT,
Zhang et al. 2021), then a classifier on the tuned embeddings.

Why: at 10 examples per intent plain fine-tuning has few steps to learn from and SetFit's pair loss saw only
20 steps; a supervised contrastive loss (Khosla et al. 2020) uses every same-intent pair of a batch at once.
Batches are balanced (``intents_per_batch`` intents x ``per_intent`` messages) so every anchor has positives.
Bounded by ``steps``, never by time; fp32 with fixed threads, so the same seed gives the same encoder.
CPFT's first stage (self-supervised pre-training on other intent datasets) is not reproduced: those datasets
are not shipped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from startup_report.modeling import minilm


def supcon_loss(z: torch.Tensor, labels: torch.Tensor, temperature: float) -> torch.Tensor:
    """Khosla et al.'s supervised contrastive loss over unit vectors ``z``: for each anchor, the mean
    log-probability of its same-label messages among all other messages of the batch."""
    logits = z @ z.T / temperature
    eye = torch.eye(len(z), dtype=torch.bool)
    logits = logits.masked_fill(eye, float("-inf"))
    log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    positive = (labels[:, None] == labels[None, :]) & ~eye
    counts = positive.sum(dim=1)
    has = counts > 0
    if not has.any():
        return (z * 0.0).sum()  # no anchor has a positive: nothing to pull together
    per_anchor = -(log_prob.masked_fill(~positive, 0.0).sum(dim=1)[has] / counts[has])
    return per_anchor.mean()


class SupConEncoder:
    """all-MiniLM-L6-v2 tuned with the supervised contrastive loss; ``encode`` gives unit embeddings."""

    def __init__(
        self,
        steps: int = 100,
        intents_per_batch: int = 16,
        per_intent: int = 4,
        learning_rate: float = 3e-5,
        temperature: float = 0.1,
        max_seq_length: int = 64,
        threads: int = 2,
        model_path: str | Path | None = None,
    ) -> None:
        self.steps, self.intents_per_batch, self.per_intent = steps, intents_per_batch, per_intent
        self.learning_rate, self.temperature = learning_rate, temperature
        self.max_seq_length, self.threads, self.model_path = max_seq_length, threads, model_path
        self.losses: list[float] = []

    def _ids(self, texts: Sequence[str]) -> list[list[int]]:
        encoded = self._tokenizer(list(texts), truncation=True, max_length=self.max_seq_length)
        return [list(x) for x in encoded["input_ids"]]

    def _embed(self, ids: list[list[int]], rows: Sequence[int]) -> torch.Tensor:
        input_ids, mask = minilm.collate(ids, rows, int(self._tokenizer.pad_token_id or 0))
        tokens = self._encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state
        return nn.functional.normalize(minilm.mean_pool(tokens, mask), dim=-1)

    def fit(self, texts: Sequence[str], labels: np.ndarray, seed: int) -> SupConEncoder:
        labels = np.asarray(labels)
        with minilm.torch_threads(self.threads):
            minilm.seed_everything(seed)
            self._tokenizer, self._encoder = minilm.load_pretrained(self.model_path)
            self._encoder.embeddings.word_embeddings.weight.requires_grad_(False)
            ids = self._ids(texts)
            rng = np.random.default_rng(seed)
            by_label = {label: np.flatnonzero(labels == label) for label in np.unique(labels)}
            names = np.array(sorted(by_label))
            params = [p for p in self._encoder.parameters() if p.requires_grad]
            optimizer = torch.optim.AdamW(params, lr=self.learning_rate, weight_decay=0.01)
            scheduler = minilm.warmup_then_linear_decay(optimizer, self.steps, max(1, self.steps // 10))
            self._encoder.train()
            self.losses = []
            for _ in range(self.steps):
                chosen = rng.choice(names, size=min(self.intents_per_batch, len(names)), replace=False)
                rows = np.concatenate([rng.choice(by_label[c], size=min(self.per_intent, len(by_label[c])),
                                                  replace=False) for c in chosen])  # fmt: skip
                z = self._embed(ids, rows)
                loss = supcon_loss(z, torch.as_tensor(labels[rows]), self.temperature)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                optimizer.step()
                scheduler.step()
                self.losses.append(float(loss.detach()))
            self._encoder.eval()
        return self

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        ids = self._ids(texts)
        out = np.empty((len(ids), int(self._encoder.config.hidden_size)), dtype=np.float32)
        pad = int(self._tokenizer.pad_token_id or 0)
        with minilm.torch_threads(self.threads), torch.inference_mode():
            for rows, input_ids, mask in minilm.length_sorted_batches(ids, batch_size, pad):
                tokens = self._encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state
                out[rows] = nn.functional.normalize(minilm.mean_pool(tokens, mask), dim=-1).numpy()
        return out
