"""Federated averaging (McMahan et al., 2017), written out: the server never sees a message, only weights.

Each round every client bank starts from the global weights, trains on its own messages for a few local
epochs and sends back its weights; the server replaces the global weights by their average weighted by
data size, w = sum_k (n_k / n) w_k. The weights are not optional: an unweighted mean lets a bank with 20
messages pull the model as hard as one with 2,000. All clients take part in every round (a cross-silo
federation of a few banks, not millions of phones), in a fixed order, so a run is reproducible.

We do not use Flower's simulation here: it ran offline on this machine, but each simulation started a
Ray cluster (about 17 s before the first round), the package set pins typer below the version our CLI
uses, and this head needs nothing beyond the weighted mean below (see the privacy chapter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from startup_report.privacy.head import DPSpec, LocalTrainer, Schedule, Weights, new_head


def weighted_average(client_weights: Sequence[Weights], sizes: Sequence[int]) -> Weights:
    """FedAvg's server step: each array is sum_k (n_k / n) * w_k, accumulated in float64 in client order."""
    if len(client_weights) != len(sizes) or not sizes:
        raise ValueError("one size per client, at least one client")
    total = float(sum(sizes))
    if total <= 0:
        raise ValueError("clients must hold data")
    out = []
    for arrays in zip(*client_weights, strict=True):
        acc = np.zeros_like(arrays[0], dtype=np.float64)
        for array, n_k in zip(arrays, sizes, strict=True):
            acc += (n_k / total) * np.asarray(array, dtype=np.float64)
        out.append(acc.astype(np.float32))
    return out


@dataclass(frozen=True)
class FedAvgResult:
    weights: Weights
    history: pd.DataFrame  # round, accuracy (of the global model after that round)
    client_epsilons: list[float]  # privacy spent by each client (inf without DP)
    client_sizes: list[int]


def run_fedavg(
    x: np.ndarray,
    y: np.ndarray,
    parts: Sequence[np.ndarray],
    n_classes: int,
    schedule: Schedule,
    rounds: int,
    seed: int,
    evaluate: Callable[[Weights], float],
    dp: Sequence[DPSpec | None] | None = None,
) -> FedAvgResult:
    """Train the head by FedAvg over the clients' index sets ``parts`` for ``rounds`` rounds.

    ``dp`` gives each client its own DP-SGD settings (its noise depends on its data size); each client's
    Opacus accountant covers all its rounds. ``evaluate`` scores the global weights after every round.
    """
    specs = list(dp) if dp is not None else [None] * len(parts)
    trainers = [
        LocalTrainer(x[idx], y[idx], n_classes, schedule, seed + 1000 * (k + 1), specs[k])
        for k, idx in enumerate(parts)
    ]
    sizes = [len(idx) for idx in parts]
    weights = new_head(x.shape[1], n_classes, seed)
    history = [{"round": 0, "accuracy": evaluate(weights)}]
    for r in range(1, rounds + 1):
        weights = weighted_average([trainer.train(weights) for trainer in trainers], sizes)
        history.append({"round": r, "accuracy": evaluate(weights)})
    return FedAvgResult(weights, pd.DataFrame(history), [t.epsilon() for t in trainers], sizes)
