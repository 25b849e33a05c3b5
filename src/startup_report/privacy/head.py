"""The classification head that every privacy experiment trains: a linear softmax layer on frozen embeddings.

The same head as the frozen-encoder model of the training stage (384 -> intents, no hidden layer), in
PyTorch because Opacus, the DP-SGD library, is built on it. One ``LocalTrainer`` trains it on one data
holder's messages: the whole training split (central training) or one client bank's share (FedAvg).
With a noise multiplier it trains by DP-SGD through Opacus: per-example gradients clipped to
``max_grad_norm``, Gaussian noise of standard deviation ``noise_multiplier * max_grad_norm`` added to
their sum, batches drawn by Poisson sampling, and the privacy spent tracked by Opacus's RDP accountant.
Training is bounded by epochs, never by time, and every draw comes from seeded generators.
"""

from __future__ import annotations

import functools
import hashlib
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

Weights = list[np.ndarray]  # [weight (classes, dim), bias (classes,)]

# Renyi orders of the accountant: three below 2 (the best order at large epsilon), then integers to 127.
# Opacus's default list has 99 fractional orders, whose series takes seconds per evaluation at the large
# sampling rates of small client banks; on this chapter's settings this list changed the calibrated noise
# by under 1%, always towards more noise, and reaches higher orders (the best ones at small epsilon).
ORDERS = [1.25, 1.5, 1.75] + [float(order) for order in range(2, 128)]


@dataclass(frozen=True)
class Schedule:
    """How one data holder trains per call: local epochs, batch size and SGD learning rate."""

    epochs: int
    batch_size: int
    learning_rate: float


@dataclass(frozen=True)
class DPSpec:
    """DP-SGD settings: the noise multiplier sigma (None = no privacy), the clipping norm C and delta."""

    noise_multiplier: float | None
    max_grad_norm: float
    delta: float


def new_head(dim: int, n_classes: int, seed: int) -> Weights:
    """Starting weights, drawn from the seed (small normal weights, zero bias)."""
    generator = torch.Generator().manual_seed(seed)
    weight = torch.randn(n_classes, dim, generator=generator) * 0.01
    return [weight.numpy().astype(np.float32), np.zeros(n_classes, dtype=np.float32)]


def predict_proba(weights: Weights, x: np.ndarray) -> np.ndarray:
    """Softmax probabilities of the head, shape (len(x), classes), in float64 for the metrics."""
    logits = np.asarray(x, dtype=np.float64) @ weights[0].T.astype(np.float64) + weights[1]
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    return probs / probs.sum(axis=1, keepdims=True)


def steps_per_epoch(n: int, batch_size: int) -> int:
    """Opacus's count: its Poisson loader makes len(loader) = ceil(n / batch) steps, sample rate 1 / that."""
    return math.ceil(n / batch_size)


def noise_for_epsilon(epsilon: float, delta: float, n: int, batch_size: int, epochs: int) -> float | None:
    """The noise multiplier that spends exactly ``(epsilon, delta)`` over ``epochs`` of DP-SGD (Opacus, RDP).

    ``epsilon = inf`` means no privacy: None, and the trainer runs plain SGD without clipping or noise.
    """
    if math.isinf(epsilon):
        return None
    return _calibrated_noise(epsilon, delta, steps_per_epoch(n, batch_size), epochs)


def noise_store() -> Path:
    """Where calibrated noise multipliers are kept between runs: the machine cache (they are exact results of
    a deterministic search, not timings, so any run may reuse them)."""
    from startup_report.engine.layout import machine_cache

    return machine_cache() / "dp-noise"


@functools.cache
def _calibrated_noise(epsilon: float, delta: float, per_epoch: int, epochs: int) -> float:
    """Opacus's search for sigma, once per distinct setting: it depends on a data holder's size only through
    its steps per epoch, which banks of similar size share (the search is most of the chapter's time). The
    result is stored by its arguments, the orders, the Opacus version and this module (the call below), so
    reruns and sweeps skip it."""
    from importlib.metadata import version

    from opacus.accountants.utils import get_noise_multiplier

    from startup_report.engine.files import remembered

    parts = {"epsilon": epsilon, "delta": delta, "steps_per_epoch": per_epoch, "epochs": epochs,
             "orders": ORDERS, "accountant": "rdp", "opacus": version("opacus"),
             "code": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}  # fmt: skip

    def search() -> dict:
        with warnings.catch_warnings():
            # Opacus suggests more Renyi orders when the best is an end of the list: the bound stays valid
            warnings.filterwarnings("ignore", message="Optimal order is the (largest|smallest) alpha")
            sigma = get_noise_multiplier(
                target_epsilon=epsilon,
                target_delta=delta,
                sample_rate=1.0 / per_epoch,
                steps=epochs * per_epoch,
                accountant="rdp",
                alphas=ORDERS,
            )
        return {**parts, "noise_multiplier": float(sigma)}

    return float(remembered(noise_store(), parts, search)["noise_multiplier"])


class _Rows(TensorDataset):
    """A tensor dataset that hands out a whole batch in one indexing call.

    The default fetches each row separately and stacks them, which for a linear head costs more than the
    training step itself; ``DataLoader`` uses ``__getitems__`` when a dataset has it.
    """

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, ...]:
        index = torch.as_tensor(indices, dtype=torch.long)
        return tuple(tensor[index] for tensor in self.tensors)


def _as_batch(batch: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
    """The batch is already stacked by ``_Rows.__getitems__``."""
    return batch


class LocalTrainer:
    """One data holder's training loop; with DP, one Opacus engine whose accountant spans all calls.

    FedAvg calls ``train`` once per round with the global weights; keeping the engine across rounds
    is what makes the reported epsilon cover the client's whole participation, not one round.
    """

    def __init__(
        self, x: np.ndarray, y: np.ndarray, n_classes: int, schedule: Schedule, seed: int, dp: DPSpec | None = None
    ) -> None:
        self.n, self.schedule, self.dp = len(y), schedule, dp
        self.model = nn.Linear(x.shape[1], n_classes)
        dataset = _Rows(torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.long))  # copies
        loader = DataLoader(
            dataset,
            batch_size=schedule.batch_size,
            shuffle=True,
            generator=torch.Generator().manual_seed(seed),
            collate_fn=_as_batch,
        )
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=schedule.learning_rate)
        self.loss = nn.CrossEntropyLoss()
        self.engine = None
        self.module: nn.Module = self.model
        if dp is not None and dp.noise_multiplier is not None:
            from opacus import PrivacyEngine

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # secure_mode advice: a simulation needs reproducible noise
                self.engine = PrivacyEngine(accountant="rdp")
                # "ghost" clipping: for a linear layer the per-example gradient norm is |x_i| |dL/dz_i|, so
                # Opacus clips without materialising (batch x classes x dim) per-example gradients.
                self.module, self.optimizer, self.loss, loader = self.engine.make_private(
                    module=self.model,
                    optimizer=self.optimizer,
                    data_loader=loader,
                    criterion=nn.CrossEntropyLoss(),
                    noise_multiplier=dp.noise_multiplier,
                    max_grad_norm=dp.max_grad_norm,
                    noise_generator=torch.Generator().manual_seed(seed + 1),
                    grad_sample_mode="ghost",
                )
        self.loader = loader

    def train(self, weights: Weights) -> Weights:
        """Start from ``weights``, run the schedule's epochs, return the new weights."""
        with torch.no_grad():
            self.model.weight.copy_(torch.as_tensor(weights[0]))
            self.model.bias.copy_(torch.as_tensor(weights[1]))
        self.module.train()
        with warnings.catch_warnings():
            # torch notes that Opacus's backward hook fires on module outputs: expected, the inputs are data
            warnings.filterwarnings("ignore", message="Full backward hook is firing")
            for _ in range(self.schedule.epochs):
                for xb, yb in self.loader:  # Poisson batches may be empty: Opacus still adds noise and counts the step
                    self.optimizer.zero_grad()
                    self.loss(self.module(xb), yb).backward()
                    self.optimizer.step()
        return [self.model.weight.detach().numpy().copy(), self.model.bias.detach().numpy().copy()]

    def epsilon(self) -> float:
        """Privacy spent so far at the spec's delta (infinite without DP)."""
        if self.engine is None or self.dp is None:
            return math.inf
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Optimal order is the (largest|smallest) alpha")
            return float(self.engine.accountant.get_epsilon(delta=self.dp.delta, alphas=ORDERS))


def train_central(
    x: np.ndarray, y: np.ndarray, n_classes: int, schedule: Schedule, seed: int, dp: DPSpec | None = None
) -> tuple[Weights, float]:
    """Train the head on all messages in one place; returns the weights and the epsilon spent."""
    trainer = LocalTrainer(x, y, n_classes, schedule, seed, dp)
    weights = trainer.train(new_head(x.shape[1], n_classes, seed))
    return weights, trainer.epsilon()
