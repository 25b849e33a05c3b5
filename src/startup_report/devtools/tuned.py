"""The tuned members of the few-shot levers (`startup_report.devtools.levers`): encoders tuned with the
supervised contrastive loss or SetFit, whose embeddings are kept in the machine cache under a hash of what they
depend on, and the chain's fine-tuned runs, read from the chain's run cache or trained into it."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from startup_report.engine.layout import Layout, machine_cache
from startup_report.modeling import timing
from startup_report.modeling.sampling import sample_budget
from startup_report.params import Params

ROOT = Path(__file__).resolve().parents[3]


class Tuned:
    """A tuned encoder's embeddings of the training, validation and test messages, with the seconds and load per
    core of tuning and encoding; kept in the machine cache under a hash of everything they depend on (``parts``:
    the rows of each split, the encoder's files, the tuner's code and settings), so a change retunes."""

    def __init__(self, name: str, budget: str, seed: int, parts: dict) -> None:
        digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:20]
        self.path = machine_cache() / "levers" / f"{name}-{budget}-seed{seed}-{digest}.npz"
        self.reused = self.path.is_file()

    @staticmethod
    def parts(splits, subset: pd.DataFrame, module: str, **settings: object) -> dict:
        """What a tuned encoder's embeddings depend on: the splits' rows, the encoder, ``module``'s code (with
        what it imports from the package) and the tuner's ``settings``."""
        from startup_report.engine import fingerprint
        from startup_report.modeling.runs import encoder_sha256, rows_sha256

        code = fingerprint.Code.of("startup_report")
        return {"train": rows_sha256(subset), "validation": rows_sha256(splits.validation),
                "test": rows_sha256(splits.test), "encoder": encoder_sha256(),
                "code": fingerprint.digest(code.module_hashes(code.closure([module]))), **settings}  # fmt: skip

    def get(self, tune: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[tuple, float, float]:
        """(train, validation, test embeddings), seconds, load: from the cache, or by ``tune()`` and stored."""
        if self.reused:
            with np.load(self.path) as f:
                return (f["x"], f["val"], f["test"]), float(f["seconds"]), float(f["load"])
        start = time.perf_counter()
        x, val, test = tune()
        seconds, load = time.perf_counter() - start, timing.load_per_core()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, x=x, val=val, test=test, seconds=seconds, load=load)
        tmp.replace(self.path)  # whole or absent: a stopped run leaves no half file to reuse
        return (x, val, test), seconds, load


def tune_supcon(texts: tuple[list[str], ...], y: np.ndarray, seed: int, steps: int, threads: int) -> tuple:
    """SupCon-tune on the training texts (the first of ``texts``); embeddings of all three."""
    from startup_report.modeling.supcon import SupConEncoder

    supcon = SupConEncoder(steps=steps, threads=threads).fit(texts[0], y, seed)
    return tuple(supcon.encode(t) for t in texts)


def tune_setfit(
    texts: tuple[list[str], ...], y: np.ndarray, y_val: np.ndarray, n: int, seed: int, steps: int, threads: int,
    c: float,
) -> tuple:
    """SetFit-tune on the training texts (the first of ``texts``) for ``n`` intents; its body's embeddings of all
    three."""
    from startup_report.modeling import minilm
    from startup_report.modeling.contrastive import SetFitClassifier

    setfit = SetFitClassifier(n, max_steps=steps, c=c, threads=threads)
    setfit.fit(texts[0], y, texts[1], y_val, seed)
    with minilm.torch_threads(threads):
        return tuple(setfit._model.model_body.encode(t, batch_size=64, normalize_embeddings=True) for t in texts)


def chain_run(params: Params, splits, budget: str, seed: int) -> tuple[np.ndarray, np.ndarray, float, bool]:
    """The chain's fine-tuned run at ``budget`` and ``seed`` (default parameters): validation and test
    probabilities, its training seconds and whether it was read from the chain's run cache (else trained into
    it)."""
    from startup_report.modeling import grid, zoo
    from startup_report.modeling.runcache import RunCache
    from startup_report.modeling.runs import RunData, RunSpec, rows_sha256, run_key

    name = "minilm-finetuned"
    spec = RunSpec(name, budget, seed, zoo.model_config(name, params.model, params.training))
    cache = RunCache(Layout(ROOT).cache / "runs")  # the chain's: a build with params/evidence.yaml shares it
    subset = rows_sha256(sample_budget(splits.train, budget, seed))
    key = run_key(spec, subset, rows_sha256(splits.validation), rows_sha256(splits.test), splits.labels)
    data = RunData(splits.train, splits.validation, splits.test, tuple(splits.labels))
    result = grid.run_grid([spec], data, cache)
    stored = cache.get(key)
    return stored.val_probs, stored.test_probs, float(result.results["train_seconds"].iloc[0]), bool(result.cached)
