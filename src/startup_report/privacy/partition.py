"""Simulated client banks: non-IID partitions of the training messages, drawn from a Dirichlet over intents.

A bank's customers do not ask about every intent equally often, so each simulated client gets a skewed
share of each intent: for intent c, the split of its messages across the K clients is a draw
p_c ~ Dirichlet(alpha, ..., alpha) (Hsu et al., 2019). A small alpha gives each client a few dominant
intents; a large alpha approaches an even (IID) split. Everything is drawn from one seeded generator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def sub_seed(seed: int, *tags: int | str) -> int:
    """A child seed for one random draw of the chapter, derived from the global seed and a tag.

    Separate streams keep one experiment's draws from shifting when another experiment is added.
    """
    words = [seed] + [t if isinstance(t, int) else int.from_bytes(t.encode(), "little") % 2**32 for t in tags]
    return int(np.random.SeedSequence(words).generate_state(1)[0])


def dirichlet_partition(
    labels: np.ndarray, n_clients: int, alpha: float, seed: int, min_size: int = 10, max_tries: int = 1000
) -> list[np.ndarray]:
    """Indices of each client's messages; every message goes to exactly one client.

    Redraws (from the same generator, so still reproducible) until every client holds at least
    ``min_size`` messages, since a client with no data cannot train or be weighted.
    """
    labels = np.asarray(labels)
    if n_clients < 1 or alpha <= 0:
        raise ValueError("need at least one client and a positive concentration")
    if n_clients * min_size > len(labels):
        raise ValueError(f"{len(labels)} messages cannot give {n_clients} clients {min_size} each")
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    for _ in range(max_tries):
        parts: list[list[np.ndarray]] = [[] for _ in range(n_clients)]
        for c in classes:
            members = rng.permutation(np.flatnonzero(labels == c))
            shares = rng.dirichlet(np.full(n_clients, alpha))
            cuts = np.round(np.cumsum(shares)[:-1] * len(members)).astype(int)
            for client, chunk in enumerate(np.split(members, cuts)):
                parts[client].append(chunk)
        out = [np.sort(np.concatenate(chunks)) for chunks in parts]
        if min(len(p) for p in out) >= min_size:
            return out
    raise RuntimeError(f"no partition with {min_size}+ messages per client in {max_tries} draws; raise alpha")


def composition(labels: np.ndarray, parts: list[np.ndarray], n_classes: int) -> np.ndarray:
    """(clients, intents) matrix of message counts: what each simulated bank holds."""
    return np.stack([np.bincount(np.asarray(labels)[p], minlength=n_classes) for p in parts])


def skew_summary(labels: np.ndarray, parts: list[np.ndarray], n_classes: int) -> dict[str, float]:
    """How non-IID a partition is, in words a reader can check.

    ``tv_distance`` is the mean total-variation distance between a client's intent mix and the overall
    mix (0 = identical, 1 = disjoint); ``intents_covered`` the mean share of intents a client has seen.
    """
    counts = composition(labels, parts, n_classes).astype(float)
    overall = counts.sum(axis=0) / counts.sum()
    mix = counts / counts.sum(axis=1, keepdims=True)
    return {
        "clients": float(len(parts)),
        "smallest_client": float(counts.sum(axis=1).min()),
        "largest_client": float(counts.sum(axis=1).max()),
        "tv_distance": float(0.5 * np.abs(mix - overall).sum(axis=1).mean()),
        "intents_covered": float((counts > 0).mean()),
    }


def partition_table(labels: np.ndarray, partitions: dict[str, list[np.ndarray]], n_classes: int) -> pd.DataFrame:
    """One row per named partition with its skew summary."""
    rows = [{"partition": name, **skew_summary(labels, parts, n_classes)} for name, parts in partitions.items()]
    return pd.DataFrame(rows).set_index("partition")
