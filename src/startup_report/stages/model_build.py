"""The model-build stage's outputs: the model card (sizes of the families' models) and what the encoder is."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from startup_report.engine.files import write_json
from startup_report.modeling.encoder import DIM, MODEL_ID


def write(
    product: Path | str, card: pd.DataFrame, vocabulary: int, classes: int, encoder_parameters: int
) -> list[Path]:
    """``model_card.json`` and ``encoder.json``.

    The encoder's file says what the encoder is, not how this run went, so a rerun with a warm embedding cache
    writes the same bytes (and the stages downstream see nothing changed).
    """
    folder = Path(product)
    return [
        write_json(
            folder / "model_card.json",
            {"vocabulary": vocabulary, "classes": classes, "models": card.to_dict(orient="records")},
        ),
        write_json(
            folder / "encoder.json",
            {"model": MODEL_ID.rsplit("/", 1)[-1], "dimension": DIM, "parameters": encoder_parameters},
        ),
    ]
