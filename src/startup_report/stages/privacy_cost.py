"""The privacy-cost chapter's outputs: automation and money at each privacy setting, and the explained mistakes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from startup_report.engine.files import write_json
from startup_report.privacy.explain import Explanation


def write(
    product: Path | str, automation: pd.DataFrame, cost: pd.DataFrame, explained: Sequence[Explanation]
) -> list[Path]:
    """``automation.csv``, ``cost_of_privacy.csv`` and ``explanations.json`` (each mistake with its words'
    pushes and its nearest training messages)."""
    folder = Path(product)
    automation.to_csv(folder / "automation.csv", index=False)
    cost.to_csv(folder / "cost_of_privacy.csv", index=False)
    rows = [
        item.as_row() | {"words": item.words.to_dict("records"), "neighbours": item.neighbours.to_dict("records")}
        for item in explained
    ]
    return [folder / "automation.csv", folder / "cost_of_privacy.csv", write_json(folder / "explanations.json", rows)]
