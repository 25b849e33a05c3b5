"""Open intent on contrastively tuned embeddings: issue 31's suggested lever, measured against the frozen encoder
on the same draws of known intents, into ``data/levers/openintent.csv``.

    nice python -m startup_report.devtools.openlevers [--shares 0.25 0.5 0.75] [--draws 5] [--steps 100]

For each share of known intents and each draw (the evaluation chapter's draws: ``openworld.choose_known`` with
seed + i), all-MiniLM-L6-v2 is tuned with the supervised contrastive loss (`modeling.supcon`) on the known
intents' training messages only; then every rejection rule of the chapter (`openworld.evaluate_split`) runs on
those embeddings and on the frozen ones. Thresholds come from known-intent validation messages only, at the
literature's operating point (``od_``: 95 % of them kept) and at the market's target precision. Unknown
intents are never seen before the test set. Minutes a draw, so not part of the default chain. Rows of shares
not run this time are kept, so the shares can be measured one at a time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from startup_report.data.dataset import LABEL, TEXT, prepare
from startup_report.evaluation import openexperiment, openworld
from startup_report.modeling import machine
from startup_report.params import Params

ROOT = Path(__file__).resolve().parents[3]
FIGURES = ("od_accuracy", "od_macro_f1", "accuracy", "macro_f1")


def kept_rows(out: Path, shares: list[float]) -> list[dict]:
    """The rows already in ``out`` of the shares this run does not measure (none if there is no file yet)."""
    if not out.is_file():
        return []
    frame = pd.read_csv(out)
    return frame[~np.isclose(frame["known_share"].to_numpy()[:, None], shares).any(axis=1)].to_dict("records")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shares", type=float, nargs="+", default=None, help="default: evaluation's shares")
    parser.add_argument("--draws", type=int, default=None, help="default: evaluation.openworld_seeds")
    parser.add_argument("--steps", type=int, default=100, help="SupCon steps of 16 intents x 4 messages")
    parser.add_argument("--out", type=Path, default=ROOT / "data/levers/openintent.csv")
    args = parser.parse_args()

    from startup_report.modeling.supcon import SupConEncoder

    params = Params()
    config = params.evaluation
    splits = prepare(params.data, ROOT, params.seed)
    ids = {label: i for i, label in enumerate(splits.labels)}
    frames = {"train": splits.train, "validation": splits.validation, "test": splits.test}
    y = {name: frame[LABEL].map(ids).to_numpy() for name, frame in frames.items()}
    frozen = openexperiment.embeddings(frames)
    methods = tuple(config.openworld_methods)
    c, threads = params.model.logreg_c, params.training.torch_threads
    shares = args.shares or config.openworld_known_shares
    rows: list[dict] = kept_rows(args.out, shares)
    args.out.parent.mkdir(parents=True, exist_ok=True)

    def record(encoder: str, share: float, seed: int, known: np.ndarray, x: dict, seconds: float) -> None:
        for method, outcome in openworld.evaluate_split(x, y, known, config.target_precision, c, seed, methods).items():
            figures = {k: round(float(outcome.figures[k]), 4) for k in FIGURES}
            rows.append({"dataset": params.data.name, "encoder": encoder, "known_share": share, "seed": seed,
                         "method": method, **figures, "seconds": round(seconds, 1), "cpu": machine.cpu_name(),
                         "test_messages": len(y["test"])})  # fmt: skip
            print(f"{encoder:14s} {share:.2f} seed {seed} {method:18s} "
                  + " ".join(f"{k} {outcome.figures[k]:.4f}" for k in FIGURES), flush=True)  # fmt: skip
        pd.DataFrame(rows).to_csv(args.out, index=False)

    for share in shares:
        for i in range(args.draws or config.openworld_seeds):
            seed = params.seed + i
            known = openworld.choose_known(len(ids), share, seed)
            record("frozen", share, seed, known, frozen, 0.0)
            start = time.perf_counter()
            seen = np.isin(y["train"], known)  # the known intents' training messages: all the tuning sees
            texts = splits.train[TEXT].to_numpy()[seen].tolist()
            tuned = SupConEncoder(steps=args.steps, threads=threads).fit(texts, y["train"][seen], seed)
            x = {"train": np.zeros_like(frozen["train"]), "validation": tuned.encode(splits.validation[TEXT].tolist()),
                 "test": tuned.encode(splits.test[TEXT].tolist())}  # fmt: skip
            x["train"][seen] = tuned.encode(texts)  # unknown intents' rows are never read (KnownIntentModel)
            record("SupCon-tuned", share, seed, known, x, time.perf_counter() - start)


if __name__ == "__main__":
    main()
