"""The evaluation stage's outputs: the metrics hand-off, the production model's predictions, the serving figures
and the open-world experiment."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from startup_report.evaluation.handoff import EvaluationMetrics
from startup_report.evaluation.handoff import write as write_metrics


def write(
    product: Path | str,
    metrics: EvaluationMetrics,
    serving: pd.DataFrame,
    predictions: pd.DataFrame,
    open_world: pd.DataFrame,
    open_predictions: pd.DataFrame,
) -> list[Path]:
    """``metrics.json`` (what the market and privacy chapters read), ``serving.csv``, the production model's test
    predictions (``predictions.parquet``), every open-world measurement (``openworld.csv``) and the hand-off
    setting's predictions with unknown intents mixed in (``predictions_open.parquet``)."""
    folder = Path(product)
    serving.to_csv(folder / "serving.csv", index=False)
    predictions.to_parquet(folder / "predictions.parquet", index=False)
    open_world.to_csv(folder / "openworld.csv", index=False)
    open_predictions.to_parquet(folder / "predictions_open.parquet", index=False)
    return [
        write_metrics(metrics, folder / "metrics.json"),
        *(
            folder / name
            for name in ("serving.csv", "predictions.parquet", "openworld.csv", "predictions_open.parquet")
        ),
    ]
