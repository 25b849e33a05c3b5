"""Which run stands for each model family: the one the evaluation scores and serves.

Apart from the tables so that the runner can ask which models evaluation would serve (serving.py) without
importing scikit-learn into its own process.
"""

from __future__ import annotations

import pandas as pd


def best_per_family(runs: pd.DataFrame) -> pd.DataFrame:
    """Each family's run with the highest validation accuracy, best family first (its first row is production)."""
    return runs.sort_values("val_accuracy", ascending=False).groupby("family", sort=False).head(1)
