"""The market stage's outputs: the client's route comparison, the plan, the tornado, what the what-if page needs
and the typed ``market.json``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from startup_report.market import handoff, whatif_model


def write(
    product: Path | str,
    routes: pd.DataFrame,
    plan: pd.DataFrame,
    sensitivity: pd.DataFrame,
    bases: Sequence[whatif_model.Basis],
    result: handoff.MarketResult,
) -> list[Path]:
    """``unit_economics.csv`` (the routes from the client's side), ``plan.csv`` (month by month), ``sensitivity.csv``
    (the tornado, whose order the what-if page follows), ``whatif_basis.json`` (every segment's plan, the reported
    one first) and ``market.json`` (validated on write)."""
    out = Path(product)
    paths = []
    for name, frame in (("unit_economics", routes), ("plan", plan), ("sensitivity", sensitivity)):
        frame.to_csv(path := out / f"{name}.csv", index=False)
        paths.append(path)
    whatif_model.save(path := out / "whatif_basis.json", bases)
    return [*paths, path, handoff.write(result, out / "market.json")]
