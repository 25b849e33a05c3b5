"""Reading and writing the files stages hand to each other (declared outputs in ``product``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from startup_report.dataset import Splits, data_card


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def save_splits(splits: Splits, product: Path) -> list[Path]:
    """The data-prep stage's outputs: three parquet splits, the label list and the data card."""
    product.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ("train", "validation", "test"):
        path = product / f"{name}.parquet"
        getattr(splits, name).to_parquet(path, index=False)
        paths.append(path)
    paths.append(write_json(product / "labels.json", splits.labels))
    paths.append(write_json(product / "data_card.json", data_card(splits)))
    return paths


def load_split(folder: Path | str, name: str) -> pd.DataFrame:
    return pd.read_parquet(Path(folder) / f"{name}.parquet")
