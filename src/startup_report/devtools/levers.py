"""Few-shot levers at 10 examples per intent, 3 seeds each: what each gives over the frozen encoder + logistic
regression, and its CPU seconds; one CSV row per (lever, seed) that the training chapter shows.

    nice python -m startup_report.devtools.levers [--seeds 3] [--steps 100] [--out data/levers/fewshot10.csv]

Same splits and few-shot draws as the grid (default parameters, ``sampling.sample_budget``), the standard test
set. Frozen levers read the embedding cache (seconds); tuned ones fine-tune all-MiniLM-L6-v2 in fp32 with 2
threads (minutes). The validation split only ever chooses (ensemble weights); the test set only scores.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from startup_report.data.dataset import LABEL, TEXT, prepare
from startup_report.modeling import machine
from startup_report.modeling.sampling import sample_budget
from startup_report.params import Params

ROOT = Path(__file__).resolve().parents[3]


def _logreg(x: np.ndarray, y: np.ndarray, c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(x, y)


def _prototype_probs(x_train: np.ndarray, y_train: np.ndarray, x: np.ndarray, n: int, scale: float = 20.0) -> np.ndarray:  # noqa: E501
    """Softmax over the cosine similarity to each intent's mean embedding (a prototype classifier)."""
    centres = np.stack([x_train[y_train == k].mean(axis=0) for k in range(n)])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    logits = scale * (x @ centres.T)
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def _knn_probs(x_train: np.ndarray, y_train: np.ndarray, x: np.ndarray, n: int, k: int = 5) -> np.ndarray:
    """Similarity-weighted vote of the k nearest labelled messages."""
    sims = x @ x_train.T
    top = np.argsort(-sims, axis=1)[:, :k]
    probs = np.zeros((len(x), n))
    for j in range(k):
        np.add.at(probs, (np.arange(len(x)), y_train[top[:, j]]), np.maximum(sims[np.arange(len(x)), top[:, j]], 0))
    return probs / probs.sum(axis=1, keepdims=True).clip(min=1e-12)


def _blend(val_a, val_b, y_val, test_a, test_b) -> tuple[np.ndarray, float]:
    """The two members averaged with the weight (0.05 grid) that is best on validation."""
    weights = np.linspace(0, 1, 21)
    scores = [np.mean((w * val_a + (1 - w) * val_b).argmax(axis=1) == y_val) for w in weights]
    w = float(weights[int(np.argmax(scores))])
    return w * test_a + (1 - w) * test_b, w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--budget", type=int, default=10)
    parser.add_argument("--tuned-seeds", type=int, default=None, help="seeds that also run the tuned levers (all)")
    parser.add_argument("--out", type=Path, default=ROOT / "data/levers/fewshot10.csv")
    args = parser.parse_args()

    from startup_report.modeling.encoder import EmbeddingCache, SentenceEncoder, cache_path
    from startup_report.modeling.supcon import SupConEncoder

    params = Params()
    splits = prepare(params.data, ROOT, params.seed)
    ids = {label: i for i, label in enumerate(splits.labels)}
    n = len(ids)
    y_val = splits.validation[LABEL].map(ids).to_numpy()
    y_test = splits.test[LABEL].map(ids).to_numpy()
    frozen = SentenceEncoder(EmbeddingCache(cache_path()))
    val_frozen = frozen.encode(splits.validation[TEXT].tolist())
    test_frozen = frozen.encode(splits.test[TEXT].tolist())
    c = params.model.logreg_c
    rows = []

    def record(lever: str, seed: int, test_probs: np.ndarray, seconds: float, note: str = "") -> None:
        acc = float(np.mean(test_probs.argmax(axis=1) == y_test))
        rows.append({"dataset": params.data.name, "lever": lever, "budget": args.budget, "seed": seed,
                     "accuracy": round(acc, 4), "seconds": round(seconds, 1), "note": note, "cpu": machine.cpu_name(),
                     "test_messages": len(y_test)})  # fmt: skip
        print(f"{lever:45s} seed {seed} accuracy {acc:.4f} {seconds:7.1f} s {note}", flush=True)
        pd.DataFrame(rows).to_csv(args.out, index=False)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    for i in range(args.seeds):
        seed = params.seed + i
        subset = sample_budget(splits.train, args.budget, seed)
        texts, y = subset[TEXT].tolist(), subset[LABEL].map(ids).to_numpy()
        start = time.perf_counter()
        x = frozen.encode(texts)
        lr = _logreg(x, y, c, seed)
        frozen_val, frozen_test = lr.predict_proba(val_frozen), lr.predict_proba(test_frozen)
        record("frozen + logistic regression (baseline)", seed, frozen_test, time.perf_counter() - start)
        start = time.perf_counter()
        record("frozen + prototype (nearest intent centre)", seed, _prototype_probs(x, y, test_frozen, n),
               time.perf_counter() - start)  # fmt: skip
        start = time.perf_counter()
        record("frozen + kNN vote (k=5)", seed, _knn_probs(x, y, test_frozen, n), time.perf_counter() - start)
        if args.tuned_seeds is not None and i >= args.tuned_seeds:
            continue

        start = time.perf_counter()
        tuned = SupConEncoder(steps=args.steps).fit(texts, y, seed)
        fit_seconds = time.perf_counter() - start
        x_t = tuned.encode(texts)
        val_t, test_t = tuned.encode(splits.validation[TEXT].tolist()), tuned.encode(splits.test[TEXT].tolist())
        encode_seconds = time.perf_counter() - start - fit_seconds
        note = f"{args.steps} steps of 16 intents x 4; fit {fit_seconds:.0f} s, encoding {encode_seconds:.0f} s"
        t0 = time.perf_counter()
        lr_t = _logreg(x_t, y, c, seed)
        tuned_val, tuned_test = lr_t.predict_proba(val_t), lr_t.predict_proba(test_t)
        base = fit_seconds + encode_seconds
        record("SupCon-tuned + logistic regression", seed, tuned_test, base + time.perf_counter() - t0, note)
        t0 = time.perf_counter()
        proto = _prototype_probs(x_t, y, test_t, n)
        record("SupCon-tuned + prototype", seed, proto, base + time.perf_counter() - t0, note)
        t0 = time.perf_counter()
        knn = _knn_probs(x_t, y, test_t, n)
        record("SupCon-tuned + kNN vote (k=5)", seed, knn, base + time.perf_counter() - t0, note)
        t0 = time.perf_counter()
        blended, w = _blend(tuned_val, frozen_val, y_val, tuned_test, frozen_test)
        record("ensemble: tuned LR + frozen LR (weight on validation)", seed, blended,
               base + time.perf_counter() - t0, f"weight on tuned {w:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
