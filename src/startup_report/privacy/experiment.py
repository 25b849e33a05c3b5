"""The privacy chapter's experiments: central against federated, skew, number of clients, and epsilon.

Every run trains the same linear head on the same frozen embeddings and is scored the way the evaluation
stage scores models: test accuracy, and the share of test messages answered automatically at the target
precision (temperature and threshold fitted on the validation split). Each run draws from its own
child seed of the global seed, so adding a setting does not change the others.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

import numpy as np
import pandas as pd
import torch

from startup_report.privacy import fedavg, head, partition
from startup_report.privacy.config import PrivacyParams
from startup_report.privacy.scoring import Embedded, Heads, automation


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Tiny matrix products run fastest on one thread, and one thread fixes the summation order."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def probabilities(weights: head.Weights, data: Embedded) -> tuple[np.ndarray, np.ndarray]:
    """Validation and test probabilities of a trained head (what the cost chapter scores)."""
    return head.predict_proba(weights, data.x_val), head.predict_proba(weights, data.x_test)


def score(weights: head.Weights, data: Embedded, target_precision: float) -> dict[str, float]:
    """``automation`` for a head's weights on the embedded splits."""
    return automation(*probabilities(weights, data), data.y_val, data.y_test, target_precision)


def delta_for(config: PrivacyParams, data: Embedded) -> float:
    """delta = 1/n for the training split unless set: below the chance of leaking any one message."""
    return config.delta if config.delta is not None else 1.0 / len(data.y_train)


def test_accuracy(weights: head.Weights, data: Embedded) -> float:
    """Share of test messages whose top intent is right."""
    return float((head.predict_proba(weights, data.x_test).argmax(axis=1) == data.y_test).mean())


def central_schedule(config: PrivacyParams) -> head.Schedule:
    return head.Schedule(config.rounds * config.local_epochs, config.batch_size, config.learning_rate)


def local_schedule(config: PrivacyParams) -> head.Schedule:
    return head.Schedule(config.local_epochs, config.batch_size, config.learning_rate)


def federated(
    data: Embedded, config: PrivacyParams, seed: int, n_clients: int, alpha: float, epsilon: float = math.inf
) -> fedavg.FedAvgResult:
    """One FedAvg run over a Dirichlet(alpha) split into ``n_clients`` banks, each private at ``epsilon``."""
    parts = partition.dirichlet_partition(
        data.y_train, n_clients, alpha, partition.sub_seed(seed, "partition", n_clients, str(alpha)),
        config.min_client_size,
    )  # fmt: skip
    delta, epochs = delta_for(config, data), config.rounds * config.local_epochs
    specs = [
        head.DPSpec(head.noise_for_epsilon(epsilon, delta, len(p), config.batch_size, epochs), config.max_grad_norm,
                    delta) for p in parts
    ]  # fmt: skip
    with one_thread():
        return fedavg.run_fedavg(
            data.x_train, data.y_train, parts, data.n_classes, local_schedule(config), config.rounds,
            partition.sub_seed(seed, "fedavg", n_clients, str(alpha), str(epsilon)),
            lambda weights: test_accuracy(weights, data), specs,
        )  # fmt: skip


def central(data: Embedded, config: PrivacyParams, seed: int, epsilon: float = math.inf) -> tuple[head.Weights, dict]:
    """The head trained on all messages in one place, private at ``epsilon``; returns weights and run facts."""
    delta, schedule = delta_for(config, data), central_schedule(config)
    sigma = head.noise_for_epsilon(epsilon, delta, len(data.y_train), schedule.batch_size, schedule.epochs)
    with one_thread():
        weights, spent = head.train_central(
            data.x_train, data.y_train, data.n_classes, schedule, partition.sub_seed(seed, "central", str(epsilon)),
            head.DPSpec(sigma, config.max_grad_norm, delta),
        )  # fmt: skip
    return weights, {"noise_multiplier": sigma if sigma is not None else 0.0, "epsilon_spent": spent}


def skew_and_clients(data: Embedded, config: PrivacyParams, seed: int) -> pd.DataFrame:
    """Non-private FedAvg for every skew (at the default client count) and every client count (at the
    default skew): one row per run and round with the global model's test accuracy."""
    settings = [(config.clients, a) for a in config.alphas] + [(k, config.alpha) for k in config.client_counts]
    frames = []
    for n_clients, alpha in dict.fromkeys(settings):
        result = federated(data, config, seed, n_clients, alpha)
        frames.append(result.history.assign(clients=n_clients, alpha=alpha))
    return pd.concat(frames, ignore_index=True)


def epsilon_sweep(data: Embedded, config: PrivacyParams, seed: int) -> tuple[pd.DataFrame, Heads]:
    """Central and federated (default clients and skew) training at each epsilon, plus epsilon = infinity.

    Returns one row per run (accuracy, noise, epsilon spent) and each run's probabilities, which the cost
    chapter turns into automation at the evaluation's target precision without retraining.
    """
    rows, heads = [], []
    for epsilon in [*sorted(config.epsilons), math.inf]:
        weights, facts = central(data, config, seed, epsilon)
        rows.append({"setting": "central", "epsilon": epsilon, **facts, "accuracy": test_accuracy(weights, data)})
        heads.append(probabilities(weights, data))
        result = federated(data, config, seed, config.clients, config.alpha, epsilon)
        rows.append({
            "setting": f"federated ({config.clients} banks)", "epsilon": epsilon, "noise_multiplier": np.nan,
            "epsilon_spent": max(result.client_epsilons), "accuracy": test_accuracy(result.weights, data),
        })  # fmt: skip
        heads.append(probabilities(result.weights, data))
    return pd.DataFrame(rows), heads
