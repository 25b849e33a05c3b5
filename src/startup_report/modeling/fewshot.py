"""Few-shot levers on sentence embeddings: classifiers that need no training beyond the encoder (prototype and
nearest-neighbour votes), intent names as priors, and simple text augmentation.

Why these: with 10 labelled messages per intent the published gains come from using the labelled set better
(CPFT, Zhang et al. 2021; SetFit, Tunstall et al. 2022), from label names (e.g. Mueller et al. 2022) and from
easy data augmentation (EDA, Wei and Zou 2019). Each function here is one such lever, measured on the standard
test set by ``startup_report.devtools.levers`` with the seed it is given, so the same seed gives the same result.
Embeddings are unit vectors (all-MiniLM-L6-v2's are normalised), so a dot product is a cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def prototype_probs(
    x_train: np.ndarray, y_train: np.ndarray, x: np.ndarray, n_classes: int, scale: float = 20.0
) -> np.ndarray:
    """Softmax over the cosine similarity to each intent's mean embedding (a prototype classifier).

    ``scale`` is the inverse temperature of the softmax; it changes the probabilities, never the argmax."""
    present = np.unique(y_train)
    centres = np.zeros((n_classes, x_train.shape[1]))
    for k in present:
        centres[k] = x_train[y_train == k].mean(axis=0)
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    centres = np.divide(centres, norms, out=np.zeros_like(centres), where=norms > 0)
    logits = scale * (x @ centres.T)
    logits[:, np.setdiff1d(np.arange(n_classes), present)] = -np.inf  # an intent without examples is never chosen
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def knn_probs(x_train: np.ndarray, y_train: np.ndarray, x: np.ndarray, n_classes: int, k: int = 5) -> np.ndarray:
    """Similarity-weighted vote of the ``k`` nearest labelled messages (negative similarities vote nothing).

    Ties in similarity go to the earlier training message (a stable sort), so the vote is reproducible."""
    if k < 1:
        raise ValueError("k must be at least 1")
    k = min(k, len(x_train))
    sims = x @ x_train.T
    top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    rows = np.arange(len(x))[:, None]
    probs = np.zeros((len(x), n_classes))
    np.add.at(probs, (np.broadcast_to(rows, top.shape), y_train[top]), np.maximum(sims[rows, top], 0.0))
    totals = probs.sum(axis=1, keepdims=True)
    nearest = y_train[top[:, 0]]
    # a message with no positive neighbour falls back to its nearest one, so every row is a distribution
    probs[totals[:, 0] == 0, nearest[totals[:, 0] == 0]] = 1.0
    return probs / probs.sum(axis=1, keepdims=True)


def intent_name_texts(labels: Sequence[str]) -> list[str]:
    """Each intent's name as a message: ``card_arrival`` -> ``card arrival`` (BANKING77's names are
    lowercase words joined by underscores)."""
    return [str(label).replace("_", " ").strip() for label in labels]


def augment(texts: Sequence[str], seed: int, copies: int = 4, delete: float = 0.1) -> tuple[list[str], np.ndarray]:
    """EDA-style variants of each message without a thesaurus: ``copies`` variants, each deleting every word with
    probability ``delete`` (keeping at least one) and swapping one random pair of words.

    Returns the variants and, for each, the index of the message it came from (to carry its label).
    Deterministic for a seed."""
    if copies < 0 or not 0.0 <= delete < 1.0:
        raise ValueError("copies must be >= 0 and delete in [0, 1)")
    rng = np.random.default_rng(seed)
    out, source = [], []
    for i, text in enumerate(texts):
        words = str(text).split()
        for _ in range(copies):
            kept = [w for w in words if rng.random() >= delete] or words[:1]
            if len(kept) > 1:
                a, b = rng.choice(len(kept), size=2, replace=False)
                kept[a], kept[b] = kept[b], kept[a]
            out.append(" ".join(kept))
            source.append(i)
    return out, np.asarray(source, dtype=np.int64)
