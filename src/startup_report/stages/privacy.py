"""The privacy chapter's outputs: the federation's accuracy by round, the privacy sweep and its heads'
probabilities (which the cost chapter turns into automation and money)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from startup_report.privacy.scoring import Heads, save_heads


def write(product: Path | str, federation: pd.DataFrame, sweep: pd.DataFrame, heads: Heads) -> list[Path]:
    """``federation.csv``, ``privacy_sweep.csv`` and ``heads.npz``."""
    folder = Path(product)
    federation.to_csv(folder / "federation.csv", index=False)
    sweep.to_csv(folder / "privacy_sweep.csv", index=False)
    return [folder / "federation.csv", folder / "privacy_sweep.csv", save_heads(folder / "heads.npz", heads)]
