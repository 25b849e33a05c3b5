"""The data-prep stage's outputs: the three splits, the label list and the data card."""

from __future__ import annotations

from pathlib import Path

from startup_report.data.dataset import Splits, data_card
from startup_report.engine.files import write_json


def write(product: Path | str, splits: Splits) -> list[Path]:
    """``train``, ``validation`` and ``test`` as Parquet, ``labels.json`` and ``data_card.json``."""
    folder = Path(product)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ("train", "validation", "test"):
        path = folder / f"{name}.parquet"
        getattr(splits, name).to_parquet(path, index=False)
        paths.append(path)
    paths.append(write_json(folder / "labels.json", splits.labels))
    paths.append(write_json(folder / "data_card.json", data_card(splits)))
    return paths
