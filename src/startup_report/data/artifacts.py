"""Reading and writing the files stages hand to each other (declared outputs in ``product``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def load_split(folder: Path | str, name: str) -> pd.DataFrame:
    return pd.read_parquet(Path(folder) / f"{name}.parquet")


def save_probabilities(path: Path, runs: dict[str, Any]) -> Path:
    """Validation and test probabilities of each model's best full-budget run, for the evaluation stage."""
    arrays = {}
    for name, run in runs.items():
        arrays[f"{name}__val"] = run.val_probs.astype("float32")
        arrays[f"{name}__test"] = run.test_probs.astype("float32")
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)
    return path


def load_probabilities(path: Path) -> dict[str, dict[str, Any]]:
    """{model: {"val": array, "test": array}}."""
    with np.load(path) as data:
        out: dict[str, dict[str, Any]] = {}
        for key in data.files:
            name, split = key.rsplit("__", 1)
            out.setdefault(name, {})[split] = data[key]
    return out
