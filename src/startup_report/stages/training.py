"""The training stage's outputs: every run's results, and each model's best full-budget run for the stages after."""

from __future__ import annotations

from pathlib import Path

from startup_report.data.artifacts import save_probabilities
from startup_report.engine.files import write_json
from startup_report.modeling.grid import GridResult, save_best_models
from startup_report.modeling.persist import models_dir


def write(product: Path | str, result: GridResult) -> list[Path]:
    """``results.csv`` (one row per run), then of each model's best run: its validation and test probabilities
    (``probabilities.npz``), its row (``best_runs.json``), its training history (``histories.json``, the Keras
    models') and the model itself (``models/NAME.pkl``, which evaluation serves)."""
    folder = Path(product)
    result.results.to_csv(folder / "results.csv", index=False)
    best = result.best
    save_best_models(best, models_dir(folder))
    return [
        folder / "results.csv",
        save_probabilities(folder / "probabilities.npz", best),
        write_json(folder / "best_runs.json", {name: run.row for name, run in best.items()}),
        write_json(folder / "histories.json", {name: run.history for name, run in best.items() if run.history}),
        models_dir(folder),
    ]
