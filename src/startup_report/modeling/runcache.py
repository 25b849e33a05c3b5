"""Content-addressed store of training runs: one folder per run key, written once, read by every later run.

A folder holds the run's row of results.csv, its validation and test probabilities, its training history
and, for full-budget runs, the pickled model (the candidates for serving). Folders are written under a
temporary name and renamed into place, so a crash never leaves a half-written run to be reused.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np

from startup_report.engine.files import read_json, write_json
from startup_report.modeling.persist import save_model
from startup_report.modeling.runs import RunOutcome


class RunCache:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def __contains__(self, key: str) -> bool:
        return (self.path(key) / "row.json").is_file()

    def get(self, key: str) -> RunOutcome | None:
        """The stored outcome without its model (its pickle: ``model_file``), or None."""
        if key not in self:
            return None
        folder = self.path(key)
        with np.load(folder / "probs.npz") as probs:
            val, test = probs["val"], probs["test"]
        history = read_json(folder / "history.json") if (folder / "history.json").is_file() else None
        return RunOutcome(read_json(folder / "row.json"), val, test, history, None)

    def model_file(self, key: str) -> Path | None:
        """The stored pickle of a run's model (full-budget runs), or None."""
        path = self.path(key) / "model.pkl"
        return path if path.is_file() else None

    def put(self, key: str, outcome: RunOutcome) -> None:
        final = self.path(key)
        if final.exists():
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{key[:12]}."))
        try:
            with (staging / "probs.npz").open("wb") as handle:
                np.savez_compressed(handle, val=outcome.val_probs, test=outcome.test_probs)
            if outcome.history is not None:
                write_json(staging / "history.json", outcome.history)
            if outcome.model is not None:
                save_model(outcome.model, staging / "model.pkl")
            write_json(staging / "row.json", outcome.row)  # last: its presence marks a complete run
            staging.rename(final)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            if not final.exists():
                raise
