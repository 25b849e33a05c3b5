"""The experiment: every model family at every label budget and seed, measured on the same test set.

Budgets are few-shot training sets of k examples per intent, drawn stratified and deterministically
from the training split, plus the full training split. Early stopping and model selection use the
validation split only; the test set is scored once per trained model. Each run is a task keyed by its
content (``runs.run_key``): stored runs are reused, the others go to the task pool (in-process, or
Dask workers), and the table is assembled in plan order whatever order the tasks finish in.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from startup_report.data.dataset import LABEL
from startup_report.engine.tasks import Pool, task_pool
from startup_report.modeling import ensemble, zoo
from startup_report.modeling.config import ModelParams, TrainingParams
from startup_report.modeling.persist import save_model
from startup_report.modeling.runcache import RunCache
from startup_report.modeling.runs import RunData, RunOutcome, RunSpec, execute_run, rows_sha256, run_key
from startup_report.modeling.sampling import FULL, sample_budget

# What a training worker needs besides one thread (engine.tasks.WORKER_ENV): XLA single-threaded too, and no
# model hub (the encoder's weights ship with the project).
WORKER_ENV = {
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}

RESULT_COLUMNS = (
    "family",
    "model",
    "budget",
    "seed",
    "accuracy",
    "macro_f1",
    "val_accuracy",
    "train_seconds",
    "ms_per_message",
    "parameters",
    "size_bytes",
    "flops_per_message",
    "train_examples",
    "precision",
    "ensemble_weights",  # ensembles only: the members' weights, chosen on validation ("0.35+0.35+0.3")
)


def terminal(message: str) -> None:
    """One line in the notebook and one on the terminal that runs the chain.

    In a Jupyter kernel, ``sys.stderr.fileno()`` is the kernel's copy of its original stderr (the runner's
    terminal); writing there directly keeps the line out of the notebook, where writing to fd 2 would show
    it twice (ipykernel forwards what reaches fd 2 to the notebook as well).
    """
    print(message, flush=True)
    if sys.stderr is sys.__stderr__:
        return  # a plain process: stdout is the terminal already
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None  # a kernel that does not capture fd 2 (ipykernel skips it under pytest): fd 2 is the terminal
    if fd is not None:
        os.write(fd, f"{message}\n".encode())
    elif sys.__stderr__ is not None:
        print(message, file=sys.__stderr__, flush=True)


@dataclass
class GridResult:
    results: pd.DataFrame
    best: dict[str, RunOutcome] = field(default_factory=dict)  # per model: best full-budget run on validation
    trained: int = 0
    cached: int = 0


def plan_runs(model: ModelParams, training: TrainingParams, seed: int) -> list[RunSpec]:
    """Every (budget, seed, model) the parameters ask for, in the order of results.csv."""
    configs = {name: zoo.model_config(name, model, training) for name in training.models}
    return [
        RunSpec(name, str(budget), s, configs[name])
        for budget in zoo.all_budgets(training)
        for name in training.models
        for s in zoo.seeds_for(name, budget, training, seed)
    ]


def run_grid(
    specs: Sequence[RunSpec],
    data: RunData,
    cache: RunCache | None = None,
    seconds_per_text: float = 0.0,
    pool: Pool | None = None,
    log: Callable[[str], None] = terminal,
    ensembles: Sequence[Sequence[str]] = (),
) -> GridResult:
    """Reuse stored runs, train the rest in the pool, pick each model's best full-budget run, and add the
    ``ensembles`` (groups of models, blended from stored probabilities wherever all ran at a budget and seed)."""
    val_sha, test_sha = rows_sha256(data.validation), rows_sha256(data.test)
    subsets: dict[tuple[str, int], str] = {}
    keys = []
    for spec in specs:
        draw = (spec.budget, spec.seed if spec.budget != FULL else 0)
        if draw not in subsets:
            subsets[draw] = rows_sha256(sample_budget(data.train, spec.budget, spec.seed))
        keys.append(run_key(spec, subsets[draw], val_sha, test_sha, data.labels))
    outcomes: dict[int, RunOutcome] = {}
    width = max((len(s.model) for s in specs), default=0)
    done = 0

    def report(index: int, how: str) -> None:
        nonlocal done
        done += 1
        spec, row, wall = specs[index], outcomes[index].row, outcomes[index].wall_seconds
        took = f"  ({wall:.1f} s here)" if wall is not None else ""
        log(
            f"  [{done}/{len(specs)}] {spec.model:<{width}} budget={spec.budget:<4} seed={spec.seed:<3} {how:<7} "
            f"acc={row['accuracy']:.3f}  train {row['train_seconds']:.1f} s{took}"
        )

    missing = []
    for index, key in enumerate(keys):
        stored = cache.get(key) if cache is not None else None
        if stored is None:
            missing.append(index)
        else:
            outcomes[index] = stored
            report(index, "cached")
    if missing:
        index_of = {id(specs[i]): i for i in missing}
        with task_pool(env=WORKER_ENV) if pool is None else nullcontext(pool) as active:
            log(f"  training {len(missing)} of {len(specs)} runs ({active.description})")
            todo = [specs[i] for i in missing]
            for spec, outcome in active.map(execute_run, todo, data=data, seconds_per_text=seconds_per_text):
                index = index_of[id(spec)]
                outcomes[index] = outcome
                if cache is not None:
                    cache.put(keys[index], outcome)
                report(index, "trained")
    rows = [outcomes[i].row for i in range(len(specs))]
    if ensembles:
        label_id = {label: i for i, label in enumerate(data.labels)}
        y_val, y_test = (split[LABEL].map(label_id).to_numpy() for split in (data.validation, data.test))
        ordered = [outcomes[i] for i in range(len(specs))]
        rows += ensemble.ensemble_rows(ordered, ensembles, y_val, y_test, len(data.labels))
    best = _best_runs(specs, keys, outcomes, cache)
    return GridResult(pd.DataFrame(rows, columns=list(RESULT_COLUMNS)), best, len(missing), len(specs) - len(missing))


def _best_runs(
    specs: Sequence[RunSpec], keys: Sequence[str], outcomes: dict[int, RunOutcome], cache: RunCache | None
) -> dict[str, RunOutcome]:
    """Per model, the full-budget run with the best validation accuracy (ties: the first seed)."""
    best: dict[str, int] = {}
    for i, spec in enumerate(specs):
        if spec.budget == FULL:
            current = best.get(spec.model)
            if current is None or outcomes[i].row["val_accuracy"] > outcomes[current].row["val_accuracy"]:
                best[spec.model] = i
    chosen = {}
    for name, i in best.items():
        outcome = outcomes[i]
        outcome.key = keys[i]
        if cache is not None:
            outcome.model_file = cache.model_file(keys[i])
        chosen[name] = outcome
    return chosen


def save_best_models(best: dict[str, RunOutcome], folder: Path) -> None:
    """Write each best run's model to ``folder/NAME.pkl`` for serving, and its run key to ``folder/NAME.key``.

    The run cache's bytes are copied where it holds the model: pickling an object read back from a pickle
    can differ from it by a few bytes of framing, and identical bytes are what let the stages downstream see
    that a rerun changed nothing. Across builds the bytes differ anyway (Keras stamps the save time, and set
    order follows the process's hash seed), so the serving measurements are keyed by the run key instead:
    the same data, settings, code, encoder and packages make the same model.
    """
    for name, run in best.items():
        target = Path(folder) / f"{name}.pkl"
        if run.model_file is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(run.model_file, target)
        else:
            save_model(run.model, target)
        if run.key is not None:
            target.with_suffix(".key").write_text(run.key + "\n")


def summarize(results: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds, per model and budget (the scaling figure's bands)."""
    grouped = results.groupby(["family", "model", "budget"], sort=False)
    out = grouped.agg(
        accuracy_mean=("accuracy", "mean"),
        accuracy_sd=("accuracy", "std"),
        macro_f1_mean=("macro_f1", "mean"),
        seeds=("seed", "nunique"),
        train_seconds=("train_seconds", "mean"),
        ms_per_message=("ms_per_message", "mean"),
    ).reset_index()
    out["accuracy_sd"] = out["accuracy_sd"].fillna(0.0)
    return out
