"""Few-shot levers at one budget (10 or 30 examples per intent, or the full split), 3 seeds each: what each gives
over the frozen encoder + logistic regression, and its CPU seconds; one CSV row per (lever, seed) that the
training chapter shows.

    nice python -m startup_report.devtools.levers [--budget 10|30|full] [--seeds 3] [--tuners supcon setfit finetune]
        [--supcon-steps 100] [--setfit-steps 100]

Same splits and few-shot draws as the grid (default parameters, ``sampling.sample_budget``), the standard test
set. The levers (issue 31's list, each measured, none assumed to help):

- frozen embeddings: logistic regression (the baseline), prototype and k-nearest-neighbour votes, intent names
  as extra examples, EDA-style augmentation (`startup_report.modeling.fewshot`);
- supervised contrastive tuning (CPFT's second stage, `startup_report.modeling.supcon`) and SetFit with more
  pair steps than the chain affords (`startup_report.modeling.contrastive`), each with logistic regression,
  prototype and kNN votes on its tuned embeddings;
- TF-IDF + logistic regression (no pretraining; `modeling.classical`) and the chain's fine-tuned encoder
  (`minilm-finetuned` with the default parameters, read from the chain's run cache or trained into it, so a
  build with ``params/evidence.yaml`` and this tool share their runs), as ensemble members;
- ensembles of those whose weights are chosen on the validation split only (`modeling.ensemble`).

Tuned levers fine-tune all-MiniLM-L6-v2 in fp32 with 2 threads (minutes a seed); the test set only scores. Each
row's seconds are the CPU's wall-clock for that lever and seed, with the machine's load beside it, so a figure
timed on a busy machine says so. A tuned encoder's embeddings are kept in the machine cache with the seconds and
load of their tuning, so adding a lever later reruns no tuning; the row's note says when they were reused.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from startup_report.data.dataset import LABEL, TEXT, prepare
from startup_report.devtools import tuned
from startup_report.modeling import ensemble, fewshot, machine, timing
from startup_report.modeling.sampling import sample_budget
from startup_report.params import Params

ROOT = Path(__file__).resolve().parents[3]
BASELINE = "frozen + logistic regression (baseline)"


def _logreg(x: np.ndarray, y: np.ndarray, c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(x, y)


def _full(model: LogisticRegression, x: np.ndarray, n: int) -> np.ndarray:
    """``predict_proba`` over all ``n`` intents (a column of zeros for an intent the head never saw)."""
    out = np.zeros((len(x), n))
    out[:, model.classes_] = model.predict_proba(x)
    return out


def _fit_and_score(x: np.ndarray, y: np.ndarray, c: float, seed: int, x_test: np.ndarray, n: int) -> np.ndarray:
    return _full(_logreg(x, y, c, seed), x_test, n)


class Recorder:
    """Scores test probabilities and writes the CSV after every row, so a stopped run keeps what it measured."""

    def __init__(self, out: Path, dataset: str, budget: int, y_test: np.ndarray) -> None:
        self.out, self.dataset, self.budget, self.y_test = out, dataset, budget, y_test
        self.rows: list[dict] = []

    def __call__(
        self, lever: str, seed: int, test_probs: np.ndarray, seconds: float, note: str = "", load: float | None = None
    ) -> float:
        acc = float(np.mean(test_probs.argmax(axis=1) == self.y_test))
        load = timing.load_per_core() if load is None else load
        self.rows.append({
            "dataset": self.dataset, "lever": lever, "budget": self.budget, "seed": seed, "accuracy": round(acc, 4),
            "seconds": round(seconds, 1), "load_per_core": round(load, 2), "note": note,
            "cpu": machine.cpu_name(), "test_messages": len(self.y_test),
        })  # fmt: skip
        print(f"{lever:58s} seed {seed} accuracy {acc:.4f} {seconds:7.1f} s {note}", flush=True)
        pd.DataFrame(self.rows).to_csv(self.out, index=False)
        return acc


def _on_tuned(
    name: str, record: Recorder, seed: int, embedded: tuple, y: np.ndarray, c: float, n: int, base: tuple, note: str
) -> tuple[tuple[np.ndarray, np.ndarray], float]:
    """Logistic regression, prototype and kNN votes on a tuned encoder's embeddings of the training, validation
    and test messages (``embedded``), each row costing the tuning and encoding (``base``: seconds, load) plus its
    own fit; the regression's validation and test probabilities and its seconds, for the ensembles."""
    (x, x_val, x_test), (seconds, load) = embedded, base
    start = time.perf_counter()
    lr = _logreg(x, y, c, seed)
    val, test = _full(lr, x_val, n), _full(lr, x_test, n)
    lr_seconds = seconds + time.perf_counter() - start
    record(f"{name}-tuned + logistic regression", seed, test, lr_seconds, note, load)
    probs, s = _timed(fewshot.prototype_probs, x, y, x_test, n)
    record(f"{name}-tuned + prototype", seed, probs, seconds + s, note, load)
    probs, s = _timed(fewshot.knn_probs, x, y, x_test, n)
    record(f"{name}-tuned + kNN vote (k=5)", seed, probs, seconds + s, note, load)
    return (val, test), lr_seconds


def _timed(fn: Callable[..., np.ndarray], *args) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


ENSEMBLES = (
    ("SupCon LR", "frozen LR"), ("SetFit LR", "frozen LR"), ("SupCon LR", "SetFit LR", "frozen LR"),
    ("frozen LR", "TF-IDF LR"), ("SupCon LR", "frozen LR", "TF-IDF LR"),
    ("fine-tuned", "TF-IDF LR"), ("fine-tuned", "frozen LR", "TF-IDF LR"),
    ("fine-tuned", "SupCon LR", "frozen LR", "TF-IDF LR"),
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--budget", default="10", help="examples per intent, or full")
    parser.add_argument("--tuners", nargs="*", choices=("supcon", "setfit", "finetune"),
                        default=["supcon", "setfit", "finetune"])  # fmt: skip
    parser.add_argument("--supcon-steps", type=int, default=100, help="batches of 16 intents x 4 messages")
    parser.add_argument("--setfit-steps", type=int, default=100, help="batches of 32 pairs (the chain's: 20)")
    parser.add_argument("--augment-copies", type=int, default=4)
    parser.add_argument("--out", type=Path, default=None, help="default: data/levers/fewshot{budget}.csv")
    args = parser.parse_args()
    out = args.out or ROOT / f"data/levers/fewshot{args.budget}.csv"

    from startup_report.modeling.classical import TfidfLogReg
    from startup_report.modeling.encoder import EmbeddingCache, SentenceEncoder, cache_path

    params = Params()
    splits = prepare(params.data, ROOT, params.seed)
    ids = {label: i for i, label in enumerate(splits.labels)}
    n = len(ids)
    y_val = splits.validation[LABEL].map(ids).to_numpy()
    y_test = splits.test[LABEL].map(ids).to_numpy()
    val_texts, test_texts = splits.validation[TEXT].tolist(), splits.test[TEXT].tolist()
    frozen = SentenceEncoder(EmbeddingCache(cache_path()))
    val_frozen, test_frozen = frozen.encode(val_texts), frozen.encode(test_texts)
    names = frozen.encode(fewshot.intent_name_texts(splits.labels))
    c, threads = params.model.logreg_c, params.training.torch_threads
    record = Recorder(out, params.data.name, args.budget, y_test)
    out.parent.mkdir(parents=True, exist_ok=True)

    for i in range(args.seeds):
        seed = params.seed + i
        subset = sample_budget(splits.train, args.budget, seed)
        texts, y = subset[TEXT].tolist(), subset[LABEL].map(ids).to_numpy()
        members: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # validation and test probabilities
        cost: dict[str, float] = {}

        # Frozen encoder: seconds each, from the embedding cache.
        start = time.perf_counter()
        x = frozen.encode(texts)
        lr = _logreg(x, y, c, seed)
        members["frozen LR"] = (_full(lr, val_frozen, n), _full(lr, test_frozen, n))
        cost["frozen LR"] = time.perf_counter() - start
        record(BASELINE, seed, members["frozen LR"][1], cost["frozen LR"])
        probs, s = _timed(fewshot.prototype_probs, x, y, test_frozen, n)
        record("frozen + prototype (nearest intent centre)", seed, probs, s)
        probs, s = _timed(fewshot.knn_probs, x, y, test_frozen, n)
        record("frozen + kNN vote (k=5)", seed, probs, s)
        x_named, y_named = np.vstack([x, names]), np.concatenate([y, np.arange(n)])
        probs, s = _timed(_fit_and_score, x_named, y_named, c, seed, test_frozen, n)
        record("frozen + LR, intent names as examples", seed, probs, s, "one extra example per intent: its name")
        probs, s = _timed(fewshot.prototype_probs, x_named, y_named, test_frozen, n)
        record("frozen + prototype, intent names as examples", seed, probs, s)

        start = time.perf_counter()
        variants, source = fewshot.augment(texts, seed, copies=args.augment_copies)
        x_aug, y_aug = np.vstack([x, frozen.encode(variants)]), np.concatenate([y, y[source]])
        probs = _fit_and_score(x_aug, y_aug, c, seed, test_frozen, n)
        s = time.perf_counter() - start
        record("frozen + LR, EDA augmentation", seed, probs, s, f"{args.augment_copies} variants a message: "
               "word deletion (p 0.1) and one swap")  # fmt: skip

        # TF-IDF (no pretraining): a member whose errors differ from the encoder's.
        start = time.perf_counter()
        tfidf = TfidfLogReg(n, c=c)
        tfidf.fit(texts, y, val_texts, y_val, seed)
        members["TF-IDF LR"] = (tfidf.predict_proba(val_texts), tfidf.predict_proba(test_texts))
        cost["TF-IDF LR"] = time.perf_counter() - start
        record("TF-IDF + logistic regression (no pretraining)", seed, members["TF-IDF LR"][1], cost["TF-IDF LR"])

        every = (texts, val_texts, test_texts)
        if "supcon" in args.tuners:  # supervised contrastive tuning (CPFT's second stage)
            parts = tuned.Tuned.parts(splits, subset, "startup_report.modeling.supcon", steps=args.supcon_steps,
                                threads=threads)  # fmt: skip
            cached = tuned.Tuned("supcon", args.budget, seed, parts)
            embedded, seconds, load = cached.get(partial(tuned.tune_supcon, every, y, seed, args.supcon_steps, threads))
            note = f"{args.supcon_steps} steps of 16 intents x 4 messages; tuning and encoding {seconds:.0f} s"
            note += " (embeddings reused from the machine cache)" if cached.reused else ""
            base = (seconds, load)
            members["SupCon LR"], cost["SupCon LR"] = _on_tuned("SupCon", record, seed, embedded, y, c, n, base, note)

        if "setfit" in args.tuners:  # SetFit with more pair steps: its head is fit on the tuned embeddings
            parts = tuned.Tuned.parts(splits, subset, "startup_report.modeling.contrastive", steps=args.setfit_steps,
                                threads=threads, c=c)  # fmt: skip
            cached = tuned.Tuned("setfit", args.budget, seed, parts)
            tune = partial(tuned.tune_setfit, every, y, y_val, n, seed, args.setfit_steps, threads, c)
            embedded, seconds, load = cached.get(tune)
            note = f"{args.setfit_steps} steps of 32 pairs; tuning and encoding {seconds:.0f} s"
            note += " (embeddings reused from the machine cache)" if cached.reused else ""
            base = (seconds, load)
            members["SetFit LR"], cost["SetFit LR"] = _on_tuned("SetFit", record, seed, embedded, y, c, n, base, note)

        if "finetune" in args.tuners:  # the chain's fine-tuning (2 epochs), as a member
            val, test, seconds, stored = tuned.chain_run(params, splits, args.budget, seed)
            members["fine-tuned"], cost["fine-tuned"] = (val, test), seconds
            # A stored run's seconds were timed when it trained, under a load not recorded: none is claimed.
            how = "read from the chain's run cache, seconds as it recorded" if stored else "trained here"
            record("fine-tuned (the chain's minilm-finetuned)", seed, test, seconds, how,
                   float("nan") if stored else None)  # fmt: skip

        # Ensembles: weights on the validation split only (0.05 grid on the simplex), members' seconds summed.
        for group in (g for g in ENSEMBLES if all(m in members for m in g)):
            weights, _ = ensemble.choose_weights([members[m][0] for m in group], y_val)
            mixed = np.tensordot(weights, np.stack([members[m][1] for m in group]), axes=1)
            shown = ", ".join(f"{m} {w:.2f}" for m, w in zip(group, weights, strict=True))
            record("ensemble: " + " + ".join(group) + " (weights on validation)", seed, mixed,
                   sum(cost[m] for m in group), f"weights {shown}")  # fmt: skip


if __name__ == "__main__":
    main()
